"""Dependency-tree helpers shared by the stages: arguments, clauses, distances.

They know spaCy's dependency labels (``nsubj``, ``advcl``, ...); the few
function words they need ("of", the prepositions of an argument) come from
:mod:`geomap.events.lexicon` (``grammar.toml``).
"""

from __future__ import annotations

from typing import Any

from geomap.events.lexicon import ARG_PREPS, OF


def _args(tok: Any, deps: tuple[str, ...]) -> list[Any]:
    """
    List the children of ``tok`` with a label in ``deps``, and those of its auxiliaries.

    "It was last closed": the small model may hang the subject on the
    auxiliary ("was") instead of the participle.
    """
    out = [c for c in tok.children if c.dep_ in deps]
    out += [
        g
        for c in tok.children
        if c.dep_ in ("aux", "auxpass")
        for g in c.children
        if g.dep_ in deps
    ]
    return out


def _tree_path(a: Any, b: Any) -> int:
    """Count the dependency edges between tokens ``a`` and ``b`` of one sentence."""
    anc_a = [a] + list(a.ancestors)
    idx = {t.i: n for n, t in enumerate(anc_a)}
    for n, t in enumerate([b] + list(b.ancestors)):
        if t.i in idx:
            return idx[t.i] + n
    return 99


def _dist(a: Any, b: Any) -> tuple[int, int]:
    return (_tree_path(a, b), abs(a.i - b.i))


def _chain(tok: Any) -> list[Any]:
    """List the trigger and its governors up to the clause boundary (relcl/advcl/ROOT)."""
    out = [tok]
    cur = tok
    while cur.head.i != cur.i:
        if cur.dep_ in ("relcl", "advcl", "parataxis") or (
            cur.dep_ == "conj" and cur.pos_ == "VERB"
        ):
            break
        cur = cur.head
        out.append(cur)
        if cur.dep_ == "ROOT":
            break
    return out


def _first_verb(chain: list[Any]) -> Any | None:
    for t in chain:
        if t.pos_ in ("VERB", "AUX"):
            return t
    return None


def _arg_heads(tok: Any) -> set[str]:
    """
    Collect the lower-case head words of a verb's subject and object, for domain checks.

    With their compounds, modifiers and conjuncts, and "Y" of "X of Y".
    """
    heads: set[str] = set()
    args = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
    if tok.dep_ in ("conj", "xcomp", "acomp", "oprd", "ccomp") and not args:
        args = [c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
    if tok.dep_ in ("acl", "amod", "relcl"):
        args.append(tok.head)
        # "the crossing in North Waziristan, which had been closed": the parser may hang
        # the relative clause on the place; its antecedent is the noun above the preposition
        if tok.head.dep_ == "pobj" and tok.head.head.dep_ == "prep":
            args.append(tok.head.head.head)
    for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ in ARG_PREPS):
        args.extend(c for c in prep.children if c.dep_ == "pobj")
    for a in args:
        heads.add(a.lower_)
        heads.update(c.lower_ for c in a.children if c.dep_ in ("compound", "amod", "conj"))
        for prep in (c for c in a.children if c.dep_ == "prep" and c.lower_ in OF):
            heads.update(c.lower_ for c in prep.children if c.dep_ == "pobj")
    return heads


def _arg_words(tok: Any) -> set[str]:
    """
    Collect the lower-case words of the subject/object subtrees of a verb trigger.

    For a noun trigger: its own subtree and its head's.
    """
    words: set[str] = set()
    if tok.pos_ in ("VERB", "AUX"):
        for c in tok.children:
            if c.dep_ in (
                "nsubj",
                "nsubjpass",
                "dobj",
                "attr",
                "prep",
                "agent",
                "npadvmod",
                "advmod",
                "oprd",
            ):
                words.update(t.lower_ for t in c.subtree)
        if tok.dep_ in ("acl", "relcl", "amod"):
            words.update(t.lower_ for t in tok.head.subtree if t.i < tok.i)
        if tok.dep_ in ("conj", "xcomp"):
            for c in tok.head.children:
                if c.dep_ in ("nsubj", "nsubjpass"):
                    words.update(t.lower_ for t in c.subtree)
    else:
        words.update(t.lower_ for t in tok.subtree)
        words.update(t.lower_ for t in tok.head.subtree)
    return words


