r"""Draw the analysed article(s) as a layered folium map (drawing only, no analysis).

Layers (each in the LayerControl)
---------------------------------
Base layers: an *offline basemap* built from the boundary data (countries by
dissolving admin1, province outlines, country labels; the default, so the map is
legible with no tiles), OpenStreetMap, OpenTopoMap and Esri World Imagery (tile URLs
and attributions from :mod:`xyzservices`).
Overlays: the border line; admin1 and admin2 outlines with names on hover (admin2
off by default); crossings coloured by status; incidents, one layer per type
(clustered when dense); events that did not (yet) occur, drawn hollow and dashed;
places mentioned near the region; far-away places (off by default).
Controls: legend, info panel (title, as-of date, lists of what is not drawn), scale
bar, fullscreen, an offline minimap, and a time slider (TimestampedGeoJson) showing
crossing status rings and incidents day by day.

Security
--------
Every string that comes from an article is untrusted.  :func:`_esc` HTML-escapes it
(and ``` ` ``` ``$`` ``\\``, because folium places some HTML in JavaScript template
literals); data reaches scripts only through ``tojson`` (which escapes ``<``, ``>``,
``&``, ``'``) or :func:`_script_json`, so no text can close a ``<script>`` element.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import logging
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import folium
import geopandas as gpd
import pandas as pd
import shapely
import xyzservices.providers as xyz
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.map import FitBounds, Layer
from folium.plugins import Fullscreen, TimestampedGeoJson
from folium.template import Template
from shapely.geometry import box
from shapely.prepared import prep

from geomap._io import atomic_write_text
from geomap.errors import CRSError, InputError
from geomap.schema import CRS, EVENT_TYPES

if TYPE_CHECKING:  # pragma: no cover
    from geomap.boundaries import BoundaryLayers

__all__ = [
    "render_map",
    "save_map",
    "STATUS_STYLE",
    "EVENT_STYLE",
    "FACT_CERTAINTIES",
]

logger = logging.getLogger(__name__)

#: Crossing status -> (colour, Font Awesome 6 icon, label).  Icon and colour both
#: change, so the status reads without colour vision.
STATUS_STYLE: dict[str, tuple[str, str, str]] = {
    "open": ("#2e7d32", "door-open", "Open"),
    "closed": ("#c62828", "door-closed", "Closed"),
    "partial": ("#ef6c00", "road-barrier", "Partly open"),
    "unknown": ("#757575", "question", "Unknown"),
}

#: Awesome-markers colour names -> the hex of their sprite (for the legend).
_AWESOME_HEX = {
    "red": "#d63e2a",
    "darkred": "#a23336",
    "orange": "#f69730",
    "green": "#72b026",
    "darkgreen": "#728224",
    "blue": "#38aadd",
    "darkblue": "#0067a3",
    "purple": "#d252b9",
    "darkpurple": "#5b396b",
    "cadetblue": "#436978",
    "gray": "#575757",
    "black": "#303030",
    "lightred": "#ff8e7f",
    "beige": "#ffcb92",
    "pink": "#ff91ea",
    "lightgray": "#a3a3a3",
}

#: Event type -> (awesome-markers colour, Font Awesome 6 icon, label).
EVENT_STYLE: dict[str, tuple[str, str, str]] = {
    "closure": ("darkblue", "ban", "Closure"),
    "reopening": ("green", "door-open", "Reopening"),
    "partial_reopening": ("orange", "door-open", "Partial reopening"),
    "clash": ("red", "crosshairs", "Clash"),
    "explosion": ("black", "bomb", "Explosion"),
    "airstrike": ("darkpurple", "plane", "Airstrike"),
    "ceasefire": ("cadetblue", "handshake", "Ceasefire"),
    "talks": ("blue", "comments", "Talks"),
    "attack": ("darkred", "skull", "Attack"),
    "protest": ("purple", "bullhorn", "Protest"),
    "other": ("gray", "circle-info", "Other"),
}

#: Event types that change a crossing's status.  Their pins start hidden (layers off
#: in the layer control): each crossing's square already shows the status, and its
#: popup lists these events with dates and quotes, so at the region's zoom the pins
#: would only pile up on the crossings.
CROSSING_EVENT_TYPES = ("closure", "reopening", "partial_reopening")

#: Certainties drawn as facts; the others (planned, threatened, negated,
#: conditional) are drawn hollow and dashed in their own layer, and listed.
FACT_CERTAINTIES = ("occurred", "reported")

_ROLE_STYLE = {
    "incident": ("#6a1b9a", "Place of an incident"),
    "context": ("#1565c0", "Place mentioned (context)"),
    "government": ("#37474f", "City named as a government (not a site)"),
}

#: Place kinds never drawn as points: a country's centroid is not a site.  Listed in
#: the info panel with their roles and number of mentions instead.
AREA_KINDS = ("country",)
#: Place kinds not drawn as points when they stand for a government (the province or
#: region is an actor there, not a location).
AREA_GOVERNMENT_KINDS = ("region", "province")

#: Layers with more markers than this are clustered.
CLUSTER_THRESHOLD = 30
#: A place farther than this (degrees, about 110 km each) outside Afghanistan and
#: Pakistan is "far away": it goes in a layer that is off by default and in the panel.
FAR_BUFFER_DEG = 1.0
#: Simplification tolerances (degrees) for the drawn polygons.
ADMIN1_TOLERANCE_DEG = 0.01
ADMIN2_TOLERANCE_DEG = 0.005
_BASE_TILES = (
    (xyz.OpenStreetMap.Mapnik, "OpenStreetMap"),
    (xyz.OpenTopoMap, "OpenTopoMap (terrain)"),
    (xyz.Esri.WorldImagery, "Esri World Imagery"),
)


# --------------------------------------------------------------------------- escaping
def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        return bool(pd.isna(value)) if not isinstance(value, (list, tuple, dict)) else False
    except (TypeError, ValueError):
        return False


def _esc(value: Any) -> str:
    r"""HTML-escape an untrusted value for any HTML context folium may put it in.

    Besides ``& < > " '`` it escapes ``` ` ``` ``$`` and ``\\`` so the result is also
    inert inside a JavaScript template literal (folium's Popup/Tooltip use them).
    None/NaN become ``""``.
    """
    if _blank(value):
        return ""
    text = html.escape(str(value), quote=True)
    # Braces too: folium renders each element's script a second time as a Jinja2
    # template (branca Element), so "{{ ... }}" from an article would be evaluated.
    return (
        text.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")
        .replace("{", "&#123;").replace("}", "&#125;")
    )


_JINJA_OPEN = re.compile(r"\{(?=[{%#])")


def _script_json(data: Any) -> str:
    """JSON for embedding in a ``<script>``: ``<``, ``>``, ``&``, U+2028/9 escaped."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    for ch, rep in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(ch, rep)
    # A structural "{" is always followed by '"' or "}", so a "{" followed by "{", "%"
    # or "#" lies inside a string: escape it, or folium's second Jinja2 pass would
    # read "{{ ... }}" / "{% ... %}" from an article as a template.
    return _JINJA_OPEN.sub(r"\\u007b", text)


def _list(value: Any) -> list[Any]:
    """Return a list from a list/tuple/array/``|``-separated string; [] for None/NaN."""
    if value is None:
        return []
    if isinstance(value, str):
        return [v for v in value.split("|") if v.strip()] if value.strip() else []
    if isinstance(value, Mapping):
        return [value]
    if isinstance(value, Iterable):
        return list(value)
    return [] if _blank(value) else [value]


def _to_date(value: Any) -> dt.date | None:
    """First day of a ``YYYY-MM-DD``/``YYYY-MM``/``YYYY`` string, a date or a Timestamp."""
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, pd.Timestamp):
        return value.date()
    text = str(value).strip()
    for fmt, width in (("%Y-%m-%d", 10), ("%Y-%m", 7), ("%Y", 4)):
        try:
            return dt.datetime.strptime(text[:width], fmt).date()
        except ValueError:
            continue
    return None


def _fmt_date(value: Any) -> str:
    if _blank(value):
        return ""
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.strftime("%Y-%m-%d")
    return str(value)


# --------------------------------------------------------------------------- checks
def _check_crs(frame: Any, what: str) -> None:
    if frame is None:
        return
    if not isinstance(frame, gpd.GeoDataFrame):
        raise InputError(f"{what}: expected a GeoDataFrame, got {type(frame).__name__}")
    if frame.crs is None:
        if len(frame) == 0:
            return
        raise CRSError(f"{what} has no CRS; expected {CRS} (set it with .set_crs(4326))")
    if frame.crs.to_epsg() != 4326:
        raise CRSError(f"{what} is in {frame.crs.to_string()}; expected {CRS} (use .to_crs(4326))")


def _points(frame: gpd.GeoDataFrame | None) -> list[tuple[int, dict[str, Any], float, float]]:
    """(position, row dict, lat, lon) for each row with a non-empty point geometry."""
    out = []
    if frame is None or len(frame) == 0:
        return out
    geoms = frame.geometry
    records = frame.drop(columns=frame.geometry.name).to_dict("records")
    for i, (rec, geom) in enumerate(zip(records, geoms, strict=True)):
        if geom is None or geom.is_empty:
            continue
        pt = geom if geom.geom_type == "Point" else geom.representative_point()
        lat, lon = float(pt.y), float(pt.x)
        if not (math.isfinite(lat) and math.isfinite(lon)):
            continue  # Point(NaN NaN): an unresolved place, listed but not drawn
        out.append((i, rec, lat, lon))
    return out


# --------------------------------------------------------------------------- geometry cache
_SIMPLIFIED: dict[tuple[Any, ...], Any] = {}


def _fingerprint(frame: gpd.GeoDataFrame) -> tuple[Any, ...]:
    return (
        len(frame),
        tuple(round(v, 6) for v in frame.total_bounds),
        int(frame.geometry.count_coordinates().sum()),
    )


def _simplified(
    frame: gpd.GeoDataFrame, tolerance: float, columns: Sequence[str]
) -> gpd.GeoDataFrame:
    """Polygons simplified (degrees, topology kept) and rounded to 1e-4°, cached per input."""
    keep = [c for c in columns if c in frame.columns]
    key = ("simplify", _fingerprint(frame), tolerance, tuple(keep))
    if key not in _SIMPLIFIED:
        geom = frame.geometry.simplify(tolerance, preserve_topology=True)
        geom = shapely.set_precision(geom.values, 1e-4)
        out = gpd.GeoDataFrame(frame[keep].copy(), geometry=list(geom), crs=CRS)
        _SIMPLIFIED[key] = out[~out.geometry.is_empty]
    return _SIMPLIFIED[key]


