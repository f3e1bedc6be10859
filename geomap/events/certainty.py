"""Certainty of an event from the dependency parse of its trigger's clause.

Step 2 of the method (:mod:`geomap.events`): negation, threat, condition,
plan and report cues (NegEx-style cue lists in ``lexicon/certainty.toml``)
over the chain of governors of the trigger.
"""

from __future__ import annotations

from typing import Any

from geomap.events.guards import is_copula, is_negator, keeps_right, litotes, report_verb, sides_of
from geomap.events.lexicon import (
    AGREE,
    COND,
    COND_MARKS,
    FALSE_WORDS,
    FUTURE_AUX,
    IF_MARKS,
    MAYBE_AUX,
    NEG_VERBS,
    PLAN,
    PLAN_MODIFIERS,
    PURPOSE_PLAN,
    REPORT,
    REPORT_NOUNS,
    THREAT,
    THREAT_PREFIXES,
    UNTIL_MARKS,
    VIOLENT_TYPES,
    WHEN_MARKS,
)
from geomap.events.syntax import _chain, _first_verb


def _agreed_fact(chain: list[Any]) -> set[str]:
    """
    {"agree"} when a past "agree" governs the trigger directly: an agreement made.

    "agreed a ceasefire", "agreed on a truce", "the ceasefire agreed last month"
    state that the agreement occurred; "agreed to hold talks" (the trigger under
    a verbal complement) is a plan.
    """
    for k, t in enumerate(chain):
        if t.lemma_.lower() in AGREE:
            if t.tag_ in ("VBD", "VBN") and not any(
                c.dep_ in ("xcomp", "ccomp") or c.pos_ == "VERB" for c in chain[:k]
            ):
                return set(AGREE)
            return set()
    return set()


def _purpose_of_subject(chain: list[Any]) -> set[str]:
    """Give the purpose-plan lemmas the chain reaches as their subject ("was aimed at")."""
    return {
        t.lemma_.lower()
        for below, t in zip(chain, chain[1:], strict=False)
        if t.lemma_.lower() in PURPOSE_PLAN and below.dep_ in ("nsubj", "nsubjpass")
    }


def _certainty(tok: Any) -> str:
    chain = _chain(tok)
    lemmas = {t.lemma_.lower() for t in chain}
    verb = _first_verb(chain)
    reluctant = litotes(chain)
    negated = any(c.dep_ == "neg" for c in tok.children) or any(
        is_negator(c) and c.dep_ in ("det", "neg") for c in tok.children
    )
    if (
        verb is not None
        and verb is not tok
        and verb is not reluctant
        and not (is_copula(verb) and tok.dep_ in ("nsubj", "attr", "nsubjpass"))
    ):
        if not is_copula(verb) or tok.head is verb:
            negated = negated or any(c.dep_ == "neg" for c in verb.children)
    # negation of an auxiliary-like governor ("did not engage in talks", "has not closed");
    # not of a verb of reluctance: "will not hesitate to respond" affirms the response
    for t in chain[1:3]:
        if (
            t.pos_ == "VERB"
            and not is_copula(t)
            and t is not reluctant
            and any(c.dep_ == "neg" for c in t.children)
        ):
            if not is_copula(t):
                negated = True
    # "there were no instructions to reopen the gate", "received no orders to open it"
    for t in chain[1:3]:
        if t.pos_ == "NOUN" and any(is_negator(c) and c.dep_ in ("det", "neg") for c in t.children):
            negated = True
    # "Reports that trade had resumed at Torkham were incorrect": a corrected report
    for t in tok.ancestors:
        if t.pos_ == "NOUN" and t.lemma_.lower() in REPORT_NOUNS:
            if any(
                c.dep_ in ("acomp", "attr") and c.lower_ in FALSE_WORDS for c in t.head.children
            ):
                negated = True
            break
    if lemmas & NEG_VERBS:
        return "negated"
    if negated:
        return "negated"
    if lemmas & THREAT or any(
        c.lemma_.lower() in THREAT or c.lower_.startswith(THREAT_PREFIXES) for c in tok.children
    ):
        return "threatened"
    # "reserves the right to retaliate"; "will not hesitate to close the border" (a
    # warning of what the speaker would do; "did not hesitate to close it" is a fact)
    if keeps_right(chain) or (
        reluctant is not None
        and {c.lower_ for c in reluctant.children if c.dep_ == "aux"} & FUTURE_AUX
    ):
        return "threatened"
    verbs = [t for t in chain if t.pos_ in ("VERB", "AUX")]
    for v in verbs[:2]:
        for c in v.children:
            if c.dep_ == "advcl" and any(
                m.lower_ in IF_MARKS and m.dep_ == "mark" for m in c.children
            ):
                return "conditional"
    if lemmas & COND:
        return "conditional"
    aux = {
        c.lower_ for v in ([tok] + verbs[:2]) for c in v.children if c.dep_ in ("aux", "auxpass")
    }
    if aux & FUTURE_AUX:
        for v in [tok] + verbs[:2]:
            for c in v.children:
                if c.dep_ == "advcl" and any(
                    m.dep_ in ("mark", "advmod") and m.lower_ in COND_MARKS | WHEN_MARKS
                    for m in c.children
                ):
                    return "conditional"
    if aux & MAYBE_AUX:
        return "conditional"
    if (
        aux & FUTURE_AUX
        or (lemmas - _agreed_fact(chain) - _purpose_of_subject(chain)) & PLAN
        or any(c.lower_ in PLAN_MODIFIERS for c in tok.children if c.dep_ == "amod")
    ):
        return "planned"
    if lemmas & REPORT or any(c.lower_ in REPORT for v in [tok] + verbs[:2] for c in v.children):
        return "reported"
    return "occurred"


