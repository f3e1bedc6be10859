"""Named predicates on tokens and places that rule a trigger in or out, or type it.

Each guard answers one question about a spaCy token ("is it a munition?",
"does it let people pass?", "is it inside a condition?", "is it wished
for?") from the vocabulary of :mod:`geomap.events.lexicon`; the stages call
guards instead of comparing tokens with words (module docstring of
:mod:`geomap.events`, steps 1, 2 and 5).

Unless its docstring says otherwise, a guard takes ``tok``, a spaCy
``Token`` of a parsed sentence, and returns a bool.
"""

from __future__ import annotations

from typing import Any

from geomap.events.lexicon import (
    ARMED_AGENTS,
    ARMED_TARGETS,
    ATTACK_PREPS,
    BLAME_PREPS,
    CALL,
    CALL_PREPS,
    COND_MARKS,
    COPULA,
    DEFINITE,
    END_PREPS,
    ENDINGS,
    FIRE,
    FIRE_INTO_AIR,
    FIRE_PREPS,
    FORCE_WORDS,
    GENERIC_DETS,
    HABITUAL_MARKS,
    HURT_LEMMAS,
    IMPACT_VERBS,
    INFINITIVE,
    KILL_LEMMAS,
    MOTIVE_FRAMES,
    MOTIVE_NOUNS,
    MOTIVE_PREPS,
    MUNITIONS,
    NEGATORS,
    NOT_WEAPON_FIRE,
    OPEN,
    PERMIT_PASSAGE,
    POSSESSIVE_SUFFIXES,
    PURPOSE_PREPS,
    REACTIONS,
    RELUCTANT,
    REPORT_VERBS,
    RHETORIC,
    RIGHT,
    RIGHT_KEEPERS,
    ROUND_MODS,
    ROUND_NOUNS,
    SECURITY_TARGETS,
    SIDE_WORDS,
    START_MARKS,
    START_VERBS,
    STRIKE_TARGETS,
    STRIKE_VERBS,
    THREAT,
    TOPIC_PREPS,
    TOPIC_VERBS,
    TRIGGERS,
    UNDER_FIRE_NOUNS,
    UNDER_FIRE_PREPS,
    UNDER_FIRE_VERBS,
    VIOLENT_GENERIC,
    VIOLENT_TYPES,
    WISH,
)
from geomap.events.syntax import _chain
from geomap.schema import Place
from geomap.timeline import crossing_id_for


def is_munition(tok: Any) -> bool:
    """Tell whether the noun ``tok`` names indirect-fire munitions ("shells", "mortar rounds")."""
    low = tok.lower_
    if low in MUNITIONS:
        return True
    if tok.lemma_.lower() in ROUND_NOUNS:
        return any(c.lower_ in ROUND_MODS for c in tok.children if c.dep_ in ("compound", "amod"))
    return False


