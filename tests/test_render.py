"""Tests for geomap.render: assertions on the folium Map object and on its HTML."""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
import re

import folium
import geopandas as gpd
import pandas as pd
import pytest
from folium.plugins import TimestampedGeoJson
from shapely.geometry import Point

from geomap import render
from geomap._assets import assets_available, resolve
from geomap.boundaries import load_layers
from geomap.errors import CRSError

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "</div></div><b>broken",
    "`${alert(1)}`",
    "\\x3cscript\\x3ealert(1)\\x3c/script\\x3e",
    "</script><script>window.__pwned=1</script>",
]
HOSTILE_TEXT = " ".join(HOSTILE)

# Crossings whose coordinates are known (data/boundaries/crossings_af_pk.geojson).
TORKHAM = (71.08472, 34.11472)


def _gdf(rows: list[dict], xy: list[tuple[float, float] | None]) -> gpd.GeoDataFrame:
    geoms = [Point(p) if p is not None else None for p in xy]
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry=geoms, crs="EPSG:4326")


def make_inputs(*, hostile: bool = False, n_incidents: int = 3) -> dict:
    """Hand-made inputs: 3 incidents (2 types), 1 planned event, 1 unlocated event,
    places near the border plus Istanbul and Doha, crossings from the real file with
    a status history (Torkham closed 2025-10-12, reopened partly 2025-10-25)."""
    text = HOSTILE_TEXT if hostile else "Plain sentence."
    layers = load_layers()
    crossings = layers.crossings.copy()
    crossings["status"] = "unknown"
    crossings["since"] = None
    crossings["qualifier"] = None
    crossings["contested"] = False
    crossings["history"] = [[] for _ in range(len(crossings))]
    ev = [{"article_id": "a1", "sentence": text, "published": "2025-10-26"}]
    i = crossings.index[crossings["id"] == "torkham"][0]
    crossings.at[i, "history"] = [
        {
            "status": "closed",
            "start": "2025-10-12",
            "end": "2025-10-25",
            "qualifier": None,
            "evidence": ev,
        },
        {
            "status": "partial",
            "start": "2025-10-25",
            "end": None,
            "qualifier": text,
            "evidence": ev,
        },
    ]
    crossings.at[i, "status"] = "partial"
    crossings.at[i, "since"] = "2025-10-25"
    crossings.at[i, "qualifier"] = text
    j = crossings.index[crossings["id"] == "chaman_spin_boldak"][0]
    crossings.at[j, "history"] = [
        {"status": "closed", "start": "2025-10-12", "end": None, "evidence": ev}
    ]
    crossings.at[j, "status"] = "closed"
    crossings.at[j, "since"] = "2025-10-12"
    crossings.at[j, "contested"] = True
    if hostile:
        crossings.at[i, "name"] = "Torkham " + HOSTILE[0]

    base = {
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "start": 0,
        "end": 10,
        "date_precision": "day",
        "crossings": [],
        "actors": [text],
        "mediators": [],
        "article_id": "a1",
        "location": "Kurram " + text if hostile else "Kurram",
    }
    rows, xy = [], []
    for k in range(n_incidents):
        etype = "clash" if k % 3 else "explosion"
        rows.append(
            {
                **base,
                "id": f"a1-e{k}",
                "type": etype,
                "sentence": text,
                "certainty": "occurred",
                "date": f"2025-10-{10 + k % 15:02d}",
            }
        )
        xy.append((70.1 + 0.002 * k, 33.9 + 0.001 * (k % 97)))
    rows.append(
        {
            **base,
            "id": "a1-p",
            "type": "talks",
            "sentence": text,
            "certainty": "planned",
            "date": "2025-10-30",
            "location": "Istanbul",
        }
    )
    xy.append((28.97, 41.01))
    rows.append(
        {
            **base,
            "id": "a1-u",
            "type": "closure",
            "sentence": text,
            "certainty": "occurred",
            "date": "2025-10-12",
            "location": None,
        }
    )
    xy.append(None)
    events = _gdf(rows, xy)

    prow = {
        "start": 0,
        "end": 5,
        "sentence_start": 0,
        "sentence_end": 10,
        "label": "GPE",
        "source": "ner",
        "kind": "city",
        "geo_precision": 1,
        "sentence": text,
        "article_id": "a1",
        "score": 1.0,
    }
    places = _gdf(
        [
            {
                **prow,
                "mention": "Kabul " + text if hostile else "Kabul",
                "name": "Kabul",
                "country": "AF",
                "role": "incident",
            },
            {
                **prow,
                "mention": "Islamabad",
                "name": "Islamabad",
                "country": "PK",
                "role": "government",
            },
            {**prow, "mention": "Istanbul", "name": "Istanbul", "country": "TR", "role": "context"},
            {**prow, "mention": "Doha", "name": "Doha", "country": "QA", "role": "context"},
        ],
        [(69.17, 34.53), (73.05, 33.69), (28.97, 41.01), (51.53, 25.29)],
    )
    return {
        "places": places,
        "events": events,
        "crossings": crossings,
        "layers": layers,
        "title": "Test " + text if hostile else "Test map",
    }


