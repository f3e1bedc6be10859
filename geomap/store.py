"""The incident store: articles accumulate, incidents are deduplicated across them.

Format: a GeoPackage written with :mod:`sqlite3`
------------------------------------------------
The store is one file (default ``output/geomap.gpkg``) that is both a valid OGC
GeoPackage 1.4 and our database.  Why a GeoPackage written through the standard
library's :mod:`sqlite3` rather than through GDAL (pyogrio), or plain SQLite:

- **One transaction per ingest.**  GDAL writes one layer at a time, each in its
  own transaction; an ingest touches five tables (articles, places, events,
  statements, incidents) and must be all-or-nothing.  With :mod:`sqlite3` every
  :meth:`Store.ingest` call is a single ``BEGIN IMMEDIATE … COMMIT`` in
  rollback-journal mode, so a crash, Ctrl-C or SIGKILL midway leaves a hot
  journal that SQLite rolls back on the next open: the store is exactly as it
  was before the call.
- **Readable by every GIS.**  The spatial tables (``places``, ``events``,
  ``incidents``) are registered in ``gpkg_contents``/``gpkg_geometry_columns``
  with standard GeoPackage point blobs in EPSG:4326, so QGIS, ``ogr2ogr`` and
  ``geopandas.read_file(path, layer="incidents")`` open the file as-is.  Plain
  SQLite with lat/lon columns would need a conversion step for GIS users.
- ``lat``/``lon`` columns are kept beside the geometry, so geomap reads points
  without decoding WKB.

Integrity: opening checks the SQLite header, runs ``PRAGMA quick_check`` and
reads the store schema version from ``geomap_meta``; any failure raises
:class:`~geomap.errors.StoreError` and the file is never written to.

Determinism: rows are derived only from the articles' contents (ids are content
hashes, incidents are recomputed from all stored events in a canonical order),
and every query returns rows in a fixed order.  The one clock value,
``articles.ingested_at``, comes from ``SOURCE_DATE_EPOCH`` when that is set
(the reproducible-builds convention), so two stores built from the same inputs
are identical row for row.

Deduplication (see :func:`cluster_events`)
------------------------------------------
The same incident reported by several outlets becomes one incident with all its
sources.  Two events are the same incident when they have the same ``type``,
the same certainty class (``occurred``/``reported`` are one class: facts), and:

- **date**: both day-precision and at most :data:`DAY_WINDOW` (2) days apart —
  reports appear the day after, and relative dates ("Thursday night",
  "yesterday") shift by a day between outlets; ACLED itself codes by day, so a
  wider window would merge distinct daily clashes.  Dates of month or year
  precision match only the same month/year written at the same precision.
  Undated events are never merged (nothing says they are the same).
- **place**: crossing-scoped events share a crossing (by crossing id: names and
  aliases are mapped with :func:`geomap.timeline.crossing_id_for`); "all crossings"
  events match each other, "N crossings" events match the same N; located
  events lie within :data:`MAX_KM` (25 km, geodesic) of each other — the radius
  of a typical border district (Kurram 3,380 km² ≈ a 33 km-radius disc), the
  spread between a village and the district centre (ACLED geo-precision 2) that
  two outlets may name for one strike.  If either point is only a province or
  country centroid (geo_precision 3) they match when they are in the same
  admin1 (the coarse report cannot be placed more closely).

Clustering is greedy over events sorted by (date, id), each event joining the
nearest open cluster whose *anchor* (first event) it matches: an incident spans
at most 2 days, daily clashes do not chain into one, and the result depends
only on the set of events, not on the order they were ingested.  The
incident's fields come from its most precise report (lowest geo_precision, then
time_precision, then certainty), and ``fatalities``/``injuries`` are the lowest
reported figure (ACLED codebook 2023: "the most conservative estimate").

Crossing corrections: statements from every article are kept; the crossing
timeline (:func:`geomap.timeline.build_timeline`) is rebuilt from all of them,
so a later article's correction supersedes an earlier status.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import json
import logging
import math
import os
import sqlite3
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geomap.articles import Article
from geomap.boundaries import province_names
from geomap.errors import InputError, StoreError
from geomap.schema import ACLED_TYPES, CRS, EVENT_TYPES, CrossingStatement, Event, Place

__all__ = [
    "Store",
    "IngestReport",
    "open_store",
    "cluster_events",
    "event_types",
    "canonical_province",
    "SCHEMA_VERSION",
    "MAX_KM",
    "DAY_WINDOW",
    "DEFAULT_PATH",
]

log = logging.getLogger(__name__)

#: Version of the store's tables; a file with another version raises StoreError.
SCHEMA_VERSION = "1"
#: Default store path.
DEFAULT_PATH = Path("output/geomap.gpkg")
#: Two located reports of one incident are at most this far apart (km, geodesic).
MAX_KM = 25.0
#: Two day-precision reports of one incident are at most this many days apart.
DAY_WINDOW = 2

_GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"
_GPKG_USER_VERSION = 10400  # GeoPackage 1.4
_SQLITE_MAGIC = b"SQLite format 3\x00"
_WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,'
    'AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,'
    'AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],'
    'AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]'
)
_CERT_RANK = {
    c: i
    for i, c in enumerate(
        ("occurred", "reported", "planned", "threatened", "conditional", "negated")
    )
}


# --------------------------------------------------------------------------- columns


def _sql_type(annotation: Any) -> str:
    a = str(annotation)
    if "tuple" in a or "list" in a:
        return "JSON"
    if "float" in a:
        return "REAL"
    if "int" in a:
        return "INTEGER"
    return "TEXT"


def _fields(cls: type) -> list[tuple[str, str]]:
    return [(f.name, _sql_type(f.type)) for f in dataclasses.fields(cls)]


_PLACE_FIELDS = _fields(Place)
_EVENT_FIELDS = _fields(Event)
_STATEMENT_FIELDS = _fields(CrossingStatement)
_ARTICLE_COLUMNS = [
    "id",
    "published",
    "published_source",
    "title",
    "url",
    "path",
    "ingested_at",
    "n_places",
    "n_events",
]
_INCIDENT_EXTRA = [
    ("incident_id", "TEXT"),
    ("article_id", "TEXT"),
    ("published", "TEXT"),
    ("sources", "JSON"),
    ("n_sources", "INTEGER"),
    ("digest", "TEXT"),
]


def _cols_sql(fields: Sequence[tuple[str, str]]) -> str:
    return ", ".join(f'"{n}" {"TEXT" if t == "JSON" else t}' for n, t in fields)


_SCHEMA = f"""
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE geomap_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE articles (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, "id" TEXT NOT NULL UNIQUE, published TEXT,
  published_source TEXT, title TEXT, url TEXT, path TEXT, ingested_at TEXT,
  n_places INTEGER, n_events INTEGER, n_statements INTEGER, warnings TEXT, text TEXT NOT NULL);