def _countries(admin1: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Country polygons by dissolving admin1 on ``country_iso3`` (cached)."""
    key = ("countries", _fingerprint(admin1))
    if key not in _SIMPLIFIED:
        simple = admin1[["country_iso3", "geometry"]].copy()
        simple["geometry"] = shapely.make_valid(simple.geometry.values)
        dissolved = simple.dissolve(by="country_iso3", as_index=False)
        dissolved["geometry"] = shapely.set_precision(
            dissolved.geometry.simplify(0.01, preserve_topology=True).values, 1e-4
        )
        _SIMPLIFIED[key] = dissolved
    return _SIMPLIFIED[key]


def _region(layers: Any) -> Any:
    """Return the area whose places are 'near': AF+PK buffered by :data:`FAR_BUFFER_DEG`."""
    admin1 = getattr(layers, "admin1", None)
    if admin1 is not None and len(admin1):
        key = ("region", _fingerprint(admin1))
        if key not in _SIMPLIFIED:
            hull = _countries(admin1).geometry.union_all().simplify(0.05)
            _SIMPLIFIED[key] = hull.buffer(FAR_BUFFER_DEG)
        return _SIMPLIFIED[key]
    border = getattr(layers, "border", None)
    if border is not None and len(border):
        return box(*border.total_bounds).buffer(3.0)
    return box(60.0, 23.0, 78.0, 39.0)  # AF+PK extent, only when no layer is given


_COUNTRY_NAMES = {"AFG": "Afghanistan", "PAK": "Pakistan"}


def _border_provinces(layers: Any) -> tuple[float, float, float, float] | None:
    """Bounds (lon0, lat0, lon1, lat1; degrees) of the provinces the border touches.

    The initial view: every admin1 unit within about 2 km of the border line (AF:
    Badakhshan to Nimruz; PK: Gilgit-Baltistan, Khyber Pakhtunkhwa, Balochistan), so
    no border province is cut.  Falls back to the border's own bounds without admin1.
    """
    border = getattr(layers, "border", None)
    if border is None or not len(border):
        return None
    admin1 = getattr(layers, "admin1", None)
    if admin1 is None or not len(admin1):
        return tuple(float(v) for v in border.total_bounds)  # type: ignore[return-value]
    key = ("border-provinces", _fingerprint(admin1), _fingerprint(border))
    if key not in _SIMPLIFIED:
        near = border.geometry.union_all().buffer(0.02)
        touching = admin1[admin1.intersects(near)]
        frame = touching if len(touching) else border
        _SIMPLIFIED[key] = tuple(float(v) for v in frame.total_bounds)
    return _SIMPLIFIED[key]


# --------------------------------------------------------------------------- custom elements
class _PointLayer(JSCSSMixin, Layer):
    """A layer of markers built in the browser from one JSON array (fast for 10k points).

    Each row is ``{"lat", "lon", "popup", "tooltip", "kind", ...}`` where popup and
    tooltip are already-escaped HTML.  ``kind`` is ``awesome`` (awesome-markers pin:
    ``color``, ``icon``, ``cls``), ``div`` (``html``, ``cls``, ``size``), ``circle``
    (``style``) or ``label`` (``html``).  With ``cluster`` the markers go in a
    ``L.markerClusterGroup``.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = {% if this.cluster %}L.markerClusterGroup({{ this.cluster_options|tojson }}){% else %}L.featureGroup(){% endif %};
        (function(group, rows, defaults, keys) {
            var G = window.geomap = window.geomap || {crossings: []}, timed = [];
            function pop(f) {
                var h = '<div class="geomap-popup"><h4>' + f[0] + '</h4>';
                if (f[1]) { h += '<blockquote>\u201c' + f[1] + '\u201d</blockquote>'; }
                h += '<table>';
                for (var i = 3; i < f.length; i++) {
                    if (f[i]) { h += '<tr><th>' + keys[i] + '</th><td>' + f[i] + '</td></tr>'; }
                }
                return h + '</table><div class="muted">' + f[2] + '</div></div>';
            }
            var ms = rows.map(function(row) {
                var r = Object.assign({}, defaults, row), m, dx = r.dx || 0, dy = r.dy || 0;
                var pa = [0, 0];
                if (r.kind === "awesome") {
                    m = L.marker([r.lat, r.lon], {icon: L.AwesomeMarkers.icon({
                        icon: r.icon, prefix: "fa", markerColor: r.color, iconColor: "white",
                        iconAnchor: [17 - dx, 42 - dy], popupAnchor: [1 + dx, -32 + dy],
                        className: "awesome-marker " + r.cls})});
                    pa = [dx, dy - 34];
                } else if (r.kind === "approx") {
                    m = L.marker([r.lat, r.lon], {icon: L.divIcon({className: r.cls,
                        html: '<div class="geomap-approx-in" style="border-color:' + r.hex + ';color:' +
                            r.hex + '"><i class="fa fa-' + r.icon + '"></i></div>', iconSize: [26, 26],
                        iconAnchor: [13 - dx, 13 - dy], popupAnchor: [dx, dy - 13]})});
                    pa = [dx, dy - 13];
                } else if (r.kind === "crossing") {
                    m = L.marker([r.lat, r.lon], {icon: G.crossingIcon(r.status, r.contested),
                        zIndexOffset: 1000});
                    m.geomap = {hist: r.hist, name: r.name, status: r.status, contested: r.contested};
                    G.crossings.push(m);
                    pa = [0, -14];
                } else if (r.kind === "div") {
                    m = L.marker([r.lat, r.lon], {icon: L.divIcon({html: r.html, className: r.cls,
                        iconSize: [r.size, r.size], iconAnchor: [r.size / 2, r.size / 2],
                        popupAnchor: [0, -r.size / 2]}), zIndexOffset: 1000});
                } else if (r.kind === "label") {
                    m = L.marker([r.lat, r.lon], {icon: L.divIcon({html: r.html, className: r.cls,
                        iconSize: null}), interactive: false, keyboard: false});
                } else {
                    m = L.circleMarker([r.lat, r.lon], r.style);
                }
                if (r.t !== undefined && r.t !== null) { timed.push([m, r.t, false]); }
                var po = {maxWidth: 380, minWidth: 240, maxHeight: 420};
                if (r.f) {
                    m.bindPopup(function() { return pop(r.f); }, po);
                    m.bindTooltip('<b>' + r.f[0] + '</b> ' + r.f[3] + ' ' + r.f[5],
                        {direction: "top", offset: pa});
                } else {
                    if (r.popup) { m.bindPopup(r.popup, po); }
                    if (r.tooltip) { m.bindTooltip(r.tooltip, {direction: "top", offset: pa}); }
                }
                return m;
            });
            if (group.addLayers) { group.addLayers(ms); } else { ms.forEach(function(m) { group.addLayer(m); }); }
            // Dated incidents follow the time slider: [marker, day (ms), hidden].
            if (timed.length) { (G.timed = G.timed || []).push({group: group, items: timed}); }
        })({{ this.get_name() }}, {{ this.rows|tojson }}, {{ this.defaults|tojson }}, {{ this.keys|tojson }});
        {% endmacro %}
        """
    )

    default_js = [
        (
            "markerclusterjs",
            "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/leaflet.markercluster.js",
        ),
    ]
    default_css = [
        (
            "markerclustercss",
            "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.css",
        ),
        (
            "markerclusterdefaultcss",
            "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.Default.css",
        ),
    ]

    def __init__(
        self,
        rows: list[dict[str, Any]],
        *,
        name: str,
        show: bool = True,
        overlay: bool = True,
        control: bool = True,
        cluster: bool | None = None,
        defaults: dict[str, Any] | None = None,
        keys: Sequence[str] = (),
    ):
        super().__init__(name=name, overlay=overlay, control=control, show=show)
        self._name = "PointLayer"
        self.rows = rows
        self.defaults = defaults or {}
        self.keys = list(keys)
        self.cluster = len(rows) > CLUSTER_THRESHOLD if cluster is None else cluster
        self.cluster_options = {
            "maxClusterRadius": 45,
            "disableClusteringAtZoom": 11,
            "spiderfyOnMaxZoom": True,
            "showCoverageOnHover": False,
        }


class _HtmlControl(MacroElement):
    """A Leaflet control whose content is fixed HTML (escaped by the caller)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
        {{ this.get_name() }}.onAdd = function(map) {
            var div = L.DomUtil.create("div", {{ this.css_class|tojson }});
            div.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, html_text: str, *, position: str, css_class: str):
        super().__init__()
        self._name = "HtmlControl"
        self.html = html_text
        self.position = position
        self.css_class = css_class


class Legend(_HtmlControl):
    """The map legend (colours and icons of statuses, incident types, certainty, roles)."""


class InfoPanel(_HtmlControl):
    """Title, as-of date, counts, and lists of what the map does not draw."""


class _Extras(MacroElement):
    """Page CSS, attribution text, and the offline (GeoJSON) minimap."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        <script>
        window.geomap = {crossings: [], styles: {{ this.status_style|tojson }},
            crossingIcon: function(status, contested) {
                var s = this.styles[status] || this.styles.unknown, n = status === "unknown" ? 20 : 28;
                return L.divIcon({className: "geomap-crossing geomap-status-" + status +
                        (contested ? " geomap-contested" : ""),
                    html: '<div class="geomap-crossing-in" style="background:' + s[0] +
                        '"><i class="fa fa-' + s[1] + '"></i></div>',
                    iconSize: [n, n], iconAnchor: [n / 2, n / 2], popupAnchor: [0, -n / 2]});
            },
            // The status interval in force on day t (ms): the last one known by t and not ended
            // (the rule of geomap.timeline.status_as_of); h = [[known_from_ms|null, end_ms|null, status]].
            statusAt: function(h, t) {
                var best = null;
                h.forEach(function(x) {
                    if ((x[0] !== null && x[0] > t) || (x[1] !== null && x[1] <= t)) { return; }
                    best = x;
                });
                return best ? best[2] : "unknown";
            },
            // A small window (a phone, a laptop with a docked browser): panels start folded.
            small: function() { return window.innerWidth < 900 || window.innerHeight < 640; },
            // Notes on unnamed crossings carry data-from/data-to (ms, "" when open): shown on day
            // t when in force then (the rule of statusAt); one with data-status (in a crossing's
            // popup) only while the crossing's own status on t differs from it.
            notesAt: function(root, t, status) {
                if (!root) { return; }
                root.querySelectorAll("[data-from]").forEach(function(el) {
                    var from = el.getAttribute("data-from"), to = el.getAttribute("data-to");
                    el.hidden = !((from === "" || +from <= t) && (to === "" || t < +to) &&
                        !(status && el.getAttribute("data-status") === status));
                });
            }
        };
        </script>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.setPrefix(
            '<a href="https://leafletjs.com" title="Leaflet">Leaflet</a>');
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.attribution|tojson }});
        {% if this.slider_time %}
        (function(map, td, t) {
            if (!td) { return; }
            var G = window.geomap, popup = null;
            var popupNotes = function() {
                var src = popup && popup._source;
                if (popup) { G.notesAt(popup.getElement(), td.getCurrentTime(),
                    src && src.geomap ? src.geomap.status : null); }
            };
            map.on("popupopen", function(e) { popup = e.popup; popupNotes(); });
            map.on("popupclose", function(e) { if (popup === e.popup) { popup = null; } });
            // Crossings follow the slider: icon, tooltip, legend counts and date.
            var sync = function() {
                var now = td.getCurrentTime(), counts = {};
                Object.keys(G.styles).forEach(function(k) { counts[k] = 0; });
                G.crossings.forEach(function(m) {
                    var g = m.geomap, st = g.hist && g.hist.length ? G.statusAt(g.hist, now) : g.status;
                    if (st !== g.status) {
                        g.status = st;
                        m.setIcon(G.crossingIcon(st, g.contested));
                        m.setTooltipContent("<b>" + g.name + "</b>: " + G.styles[st][2]);
                    }
                    counts[st] = (counts[st] || 0) + 1;
                });
                // Incidents dated after the slider day are hidden (undated ones always shown).
                (G.timed || []).forEach(function(l) {
                    var add = [], rem = [];
                    l.items.forEach(function(x) {
                        var off = x[1] > now;
                        if (off !== x[2]) { x[2] = off; (off ? rem : add).push(x[0]); }
                    });
                    if (rem.length) {
                        if (l.group.removeLayers) { l.group.removeLayers(rem); }
                        else { rem.forEach(function(m) { l.group.removeLayer(m); }); }
                    }
                    if (add.length) {
                        if (l.group.addLayers) { l.group.addLayers(add); }
                        else { add.forEach(function(m) { l.group.addLayer(m); }); }
                    }
                });
                Object.keys(counts).forEach(function(k) {
                    document.querySelectorAll(".geomap-n-" + k).forEach(function(el) { el.textContent = counts[k]; });
                });
                var day = new Date(now).toISOString().slice(0, 10);
                document.querySelectorAll(".geomap-slider-date").forEach(function(el) { el.textContent = day; });
                document.querySelectorAll(".geomap-legend").forEach(function(el) {
                    G.notesAt(el, now);
                });
                popupNotes();
            };
            td.on("timeload", sync);
            var go = function() { td.setCurrentTime(t); sync(); };
            if (td.getAvailableTimes().length) { go(); } else { td.once("availabletimeschanged", go); }
        })({{ this._parent.get_name() }}, {{ this._parent.get_name() }}.timeDimension,
           Date.parse({{ this.slider_time|tojson }}));
        {% endif %}
        {% if this.minimap %}
        (function(map) {
            var layer = L.geoJSON({{ this.minimap|tojson }}, {interactive: false,
                style: function(f) { return {color: "#555", weight: 1, fillColor: "#efe9d9", fillOpacity: 1}; }});
            var mini = new L.Control.MiniMap(layer, {position: "bottomright", width: 150, height: 120,
                toggleDisplay: true, zoomLevelOffset: -4,
                mapOptions: {maxZoom: 18, minZoom: 0, attributionControl: false}});
            map.addControl(mini);
            mini._miniMap.getContainer().style.background = "#d7e3ea";
        })({{ this._parent.get_name() }});
        {% endif %}
        {% endmacro %}
        """
    )

    default_js = [
        (
            "Control_MiniMap_js",
            "https://cdnjs.cloudflare.com/ajax/libs/leaflet-minimap/3.6.1/Control.MiniMap.js",
        ),
    ]
    default_css = [
        (
            "Control_MiniMap_css",
            "https://cdnjs.cloudflare.com/ajax/libs/leaflet-minimap/3.6.1/Control.MiniMap.css",
        ),
    ]

    def __init__(
        self,
        *,
        css: str,
        attribution: str,
        minimap: dict[str, Any] | None,
        slider_time: str | None = None,
    ):
        super().__init__()
        self._name = "Extras"
        self.status_style = {k: list(v) for k, v in STATUS_STYLE.items()}
        self.slider_time = slider_time
        self.css = css
        self.attribution = attribution
        self.minimap = minimap

    def render(self, **kwargs: Any) -> None:
        """Register the minimap JS/CSS in the page header, then render."""
        figure = self.get_root()
        if self.minimap:
            for name, url in self.default_js:
                figure.header.add_child(folium.elements.JavascriptLink(url), name=name)
            for name, url in self.default_css:
                figure.header.add_child(folium.elements.CssLink(url), name=name)
        MacroElement.render(self, **kwargs)