def _layers_by_name(m: folium.Map) -> dict[str, object]:
    return {
        getattr(c, "layer_name", None): c
        for c in m._children.values()
        if getattr(c, "layer_name", None)
    }


def _point_layers(m: folium.Map) -> dict[str, render._PointLayer]:
    return {c.layer_name: c for c in m._children.values() if isinstance(c, render._PointLayer)}


def test_map_has_reference_layers_controls_and_legend():
    m = render.render_map(**make_inputs())
    names = _layers_by_name(m)
    assert "Offline basemap (boundary data)" in names
    assert "OpenStreetMap" in names
    assert "AF–PK border (Durand Line, de facto)" in names
    assert "Provinces (admin1)" in names
    assert names["Districts (admin2)"].show is False
    kinds = [type(c).__name__ for c in m._children.values()]
    for expected in ("Fullscreen", "Legend", "InfoPanel"):
        assert expected in kinds
    assert any(isinstance(c, folium.LayerControl) for c in m._children.values())
    assert any(isinstance(c, TimestampedGeoJson) for c in m._children.values())
    # Only one base layer is shown at start: the offline one (no tile requests).
    tiles = [c for c in m._children.values() if isinstance(c, folium.TileLayer)]
    assert tiles and all(not t.show for t in tiles)


def test_marker_counts_per_layer():
    m = render.render_map(**make_inputs())
    layers = _point_layers(m)
    assert len(layers["Border crossings (status)"].rows) == 10
    assert len(layers["Incidents: Clash (2)"].rows) == 2
    assert len(layers["Incidents: Explosion (1)"].rows) == 1
    # the planned talks are not a fact: own layer, hollow and dashed
    notfact = layers["Not facts: planned/threatened/denied (1)"].rows
    assert notfact[0]["style"]["fill"] is False and notfact[0]["style"]["dashArray"]
    assert len(layers["Places mentioned (2)"].rows) == 2
    far = layers["Far-away places (2)"]
    assert far.show is False and len(far.rows) == 2


def test_crossing_status_colours_and_as_of():
    m = render.render_map(**make_inputs())
    rows = {
        r["tooltip"].split("</b>")[0][3:]: r
        for r in _point_layers(m)["Border crossings (status)"].rows
    }
    assert "geomap-status-partial" in rows["Torkham"]["cls"]
    assert "geomap-contested" in rows["Chaman–Spin Boldak"]["cls"]
    # On 2025-10-20 Torkham was closed; before any statement its status is unknown.
    m20 = render.render_map(**make_inputs(), as_of=dt.date(2025, 10, 20))
    rows20 = {
        r["tooltip"].split("</b>")[0][3:]: r
        for r in _point_layers(m20)["Border crossings (status)"].rows
    }
    assert "geomap-status-closed" in rows20["Torkham"]["cls"]
    m01 = render.render_map(**make_inputs(), as_of=dt.date(2025, 10, 1))
    rows01 = {
        r["tooltip"].split("</b>")[0][3:]: r
        for r in _point_layers(m01)["Border crossings (status)"].rows
    }
    assert "geomap-status-unknown" in rows01["Torkham"]["cls"]
    # incidents after as_of are not drawn
    assert not any(n.startswith("Incidents") for n in _point_layers(m01))


