"""Shared vocabulary: CRS, controlled values, and the records passed between stages.

Text-side records are small frozen dataclasses; from geocoding on, stages use
GeoDataFrames whose columns are the field names below (EPSG:4326 throughout).
The JSON output of ``geomap extract`` is described by ``extract.schema.json``
beside this module and is built by :func:`to_jsonable`.

Conventions
-----------
- Character offsets ``start``/``end`` are Python string indices into the article
  text *after* normalisation by :func:`geomap.articles.read_article` (``text[start:end]``
  is the mention).  ``sentence_start``/``sentence_end`` bound the sentence it is in.
- ``geo_precision`` follows the ACLED codebook (2023, section "Geo-precision"):
  1 = the exact town/village/crossing; 2 = a part of a region or near a town
  (the nearest town or district centroid is used); 3 = only a larger region is
  known (province/country centroid).
- ``time_precision`` follows ACLED: 1 = day, 2 = week/“within a few days”,
  3 = month or vaguer.  geomap also writes ``date_precision`` as a word
  (day/month/year) and ``date`` as ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

__all__ = [
    "CRS",
    "PLACE_KINDS",
    "PLACE_ROLES",
    "EVENT_TYPES",
    "CERTAINTIES",
    "CROSSING_STATUSES",
    "STATUS_SCOPES",
    "PUBLISHED_SOURCES",
    "ACLED_TYPES",
    "Mention",
    "GazetteerEntry",
    "Place",
    "Event",
    "CrossingStatement",
    "to_jsonable",
]

#: Every frame and coordinate crossing a public boundary is in this CRS.
CRS = "EPSG:4326"

PLACE_KINDS = ("country", "province", "district", "city", "town", "crossing", "pass", "region", "other")
PLACE_ROLES = ("incident", "context", "government")
EVENT_TYPES = (
    "closure",
    "reopening",
    "partial_reopening",
    "clash",
    "explosion",
    "airstrike",
    "ceasefire",
    "talks",
    "attack",
    "protest",
    "other",
)
#: ``occurred`` is a reported fact; the others are kept but never drawn as facts.
CERTAINTIES = ("occurred", "reported", "planned", "threatened", "negated", "conditional")
CROSSING_STATUSES = ("open", "closed", "partial", "unknown")
#: How a status statement names its crossings.
STATUS_SCOPES = ("named", "all", "count", "unnamed")
#: Where an article's reference date came from (:attr:`geomap.articles.Article.published_source`):
#: a ``Published:``/``Date:`` line, a full date in the URL's path, the caller, the
#: latest full date in the text, or nowhere.
#: The Event fields that say where it happened (copied together when one mention fills another's place).
LOCATION_FIELDS = (
    "location",
    "location_id",
    "lat",
    "lon",
    "geo_precision",
    "country",
    "admin1",
    "admin2",
    "dist_border_km",
)

PUBLISHED_SOURCES = ("header", "url", "page", "option", "inferred", "none")

#: geomap event type -> (ACLED event_type, ACLED sub_event_type).
#: Source: ACLED Codebook (2023), section 3 "Event types and sub-event types".
#: Border closures/reopenings are not violent events; ACLED codes them under
#: "Strategic developments / Other" (or "Agreement" for ceasefires/talks).
ACLED_TYPES: dict[str, tuple[str, str]] = {
    "closure": ("Strategic developments", "Other"),
    "reopening": ("Strategic developments", "Other"),
    "partial_reopening": ("Strategic developments", "Other"),
    "clash": ("Battles", "Armed clash"),
    "explosion": ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    "airstrike": ("Explosions/Remote violence", "Air/drone strike"),
    "ceasefire": ("Strategic developments", "Agreement"),
    "talks": ("Strategic developments", "Agreement"),
    "attack": ("Violence against civilians", "Attack"),
    "protest": ("Protests", "Peaceful protest"),
    "other": ("Strategic developments", "Other"),
}


@dataclass(frozen=True, slots=True)
class Mention:
    """A toponym found in the text, before resolution.

    Attributes
    ----------
    text
        The surface string, ``article_text[start:end]``.
    start, end
        Character offsets into the article text.
    label
        ``GPE``, ``LOC``, ``FAC`` (spaCy labels), ``NORP`` for a demonym or
        adjective used as a country reference ("Afghan soil"), ``COORD`` for a
        coordinate pair written in the text.
    source
        What found it: ``ner``, ``gazetteer``, ``demonym`` or ``coordinates``.
    sentence_start, sentence_end
        Offsets of the sentence holding the mention.
    lat, lon
        Only for ``COORD`` mentions: the parsed coordinates (degrees).
    """

    text: str
    start: int
    end: int
    label: str
    source: str
    sentence_start: int
    sentence_end: int
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One gazetteer record (a candidate referent for a toponym).

    Attributes
    ----------
    uid
        Stable id: ``geonames:<id>``, ``crossing:<id>``, ``pass:<id>``,
        ``adm1:<ISO 3166-2>``, ``adm2:<country>:<name>``, ``country:<ISO2>``,
        ``region:<slug>``.
    name
        Preferred English name.
    kind
        One of :data:`PLACE_KINDS`.
    feature_class
        GeoNames feature class and code, e.g. ``P.PPLC``, ``A.ADM1``, ``S.PSTB``.
    country
        ISO 3166-1 alpha-2, or ``""`` for features spanning countries.
    admin1, admin2
        Names of the containing first- and second-level units ("" if unknown).
    lat, lon
        Representative point, degrees EPSG:4326.
    population
        GeoNames population, 0 if unknown.
    """

    uid: str
    name: str
    kind: str
    feature_class: str
    country: str
    admin1: str
    admin2: str
    lat: float
    lon: float
    population: int = 0


