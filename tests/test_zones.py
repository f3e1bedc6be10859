"""Page zones: headline, bylines, furniture and body of a saved news page.

Every page below is written for these tests in the shape of real saved pages
(masthead, headline printed twice, byline, publication line, caption,
embedded post, share bar, teaser); none is taken from an outlet.
"""

import datetime as dt

import pytest

from geomap import zones
from geomap.zones import cues_from, masked_text, page_zones, publication_date, sentence_starts

PAGE = """The Frontier Courier
Latest Updates and Breaking News
Traders stranded as Torkham stays shut for second day
Traders stranded as Torkham stays shut for second day
By Staff Reporter
Published November 12, 2026 | 10:05 AM
Trucks wait at the Torkham crossing on Wednesday. Photo: File
Trucks wait at the Torkham crossing on Wednesday. Photo: File
LANDI KOTAL: The Torkham crossing remained closed for a second day on Wednesday, officials said.
Hundreds of trucks were stranded on both sides.
— Border Desk (@borderdesk) November 12, 2026 pic.twitter.com/abc123
Share: facebook twitter whatsapp email
Exporters demand new corridor for fruit trade
Customs officials said clearance would resume once the gate
"""


def _kinds(text):
    return [(z.kind, text[z.start : z.end]) for z in page_zones(text)]


def test_page_furniture_byline_headline_and_body():
    kinds = _kinds(PAGE)
    got = dict((t, k) for k, t in kinds)
    assert got["The Frontier Courier"] == "furniture"  # masthead: a short line before the report
    assert got["Latest Updates and Breaking News"] == "furniture"
    assert kinds[2] == ("headline", "Traders stranded as Torkham stays shut for second day")
    assert kinds[3][0] == "furniture"  # the headline printed again
    assert got["By Staff Reporter"] == "byline"
    assert got["Published November 12, 2026 | 10:05 AM"] == "byline"
    assert got["Trucks wait at the Torkham crossing on Wednesday. Photo: File"] == "furniture"
    assert got["Hundreds of trucks were stranded on both sides."] == "body"
    assert got["Share: facebook twitter whatsapp email"] == "furniture"
    assert (
        got["Exporters demand new corridor for fruit trade"] == "headline"
    )  # a teaser after the report
    # the page stops mid-sentence: the cut paragraph is still the report
    assert got["Customs officials said clearance would resume once the gate"] == "body"
    embedded = [k for k, t in kinds if t.startswith("— Border Desk")]
    assert embedded == ["furniture"]


def test_masked_text_keeps_offsets_and_blanks_only_furniture_and_bylines():
    page = page_zones(PAGE)
    masked = masked_text(PAGE, page)
    assert len(masked) == len(PAGE)
    assert [i for i, c in enumerate(PAGE) if c == "\n"] == [
        i for i, c in enumerate(masked) if c == "\n"
    ]
    assert (
        "Published" not in masked and "Staff Reporter" not in masked and "pic.twitter" not in masked
    )
    assert "LANDI KOTAL: The Torkham crossing remained closed" in masked
    assert masked.count("Traders stranded as Torkham") == 1
    starts = sentence_starts(page)
    assert PAGE.index("LANDI KOTAL") in starts and PAGE.index("Traders stranded") in starts


def test_hard_wrapped_paragraph_is_one_body_zone_run():
    text = (
        "PESHAWAR, Nov 3 (Agency): Border guards of the two countries\n"
        "exchanged fire near the Kharlachi crossing\n"
        "on Monday, a local official said.\n"
    )
    page = page_zones(text)
    assert [z.kind for z in page] == ["body", "body", "body"]
    # continuation lines are not sentence starts: the wrapped sentence stays whole
    assert sentence_starts(page) == [0]