CREATE TABLE places (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POINT, article_id TEXT NOT NULL, seq INTEGER NOT NULL,
  {_cols_sql(_PLACE_FIELDS)}, sentence TEXT, UNIQUE (article_id, seq));
CREATE TABLE events (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POINT, article_id TEXT NOT NULL, seq INTEGER NOT NULL,
  {_cols_sql(_EVENT_FIELDS)}, published TEXT, UNIQUE (article_id, seq));
CREATE TABLE statements (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, seq INTEGER NOT NULL,
  {_cols_sql(_STATEMENT_FIELDS)}, published TEXT, UNIQUE (article_id, seq));
CREATE TABLE incidents (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POINT,
  {_cols_sql(_EVENT_FIELDS)}, {_cols_sql(_INCIDENT_EXTRA)}, UNIQUE (incident_id));
CREATE INDEX places_article ON places(article_id);
CREATE INDEX events_article ON events(article_id);
CREATE INDEX statements_article ON statements(article_id);
"""

_LAYERS = {
    "articles": (
        "attributes",
        None,
        "Articles ingested (id = SHA-256 of the normalised text, 16 hex digits)",
    ),
    "places": ("features", "POINT", "Toponym mentions with their resolution, one row per mention"),
    "events": ("features", "POINT", "Events as read from each article, before deduplication"),
    "statements": ("attributes", None, "Crossing-status statements, one row per statement"),
    "incidents": ("features", "POINT", "Deduplicated incidents with all their sources"),
}


def _gpkg_point(lat: Any, lon: Any) -> bytes | None:
    """Encode a point as a GeoPackage geometry blob (header, no envelope, EPSG:4326, WKB)."""
    if lat is None or lon is None:
        return None
    lat, lon = float(lat), float(lon)
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    return b"GP\x00\x01" + struct.pack("<i", 4326) + struct.pack("<BIdd", 1, 1, lon, lat)


def _now() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        when = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    else:
        when = dt.datetime.now(tz=dt.UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


_SQLITE_INT = (-(2**63), 2**63 - 1)


def _dump(value: Any) -> Any:
    """A record field as an SQLite value: lists as JSON; NaN and out-of-range integers as NULL."""
    if isinstance(value, (list, tuple)):
        return json.dumps(list(value), ensure_ascii=False)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, int) and not isinstance(value, bool) and not _SQLITE_INT[0] <= value <= _SQLITE_INT[1]:
        return None  # SQLite cannot hold it; one hostile number must not block an ingest
    return value


def _load_json(value: Any) -> Any:
    if isinstance(value, str):
        return json.loads(value)
    return []


# --------------------------------------------------------------------------- selection


def _unknown(what: str, value: str, valid: Sequence[str]) -> InputError:
    """Make the :class:`InputError` for ``value``: the closest valid names, then all of them."""
    close = difflib.get_close_matches(value, list(valid), n=3, cutoff=0.6)
    hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
    return InputError(f"unknown {what} {value!r}{hint}; valid: {', '.join(valid)}")


def event_types(types: Iterable[str]) -> list[str]:
    """
    Return the canonical names of event types given by a user.

    Parameters
    ----------
    types
        geomap event types (:data:`geomap.schema.EVENT_TYPES`) or ACLED
        ``event_type`` names (:data:`geomap.schema.ACLED_TYPES`), any case.

    Returns
    -------
    list of str
        Each as geomap or ACLED spells it, in the order given.

    Raises
    ------
    InputError
        For a name that is neither (the message suggests the closest and lists all).
    """
    valid = list(EVENT_TYPES) + sorted({acled for acled, _ in ACLED_TYPES.values()})
    lookup = {v.casefold(): v for v in valid}
    out = []
    for t in types:
        if str(t).casefold() not in lookup:
            raise _unknown("event type", str(t), valid)
        out.append(lookup[str(t).casefold()])
    return out


def canonical_province(name: str) -> str:
    """
    Return the ``admin1`` name of a province given by a user.

    Parameters
    ----------
    name
        A province of Afghanistan or Pakistan by its name or another name from
        the boundary data (:func:`geomap.boundaries.province_names`), any case.

    Returns
    -------
    str
        The province's name as ``admin1`` columns hold it, e.g. ``"Bamyan"``
        for ``"bamiyan"``.

    Raises
    ------
    InputError
        For a name that is no province (the message suggests the closest and lists all).
    """
    names = province_names()
    canonical = names.get(name.strip().casefold())
    if canonical is None:
        raise _unknown("province", name, sorted(set(names.values())))
    return canonical


# --------------------------------------------------------------------------- report


@dataclass
class IngestReport:
    """What one ingest did.

    Attributes
    ----------
    read
        Articles read (parsed successfully), duplicates included.
    added
        Articles stored by this ingest.
    skipped
        ``(path or item, reason)`` for every input not stored: unreadable, empty,
        binary, not an article, duplicate.
    duplicates
        Inputs whose article id (content hash) was already stored or already seen
        in this run (they are also listed in ``skipped``).
    incidents_new
        Incidents made only of events added by this ingest.
    incidents_merged
        Incidents that now combine reports from two or more articles, at least
        one of them added by this ingest (a duplicate report was recognised).
    crossings_changed
        Crossings whose latest status (status, since) changed; None when the
        timeline module is not available.
    incidents_total
        Incidents in the store after the ingest.
    """

    read: int = 0
    added: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    duplicates: int = 0
    incidents_new: int = 0
    incidents_merged: int = 0
    crossings_changed: int | None = 0
    incidents_total: int = 0

    def merge(self, other: IngestReport) -> None:
        """Add ``other``'s counts to this report (used by batched ingests)."""
        self.read += other.read
        self.added += other.added
        self.skipped.extend(other.skipped)
        self.duplicates += other.duplicates
        self.incidents_new += other.incidents_new
        self.incidents_merged += other.incidents_merged
        if self.crossings_changed is None or other.crossings_changed is None:
            self.crossings_changed = None
        else:
            self.crossings_changed += other.crossings_changed
        self.incidents_total = other.incidents_total or self.incidents_total

    @property
    def unreadable(self) -> list[tuple[str, str]]:
        """The inputs skipped because they are not articles (``skipped`` minus duplicates).

        Unreadable, missing, empty, binary or undecodable files, folders without
        articles and bad JSON lines, as ``(input, reason)``.  A duplicate is no
        failure (re-running an ingest meets only duplicates) and is not listed.
        """
        return [(item, why) for item, why in self.skipped if not why.startswith("duplicate:")]

    def summary(self, *, max_skipped: int = 20) -> str:
        """
        Return a few human-readable lines; each input is counted once.

        ``skipped`` also holds the duplicates (reason ``duplicate: ...``), which are
        counted apart: ``articles read: R, added: A, duplicates: D; other inputs
        skipped: S`` (R = A + D unless an article failed to store; S = inputs that
        are not articles: unreadable, empty, binary, bad JSON line), the incident
        line, the ``  skipped <input>: <why>`` lines, then ``  duplicate <input>:
        <why>`` (at most ``max_skipped`` of each kind; the rest are counted).
        """
        cc = "n/a" if self.crossings_changed is None else str(self.crossings_changed)
        dups = [(item, why) for item, why in self.skipped if why.startswith("duplicate:")]
        other = self.unreadable
        lines = [
            f"articles read: {self.read}, added: {self.added}, duplicates: {self.duplicates}; "
            f"other inputs skipped: {len(other)}",
            f"incidents: {self.incidents_new} new, {self.incidents_merged} merged across articles, "
            f"{self.incidents_total} in the store; crossings with a changed status: {cc}",
        ]
        for kind, items in (("skipped", other), ("duplicate", dups)):
            for item, reason in items[:max_skipped]:
                lines.append(f"  {kind} {item}: {reason.removeprefix('duplicate:').strip()}")
            if len(items) > max_skipped:
                more = "duplicates" if kind == "duplicate" else "skipped"
                lines.append(f"  ... and {len(items) - max_skipped} more {more}")
        return "\n".join(lines)


