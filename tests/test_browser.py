"""The generated map in a real browser (Debian chromium, headless, no network)."""

from __future__ import annotations

import datetime as dt

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
