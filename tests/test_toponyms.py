"""Known-answer tests for toponym recognition (real spaCy model, real gazetteer)."""

from __future__ import annotations

import logging

import pytest

from geomap.toponyms import find_coordinates, find_toponyms, parse, script_share


def _mentions(text: str) -> dict[str, str]:
    return {m.text: m.label for m in find_toponyms(parse(text))}


def test_torkham_misspelling_is_found_and_designator_trimmed() -> None:
    text = "Trucks queued at the Torkhum border crossing near Landi Kotal on Monday."
    found = _mentions(text)
    assert "Torkhum" in found
    assert "Landi Kotal" in found
    assert not any("crossing" in t for t in found)


def test_person_named_like_a_crossing_is_not_a_place() -> None:
    text = "Ghulam Khan, a transporter from Bannu, said the Ghulam Khan crossing was shut."
    ms = find_toponyms(parse(text))
    starts = [m.start for m in ms if m.text == "Ghulam Khan"]
    assert starts == [text.index("Ghulam Khan crossing")]
    assert "Bannu" in {m.text for m in ms}


def test_titled_person_is_not_a_place() -> None:
    ms = find_toponyms(parse("Gen. Chaman addressed the troops in Quetta."))
    assert [m.text for m in ms] == ["Quetta"]


def test_demonym_adjective_is_a_country_reference_but_plural_noun_is_not() -> None:
    ms = find_toponyms(parse("Pakistan says Afghan soil is used by militants. Thousands of Afghans returned."))
    norp = [(m.text, m.source) for m in ms if m.label == "NORP"]
    assert norp == [("Afghan", "demonym")]


def test_turkey_the_bird_is_not_a_place() -> None:
    text = "Restaurants took roast turkey off the menu, while Turkey signed a deal."
    ms = find_toponyms(parse(text))
    assert [m.text for m in ms] == ["Turkey"]
    assert ms[0].start == text.index("Turkey")


def test_offsets_are_shifted_by_chunk_offset_and_sentences_bound_the_mention() -> None:
    text = "A blast hit Kabul. Officials in Peshawar said."
    ms = find_toponyms(parse(text), offset=100)
    kabul = next(m for m in ms if m.text == "Kabul")
    assert (kabul.start, kabul.end) == (112, 117)
    assert kabul.sentence_start == 100 and kabul.sentence_end == 118


@pytest.mark.parametrize(
    ("text", "lat", "lon"),
    [
        ("at 34°08′N 71°05′E today", 34 + 8 / 60, 71 + 5 / 60),
        ("at 34° 8' N, 71° 5' E today", 34 + 8 / 60, 71 + 5 / 60),
        ("the point 34.11, 71.08 is", 34.11, 71.08),
        ("the point 34.11N 71.08E is", 34.11, 71.08),
    ],
)
def test_coordinates_written_in_text_are_parsed(text: str, lat: float, lon: float) -> None:
    (s, e, la, lo), = find_coordinates(text)
    assert la == pytest.approx(lat, abs=1e-4) and lo == pytest.approx(lon, abs=1e-4)
    assert text[s].isdigit() and text[e - 1] in "E0123456789"


def test_coordinates_become_coord_mentions() -> None:
    ms = find_toponyms(parse("The terminal, at about 31°31′N 67°41′E, opened."))
    coord = [m for m in ms if m.label == "COORD"]
    assert len(coord) == 1 and coord[0].lat == pytest.approx(31.5167, abs=1e-3)


def test_money_is_not_a_coordinate() -> None:
    assert find_coordinates("It cost $45.50, 12.30 more than planned") == []


def test_urdu_text_does_not_crash_and_warns(caplog: pytest.LogCaptureFixture) -> None:
    text = "انگور اڈہ سرحد کھول دی گئی اور تاجر خوش ہیں"
    assert script_share(text) < 0.1
    with caplog.at_level(logging.WARNING, logger="geomap.toponyms"):
        ms = find_toponyms(parse(text))
    assert any("Latin" in r.getMessage() for r in caplog.records)
    assert all(text[m.start : m.end] == m.text for m in ms)
    assert "انگور اڈہ" in {m.text for m in ms}


def test_pipeline_has_the_gazetteer_matcher_not_an_entity_ruler() -> None:
    from geomap.toponyms import get_nlp

    names = get_nlp().pipe_names
    assert "geomap_gazetteer" in names and "entity_ruler" not in names
    assert names.index("geomap_gazetteer") < names.index("ner")