# --------------------------------------------------------------------------- dedup


@dataclass(frozen=True, slots=True)
class _Ev:
    id: str
    article_id: str
    type: str
    certainty: str
    date: str | None
    precision: str | None
    lat: float | None
    lon: float | None
    geo_precision: int | None
    time_precision: int | None
    admin1: str | None
    scope: str
    crossings: frozenset[str]
    crossing_count: int | None
    published: str | None
    start: int = -1


@functools.lru_cache(maxsize=4096)
def _crossing_key(name: str) -> str:
    """Crossing id for a crossing name or alias ("Friendship Gate" -> chaman_spin_boldak)."""
    try:
        from geomap.timeline import crossing_id_for
    except ImportError:  # pragma: no cover - timeline stage missing
        return name.strip().lower()
    return crossing_id_for(name) or name.strip().lower()


def _day(date: str | None) -> dt.date | None:
    if date and len(date) == 10:
        try:
            return dt.date.fromisoformat(date)
        except ValueError:
            return None
    return None


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    # Mean Earth radius 6371.0088 km (IUGG); < 0.5 % from the ellipsoid at 25 km.
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _place_match(a: _Ev, b: _Ev, max_km: float) -> tuple[bool, float]:
    """Return (same place?, distance in km used to rank candidates)."""
    if a.scope == "crossing" and b.scope == "crossing" and a.crossings and b.crossings:
        return bool(a.crossings & b.crossings), 0.0
    if a.scope == "crossings_all" and b.scope == "crossings_all":
        return True, 0.0
    if a.scope == "crossings_count" and b.scope == "crossings_count":
        return a.crossing_count == b.crossing_count, 0.0
    if a.lat is None or b.lat is None or a.lon is None or b.lon is None:
        return False, math.inf
    d = _haversine_km(a.lat, a.lon, b.lat, b.lon)
    if (a.geo_precision or 3) >= 3 or (b.geo_precision or 3) >= 3:
        same = bool(a.admin1) and a.admin1 == b.admin1
        return same, d
    return d <= max_km, d


