"""Write places, incidents and crossings: GeoJSON, GeoPackage, ACLED-style CSV, GeoParquet; the map.

Every writer is atomic (temporary file in the target folder, then rename): a
failure never leaves a half-written file where an earlier one stood.

ACLED compatibility (:func:`to_acled`) follows the ACLED Codebook (2023),
section 2 "Data columns": column names, ``event_date`` as ``YYYY-MM-DD``,
``time_precision``/``geo_precision`` codes 1–3, ``country`` as the English
short name, ``iso`` as the ISO 3166-1 numeric code, ``fatalities`` 0 when the text
reports no casualties (empty when it gives only words such as "dozens", which
then go into ``notes``), and ``event_id_cnty`` as the ISO 3166-1 alpha-3 code plus a
number.

Rows ACLED cannot take: an ACLED row needs an ``event_date`` and a location
(``latitude``/``longitude``).  :func:`to_acled` (and ``geomap export --format
csv``) leaves out incidents without a date or without coordinates by default
and logs how many (a warning on stderr from the command line);
``complete_only=False`` (``--include-incomplete``) keeps them, with the missing
fields named in the ``geomap_missing`` column so that they can be filtered.  A row
without a location has no country either: ``country`` and ``iso`` are empty and
``event_id_cnty`` uses the placeholder ``XXX`` (``XXX1``, ``XXX2``, ...).  ACLED has
no convention for such rows (all its rows are located); ``XXX`` lies in the range
ISO 3166-1 leaves to user assignment (codes starting with ``X``), so it can never
be a real country's code.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import logging
import math
import os
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import geopandas as gpd
import pandas as pd

from geomap._io import atomic_open, atomic_write_text, temp_path_beside
from geomap.errors import CRSError, DataSourceError, InputError
from geomap.schema import CRS
from geomap.store import canonical_province

__all__ = [
    "to_feature_collection",
    "write_geojson",
    "to_acled",
    "ACLED_COLUMNS",
    "acled_rules",
    "FORMATS",
    "export",
    "write_map",
]

log = logging.getLogger(__name__)


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
        if (
            geom is None
            or geom.is_empty
            or (geom.geom_type == "Point" and not (math.isfinite(geom.x) and math.isfinite(geom.y)))
        ):
            gj = None
        else:
            gj = json.loads(gpd.GeoSeries([geom], crs=CRS).to_json(drop_id=True))["features"][0][
                "geometry"
            ]
            gj = _round(gj, precision)
        features.append(
            {"type": "Feature", "properties": {c: _jsonable(row[c]) for c in props}, "geometry": gj}
        )
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


# --------------------------------------------------------------------------- ACLED CSV

#: The ACLED export rules (columns, regions, actor-type codes, civilian targeting): data,
#: with their sources, in ``geomap/acled.toml``.
ACLED_RULES_PATH = Path(__file__).with_name("acled.toml")
_RULE_KEYS = {"columns", "unknown", "disorder_type", "region", "inter", "civilian_targeting"}
_INTER_KEYS = {"types", "states", "state_codes", "actors"}


@functools.cache
def acled_rules() -> dict[str, Any]:
    """
    Load and validate the ACLED export rules of ``geomap/acled.toml`` (cached).

    Returns
    -------
    dict
        ``columns`` (the 31 ACLED column names, in ACLED's order), ``unknown``
        (columns always written empty), ``disorder_type`` (event_type ->
        disorder_type), ``region`` (ISO 3166-1 alpha-3 -> ACLED region),
        ``inter`` (``types``: code -> actor type; ``states``: actor name ->
        alpha-3; ``state_codes``: ``home``/``abroad`` codes; ``actors``: other
        actor name -> code; actor names casefolded), ``civilian_targeting``
        (``value``, ``event_types``, ``actor2_codes``).  Sources: ACLED Codebook
        (2023), cited in the file.

    Raises
    ------
    DataSourceError
        If the file is missing, not TOML, or a table or key is missing or unknown.
    """
    where = ACLED_RULES_PATH
    try:
        data = tomllib.loads(where.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise DataSourceError(f"{where}: cannot read the ACLED export rules ({err})") from err
    inter = data.get("inter")
    if set(data) != _RULE_KEYS or not isinstance(inter, dict) or set(inter) != _INTER_KEYS:
        raise DataSourceError(
            f"{where}: expected the tables {sorted(_RULE_KEYS)} (inter: {sorted(_INTER_KEYS)}), "
            f"found {sorted(data)}"
        )
    columns = data["columns"]
    codes = {int(k) for k in inter["types"]}
    used = [*inter["actors"].values(), *inter["state_codes"].values(),
            *data["civilian_targeting"]["actor2_codes"]]
    if len(set(columns)) != len(columns) or not set(data["unknown"]) <= set(columns):
        raise DataSourceError(
            f"{where}: 'columns' repeats a name or 'unknown' names another column"
        )
    if not set(used) <= codes or set(inter["state_codes"]) != {"home", "abroad"}:
        raise DataSourceError(f"{where}: an inter code is not one of {sorted(codes)}")
    inter["states"] = {k.casefold(): v.upper() for k, v in inter["states"].items()}
    inter["actors"] = {k.casefold(): v for k, v in inter["actors"].items()}
    return data


#: The 31 ACLED columns written by :func:`to_acled`, in ACLED's order (from
#: ``geomap/acled.toml``); geomap's own columns follow them (``geomap_incident_id``,
#: ``geomap_type``, ``certainty``, ``n_sources``, ``geomap_missing``).
ACLED_COLUMNS: tuple[str, ...] = tuple(acled_rules()["columns"])
_GEOMAP_COLUMNS = ("geomap_incident_id", "geomap_type", "certainty", "n_sources", "geomap_missing")
#: Columns of whole numbers (nullable: empty where unknown).
_INT_COLUMNS = (
    "year", "time_precision", "inter1", "inter2", "interaction", "iso", "geo_precision",
    "fatalities", "timestamp", "n_sources",
)
_FACTS = ("occurred", "reported")


#: alpha-3 placeholder of a row with no country (ISO 3166-1 leaves X-codes to users).
_NO_COUNTRY = "XXX"


def _country(code: Any) -> tuple[str, str, int | None]:
    """ISO 3166-1 alpha-2 -> (English short name, alpha-3, numeric) via pycountry."""
    if not isinstance(code, str) or not code:
        return "", _NO_COUNTRY, None
    import pycountry

    c = (
        pycountry.countries.get(alpha_2=code.upper())
        if len(code) == 2
        else pycountry.countries.get(alpha_3=code.upper())
    )
    if c is None:
        return code, code.upper()[:3], None
    return c.name, c.alpha_3, int(c.numeric)


def _inter(actor: str, iso3: str) -> int | None:
    """
    ACLED actor-type (inter) code of a geomap actor in an event located in ``iso3``.

    A state (``inter.states`` of :func:`acled_rules`) gets the ``home`` code in its
    own country or when the event's country is unknown (``XXX``), the ``abroad`` code
    elsewhere; another actor its code in ``inter.actors``; None when listed nowhere.
    """
    rules = acled_rules()["inter"]
    key = actor.casefold()
    state = rules["states"].get(key)
    if state is not None:
        abroad = iso3 not in (state, _NO_COUNTRY)
        return rules["state_codes"]["abroad" if abroad else "home"]
    return rules["actors"].get(key)


def _interaction(codes: Sequence[int | None]) -> int | None:
    """
    ACLED ``interaction`` of the inter codes of an event's actors (at most two).

    ACLED Codebook (2023), "Interaction codes": two actors give their codes lower
    first ("recorded as lowest joint number": 1 and 3 give 13); a sole actor gives
    its code × 10 (10 "sole military action" ... 80).  None when there is no actor
    or an actor's code is unknown.
    """
    if not codes or any(c is None for c in codes):
        return None
    if len(codes) == 1:
        return codes[0] * 10
    low, high = sorted(codes)
    return low * 10 + high


def _unix(value: Any) -> int | None:
    """Unix seconds of an ISO 8601 UTC time (``2025-10-09T08:53:20Z``); None when blank."""
    if _blank(value) or not str(value).strip():
        return None
    when = dt.datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return int(when.timestamp())


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA


def _outlet(src: Mapping[str, Any]) -> str:
    url = src.get("url")
    if isinstance(url, str) and url:
        host = urlsplit(url if "//" in url else "//" + url).hostname or ""
        if host:
            return host.removeprefix("www.")
    return f"geomap article {src.get('article_id')}"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _defuse_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with ``'``.

    Article text is untrusted: a cell starting with ``= + - @``, TAB or CR is
    evaluated by Excel/LibreOffice (CSV injection, OWASP).  Numbers are left as
    they are; only string cells change.
    """
    out = table.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v)
    return out


