"""Arguments of an event: casualty counts, actors and qualifiers of a partial status.

Step 5 of the method (:mod:`geomap.events`), from the tables of
``lexicon/casualties.toml``, ``lexicon/actors.toml`` and ``lexicon/qualifiers.toml``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import Any

from geomap.events.guards import sides_of
from geomap.events.lexicon import (
    ACTORS,
    ADJ_ACTORS,
    ALL_TRAFFIC,
    BORDER_HEADS,
    BOUND_PREPS,
    BOUNDS,
    CLOSED_TO_PREPS,
    CONTRAST,
    DIE,
    GENERAL_TRAFFIC,
    HURT_AFTER,
    HURT_BEFORE,
    HURT_LEMMAS,
    INSTITUTION,
    KILL,
    KILL_AFTER,
    KILL_BEFORE,
    KILL_LEMMAS,
    NOT_CASUALTY_NUMBERS,
    NOT_COUNTS,
    NOT_NUMBERS,
    NUMBER_WORDS,
    PERMIT,
    PURPOSE_LEMMAS,
    QUALIFIER_WORDS,
    QUALIFIERS,
    SHARED_ADJECTIVE,
    SUBSET_WORDS,
    TEMPORAL_PREPS,
    VAGUE_NUM,
    VICTIM_NOUNS,
    VIOLENT_TYPES,
)
from geomap.events.syntax import _dist
from geomap.events.triggers import _Cand
from geomap.schema import Event


def _int(text: str) -> int | None:
    t = text.lower().replace(",", "").strip()
    if t.isdigit():
        return int(t)
    return NUMBER_WORDS.get(t) if t not in NOT_NUMBERS else None


#: Casualty figures above this are not read as numbers (kept as words only): no
#: border incident comes near it, and a hostile "99999999999999999999 killed" must
#: not reach the store as an integer.
_MAX_COUNT = 1_000_000


def _in_including(t: Any) -> bool:
    """Tell whether a number is in an "including" apposition ("nine, including four children")."""
    return any(a.lower_ in SUBSET_WORDS for a in t.ancestors if a.sent == t.sent)


def _subject_of(t: Any) -> str | None:
    """
    Say "dead"/"hurt" when the number's noun is the subject of kill/wound, else None.

    "nine people were killed" -> "dead".
    """
    noun = t.head if t.dep_ in ("nummod", "quantmod", "amod", "compound") else t
    if noun.dep_ not in ("nsubj", "nsubjpass"):
        return None
    lemma = noun.head.lemma_.lower()
    return "dead" if lemma in KILL_LEMMAS else "hurt" if lemma in HURT_LEMMAS else None


def _casualties(
    sent: Any, tok: Any = None, others: Sequence[Any] = ()
) -> tuple[int | None, str | None, int | None, str | None]:
    """
    (fatalities, words, injuries, words) stated in a sentence.

    A count inside an "including" apposition is a subset, never the total
    ("nine people, including four children, were killed" → 9).  With ``tok``
    (the trigger) and ``others`` (the other violent triggers of the sentence),
    a count nearer in the dependency tree to another trigger belongs to that
    trigger's clause ("the strike came two days after an attack that killed
    five": the five belong to the attack).
    """
    toks = list(sent)
    found: dict[str, tuple[int | None, str]] = {}
    for i, t in enumerate(toks):
        low = t.lower_
        is_num = t.like_num or low in VAGUE_NUM
        if not is_num or low in NOT_CASUALTY_NUMBERS or t.ent_type_ in NOT_COUNTS:
            continue  # "on 9 October 2025, wounding five": 2025 is not a count
        if _in_including(t):
            continue
        if tok is not None and any(_dist(t, o) < _dist(t, tok) for o in others if o is not tok):
            continue
        window_after = [x.lower_ for x in toks[i + 1 : i + 6]]
        window_before = [x.lower_ for x in toks[max(0, i - 4) : i]]
        # phrase kept as words: "at least 12", "dozens"
        start = (
            i - 2
            if i >= 2 and toks[i - 2].lower_ in BOUND_PREPS and toks[i - 1].lower_ in BOUNDS
            else i
        )
        words = " ".join(x.text for x in toks[start : i + 1])
        value = _int(t.text)
        if value is not None and value > _MAX_COUNT:
            value = None  # not a plausible count: the words are kept, never the number
        subj = _subject_of(t)
        if subj and subj not in found:
            found[subj] = (value, words)
            continue
        for kind, after, before in (
            ("dead", KILL_AFTER, KILL_BEFORE),
            ("hurt", HURT_AFTER, HURT_BEFORE),
        ):
            if kind in found:
                continue
            hit_after = next((w for w in window_after if w in after), None)
            other_num = any(x.like_num or x.lower_ in VAGUE_NUM for x in toks[i + 1 : i + 6])
            if hit_after and not (other_num and window_after.index(hit_after) > 2):
                found[kind] = (value, words)
                break  # one count is one figure ("killing three soldiers and wounding two")
            elif any(w in before for w in window_before[-3:]):
                found[kind] = (value, words)
                break
    dead = found.get("dead", (None, None))
    hurt = found.get("hurt", (None, None))
    return dead[0], dead[1], hurt[0], hurt[1]


def _restriction_text(tok: Any) -> str:
    """Words that restrict a reopening: its own modifiers ("for trade only", "to pedestrians").

    The trigger's subtree without its subject/object and without other clauses.
    """
    skip_deps = {"nsubj", "nsubjpass", "dobj", "conj", "cc", "advcl", "ccomp", "relcl", "parataxis"}
    if tok.lemma_.lower() in PERMIT:
        # "let pedestrians cross", "only patients were allowed through": who is let through
        skip_deps = {"nsubj", "conj", "cc", "advcl", "relcl", "parataxis"}
    skip: set[int] = set()
    for ch in tok.children:
        # "reopened to allow trade" restricts; "Trade ... has resumed" (the subject) does not
        purpose = ch.lemma_ in PURPOSE_LEMMAS and ch.dep_ not in ("nsubj", "nsubjpass")
        temporal = ch.dep_ == "prep" and ch.lower_ in TEMPORAL_PREPS
        # "reopened to cargo traffic": a traffic noun the parser took for a "to"-verb
        traffic_noun = ch.dep_ == "xcomp" and ch.lower_ in QUALIFIER_WORDS
        if (ch.dep_ in skip_deps or ch.dep_ == "xcomp" or temporal) and not (
            purpose or traffic_noun
        ):
            skip.update(t.i for t in ch.subtree)
    return " ".join(t.text for t in tok.subtree if t.i not in skip and t.i != tok.i)


#: The qualifier of people returning home (qualifiers.toml).
RETURNEES = "refugees"


def _closure_remainder(tok: Any, sent: Any) -> str | None:
    """
    Name what still passes when only part of the traffic is stopped, else None.

    "suspended pedestrian movement ..., but trucks ... were still allowed
    through" → ``trade``; the closure's own subject/object must name one kind of
    traffic and a contrast ("but", "while", "although") the other.  Without a
    contrast, a closure whose subject/object is one kind of traffic and no
    border noun ("trade via Torkham remained suspended") is ``closed to trade``
    (or ``closed to pedestrians``): a partial status.
    """
    # "was closed to trade", "remained closed to trade, but pedestrians ...": what
    # the closure stops is told in its "to" phrase
    to_objs = [
        o
        for p in tok.children
        if p.dep_ == "prep" and p.lower_ in CLOSED_TO_PREPS
        for o in p.children
        if o.dep_ == "pobj"
    ] + [  # the parser may read "to trade" as an infinitive
        c
        for c in tok.children
        if c.dep_ in ("advcl", "xcomp")
        and any(a.dep_ == "aux" and a.lower_ in CLOSED_TO_PREPS for a in c.children)
    ]
    # "closed to traffic": all of it ("closed to cargo traffic" names one kind)
    to_objs = [
        o
        for o in to_objs
        if not (
            o.lower_ in GENERAL_TRAFFIC
            and not _qualifiers(" ".join(t.text for t in o.subtree if t.i != o.i))
        )
    ]
    closed_to = set(_qualifiers(" ".join(t.text for o in to_objs for t in o.subtree)))
    closed_to &= {"pedestrians", "trade"}
    if len(closed_to) == 1:
        other = ({"pedestrians", "trade"} - closed_to).pop()
        rest = " ".join(
            t.text for t in sent if t.i not in {t.i for o in to_objs for t in o.subtree}
        )
        if CONTRAST.search(sent.text) and other in _qualifiers(rest):
            return other
        return f"closed to {closed_to.pop()}"
    args = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
    if tok.dep_ in ("acomp", "xcomp", "oprd") and not args:
        args = [c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
    if not args:  # "Trade ... remained suspended": the subject hangs on the auxiliary
        args = [
            c
            for a in tok.children
            if a.dep_ in ("aux", "auxpass")
            for c in a.children
            if c.dep_ in ("nsubj", "nsubjpass")
        ]
    named = set(_qualifiers(" ".join(t.text for a in args for t in a.subtree)))
    if named == {RETURNEES}:
        return f"closed to {RETURNEES}"  # "suspended the return of Afghan citizens"
    closed = named & {"pedestrians", "trade"}
    if len(closed) != 1 or ALL_TRAFFIC.search(" ".join(a.text for a in args)):
        return None
    text = sent.text
    if not CONTRAST.search(text):
        # "trade via Torkham remained suspended", "restricted the Kabul-bound trucks":
        # the closure stops one kind of traffic, not the crossing itself (issue 12,
        # item 4: "closed to trade" is partial); what still passes is not told
        heads = {a.lower_ for a in args} | {t.lower_ for a in args for t in a.children}
        if heads & BORDER_HEADS:
            return None
        return f"closed to {closed.pop()}"
    arg_idx = {t.i for a in args for t in a.subtree}
    rest = " ".join(t.text for t in sent if t.i not in arg_idx)
    other = ({"pedestrians", "trade"} - closed).pop()
    return other if other in _qualifiers(rest) else None


def _qualifiers(text: str) -> list[str]:
    low = text.lower()
    out = []
    for name, words in QUALIFIERS.items():
        if any(re.search(rf"\b{re.escape(w)}\b", low) for w in words):
            out.append(name)
    return out


def _actor_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, actor) for every actor alias in ``text`` (sentence-relative)."""
    alts = sorted(((a, name) for name, al in ACTORS.items() for a in al), key=lambda x: -len(x[0]))
    pattern = "|".join(re.escape(a) for a, _ in alts)
    lookup = {a: name for a, name in alts}
    out: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for m in re.finditer(rf"(?<![\w-])(?:{pattern})(?![\w-])", text, re.IGNORECASE):
        out.append((m.start(), m.end(), lookup[m.group(0).lower()]))
        taken.append((m.start(), m.end()))
    for name, adj in ADJ_ACTORS.items():
        # "Pakistani jets", "Afghan border forces", "Afghan and Pakistani troops"
        for m in re.finditer(
            rf"\b{adj}(?:'s)?\s+{SHARED_ADJECTIVE}(?:\w+\s+)?{INSTITUTION}\b", text, re.IGNORECASE
        ):
            if not any(s <= m.start() < e for s, e in taken):
                out.append((m.start(), m.start() + len(adj), name))
    out.sort()
    return out


