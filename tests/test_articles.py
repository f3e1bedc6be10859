from __future__ import annotations

import datetime as dt

import pytest

from geomap.articles import article_from_text, infer_published, read_article
from geomap.errors import ArticleError, GeomapError, InputError


def test_published_header_sets_reference_date_and_is_removed_from_text(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("Published: 2025-10-13\nTorkham was closed on Sunday.\n", encoding="utf-8")
    a = read_article(p)
    assert a.published == dt.date(2025, 10, 13)
    assert a.published_source == "header"
    assert a.text.startswith("Torkham was closed")


def test_option_overrides_header():
    a = article_from_text("Published: 2025-10-13\nText.", published=dt.date(2024, 1, 2))
    assert (a.published, a.published_source) == (dt.date(2024, 1, 2), "option")


def test_reference_date_inferred_from_latest_full_date_and_said():
    a = article_from_text("Talks began on 2 March 2024. They resumed on Thursday, November 6, 2025, in Doha.")
    assert a.published == dt.date(2025, 11, 6)
    assert a.published_source == "inferred"
    assert any("inferred" in w for w in a.warnings)


def test_no_date_at_all_is_said_not_guessed():
    a = article_from_text("Clashes erupted near the border last week.")
    assert a.published is None and a.published_source == "none"
    assert a.warnings


def test_bad_published_header_is_an_input_error():
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        article_from_text("Published: yesterday\nText.")


def test_id_is_content_hash_independent_of_file_name(tmp_path):
    (tmp_path / "x.txt").write_text("Same text.\n", encoding="utf-8")
    (tmp_path / "y.txt").write_text("Same text.\r\n", encoding="utf-8")
    a, b = read_article(tmp_path / "x.txt"), read_article(tmp_path / "y.txt")
    assert a.id == b.id and len(a.id) == 16


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"", "empty"),
        (b"   \n\t\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"\xff\x81\x8d\x90 caf\xe9", "cannot be decoded"),
    ],
)
def test_unreadable_articles_raise_one_line_error_naming_the_file(tmp_path, content, message):
    p = tmp_path / "bad.txt"
    if content is not None:
        p.write_bytes(content)
    with pytest.raises(ArticleError) as info:
        read_article(p)
    text = str(info.value)
    assert message in text and str(p) in text and "\n" not in text
    assert isinstance(info.value, GeomapError) and isinstance(info.value, OSError)


def test_directory_is_refused(tmp_path):
    with pytest.raises(ArticleError, match="directory"):
        read_article(tmp_path)


def test_utf16_with_bom_and_cp1252_are_decoded(tmp_path):
    (tmp_path / "u16.txt").write_bytes("Published: 2025-01-02\nKabul – Torkham".encode("utf-16"))
    (tmp_path / "w.txt").write_bytes("Caf\xe9 in Peshawar \x96 closed".encode("latin-1"))
    assert read_article(tmp_path / "u16.txt").text == "Kabul – Torkham"
    w = read_article(tmp_path / "w.txt")
    assert "Café" in w.text and "–" in w.text
    assert any("Windows-1252" in n for n in w.warnings)


def test_infer_published_ignores_partial_dates():
    assert infer_published("On October 12 the crossings closed; in 2024 they had not.") is None


@pytest.mark.parametrize(
    ("header", "published", "source"),
    [
        ("URL: https://news.example/2026/11/24/torkham-closed", dt.date(2026, 11, 24), "url"),
        ("URL: https://news.example/w/2026-11-24-torkham.html", dt.date(2026, 11, 24), "url"),
        # a Published: line outranks the URL's date
        (
            "Published: 2026-11-25\nURL: https://news.example/2026/11/24/x",
            dt.date(2026, 11, 25),
            "header",
        ),
        # year/month only, an impossible day, or a date outside the path: not a reference date
        ("URL: https://news.example/2026/11/torkham", dt.date(2026, 10, 1), "inferred"),
        ("URL: https://news.example/2026/13/45/x", dt.date(2026, 10, 1), "inferred"),
        ("URL: https://news.example/a?d=2026/11/24", dt.date(2026, 10, 1), "inferred"),
    ],
)
def test_dated_url_header_is_the_reference_date_after_published(header, published, source):
    a = article_from_text(f"{header}\n\nTorkham closed on Monday, weeks after 1 October 2026.")
    assert (a.published, a.published_source) == (published, source)
    assert a.text.startswith("Torkham")


