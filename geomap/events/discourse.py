"""Discourse: one incident per real event, and a date for every mention the text places.

A news report tells its main event several times: in the headline, the lede,
the details and each side's version.  The sentence-level extractor
(:mod:`geomap.events`) reads each mention on its own, so a re-mention whose
sentence names no date ("The closure stranded hundreds of trucks") became a
second, undated incident, and the time slider never showed it.  This stage
works on the article as a whole, after the sentence stage:

1. **Counted days**: a lasting state (a closure, a strike) told with a count
   of its days ("closed for the fifth consecutive day on Thursday", "shut for
   three days", "reopened after a three-day closure") is dated from its first
   day (patterns and number words: ``geomap/lexicon/discourse.toml``).
2. **Headline mentions** (:mod:`geomap.zones` ``headline`` zones) are no
   incident of their own: one that has a counterpart of the same type in the
   body confirms it (its date, crossings and place fill what the body mention
   lacks) and is dropped; one without a counterpart stays, as the article's
   only mention of that event.
3. **Event coreference**: an undated mention that happened (certainty
   ``occurred``/``reported``) is a re-mention of a dated incident of the same
   type whose crossings and place do not contradict it (the nearest one
   before it in the text, else the nearest after it); it is merged into that
   incident, which gains what it lacked (place, crossings, casualties,
   actors).  Two dated incidents are never merged here: the sentence stage
   keeps separate events separate.
4. **Narrative time** (the usual TimeML anchoring of an event to the
   reference time of its passage): a mention still undated takes, in this
   order, the date of an incident told in the same sentence ("was closed on
   June 12 after troops traded fire"); a placed date of its own sentence that
   no incident took ("said in a statement on Monday that jets bombed ...");
   in the headline or the report's first paragraph, the report's time (the
   dateline's day, else the first dated incident of the body, else the
   reference date); else the narrative time of its passage, the latest point
   in time written before it (a dated incident or a date expression: "On
   Friday, officials objected ... In protest, they closed the border"); else
   the report's time.  A mention told as after that time ("was later
   opened") takes no day from it.  Its ``time_precision`` is one step vaguer
   than the anchor's (ACLED: 2 = within a few days) and a warning names the
   anchor.  A standing state ("remained open") is not a change and takes
   no date from its passage: the timeline knows it from the
   report's day (``known_from``).
5. **The article's crossing**: a status change told of "the border" or
   "the crossing" without a name (scope ``none``, ``place`` or ``border``)
   is about the crossing the article is about, when it names exactly one
   among its events and places (or one in its headline and lede); "all
   crossings" and counts of crossings are left alone.
6. **One reopening told twice on a day**: a reopening and a partial
   reopening of the same crossing on the same day are one change; the
   mention dated by its own words is the statement and the other a detail
   or a vague re-mention; when both are, the partial one wins (a vaguer
   clause never erases a more specific one about the same day).
7. **No contradiction**: a status change dated only from its passage is
   left undated when that day is the stated day of the opposite change at
   the same crossing ("reopened on Thursday, two weeks after the crossing was
   closed": the closure is not Thursday's), or, outside the headline and
   lede, when it is told before a dated opposite change yet would fall after
   it (a background state).

Only the mentions themselves change: planned, threatened, conditional and
negated events are never merged into facts nor dated from them.
"""

from __future__ import annotations

import bisect
import calendar
import dataclasses
import datetime as dt
import functools
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from geomap.dates import AFTER_REFERENCE, DateMention
from geomap.events.lexicon import ANAPHORIC_DETS, VIOLENT_GENERIC, VIOLENT_TYPES
from geomap.events.place import _rank, finer_location
from geomap.events.statements import _standing_open
from geomap.schema import EVENT_TYPES, LOCATION_FIELDS, Event, Place
from geomap.timeline import crossing_id_for, crossing_name
from geomap.zones import BODY, HEADLINE, Zone, zone_finder

__all__ = ["anchor_events"]