def _notes(rec: dict[str, Any]) -> str:
    """The source sentence, plus casualty words that have no figure ("fatalities: dozens")."""
    notes = " ".join(str(rec.get("sentence") or "").split())
    words = [
        f"{label}: {rec.get(key)}"
        for key, num, label in (("fatalities_text", "fatalities", "fatalities"), ("injuries_text", "injuries", "injured"))
        if not _blank(rec.get(key)) and _blank(rec.get(num))
    ]
    return notes + (f" [{'; '.join(words)}]" if words else "")


def _missing(rec: Mapping[str, Any]) -> list[str]:
    """Return the ACLED fields an incident record cannot fill: ``event_date``, ``location``."""
    out = []
    if _blank(rec.get("date")) or not str(rec.get("date")).strip():
        out.append("event_date")
    if _blank(rec.get("lat")) or _blank(rec.get("lon")):
        out.append("location")
    return out


def _complete(df: pd.DataFrame) -> pd.DataFrame:
    """Rows with a date and coordinates; log how many others were left out and why."""
    missing = [_missing(rec) for rec in df.to_dict("records")]
    # A boolean Series, never a list: ``df[[]]`` would select no *columns* when no row is left.
    keep = pd.Series([not m for m in missing], index=df.index, dtype=bool)
    dropped = len(df) - int(keep.sum())
    if dropped:
        n_date = sum("event_date" in m for m in missing)
        n_loc = sum("location" in m for m in missing)
        log.warning(
            "ACLED CSV: left out %d of %d incident(s) that an ACLED row cannot hold "
            "(%d with no event_date, %d with no location); --include-incomplete keeps them, "
            "flagged in geomap_missing",
            dropped,
            len(df),
            n_date,
            n_loc,
        )
    return df[keep]