def test_initial_view_frames_the_data_not_istanbul_doha_or_a_capital():
    m = render.render_map(**make_inputs())
    fits = [c for c in m._children.values() if isinstance(c, render._FitData)]
    (s, w), (n, e) = fits[-1].bounds
    # The data: incidents near (33.9 N, 70.1 E), Torkham (34.1 N, 71.1 E) and Chaman
    # (30.9 N, 66.4 E) with their status history, Kabul (an incident site) - not the
    # whole of both countries (24.9-38.5 N, 60.9-77.1 E), not Islamabad (a capital
    # standing for the government, 73.05 E), Istanbul or Doha.
    assert 30.6 < s < 30.92 and 34.53 < n < 34.8
    assert 66.2 < w < 66.45 and 71.1 < e < 71.4
    # The view is set before any layer is added, without animation (no re-clustering).
    assert list(m._children.values())[0] is fits[-1]
    script = fits[-1]._template.module.script(fits[-1])
    assert "animate: false" in script and "window.geomap.small()" in script


@pytest.mark.parametrize(
    ("sites", "expected"),
    [
        ([], [[23.85, 59.85], [38.15, 78.15]]),  # no data: the fallback frame, with the margin
        ([(34.0, 71.0)], [[33.25, 70.25], [34.75, 71.75]]),  # one site: MIN_VIEW_DEG across
        ([(30.0, 66.0), (36.0, 71.0)], [[29.85, 65.85], [36.15, 71.15]]),  # margin each side
        ([(34.0, 66.0), (34.2, 71.0)], [[33.35, 65.85], [34.85, 71.15]]),  # a thin belt
    ],
)
def test_view_bounds_frame_the_sites_with_a_margin_and_a_minimum_span(sites, expected):
    got = render._view_bounds(sites, (60.0, 24.0, 78.0, 38.0))
    assert got == [pytest.approx(expected[0]), pytest.approx(expected[1])]


def test_initial_view_without_data_shows_the_border_provinces():
    inputs = make_inputs()
    inputs["events"] = inputs["events"].iloc[0:0]
    inputs["places"] = inputs["places"].iloc[0:0]
    inputs["crossings"]["history"] = [[] for _ in range(len(inputs["crossings"]))]
    m = render.render_map(**inputs)
    (s, w), (n, e) = next(c for c in m._children.values() if isinstance(c, render._FitData)).bounds
    assert 24.6 < s < 24.9 and 38.5 < n < 38.8 and 60.6 < w < 60.9 and 77.1 < e < 77.4


def _slider(m: folium.Map) -> render._TimeSlider:
    return next(c for c in m._children.values() if isinstance(c, render._TimeSlider))


def test_time_slider_has_status_intervals_and_dated_incidents():
    m = render.render_map(**make_inputs())
    feats = _slider(m).features()
    rings = [f for f in feats if "geomap-ring" in f["properties"]["style"].get("className", "")]
    # Torkham closed then partial, Chaman closed: three intervals
    assert sorted(f["properties"]["style"]["className"].split()[-1] for f in rings) == [
        "geomap-status-closed",
        "geomap-status-closed",
        "geomap-status-partial",
    ]
    torkham_closed = next(
        f
        for f in rings
        if f["properties"]["times"][0] == "2025-10-12"
        and f["geometry"]["coordinates"] == list(TORKHAM)
    )
    assert torkham_closed["properties"]["times"] == ["2025-10-12", "2025-10-24"]
    assert len(feats) == 3 + 3  # + three dated, located, occurred incidents
    # The page carries compact rows, not one GeoJSON object per feature.
    page = m.get_root().render()
    assert '"rows":[[' in page and '"iconstyle"' not in page
    # no stock-plugin extras: jQuery UI, highlight.js, a second jQuery
    assert "jqueryui" not in page and "highlight.js" not in page
    assert page.count("jquery-3.7.1.min.js") + page.count("jquery/3.7.1/") == 1