#: Certainties of events that happened (the ones the map draws as incidents).
FACTS = frozenset({"occurred", "reported"})
#: The sentence stage's warning for an event whose sentence gives no date.
_NO_DATE = "no date in the sentence"
#: The sentence stage's warnings for an undated event: no date in its sentence, or
#: only dates of other clauses ("no date of its own").
_UNDATED = (_NO_DATE, "no date of its own")
_VAGUER = {1: 2, 2: 3, 3: 3}
#: The fields that say when an event happened (copied together).
_DATE_FIELDS = ("date", "date_precision", "time_precision", "date_text")
#: A change told without its restriction, and the same change with it.
_VAGUE_OF, _SPECIFIC_OF = "reopening", "partial_reopening"
#: The crossing status each event type states (the same mapping as the sentence stage's).
_STATUS_OF = {"closure": "closed", "reopening": "open", "partial_reopening": "partial"}


_LEXICON = "discourse.toml"


@dataclass(frozen=True, slots=True)
class _Counts:
    lasting_types: frozenset[str]
    posterior: re.Pattern[str]
    elapsed_before: re.Pattern[str]
    lagging_types: frozenset[str]
    listed_types: frozenset[str]
    list_glue: re.Pattern[str]
    anterior: re.Pattern[str]
    nth_day: tuple[re.Pattern[str], ...]
    c_days: tuple[re.Pattern[str], ...]
    numbers: dict[str, int]


def _listed(data: dict, key: str, allowed: Sequence[str] | None = None) -> list[str]:
    """Give ``data[key]``, a non-empty list of non-empty strings (of ``allowed`` when given).

    Raises
    ------
    ValueError
        Naming the file and the key when it is not.
    """
    values = data.get(key)
    if (
        not isinstance(values, list)
        or not values
        or not all(isinstance(v, str) and v for v in values)
        or (allowed is not None and not set(values) <= set(allowed))
    ):
        of = f" of {', '.join(allowed)}" if allowed is not None else ""
        raise ValueError(f"{_LEXICON}: {key} must be a non-empty list of words{of}")
    return values


