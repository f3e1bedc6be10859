"""Whole "X City" names, context from confident toponyms, border towns (issue 14, items 1-3)."""

from __future__ import annotations

import pytest

from geomap.resolve import geoparse_many


def _places(text: str):
    return [p for p in geoparse_many([text])[0] if p.resolved]


@pytest.mark.parametrize(
    ("text", "mention", "country"),
    [
        ("Storms flooded Kansas City on Monday night.", "Kansas City", "US"),
        ("Police in Dodge City said the suspect fled.", "Dodge City", "US"),
        ("A farmer from Yuba City won the prize.", "Yuba City", "US"),
        ("Tourists flocked to New York City last year.", "New York City", "US"),
        ("Officials in Carson City met on Friday.", "Carson City", "US"),
        ("He moved to Quezon City in 2019.", "Quezon City", "PH"),
        ("Talks were held in Cape Town this week.", "Cape Town", "ZA"),
    ],
)
def test_a_name_closed_by_city_or_town_is_matched_whole(text, mention, country):
    (p,) = _places(text)
    assert (p.mention, p.country) == (mention, country)


@pytest.mark.parametrize(
    ("text", "mention"),
    [("Traders in Kandahar city protested.", "Kandahar"), ("Shops in Chaman Town shut.", "Chaman")],
)
def test_a_designator_the_gazetteer_lacks_with_the_name_is_still_trimmed(text, mention):
    (p,) = _places(text)
    assert p.mention == mention and p.country in ("AF", "PK")


def test_a_common_word_written_lower_case_elsewhere_does_not_pull_homonyms():
    text = (
        "Police seized Crystal meth worth millions. Use of crystal meth is rising. "
        "The ring was run from London."
    )
    london = [p for p in _places(text) if p.mention == "London"]
    assert london and london[0].country == "GB"


def test_a_name_joined_to_a_person_does_not_pull_homonyms():
    # Paris is a dog here: it must not pull Garden City away from Charlotte's South Carolina
    text = (
        "Emily Stone and Paris walk each morning. Paris is her poodle. "
        "They live in Charlotte and spend the summer in Garden City."
    )
    (garden,) = [p for p in _places(text) if p.mention == "Garden City"]
    assert garden.country == "US" and garden.lat == pytest.approx(33.59, abs=0.1)


def test_a_capital_nickname_does_not_take_a_name_closed_by_city():
    # "Garden City" is also an alternate name of Singapore; the towns that bear the name come first
    (p,) = _places("The mayor of Garden City resigned.")
    assert (p.mention, p.country) == ("Garden City", "US")


def test_a_place_named_in_the_text_still_pulls_homonyms():
    # a real toponym keeps steering: Helena and Montana make Montana the US state
    places = _places("HELENA, Mont. (AP) - Montana lawmakers met on Monday.")
    assert {p.country for p in places} == {"US"}


@pytest.mark.parametrize(
    "text",
    [
        "Six people were killed in Bara on Friday when a shell landed 2 km from the frontier.",
        "A drone struck a compound in Bara, 30 km from the border, on Sunday.",
        "Pakistani troops patrolled Bara and Jamrud.",
    ],
)
def test_a_border_town_wins_over_a_world_homonym_in_a_text_about_the_border(text):
    bara = [p for p in _places(text) if p.mention == "Bara"]
    assert bara and bara[0].country == "PK"


def test_a_border_town_name_with_another_country_named_stays_there():
    places = _places("Floods hit Bara near the border with Niger.")
    assert [p.country for p in places if p.mention == "Bara"] != ["PK"]