def fire_type(tok: Any) -> str | None:
    """
    Type a projectile's impact or weapons fire: ``clash``, ``attack`` or None.

    Gold annotation rules (tests/data/gold/README.md): shelling is ``clash``,
    one-sided firing on a target is ``attack``.

    - an impact verb (:data:`IMPACT_VERBS`) whose subject (or passive agent)
      is a munition: "artillery shells struck villages", "mortar rounds landed
      in ...", "villages were hit by rockets" → ``clash`` (shelling);
    - "strike" with a military target as object ("struck militant hideouts",
      "struck border posts"; :data:`STRIKE_TARGETS`), means not stated →
      ``attack`` (retyped ``clash``/``airstrike`` by the armed-group rule);
    - the verb "fire" with a munition as object ("fired mortar shells into
      Kunar"), or as the subject of an objectless "fired" (a misparsed reduced
      relative: "shells fired from across the border landed ...") → ``clash``;
      with a target after on/at/into ... ("militants fired
      on a post", "forces fired at posts") → ``attack``; tear gas, warning
      shots, flares or "into the air" are not weapons fire (None); "fire" with
      neither (a dismissal, "had fired first") → None;
    - the noun "fire" after "open" with a target ("opened fire on a
      checkpoint") → ``attack``; with a munition modifier ("mortar fire",
      "artillery fire") → ``clash``.

    Parameters
    ----------
    tok
        A spaCy ``Token`` of a parsed sentence.

    Returns
    -------
    str or None
    """
    lemma = tok.lemma_.lower()
    if tok.pos_ == "VERB" and lemma in IMPACT_VERBS:
        subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
        subj += [g for c in tok.children if c.dep_ == "agent" for g in c.children]
        if any(is_munition(s) for s in subj):
            return "clash"
        agents = {t.lower_ for s in subj for t in s.subtree}
        if (
            lemma in STRIKE_VERBS
            and any(c.dep_ == "dobj" and c.lemma_.lower() in STRIKE_TARGETS for c in tok.children)
            and (sides_of(t for s in subj for t in s.subtree) or agents & ARMED_AGENTS)
        ):
            # "forces struck militant hideouts": a strike by a side, means not stated (not
            # "a roadside bomb struck a vehicle": the bomb is the event; not an earthquake)
            return "attack"
        return None
    words = {t.lower_ for t in tok.subtree}
    # "tear gas being fired at the crowd" (the parser may hang "fired" elsewhere)
    words |= {t.lower_ for t in tok.doc[max(tok.sent.start, tok.i - 3) : tok.i]}
    if words & NOT_WEAPON_FIRE:
        return None
    if tok.pos_ == "VERB" and lemma in FIRE:
        if tok.dep_ in ("acl", "relcl") and is_munition(tok.head):
            return None  # "hit by rockets fired from across the border": the impact is the event
        objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
        if any(is_munition(o) for o in objs):
            return "clash"
        if not objs and any(is_munition(c) for c in tok.children if c.dep_ == "nsubj"):
            # "mortar shells fired from across the border landed ...": a reduced
            # relative the small model reads as the main verb (shells do not fire)
            return "clash"
        targets = [
            g
            for c in tok.children
            if c.dep_ == "prep" and c.lower_ in FIRE_PREPS
            for g in c.children
            if g.dep_ == "pobj"
        ]
        if targets and not any(
            g.lower_ in FIRE_INTO_AIR or g.lemma_.lower() in RHETORIC for g in targets
        ):
            return "attack"
        return None
    if tok.pos_ in ("NOUN", "PROPN") and tok.lower_ in FIRE:
        if any(is_munition(c) for c in tok.children if c.dep_ in ("compound", "amod")):
            return "clash"
        if under_fire(tok):
            return "attack"  # "an outpost came under fire": an attack on the outpost
        if tok.dep_ == "dobj" and tok.head.lemma_.lower() in OPEN:
            if any(c.dep_ == "prep" and c.lower_ in FIRE_PREPS for c in tok.head.children):
                return "attack"
    return None


def under_fire(tok: Any) -> bool:
    """
    Tell whether ``tok`` is the fire or attack its clause's subject came under.

    "An outpost near Angoor Adda came under fire", "the convoy came under heavy
    attack": a noun of :data:`UNDER_FIRE_NOUNS` after a preposition of
    :data:`UNDER_FIRE_PREPS` on a verb of :data:`UNDER_FIRE_VERBS`.  Criticism
    is no fire: not with a rhetorical word in the clause ("came under fire
    from critics", "over his remarks"), a person as the subject, or a
    preposition of blame ("came under fire for closing the border").
    """
    if tok.lemma_.lower() not in UNDER_FIRE_NOUNS and tok.lower_ not in UNDER_FIRE_NOUNS:
        return False
    prep = tok.head
    if tok.dep_ != "pobj" or prep.lower_ not in UNDER_FIRE_PREPS:
        return False
    verb = prep.head
    if verb.lemma_.lower() not in UNDER_FIRE_VERBS:
        return False
    if any(t.lemma_.lower() in RHETORIC for t in verb.subtree):
        return False
    if any(c.dep_ == "prep" and c.lower_ in BLAME_PREPS for w in (verb, tok) for c in w.children):
        return False
    subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    return not any(t.ent_type_ == "PERSON" for s in subj for t in s.subtree)


def permits_passage(tok: Any) -> bool:
    """Tell whether a let/allow/permit verb governs a passage ("let X cross", "allowed through")."""
    for c in tok.children:
        if c.dep_ in ("ccomp", "xcomp", "advmod", "prt", "prep", "advcl", "conj"):
            if c.lemma_.lower() in PERMIT_PASSAGE:
                return True
    return False