def _warn_no_rows(n_all: int, n_not_facts: int) -> None:
    """Say why an ACLED table has no row (the CSV then holds only its header)."""
    if not n_all:
        log.warning(
            "ACLED CSV: no incidents to write (the input holds none); the file has only its header"
        )
    elif n_not_facts:
        log.warning(
            "ACLED CSV: no incidents to write: %d of %d are not facts (planned, threatened, "
            "negated or conditional); --all-certainties keeps them; the file has only its header",
            n_not_facts,
            n_all,
        )
    else:
        log.warning("ACLED CSV: no incidents left to write; the file has only its header")


def _event_ids(df: pd.DataFrame) -> list[str]:
    """
    ``event_id_cnty`` of every row of ``df``, numbered before any row is left out.

    Each country's incidents (ISO 3166-1 alpha-3 of ``country``, ``XXX`` when
    unknown) are numbered from 1 in the order: complete facts (a date,
    coordinates, certainty ``occurred``/``reported``) first, then complete
    non-facts, then incomplete facts, then incomplete non-facts; within each
    group by date then incident id (columns ``_date`` and ``_key``).  The same
    incident therefore gets the same id whichever rows an export keeps
    (``facts_only``, ``complete_only``), and the default export (complete
    facts only) is numbered 1..n without gaps.
    """
    fact = df["certainty"].isin(_FACTS) if "certainty" in df else pd.Series(True, index=df.index)
    complete = pd.Series([not _missing(rec) for rec in df.to_dict("records")], index=df.index, dtype=bool)
    order = df.assign(_incomplete=~complete, _nonfact=~fact.astype(bool)).sort_values(
        ["_incomplete", "_nonfact", "_date", "_key"], kind="stable"
    )
    ids: dict[Any, str] = {}
    counters: dict[str, int] = {}
    for idx, code in zip(order.index, order["country"] if "country" in order else [None] * len(order)):
        iso3 = _country(code)[1]
        counters[iso3] = counters.get(iso3, 0) + 1
        ids[idx] = f"{iso3}{counters[iso3]}"
    return [ids[i] for i in df.index]


