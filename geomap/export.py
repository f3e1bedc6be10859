"""Write places and events as RFC 7946 GeoJSON (and, later, GeoPackage/CSV/Parquet).

Every writer is atomic (temporary file, then rename): a failure never leaves
a half-written file where an earlier one stood.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geomap._io import atomic_write_text
from geomap.errors import CRSError
from geomap.schema import CRS

__all__ = ["to_feature_collection", "write_geojson"]


def _jsonable(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars
        return _jsonable(value.item())
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if value is pd.NA or value is pd.NaT:
        return None
    return str(value)


def to_feature_collection(frame: gpd.GeoDataFrame, *, precision: int = 5) -> dict[str, Any]:
    """
    A GeoJSON FeatureCollection (RFC 7946) of ``frame``.

    Parameters
    ----------
    frame
        Any GeoDataFrame in EPSG:4326; list/dict columns are kept as JSON arrays/objects.
    precision
        Decimal places of coordinates (5 ≈ 1 m).

    Returns
    -------
    dict
        ``{"type": "FeatureCollection", "features": [...]}`` with no ``crs``
        member (RFC 7946 §4); empty geometries become ``null`` geometry.

    Raises
    ------
    CRSError
        If ``frame`` is not in EPSG:4326.
    """
    if frame.crs is None or not frame.crs.equals(CRS):
        raise CRSError(f"GeoJSON output must be {CRS}, found {frame.crs}")
    features = []
    geom_col = frame.geometry.name
    props = [c for c in frame.columns if c != geom_col]
    for _, row in frame.iterrows():
        geom = row[geom_col]
        if geom is None or geom.is_empty or (geom.geom_type == "Point" and not (math.isfinite(geom.x) and math.isfinite(geom.y))):
            gj = None
        else:
            gj = json.loads(gpd.GeoSeries([geom], crs=CRS).to_json(drop_id=True))["features"][0]["geometry"]
            gj = _round(gj, precision)
        features.append({"type": "Feature", "properties": {c: _jsonable(row[c]) for c in props}, "geometry": gj})
    return {"type": "FeatureCollection", "features": features}


def _round(obj: Any, precision: int) -> Any:
    if isinstance(obj, float):
        return round(obj, precision)
    if isinstance(obj, list):
        return [_round(v, precision) for v in obj]
    if isinstance(obj, dict):
        return {k: _round(v, precision) for k, v in obj.items()}
    return obj


def write_geojson(frame: gpd.GeoDataFrame, path: str | Path, *, precision: int = 5) -> Path:
    """Write ``frame`` as RFC 7946 GeoJSON to ``path`` atomically; return the path.

    Raises
    ------
    CRSError
        If ``frame`` is not in EPSG:4326.
    OSError
        If the file cannot be written (an earlier file is left intact).
    """
    fc = to_feature_collection(frame, precision=precision)
    return atomic_write_text(path, json.dumps(fc, ensure_ascii=False, indent=1) + "\n")