def _one_sided_claim(tok: Any) -> bool:
    """
    Tell whether the violent trigger ``tok`` is one side's claim about another's act.

    Gold annotation rules (tests/data/gold/README.md): "Afghan officials said
    Pakistani aircraft struck ..." and "the army said militants had fired ..."
    are ``reported``; plain attribution ("local officials said") stays
    ``occurred``.  True when the subject of the reporting verb that governs the
    trigger's clause names one side (:data:`SIDE_WORDS`) and the trigger's own
    subject names only other sides.
    """
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    agent = [c for c in tok.children if c.dep_ in ("nsubj", "agent")]
    acting = sides_of(t for a in agent for t in a.subtree)
    if not acting:
        return False
    report = report_verb(tok)
    if report is None:
        return False
    speaker = [c for c in report.children if c.dep_ in ("nsubj", "nsubjpass")]
    speaking = sides_of(t for sp in speaker for t in sp.subtree)
    return bool(speaking) and not (speaking & acting)


def _event_certainty(tok: Any, etype: str) -> str:
    """
    Apply :func:`_certainty` and the rules for violence announced or claimed by a side.

    Announced violence is a threat ("will retaliate"); so is violence a party
    says it *will* commit under a condition ("will respond forcefully if its
    territory is violated": a conditional threat).  A condition with "could",
    "may" or "might", or an event noun as subject ("fighting could resume if
    talks fail"), stays ``conditional``.
    """
    cert = _certainty(tok)
    if etype not in VIOLENT_TYPES:
        return cert
    if cert == "occurred" and _one_sided_claim(tok):
        return "reported"
    if cert == "planned":
        return "threatened"
    if cert == "conditional" and tok.pos_ == "VERB":
        verbs = [t for t in _chain(tok) if t.pos_ in ("VERB", "AUX")][:2]
        aux = {c.lower_ for v in verbs for c in v.children if c.dep_ in ("aux", "auxpass")}
        if aux & FUTURE_AUX and not aux & MAYBE_AUX:
            return "threatened"
    return cert


def _future_aux_only(tok: Any) -> bool:
    """Tell whether a "remain/stay" state is future only by its auxiliary ("will stay shut")."""
    gov = tok.head if tok.dep_ in ("acomp", "xcomp", "oprd") else tok
    chain = {t.lemma_.lower() for t in _chain(gov)}
    aux = {c.lower_ for c in gov.children if c.dep_ == "aux"}
    return bool(aux & FUTURE_AUX) and not chain & PLAN


def _until_only(tok: Any) -> bool:
    """
    Tell whether an "until/till" clause is the only condition on the state at ``tok``.

    "will remain closed until an agreement is reached": the clause bounds the
    state; "if"/"unless"/"once" clauses, a modal "may/could" or a word of
    condition ("depends on") make it conditional.
    """
    gov = tok.head if tok.dep_ in ("acomp", "xcomp", "oprd") else tok
    marks = [
        m.lower_
        for v in (tok, gov)
        for c in v.children
        if c.dep_ == "advcl"
        for m in c.children
        if m.dep_ in ("mark", "advmod") and m.lower_ in COND_MARKS | WHEN_MARKS
    ]
    aux = {c.lower_ for c in gov.children if c.dep_ == "aux"}
    lemmas = {t.lemma_.lower() for t in _chain(gov)}
    return bool(marks) and set(marks) <= UNTIL_MARKS and not aux & MAYBE_AUX and not lemmas & COND