def to_acled(
    frame: gpd.GeoDataFrame | pd.DataFrame, *, facts_only: bool = True, complete_only: bool = True
) -> pd.DataFrame:
    """
    Incidents (or per-article events) as a table with ACLED column names.

    Parameters
    ----------
    frame
        :meth:`geomap.store.Store.incidents` or :func:`geomap.pipeline.events_frame`
        output (Event columns; ``sources``/``incident_id``/``n_sources`` used when present).
    facts_only
        Keep only certainty ``occurred``/``reported`` (ACLED records events that
        happened; planned, threatened, negated and conditional ones are not events).
    complete_only
        Leave out incidents with no date or no coordinates (an ACLED row needs
        ``event_date`` and a location); how many is logged as a warning.  False
        keeps them, ``geomap_missing`` naming what they lack.

    Returns
    -------
    pandas.DataFrame
        :data:`ACLED_COLUMNS` then geomap's columns.  ``event_date`` is the
        first day of the period for month/year-precision dates (``time_precision``
        3) and empty when undated; ``latitude``/``longitude`` are degrees
        EPSG:4326 (empty when unlocated); ``source`` is the outlets' host names
        joined by "; "; ``notes`` the sentence of the most precise report;
        ``event_id_cnty`` numbers incidents per country before any is left
        out: complete facts first (so the default export is numbered 1..n),
        then the rows ``facts_only=False`` / ``complete_only=False`` add, each
        group in (date, incident id) order.  The same incident thus keeps its
        id whatever the options (the numbers of left-out rows are gaps); it is
        deterministic for a given store, while ``geomap_incident_id`` stays
        the same across stores; ``geomap_missing`` is empty for complete
        rows, else ``event_date``, ``location`` or ``event_date; location``.

        All 31 columns of the ACLED Codebook (2023) are there, by the rules of
        :func:`acled_rules`: ``actor1``/``actor2`` are the first two actors
        read, ``inter1``/``inter2`` their actor-type codes (1 state forces ...
        8 external/other forces; a state outside its own country is 8; empty
        for an actor the rules do not list), ``interaction`` the two codes
        lower first (``18``), or code × 10 for a sole actor (``10``);
        ``civilian_targeting`` is "Civilian targeting" for violence against
        civilians or when actor2 is civilians; ``region`` is ACLED's region of
        the country ("South Asia" for Afghanistan and Pakistan); ``timestamp``
        is the Unix time (seconds, UTC) at which the store last changed the
        incident (``updated_at``; empty for frames without it);
        ``assoc_actor_1``, ``assoc_actor_2``, ``admin3``, ``source_scale`` and
        ``tags`` are always empty (geomap cannot know them).

    Raises
    ------
    DataSourceError
        If ``geomap/acled.toml`` is missing or malformed.
    """
    df = pd.DataFrame(
        frame.drop(columns=[frame.geometry.name]) if isinstance(frame, gpd.GeoDataFrame) else frame
    ).reset_index(drop=True)
    key = df["incident_id"] if "incident_id" in df else df["id"]
    df = df.assign(_key=key.astype(str), _date=df["date"].fillna("").astype(str))
    df["_id"] = _event_ids(df)
    n_all = len(df)
    if facts_only and "certainty" in df:
        df = df[df["certainty"].isin(_FACTS)]
    n_not_facts = n_all - len(df)
    df = _complete(df) if complete_only else df
    if df.empty:
        _warn_no_rows(n_all, n_not_facts)
    df = df.sort_values(["_date", "_key"])
    rules = acled_rules()
    rows = []
    for rec in df.to_dict("records"):
        name, iso3, numeric = _country(rec.get("country"))
        date = rec["_date"]
        event_date = (date + "-01-01"[len(date) - 4 :]) if len(date) in (4, 7) else date
        tp = rec.get("time_precision")
        if _blank(tp):
            tp = None if not date else (1 if len(date) == 10 else 3)
        sources = (
            rec.get("sources")
            if isinstance(rec.get("sources"), list)
            else [{"article_id": rec.get("article_id"), "url": rec.get("url")}]
        )
        outlets = list(dict.fromkeys(_outlet(s) for s in sources))
        actors = [str(a) for a in rec.get("actors") or []][:2]
        codes = [_inter(a, iso3) for a in actors]
        inter = codes + [None] * (2 - len(codes))
        gp = rec.get("geo_precision")
        fat = rec.get("fatalities")
        targeting = rules["civilian_targeting"]
        rows.append(
            dict.fromkeys(rules["unknown"], "")
            | {
                "event_id_cnty": rec["_id"],
                "event_date": event_date,
                "year": int(date[:4]) if date[:4].isdigit() else None,
                "time_precision": None if tp is None else int(tp),
                "disorder_type": rules["disorder_type"].get(rec.get("event_type"), ""),
                "event_type": rec.get("event_type"),
                "sub_event_type": rec.get("sub_event_type"),
                "actor1": actors[0] if actors else "",
                "inter1": inter[0],
                "actor2": actors[1] if len(actors) > 1 else "",
                "inter2": inter[1],
                "interaction": _interaction(codes),
                "civilian_targeting": targeting["value"]
                if rec.get("event_type") in targeting["event_types"]
                or inter[1] in targeting["actor2_codes"]
                else "",
                "iso": numeric,
                "region": rules["region"].get(iso3, ""),
                "country": name,
                "admin1": "" if _blank(rec.get("admin1")) else rec.get("admin1"),
                "admin2": "" if _blank(rec.get("admin2")) else rec.get("admin2"),
                "location": "" if _blank(rec.get("location")) else rec.get("location"),
                "latitude": None if _blank(rec.get("lat")) else round(float(rec["lat"]), 5),
                "longitude": None if _blank(rec.get("lon")) else round(float(rec["lon"]), 5),
                "geo_precision": None if _blank(gp) else int(gp),
                "source": "; ".join(outlets),
                "notes": _notes(rec),
                # A figure given only in words ("dozens dead") is not a count: left
                # empty (0 would say "no deaths reported"); the words go in notes.
                "fatalities": (None if not _blank(rec.get("fatalities_text")) else 0) if _blank(fat) else int(fat),
                "timestamp": _unix(rec.get("updated_at")),
                "geomap_incident_id": rec["_key"],
                "geomap_type": rec.get("type"),
                "certainty": rec.get("certainty"),
                "n_sources": int(rec.get("n_sources") or len(sources)),
                "geomap_missing": "; ".join(_missing(rec)),
            }
        )
    out = pd.DataFrame(rows, columns=list(ACLED_COLUMNS + _GEOMAP_COLUMNS))
    for col in _INT_COLUMNS:
        out[col] = out[col].astype("Int64")
    return out


