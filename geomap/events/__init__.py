"""
Incidents read from news text: type, date, certainty, place, scope, actors.

Method
------
1. **Triggers** — lemma patterns (spaCy ``Matcher``) from :data:`TRIGGERS`, a
   vocabulary for news about border closures, clashes, strikes and talks.
   Verbs of closing/reopening ("close", "seal", "resume") count only when one of
   their arguments is about the border (a crossing, "border", "trade", "gate",
   ...: :data:`BORDER_WORDS`), so "close ties" is not a closure; a main-clause
   verb left with no subject or object (an aside between dashes or commas,
   "also called X", misparsed) takes the crossing named before it.  Generic
   mentions ("to stage bombings", "a launchpad for attacks") are skipped.
   Shelling is read from a munition's impact ("mortar rounds landed in ...",
   "artillery shells struck villages") or "fired shells into ..." and typed
   ``clash``; one-sided fire on a target ("fired on a post", "opened fire on")
   is an ``attack`` (gold annotation rules, tests/data/gold/README.md).
2. **Certainty** from the dependency parse of the trigger's clause: a ``neg``
   dependent or a governing "deny" → ``negated``; "threaten"/"warn" →
   ``threatened``; an "if"/"unless" clause or "depend on" → ``conditional``;
   "will"/"would"/"plan"/"expect" → ``planned``; "allege"/"claim"/"accuse"/
   "reportedly" → ``reported``; otherwise ``occurred``.  A negated verb of
   reluctance ("will not hesitate to respond") does not negate the event, and
   with "will" it is a threat, as is "reserves the right to retaliate" and
   violence a side says it will commit under a condition.  One side's claim
   about another side's violence ("Afghan officials said Pakistani aircraft
   struck ...") is ``reported``.
3. **Dates** (:func:`geomap.dates.find_dates`): each date expression goes to
   the trigger nearest to it in the dependency tree of its sentence; an event
   with no date in its sentence has ``date`` None and a warning (never a guess).
   Of two dates an event gets, an explicit calendar date ("on 11 January")
   outranks one placed from the reference date ("on Monday", "today").
   Stated relations date an event from another: "two days after the attack",
   "hours after the blast" (same day), "a day after talks ended" (the
   modified clause's day minus one), a participle clause ("staged a sit-in on
   Wednesday, blocking the gate"), a bare "has since reopened" (the day
   written before it), the first passage that follows an undated reopening
   ("Refugees started crossing at Torkham on Saturday"), a dated event under
   "since" ("has been closed since a clash there on 2 November"); a "when" clause on a
   date takes it ("It began on 3 November, when troops clashed").  "let/allow/permit
   ... cross/through" at a crossing is a reopening; "remained open" is a
   standing status (type ``other``), not a reopening.
4. **Place and scope**: named crossings in the sentence go to their nearest
   trigger (scope ``crossing``); "all (major) crossings" → ``crossings_all``;
   "two crossings" → ``crossings_count``; a resolved place linked to the
   trigger by a locative preposition (in/at/near/inside/along ...) or as a
   modifier ("Kabul explosions") is the ``location`` (not "Officials in
   Islamabad" for talks they hold, not "the Chaman crossing in Balochistan"
   when the crossing is named); places whose ``role`` is
   ``government`` and possessive/subject actors are never locations; "border"
   → scope ``border``; "a clash there" is at the place named last before it
   (the crossing when that place only locates it: "the Angoor Adda crossing in
   Paktika").  A place inside an appositive ("Wana, a town in South
   Waziristan, ...") only describes the place it is apposed to, which is the
   site (also as the subject or object of the governing verb).
5. **Actors, mediators, casualties, qualifier** from small data tables.
   The trigger's own agent comes first ("Afghan officials said Pakistani
   aircraft struck ..." → Pakistan, Afghanistan); a third country (Qatar,
   Turkey, China, ...) is an actor only in the trigger's own clause and never
   of a closure/reopening; "Qatari mediators" names the mediator.  Talks that
   broke down or ended "without an agreement" get ACLED sub-type ``Other``;
   an attack on soldiers, police or their posts is ACLED Battles.  A definite
   or "recent" violent noun that a reaction is about ("concerned by the recent
   fighting", "condemned the clashes") is no incident of its own and lends
   the speakers no part in one.
   Casualty counts are read in the clause of their own trigger (a count nearer
   to another violent trigger of the sentence is that trigger's), the head
   count wins over an "including ..." subset ("nine people, including four
   children" → 9); a threatened, planned or denied act has none, and counts in
   a sentence with no violent event that occurred go to the single one of the
   sentence before, in the same paragraph ("Jets struck Dangam. A spokesman said
   six civilians were killed and vowed a response").  An "attack" aimed at an
   armed group (militants, hideouts,
   camps, TTP ...) is typed ``airstrike`` (ACLED Explosions/Remote violence)
   when air/drone/jets/aircraft are named in the sentence, else ``clash``
   (ACLED Battles): state forces striking militants is not violence against
   civilians.  A place inside the subject of a reporting verb ("sources in
   Islamabad said") is never the event's location.
6. **Merging duplicates** within one article: a later mention of the same type
   and certainty is merged into an earlier event when their dates agree (or the
   later one has no date: "the truce", "the closures") and their scopes are
   compatible.  The event keeps the *first* sentence as its evidence; actors
   and mediators of the later mentions are added, and a missing date or
   casualty figure is filled from them.  When a dated later mention becomes the
   evidence, its actors replace those of the undated first mention.  Violence
   that "spread to" a place is a new incident there, not a re-mention.
7. **Discourse** across the whole article (:func:`anchor_events`, run by
   :func:`geomap.pipeline.extract` after the page zones of
   :mod:`geomap.zones`): headline mentions confirm a body incident, undated
   re-mentions join their dated incident, and mentions still undated take
   the time of their passage (see :mod:`~geomap.events.discourse`).


Layout
------
One module per stage; modules import downward only (no cycles):

- :mod:`~geomap.events.lexicon`: the vocabulary, read and validated from the
  TOML files of ``lexicon/`` (triggers, certainty cues, status words,
  casualties, actors, qualifiers, places, dates, grammar);
- :mod:`~geomap.events.syntax`: dependency-tree helpers (no words);
- :mod:`~geomap.events.guards`: named predicates on tokens (is_munition,
  permits_passage, in_condition, wished, ...);
- :mod:`~geomap.events.certainty` (step 2), :mod:`~geomap.events.triggers`
  (step 1), :mod:`~geomap.events.arguments` (step 5),
  :mod:`~geomap.events.place` (step 4), :mod:`~geomap.events.dating` (step 3),
  :mod:`~geomap.events.merge` (step 6);
- :mod:`~geomap.events.build`: :func:`extract_events`, the stages in order;
- :mod:`~geomap.events.discourse`: :func:`anchor_events` (step 7);
- :mod:`~geomap.events.statements`: :func:`crossing_statements`.

Sources: event categories follow the ACLED Codebook (2023); the negation and
modality cues follow the usual dependency-based approach (e.g. spaCy's
``neg`` label, NegEx-style cue lists).
"""

from __future__ import annotations

from geomap.events.build import extract_events
from geomap.events.discourse import anchor_events
from geomap.events.lexicon import TRIGGERS
from geomap.events.statements import crossing_statements

__all__ = [
    "TRIGGERS",
    "extract_events",
    "anchor_events",
    "crossing_statements",
]