def litotes(chain: list[Any]) -> Any | None:
    """
    Find a negated verb of reluctance over the trigger ("will not hesitate to respond").

    Parameters
    ----------
    chain
        The trigger and its governors up to its clause boundary (``syntax._chain``).

    Returns
    -------
    spacy.tokens.Token or None
        None when there is none.
    """
    for t in chain[1:3]:
        if t.lemma_.lower() in RELUCTANT and any(
            c.dep_ == "neg" or is_negator(c) for c in t.children
        ):
            return t
    return None


def keeps_right(chain: list[Any]) -> bool:
    """
    Tell whether the trigger is an act a party "reserves the right" to do.

    Parameters
    ----------
    chain
        The trigger and its governors up to its clause boundary (``syntax._chain``).

    Returns
    -------
    bool
    """
    for n, t in enumerate(chain[1:3], start=1):
        if (
            t.lemma_.lower() in RIGHT
            and chain[n - 1].dep_ in ("acl", "xcomp", "relcl")
            and (
                t.head.lemma_.lower() in RIGHT_KEEPERS
                # the small model may read "reserves" as a noun: "[Pakistan reserves] the right"
                or any(
                    c.lemma_.lower() in RIGHT_KEEPERS and c.dep_ in ("nsubj", "compound")
                    for c in t.children
                )
            )
        ):
            return True
    return False


def sides_of(tokens: Any) -> set[str]:
    """
    Name the sides of the conflict among ``tokens`` (:data:`SIDE_WORDS`).

    Parameters
    ----------
    tokens
        spaCy ``Token`` objects (any iterable).

    Returns
    -------
    set of str
    """
    words = set()
    for t in tokens:
        word = t.lower_
        for suffix in POSSESSIVE_SUFFIXES:
            word = word.removesuffix(suffix)
        words.add(word)
    return {side for side, ws in SIDE_WORDS.items() if words & ws}


def report_verb(tok: Any) -> Any | None:
    """
    Find the reporting verb ("say", "tell", ...) that governs the clause of ``tok``.

    A governor ("officials said that ... struck") or a trailing report on the
    clause ("... struck houses, officials said"); None if there is none.

    Parameters
    ----------
    tok
        A spaCy ``Token`` of a parsed sentence.

    Returns
    -------
    spacy.tokens.Token or None
        None when there is none.
    """
    report = next((a for a in tok.ancestors if a.lemma_.lower() in REPORT_VERBS), None)
    if report is not None:
        return report
    top = tok
    while top.dep_ in ("conj", "xcomp") and top.head.i != top.i:
        top = top.head
    return next(
        (
            c
            for c in top.children
            if c.dep_ in ("parataxis", "ccomp", "advcl") and c.lemma_.lower() in REPORT_VERBS
        ),
        None,
    )


def is_forceful(tok: Any) -> bool:
    """
    Tell whether a respond/response trigger is a threat of force.

    A force word modifies it ("respond forcefully", "a befitting response",
    "respond in kind", "with full force": :data:`FORCE_WORDS`), or a warning
    governs it ("warned of a response", "will not hesitate to respond",
    "reserves the right to respond").
    """
    near = [c for c in tok.children if c.dep_ in ("advmod", "amod", "prep", "npadvmod")]
    words = {t.lower_ for c in near for t in c.subtree}
    chain = _chain(tok)
    return bool(
        words & FORCE_WORDS
        or {t.lemma_.lower() for t in chain[1:]} & THREAT
        or litotes(chain) is not None
        or keeps_right(chain)
    )


def how_it_began(tok: Any) -> bool:
    """
    Tell whether ``tok`` tells how an already-mentioned violent episode began.

    "The clash started when Afghan forces fired at a post": the firing is a
    detail of the clash, not a new incident (gold README: details of an
    episode already annotated are not events).  ``tok`` heads (or is the
    subject/object of) a "when/as" clause of a start verb
    (:data:`START_VERBS`) whose subject is a definite violent noun.
    """
    clause = tok if tok.pos_ in ("VERB", "AUX") else tok.head
    if clause.dep_ != "advcl" or not any(c.lower_ in START_MARKS for c in clause.children):
        return False
    gov = clause.head
    if gov.lemma_.lower() not in START_VERBS:
        return False
    violent_nouns = set(VIOLENT_GENERIC) | {w for t in VIOLENT_TYPES for w in TRIGGERS[t]["noun"]}
    return any(
        c.dep_ in ("nsubj", "nsubjpass")
        and c.lemma_.lower() in violent_nouns
        and any(d.lower_ in DEFINITE for d in c.children)
        for c in gov.children
    )


