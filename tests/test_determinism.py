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


# ---------------------------------- issue 14 item 11: same input, same bytes, for every output

BUILD_FILES = ("map.html", "events.geojson", "places.geojson")


def _bytes(folder: Path, names) -> dict[str, bytes]:
    return {n: (folder / n).read_bytes() for n in names}


def _same_bytes_twice(tmp_path: Path, command, names) -> None:
    """Run ``command(folder)`` in two processes at once and compare ``names`` there.

    Other hash seeds and no SOURCE_DATE_EPOCH: nothing may depend on the clock.
    """
    runs = _run_parallel(
        [
            (command(tmp_path / d), {"PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": ""})
            for d, seed in (("a", "1"), ("b", "4242"))
        ]
    )
    for r in runs:
        assert r.returncode == 0, r.stderr.decode()[-500:]
    a, b = _bytes(tmp_path / "a", names), _bytes(tmp_path / "b", names)
    for name in names:
        assert a[name] == b[name], f"{name} differs between two runs on the same input"


def test_build_outputs_are_byte_identical_across_processes(tmp_path):
    _same_bytes_twice(
        tmp_path,
        lambda out: GEOMAP + ["build", str(SAMPLE), str(HOSTILE[0]), "-o", str(out), "-q"],
        BUILD_FILES,
    )


def test_map_with_cdn_links_is_byte_identical_run_after_run(tmp_path):
    from geomap.cli import main

    for d in ("a", "b"):
        assert main(["build", str(SAMPLE), "-o", str(tmp_path / d), "--cdn", "-q"]) == 0
    assert (tmp_path / "a" / "map.html").read_bytes() == (tmp_path / "b" / "map.html").read_bytes()


STORE_OUTPUTS = """
import sys
from pathlib import Path
from geomap.cli import main
store, out = sys.argv[1], Path(sys.argv[2])
codes = [main(["map", "--store", store, "-o", str(out), "-q"])]
codes += [main(["map", "--store", store, "-o", str(out / "kp"), "--province", "Khyber Pakhtunkhwa",
                "--type", "clash", "--offline", "-q"])]
for fmt in ("geojson", "gpkg", "csv", "parquet"):
    target = str(out / f"i.{fmt}")
    codes.append(main(["export", "--format", fmt, "--store", store, "-o", target, "-q"]))
sys.exit(max(codes))
"""
STORE_FILES = ("map.html", "kp/map.html", "i.geojson", "i.gpkg", "i.csv", "i.parquet")


def test_map_and_every_export_of_a_store_are_byte_identical_across_processes(tmp_path):
    from geomap.cli import main

    store = tmp_path / "s.gpkg"
    arts = [str(p) for p in ARTICLES[:3]]
    assert main(["ingest", *arts, "--store", str(store), "--no-progress", "-q"]) == 0
    script = [sys.executable, "-c", STORE_OUTPUTS, str(store)]
    _same_bytes_twice(tmp_path, lambda out: [*script, str(out)], STORE_FILES)


def test_gpkg_export_is_stamped_with_the_store_time_not_the_clock(tmp_path, monkeypatch):
    import pyogrio

    from geomap.export import export
    from geomap.store import open_store

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1760000000")
    store = tmp_path / "s.gpkg"
    from geomap.cli import main

    assert main(["ingest", str(ARTICLES[0]), "--store", str(store), "--no-progress", "-q"]) == 0
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    with open_store(store, create=False) as s:
        out = export(s, tmp_path / "x.gpkg", format="gpkg")
    con = sqlite3.connect(out)
    try:
        stamps = {r[0] for r in con.execute("SELECT last_change FROM gpkg_contents")}
    finally:
        con.close()
    assert stamps == {"2025-10-09T08:53:20Z"}  # 1760000000, the store's ingest time
    assert pyogrio.get_gdal_config_option("OGR_CURRENT_DATE") is None  # not left set


def test_element_ids_are_numbered_by_appearance_and_article_text_is_left_alone():
    import folium

    from geomap import render

    text = "a" * 32  # a 32-digit hex string in article text is no element id
    pages = []
    for _ in range(2):
        m = folium.Map()
        folium.Marker([34.0, 71.0], tooltip=text).add_to(m)
        root = m.get_root()
        pages.append(render._stable_ids(root, root.render()))
    assert pages[0] == pages[1]
    assert "map_" + "0" * 32 in pages[0] and text in pages[0]
