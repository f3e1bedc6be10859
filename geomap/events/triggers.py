"""
Trigger matching: spaCy ``Matcher`` patterns and the rules that keep a match.

The patterns come from :data:`~geomap.events.lexicon.TRIGGERS`.

Step 1 of the method (:mod:`geomap.events`).  A kept match is a
:class:`_Cand` (candidate event) that the later stages date, place and fill.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from typing import Any

from geomap.dates import DateMention
from geomap.events.certainty import _event_certainty
from geomap.events.guards import (
    fire_type,
    how_it_began,
    in_condition,
    is_crossing,
    is_forceful,
    is_generic,
    is_motive,
    permits_passage,
    reacted_to,
    targets_armed_group,
    topic_of_discussion,
    wished,
)
from geomap.events.lexicon import (
    AIR_MODS,
    AIR_SUBJECTS,
    AIR_WORDS,
    ANAPHORIC_DETS,
    BACKGROUND_PREPS,
    BLOCK,
    BORDER_HEADS,
    BORDER_WORDS,
    CONTINUE_VERBS,
    COPULA,
    CROSSING_PRONOUNS,
    EXCHANGE,
    EXCHANGE_VERBS,
    FIRE,
    FIRE_EXCHANGED,
    FIRE_OBJECTS,
    FIRST,
    FLOW_WORDS,
    FUTURE_AUX,
    HOSTILE_ACTS,
    IMPACT_VERBS,
    MEET,
    MEETING_PARTIES,
    NEXT_ROUND,
    NORMAL_FLOW,
    OF,
    OPEN,
    OPEN_FIRE,
    OPERATION,
    OPERATION_MODS,
    PARTIAL_CUES,
    PARTIAL_VERBS,
    PASSAGE_PREPS,
    PASSAGE_VERBS,
    PERMIT,
    PROTESTERS,
    QUESTION_MARKS,
    RECENT,
    RESPOND,
    RESPONSE,
    RESPONSE_PREPS,
    RESUME_VERBS,
    ROUND_NOUNS,
    SEQUENCE_PREPS,
    SINCE,
    STATE_ADJ,
    STATUS,
    STRIKE_PREPS,
    STRIKE_PROTEST_MODS,
    STRIKE_VERBS,
    TALKS_WORDS,
    TARGET,
    TIME,
    TRAFFIC_NOUNS,
    TRIGGERS,
    VIOLENT_TYPES,
)
from geomap.events.syntax import _CLAUSE_DEPS, _arg_heads, _arg_words, _args
from geomap.schema import Place

#: The event type of other developments at the border (geomap.schema.EVENT_TYPES).
OTHER = "other"


@functools.lru_cache(maxsize=4)
def _matcher(vocab: Any) -> Any:
    from spacy.matcher import Matcher, PhraseMatcher

    m = Matcher(vocab)
    pm = PhraseMatcher(vocab, attr="LOWER")
    for etype, spec in TRIGGERS.items():
        if spec["verb"]:
            m.add(
                f"{etype}|verb",
                [
                    [{"LEMMA": {"IN": list(spec["verb"])}, "POS": {"IN": ["VERB", "AUX"]}}],
                    [{"LOWER": {"IN": list(spec["verb"])}, "POS": {"IN": ["VERB"]}}],
                ],
            )
        if etype in STATE_ADJ:
            # "was last shut": the small model may tag the participle as a noun; the
            # match is cut to its last token in _doc_matches
            m.add(
                f"{etype}|passive",
                [
                    [
                        {"LEMMA": {"IN": list(COPULA)}},
                        {"POS": {"IN": ["ADV", "ADJ", "PART"]}, "OP": "*"},
                        {
                            "LOWER": {"IN": list(STATE_ADJ[etype])},
                            "POS": {"IN": ["NOUN", "PROPN"]},
                        },
                    ]
                ],
            )
            # a predicative adjective ("remained closed", "is officially closed");
            # labelled "verb" so that it passes the same argument checks
            m.add(
                f"{etype}|verb",
                [
                    [
                        {
                            "LOWER": {"IN": list(STATE_ADJ[etype])},
                            "POS": "ADJ",
                            "DEP": {"IN": ["acomp", "oprd", "xcomp", "conj", "ROOT"]},
                        }
                    ]
                ],
            )
        if spec["noun"]:
            m.add(
                f"{etype}|noun",
                [
                    [{"LEMMA": {"IN": list(spec["noun"])}, "POS": {"IN": ["NOUN", "PROPN"]}}],
                    [{"LOWER": {"IN": list(spec["noun"])}, "POS": {"IN": ["NOUN", "PROPN"]}}],
                ],
            )
        if spec["phrase"]:
            from spacy.tokens import Doc

            # split like spaCy's tokenizer: "sit-in" -> sit, -, in
            pm.add(
                f"{etype}|phrase",
                [Doc(vocab, words=re.findall(r"\w+|[^\w\s]", p)) for p in spec["phrase"]],
            )
    # "let pedestrians cross", "trucks were allowed through": checked in _triggers
    m.add("reopening|permit", [[{"LEMMA": {"IN": list(PERMIT)}, "POS": "VERB"}]])
    # "mortar shells landed in ...", "militants fired on a post", "opened fire on",
    # "artillery fire": typed by fire_type in _triggers
    m.add("clash|impact", [[{"LEMMA": {"IN": list(IMPACT_VERBS)}, "POS": "VERB"}]])
    m.add(
        "attack|fire",
        [
            [{"LEMMA": {"IN": list(FIRE)}, "POS": "VERB"}],
            [{"LOWER": {"IN": list(FIRE)}, "POS": {"IN": ["NOUN", "PROPN"]}}],
        ],
    )
    return m, pm


def _doc_matches(doc: Any) -> list[tuple[int, int, int]]:
    """Trigger matches over the whole doc (cached on the doc's user_data)."""
    key = "geomap_event_matches"
    if key not in doc.user_data:
        matcher, pmatcher = _matcher(doc.vocab)
        found = []
        for mid, s, e in list(matcher(doc)) + list(pmatcher(doc)):
            label = doc.vocab.strings[mid]
            if label.endswith("|passive"):  # "was last shut" -> the participle, as a verb
                mid, s = doc.vocab.strings.add(label.replace("|passive", "|verb")), e - 1
            found.append((mid, s, e))
        doc.user_data[key] = found
    return doc.user_data[key]


@dataclasses.dataclass
class _Cand:
    etype: str
    tok: Any
    span: Any
    sent: Any
    certainty: str = "occurred"
    dates: list[DateMention] = dataclasses.field(default_factory=list)
    crossings: list[Place] = dataclasses.field(default_factory=list)
    #: a definite or pronominal re-mention ("the strike", "the protesters")
    anaphoric: bool = False
    #: an undated closure/reopening noun after "after/since/during/of" (a known period)
    background: bool = False
    #: a simple-present verb ("When Torkham closes, everything closes"): habitual
    habitual: bool = False
    #: "remain/stay closed": continues a state rather than starting an event
    continuing: bool = False
    #: a reaction to violence told elsewhere ("concerned by the recent fighting")
    remark: bool = False
    #: the place "there" refers to ("a clash there"), when the trigger says so
    there: Place | None = None


def _triggers(
    sent: Any, places_in_sent: list[tuple[Place, Any]], *, crossing_context: bool = False
) -> list[_Cand]:
    spans = []
    doc = sent.doc
    hits: list[tuple[str, str, Any]] = []
    for mid, s, e in _doc_matches(doc):
        if sent.start <= s and e <= sent.end:
            etype, pos = doc.vocab.strings[mid].split("|")
            hits.append((etype, pos, doc[s:e]))
    crossing_tokens = {t.i for p, span in places_in_sent if is_crossing(p) for t in span}
    violent_roots = {h[2].root.i for h in hits if h[0] in VIOLENT_TYPES}
    order = list(TRIGGERS)
    hits.sort(key=lambda h: (h[2].start, -len(h[2]), order.index(h[0])))
    used: set[int] = set()
    for etype, pos, span in hits:
        if any(t.i in used for t in span):
            continue
        tok = span.root
        if pos == "permit":
            # a passage let through a crossing named in the sentence; not "... while
            # allowing trucks" (the remainder of another status trigger), not "are
            # not allowed to cross" (a standing restriction, not a change)
            in_tree = any(t.i in crossing_tokens or t.lower_ in BORDER_WORDS for t in tok.subtree)
            status_anc = any(
                h[0] in STATUS and h[1] != "permit" and h[2].root in tok.ancestors for h in hits
            )
            negated = any(c.dep_ == "neg" for c in tok.children)
            if not (permits_passage(tok) and in_tree) or status_anc or negated:
                continue
            pos = "verb"
        if pos in ("impact", "fire"):
            typed = fire_type(tok)
            if typed is None:
                continue
            etype, pos = typed, "verb" if tok.pos_ == "VERB" else "noun"
        if etype == OTHER and not (
            _arg_words(tok) & BORDER_HEADS
            or any(t.i in crossing_tokens for t in tok.subtree)
            or any(t.i in crossing_tokens for t in tok.head.subtree if pos == "noun")
        ):
            continue  # "deported to Kabul", "evacuated the hospital": no border development
        if etype in ("closure", "reopening") and pos == "verb" and tok.lemma_ not in PERMIT:
            words = _arg_words(tok)
            heads = _arg_heads(tok)
            near_crossing = any(
                t.i in crossing_tokens
                # (csubj: a subject the parser made a clause of, as around stray markup:
                # "the Torkham <script>...</script> crossing was closed")
                for c in _args(tok, ("nsubj", "nsubjpass", "dobj", "csubj"))
                for t in c.subtree
            ) or (
                (
                    tok.dep_ in ("conj", "xcomp", "acomp", "oprd")
                    # "reopened Torkham on Monday, only to be closed again": a subjectless
                    # adverbial clause shares its governor's crossing
                    # ("blocking the road", with an object of its own, does not)
                    or (
                        tok.dep_ == "advcl"
                        and not _args(tok, ("nsubj", "nsubjpass", "csubj", "dobj"))
                    )
                )
                and any(
                    t.i in crossing_tokens
                    for c in tok.head.children
                    if c.dep_ in ("nsubj", "nsubjpass", "dobj")
                    for t in c.subtree
                )
            )
            if (
                not near_crossing
                and (
                    tok.dep_ in ("ROOT", "ccomp")
                    # "was briefly reopened ..., officials said, before being closed again"
                    or (tok.dep_ == "pcomp" and tok.head.lower_ in SEQUENCE_PREPS)
                )
                and not _args(tok, ("nsubj", "nsubjpass", "dobj", "csubj"))
                and any(t < tok.i for t in crossing_tokens)
            ):
                # an aside the small model misparses takes the subject away ("Angoor Adda
                # — known locally as ... — reopened", "The Kharlachi border, also called
                # the Parachinar crossing, was closed"): the crossing named before it
                near_crossing = True
            if tok.dep_ in ("relcl", "acl") and not near_crossing:
                ante = [tok.head]
                if tok.head.dep_ == "pobj" and tok.head.head.dep_ == "prep":
                    ante.append(tok.head.head.head)
                near_crossing = any(t.i in crossing_tokens for a in ante for t in a.subtree)
            subj = {c.lower_ for c in _args(tok, ("nsubj", "nsubjpass"))}
            if tok.dep_ in ("conj", "xcomp", "acomp", "oprd") and not subj:
                subj = {c.lower_ for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")}
            # "it/they was closed", "after closing it": a pronoun for the crossing in context
            objs = {c.lower_ for c in tok.children if c.dep_ == "dobj"}
            pronoun_ref = bool((subj | objs) & CROSSING_PRONOUNS) and crossing_context
            if tok.lemma_ in OPEN and any(t.lower_ in OPEN_FIRE for t in tok.subtree):
                continue
            if tok.lemma_ in BLOCK and not near_crossing:
                objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
                words_b = {o.lower_ for o in objs} | {
                    c.lower_ for o in objs for c in o.children if c.dep_ == "compound"
                }
                if not words_b & (BORDER_WORDS - FLOW_WORDS):
                    continue  # "blocking the road to the border" is not a crossing closure
            via_crossing = any(
                t.i in crossing_tokens
                for p in tok.subtree
                if p.dep_ == "prep" and p.lower_ in PASSAGE_PREPS
                for t in p.subtree
            )
            if not (heads & BORDER_WORDS or near_crossing or pronoun_ref or via_crossing):
                continue
            if tok.lemma_ in PARTIAL_VERBS and not (near_crossing or heads & BORDER_HEADS):
                continue  # "movement was restricted in Bajaur": no crossing's status
            if tok.lemma_ in RESUME_VERBS and words & TALKS_WORDS:
                continue
        if etype in ("closure", "reopening") and (
            pos == "noun" or span.text.lower() in NORMAL_FLOW
        ):
            if not (set(t.lower_ for t in sent) & BORDER_WORDS or crossing_tokens):
                continue
        if etype == "talks" and pos == "noun" and tok.lemma_.lower() in ROUND_NOUNS:
            # "the next round would be held in Istanbul", "a further round is planned";
            # not "mortar rounds", "a round of shelling", "the first round of voting"
            if any(c.lower_ in OF for c in tok.children) or not any(
                c.lower_ in NEXT_ROUND for c in tok.children if c.dep_ in ("amod", "det")
            ):
                continue
        if etype == "talks" and pos == "verb" and tok.lemma_ in MEET:
            subj_deps = ("nsubj",) if tok.dep_ != "xcomp" else ("nsubj", "nsubjpass")
            subj_of = [tok] if any(c.dep_ == "nsubj" for c in tok.children) else [tok, tok.head]
            # "Officials ... are expected to meet": the subject of the governing verb
            subj = {
                t.lower_
                for v in subj_of
                for c in v.children
                if c.dep_ in subj_deps
                for t in c.subtree
            }
            if not subj & MEETING_PARTIES:
                continue
        if etype == "talks" and pos == "noun" and tok.lemma_ in EXCHANGE:
            continue
        if etype == "ceasefire" and topic_of_discussion(tok):
            continue  # "the talks focus on a ceasefire mechanism": a subject, not a truce
        if etype == "clash" and pos == "verb" and tok.lemma_ in EXCHANGE_VERBS:
            if not any(c.dep_ == "dobj" and c.lemma_ in FIRE_OBJECTS for c in tok.children):
                continue
        if etype == "attack" and tok.lemma_ in RESPONSE:
            objs = [g for p in tok.children if p.lower_ in RESPONSE_PREPS for g in p.children]
            hostile = any(o.lemma_ in HOSTILE_ACTS for o in objs)
            if tok.lemma_ in RESPOND and hostile:
                used.update(t.i for o in objs for t in o.subtree)
            # otherwise only a response a side threatens, said to be forceful or a
            # warning ("will respond forcefully if ...", "reserves the right to respond",
            # "warned of a befitting response"); not "will respond to questions",
            # "will issue a response", "in response to the attack"
            elif (objs and not hostile) or _event_certainty(tok, etype) != "threatened":
                continue
            elif not (hostile or is_forceful(tok)):
                continue
        if etype == "airstrike" and pos == "verb" and tok.lemma_ in STRIKE_VERBS:
            subj = {c.lower_ for c in tok.children if c.dep_ in ("nsubj", "agent")}
            subj |= {t.lower_ for c in tok.children if c.dep_ == "agent" for t in c.subtree}
            if not subj & AIR_SUBJECTS:
                continue
        if in_condition(tok) or wished(tok):
            continue
        if (
            pos == "verb"
            and any(c.lower_ in QUESTION_MARKS and c.tag_ in ("WRB", "IN") for c in tok.children)
            and any(c.lower_ in FUTURE_AUX for c in tok.children if c.dep_ == "aux")
        ):
            continue  # "had not been told when the terminal would reopen": an open question
        if (
            etype in VIOLENT_TYPES
            and pos == "verb"
            and tok.dep_ == "relcl"
            and tok.head.i in violent_roots
        ):
            continue  # "shelling in which forces targeted each other's posts": the same event
        if (
            etype == "clash"
            and tok.lemma_ in EXCHANGE
            and not any(c.lower_ in FIRE_EXCHANGED for c in tok.subtree)
        ):
            continue
        if etype == "attack" and tok.lemma_ in STRIKE_VERBS:
            mods = {c.lower_ for c in tok.children}
            if mods & AIR_MODS or AIR_WORDS.search(sent.text):
                etype = "airstrike"
            elif tok.head.lower_ in STRIKE_PREPS or mods & STRIKE_PROTEST_MODS:
                etype = "protest"
        if (
            etype == "attack"
            and tok.lemma_ in OPERATION
            and not any(c.lower_ in OPERATION_MODS for c in tok.children)
        ):
            continue
        if etype == "attack" and tok.lemma_ in TARGET and AIR_WORDS.search(sent.text):
            etype = "airstrike"
        if etype == "attack" and targets_armed_group(tok):
            # ACLED: state forces striking an armed group is "Battles" or, from
            # the air, "Explosions/Remote violence" — never violence against civilians
            etype = "airstrike" if AIR_WORDS.search(sent.text) else "clash"
        if etype == "reopening" and PARTIAL_CUES.search(
            " ".join(t.text for t in tok.subtree if t.i < tok.i + 3 and t.i >= tok.i - 3)
        ):
            etype = "partial_reopening"
        if etype in VIOLENT_TYPES and (is_generic(tok) or how_it_began(tok)):
            continue
        if pos == "noun" and is_motive(tok):
            continue  # "closed the border in protest": the closure is the event
        used.update(t.i for t in span)
        cand = _Cand(etype, tok, span, sent)
        if tok.pos_ in ("NOUN", "PROPN"):
            dets = {c.lower_ for c in tok.children if c.dep_ in ("det", "poss")}
            cand.anaphoric = bool(
                dets & ANAPHORIC_DETS
                or any(c.dep_ == "poss" for c in tok.children)
                or tok.lemma_.lower() in PROTESTERS
            )
            cand.background = (
                etype in STATUS and tok.dep_ == "pobj" and tok.head.lower_ in BACKGROUND_PREPS
            )
            cand.remark = (
                etype in VIOLENT_TYPES
                and (cand.anaphoric or any(c.lower_ in RECENT for c in tok.children))
                and reacted_to(tok)
            )
        else:
            cand.habitual = tok.tag_ in ("VBZ", "VBP") and not any(
                c.dep_ in ("aux", "auxpass") for c in tok.children
            )
            cand.continuing = (
                tok.dep_ in ("acomp", "xcomp", "oprd") and tok.head.lemma_ in CONTINUE_VERBS
            )
        spans.append(cand)
    spans.extend(_first_passage_since(sent, crossing_tokens, used))
    # a noun that is the subject/object of a verb of the same type is that event
    # ("a roadside bomb exploded"); the noun an attack verb answers is consumed
    verb_at = {c.tok.i: c for c in spans if c.tok.pos_ in ("VERB", "AUX")}
    # "the strikes targeted fighters ...": a violent verb whose subject re-mentions a
    # violent event ("the strikes", "the attack") describes that event, not a new one
    restated = {
        c.tok.head.i
        for c in spans
        if c.anaphoric
        and c.etype in VIOLENT_TYPES
        and c.tok.dep_ == "nsubj"
        and c.tok.head.i in verb_at
        and verb_at[c.tok.head.i].etype in VIOLENT_TYPES
    }
    spans = [c for c in spans if c.tok.i not in restated]
    keep = []
    for c in spans:
        head = verb_at.get(c.tok.head.i) if c.tok.pos_ in ("NOUN", "PROPN") else None
        if (
            head is not None
            and head.etype == c.etype
            and c.tok.dep_
            in (
                "nsubj",
                "nsubjpass",
                "dobj",
            )
        ):
            continue
        keep.append(c)
    return keep


def _first_passage_since(sent: Any, crossing_tokens: set[int], used: set[int]) -> list[_Cand]:
    """
    Find implicit reopenings: a passage "for the first time since".

    "Cargo trucks crossed the Torkham border on Monday for the first time since
    mid-October".

    A verb of passage (:data:`PASSAGE_VERBS`) modified by "for the first time
    since ..." states that traffic moves again after a stop, i.e. a reopening
    on the verb's date, when the verb's arguments name a crossing, a border
    word (:data:`BORDER_WORDS`) or traffic (:data:`TRAFFIC_NOUNS`).
    """
    out: list[_Cand] = []
    for tok in sent:
        if tok.i in used or tok.pos_ != "VERB" or tok.lemma_.lower() not in PASSAGE_VERBS:
            continue
        first = any(
            t.lemma_.lower() in TIME
            and any(a.lower_ in FIRST for a in t.children)
            and any(x.lower_ in SINCE for x in tok.subtree)
            for t in tok.subtree
        )
        if not first:
            continue
        args = [t for ch in tok.children if ch.dep_ not in _CLAUSE_DEPS for t in ch.subtree]
        words = {t.lower_ for t in args}
        if not (
            any(t.i in crossing_tokens for t in args) or words & (BORDER_WORDS | TRAFFIC_NOUNS)
        ):
            continue
        if in_condition(tok) or wished(tok):
            continue
        used.add(tok.i)
        out.append(_Cand("reopening", tok, sent.doc[tok.i : tok.i + 1], sent))
    return out
