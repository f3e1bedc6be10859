"""Extraction of incidents from a parsed article: the stages in order.

:func:`extract_events` runs the stages of :mod:`geomap.events` over the
sentences of a spaCy ``Doc`` and builds one :class:`geomap.schema.Event` per
kept trigger (:func:`_build_event`), then dates, merges and numbers them.
"""

from __future__ import annotations

import bisect
import dataclasses
import logging
import re
from collections.abc import Sequence
from typing import Any

from geomap.dates import AFTER_REFERENCE, DateMention, find_dates
from geomap.events.arguments import (
    _actor_spans,
    _add_unique,
    _casualties,
    _casualties_told_next,
    _closure_remainder,
    _int,
    _other_side_dead,
    _qualifiers,
    _restriction_text,
)
from geomap.events.certainty import _event_certainty, _future_aux_only, _until_only
from geomap.events.dating import (
    _attach_dates,
    _dated_before_a_dated_clause,
    _dated_by_bare_since,
    _dated_by_first_passage,
    _dated_by_report_day,
    _dated_since_event,
    _own_date,
    _relative_to_events,
)
from geomap.events.guards import (
    is_crossing,
    is_motive,
    names_crossing,
    targets_security_forces,
)
from geomap.events.lexicon import (
    AHEAD,
    ALL_CROSSINGS,
    BORDER_SCOPE_WORDS,
    COUNT_CROSSINGS,
    DOCUMENT_RULE,
    DOCUMENTS,
    FULL_TRAFFIC,
    LOC_PREPS,
    MEDIATE,
    MEDIATOR_NOUNS,
    NO_DEAL,
    NORMAL_FLOW,
    PART_ADVERBS,
    PARTIAL_VERBS,
    PEOPLE_AND_GOODS,
    PEOPLE_WORDS,
    SINCE,
    STATE_ADJ,
    STATUS,
    THIRD_PARTIES,
    VIOLENT_TYPES,
)
from geomap.events.merge import _merge
from geomap.events.place import (
    _both_crossings,
    _inherit_crossings,
    _location,
    _there,
    _town_crossing,
    _where_people_are,
)
from geomap.events.statements import _continuing_state, _stative_open
from geomap.events.syntax import (
    _actor_clause,
    _agent_tokens,
    _argument_tokens,
    _clause,
    _dist,
    _tree_path,
    doc_text_rel,
)
from geomap.events.triggers import OTHER, _Cand, _triggers
from geomap.schema import ACLED_TYPES, Event, Place

log = logging.getLogger(__name__)


#: A dateline opening a sentence: a place in capitals, a comma, a few words
#: (country, date, agency), then a dash ("KHOST, Afghanistan - ", "PESHAWAR, Pakistan — ").
_DATELINE_HEAD = re.compile(r"^[A-Z][A-Z .'-]{2,30},[^\n—–-]{0,40}?\s[—–-]{1,2}\s")