def test_option_outranks_a_dated_url():
    a = article_from_text(
        "URL: https://news.example/2026/11/24/x\n\nText.", published=dt.date(2026, 1, 2)
    )
    assert (a.published, a.published_source) == (dt.date(2026, 1, 2), "option")


def test_size_limit_message_states_the_limit_in_mib_as_the_readme_does(tmp_path):
    from pathlib import Path

    from geomap.articles import MAX_BYTES

    p = tmp_path / "big.txt"
    p.write_bytes(b"a" * (2 * 1024 * 1024 + 1))
    with pytest.raises(ArticleError, match=r"larger than the 2 MiB limit"):
        read_article(p, max_bytes=2 * 1024 * 1024)
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert MAX_BYTES == 5 * 1024 * 1024 and "larger than 5 MiB" in readme


@pytest.mark.parametrize("key", ["Date", "Published", "date"])
def test_bad_date_header_message_names_the_line_as_written(key):
    with pytest.raises(InputError, match=rf"'{key}:' line must be a YYYY-MM-DD date"):
        article_from_text(f"{key}: 26-11-2026\n\nTorkham closed.")


@pytest.mark.parametrize(
    ("url", "published", "source", "warning"),
    [
        # the text's dates are decades later: the path's date is not the publication date
        ("https://x.org/news/1957/12/05/clash", dt.date(2026, 11, 3), "inferred", "URL's date 1957-12-05"),
        # a publication date that has not happened yet
        ("https://x.org/2099/01/01/clash", dt.date(2026, 11, 3), "inferred", "URL's date 2099-01-01 is after today"),
        # a full date within a year of the URL's: consistent, no warning
        ("https://x.org/2026/11/24/clash", dt.date(2026, 11, 24), "url", None),
        ("https://x.org/2026/02/01/clash", dt.date(2026, 2, 1), "url", None),
    ],
)
def test_url_date_is_checked_against_today_and_the_texts_full_dates(url, published, source, warning):
    a = article_from_text(
        f"URL: {url}\n\nForces clashed near Torkham on 3 November 2026, officials said on Monday."
    )
    assert (a.published, a.published_source) == (published, source)
    url_notes = [w for w in a.warnings if "URL" in w]
    if warning is None:
        assert url_notes == []
    else:
        assert len(url_notes) == 1 and warning in url_notes[0]


def test_url_date_is_kept_with_a_warning_when_the_text_only_cites_older_dates():
    a = article_from_text(
        "URL: https://x.org/2026/11/24/x\n\nThe line was agreed on 12 November 1923. Torkham closed on Monday."
    )
    assert (a.published, a.published_source) == (dt.date(2026, 11, 24), "url")
    assert any("more than a year earlier (latest 1923-11-12)" in w for w in a.warnings)


def test_every_published_source_is_in_the_schema():
    import json
    from pathlib import Path

    from geomap.schema import PUBLISHED_SOURCES

    schema = json.loads(
        (Path(__file__).resolve().parents[1] / "geomap" / "extract.schema.json").read_text(encoding="utf-8")
    )
    enum = schema["properties"]["article"]["properties"]["published_source"]["enum"]
    assert tuple(enum) == PUBLISHED_SOURCES
    made = {
        article_from_text("Published: 2026-11-24\n\nText.").published_source,
        article_from_text("URL: https://x.org/2026/11/24/x\n\nText.").published_source,
        article_from_text("Text.", published=dt.date(2026, 11, 24)).published_source,
        article_from_text("Text of 24 November 2026.").published_source,
        article_from_text("Border reopens\nPublished November 24, 2026\nText.").published_source,
        article_from_text("Text.").published_source,
    }
    assert made == set(PUBLISHED_SOURCES)


@pytest.mark.parametrize(
    "url",
    ["http://[::1/2026/11/24/x", "https://x.org/9999/99/99/x", "https://x.org/1899/12/31/x", "//", "https://x.org/2026/02/30/x"],
)
def test_odd_urls_never_raise_and_fall_back_to_the_text(url, tmp_path, capsys):
    from geomap.cli import main

    art = tmp_path / "a.txt"
    art.write_text(f"URL: {url}\n\nTorkham closed on 3 November 2026.\n", encoding="utf-8")
    assert main(["extract", str(art)]) == 0
    assert "published 2026-11-03 (inferred)" in capsys.readouterr().out