def test_undated_status_holds_from_its_report_date():
    # "the crossing remains closed" (no start date) reported on 11-03, then reopened 11-10
    history = [
        {"status": "open", "start": "2025-06-01", "end": "2025-10-12"},
        {"status": "closed", "start": None, "known_from": "2025-11-03", "end": "2025-11-10"},
        {"status": "open", "start": "2025-11-10", "end": None},
    ]
    at = {d: render._status_at(history, dt.date.fromisoformat(d)) for d in (
        "2025-07-01", "2025-10-20", "2025-11-05", "2025-11-12")}
    assert at["2025-07-01"]["status"] == "open"
    assert at["2025-10-20"] is None  # nothing known between 10-12 and 11-03
    assert at["2025-11-05"]["status"] == "closed"
    assert at["2025-11-12"]["status"] == "open"
    # without known_from, the earliest evidence's publication date stands in
    item = {"status": "closed", "start": None, "evidence": [{"published": "2025-11-04"}]}
    assert render._known_from(item) == dt.date(2025, 11, 4)


def test_country_level_events_are_drawn_as_approximate():
    inputs = make_inputs()
    events = inputs["events"].copy()
    events["geo_precision"] = 1
    events.loc[0, "geo_precision"] = 3  # located only to a province/country
    inputs["events"] = events
    m = render.render_map(**inputs)
    rows = [r for n, layer in _point_layers(m).items() if n.startswith("Incidents") for r in layer.rows]
    approx = [r for r in rows if r.get("kind") == "approx"]
    assert len(approx) == 1 and "geomap-approx" in approx[0]["cls"]
    assert "approximate" in approx[0]["f"][6] and "not the site" in approx[0]["f"][6]
    assert all("approximate" not in r["f"][6] for r in rows if r is not approx[0])
    legend = next(c for c in m._children.values() if isinstance(c, render.Legend))
    assert "province/country centre" in legend.html


def test_markers_sharing_a_site_are_fanned_out():
    rows = [{"lat": 34.1, "lon": 71.1} for _ in range(3)] + [{"lat": 30.0, "lon": 66.0}]
    render._fan_out(rows, set())
    offsets = {(r["dx"], r["dy"]) for r in rows[:3]}
    assert len(offsets) == 3 and all(12 <= math.hypot(*o) <= 40 for o in offsets)
    assert "dx" not in rows[3]  # alone: stays on its point
    lone = [{"lat": 30.0, "lon": 66.0}]
    render._fan_out(lone, {(30.0, 66.0)})  # alone but on a crossing: moved aside
    assert math.hypot(lone[0]["dx"], lone[0]["dy"]) > 10


def test_crossing_status_event_layers_start_hidden():
    inputs = make_inputs()
    events = inputs["events"].copy()
    events.loc[1, "type"] = "closure"
    inputs["events"] = events
    layers = _point_layers(render.render_map(**inputs))
    assert layers["Incidents: Closure (1)"].show is False
    assert layers["Incidents: Clash (1)"].show is True


def test_panel_lists_far_places_unlocated_and_not_fact_events():
    m = render.render_map(**make_inputs(), notes=["No places found in article b"])
    panel = next(c for c in m._children.values() if isinstance(c, render.InfoPanel))
    assert "Far-away places (layer off by default) (2)" in panel.html
    assert "Istanbul" in panel.html and "Doha" in panel.html
    assert "Events without a location (not drawn) (1)" in panel.html
    assert "Not facts: planned / threatened / denied (1)" in panel.html
    assert "No places found in article b" in panel.html


