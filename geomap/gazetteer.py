"""The embedded offline gazetteer and a geopy-compatible geocoder over it.

The gazetteer is a prebuilt, committed file set in ``data/gazetteer/`` made by
``scripts/build_gazetteer.py`` (sources and licences in
``data/gazetteer/SOURCES.md``):

- ``gazetteer.tsv.gz``: one row per entry (countries, world first-level
  divisions, GeoNames cities500 towns, AF/PK districts, crossings, passes,
  regions); columns :data:`COLUMNS`.
- ``index.tsv.gz``: normalised name → row numbers, already sorted by the
  lookup prior (see :meth:`Gazetteer.lookup`).
- ``demonyms.tsv``: normalised demonym/adjective → ``uid``.

Names are matched after :func:`normalize_name`.  Nothing here touches the
network except :func:`make_geocoder` with ``online=True``.
"""

from __future__ import annotations

import functools
import gzip
import json
import logging
import math
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geomap.errors import DataSourceError, InputError
from geomap.schema import PLACE_KINDS, GazetteerEntry
from geomap.settings import Settings, get_settings

__all__ = [
    "COLUMNS",
    "KIND_PRIOR",
    "normalize_name",
    "Gazetteer",
    "load_gazetteer",
    "OfflineGeocoder",
    "make_geocoder",
]

logger = logging.getLogger(__name__)

#: Columns of ``gazetteer.tsv.gz`` and of :attr:`Gazetteer.frame`, in order.
COLUMNS = (
    "uid",
    "name",
    "kind",
    "feature_class",
    "country",
    "admin1",
    "admin2",
    "lat",
    "lon",
    "population",
    "is_capital",
    "source",
    "licence",
    "aliases",
)

#: Lookup prior (after name-before-alias matches): countries, then first-level divisions,
#: then everything else.
#: Within a tier entries are ordered by population (descending), then by the kind order
#: below, then by uid.  Admin units, crossings, passes and regions have population 0.
KIND_PRIOR = {"country": 0, "province": 1}
KIND_ORDER = {
    k: i
    for i, k in enumerate(
        ("country", "province", "district", "city", "crossing", "pass", "town", "region", "other")
    )
}

# Low-cardinality text columns, held as pandas categoricals (saves ~100 MB of RSS).
_CATEGORICAL = ("kind", "feature_class", "country", "admin1", "admin2", "source", "licence")
GAZETTEER_FILE = "gazetteer.tsv.gz"
INDEX_FILE = "index.tsv.gz"
DEMONYM_FILE = "demonyms.tsv"
_FIX = "run `python scripts/build_gazetteer.py` to rebuild data/gazetteer/"

# ----------------------------------------------------------------------------- normalisation

_APOSTROPHES = dict.fromkeys(map(ord, "'’‘`´ʼʻʹʽ′"), "'")
_DASHES = dict.fromkeys(map(ord, "-‐‑‒–—―−_/"), " ")
_DROP = dict.fromkeys(map(ord, '.,()[]"“”«»'), None)
# Arabic-script variants unified after decomposition: Arabic yeh / alef maksura -> Farsi yeh,
# Arabic kaf -> keheh, tatweel dropped.  Urdu/Pashto/Dari text then meets GeoNames'
# Arabic spellings.
_ARABIC_VARIANTS = {ord("ي"): "ی", ord("ى"): "ی", ord("ك"): "ک", ord("ـ"): None}
_SPACE = re.compile(r"\s+")
# izafat connectors inside a normalised key ("dand e patan" -> "dand patan")
_IZAFAT = re.compile(r"(?<=\S) [ei] (?=\S)")