#: The initial view spans at least this much (degrees) around the data, so that one
#: incident is shown with its surroundings (the border, a town or two), not a street.
MIN_VIEW_DEG = 1.5
#: Margin (degrees) around the data in the initial view.
VIEW_MARGIN_DEG = 0.15


def _view_bounds(
    sites: Sequence[tuple[float, float]], fallback: Sequence[float]
) -> list[list[float]]:
    """
    Return the initial view's bounds ``[[south, west], [north, east]]`` (degrees).

    Parameters
    ----------
    sites
        ``(lat, lon)`` of what the view must show.
    fallback
        ``(west, south, east, north)`` shown when there is no site.

    Returns
    -------
    list
        The sites' bounding box (else ``fallback``) plus :data:`VIEW_MARGIN_DEG`,
        widened about its centre to at least :data:`MIN_VIEW_DEG` each way.
    """
    if not sites:
        x0, y0, x1, y1 = fallback
        pad = VIEW_MARGIN_DEG
        return [[round(y0 - pad, 5), round(x0 - pad, 5)], [round(y1 + pad, 5), round(x1 + pad, 5)]]
    lats, lons = [s[0] for s in sites], [s[1] for s in sites]
    out = []
    for lo, hi in ((min(lats), max(lats)), (min(lons), max(lons))):
        mid, half = (lo + hi) / 2, max((hi - lo) / 2 + VIEW_MARGIN_DEG, MIN_VIEW_DEG / 2)
        out.append((round(mid - half, 5), round(mid + half, 5)))
    (s, n), (w, e) = out
    return [[s, w], [n, e]]


class _FitData(FitBounds):
    """The initial view, kept clear of the panels (their size depends on the window).

    On a large window the info panel (left) and the layer list and legend (right)
    stand over the map's sides: the view is padded by their width.  On a small
    window they start folded (:class:`_Layout`): a narrow margin does.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.fitBounds(
                {{ this.bounds|tojson }},
                Object.assign({animate: false}, window.geomap.small()
                    ? {paddingTopLeft: [20, 60], paddingBottomRight: [20, 100]}
                    : {paddingTopLeft: [330, 20], paddingBottomRight: [330, 100]})
            );
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]]):
        super().__init__(bounds)
        self._name = "FitData"


class _LayerControl(folium.LayerControl):
    """folium's layer control, folded into its icon from the start on a small window."""

    _template = Template(
        """
        {% macro script(this,kwargs) %}
            var {{ this.get_name() }}_layers = {
                base_layers : {
                    {%- for key, val in this.base_layers.items() %}
                    {{ key|tojson }} : {{val}},
                    {%- endfor %}
                },
                overlays :  {
                    {%- for key, val in this.overlays.items() %}
                    {{ key|tojson }} : {{val}},
                    {%- endfor %}
                },
            };
            let {{ this.get_name() }} = L.control.layers(
                {{ this.get_name() }}_layers.base_layers,
                {{ this.get_name() }}_layers.overlays,
                Object.assign({{ this.options|tojavascript }},
                    window.geomap.small() ? {collapsed: true} : {})
            ).addTo({{this._parent.get_name()}});
        {% endmacro %}
        """
    )


