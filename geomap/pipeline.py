"""run(article) → every stage's output; build(articles) → map and files.

Stages (one module each): :mod:`geomap.articles` (read) → :mod:`geomap.toponyms`
(recognise) → :mod:`geomap.resolve` (geocode offline) → :mod:`geomap.boundaries`
(spatial join) → :mod:`geomap.events` (incidents, dates) → :mod:`geomap.timeline`
(crossing statuses) → :mod:`geomap.render` / :mod:`geomap.export` (outputs).
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import itertools
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geomap import zones
from geomap._io import recover_outputs, staged_outputs
from geomap.articles import Article, read_articles
from geomap.boundaries import BoundaryLayers, admin_join, load_layers
from geomap.dates import find_dates, resolve_date
from geomap.schema import CRS, CrossingStatement, Event, Place, to_jsonable

__all__ = [
    "ArticleResult",
    "BuildResult",
    "extract",
    "extract_many",
    "places_frame",
    "events_frame",
    "statements_frame",
    "crossings_frame",
    "timeline_of",
    "build",
    "CHUNK_CHARS",
]

log = logging.getLogger(__name__)

#: Longer articles are processed in chunks of at most this many characters,
#: split at paragraph (else sentence, else whitespace) boundaries: memory stays
#: bounded and spaCy's ``max_length`` is never reached.
CHUNK_CHARS = 100_000


@dataclass(frozen=True)
class ArticleResult:
    """Everything geomap read from one article.

    Attributes
    ----------
    article
        The normalised article (id, text, reference date).
    places
        One :class:`~geomap.schema.Place` per toponym mention, resolved or not,
        in text order.
    events
        Incidents and developments, in text order.
    statements
        What the article says about crossing statuses.
    warnings
        Notes for the reader (reference date inferred, dates not placed, ...).
    """

    article: Article
    places: tuple[Place, ...]
    events: tuple[Event, ...]
    statements: tuple[CrossingStatement, ...]
    warnings: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The ``geomap extract --json`` document (schema: ``geomap/extract.schema.json``)."""
        a = self.article
        text = a.text
        places = []
        for p in self.places:
            d = to_jsonable(p)
            d["resolved"] = p.resolved
            d["sentence"] = text[p.sentence_start : p.sentence_end]
            places.append(d)
        return {
            "schema_version": "1.0",
            "article": {
                "id": a.id,
                "published": a.published.isoformat() if a.published else None,
                "published_source": a.published_source,
                "path": a.path,
                "title": a.title,
                "url": a.url,
                "chars": len(text),
            },
            "places": places,
            "events": [to_jsonable(e) for e in self.events],
            "crossing_status": [_statement_json(s) for s in self.statements],
            "warnings": list(self.warnings),
        }


def _statement_json(s: CrossingStatement) -> dict[str, Any]:
    d = to_jsonable(s)
    d["crossing"] = d.pop("crossing_id")
    return d