def test_hostile_strings_are_escaped_everywhere():
    m = render.render_map(**make_inputs(hostile=True))
    page = m.get_root().render()
    # No hostile markup survives anywhere in the page, not even inside JSON in scripts.
    for bad in (
        "<script>alert",
        "<img src=x",
        "onerror=alert(1)>",
        'href="javascript:',
        "</div></div><b>",
        "${alert",
        "window.__pwned=1</script>",
    ):
        assert bad not in page, bad
    # and no script element is closed early: every </script> closes one opened by folium
    assert page.count("<script") == page.count("</script>")
    # the text is still there, escaped, in the popups
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page or "\\u0026lt;script" in page


def test_escape_function_neutralises_template_literal_and_html():
    out = render._esc('`${x}` <b a="1">\' \\')
    assert out == "&#96;&#36;&#123;x&#125;&#96; &lt;b a=&quot;1&quot;&gt;&#x27; &#92;"
    assert render._esc(None) == "" and render._esc(float("nan")) == ""


def test_wrong_crs_is_rejected():
    inputs = make_inputs()
    inputs["places"] = inputs["places"].to_crs(3857)
    with pytest.raises(CRSError, match="EPSG:4326"):
        render.render_map(**inputs)


def test_empty_inputs_still_draw_reference_layers():
    layers = load_layers()
    empty = gpd.GeoDataFrame(geometry=[], crs="EPSG:4326")
    m = render.render_map(
        places=empty, events=empty, crossings=empty, layers=layers, notes=["No places found"]
    )
    assert "AF–PK border (Durand Line, de facto)" in _layers_by_name(m)
    assert not any(n.startswith("Incidents") for n in _point_layers(m))


def test_save_map_is_atomic_and_links_cdn_by_default(tmp_path):
    m = render.render_map(**make_inputs())
    out = render.save_map(m, tmp_path / "sub" / "map.html")
    page = out.read_text()
    assert 'src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"' in page
    assert [p.name for p in out.parent.iterdir()] == ["map.html"]  # no temp file left


@pytest.mark.skipif(
    not assets_available(), reason="map assets not fetched: run scripts/fetch_assets.py"
)
def test_save_map_offline_inlines_every_asset(tmp_path):
    m = render.render_map(**make_inputs())
    page = render.save_map(m, tmp_path / "map.html", offline=True).read_text()
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+stylesheet", page)
    # stylesheets' fonts and images became data: URIs; no CDN url() is left
    assert not re.search(r"url\([\"']?(https?:)?//", page)
    assert "font/woff2;base64" in page
    # each font file embedded once (Font Awesome names it under three families), no brands
    solid = resolve("https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/webfonts/fa-solid-900.woff2")
    assert page.count(base64.b64encode(solid[:300]).decode()[:200]) == 1
    assert '@font-face{font-family:"Font Awesome 6 Brands"' not in page
    # jQuery once; the full-screen button keeps its (SVG) icon
    assert page.count("jQuery v3.7.1") == 1
    assert "data:image/svg+xml;base64" in page


@pytest.mark.skipif(
    not assets_available(), reason="map assets not fetched: run scripts/fetch_assets.py"
)
def test_every_folium_asset_url_resolves_locally():
    page = render.render_map(**make_inputs()).get_root().render()
    urls = set(re.findall(r'(?:src|href)="(https://[^"]+\.(?:js|css))"', page))
    assert len(urls) >= 20
    missing = [u for u in urls if resolve(u) is None]
    assert missing == []


def test_script_json_cannot_open_a_jinja_block_but_stays_valid_json():
    data = {"a": "{{ 7*7 }} {% if x %} {# c #}", "b": {"c": [{"d": "}}"}]}}
    text = render._script_json(data)
    for opener in ("{{", "{%", "{#"):
        assert opener not in text
    assert json.loads(text) == data