def test_matcher_finds_aliases_regions_and_acronyms_but_not_lowercase_words() -> None:
    text = "Traders at the Friendship Gate said the EU and the Middle East matter; a china cup broke."
    found = _mentions(text)
    assert {"Friendship Gate", "EU", "Middle East"} <= set(found)
    assert "china" not in found


def test_demonym_opening_an_organisation_and_adjectival_province_demonym() -> None:
    ms = find_toponyms(parse("The Afghan Taliban denied it. Kandahari pomegranates sold well."))
    assert [(m.text, m.label) for m in ms] == [("Afghan", "NORP"), ("Kandahari", "NORP")]


def test_organisation_named_after_a_country_is_not_the_country() -> None:
    ms = find_toponyms(parse("Officials blamed the Tehrik-e-Taliban Pakistan for the attack in Bannu."))
    assert [m.text for m in ms] == ["Bannu"]


_BATCH = [
    "Ghulam Khan, a transporter from Bannu, said the Ghulam Khan crossing was shut.",
    "Gen. Chaman addressed the troops in Quetta.",
    "Pakistan says Afghan soil is used by militants. Thousands of Afghans returned.",
    "Trucks queued at the Torkhum border crossing near Landi Kotal on Monday.",
]


def _spans(doc) -> list[tuple[str, int, int, str]]:
    return [(m.text, m.start, m.end, m.label) for m in find_toponyms(doc)]


def test_toponym_only_parse_skips_pipes_and_finds_the_same_mentions() -> None:
    from geomap.toponyms import TOPONYM_ONLY_DISABLE, parse_many

    fast = list(parse_many(_BATCH, for_events=False, batch_size=2))
    assert [d.text for d in fast] == _BATCH
    assert not fast[0].has_annotation("DEP") and not fast[0].has_annotation("POS")
    assert "parser" in TOPONYM_ONLY_DISABLE
    assert [_spans(d) for d in fast] == [_spans(parse(t)) for t in _BATCH]


def test_full_batch_parse_equals_parse() -> None:
    from geomap.toponyms import parse_many

    docs = list(parse_many(_BATCH[:2]))
    assert all(d.has_annotation("DEP") for d in docs)
    assert [_spans(d) for d in docs] == [_spans(parse(t)) for t in _BATCH[:2]]


def test_person_name_without_pos_uses_the_tags() -> None:
    from geomap.toponyms import parse_many

    # "Jalal Khan" glued to a proper noun: a person; needs the tagger's NNP when POS is off
    (doc,) = parse_many(["Jalal Khan said Jalalabad was calm."], for_events=False)
    assert [m.text for m in find_toponyms(doc)] == ["Jalalabad"]


def test_doc_text_is_the_text_and_kept_with_the_doc() -> None:
    from geomap.toponyms import doc_text

    text = "A blast hit Kabul.\nOfficials in Peshawar said."
    doc = parse(text)
    assert doc_text(doc) == doc.text == text
    assert "geomap_text" in doc.user_data


def test_names_do_not_cross_line_breaks_or_sentence_ends() -> None:
    # "Kabul" then a new line starting with "Jalalabad": two names, not one n-gram
    ms = find_toponyms(parse("Trucks left Kabul\nJalalabad traders waited. Quetta was calm."))
    assert [m.text for m in ms] == ["Kabul", "Jalalabad", "Quetta"]


def test_organisation_acronyms_are_not_places() -> None:
    text = "The UN refugee agency and WFP staff met ISI officers in Peshawar."
    assert [m.text for m in find_toponyms(parse(text))] == ["Peshawar"]


def test_country_and_province_abbreviations_are_places() -> None:
    found = _mentions("Exports from KP to the UAE rose, traders said.")
    assert {"KP", "UAE"} <= set(found)


def test_izafat_compound_is_matched_whole_never_a_fragment() -> None:
    text = "Rockets hit the Dand-e-Patan district of Paktia, near the Tehrik-e-Taliban bases."
    names = [m.text for m in find_toponyms(parse(text))]
    assert "Dand-e-Patan" in names
    assert "Patan" not in names and "Taliban" not in names


def test_places_joined_by_a_bare_hyphen_are_both_found() -> None:
    names = [m.text for m in find_toponyms(parse("Trucks were parked along the Peshawar-Torkham highway."))]
    assert names == ["Peshawar", "Torkham"]