class _Layout(MacroElement):
    """Keep the panels off each other, the layer list and the time slider.

    The top corners are flex columns (see ``_CSS``): the layer control, then the
    legend, on the right; zoom, fullscreen, then the info panel, on the left.  Their
    bottom is kept above the bottom corners (minimap and attribution; the time slider
    and scale bar) as those change size, so a long legend or panel scrolls instead of
    covering anything.  On a small window the legend and the panel start folded (a
    click on their heading unfolds them).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(map) {
            var box = map.getContainer(), G = window.geomap;
            var corner = function(v, h) {
                return box.querySelector(".leaflet-" + v + ".leaflet-" + h);
            };
            var fit = function() {
                ["left", "right"].forEach(function(h) {
                    var top = corner("top", h), bottom = corner("bottom", h);
                    if (top && bottom) { top.style.bottom = (bottom.offsetHeight + 4) + "px"; }
                });
            };
            fit();
            if (window.ResizeObserver) {
                var watch = new ResizeObserver(fit);
                ["left", "right"].forEach(function(h) { watch.observe(corner("bottom", h)); });
            }
            window.addEventListener("resize", fit);
            box.querySelectorAll(".geomap-panel > h4").forEach(function(h) {
                h.addEventListener("click", function() {
                    h.parentNode.classList.toggle("geomap-collapsed");
                });
            });
            if (G.small()) {
                box.querySelectorAll(".geomap-legend > details").forEach(function(d) {
                    d.open = false;
                });
                box.querySelectorAll(".geomap-panel").forEach(function(p) {
                    p.classList.add("geomap-collapsed");
                });
            }
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "Layout"


_CSS = """
.leaflet-container { background: #d7e3ea; font: 13px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.geomap-box { background: rgba(255,255,255,.94); padding: 8px 10px; border-radius: 6px;
  box-shadow: 0 1px 5px rgba(0,0,0,.35); max-width: 300px; color: #222; }
.geomap-box h4 { font-size: 15px; margin: 0 0 4px; font-weight: 600; }
.geomap-box h5 { font-size: 12px; margin: 6px 0 2px; font-weight: 600; text-transform: uppercase; color: #555; }
.geomap-box ul { margin: 0; padding-left: 16px; max-height: 160px; overflow-y: auto; }
.geomap-panel { overflow-y: auto; }
.geomap-panel > h4 { cursor: pointer; }
.geomap-panel > h4::before { content: "▾ "; color: #777; font-size: 11px; }
.geomap-panel.geomap-collapsed > h4::before { content: "▸ "; }
.geomap-panel.geomap-collapsed > :not(h4) { display: none; }
.leaflet-top.leaflet-left, .leaflet-top.leaflet-right { display: flex; flex-direction: column; }
.leaflet-top.leaflet-right { align-items: flex-end; }
.leaflet-top.leaflet-left { align-items: flex-start; }
.leaflet-top > .leaflet-control { flex: 0 0 auto; min-height: 0; }
.leaflet-top > .leaflet-control-layers { flex: 0 1 auto; min-height: 2.5em; overflow-y: auto; }
.leaflet-top > .geomap-box { flex: 0 1000 auto; min-height: 2.2em; box-sizing: border-box; }
.geomap-box details summary { cursor: pointer; font-weight: 600; font-size: 12px; color: #333; }
.geomap-legend { font-size: 11.5px; overflow-y: auto; }
.leaflet-control-attribution { max-width: 55vw; font-size: 10px; line-height: 1.3; }
.geomap-legend .row1 { display: flex; align-items: center; gap: 6px; margin: 1px 0; white-space: nowrap; }
.geomap-swatch { display: inline-flex; width: 18px; height: 18px; border-radius: 50%; align-items: center;
  justify-content: center; color: #fff; font-size: 10px; flex: none; }
.geomap-sq { border-radius: 4px; }
.geomap-line { display: inline-block; width: 22px; height: 0; border-top: 3px dashed #1b1b1b; flex: none; }
.geomap-crossing { display: flex; align-items: center; justify-content: center; border-radius: 6px;
  border: 2px solid #fff; box-shadow: 0 0 0 1.5px #222, 0 1px 4px rgba(0,0,0,.5); color: #fff; font-size: 13px; }
.geomap-crossing.geomap-contested { box-shadow: 0 0 0 2px #fdd835, 0 1px 4px rgba(0,0,0,.5); }
.geomap-label { color: #5d4f3a; font: 600 15px/1 Georgia, serif; letter-spacing: .25em; text-transform: uppercase;
  white-space: nowrap; text-shadow: 0 0 3px #fff, 0 0 3px #fff; transform: translate(-50%, -50%); pointer-events: none; }
.geomap-popup h4 { font-size: 14px; margin: 0 0 4px; }
.geomap-popup table { border-collapse: collapse; font-size: 12px; margin-top: 4px; }
.geomap-popup td, .geomap-popup th { border-top: 1px solid #ddd; padding: 2px 4px; vertical-align: top; text-align: left; }
.geomap-popup blockquote { margin: 3px 0; padding-left: 6px; border-left: 3px solid #bbb; color: #333; font-style: italic; }
.geomap-popup .muted { color: #666; font-size: 11px; }
.geomap-badge { display: inline-block; padding: 0 5px; border-radius: 3px; color: #fff; font-size: 11px; }
.geomap-popup h5 { font-size: 12px; margin: 8px 0 2px; font-weight: 600; text-transform: uppercase; color: #555; }
.geomap-popup th { font-weight: 600; color: #444; white-space: nowrap; }
.geomap-box .muted, .geomap-legend .muted { color: #666; font-size: 11px; }
.geomap-unnamed, .geomap-unnamed-note { margin: 4px 0; padding: 3px 5px; border-left: 4px solid #ef6c00;
  background: #fff3e0; white-space: normal; }
.geomap-unnamed { font-size: 12px; }
.geomap-unnamed blockquote, .geomap-border-events blockquote { margin: 2px 0; font-style: italic;
  color: #333; }
.geomap-grid { display: grid; grid-template-columns: auto auto; column-gap: 10px; }
.geomap-crossing-in { width: 100%; height: 100%; display: flex; align-items: center; justify-content: center;
  border-radius: 4px; }
.geomap-approx-in { width: 100%; height: 100%; box-sizing: border-box; border: 2.5px dashed; border-radius: 50%;
  background: rgba(255,255,255,.8); display: flex; align-items: center; justify-content: center; font-size: 12px; }
"""


# --------------------------------------------------------------------------- popups
def _kv(rows: Iterable[tuple[str, Any]]) -> str:
    cells = "".join(
        f"<tr><th>{_esc(k)}</th><td>{_esc(v)}</td></tr>"
        for k, v in rows
        if not _blank(v) and v != ""
    )
    return f"<table>{cells}</table>" if cells else ""


def _quote(sentence: Any, *, limit: int = 400) -> str:
    if _blank(sentence) or not str(sentence).strip():
        return ""
    text = " ".join(str(sentence).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"<blockquote>“{_esc(text)}”</blockquote>"


def _badge(status: str) -> str:
    colour, _, label = STATUS_STYLE.get(status, STATUS_STYLE["unknown"])
    return f'<span class="geomap-badge" style="background:{colour}">{_esc(label)}</span>'


def _history_rows(rec: Mapping[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for item in _list(rec.get("history")):
        if isinstance(item, Mapping):
            rows.append(dict(item))
    return rows


def _known_from(item: Mapping[str, Any]) -> dt.date | None:
    """First day an interval is known to hold: its ``start``, else ``known_from``.

    An interval whose text gave no start date (``start`` None, e.g. "the crossing
    remains closed") is known to hold from the report date, which
    :func:`geomap.timeline.build_timeline` stores as ``known_from``; failing that,
    the earliest ``published`` date of its evidence.
    """
    for key in ("start", "known_from"):
        day = _to_date(item.get(key))
        if day is not None:
            return day
    days = [
        _to_date(e.get("published"))
        for e in _list(item.get("evidence"))
        if isinstance(e, Mapping)
    ]
    days = [d for d in days if d is not None]
    return min(days) if days else None


def _status_at(history: list[dict[str, Any]], day: dt.date) -> dict[str, Any] | None:
    """Return the history interval in force on ``day``, or None.

    Same rule as :func:`geomap.timeline.status_as_of`: among the intervals known
    by ``day`` (:func:`_known_from` ≤ day, or unknown) and not ended
    (``end`` None or after ``day``), the last one in the timeline's order.
    """
    best = None
    for item in history:
        if _in_force(_known_from(item), _to_date(item.get("end")), day):
            best = item
    return best


def _in_force(start: dt.date | None, end: dt.date | None, day: dt.date) -> bool:
    """Tell whether a status known from ``start`` and ending on ``end`` holds on ``day``.

    The rule of :func:`geomap.timeline.status_as_of` (and of ``geomap.statusAt`` and
    ``geomap.notesAt`` in the page): known by ``day`` (``start`` None or not after it)
    and not ended (``end`` None or after ``day``).
    """
    return not ((start is not None and start > day) or (end is not None and end <= day))


def _crossing_popup(
    rec: Mapping[str, Any],
    status: str,
    since: Any,
    qualifier: Any,
    history: list[dict[str, Any]],
    as_of: dt.date | None,
    unnamed: Sequence[Mapping[str, Any]] = (),
) -> str:
    aliases = ", ".join(str(a) for a in _list(rec.get("aliases"))[:6])
    when = f" as of {as_of:%Y-%m-%d}" if as_of else ""
    head = (
        f"<h4>{_esc(rec.get('name'))}</h4><div>{_badge(status)} "
        f'<span class="muted">status{_esc(when)}'
        f"{' since ' + _esc(_fmt_date(since)) if not _blank(since) else ''}</span></div>"
    )
    if not _blank(qualifier) and str(qualifier):
        head += f"<div>Only for: {_esc(qualifier)}</div>"
    if bool(rec.get("contested")) and not _blank(rec.get("contested")):
        head += "<div><b>Sources disagree</b> on this status.</div>"
    for u in unnamed:
        head += (
            f'<div class="geomap-unnamed-note"{_note_attrs(u, as_of, status)}>'
            f'{_badge(u["status"])} May be one of the '
            f"{_unnamed_note(u)}; which ones is not stated."
            f"{_quote(u.get('quote'), limit=240)}</div>"
        )
    facts = _kv(
        [
            ("Also called", aliases),
            ("Pakistan side", _joined(rec, ("pk_place", "pk_district", "pk_province"), ", ")),
            ("Afghan side", _joined(rec, ("af_place", "af_district", "af_province"), ", ")),
            ("Formal crossing", rec.get("formal_crossing")),
            (
                "Position",
                f"{rec.get('coord_quality', '')} (±{rec.get('coord_uncertainty_km')} km)"
                if not _blank(rec.get("coord_uncertainty_km"))
                else rec.get("coord_quality"),
            ),
        ]
    )
    hist = ""
    if history:
        ordered = sorted(history, key=lambda h: _known_from(h) or dt.date.min)
        lines = []
        for item in ordered:
            evid = _list(item.get("evidence"))
            quotes = "".join(
                _quote(e.get("sentence") if isinstance(e, Mapping) else e, limit=240)
                + (
                    f'<div class="muted">{_esc(e.get("article_id"))} {_esc(_fmt_date(e.get("published")))}</div>'
                    if isinstance(e, Mapping)
                    else ""
                )
                for e in evid[:3]
            )
            more = f'<div class="muted">+{len(evid) - 3} more</div>' if len(evid) > 3 else ""
            if _blank(item.get("start")) or not item.get("start"):
                known = _known_from(item)
                begin = f"by {known:%Y-%m-%d}" if known else "?"
            else:
                begin = _esc(_fmt_date(item.get("start")))
            span = f"{begin} → {_esc(_fmt_date(item.get('end'))) or 'now'}"
            qual = (
                f" ({_esc(item.get('qualifier'))})"
                if not _blank(item.get("qualifier")) and item.get("qualifier")
                else ""
            )
            lines.append(
                f"<tr><td>{_badge(str(item.get('status', 'unknown')))}</td>"
                f"<td>{span}{qual}{quotes}{more}</td></tr>"
            )
        hist = "<h5>Status history</h5><table>" + "".join(lines) + "</table>"
    else:
        hist = '<div class="muted">No article states this crossing\'s status.</div>'
    return f'<div class="geomap-popup">{head}{hist}{facts}</div>'


def _joined(rec: Mapping[str, Any], keys: Sequence[str], sep: str) -> str:
    """Join the non-blank values of ``keys`` (unescaped; :func:`_kv` escapes)."""
    return sep.join(str(rec.get(k)) for k in keys if not _blank(rec.get(k)) and rec.get(k) != "")


#: Labels of the compact incident fields (see :func:`_event_fields`); 0-2 are
#: the heading, the quoted sentence and the source line.
EVENT_FIELD_KEYS = (
    "",
    "",
    "",
    "Date",
    "Certainty",
    "Where",
    "Geo-precision",
    "Province / district",
    "Crossings",
    "Only for",
    "Actors",
    "Mediators",
    "Fatalities",
    "ACLED",
)


def _precision_text(rec: Mapping[str, Any]) -> str | None:
    """ACLED geo-precision with what it means for the drawn point."""
    value = rec.get("geo_precision")
    if _blank(value) or value == "":
        return None
    try:
        code = int(float(value))
    except (TypeError, ValueError):
        return str(value)
    if code >= 3:
        area = "province" if not _blank(rec.get("admin1")) and rec.get("admin1") else "country or region"
        return (
            f"{code}: approximate. Only the {area} is known; the symbol marks its centre, "
            "not the site of the event"
        )
    return f"{code}: " + (
        "the named town, village or crossing"
        if code == 1
        else "part of a region or near a town (drawn at the town or district centre)"
    )


def _event_fields(rec: Mapping[str, Any]) -> list[str]:
    """Escaped values of an incident, aligned with :data:`EVENT_FIELD_KEYS`."""
    etype = str(rec.get("type") or "other")
    label = EVENT_STYLE.get(etype, EVENT_STYLE["other"])[2]
    date = _fmt_date(rec.get("date"))
    if not _blank(rec.get("date_end")) and rec.get("date_end"):
        date += f" – {_fmt_date(rec.get('date_end'))}"
    prec = rec.get("date_precision")
    crossings = ", ".join(str(c) for c in _list(rec.get("crossings")))
    if not crossings and not _blank(rec.get("crossing_count")):
        crossings = f"{rec.get('crossing_count')} unnamed crossing(s)"
    sentence = " ".join(str(rec.get("sentence") or "").split())
    values = [
        label,
        sentence[:399] + "…" if len(sentence) > 400 else sentence,
        f"{rec.get('article_id') or ''} · {rec.get('id') or ''}",
        f"{date} ({prec})" if date and not _blank(prec) else (date or "unknown"),
        rec.get("certainty"),
        rec.get("location"),
        _precision_text(rec),
        _joined(rec, ("admin1", "admin2"), " / "),
        crossings,
        rec.get("qualifier"),
        ", ".join(str(a) for a in _list(rec.get("actors"))),
        ", ".join(str(a) for a in _list(rec.get("mediators"))),
        rec.get("fatalities_text")
        if not _blank(rec.get("fatalities_text"))
        else rec.get("fatalities"),
        _joined(rec, ("event_type", "sub_event_type"), " / "),
    ]
    out = [_esc(v) for v in values]
    while len(out) > 6 and not out[-1]:
        out.pop()
    return out


def _event_popup(rec: Mapping[str, Any]) -> str:
    """Return the incident popup HTML (what the browser builds from the same fields)."""
    f = _event_fields(rec)
    quote = f"<blockquote>“{f[1]}”</blockquote>" if f[1] else ""
    rows = "".join(
        f"<tr><th>{EVENT_FIELD_KEYS[i]}</th><td>{v}</td></tr>"
        for i, v in enumerate(f)
        if i >= 3 and v
    )
    return (
        f'<div class="geomap-popup"><h4>{f[0]}</h4>{quote}<table>{rows}</table>'
        f'<div class="muted">{f[2]}</div></div>'
    )


def _place_popup(recs: Sequence[Mapping[str, Any]]) -> str:
    """Popup for one place: what it resolved to, then each mention with its sentence."""
    rec = recs[0]
    facts = _kv(
        [
            ("Resolved to", rec.get("name")),
            ("Kind", rec.get("kind")),
            ("Country", rec.get("country")),
            ("Province / district", _joined(rec, ("admin1", "admin2"), " / ")),
            ("Geo-precision", rec.get("geo_precision")),
            (
                "To border",
                f"{float(rec['dist_border_km']):.1f} km"
                if not _blank(rec.get("dist_border_km"))
                else None,
            ),
            ("Gazetteer", rec.get("gazetteer_id")),
        ]
    )
    quotes = "".join(
        f'<div><b>{_esc(r.get("mention"))}</b> <span class="muted">({_esc(r.get("role"))}, '
        f"{_esc(r.get('article_id'))})</span>{_quote(r.get('sentence'), limit=240)}</div>"
        for r in recs[:5]
    )
    more = f'<div class="muted">+{len(recs) - 5} more mention(s)</div>' if len(recs) > 5 else ""
    return (
        f'<div class="geomap-popup"><h4>{_esc(rec.get("name") or rec.get("mention"))}</h4>'
        f"{facts}<h5>Mentions ({len(recs)})</h5>{quotes}{more}</div>"
    )


# --------------------------------------------------------------------------- layers
def _add_basemap(m: folium.Map, layers: Any) -> dict[str, Any] | None:
    """Offline basemap (default base layer) and tile base layers; return minimap GeoJSON."""
    group = folium.FeatureGroup(name="Offline basemap (boundary data)", overlay=False, show=True)
    admin1 = getattr(layers, "admin1", None)
    minimap = None
    if admin1 is not None and len(admin1):
        countries = _countries(admin1)
        folium.GeoJson(
            countries.__geo_interface__,
            name="countries",
            control=False,
            style_function=lambda f: {
                "color": "#8d7f6a",
                "weight": 1.2,
                "fillColor": "#f4efe3",
                "fillOpacity": 1,
                "className": "geomap-country",
            },
            interactive=False,
        ).add_to(group)
        minimap = json.loads(
            countries[["country_iso3", "geometry"]]
            .assign(geometry=countries.geometry.simplify(0.05))
            .to_json(drop_id=True)
        )
        labels = []
        for _, row in countries.iterrows():
            pt = row.geometry.representative_point()
            name = _COUNTRY_NAMES.get(str(row["country_iso3"]), str(row["country_iso3"]))
            labels.append(
                {
                    "lat": pt.y,
                    "lon": pt.x,
                    "kind": "label",
                    "html": _esc(name),
                    "cls": "geomap-label",
                }
            )
        _PointLayer(labels, name="country labels", control=False, cluster=False).add_to(group)
    group.add_to(m)
    for provider, label in _BASE_TILES:
        folium.TileLayer(
            tiles=provider.build_url(),
            attr=provider.html_attribution,
            name=label,
            max_zoom=min(int(provider.get("max_zoom", 18)), 18),
            overlay=False,
            show=False,
        ).add_to(m)
    return minimap


#: Admin outline layers: attribute, layer name, shown at start, tolerance (degrees),
#: (hover fields, labels), (line colour, weight, highlight colour), CSS class.
_ADMIN_LAYERS = (
    (
        "admin1",
        "Provinces (admin1)",
        True,
        ADMIN1_TOLERANCE_DEG,
        (["adm1_name", "country_iso3"], ["Province", "Country"]),
        ("#7a6a55", 1.1, "#3e2f1c"),
        "geomap-admin1",
    ),
    (
        "admin2",
        "Districts (admin2)",
        False,
        ADMIN2_TOLERANCE_DEG,
        (["adm2_name", "adm1_name"], ["District", "Province"]),
        ("#9e9e9e", 0.7, "#424242"),
        "geomap-admin2",
    ),
)


def _add_boundaries(m: folium.Map, layers: Any) -> None:
    for attr, name, show, tolerance, (fields, aliases), (colour, weight, hi), css in _ADMIN_LAYERS:
        frame = getattr(layers, attr, None)
        if frame is None or not len(frame):
            continue
        simple = _simplified(frame, tolerance, list(dict.fromkeys([*fields, "country_iso3"])))
        style = {
            "color": colour,
            "weight": weight,
            "fill": True,
            "fillOpacity": 0,
            "className": css,
        }
        folium.GeoJson(
            simple.__geo_interface__,
            name=name,
            show=show,
            style_function=lambda f, style=style: style,
            highlight_function=lambda f, hi=hi, w=weight: {
                "weight": w + 1.4,
                "color": hi,
                "fillOpacity": 0.08,
            },
            tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases),
        ).add_to(m)
    border = getattr(layers, "border", None)
    if border is not None and len(border):
        line = border[[border.geometry.name]].copy()
        line["geometry"] = shapely.set_precision(line.geometry.simplify(0.002).values, 1e-5)
        group = folium.FeatureGroup(name="AF–PK border (Durand Line, de facto)", show=True)
        folium.GeoJson(
            line.__geo_interface__,
            interactive=False,
            control=False,
            style_function=lambda f: {
                "color": "#ffffff",
                "weight": 6,
                "opacity": 0.9,
                "className": "geomap-border-halo",
            },
        ).add_to(group)
        folium.GeoJson(
            line.__geo_interface__,
            control=False,
            style_function=lambda f: {
                "color": "#1b1b1b",
                "weight": 2.6,
                "dashArray": "9 6",
                "className": "geomap-border",
            },
            tooltip="Afghanistan–Pakistan border (de facto, OpenStreetMap)",
        ).add_to(group)
        group.add_to(m)


def _crossing_state(
    rec: Mapping[str, Any], as_of: dt.date | None
) -> tuple[str, Any, Any, list[dict[str, Any]]]:
    history = _history_rows(rec)
    status = str(rec.get("status") or "unknown")
    since, qualifier = rec.get("since"), rec.get("qualifier")
    if as_of is not None and history:
        current = _status_at(history, as_of)
        if current is None:
            status, since, qualifier = "unknown", None, None
        else:
            since = current.get("start")
            if _blank(since) and current.get("contested"):
                # as geomap.timeline.status_as_of: a contested span starts when the reports disagree
                since = current.get("known_from")
            status, qualifier = str(current.get("status")), current.get("qualifier")
    if status not in STATUS_STYLE:
        status = "unknown"
    return status, since, qualifier, history


def _approximate(rec: Mapping[str, Any]) -> bool:
    """Tell whether an event is located only to a province, region or country.

    ACLED geo-precision 3 (or coarser): the point is the area's centre, not a site.
    """
    try:
        return float(rec.get("geo_precision")) >= 3
    except (TypeError, ValueError):
        return False


def _unnamed_statements(timeline: pd.DataFrame | None) -> list[dict[str, Any]]:
    """Status statements about crossings the text does not name, whatever their day.

    Rows of ``timeline`` with a blank ``crossing_id`` (scope ``count``/``unnamed``,
    e.g. "two crossings partially reopened for refugees").  They are never drawn on a
    crossing (which ones is not stated); the legend and the popups of the crossings
    they could concern say so, on the days they are in force (:func:`_note_attrs`:
    the time slider shows and hides them).  Each returned dict has ``name``,
    ``status``, ``qualifier``, ``since`` (str, "?" when the text gives no date),
    ``count``, ``quote`` (the first evidence sentence, unescaped), ``article_id``,
    and ``known_from``/``end`` (dates or None: the days it holds, as for a crossing's
    status, see :func:`_in_force`).
    """
    if timeline is None or not len(timeline) or "crossing_id" not in timeline.columns:
        return []
    out = []
    for item in timeline.to_dict("records"):
        if not _blank(item.get("crossing_id")) and str(item.get("crossing_id")):
            continue
        status = str(item.get("status") or "unknown")
        evid = [e for e in _list(item.get("evidence")) if isinstance(e, Mapping)]
        count = item.get("count")
        known = _known_from(item)
        since = _fmt_date(item.get("start"))
        if not since:
            since = f"? (date not stated; reported by {known:%Y-%m-%d})" if known else "?"
        out.append(
            {
                "name": str(item.get("name") or "unnamed crossing(s)"),
                "status": status if status in STATUS_STYLE else "unknown",
                "qualifier": None if _blank(item.get("qualifier")) else item.get("qualifier"),
                "since": since,
                "count": None if _blank(count) else count,
                "quote": " ".join(str(evid[0].get("sentence") or "").split()) if evid else "",
                "article_id": evid[0].get("article_id") if evid else None,
                "known_from": known,
                "end": _to_date(item.get("end")),
            }
        )
    return out


def _note_attrs(stmt: Mapping[str, Any], as_of: dt.date | None, status: str | None = None) -> str:
    """
    HTML attributes that let the time slider show a note on the days it holds.

    Parameters
    ----------
    stmt
        From :func:`_unnamed_statements`.
    as_of
        The day the map opens on; None: every note is in force.
    status
        In a crossing's popup, the crossing's own status on ``as_of``: a note with the
        same status says nothing new there and is hidden (``data-status`` lets the page
        compare with the crossing's status on the slider's day).

    Returns
    -------
    str
        ``data-from``/``data-to`` (epoch milliseconds, empty when open), ``data-status``
        with ``status``, and ``hidden`` when the note is not shown on ``as_of``;
        ``geomap.notesAt`` in the page applies the same rule on every slider day.
    """
    start, end = stmt.get("known_from"), stmt.get("end")
    shown = as_of is None or _in_force(start, end, as_of)
    attrs = (
        f' data-from="{_epoch_ms(start) if start else ""}"'
        f' data-to="{_epoch_ms(end) if end else ""}"'
    )
    if status is not None:
        attrs += f' data-status="{_esc(stmt["status"])}"'
        shown = shown and stmt["status"] != status
    return attrs + ("" if shown else " hidden")


def _unnamed_note(stmt: Mapping[str, Any]) -> str:
    """Escaped one-line description of an unnamed-crossing statement (no quote)."""
    label = STATUS_STYLE[stmt["status"]][2].lower()
    qual = f" for {_esc(stmt['qualifier'])}" if stmt.get("qualifier") else ""
    return f"{_esc(stmt['name'])} {_esc(label)}{qual} since {_esc(stmt['since'])}"


#: Pixel distance from a shared site to each fanned-out marker (see :func:`_fan_out`).
FAN_RADIUS_PX = 14


def _fan_out(rows: list[dict[str, Any]], occupied: set[tuple[float, float]]) -> None:
    """Spread markers that share a site (to ~100 m) on a small circle around it.

    Each marker of a group of n > 1 (or of any group at a crossing, whose square sits
    on the site) gets a pixel offset ``dx``/``dy`` (in place): its icon moves, its
    latitude/longitude stay true.  The offset is in screen pixels, so it is the same
    at every zoom: about 20-40 px, spiderfy-like, instead of pins hiding each other.
    """
    groups: dict[tuple[float, float], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((round(row["lat"], 3), round(row["lon"], 3)), []).append(row)
    for key, members in groups.items():
        n = len(members)
        if n == 1 and key not in occupied:
            continue
        radius = FAN_RADIUS_PX + 2 * min(n, 6) + (6 if key in occupied else 0)
        first = -math.pi / 2 if n > 1 else -math.pi / 4
        for k, row in enumerate(members):
            angle = first + 2 * math.pi * k / n
            row["dx"] = round(radius * math.cos(angle))
            row["dy"] = round(radius * math.sin(angle))


def _epoch_ms(day: dt.date) -> int:
    """Milliseconds since 1970-01-01 UTC at the start of ``day`` (JavaScript's ``Date.parse``)."""
    return (day - dt.date(1970, 1, 1)).days * 86_400_000


def _crossing_rows(
    crossings: gpd.GeoDataFrame | None,
    as_of: dt.date | None,
    unnamed: Sequence[Mapping[str, Any]] = (),
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    rows, counts = [], {s: 0 for s in STATUS_STYLE}
    for _, rec, lat, lon in _points(crossings):
        status, since, qualifier, history = _crossing_state(rec, as_of)
        formal = str(rec.get("formal_crossing") or "yes").lower() not in ("no", "false", "0")
        # A statement about unnamed crossings could concern any formal crossing whose
        # own status differs from it; it is noted in the popup, never coloured.
        notes = list(unnamed) if formal else []
        counts[status] += 1
        colour, icon, label = STATUS_STYLE[status]
        contested = bool(rec.get("contested")) and not _blank(rec.get("contested"))
        hist = []
        for item in history:
            start, end = _known_from(item), _to_date(item.get("end"))
            st = str(item.get("status") or "unknown")
            hist.append(
                [
                    _epoch_ms(start) if start else None,
                    _epoch_ms(end) if end else None,
                    st if st in STATUS_STYLE else "unknown",
                ]
            )
        rows.append(
            {
                "lat": lat,
                "lon": lon,
                "kind": "crossing",
                "status": status,
                "contested": contested,
                "name": _esc(rec.get("name")),
                "hist": hist,
                "cls": f"geomap-crossing geomap-status-{status}"
                + (" geomap-contested" if contested else ""),
                "tooltip": f"<b>{_esc(rec.get('name'))}</b>: {_esc(label)}"
                + (f" ({_esc(qualifier)})" if not _blank(qualifier) and qualifier else ""),
                "popup": _crossing_popup(rec, status, since, qualifier, history, as_of, notes),
            }
        )
    return rows, counts


def _timeline_rows(
    crossings: gpd.GeoDataFrame | None,
    events: list[tuple[int, dict[str, Any], float, float]],
    timeline: pd.DataFrame | None,
    as_of: dt.date | None = None,
) -> tuple[list[list[Any]], list[dict[str, Any]], dt.date | None]:
    """Compact rows for the time slider: status rings per crossing interval, incidents per day.

    Returns ``(rows, styles, base)``: each row is ``[lon, lat, first_day, last_day,
    style, tooltip]`` with days counted from ``base`` (``last_day`` None for a single
    day), ``style`` an index into ``styles`` (Leaflet circleMarker options) and
    ``tooltip`` escaped HTML.  A ring covers the days its status holds (from its
    start, or the report date when the text gave none, to the day before its end, or
    the slider's last day when open-ended); an incident shows on its day only.  When
    no row falls on ``as_of``, or on the first or last day of the timeline (a
    statement on unnamed crossings has no row of its own), an invisible anchor row
    does, so that the slider reaches that day and starts on ``as_of`` (the map's
    "State as of").
    """
    where = {str(rec.get("id")): (lat, lon, rec) for _, rec, lat, lon in _points(crossings)}
    intervals: list[dict[str, Any]] = []
    if timeline is not None and len(timeline):
        intervals = [dict(r) for r in timeline.to_dict("records")]
    else:
        for cid, (_, _, rec) in where.items():
            for item in _history_rows(rec):
                intervals.append({**item, "crossing_id": cid, "name": rec.get("name")})
    dated = [(rec, lat, lon, _to_date(rec.get("date"))) for _, rec, lat, lon in events]
    # A date known only to the year would put a tick on 1 January and stretch the slider.
    dated = [d for d in dated if d[3] is not None and str(d[0].get("date_precision")) != "year"]
    all_days = [d[3] for d in dated] + [
        x for iv in intervals for x in (_known_from(iv), _to_date(iv.get("end"))) if x
    ]
    if not all_days:
        return [], [], None
    if as_of is not None:
        all_days.append(as_of)
    base, last = min(all_days), max(all_days)
    styles: list[dict[str, Any]] = []
    index: dict[str, int] = {}

    def style(key: str, value: dict[str, Any]) -> int:
        if key not in index:
            index[key] = len(styles)
            styles.append(value)
        return index[key]

    rows: list[list[Any]] = []
    for iv in intervals:
        cid = str(iv.get("crossing_id"))
        start = _known_from(iv)
        if cid not in where or start is None:
            continue
        lat, lon, rec = where[cid]
        end = _to_date(iv.get("end"))
        stop = max((end - dt.timedelta(days=1)) if end else last, start)
        status = str(iv.get("status") or "unknown")
        status = status if status in STATUS_STYLE else "unknown"
        k = style(
            "ring-" + status,
            {
                "radius": 19,
                "color": STATUS_STYLE[status][0],
                "weight": 5,
                "fill": False,
                "opacity": 0.9,
                "interactive": False,
                "className": f"geomap-ring geomap-status-{status}",
            },
        )
        name = iv.get("name") or rec.get("name")
        begin = _fmt_date(iv.get("start")) or f"by {start:%Y-%m-%d}"
        tip = (
            f"{_esc(name)}: {_esc(STATUS_STYLE[status][2])} "
            f"{_esc(begin)} → {_esc(_fmt_date(iv.get('end'))) or 'now'}"
        )
        d0, d1 = (start - base).days, (stop - base).days
        rows.append([round(lon, 5), round(lat, 5), d0, d1 if d1 != d0 else None, k, tip])
    for rec, lat, lon, day in dated:
        etype = str(rec.get("type"))
        etype = etype if etype in EVENT_STYLE else "other"
        k = style(
            "event-" + etype,
            {
                "radius": 7,
                "color": "#fff",
                "weight": 2,
                "fillColor": _AWESOME_HEX[EVENT_STYLE[etype][0]],
                "fillOpacity": 0.95,
                "className": f"geomap-tick geomap-type-{etype}",
            },
        )
        tip = f"{_esc(EVENT_STYLE[etype][2])} {_esc(_fmt_date(rec.get('date')))}: {_esc(rec.get('location'))}"
        rows.append([round(lon, 5), round(lat, 5), (day - base).days, None, k, tip])
    if rows:
        # The slider only offers the days from its features' first to their last: an
        # invisible anchor holds ``as_of`` (else the slider would start on another day
        # than the panel's "State as of") and the first and last day of the timeline (a
        # note on unnamed crossings, which has no feature, must be reachable too).
        wanted = {(d - base).days for d in (base, last) + ((as_of,) if as_of else ())}
        for day in sorted(wanted - {d for r in rows for d in (r[2], r[3]) if d is not None}):
            k = style(
                "anchor",
                {
                    "radius": 0,
                    "stroke": False,
                    "fill": False,
                    "interactive": False,
                    "className": "geomap-slider-anchor",
                },
            )
            rows.append([rows[0][0], rows[0][1], day, None, k, ""])
    return rows, styles, base


class _TimeSlider(TimestampedGeoJson):
    """folium's TimestampedGeoJson fed from compact rows (see :func:`_timeline_rows`).

    The features are built in the browser from one array, so 10,000 incidents cost
    about 60 bytes each instead of 290.  Unlike the stock plugin it links no jQuery UI
    (leaflet-timedimension 1.1.1 never calls it), no highlight.js stylesheet and no
    second copy of jQuery (the map already loads 3.7.1), and logs nothing to the console.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            // leaflet-timedimension 1.1.1 sorts the features' times with Array.sort(), i.e. as
            // text: epoch milliseconds of 12 and 13 digits (before and after 2001-09-09) or
            // negative (before 1970) come out of order and the slider loses days.  Sort numbers.
            L.TimeDimension.Util.sort_and_deduplicate = function(times) {
                var out = [], last = null;
                times.slice(0).sort(function(a, b) { return a - b; }).forEach(function(t) {
                    if (t !== last) { out.push(t); last = t; }
                });
                return out;
            };
            L.Control.TimeDimensionCustom = L.Control.TimeDimension.extend({
                _getDisplayDateFormat: function(date){
                    return new moment(date).format({{ this.date_options|tojson }});
                }
            });
            {{this._parent.get_name()}}.timeDimension = L.timeDimension(
                {period: {{ this.period|tojson }}}
            );
            var timeDimensionControl = new L.Control.TimeDimensionCustom(
                {{ this.options|tojavascript }}
            );
            {{this._parent.get_name()}}.addControl(timeDimensionControl);
            var {{ this.get_name() }}_data = (function(p) {
                var day = 86400000, base = Date.parse(p.base);
                return {type: "FeatureCollection", features: p.rows.map(function(r) {
                    var t = [base + r[2] * day];
                    if (r[3] !== null) { t.push(base + r[3] * day); }
                    return {type: "Feature", geometry: {type: "Point", coordinates: [r[0], r[1]]},
                        properties: {times: t, style: p.styles[r[4]], tooltip: r[5]}};
                })};
            })({{ this.payload }});
            var geoJsonLayer = L.geoJson({{ this.get_name() }}_data, {
                pointToLayer: function (feature, latLng) {
                    return L.circleMarker(latLng, feature.properties.style);
                },
                onEachFeature: function(feature, layer) {
                    if (feature.properties.tooltip) { layer.bindTooltip(feature.properties.tooltip); }
                }
            });
            var {{this.get_name()}} = L.timeDimension.layer.geoJson(
                geoJsonLayer,
                {
                    updateTimeDimension: true,
                    addlastPoint: false,
                    duration: {{ this.duration }},
                }
            ).addTo({{this._parent.get_name()}});
        {% endmacro %}
        """
    )

    default_js = [
        (
            "iso8601",
            "https://cdn.jsdelivr.net/npm/iso8601-js-period@0.2.1/iso8601.min.js",
        ),
        (
            "leaflet.timedimension",
            "https://cdn.jsdelivr.net/npm/leaflet-timedimension@1.1.1/dist/leaflet.timedimension.min.js",
        ),
        (
            "moment",
            "https://cdnjs.cloudflare.com/ajax/libs/moment.js/2.18.1/moment.min.js",
        ),
    ]
    default_css = [
        (
            "leaflet.timedimension_css",
            "https://cdn.jsdelivr.net/npm/leaflet-timedimension@1.1.1/dist/leaflet.timedimension.control.css",
        ),
    ]

    def __init__(
        self,
        rows: list[list[Any]],
        styles: list[dict[str, Any]],
        base: dt.date,
        **kwargs: Any,
    ):
        super().__init__("null", **kwargs)
        self._name = "TimeSlider"
        self.rows, self.styles, self.base = rows, styles, base
        self.payload = _script_json({"base": base.isoformat(), "styles": styles, "rows": rows})

    def features(self) -> list[dict[str, Any]]:
        """The GeoJSON features the browser builds (ISO ``times``; for inspection and tests)."""
        out = []
        for lon, lat, d0, d1, k, tip in self.rows:
            days = [d0] if d1 is None else [d0, d1]
            out.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [lon, lat]},
                    "properties": {
                        "times": [(self.base + dt.timedelta(days=d)).isoformat() for d in days],
                        "style": self.styles[k],
                        "tooltip": tip,
                    },
                }
            )
        return out

    def _get_self_bounds(self) -> list[list[float | None]]:
        lats = [r[1] for r in self.rows]
        lons = [r[0] for r in self.rows]
        if not lats:
            return [[None, None], [None, None]]
        return [[min(lats), min(lons)], [max(lats), max(lons)]]


def _legend_html(
    counts: dict[str, int],
    types_present: Sequence[str],
    has_time: bool,
    as_of: dt.date | None,
    *,
    has_approx: bool = False,
    has_not_fact: bool = False,
    unnamed: Sequence[Mapping[str, Any]] = (),
) -> str:
    """Legend HTML: crossing statuses (counts follow the time slider), incident types
    present, approximate and not-fact symbols, place roles, lines.
    """
    when = f"{as_of:%Y-%m-%d}" if as_of else ("latest" if has_time else "")
    head = "Crossings" + (f' on <span class="geomap-slider-date">{when}</span>' if when else "")
    rows = [f"<h5>{head}</h5><div class='geomap-grid'>"]
    for status, (colour, icon, label) in STATUS_STYLE.items():
        rows.append(
            f'<div class="row1"><span class="geomap-swatch geomap-sq" style="background:{colour}">'
            f'<i class="fa fa-{icon}"></i></span><span>{label} '
            f'(<span class="geomap-n-{status}">{counts.get(status, 0)}</span>)</span></div>'
        )
    rows.append("</div>")
    rows.append(
        '<div class="row1"><span class="geomap-swatch geomap-sq" style="background:#777;'
        'box-shadow:0 0 0 2px #fdd835"></span>yellow edge: sources disagree</div>'
    )
    for u in unnamed:
        rows.append(
            f'<div class="geomap-unnamed"{_note_attrs(u, as_of)}>'
            f'{_badge(u["status"])} <b>Also reported:</b> '
            f"{_unnamed_note(u)} (not drawn: which crossings is not stated)"
            f"{_quote(u.get('quote'), limit=200)}</div>"
        )
    if has_time:
        rows.append(
            '<div class="muted">Move the time slider: squares, rings and counts show each'
            " day's status;"
            " incidents dated after the slider's day are hidden (undated ones and"
            " dashed rings stay).</div>"
        )
    rows.append("<h5>Incidents</h5><div class='geomap-grid'>")
    for etype in types_present or ("clash", "explosion", "closure"):
        colour, icon, label = EVENT_STYLE[etype]
        hidden = "*" if etype in CROSSING_EVENT_TYPES and types_present else ""
        rows.append(
            f'<div class="row1"><span class="geomap-swatch" style="background:{_AWESOME_HEX[colour]}">'
            f'<i class="fa fa-{icon}"></i></span>{label}{hidden}</div>'
        )
    rows.append("</div>")
    if any(t in CROSSING_EVENT_TYPES for t in types_present):
        rows.append(
            '<div class="muted">* layer off at start: listed in each crossing\'s status history</div>'
        )
    if has_approx:
        rows.append(
            '<div class="row1"><span class="geomap-swatch" style="background:#fff;color:#555;'
            'border:2px dashed #555"><i class="fa fa-circle-info"></i></span>'
            "area only: province/country centre</div>"
        )
    if has_not_fact:
        rows.append(
            '<div class="row1"><span class="geomap-swatch" style="background:transparent;border:2px dashed #555">'
            "</span>dashed ring: planned / threatened / denied</div>"
        )
    rows.append('<div class="muted">Pins at one site are fanned out around it.</div>')
    rows.append("<h5>Places mentioned</h5>")
    for colour, label in _ROLE_STYLE.values():
        rows.append(
            f'<div class="row1"><span class="geomap-swatch" style="background:{colour};width:11px;height:11px">'
            f"</span>{label}</div>"
        )
    rows.append(
        "<h5>Lines</h5><div class='geomap-grid'>"
        '<div class="row1"><span class="geomap-line"></span>AF–PK border</div>'
        '<div class="row1"><span class="geomap-line" style="border-top:1.5px solid #7a6a55"></span>province</div>'
        "</div>"
    )
    return "<details open><summary>Legend</summary>" + "".join(rows) + "</details>"


#: An extraction warning about one event: ``<article id>-e<N>: <text>``.
_EVENT_NOTE = re.compile(r"^(?P<id>\S+-e(?P<n>\d+)):\s*(?P<text>.+)$", re.DOTALL)
#: geomap's event ids: the article's content hash, ``-e``, the event's number.
_EVENT_ID = re.compile(r"[0-9a-f]{8,64}-e\d+")


def _readable_notes(
    notes: Sequence[str],
    events: Sequence[Mapping[str, Any]],
    articles: Mapping[str, str] | None = None,
) -> list[str]:
    """
    Reword notes for people: an event warning names the event, not its internal id.

    Parameters
    ----------
    notes
        Plain-text notes; a warning about an event reads ``<event id>: <text>``
        (:attr:`geomap.pipeline.ArticleResult.warnings`).
    events
        Event records (``id``, ``type``, ``location``, ``sentence``,
        ``article_id``) used to describe the event.
    articles
        Article id -> title (or file name), used when the events come from more
        than one article; an article missing here is named by its id (the
        ``article_id`` of ``events.geojson``).

    Returns
    -------
    list of str
        Same order; an event warning becomes ``Event 2 (closure at Torkham, "Pakistani
        authorities closed…"): <text>`` — its number in its article, type, place (or
        "no location") and the start of its sentence.  When the events come from
        several articles the article is named too: ``Event 2 of “<title>” (...)`` or
        ``Event 2 of article <id> (...)``.  Plain text: the panel escapes it like
        all article text.
    """
    by_id = {str(e.get("id")): e for e in events if not _blank(e.get("id"))}
    titles = dict(articles or {})

    def article_of(rec: Mapping[str, Any], event_id: str) -> str:
        aid = rec.get("article_id")
        aid = event_id.rsplit("-e", 1)[0] if _blank(aid) or not str(aid) else str(aid)
        return aid

    n_articles = len({article_of(e, str(e.get("id"))) for e in by_id.values()})
    out = []
    for note in notes:
        m = _EVENT_NOTE.match(str(note))
        if not m:
            out.append(str(note))
            continue
        rec = by_id.get(m.group("id"))
        if rec is None and not _EVENT_ID.fullmatch(m.group("id")):
            out.append(str(note))  # "<something>-e2: ..." that is not an event warning
            continue
        if rec is None:
            out.append(f"Event {m.group('n')} of an article (not on this map): {m.group('text')}")
            continue
        etype = str(rec.get("type") or "other")
        label = EVENT_STYLE.get(etype, EVENT_STYLE["other"])[2].lower()
        place = rec.get("location")
        where = f" at {place}" if not _blank(place) and str(place).strip() else ", no location"
        words = " ".join(str(rec.get("sentence") or "").split())
        quote = f', "{words[:60]}…"' if len(words) > 60 else (f', "{words}"' if words else "")
        which = ""
        if n_articles > 1:
            aid = article_of(rec, m.group("id"))
            title = " ".join(str(titles.get(aid) or "").split())
            title = title[:60] + "…" if len(title) > 60 else title
            which = f" of “{title}”" if title else f" of article {aid}"
        out.append(f"Event {m.group('n')}{which} ({label}{where}{quote}): {m.group('text')}")
    return out


def _panel_html(
    title: str,
    as_of: dt.date | None,
    notes: Sequence[str],
    far: list[dict[str, Any]],
    unlocated: list[dict[str, Any]],
    not_fact: list[dict[str, Any]],
    n_incidents: int,
    n_places: int,
    far_events: Sequence[Mapping[str, Any]] = (),
    border_events: Sequence[Mapping[str, Any]] = (),
    areas: Sequence[Mapping[str, Any]] = (),
    later: Sequence[Mapping[str, Any]] = (),
) -> str:
    parts = [f"<h4>{_esc(title)}</h4>"]
    sub = f"{n_incidents} incident(s) mapped · {n_places} place mention(s)"
    if as_of:
        sub = f"State as of <b>{as_of:%Y-%m-%d}</b> · " + sub
    parts.append(f'<div class="muted" style="font-size:12px">{sub}</div>')
    if len(notes) <= 2:
        for note in notes:
            parts.append(f'<div style="font-size:12px">{_esc(note)}</div>')

    def section(label: str, items: list[str]) -> None:
        if items:
            lis = "".join(f"<li>{i}</li>" for i in items)
            parts.append(
                f"<details><summary>{_esc(label)} ({len(items)})</summary><ul>{lis}</ul></details>"
            )

    if len(notes) > 2:
        section("Notes", [_esc(n) for n in notes])
    if border_events:
        items = []
        for e in border_events:
            etype = EVENT_STYLE.get(str(e.get("type")), EVENT_STYLE["other"])[2]
            harm = []
            for key, word in (("fatalities", "dead"), ("injuries", "injured")):
                value = e.get(f"{key}_text")
                value = e.get(key) if _blank(value) or not value else value
                if not _blank(value) and value != "":
                    harm.append(f"{_esc(value)} {word}")
            certainty = str(e.get("certainty") or "occurred")
            items.append(
                f"<li><b>{_esc(etype)}</b> {_esc(_fmt_date(e.get('date'))) or 'date unknown'}"
                f"{' · ' + ', '.join(harm) if harm else ''}"
                + (
                    f" <span class=muted>({_esc(certainty)})</span>"
                    if certainty not in FACT_CERTAINTIES
                    else ""
                )
                + f"{_quote(e.get('sentence'), limit=240)}</li>"
            )
        parts.append(
            '<div class="geomap-border-events"><h5>Along the border (no single site) '
            f"({len(border_events)})</h5><ul>{''.join(items)}</ul></div>"
        )
    if areas:
        parts.append(
            "<details open><summary>Countries and regions named (not drawn as points)"
            f" ({len(areas)})"
            "</summary><ul>"
            + "".join(
                f"<li><b>{_esc(a['name'])}</b> <span class='muted'>({_esc(', '.join(a['roles']))};"
                f" {a['mentions']} mention(s))</span></li>"
                for a in areas
            )
            + "</ul></details>"
        )
    section(
        "Far-away places (layer off by default)",
        [
            f"<b>{_esc(p.get('mention'))}</b> → {_esc(p.get('name'))}"
            f"{', ' + _esc(p.get('country')) if not _blank(p.get('country')) and p.get('country') else ''}"
            f" <span class='muted'>({_esc(p.get('role'))})</span>"
            for p in far
        ],
    )
    section(
        "Far-away incidents (outside the initial view)",
        [
            f"<b>{_esc(EVENT_STYLE.get(str(e.get('type')), EVENT_STYLE['other'])[2])}</b>"
            f" {_esc(_fmt_date(e.get('date')))}: {_esc(e.get('location'))}"
            for e in far_events
        ],
    )
    def label(e: Mapping[str, Any]) -> str:
        return f"<b>{_esc(EVENT_STYLE.get(str(e.get('type')), EVENT_STYLE['other'])[2])}</b>"

    def certainty(e: Mapping[str, Any]) -> str:
        value = str(e.get("certainty") or "occurred")
        return "" if value in FACT_CERTAINTIES else f" <span class='muted'>({_esc(value)})</span>"

    section(
        "Events without a location (not drawn)",
        [
            f"{label(e)} {_esc(_fmt_date(e.get('date')))}{certainty(e)}:"
            f" {_esc(' '.join(str(e.get('sentence') or '').split())[:160])}"
            for e in unlocated
        ],
    )
    if as_of is not None:
        section(
            f"Incidents dated after {as_of:%Y-%m-%d} (not drawn; a later --as-of shows them)",
            [
                f"{label(e)} {_esc(_fmt_date(e.get('date')))}: {_esc(e.get('location'))}"
                for e in later
            ],
        )
    section(
        "Not facts: planned / threatened / denied",
        [
            f"{label(e)} {_esc(_fmt_date(e.get('date'))) or 'date unknown'}"
            f" <span class='muted'>({_esc(e.get('certainty'))}"
            f"{'; after the as-of day' if _after(e, as_of) else ''})</span>"
            f" {_esc(e.get('location'))}"
            for e in not_fact
        ],
    )
    return "".join(parts)


def _after(rec: Mapping[str, Any], as_of: dt.date | None) -> bool:
    """Tell whether ``rec``'s date (its first day) is after ``as_of``."""
    day = _to_date(rec.get("date"))
    return as_of is not None and day is not None and day > as_of


# --------------------------------------------------------------------------- public API
def render_map(
    *,
    places: gpd.GeoDataFrame,
    events: gpd.GeoDataFrame,
    crossings: gpd.GeoDataFrame,
    layers: BoundaryLayers,
    as_of: dt.date | None = None,
    title: str = "geomap",
    notes: Sequence[str] = (),
    timeline: pd.DataFrame | None = None,
    articles: Mapping[str, str] | None = None,
) -> folium.Map:
    """
    Build the layered folium map of places, incidents and crossing statuses.

    Parameters
    ----------
    places
        One row per resolved mention, EPSG:4326 points; columns of
        :class:`geomap.schema.Place` plus ``sentence`` and ``article_id``.  Places
        farther than :data:`FAR_BUFFER_DEG` degrees outside Afghanistan/Pakistan go in a
        layer that is off by default and in the info panel; they never widen the
        initial view.
    events
        One row per event, EPSG:4326 points (empty/None geometry allowed: listed in
        the panel, not drawn); columns of :class:`geomap.schema.Event` plus
        ``article_id``.  Only certainties in :data:`FACT_CERTAINTIES` are drawn as
        facts; the others (planned, threatened, negated, conditional) are drawn
        hollow and dashed in their own layer whatever their date, and listed in
        the info panel with their date and certainty.
    crossings
        One row per crossing (columns of ``data/boundaries/crossings_af_pk.geojson``)
        plus ``status`` (open/closed/partial/unknown), ``since``, ``qualifier``,
        ``contested`` and ``history`` (list of dicts: status, start, end, qualifier,
        evidence = list of {article_id, sentence, published}); EPSG:4326 points.
    layers
        Boundary layers with attributes ``border``, ``admin1``, ``admin2``,
        ``crossings`` (GeoDataFrames, EPSG:4326) and ``attribution`` (str), as
        returned by :func:`geomap.boundaries.load_layers`.
    as_of
        Draw the state of this day: crossing statuses from their ``history``
        (start ≤ day < end) and only incidents (facts) dated on or before it; the
        later ones are listed in the info panel.  Events that are not facts
        (planned talks, threats) are drawn whatever their date: a plan dated after
        ``as_of`` is part of what is known on that day.  The time slider runs from
        the earliest dated feature to ``as_of`` (or a later crossing interval's
        end) and starts on ``as_of``.  None: the ``status`` column as given and
        every incident.
    title
        Heading of the info panel (escaped).
    notes
        Lines shown under the title (escaped), e.g. "No places found".
    timeline
        Status intervals (columns crossing_id, name, status, start, end, qualifier,
        contested, evidence) for the time slider; default: from ``crossings.history``.
    articles
        Article id -> title or file name; on a map of several articles a note about
        an event names its article by it (else by the article id).

    Returns
    -------
    folium.Map
        Initial view fitted to the data inside the region (located incidents,
        crossings whose status is reported, places that are sites; at least
        :data:`MIN_VIEW_DEG` across), clear of the panels; the provinces along the
        border when there is no data.

    Raises
    ------
    CRSError
        If a GeoDataFrame (inputs or layers) is not in EPSG:4326.
    InputError
        If an input is not a GeoDataFrame.
    """
    for frame, what in ((places, "places"), (events, "events"), (crossings, "crossings")):
        _check_crs(frame, what)
    for attr in ("border", "admin1", "admin2", "crossings"):
        _check_crs(getattr(layers, attr, None), f"layers.{attr}")
    if as_of is not None and not isinstance(as_of, dt.date):
        raise InputError(f"as_of must be a datetime.date, got {as_of!r}")
    if isinstance(as_of, dt.datetime):
        as_of = as_of.date()

    region = _region(layers)
    m = folium.Map(
        location=[32.5, 68.0],
        zoom_start=6,
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
        **{"maxZoom": 18, "minZoom": 2, "zoomSnap": 0.25},
    )
    minimap = _add_basemap(m, layers)
    _add_boundaries(m, layers)

    # Crossings.
    unnamed = _unnamed_statements(timeline)
    crossing_rows, counts = _crossing_rows(crossings, as_of, unnamed)
    _PointLayer(crossing_rows, name="Border crossings (status)", cluster=False).add_to(m)

    # Events: facts by type, non-facts apart, unlocated listed.
    event_pts = _points(events)
    located = {i for i, *_ in event_pts}
    records = (
        []
        if events is None or not len(events)
        else events.drop(columns=events.geometry.name).to_dict("records")
    )
    unlocated = [r for i, r in enumerate(records) if i not in located]
    # Border-wide events (scope "border", no site) get their own visible list.
    border_events = [r for r in unlocated if str(r.get("scope")) == "border"]
    unlocated = [r for r in unlocated if str(r.get("scope")) != "border"]
    facts, not_fact, later = [], [], []
    for pt in event_pts:
        rec = pt[1]
        if str(rec.get("certainty") or "occurred") not in FACT_CERTAINTIES:
            not_fact.append(pt)  # a plan or threat is shown whatever its date
        elif _after(rec, as_of):
            later.append(rec)  # not yet a fact on the as-of day: listed, not drawn
        else:
            facts.append(pt)
    by_type: dict[str, list[dict[str, Any]]] = {}
    for _, rec, lat, lon in facts:
        etype = str(rec.get("type") or "other")
        etype = etype if etype in EVENT_STYLE else "other"
        colour, icon, label = EVENT_STYLE[etype]
        row: dict[str, Any] = {"lat": round(lat, 5), "lon": round(lon, 5), "f": _event_fields(rec)}
        day = _to_date(rec.get("date"))
        if day is not None:
            row["t"] = _epoch_ms(day)  # hidden while the time slider is before this day
        if _approximate(rec):
            row.update(
                kind="approx",
                hex=_AWESOME_HEX[colour],
                cls=f"geomap-incident geomap-approx geomap-type-{etype}",
            )
        by_type.setdefault(etype, []).append(row)
    _fan_out(
        [r for rows in by_type.values() for r in rows],
        {(round(r["lat"], 3), round(r["lon"], 3)) for r in crossing_rows},
    )
    types_present = [t for t in EVENT_TYPES if t in by_type]
    for etype in types_present:
        rows = by_type[etype]
        colour, icon, label = EVENT_STYLE[etype]
        _PointLayer(
            rows,
            name=f"Incidents: {label} ({len(rows)})",
            show=etype not in CROSSING_EVENT_TYPES,
            defaults={
                "kind": "awesome",
                "color": colour,
                "icon": icon,
                "cls": f"geomap-incident geomap-type-{etype}",
            },
            keys=EVENT_FIELD_KEYS,
        ).add_to(m)
    if not_fact:
        rows = []
        for _, rec, lat, lon in not_fact:
            etype = str(rec.get("type") or "other")
            colour = _AWESOME_HEX[EVENT_STYLE.get(etype, EVENT_STYLE["other"])[0]]
            rows.append(
                {
                    "lat": lat,
                    "lon": lon,
                    "kind": "circle",
                    "style": {
                        "radius": 10,
                        "color": colour,
                        "weight": 2.5,
                        "dashArray": "4 4",
                        "fill": False,
                        "className": "geomap-notfact",
                    },
                    "tooltip": f"<b>{_esc(EVENT_STYLE.get(etype, EVENT_STYLE['other'])[2])}</b> "
                    f"{_esc(_fmt_date(rec.get('date'))) or 'date unknown'} "
                    f"({_esc(rec.get('certainty'))}, not a fact"
                    f"{'; after the as-of day' if _after(rec, as_of) else ''}) "
                    f"{_esc(rec.get('location'))}",
                    "popup": _event_popup(rec),
                }
            )
        _PointLayer(
            rows, name=f"Not facts: planned/threatened/denied ({len(rows)})", cluster=False
        ).add_to(m)

    # Places: near ones on, far ones off.
    near_rows, far_rows, far_recs = [], [], []
    near_bounds: list[tuple[float, float]] = []
    place_pts = _points(places)
    prepared_region = prep(region)
    groups: dict[tuple[Any, ...], list[tuple[dict[str, Any], float, float]]] = {}
    for _, rec, lat, lon in place_pts:  # one marker per place, however often it is mentioned
        key = (round(lat, 4), round(lon, 4), str(rec.get("name") or rec.get("mention")))
        groups.setdefault(key, []).append((rec, lat, lon))
    areas: dict[str, dict[str, Any]] = {}
    for members in groups.values():
        recs = [r for r, _, _ in members]
        lat, lon = members[0][1], members[0][2]
        roles = {str(r.get("role") or "context") for r in recs}
        kind = str(recs[0].get("kind") or "")
        if kind in AREA_KINDS or (kind in AREA_GOVERNMENT_KINDS and roles == {"government"}):
            # A country (or a region standing for its government) is not a site: listed.
            name = str(recs[0].get("name") or recs[0].get("mention"))
            area = areas.setdefault(name, {"name": name, "kind": kind, "roles": {}, "mentions": 0})
            area["mentions"] += len(recs)
            for r in recs:
                role = str(r.get("role") or "context")
                area["roles"][role] = area["roles"].get(role, 0) + 1
            continue
        role = next((x for x in ("incident", "government", "context") if x in roles), "context")
        colour = _ROLE_STYLE.get(role, _ROLE_STYLE["context"])[0]
        mentions = list(dict.fromkeys(str(r.get("mention")) for r in recs))
        row = {
            "lat": lat,
            "lon": lon,
            "kind": "circle",
            "style": {
                "radius": min(5 + 1.5 * math.sqrt(len(recs)), 13),
                "color": "#fff",
                "weight": 1.5,
                "fillColor": colour,
                "fillOpacity": 0.9,
                "className": f"geomap-place geomap-role-{role}",
            },
            "tooltip": f"<b>{_esc(recs[0].get('name') or mentions[0])}</b> · {len(recs)} mention(s): "
            f"{_esc(', '.join(mentions[:4]))} ({_esc(', '.join(sorted(roles)))})",
            "popup": _place_popup(recs),
        }
        if prepared_region.contains(shapely.Point(lon, lat)):
            near_rows.append(row)
            if role != "government":  # a capital standing for a government is no site
                near_bounds.append((lat, lon))
        else:
            far_rows.append(row)
            far_recs.append(recs[0] | {"mention": ", ".join(mentions[:3])})
    if near_rows:
        _PointLayer(near_rows, name=f"Places mentioned ({len(near_rows)})", cluster=False).add_to(m)
    if far_rows:
        _PointLayer(
            far_rows, name=f"Far-away places ({len(far_rows)})", show=False, cluster=False
        ).add_to(m)

    # Time slider.
    t_rows, t_styles, t_base = _timeline_rows(crossings, facts, timeline, as_of)
    if t_rows:
        _TimeSlider(
            t_rows,
            t_styles,
            t_base,
            period="P1D",
            duration="PT1M",
            add_last_point=False,
            auto_play=False,
            loop=False,
            max_speed=5,
            loop_button=True,
            speed_slider=False,
            date_options="YYYY-MM-DD",
            time_slider_drag_update=True,
            transition_time=400,
        ).add_to(m)

    # Controls.
    Fullscreen(position="topleft", title="Full screen", title_cancel="Exit full screen").add_to(m)
    attribution = _esc(
        getattr(layers, "attribution", "")
        or "© OpenStreetMap contributors (ODbL) | geoBoundaries (Runfola et al. 2020) | GeoNames (CC BY 4.0)"
    )
    slider_time = None
    if t_rows:
        last_day = max(r[2] if r[3] is None else r[3] for r in t_rows)
        slider_time = (as_of or t_base + dt.timedelta(days=last_day)).isoformat()
    _Extras(css=_CSS, attribution=attribution, minimap=minimap, slider_time=slider_time).add_to(m)
    n_layers = sum(1 for c in m._children.values() if isinstance(c, Layer) and c.control)
    # Expanded while it fits above the legend (a long list folds to its icon), and
    # added first so that the legend comes below it in the top-right column.
    _LayerControl(position="topright", collapsed=n_layers > 13).add_to(m)
    Legend(
        _legend_html(
            counts,
            types_present,
            bool(t_rows),
            as_of,
            has_approx=any(r.get("kind") == "approx" for rows in by_type.values() for r in rows),
            has_not_fact=bool(not_fact),
            unnamed=unnamed,
        ),
        position="topright",
        css_class="geomap-box geomap-legend",
    ).add_to(m)
    n_incidents = sum(len(v) for v in by_type.values())
    InfoPanel(
        _panel_html(
            title,
            as_of,
            _readable_notes(notes, records, articles),
            far_recs,
            unlocated,
            [p[1] for p in not_fact],
            n_incidents,
            len(place_pts),
            [
                rec
                for _, rec, lat, lon in facts
                if not prepared_region.contains(shapely.Point(lon, lat))
            ],
            border_events,
            [
                {
                    "name": a["name"],
                    "roles": [
                        f"{k} ×{v}"
                        for k, v in sorted(a["roles"].items(), key=lambda kv: (-kv[1], kv[0]))
                    ],
                    "mentions": a["mentions"],
                }
                for a in sorted(areas.values(), key=lambda a: -a["mentions"])
            ],
            later,
        ),
        position="topleft",
        css_class="geomap-box geomap-panel",
    ).add_to(m)
    _Layout().add_to(m)
    m.get_root().title = _esc(title)

    # Initial view: the data - incidents, crossings whose status is reported, places
    # that are sites - inside the region (far-away places and incidents never widen
    # it), clear of the panels; the border provinces when there is no data.
    located = [(lat, lon) for _, _, lat, lon in facts]
    sites = (
        [(lat, lon) for lat, lon in located if prepared_region.contains(shapely.Point(lon, lat))]
        + [(r["lat"], r["lon"]) for r in crossing_rows if r["hist"]]
        + near_bounds
    )
    _FitData(_view_bounds(sites, _border_provinces(layers) or region.bounds)).add_to(m)
    # Set the view before any layer is added: a marker cluster added at the start zoom
    # would otherwise re-cluster with an animation when fitBounds changes the zoom
    # (0.7 s of forced layouts for 10k incidents).
    fit = next(c for c in reversed(m._children.values()) if isinstance(c, _FitData))
    m._children.move_to_end(fit.get_name(), last=False)
    logger.info(
        "map: %d crossings, %d incidents in %d type layers (%d after as_of, listed), "
        "%d not-fact events, %d near + %d far places, "
        "%d unlocated + %d border-wide events, %d countries/regions listed, "
        "%d unnamed-crossing statements, %d time features",
        len(crossing_rows),
        n_incidents,
        len(types_present),
        len(later),
        len(not_fact),
        len(near_rows),
        len(far_rows),
        len(unlocated),
        len(border_events),
        len(areas),
        len(unnamed),
        len(t_rows),
    )
    return m


#: A branca element id: 32 hex digits (``urandom(16)``), standing alone.
_ELEMENT_ID = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")


def _element_ids(element: Element) -> set[str]:
    """Collect the ids of ``element`` and of every element below it (a figure's parts too)."""
    ids, todo = set(), [element]
    while todo:
        el = todo.pop()
        ids.add(el._id)
        todo.extend(el._children.values())
        todo.extend(
            part for part in (getattr(el, n, None) for n in ("header", "html", "script"))
            if isinstance(part, Element)
        )
    return ids


def _stable_ids(root: Element, page: str) -> str:
    """
    Replace the random element ids in a rendered page by their order of appearance.

    branca names every element ``<kind>_<32 random hex digits>`` (``map_5f0c...``),
    so the same map rendered twice differed on hundreds of lines.  Each id of an
    element of ``root`` becomes the 32-digit hex of its rank of first appearance in
    ``page`` (``map_000...0``), the same for the same map every time; other text
    is left as it is (a 32-digit hex string is an element id only when an element
    of this map has it).
    """
    known = _element_ids(root)
    ranks: dict[str, str] = {}

    def stable(m: re.Match[str]) -> str:
        value = m.group(0)
        if value not in known:
            return value
        return ranks.setdefault(value, f"{len(ranks):032x}")

    return _ELEMENT_ID.sub(stable, page)


def save_map(m: folium.Map, path: Path, *, offline: bool = False) -> Path:
    """
    Write the map as one HTML file, atomically.

    Parameters
    ----------
    m
        A map from :func:`render_map` (any folium map works).
    path
        Output file; its folder is created.  A temporary file is written in the
        same folder and renamed over ``path``, so a failure never leaves a
        half-written map.
    offline
        Inline every script, stylesheet, font and image (from the npm packages
        fetched by ``scripts/fetch_assets.py``) so the file renders with no network.
        Default: link the assets from their CDNs as folium does.

    Returns
    -------
    pathlib.Path
        ``path``.  The same map gives the same bytes every time: folium's random
        element ids are replaced by their order of appearance (:func:`_stable_ids`).

    Raises
    ------
    DataSourceError
        With ``offline=True``, if an asset has not been fetched.
    """
    from geomap._assets import inline_html  # local import: only save needs it

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    root = m.get_root()
    page = _stable_ids(root, root.render())
    if offline:
        page = inline_html(page)
    atomic_write_text(path, page)  # temp file beside it, fsync, rename; stale temps of killed writers removed
    logger.info(
        "wrote %s (%.1f MB%s)",
        path,
        path.stat().st_size / 1e6,
        ", self-contained" if offline else "",
    )
    return path