def _chunks(text: str, max_chars: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """Split ``text`` into (offset, chunk) pieces of at most ``max_chars``."""
    if len(text) <= max_chars:
        return [(0, text)]
    out: list[tuple[int, str]] = []
    pos = 0
    n = len(text)
    while pos < n:
        end = min(pos + max_chars, n)
        if end < n:
            window = text[pos:end]
            cut = -1
            for pattern in (r"\n\s*\n", r"\n", r"[.!?]\s", r"\s"):
                hits = [m.end() for m in re.finditer(pattern, window)]
                hits = [h for h in hits if h > max_chars // 4]
                if hits:
                    cut = hits[-1]
                    break
            if cut > 0:
                end = pos + cut
        out.append((pos, text[pos:end]))
        pos = end
    return out


def _points(records: Sequence[Any]) -> gpd.GeoSeries:
    return gpd.GeoSeries(
        gpd.points_from_xy(
            [r.lon if r.lon is not None else float("nan") for r in records],
            [r.lat if r.lat is not None else float("nan") for r in records],
        ),
        crs=CRS,
    )


_UID_KINDS = {"country": "country", "region": "region", "adm1": "province", "adm2": "district"}


def _area_kind(record: Any) -> str | None:
    """The place kind of a record: ``kind`` for places, from ``location_id`` for events."""
    kind = getattr(record, "kind", None)
    if kind:
        return kind
    uid = getattr(record, "location_id", None) or ""
    return _UID_KINDS.get(uid.split(":", 1)[0])


def _join_admin(records: Sequence[Any], layers: BoundaryLayers) -> list[Any]:
    """Fill admin1/admin2/dist_border_km (and a missing country) from the polygons."""
    if not records:
        return list(records)
    located = [i for i, r in enumerate(records) if r.lat is not None and r.lon is not None]
    if not located:
        return list(records)
    pts = gpd.GeoDataFrame(geometry=_points([records[i] for i in located]).values, index=located, crs=CRS)
    joined = admin_join(pts, layers=layers)
    out = list(records)
    for i in located:
        row = joined.loc[i]
        changes: dict[str, Any] = {
            "dist_border_km": None if pd.isna(row["dist_border_km"]) else round(float(row["dist_border_km"]), 3)
        }
        kind = _area_kind(records[i])
        # Countries and provinces are areas: their point says nothing about a district.
        if isinstance(row["admin1"], str) and kind not in ("country", "region"):
            changes["admin1"] = row["admin1"]
            if kind != "province":
                changes["admin2"] = row["admin2"]
        if getattr(records[i], "country", None) in (None, "") and isinstance(row["admin_country"], str):
            changes["country"] = row["admin_country"]
        out[i] = dataclasses.replace(records[i], **changes)
    return out


def _mark_incident_places(places: list[Place], events: Sequence[Event]) -> list[Place]:
    """Set ``role='incident'`` on the mention an occurred event is located at."""
    sites = {}
    for e in events:
        if e.location_id and e.certainty in ("occurred", "reported"):
            sites.setdefault((e.start, e.end), set()).add(e.location_id)
    # event sentences by start, with the furthest end reached so far: a place walks
    # back from the last sentence starting before it while one can still contain it
    spans = sorted(sites)
    starts = [s for s, _ in spans]
    reach = list(itertools.accumulate((t for _, t in spans), max))
    out = []
    for p in places:
        ids = []
        k = bisect.bisect_right(starts, p.start) - 1
        while k >= 0 and reach[k] >= p.end:
            s, t = spans[k]
            if p.end <= t:
                ids.append(sites[(s, t)])
            k -= 1
        if p.role != "government" and p.gazetteer_id and any(p.gazetteer_id in i for i in ids):
            p = dataclasses.replace(p, role="incident")
        out.append(p)
    return out


#: A dateline's day at most this many days before the publication date is the report's
#: reference date (a wire story filed and printed later); further back it is ignored.
FILED_BEFORE_DAYS = 30


def _filed(article: Article, page: Sequence[zones.Zone]) -> str | None:
    """Give the day of the report's dateline (``YYYY-MM-DD``), read against the reference date."""
    span = zones.dateline_date(article.text, page)
    if span is None:
        return None
    value = resolve_date(article.text[span[0] : span[1]], reference=article.published)
    if value is None or value.precision != "day" or value.warnings:
        return None
    return value.value


def _original_sentence(e: Event, original: str, masked: str) -> Event:
    """``e`` with its sentence as the article wrote it, blanked page furniture trimmed from its end."""
    end = e.start + len(masked[e.start : e.end].rstrip())
    sentence = original[e.start : end]
    if sentence == e.sentence and end == e.end:
        return e
    return dataclasses.replace(e, sentence=sentence, end=end)


def extract(article: Article, *, layers: BoundaryLayers | None = None) -> ArticleResult:
    """
    Run every text stage on one article.

    Parameters
    ----------
    article
        From :func:`geomap.articles.read_article` or ``article_from_text``.
    layers
        Reference layers for the spatial join; default :func:`load_layers`.

    Returns
    -------
    ArticleResult
        Places (with admin1/admin2 and ``dist_border_km`` from the polygons and
        the border line), events (located and dated), crossing statements.

    Raises
    ------
    DataSourceError
        If the gazetteer or a boundary layer is missing.
    """
    from geomap import events as events_mod
    from geomap import resolve as resolve_mod
    from geomap import toponyms

    layers = layers or load_layers()
    # Page zones: furniture and bylines are blanked (same offsets) and each zone
    # starts a sentence, so a headline or a publication line never glues itself
    # to the report's first sentence.
    page = zones.page_zones(article.text)
    text = zones.masked_text(article.text, page)
    starts = zones.sentence_starts(page)
    places: list[Place] = []
    events: list[Event] = []
    filed = _filed(article, page)
    # the report's own time: a dateline's day ("KABUL, October 5, 2024 -") is the
    # reference for its weekdays and relative dates when the page was published later
    reported = article
    if filed is not None and article.published is not None:
        day = dt.date.fromisoformat(filed)
        if dt.timedelta(0) < article.published - day <= dt.timedelta(days=FILED_BEFORE_DAYS):
            reported = dataclasses.replace(article, published=day)
    chunks = _chunks(text)
    # Each chunk is read to its events before the next is parsed, and its parse is
    # then dropped: time grows in proportion to the text and memory stays that of
    # one chunk.  The resolver and the discourse rules weigh every mention or
    # incident against every other one (quadratic), so they read one chunk at a
    # time too; a chunk (CHUNK_CHARS) is longer than any news report.
    for n, (offset, chunk) in enumerate(chunks, start=1):
        if len(chunks) > 1:
            log.info(
                "article %s: chunk %d/%d (%d characters)", article.id, n, len(chunks), len(chunk)
            )
        lo = bisect.bisect_right(starts, offset)
        hi = bisect.bisect_left(starts, offset + len(chunk))
        local = [s - offset for s in starts[lo:hi]]
        doc = toponyms.parse(chunk, sent_starts=local)
        mentions = toponyms.find_toponyms(doc, offset=offset)
        # The parse lets the resolver read government metonymy from the syntax; with
        # several chunks it re-parses only the sentences it needs.
        whole = doc if len(chunks) == 1 else None
        here = _join_admin(resolve_mod.resolve(mentions, text=text, doc=whole), layers)
        places.extend(here)
        found = find_dates(doc, reference=reported.published, offset=offset)
        read = events_mod.extract_events(doc, here, article=reported, offset=offset, dates=found)
        events.extend(
            events_mod.anchor_events(
                [_original_sentence(e, article.text, text) for e in read],
                page,
                published=reported.published,
                filed=filed,
                places=here,
                dates=found,
            )
        )
        del doc
    if len(chunks) > 1:
        events = [dataclasses.replace(e, id=f"{article.id}-e{i + 1}") for i, e in enumerate(events)]
    events = _join_admin(events, layers)
    places = _mark_incident_places(places, events)
    statements = events_mod.crossing_statements(events, article=article)
    warnings = list(article.warnings)
    for e in events:
        warnings.extend(f"{e.id}: {w}" for w in e.warnings)
    n_res = sum(p.resolved for p in places)
    log.info(
        "article %s: %d toponyms (%d resolved, %d unresolved), %d events, %d crossing statements",
        article.id, len(places), n_res, len(places) - n_res, len(events), len(statements),
    )
    if not places:
        warnings.append("no places found in the article: the map shows the reference layers only")
    return ArticleResult(
        article=article,
        places=tuple(places),
        events=tuple(events),
        statements=tuple(statements),
        warnings=tuple(warnings),
    )


def extract_many(articles: Iterable[Article], *, layers: BoundaryLayers | None = None) -> list[ArticleResult]:
    """Run :func:`extract` on each article, in order."""
    layers = layers or load_layers()
    return [extract(a, layers=layers) for a in articles]


def places_frame(results: Sequence[ArticleResult]) -> gpd.GeoDataFrame:
    """
    All places of ``results`` as one GeoDataFrame (EPSG:4326).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per mention; columns: the :class:`~geomap.schema.Place` fields,
        ``resolved``, ``sentence`` (source sentence text), ``article_id``;
        Point geometry (empty point for unresolved mentions).
    """
    rows = []
    for r in results:
        for p in r.places:
            d = dataclasses.asdict(p)
            d["resolved"] = p.resolved
            d["sentence"] = r.article.text[p.sentence_start : p.sentence_end]
            d["article_id"] = r.article.id
            rows.append(d)
    cols = [f.name for f in dataclasses.fields(Place)] + ["resolved", "sentence", "article_id"]
    df = pd.DataFrame(rows, columns=cols)
    return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["lon"].astype(float), df["lat"].astype(float)), crs=CRS)


