from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest

from geomap import export as export_mod
from geomap.errors import CRSError, InputError
from geomap.export import ACLED_COLUMNS, export, to_acled, write_map
from geomap.store import open_store

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_store import PARACHINAR, clash, make_result  # noqa: E402


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "s.gpkg") as s:
        s.ingest(
            [
                make_result(
                    "Outlet A: clash in Parachinar.",
                    "2025-10-02",
                    [clash("2025-10-01", fatalities=4, actors=("Pakistani forces", "TTP"))],
                ),
                make_result(
                    "Outlet B: a clash in Parachinar.",
                    "2025-10-03",
                    [clash("2025-10-02", fatalities=6)],
                ),
                make_result(
                    "Talks in Kabul in October.",
                    "2025-10-20",
                    [
                        {
                            "type": "talks",
                            "date": "2025-10",
                            "date_precision": "month",
                            "lat": 34.53,
                            "lon": 69.17,
                            "country": "AF",
                            "admin1": "Kabul",
                            "location": "Kabul",
                        },
                        {
                            "type": "airstrike",
                            "date": "2025-10-19",
                            "certainty": "threatened",
                            "lat": 34.5,
                            "lon": 69.2,
                            "country": "AF",
                        },
                    ],
                ),
            ]
        )
        yield s


def test_acled_table_has_acled_columns_and_values(store):
    t = to_acled(store.incidents())
    assert tuple(t.columns[: len(ACLED_COLUMNS)]) == ACLED_COLUMNS
    assert len(t) == 2  # the threatened airstrike is not an ACLED event
    pak = t[t["country"] == "Pakistan"].iloc[0]
    assert pak["event_id_cnty"] == "PAK1"
    assert pak["event_date"] == "2025-10-01" and pak["year"] == 2025 and pak["time_precision"] == 1
    assert (pak["event_type"], pak["sub_event_type"], pak["disorder_type"]) == (
        "Battles",
        "Armed clash",
        "Political violence",
    )
    assert (pak["actor1"], pak["actor2"]) == ("Pakistani forces", "TTP")
    assert pak["iso"] == 586 and pak["fatalities"] == 4 and pak["n_sources"] == 2
    assert pak["latitude"] == pytest.approx(PARACHINAR[0]) and pak["longitude"] == pytest.approx(
        PARACHINAR[1]
    )
    assert pak["source"].count("example") == 2  # both outlets' hosts
    afg = t[t["country"] == "Afghanistan"].iloc[0]
    assert afg["event_id_cnty"] == "AFG1"
    assert afg["event_date"] == "2025-10-01" and afg["time_precision"] == 3  # month precision
    assert afg["fatalities"] == 0  # ACLED: 0 when no figure is reported
    assert len(to_acled(store.incidents(), facts_only=False)) == 3


def test_csv_export_round_trips_with_acled_header(store, tmp_path):
    out = export(store, tmp_path / "x.csv", format="csv")
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0].keys())[: len(ACLED_COLUMNS)] == ACLED_COLUMNS
    assert {r["event_id_cnty"] for r in rows} == {"PAK1", "AFG1"}


def test_geojson_export_keeps_sources_as_arrays(store, tmp_path):
    fc = json.loads(
        export(store, tmp_path / "x.geojson", format="geojson").read_text(encoding="utf-8")
    )
    assert len(fc["features"]) == 3
    clash_f = next(f for f in fc["features"] if f["properties"]["type"] == "clash")
    assert len(clash_f["properties"]["sources"]) == 2
    assert clash_f["geometry"]["coordinates"] == pytest.approx(
        [PARACHINAR[1], PARACHINAR[0]], abs=1e-5
    )


def test_gpkg_export_has_incident_place_and_crossing_layers(store, tmp_path):
    out = export(store, tmp_path / "x.gpkg", format="gpkg")
    assert {name for name, _ in pyogrio.list_layers(out)} == {"incidents", "places", "crossings"}
    inc = gpd.read_file(out, layer="incidents")
    assert len(inc) == 3 and inc.crs.equals("EPSG:4326")
    assert json.loads(inc.loc[inc["type"] == "clash", "sources"].iloc[0])[0]["event_id"]


def test_parquet_export_reads_back_as_geoparquet(store, tmp_path):
    pytest.importorskip("pyarrow")
    back = gpd.read_parquet(export(store, tmp_path / "x.parquet", format="parquet"))
    assert len(back) == 3 and back.crs.equals("EPSG:4326")


