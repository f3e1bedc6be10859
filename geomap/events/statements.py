"""
Crossing-status statements from closure and reopening events.

A statement says a crossing is open, closed or partly open since a date.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from geomap.events.lexicon import (
    AGAIN,
    CONTINUING_BEFORE,
    COPULA_BEFORE,
    DOCUMENT_RULE,
    HOURS_ONLY,
    NORMAL_FLOW,
    NOUN_TRIGGERS,
    OPEN,
    PAST_PERFECT,
    SEQUEL_BETWEEN,
    STATE_ADJ,
    STATE_BEFORE,
    STATUS,
)
from geomap.schema import CrossingStatement, Event
from geomap.timeline import crossing_id_for


def _current_state(ev: Event) -> bool:
    """Tell whether the trigger states a current status ("remains closed", "has been shut")."""
    if ev.trigger_start is None:
        return False
    before = ev.sentence[: max(0, ev.trigger_start - ev.start)]
    return bool(STATE_BEFORE.search(before))


def _undated_current(ev: Event, dated_keys: set[str]) -> bool:
    """
    Tell whether an undated status event may stand for the article's current state.

    Yes for a clause (not a noun: "since the border closure" names a period)
    that is not in the past perfect ("protesters had blocked the road": the
    background of the news) about a crossing whose change the article does
    not date elsewhere ("reopened on Monday, two weeks after it was shut":
    the dated reopening is the news, the undated closure its background).
    """
    if ev.trigger_start is None or (ev.trigger or "").lower() in NOUN_TRIGGERS:
        return False
    before = ev.sentence[: max(0, ev.trigger_start - ev.start)]
    if PAST_PERFECT.search(before):
        return False
    return not (_statement_keys(ev) & dated_keys)


def _statement_keys(ev: Event) -> set[str]:
    if ev.scope == "crossing" and ev.crossings:
        # one key per crossing, whatever name the text uses ("Chaman", "Friendship Gate")
        return {f"named:{crossing_id_for(n) or n}" for n in ev.crossings}
    if ev.scope in ("crossings_all", "border"):
        return {"all"}
    if ev.scope == "crossings_count":
        return {f"count:{ev.crossing_count}"}
    return {"unnamed"}


def _restricted_reopenings(events: Sequence[Event], dated_keys: set[str]) -> dict[str, str]:
    """
    Dated full reopenings that a later sentence restricts, as {reopening id: restriction id}.

    "Cargo began moving again through Torkham on Thursday ... an official said
    the crossing was open for trade only for now": the undated restriction (a
    partial reopening stated as the current state) of a crossing whose
    reopening the article dates earlier in the text makes that reopening
    partial, from the reopening's date, with the restriction's qualifier and
    sentence as evidence.
    """
    out: dict[str, str] = {}
    for r in events:
        if (
            not (r.type == "partial_reopening" or _standing_open(r))
            or not r.id
            or r.date is not None
            or r.certainty not in ("occurred", "reported")
            or not r.qualifier
            or not (_current_state(r) or _undated_current(r, set()))
        ):
            continue
        keys = _statement_keys(r)
        if not keys <= dated_keys or keys & {"unnamed", "all"}:
            continue
        before = [
            e
            for e in events
            if e.type == "reopening"
            and e.date
            and e.certainty in ("occurred", "reported")
            and e.start < r.start
            and _statement_keys(e) == keys
            and e.id not in out
        ]
        if before:
            out[max(before, key=lambda e: (e.date, e.start)).id] = r.id
    return out


def _continuing_state(ev: Event) -> bool:
    """Tell whether the trigger continues a state ("remained open", "stays open", "still open")."""
    if ev.trigger_start is None:
        return False
    return bool(CONTINUING_BEFORE.search(ev.sentence[: max(0, ev.trigger_start - ev.start)]))


def _stative_open(ev: Event) -> bool:
    """
    Tell whether the trigger states that a crossing was/is open ("was open on 22 November").

    Only the adjective "open" after a finite or perfect form of "be" (with
    at most two adverbs between): a statement of the state on that day, not
    the act of reopening ("was reopened on Monday" stays a reopening).
    """
    if ev.trigger_start is None or (ev.trigger or "").lower() not in OPEN:
        return False
    return bool(COPULA_BEFORE.search(ev.sentence[: max(0, ev.trigger_start - ev.start)]))


def _standing_open(ev: Event) -> bool:
    """Tell whether ``ev`` is a standing "open" status ("remained open", typed ``other``)."""
    return ev.type == "other" and (
        (ev.trigger or "").lower() in STATE_ADJ["reopening"]
        or (ev.trigger or "").lower() in NORMAL_FLOW
    )


def _status_of(ev: Event) -> str | None:
    """Crossing status an event states (open/closed/partial), else None."""
    return STATUS.get(ev.type) or ("open" if _standing_open(ev) or _document_rule(ev) else None)


def _document_rule(ev: Event) -> bool:
    """Tell whether ``ev`` is a rule on travel documents, which leaves its crossing open."""
    return ev.qualifier == DOCUMENT_RULE["qualifier"]


def _day_str(value: Any) -> str | None:
    """ISO day of a date/datetime/ISO string (None when there is none)."""
    if value is None:
        return None
    return value.isoformat()[:10] if hasattr(value, "isoformat") else str(value)[:10]


def _sequel_anchor(ev: Event, events: Sequence[Event]) -> Event | None:
    """
    Find the dated status change that ``ev`` follows in the story, else None.

    "Reopened on Tuesday before being closed again": the reopening is the
    closure's anchor.  The anchor is the last earlier occurred/reported status event of another
    status about the same crossings, with a date.  In the same sentence a
    sequencing word between the two triggers ("before", "only to", "then",
    "later") or "again" next to ``ev``'s trigger links them; across sentences
    only "again" does ("Torkham reopened on Monday. It was shut again.").
    """
    status = _status_of(ev)
    if status is None or ev.trigger_start is None or ev.trigger_end is None:
        return None
    keys = _statement_keys(ev)
    near = ev.sentence[max(0, ev.trigger_start - ev.start - 20) : ev.trigger_end - ev.start + 25]
    again = bool(AGAIN.search(near))
    for a in sorted(events, key=lambda e: e.trigger_start or -1, reverse=True):
        if (
            a is ev
            or a.trigger_start is None
            or a.trigger_end is None
            or a.trigger_start >= ev.trigger_start
            or a.certainty not in ("occurred", "reported")
            or _status_of(a) in (None, status)
            or not a.date
            or not (_statement_keys(a) & keys)
        ):
            continue
        if a.start == ev.start:
            between = ev.sentence[a.trigger_end - ev.start : ev.trigger_start - ev.start]
            return a if again or SEQUEL_BETWEEN.search(between) else None
        return a if again else None
    return None


def _denied_keys(events: Sequence[Event]) -> dict[str, set[str]]:
    """
    Crossings whose closure/reopening the article denies, as {event type: statement keys}.

    A ``negated`` event of a status type about a named crossing (or all
    crossings) disputes every ``reported`` event of the same type about the
    same crossing in that article: "officials denied reports that the crossing
    had been closed ... social media posts had claimed it was sealed" gives no
    closure.  Unnamed scopes are never matched (too weak a link).
    """
    out: dict[str, set[str]] = {}
    for ev in events:
        if ev.type in STATUS and ev.certainty == "negated":
            keys = _statement_keys(ev) - {"unnamed"}
            out.setdefault(ev.type, set()).update(keys)
    return out


def crossing_statements(events: Sequence[Event], *, article: Any) -> list[CrossingStatement]:
    """
    Turn closure/reopening events into crossing-status statements.

    Parameters
    ----------
    events
        Output of :func:`extract_events`.
    article
        The article (its ``id`` is recorded in each statement).

    Returns
    -------
    list of CrossingStatement
        Only events of certainty ``occurred`` or ``reported`` (a threatened or
        negated closure says nothing about the status).  An undated event
        gives a statement (placed on the article's date by the timeline) when it
        states a current state ("remains closed") or is a clause, not in the
        past perfect, about a crossing whose change the article dates nowhere
        else (:func:`_undated_current`).  Named crossings →
        scope ``named`` with ``crossing_id`` (ids of
        ``data/boundaries/crossings_af_pk.csv``); "all crossings" or "the
        border" → ``all``; "two crossings" → ``count``; an unnamed single
        crossing → ``unnamed``.  An interval ("closed from 12 until 14 October")
        gives a second statement: open since the interval's end.
    """
    out: list[CrossingStatement] = []
    aid = getattr(article, "id", None)
    dated_keys = {
        k
        for ev in events
        if ev.type in STATUS and ev.certainty in ("occurred", "reported") and ev.date
        for k in _statement_keys(ev)
    }
    refined = _restricted_reopenings(events, dated_keys)
    denied = _denied_keys(events)
    published = _day_str(getattr(article, "published", None))
    # "briefly reopened on Tuesday before being closed again (later that day)": the
    # sequel is the state after the anchor; on the anchor's own day it ends that day's
    # story, so the anchor's status (held only for part of the day) is not stated
    sequel_of: dict[str, Event] = {}
    superseded: set[str] = set()
    for ev in events:
        if not ev.id or ev.certainty not in ("occurred", "reported"):
            continue
        anchor = _sequel_anchor(ev, events)
        if anchor is None:
            continue
        sequel_of[ev.id] = anchor
        day = ev.date or published
        if (
            anchor.id
            and day is not None
            and anchor.date == day
            and anchor.date_precision == "day"
            and _statement_keys(anchor) <= _statement_keys(ev)
        ):
            superseded.add(anchor.id)
    for ev in events:
        if ev.id and ev.id in superseded:
            continue
        status = _status_of(ev)
        if status is None or ev.certainty not in ("occurred", "reported"):
            continue
        if ev.certainty == "reported" and _statement_keys(ev) & denied.get(ev.type, set()):
            continue  # a claim the same article denies ("officials denied reports ...")
        if (
            ev.type == "closure"
            and _statement_keys(ev) & denied.get(ev.type, set())
            and HOURS_ONLY.search(ev.sentence)
        ):
            # "denied reports that the crossing had been closed ... a brief suspension
            # lasted less than two hours": the stop the article admits is not a closure
            continue
        if ev.type == "closure" and ev.qualifier:
            status = "partial"  # "closed to pedestrians while trucks pass"
        if _standing_open(ev) and ev.qualifier and ev.qualifier != "partial":
            status = "partial"  # "remained open to returnees": open to them only
        if ev.id and ev.id in refined.values():
            continue  # given as the restriction of a dated reopening
        if ev.date is None and not (
            _current_state(ev) or _undated_current(ev, dated_keys) or ev.id in sequel_of
        ):
            continue  # background with no date: says nothing about when
        if ev.id and ev.id in refined:
            restriction = next(e for e in events if e.id == refined[ev.id])
            status = "partial"
            ev = dataclasses.replace(
                restriction,
                date=ev.date,
                date_precision=ev.date_precision,
                date_end=None,
                scope=ev.scope,
                crossings=ev.crossings,
                location=ev.location,
                location_id=ev.location_id,
            )
        base = dict(
            sentence=ev.sentence,
            start=ev.start,
            end=ev.end,
            since=ev.date,
            since_precision=ev.date_precision,
            qualifier=ev.qualifier if status == "partial" else None,
            certainty=ev.certainty,
            event_id=ev.id,
            article_id=aid,
        )
        rows: list[dict[str, Any]] = []
        if ev.scope == "crossing" and ev.crossings:
            for name in ev.crossings:
                rows.append(
                    dict(
                        scope="named",
                        crossing_id=crossing_id_for(
                            name, ev.location_id if ev.location == name else None
                        ),
                        name=name,
                    )
                )
        elif ev.scope in ("crossings_all", "border"):
            rows.append(dict(scope="all", name="all crossings"))
        elif ev.scope == "crossings_count" and ev.crossing_count:
            rows.append(
                dict(
                    scope="count",
                    count=ev.crossing_count,
                    name=f"{ev.crossing_count} unnamed crossings",
                )
            )
        else:
            rows.append(dict(scope="unnamed", name="unnamed crossing"))
        for r in rows:
            out.append(CrossingStatement(status=status, **base, **r))
            if ev.date_end and status == "closed":
                out.append(CrossingStatement(status="open", **{**base, "since": ev.date_end}, **r))
    return out
