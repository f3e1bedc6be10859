from __future__ import annotations

import geopandas as gpd
import pytest
import shapely
from pyproj import Geod

from geomap.boundaries import admin_join, distance_to_border, load_layers
from geomap.errors import CRSError

GEOD = Geod(ellps="WGS84")


def _pts(lonlats, crs="EPSG:4326"):
    return gpd.GeoDataFrame(geometry=gpd.points_from_xy(*zip(*lonlats, strict=True)), crs=crs)


def test_layers_are_in_epsg4326_with_expected_counts():
    layers = load_layers()
    for frame in (layers.border, layers.admin1, layers.admin2, layers.crossings):
        assert frame.crs.to_epsg() == 4326
    assert (len(layers.border), len(layers.admin1), len(layers.admin2), len(layers.crossings)) == (1, 41, 554, 10)
    assert "OpenStreetMap" in layers.attribution and "geoBoundaries" in layers.attribution


def test_distance_to_a_hand_made_line_matches_geodesic_answer():
    # A meridian segment at 70°E; a point 0.1° of longitude east of it at 33°N.
    line = gpd.GeoDataFrame(geometry=[shapely.LineString([(70, 32), (70, 34)])], crs="EPSG:4326")
    pts = _pts([(70.1, 33.0), (70.0, 33.5)])
    d = distance_to_border(pts, border=line)
    expected = GEOD.inv(70.0, 33.0, 70.1, 33.0)[2] / 1000  # ~9.34 km
    assert d.iloc[0] == pytest.approx(expected, rel=2e-3)
    assert d.iloc[1] == pytest.approx(0.0, abs=1e-3)
    assert d.name == "dist_border_km"


def test_distance_is_nan_for_empty_geometry_and_keeps_index():
    pts = gpd.GeoDataFrame(geometry=[shapely.Point(71.0, 34.0), shapely.Point()], index=[7, 9], crs="EPSG:4326")
    d = distance_to_border(pts)
    assert list(d.index) == [7, 9]
    assert d.loc[9] != d.loc[9]  # NaN


def test_wrong_crs_is_refused():
    with pytest.raises(CRSError, match="EPSG:4326"):
        distance_to_border(_pts([(500000, 3700000)], crs="EPSG:32642"))


def test_admin_join_names_the_districts_and_leaves_far_places_blank():
    # Torkham crossing (published coordinate), Kabul city centre, Istanbul.
    pts = _pts([(71.08472, 34.11472), (69.1783, 34.5281), (28.9784, 41.0082)])
    out = admin_join(pts)
    assert out.loc[0, "admin_country"] == "PK" and out.loc[0, "admin2"] == "Khyber"
    assert out.loc[0, "dist_border_km"] < 2
    assert out.loc[1, "admin_country"] == "AF" and out.loc[1, "admin1"] == "Kabul"
    assert 60 < out.loc[1, "dist_border_km"] < 120
    assert out.loc[2, "admin1"] is None and out.loc[2, "dist_border_km"] > 2500
