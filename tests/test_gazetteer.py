"""Tests of the embedded gazetteer (real prebuilt data, no network)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geomap.errors import DataSourceError, InputError
from geomap.gazetteer import (
    COLUMNS,
    Gazetteer,
    OfflineGeocoder,
    load_gazetteer,
    make_geocoder,
    normalize_name,
)
from geomap.schema import PLACE_KINDS
from geomap.settings import Settings


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


# --------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Jalālābād", "jalalabad"),
        ("  The Khyber–Pass ", "khyber pass"),
        ("Gilgit-Baltistan", "gilgit baltistan"),
        ("Do’ha", "do'ha"),
        ("U.S.", "us"),
        ("İstanbul", "istanbul"),
        ("كابل", "کابل"),  # Arabic kaf -> keheh, so Arabic and Persian/Urdu spellings meet
        ("پشاور", "پشاور"),
    ],
)
def test_normalize_name_known_keys(raw, key):
    assert normalize_name(raw) == key


def test_normalize_name_keeps_arabic_letters():
    assert normalize_name("خیبر پختونخوا") == "خیبر پختونخوا"


# --------------------------------------------------------------------------- known answers


@pytest.mark.parametrize("name", ["Torkham", "Torkhum", "Tor Kham", "torkham border crossing"])
def test_torkham_spellings_find_the_crossing(gaz, name):
    hits = gaz.lookup(name)
    assert hits[0].uid == "crossing:torkham"
    assert hits[0].kind == "crossing"
    assert km(hits[0].lat, hits[0].lon, 34.115, 71.085) < 2


def test_spin_boldak_returns_town_and_crossing(gaz):
    kinds = {e.kind: e for e in gaz.lookup("Spin Boldak")}
    assert {"town", "crossing", "district"} <= set(kinds)
    assert kinds["crossing"].uid == "crossing:chaman_spin_boldak"
    assert kinds["town"].country == "AF"
    assert gaz.is_ambiguous("Spin Boldak")


def test_khyber_names_are_distinct_kinds(gaz):
    pass_, district, province = (
        gaz.lookup("Khyber Pass"),
        gaz.lookup("Khyber"),
        gaz.lookup("Khyber Pakhtunkhwa"),
    )
    assert pass_[0].kind == "pass" and pass_[0].uid == "pass:khyber_pass"
    assert district[0].kind == "district" and district[0].admin1 == "Khyber Pakhtunkhwa"
    assert province[0].kind == "province" and province[0].uid == "adm1:PK-KP"
    assert len({pass_[0].uid, district[0].uid, province[0].uid}) == 3
    assert gaz.lookup("Khyber Agency")[0].uid == district[0].uid  # former tribal agency -> district


@pytest.mark.parametrize("name", ["Miramshah", "Miranshah", "Miran Shah", "Miram Shah"])
def test_miranshah_spellings_are_one_place(gaz, name):
    hit = gaz.lookup(name)[0]
    assert hit.uid == "geonames:1170367"
    assert hit.admin2 == "North Waziristan"


def test_demonyms_map_to_countries(gaz):
    assert gaz.demonym("Afghan").uid == "country:AF"
    assert gaz.demonym("afghans").uid == "country:AF"
    assert gaz.demonym("Pakistanis").uid == "country:PK"
    assert gaz.demonym("Turkish").uid == "country:TR"
    assert gaz.demonym("Qatari").uid == "country:QA"
    assert gaz.demonym("Irish").uid == "country:IE"
    assert (
        gaz.demonym("Brazilian").uid == "country:BR"
    )  # from world-countries, not the curated table
    assert gaz.demonym("Kabul") is None


@pytest.mark.parametrize(
    ("name", "country", "lat", "lon"),
    [
        ("Istanbul", "TR", 41.01, 28.95),
        ("Doha", "QA", 25.29, 51.53),
        ("Washington", "US", 38.9, -77.04),
    ],
)
def test_world_cities_resolve(gaz, name, country, lat, lon):
    cities = [e for e in gaz.lookup(name) if e.kind == "city" and e.country == country]
    assert cities, gaz.lookup(name)[:3]
    assert km(cities[0].lat, cities[0].lon, lat, lon) < 25


def test_national_capitals_are_flagged(gaz):
    kabul = gaz.lookup("Kabul", country="AF")
    city = next(e for e in kabul if e.kind == "city")
    assert city.feature_class == "P.PPLC"
    assert gaz.record(city.uid)["is_capital"] is True


@pytest.mark.parametrize(
    ("alias", "name"), [("کابل", "Kabul"), ("پشاور", "Peshawar"), ("طورخم", "Torkham")]
)
def test_arabic_script_aliases_find_places(gaz, alias, name):
    assert gaz.lookup(alias)[0].name == name


def test_country_filter_and_prior(gaz):
    assert [e.uid for e in gaz.lookup("Kabul", country="AF")][:2] == [
        "adm1:AF-KAB",
        "geonames:1138958",
    ]
    assert all(e.country in ("AF", "") for e in gaz.lookup("Kabul", country="af"))
    # a place's own name outranks another place's alias
    assert gaz.lookup("Islamabad")[0].uid == "geonames:1176615"


def test_unknown_name_gives_empty_list(gaz):
    assert gaz.lookup("Qwertyuiopabad") == []
    assert not gaz.is_ambiguous("Qwertyuiopabad")
    assert gaz.get("geonames:0") is None


# --------------------------------------------------------------------------- table-level checks


def test_frame_columns_kinds_and_coordinates(gaz):
    f = gaz.frame
    assert tuple(f.columns) == COLUMNS
    assert len(gaz) == len(f) > 200_000
    assert set(f["kind"].unique()) <= set(PLACE_KINDS)
    assert f["uid"].is_unique
    assert f["lat"].between(-90, 90).all() and f["lon"].between(-180, 180).all()
    small_city = f[(f["kind"] == "city") & (f["population"] < 100_000)]
    assert small_city["is_capital"].all()  # city = population >= 100k or a capital


def test_all_crossings_of_the_boundary_data_are_present(gaz):
    import pandas as pd

    crossings = pd.read_csv(Path(Settings().boundaries_dir) / "crossings_af_pk.csv")
    for _, row in crossings.iterrows():
        entry = gaz.get(f"crossing:{row['id']}")
        assert entry is not None and entry.kind == "crossing"
        assert (entry.lat, entry.lon) == pytest.approx((row["lat"], row["lon"]))


def test_curated_regions_lie_in_their_area(gaz):
    fata = gaz.get("region:fata")
    assert 32.0 < fata.lat < 35.0 and 69.0 < fata.lon < 71.8  # former FATA strip
    wazir = gaz.get("region:waziristan")
    assert 32.0 < wazir.lat < 33.4 and 69.2 < wazir.lon < 70.7


def test_aliases_filters(gaz):
    afpk = list(gaz.aliases(countries=["AF", "PK"]))
    uids = {u for _, u in afpk}
    assert ("Torkhum", "crossing:torkham") in afpk  # crossings (country "") are kept
    assert not any(u == "country:TR" for u in uids)
    big = {u for _, u in gaz.aliases(min_population=1_000_000, kinds=["city"])}
    assert "geonames:1138958" in big and gaz.get("geonames:1170367").uid not in big
    with pytest.raises(InputError):
        next(gaz.aliases(kinds=["village"]))


# --------------------------------------------------------------------------- loading


def test_load_is_cached(gaz):
    assert load_gazetteer() is gaz


def test_missing_gazetteer_raises_with_fix(tmp_path):
    with pytest.raises(DataSourceError, match="build_gazetteer.py"):
        load_gazetteer(Settings(data_dir=tmp_path))


def test_corrupt_gazetteer_raises(tmp_path):
    d = tmp_path / "gazetteer"
    d.mkdir()
    for name in ("gazetteer.tsv.gz", "index.tsv.gz", "demonyms.tsv"):
        (d / name).write_bytes(b"not gzip")
    with pytest.raises(DataSourceError, match="unreadable"):
        load_gazetteer(Settings(data_dir=tmp_path))


# --------------------------------------------------------------------------- geopy


def test_offline_geocoder_is_a_geopy_geocoder(gaz):
    geo = OfflineGeocoder(gaz)
    assert isinstance(geo, Geocoder)
    loc = geo.geocode("Torkham")
    assert isinstance(loc, Location)
    assert loc.raw["uid"] == "crossing:torkham"
    assert loc.latitude == pytest.approx(34.11472)
    many = geo.geocode("Chaman", exactly_one=False)
    assert len(many) >= 3 and all(isinstance(x, Location) for x in many)
    assert geo.geocode("Doha", country_codes=["IN"]).raw["country"] == "IN"
    assert geo.geocode("Qwertyuiopabad") is None


def test_offline_reverse_finds_nearest_place(gaz):
    geo = OfflineGeocoder(gaz)
    loc = geo.reverse((34.1147, 71.0848))  # the Torkham crossing point itself
    assert loc.raw["uid"] == "crossing:torkham"
    assert loc.raw["distance_km"] == pytest.approx(0.0, abs=0.1)
    assert geo.reverse("34.008, 71.578").raw["name"] == "Peshawar"


class FakeOnline:
    """Stands in for Nominatim: counts calls, answers one query."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def geocode(self, query, *args, **kwargs):
        self.calls.append(query)
        if query == "Nowhere Special":
            return Location("Nowhere Special, Testland", (10.0, 20.0), {"fake": True})
        return None


