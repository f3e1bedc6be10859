from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from geomap import batch
from geomap.batch import ingest_paths, iter_articles
from geomap.cli import main
from geomap.pipeline import ArticleResult
from geomap.store import open_store

HTML = """<html><head><title>Torkham reopens</title>
<meta property="article:published_time" content="2025-11-06"></head>
<body><nav>Home | World | Sport</nav><article><h1>Torkham reopens</h1>
<p>The Torkham border crossing between Afghanistan and Pakistan reopened on Thursday after a
closure of three weeks, officials in Landi Kotal said.</p>
<p>Hundreds of trucks carrying fruit crossed into Khyber district by the afternoon.</p></article>
<footer>Copyright 2025 Example News. All rights reserved.</footer></body></html>"""


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_text(
        "Published: 2025-10-02\n\nClashes near Parachinar killed four.\n", encoding="utf-8"
    )
    (d / "sub" / "a_again.txt").write_text(
        "Published: 2025-10-02\n\nClashes near Parachinar killed four.\n", encoding="utf-8"
    )
    (d / "b.txt").write_text(
        "Published: 2025-10-05\n\nChaman crossing closed on Sunday.\n", encoding="utf-8"
    )
    (d / "README.md").write_text("# Feed\n\nTorkham closed on 12 October.\n", encoding="utf-8")
    (d / "empty.txt").write_text("  \n", encoding="utf-8")
    (d / "bin.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00binary")
    (d / ".hidden.txt").write_text("Published: 2025-10-02\n\nA hidden draft.\n", encoding="utf-8")
    (d / "ignored.csv").write_text("a,b\n", encoding="utf-8")
    lines = [
        json.dumps(
            {
                "text": "Talks in Doha on border trade.",
                "published": "2025-10-07",
                "url": "https://x.org/1",
                "title": "Doha talks",
            }
        ),
        "{not json",
        json.dumps({"published": "2025-10-07"}),
        json.dumps({"text": "Protest in Quetta.", "published": "7 Oct"}),
    ]
    (d / "c.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (d / "page.html").write_text(HTML, encoding="utf-8")
    return d


def test_iter_articles_reads_every_format_and_says_why_it_skips(folder):
    skipped: list[tuple[str, str]] = []
    arts = list(iter_articles([folder, folder / "missing.txt"], skipped=skipped))
    by_name = {
        Path(a.path.split(":")[0]).name + (":" + a.path.split(":")[1] if ":" in a.path else ""): a
        for a in arts
    }
    # README.md is not read from a folder (it is not news); named directly it would be.
    assert set(by_name) == {"a.txt", "a_again.txt", "b.txt", "c.jsonl:1", "page.html"}
    assert [a.text for a in iter_articles([folder / "README.md"])] == ["# Feed\n\nTorkham closed on 12 October.\n"]
    doha = by_name["c.jsonl:1"]
    assert (doha.title, doha.url, str(doha.published), doha.published_source) == (
        "Doha talks",
        "https://x.org/1",
        "2025-10-07",
        "header",
    )
    page = by_name["page.html"]
    assert (
        "Torkham border crossing" in page.text
        and "Copyright" not in page.text
        and "Home |" not in page.text
    )
    assert str(page.published) == "2025-11-06" and page.title == "Torkham reopens"
    reasons = {
        Path(k.split(":")[0]).name + (":" + k.split(":")[1] if ":" in k else ""): v
        for k, v in skipped
    }
    assert "empty" in reasons["empty.txt"]
    assert "binary" in reasons["bin.txt"]
    assert "JSON" in reasons["c.jsonl:2"]
    assert '"text"' in reasons["c.jsonl:3"]
    assert "YYYY-MM-DD" in reasons["c.jsonl:4"]
    assert "no such file" in reasons["missing.txt"]
    assert ".hidden.txt" not in reasons and "ignored.csv" not in reasons


def _fake_extract(article):
    return ArticleResult(article=article, places=(), events=(), statements=())


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setattr(batch, "_extract", _fake_extract)
    monkeypatch.setattr(batch, "_init_worker", lambda: None)


def test_ingest_paths_skips_duplicates_and_resumes(folder, tmp_path, fake):
    with open_store(tmp_path / "s.gpkg") as store:
        rep = ingest_paths([folder], store=store)
        assert (rep.read, rep.added, rep.duplicates) == (5, 4, 1)
        assert any("duplicate: same text as" in r for _, r in rep.skipped)
        again = ingest_paths([folder], store=store)
        assert (again.added, again.duplicates) == (0, 5)
        assert len(store.articles()) == 4


def test_interrupted_ingest_keeps_committed_batches_and_resumes(
    folder, tmp_path, monkeypatch, fake
):
    calls = {"n": 0}

    def flaky(article):
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt
        return _fake_extract(article)

    monkeypatch.setattr(batch, "_extract", flaky)
    with open_store(tmp_path / "s.gpkg") as store:
        with pytest.raises(KeyboardInterrupt):
            ingest_paths([folder], store=store, batch_size=2)
        assert (
            len(store.articles()) == 2
        )  # the first batch of two was committed, the second was not
        monkeypatch.setattr(batch, "_extract", _fake_extract)
        rep = ingest_paths([folder], store=store, batch_size=2)
        assert (rep.added, len(store.articles())) == (2, 4)


def test_cli_ingest_map_export_end_to_end(tmp_path, capsys):
    d = tmp_path / "arts"
    d.mkdir()
    (d / "1.txt").write_text(
        "Published: 2025-10-13\n\nPakistan closed the Torkham border crossing on Sunday after clashes "
        "with Afghan forces in Khyber district.\n",
        encoding="utf-8",
    )
    (d / "2.txt").write_text(
        "Published: 2025-10-14\n\nThe Torkham crossing was shut on Sunday following exchanges of fire, "
        "officials in Landi Kotal said.\n",
        encoding="utf-8",
    )
    (d / "3.txt").write_text(
        "Published: 2025-10-22\n\nThe Torkham border crossing reopened for trade on Tuesday.\n",
        encoding="utf-8",
    )
    st = tmp_path / "g.gpkg"
    assert main(["ingest", str(d), "--store", str(st), "--workers", "2", "-q"]) == 0
    out = capsys.readouterr().out
    assert "articles read: 3, added: 3" in out
    with open_store(st) as store:
        inc = store.incidents()
        assert "closure" in set(inc["type"])
        assert {"reopening", "partial_reopening"} & set(inc["type"])
        closure = inc[inc["type"] == "closure"]
        assert closure["n_sources"].max() == 2  # two outlets, one closure
        assert (
            store.crossings(as_of=dt.date(2025, 10, 15)).set_index("id").loc["torkham", "status"]
            == "closed"
        )
        assert store.crossings().set_index("id").loc["torkham", "status"] in (
            "open",
            "partial",
        )  # trade only
    assert (
        main(
            ["map", "--store", str(st), "-o", str(tmp_path / "out"), "--as-of", "2025-10-15", "-q"]
        )
        == 0
    )
    assert (tmp_path / "out" / "map.html").stat().st_size > 10_000
    assert (
        main(["export", "--format", "csv", "--store", str(st), "-o", str(tmp_path / "i.csv"), "-q"])
        == 0
    )
    assert (
        (tmp_path / "i.csv")
        .read_text(encoding="utf-8")
        .startswith("event_id_cnty,event_date,year,")
    )
    assert main(["map", "--store", str(tmp_path / "nope.gpkg"), "-q"]) == 5
    assert "no such store" in capsys.readouterr().err


def test_folder_ingest_does_not_follow_links_out_of_the_folder(tmp_path):
    private = tmp_path / "private.txt"
    private.write_text("secret notes about Torkham", encoding="utf-8")
    feed = tmp_path / "feed"
    feed.mkdir()
    (feed / "a.txt").write_text("Torkham was closed.", encoding="utf-8")
    (feed / "inside.txt").symlink_to(feed / "a.txt")
    (feed / "outside.txt").symlink_to(private)
    (feed / "loop.txt").symlink_to(feed / "loop.txt")
    skipped: list[tuple[str, str]] = []
    arts = list(iter_articles([feed], skipped=skipped))
    assert sorted(Path(a.path).name for a in arts) == ["a.txt", "inside.txt"]
    reasons = dict(skipped)
    assert "outside the folder" in reasons[str(feed / "outside.txt")]
    assert "link" in reasons[str(feed / "loop.txt")]


def test_ingest_summary_counts_each_article_once(folder, tmp_path, fake, capsys):
    # The folder holds 5 articles (one repeated) and 5 inputs that are not articles
    # (empty, binary, 3 bad JSON lines).  A second ingest of the same folder stores
    # nothing: every article is a duplicate, and a duplicate is not also "skipped".
    st = tmp_path / "s.gpkg"

    def counts(out: str) -> tuple[int, ...]:
        m = re.search(
            r"articles read: (\d+), added: (\d+), duplicates: (\d+); "
            r"other inputs skipped: (\d+)",
            out,
        )
        assert m, out
        return tuple(int(x) for x in m.groups())

    assert main(["ingest", str(folder), "--store", str(st), "--no-progress"]) == 6  # 5 skipped
    first = capsys.readouterr().out
    assert counts(first) == (5, 4, 1, 5)
    assert main(["ingest", str(folder), "--store", str(st), "--no-progress"]) == 6
    again = capsys.readouterr().out
    read, added, dups, other = counts(again)
    assert (read, added, dups, other) == (5, 0, 5, 5) and read == added + dups
    lines = again.splitlines()
    assert len([ln for ln in lines if ln.startswith("  duplicate ")]) == 5
    assert len([ln for ln in lines if ln.startswith("  skipped ")]) == 5
    assert not any(ln.startswith("  skipped ") and "duplicate" in ln for ln in lines)


def test_report_summary_counts_duplicates_once_through_the_python_api():
    from geomap.store import IngestReport

    rep = IngestReport(read=3, added=1, duplicates=2)
    rep.skipped = [("a.txt", "duplicate: article x is already in the store"),
                   ("b.txt", "duplicate: article y is already in the store"),
                   ("c.bin", "binary file")]
    text = rep.summary()
    assert text.splitlines()[0] == "articles read: 3, added: 1, duplicates: 2; other inputs skipped: 1"
    assert "  duplicate a.txt: article x is already in the store" in text
    assert "  skipped c.bin: binary file" in text and "skipped a.txt" not in text


# ------------------------------------------- issue 14 item 14: the exit status tells what was read

GOOD = "Published: 2025-10-02\n\nClashes near Parachinar killed four.\n"


def _inputs(tmp_path: Path, kinds: list[str]) -> list[str]:
    """One input per kind: good, good2, missing, empty, binary, nofolder, badjson, jsonl-mixed."""
    out = []
    for n, kind in enumerate(kinds):
        p = tmp_path / f"{n}-{kind}"
        if kind == "good":
            p = p.with_suffix(".txt")
            p.write_text(GOOD, encoding="utf-8")
        elif kind == "good2":
            p = p.with_suffix(".txt")
            p.write_text(GOOD.replace("four", "five"), encoding="utf-8")
        elif kind == "empty":
            p.write_bytes(b"")
        elif kind == "binary":
            p.write_bytes(b"\x00\x01\x02")
        elif kind == "nofolder":  # a folder holding no article
            p.mkdir()
            (p / "notes.pdf").write_bytes(b"%PDF")
        elif kind == "badjson":
            p = p.with_suffix(".jsonl")
            p.write_text('not json\n{"text": 5}\n', encoding="utf-8")
        elif kind == "jsonl-mixed":
            p = p.with_suffix(".jsonl")
            p.write_text('not json\n' + json.dumps({"text": GOOD}) + "\n", encoding="utf-8")
        out.append(str(p))  # "missing": never created
    return out


@pytest.mark.parametrize(
    ("kinds", "code", "stderr"),
    [
        (["missing"], 3, "no input could be read (1 skipped"),
        (["missing", "empty", "binary"], 3, "no input could be read (3 skipped"),
        (["nofolder"], 3, "no input could be read"),
        (["badjson"], 3, "no input could be read (2 skipped"),  # each bad line is an input
        (["good", "missing"], 6, "1 input(s) skipped"),
        (["jsonl-mixed"], 6, "1 input(s) skipped"),
        (["good", "good2", "empty", "nofolder"], 6, "2 input(s) skipped"),
        (["good"], 0, ""),
    ],
    ids=["missing", "all-unreadable", "empty-folder", "bad-jsonl", "partial", "jsonl-partial",
         "partial-2", "all-read"],
)
def test_ingest_exit_status_says_whether_inputs_were_skipped(tmp_path, capsys, kinds, code, stderr):
    st = tmp_path / "s.gpkg"
    args = ["ingest", *_inputs(tmp_path, kinds), "--store", str(st), "--no-progress"]
    assert main(args) == code
    cap = capsys.readouterr()
    assert "Traceback" not in cap.err
    if stderr:
        assert stderr in cap.err and cap.err.count("geomap: error") + cap.err.count(
            "geomap: warning") == 1
    else:
        assert "skipped" not in cap.err
    n_read = int(re.search(r"articles read: (\d+)", cap.out).group(1))
    assert (n_read == 0) == (code == 3)


def test_ingest_of_duplicates_only_is_no_failure(tmp_path, capsys):
    st = tmp_path / "s.gpkg"
    good = _inputs(tmp_path, ["good"])
    assert main(["ingest", *good, "--store", str(st), "--no-progress", "-q"]) == 0
    assert main(["ingest", *good, *good, "--store", str(st), "--no-progress", "-q"]) == 0
    assert "duplicates: 2; other inputs skipped: 0" in capsys.readouterr().out


def test_readme_documents_the_ingest_exit_codes():
    from geomap.errors import EXIT_CODES

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    table = readme.split("### Exit codes", 1)[1].split("\n\n", 2)[1]
    for code in EXIT_CODES.values():
        assert f"| {code} |" in table
    assert "`ingest`: no input could be read" in table
    assert f"| {EXIT_CODES['some inputs skipped']} | `ingest`: some inputs were skipped" in table