def test_crawler_stamp_and_dated_prefix_are_furniture_before_the_lede():
    text = (
        " date 2026-03-02 KHOST: Two mortar shells landed in a village near the border on Sunday.\n"
    )
    page = page_zones(text)
    assert page[0].kind == "furniture" and text[page[0].start : page[0].end].startswith(
        "date 2026-03-02"
    )
    assert page[1].kind == "body" and text[page[1].start :].startswith("KHOST:")
    text2 = "3 Mar 2026 - Taliban shut the Angoor Adda gate for pedestrians\n"
    page2 = page_zones(text2)
    assert page2[0].kind == "byline" and page2[1].kind == "headline"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Published June 14, 2026", dt.date(2026, 6, 14)),
        ("(Last Updated On: August 22, 2026)", dt.date(2026, 8, 22)),
        ("Monday, 05/10/2026", dt.date(2026, 10, 5)),  # day-first, as written in Pakistan
        ("Monday, 05/20/2026", dt.date(2026, 5, 20)),  # second number above 12: a US-style line
        ("Posted: Oct 5, 2026", dt.date(2026, 10, 5)),
    ],
)
def test_publication_line_gives_the_page_date(line, expected):
    text = (
        f"Crossing reopens after talks\n{line}\nThe crossing reopened on Monday, officials said.\n"
    )
    page = page_zones(text)
    assert [z.kind for z in page] == ["headline", "byline", "body"]
    assert publication_date(text, page) == expected


def test_a_dated_sentence_of_the_report_is_no_publication_line():
    text = "Talks were held in Kabul on June 14, 2026 between the two delegations.\n"
    assert [z.kind for z in page_zones(text)] == ["body"]
    assert publication_date(text, page_zones(text)) is None


def test_one_paragraph_text_is_all_body():
    text = "The Chaman crossing was closed on Friday after a clash. It reopened on Sunday."
    assert [z.kind for z in page_zones(text)] == ["body"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, r"\[furniture\] lines"),
        ({"furniture": {"lines": ["x"], "prefixes": ["("]}}, r"bad pattern"),
        ({"furniture": {"lines": ["a", "a"], "prefixes": ["b"]}}, r"duplicate"),
        ({"furniture": {"lines": ["a"], "prefixes": [3]}}, r"non-empty list of strings"),
    ],
)
def test_lexicon_validation_names_file_and_key(data, message):
    with pytest.raises(ValueError, match=message) as err:
        cues_from(data)
    assert "page_zones.toml" in str(err.value)


def test_shipped_lexicon_loads():
    zones._cues.cache_clear()
    assert zones._cues().min_words <= zones._cues().max_words


def test_reference_date_comes_from_the_publication_line_without_a_header():
    from geomap.articles import article_from_text

    text = (
        "Wednesday, December 2, 2026\n"  # the masthead's day the page was viewed
        "Chaman crossing reopens for pedestrians\n"
        "Our Correspondent Published November 27, 2026 - Updated November 28, 2026\n"
        "CHAMAN: The crossing reopened for pedestrians on Thursday, officials said.\n"
    )
    a = article_from_text(text)
    assert (a.published, a.published_source) == (dt.date(2026, 11, 27), "page")
    assert any("publication line" in w for w in a.warnings)


def test_closing_sections_are_furniture_and_a_pasted_twice_body_keeps_its_first_copy():
    page = (
        "Torkham reopens after talks\n"
        "KHYBER: The Torkham crossing reopened on Monday after talks between commanders.\n"
        "Traders welcomed the decision.\n"
        "Comments (3)\n"
        "Ali: The Chaman crossing was closed again yesterday, shame.\n"
        "Most Read\n"
        "Ghulam Khan crossing closed after firing\n"
    )
    kinds = _kinds(page)
    assert [k for k, t in kinds if t.startswith("Ali:")] == ["furniture"]
    assert [k for k, t in kinds if t.startswith("Ghulam Khan")] == ["furniture"]
    twice = (
        "Border forces clash near Kharlachi\n"
        "KURRAM: Border forces of the two countries exchanged fire near Kharlachi on Friday.\n"
        "KURRAM: Border forces of the two countries exchanged fire near Kharlachi on Friday.\n"
    )
    assert [k for k, _ in _kinds(twice)] == ["headline", "body", "furniture"]
