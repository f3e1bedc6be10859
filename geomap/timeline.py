"""Crossing-status timeline: status intervals per crossing across articles.

Each :class:`geomap.schema.CrossingStatement` says "crossing X was
open/closed/partly open since D" in one article.  :func:`build_timeline` turns
statements from any number of articles into status intervals per crossing:

- statements are placed on their ``since`` date, or — when the text gives no
  date ("Torkham remains closed") — on the publication date of their article
  (``known_from``); statements without either come last, in input order;
- a later statement supersedes an earlier one (it ends the previous interval);
  consecutive statements with the same status and qualifier extend one
  interval, their evidence accumulating; a more precise date inside the
  interval's start ("closed since last month" = ``2025-10``, then "closed on
  12 October") becomes its start;
- an undated report never hides a later dated start of the same status:
  "remained open" (undated, placed on its article's date P) followed by
  "reopened on D" (D after P) starts a new interval on D; when the undated
  report comes from another article, the sources disagree for [P, D) (the
  dated one says the status only began on D), so that interval gets status
  ``unknown``, ``contested`` True and both accounts — plus the interval
  before, whose status the dated source implies lasted until D — in
  ``evidence``;
- statements for the **same day and crossing that disagree** give one interval
  with status ``unknown``, ``contested`` True and every statement in
  ``evidence`` — never a silent choice; a statement naming the crossing
  outranks an "all crossings" statement of the same day (it is more specific);
- scope ``all`` applies to every formal crossing (``formal_crossing`` starting
  with "yes" in ``data/boundaries/crossings_af_pk.csv``);
- scope ``count`` ("two crossings") is never assigned to guessed crossings: it
  is its own row with ``crossing_id`` None and a name like "2 unnamed
  crossings"; scope ``unnamed`` likewise ("unnamed crossing").
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geomap.errors import DataSourceError, InputError
from geomap.schema import CROSSING_STATUSES, CrossingStatement

__all__ = [
    "TIMELINE_COLUMNS",
    "STATUS_COLUMNS",
    "build_timeline",
    "status_as_of",
    "crossing_id_for",
]

log = logging.getLogger(__name__)

#: Columns of :func:`build_timeline`'s frame.
TIMELINE_COLUMNS = [
    "crossing_id",
    "name",
    "scope",
    "status",
    "start",
    "start_precision",
    "known_from",
    "end",
    "qualifier",
    "contested",
    "evidence",
]
#: Columns of :func:`status_as_of`'s frame.
STATUS_COLUMNS = [
    "crossing_id",
    "name",
    "scope",
    "status",
    "since",
    "known_from",
    "qualifier",
    "contested",
    "evidence",
]


# --------------------------------------------------------------------------- crossings table (private, small)


@dataclass(frozen=True, slots=True)
class _CrossingInfo:
    id: str
    name: str
    aliases: tuple[str, ...]
    formal: bool


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


@functools.lru_cache(maxsize=4)
def _crossing_table(path: str | None = None) -> tuple[_CrossingInfo, ...]:
    """Read id/name/aliases/formal_crossing from the crossings CSV (default: the bundled one)."""
    import pandas as pd

    if path is None:
        from geomap.settings import get_settings

        csv = Path(get_settings().boundaries_dir) / "crossings_af_pk.csv"
    else:
        csv = Path(path)
    try:
        frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    except FileNotFoundError as err:
        raise DataSourceError(
            f"{csv}: crossings table not found; expected data/boundaries/crossings_af_pk.csv"
        ) from err
    missing = {"id", "name", "formal_crossing"} - set(frame.columns)
    if missing:
        raise DataSourceError(
            f"{csv}: missing columns {sorted(missing)}; expected id, name, formal_crossing"
        )
    return tuple(
        _CrossingInfo(
            r["id"],
            r["name"],
            tuple(a.strip() for a in r.get("aliases", "").split("|") if a.strip()),
            r["formal_crossing"].strip().lower().startswith("yes"),
        )
        for r in frame.to_dict("records")
    )


def crossing_name(crossing_id: str) -> str:
    """Give the name of a crossing of ``data/boundaries/crossings_af_pk.csv`` by its id.

    Raises
    ------
    KeyError
        If no crossing has that id.
    """
    for row in _crossing_table():
        if row.id == crossing_id:
            return row.name
    raise KeyError(crossing_id)


def crossing_id_for(name: str | None, gazetteer_id: str | None = None) -> str | None:
    """
    The crossing id (``data/boundaries/crossings_af_pk.csv``) for a crossing name.

    ``gazetteer_id`` ``crossing:<id>`` wins; otherwise the name is compared with
    ids, names, the parts of double names ("Chaman" for "Chaman–Spin Boldak")
    and aliases, ignoring case and punctuation.  None when nothing matches.
    """
    if gazetteer_id and gazetteer_id.startswith("crossing:"):
        return gazetteer_id.split(":", 1)[1]
    if not name:
        return None
    full = _norm(name)
    short = re.sub(
        r"\b(border crossing|crossing point|crossing|border|gate|terminal|trade terminal)\b",
        "",
        full,
    )
    keys = {full, " ".join(short.split()) or full}
    for row in _crossing_table():
        names = {_norm(row.id.replace("_", " ")), _norm(row.name)} | {_norm(a) for a in row.aliases}
        names |= {_norm(p) for p in re.split(r"[–/-]", row.name)}
        if keys & names:
            return row.id
    return None


# --------------------------------------------------------------------------- timeline


def _day(value: str | None) -> dt.date | None:
    if not value:
        return None
    parts = [int(p) for p in value.split("-")]
    while len(parts) < 3:
        parts.append(1)
    return dt.date(*parts)


def _refines(since: str | None, start: str | None) -> bool:
    """Is ``since`` a more precise date inside ``start`` ("2025-10-12" in "2025-10")?"""
    if not since or not start or len(since) <= len(start):
        return False
    return since.startswith(start)


def _contest_undated(
    undated: dict[str, Any],
    before: dict[str, Any] | None,
    dated_evidence: list[dict[str, Any]],
    since: str,
) -> None:
    """
    Mark an undated interval contested when a later dated start of its status disagrees.

    ``undated`` holds reports "status S" without a date (placed on their
    articles' dates); ``dated_evidence`` says S only began on ``since``, after
    them.  When some undated report comes from another article than every dated
    one, the sources disagree for the undated interval: it becomes status
    ``unknown``, ``contested`` True, and keeps the undated reports, the dated
    ones and — when its status differs — the interval before it (the status the
    dated source implies lasted until ``since``) as evidence.  Reports of one
    article only are left as they are (no disagreement between sources).
    """
    dated_articles = {e["article_id"] for e in dated_evidence}
    if not {e["article_id"] for e in undated["evidence"]} - dated_articles:
        return
    status = undated["status"]
    others: list[str] = []
    evidence = list(undated["evidence"])
    if before is not None and before["status"] != status and not before["contested"]:
        others.append(before["status"])
        evidence.extend(e for e in before["evidence"] if e not in evidence)
    others.append(f"{status} only from {since}")
    evidence.extend(e for e in dated_evidence if e not in evidence)
    undated.update(
        status="unknown",
        contested=True,
        qualifier="reports disagree: " + " / ".join([status, *others]),
        evidence=evidence,
    )


def build_timeline(
    statements: Iterable[CrossingStatement],
    *,
    crossings: Sequence[str] | None = None,
    published: Mapping[str, dt.date] | None = None,
) -> Any:
    """
    Combine crossing-status statements into status intervals per crossing.

    Parameters
    ----------
    statements
        From :func:`geomap.events.crossing_statements`, for one or several
        articles.  Only certainty ``occurred``/``reported`` statements are used.
    crossings
        Crossing ids that an "all crossings" statement applies to.  Default: the
        formal crossings of ``data/boundaries/crossings_af_pk.csv``.
    published
        ``article_id -> publication date``; places undated statements on the
        article's date and fills ``evidence[].published``.

    Returns
    -------
    pandas.DataFrame
        One row per status interval, ordered by crossing then ``known_from``,
        with :data:`TIMELINE_COLUMNS`: ``crossing_id`` (None for the count and
        unnamed rows), ``name``, ``scope`` (named/all/count/unnamed: how the
        crossing was referred to), ``status`` (:data:`geomap.schema.CROSSING_STATUSES`),
        ``start`` (the date the text gives, ``YYYY-MM-DD``/``YYYY-MM``/``YYYY``,
        or None), ``start_precision``, ``known_from`` (``start`` or else the
        article's publication date; the ordering date, ``datetime.date`` or
        None), ``end`` (``known_from`` of the next interval, None = still in
        force), ``qualifier``, ``contested`` (bool), ``evidence`` (list of
        dicts: article_id, sentence, start, end, published, status).

    Raises
    ------
    InputError
        If a statement has a status outside ``CROSSING_STATUSES``.
    """
    import pandas as pd

    published = dict(published or {})
    if crossings is None:
        all_ids = [c.id for c in _crossing_table() if c.formal]
    else:
        all_ids = list(crossings)
    names = {c.id: c.name for c in _crossing_table()}
    # (key, crossing_id, name, scope, specificity, statement, order)
    expanded: list[tuple[str, str | None, str, str, int, CrossingStatement, int]] = []
    for n, st in enumerate(statements):
        if st.status not in CROSSING_STATUSES:
            raise InputError(
                f"statement status must be one of {CROSSING_STATUSES}, got {st.status!r}"
            )
        if st.certainty not in ("occurred", "reported"):
            continue
        if st.scope == "all":
            for cid in all_ids:
                expanded.append((cid, cid, names.get(cid, cid), "all", 0, st, n))
        elif st.scope == "named":
            cid = st.crossing_id or crossing_id_for(st.name)
            key = cid or f"name:{_norm(st.name or '?')}"
            expanded.append(
                (
                    key,
                    cid,
                    names.get(cid, st.name or cid or "?") if cid else (st.name or "?"),
                    "named",
                    1,
                    st,
                    n,
                )
            )
        elif st.scope == "count":
            cnt = st.count or 0
            expanded.append((f"count:{cnt}", None, f"{cnt} unnamed crossings", "count", 1, st, n))
        else:
            expanded.append(("unnamed", None, "unnamed crossing", "unnamed", 1, st, n))

    def known(st: CrossingStatement) -> dt.date | None:
        return _day(st.since) or (published.get(st.article_id) if st.article_id else None)

    rows: list[dict[str, Any]] = []
    by_key: dict[str, list] = {}
    for item in expanded:
        by_key.setdefault(item[0], []).append(item)
    for items in by_key.values():
        items.sort(key=lambda it: (known(it[5]) is None, known(it[5]) or dt.date.min, it[6]))
        groups: list[list] = []
        for it in items:
            k = known(it[5])
            if groups and k is not None and known(groups[-1][0][5]) == k:
                groups[-1].append(it)
            else:
                groups.append([it])
        intervals: list[dict[str, Any]] = []
        for g in groups:
            top = max(it[4] for it in g)
            decisive = [it for it in g if it[4] == top]
            statuses = list(dict.fromkeys(it[5].status for it in decisive))
            quals = [it[5].qualifier for it in decisive if it[5].qualifier]
            evidence = [
                {
                    "article_id": it[5].article_id,
                    "sentence": it[5].sentence,
                    "start": it[5].start,
                    "end": it[5].end,
                    "published": published.get(it[5].article_id) if it[5].article_id else None,
                    "status": it[5].status,
                }
                for it in g
            ]
            first = g[0]
            if len(statuses) > 1:
                status, contested, qualifier = (
                    "unknown",
                    True,
                    "reports disagree: " + " / ".join(statuses),
                )
            else:
                status, contested, qualifier = statuses[0], False, (quals[0] if quals else None)
            since = next((it[5].since for it in decisive if it[5].since), None)
            prec = next((it[5].since_precision for it in decisive if it[5].since), None)
            scope = "named" if top == 1 and first[3] == "all" else decisive[0][3]
            prev = intervals[-1] if intervals else None
            same = (
                prev is not None
                and prev["status"] == status
                and prev["qualifier"] == qualifier
                and not contested
                and not prev["contested"]
            )
            k = known(first[5])
            if (
                same
                and prev["start"] is None
                and since
                and prev["known_from"]
                and k
                and k > prev["known_from"]
            ):
                # "remained open" (undated, placed on its article's date) then
                # "reopened on D" (later D, same status): the dated statement says
                # the status began on D, so it must not be hidden in the undated
                # interval; if another article wrote the undated report, the two
                # accounts disagree for [known_from, D) -> contested.
                _contest_undated(
                    prev, intervals[-2] if len(intervals) > 1 else None, evidence, since
                )
                same = False
            if same:
                prev["evidence"].extend(evidence)
                if _refines(since, prev["start"]):
                    # "closed since last month" then "closed on 12 October": the day
                    # the month was standing for
                    prev.update(start=since, start_precision=prec, known_from=k)
                    if len(intervals) > 1:
                        intervals[-2]["end"] = prev["known_from"]
                continue
            if prev is not None:
                prev["end"] = k
            intervals.append(
                {
                    "crossing_id": first[1],
                    "name": first[2],
                    "scope": scope,
                    "status": status,
                    "start": since,
                    "start_precision": prec,
                    "known_from": k,
                    "end": None,
                    "qualifier": qualifier,
                    "contested": contested,
                    "evidence": evidence,
                }
            )
        rows.extend(intervals)
    frame = pd.DataFrame(rows, columns=TIMELINE_COLUMNS)
    if len(frame):
        frame["contested"] = frame["contested"].astype(bool)
        frame = frame.astype(
            {"crossing_id": object, "start": object, "end": object, "known_from": object}
        )
        frame = frame.where(frame.notna(), None)
    log.info(
        "timeline: %d statements -> %d intervals for %d crossings",
        len(expanded),
        len(frame),
        len(by_key),
    )
    return frame.reset_index(drop=True)


def status_as_of(timeline: Any, as_of: dt.date) -> Any:
    """
    The status of every crossing in ``timeline`` on one day.

    Parameters
    ----------
    timeline
        A frame from :func:`build_timeline`.
    as_of
        The day to report.

    Returns
    -------
    pandas.DataFrame
        One row per crossing (or count/unnamed row) with an interval in force on
        ``as_of`` — ``known_from`` on or before it (or unknown) and ``end``
        after it or None — with :data:`STATUS_COLUMNS`; ``since`` is the
        interval's ``start`` (``YYYY-MM-DD``/``YYYY-MM``/``YYYY``), or None when
        the text gave no date (``known_from`` then holds the report date) —
        except for a contested interval, whose ``since`` is then its
        ``known_from`` (ISO day): the day the reports start to disagree.  Rows
        whose first statement is later than ``as_of`` are left out.

    Raises
    ------
    InputError
        If ``as_of`` is not a date or ``timeline`` lacks the timeline columns.
    """
    import pandas as pd

    if not isinstance(as_of, dt.date):
        raise InputError(f"as_of must be a datetime.date, got {type(as_of).__name__}")
    missing = set(TIMELINE_COLUMNS) - set(timeline.columns)
    if missing:
        raise InputError(
            f"timeline lacks columns {sorted(missing)}; build it with build_timeline()"
        )
    out = []
    keys = timeline["crossing_id"].where(timeline["crossing_id"].notna(), timeline["name"])
    for _, group in timeline.groupby(keys, sort=False):
        current = None
        for rec in group.to_dict("records"):
            kf, end = rec["known_from"], rec["end"]
            if kf is not None and kf > as_of:
                continue
            if end is not None and end <= as_of:
                continue
            current = rec
        if current is not None:
            since = current["start"]
            if since is None and current["contested"] and current["known_from"] is not None:
                # the disagreement has a known start even when no report dates it
                since = current["known_from"].isoformat()
            out.append(
                {
                    **{c: current[c] for c in STATUS_COLUMNS if c != "since"},
                    "since": since,
                }
            )
    return pd.DataFrame(out, columns=STATUS_COLUMNS, dtype=object).astype({"contested": bool})