def _timeline_with_unnamed() -> pd.DataFrame:
    ev = [
        {
            "article_id": "a1",
            "sentence": "Two crossings reopened for refugees.",
            "published": "2025-10-26",
        }
    ]
    return pd.DataFrame(
        [
            {"crossing_id": "chaman_spin_boldak", "name": "Chaman–Spin Boldak", "scope": "named",
             "status": "closed", "start": "2025-10-12", "known_from": dt.date(2025, 10, 12),
             "end": None, "qualifier": None, "contested": False, "evidence": ev},
            {"crossing_id": None, "name": "2 unnamed crossings", "scope": "count", "count": 2,
             "status": "partial", "start": None, "known_from": dt.date(2025, 10, 26), "end": None,
             "qualifier": "refugees", "contested": False, "evidence": ev},
        ]
    )


def test_unnamed_crossing_statement_is_shown_but_never_coloured():
    inputs = make_inputs()
    m = render.render_map(**inputs, timeline=_timeline_with_unnamed(), as_of=dt.date(2025, 10, 27))
    legend = next(c for c in m._children.values() if isinstance(c, render.Legend))
    assert "Also reported:</b> 2 unnamed crossings partly open for refugees since ?" in legend.html
    assert "Two crossings reopened for refugees." in legend.html
    rows = {r["name"]: r for r in _point_layers(m)["Border crossings (status)"].rows}
    # Chaman stays closed (red), with the note in its popup; Torkham (itself partly
    # open on that day) gets no note; no crossing turns partial because of the statement.
    assert rows["Chaman–Spin Boldak"]["status"] == "closed"
    assert "May be one of the 2 unnamed crossings" in rows["Chaman–Spin Boldak"]["popup"]
    assert _notes_shown(rows["Chaman–Spin Boldak"]["popup"], "geomap-unnamed-note") == [True]
    assert _notes_shown(rows["Torkham"]["popup"], "geomap-unnamed-note") == [False]
    assert _notes_shown(legend.html, "geomap-unnamed") == [True]
    assert [r["name"] for r in rows.values() if r["status"] == "partial"] == ["Torkham"]
    # Before the report date the statement is not in force: notes and legend line hidden
    # (the time slider shows them from 2025-10-26 on).
    m = render.render_map(**inputs, timeline=_timeline_with_unnamed(), as_of=dt.date(2025, 10, 20))
    legend = next(c for c in m._children.values() if isinstance(c, render.Legend))
    assert _notes_shown(legend.html, "geomap-unnamed") == [False]
    assert f'data-from="{render._epoch_ms(dt.date(2025, 10, 26))}" data-to=""' in legend.html
    rows = {r["name"]: r for r in _point_layers(m)["Border crossings (status)"].rows}
    assert _notes_shown(rows["Chaman–Spin Boldak"]["popup"], "geomap-unnamed-note") == [False]


def _notes_shown(html_text: str, css_class: str) -> list[bool]:
    """For each note element of ``css_class`` in ``html_text``: not marked ``hidden``."""
    return [
        " hidden" not in attrs
        for attrs in re.findall(rf'<div class="{css_class}"([^>]*)>', html_text)
    ]


def test_countries_are_listed_not_drawn_and_capitals_stay():
    inputs = make_inputs()
    places = inputs["places"]
    extra = places.iloc[[0, 0, 0]].copy()
    extra["mention"] = ["Pakistan", "Pakistani", "Kandahar province"]
    extra["name"] = ["Pakistan", "Pakistan", "Kandahar"]
    extra["kind"] = ["country", "country", "province"]
    extra["role"] = ["government", "context", "government"]
    extra = extra.set_geometry([Point(70, 30), Point(70, 30), Point(65.7, 31.6)])
    inputs["places"] = pd.concat([places, extra], ignore_index=True)
    m = render.render_map(**inputs)
    near = _point_layers(m)["Places mentioned (2)"].rows  # Kabul and Islamabad only
    assert sorted(r["style"]["className"] for r in near) == [
        "geomap-place geomap-role-government",
        "geomap-place geomap-role-incident",
    ]
    panel = next(c for c in m._children.values() if isinstance(c, render.InfoPanel))
    assert "Countries and regions named (not drawn as points) (2)" in panel.html
    pakistan = "<b>Pakistan</b> <span class='muted'>(context ×1, government ×1; 2 mention(s))"
    assert pakistan in panel.html
    assert "<b>Kandahar</b>" in panel.html
    legend = next(c for c in m._children.values() if isinstance(c, render.Legend))
    assert "Capital standing for a government" not in legend.html
    assert "City named as a government (not a site)" in legend.html