@dataclass(frozen=True, slots=True)
class Place:
    """A mention with its resolution (or the reason it has none).

    ``role`` is ``government`` when a capital or country stands for its
    government ("Islamabad said"), ``incident`` when an event is located there,
    otherwise ``context``.  Unresolved places keep ``lat``/``lon`` None and
    give the ``reason``.  ``note`` qualifies a resolution: a village the
    gazetteer lacks, placed at the point of the district, town or province the
    text puts it in, says so there (its ``geo_precision`` is then 2 or 3).
    """

    mention: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    label: str
    source: str
    name: str | None = None
    gazetteer_id: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    kind: str | None = None
    feature_class: str | None = None
    role: str = "context"
    geo_precision: int | None = None
    admin1: str | None = None
    admin2: str | None = None
    dist_border_km: float | None = None
    score: float | None = None
    reason: str | None = None
    note: str | None = None

    @property
    def resolved(self) -> bool:
        """True when the mention has coordinates."""
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True, slots=True)
class Event:
    """An incident or development read from one sentence.

    Attributes
    ----------
    id
        ``<article id>-e<n>``.
    type
        One of :data:`EVENT_TYPES`; ``event_type``/``sub_event_type`` are the
        ACLED equivalents (:data:`ACLED_TYPES`).
    date, date_end
        ``YYYY-MM-DD``/``YYYY-MM``/``YYYY`` or None when it cannot be placed.
    date_precision
        ``day``, ``month``, ``year`` or None; ``time_precision`` is the ACLED code.
    certainty
        One of :data:`CERTAINTIES`.
    location
        Name of the place it happened at (a resolved toponym) or None.
    scope
        ``place``, ``crossing`` (named crossings), ``crossings_all``,
        ``crossings_count`` (a number of unnamed crossings), ``border`` or ``none``.
    crossings
        Names of the crossings it applies to (only crossings the text names).
    crossing_count
        For ``crossings_count``: the number stated.
    qualifier
        For reopenings: refugees, pedestrians, trade, one direction, ...
    sentence, start, end
        The source sentence and its offsets in the article text.
    trigger, trigger_start, trigger_end
        The words that signal the event type.
    """

    id: str
    type: str
    event_type: str
    sub_event_type: str
    sentence: str
    start: int
    end: int
    trigger: str = ""
    trigger_start: int | None = None
    trigger_end: int | None = None
    date: str | None = None
    date_end: str | None = None
    date_precision: str | None = None
    time_precision: int | None = None
    date_text: str | None = None
    certainty: str = "occurred"
    location: str | None = None
    location_id: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: int | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    dist_border_km: float | None = None
    scope: str = "none"
    crossings: tuple[str, ...] = ()
    crossing_count: int | None = None
    qualifier: str | None = None
    actors: tuple[str, ...] = ()
    mediators: tuple[str, ...] = ()
    fatalities: int | None = None
    fatalities_text: str | None = None
    injuries: int | None = None
    injuries_text: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CrossingStatement:
    """What one article says about the status of a crossing (or of unnamed crossings).

    Attributes
    ----------
    scope
        ``named`` (``crossing_id`` set), ``all`` ("all major crossings"),
        ``count`` ("two crossings", ``count`` set) or ``unnamed``.
    status
        One of :data:`CROSSING_STATUSES`.
    since
        Date the status took effect (``YYYY-MM-DD``/``YYYY-MM``/``YYYY``) or None.
    event_id
        The :class:`Event` this statement comes from.
    """

    scope: str
    status: str
    sentence: str
    start: int
    end: int
    crossing_id: str | None = None
    name: str | None = None
    count: int | None = None
    since: str | None = None
    since_precision: str | None = None
    qualifier: str | None = None
    certainty: str = "occurred"
    event_id: str | None = None
    article_id: str | None = None


def _clean(value: Any) -> Any:
    """Turn NaN into None and tuples into lists, recursively (JSON-safe)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def to_jsonable(record: Any) -> dict[str, Any]:
    """Return a dataclass record as a JSON-safe dict (NaN -> None, tuples -> lists).

    Raises
    ------
    TypeError
        If ``record`` is not a dataclass instance.
    """
    if not dataclasses.is_dataclass(record) or isinstance(record, type):
        raise TypeError(f"expected a dataclass instance, got {type(record).__name__}")
    return _clean(dataclasses.asdict(record))
