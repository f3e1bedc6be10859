"""Private: scoring of events, dates and crossing statuses against the gold set.

Documents are dicts shaped like ``geomap extract --json``: ``events`` (type,
date, date_precision, certainty, start, end = the evidence sentence's offsets)
and ``crossing_status`` (crossing, scope, count, status, since, qualifier).

Measures
--------
- **event type P/R/F1**: a predicted event matches a gold event when the types
  are equal and their evidence sentences overlap; one-to-one, gold events in
  text order, a predicted event with the same date preferred.  A re-mention
  that was not merged into its first mention ("the truce" after "a
  ceasefire") is a false positive; gold events keep the sentence of the first
  mention.
- **date exact match (day precision)**: over the *matched* events whose gold
  ``date_precision`` is ``day``: the predicted ``date`` is equal.  The same
  share over all day-precision gold events (unmatched ones wrong) is
  reported beside it.
- **crossing status accuracy**: per gold article, the status of each gold key
  (crossing id, ``all``, ``count:N`` or ``unnamed``) on the article's
  reference date (:func:`status_as_of_rows`), compared with the prediction's
  status for that key on that date.  Keys the prediction has and the gold has
  not are **extra statuses**: counted apart (``status_extra``), not hidden.
Baselines: :func:`keyword_baseline` (keywords only, no negation, no merging,
no dates) and :func:`search_dates_baseline` (the same events dated by
``dateparser.search.search_dates`` alone: first hit in the sentence).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pandas as pd

from geomap.timeline import _day

__all__ = [
    "score_events",
    "keyword_baseline",
    "search_dates_baseline",
    "status_key",
    "status_as_of_rows",
]

_KEYWORDS: dict[str, tuple[str, ...]] = {
    "partial_reopening": (
        "partially reopen",
        "partly reopen",
        "reopened for pedestrians",
        "reopened to pedestrians",
        "for trade only",
        "to trade",
    ),
    "reopening": ("reopen", "resumed"),
    "closure": ("closed", "closure", "shut", "sealed", "suspended"),
    "airstrike": ("airstrike", "air strike", "drone strike"),
    "explosion": ("explosion", "blast", "bomb"),
    "clash": ("clash", "fighting", "exchange of fire", "shelling", "exchanged fire"),
    "ceasefire": ("ceasefire", "truce"),
    "talks": ("talks", "negotiation", "meeting"),
    "protest": ("protest", "sit-in", "rally", "demonstration"),
    "attack": ("attack", "ambush", "raid"),
}
_STATUS = {"closure": "closed", "reopening": "open", "partial_reopening": "partial"}


def _sentences(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in re.finditer(r"(?<=[.!?])[\"”]?\s+|\n+", text):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < len(text.rstrip()):
        out.append((start, len(text.rstrip())))
    return out


def keyword_baseline(text: str, reference: dt.date | None) -> dict[str, Any]:
    """Keyword-only events: one event per keyword type found in a sentence; crossings by name; no dates."""
    from geomap.timeline import _crossing_table

    table = _crossing_table()
    events: list[dict[str, Any]] = []
    status: list[dict[str, Any]] = []
    for s, e in _sentences(text):
        low = text[s:e].lower()
        for etype, words in _KEYWORDS.items():
            if any(w in low for w in words):
                if etype == "reopening" and any(
                    ev["start"] == s and ev["type"] == "partial_reopening" for ev in events
                ):
                    continue
                events.append(
                    {
                        "type": etype,
                        "date": None,
                        "date_precision": None,
                        "certainty": "occurred",
                        "start": s,
                        "end": e,
                    }
                )
                if etype in _STATUS:
                    for row in table:
                        names = [row.name, *row.aliases, *re.split(r"[–/]", row.name)]
                        if any(n and re.search(rf"\b{re.escape(n.lower())}\b", low) for n in names):
                            status.append(
                                {
                                    "crossing": row.id,
                                    "scope": "named",
                                    "count": None,
                                    "status": _STATUS[etype],
                                    "since": None,
                                    "qualifier": None,
                                }
                            )
                    if re.search(r"\ball\b.*\bcrossings\b", low):
                        status.append(
                            {
                                "crossing": None,
                                "scope": "all",
                                "count": None,
                                "status": _STATUS[etype],
                                "since": None,
                                "qualifier": None,
                            }
                        )
    return {"events": events, "crossing_status": status}


def search_dates_baseline(text: str, reference: dt.date | None) -> dict[str, Any]:
    """:func:`keyword_baseline` events dated by ``dateparser.search.search_dates`` alone (first hit in the sentence)."""
    from dateparser.search import search_dates

    doc = keyword_baseline(text, reference)
    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past"}
    if reference is not None:
        settings["RELATIVE_BASE"] = dt.datetime(reference.year, reference.month, reference.day, 12)
    cache: dict[int, str | None] = {}
    for ev in doc["events"]:
        if ev["start"] not in cache:
            found = (
                search_dates(text[ev["start"] : ev["end"]], languages=["en"], settings=settings)
                or []
            )
            cache[ev["start"]] = found[0][1].date().isoformat() if found else None
        ev["date"] = cache[ev["start"]]
        ev["date_precision"] = "day" if ev["date"] else None
    return doc


def _match(pred: list[dict[str, Any]], gold: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs: same type, overlapping sentences.

    Gold events are taken in order; among the free predicted events of the same
    type whose sentence overlaps, one with the same ``date`` is preferred (two
    closures in one sentence are then paired with the right dates), else the first.
    """
    pairs, used = [], set()
    for gi, g in enumerate(gold):
        cands = [
            pi
            for pi, p in enumerate(pred)
            if pi not in used
            and p.get("type") == g.get("type")
            and p["start"] < g["end"]
            and g["start"] < p["end"]
        ]
        if not cands:
            continue
        best = next((pi for pi in cands if pred[pi].get("date") == g.get("date")), cands[0])
        pairs.append((gi, best))
        used.add(best)
    return pairs