def events_frame(results: Sequence[ArticleResult]) -> gpd.GeoDataFrame:
    """
    All events of ``results`` as one GeoDataFrame (EPSG:4326).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per event; columns: the :class:`~geomap.schema.Event` fields
        (``crossings``, ``actors``, ``mediators`` as lists), ``article_id``,
        ``published``; Point geometry (empty when the event has no location).
    """
    rows = []
    for r in results:
        for e in r.events:
            d = to_jsonable(e)
            d["article_id"] = r.article.id
            d["published"] = r.article.published.isoformat() if r.article.published else None
            rows.append(d)
    cols = [f.name for f in dataclasses.fields(Event)] + ["article_id", "published"]
    df = pd.DataFrame(rows, columns=cols)
    return gpd.GeoDataFrame(
        df,
        geometry=gpd.points_from_xy(pd.to_numeric(df["lon"]), pd.to_numeric(df["lat"])),
        crs=CRS,
    )


def statements_frame(results: Sequence[ArticleResult]) -> pd.DataFrame:
    """All crossing statements of ``results`` (columns: CrossingStatement fields + ``published``)."""
    rows = []
    for r in results:
        for s in r.statements:
            d = to_jsonable(s)
            d["article_id"] = s.article_id or r.article.id
            d["published"] = r.article.published.isoformat() if r.article.published else None
            rows.append(d)
    cols = [f.name for f in dataclasses.fields(CrossingStatement)] + ["published"]
    return pd.DataFrame(rows, columns=cols)