def cluster_events(
    events: Sequence[_Ev], *, max_km: float = MAX_KM, day_window: int = DAY_WINDOW
) -> list[list[_Ev]]:
    """
    Group event reports into incidents (rules in the module docstring).

    Parameters
    ----------
    events
        Lightweight event records (any order).
    max_km
        Largest distance (km, great circle) between two located reports of one incident.
    day_window
        Largest gap (days) between two day-precision reports of one incident.

    Returns
    -------
    list of list
        Clusters in canonical order (by anchor date, then id); within a cluster
        the anchor comes first.  The result depends only on the set of events.
    """
    # One sentence read twice as the same type (e.g. once with, once without a
    # date) is one report: its most informative reading is clustered, the others follow it.
    same_sentence: dict[tuple[str, str, str, int], list[_Ev]] = {}
    for e in events:
        cls = "fact" if e.certainty in ("occurred", "reported") else e.certainty
        same_sentence.setdefault((e.article_id, e.type, cls, e.start), []).append(e)
    followers: dict[str, list[_Ev]] = {}
    groups: dict[tuple[str, str], list[_Ev]] = {}
    for (_art, typ, cls, _start), grp in same_sentence.items():
        grp.sort(key=lambda e: (e.date is None, e.lat is None, e.id))
        if grp[0].start >= 0:
            followers[grp[0].id] = grp[1:]
            lead = [grp[0]]
        else:
            lead = grp
        groups.setdefault((typ, cls), []).extend(lead)
    clusters: list[list[_Ev]] = []
    for key in sorted(groups):
        evs = sorted(groups[key], key=lambda e: (e.date or "9999", e.id))
        by_day: dict[dt.date, list[int]] = {}
        by_period: dict[str, list[int]] = {}
        local: list[list[_Ev]] = []
        for e in evs:
            day = _day(e.date) if e.precision in (None, "day") else None
            if day is not None:
                cand = [
                    i
                    for k in range(day_window, -1, -1)
                    for i in by_day.get(day - dt.timedelta(days=k), ())
                ]
            elif e.date:
                cand = list(by_period.get(f"{e.precision}:{e.date}", ()))
            else:
                cand = []
            best, best_d = None, math.inf
            for i in cand:
                ok, d = _place_match(local[i][0], e, max_km)
                if ok and d < best_d:
                    best, best_d = i, d
            if best is None:
                for i in cand:  # a crossing/scope match has distance 0; a coarse match may be inf
                    ok, _ = _place_match(local[i][0], e, max_km)
                    if ok:
                        best = i
                        break
            if best is not None:
                local[best].append(e)
                continue
            local.append([e])
            if day is not None:
                by_day.setdefault(day, []).append(len(local) - 1)
            elif e.date:
                by_period.setdefault(f"{e.precision}:{e.date}", []).append(len(local) - 1)
        clusters.extend(local)
    clusters = [[m for e in c for m in (e, *followers.get(e.id, ()))] for c in clusters]
    clusters.sort(key=lambda c: (c[0].date or "9999", c[0].id))
    return clusters


def _representative(cluster: Sequence[_Ev]) -> _Ev:
    return min(
        cluster,
        key=lambda e: (
            e.geo_precision or 9,
            e.time_precision or 9,
            _CERT_RANK.get(e.certainty, 9),
            e.published or "9999",
            e.id,
        ),
    )


# --------------------------------------------------------------------------- store