def test_online_fallback_not_used_unless_asked(tmp_path):
    fake = FakeOnline()
    settings = Settings(cache_dir=tmp_path)
    geocode = make_geocoder(settings, fallback=fake)
    assert geocode("Nowhere Special") is None
    assert fake.calls == []
    assert not (tmp_path / "online_geocoder.json").exists()


def test_online_fallback_is_cached_atomically(tmp_path, monkeypatch):
    import os

    replaced = []
    real_replace = os.replace
    monkeypatch.setattr(
        os, "replace", lambda a, b: (replaced.append((a, b)), real_replace(a, b))[1]
    )
    fake = FakeOnline()
    settings = Settings(cache_dir=tmp_path)
    geocode = make_geocoder(settings, online=True, fallback=fake, min_delay_seconds=0)
    assert geocode("Torkham").raw["uid"] == "crossing:torkham"  # offline first
    assert fake.calls == []
    loc = geocode("Nowhere Special")
    assert (loc.latitude, loc.longitude) == (10.0, 20.0)
    assert fake.calls == ["Nowhere Special"]
    cache_file = tmp_path / "online_geocoder.json"
    assert replaced and Path(replaced[-1][1]) == cache_file
    assert json.loads(cache_file.read_text())["nowhere special"]["lat"] == 10.0
    assert not list(tmp_path.glob("*.tmp"))
    # a new geocoder reads the cache and does not call the service again
    fake2 = FakeOnline()
    again = make_geocoder(settings, online=True, fallback=fake2, min_delay_seconds=0)(
        "Nowhere Special"
    )
    assert again.latitude == 10.0 and fake2.calls == []