def crossings_frame(
    layers: BoundaryLayers, timeline: pd.DataFrame | None, *, as_of: dt.date | None
) -> gpd.GeoDataFrame:
    """
    The crossing points with their status as of a date.

    Parameters
    ----------
    layers
        Reference layers (``layers.crossings``).
    timeline
        Status intervals from :func:`geomap.timeline.build_timeline`, or None.
    as_of
        Date of the status shown; None = the latest state in ``timeline``.

    Returns
    -------
    geopandas.GeoDataFrame
        ``layers.crossings`` columns plus ``status`` (open/closed/partial/unknown),
        ``since``, ``qualifier``, ``contested`` and ``history`` (list of dicts:
        status, start, end, qualifier, contested, evidence), EPSG:4326.
    """
    from geomap import timeline as timeline_mod

    out = layers.crossings.copy()
    out["status"] = "unknown"
    out["since"] = None
    out["qualifier"] = None
    out["contested"] = False
    out["history"] = [[] for _ in range(len(out))]
    if timeline is None or timeline.empty:
        return out
    when = as_of or dt.date.max
    state = timeline_mod.status_as_of(timeline, when)
    by_id = {row["crossing_id"]: row for _, row in state.iterrows() if isinstance(row.get("crossing_id"), str)}
    for idx, row in out.iterrows():
        cid = row["id"]
        if cid in by_id:
            s = by_id[cid]
            out.at[idx, "status"] = s["status"]
            out.at[idx, "since"] = s.get("since")
            out.at[idx, "qualifier"] = s.get("qualifier")
            out.at[idx, "contested"] = bool(s.get("contested", False))
        hist = timeline[timeline["crossing_id"] == cid]
        out.at[idx, "history"] = [
            {k: (None if (not isinstance(v, (list, dict)) and pd.isna(v)) else v) for k, v in h.items()}
            for h in hist.to_dict("records")
        ]
    return out