def _add_unique(items: list[str], new: Sequence[str]) -> list[str]:
    for n in new:
        if n not in items:
            items.append(n)
    return items


def _casualties_told_next(
    built: list[tuple[Event, _Cand]], sents: list[Any]
) -> list[tuple[Event, _Cand]]:
    """
    Give an incident the casualties stated in the sentence after it.

    "Jets struck hideouts in Dangam. A spokesman said six civilians were killed
    and vowed a response."
    A sentence with a kill/wound count and no violent event that occurred (a
    threat in it cannot have casualties) gives its figures to the single
    occurred/reported violent event of the sentence just before it, in the same
    paragraph, when that event has no such figure yet.
    """
    by_sent: dict[int, list[int]] = {}
    for n, (_e, c) in enumerate(built):
        by_sent.setdefault(c.sent.start, []).append(n)
    out = list(built)
    for k in range(1, len(sents)):
        prev, sent = sents[k - 1], sents[k]
        here = [out[n][0] for n in by_sent.get(sent.start, [])]
        if any(e.type in VIOLENT_TYPES and e.certainty in ("occurred", "reported") for e in here):
            continue
        if "\n\n" in prev.text_with_ws[len(prev.text) :] or "\n\n" in prev.text:
            continue  # a new paragraph
        before = [
            n
            for n in by_sent.get(prev.start, [])
            if out[n][0].type in VIOLENT_TYPES and out[n][0].certainty in ("occurred", "reported")
        ]
        if len(before) != 1:
            continue
        fat, fat_text, inj, inj_text = _casualties(sent)
        e, c = out[before[0]]
        upd: dict[str, Any] = {}
        if fat is not None or fat_text:
            if e.fatalities is None and not e.fatalities_text:
                upd.update(fatalities=fat, fatalities_text=fat_text)
        if inj is not None or inj_text:
            if e.injuries is None and not e.injuries_text:
                upd.update(injuries=inj, injuries_text=inj_text)
        if upd:
            out[before[0]] = (dataclasses.replace(e, **upd), c)
    return out


