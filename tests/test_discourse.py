"""Discourse stage: one incident per real event, dates from the passage.

The pages are written for these tests in the shape of real border reporting
(headline, dateline, an event told three times, background); none is taken
from an outlet.
"""

import dataclasses
import datetime as dt

from geomap.articles import article_from_text
from geomap.events import anchor_events
from geomap.pipeline import extract
from geomap.schema import ACLED_TYPES, Event
from geomap.zones import page_zones

FACTS = ("occurred", "reported")


def _facts(text):
    res = extract(article_from_text(text))
    return [e for e in res.events if e.certainty in FACTS], res


def test_event_told_three_times_is_one_dated_incident():
    text = (
        "Published: 2026-11-18\n\n"
        "Pakistan shuts Torkham crossing after firing\n"
        "Published November 18, 2026\n"
        "KHYBER: Pakistani authorities closed the Torkham crossing on Tuesday after a "
        "gunfight between border guards.\n"
        "The closure left hundreds of trucks stranded on both sides, traders said.\n"
        "Officials said the crossing was closed as a precaution.\n"
    )
    facts, _ = _facts(text)
    closures = [e for e in facts if e.type == "closure"]
    assert len(closures) == 1
    assert closures[0].date == "2026-11-17"
    assert closures[0].crossings == ("Torkham",)
    assert all(e.date for e in facts)


def test_separate_events_on_two_days_stay_separate():
    text = (
        "Published: 2026-11-20\n\n"
        "KURRAM: Afghan and Pakistani forces clashed near the Kharlachi crossing on Monday.\n"
        "Troops of the two sides clashed again near the same crossing on Wednesday, "
        "officials said.\n"
    )
    facts, _ = _facts(text)
    clashes = sorted(e.date for e in facts if e.type == "clash")
    assert clashes == ["2026-11-16", "2026-11-18"]


def test_undated_mention_takes_the_narrative_time_with_a_vaguer_precision():
    text = (
        "Published: 2026-10-10\n\n"
        "CHAMAN: Pakistani and Afghan troops exchanged fire near the Friendship Gate on Thursday.\n"
        "Residents of nearby villages staged a protest against the shelling, a local elder said.\n"
    )
    facts, _ = _facts(text)
    protest = next(e for e in facts if e.type == "protest")
    assert protest.date == "2026-10-08"
    assert protest.time_precision == 2
    assert any("narrative time" in w or "same sentence" in w for w in protest.warnings)


def _event(i, etype, start, date=None, crossings=(), certainty="occurred", tp=None):
    acled = ACLED_TYPES[etype]
    return Event(
        id=f"a-e{i}",
        type=etype,
        event_type=acled[0],
        sub_event_type=acled[1],
        sentence="s",
        start=start,
        end=start + 10,
        date=date,
        date_precision="day" if date else None,
        time_precision=tp if tp is not None else (1 if date else None),
        certainty=certainty,
        crossings=tuple(crossings),
        scope="crossing" if crossings else "none",
        warnings=() if date else ("no date in the sentence; left empty",),
    )


PAGE = (
    "Crossing reopens after a week of closure\n"
    "LEDE one two three four five six seven.\n"
    "Body paragraph one two three four.\n"
    "Later paragraph one two three four five.\n"
)


def test_headline_mention_confirms_the_body_incident():
    zones = page_zones(PAGE)
    head = _event(1, "reopening", 0, crossings=("Torkham",))
    body = _event(2, "reopening", PAGE.index("LEDE"), date="2026-05-04")
    out = anchor_events([head, body], zones, published=dt.date(2026, 5, 5))
    assert len(out) == 1 and out[0].id == "a-e2"
    assert out[0].crossings == ("Torkham",)  # the headline's crossing fills the body mention


def test_non_facts_are_never_merged_or_dated():
    zones = page_zones(PAGE)
    dated = _event(1, "closure", PAGE.index("LEDE"), date="2026-05-01", crossings=("Chaman",))
    planned = _event(2, "closure", PAGE.index("Body"), certainty="planned", crossings=("Chaman",))
    out = anchor_events([dated, planned], zones, published=dt.date(2026, 5, 5))
    assert [e.id for e in out] == ["a-e1", "a-e2"]
    assert out[1].date is None


def test_a_passage_date_never_contradicts_a_stated_status_of_that_day():
    zones = page_zones(PAGE)
    reopened = _event(1, "reopening", PAGE.index("Body"), date="2026-05-04", crossings=("Torkham",))
    closed = _event(2, "closure", PAGE.index("Later"), crossings=("Torkham",))
    out = anchor_events([reopened, closed], zones, published=dt.date(2026, 5, 5))
    assert out[1].date is None
    assert "left empty" in out[1].warnings[-1]