@functools.lru_cache(maxsize=1 << 17)
def normalize_name(name: str) -> str:
    """
    Normalise a place name to its lookup key (cached: the same names recur across articles).

    The rule, applied in order: NFKC (compatibility forms such as Arabic
    presentation forms become plain letters); casefold; apostrophe-like
    characters (``’ ‘ ` ´ ʼ ʻ``) become ``'``; hyphens and dashes
    (``- ‐ – —``), ``_`` and ``/`` become spaces; full stops, commas, brackets
    and quotes are dropped; NFKD and every combining mark dropped (Latin
    diacritics, and in Arabic script the harakat and the hamza/madda carried by
    alef: أ إ آ → ا); Arabic-script variants ي ى → ی and ك → ک, tatweel dropped;
    NFC; whitespace collapsed; a leading ``"the "`` dropped.  Arabic-script
    letters otherwise stay as they are.

    Parameters
    ----------
    name
        A place name or alias in any script.

    Returns
    -------
    str
        The key ("" for an empty or punctuation-only name).

    Examples
    --------
    >>> normalize_name("  The Khyber–Pass ")
    'khyber pass'
    >>> normalize_name("Jalālābād")
    'jalalabad'
    >>> normalize_name("U.S.")
    'us'
    """
    s = unicodedata.normalize("NFKC", name).casefold()
    s = s.translate(_APOSTROPHES).translate(_DASHES).translate(_DROP)
    s = "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))
    s = unicodedata.normalize("NFC", s.translate(_ARABIC_VARIANTS))
    s = _SPACE.sub(" ", s).strip()
    if s.startswith("the "):
        s = s[4:]
    return s


# ----------------------------------------------------------------------------- gazetteer