class Store:
    """
    An open incident store (use :func:`open_store`; close it or use ``with``).

    Every frame returned is a new object in EPSG:4326 with rows in a fixed order;
    list-valued columns (``crossings``, ``actors``, ``mediators``, ``warnings``,
    ``sources``) hold Python lists.
    """

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self._conn = conn

    # -- context manager
    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the database connection (idempotent)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None  # type: ignore[assignment]

    @property
    def conn(self) -> sqlite3.Connection:
        """The underlying connection.

        Raises
        ------
        StoreError
            If the store has been closed.
        """
        if self._conn is None:
            raise StoreError(f"{self.path}: the store is closed")
        return self._conn

    # -- ingest
    def article_ids(self) -> set[str]:
        """Ids of every stored article (cheap: one indexed column)."""
        return {r[0] for r in self.conn.execute("SELECT id FROM articles")}

    def ingest(self, items: Iterable[Any], *, progress: bool = False) -> IngestReport:
        """
        Add articles (or already-extracted results) in one transaction.

        Parameters
        ----------
        items
            :class:`~geomap.articles.Article` (extracted here with
            :func:`geomap.pipeline.extract`) or
            :class:`~geomap.pipeline.ArticleResult` objects.
        progress
            Show a tqdm bar while extracting articles.

        Returns
        -------
        IngestReport
            An article whose id is already stored (or repeated in ``items``) is
            counted in ``duplicates`` and changes nothing.

        Raises
        ------
        StoreError
            If the database cannot be written (locked, disk full); the store is
            then unchanged (the transaction is rolled back).
        """
        from geomap.pipeline import ArticleResult

        report = IngestReport()
        stored = self.article_ids()
        results: list[Any] = []
        pending: list[Any] = []
        for item in items:
            art = item.article if isinstance(item, ArticleResult) else item
            if not isinstance(art, Article):
                report.skipped.append(
                    (
                        repr(item)[:80],
                        f"expected an Article or ArticleResult, got {type(item).__name__}",
                    )
                )
                continue
            report.read += 1
            if art.id in stored:
                report.duplicates += 1
                report.skipped.append(
                    (art.path or art.id, f"duplicate: article {art.id} is already in the store")
                )
                continue
            stored.add(art.id)
            pending.append(item)
        if any(not isinstance(i, ArticleResult) for i in pending):
            from geomap.boundaries import load_layers
            from geomap.pipeline import extract

            layers = load_layers()
            seq: Iterable[Any] = pending
            if progress:
                from tqdm.auto import tqdm

                seq = tqdm(pending, desc="extract", unit="article")
            results = [
                i if isinstance(i, ArticleResult) else extract(i, layers=layers) for i in seq
            ]
        else:
            results = pending
        if not results:
            report.incidents_total = self._count("incidents")
            return report
        self._write(results, report)
        return report

    def _count(self, table: str) -> int:
        return int(self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def _write(self, results: Sequence[Any], report: IngestReport) -> None:
        conn = self.conn
        has_statements = any(r.statements for r in results)
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as err:
            raise StoreError(
                f"{self.path}: cannot start a write transaction ({err}); is another geomap writing it?"
            ) from err
        try:
            before = self._crossing_state() if has_statements else None
            now = _now()
            new_events: set[str] = set()
            for r in results:
                new_events.update(self._insert_result(r, now))
            self._recluster(new_events, report)
            if has_statements:
                after = self._crossing_state()
                if before is None or after is None:
                    report.crossings_changed = None
                else:
                    report.crossings_changed = sum(
                        1 for k in set(before) | set(after) if before.get(k) != after.get(k)
                    )
            else:
                report.crossings_changed = 0
            self._update_contents(now)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        report.added += len(results)
        log.info(
            "ingested %d article(s) into %s: %d incidents new, %d merged",
            len(results),
            self.path,
            report.incidents_new,
            report.incidents_merged,
        )

    def _insert_result(self, r: Any, now: str) -> list[str]:
        a: Article = r.article
        text = a.text
        pub = a.published.isoformat() if a.published else None
        conn = self.conn
        conn.execute(
            "INSERT INTO articles (id, published, published_source, title, url, path, ingested_at, n_places, "
            "n_events, n_statements, warnings, text) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                a.id,
                pub,
                a.published_source,
                a.title,
                a.url,
                a.path,
                now,
                len(r.places),
                len(r.events),
                len(r.statements),
                json.dumps(list(r.warnings), ensure_ascii=False),
                text,
            ),
        )
        pnames = [n for n, _ in _PLACE_FIELDS]
        conn.executemany(
            f"INSERT INTO places (geom, article_id, seq, {', '.join(chr(34) + n + chr(34) for n in pnames)}, sentence) "
            f"VALUES ({', '.join('?' * (len(pnames) + 4))})",
            [
                (
                    _gpkg_point(p.lat, p.lon),
                    a.id,
                    i,
                    *(_dump(getattr(p, n)) for n in pnames),
                    text[p.sentence_start : p.sentence_end],
                )
                for i, p in enumerate(r.places)
            ],
        )
        enames = [n for n, _ in _EVENT_FIELDS]
        conn.executemany(
            f"INSERT INTO events (geom, article_id, seq, {', '.join(chr(34) + n + chr(34) for n in enames)}, published) "
            f"VALUES ({', '.join('?' * (len(enames) + 4))})",
            [
                (_gpkg_point(e.lat, e.lon), a.id, i, *(_dump(getattr(e, n)) for n in enames), pub)
                for i, e in enumerate(r.events)
            ],
        )
        snames = [n for n, _ in _STATEMENT_FIELDS]
        conn.executemany(
            f"INSERT INTO statements (seq, {', '.join(chr(34) + n + chr(34) for n in snames)}, published) "
            f"VALUES ({', '.join('?' * (len(snames) + 2))})",
            [
                (
                    i,
                    *(
                        _dump(getattr(s, n) if n != "article_id" else (s.article_id or a.id))
                        for n in snames
                    ),
                    pub,
                )
                for i, s in enumerate(r.statements)
            ],
        )
        return [e.id for e in r.events]

    def _light_events(self) -> list[_Ev]:
        rows = self.conn.execute(
            "SELECT id, article_id, type, certainty, date, date_precision, lat, lon, geo_precision, time_precision, "
            "admin1, scope, crossings, crossing_count, published, start FROM events"
        )
        out = []
        for r in rows:
            names = frozenset(_crossing_key(str(n)) for n in _load_json(r[12]))
            out.append(
                _Ev(
                    r[0],
                    r[1],
                    r[2],
                    r[3] or "occurred",
                    r[4],
                    r[5],
                    r[6],
                    r[7],
                    r[8],
                    r[9],
                    r[10],
                    r[11] or "none",
                    names,
                    r[13],
                    r[14],
                    r[15] if r[15] is not None else -1,
                )
            )
        return out

    def _recluster(self, new_events: set[str], report: IngestReport) -> None:
        """Recompute incidents from all events; write only the rows that changed."""
        conn = self.conn
        clusters = cluster_events(self._light_events())
        enames = [n for n, _ in _EVENT_FIELDS]
        existing = dict(conn.execute("SELECT incident_id, digest FROM incidents"))
        wanted: dict[str, tuple[list[_Ev], str]] = {}
        for c in clusters:
            iid = f"inc-{c[0].id}"
            ids = sorted(e.id for e in c)
            digest = json.dumps(ids)
            wanted[iid] = (c, digest)
            n_new = sum(1 for i in ids if i in new_events)
            if n_new == len(ids):
                report.incidents_new += 1
            if n_new and len({e.article_id for e in c}) > 1:
                report.incidents_merged += 1
        stale = [iid for iid, dg in existing.items() if iid not in wanted or wanted[iid][1] != dg]
        conn.executemany("DELETE FROM incidents WHERE incident_id = ?", [(i,) for i in stale])
        todo = [(iid, c, dg) for iid, (c, dg) in wanted.items() if existing.get(iid) != dg]
        report.incidents_total = len(wanted)
        if not todo:
            return
        # Fetch the full rows of the events involved.
        ids = sorted({e.id for _, c, _ in todo for e in c})
        full: dict[str, dict[str, Any]] = {}
        cols = enames + ["article_id", "published"]
        q = ", ".join(f'e."{n}"' for n in enames)
        for k in range(0, len(ids), 500):
            chunk = ids[k : k + 500]
            sql = (
                f"SELECT {q}, e.article_id, e.published, a.url, a.title FROM events e "
                f"JOIN articles a ON a.id = e.article_id WHERE e.id IN ({','.join('?' * len(chunk))})"
            )
            for row in conn.execute(sql, chunk):
                d = dict(zip(cols, row[: len(cols)], strict=True))
                d["url"], d["title"] = row[len(cols)], row[len(cols) + 1]
                full[d["id"]] = d
        rows = []
        for iid, c, digest in todo:
            rep = dict(full[_representative(c).id])
            members = sorted(
                (full[e.id] for e in c), key=lambda d: (d["published"] or "9999", d["id"])
            )
            for fld in ("fatalities", "injuries"):
                vals = [m[fld] for m in members if m[fld] is not None]
                rep[fld] = min(vals) if vals else None
            sources = [
                {
                    "article_id": m["article_id"],
                    "event_id": m["id"],
                    "sentence": m["sentence"],
                    "start": m["start"],
                    "end": m["end"],
                    "published": m["published"],
                    "url": m["url"],
                    "title": m["title"],
                }
                for m in members
            ]
            pubs = [m["published"] for m in members if m["published"]]
            rows.append(
                (
                    _gpkg_point(rep["lat"], rep["lon"]),
                    *(rep[n] for n in enames),
                    iid,
                    rep["article_id"],
                    min(pubs) if pubs else None,
                    json.dumps(sources, ensure_ascii=False),
                    len({m["article_id"] for m in members}),
                    digest,
                )
            )
        extra = [n for n, _ in _INCIDENT_EXTRA]
        conn.executemany(
            f"INSERT INTO incidents (geom, {', '.join(chr(34) + n + chr(34) for n in enames + extra)}) "
            f"VALUES ({', '.join('?' * (len(enames) + len(extra) + 1))})",
            rows,
        )

    def _update_contents(self, now: str) -> None:
        conn = self.conn
        for table, (_kind, geom, _desc) in _LAYERS.items():
            if geom:
                b = conn.execute(
                    f"SELECT min(lon), min(lat), max(lon), max(lat) FROM {table}"
                ).fetchone()
                conn.execute(
                    "UPDATE gpkg_contents SET last_change=?, min_x=?, min_y=?, max_x=?, max_y=? WHERE table_name=?",
                    (now, *b, table),
                )
            else:
                conn.execute(
                    "UPDATE gpkg_contents SET last_change=? WHERE table_name=?", (now, table)
                )

    # -- crossing state
    def _statement_records(self) -> list[CrossingStatement]:
        names = [n for n, _ in _STATEMENT_FIELDS]
        q = ", ".join(f'"{n}"' for n in names)
        rows = self.conn.execute(f"SELECT {q} FROM statements ORDER BY published, article_id, seq")
        return [CrossingStatement(**dict(zip(names, r, strict=True))) for r in rows]

    def _published_map(self) -> dict[str, dt.date]:
        rows = self.conn.execute(
            "SELECT id, published FROM articles WHERE published IS NOT NULL "
            "AND id IN (SELECT DISTINCT article_id FROM statements)"
        )
        return {r[0]: dt.date.fromisoformat(r[1]) for r in rows}

    def _crossing_state(self) -> dict[str, tuple[Any, Any]] | None:
        try:
            from geomap import timeline as timeline_mod
        except ImportError:  # the timeline stage is optional for the store
            return None
        tl = timeline_mod.build_timeline(self._statement_records(), published=self._published_map())
        if tl is None or tl.empty:
            return {}
        state = timeline_mod.status_as_of(tl, dt.date.max)
        out = {}
        for rec in state.to_dict("records"):
            key = rec.get("crossing_id") or rec.get("name")
            if isinstance(key, str):
                out[key] = (rec.get("status"), str(rec.get("since")))
        return out

    # -- queries
    def _frame(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        cur = self.conn.execute(sql, params)
        cols = [d[0] for d in cur.description]
        return pd.DataFrame(cur.fetchall(), columns=cols)

    @staticmethod
    def _geo(df: pd.DataFrame) -> gpd.GeoDataFrame:
        lon = (
            pd.to_numeric(df["lon"], errors="coerce").astype(float)
            if len(df)
            else pd.Series([], dtype=float)
        )
        lat = (
            pd.to_numeric(df["lat"], errors="coerce").astype(float)
            if len(df)
            else pd.Series([], dtype=float)
        )
        return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(lon, lat), crs=CRS)

    def last_change(self) -> str | None:
        """
        Return when the store last changed: UTC, ISO 8601 (``2025-10-09T08:53:20Z``).

        The latest ``last_change`` of its ``gpkg_contents`` (set by every ingest,
        from ``SOURCE_DATE_EPOCH`` when that is set); None for a store never written.
        """
        row = self.conn.execute("SELECT max(last_change) FROM gpkg_contents").fetchone()
        return row[0] if row and row[0] else None

    def articles(self) -> pd.DataFrame:
        """
        Return the stored articles, ordered by (published, id).

        Returns
        -------
        pandas.DataFrame
            Columns ``id``, ``published`` (ISO date string or None),
            ``published_source``, ``title``, ``url``, ``path``, ``ingested_at``
            (UTC, ISO 8601), ``n_places``, ``n_events``.
        """
        q = ", ".join(f'"{c}"' for c in _ARTICLE_COLUMNS)
        return self._frame(f"SELECT {q} FROM articles ORDER BY published IS NULL, published, id")

    def article_text(self, article_id: str) -> str | None:
        """Return the normalised text of one stored article, or None if it is not stored."""
        row = self.conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def places(self) -> gpd.GeoDataFrame:
        """
        Every toponym mention of every stored article (EPSG:4326).

        Returns
        -------
        geopandas.GeoDataFrame
            Columns: the :class:`~geomap.schema.Place` fields, ``resolved``
            (bool), ``article_id``, ``sentence``; Point geometry, empty for
            unresolved mentions.  Ordered by article id, then text order.
        """
        names = [n for n, _ in _PLACE_FIELDS]
        q = ", ".join(f'"{n}"' for n in names)
        df = self._frame(f"SELECT {q}, article_id, sentence FROM places ORDER BY article_id, seq")
        df.insert(len(names), "resolved", df["lat"].notna() & df["lon"].notna())
        return self._geo(df)

    def events(self) -> gpd.GeoDataFrame:
        """
        Every event as read from each article, before deduplication (EPSG:4326).

        Returns
        -------
        geopandas.GeoDataFrame
            Columns: the :class:`~geomap.schema.Event` fields (tuples as lists),
            ``article_id``, ``published``; Point geometry (empty when unlocated).
        """
        names = [n for n, _ in _EVENT_FIELDS]
        q = ", ".join(f'"{n}"' for n in names)
        df = self._frame(f"SELECT {q}, article_id, published FROM events ORDER BY article_id, seq")
        for n, t in _EVENT_FIELDS:
            if t == "JSON":
                df[n] = [_load_json(v) for v in df[n]]
        return self._geo(df)

    def incidents(
        self,
        *,
        since: dt.date | str | None = None,
        until: dt.date | str | None = None,
        types: Iterable[str] | str | None = None,
        province: str | None = None,
    ) -> gpd.GeoDataFrame:
        """
        Deduplicated incidents, each with all its sources (EPSG:4326).

        Parameters
        ----------
        since, until
            Keep incidents whose date period overlaps ``[since, until]`` (inclusive);
            a month-precision date ``2025-10`` counts as the whole month.  Undated
            incidents are dropped when either bound is given.
        types
            geomap event types (``clash``, ``closure``, ... see
            :data:`geomap.schema.EVENT_TYPES`) or ACLED ``event_type`` names,
            case-insensitive (see :func:`event_types`).
        province
            admin1 name or one of its other names, case-insensitive, e.g.
            ``"Khyber Pakhtunkhwa"`` (see :func:`canonical_province`).

        Returns
        -------
        geopandas.GeoDataFrame
            Columns: the :class:`~geomap.schema.Event` fields of the most precise
            report (``fatalities``/``injuries`` are the lowest reported figure),
            ``incident_id`` (``inc-<event id of the earliest report>``),
            ``article_id`` (of that report), ``published`` (earliest),
            ``sources`` (list of dicts: article_id, event_id, sentence, start,
            end, published, url, title), ``n_sources`` (number of distinct
            articles reporting it), ``updated_at`` (UTC, ISO 8601: when the
            store last changed the incident, i.e. the latest ``ingested_at`` of
            the articles reporting it); Point geometry.  Ordered
            by date (undated last), then incident_id.

        Raises
        ------
        InputError
            If ``since`` is after ``until``, or a type or the province is not
            one geomap knows (the message lists the valid ones).
        """
        lo = str(since)[:10] if since is not None else None
        hi = str(until)[:10] if until is not None else None
        if lo is not None and hi is not None and lo > hi:
            raise InputError(f"since {lo} is after until {hi}: no day lies in that range")
        types = None if types is None else event_types([types] if isinstance(types, str) else types)
        province = canonical_province(province) if province else None
        names = [n for n, _ in _EVENT_FIELDS]
        extra = [n for n, _ in _INCIDENT_EXTRA if n != "digest"]
        q = ", ".join(f'"{n}"' for n in names + extra)
        df = self._frame(f"SELECT {q} FROM incidents ORDER BY date IS NULL, date, incident_id")
        for n, t in _EVENT_FIELDS + _INCIDENT_EXTRA:
            if t == "JSON" and n in df:
                df[n] = [_load_json(v) for v in df[n]]
        keep = pd.Series(True, index=df.index)
        if lo is not None or hi is not None:
            dates = df["date"].fillna("")
            # "2025-10" sorts before every day in October; padded with "~" it sorts after them.
            period_end = dates.str.pad(10, side="right", fillchar="~")
            keep &= (dates != "") & (period_end >= (lo or "")) & (dates <= (hi or "~"))
        if types is not None:
            keep &= df["type"].isin(types) | df["event_type"].isin(types)
        if province:
            keep &= df["admin1"].fillna("").str.casefold() == province.casefold()
        df = df[keep].reset_index(drop=True)
        ingested = dict(self.conn.execute("SELECT id, ingested_at FROM articles").fetchall())
        df["updated_at"] = [
            max((ingested.get(src.get("article_id")) or "" for src in srcs), default="") or None
            for srcs in df["sources"]
        ]
        return self._geo(df)

    def statements(self) -> pd.DataFrame:
        """
        Every crossing-status statement (columns: CrossingStatement fields + ``published``).

        Ordered by published date, article id, then text order.
        """
        names = [n for n, _ in _STATEMENT_FIELDS]
        q = ", ".join(f'"{n}"' for n in names)
        return self._frame(
            f"SELECT {q}, published FROM statements ORDER BY published, article_id, seq"
        )

    def timeline(self) -> pd.DataFrame:
        """Build the crossing-status timeline over all stored statements.

        See :func:`geomap.timeline.build_timeline` for the columns (crossing_id,
        name, status, start, end, qualifier, contested, evidence).
        """
        from geomap import timeline as timeline_mod

        return timeline_mod.build_timeline(
            self._statement_records(), published=self._published_map()
        )

    def crossings(self, *, as_of: dt.date | str | None = None) -> gpd.GeoDataFrame:
        """
        Crossing points with their status as of a date (EPSG:4326).

        Parameters
        ----------
        as_of
            Date of the status; None = the latest state known.

        Returns
        -------
        geopandas.GeoDataFrame
            See :func:`geomap.pipeline.crossings_frame` (the reference crossing
            columns plus status, since, qualifier, contested, history).
        """
        from geomap.boundaries import load_layers
        from geomap.pipeline import crossings_frame

        if isinstance(as_of, str):
            from geomap.articles import parse_date_option

            as_of = parse_date_option(as_of)
        return crossings_frame(load_layers(), self.timeline(), as_of=as_of)