def timeline_of(results: Sequence[ArticleResult]) -> pd.DataFrame:
    """
    Crossing-status intervals across the articles of ``results``.

    Statements without a stated date are placed at their article's reference
    date (see :func:`geomap.timeline.build_timeline`).

    Returns
    -------
    pandas.DataFrame
        One row per status interval (crossing_id, name, status, start, end,
        qualifier, contested, evidence, ...).
    """
    from geomap import timeline as timeline_mod

    statements = [s for r in results for s in r.statements]
    published = {r.article.id: r.article.published for r in results}
    return timeline_mod.build_timeline(statements, published=published)


@dataclass(frozen=True)
class BuildResult:
    """What :func:`build` wrote and read.

    Attributes
    ----------
    results
        One :class:`ArticleResult` per article.
    timeline
        Status intervals over all articles (see :func:`geomap.timeline.build_timeline`).
    as_of
        The date whose crossing statuses the map shows.
    files
        Paths written: ``map`` (HTML), ``events`` and ``places`` (GeoJSON).
    """

    results: tuple[ArticleResult, ...]
    timeline: pd.DataFrame
    as_of: dt.date | None
    files: dict[str, Path] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def build(
    paths: Sequence[str | Path],
    *,
    output_dir: str | Path = "output",
    published: dt.date | None = None,
    as_of: dt.date | None = None,
    offline: bool = False,
) -> BuildResult:
    """
    Read articles, extract everything, and write the map and GeoJSON files.

    Parameters
    ----------
    paths
        Article files and folders, read by :func:`geomap.articles.read_articles`
        as every command reads them (plain text, saved ``.html`` pages by their
        main text, ``.jsonl`` feeds by line).  All are read before anything is
        written.
    output_dir
        Folder for ``map.html``, ``events.geojson``, ``places.geojson``.  The
        three are written to a hidden staging folder inside it and moved into
        place together once all are written (:func:`geomap._io.staged_outputs`):
        a failure or kill leaves the earlier three, never a mix (a kill while
        they are moved is completed by the next build, first thing, even one
        that then fails).
    published
        Reference date for every article (overrides ``Published:`` lines).
    as_of
        Date whose crossing statuses the map shows; default the latest
        reference date among the articles.
    offline
        Write a self-contained HTML (every script and stylesheet inlined).

    Returns
    -------
    BuildResult

    Raises
    ------
    ArticleError
        If an input is missing, empty, binary or undecodable, an HTML page has
        no article text or a feed line is not an article (nothing written).
    InputError
        If an article's ``Published:`` date is invalid (nothing written).
    """
    recover_outputs(output_dir)  # finish a set a killed build was moving into place
    articles = read_articles(paths, published=published)

    from geomap import export, render

    layers = load_layers()
    results = extract_many(articles, layers=layers)
    timeline = timeline_of(results)
    dates = [a.published for a in articles if a.published]
    as_of = as_of or (max(dates) if dates else None)
    crossings = crossings_frame(layers, timeline, as_of=as_of)
    places = places_frame(results)
    events = events_frame(results)
    notes = [w for r in results for w in r.warnings]
    title = results[0].article.title if len(results) == 1 and results[0].article.title else "geomap: Afghanistan–Pakistan border"
    fmap = render.render_map(
        places=places, events=events, crossings=crossings, layers=layers, as_of=as_of,
        title=title, notes=notes, timeline=timeline,
        articles={r.article.id: r.article.title or Path(r.article.path or r.article.id).name for r in results},
    )
    out = Path(output_dir)
    # The three files of one build appear together or not at all (see geomap._io).
    with staged_outputs(out) as stage:
        staged = {
            "events": export.write_geojson(events, stage / "events.geojson"),
            "places": export.write_geojson(places, stage / "places.geojson"),
            "map": render.save_map(fmap, stage / "map.html", offline=offline),
        }
    files = {key: out / path.name for key, path in staged.items()}
    log.info("wrote %s", ", ".join(str(p) for p in files.values()))
    return BuildResult(results=tuple(results), timeline=timeline, as_of=as_of, files=files, notes=tuple(notes))