def _argument_tokens(tok: Any) -> set[int]:
    """Token indices of a trigger's subject/object (its governor's, for "remained closed")."""
    args = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
    if not args and tok.dep_ in ("acomp", "xcomp", "oprd"):
        args = [c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
    return {t.i for a in args for t in a.subtree}


_CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "xcomp", "conj", "parataxis", "acl", "csubj"})


def _phrase_path(tok: Any, top: Any) -> bool:
    """Tell whether ``top`` is an ancestor of ``tok`` through phrase (not clause) edges only."""
    cur = tok
    while cur.head.i != cur.i:
        if cur.dep_ in _CLAUSE_DEPS:
            return False
        cur = cur.head
        if cur.i == top.i:
            return True
    return False


def _clause(tok: Any) -> list[Any]:
    """Tokens of the trigger's own clause (its verb's subtree minus other clauses), in order."""
    if tok.pos_ not in ("VERB", "AUX"):
        # "the crossings remain closed" (an adjective complement): the verb's clause
        if tok.dep_ in ("nsubj", "nsubjpass", "acomp", "oprd") and tok.head.pos_ in ("VERB", "AUX"):
            tok = tok.head
        else:
            return list(tok.subtree)
    verb = tok.head if tok.dep_ in ("acomp", "xcomp", "oprd") else tok
    skip: set[int] = set()
    for c in verb.children:
        if c.dep_ in ("advcl", "conj", "ccomp", "relcl", "parataxis") and tok not in c.subtree:
            skip.update(t.i for t in c.subtree)
    return [t for t in verb.subtree if t.i not in skip]


def _agent_tokens(tok: Any) -> list[Any]:
    """
    Tokens that name who acts in trigger ``tok``.

    The subject or "by" agent of a verb trigger ("Pakistani aircraft struck"),
    the modifiers of a noun trigger ("Pakistani airstrikes"), and for a noun
    trigger that is the subject of a verb, that verb's agentive subject only
    through the noun itself.  Targets (objects, passive subjects) are not agents.
    """
    if tok.pos_ in ("VERB", "AUX"):
        heads = [c for c in tok.children if c.dep_ in ("nsubj", "agent")]
        if not heads and tok.dep_ in ("conj", "xcomp"):
            heads = [c for c in tok.head.children if c.dep_ in ("nsubj", "agent")]
    else:
        heads = [c for c in tok.children if c.dep_ in ("amod", "compound", "poss", "nmod")]
    return [t for h in heads for t in h.subtree]


def _actor_clause(tok: Any) -> list[Any]:
    """
    Tokens of the clause whose participants are the actors of trigger ``tok``.

    A verb's own clause (:func:`_clause`); for a noun trigger the clause of the
    verb governing it, through "plan/agree/want to ..." complements ("Afghan
    and Pakistani officials plan to hold talks").
    """
    if tok.pos_ in ("VERB", "AUX"):
        return _clause(tok)
    verb = next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None)
    if verb is None:
        return list(tok.subtree)
    while verb.dep_ == "xcomp" and verb.head.i != verb.i:
        verb = verb.head
    return _clause(verb)


def doc_text_rel(tok: Any, sent: Any) -> tuple[int, int]:
    """
    Sentence-relative character bounds of ``tok``'s subtree.

    Parameters
    ----------
    tok
        A spaCy ``Token`` of a parsed sentence.
    sent
        The spaCy sentence ``Span`` that holds ``tok``.

    Returns
    -------
    tuple of int
        (start, end) character offsets relative to the sentence.
    """
    sub = list(tok.subtree)
    return sub[0].idx - sent.start_char, sub[-1].idx + len(sub[-1]) - sent.start_char
