"""Motive nouns and air power words (sentences written for these tests)."""

from geomap.articles import article_from_text
from geomap.pipeline import extract


def _types(text):
    res = extract(article_from_text("Published: 2026-04-16\n\n" + text))
    return sorted((e.type, e.certainty) for e in res.events)


def test_a_motive_is_no_event_of_its_own():
    assert _types("As a mark of protest, traders closed the Torkham border on Friday.") == [
        ("closure", "occurred")
    ]
    assert _types("The Taliban closed the Chaman crossing in protest against the visa rule.") == [
        ("closure", "occurred")
    ]


def test_an_event_after_in_is_still_an_event_when_it_is_no_motive():
    types = _types("Six soldiers were killed in clashes near the Kharlachi crossing on Friday.")
    assert ("clash", "occurred") in types


def test_planes_make_a_targeting_an_airstrike_and_air_is_a_whole_word():
    assert ("airstrike", "occurred") in _types(
        "Pakistani planes targeted areas in the Spera district of Khost province on Friday."
    )
    types = _types("Militants attacked a post near Chaman on Friday while repairs were under way.")
    assert ("airstrike", "occurred") not in types


def test_deportations_and_handovers_at_a_crossing_are_other_developments():
    types = _types("More than 900 Afghans were deported through the Torkham crossing on Thursday.")
    assert ("other", "occurred") in types
    types = _types("Pakistan handed over the Angoor Adda crossing to Afghan officials on Friday.")
    assert ("other", "occurred") in types
    # no crossing and no border noun: no border development
    assert _types("Police deported two men to Kabul on Thursday.") == []


def test_a_travel_document_rule_is_no_closure_and_leaves_the_crossing_open():
    res = extract(
        article_from_text(
            "Published: 2026-11-01\n\nCHAMAN: The government restricted crossing at the Chaman "
            "border to people with valid passports and visas from Sunday, officials said.\n"
        )
    )
    assert [(e.type, e.qualifier) for e in res.events] == [("other", "documents required")]
    assert {(s.crossing_id, s.status) for s in res.statements} == {("chaman_spin_boldak", "open")}


def test_stopping_movement_at_a_crossing_is_a_closure_but_stopping_trucks_is_not():
    assert ("closure", "occurred") in _types(
        "The Taliban stopped all movement at the Torkham crossing on Tuesday morning."
    )
    assert _types("Police stopped two trucks near Peshawar on Tuesday.") == []


def test_closed_to_one_kind_of_traffic_is_partial_and_says_what_passes_when_told():
    res = extract(
        article_from_text(
            "Published: 2026-10-14\n\nThe Torkham crossing was closed to trade on Monday.\n"
            "The Chaman crossing remained closed to trade, but pedestrians were allowed to cross.\n"
        )
    )
    got = {(s.crossing_id, s.status, s.qualifier) for s in res.statements}
    assert ("torkham", "partial", "closed to trade") in got
    assert ("chaman_spin_boldak", "partial", "pedestrians") in got


def test_a_shutter_down_strike_is_a_protest():
    assert _types("Traders held a shutter-down strike in Chaman on Monday.") == [
        ("protest", "occurred")
    ]


def test_an_incident_at_a_named_crossing_is_placed_there():
    res = extract(
        article_from_text(
            "Published: 2026-10-14\n\nBorder guards of the two countries clashed at the "
            "Torkham border on Monday.\n"
        )
    )
    clash = next(e for e in res.events if e.type == "clash")
    assert clash.location and clash.lat is not None


def test_people_and_trucks_let_through_is_a_full_reopening():
    res = extract(
        article_from_text(
            "Published: 2026-06-20\n\nPakistan on Saturday reopened the Torkham crossing, "
            "allowing thousands of people and trucks to cross, officials said.\n"
        )
    )
    assert {(s.status, s.qualifier) for s in res.statements} == {("open", None)}


def test_trade_suspended_with_its_subject_on_the_auxiliary_is_partial():
    res = extract(
        article_from_text(
            "Published: 2026-11-19\n\nTrade between Pakistan and Afghanistan via Torkham "
            "remained suspended Sunday as the strike of customs agents enters fourth day.\n"
        )
    )
    assert {(s.status, s.qualifier) for s in res.statements if s.crossing_id == "torkham"} == {
        ("partial", "closed to trade")
    }


def test_a_purpose_verb_still_plans_its_complement():
    types = _types("Pakistan aims to reopen the Chaman crossing next week.")
    assert types == [("reopening", "planned")]


def test_suspending_returnees_via_a_crossing_is_a_partial_closure():
    res = extract(
        article_from_text(
            "Published: 2026-09-14\n\nThe Taliban have suspended the return of Afghan citizens "
            "via the Torkham crossing point, a newspaper reported on Tuesday.\n"
        )
    )
    assert {(s.crossing_id, s.status, s.qualifier) for s in res.statements} == {
        ("torkham", "partial", "closed to refugees")
    }