def test_short_all_caps_abbreviation_matches_only_its_own_name_or_curated_alias(gaz):
    # the Indian town "Un" normalises like "UN", but an organisation's acronym must not reach it
    assert any(e.kind == "town" for e in gaz.lookup("Un"))
    assert gaz.lookup("UN") == []
    assert gaz.lookup("U.N.") == []
    # countries, provinces and regions whose curated alias is the abbreviation still match
    assert gaz.lookup("UAE")[0].uid == "country:AE"
    assert gaz.lookup("KP")[0].uid == "adm1:PK-KP"
    assert gaz.lookup("EU")[0].uid == "region:eu"


def test_izafat_spellings_find_the_plain_compound(gaz):
    uids = {e.uid for e in gaz.lookup("Dand Patan")}
    assert "adm2:AF:Dand Patan" in uids
    for spelling in ("Dand-e-Patan", "Dand-i-Patan"):
        assert "adm2:AF:Dand Patan" in {e.uid for e in gaz.lookup(spelling)}, spelling


def test_display_name_prefers_the_plain_ascii_alias(gaz):
    town = next(e for e in gaz.lookup("Khost") if e.kind == "town")
    assert town.name == "Khōst"  # GeoNames spelling, still found by lookup
    assert gaz.display_name(town) == "Khost"
    assert town.uid in {e.uid for e in gaz.lookup("Khōst")}
    # names without marks, or marked names without a plain alias, are shown as they are
    torkham = gaz.get("crossing:torkham")
    assert gaz.display_name(torkham) == torkham.name


def test_country_points_are_the_geonames_points(gaz):
    """Every country of inputs/country_points_geonames.csv carries exactly that point (the build used it)."""
    import csv

    path = Path(__file__).resolve().parents[1] / "data" / "gazetteer" / "inputs" / "country_points_geonames.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    assert len(rows) >= 190
    for r in rows:
        e = gaz.get(f"country:{r['iso2']}")
        assert e is not None, r["iso2"]
        assert (round(e.lat, 5), round(e.lon, 5)) == (float(r["lat"]), float(r["lon"])), r["iso2"]
    # the points differ from the Factbook-style centres where GeoNames sets its own (e.g. Canada, Japan at Tokyo)
    assert abs(gaz.get("country:CA").lon - -113.64258) < 1e-6
    assert gaz.lookup("Japan")[0].uid == "country:JP"