def extract_events(
    doc: Any,
    places: Sequence[Place],
    *,
    article: Any,
    offset: int = 0,
    dates: Sequence[DateMention] | None = None,
) -> list[Event]:
    """
    Read the incidents in a parsed article (or one chunk of it).

    Parameters
    ----------
    doc
        spaCy ``Doc`` (parser and NER) of the article text or of a chunk of it.
    places
        Resolved places with absolute character offsets (``Place.start``/``end``
        index ``article.text``); unresolved ones are ignored for locations.
    article
        The :class:`geomap.articles.Article`; ``article.published`` is the
        reference date for relative dates, ``article.id`` prefixes event ids.
    offset
        Character offset of ``doc`` in ``article.text``.
    dates
        The date expressions of ``doc`` (:func:`geomap.dates.find_dates` with
        ``article.published`` and ``offset``) when the caller has them; found
        here otherwise.

    Returns
    -------
    list of Event
        In text order, duplicates merged (module docstring).  Each carries its
        first sentence and offsets, the trigger, the ACLED types
        (:data:`geomap.schema.ACLED_TYPES`), date fields (None + a warning when
        the sentence gives none or it cannot be placed), certainty, location
        and scope.
    """
    reference = getattr(article, "published", None)
    if dates is None:
        dates = find_dates(doc, reference=reference, offset=offset)
    local_places: list[tuple[Place, Any]] = []
    n_chars = len(doc.text)
    for p in places:
        if not (0 <= p.start - offset < n_chars):
            continue  # another chunk's place (asking every one made chunking quadratic)
        span = doc.char_span(p.start - offset, p.end - offset, alignment_mode="expand")
        if span is not None and len(span):
            local_places.append((p, span))
    # the places of each sentence, by the sentence's first token (one pass, not one per sentence)
    sent_places: dict[int, list[tuple[Place, Any]]] = {}
    for p, span in local_places:
        sent_places.setdefault(span.root.sent.start, []).append((p, span))
    cands: list[_Cand] = []
    crossing_seen = False
    prev_status: list[_Cand] = []
    last_crossings: list[Place] = []
    recent_crossings: list[Place] = []
    for sent in doc.sents:
        in_sent = sent_places.get(sent.start, [])
        has_crossing = any(is_crossing(p) for p, _ in in_sent)
        sc = _triggers(sent, in_sent, crossing_context=crossing_seen or has_crossing)
        for c in sc:
            c.certainty = _event_certainty(c.tok, c.etype)
            if (
                c.continuing
                and (
                    c.certainty == "planned"
                    or (c.certainty == "conditional" and _until_only(c.tok))
                )
                and _future_aux_only(c.tok)
            ):
                # "would stay shut", "will remain closed until an agreement is reached":
                # the state holds now (the "until" clause says when it ends)
                c.certainty = "occurred"
        _attach_dates(sent, sc, dates, offset)
        # crossings: each named crossing goes to its nearest closure/reopening trigger
        status_cands = [c for c in sc if c.etype in STATUS] or sc
        for p, span in in_sent:
            root = span.root
            if is_crossing(p) and sc and root.dep_ == "pobj" and root.head.lower_ in LOC_PREPS:
                # "Fighting erupted near Torkham, and the crossing was closed": a
                # crossing as the place of a violent event goes to that event
                nearest = min(sc, key=lambda c: _dist(root, c.tok))
                if nearest.etype in VIOLENT_TYPES:
                    nearest.crossings.append(p)
                    continue
            if (is_crossing(p) or _town_crossing(p, span)) and status_cands:
                # a crossing inside a trigger's own subject/object goes to that trigger
                # only ("A and B remained closed, while C reopened": A, B -> closed)
                own = [c for c in status_cands if span.root.i in _argument_tokens(c.tok)]
                if own:
                    for c in own:
                        c.crossings.append(p)
                    continue
                d = [(_dist(span.root, c.tok), n) for n, c in enumerate(status_cands)]
                best = min(d)[0]
                for dd, n in d:
                    # conjoined triggers share their crossings ("Torkham was closed and sealed")
                    if dd[0] <= best[0]:
                        status_cands[n].crossings.append(p)
        named_here = [p for p, _ in in_sent if is_crossing(p) or names_crossing(p)]
        _both_crossings(
            [c for c in sc if c.etype in STATUS],
            named_here,
            last_crossings if len(last_crossings) >= 2 else recent_crossings,
        )
        for p in named_here:  # distinct crossings in the order last named
            recent_crossings = [
                q for q in recent_crossings if (q.name or q.mention) != (p.name or p.mention)
            ] + [p]
        # "the crossing" refers back to a crossing named earlier in the sentence, else before
        named_before = [p for p, _ in in_sent if is_crossing(p)]
        _inherit_crossings(
            [c for c in sc if c.etype in STATUS], named_before[-1:] or last_crossings
        )
        for c in sc:
            if c.crossings:
                last_crossings = list(c.crossings)
        if not any(c.crossings for c in sc):
            named = [p for p, _ in in_sent if is_crossing(p)]
            last_crossings = named[-1:] or last_crossings
        for c in sc:
            if c.etype in VIOLENT_TYPES and not c.crossings:
                ref = _there(c.tok, local_places)
                if ref is not None and is_crossing(ref):
                    c.crossings.append(ref)
                else:
                    c.there = ref
        crossing_seen = crossing_seen or has_crossing
        prev_status = [c for c in sc if c.etype in STATUS] or prev_status
        cands.extend(sc)
    built: list[tuple[Event, _Cand]] = []
    last_dated: str | None = None
    by_sent: dict[int, list[_Cand]] = {}
    for c in cands:
        by_sent.setdefault(c.sent.start, []).append(c)
    sent_dates = _dates_by_sentence(doc, dates, offset)
    for c in cands:
        ev = _build_event(
            c,
            sent_places.get(c.sent.start, []),
            article,
            offset,
            last_dated,
            by_sent[c.sent.start],
            sent_dates.get(c.sent.start, ()),
        )
        if ev is None:
            continue
        if ev.date:
            last_dated = ev.date
        built.append((ev, c))
    # "reopened all border crossings ..., ending a closure that began on 1 September":
    # a status event that names no crossings takes the scope of one in its sentence
    for n, (e, c) in enumerate(built):
        if e.type in STATUS and e.scope in ("none", "border") and not e.crossings:
            ancestors = {t.i for t in c.tok.ancestors}
            other = next(
                (
                    o
                    for o, oc in built
                    if o is not e
                    and oc.tok.i in ancestors
                    and o.type in STATUS
                    and o.scope in ("crossings_all", "crossings_count")
                ),
                None,
            )
            if other is not None:
                built[n] = (
                    dataclasses.replace(e, scope=other.scope, crossing_count=other.crossing_count),
                    c,
                )
    built = _casualties_told_next(built, list(doc.sents))
    built = _relative_to_events(built)
    built = _dated_since_event(built)
    built = _dated_by_first_passage(built, places, dates, offset)
    built = _dated_by_bare_since(built, dates, offset)
    built = _dated_before_a_dated_clause(built, dates, offset)
    built = _dated_by_report_day(built, dates, offset)
    # (not "remained open to returnees, although trade has been restricted": a
    # standing state, against which the restriction is news of its own)
    partial_sents = {
        e.start
        for e, _ in built
        if e.type == "partial_reopening"
        and not ((e.trigger or "").lower() in STATE_ADJ["reopening"] and _continuing_state(e))
    }
    partial_crossings = {
        (e.start, n) for e, _ in built if e.type == "partial_reopening" for n in e.crossings
    }
    built = [
        (e, c)
        for e, c in built
        if not (e.type == "closure" and e.qualifier and e.start in partial_sents)
        # "partially reopened A and B for refugees, though both remain closed to
        # trade": the continuing closure restates the restriction, not a new status
        and not (
            e.type == "closure"
            and c.continuing
            and e.crossings
            and all((e.start, n) in partial_crossings for n in e.crossings)
        )
        # '"The crossings remain closed for commercial traffic"' after a partial
        # reopening of them: the same restriction, restated
        and not (
            e.type == "closure"
            and c.continuing
            and _qualifiers(_restriction_text(c.tok))
            and set(e.crossings) <= {n for _s, n in partial_crossings}
            and partial_crossings
        )
    ]
    merged = _merge(built)
    merged = _other_side_dead(merged, list(doc.sents), offset)
    merged = [
        dataclasses.replace(e, id=f"{getattr(article, 'id', 'article')}-e{n + 1}")
        for n, e in enumerate(merged)
    ]
    # "remained open" (not merged into a reopening it restates): a standing status,
    # not a reopening; still an "open" crossing statement (crossing_statements)
    other = ACLED_TYPES["other"]
    merged = [
        dataclasses.replace(e, type="other", event_type=other[0], sub_event_type=other[1])
        if e.type in ("reopening", "partial_reopening")
        and (
            (
                (e.trigger or "").lower() in STATE_ADJ["reopening"]
                and (_continuing_state(e) or _stative_open(e))
            )
            or (e.trigger or "").lower() in NORMAL_FLOW
        )
        else e
        for e in merged
    ]
    # a planned, threatened or conditional event is expected to lie ahead: its date
    # after the reference date is no anomaly ("will meet on Thursday")
    merged = [
        dataclasses.replace(
            e, warnings=tuple(w for w in e.warnings if not _AFTER_REFERENCE.search(w))
        )
        if e.certainty in AHEAD
        else e
        for e in merged
    ]
    log.info("events: %d triggers, %d events after merging duplicates", len(built), len(merged))
    return merged