class Gazetteer:
    """
    In-memory gazetteer with O(1) lookup by normalised name.

    Build one with :func:`load_gazetteer` (cached); the constructor takes the
    already-read tables.

    Parameters
    ----------
    frame
        One row per entry, columns :data:`COLUMNS`; ``aliases`` is a
        ``|``-separated string of alternate surface forms (the name excluded).
    index
        Normalised name → row positions in ``frame``, sorted by the lookup prior.
    demonyms
        Normalised demonym or adjective ("afghan", "pakistanis") → ``uid``.
    """

    def __init__(
        self, frame: pd.DataFrame, index: dict[str, str], demonyms: dict[str, str]
    ) -> None:
        self._frame = frame
        self._index = index  # key -> "3,17,25" (parsed lazily: cheaper to load)
        self._demonyms = demonyms
        self._uid_row = dict(zip(frame["uid"].tolist(), range(len(frame)), strict=True))
        self._cols = {c: frame[c].to_numpy() for c in COLUMNS[:10]}
        self._countries = self._cols["country"]
        self._aliases = frame["aliases"].to_numpy()
        self._cache: dict[int, GazetteerEntry] = {}
        self._display: dict[int, str] = {}

    # -- records
    def _entry(self, row: int) -> GazetteerEntry:
        e = self._cache.get(row)
        if e is None:
            c = self._cols
            e = GazetteerEntry(
                uid=str(c["uid"][row]),
                name=str(c["name"][row]),
                kind=str(c["kind"][row]),
                feature_class=str(c["feature_class"][row]),
                country=str(c["country"][row]),
                admin1=str(c["admin1"][row]),
                admin2=str(c["admin2"][row]),
                lat=float(c["lat"][row]),
                lon=float(c["lon"][row]),
                population=int(c["population"][row]),
            )
            self._cache[row] = e
        return e

    def _rows(self, key: str) -> list[int]:
        hit = self._index.get(key)
        if not hit and (" e " in key or " i " in key):
            # izafat compounds: "Dand-e-Patan" / "Dand-i-Patan" are "Dand Patan"
            hit = self._index.get(_IZAFAT.sub(" ", key))
        return [int(r) for r in hit.split(",")] if hit else []

    def _acronym_ok(self, row: int, token: str) -> bool:
        """Whether entry ``row`` may stand for the all-caps abbreviation ``token`` ("UN", "KP").

        Only when its own name is the abbreviation, or when it is not a town or
        city and one of its aliases is the abbreviation (dots ignored, case kept):
        "UN" never reaches the town Un (India) through a lower-case spelling.
        """
        if str(self._cols["name"][row]).replace(".", "") == token:
            return True
        if self._cols["kind"][row] in ("town", "city"):
            return False
        aliases = self._aliases[row]
        return bool(aliases) and token in {a.replace(".", "") for a in str(aliases).split("|")}

    def display_name(self, entry: GazetteerEntry) -> str:
        """
        The name to show for ``entry``: its plain ASCII spelling when the gazetteer has one.

        GeoNames writes many names with transliteration marks ("Khōst",
        "Pātan"); when one of the entry's aliases is the name without its
        diacritics ("Khost"), that alias is returned (English news spelling);
        otherwise the name itself.  The marked spelling stays an alias for lookup.
        """
        row = self._uid_row.get(entry.uid)
        if row is None:
            return entry.name
        out = self._display.get(row)
        if out is None:
            out = name = str(self._cols["name"][row])
            plain = "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))
            if plain != name and plain.isascii():
                aliases = self._aliases[row]
                if aliases and plain in str(aliases).split("|"):
                    out = plain
            self._display[row] = out
        return out

    def __len__(self) -> int:
        return len(self._frame)

    def __repr__(self) -> str:
        return f"<Gazetteer {len(self)} entries, {len(self._index)} names>"

    @property
    def frame(self) -> pd.DataFrame:
        """
        The whole gazetteer as a DataFrame (a copy-on-write view; do not mutate).

        Columns :data:`COLUMNS`: the :class:`~geomap.schema.GazetteerEntry`
        fields (``lat``/``lon`` degrees EPSG:4326, ``population`` int, 0 when
        unknown) plus ``is_capital`` (bool, national capital), ``source``,
        ``licence`` and ``aliases`` (``|``-separated surface forms).
        """
        return self._frame

    # -- queries
    def lookup(self, name: str, *, country: str | None = None) -> list[GazetteerEntry]:
        """
        All entries whose name or an alias normalises to the same key as ``name``.

        Parameters
        ----------
        name
            A toponym as written ("Torkhum", "کابل", "the Khyber Pass").
        country
            ISO 3166-1 alpha-2 code; when given, only entries of that country
            (entries spanning countries have ``country == ""`` and are kept too).

        Returns
        -------
        list of GazetteerEntry
            Empty when nothing matches.  Order (the prior, fixed at build
            time): entries whose own name matches before entries matched only
            by an alias ("Islamabad" the city before Chattogram, once called
            Islamabad); then countries, then first-level divisions
            (provinces), then all other kinds; within that by population
            descending, then kind in the order district, city, crossing, pass,
            town, region, other; then uid.
            A name written as a 2–3 letter all-caps abbreviation ("UN", "KP",
            "UAE") matches only entries whose own name is that abbreviation, or
            non-town entries with it as an alias (country, province, region...):
            organisations' acronyms do not reach small towns.  A hyphenated
            izafat form ("Dand-e-Patan", "Dand-i-Patan") not in the index is
            looked up without its connector ("Dand Patan").
        """
        rows = self._rows(normalize_name(name))
        token = name.strip().replace(".", "")
        if 2 <= len(token) <= 3 and token.isascii() and token.isalpha() and token.isupper():
            rows = [r for r in rows if self._acronym_ok(r, token)]
        if country:
            cc = country.upper()
            rows = [r for r in rows if self._countries[r] in (cc, "")]
        return [self._entry(r) for r in rows]

    def get(self, uid: str) -> GazetteerEntry | None:
        """Return the entry with this ``uid`` ("country:AF", "crossing:torkham", ...), or None."""
        row = self._uid_row.get(uid)
        return None if row is None else self._entry(row)

    def record(self, uid: str) -> dict[str, Any] | None:
        """Return the full row of ``uid`` as a dict (``aliases`` as a list), or None."""
        row = self._uid_row.get(uid)
        if row is None:
            return None
        rec = self._frame.iloc[row].to_dict()
        rec["aliases"] = [a for a in str(rec["aliases"]).split("|") if a]
        rec["population"] = int(rec["population"])
        rec["is_capital"] = bool(rec["is_capital"])
        return rec

    def demonym(self, word: str) -> GazetteerEntry | None:
        """
        Return the place a demonym or adjective refers to.

        ``"Afghan"``, ``"Afghans"`` → ``country:AF``; ``"Turkish"`` → ``country:TR``;
        ``"Kurdish"`` → ``region:kurdistan``.  Case and diacritics are ignored.
        Returns None for a word that is not a known demonym.
        """
        uid = self._demonyms.get(normalize_name(word))
        return None if uid is None else self.get(uid)

    def demonyms(self) -> Iterator[tuple[str, str]]:
        """Yield ``(normalised demonym, uid)`` pairs (for NORP patterns)."""
        yield from self._demonyms.items()

    def aliases(
        self,
        *,
        countries: Iterable[str] | None = None,
        min_population: int = 0,
        kinds: Iterable[str] | None = None,
    ) -> Iterator[tuple[str, str]]:
        """
        Yield ``(surface form, uid)`` for every name and alias of the selected entries.

        Surface forms are as written in the data (not normalised), e.g. for
        spaCy ``PhraseMatcher``/``EntityRuler`` patterns.  Filters combine with AND.

        Parameters
        ----------
        countries
            ISO2 codes to keep (entries with ``country == ""`` are kept too).
        min_population
            Keep entries with at least this population; countries, admin
            units, crossings, passes and regions (population 0) are always kept.
        kinds
            Keep only these kinds (values of :data:`geomap.schema.PLACE_KINDS`).

        Raises
        ------
        InputError
            If a kind is not in :data:`geomap.schema.PLACE_KINDS`.
        """
        f = self._frame
        mask = np.ones(len(f), dtype=bool)
        if countries is not None:
            cc = {c.upper() for c in countries} | {""}
            mask &= f["country"].isin(cc).to_numpy()
        if kinds is not None:
            kinds = set(kinds)
            bad = kinds - set(PLACE_KINDS)
            if bad:
                raise InputError(
                    f"unknown place kind(s) {sorted(bad)}; expected some of {PLACE_KINDS}"
                )
            mask &= f["kind"].isin(kinds).to_numpy()
        if min_population > 0:
            pop = f["population"].to_numpy()
            mask &= (pop >= min_population) | ~f["kind"].isin(("city", "town")).to_numpy()
        sub = f.loc[mask, ["uid", "name", "aliases"]]
        for uid, name, aliases in zip(sub["uid"], sub["name"], sub["aliases"], strict=True):
            yield name, uid
            if aliases:
                for a in aliases.split("|"):
                    yield a, uid

    def is_ambiguous(self, name: str) -> bool:
        """Return whether ``name`` matches more than one entry ("Kabul": city, province...)."""
        hit = self._index.get(normalize_name(name))
        return bool(hit) and "," in hit

    def nearest(
        self, lat: float, lon: float, *, kinds: Iterable[str] = ("city", "town", "crossing")
    ) -> tuple[GazetteerEntry, float] | None:
        """
        Return the entry nearest to a point, by great-circle (haversine) distance.

        Parameters
        ----------
        lat, lon
            Degrees, EPSG:4326.
        kinds
            Kinds considered (default populated places and crossings).

        Returns
        -------
        (GazetteerEntry, float) or None
            The entry and its distance in km (sphere of radius 6371.0088 km);
            None when no entry has one of ``kinds``.
        """
        key = tuple(sorted(kinds))
        pts = self._points(key)
        if pts is None:
            return None
        rows, la, lo = pts
        p1, p2 = math.radians(lat), np.radians(la)
        dphi = p2 - p1
        dl = np.radians(lo) - math.radians(lon)
        h = np.sin(dphi / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
        i = int(np.argmin(h))
        km = 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(float(h[i]))))
        return self._entry(int(rows[i])), km

    @functools.lru_cache(maxsize=8)  # noqa: B019 - one gazetteer per data dir, cached for the process
    def _points(self, kinds: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        rows = np.flatnonzero(self._frame["kind"].isin(kinds).to_numpy())
        if rows.size == 0:
            return None
        return rows, self._cols["lat"][rows].astype(float), self._cols["lon"][rows].astype(float)


def _read_tables(folder: Path) -> Gazetteer:
    paths = [folder / GAZETTEER_FILE, folder / INDEX_FILE, folder / DEMONYM_FILE]
    for p in paths:
        if not p.is_file():
            raise DataSourceError(f"gazetteer file {p} is missing; {_FIX}")
    try:
        frame = pd.read_csv(
            paths[0],
            sep="\t",
            dtype={"uid": str, "name": str, "aliases": str}
            | {c: "category" for c in _CATEGORICAL}
            | {"lat": "float64", "lon": "float64", "population": "int64", "is_capital": "int8"},
            keep_default_na=False,
            na_values=[],
            quoting=3,
            engine="c",
        )
        if tuple(frame.columns) != COLUMNS:
            raise ValueError(f"columns {list(frame.columns)} != {list(COLUMNS)}")
        frame["is_capital"] = frame["is_capital"].astype(bool)
        # "key\trows\n" lines; keys never hold a tab or newline, so one C-level split suffices
        parts = (
            gzip.decompress(paths[1].read_bytes()).decode("utf-8").replace("\t", "\n").split("\n")
        )
        if parts and parts[-1] == "":
            parts.pop()
        if len(parts) % 2:
            raise ValueError(f"{paths[1].name}: odd number of fields")
        index = dict(zip(parts[0::2], parts[1::2], strict=True))
        with open(paths[2], encoding="utf-8") as fh:
            next(fh)  # header
            demonyms = {}
            for line in fh:
                key, _surface, uid = line.rstrip("\n").split("\t")
                demonyms[key] = uid
    except (OSError, ValueError, EOFError, gzip.BadGzipFile, pd.errors.ParserError) as err:
        raise DataSourceError(f"gazetteer in {folder} is unreadable ({err}); {_FIX}") from err
    return Gazetteer(frame, index, demonyms)


@functools.lru_cache(maxsize=4)
def _load_cached(folder: str) -> Gazetteer:
    gaz = _read_tables(Path(folder))
    logger.info("loaded gazetteer from %s: %d entries, %d names", folder, len(gaz), len(gaz._index))
    return gaz


def load_gazetteer(settings: Settings | None = None) -> Gazetteer:
    """
    Load the prebuilt gazetteer (once per data folder; later calls return the same object).

    Parameters
    ----------
    settings
        Where the data lives (``settings.gazetteer_dir``); default
        :func:`geomap.settings.get_settings`.

    Returns
    -------
    Gazetteer

    Raises
    ------
    DataSourceError
        If a file is missing or unreadable; the message says how to rebuild it.
    """
    settings = settings or get_settings()
    return _load_cached(str(Path(settings.gazetteer_dir).resolve()))


# ----------------------------------------------------------------------------- geopy


def _location(gaz: Gazetteer, entry: GazetteerEntry) -> Location:
    parts = [entry.name, entry.admin2, entry.admin1, entry.country]
    address = ", ".join(dict.fromkeys(p for p in parts if p))
    return Location(address, (entry.lat, entry.lon), gaz.record(entry.uid) or {})


class OfflineGeocoder(Geocoder):
    """
    A geopy :class:`~geopy.geocoders.base.Geocoder` answering from the embedded gazetteer.

    Never touches the network.  ``raw`` of each returned
    :class:`geopy.location.Location` is the gazetteer record (see
    :meth:`Gazetteer.record`); ``address`` is "name, admin2, admin1, ISO2".

    Parameters
    ----------
    gazetteer
        Default: :func:`load_gazetteer` with default settings.
    """

    def __init__(self, gazetteer: Gazetteer | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.gazetteer = gazetteer if gazetteer is not None else load_gazetteer()

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        country_codes: str | Iterable[str] | None = None,
        timeout: Any = None,
    ) -> Location | list[Location] | None:
        """
        Geocode a place name.

        Parameters
        ----------
        query
            A place name (matched after :func:`normalize_name`).
        exactly_one
            Return the best candidate (the lookup prior) instead of a list.
        country_codes
            ISO2 code(s) restricting the candidates.
        timeout
            Ignored (kept for geopy compatibility).

        Returns
        -------
        Location, list of Location, or None when nothing matches.
        """
        if country_codes is None:
            entries = self.gazetteer.lookup(query)
        else:
            codes = (
                {country_codes.upper()}
                if isinstance(country_codes, str)
                else {c.upper() for c in country_codes}
            )
            entries = [e for e in self.gazetteer.lookup(query) if e.country in codes]
        if not entries:
            return None
        if exactly_one:
            return _location(self.gazetteer, entries[0])
        return [_location(self.gazetteer, e) for e in entries]

    def reverse(
        self, query: Any, *, exactly_one: bool = True, timeout: Any = None
    ) -> Location | list[Location] | None:
        """
        Return the nearest populated place or crossing to a point.

        Parameters
        ----------
        query
            ``(lat, lon)`` in degrees, a "lat, lon" string or a geopy Point.
        exactly_one
            Return a Location (True) or a one-element list.

        Returns
        -------
        Location or list of Location; ``raw["distance_km"]`` is the great-circle distance.
        """
        from geopy.point import Point

        pt = Point(query)
        hit = self.gazetteer.nearest(pt.latitude, pt.longitude)
        if hit is None:
            return None
        entry, km = hit
        loc = _location(self.gazetteer, entry)
        loc.raw["distance_km"] = km
        return loc if exactly_one else [loc]


class _JsonCache:
    """A small on-disk query → location cache, written atomically (temp file + os.replace)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.data: dict[str, Any] = (
                json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
            )
        except (OSError, ValueError):
            logger.warning("online geocoder cache %s unreadable; starting empty", path)
            self.data = {}

    def get(self, key: str) -> Any:
        return self.data.get(key)

    def put(self, key: str, value: Any) -> None:
        self.data[key] = value
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=self.path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(self.data, fh, ensure_ascii=False, sort_keys=True)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def make_geocoder(
    settings: Settings | None = None,
    *,
    online: bool = False,
    fallback: Geocoder | None = None,
    min_delay_seconds: float = 1.0,
) -> Callable[[str], Location | None]:
    """
    Return a geocoding function: the offline gazetteer first, online only when asked.

    Parameters
    ----------
    settings
        Data folder, cache folder and user agent; default :func:`geomap.settings.get_settings`.
    online
        Allow the online fallback.  When False (the default) nothing touches the network.
    fallback
        The online geopy geocoder (default: ``geopy.geocoders.Nominatim`` with
        ``settings.user_agent``).  Used only when ``online`` is True.
    min_delay_seconds
        Minimum delay between online requests (Nominatim's usage policy asks for 1 s);
        applied with :class:`geopy.extra.rate_limiter.RateLimiter`.

    Returns
    -------
    callable
        ``f(query) -> geopy.location.Location | None``.  Online answers are cached
        in ``settings.cache_dir / "online_geocoder.json"`` (query → address,
        lat, lon), written atomically; cached answers are served without a request.
    """
    settings = settings or get_settings()
    offline = OfflineGeocoder(load_gazetteer(settings))
    if not online:
        return lambda query: offline.geocode(query, exactly_one=True)

    from geopy.extra.rate_limiter import RateLimiter

    if fallback is None:
        from geopy.geocoders import Nominatim

        fallback = Nominatim(user_agent=settings.user_agent)
    limited = RateLimiter(fallback.geocode, min_delay_seconds=min_delay_seconds)
    cache = _JsonCache(Path(settings.cache_dir) / "online_geocoder.json")

    def geocode(query: str) -> Location | None:
        hit = offline.geocode(query, exactly_one=True)
        if hit is not None:
            return hit
        key = normalize_name(query)
        cached = cache.get(key)
        if cached is not None:
            if not cached:
                return None
            return Location(
                cached["address"], (cached["lat"], cached["lon"]), {**cached, "cached": True}
            )
        loc = limited(query)
        if loc is None:
            cache.put(key, {})
            return None
        cache.put(
            key,
            {
                "address": loc.address,
                "lat": loc.latitude,
                "lon": loc.longitude,
                "query": query,
                "source": type(fallback).__name__,
            },
        )
        return loc

    return geocode