def status_key(row: dict[str, Any]) -> str:
    """Key of a crossing-status row: crossing id, ``all``, ``count:N`` or ``unnamed``."""
    scope = row.get("scope") or (
        "named" if row.get("crossing") or row.get("crossing_id") else "unnamed"
    )
    if scope == "named":
        return str(row.get("crossing") or row.get("crossing_id") or f"name:{row.get('name')}")
    if scope == "count":
        return f"count:{row.get('count')}"
    return str(scope)


def status_as_of_rows(rows: list[dict[str, Any]], as_of: dt.date | None) -> dict[str, str]:
    """
    Status per key on ``as_of`` from one article's crossing-status rows.

    A row applies from its ``since`` date (first day of a month/year value),
    or from ``as_of`` when it has none ("remains closed"); rows after
    ``as_of`` and rows whose certainty is not ``occurred``/``reported`` are
    ignored.  The latest applicable day decides; several different statuses on
    that day give ``"contested"``.
    """
    by: dict[str, list[tuple[dt.date, str]]] = {}
    for r in rows:
        if r.get("certainty", "occurred") not in ("occurred", "reported"):
            continue
        day = _day(r.get("since")) or as_of or dt.date.max
        if as_of is not None and day > as_of:
            continue
        by.setdefault(status_key(r), []).append((day, r["status"]))
    out = {}
    for k, items in by.items():
        latest = max(d for d, _ in items)
        sts = {s for d, s in items if d == latest}
        out[k] = sts.pop() if len(sts) == 1 else "contested"
    return out


def _reference(doc: dict[str, Any]) -> dt.date | None:
    pub = (doc.get("article") or {}).get("published")
    return dt.date.fromisoformat(pub) if pub else None