def habitual_when(tok: Any) -> bool:
    """
    Tell whether ``tok`` is in a "when/whenever" clause in the simple present.

    "When a bomb falls in Dangam, the mourning is in Bajaur too": a clause of
    what happens whenever it happens, not an incident (gold README: generic
    statements are not events).  The clause's verb is the trigger itself or
    the verb whose subject/object the trigger is.
    """
    verb = tok if tok.pos_ in ("VERB", "AUX") else tok.head
    if tok.pos_ not in ("VERB", "AUX") and tok.dep_ not in ("nsubj", "nsubjpass", "dobj"):
        return False
    return (
        verb.dep_ in ("advcl", "ROOT")  # the small model may make the clause the root
        and verb.tag_ in ("VBZ", "VBP")
        and any(c.lower_ in HABITUAL_MARKS for c in verb.children)
        and not any(c.dep_ in ("aux", "auxpass") for c in verb.children)
    )


def topic_of_discussion(tok: Any) -> bool:
    """
    Tell whether ``tok`` names what a discussion is about ("talks focus on a ceasefire mechanism").

    Walks up noun-phrase and prepositional links (compound, object of a
    preposition, direct object, conjunct) to the first verb and asks whether
    it is one of :data:`TOPIC_VERBS`.
    """
    cur = tok
    for _ in range(6):
        if cur.dep_ not in ("compound", "pobj", "prep", "dobj", "conj", "amod", "nmod"):
            return False
        if cur.dep_ == "pobj" and cur.head.lower_ in TOPIC_PREPS:
            # "negotiations on a ceasefire framework", "talks about a truce mechanism"
            if cur.head.head.lemma_.lower() in TRIGGERS["talks"]["noun"]:
                return True
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            return cur.lemma_.lower() in TOPIC_VERBS
    return False


def is_motive(tok: Any) -> bool:
    """
    Tell whether an event noun is the motive of another act, not an event.

    A bare noun after a motive preposition ("closed the border in protest",
    "fired in retaliation") or framed by a motive noun ("as a mark of
    protest"): the act it explains is the event.
    """
    if tok.lemma_.lower() not in MOTIVE_NOUNS or tok.dep_ != "pobj":
        return False
    prep = tok.head
    bare = not any(c.dep_ in ("det", "poss") for c in tok.children)
    if bare and prep.lower_ in MOTIVE_PREPS:
        return True
    frame = prep.head
    return (
        frame.lemma_.lower() in MOTIVE_FRAMES
        and frame.dep_ == "pobj"
        and frame.head.lower_ in MOTIVE_PREPS
    )


def is_generic(tok: Any) -> bool:
    """Tell generic or habitual mentions ("to stage bombings", "such attacks", "when it falls")."""
    if habitual_when(tok):
        return True
    if tok.pos_ in ("NOUN", "PROPN") and any(
        c.lower_ in GENERIC_DETS and c.dep_ in ("amod", "det", "predet") for c in tok.children
    ):
        return True  # "has blamed such attacks on ...": a kind of event, not one
    if tok.pos_ not in ("NOUN", "PROPN") or tok.tag_ != "NNS":
        return False
    if any(c.dep_ == "det" for c in tok.children):
        return False
    head = tok.head
    if tok.dep_ == "pobj" and head.lower_ in PURPOSE_PREPS and head.head.pos_ == "NOUN":
        return True
    for n, anc in enumerate(tok.ancestors):
        if n >= 3:
            break
        if anc.pos_ == "VERB" and any(
            c.dep_ == "aux" and c.lower_ in INFINITIVE for c in anc.children
        ):
            return True
        if anc.pos_ == "VERB":
            break
    return False


def names_crossing(p: Place) -> bool:
    """
    Tell whether a place gives its name to a crossing ("Chaman"; counts in "both crossings").

    Parameters
    ----------
    p
        A resolved :class:`geomap.schema.Place`.

    Returns
    -------
    bool
    """
    return crossing_id_for(p.name or p.mention) is not None


