"""Toponyms in the shape of real news: country compounds, outlets and organisations, persons,
datelines, villages placed at their container.  The cases are data
(``tests/data/toponym_cases/real_news_shapes.json``), written for geomap."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geomap.errors import LexiconError
from geomap.resolve import resolve
from geomap.toponyms import find_toponyms, lexicon_from, parse, toponym_lexicon

CASES = json.loads((Path(__file__).parent / "data" / "toponym_cases" / "real_news_shapes.json").read_text())["cases"]


def _places(text: str):
    doc = parse(text)
    return [p for p in resolve(find_toponyms(doc), text=text, doc=doc) if p.label != "NORP"]


@pytest.mark.parametrize("case", CASES, ids=[f"{c['family']}: {c['text'][:40]}" for c in CASES])
def test_real_news_shapes(case: dict) -> None:
    places = _places(case["text"])
    by_mention = {p.mention: p for p in places}
    for mention, (name, kind, precision) in case["places"].items():
        assert mention in by_mention, f"{mention!r} not found in {sorted(by_mention)}"
        p = by_mention[mention]
        if name is not None:
            assert (p.name, p.kind, p.geo_precision) == (name, kind, precision)
    for mention in case["absent"]:
        assert mention not in by_mention, f"{mention!r} read as a place"
    for mention in case.get("note", []):
        assert by_mention[mention].note and by_mention[mention].resolved


def test_village_placed_at_its_container_takes_its_point_and_says_so() -> None:
    places = {p.mention: p for p in _places("Mortars fell on Killi Noor, Chaman, late on Sunday.")}
    village, town = places["Killi Noor"], places["Chaman"]
    assert (village.lat, village.lon) == (town.lat, town.lon)
    assert village.geo_precision == 2 and village.gazetteer_id is None
    assert "approximate" in village.note


def test_pak_alone_is_at_most_the_country() -> None:
    doc = parse("The Pak army said the post was rebuilt.")
    refs = [p for p in resolve(find_toponyms(doc), text=doc.text, doc=doc) if p.mention == "Pak"]
    assert refs and all(p.label == "NORP" and p.country == "PK" and p.kind == "country" for p in refs)


def test_toponym_lexicon_is_lower_case_and_validated() -> None:
    lex = toponym_lexicon()
    assert "press" in lex.org_heads and "khel" in lex.words_after and "zero point" in lex.crossing_parts
    data = {
        "organisations": {"heads": ["press"], "venues": ["press club"], "of_heads": ["chamber"], "names": ["Dawn"]},
        "persons": {"cues_before": ["identified as"]},
        "settlements": {"words_before": ["killi"], "words_after": ["khel"], "designators": ["village"], "not_after": ["tribe"]},
        "features": {
            "tails": ["line"],
            "crossing_parts": ["zero point"],
            "name_closers": ["city"],
            "border_cues": ["frontier"],
        },
    }
    with pytest.raises(LexiconError, match="names"):
        lexicon_from(data)
    data["organisations"]["names"] = ["dawn", "dawn"]
    with pytest.raises(LexiconError, match="duplicate"):
        lexicon_from(data)
    data["organisations"]["names"] = ["dawn"]
    assert lexicon_from(data).org_names == frozenset({"dawn"})