# --------------------------------------------------------------------------- open


def _create(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(f"PRAGMA application_id = {_GPKG_APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {_GPKG_USER_VERSION}")
        for stmt in _SCHEMA.split(";"):
            if stmt.strip():
                conn.execute(stmt)
        conn.executemany(
            "INSERT INTO gpkg_spatial_ref_sys VALUES (?,?,?,?,?,?)",
            [
                (
                    "Undefined cartesian SRS",
                    -1,
                    "NONE",
                    -1,
                    "undefined",
                    "undefined cartesian coordinate reference system",
                ),
                (
                    "Undefined geographic SRS",
                    0,
                    "NONE",
                    0,
                    "undefined",
                    "undefined geographic coordinate reference system",
                ),
                (
                    "WGS 84 geodetic",
                    4326,
                    "EPSG",
                    4326,
                    _WGS84_WKT,
                    "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid",
                ),
            ],
        )
        now = _now()
        for table, (kind, geom, desc) in _LAYERS.items():
            conn.execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, srs_id) "
                "VALUES (?,?,?,?,?,?)",
                (table, kind, table, desc, now, 4326 if geom else None),
            )
            if geom:
                conn.execute(
                    "INSERT INTO gpkg_geometry_columns VALUES (?,?,?,?,?,?)",
                    (table, "geom", geom, 4326, 0, 0),
                )
        conn.executemany(
            "INSERT INTO geomap_meta VALUES (?,?)",
            [("schema_version", SCHEMA_VERSION), ("created_by", "geomap")],
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def open_store(path: str | Path = DEFAULT_PATH, *, create: bool = True) -> Store:
    """
    Open (or create) the incident store.

    Parameters
    ----------
    path
        The GeoPackage file; its folder is created if needed.
    create
        Create a new store when ``path`` does not exist; with False a missing
        file is an error.

    Returns
    -------
    Store

    Raises
    ------
    StoreError
        If the file is not an SQLite database, fails ``PRAGMA quick_check``, is
        not a geomap store or has another schema version, is locked, or is
        missing with ``create=False``.  The file is never modified in these cases.
    """
    p = Path(path)
    exists = p.exists()
    if exists and p.is_dir():
        raise StoreError(f"{p}: is a folder; expected a store file such as output/geomap.gpkg")
    if not exists and not create:
        raise StoreError(f"{p}: no such store; run 'geomap ingest ARTICLES --store {p}' first")
    if exists and p.stat().st_size > 0:
        try:
            with p.open("rb") as fh:
                head = fh.read(16)
        except OSError as err:
            raise StoreError(f"{p}: cannot be read ({err.strerror or err})") from err
        if head != _SQLITE_MAGIC:
            raise StoreError(
                f"{p}: not a geomap store (not an SQLite/GeoPackage file); it was left untouched — "
                "pass another --store path or move the file away"
            )
    elif not exists:
        p.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(str(p), timeout=30.0, isolation_level=None)
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = OFF")
    except sqlite3.DatabaseError as err:
        raise StoreError(
            f"{p}: cannot be opened as a store ({err}); it was left untouched"
        ) from err
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            _create(conn)
            log.info("created store %s", p)
            return Store(p, conn)
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise StoreError(
                f"{p}: the store is corrupt (PRAGMA quick_check: {check}); it was left untouched — "
                "restore a backup or ingest into a new --store"
            )
        if "geomap_meta" not in tables:
            raise StoreError(
                f"{p}: an SQLite/GeoPackage file but not a geomap store (no geomap_meta table); "
                "it was left untouched"
            )
        row = conn.execute("SELECT value FROM geomap_meta WHERE key='schema_version'").fetchone()
        if not row or row[0] != SCHEMA_VERSION:
            raise StoreError(
                f"{p}: store schema version {row[0] if row else None!r}, this geomap reads version "
                f"{SCHEMA_VERSION!r}; re-ingest the articles into a new store"
            )
    except sqlite3.DatabaseError as err:
        conn.close()
        raise StoreError(
            f"{p}: the store is corrupt or locked ({err}); it was left untouched"
        ) from err
    except BaseException:
        conn.close()
        raise
    return Store(p, conn)