# --------------------------------------------------------------------------- formats

#: Formats accepted by :func:`export`.
FORMATS = ("geojson", "gpkg", "csv", "parquet")


def _flat(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """List/dict/date columns → JSON/ISO strings (for GeoPackage and Parquet)."""
    out = frame.copy()
    geom = out.geometry.name
    for col in out.columns:
        if col == geom:
            continue
        s = out[col]
        if s.dtype == object and s.map(lambda v: isinstance(v, (list, tuple, dict))).any():
            out[col] = s.map(
                lambda v: (
                    json.dumps(_jsonable(v), ensure_ascii=False)
                    if isinstance(v, (list, tuple, dict))
                    else v
                )
            )
        elif s.dtype == object and s.map(lambda v: isinstance(v, (dt.date, dt.datetime))).any():
            out[col] = s.map(
                lambda v: v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v
            )
        if out[col].dtype == object:
            out[col] = out[col].map(
                lambda v: (
                    None if _blank(v) else v if isinstance(v, (str, bool, int, float)) else str(v)
                )
            )
    return out


def _layers(source: Any, *, as_of: dt.date | None) -> dict[str, gpd.GeoDataFrame]:
    from geomap.store import Store

    if isinstance(source, Store):
        layers = {"incidents": source.incidents(), "places": source.places()}
        try:
            layers["crossings"] = source.crossings(as_of=as_of)
        except ImportError:  # pragma: no cover - timeline stage missing
            pass
        return layers
    if isinstance(source, gpd.GeoDataFrame):
        return {"incidents": source}
    if isinstance(source, Mapping):
        return dict(source)
    raise InputError(
        f"export: expected a Store, a GeoDataFrame or a dict of them, got {type(source).__name__}"
    )


def _data_time(source: Any) -> str | None:
    """
    Return the time that stands for "now" in a GeoPackage export (UTC, ISO 8601), or None.

    A store's last change (:meth:`geomap.store.Store.last_change`: itself from
    ``SOURCE_DATE_EPOCH`` when that was set at ingest); for frames, which carry no
    time, ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) when set;
    else None (GDAL's clock).
    """
    from geomap.store import Store

    if isinstance(source, Store):
        return source.last_change()
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return None


@contextlib.contextmanager
def _gdal_config(**options: str | None) -> Iterator[None]:
    """Set GDAL configuration options for the block (None: leave one as it is)."""
    import pyogrio

    wanted = {k: v for k, v in options.items() if v is not None}
    before = {k: pyogrio.get_gdal_config_option(k) for k in wanted}
    pyogrio.set_gdal_config_options(wanted)
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options(before)


def export(
    source: Any,
    path: str | Path,
    *,
    format: str,
    as_of: dt.date | None = None,
    facts_only: bool = True,
    complete_only: bool = True,
) -> Path:
    """
    Write the store (or frames) in a standard format, atomically.

    Parameters
    ----------
    source
        A :class:`~geomap.store.Store`, an incidents/events GeoDataFrame, or a
        dict ``layer name -> GeoDataFrame`` (EPSG:4326).
    path
        Output file.  An earlier file there is replaced only on success.
    format
        ``geojson``: the incidents as an RFC 7946 FeatureCollection (list
        columns as arrays).  ``gpkg``: one layer per frame (a store gives
        ``incidents``, ``places``, ``crossings``; list columns as JSON text).
        ``csv``: incidents with ACLED column names (:func:`to_acled`).
        The same store gives the same bytes in every format (a GeoPackage's
        ``last_change`` stamps are the store's last change, see
        :func:`_data_time`).
        ``parquet``: the incidents as GeoParquet 1.x (pyarrow; list columns as JSON text).
    as_of
        Date of the crossing statuses exported (gpkg); None = latest.
    facts_only
        CSV only: keep only incidents that occurred (see :func:`to_acled`).
    complete_only
        CSV only: leave out incidents with no date or no coordinates, logging
        how many (see :func:`to_acled`); False keeps them, flagged in
        ``geomap_missing``.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    InputError
        If ``format`` is unknown or ``source`` is of an unexpected type.
    CRSError
        If a frame is not in EPSG:4326.
    """
    fmt = format.lower().lstrip(".")
    if fmt not in FORMATS:
        raise InputError(f"export format must be one of {', '.join(FORMATS)}, got {format!r}")
    out = Path(path)
    layers = _layers(source, as_of=as_of)
    for name, frame in layers.items():
        if frame.crs is None or not frame.crs.equals(CRS):
            raise CRSError(f"layer {name!r} must be {CRS}, found {frame.crs}")
    main = layers.get("incidents", next(iter(layers.values())))
    if fmt == "geojson":
        write_geojson(main, out)
    elif fmt == "csv":
        table = _defuse_formulas(to_acled(main, facts_only=facts_only, complete_only=complete_only))
        with atomic_open(out, "w", encoding="utf-8") as fh:
            table.to_csv(fh, index=False, lineterminator="\n")
    elif fmt == "parquet":
        with temp_path_beside(out, ".parquet") as tmp:
            _flat(main).to_parquet(tmp, index=False)
    else:
        # GDAL stamps each layer's gpkg_contents.last_change with the clock: give it the
        # time of the data instead, so the same store exports the same bytes.
        stamp = _data_time(source)
        with temp_path_beside(out, ".gpkg") as tmp, _gdal_config(OGR_CURRENT_DATE=stamp):
            for name, frame in layers.items():
                _flat(frame).to_file(tmp, layer=name, driver="GPKG", engine="pyogrio")
    log.info("exported %d incident(s) as %s to %s", len(main), fmt, out)
    return out


# --------------------------------------------------------------------------- map


def _as_date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError as err:
        raise InputError(f"expected a date as YYYY-MM-DD, got {value!r}") from err


def _selection_text(
    *,
    since: dt.date | None,
    until: dt.date | None,
    types: Sequence[str] | None,
    province: str | None,
) -> str:
    """Say which incidents a map selects ("" when all): dates, types, province."""
    parts = []
    if since or until:
        parts.append(f"dated {since or '…'} to {until or '…'}")
    if types:
        parts.append(f"of type {', '.join(types)}")
    if province:
        parts.append(f"in {province}")
    return ", ".join(parts)


def write_map(
    store: Any,
    path: str | Path = "output/map.html",
    *,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
    as_of: dt.date | str | None = None,
    types: Iterable[str] | None = None,
    province: str | None = None,
    offline: bool = False,
    title: str = "geomap: Afghanistan–Pakistan border",
) -> Path:
    """
    Rebuild the HTML map from everything in the store.

    Parameters
    ----------
    store
        An open :class:`~geomap.store.Store`.
    path
        Output HTML; the previous map stays intact if anything fails.
    since, until
        Incidents whose date overlaps ``[since, until]``; places from articles
        published in that range.
    as_of
        Date of the crossing statuses drawn; default ``until``, else the latest
        publication date in the store.
    types, province
        Incident filters (see :meth:`geomap.store.Store.incidents`); ``province``
        also filters places by admin1.  When no incident is selected the map is
        still written (crossings, places) and a warning says so.
    offline
        Self-contained HTML (see :func:`geomap.render.save_map`).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    InputError
        If ``since`` is after ``until``, or a type or ``province`` is unknown (the
        message lists the valid ones); nothing is written.
    """
    from geomap import render
    from geomap.boundaries import load_layers
    from geomap.pipeline import crossings_frame

    since, until, as_of = (_as_date(v) for v in (since, until, as_of))
    types = list(types) if types else None
    province = canonical_province(province) if province else None
    incidents = store.incidents(since=since, until=until, types=types, province=province)
    places = store.places()
    arts = store.articles()
    selection = _selection_text(since=since, until=until, types=types, province=province)
    if incidents.empty:
        total = len(store.incidents()) if selection else 0
        log.warning(
            "%s: the map shows crossings and places only",
            f"no incident matches the selection ({selection}; {total} in the store)"
            if total
            else "the store holds no incident",
        )
    if since is not None or until is not None:
        pub = arts.set_index("id")["published"].fillna("")
        lo, hi = str(since or ""), str(until or "~")
        ok = set(pub[(pub >= lo) & (pub <= hi) & (pub != "")].index)
        places = places[places["article_id"].isin(ok)]
    if province:
        places = places[places["admin1"].fillna("") == province]
    places = places[places["resolved"]].reset_index(drop=True)
    dates = [d for d in arts["published"].dropna()]
    if as_of is None:
        as_of = until or (dt.date.fromisoformat(max(dates)) if dates else None)
    layers = load_layers()
    timeline = store.timeline()
    crossings = crossings_frame(layers, timeline, as_of=as_of)
    notes = [
        f"{len(arts)} article(s) in the store; {len(incidents)} incident(s) shown after deduplication"
        + (f" ({selection})" if selection else "")
    ]
    fmap = render.render_map(
        places=places,
        events=incidents,
        crossings=crossings,
        layers=layers,
        as_of=as_of,
        title=title,
        notes=notes,
        timeline=timeline,
    )
    out = Path(path)
    render.save_map(fmap, out, offline=offline)  # atomic: temp file beside it, then rename
    return out