def test_border_wide_events_have_their_own_visible_section():
    inputs = make_inputs()
    events = inputs["events"].copy()
    events["scope"] = "place"
    i = events.index[events["id"] == "a1-u"][0]
    events.loc[i, ["type", "scope", "date", "sentence"]] = [
        "clash", "border", "2025-10", "Deadly border clashes last month.",
    ]
    events["fatalities_text"] = None
    events.loc[i, "fatalities_text"] = "dozens"
    inputs["events"] = events
    panel = next(
        c for c in render.render_map(**inputs)._children.values() if isinstance(c, render.InfoPanel)
    )
    assert "Along the border (no single site) (1)</h5>" in panel.html
    assert "<b>Clash</b> 2025-10 · dozens dead" in panel.html
    assert "Deadly border clashes last month." in panel.html
    assert "Events without a location" not in panel.html  # it was the only unlocated one


def test_dated_incidents_carry_their_day_for_the_slider():
    m = render.render_map(**make_inputs())
    rows = [r for layer in _point_layers(m).values() for r in layer.rows if "f" in r]
    assert len(rows) == 3
    assert sorted(r["t"] for r in rows) == sorted(
        render._epoch_ms(dt.date(2025, 10, d)) for d in (10, 11, 12)
    )


def test_panel_names_events_in_warnings_instead_of_internal_ids():
    inputs = make_inputs(hostile=True)
    hid = "0a48e49d720ef416"
    events = inputs["events"].copy()
    events.loc[events["id"] == "a1-e1", "id"] = f"{hid}-e2"
    inputs["events"] = events
    notes = [
        f"{hid}-e2: no date in the sentence; left empty",
        f"{hid}-e9: no location found",  # an event not in the frame
        "no Published: line; reference date inferred",
    ]
    m = render.render_map(**inputs, notes=notes)
    panel = next(c for c in m._children.values() if isinstance(c, render.InfoPanel))
    assert hid not in panel.html
    assert "Event 2 (clash at Kurram " in panel.html
    assert "): no date in the sentence; left empty" in panel.html
    assert "Event 9 of an article (not on this map): no location found" in panel.html
    assert "no Published: line; reference date inferred" in panel.html
    for bad in HOSTILE:  # article text in the note is escaped like all article text
        assert bad not in panel.html


def test_time_slider_starts_on_the_panels_state_as_of_day():
    # as_of after every dated feature (no crossing interval reaches it): the slider
    # must still offer that day and start on it, as the panel says "State as of".
    inputs = make_inputs()
    crossings = inputs["crossings"].copy()
    crossings["history"] = [[] for _ in range(len(crossings))]
    inputs["crossings"] = crossings
    as_of = dt.date(2025, 11, 3)
    m = render.render_map(**inputs, as_of=as_of)
    times = {t for f in _slider(m).features() for t in f["properties"]["times"]}
    assert as_of.isoformat() in times
    extras = next(c for c in m._children.values() if type(c).__name__ == "_Extras")
    assert extras.slider_time == as_of.isoformat()
    panel = next(c for c in m._children.values() if isinstance(c, render.InfoPanel))
    assert f"State as of <b>{as_of.isoformat()}</b>" in panel.html
    # a day that a feature already carries adds no anchor
    m2 = render.render_map(**inputs, as_of=dt.date(2025, 10, 11))
    assert not any("anchor" in str(f["properties"]["style"]) for f in _slider(m2).features())