def test_failed_export_leaves_the_earlier_file_intact(store, tmp_path):
    out = tmp_path / "x.geojson"
    out.write_text("earlier", encoding="utf-8")
    bad = store.incidents().to_crs(32642)
    with pytest.raises(CRSError):
        export(bad, out, format="geojson")
    with pytest.raises(InputError):
        export(store, out, format="shp")
    assert out.read_text(encoding="utf-8") == "earlier"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".x")] == []


def test_write_map_filters_and_keeps_previous_map_on_failure(store, tmp_path, monkeypatch):
    from geomap import render

    seen = {}
    real = render.render_map

    def spy(**kw):
        seen.update(kw)
        return real(**kw)

    monkeypatch.setattr(render, "render_map", spy)
    out = write_map(
        store, tmp_path / "map.html", types=["clash"], since="2025-10-01", until="2025-10-31"
    )
    assert out.stat().st_size > 1000
    assert seen["events"]["type"].tolist() == ["clash"]
    assert str(seen["as_of"]) == "2025-10-31"

    def boom(**kw):
        raise RuntimeError("render failed")

    monkeypatch.setattr(render, "render_map", boom)
    before = out.read_bytes()
    with pytest.raises(RuntimeError):
        write_map(store, out)
    assert out.read_bytes() == before
    assert export_mod.FORMATS == ("geojson", "gpkg", "csv", "parquet")


def test_casualties_given_only_in_words_are_not_written_as_zero(store):
    frame = store.incidents().copy()
    frame["fatalities"] = None
    frame["fatalities_text"] = "dozens"
    t = to_acled(frame)
    assert t["fatalities"].isna().all()
    assert all(n.endswith("[fatalities: dozens]") for n in t["notes"])


def test_acled_leaves_out_undated_or_unlocated_incidents_unless_asked(store, caplog):
    frame = store.incidents().copy()
    frame.loc[frame["type"] == "clash", "date"] = None  # undated
    frame.loc[frame["type"] == "talks", ["lat", "lon"]] = None  # unlocated
    with caplog.at_level("WARNING", logger="geomap"):
        t = to_acled(frame, facts_only=False)
    assert list(t["geomap_type"]) == ["airstrike"]
    assert (t["geomap_missing"] == "").all() and t["latitude"].notna().all()
    assert "left out 2 of 3" in caplog.text
    assert "1 with no event_date, 1 with no location" in caplog.text
    assert list(t["event_id_cnty"]) == ["AFG1"]  # complete rows are numbered first: no gaps
    full = to_acled(frame, facts_only=False, complete_only=False)
    assert len(full) == 3
    assert sorted(full["geomap_missing"]) == ["", "event_date", "location"]


def test_acled_event_id_of_an_incident_does_not_depend_on_export_options(store):
    frame = store.incidents().copy()
    base = frame[frame["type"] == "talks"].iloc[[0]]
    # one incident per kind: dated or undated, fact or threatened, all in Afghanistan;
    # the incomplete and non-fact ones are earlier (dates) or sort first (ids)
    extra = [
        base.assign(incident_id="a-undated", date=None),
        base.assign(incident_id="a-threat", date="2025-09-01", certainty="threatened"),
        base.assign(incident_id="a-unlocated", date="2025-09-02", lat=None, lon=None),
    ]
    frame = gpd.GeoDataFrame(pd.concat([frame, *extra], ignore_index=True), crs=frame.crs)
    ids = {}
    for facts in (True, False):
        for complete in (True, False):
            t = to_acled(frame, facts_only=facts, complete_only=complete)
            for key, eid in zip(t["geomap_incident_id"], t["event_id_cnty"]):
                assert ids.setdefault(key, eid) == eid, (key, facts, complete)
    # the default export (complete facts) is numbered from 1 without gaps, per country
    default = to_acled(frame)
    assert sorted(default["event_id_cnty"]) == ["AFG1", "PAK1"]
    assert len(set(ids.values())) == len(ids) == len(frame)