def test_mentions_in_different_places_are_not_merged():
    zones = page_zones(PAGE)
    a = dataclasses.replace(
        _event(1, "airstrike", PAGE.index("LEDE"), date="2026-05-04"), location_id="adm1:AF.37"
    )
    b = dataclasses.replace(_event(2, "airstrike", PAGE.index("Body")), location_id="adm1:AF.14")
    out = anchor_events([a, b], zones, published=dt.date(2026, 5, 5))
    assert len(out) == 2 and out[1].date == "2026-05-04"


def test_counted_days_date_a_lasting_state_from_its_first_day():
    text = (
        "Published: 2026-11-19\n\n"
        "CHAMAN: The Chaman crossing remained closed for the fourth consecutive day on Thursday, "
        "leaving hundreds of trucks stranded.\n"
    )
    facts, _ = _facts(text)
    closure = next(e for e in facts if e.type == "closure")
    assert closure.date == "2026-11-16"  # Thursday the 19th is day 4
    assert any("counted back" in w for w in closure.warnings)


def test_a_closure_ended_by_a_reopening_is_counted_back_from_it():
    zones = page_zones(PAGE)
    start = PAGE.index("LEDE")
    sentence = "The crossing reopened on Monday after a three-day closure, officials said."
    reopening = dataclasses.replace(
        _event(1, "reopening", start, date="2026-11-23"), sentence=sentence
    )
    closure = dataclasses.replace(_event(2, "closure", start), sentence=sentence)
    out = anchor_events([reopening, closure], zones, published=dt.date(2026, 11, 24))
    assert out[1].date == "2026-11-20" and out[1].time_precision == 1
    assert "counted back 3 days from the reopening" in out[1].warnings[-1]


def test_count_lexicon_is_validated():
    import pytest

    from geomap.events.discourse import counts_from

    good = {
        "lasting_types": ["closure"],
        "posterior": ["later"],
        "elapsed_before": "remained",
        "lagging_types": ["talks"],
        "listed_types": ["clash"],
        "list_glue": ",",
        "anterior": ["after"],
        "ordinals": {"second": 2},
        "counts": {"two": 2},
        "patterns": {
            "nth_day": ["{n} day"],
            "c_days": ["{c} days"],
            "digits": {"ordinal": "\\d+th", "count": "\\d+"},
        },
    }
    assert counts_from(good).numbers["second"] == 2
    for broken, msg in (
        ({**good, "lasting_types": ["riot"]}, "lasting_types"),
        ({**good, "ordinals": {"second": 0}}, r"\[ordinals\] second"),
        ({**good, "patterns": {**good["patterns"], "nth_day": ["day"]}}, "has no"),
    ):
        with pytest.raises(ValueError, match=msg) as err:
            counts_from(broken)
        assert "discourse.toml" in str(err.value)


def test_the_border_of_a_one_crossing_article_is_that_crossing():
    text = (
        "Published: 2026-09-10\n\n"
        "Border in Chaman stays shut\n"
        "CHAMAN: The border gate was closed on Tuesday after a protest by traders, "
        "officials said.\n"
    )
    _, res = _facts(text)
    named = [s for s in res.statements if s.scope == "named"]
    assert [(s.name, s.status) for s in named] == [("Chaman–Spin Boldak", "closed")]


def test_the_dateline_day_is_the_ledes_time():
    text = (
        "Published: 2026-11-29\n\n"
        "Ghulam Khan crossing reopened\n"
        "KHOST, (Agency - 28th Nov, 2026 ) :The Ghulam Khan crossing was reopened to traffic "
        "after two weeks, a local official said.\n"
    )
    facts, _ = _facts(text)
    reopening = next(e for e in facts if e.type in ("reopening", "partial_reopening"))
    assert reopening.date == "2026-11-28"


def test_dateline_date_span():
    from geomap.zones import dateline_date

    for text, want in (
        ("PESHAWAR, Feb 20 (Agency): Forces exchanged fire.", "Feb 20"),
        ("Islamabad, July 21 (Agency).— Protesters ended a sit-in.", "July 21"),
        ("WANA, (Agency - 28th Nov, 2026 ) :The route was reopened.", "28th Nov, 2026"),
        ("KHOST: Two shells landed on Monday.", None),
        ("Pakistan on Saturday opened the crossing: officials said.", None),
    ):
        span = dateline_date(text, page_zones(text))
        assert (text[span[0] : span[1]] if span else None) == want