#: The warning geomap.dates.resolve_date gives a date later than the reference date.
_AFTER_REFERENCE = re.compile(rf"\b{re.escape(AFTER_REFERENCE)}\b")


def _rule_text(tok: Any) -> str:
    """Give the words of a closure's clause but the motive it names ("in protest against ...")."""
    motive = {t.i for o in tok.subtree if is_motive(o) for t in o.head.subtree}
    return " ".join(t.text for t in tok.subtree if t.i not in motive)


def _dates_by_sentence(
    doc: Any, dates: Sequence[DateMention], offset: int
) -> dict[int, list[DateMention]]:
    """Group the placed date mentions of ``doc`` by their sentence's first token."""
    starts = [(s.start_char, s.start) for s in doc.sents]
    chars = [c for c, _ in starts]
    out: dict[int, list[DateMention]] = {}
    for d in dates:
        k = bisect.bisect_right(chars, d.start - offset) - 1
        if d.value is not None and k >= 0:
            out.setdefault(starts[k][1], []).append(d)
    return out


def _build_event(
    c: _Cand,
    local_places: list[tuple[Place, Any]],
    article: Any,
    offset: int,
    last_dated: str | None,
    siblings: Sequence[_Cand] = (),
    sent_dates: Sequence[DateMention] = (),
) -> Event | None:
    sent = c.sent
    s_start, s_end = sent.start_char + offset, sent.end_char + offset
    stext = sent.text
    warnings: list[str] = []
    # --- date
    date = date_end = precision = date_text = None
    tprec: int | None = None
    placed = [d for d in c.dates if d.value is not None]
    if placed:
        # a date of the trigger's own clause outranks one inside a verbal phrase below
        # it ("reopened today after closing it on 11 January"); then an explicit
        # calendar date ("on 11 January") outranks one placed only from the reference
        # date ("on Monday", "today") at the same relation and precision: the parser
        # may hang a report's weekday on the event
        dm = min(
            placed,
            key=lambda d: (
                {"at": 0, "interval": 0, "since": 1, "after": 2, "before": 3, "until": 3}.get(
                    d.relation, 4
                ),
                not _own_date(c, d, offset),
                d.value.time_precision,
                not d.explicit,
            ),
        )
        v = dm.value
        if dm.relation in ("at", "since", "interval"):
            date, date_end = v.value, v.end
            precision, tprec = v.precision, v.time_precision
            if precision == "week":  # schema words are day/month/year; keep the day, ACLED code 2
                precision = "day"
        elif dm.relation == "after":
            warnings.append(f"date not given; after {v.value}")
        elif dm.relation in ("until", "before"):
            date_end = v.value
            warnings.append(f"date not given; before {v.value}")
        date_text = dm.text
        warnings.extend(dm.warnings)
    elif c.dates:
        date_text = c.dates[0].text
        warnings.extend(c.dates[0].warnings)
    else:
        since_adv = any(
            t.lower_ in SINCE and t.dep_ in ("advmod", "prep") and not list(t.children)
            for t in sent
        )
        if since_adv and last_dated:
            warnings.append(f"date not given; after {last_dated} ('since')")
        elif sent_dates:
            # the sentence has dates, but of other clauses ("a notice dated 03/10/2023
            # gave ... until 01/11/2023"): never say it has none
            told = ", ".join(repr(d.text) for d in sent_dates)
            warnings.append(
                f"no date of its own: the sentence's dates ({told}) belong to other clauses; "
                "left empty"
            )
        else:
            warnings.append("no date in the sentence; left empty")
    # --- actors, mediators
    rel_actors = _actor_spans(stext)
    mediators: list[str] = []
    for t in sent:
        if t.lemma_.lower() in MEDIATE:
            # "Ankara remained ready to host another round": the subject up the
            # complement chain ("Beijing called for restraint and offered to host
            # talks": a conjunct shares its head's subject)
            up = t
            while not any(ch.dep_ in ("nsubj", "agent") for ch in up.children) and up.dep_ in (
                "xcomp",
                "acomp",
                "conj",
            ):
                up = up.head
            for ch in up.children:
                if ch.dep_ in ("nsubj", "agent"):
                    sub = doc_text_rel(ch, sent)
                    mediators = _add_unique(
                        mediators, [a for s, e, a in rel_actors if sub[0] <= s < sub[1]]
                    )
        if (
            t.lemma_.lower() in MEDIATOR_NOUNS
            and t.pos_ in ("NOUN", "PROPN")  # not the verb "to host"
            and c.etype in ("talks", "ceasefire")
        ):
            # "Qatari mediators", "Turkey's mediation": the modifier names the mediator
            mods = [
                doc_text_rel(m, sent)
                for m in t.children
                if m.dep_ in ("amod", "compound", "poss", "nmod") and m.i < t.i
            ]
            named = [a for s, e, a in rel_actors if any(ms <= s < me for ms, me in mods)]
            mediators = _add_unique(
                mediators,
                named or [a for s, e, a in rel_actors if s > t.idx - sent.start_char],
            )
    sentence_mediators = list(mediators)
    if c.etype not in ("talks", "ceasefire"):
        mediators = []
    # --- location & scope
    actor_tokens = {
        t.i
        for t in sent
        for s, e, _ in rel_actors
        if s <= t.idx - sent.start_char < e and t.dep_ in ("poss", "nsubj", "nsubjpass", "agent")
    }
    place, pspan = _location(
        c,
        [(p, s) for p, s in local_places if sent.start <= s.root.i < sent.end],
        actor_tokens,
        siblings,
    )
    if place is None and c.there is not None:
        place = c.there  # "a clash there": the place named before
    crossings = list(dict.fromkeys(p.name or p.mention for p in c.crossings))
    scope = "none"
    count = None
    clause = " ".join(t.text for t in _clause(c.tok))
    if c.etype in STATUS and crossings:
        scope = "crossing"
    elif crossings and c.etype in ("clash", "protest", "attack", "explosion", "airstrike"):
        scope = "crossing"
    elif ALL_CROSSINGS.search(clause):
        scope = "crossings_all"
    elif COUNT_CROSSINGS.search(clause):
        scope = "crossings_count"
        count = _int(COUNT_CROSSINGS.search(clause).group(1))
    elif place is not None:
        scope = "place"
    elif any(t.lower_ in BORDER_SCOPE_WORDS and (_tree_path(t, c.tok) <= 3) for t in sent):
        scope = "border"
    loc_place = c.crossings[0] if scope == "crossing" and c.crossings else place
    if scope == "crossing" and c.etype in STATUS:
        pass
    # actors: everything named in the sentence except mediators and the event's own location
    site_places = [
        p
        for p, sp in local_places
        if sent.start <= sp.root.i < sent.end
        and p.role != "government"
        and (
            sp.root.dep_ in ("appos",)
            or (sp.root.dep_ == "pobj" and sp.root.head.lower_ in LOC_PREPS)
        )
        # "Officials in Islamabad and Kabul are expected to meet": parties, not a venue
        and not (c.etype == "talks" and _where_people_are(sp.root))
    ]
    loc_spans = [
        (p.start - offset - sent.start_char, p.end - offset - sent.start_char)
        for p in ([loc_place] if loc_place else []) + list(c.crossings) + site_places
    ]
    # "KHOST, Afghanistan - A drone strike ...": the dateline says where the report
    # was filed, it names no party
    dl = _DATELINE_HEAD.match(stext)
    named = [
        (s, a)
        for s, _e, a in rel_actors
        if not any(ls <= s < le for ls, le in loc_spans)
        and a not in sentence_mediators
        and not (dl and s < dl.end())
    ]
    actors = _add_unique([], [a for _s, a in named])
    # a third country is an actor only in the trigger's own clause ("talks between
    # Afghan and Pakistani delegations ended ..., as Washington and Beijing urged
    # restraint": not the United States and China)
    own = {t.idx - sent.start_char for t in _actor_clause(c.tok)}
    in_clause = {a for s, a in named if s in own}
    actors = [a for a in actors if a not in THIRD_PARTIES or a in in_clause]
    # ... and the trigger's own agent comes first ("Afghan officials said Pakistani
    # aircraft struck houses": actor1 Pakistan)
    agent = {t.idx - sent.start_char for t in _agent_tokens(c.tok)}
    first = _add_unique([], [a for s, a in named if s in agent and a in actors])
    actors = first + [a for a in actors if a not in first]
    if c.etype in STATUS:
        # only the two states open or shut their border: a third country named in the
        # sentence ("diplomats shuttling between Doha and Istanbul") is no actor of it
        actors = [a for a in actors if a not in THIRD_PARTIES]
    # --- casualties, qualifier
    fat = fat_text = inj = inj_text = None
    if c.etype in VIOLENT_TYPES and c.certainty in ("occurred", "reported"):
        # (a threatened, planned or denied act has no casualties)
        fat, fat_text, inj, inj_text = _casualties(
            sent, c.tok, [o.tok for o in siblings if o.etype in VIOLENT_TYPES and o.sent == c.sent]
        )
    qualifier = None
    etype = c.etype
    if etype in ("reopening", "partial_reopening"):
        own = _restriction_text(c.tok)
        quals = _qualifiers(own)
        if (
            not PEOPLE_WORDS.isdisjoint(own.lower().split())
            and "pedestrians" in quals
            and len(quals) > 1
            and not PEOPLE_AND_GOODS.search(own)
        ):
            quals.remove("pedestrians")
        full = FULL_TRAFFIC.search(own) or {
            "trade",
            "pedestrians",
        } <= set(quals)
        if quals and not full:
            qualifier = ", ".join(q for q in quals if q != "trade" or "one direction" not in quals)
            etype = "partial_reopening"
        if etype == "partial_reopening" and qualifier is None:
            qualifier = "partial"
    elif etype == "closure" and DOCUMENTS.search(_rule_text(c.tok)):
        # "restricted crossing to those with valid passports": a rule, not a closure
        etype, qualifier = OTHER, DOCUMENT_RULE["qualifier"]
    elif etype == "closure":
        qualifier = _closure_remainder(c.tok, sent)
        if qualifier is None and (
            c.tok.lemma_ in PARTIAL_VERBS
            or any(ch.dep_ == "advmod" and ch.lower_ in PART_ADVERBS for ch in c.tok.children)
        ):
            qualifier = "partial"  # "had been partly closed": a partial status, not shut
    event_type, sub_event_type = ACLED_TYPES[etype]
    if etype == "attack" and targets_security_forces(c.tok):
        event_type, sub_event_type = ACLED_TYPES["clash"]
    if etype in ("talks", "ceasefire") and NO_DEAL.search(clause):
        sub_event_type = "Other"  # talks that reached no agreement are no "Agreement"
    if (
        date is not None
        and c.certainty == "occurred"
        and article is not None
        and getattr(article, "published", None)
    ):
        pass
    return Event(
        id="",
        type=etype,
        event_type=event_type,
        sub_event_type=sub_event_type,
        sentence=stext,
        start=s_start,
        end=s_end,
        trigger=c.span.text,
        trigger_start=c.span.start_char + offset,
        trigger_end=c.span.end_char + offset,
        date=date,
        date_end=date_end,
        date_precision=precision,
        time_precision=tprec,
        date_text=date_text,
        certainty=c.certainty,
        location=(loc_place.name or loc_place.mention) if loc_place else None,
        location_id=loc_place.gazetteer_id if loc_place else None,
        lat=loc_place.lat if loc_place else None,
        lon=loc_place.lon if loc_place else None,
        geo_precision=loc_place.geo_precision if loc_place else None,
        country=loc_place.country if loc_place else None,
        admin1=loc_place.admin1 if loc_place else None,
        admin2=loc_place.admin2 if loc_place else None,
        dist_border_km=loc_place.dist_border_km if loc_place else None,
        scope=scope,
        crossings=tuple(crossings),
        crossing_count=count,
        qualifier=qualifier,
        actors=tuple(actors),
        mediators=tuple(mediators),
        fatalities=fat,
        fatalities_text=fat_text,
        injuries=inj,
        injuries_text=inj_text,
        warnings=tuple(warnings),
    )