def test_csv_export_command_reports_left_out_rows_and_can_keep_them(tmp_path, capsys):
    from geomap.cli import main

    path = tmp_path / "gaps.gpkg"
    with open_store(path) as s:
        s.ingest(
            [
                make_result("A clash in Parachinar.", "2025-10-02", [clash("2025-10-01")]),
                make_result("Fighting, date unknown.", "2025-10-03", [clash(None, dlat=0.5)]),
            ]
        )
    out = tmp_path / "i.csv"
    assert main(["export", "--format", "csv", "--store", str(path), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "left out 1 of 2" in err and "--include-incomplete" in err
    assert "complete_only" not in err  # the option, not the Python parameter
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["event_date"] for r in rows] == ["2025-10-01"]
    argv = ["export", "--format", "csv", "--store", str(path), "-o", str(out)]
    assert main([*argv, "--include-incomplete"]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert sorted(r["geomap_missing"] for r in rows) == ["", "event_date"]
    assert "--include-incomplete" in _export_help()


def _export_help() -> str:
    from geomap.cli import _parser

    sub = next(a for a in _parser()._actions if a.dest == "command")
    return sub.choices["export"].format_help()


def test_unlocated_incident_gets_the_documented_placeholder_country_code(store):
    # No place and so no country: ACLED has no such rows; geomap numbers them under XXX
    # (ISO 3166-1 keeps X-codes for user assignment, never a real country), and says so.
    frame = store.incidents().copy()
    i = frame.index[frame["type"] == "talks"][0]
    frame.loc[i, ["lat", "lon", "country", "admin1", "admin2", "location"]] = None
    t = to_acled(frame, facts_only=False, complete_only=False)
    row = t[t["geomap_type"] == "talks"].iloc[0]
    assert row["event_id_cnty"] == "XXX1" and row["geomap_missing"] == "location"
    assert row["country"] == "" and pd.isna(row["iso"])
    helptext = " ".join(_export_help().split())
    assert "XXX" in helptext
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "`XXX`" in readme.split("**ACLED CSV**", 1)[1].split("**Articles.**", 1)[0]


# --------------------------------------------------------------- issue 14 item 8: no rows left


def _csv_rows(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


@pytest.mark.parametrize(
    ("events", "options", "words"),
    [
        ([], [], "holds none"),  # an empty store
        ([clash("2025-10-01", certainty="negated")], [], "--all-certainties"),
        ([clash("2025-10-01", certainty="planned"), clash("2025-10-05", certainty="threatened")],
         ["--include-incomplete"], "2 of 2 are not facts"),
        ([clash(None), clash("2025-10-01", lat=None, lon=None)], [], "left out 2 of 2"),
        ([clash(None, certainty="conditional")], [], "not facts"),
        ([], ["--all-certainties", "--include-incomplete"], "holds none"),
    ],
    ids=[
        "empty-store", "only-negated", "only-plans", "only-incomplete", "incomplete-non-fact",
        "empty-all-options",
    ],
)
def test_csv_export_with_no_row_left_writes_the_acled_header_and_says_why(
    tmp_path, capsys, events, options, words
):
    from geomap.cli import main

    path = tmp_path / "s.gpkg"
    with open_store(path) as s:
        if events:  # one article per event: nothing is merged
            s.ingest([make_result(f"Report {i}.", "2025-10-06", [e]) for i, e in enumerate(events)])
    out = tmp_path / "i.csv"
    assert main(["export", "--format", "csv", "--store", str(path), "-o", str(out), *options]) == 0
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
    header, rows = _csv_rows(out)
    assert rows == []
    assert tuple(header[: len(ACLED_COLUMNS)]) == ACLED_COLUMNS


def test_acled_table_of_an_empty_frame_keeps_every_column(store):
    empty = store.incidents().iloc[0:0]
    for facts in (True, False):
        for complete in (True, False):
            t = to_acled(empty, facts_only=facts, complete_only=complete)
            assert t.empty and tuple(t.columns[: len(ACLED_COLUMNS)]) == ACLED_COLUMNS


# --------------------------------------------------------------- issue 14 item 12: all 31 columns

#: ACLED Codebook (2023), "Data columns", typed here from the codebook (not from acled.toml).
CODEBOOK_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)


def test_acled_csv_has_every_codebook_column_in_order(store, tmp_path):
    assert ACLED_COLUMNS == CODEBOOK_COLUMNS and len(ACLED_COLUMNS) == 31
    header, rows = _csv_rows(export(store, tmp_path / "x.csv", format="csv"))
    assert tuple(header[:31]) == CODEBOOK_COLUMNS
    for row in rows:  # what geomap cannot know is empty, never guessed
        unknown = ("assoc_actor_1", "assoc_actor_2", "admin3", "source_scale", "tags")
        assert [row[c] for c in unknown] == [""] * 5


def _one(actors, country="PK", event_type_of="clash", **kw):
    """One complete incident frame row with these actors, located in ``country``."""
    points = {"PK": PARACHINAR, "AF": (34.4, 70.5), "QA": (25.29, 51.53), "FR": (48.85, 2.35)}
    lat, lon = points.get(country, (None, None))
    from geomap.schema import ACLED_TYPES

    et, sub = ACLED_TYPES[event_type_of]
    rec = {
        "id": "a-e1", "incident_id": "inc-a", "type": event_type_of, "event_type": et,
        "sub_event_type": sub, "date": "2025-10-01", "lat": lat, "lon": lon,
        "country": country, "actors": list(actors), "certainty": "occurred", "sentence": "s.",
        **kw,
    }
    return to_acled(pd.DataFrame([rec]), complete_only=False).iloc[0]


@pytest.mark.parametrize(
    ("actors", "country", "inter1", "inter2", "interaction"),
    [
        (["Pakistan", "TTP"], "PK", 1, 2, 12),  # state forces at home vs a rebel group
        (["Pakistan", "TTP"], "AF", 8, 2, 28),  # Pakistani forces in Afghanistan: external
        (["TTP", "Pakistan"], "PK", 2, 1, 12),  # lowest joint number, whatever the order
        (["Pakistan", "Afghanistan"], "AF", 8, 1, 18),
        (["Afghanistan"], "AF", 1, None, 10),  # sole military action
        (["IS-K"], "PK", 2, None, 20),  # sole rebel action
        (["Pakistan", "Afghanistan"], "QA", 8, 8, 88),  # talks abroad
        (["Pakistan"], None, 1, None, 10),  # country unknown: state forces
        (["Unknown Lashkar"], "PK", None, None, None),  # not in the rules: no code, no guess
        (["Pakistan", "Unknown Lashkar"], "PK", 1, None, None),  # half known: no interaction
        ([], "PK", None, None, None),
    ],
)
def test_acled_inter_codes_follow_the_codebook_actor_types(
    actors, country, inter1, inter2, interaction
):
    row = _one(actors, country)
    cols = ("inter1", "inter2", "interaction")
    got = tuple(None if pd.isna(row[c]) else int(row[c]) for c in cols)
    assert got == (inter1, inter2, interaction)


@pytest.mark.parametrize(
    ("actors", "etype", "expected"),
    [
        (["Pakistan", "civilians"], "airstrike", "Civilian targeting"),  # actor2 civilians
        (["TTP"], "attack", "Civilian targeting"),  # Violence against civilians
        (["Pakistan", "TTP"], "clash", ""),
        (["civilians", "Pakistan"], "clash", ""),  # civilians as actor1 are not the target
    ],
)
def test_acled_civilian_targeting(actors, etype, expected):
    assert _one(actors, "PK", etype)["civilian_targeting"] == expected


@pytest.mark.parametrize(
    ("country", "region"),
    [("PK", "South Asia"), ("AF", "South Asia"), ("QA", "Middle East"), ("FR", "")],
)
def test_acled_region_of_the_country(country, region):
    assert _one(["Pakistan"], country)["region"] == region


def test_acled_timestamp_is_when_the_store_last_changed_the_incident(tmp_path, monkeypatch):
    path = tmp_path / "t.gpkg"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1760000000")
    with open_store(path) as s:
        s.ingest([make_result("A clash in Parachinar.", "2025-10-02", [clash("2025-10-01")])])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1760086400")  # a day later, the same clash again
    with open_store(path) as s:
        again = make_result("Outlet B: clash in Parachinar.", "2025-10-02", [clash("2025-10-01")])
        s.ingest([again])
        talks = {"type": "talks", "date": "2025-10-03", "lat": 34.53, "lon": 69.17, "country": "AF"}
        s.ingest([make_result("Talks in Kabul.", "2025-10-03", [talks])])
        t = to_acled(s.incidents())
    assert dict(zip(t["geomap_type"], t["timestamp"], strict=True)) == {
        "clash": 1760086400, "talks": 1760086400
    }
    # frames without updated_at (one article's events) leave timestamp empty
    assert pd.isna(_one(["Pakistan"])["timestamp"])


def test_acled_rules_live_in_the_data_file_not_in_the_code():
    import ast

    tree = ast.parse(Path(export_mod.__file__).read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
        and node.body and isinstance(node.body[0], ast.Expr)
    }
    literals = {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    }
    rules = export_mod.acled_rules()
    values = {*rules["region"].values(), *rules["disorder_type"].values(),
              *rules["inter"]["types"].values(), rules["civilian_targeting"]["value"],
              *rules["inter"]["states"].values()}
    assert literals & values == set()


RULES_TEXT = Path(export_mod.ACLED_RULES_PATH).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "text",
    [
        "not toml [",
        'columns = ["a"]\n',  # tables missing
        RULES_TEXT.replace("abroad = 8", "abroad = 9"),
        RULES_TEXT + "\n[extra]\nx = 1\n",
    ],
    ids=["not-toml", "missing-tables", "unknown-code", "unknown-table"],
)
def test_malformed_acled_rules_are_a_data_error(tmp_path, monkeypatch, text):
    from geomap.errors import DataSourceError

    bad = tmp_path / "acled.toml"
    bad.write_text(text, encoding="utf-8")
    monkeypatch.setattr(export_mod, "ACLED_RULES_PATH", bad)
    export_mod.acled_rules.cache_clear()
    try:
        with pytest.raises(DataSourceError, match="acled.toml"):
            export_mod.acled_rules()
    finally:
        export_mod.acled_rules.cache_clear()


# --------------------------------------------- issue 14 item 17: map selections that select nothing


@pytest.mark.parametrize(
    ("options", "words"),
    [
        (["--type", "clsh"], ["unknown event type 'clsh'", "did you mean 'clash'", "talks"]),
        (["--type", "clash", "--type", "Batles"], ["'Batles'", "'Battles'"]),
        (["--type", "shelling"], ["unknown event type 'shelling'", "valid: closure"]),
        (["--province", "Khyber Pakhtunkwa"], ["did you mean 'Khyber Pakhtunkhwa'", "Kandahar"]),
        (["--province", "Ontario"], ["unknown province 'Ontario'; valid: Azad Jammu"]),
        (["--since", "2025-11-01", "--until", "2025-10-01"], ["2025-11-01 is after until"]),
    ],
    ids=[
        "type-typo", "acled-type-typo", "unknown-type", "province-typo", "no-province",
        "since-after-until",
    ],
)
def test_map_with_an_unknown_selection_is_a_usage_error_and_keeps_the_map(
    store, tmp_path, capsys, options, words
):
    from geomap.cli import main

    store.close()
    out = tmp_path / "out"
    out.mkdir()
    (out / "map.html").write_text("earlier map", encoding="utf-8")
    argv = ["map", "--store", str(store.path), "-o", str(out), *options]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    for w in words:
        assert w in err
    assert (out / "map.html").read_text(encoding="utf-8") == "earlier map"


@pytest.mark.parametrize(
    ("options", "n_shown"),
    [
        (["--type", "CLASH"], 1),  # any case
        (["--type", "battles", "--type", "talks"], 2),  # ACLED names too
        (["--province", "khyber pakhtunkhwa"], 1),
        (["--province", "Kabul Province"], 1),  # another name of the province (boundary data)
        (["--since", "2025-10-01", "--until", "2025-10-01"], 2),  # one day; the talks' month
    ],
)
def test_map_selection_accepts_any_spelling_of_a_known_value(
    store, tmp_path, options, n_shown, monkeypatch
):
    from geomap import render
    from geomap.cli import main

    seen = {}
    real = render.render_map
    monkeypatch.setattr(render, "render_map", lambda **kw: seen.update(kw) or real(**kw))
    store.close()
    assert main(["map", "--store", str(store.path), "-o", str(tmp_path), "-q", *options]) == 0
    assert len(seen["events"]) == n_shown


@pytest.mark.parametrize(
    ("options", "words"),
    [
        (["--province", "Herat"], "matches the selection (in Herat; 3 in the store)"),
        (["--since", "2030-01-01"], "no incident matches the selection (dated 2030-01-01 to"),
        (["--type", "protest", "--province", "Kabul"], "of type protest, in Kabul"),
    ],
)
def test_map_of_an_empty_selection_says_so(store, tmp_path, capsys, options, words):
    from geomap.cli import main

    store.close()
    assert main(["map", "--store", str(store.path), "-o", str(tmp_path), *options]) == 0
    err = capsys.readouterr().err
    assert words in err and "the map shows crossings and places only" in err
    assert (tmp_path / "map.html").exists()


def test_store_query_refuses_unknown_types_and_provinces(store):
    with pytest.raises(InputError, match="did you mean 'clash'"):
        store.incidents(types="clsh")
    with pytest.raises(InputError, match="unknown province"):
        store.incidents(province="Atlantis")
    with pytest.raises(InputError, match="is after until"):
        store.incidents(since="2025-10-02", until="2025-10-01")
    assert len(store.incidents(types=["Clash"], province="KHYBER PAKHTUNKHWA")) == 1
