from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest

from geomap.cli import main


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [
        (None, 3, "no such file"),
        (b"", 3, "empty"),
        (b"\x00\x01\x02\x03binary\x00", 3, "binary"),
        (b"\xff\x81\x8d\x90", 3, "cannot be decoded"),
        (b"Published: soon\nText", 2, "YYYY-MM-DD"),
    ],
)
def test_bad_article_gives_one_line_error_and_exit_code(tmp_path, capsys, content, code, words):
    art = tmp_path / "art.txt"
    if content is not None:
        art.write_bytes(content)
    rc = main(["extract", str(art), "--json"])
    err = capsys.readouterr().err.strip()
    assert rc == code
    assert err.startswith("geomap: error:") and words in err and str(art) in err
    assert len(err.splitlines()) == 1 and "Traceback" not in err


def test_bad_article_in_build_leaves_earlier_output_intact(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    earlier = out / "map.html"
    earlier.write_text("<html>earlier map</html>", encoding="utf-8")
    rc = main(["build", str(tmp_path / "missing.txt"), "-o", str(out)])
    assert rc == 3
    assert earlier.read_text(encoding="utf-8") == "<html>earlier map</html>"
    assert sorted(p.name for p in out.iterdir()) == ["map.html"]


def test_invalid_date_option_is_a_usage_error(tmp_path):
    art = tmp_path / "a.txt"
    art.write_text("Torkham reopened.", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "geomap.cli", "extract", str(art), "--published", "12/10/2025"],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 2
    assert "YYYY-MM-DD" in proc.stderr and "Traceback" not in proc.stderr


def test_console_script_is_installed():
    exe = Path(sys.executable).with_name("geomap")
    proc = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and proc.stdout.startswith("geomap ")


def test_usage_errors_are_one_line(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "geomap.cli", "build", "--no-such-option", "x"],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and "--no-such-option" in proc.stderr


def test_unwritable_output_folder_is_a_one_line_error_not_an_internal_error(tmp_path, capsys):
    art = tmp_path / "a.txt"
    art.write_text("Published: 2025-10-13\nThe committee met.\n", encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    rc = main(["build", str(art), "-o", str(blocker / "sub"), "-q"])
    err = capsys.readouterr().err.strip()
    assert rc == 1 and len(err.splitlines()) == 1
    assert "internal error" not in err and str(blocker / "sub") in err


def test_build_quiet_prints_nothing_on_stdout_and_errors_stay_one_line(tmp_path, capsys):
    art = tmp_path / "a.txt"
    art.write_text(
        "Published: 2025-10-13\nPakistan closed the Torkham crossing on Sunday.\n", encoding="utf-8"
    )
    assert main(["build", str(art), "-o", str(tmp_path / "out"), "-q"]) == 0
    cap = capsys.readouterr()
    assert cap.out == "" and cap.err == ""
    assert (tmp_path / "out" / "map.html").is_file()
    assert main(["build", str(art), "-o", str(tmp_path / "out2")]) == 0
    assert "wrote map" in capsys.readouterr().out  # without -q: the summary
    assert main(["build", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "o3"), "-q"]) == 3
    cap = capsys.readouterr()
    assert cap.out == "" and len(cap.err.strip().splitlines()) == 1


def _subcommands():
    from geomap.cli import _parser

    sub = next(a for a in _parser()._actions if a.dest == "command")
    return sub.choices


def test_readme_command_table_lists_every_option_that_help_shows():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Commands", 1)[1].split("### Exit codes", 1)[0]
    missing = []
    for name, parser in _subcommands().items():
        row = next((ln for ln in table.splitlines() if ln.startswith(f"| `geomap {name} ")), "")
        for action in parser._actions:
            opts = action.option_strings
            if not opts or opts[-1] in ("--help", "--verbose", "--quiet"):
                continue  # -h/-v/-q: described once under the table
            if not any(re.search(rf"(?<![\w-]){re.escape(o)}(?![\w-])", row) for o in opts):
                missing.append(f"{name} {opts[-1]}")
    assert not missing, f"README command table lacks: {missing}"
    assert "`-v`/`-vv`" in table and "`-q`" in table


@pytest.mark.parametrize(
    ("fmt", "option", "words"),
    [
        ("geojson", ["--include-incomplete"], "--include-incomplete applies to --format csv only"),
        ("gpkg", ["--include-incomplete"], "--include-incomplete applies to --format csv only"),
        ("parquet", ["--all-certainties"], "--all-certainties applies to --format csv only"),
        ("csv", ["--as-of", "2026-11-20"], "--as-of applies to --format gpkg only"),
    ],
)
def test_export_option_of_another_format_is_a_one_line_usage_error(tmp_path, capsys, fmt, option, words):
    # refused before the store is opened: nothing is silently ignored, nothing written
    out = tmp_path / f"x.{fmt}"
    with pytest.raises(SystemExit) as exc:
        main(["export", "--format", fmt, *option, "--store", str(tmp_path / "none.gpkg"), "-o", str(out)])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and words in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_status_without_any_reference_date_says_which_day_it_used(tmp_path, capsys):
    art = tmp_path / "undated.txt"
    art.write_text("Guards shut the Chaman crossing on Friday after a quarrel.\n", encoding="utf-8")
    assert main(["status", str(art), "-q"]) == 0
    captured = capsys.readouterr()
    today = dt.date.today().isoformat()
    lines = [ln for ln in captured.err.splitlines() if "machine's clock" in ln]
    assert len(lines) == 1 and today in lines[0] and "--as-of" in lines[0]
    assert f"as of {today}" in captured.out
    # with --as-of (or a reference date) nothing is said about the clock
    assert main(["status", str(art), "-q", "--as-of", "2025-03-01"]) == 0
    assert "machine's clock" not in capsys.readouterr().err


def test_article_over_the_size_limit_is_one_line_exit_3(tmp_path, capsys):
    from geomap.articles import MAX_BYTES

    art = tmp_path / "huge.txt"
    art.write_bytes(b"Torkham was closed on Monday.\n" * (MAX_BYTES // 30 + 1))
    assert art.stat().st_size > MAX_BYTES
    assert main(["extract", str(art), "--json"]) == 3
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "larger than the 5 MiB limit" in err and "split" in err