def score_events(pairs: list[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, Any]:
    """
    Score predicted documents against gold documents.

    Parameters
    ----------
    pairs
        ``(predicted_doc, gold_doc)`` per article, both shaped like
        ``geomap extract --json`` (the gold doc's ``article.published`` is the
        reference date for the status measure).

    Returns
    -------
    dict
        ``event_precision``, ``event_recall``, ``event_f1`` (type + sentence
        overlap, one-to-one); ``date_exact_day`` (share of *matched* events
        with a day-precision gold date whose predicted ``date`` is equal) and
        ``date_exact_day_all`` (the same over every day-precision gold event,
        an unmatched one counting as wrong); ``certainty_accuracy`` (matched
        events); ``status_accuracy`` (gold keys whose status on the gold
        reference date the prediction gives; 1.0 when there are none) and
        ``status_extra`` (predicted keys with a status on that date that the
        gold does not have: precision errors, counted apart); with the counts
        ``tp``, ``n_pred``, ``n_gold``, ``n_day_matched``, ``n_day_dates``,
        ``n_status_keys``.
    """
    tp = n_pred = n_gold = 0
    day_total = day_matched = day_ok = cert_total = cert_ok = 0
    st_total = st_ok = st_extra = 0
    for pred, gold in pairs:
        pe, ge = pred.get("events", []), gold.get("events", [])
        matches = _match(pe, ge)
        tp += len(matches)
        n_pred += len(pe)
        n_gold += len(ge)
        matched = dict(matches)
        for gi, g in enumerate(ge):
            if g.get("date_precision") == "day":
                day_total += 1
                if gi in matched:
                    day_matched += 1
                    day_ok += pe[matched[gi]].get("date") == g.get("date")
            if gi in matched:
                cert_total += 1
                cert_ok += pe[matched[gi]].get("certainty") == g.get("certainty")
        ref = _reference(gold) or _reference(pred)
        gs = status_as_of_rows(gold.get("crossing_status", []), ref)
        ps = status_as_of_rows(pred.get("crossing_status", []), ref)
        st_total += len(gs)
        st_ok += sum(ps.get(k) == v for k, v in gs.items())
        st_extra += len(set(ps) - set(gs))
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {
        "event_precision": p,
        "event_recall": r,
        "event_f1": 2 * p * r / (p + r) if p + r else 0.0,
        "date_exact_day": day_ok / day_matched if day_matched else 0.0,
        "date_exact_day_all": day_ok / day_total if day_total else 0.0,
        "certainty_accuracy": cert_ok / cert_total if cert_total else 0.0,
        "status_accuracy": st_ok / st_total if st_total else 1.0,
        "status_extra": st_extra,
        "tp": tp,
        "n_pred": n_pred,
        "n_gold": n_gold,
        "n_day_matched": day_matched,
        "n_day_dates": day_total,
        "n_status_keys": st_total,
    }


def evaluate_events(gold_dir: str | Path) -> pd.DataFrame:
    """
    Score geomap's events, dates and crossing statuses on a gold folder, with both baselines.

    Each ``NN_name.txt`` in ``gold_dir`` is run through the real pipeline
    (:func:`geomap.pipeline.extract`) and compared with ``NN_name.json`` by
    :func:`score_events`; the keyword-only classifier and dateparser's
    ``search_dates`` alone are scored on the same articles.

    Returns
    -------
    pandas.DataFrame
        One row per system (``geomap``, ``keyword``, ``search_dates``) with the
        keys of :func:`score_events` (event_precision, event_recall, event_f1,
        date_exact_day, n_day_matched, certainty_accuracy, status_accuracy,
        n_status_keys, status_extra) and ``articles``.

    Raises
    ------
    FileNotFoundError
        If ``gold_dir`` holds no ``*.json`` annotation.
    """
    import json

    from geomap.articles import read_article
    from geomap.pipeline import extract

    paths = sorted(Path(gold_dir).glob("*.json"))
    if not paths:
        raise FileNotFoundError(f"{gold_dir}: no *.json gold annotations")
    runs: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = {"geomap": [], "keyword": [], "search_dates": []}
    for gpath in paths:
        gold = json.loads(gpath.read_text(encoding="utf-8"))
        article = read_article(gpath.with_suffix(".txt"))
        gold.setdefault("article", {})
        gold["article"]["published"] = gold["article"].get("published") or (
            article.published.isoformat() if article.published else None
        )
        runs["geomap"].append((extract(article).to_json(), gold))
        runs["keyword"].append((keyword_baseline(article.text, article.published), gold))
        runs["search_dates"].append((search_dates_baseline(article.text, article.published), gold))
    rows = []
    for name, pairs in runs.items():
        scores = score_events(pairs)
        rows.append({"system": name, "articles": len(pairs), **scores})
    return pd.DataFrame(rows)


def format_events_table(df: pd.DataFrame) -> str:
    """Render :func:`evaluate_events` as a fixed-width text table."""
    head = f"{'system':<13} {'art':>3} {'P':>5} {'R':>5} {'F1':>5}  {'date(day)':>12}  {'certainty':>9}  {'status':>11} {'extra':>5}"
    lines = [head, "-" * len(head)]
    for _, s in df.iterrows():
        lines.append(
            f"{s['system']:<13} {int(s['articles']):>3} {s['event_precision']:5.3f} {s['event_recall']:5.3f} "
            f"{s['event_f1']:5.3f}  {s['date_exact_day']:5.3f} ({int(s['n_day_matched']):>3})  "
            f"{s['certainty_accuracy']:9.3f}  {s['status_accuracy']:5.3f} ({int(s['n_status_keys']):>3}) "
            f"{int(s['status_extra']):>5}"
        )
    return "\n".join(lines)
