"""The place and the crossings of an event: locative links, appositives, "there", "the crossing".

Step 4 of the method (:mod:`geomap.events`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from geomap.events.guards import is_copula, is_crossing, names_crossing
from geomap.events.lexicon import (
    ACCORDING,
    AREA_PREPS,
    BORDER_HEADS,
    BOTH_CROSSINGS,
    CROSSING_IN,
    CROSSING_QUANTIFIERS,
    CROSSING_REF,
    HOST_PREPS,
    LOC_PREPS,
    PEOPLE,
    PEOPLE_PREPS,
    REPORT_VERBS,
    SPREAD_PREPS,
    SPREAD_VERBS,
    STATUS,
    THERE,
)
from geomap.events.syntax import _args, _argument_tokens, _dist
from geomap.events.triggers import _Cand
from geomap.schema import Event, Place

#: How coarse a location id is (its prefix, geomap.schema location ids): a smaller
#: rank is a finer place.
_LOCATION_RANK = {"country": 4, "region": 4, "adm1": 3, "adm2": 2}


def _rank(location_id: str | None) -> int:
    if location_id is None:
        return 9
    return _LOCATION_RANK.get(location_id.split(":", 1)[0], 1)


def finer_location(target: Event, other: Event) -> bool:
    """
    Tell whether ``other`` places an incident more precisely than ``target`` does.

    True when ``target`` has no location and ``other`` has one, or when
    ``other``'s place is finer (a town or crossing < a district < a province
    < a country, by the prefix of ``location_id``) in the same country ("struck
    Afghanistan ... the strikes hit Barmal district").
    """
    if other.location_id is None:
        return False
    if target.location_id is None:
        return True
    same_country = not target.country or not other.country or target.country == other.country
    return same_country and _rank(other.location_id) < _rank(target.location_id)


def _both_crossings(status: list[_Cand], named: list[Place], last: list[Place]) -> None:
    """
    Give "both crossings" the two crossings just named (in the sentence, else before).

    "both crossings remained closed".
    """
    for c in status:
        args = _argument_tokens(c.tok)
        text = " ".join(c.tok.doc[i].text for i in sorted(args))
        if len(c.crossings) < 2 and BOTH_CROSSINGS.search(text):
            pool = named if len(named) >= 2 else last
            if len(pool) >= 2:
                c.crossings = list(pool[-2:])


def _town_crossing(p: Place, span: Any) -> bool:
    """
    Tell whether a town is written as the name of its crossing.

    "the Chaman border", "the Torkham and Chaman borders": the town modifies
    a border noun, directly or through a conjunct, and names a crossing.
    """
    root = span.root
    heads = [root.head]
    if root.dep_ == "conj":
        heads.append(root.head.head)
    near = span.end < len(span.doc) and span.doc[span.end].lower_ in BORDER_HEADS
    if not (near or any(h.lower_ in BORDER_HEADS and h.i > root.i for h in heads)):
        return False
    return names_crossing(p)


def _in_source(tok: Any, trigger: Any) -> bool:
    """
    Tell whether ``tok`` is inside the subject of a reporting verb that does not hold the trigger.

    "Security sources in Islamabad said operations had targeted hideouts",
    "officials in Kabul told reporters ...", "a spokesman said in Kabul that
    ...": the place says where the speaker is, never where the event happened.
    """
    if (
        tok.dep_ == "pobj"
        and tok.head.dep_ == "prep"
        and tok.head.head.lemma_.lower() in REPORT_VERBS
        and tok.head.head.i != trigger.i
    ):
        return True  # "Mujahid said in Kabul that ...": where the speaker spoke
    for a in [tok, *tok.ancestors]:
        if a.dep_ in ("nsubj", "nsubjpass") and a.head.lemma_.lower() in REPORT_VERBS:
            return trigger.i not in {t.i for t in a.subtree}
        if a.lower_ in ACCORDING and a.dep_ == "prep":  # "according to an official in Drosh"
            return trigger.i not in {t.i for t in a.subtree}
        if a.dep_ in ("ROOT", "ccomp", "relcl", "advcl"):
            return False
    return False


def _where_people_are(root: Any) -> bool:
    """
    Tell whether the place at ``root`` is the home of people who are a subject.

    "Officials in Islamabad and Kabul are expected to meet".  Used for talks,
    which such people hold elsewhere (a protest by "traders in Peshawar" is in
    Peshawar).
    """
    cur = root
    while cur.dep_ in ("conj", "appos") and cur.head.i != cur.i:
        cur = cur.head
    if cur.dep_ != "pobj" or cur.head.lower_ not in PEOPLE_PREPS or cur.head.dep_ != "prep":
        return False
    people = cur.head.head
    return people.lower_ in PEOPLE and people.dep_ in ("nsubj", "nsubjpass")


def _appositive_host(root: Any, place_roots: dict[int, Any]) -> Any | None:
    """
    Find the place that an appositive holding ``root`` describes (None if there is none).

    "Chaman, the main crossing in Balochistan, ...", "Miranshah, a town in North
    Waziristan": Balochistan and North Waziristan sit inside an appositive (spaCy
    ``appos``) of the place named before it; ``place_roots`` maps token index to
    the span root of every place of the sentence.  The walk stops at a clause
    (a verb) so a place in a relative clause of the host is not counted.
    """
    cur = root
    for _ in range(6):
        if cur.dep_ == "appos" and cur.head.i in place_roots and cur.head.i != root.i:
            return place_roots[cur.head.i]
        if cur.head.i == cur.i or cur.pos_ in ("VERB", "AUX"):
            return None
        cur = cur.head
    return None


def _far_locative_below(root: Any, c: _Cand, others: Sequence[_Cand]) -> bool:
    """
    Tell whether the place at ``root`` may be the site of ``c`` though far in the tree.

    Only for the single event of its sentence, when the place sits below the
    trigger through phrases and complements only ("jets struck what the
    military described as hideouts of the TTP in Kunar's Dangam district"),
    never through an adverbial, relative or conjoined clause.
    """
    if any(o is not c for o in others):
        return False
    # "a drone strike killed four people in the village of X in Khost province": the
    # trigger is the subject of the verb the locative phrase hangs from
    tops = {c.tok.i}
    if c.tok.dep_ in ("nsubj", "nsubjpass") and c.tok.head.pos_ in ("VERB", "AUX"):
        tops.add(c.tok.head.i)
    cur = root
    while cur.i not in tops:
        if cur.dep_ in ("advcl", "acl", "relcl", "conj", "parataxis") or cur.head.i == cur.i:
            return False
        cur = cur.head
    return True


def _there(tok: Any, places: list[tuple[Place, Any]]) -> Place | None:
    """
    Find the place "there" refers to, for a trigger modified by it ("a clash there").

    The last place named before it in the article; when that place only
    locates another one ("the Angoor Adda crossing in Paktika"), the place it
    locates.  None when the trigger has no "there" or no place came before.
    """
    there = next((ch for ch in tok.children if ch.lower_ in THERE and ch.dep_ == "advmod"), None)
    if there is None:
        return None
    before = sorted(
        (
            (span.root.i, p, span)
            for p, span in places
            if span.root.i < there.i and p.resolved and p.role != "government"
        ),
        key=lambda x: x[0],
    )
    if not before:
        return None
    _i, p, span = before[-1]
    root = span.root
    if root.dep_ == "pobj" and root.head.lower_ in HOST_PREPS and len(before) > 1:
        host = root.head.head
        _j, q, qspan = before[-2]
        if qspan.root.i == host.i or qspan.root.head.i == host.i:
            return q
    return p


def _location(
    c: _Cand, places: list[tuple[Place, Any]], actor_tokens: set[int], others: Sequence[_Cand] = ()
) -> tuple[Place | None, Any]:
    best: tuple[tuple[int, int], Place, Any] | None = None
    # a closure/reopening of a named crossing is located at it: it competes for no place
    others = [o for o in others if not (o.etype in STATUS and o.crossings)]
    roots = {span.root.i: span.root for _p, span in places}
    # "the Chaman crossing in Balochistan": a place that only locates a named crossing
    crossing_heads = {
        t.i for p, span in places if is_crossing(p) for t in (span.root, span.root.head)
    }
    hosts: set[int] = set()  # roots of places that an appositive describes
    nested: set[int] = set()  # roots of places inside such an appositive
    for _p, span in places:
        host = _appositive_host(span.root, roots)
        if host is not None:
            hosts.add(host.i)
            nested.add(span.root.i)
    for p, span in places:
        if not p.resolved or p.role == "government" or is_crossing(p):
            continue
        root = span.root
        if span[0].i == span.sent.start and span.text.isupper() and len(span.text) > 2:
            continue  # a dateline ("PESHAWAR, Pakistan — ..."): where the report was filed
        if _in_source(root, c.tok) or (c.etype == "talks" and _where_people_are(root)):
            continue  # "security sources in Islamabad said ...": where the speaker is
        if root.i in nested:
            continue  # it describes the place it is apposed to, which is the site
        if (
            root.dep_ == "pobj"
            and root.head.head.i in crossing_heads
            and root.head.lower_ in CROSSING_IN
        ):
            continue  # it locates the crossing, which is named
        if (
            root.i in hosts
            and p.kind not in ("country", "region")
            and root.i not in actor_tokens
            and root.dep_ in ("nsubj", "nsubjpass", "dobj")
        ):
            # "Wana, the headquarters of South Waziristan, saw a protest", "a blast hit
            # Miranshah, a town in North Waziristan": the described place, even as the
            # subject or object of the verb that governs the event
            d = _dist(root, c.tok)
            if d[0] <= 6 and not any(_dist(root, o.tok) < d for o in others if o is not c):
                if best is None or d < best[0]:
                    best = (d, p, span)
            continue
        if (
            root.i in actor_tokens
            or root.dep_ in ("poss", "nsubj", "nsubjpass", "agent")
            and root.head.i != c.tok.i
        ):
            if not (root.dep_ in ("nsubj",) and is_copula(root.head)):
                continue
        linked = (
            (root.dep_ == "pobj" and root.head.lower_ in LOC_PREPS)
            # "the fighting spread north to Bajaur": the place the violence reached
            or (
                root.dep_ == "pobj"
                and root.head.lower_ in SPREAD_PREPS
                and root.head.head.lemma_.lower() in SPREAD_VERBS
            )
            or root.dep_ in ("compound", "nmod", "npadvmod")
            or (
                root.dep_ in ("appos", "conj")
                and root.head.dep_ == "pobj"
                and root.head.head.lower_ in LOC_PREPS
            )
        )
        if not linked:
            continue
        if p.kind in ("country", "region") and not (
            root.dep_ == "pobj" and root.head.lower_ in AREA_PREPS
        ):
            continue
        d = _dist(root, c.tok)
        # the only event of its sentence may take a locative phrase further down
        # ("jets struck what the military described as hideouts of the TTP in
        # Kunar's Dangam district")
        reach = 9 if _far_locative_below(root, c, others) else 6
        if d[0] > reach or any(_dist(root, o.tok) < d for o in others if o is not c):
            continue
        if best is None or d < best[0]:
            best = (d, p, span)
    return (best[1], best[2]) if best else (None, None)


def _inherit_crossings(status: list[_Cand], last: list[Place]) -> None:
    """
    Crossings for closure/reopening triggers that do not name one.

    A trigger in a sentence where another status trigger names crossings takes
    them ("the Ghulam Khan crossing, which had been closed on 2 March, was
    reopened on 12 March"); one whose subject or object is "the crossing", "the
    terminal", "the gate" or "it" takes the crossing last named in the article.
    """
    named = [c for c in status if c.crossings]
    for c in status:
        if c.crossings:
            continue
        if named:
            c.crossings = list(named[0].crossings)
            continue
        tok = c.tok
        args = _args(tok, ("nsubj", "nsubjpass", "dobj"))
        if tok.dep_ in ("conj", "xcomp", "acomp", "oprd") and not args:
            args = [ch for ch in tok.head.children if ch.dep_ in ("nsubj", "nsubjpass", "dobj")]
        if tok.dep_ in ("relcl", "acl"):
            args.append(tok.head)
        if tok.pos_ in ("NOUN", "PROPN"):
            args.extend(ch for ch in tok.children if ch.dep_ == "prep")
        refs = {a.lemma_.lower() for a in args} | {a.lower_ for a in args}
        if (
            refs & CROSSING_REF
            and not any(
                ch.lower_ in CROSSING_QUANTIFIERS or ch.like_num for a in args for ch in a.children
            )
            and last
        ):
            c.crossings = list(last)
