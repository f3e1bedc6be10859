"""Dates of events: attaching date expressions to triggers, and relative dating.

Step 3 of the method (:mod:`geomap.events`): each date expression goes to
the trigger that governs it (:func:`_attach_dates`); undated events are then
dated from stated relations to other events or dates ("two days after the
attack", "has since reopened", "a day after talks ended").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from geomap.dates import DateMention
from geomap.events.arguments import _int
from geomap.events.guards import is_copula, report_verb
from geomap.events.lexicon import (
    AFTER,
    BEGIN,
    DATING_VERBS,
    EFFECTIVE,
    HEDGES,
    MEASURE,
    NUMBER_WORDS,
    PASSAGE_VERBS,
    PERMIT,
    REPORT_VERBS,
    SAME_DAY_MEASURE,
    SINCE,
    START_VERBS,
    STATUS,
    TIME_OF_DAY,
    VIOLENT_GENERIC,
    VIOLENT_TYPES,
    WEEK_UNITS,
    WHEN,
)
from geomap.events.syntax import _clause, _dist, _phrase_path
from geomap.events.triggers import _Cand
from geomap.schema import Event, Place


def _dated_before_a_dated_clause(
    built: list[tuple[Event, _Cand]], dates: Sequence[DateMention], offset: int
) -> list[tuple[Event, _Cand]]:
    """
    Date an event from the dated clause that its "N days after" phrase modifies.

    "Kabul on Wednesday rejected the charge, a day after talks in Doha ended":
    an undated event inside "<N days/a day> after ..." takes the day of the
    clause that phrase modifies (the first governing verb with a day-precision
    date of its own, outside the "after" phrase) minus N.
    """
    out = list(built)
    for n, (e, c) in enumerate(built):
        if e.date is not None:
            continue
        prep = next((a for a in c.tok.ancestors if a.lower_ in AFTER and a.dep_ == "prep"), None)
        clause = c.tok.head if c.tok.dep_ in ("nsubj", "nsubjpass") else c.tok
        if prep is not None and prep.head.dep_ == "npadvmod":
            # "a day after a round of talks": the phrase hangs from the measure noun
            measure, start, inside = prep.head, prep.head, {t.i for t in prep.subtree}
        elif clause.dep_ == "advcl" and any(
            m.dep_ == "mark" and m.lower_ in AFTER for m in clause.children
        ):
            # "a day after talks ended": a clause with its measure
            found = next((ch for ch in clause.children if ch.dep_ == "npadvmod"), None)
            if found is None:
                continue
            measure, start, inside = found, clause, {t.i for t in clause.subtree}
        else:
            continue
        words = " ".join(t.text for t in measure.subtree if t.i <= measure.i)
        m = MEASURE.match(words)
        days = m and (_int(m.group(1)) or NUMBER_WORDS.get(m.group(1).lower()))
        if not m or not days or m.group(2).lower().startswith(WEEK_UNITS):
            continue
        anchor = None
        for verb in start.ancestors:
            if verb.pos_ in ("VERB", "AUX"):
                anchor = _verb_day(verb, c.sent, dates, offset, inside)
                if anchor is not None:
                    break
        if anchor is None or anchor.value is None:
            continue
        day = dt.date.fromisoformat(anchor.value.value) - dt.timedelta(days=days)
        dated = _on_day(e, anchor, f"dated {days} days before {anchor.text!r}")
        out[n] = (dataclasses.replace(dated, date=day.isoformat(), date_text=words), c)
    return out


def _dated_by_report_day(
    built: list[tuple[Event, _Cand]], dates: Sequence[DateMention], offset: int
) -> list[tuple[Event, _Cand]]:
    """
    Date an undated event told with a bare time of day by the day of its report.

    "Officials said on Tuesday that aircraft struck houses overnight": a time
    of day with no day in the event's own clause (:data:`TIME_OF_DAY`) takes
    the day-precision date of the reporting verb that governs the clause (gold
    annotation rules, tests/data/gold/README.md); a warning says so.  Without
    such a time expression the event stays undated (the report's day is not
    the event's).
    """
    out = list(built)
    for n, (e, c) in enumerate(built):
        if e.date is not None or c.tok.pos_ not in ("VERB", "AUX"):
            continue
        clause = _clause(c.tok)
        if not any(t.lower_ in TIME_OF_DAY for t in clause):
            continue
        report = report_verb(c.tok)
        dm = _verb_day(report, c.sent, dates, offset) if report is not None else None
        if dm is not None:
            out[n] = (_on_day(e, dm, f"a time of day told on {dm.text!r}: that day"), c)
    return out


def _verb_day(
    verb: Any, sent: Any, dates: Sequence[DateMention], offset: int, inside: set[int] = frozenset()
) -> DateMention | None:
    """
    Find the day-precision date written on ``verb`` itself ("said on Tuesday").

    The date's root hangs from the verb or from a preposition of it; dates
    whose root is in ``inside`` (token indices) are not considered.
    """
    for dm in dates:
        if dm.value is None or dm.value.precision != "day" or dm.relation != "at":
            continue
        span = sent.doc.char_span(dm.start - offset, dm.end - offset, alignment_mode="expand")
        if span is None or span.root.i in inside or not sent.start <= span.root.i < sent.end:
            continue
        head = span.root.head
        if head.i == verb.i or (head.dep_ == "prep" and head.head.i == verb.i):
            return dm
    return None


#: The fields that say when an event happened (copied together from one event to another).
_DATE_FIELDS = ("date", "date_precision", "time_precision", "date_text")


def _date_of(e: Event) -> dict[str, Any]:
    """Return the :data:`_DATE_FIELDS` of ``e`` as keyword arguments."""
    return {f: getattr(e, f) for f in _DATE_FIELDS}


def _dated_as(e: Event, anchor: Event, why: str) -> Event:
    """``e`` with the date fields of event ``anchor``, with ``why`` as a warning."""
    return dataclasses.replace(
        e,
        **_date_of(anchor),
        warnings=tuple(w for w in e.warnings if "no date" not in w) + (why,),
    )


def _on_day(e: Event, dm: DateMention, why: str) -> Event:
    """``e`` dated on the day of ``dm`` (day precision), with ``why`` as a warning."""
    return dataclasses.replace(
        e,
        date=dm.value.value if dm.value else None,
        date_precision="day",
        time_precision=1,
        date_text=dm.text,
        warnings=tuple(w for w in e.warnings if "no date" not in w) + (why,),
    )


def _dated_by_bare_since(
    built: list[tuple[Event, _Cand]], dates: Sequence[DateMention], offset: int
) -> list[tuple[Event, _Cand]]:
    """
    Date a status event modified by a bare "since" from the date written before it.

    "The sit-in ended on Monday, and traffic has since returned to normal": an
    undated closure/reopening modified by a bare "since" (an adverb with no
    object) dates from the last day-precision date written before it in its
    sentence (a warning says so).
    """
    out = list(built)
    for n, (e, c) in enumerate(built):
        if e.date is not None or e.type not in STATUS:
            continue
        heads = [c.tok] + ([c.tok.head] if c.tok.dep_ in ("acomp", "xcomp", "pobj") else [])
        if not any(
            ch.lower_ in SINCE and ch.dep_ == "advmod" and not list(ch.children)
            for h in heads
            for ch in h.children
        ):
            continue
        lo = c.sent.start_char + offset
        before = [
            dm
            for dm in dates
            if lo <= dm.start < c.tok.idx + offset
            and dm.value is not None
            and dm.value.precision == "day"
            and dm.relation == "at"
        ]
        if before:
            dm = before[-1]
            out[n] = (_on_day(e, dm, f"'since' read as since {dm.text!r}"), c)
    return out


def _dated_by_first_passage(
    built: list[tuple[Event, _Cand]],
    places: Sequence[Place],
    dates: Sequence[DateMention],
    offset: int,
) -> list[tuple[Event, _Cand]]:
    """
    Date an undated reopening by the first passage that the next sentences date.

    "Pakistan has partially reopened Torkham to refugees. Refugees started
    crossing at Torkham on Saturday": a passage verb (:data:`PASSAGE_VERBS`)
    under "start"/"begin", at one of the reopening's crossings, within the next
    two sentences, with a day-precision date in its clause, dates the
    reopening (a warning says so).
    """
    out = list(built)
    for n, (e, c) in enumerate(built):
        if (
            e.date is not None
            or e.type not in ("reopening", "partial_reopening")
            or e.certainty not in ("occurred", "reported")
            or not e.crossings
        ):
            continue
        sents = list(c.sent.doc.sents)
        k = next(i for i, s in enumerate(sents) if s.start == c.sent.start)
        for sent in sents[k + 1 : k + 3]:
            lo, hi = sent.start_char + offset, sent.end_char + offset
            named = {p.name or p.mention for p in places if lo <= p.start < hi and p.resolved}
            if not named & set(e.crossings):
                continue
            verbs = [
                t
                for t in sent
                if t.lemma_.lower() in PASSAGE_VERBS
                and t.head.lemma_.lower() in BEGIN
                and t.dep_ in ("xcomp", "ccomp")
            ]
            for v in verbs:
                clause = {t.i for t in v.head.subtree}
                for dm in dates:
                    if not (lo <= dm.start < hi) or dm.value is None or dm.value.precision != "day":
                        continue
                    span = sent.doc.char_span(
                        dm.start - offset, dm.end - offset, alignment_mode="expand"
                    )
                    if span is not None and span.root.i in clause:
                        why = f"dated by the first passage: {v.head.text} {v.text} {dm.text}"
                        out[n] = (_on_day(e, dm, why), c)
                        break
                if out[n][0] is not e:
                    break
            if out[n][0] is not e:
                break
    return out


def _measure_days(after: Any) -> tuple[int, str] | None:
    """
    Read (days, precision) from the measure phrase ("two days after", "nearly two weeks after").

    "Hours/minutes after" is the same day: (0, "day").
    """
    for ch in after.children:
        if ch.dep_ == "npadvmod" and SAME_DAY_MEASURE.match(" ".join(t.text for t in ch.subtree)):
            return 0, "day"
        if ch.dep_ == "npadvmod":
            m = MEASURE.match(" ".join(t.text for t in ch.subtree))
            if m:
                n = _int(m.group(1)) or NUMBER_WORDS.get(m.group(1).lower())
                if n:
                    week = m.group(2).lower().startswith(WEEK_UNITS)
                    hedge = next(iter(ch.subtree)).lower_
                    exact = not week and hedge not in HEDGES
                    return n * (7 if week else 1), "day" if exact else "week"
    return None


def _redate(e: Event, anchor: Event, days: int, precision: str, why: str) -> Event:
    day = dt.date.fromisoformat(anchor.date or "") + dt.timedelta(days=days)
    return dataclasses.replace(
        e,
        date=day.isoformat(),
        date_precision=precision,
        time_precision=1 if precision == "day" else 2,
        warnings=tuple(w for w in e.warnings if "no date" not in w and "cannot be placed" not in w)
        + (why,),
    )


def _after_preps(tok: Any) -> list[tuple[Any, tuple[int, str] | None]]:
    """
    List the "after" prepositions of a trigger with their measure.

    "two days after X" (the measure under "after") or "Hours after X" (parsed
    with "after" under the measure noun).
    """
    out = []
    for ch in tok.children:
        if ch.dep_ == "prep" and ch.lower_ in AFTER:
            out.append((ch, _measure_days(ch)))
        elif ch.dep_ == "npadvmod":
            for p in ch.children:
                if p.dep_ == "prep" and p.lower_ in AFTER:
                    words = " ".join(t.text for t in ch.subtree if t.i < p.i)
                    if SAME_DAY_MEASURE.match(words):
                        out.append((p, (0, "day")))
                    else:
                        m = MEASURE.match(words)
                        n = m and (_int(m.group(1)) or NUMBER_WORDS.get(m.group(1).lower()))
                        if m and n:
                            week = m.group(2).lower().startswith(WEEK_UNITS)
                            out.append((p, (n * (7 if week else 1), "week" if week else "day")))
    return out


def _dated_from_own_after(
    n: int, built: list[tuple[Event, _Cand]], out: list[tuple[Event, _Cand]], by_tok: dict
) -> Event | None:
    """
    Date an event from the event its own "N days/hours after" names.

    "Hours after the blast, the authorities suspended all movement": an undated
    event with its own "N days/hours after <event>" takes that event's day plus N.

    The anchor is the trigger under "after" when it is dated, else (a
    re-mention: "the blast") the nearest earlier dated event of the same type.
    """
    e, c = built[n]
    for ch, measure in _after_preps(c.tok):
        objs = [g for g in ch.children if g.dep_ == "pobj" and g.i in by_tok]
        if measure is None or not objs:
            continue
        k = by_tok[objs[0].i]
        ae, ac = out[k]
        anchor = ae if ae.date else None
        if anchor is None and ac.anaphoric:
            anchor = next((o for o, _oc in reversed(out[:k]) if o.type == ae.type and o.date), None)
        if anchor is None or anchor.date_precision != "day":
            continue
        return _redate(
            e,
            anchor,
            measure[0],
            measure[1],
            f"dated {measure[0]} days after the {anchor.type} of {anchor.date}",
        )
    return None


def _dated_from_participle(
    n: int, built: list[tuple[Event, _Cand]], out: list[tuple[Event, _Cand]]
) -> Event | None:
    """
    Date a participle clause as the event its governing verb is or governs.

    "staged a sit-in on Wednesday, blocking the road to the gate": an undated
    event whose trigger is a participle clause (``advcl`` VBG) of a verb takes
    the date of the dated event that verb governs (its subject/object) or is.
    """
    e, c = built[n]
    tok = c.tok
    if not (tok.dep_ == "advcl" and tok.tag_ == "VBG"):
        return None
    head = tok.head
    for o, oc in out:
        if (
            o.date
            and oc.tok is not tok
            and (
                oc.tok.i == head.i
                or (oc.tok.head.i == head.i and oc.tok.dep_ in ("dobj", "nsubj", "nsubjpass"))
            )
        ):
            return _dated_as(e, o, f"dated as the {o.type} its clause depends on")
    return None


def _relative_to_events(built: list[tuple[Event, _Cand]]) -> list[tuple[Event, _Cand]]:
    """
    Date events placed relative to another event of the text.

    - "reopened on Monday, two weeks after it was shut": an undated event under
      "N days/weeks after" takes the governing event's day minus N (precision
      ``day`` for a count of days, ``week`` for weeks or a hedged count);
    - "The strikes came two days after a suicide attack": the governor is not a
      trigger but its subject re-mentions an earlier dated event, which is then
      the anchor;
    - "Trade has resumed after the terminal was closed from 2 June until 9
      June": an undated reopening whose "after" clause holds a closure interval
      takes the interval's end.
    Day arithmetic only from day-precision anchors; everything else stays None.
    """
    by_tok = {c.tok.i: n for n, (_e, c) in enumerate(built)}
    out = list(built)
    for n, (e, c) in enumerate(built):
        tok = c.tok
        if e.date is None and e.type in ("reopening", "partial_reopening"):
            for ch in tok.children:
                if ch.dep_ == "advcl" and any(m.lower_ in AFTER for m in ch.children):
                    k = by_tok.get(ch.i)
                    if k is not None and built[k][0].type == "closure" and built[k][0].date_end:
                        end = built[k][0].date_end
                        out[n] = (
                            dataclasses.replace(
                                e,
                                date=end,
                                date_precision="day" if len(end) == 10 else "month",
                                time_precision=1 if len(end) == 10 else 3,
                                warnings=tuple(w for w in e.warnings if "no date" not in w),
                            ),
                            c,
                        )
            continue
        if e.date is not None:
            continue
        dated = _dated_from_own_after(n, built, out, by_tok) or _dated_from_participle(
            n, built, out
        )
        if dated is not None:
            out[n] = (dated, c)
            continue
        after = gov = clause = None
        if tok.dep_ == "pobj" and tok.head.lower_ in AFTER:
            after, gov = tok.head, tok.head.head
        else:
            # "after it was shut" (the trigger heads the clause) or "after a suicide
            # attack killed five soldiers" (the trigger is the clause's subject)
            clause = tok if tok.dep_ == "advcl" else tok.head if tok.dep_ == "nsubj" else None
            if clause is not None and clause.dep_ == "advcl":
                after = next(
                    (m for m in clause.children if m.dep_ == "mark" and m.lower_ in AFTER), None
                )
                gov = clause.head
        if after is None or gov is None:
            continue
        measure = _measure_days(after) or (_measure_days(clause) if clause is not None else None)
        if measure is None:
            continue
        anchor = None
        k = by_tok.get(gov.i)
        if k is not None and k < n + 10:
            anchor = out[k][0]
        else:
            subj = [ch for ch in gov.children if ch.dep_ == "nsubj" and ch.i in by_tok]
            if subj:
                sc = built[by_tok[subj[0].i]]
                # a generic noun ("the strikes", "the attack") re-mentions an
                # earlier violent event of any type, the same type first
                kinds = {sc[0].type}
                if sc[0].type in VIOLENT_TYPES and sc[1].tok.lemma_.lower() in VIOLENT_GENERIC:
                    kinds |= set(VIOLENT_TYPES)
                earlier = [
                    o
                    for o, oc in reversed(out[: by_tok[subj[0].i]])
                    if o.type in kinds and o.date and sc[1].anaphoric
                ]
                earlier.sort(key=lambda o: o.type != sc[0].type)  # stable: nearest first
                anchor = sc[0] if sc[0].date else (earlier[0] if earlier else None)
        if anchor is None or not anchor.date or anchor.date_precision != "day":
            continue
        day = dt.date.fromisoformat(anchor.date) - dt.timedelta(days=measure[0])
        out[n] = (
            dataclasses.replace(
                e,
                date=day.isoformat(),
                date_precision=measure[1],
                time_precision=1 if measure[1] == "day" else 2,
                warnings=tuple(
                    w for w in e.warnings if "no date" not in w and "cannot be placed" not in w
                )
                + (f"dated {measure[0]} days before the {anchor.type} of {anchor.date}",),
            ),
            c,
        )
    return out


def _dated_since_event(built: list[tuple[Event, _Cand]]) -> list[tuple[Event, _Cand]]:
    """
    Date a status from the dated event its "since" names.

    "has been closed since a clash there on 2 November", "shut since militants
    attacked a post on 3 March": an undated closure/reopening whose "since"
    phrase or clause is a dated event of the text holds from that event's date
    (same precision; a warning names the event).
    """
    by_tok = {c.tok.i: n for n, (_e, c) in enumerate(built)}
    out = list(built)
    for n, (e, c) in enumerate(built):
        if e.date is not None or e.type not in STATUS:
            continue
        since = [
            g.i
            for ch in c.tok.children
            if ch.dep_ == "prep" and ch.lower_ in SINCE
            for g in ch.children
            if g.dep_ == "pobj"
        ] + [
            ch.i
            for ch in c.tok.children
            if ch.dep_ == "advcl"
            and any(m.lower_ in SINCE for m in ch.children if m.dep_ == "mark")
        ]
        anchor = next(
            (built[by_tok[i]][0] for i in since if i in by_tok and built[by_tok[i]][0].date), None
        )
        if anchor is None:
            continue
        why = f"dated from the {anchor.type} of {anchor.date} ('since')"
        out[n] = (_dated_as(e, anchor, why), c)
    return out


def _attach_dates(sent: Any, cands: list[_Cand], dates: Sequence[DateMention], offset: int) -> None:
    """
    Give each date expression of ``sent`` to the trigger that governs it.

    Walking up from the date: the first trigger met owns it; a verb that is not
    a trigger owns it for a trigger that is its subject/object/complement
    ("staged a rally on Monday", "remained closed on Monday"), else for the
    nearest trigger it governs ("triggered by explosions in Kabul on 9 October");
    a reporting verb ("officials said on Monday") keeps its date (the report's,
    not the event's).  A date under no verb goes to the nearest trigger in the tree.
    """
    if not cands:
        return
    doc = sent.doc
    by_tok = {t.i: c for c in cands for t in c.span}
    for dm in dates:
        if not (sent.start_char + offset <= dm.start < sent.end_char + offset):
            continue
        span = doc.char_span(dm.start - offset, dm.end - offset, alignment_mode="expand")
        if span is None:
            continue
        inside = {t.i for t in span}
        owner: _Cand | None = None
        decided = False
        told = _when_clause_trigger(span.root, by_tok)
        if told is not None:
            told.dates.append(dm)  # "It began on 3 November, when troops clashed ..."
            continue
        for anc in span.root.ancestors:
            if anc.i in inside:
                continue
            if anc.i in by_tok:
                owner, decided = by_tok[anc.i], True
                break
            if is_copula(anc):
                # a copula's date belongs to its state complement ("was open on
                # 22 November", "is still shut today"), not to the reporting verb above
                state = [
                    by_tok[ch.i]
                    for ch in anc.children
                    if ch.i in by_tok and ch.dep_ in ("acomp", "attr", "oprd")
                ]
                if state:
                    owner, decided = state[0], True
                    break
            if anc.dep_ == "relcl" and anc.head.i not in by_tok:
                # "closed the crossing, which had been open since November": the date
                # is the relative clause's own, not the governing trigger's
                decided = True
                break
            # a "verb" in a nominal slot is a mis-tagged noun ("through the Torkham crossing")
            if (
                anc.pos_ in ("VERB", "AUX")
                and not is_copula(anc)
                and anc.dep_ not in ("pobj", "dobj", "nsubj", "nsubjpass", "compound")
            ):
                decided = True
                args = [
                    by_tok[ch.i]
                    for ch in anc.children
                    if ch.i in by_tok
                    and ch.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "acomp", "xcomp", "oprd")
                ]
                if args:
                    owner = args[0]
                    break
                if anc.lemma_.lower() in REPORT_VERBS:
                    break
                if (
                    anc.dep_ == "acl"
                    and anc.tag_ == "VBN"
                    and anc.lemma_.lower() in DATING_VERBS
                    and anc.head.i not in by_tok
                ):
                    # "a second notice dated 13/10/2023 ordered the deportation": the
                    # document's date goes to what its clause tells
                    decided = False
                    continue
                if anc.dep_ in ("relcl", "acl") and anc.head.i in by_tok:
                    owner = by_tok[anc.head.i]  # "a closure that began on 1 September"
                    break
                starting = anc.lemma_.lower() in BEGIN | EFFECTIVE
                if starting and anc.tag_ in ("VBG", "VBN", "JJ"):
                    # "would open ... starting in June", "reopen for trade starting in March"
                    up = next(
                        (
                            a
                            for a in list(anc.ancestors)[:3]
                            if a.i in by_tok or a.pos_ in ("VERB", "AUX")
                        ),
                        None,
                    )
                    if up is not None and up.i in by_tok:
                        owner = by_tok[up.i]
                        break
                if (
                    anc.dep_ in ("ccomp", "xcomp")
                    and anc.head.i in by_tok
                    and anc.head.lemma_.lower() in PERMIT
                ):
                    owner = by_tok[anc.head.i]  # "let pedestrians cross on Friday"
                    break
                if anc.dep_ in ("xcomp", "pcomp") and not any(
                    a.i == anc.i for c in cands for a in c.tok.ancestors
                ):
                    decided = False  # "reopened ... to trade on 15 September": keep climbing
                    continue
                under = [c for c in cands if _phrase_path(c.tok, anc)]
                if under:
                    owner = min(under, key=lambda c: _dist(span.root, c.tok))
                break
        if not decided:
            owner = min(cands, key=lambda c: _dist(span.root, c.tok))
        if owner is not None:
            owner.dates.append(dm)


def _when_clause_trigger(root: Any, by_tok: dict[int, _Cand]) -> _Cand | None:
    """
    Find the trigger of a "when" clause that a date introduces (None if there is none).

    "It began on 3 November, when troops clashed at Kharlachi": the clause
    describes the day itself (spaCy hangs it on the date as ``relcl``, or on
    the verb of beginning as ``advcl``), so its trigger owns the date.  Only
    the date's own clause, or one under a verb of beginning/starting whose
    subject is not itself an event ("It began", "The crisis started"), counts.
    """

    def when_child(head: Any) -> _Cand | None:
        for ch in head.children:
            if (
                ch.dep_ in ("relcl", "advcl", "acl")
                and ch.i in by_tok
                and any(g.lower_ in WHEN and g.i < ch.i for g in ch.children)
            ):
                return by_tok[ch.i]
        return None

    up = root.head
    if up.dep_ == "prep":
        up = up.head
    if up.i in by_tok:
        return None  # "It was last closed in February, when guards exchanged fire": the closure's
    found = when_child(root)
    if found is not None:
        return found
    if (
        up.lemma_.lower() in START_VERBS
        and up.i not in by_tok
        and root.dep_ in ("pobj", "npadvmod")
        and not any(ch.i in by_tok for ch in up.children if ch.dep_ in ("nsubj", "nsubjpass"))
    ):
        return when_child(up)
    return None


def _own_date(c: _Cand, dm: DateMention, offset: int) -> bool:
    """
    Tell whether date ``dm`` is written in the trigger's own clause.

    False when the walk up from the date to the trigger passes another verb
    ("reopened today after closing it on 11 January": the date is closing's).
    """
    doc = c.sent.doc
    span = doc.char_span(dm.start - offset, dm.end - offset, alignment_mode="expand")
    if span is None:
        return True
    for anc in span.root.ancestors:
        if anc.i == c.tok.i:
            return True
        if anc.pos_ in ("VERB", "AUX") and not is_copula(anc) and anc.i not in {t.i for t in span}:
            return any(a.i == anc.i for a in c.tok.ancestors)  # a governor of the trigger
    return True
