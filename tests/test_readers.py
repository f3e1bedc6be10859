"""One reader for every command (issue 14 item 15).

``build``, ``extract``, ``status`` and ``ingest`` read a saved HTML page by its
main text and a ``.jsonl`` feed by line, as ``ingest`` always did; none of them
reads markup or JSON as article text.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geomap.articles import iter_articles, read_article, read_articles
from geomap.cli import main

PAGE = """<!doctype html><html><head><title>Chaman shut</title>
<meta property="article:published_time" content="2025-10-14">
<link rel="canonical" href="https://news.example.org/2025/10/14/chaman-shut">
<script>var tracking = {"id": 42};</script></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Chaman shut</h1>
<p>Pakistani officials closed the Chaman border crossing on Monday after clashes near
Spin Boldak, traders in Quetta said.</p>
<p>Hundreds of trucks loaded with fruit were stranded on the road to Kandahar.</p></article>
<footer><p>&copy; 2025 Example News &lt;all rights reserved&gt;</p></footer></body></html>"""

FEED = [
    {"text": "The Torkham crossing was closed on Sunday after firing near Landi Kotal.",
     "published": "2025-10-12", "title": "Torkham closed", "url": "https://x.example/a"},
    {"text": "The Torkham crossing reopened for trade on Thursday, officials said.",
     "published": "2025-10-23", "title": "Torkham reopens"},
]

SCRIPT_ONLY = "<html><head><script>var torkham = 1;</script></head><body></body></html>"
MARKUP = ("<", ">", "&lt;", "&copy;", "href", "tracking", '{"text"', '"published"')


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, Path]:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    upper = tmp_path / "PAGE2.HTM"
    upper.write_text(PAGE.replace("Monday", "Tuesday"), encoding="utf-8")
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(r) for r in FEED) + "\n\n", encoding="utf-8")
    one = tmp_path / "one.jsonl"
    one.write_text(json.dumps(FEED[0]) + "\n", encoding="utf-8")
    return {"page": page, "upper": upper, "feed": feed, "one": one}


def _no_markup(text: str) -> None:
    for bit in MARKUP:
        assert bit not in text, f"{bit!r} read as article text: {text[:200]!r}"


@pytest.mark.parametrize("kind", ["page", "upper", "feed", "one"])
def test_every_command_reads_an_input_as_ingest_does(inputs, kind):
    path = inputs[kind]
    by_ingest = [(a.id, a.published, a.title, a.url) for a in iter_articles([path])]
    by_build = [(a.id, a.published, a.title, a.url) for a in read_articles([path])]
    assert by_build == by_ingest and by_ingest
    for a in read_articles([path]):
        _no_markup(a.text)
    if len(by_ingest) == 1:  # extract reads a file holding one article
        a = read_article(path)
        assert (a.id, a.published, a.title, a.url) == by_ingest[0]


def test_extract_json_of_a_saved_page_has_its_text_date_and_title(inputs, capsys):
    assert main(["extract", str(inputs["page"]), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["article"]["title"] == "Chaman shut"
    article = doc["article"]
    assert (article["published"], article["published_source"]) == ("2025-10-14", "header")
    assert any(p["name"] == "Chaman–Spin Boldak" or "Chaman" in p["mention"] for p in doc["places"])
    for item in doc["places"] + doc["events"]:
        _no_markup(item["sentence"])


def test_build_of_a_page_and_a_feed_maps_their_text_not_their_markup(inputs, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(inputs["page"]), str(inputs["feed"]), "-o", str(out), "-q"]) == 0
    events = json.loads((out / "events.geojson").read_text(encoding="utf-8"))["features"]
    places = json.loads((out / "places.geojson").read_text(encoding="utf-8"))["features"]
    assert events and places
    for f in events + places:
        _no_markup(f["properties"]["sentence"])
    assert {f["properties"]["published"] for f in events} >= {"2025-10-14", "2025-10-12"}


def test_status_reads_every_article_of_a_feed(inputs, capsys):
    def torkham(day: str) -> str:
        assert main(["status", str(inputs["feed"]), "--as-of", day, "--json"]) == 0
        doc = json.loads(capsys.readouterr().out)
        return next(c["status"] for c in doc["crossings"] if c["crossing_id"] == "torkham")

    # closed by the first line, reopened (for trade) by the second
    assert (torkham("2025-10-13"), torkham("2025-10-24")) == ("closed", "partial")


def test_build_and_status_read_a_folder_like_ingest(inputs, tmp_path, capsys):
    folder = inputs["page"].parent
    n = len(list(iter_articles([folder])))
    assert n == 1 + 1 + 2 + 1  # page, PAGE2.HTM, two feed lines, one.jsonl
    assert len(read_articles([folder])) == n
    assert main(["status", str(folder), "--json"]) == 0


@pytest.mark.parametrize(
    ("content", "name", "command", "words"),
    [
        ("\n".join(json.dumps(r) for r in FEED), "two.jsonl", "extract", "holds 2 articles"),
        ("\n\n", "blank.jsonl", "extract", "holds 0 articles"),
        ("\n\n", "blank.jsonl", "build", "no article found"),
        (json.dumps(FEED[0]) + "\nnot json\n", "bad.jsonl", "build", "bad.jsonl:2: not a JSON"),
        ('{"text": 5}\n', "bad.jsonl", "status", 'expected an object with a "text" string'),
        (SCRIPT_ONLY, "empty.html", "build", "no article text"),
        (SCRIPT_ONLY, "empty.htm", "extract", "no article text"),
        ("\x00\x01<html>", "bin.html", "build", "binary"),
    ],
)
def test_an_input_that_is_no_article_is_one_error_line_and_nothing_is_written(
    tmp_path, capsys, content, name, command, words
):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "map.html").write_text("earlier", encoding="utf-8")
    argv = {"extract": ["extract", str(path), "--json"],
            "build": ["build", str(path), "-o", str(out)],
            "status": ["status", str(path)]}[command]
    assert main(argv) == 3
    err = capsys.readouterr().err
    assert err.startswith("geomap: error:") and words in err and name in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert sorted(p.name for p in out.iterdir()) == ["map.html"]
    assert (out / "map.html").read_text(encoding="utf-8") == "earlier"


def test_a_bad_published_date_in_a_feed_is_a_usage_error_for_build(tmp_path, capsys):
    feed = tmp_path / "f.jsonl"
    feed.write_text(json.dumps({"text": "Torkham closed.", "published": "soon"}) + "\n",
                    encoding="utf-8")
    assert main(["build", str(feed), "-o", str(tmp_path / "out")]) == 2
    assert "f.jsonl:1" in capsys.readouterr().err


def test_a_fifo_named_jsonl_is_refused_not_waited_on(tmp_path):
    import os

    fifo = tmp_path / "feed.jsonl"
    os.mkfifo(fifo)
    skipped: list[tuple[str, str]] = []
    assert list(iter_articles([fifo], skipped=skipped)) == []
    assert "not a regular file" in skipped[0][1]
