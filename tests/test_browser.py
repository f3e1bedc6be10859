"""The generated map in a real browser (Debian chromium, headless, no network)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from test_render import make_inputs

from geomap import render
from geomap._assets import assets_available

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not assets_available(), reason="map assets not fetched: run scripts/fetch_assets.py"
    ),
]

COUNT_JS = """() => ({
  crossings: document.querySelectorAll('.leaflet-marker-pane .geomap-crossing').length,
  closed: document.querySelectorAll('.leaflet-marker-pane .geomap-status-closed').length,
  partial: document.querySelectorAll('.leaflet-marker-pane .geomap-status-partial').length,
  incidents: document.querySelectorAll('.leaflet-marker-pane .geomap-incident').length,
  clusters: document.querySelectorAll('.leaflet-marker-pane .marker-cluster').length,
  border: document.querySelectorAll('path.geomap-border').length,
  admin1: document.querySelectorAll('path.geomap-admin1').length,
  notfact: document.querySelectorAll('path.geomap-notfact').length,
  legend: document.querySelectorAll('.geomap-legend').length,
  panel: document.querySelectorAll('.geomap-panel').length,
  layerControl: document.querySelectorAll('.leaflet-control-layers').length,
  overlays: document.querySelectorAll('.leaflet-control-layers-overlays input').length,
  minimap: document.querySelectorAll('.leaflet-control-minimap').length,
  fullscreen: document.querySelectorAll('.leaflet-control-zoom-fullscreen, .fullscreen-icon').length,
  timeControl: document.querySelectorAll('.leaflet-bar-timecontrol').length,
  scale: document.querySelectorAll('.leaflet-control-scale').length,
  attribution: (document.querySelector('.leaflet-control-attribution') || {}).textContent || '',
  pwned: window.__pwned || 0,
  injectedImgs: document.querySelectorAll('img[src="x"]').length,
  injectedScripts: [...document.scripts].filter(s => s.textContent.includes('window.__pwned=1') && !s.textContent.includes('\\\\u003c')).length,
  faLoaded: [...document.fonts].some(f => f.family.includes('Font Awesome 6 Free') && f.status === 'loaded'),
  approx: document.querySelectorAll('.leaflet-marker-pane .geomap-approx').length,
  rings: [...document.querySelectorAll('path.geomap-ring')].map(p => p.getAttribute('stroke')).sort(),
  sliderDate: (document.querySelector('.timecontrol-date') || {}).textContent || '',
  legendDate: (document.querySelector('.geomap-legend .geomap-slider-date') || {}).textContent || '',
  legendClosed: (document.querySelector('.geomap-legend .geomap-n-closed') || {}).textContent || '',
  legendPartial: (document.querySelector('.geomap-legend .geomap-n-partial') || {}).textContent || '',
})"""

SET_DAY = """(day) => {
  const map = Object.values(window).find(v => v instanceof L.Map);
  map.timeDimension.setCurrentTime(Date.parse(day));
}"""

RED, ORANGE = render.STATUS_STYLE["closed"][0], render.STATUS_STYLE["partial"][0]


def _assert_clean(log):
    assert log.page_errors == []
    assert log.console_errors == []
    assert log.dialogs == []


def test_map_renders_with_all_layers_offline_routed(tmp_path, open_map):
    m = render.render_map(**make_inputs(), as_of=dt.date(2025, 10, 26))
    path = render.save_map(m, tmp_path / "map.html")
    page, log = open_map(path, mode="route")
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_timeout(300)
    got = page.evaluate(COUNT_JS)
    assert log.aborted == []
    _assert_clean(log)
    assert got["crossings"] == 10
    assert got["closed"] == 1 and got["partial"] == 1  # Chaman closed, Torkham partly open on 10-26
    assert got["incidents"] == 3
    assert got["border"] == 1
    assert got["admin1"] == 41
    assert got["notfact"] == 1  # the planned talks (2025-10-30): after as_of, still shown
    assert got["legend"] == 1 and got["panel"] == 1
    assert got["layerControl"] >= 1 and got["overlays"] >= 7
    assert got["minimap"] == 1 and got["timeControl"] == 1 and got["scale"] == 1
    assert "OpenStreetMap" in got["attribution"] and "geoBoundaries" in got["attribution"]
    assert "GeoNames" in got["attribution"]
    assert got["faLoaded"]
    # The default base layer is the offline basemap: no tile was requested.
    assert log.tiles == [] or all("minimap" not in t for t in log.tiles)
    page.screenshot(path=str(tmp_path / "map.png"))
    # Clicking Torkham opens a popup with its history and the quoted evidence.
    page.click(".leaflet-marker-pane .geomap-status-partial")
    popup = page.wait_for_selector(".leaflet-popup-content")
    page.wait_for_timeout(400)  # let the popup fade in before the screenshot
    text = popup.inner_text()
    assert "status history" in text.lower() and "2025-10-12" in text and "Plain sentence." in text
    page.screenshot(path=str(tmp_path / "map_popup.png"))


def test_hostile_article_runs_nothing(tmp_path, open_map):
    m = render.render_map(**make_inputs(hostile=True))
    path = render.save_map(m, tmp_path / "hostile.html")
    page, log = open_map(path, mode="route")
    # open every popup and tooltip so the escaped HTML is really inserted into the DOM
    opened = page.evaluate("""() => {
        const map = Object.values(window).find(v => v instanceof L.Map);
        let n = 0;
        map.eachLayer(l => {
            if (l.getTooltip && l.getTooltip()) { l.openTooltip(); n++; }
            if (l.getPopup && l.getPopup()) { l.openPopup(); n++; }
        });
        return n;
    }""")
    assert opened >= 10 + 3 + 2
    # Torkham: its popup quotes the hostile sentence
    page.evaluate("""() => {
        const map = Object.values(window).find(v => v instanceof L.Map);
        map.eachLayer(l => { if (l._icon && l._icon.classList.contains('geomap-status-partial')) l.openPopup(); });
    }""")
    page.wait_for_selector(".leaflet-popup-content")
    page.wait_for_timeout(200)
    got = page.evaluate(COUNT_JS)
    _assert_clean(log)
    assert got["pwned"] == 0
    assert got["injectedImgs"] == 0
    popup = page.inner_text(".leaflet-popup-content")
    assert "<script>alert(1)</script>" in popup  # shown as text, not run
    panel = page.inner_text(".geomap-panel")
    assert "<script>alert(1)</script>" in panel
    assert got["crossings"] == 10 and got["legend"] == 1
    page.screenshot(path=str(tmp_path / "hostile.png"))


def test_self_contained_file_renders_with_network_cut_and_time_slider_moves(tmp_path, open_map):
    inputs = make_inputs()
    events = inputs["events"].copy()
    events["geo_precision"] = 1
    events.loc[0, "geo_precision"] = 3  # only the province is known: drawn as approximate
    inputs["events"] = events
    m = render.render_map(**inputs)
    path = render.save_map(m, tmp_path / "offline.html", offline=True)
    page, log = open_map(path, mode="sealed")
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_timeout(300)
    got = page.evaluate(COUNT_JS)
    assert log.aborted == []  # nothing even tried to reach the network
    _assert_clean(log)
    assert got["crossings"] == 10 and got["incidents"] == 3 and got["border"] == 1
    assert got["approx"] == 1  # one of the three incidents, drawn apart
    assert got["notfact"] == 1  # the planned talks: hollow, dashed
    assert got["legend"] == 1 and got["layerControl"] >= 1 and got["minimap"] == 1
    assert got["faLoaded"]
    assert got["timeControl"] == 1
    # The slider starts on the last day: Torkham partly open, Chaman closed.
    assert got["rings"] == sorted([RED, ORANGE]) and got["sliderDate"] == "2025-10-25"
    assert (got["closed"], got["partial"]) == (1, 1)
    page.screenshot(path=str(tmp_path / "offline.png"))
    # 2025-10-20: both closed (rings, squares and legend counts follow the slider).
    page.evaluate(SET_DAY, "2025-10-20")
    page.wait_for_timeout(600)
    got = page.evaluate(COUNT_JS)
    assert got["rings"] == [RED, RED] and got["sliderDate"] == "2025-10-20"
    assert (got["closed"], got["partial"]) == (2, 0)
    assert (got["legendDate"], got["legendClosed"], got["legendPartial"]) == ("2025-10-20", "2", "0")
    page.screenshot(path=str(tmp_path / "offline_2025-10-20.png"))
    # the control's own "forward" button steps one day on
    page.click(".timecontrol-forward")
    page.wait_for_timeout(600)
    assert page.evaluate(COUNT_JS)["sliderDate"] == "2025-10-21"
    # 2025-10-11: before any statement: no ring, every crossing unknown.
    page.evaluate(SET_DAY, "2025-10-11")
    page.wait_for_timeout(600)
    got = page.evaluate(COUNT_JS)
    assert got["rings"] == [] and (got["closed"], got["partial"]) == (0, 0)
    # Incidents follow the slider too: the one of 2025-10-12 is hidden on 10-11 ...
    assert got["incidents"] == 2 and got["approx"] == 1
    # ... and comes back when the slider moves past its day.
    page.evaluate(SET_DAY, "2025-10-20")
    page.wait_for_timeout(600)
    assert page.evaluate(COUNT_JS)["incidents"] == 3
    page.evaluate(SET_DAY, "2025-10-10")  # the first day: only that day's incident
    page.wait_for_timeout(600)
    got = page.evaluate(COUNT_JS)
    assert got["sliderDate"] == "2025-10-10" and got["incidents"] == 1
    page.screenshot(path=str(tmp_path / "offline_2025-10-10.png"))
    _assert_clean(log)


def test_dense_incidents_are_clustered(tmp_path, open_map):
    m = render.render_map(**make_inputs(n_incidents=300))
    path = render.save_map(m, tmp_path / "dense.html")
    page, log = open_map(path, mode="route")
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_timeout(300)
    got = page.evaluate(COUNT_JS)
    _assert_clean(log)
    assert got["clusters"] >= 1
    assert got["incidents"] < 300


def test_planned_event_after_the_as_of_day_is_drawn_and_listed(tmp_path, open_map):
    # The planned talks (2025-10-30) are after the as-of day (2025-10-20): the dashed ring
    # is there whatever the slider's day, and the panel lists it with date and certainty.
    m = render.render_map(**make_inputs(), as_of=dt.date(2025, 10, 20))
    path = render.save_map(m, tmp_path / "future.html", offline=True)
    page, log = open_map(path, mode="sealed")
    page.wait_for_timeout(300)
    got = page.evaluate(COUNT_JS)
    assert got["sliderDate"] == "2025-10-20" and got["notfact"] == 1
    page.evaluate(SET_DAY, "2025-10-11")
    page.wait_for_timeout(600)
    assert page.evaluate(COUNT_JS)["notfact"] == 1
    page.click(".geomap-panel summary:has-text('Not facts')")
    item = page.inner_text(".geomap-panel details[open] li")
    assert "2025-10-30" in item and "planned" in item and "after the as-of day" in item
    page.screenshot(path=str(tmp_path / "future.png"))
    _assert_clean(log)


# ----------------------------------------------- issue 14 item 7: times across digit boundaries

SLIDER_JS = """() => {
  const map = Object.values(window).find(v => v instanceof L.Map);
  const t = map.timeDimension.getAvailableTimes();
  let sorted = true;
  for (let i = 1; i < t.length; i++) { if (!(t[i - 1] < t[i])) { sorted = false; } }
  return {n: t.length, sorted: sorted, first: new Date(t[0]).toISOString().slice(0, 10),
          last: new Date(t[t.length - 1]).toISOString().slice(0, 10),
          now: new Date(map.timeDimension.getCurrentTime()).toISOString().slice(0, 10)};
}"""


def _dated_incidents(days: list[str]) -> dict:
    """make_inputs() with one incident per day of ``days`` and no crossing history."""
    inputs = make_inputs(n_incidents=len(days))
    events = inputs["events"]
    for k, day in enumerate(days):
        events.loc[events["id"] == f"a1-e{k}", "date"] = day
    crossings = inputs["crossings"]
    crossings["history"] = [[] for _ in range(len(crossings))]
    crossings["status"], crossings["contested"] = "unknown", False
    return inputs


@pytest.mark.parametrize(
    "days",
    [
        ["1980-01-10", "2021-08-20"],  # 12- and 13-digit epoch milliseconds
        ["2001-09-08", "2001-09-10"],  # either side of 2001-09-09 01:46:40 UTC (10**12 ms)
        ["1965-09-06", "1973-03-02", "1973-03-04", "2001-09-10"],  # negative, 11 and 12 digits
    ],
    ids=["1980-2021", "around-2001-09-09", "before-1970"],
)
def test_time_slider_reaches_every_day_in_order_across_epoch_digit_boundaries(
    tmp_path, open_map, days
):
    inputs = _dated_incidents(days)
    as_of = dt.date.fromisoformat(days[-1])
    m = render.render_map(**inputs, as_of=as_of)
    path = render.save_map(m, tmp_path / "m.html", offline=True)
    page, log = open_map(path, mode="sealed")
    page.wait_for_timeout(400)
    got = page.evaluate(SLIDER_JS)
    span = (as_of - dt.date.fromisoformat(days[0])).days + 1
    assert got == {"n": span, "sorted": True, "first": days[0], "last": days[-1], "now": days[-1]}
    assert page.evaluate(COUNT_JS)["incidents"] == len(days)
    for k, day in enumerate(days):  # each day reachable, its incident and the earlier ones shown
        page.evaluate(SET_DAY, day)
        page.wait_for_timeout(300)
        shown = page.evaluate(COUNT_JS)
        assert (shown["sliderDate"], shown["incidents"]) == (day, k + 1)
    _assert_clean(log)


# ----------------------------------- issue 14 item 10: notes on unnamed crossings follow the day

NOTES_JS = """() => {
  const shown = (sel) => [...document.querySelectorAll(sel)].filter(el => el.offsetParent !== null)
    .map(el => el.textContent.includes('2 unnamed') ? 'nov' : 'stale');
  return {legend: shown('.geomap-legend .geomap-unnamed'),
          popup: shown('.leaflet-popup-content .geomap-unnamed-note')};
}"""

OPEN_CHAMAN = """() => {
  const map = Object.values(window).find(v => v instanceof L.Map);
  map.eachLayer(l => { if (l.geomap && l.geomap.name.startsWith('Chaman')) { l.openPopup(); } });
}"""


def _unnamed_timeline() -> pd.DataFrame:
    def ev(day):
        return [{"article_id": "a1", "sentence": "Some crossings changed.", "published": day}]

    return pd.DataFrame(
        [
            {"crossing_id": "chaman_spin_boldak", "name": "Chaman–Spin Boldak", "scope": "named",
             "status": "closed", "start": "2025-10-12", "known_from": dt.date(2025, 10, 12),
             "end": None, "qualifier": None, "contested": False, "evidence": ev("2025-10-12")},
            # first reported in November, no date of its own: from the report date on
            {"crossing_id": None, "name": "2 unnamed crossings", "scope": "count", "count": 2,
             "status": "partial", "start": None, "known_from": dt.date(2025, 11, 5), "end": None,
             "qualifier": "refugees", "contested": False, "evidence": ev("2025-11-05")},
            # a statement that ended on 1 December
            {"crossing_id": None, "name": "other crossings", "scope": "unnamed", "count": None,
             "status": "closed", "start": "2025-10-01", "known_from": dt.date(2025, 10, 1),
             "end": "2025-12-01", "qualifier": None, "contested": False,
             "evidence": ev("2025-10-01")},
        ]
    )


@pytest.mark.parametrize(
    ("day", "legend", "popup"),
    [
        ("2025-12-18", ["nov"], ["nov"]),  # the map's day: the stale note is gone
        ("2025-10-13", ["stale"], []),  # November's note not yet; Chaman closed like 'stale'
        ("2025-10-05", ["stale"], ["stale"]),  # Chaman not yet closed: 'stale' differs
        ("2025-11-10", ["nov", "stale"], ["nov"]),
        ("2025-12-01", ["nov"], ["nov"]),  # the stale note's end day: over
    ],
)
def test_notes_on_unnamed_crossings_follow_the_slider_day(tmp_path, open_map, day, legend, popup):
    inputs = make_inputs()
    m = render.render_map(**inputs, timeline=_unnamed_timeline(), as_of=dt.date(2025, 12, 18))
    path = render.save_map(m, tmp_path / "notes.html", offline=True)
    page, log = open_map(path, mode="sealed")
    page.wait_for_timeout(300)
    if day != "2025-12-18":
        page.evaluate(SET_DAY, day)
        page.wait_for_timeout(400)
    page.evaluate(OPEN_CHAMAN)
    page.wait_for_selector(".leaflet-popup-content")
    got = page.evaluate(NOTES_JS)
    assert (sorted(got["legend"]), got["popup"]) == (legend, popup)
    assert page.evaluate(COUNT_JS)["sliderDate"] == day
    _assert_clean(log)


def test_open_crossing_popup_notes_change_with_the_slider(tmp_path, open_map):
    as_of = dt.date(2025, 12, 18)
    m = render.render_map(**make_inputs(), timeline=_unnamed_timeline(), as_of=as_of)
    page, log = open_map(render.save_map(m, tmp_path / "n.html", offline=True), mode="sealed")
    page.wait_for_timeout(300)
    page.evaluate(OPEN_CHAMAN)
    page.wait_for_selector(".leaflet-popup-content")
    assert page.evaluate(NOTES_JS)["popup"] == ["nov"]
    page.evaluate(SET_DAY, "2025-10-05")  # the popup stays open while the day changes
    page.wait_for_timeout(400)
    assert page.evaluate(NOTES_JS)["popup"] == ["stale"]
    _assert_clean(log)


# ------------------------- issue 14 item 9: panels never hide the layer list, the slider or data

SIZES = [(1400, 900), (1366, 768), (1280, 720), (800, 600)]

LAYOUT_JS = """() => {
  const rect = (el) => { if (!el) { return null; } const r = el.getBoundingClientRect();
    return r.width && r.height ? [r.left, r.top, r.right, r.bottom] : null; };
  const hit = (el, x, y) => {
    const at = document.elementFromPoint(x, y); return !!at && el.contains(at); };
  const labels = [...document.querySelectorAll('.leaflet-control-layers-list label')].map(l => {
    l.scrollIntoView({block: 'nearest'});
    const r = l.getBoundingClientRect();
    const x = r.left + Math.min(12, r.width / 2), y = (r.top + r.bottom) / 2;
    return {text: l.textContent.trim(), ok: r.height > 0 && r.top >= 0 && r.bottom <= innerHeight
            && r.right <= innerWidth && hit(l, x, y)};
  });
  const slider = document.querySelector('.leaflet-bar-timecontrol');
  const sr = slider.getBoundingClientRect();
  const sliderOk = [...slider.querySelectorAll('a, .timecontrol-date')].every(b => {
    const r = b.getBoundingClientRect();
    return hit(b, (r.left + r.right) / 2, (r.top + r.bottom) / 2); });
  const markers = [...document.querySelectorAll('.leaflet-marker-pane .geomap-incident, ' +
    '.leaflet-marker-pane .geomap-crossing:not(.geomap-status-unknown)')];
  // off screen, or under a control (panels, legend, layer list, slider, minimap)
  const controls = document.querySelector('.leaflet-control-container');
  const hidden = markers.filter(m => { const r = m.getBoundingClientRect();
    const x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
    return x < 0 || y < 0 || x > innerWidth || y > innerHeight
      || controls.contains(document.elementFromPoint(x, y)); }).length;
  return {labels: labels, sliderOk: sliderOk && sr.bottom <= innerHeight, slider: rect(slider),
          legend: rect(document.querySelector('.geomap-legend')),
          panel: rect(document.querySelector('.geomap-panel')),
          layers: rect(document.querySelector('.leaflet-control-layers')),
          legendOpen: document.querySelector('.geomap-legend details').open,
          panelFolded: document.querySelector('.geomap-panel')
                         .classList.contains('geomap-collapsed'),
          layersFolded: !document.querySelector('.leaflet-control-layers')
                          .classList.contains('leaflet-control-layers-expanded'),
          markers: markers.length, hiddenMarkers: hidden};
}"""


def _overlap(a, b) -> bool:
    return bool(a and b) and a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _every_type_inputs() -> dict:
    """make_inputs() with one incident of every type: 11 incident layers, a long layer list."""
    types = list(render.EVENT_STYLE)
    inputs = make_inputs(n_incidents=len(types))
    events = inputs["events"]
    for k, etype in enumerate(types):
        events.loc[events["id"] == f"a1-e{k}", "type"] = etype
    return inputs


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("many", [False, True], ids=["sample", "every-type"])
def test_panels_leave_every_layer_row_the_slider_and_the_data_visible(
    tmp_path, open_map, size, many
):
    inputs = _every_type_inputs() if many else make_inputs()
    m = render.render_map(**inputs, as_of=dt.date(2025, 10, 26))
    path = render.save_map(m, tmp_path / "layout.html", offline=True)
    page, log = open_map(path, mode="sealed", viewport=size)
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_timeout(400)
    first = page.evaluate(LAYOUT_JS)
    # The first view frames the data clear of the panels: every incident and every
    # crossing with a reported status is on screen and nothing covers it.
    assert first["markers"] >= 5 and first["hiddenMarkers"] == 0, first
    small = size[0] < 900
    assert (first["panelFolded"], first["layersFolded"], first["legendOpen"]) == (
        (True, True, False) if small else (False, many, True)
    )
    assert not _overlap(first["panel"], first["slider"]) and first["sliderOk"]
    if first["layersFolded"]:  # the folded list opens on hover, over nothing it hides
        page.hover(".leaflet-control-layers")
        page.wait_for_timeout(300)
    got = page.evaluate(LAYOUT_JS)
    bad = [lab["text"] for lab in got["labels"] if not lab["ok"]]
    assert len(got["labels"]) >= (20 if many else 9) and bad == [], bad
    assert not _overlap(got["legend"], got["layers"])
    assert not _overlap(got["legend"], got["slider"]) and not _overlap(got["panel"], got["slider"])
    assert got["sliderOk"]
    # The README tells users to turn on "Far-away places": its row takes the click.
    page.click(".leaflet-control-layers-list label:has-text('Far-away places')")
    page.wait_for_timeout(200)
    assert page.evaluate(
        "() => [...document.querySelectorAll('.leaflet-control-layers-list label')]"
        ".find(l => l.textContent.includes('Far-away places')).querySelector('input').checked"
    )
    if small:  # a folded panel unfolds on a click on its title, and still keeps off the slider
        page.click(".geomap-panel > h4")
        page.wait_for_timeout(200)
        unfolded = page.evaluate(LAYOUT_JS)
        assert not unfolded["panelFolded"] and not _overlap(unfolded["panel"], unfolded["slider"])
    page.screenshot(path=str(tmp_path / f"layout_{size[0]}x{size[1]}.png"))
    _assert_clean(log)
