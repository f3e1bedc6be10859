from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from geomap.articles import article_from_text, read_article
from geomap.cli import main
from geomap.pipeline import _chunks, extract, places_frame

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "articles" / "000_2688002ae2b84c7a.txt"
SCHEMA = json.loads((ROOT / "geomap" / "extract.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sample_doc():
    return extract(read_article(SAMPLE)).to_json()


def test_extract_output_validates_against_the_published_schema(sample_doc):
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(sample_doc)


def test_every_offset_indexes_the_article_text(sample_doc):
    text = read_article(SAMPLE).text
    for p in sample_doc["places"]:
        assert text[p["start"] : p["end"]] == p["mention"]
        assert p["sentence_start"] <= p["start"] < p["end"] <= p["sentence_end"]
    for e in sample_doc["events"]:
        assert text[e["start"] : e["end"]] == e["sentence"]


def test_places_keep_gazetteer_id_and_spatial_join(sample_doc):
    resolved = [p for p in sample_doc["places"] if p["resolved"]]
    assert resolved and all(p["gazetteer_id"] for p in resolved)
    kabul = [p for p in resolved if p["name"] == "Kabul"]
    assert kabul and all(p["country"] == "AF" for p in kabul)
    # Kabul city lies ~85 km from the border (geodesic), in Kabul province.
    assert all(60 < p["dist_border_km"] < 120 for p in kabul)
    assert all(p["admin1"] == "Kabul" for p in kabul if p["kind"] in ("city", "town"))


def test_extract_json_is_byte_identical_run_after_run(capsys):
    outs = []
    for _ in range(2):
        assert main(["extract", str(SAMPLE), "--json"]) == 0
        outs.append(capsys.readouterr().out)
    assert outs[0] == outs[1]
    json.loads(outs[0])


def test_long_article_is_chunked_with_offsets_preserved():
    para = "Torkham was closed on Sunday after clashes near Landi Kotal.\n\n"
    text = para * 40
    pieces = _chunks(text, max_chars=500)
    assert len(pieces) > 1
    assert "".join(chunk for _, chunk in pieces) == text
    assert all(text[off : off + len(chunk)] == chunk for off, chunk in pieces)
    assert all(len(chunk) <= 500 for _, chunk in pieces)


def test_article_without_places_still_builds_reference_map(tmp_path, capsys):
    art = tmp_path / "none.txt"
    art.write_text("Published: 2025-05-01\nThe committee met and agreed on a budget for next year.\n", encoding="utf-8")
    rc = main(["build", str(art), "-o", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert rc == 0
    assert "no places found" in out
    html = (tmp_path / "out" / "map.html").read_text(encoding="utf-8")
    assert "leaflet" in html.lower()
    assert json.loads((tmp_path / "out" / "places.geojson").read_text())["features"] == []


def test_places_frame_is_epsg4326_with_documented_columns():
    res = extract(article_from_text("Published: 2025-10-13\nTorkham was closed on Sunday, officials in Peshawar said."))
    gdf = places_frame([res])
    assert gdf.crs.to_epsg() == 4326
    for col in ("mention", "start", "end", "gazetteer_id", "role", "geo_precision", "admin1", "dist_border_km", "sentence", "article_id"):
        assert col in gdf.columns


def test_event_located_only_at_a_country_gets_no_province():
    from geomap.pipeline import _join_admin
    from geomap.boundaries import load_layers
    from geomap.schema import Event

    base = dict(type="attack", event_type="Violence against civilians", sub_event_type="Attack", sentence="s", start=0, end=1)
    country = Event(id="a-e1", location_id="country:AF", lat=33.9, lon=67.7, **base)
    town = Event(id="a-e2", location_id="geonames:1138958", lat=34.5281, lon=69.1723, **base)
    out = _join_admin([country, town], load_layers())
    assert out[0].admin1 is None and out[0].admin2 is None and out[0].dist_border_km > 0
    assert out[1].admin1 == "Kabul"


def test_notes_of_a_multi_article_map_name_each_article_by_title_or_file(tmp_path):
    from geomap.pipeline import build

    a = tmp_path / "wire_story.txt"
    a.write_text("The Torkham crossing was closed, officials said.\n", encoding="utf-8")
    b = tmp_path / "b.txt"
    b.write_text("Title: Trade update\nThe Chaman crossing was closed, traders said.\n", encoding="utf-8")
    res = build([a, b], output_dir=tmp_path / "out")
    assert any("no date" in n for n in res.notes)  # no reference date and no date in the text: both closures stay undated, one note each
    html = (tmp_path / "out" / "map.html").read_text(encoding="utf-8")
    assert "wire_story.txt" in html and "Trade update" in html