def _dead_counted(sent: Any) -> list[tuple[int, str, set[str]]]:
    """(count, words, sides of the victims) for each "N <side> soldiers were killed" of ``sent``."""
    out = []
    for t in sent:
        noun = t.head
        if (
            t.dep_ != "nummod"
            or noun.lemma_.lower() not in VICTIM_NOUNS
            and (noun.lower_ not in VICTIM_NOUNS)
        ):
            continue
        value = _int(t.text)
        verb = noun.head
        killed = (
            (noun.dep_ == "nsubjpass" and verb.lemma_ in KILL_LEMMAS)
            or (noun.dep_ == "nsubj" and verb.lemma_ in DIE)
            or (noun.dep_ == "dobj" and verb.lemma_ in KILL)
        )
        if value is None or not killed:
            continue
        words = " ".join(x.text for x in noun.subtree)
        out.append((value, words, sides_of(list(noun.subtree))))
    return out


def _other_side_dead(events: list[Event], sents: list[Any], offset: int) -> list[Event]:
    """
    Add to an incident the dead of the other side that a later sentence reports.

    "... exchanged fire ..., killing three Pakistani soldiers ... The Taliban
    spokesman said one Afghan border guard was killed": a sentence with no
    violent event of its own, after the article's only violent event that
    occurred, naming dead of one side when that event's dead are all of the
    other side, adds them to its fatalities (the words record the sum).
    """
    violent = [
        n
        for n, e in enumerate(events)
        if e.type in VIOLENT_TYPES and e.certainty in ("occurred", "reported")
    ]
    if len(violent) != 1:
        return events
    n = violent[0]
    e = events[n]
    first = next((s for s in sents if s.start_char + offset == e.start), None)
    if e.fatalities is None or first is None:
        return events
    counted = [d for d in _dead_counted(first) if d[0] == e.fatalities]
    if len(counted) != 1 or len(counted[0][2]) != 1:
        return events
    side = counted[0][2]
    taken = {o.start for o in events if o.type in VIOLENT_TYPES}
    for sent in sents:
        if sent.start_char + offset <= e.start or sent.start_char + offset in taken:
            continue
        for value, words, sides in _dead_counted(sent):
            if len(sides) == 1 and sides != side and sides <= {"Pakistan", "Afghanistan"}:
                e = dataclasses.replace(
                    e,
                    fatalities=(e.fatalities or 0) + value,
                    fatalities_text=f"{e.fatalities_text or e.fatalities} + {words}",
                )
                side = side | sides
    out = list(events)
    out[n] = e
    return out