def attack_targets(tok: Any) -> list[Any]:
    """
    Tokens of what an "attack" trigger is aimed at.

    The direct object of a verb trigger, or the object of "on"/"against" after
    a noun trigger ("an attack on militant camps").

    Parameters
    ----------
    tok
        A spaCy ``Token`` of a parsed sentence.

    Returns
    -------
    list of spacy.tokens.Token
    """
    if tok.pos_ in ("VERB", "AUX"):
        targets = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
        if tok.lemma_.lower() in FIRE:  # "fired on militant positions"
            targets += [g for c in tok.children if c.lower_ in FIRE_PREPS for g in c.children]
    else:
        targets = [g for c in tok.children if c.lower_ in ATTACK_PREPS for g in c.children]
    return [t for g in targets for t in g.subtree]


def targets_armed_group(tok: Any) -> bool:
    """Tell whether an "attack" trigger is aimed at an armed group ("targeted TTP hideouts")."""
    return any(t.lower_ in ARMED_TARGETS for t in attack_targets(tok))


def targets_security_forces(tok: Any) -> bool:
    """
    Tell whether an "attack" is aimed at soldiers, police or their posts.

    "Fighters attacked a checkpost ..., killing three Frontier Corps soldiers":
    the target, or the victims of a "killing/wounding" clause of the trigger.
    ACLED codes such attacks as Battles (armed clash), never as violence
    against civilians.
    """
    victims = [
        t
        for c in tok.children
        if c.dep_ == "advcl" and c.lemma_.lower() in KILL_LEMMAS | HURT_LEMMAS
        for o in c.children
        if o.dep_ == "dobj"
        for t in o.subtree
    ]
    return any(t.lower_ in SECURITY_TARGETS for t in attack_targets(tok) + victims)


def reacted_to(tok: Any) -> bool:
    """
    Tell whether a violent noun is what a reaction is about.

    "Washington said it was deeply concerned by the recent fighting", "Beijing
    condemned the clashes", "called for an end to the fighting": the speakers
    react to violence reported elsewhere; they are not its parties.
    """
    head = tok.head
    if tok.dep_ == "pobj" and head.dep_ in ("prep", "agent"):
        if head.lower_ in END_PREPS and head.head.lemma_.lower() in ENDINGS:
            return True
        head = head.head
    elif tok.dep_ != "dobj":
        return False
    return head.lemma_.lower() in REACTIONS or head.lower_ in REACTIONS


def in_condition(tok: Any) -> bool:
    """Tell whether ``tok`` is inside a condition clause ("if/unless/once/whenever/until ...")."""
    cur = tok
    for _ in range(8):
        if cur.dep_ == "advcl" and any(
            m.dep_ in ("mark", "advmod") and m.lower_ in COND_MARKS for m in cur.children
        ):
            return True
        if cur.head.i == cur.i:
            break
        cur = cur.head
    return False


def wished(tok: Any) -> bool:
    """Tell whether ``tok`` is the complement of a demand or the topic of a negotiation."""
    path = [tok]
    for anc in list(tok.ancestors)[:3]:
        if anc.lemma_.lower() in WISH:
            if anc.lemma_.lower() in CALL and not any(t.lower_ in CALL_PREPS for t in path):
                return False
            return True
        if anc.pos_ in ("VERB", "AUX") and anc.dep_ not in ("xcomp", "ccomp", "conj"):
            if path[-1].dep_ not in ("xcomp", "ccomp", "dobj", "pobj", "prep"):
                return False
        path.append(anc)
    return False


def is_crossing(p: Place) -> bool:
    """
    Tell whether a place is a border crossing (by kind or gazetteer id).

    Parameters
    ----------
    p
        A resolved :class:`geomap.schema.Place`.

    Returns
    -------
    bool
    """
    return p.kind == "crossing" or bool(p.gazetteer_id and p.gazetteer_id.startswith("crossing:"))


def is_copula(tok: Any) -> bool:
    """
    Tell whether ``tok`` is the copula ("be"; its lemma, as spaCy gives it).

    Parameters
    ----------
    tok
        A spaCy ``Token``.

    Returns
    -------
    bool
        True when its lemma is in :data:`~geomap.events.lexicon.COPULA`.
    """
    return tok.lemma_ in COPULA


def is_negator(tok: Any) -> bool:
    """
    Tell whether ``tok`` is a negating word ("no", "never").

    Parameters
    ----------
    tok
        A spaCy ``Token``; its lower-case text is compared.

    Returns
    -------
    bool
        True when it is in :data:`~geomap.events.lexicon.NEGATORS`.
    """
    return tok.lower_ in NEGATORS