def counts_from(data: dict) -> _Counts:
    """
    Validate the parsed ``discourse.toml`` and compile its patterns.

    Raises
    ------
    ValueError
        Naming the file and key: a missing or empty table or list, a number
        that is not a positive integer, a pattern without its placeholder or
        that does not compile, an unknown event type.
    """
    types = _listed(data, "lasting_types", EVENT_TYPES)
    lagging = _listed(data, "lagging_types", EVENT_TYPES)
    listed_types = _listed(data, "listed_types", EVENT_TYPES)
    anterior = _listed(data, "anterior")
    posterior = _listed(data, "posterior")
    for key in ("elapsed_before", "list_glue"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise ValueError(f"{_LEXICON}: {key} must be a pattern string")
    numbers: dict[str, dict[str, int]] = {}
    for table in ("ordinals", "counts"):
        values = data.get(table)
        if not isinstance(values, dict) or not values:
            raise ValueError(f"{_LEXICON}: [{table}] must be a non-empty table of word = number")
        for word, n in values.items():
            if not isinstance(n, int) or isinstance(n, bool) or n < 1:
                raise ValueError(f"{_LEXICON}: [{table}] {word} must be a positive integer")
        numbers[table] = {w.lower(): n for w, n in values.items()}
    digits = data.get("patterns", {}).get("digits", {})
    if not isinstance(digits, dict) or not all(
        isinstance(digits.get(k), str) for k in ("ordinal", "count")
    ):
        raise ValueError(f"{_LEXICON}: [patterns.digits] must give ordinal and count patterns")
    ordinal = (
        "(?P<n>"
        + "|".join(sorted(numbers["ordinals"], key=len, reverse=True) + [digits["ordinal"]])
        + ")"
    )
    count = (
        "(?P<c>"
        + "|".join(sorted(numbers["counts"], key=len, reverse=True) + [digits["count"]])
        + ")"
    )
    compiled: dict[str, tuple[re.Pattern[str], ...]] = {}
    for key, slot, alt in (("nth_day", "{n}", ordinal), ("c_days", "{c}", count)):
        pats = data.get("patterns", {}).get(key)
        if not isinstance(pats, list) or not pats or not all(isinstance(p, str) for p in pats):
            raise ValueError(f"{_LEXICON}: [patterns] {key} must be a non-empty list of strings")
        out = []
        for p in pats:
            if slot not in p:
                raise ValueError(f"{_LEXICON}: [patterns] {key}: {p!r} has no {slot}")
            try:
                out.append(re.compile(p.replace(slot, alt), re.IGNORECASE))
            except re.error as err:
                raise ValueError(f"{_LEXICON}: [patterns] {key}: bad pattern {p!r}: {err}") from err
        compiled[key] = tuple(out)
    return _Counts(
        lasting_types=frozenset(types),
        elapsed_before=re.compile(data["elapsed_before"], re.IGNORECASE),
        lagging_types=frozenset(lagging),
        listed_types=frozenset(listed_types),
        list_glue=re.compile(data["list_glue"], re.IGNORECASE),
        anterior=re.compile(
            r"\b(?:" + "|".join(re.escape(w) for w in anterior) + r")(?:\s+\w+){0,3}\s*$",
            re.IGNORECASE,
        ),
        posterior=re.compile(
            r"\b(?:" + "|".join(re.escape(w) for w in posterior) + r")\b", re.IGNORECASE
        ),
        nth_day=compiled["nth_day"],
        c_days=compiled["c_days"],
        numbers={**numbers["counts"], **numbers["ordinals"]},
    )


@functools.cache
def _counts() -> _Counts:
    text = resources.files("geomap.lexicon").joinpath(_LEXICON).read_text(encoding="utf-8")
    return counts_from(tomllib.loads(text))


def _number(word: str, table: dict[str, int]) -> int | None:
    w = word.lower()
    if w in table:
        return table[w]
    digits = re.match(r"\d+", w)
    return int(digits.group(0)) if digits else None


def _counted_start(e: Event, told_with: Sequence[Event], published: dt.date | None) -> Event:
    """
    Date a lasting state from a count of its days told in its sentence.

    "closed for the fifth consecutive day on Thursday": day 5 is Thursday, so
    the closure began four days before; "shut for three days" (ongoing on the
    day reported) began two days before it; "reopened on Monday after a
    three-day closure" puts the closure three days before the reopening (one of
    ``told_with``, the incidents told in the same sentence).  The day reported
    is the mention's own day, else the reference date.
    """
    cues = _counts()
    if e.type not in cues.lasting_types or not _is_fact(e):
        return e
    if e.date is not None and e.date_precision != "day":
        return e
    told_day = next(
        (r.date for r in told_with if r.date and r.date_precision == "day" and _is_fact(r)), None
    )
    # the day reported: the mention's own, else that of an incident of its sentence
    # ("trade remained suspended on Sunday as the strike entered its fourth day")
    day = e.date or told_day
    reported = dt.date.fromisoformat(day) if day else published
    if reported is None:
        return e
    for p in cues.nth_day:
        m = p.search(e.sentence)
        if m and (n := _number(m.group("n"), cues.numbers)):
            start = reported - dt.timedelta(days=n - 1)
            why = f"start counted back from {m.group(0).strip()!r} on {reported.isoformat()}"
            return _counted(e, start, why)
    for p in cues.c_days:
        m = p.search(e.sentence)
        if not (m and (c := _number(m.group("c"), cues.numbers))):
            continue
        ended = [
            r
            for r in told_with
            if r.type in ("reopening", "partial_reopening")
            and r.date
            and r.date_precision == "day"
            and _is_fact(r)
        ]
        if ended:
            end = dt.date.fromisoformat(ended[0].date)
            return _counted(
                e,
                end - dt.timedelta(days=c),
                f"start counted back {c} days from the reopening on {end.isoformat()}",
            )
        head = e.sentence[: max(0, (e.trigger_start or e.end) - e.start)]
        if not cues.elapsed_before.search(head):
            return e  # "closed the border for two days": its planned length, not its age
        start = reported - dt.timedelta(days=c - 1)
        return _counted(
            e, start, f"start counted back from {m.group(0).strip()!r} on {reported.isoformat()}"
        )
    return e


#: Weekday names (the calendar's, in English).
_WEEKDAY_NAMES = re.compile(r"\b(?:" + "|".join(calendar.day_name) + r")\b", re.IGNORECASE)


def _not_after_report(e: Event, published: dt.date | None) -> Event:
    """
    Move a fact dated by a weekday after its report back to the latest such day.

    An incident that happened or is reported cannot postdate the report; a
    weekday resolved to the next week ("has closed the crossing on Wednesday"
    in a Wednesday article read as a week later) is the latest such weekday on
    or before the reference date.
    """
    if not (_is_fact(e) and published and e.date and e.date_precision == "day" and e.date_text):
        return e
    day = dt.date.fromisoformat(e.date)
    if day <= published or not _WEEKDAY_NAMES.search(e.date_text):
        return e
    while day > published:
        day -= dt.timedelta(days=7)
    warnings = tuple(w for w in e.warnings if AFTER_REFERENCE not in w)
    return dataclasses.replace(
        e,
        date=day.isoformat(),
        warnings=warnings
        + (f"{e.date_text!r} read as {day.isoformat()}: a fact is not after its report",),
    )


def _counted(e: Event, start: dt.date, why: str) -> Event:
    warnings = tuple(
        w for w in e.warnings if not w.startswith(_UNDATED) and "cannot be placed" not in w
    )
    return dataclasses.replace(
        e,
        date=start.isoformat(),
        date_precision="day",
        time_precision=1,
        warnings=warnings + (why,),
    )


def _is_fact(e: Event) -> bool:
    return e.certainty in FACTS


def _anaphoric_violence(e: Event) -> bool:
    """
    Tell whether a violent mention is a definite re-mention by a generic noun.

    "the strikes", "the bombing", "these attacks": a generic violent noun
    (triggers.toml violent_generic) after a definite or possessive determiner
    (grammar.toml anaphoric_dets); it names an incident told before, whatever
    type its own word suggests.
    """
    if e.type not in VIOLENT_TYPES or e.trigger_start is None:
        return False
    word = (e.trigger or "").lower().split()[-1:] or [""]
    lemma = word[0][:-1] if word[0].endswith("s") else word[0]
    if lemma not in VIOLENT_GENERIC and word[0] not in VIOLENT_GENERIC:
        return False
    before = e.sentence[: max(0, e.trigger_start - e.start)].lower().split()
    return bool(before) and before[-1] in ANAPHORIC_DETS


def _agree(a: Event, b: Event) -> bool:
    """Tell whether ``a`` and ``b`` can be mentions of one incident (type, crossings, place)."""
    if a.type != b.type and not (
        a.type in VIOLENT_TYPES
        and b.type in VIOLENT_TYPES
        and (_anaphoric_violence(a) or _anaphoric_violence(b))
    ):
        return False
    if a.crossings and b.crossings and not set(a.crossings) & set(b.crossings):
        return False
    if a.scope in ("crossings_all", "crossings_count") or b.scope in (
        "crossings_all",
        "crossings_count",
    ):
        if a.scope != b.scope and a.crossings and b.crossings:
            return False
    if a.location_id and b.location_id and a.location_id != b.location_id:
        # a crossing and the town or district it lies in are one site; a country
        # (province) and a place in it may be one ("struck Afghanistan ... hit
        # Barmal"); two places of one rank are two sites (one event per location)
        shared = bool(a.crossings and set(a.crossings) & set(b.crossings))
        return (
            shared
            or _rank(a.location_id) != _rank(b.location_id)
            and (finer_location(a, b) or finer_location(b, a))
        )
    return True


def _fill(target: Event, other: Event) -> Event:
    """
    Give ``target`` what it lacks, taken from ``other`` (a mention of the same incident).

    Place (also a finer place than its own: a district for a country),
    crossings, casualties and actors; never a qualifier: a detail told of
    one kind of traffic ("trade activities remained suspended") does not
    restrict the incident it belongs to ("the crossing remained closed").
    """
    changes: dict = {}
    if not target.crossings and other.crossings:
        changes.update(crossings=other.crossings, scope=other.scope)
    if finer_location(target, other):
        for f in LOCATION_FIELDS:
            changes[f] = getattr(other, f)
    if target.fatalities is None and other.fatalities is not None:
        changes.update(fatalities=other.fatalities, fatalities_text=other.fatalities_text)
    if target.injuries is None and other.injuries is not None:
        changes.update(injuries=other.injuries, injuries_text=other.injuries_text)
    extra = tuple(a for a in other.actors if a not in target.actors)
    if extra:
        changes["actors"] = target.actors + extra
    return dataclasses.replace(target, **changes) if changes else target


def _dated_from(
    e: Event, anchor_date: str, precision: str | None, tp: int | None, why: str
) -> Event:
    warnings = tuple(w for w in e.warnings if not w.startswith(_UNDATED)) + (why,)
    cues = _counts()
    head = e.sentence[: max(0, (e.trigger_start or e.end) - e.start)]
    if e.type in cues.lagging_types and precision == "day" and cues.anterior.search(head):
        # "resolved following discussions": some days before, in the anchor's month
        anchor_date, precision, tp = anchor_date[:7], "month", 3
        warnings += ("told as before its anchor: its month only",)
    return dataclasses.replace(
        e,
        date=anchor_date,
        date_precision=precision,
        time_precision=_VAGUER.get(tp or 1, 3),
        warnings=warnings,
    )


def anchor_events(
    events: Sequence[Event],
    zones: Sequence[Zone],
    *,
    published: dt.date | None,
    filed: str | None = None,
    places: Sequence[Place] = (),
    dates: Sequence[DateMention] = (),
) -> list[Event]:
    """
    Merge re-mentions of one incident and date mentions from their discourse.

    Parameters
    ----------
    events
        One article's events from :func:`geomap.events.extract_events`, in text
        order (offsets into the article text).
    zones
        The article's :func:`geomap.zones.page_zones`.
    published
        The article's reference date (the report's time when the lede names
        no dated incident), or None.
    filed
        The day the dateline gives (``YYYY-MM-DD``, :func:`geomap.zones.dateline_date`
        resolved against ``published``): the report's own time, which the
        lede's undated mentions take first.
    dates
        The article's date expressions (:func:`geomap.dates.find_dates`,
        absolute offsets): a placed date in a mention's own sentence that no
        incident took dates it, and each one moves the narrative time.
    places
        The article's resolved places: a status change told of "the border"
        or "the crossing" without a name is about the article's one crossing
        when the page names exactly one (in its headline or lede when it
        names several).

    Returns
    -------
    list of Event
        The events in text order, re-mentions merged into their incident
        (which keeps its own sentence and offsets as evidence), undated facts
        dated from their passage where the text allows it (with a warning
        naming the anchor).  Non-fact events are returned unchanged.
    """
    # 1. a fact is not after its report; counted days
    out = [_not_after_report(e, published) for e in events]
    out = [_counted_start(e, [r for r in out if r.start == e.start], published) for e in out]
    zone_of = zone_finder(zones)
    kinds = [(z.kind if (z := zone_of(e.start)) else BODY) for e in out]
    first_body = next((z for z in zones if z.kind == BODY), None)

    # 2. headline mentions confirm a body mention of the same incident
    drop: set[int] = set()
    for i, h in enumerate(out):
        if kinds[i] != HEADLINE or not _is_fact(h):
            continue
        body = [
            j for j, b in enumerate(out) if kinds[j] != HEADLINE and _is_fact(b) and _agree(b, h)
        ]
        if body:
            j = min(body, key=lambda j: (out[j].date is None, j))
            out[j] = _fill(out[j], h)
            if out[j].date is None and h.date is not None:
                out[j] = dataclasses.replace(out[j], **{f: getattr(h, f) for f in _DATE_FIELDS})
            drop.add(i)

    # 3. an undated re-mention joins the dated incident it refers to; so does a
    # definite re-mention of violence on the incident's own day ("the strikes on
    # December 24 hit seven villages")
    for i, u in enumerate(out):
        if i in drop or not _is_fact(u):
            continue
        if u.date is not None and not _anaphoric_violence(u):
            continue
        cands = [
            j
            for j, d in enumerate(out)
            if j not in drop
            and j != i
            and d.date
            and (u.date is None or (d.date == u.date and d.start < u.start))
            and _is_fact(d)
            and _agree(d, u)
        ]
        if not cands:
            continue
        before = [j for j in cands if out[j].start <= u.start]
        j = before[-1] if before else cands[0]
        out[j] = _fill(out[j], u)
        drop.add(i)

    # 4. narrative time for mentions still undated
    report_time = None
    if filed is not None:
        report_time = (filed, "day", 1, f"the dateline's day ({filed})")
    # the report's time is a day: a month-precise incident of the body ("closed
    # nearly two weeks ago") is background, not the day the lede's news happened
    dated_body = [
        e
        for k, e in zip(kinds, out, strict=True)
        if k == BODY and e.date and e.date_precision == "day" and _is_fact(e)
    ]
    if report_time is None and dated_body:
        d = dated_body[0]
        report_time = (
            d.date,
            d.date_precision,
            d.time_precision,
            f"the report's first dated incident ({d.type}, {d.date})",
        )
    elif report_time is None and published is not None:
        report_time = (
            published.isoformat(),
            "day",
            1,
            f"the reference date ({published.isoformat()})",
        )

    lede_end = first_body.end if first_body else -1
    anchored: set[int] = set()
    for i, u in enumerate(out):
        if i in drop or u.date is not None or not _is_fact(u) or _standing_open(u):
            continue
        same = [
            d
            for j, d in enumerate(out)
            if j != i and j not in drop and d.date and d.start == u.start
        ]
        own = [
            m for m in dates if u.start <= m.start < u.end and _time_point(m, published) is not None
        ]
        prior = [
            (d.start, d.date, d.date_precision, d.time_precision, f"{d.type}, {d.date}")
            for j, d in enumerate(out)
            if j not in drop
            and j not in anchored
            and d.date
            and _is_fact(d)
            and d.start < u.start
            and kinds[j] == BODY
        ]
        prior += [
            (m.start, *_time_point(m, published), f"{m.text!r}")
            for m in dates
            if m.start < u.start
            and _time_point(m, published) is not None
            and (z := zone_of(m.start)) is not None
            and z.kind == BODY
        ]
        prior.sort(key=lambda t: t[0])
        if same:
            d = same[0]
            out[i] = _dated_from(
                u,
                d.date,
                d.date_precision,
                d.time_precision,
                f"date from the incident told in the same sentence ({d.type}, {d.date})",
            )
        elif own:
            m = own[0]
            date, precision, tp = _time_point(m, published)
            out[i] = _dated_from(
                u, date, precision, tp, f"date from {m.text!r}, the date its sentence gives"
            )
        elif report_time and (kinds[i] == HEADLINE or u.start < lede_end):
            out[i] = _dated_from(
                u, *report_time[:3], f"date from {report_time[3]}: told in the headline or lede"
            )
        elif prior and _after_its_passage(u):
            out[i] = dataclasses.replace(
                u, warnings=u.warnings + (f"told as after {prior[-1][4]}: its day is not told",)
            )
            continue
        elif prior:
            _, date, precision, tp, label = prior[-1]
            out[i] = _dated_from(
                u, date, precision, tp, f"date from the narrative time of the passage ({label})"
            )
        elif report_time:
            out[i] = _dated_from(
                u, *report_time[:3], f"date from {report_time[3]}: no date told before it"
            )
        else:
            continue
        anchored.add(i)

    # a count of days told with a reopening the sentence stage or step 2 merged away
    # (a headline's "reopened after three-day closure"): counted from the reopening
    # incident of the same crossing, which may have been dated only just now
    for i, e in enumerate(out):
        if i in drop or not (e.date is None or i in anchored):
            continue
        peers = [
            r
            for k, r in enumerate(out)
            if k not in drop
            and k != i
            and (set(r.crossings) & set(e.crossings) or not r.crossings or not e.crossings)
        ]
        undated = dataclasses.replace(e, date=None, date_precision=None, time_precision=None)
        counted = _counted_start(undated, peers, published)
        if counted.date is not None:
            out[i] = counted
            anchored.discard(i)

    # 5. the article's crossing
    focal = _focal_crossing(out, places, zones, lede_end)
    if focal is not None:
        for i, e in enumerate(out):
            if (
                i not in drop
                and e.type in _STATUS_OF
                and not e.crossings
                and e.scope in ("none", "place", "border")
            ):
                out[i] = dataclasses.replace(
                    e,
                    crossings=(focal,),
                    scope="crossing",
                    warnings=e.warnings + (f"the crossing is the article's one crossing, {focal}",),
                )
    # an incident told with no place in the sentence of a located one is at that
    # place ("the border at Torkham was closed after troops traded fire"): cause
    # and effect told together happen together
    for i, e in enumerate(out):
        if i in drop or e.location_id is not None or not _is_fact(e):
            continue
        sites = [
            d
            for j, d in enumerate(out)
            if j not in drop and j != i and d.start == e.start and d.location_id and _is_fact(d)
        ]
        if sites:
            site = min(sites, key=lambda d: _rank(d.location_id))
            changes = {f: getattr(site, f) for f in LOCATION_FIELDS}
            out[i] = dataclasses.replace(
                e,
                **changes,
                warnings=e.warnings
                + (f"placed at {site.location}, the site of its sentence's {site.type}",),
            )

    # one event per location: an incident at a place told in a list of places of its
    # kind ("bombed Paktika and Khost provinces", "shells hit Dangam, Sheltan and
    # Marawara") happened at each of them
    extra: list[tuple[int, Event]] = []
    # resolved places by start: each event looks up its sentence's in log time
    by_start = sorted((p for p in places if p.resolved), key=lambda p: p.start)
    for i, e in enumerate(out):
        if (
            i in drop
            or not _is_fact(e)
            or e.type not in _counts().listed_types
            or not e.location_id
        ):
            continue
        for n, p in enumerate(_listed_with(e, by_start), start=2):
            extra.append(
                (
                    i,
                    _at_place(
                        dataclasses.replace(
                            e,
                            id=f"{e.id}-{n}" if e.id else e.id,
                            fatalities=None,
                            fatalities_text=None,
                            injuries=None,
                            injuries_text=None,
                        ),
                        p,
                        f"one event per location: {p.mention} is listed with {e.location}",
                    ),
                )
            )

    # an incident at a named crossing with no place of its own is at that crossing
    # (its mention's resolved point): "clashed at the Torkham border"
    for i, e in enumerate(out):
        if i in drop or e.location_id is not None or not e.crossings:
            continue
        cid = crossing_id_for(e.crossings[0])
        site = next(
            (
                p
                for p in places
                if p.resolved
                and p.lat is not None
                and crossing_id_for(p.name or p.mention, p.gazetteer_id) == cid
            ),
            None,
        )
        if cid is not None and site is not None:
            out[i] = _at_place(e, site, f"placed at the crossing it names, {site.name}")

    # 6. one reopening told twice on a day: a reopening and a partial reopening of the
    # same crossing on the same day are one change.  The mention dated by its own
    # words is the statement, the other a detail or a vague re-mention ("reopened
    # for pedestrians and traffic on Thursday ... pedestrians were permitted to
    # cross"); when both are, the specific (partial) one wins ("reopened for
    # freight vehicles on Wednesday ... the crossing reopened this morning"): a
    # vaguer clause never erases a more specific one about the same day.
    for i, r in enumerate(out):
        if i in drop or r.type != _VAGUE_OF or not _is_fact(r) or not r.date:
            continue
        for j, p in enumerate(out):
            if (
                j in drop
                or p.type != _SPECIFIC_OF
                or not _is_fact(p)
                or p.date != r.date
                or not (set(p.crossings) & set(r.crossings) or not (p.crossings or r.crossings))
            ):
                continue
            keep, lose = (i, j) if (i not in anchored and j in anchored) else (j, i)
            out[keep] = _fill(out[keep], out[lose])
            drop.add(lose)
            if lose == i:
                break

    # 7. a date from the passage never contradicts a stated one: a crossing that the
    # text says was opened (closed) on a day is not also closed (opened) that day
    # by a mention dated only from its passage, nor after that day by a mention
    # told before it outside the headline and lede (a background state: "had been
    # closed over the virus ... It reopened on Wednesday"; the lede tells the news
    # first, its background after it)
    for i in sorted(anchored):
        a = out[i]
        status = _STATUS_OF.get(a.type)
        if status is None or a.date is None:
            continue
        for j, d in enumerate(out):
            if j in anchored or j in drop or j == i or not d.date or not _is_fact(d):
                continue
            other = _STATUS_OF.get(d.type)
            same_site = (set(a.crossings) & set(d.crossings)) or not (a.crossings or d.crossings)
            if other is None or other == status or not same_site:
                continue
            same_day = d.date == a.date
            in_lede = kinds[i] == HEADLINE or a.start < lede_end  # the news itself
            overtakes = (
                not in_lede and a.start < d.start and _first_day(a.date) > _first_day(d.date)
            )
            if same_day or overtakes:
                why = "is the stated day of" if same_day else "is after the stated day of"
                out[i] = dataclasses.replace(
                    a,
                    date=None,
                    date_precision=None,
                    time_precision=None,
                    warnings=tuple(w for w in a.warnings if not w.startswith("date from"))
                    + (
                        f"{_NO_DATE}; its passage's day ({a.date}) {why} a {d.type} there: "
                        "left empty",
                    ),
                )
                break

    kept = [(i, e) for i, e in enumerate(out) if i not in drop]
    kept += [(i, e) for i, e in extra if i not in drop]
    return [e for _, e in sorted(kept, key=lambda t: t[0])]


def _at_place(e: Event, p: Place, why: str) -> Event:
    """Give ``e`` placed at the resolved place ``p`` (admin fields are joined later)."""
    return dataclasses.replace(
        e,
        location=p.name or p.mention,
        location_id=p.gazetteer_id,
        lat=p.lat,
        lon=p.lon,
        geo_precision=p.geo_precision,
        country=p.country,
        admin1=None,
        admin2=None,
        dist_border_km=None,
        warnings=e.warnings + (why,),
    )


def _listed_with(e: Event, places: Sequence[Place]) -> list[Place]:
    """
    Give the other places of the list the incident's place is told in, or [].

    Places of its sentence joined to its place by list glue only (", ", " and
    ", ", and ") and of the same rank (two districts, two provinces), resolved.
    ``places`` are the resolved places sorted by start.
    """
    lo = bisect.bisect_left(places, e.start, key=lambda p: p.start)
    hi = bisect.bisect_right(places, e.end, key=lambda p: p.start)
    here = [p for p in places[lo:hi] if p.end <= e.end]
    at = next((k for k, p in enumerate(here) if p.gazetteer_id == e.location_id), None)
    if at is None:
        return []
    chain = [here[at]]
    for step in (-1, 1):
        k = at
        while 0 <= k + step < len(here):
            a, b = (here[k + step], here[k]) if step < 0 else (here[k], here[k + step])
            glue = e.sentence[a.end - e.start : b.start - e.start]
            nxt = here[k + step]
            if not _counts().list_glue.fullmatch(glue) or _rank(nxt.gazetteer_id) != _rank(
                e.location_id
            ):
                break
            chain.append(nxt)
            k += step
    ids = {e.location_id}
    out = []
    for p in chain[1:]:
        if p.gazetteer_id not in ids:
            ids.add(p.gazetteer_id)
            out.append(p)
    return out


def _after_its_passage(e: Event) -> bool:
    """Tell whether the mention puts itself after the time told before it ("was later opened")."""
    head = e.sentence[: max(0, (e.trigger_start or e.end) - e.start)]
    return bool(_counts().posterior.search(head))


def _first_day(value: str) -> dt.date:
    """Give the first day of a ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` date."""
    parts = [int(x) for x in value.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def _time_point(m: DateMention, published: dt.date | None) -> tuple[str, str, int] | None:
    """
    Give the (date, precision, time_precision) a date expression sets the narrative time to.

    Only a placed point in time does ("on Monday", "in early March", "last
    week"): not a start or end ("since 2007", "until Friday"), not a span, not
    a year alone (too coarse to date an incident), not a day after the
    reference date (an incident cannot postdate its report).
    """
    v = m.value
    if (
        v is None
        or m.relation != "at"
        or v.end is not None
        or v.precision not in ("day", "week", "month")
    ):
        return None
    if published is not None and v.first_day > published:
        return None
    return v.value, v.precision, v.time_precision


def _focal_crossing(
    events: Sequence[Event], places: Sequence[Place], zones: Sequence[Zone], lede_end: int
) -> str | None:
    """
    Give the crossing the article is about, or None.

    The crossings named by its events and places (a crossing, or a town that
    gives a crossing its name: "the border in Chaman"); with several, the one
    named in the headline or lede, when that is one.
    """
    named: list[tuple[int, str | None]] = []
    for e in events:
        named += [(e.start, crossing_id_for(c)) for c in e.crossings]
    for p in places:
        if p.resolved:
            named.append((p.start, crossing_id_for(p.name or p.mention, p.gazetteer_id)))
    ids = {cid for _, cid in named if cid}
    if len(ids) == 1:
        return crossing_name(ids.pop())
    head_end = max([z.end for z in zones if z.kind == HEADLINE] + [lede_end])
    early = {cid for start, cid in named if cid and start < head_end}
    if len(early) == 1:
        return crossing_name(early.pop())
    return None
