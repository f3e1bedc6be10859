"""Private: scoring of events, dates and crossing statuses against the gold set.

Documents are dicts shaped like ``geomap extract --json``: ``events`` (type,
date, date_precision, certainty, start, end = the evidence sentence's offsets)
and ``crossing_status`` (crossing, scope, count, status, since, qualifier).

Measures
--------
- **event type P/R/F1**: a predicted event matches a gold event when the types
  are equal and their sentences overlap; one-to-one, greedy in text order.
- **date exact match (day precision)**: over gold events whose
  ``date_precision`` is ``day``; correct when the matched predicted event has
  the same ``date``; an unmatched gold event counts as wrong.
- **crossing status accuracy**: per key (crossing id, ``all``, ``count:N`` or
  ``unnamed``) the final status in the document (statement with the latest
  ``since``; several disagreeing statements on that latest day → ``contested``)
  is compared over the union of gold and predicted keys.
Baselines: :func:`keyword_baseline` (keywords only, no negation, no merging,
no dates) and :func:`search_dates_baseline` (the same events dated by
``dateparser.search.search_dates`` alone: first hit in the sentence).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

__all__ = ["score_events", "keyword_baseline", "search_dates_baseline", "status_key"]

_KEYWORDS: dict[str, tuple[str, ...]] = {
    "partial_reopening": ("partially reopen", "partly reopen", "reopened for pedestrians", "reopened to pedestrians",
                          "for trade only", "to trade"),
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
                if etype == "reopening" and any(ev["start"] == s and ev["type"] == "partial_reopening" for ev in events):
                    continue
                events.append({"type": etype, "date": None, "date_precision": None, "certainty": "occurred",
                               "start": s, "end": e})
                if etype in _STATUS:
                    for row in table:
                        names = [row.name, *row.aliases, *re.split(r"[–/]", row.name)]
                        if any(n and re.search(rf"\b{re.escape(n.lower())}\b", low) for n in names):
                            status.append({"crossing": row.id, "scope": "named", "count": None,
                                           "status": _STATUS[etype], "since": None, "qualifier": None})
                    if re.search(r"\ball\b.*\bcrossings\b", low):
                        status.append({"crossing": None, "scope": "all", "count": None, "status": _STATUS[etype],
                                       "since": None, "qualifier": None})
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
            found = search_dates(text[ev["start"]:ev["end"]], languages=["en"], settings=settings) or []
            cache[ev["start"]] = found[0][1].date().isoformat() if found else None
        ev["date"] = cache[ev["start"]]
        ev["date_precision"] = "day" if ev["date"] else None
    return doc


def _match(pred: list[dict[str, Any]], gold: list[dict[str, Any]]) -> list[tuple[int, int]]:
    pairs, used = [], set()
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if pi in used or p.get("type") != g.get("type"):
                continue
            if p["start"] < g["end"] and g["start"] < p["end"]:
                pairs.append((gi, pi))
                used.add(pi)
                break
    return pairs


def status_key(row: dict[str, Any]) -> str:
    """Key of a crossing-status row: crossing id, ``all``, ``count:N`` or ``unnamed``."""
    scope = row.get("scope") or ("named" if row.get("crossing") or row.get("crossing_id") else "unnamed")
    if scope == "named":
        return str(row.get("crossing") or row.get("crossing_id") or row.get("name"))
    if scope == "count":
        return f"count:{row.get('count')}"
    return scope


def _final_status(rows: list[dict[str, Any]]) -> dict[str, str]:
    by: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by.setdefault(status_key(r), []).append(r)
    out = {}
    for k, rs in by.items():
        latest = max((r.get("since") or "") for r in rs)
        sts = {r["status"] for r in rs if (r.get("since") or "") == latest}
        out[k] = sts.pop() if len(sts) == 1 else "contested"
    return out


def score_events(pairs: list[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, Any]:
    """
    Score predicted documents against gold documents.

    Parameters
    ----------
    pairs
        ``(predicted_doc, gold_doc)`` per article.

    Returns
    -------
    dict
        ``event_precision``, ``event_recall``, ``event_f1``, ``date_exact_day``
        (share of day-precision gold dates matched exactly), ``certainty_accuracy``
        (on matched events), ``status_accuracy``, and the counts behind them
        (``tp``, ``n_pred``, ``n_gold``, ``n_day_dates``, ``n_status_keys``).
    """
    tp = n_pred = n_gold = 0
    day_total = day_ok = cert_total = cert_ok = 0
    st_total = st_ok = 0
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
                if gi in matched and pe[matched[gi]].get("date") == g.get("date"):
                    day_ok += 1
            if gi in matched:
                cert_total += 1
                cert_ok += pe[matched[gi]].get("certainty") == g.get("certainty")
        gs, ps = _final_status(gold.get("crossing_status", [])), _final_status(pred.get("crossing_status", []))
        for k in set(gs) | set(ps):
            st_total += 1
            st_ok += gs.get(k) is not None and gs.get(k) == ps.get(k)
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {
        "event_precision": p,
        "event_recall": r,
        "event_f1": 2 * p * r / (p + r) if p + r else 0.0,
        "date_exact_day": day_ok / day_total if day_total else 0.0,
        "certainty_accuracy": cert_ok / cert_total if cert_total else 0.0,
        "status_accuracy": st_ok / st_total if st_total else 1.0,
        "tp": tp, "n_pred": n_pred, "n_gold": n_gold, "n_day_dates": day_total, "n_status_keys": st_total,
    }