def test_contested_span_without_a_stated_date_shows_when_reports_disagree():
    # timeline.status_as_of gives such a span since = known_from; the popup must say the same.
    inputs = make_inputs()
    crossings = inputs["crossings"]
    ev = [{"article_id": "a1", "sentence": "Chaman remained open, traders said.", "published": "2025-10-20"}]
    j = crossings.index[crossings["id"] == "chaman_spin_boldak"][0]
    crossings.at[j, "history"] = [
        {"status": "closed", "start": "2025-10-12", "end": "2025-10-20", "evidence": ev},
        {"status": "unknown", "start": None, "known_from": "2025-10-20", "end": None,
         "contested": True, "evidence": ev},
    ]
    m = render.render_map(**inputs, as_of=dt.date(2025, 10, 22))
    row = {r["name"]: r for r in _point_layers(m)["Border crossings (status)"].rows}["Chaman–Spin Boldak"]
    assert row["status"] == "unknown"
    assert "since 2025-10-20" in row["popup"]


def _panel(m: folium.Map) -> render.InfoPanel:
    return next(c for c in m._children.values() if isinstance(c, render.InfoPanel))


def test_non_fact_events_dated_after_as_of_are_drawn_and_listed_with_date_and_certainty():
    # The planned talks (2025-10-30) come after the as-of day: a plan is not part of the
    # state on that day, but the reader must see it (layer + panel, with date and certainty).
    m = render.render_map(**make_inputs(), as_of=dt.date(2025, 10, 20))
    rows = _point_layers(m)["Not facts: planned/threatened/denied (1)"].rows
    assert "2025-10-30" in rows[0]["tooltip"] and "planned" in rows[0]["tooltip"]
    assert "t" not in rows[0]  # not hidden by the time slider
    html = _panel(m).html
    listed = html.split("Not facts: planned / threatened / denied (1)", 1)[1]
    assert "2025-10-30" in listed and "(planned" in listed and "Istanbul" in listed
    assert "after the as-of day" in listed


def test_facts_dated_after_as_of_are_listed_not_drawn():
    # All three incidents (2025-10-10..12) are after 2025-10-01: not drawn (the map shows
    # the state on that day), but counted in the panel so they are not silently missing.
    m = render.render_map(**make_inputs(), as_of=dt.date(2025, 10, 1))
    assert not any(n.startswith("Incidents") for n in _point_layers(m))
    html = _panel(m).html
    assert "Incidents dated after 2025-10-01 (not drawn; a later --as-of shows them) (3)" in html
    # ... and with as_of after every incident there is no such list
    m2 = render.render_map(**make_inputs(), as_of=dt.date(2025, 11, 1))
    assert "Incidents dated after" not in _panel(m2).html


def test_event_notes_name_their_article_on_a_multi_article_map():
    inputs = make_inputs()
    events = inputs["events"].copy()
    a1, a2 = "0a48e49d720ef416", "9c1f3e5b7d2a4c60"
    events.loc[events["id"] == "a1-e1", ["id", "article_id"]] = [f"{a1}-e2", a1]
    events.loc[events["id"] == "a1-e2", ["id", "article_id"]] = [f"{a2}-e2", a2]
    inputs["events"] = events
    notes = [f"{a1}-e2: no date in the sentence; left empty", f"{a2}-e2: year assumed"]
    m = render.render_map(**inputs, notes=notes, articles={a1: "Torkham reopens"})
    html = _panel(m).html
    # the title when it is known, else the article's id (as in events.geojson's article_id)
    assert 'Event 2 of “Torkham reopens” (clash at Kurram' in html
    assert f"Event 2 of article {a2} (clash at Kurram" in html
    # one article on the map: its title is the heading, the note needs no article
    single = make_inputs()
    ev = single["events"].copy()
    ev.loc[ev["id"] == "a1-e1", "id"] = f"{a1}-e2"
    ev["article_id"] = a1
    single["events"] = ev
    html1 = _panel(render.render_map(**single, notes=[notes[0]])).html
    assert "Event 2 (clash at Kurram" in html1