def test_a_date_written_before_moves_the_narrative_time():
    text = (
        "Published: 2026-11-25\n\n"
        "On Friday, Afghan officials objected to new construction near the gate at Torkham.\n"
        "In protest, they closed the border for all traffic, traders said.\n"
    )
    facts, _ = _facts(text)
    closure = next(e for e in facts if e.type == "closure")
    assert closure.date == "2026-11-20"  # the Friday written in the sentence before
    assert closure.time_precision >= 2  # placed from its passage, not from its own words


def test_the_sentences_own_unused_date_dates_its_mention():
    text = (
        "Published: 2026-03-19\n\n"
        "Pakistan says no civilians were hurt\n"
        "The Taliban said in a statement on Monday that Pakistani jets bombed two villages "
        "in Paktika province.\n"
    )
    facts, _ = _facts(text)
    strike = next(e for e in facts if e.type == "airstrike")
    assert strike.date == "2026-03-16"


def test_a_demand_that_a_crossing_should_open_is_no_status():
    text = (
        "Published: 2026-06-28\n\n"
        "A consul said patients should be allowed through the Torkham crossing on "
        "humanitarian grounds.\n"
    )
    _, res = _facts(text)
    assert not [s for s in res.statements if s.certainty in FACTS]


def test_a_vague_reopening_is_the_restricted_one_of_the_same_day():
    text = (
        "Published: 2026-07-15\n\n"
        "The Ghulam Khan crossing was reopened for freight vehicles on Wednesday, officials said.\n"
        "The crossing, which had been closed for nearly two weeks, reopened this morning.\n"
    )
    _, res = _facts(text)
    named = {
        (s.status, s.since)
        for s in res.statements
        if s.crossing_id == "ghulam_khan" and s.since == "2026-07-15"
    }
    assert named == {("partial", "2026-07-15")}


def test_a_background_closure_told_before_a_dated_reopening_is_not_after_it():
    zones = page_zones(PAGE)
    closed = _event(1, "closure", PAGE.index("Body"), crossings=("Chaman–Spin Boldak",))
    reopened = _event(
        2,
        "partial_reopening",
        PAGE.index("Later"),
        date="2026-07-29",
        crossings=("Chaman–Spin Boldak",),
    )
    protest = _event(3, "protest", PAGE.index("LEDE"), date="2026-07-30")
    out = anchor_events([protest, closed, reopened], zones, published=dt.date(2026, 8, 1))
    closure = next(e for e in out if e.type == "closure")
    assert closure.date is None and "after the stated day" in closure.warnings[-1]


def test_a_mention_told_as_later_takes_no_day_from_its_passage():
    text = (
        "Published: 2026-03-07\n\n"
        "PESHAWAR: The Ghulam Khan crossing was closed to trade on June 15, 2025, "
        "officials recalled.\n"
        "The border was later opened for the return of displaced families.\n"
    )
    facts, _ = _facts(text)
    later = [e for e in facts if e.type in ("reopening", "partial_reopening")]
    assert later and later[0].date is None
    assert "its day is not told" in later[0].warnings[-1]


def test_details_of_a_dated_full_reopening_are_that_reopening():
    text = (
        "Published: 2026-08-16\n\n"
        "KHYBER: The Torkham crossing reopened for pedestrians and traffic on Thursday "
        "after a three-day closure.\n"
        "Pedestrians who were stranded at the border were permitted to cross.\n"
        "Customs officials said trucks carrying export cargo crossed into Afghanistan.\n"
    )
    _, res = _facts(text)
    rows = {(s.status, s.since) for s in res.statements if s.crossing_id == "torkham"}
    assert ("open", "2026-08-13") in rows
    assert not [r for r in rows if r[0] == "partial"]


def test_a_closure_of_one_kind_of_traffic_is_partial_and_does_not_restrict_a_full_one():
    trade_only = (
        "Published: 2026-02-04\n\n"
        "KHYBER - Trade between the two countries via Torkham remained suspended on Tuesday, "
        "customs officials said.\n"
    )
    _, res = _facts(trade_only)
    assert {(s.status, s.qualifier) for s in res.statements if s.crossing_id == "torkham"} == {
        ("partial", "closed to trade")
    }
    full = (
        "Published: 2026-02-04\n\n"
        "CHAMAN: The Chaman crossing remained closed for the third consecutive day on Tuesday.\n"
        "All trade activities at the crossing remained suspended, traders said.\n"
    )
    _, res = _facts(full)
    assert {s.status for s in res.statements if s.crossing_id == "chaman_spin_boldak"} == {"closed"}


