"""Same input, same output, run after run and process after process (issue 8).

Two separate processes with different ``PYTHONHASHSEED`` (so set and dict-of-set
iteration orders differ) must print byte-identical ``geomap extract --json``
and build stores whose tables are identical row for row.  The store's one clock
value comes from ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention), so
it is set to the same value for both runs.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GEOMAP = [sys.executable, "-m", "geomap.cli"]
SAMPLE = ROOT / "data" / "articles" / "000_2688002ae2b84c7a.txt"
HOSTILE = sorted((ROOT / "tests" / "data" / "hostile").glob("*.txt"))
ARTICLES = sorted((ROOT / "data" / "articles").glob("0*.txt"))


def _run_parallel(
    cmds: list[tuple[list[str], dict[str, str]]], *, timeout: float = 300
) -> list[subprocess.CompletedProcess]:
    """Start every command at once (the machine has 2 cores) and wait for all."""
    procs = [
        subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **env}
        )
        for cmd, env in cmds
    ]
    out = []
    for cmd, p in zip(cmds, procs, strict=True):
        stdout, stderr = p.communicate(timeout=timeout)
        out.append(subprocess.CompletedProcess(cmd[0], p.returncode, stdout, stderr))
    return out


@pytest.mark.parametrize("article", [SAMPLE, HOSTILE[0]], ids=["sample", "hostile"])
def test_extract_json_is_byte_identical_across_processes_and_hash_seeds(article):
    runs = _run_parallel(
        [
            (GEOMAP + ["extract", str(article), "--json"], {"PYTHONHASHSEED": seed})
            for seed in ("1", "4242")
        ]
    )
    for r in runs:
        assert r.returncode == 0, r.stderr.decode()[-500:]
    assert runs[0].stdout, "no output"
    assert runs[0].stdout == runs[1].stdout


def _dump(store: Path) -> dict[str, list[tuple]]:
    """Every table, rows sorted, without the autoincrement ``fid`` (insertion order only)."""
    con = sqlite3.connect(store)
    try:
        tables = [
            r[0]
            for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        ]
        dump = {}
        for t in tables:
            if t.startswith("sqlite_"):
                continue
            cols = [r[1] for r in con.execute(f'PRAGMA table_info("{t}")') if r[1] != "fid"]
            rows = con.execute(
                f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{t}"'
            ).fetchall()
            dump[t] = sorted(rows, key=repr)
        return dump
    finally:
        con.close()


def test_store_contents_identical_across_two_ingests_in_any_order(tmp_path):
    probe = subprocess.run(GEOMAP + ["ingest", "--help"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("geomap ingest is not available yet")
    paths = [str(p) for p in ARTICLES[:8] + HOSTILE[:3]]
    assert len(paths) >= 6
    a, b = tmp_path / "a.gpkg", tmp_path / "b.gpkg"
    env = {"SOURCE_DATE_EPOCH": "1760000000"}
    runs = _run_parallel(
        [
            (
                GEOMAP + ["ingest", *paths, "--store", str(a), "--no-progress", "-q"],
                {**env, "PYTHONHASHSEED": "1"},
            ),
            (
                GEOMAP
                + [
                    "ingest",
                    *reversed(paths),
                    "--store",
                    str(b),
                    "--no-progress",
                    "-q",
                    "--batch-size",
                    "1",
                ],
                {**env, "PYTHONHASHSEED": "99"},
            ),
        ]
    )
    for r in runs:
        assert r.returncode == 0, r.stderr.decode()[-500:]
    da, db = _dump(a), _dump(b)
    assert da.keys() == db.keys()
    assert len(da["articles"]) == len(paths)
    for table in da:
        assert da[table] == db[table], (
            f"table {table} differs between two ingests of the same articles"
        )