def test_personal_name_made_of_town_names_is_not_a_place() -> None:
    # "Gul" and "Khan" are each an alias of some foreign town; side by side they are a man
    assert [m.text for m in find_toponyms(parse("Police in Kurram arrested Gul Khan on Sunday."))] == ["Kurram"]


def test_person_context_covers_every_word_of_the_name() -> None:
    text = "Chaman Lal, a fruit trader, said the Chaman crossing was open."
    ms = find_toponyms(parse(text))
    assert [(m.text, m.start) for m in ms] == [("Chaman", text.index("Chaman crossing"))]


@pytest.mark.parametrize(
    "text",
    [
        "Khan said the talks in Quetta had failed.",
        "The talks in Quetta failed, according to Khan.",
        '"We will not reopen the gate," said Khan, who had travelled from Quetta.',
        "Khan also told reporters in Quetta that trade would resume.",
        "Police in Quetta detained Khan on Sunday.",
        "Ahmad and Gul were among the traders who reached Quetta.",
    ],
)
@pytest.mark.parametrize("for_events", [True, False])
def test_lone_pashtun_or_urdu_personal_name_is_not_a_place(text: str, for_events: bool) -> None:
    # "Khan" is an alternate name of Haan (Germany), "Ahmad" of Al Ahmadi (Kuwait), "Gul" of Gulu (Uganda)
    from geomap.toponyms import parse_many

    (doc,) = parse_many([text], for_events=for_events)
    assert [m.text for m in find_toponyms(doc)] == ["Quetta"]


@pytest.mark.parametrize("for_events", [True, False])
def test_places_written_with_personal_names_are_still_places(for_events: bool) -> None:
    from geomap.toponyms import parse_many

    text = (
        "Traders from Jalalabad and the Shah Joy district said the Ghulam Khan crossing was shut, "
        "while shops in Dera Ismail Khan stayed open."
    )
    (doc,) = parse_many([text], for_events=for_events)
    names = [m.text for m in find_toponyms(doc)]
    assert names == ["Jalalabad", "Shah Joy", "Ghulam Khan", "Dera Ismail Khan"]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # a surname that GeoNames has as a foreign town, used as a speaker: a person
        ("Wilson said the convoy from Karachi was late.", ["Karachi"]),
        ("The convoy from Karachi was late, according to Davis.", ["Karachi"]),
        # the same towns governed by a preposition, or a city standing for a club or government, stay places
        ("Doctors in Wilson said the convoy from Karachi was late.", ["Wilson", "Karachi"]),
        ("Liverpool said it condemned the damage done in Karachi.", ["Liverpool", "Karachi"]),
    ],
)
def test_foreign_town_used_as_a_speaker_is_a_person_but_not_a_city_or_a_prepositional_object(
    text: str, kept: list[str]
) -> None:
    assert [m.text for m in find_toponyms(parse(text))] == kept


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # the place opens the reported clause: it is what was said about, not who said it
        ("Ukrainian officials said Bakhmut had fallen after months of fighting.", "Bakhmut"),
        ("The military said Avdiivka was under heavy shelling.", "Avdiivka"),
        ("The ministry confirmed Bucha had been shelled again.", "Bucha"),
        ("Local police told reporters Bakhmut was empty.", "Bakhmut"),
        ("Officials warned Avdiivka could fall within days.", "Avdiivka"),
    ],
)
@pytest.mark.parametrize("for_events", [True, False])
def test_a_place_after_a_verb_of_speech_that_opens_the_reported_clause_is_kept(
    text: str, place: str, for_events: bool
) -> None:
    from geomap.toponyms import parse_many

    (doc,) = parse_many([text], for_events=for_events)
    assert place in [m.text for m in find_toponyms(doc)]


@pytest.mark.parametrize(
    "text",
    [
        '"We will not reopen the gate," said Khan.',
        "The talks failed, said Khan, a spokesman for the traders.",
        '"It is over," said Wilson.',
        "The market reopened on Monday, said Davis",
        "Trade would resume soon — said Khan.",
    ],
)
@pytest.mark.parametrize("for_events", [True, False])
def test_an_inverted_attribution_still_names_a_person(text: str, for_events: bool) -> None:
    from geomap.toponyms import parse_many

    (doc,) = parse_many([text], for_events=for_events)
    assert [m.text for m in find_toponyms(doc)] == []