def test_a_planned_length_is_not_an_age():
    text = (
        "Published: 2026-10-20\n\n"
        "LANDI KOTAL: Border guards closed the Torkham crossing for two days on Friday "
        "for the elections, an official said.\n"
    )
    facts, _ = _facts(text)
    assert next(e for e in facts if e.type == "closure").date == "2026-10-16"


def test_talks_that_led_to_an_incident_get_its_month_only():
    text = (
        "Published: 2026-05-20\n\n"
        "KHYBER: The Torkham crossing reopened on Monday, officials said.\n"
        "The dispute was resolved following discussions between the two sides' commanders.\n"
    )
    facts, _ = _facts(text)
    talks = next(e for e in facts if e.type == "talks")
    assert (talks.date, talks.date_precision, talks.time_precision) == ("2026-05", "month", 3)


def test_a_weekday_fact_is_not_after_its_report():
    zones = page_zones(PAGE)
    e = dataclasses.replace(
        _event(1, "closure", PAGE.index("LEDE"), date="2026-02-04", crossings=("Torkham",)),
        date_text="on Wednesday",
    )
    out = anchor_events([e], zones, published=dt.date(2026, 1, 28))
    assert out[0].date == "2026-01-28"


def test_a_headline_closure_counted_back_from_the_reopening_it_ended():
    text = (
        "Published: 2026-05-20\n\n"
        "Torkham Crossing Reopened After Three-Day Closure\n"
        "Monday, 05/20/2026\n"
        "KHYBER: The gates of the Torkham crossing were opened early on Monday, officials said.\n"
    )
    facts, _ = _facts(text)
    closure = next(e for e in facts if e.type == "closure")
    assert closure.date == "2026-05-15"  # three days before Monday the 18th


def test_an_unplaced_incident_is_at_the_site_of_its_sentences_incident():
    text = (
        "Published: 2026-06-18\n\n"
        "The border at Torkham was closed on June 12 after troops of both countries traded fire.\n"
    )
    facts, _ = _facts(text)
    clash = next(e for e in facts if e.type == "clash")
    assert clash.location == "Torkham" and clash.date == "2026-06-12"


def test_a_re_mention_with_a_finer_place_places_the_incident():
    from geomap.events.place import finer_location

    zones = page_zones(PAGE)
    coarse = dataclasses.replace(
        _event(1, "airstrike", PAGE.index("LEDE"), date="2026-12-24"),
        location="Afghanistan",
        location_id="country:AF",
        country="AF",
    )
    fine = dataclasses.replace(
        _event(2, "airstrike", PAGE.index("Body")),
        location="Barmal",
        location_id="adm2:AF.29.02",
        country="AF",
    )
    assert finer_location(coarse, fine) and not finer_location(fine, coarse)
    out = anchor_events([coarse, fine], zones, published=dt.date(2026, 12, 25))
    assert [e.location for e in out] == ["Barmal"]


def test_an_incident_at_a_list_of_places_is_one_event_per_place():
    text = (
        "Published: 2026-03-18\n\n"
        "The Taliban said Pakistani jets bombed Paktika and Khost provinces on Monday.\n"
    )
    facts, _ = _facts(text)
    strikes = [e for e in facts if e.type == "airstrike"]
    assert sorted(e.location for e in strikes) == ["Khost", "Paktika"]
    assert len({e.id for e in strikes}) == 2


def test_a_definite_generic_re_mention_of_violence_joins_the_incident_whatever_its_word():
    text = (
        "Published: 2026-12-25\n\n"
        "Pakistan launched airstrikes on militant hideouts in Barmal district of Paktika on Tuesday.\n"
        "Local sources said the strikes on December 22 hit seven villages.\n"
        "Residents said the bombing killed civilians.\n"
    )
    facts, _ = _facts(text)
    assert [e.type for e in facts] == ["airstrike"]


def test_a_dateline_day_is_the_reference_for_the_reports_weekdays():
    text = (
        "Published: 2024-10-14\n\n"
        "KABUL, October 5, 2024 (Agency) - Pakistani forces closed the Torkham crossing "
        "on Thursday, officials said.\n"
    )
    facts, _ = _facts(text)
    assert next(e for e in facts if e.type == "closure").date == "2024-10-03"


def test_a_count_of_days_is_read_from_the_day_its_sentence_reports():
    text = (
        "Published: 2026-11-19\n\n"
        "Trade via Torkham remained suspended on Sunday as the traders' strike entered "
        "its fourth consecutive day.\n"
    )
    facts, _ = _facts(text)
    assert next(e for e in facts if e.type == "protest").date == "2026-11-12"
