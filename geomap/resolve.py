"""Resolve toponym mentions to gazetteer entries, with role and geo_precision.

Scoring (one score per candidate; the highest wins; weights in :data:`WEIGHTS`)
-------------------------------------------------------------------------------
``score = prior + population + kind + hint + list + inside + country + border + proximity``

- **prior** (``WEIGHTS["prior"]`` / (1 + rank)): the gazetteer's own order
  (countries, then provinces, then by population; see
  :meth:`geomap.gazetteer.Gazetteer.lookup`).
- **population** (``WEIGHTS["population"]`` × log10(1 + pop) / 7): large
  places are mentioned more often (the "GeoNames population" baseline of the
  literature, Gritta et al. 2019).  Admin units without a population count as
  1 000 000 (province: first-level divisions mostly hold millions, so a
  state beats a foreign city of the same name, "Florida") or 30 000
  (district); a region 1 000 000, or 100 000 000 when it spans countries
  (continent, ocean, the EU, the Middle East).
- **kind** (:data:`KIND_WEIGHT`): a bare name most often means the country,
  the town rather than the district of the same name, the province rather than
  a village.
- **hint** (``WEIGHTS["hint"]``): a designator written next to the name
  ("Chaman *crossing*", "at the Chaman *border*", "Nangarhar *province*",
  "Kurram *district*") selects that kind.  A name shared by a crossing and
  the town at it ("Chaman", "Wesh"; within :data:`TOWN_AT_CROSSING_KM`) with
  no designator takes its hint from the words around it: the town for
  "people/the market in X", "X residents", "in X"; the crossing for "at X",
  "through X", or when listed with crossings ("at Torkham or Wesh").
- **list** (``WEIGHTS["list"]``): a list of like things ("aid in Nangarhar,
  Kunar and Kandahar", "Kandahar and Helmand provinces"): a member takes the
  province or district kind every other member surely has
  (:func:`_list_kinds`).
- **inside** (``WEIGHTS["inside"]``): the text puts the name in an admin unit
  ("Bara, Khyber", "Bara in Khyber", "Kunar's Dangam", "Parkland, Florida",
  "Doha, Qatar"): candidates inside that country, province or district (by
  the gazetteer's admin names) win over namesakes elsewhere.  Not for a list
  ("Washington, New York and Boston"), nor when the second name is best read
  as a city (see :func:`_containers`).  Symmetrically, the container named
  with a place inside it is read as that unit, not as its city ("opposite
  Spin Boldak in Kandahar", "Kandahar's Spin Boldak" -> the province; see
  :func:`_unit_readings`); a bare "Kandahar", "Kandahar city", "Kandahar
  airport" stay the city.
- **country** (``WEIGHTS["country"]`` × share): share of the article's
  unambiguous country evidence (country names, demonyms, names with a single
  candidate) that points to the candidate's country.  Only confident mentions
  give evidence and proximity anchors (:func:`_confident`): not a one-word
  name the article also writes in lower case or the parser tags as a common
  word ("Crystal meth"), nor a word of a person's name or one joined to it by
  "and" (a pet called Paris); such a name is still resolved.  A region spanning
  countries (continent, ocean, the EU) fits any country: it gets the largest
  share, so "the Atlantic" in an article about the US is the ocean, not
  Atlantic, Iowa.
- **border** (``WEIGHTS["border"]`` × focus × closeness): point features
  (towns, cities, crossings, passes; not area centroids) within
  :data:`BORDER_KM` of an Afghanistan–Pakistan border crossing, scaled by the
  share of the article's country evidence that is AF or PK ("focus"); 1 when
  the article names no country but speaks of a border or frontier (the
  lexicon's ``border_cues``).  With focus, an Afghan or Pakistani town the
  gazetteer gives no population (the curated border layer) counts as
  :data:`_BORDER_TOWN_POPULATION` people, so "Bara" near "the frontier" is
  Bara, Khyber, not the Nigerian town.
- **proximity** (``WEIGHTS["proximity"]`` × closeness): closeness to the
  places resolved in the same article in a first pass (median distance to
  them, 0 at :data:`PROXIMITY_KM` or more).

Roles: ``government`` for a country or national capital used for its
government (metonymy), read from the dependency parse (see
:func:`is_government`); every other place gets ``context`` (the pipeline sets
``incident``).  The place of filing in a dateline ("KABUL, 24 November 2026
—", "DOHA, Qatar —", "PESHAWAR, Pakistan (Reuters) -") is never a government
(:func:`_dateline_spans`).

A name the gazetteer lacks as written may be an Afghan or Pakistani name in
another romanisation ("Speen Boldak", "Lalpura district"):
:func:`geomap.toponyms.variant_lookup` is tried for a name of several words,
one with a designator, or a one-word name in an article whose country
evidence is mostly Afghan/Pakistani, when its capital letter is not due to
its place (not opening a sentence, not in a title-case headline:
:func:`_capital_by_position`); never for English words or a lone personal
name (:func:`geomap.toponyms.variant_lookup`: "Quit", "Host", "Wish").  ``geo_precision`` follows ACLED: 1 for a town, city,
crossing, pass or written coordinates; 2 for a district or "near/outside
<town>"; 3 for a province, country or region.

A name the gazetteer lacks that the text puts in a town, district or
province ("Killi Luqman, Chaman", "Hassan Khel in North Waziristan") takes
that unit's point with geo_precision 2 (3 for a province) and a ``note``
saying so; "the Zero Point" takes the point of the crossing the text names
(:func:`_placed_in_containers`).
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import math
import multiprocessing as mp
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from geomap.gazetteer import normalize_name
from geomap.schema import GazetteerEntry, Mention, Place
from geomap.toponyms import is_english_word, toponym_lexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from geomap.gazetteer import Gazetteer

__all__ = ["WEIGHTS", "KIND_WEIGHT", "resolve", "geoparse_many", "geo_precision", "is_government", "haversine_km"]

logger = logging.getLogger(__name__)

#: Weights of the score terms (see module docstring).
WEIGHTS = {
    "prior": 0.2,
    "population": 1.0,
    "hint": 3.0,
    "country": 1.2,
    "border": 1.0,
    "proximity": 0.8,
    "inside": 2.0,
    "list": 1.5,
}
#: Preference by kind for a bare name.
KIND_WEIGHT = {
    "country": 1.6,
    "province": 0.6,
    "city": 0.8,
    "crossing": 0.75,
    "pass": 0.6,
    "town": 0.5,
    "district": 0.3,
    "region": 0.4,
    "other": 0.0,
}
#: Population assumed for entries the gazetteer gives none (admin units): a
#: first-level division is larger than almost any town of the same name
#: ("California" the state, not the Scottish village).
_IMPLIED_POPULATION = {"province": 1_000_000, "district": 30_000}
#: Population assumed for an Afghan or Pakistani town the gazetteer gives none (the curated border
#: layer's towns) when the article is about the border (``focus`` > 0): a known border town is not
#: smaller than any foreign village of its name.
_BORDER_TOWN_POPULATION = 30_000
#: Population assumed for a region that spans countries (continent, ocean, sea, the EU, the
#: Middle East): such a name means the region, not a town called "Atlantic" or "Middle East".
_WORLD_REGION_POPULATION = 100_000_000


def _implied_population(c: GazetteerEntry) -> int:
    """Population used for an entry without one (see :data:`_IMPLIED_POPULATION`)."""
    if c.kind == "region":
        return _WORLD_REGION_POPULATION if not c.country else 1_000_000
    return _IMPLIED_POPULATION.get(c.kind, 0)


#: Kinds whose point is a real location (the border term ignores area centroids).
_POINT_KINDS = {"city", "town", "crossing", "pass", "other"}
#: A candidate this close (km) to a border crossing gets the full border term.
BORDER_KM = 150.0
#: Distance (km) at which the proximity term reaches 0.
PROXIMITY_KM = 600.0

_HINT_AFTER = re.compile(
    r"^\s*(?:'s\s+)?(?P<d>border\s+crossing|crossing|border\s+terminal|trade\s+terminal|terminal|border|gate|"
    r"provinces?|districts?|agency|tribal\s+district|tehsil|city|town|village|valley|region|area)\b",
    re.IGNORECASE,
)
_HINT_BEFORE = re.compile(
    r"\b(?P<d>province|district|town|city|village|crossing|border\s+crossing)\s+of\s+(?:the\s+)?$", re.IGNORECASE
)
_NEAR_BEFORE = re.compile(r"\b(?:near|outside|around|close\s+to|km\s+(?:\w+\s+)?(?:of|from)|outskirts\s+of|vicinity\s+of)\s+(?:the\s+)?$", re.IGNORECASE)
_HINT_KIND = {
    "border crossing": ("crossing", "pass"),
    "crossing": ("crossing", "pass"),
    "border terminal": ("crossing",),
    "trade terminal": ("crossing",),
    "terminal": ("crossing",),
    "border": ("crossing", "pass"),
    "gate": ("crossing",),
    "province": ("province",),
    "provinces": ("province",),
    "district": ("district",),
    "districts": ("district",),
    "agency": ("district",),
    "tribal district": ("district",),
    "tehsil": ("district",),
    "city": ("city", "town"),
    "town": ("town", "city"),
    "village": ("town",),
    "valley": ("region", "district"),
    "region": ("region",),
    "area": ("region", "district", "city", "town"),
}
#: A town or city this close (km) to a crossing of the same name stands at it ("Chaman",
#: "Wesh"): the words around the name decide between the two (:func:`_town_or_crossing`).
TOWN_AT_CROSSING_KM = 5.0
#: Nouns of a settlement's life ("people in Wesh", "the market of Chaman", "Wesh residents").
_TOWN_NOUNS = (
    r"(?:people|residents?|inhabitants|locals|villagers|shopkeepers|families|elders|population|markets?|"
    r"bazaars?|mandi|shops|streets?|houses|homes|hospitals?|mosques?|schools?|neighbou?rhoods?|mayor|"
    r"outskirts|cent(?:re|er)|heart)"
)
_TOWN_CUE_BEFORE = re.compile(
    rf"\b{_TOWN_NOUNS}\s+(?:of|in|at|from)\s+(?:the\s+)?$", re.IGNORECASE
)
_TOWN_CUE_AFTER = re.compile(rf"^(?:'s|’s)?\s+{_TOWN_NOUNS}\b", re.IGNORECASE)
#: "at X", "through X": a place one passes or stands at is the crossing; "in/into X" is the town.
_CROSSING_CUE_BEFORE = re.compile(r"\b(?:at|through|via)\s+(?:the\s+)?$", re.IGNORECASE)
_TOWN_PREP_BEFORE = re.compile(r"\b(?:in|into|inside)\s+(?:the\s+)?$", re.IGNORECASE)
#: What joins names of one list ("Torkham, Chaman and Ghulam Khan", "at Torkham or Chaman").
_LIST_JOIN = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+)$", re.IGNORECASE)
_PRECISION = {
    "crossing": 1,
    "pass": 1,
    "city": 1,
    "town": 1,
    "other": 1,
    "district": 2,
    "province": 3,
    "country": 3,
    "region": 3,
}

#: Verbs whose subject, when a capital or country, stands for its government.
SPEECH_VERBS = {
    "say", "state", "announce", "deny", "accuse", "reject", "urge", "claim", "warn", "insist", "demand", "blame",
    "allege", "confirm", "condemn", "respond", "agree", "refuse", "welcome", "call", "criticise", "criticize",
    "decide", "declare", "threaten", "vow", "pledge", "promise", "insist", "approve", "order", "ask", "request",
    "summon", "protest", "complain", "acknowledge", "admit", "dismiss", "insist", "hope", "want", "seek",
    "offer", "propose", "sign", "recognise", "recognize", "expel", "deport", "impose", "ban", "suspend",
    "launch", "retaliate", "negotiate", "mediate", "broker", "host", "send", "recall", "sanction", "support",
    "back", "oppose", "invest", "pressure", "push", "make", "take", "carry", "strike", "target", "attack",
}
#: Verbs whose object, when a capital or country, stands for its government.
OBJECT_VERBS = {"accuse", "urge", "blame", "criticise", "criticize", "pressure", "ask", "warn", "condemn", "call", "push", "press"}
#: Nouns whose possessor/"from"-complement stands for a government ("Islamabad's military").
GOVERNMENT_NOUNS = {
    "government", "military", "army", "officials", "official", "ministry", "minister", "forces", "force",
    "troops", "decision", "demand", "demands", "position", "policy", "delegation", "envoy", "envoys",
    "spokesman", "spokesperson", "statement", "statements", "claim", "claims", "accusation", "accusations",
    "stance", "response", "leadership", "authorities", "administration", "regime", "diplomats", "embassy",
    "security", "intelligence", "decision", "refusal", "offer", "support", "airstrikes", "strikes",
}
#: Nouns whose "between X and Y" complement names governments ("relations between Islamabad and Kabul").
RELATION_NOUNS = {"relations", "relation", "ties", "talks", "tensions", "tension", "dialogue", "negotiations", "trade", "dispute", "agreement", "deal", "war", "conflict", "rift"}
#: Verbs whose subject is literal even for a capital ("Kabul lies in a valley").
_LITERAL_VERBS = {"lie", "sit", "be", "have", "become", "suffer", "flood", "shake", "experience", "see", "witness", "remain", "wake", "grow", "host"}


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (haversine, sphere of radius 6371 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def geo_precision(kind: str | None, *, near: bool = False) -> int | None:
    """ACLED geo-precision for a resolved place of ``kind`` (2 when it is only "near" a town)."""
    if kind is None:
        return None
    p = _PRECISION.get(kind, 2)
    return max(p, 2) if near and p == 1 else p


def _hint(text: str, m: Mention) -> tuple[str, ...]:
    """Kinds named by a designator right after (or before) the mention."""
    after = _HINT_AFTER.match(text[m.end : m.end + 40])
    if after:
        return _HINT_KIND.get(re.sub(r"\s+", " ", after.group("d").lower()), ())
    before = _HINT_BEFORE.search(text[max(0, m.start - 40) : m.start])
    if before:
        return _HINT_KIND.get(re.sub(r"\s+", " ", before.group("d").lower()), ())
    return ()


def _town_at_crossing(cs: Sequence[GazetteerEntry]) -> bool:
    """Whether ``cs`` holds a crossing and a town/city within :data:`TOWN_AT_CROSSING_KM` of it."""
    xs = [c for c in cs if c.kind == "crossing"]
    ts = [c for c in cs if c.kind in ("town", "city")]
    return any(
        haversine_km(x.lat, x.lon, t.lat, t.lon) <= TOWN_AT_CROSSING_KM for x in xs for t in ts
    )


def _town_or_crossing(text: str, m: Mention) -> tuple[str, ...]:
    """
    Kinds meant by a name shared by a crossing and the town at it, read from the words around it.

    Used only when no designator is written (:func:`_hint`) and the name has a
    crossing and a town within :data:`TOWN_AT_CROSSING_KM` of it ("Chaman",
    "Wesh").  The town: a settlement noun before or after the name ("people in
    Wesh", "the market of Chaman", "Wesh residents", "Chaman's bazaar") or
    "in/into X".  The crossing: "at X", "through X", "via X" (a place passed
    or stood at: "queued at Wesh", "returned through Chaman"), or a word of
    a crossing's status or traffic in the clause next to the name
    (:func:`_crossing_status_near`: "Chaman was closed", "Pakistan reopened
    Chaman", "trade resumed in Wesh", "crossed into Wesh after the gates
    opened"); this beats "in/into X", not a settlement noun ("shops in
    Chaman were closed" is the town).  Nothing
    written: ``()``, and the weights decide (a town with no population loses
    to its crossing, so a bare "Wesh" in a border-status sentence stays the
    crossing).
    """
    before = text[max(0, m.start - 40) : m.start]
    if _TOWN_CUE_BEFORE.search(before) or _TOWN_CUE_AFTER.match(text[m.end : m.end + 30]):
        return ("town", "city")
    if _CROSSING_CUE_BEFORE.search(before) or _crossing_status_near(text, m):
        return ("crossing",)
    if _TOWN_PREP_BEFORE.search(before):
        return ("town", "city")
    return ()


#: Words of a crossing's status or traffic: closing, reopening, sealing, resuming, crossing, trade, gates.
_CROSSING_STATUS = re.compile(
    r"\b(?:clos(?:e|ed|es|ing|ure)|re-?open(?:s|ed|ing)?|open(?:ed|ing)|shut(?:s|ting|down)?|seal(?:s|ed|ing)?|"
    r"resum(?:e|es|ed|ing|ption)|suspen(?:d|ds|ded|ding|sion)|halt(?:s|ed)?|block(?:s|ed|ade)|"
    r"cross(?:es|ed)|trade|gates?)\b",
    re.IGNORECASE,
)
#: How far (characters) from the name a status word counts, within its clause.
_STATUS_WINDOW = 45


def _crossing_status_near(text: str, m: Mention) -> bool:
    """
    Whether a word of a crossing's status or traffic (:data:`_CROSSING_STATUS`) stands next to mention ``m``.

    Read within :data:`_STATUS_WINDOW` characters on each side, inside the
    mention's sentence (a semicolon ends the clause): "Chaman was
    closed on Monday"; after "in/into X" only a word before the name counts
    ("protesters in Chaman blocked the road" is said of the protesters), "Pakistan reopened Chaman", "Kandahar's Chaman was
    sealed", "trade resumed in Wesh", "thousands crossed into Wesh after the
    gates opened".
    """
    lo = max(m.sentence_start, m.start - _STATUS_WINDOW)
    hi = min(m.sentence_end, m.end + _STATUS_WINDOW)
    left = re.split(r"[;]", text[lo : m.start])[-1]
    if _CROSSING_STATUS.search(left):
        return True
    if _TOWN_PREP_BEFORE.search(left):
        # "Protesters in Chaman blocked the road": after "in X" comes the verb of another subject
        return False
    right = re.split(r"[;]", text[m.end : hi])[0]
    return bool(_CROSSING_STATUS.search(right))


def _list_hints(
    text: str,
    mentions: Sequence[Mention],
    hints: list[tuple[str, ...]],
    cands: Sequence[list[GazetteerEntry]],
    pair: Sequence[bool],
) -> None:
    """
    Give names of one list one kind: "at Torkham or Chaman", "through Torkham, Chaman and Ghulam Khan".

    A town/crossing name (``pair``) with no hint of its own, joined by a comma,
    "and" or "or" to a name that is only a crossing or carries a crossing hint,
    takes the crossing hint (in place, both directions along the list).
    """

    def crossing(k: int) -> bool:
        only = bool(cands[k]) and all(c.kind == "crossing" for c in cands[k])
        return only or hints[k][:1] == ("crossing",)

    for _ in range(2):
        for k in range(len(mentions)):
            if not pair[k] or hints[k]:
                continue
            for j in (k - 1, k + 1):
                if not 0 <= j < len(mentions):
                    continue
                a, b = (mentions[j], mentions[k]) if j < k else (mentions[k], mentions[j])
                if _LIST_JOIN.match(text[a.end : b.start]) and crossing(j):
                    hints[k] = ("crossing",)
                    break


#: What joins a place to the unit that holds it: "Bara, Khyber", "Bara in Khyber", "Bara, in Khyber",
#: "Dangam district in/of Kunar" ("of" only after a designator) (the place first); "Kunar's Dangam"
#: (the unit first).
_IN_UNIT = r"(?:in|of)\s+(?:the\s+)?(?:neighbou?ring\s+|nearby\s+)?"
_INSIDE_AFTER = re.compile(
    r"^\s*(?:,\s*(?:in\s+(?:the\s+)?(?:neighbou?ring\s+|nearby\s+)?)?|in\s+(?:the\s+)?(?:neighbou?ring\s+|nearby\s+)?"
    r"|(?:district|province|tehsil|town|city|village|area|valley|agency|region)s?\s*(?:,\s*(?:" + _IN_UNIT + r")?|" + _IN_UNIT + r"))$",
    re.IGNORECASE,
)
_INSIDE_BEFORE = re.compile(r"^(?:'s|’s)\s+$")
#: Kinds of entries that hold other places.
_CONTAINER_KINDS = ("country", "province", "district")


def _inside(c: GazetteerEntry, unit: GazetteerEntry) -> bool:
    """
    Whether entry ``c`` lies in the country, province or district ``unit`` (by the gazetteer's admin names).

    A border crossing has no country and the admin names of both sides
    ("Balochistan / Kandahar", "Chaman / Spin Boldak"): it lies in the units
    of either side.
    """
    if c.uid == unit.uid or not unit.country:
        return False
    if c.kind == "crossing" and not c.country and " / " in (c.admin1 or ""):
        if unit.kind == "country":
            return False
        a1s, a2s = c.admin1.split(" / "), (c.admin2 or "").split(" / ")
        sides = list(zip(a1s, (a2s + [""] * len(a1s))[: len(a1s)], strict=True))
        if unit.kind == "province":
            return any(a1 == unit.admin1 for a1, _ in sides)
        return any(a1 == unit.admin1 and a2 == unit.admin2 for a1, a2 in sides)
    if not c.country or c.country != unit.country:
        return False
    if unit.kind == "country":
        return True
    if unit.kind == "province":
        return c.admin1 == unit.admin1 and c.kind != "province"
    return c.admin1 == unit.admin1 and c.admin2 == unit.admin2 and c.kind not in ("province", "district")


def _containers(
    text: str,
    mentions: Sequence[Mention],
    cands: Sequence[list[GazetteerEntry]],
    best: Sequence[GazetteerEntry | None],
) -> list[list[GazetteerEntry]]:
    """
    For each mention, the admin units the text puts it in (empty when none).

    "X, Y", "X in Y", "X district in Y" (Y the next mention, same sentence) and
    "Y's X" (Y the previous mention), where Y's best reading (``best``, scored
    without this term) is a country, province or district: every country,
    province and district among Y's candidates ("Florida" is the US state and
    a Puerto Rican municipality).  A Y best read as a city ("Washington, New
    York") is no unit, and "X, Y" where Y goes on as a list ("Kabul, Kandahar
    and Herat": Y followed by "and"/"or"/a comma and another name) is a list,
    not X inside Y.
    """

    def units(j: int) -> list[GazetteerEntry]:
        if best[j] is None or best[j].kind not in _CONTAINER_KINDS:
            return []
        return [c for c in cands[j] if c.kind in _CONTAINER_KINDS]

    out: list[list[GazetteerEntry]] = [[] for _ in mentions]
    for x, y in _container_pairs(text, mentions):
        out[x] = units(y)
    return out


def _container_pairs(text: str, mentions: Sequence[Mention]) -> list[tuple[int, int]]:
    """
    Pairs (X, Y) of mention indices where the text puts X in Y: "X, Y", "X in Y", "X district in Y", "Y's X".

    "X, Y"/"X in Y": Y the next mention, same sentence (:data:`_INSIDE_AFTER`),
    not when "X, Y" goes on as a list ("Kabul, Kandahar and Herat"); "Y's X":
    Y the previous mention.
    """
    pairs = []
    for k in range(len(mentions) - 1):
        a, b = mentions[k], mentions[k + 1]
        gap = text[a.end : b.start]
        if a.sentence_start == b.sentence_start and _INSIDE_AFTER.match(gap):
            listed = "," in gap and k + 2 < len(mentions) and bool(_LIST_JOIN.match(text[b.end : mentions[k + 2].start]))
            if not listed:
                pairs.append((k, k + 1))
        if _INSIDE_BEFORE.match(gap):
            pairs.append((k + 1, k))
    return pairs


#: Kinds a list of like things passes on to a member that has a reading of that kind (:func:`_list_kinds`).
_LIST_KINDS = ("province", "district")


def _list_groups(text: str, mentions: Sequence[Mention]) -> list[list[int]]:
    """
    Runs of mentions that form one coordinated list: "Nangarhar, Kunar and Kandahar", "Paktika or Khost".

    Neighbouring mentions of one sentence joined by a comma, "and" or "or"
    (:data:`_LIST_JOIN`).  A run of two joined by a bare comma is left out: "Bara, Khyber" names a place
    and its unit, not a list.
    """
    groups: list[list[int]] = []
    run = [0] if mentions else []
    for k in range(1, len(mentions) + 1):
        joined = (
            k < len(mentions)
            and mentions[k].sentence_start == mentions[k - 1].sentence_start
            and bool(_LIST_JOIN.match(text[mentions[k - 1].end : mentions[k].start]))
        )
        if joined:
            run.append(k)
            continue
        pair_gap = text[mentions[run[0]].end : mentions[run[-1]].start]
        if len(run) >= 3 or (len(run) == 2 and re.search(r"\b(?:and|or)\b", pair_gap, re.IGNORECASE)):
            groups.append(run)
        run = [k]
    return groups


def _list_kinds(
    text: str,
    mentions: Sequence[Mention],
    cands: Sequence[list[GazetteerEntry]],
    hints: Sequence[tuple[str, ...]],
    best: Sequence[GazetteerEntry | None],
) -> dict[int, str]:
    """
    Kind each member of a list should take from the other members: a list names like things.

    "Aid in Nangarhar, Kunar and Kandahar": the other members are provinces,
    so "Kandahar" is the province, not the city.  For each list of
    :func:`_list_groups`, a member with no designator of its own (``hints``)
    whose best reading so far (``best``) is of another kind takes the kind
    every other member surely has (a designator, "Kandahar and Helmand
    provinces", or only candidates of that kind: "Nangarhar", "Kunar"), when
    that kind is a province or a district (:data:`_LIST_KINDS`; "Kabul,
    Kandahar and Herat" are cities already) and the member has a candidate
    of it.  Members that are themselves ambiguous ("Qila Saifullah and Zhob":
    towns and districts both) pass on nothing.

    Returns
    -------
    dict of int to str
        Mention index -> kind to prefer (the caller adds ``WEIGHTS["list"]``).
    """

    def sure(j: int) -> str | None:
        """Kind member ``j`` surely has: its designator's, or the one kind of all its candidates (else None)."""
        if hints[j]:
            return hints[j][0]
        kinds = {c.kind for c in cands[j]}
        return next(iter(kinds)) if len(kinds) == 1 else None

    out: dict[int, str] = {}
    for group in _list_groups(text, mentions):
        for k in group:
            if hints[k] or best[k] is None:
                continue
            others = [j for j in group if j != k and cands[j]]
            kinds = {sure(j) for j in others}
            if len(kinds) != 1:
                continue
            kind = next(iter(kinds))
            if kind in _LIST_KINDS and best[k].kind != kind and any(c.kind == kind for c in cands[k]):
                out[k] = kind
    return out


#: A place within this distance (km) of a city is read as part of it ("Peshawar's Qissa Khwani bazaar"):
#: it does not make the city's name stand for its province (:func:`_unit_readings`).
CITY_PART_KM = 15.0


def _unit_readings(
    text: str,
    mentions: Sequence[Mention],
    cands: Sequence[list[GazetteerEntry]],
    best: Sequence[GazetteerEntry | None],
) -> dict[int, set[str]]:
    """
    Admin-unit readings of a container name that the place named with it lies in.

    "Opposite Spin Boldak in Kandahar", "Spin Boldak, Kandahar", "Kandahar's
    Spin Boldak": the patterns of :func:`_containers` with Y's best reading
    so far (``best``) a city or town.  When X's best reading lies inside one
    of Y's province or district readings (:func:`_inside`), Y names that
    unit; not when X is a point within :data:`CITY_PART_KM` of Y's city
    ("Peshawar's Qissa Khwani bazaar" is in the city).  A bare "Kandahar",
    "Kandahar city" (a designator) and "Kandahar airport" keep the city.

    Returns
    -------
    dict of int to set of str
        Mention index of Y -> uids of its unit readings that hold X (the
        caller adds ``WEIGHTS["inside"]``).
    """
    out: dict[int, set[str]] = {}
    for x, y in _container_pairs(text, mentions):
        bx, by = best[x], best[y]
        if bx is None or by is None or by.kind not in ("city", "town"):
            continue
        if mentions[x].text.lower() == mentions[y].text.lower():
            continue
        part = bx.kind in ("city", "town", "other") and haversine_km(bx.lat, bx.lon, by.lat, by.lon) <= CITY_PART_KM
        units = {c.uid for c in cands[y] if c.kind in ("province", "district") and _inside(bx, c)}
        if units and not part:
            out.setdefault(y, set()).update(units)
    return out


#: "X in Y", "X district in/of Y": the text says X lies in the unit Y (a bare comma may be a list or a clause).
_IN_UNIT_GAP = re.compile(r"\bin\b|\bof\b", re.IGNORECASE)


def _only_abroad(
    text: str,
    mentions: Sequence[Mention],
    k: int,
    cs: Sequence[GazetteerEntry],
    within: Sequence[GazetteerEntry],
) -> bool:
    """
    Whether mention ``k``, placed by the text "in" a province or district, has entries only in other countries.

    "Security forces raided Jani Khel in Bannu district": the gazetteer's
    only Jani Khel is a district of Paktika (AF), Bannu a district of
    Pakistan; the place meant is a namesake the gazetteer lacks, and mapping
    it to Afghanistan would put the incident in the wrong country.  Only for
    the link words "in"/"of" (not "X, Y", which may be a list or a clause:
    "Kunar, Pakistan's army said"), only when the unit is written with its
    designator ("Bannu district", "the Bannu district of"; checked by the
    caller: not "a village north of Cairo, in the Nile Delta"), is no country
    in any reading (``within``), and every candidate of the name has a
    country that none of those units has.
    """
    if k + 1 >= len(mentions) or not cs:
        return False
    if not _IN_UNIT_GAP.search(text[mentions[k].end : mentions[k + 1].start]):
        return False
    if any(u.kind == "country" for u in within):
        return False
    unit_countries = {u.country for u in within}
    return all(c.country and c.country not in unit_countries for c in cs)


def _dateline_spans(text: str) -> list[tuple[int, int]]:
    """
    Character spans of news datelines: the place (and country) of filing before the dash.

    A dateline opens a line: "KABUL, 24 November 2026 —", "DOHA, Qatar —",
    "ISLAMABAD, Nov 20 (Reuters) -", "PESHAWAR, Pakistan (AP) —" (the
    pattern :data:`geomap.dates._DATELINE`, which also dates the report), or
    a place alone in capitals before the dash ("KABUL —", "KABUL (Reuters) —").
    """
    from geomap.dates import _DATELINE

    spans = [(m.start(), m.end()) for m in _DATELINE.finditer(text)]
    spans += [(m.start(), m.end()) for m in _BARE_DATELINE.finditer(text)]
    return spans


#: A dateline without a date: a place in capitals, an optional "(Agency)", a dash.
_BARE_DATELINE = re.compile(r"^[ \t]*[A-Z][A-Z.'’]+(?:[ \t][A-Z][A-Z.'’]+){0,3}[ \t]*(?:\([^)\n]{1,30}\)[ \t]*)?[—–-][ \t]", re.MULTILINE)


#: Words a title-case headline leaves in lower case ("Talks Resume in Doha").
_MINOR_WORDS = frozenset("a an the of in on at to for from by with and or but as vs via into over".split())


def _capital_by_position(text: str, m: Mention) -> bool:
    """
    Whether the capital letter of mention ``m`` comes from its position, not from being a name.

    True when only punctuation, quotes or spaces stand between the start of
    its sentence and the mention ("Quiet border as talks resume"), or when
    its line is written in title case: at least three words and every word
    but the minor ones (:data:`_MINOR_WORDS`) capitalised ("Quiet Border As
    Talks Resume In Doha", "Host City Peshawar Prepares For Summit").  A
    one-word name unknown to the gazetteer is read as a romanisation variant
    only when its capital letter means something.
    """
    lead = text[m.sentence_start : m.start] if m.sentence_start <= m.start else ""
    if not re.search(r"[^\W_]", lead):
        return True
    a = text.rfind("\n", 0, m.start) + 1
    b = text.find("\n", m.end)
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", text[a : b if b >= 0 else len(text)]) if w.lower() not in _MINOR_WORDS]
    return len(words) >= 3 and all(w[0].isupper() for w in words)


def _candidates(gaz: Gazetteer, m: Mention) -> list[GazetteerEntry]:
    if m.label == "NORP":
        e = gaz.demonym(m.text)
        if e is None:  # a country's name used as a modifier ("the Pakistan-Afghanistan border")
            return [c for c in gaz.lookup(m.text)[:1] if c.kind == "country"]
        return [e]
    cands = gaz.lookup(m.text)
    if not cands and m.text.lower().startswith("the "):
        cands = gaz.lookup(m.text[4:])
    return _own_names_first(m.text, cands)


def _own_names_first(name: str, cands: list[GazetteerEntry]) -> list[GazetteerEntry]:
    """
    Only the entries named ``name`` itself, when some are and the name closes with a name closer.

    "Garden City" is the name of towns in Kansas and New York and an alternate
    name (a nickname) of Singapore; a name ending in a word of the lexicon's
    ``name_closers`` ("City", "Town") is matched whole and means the places
    that bear it, not a city known by it.  Other names keep every candidate.
    """
    last = name.rsplit(None, 1)[-1]
    closers = toponym_lexicon().name_closers
    if " " not in name or not last[:1].isupper() or last.lower() not in closers:
        return cands
    key = normalize_name(name)
    own = [c for c in cands if normalize_name(c.name) == key]
    return own or cands


class _Border:
    """Border-crossing points, for the border-closeness term."""

    def __init__(self, gaz: Gazetteer) -> None:
        f = gaz.frame
        sub = f[f["kind"] == "crossing"]
        sub = sub[sub["uid"].astype(str).str.startswith("crossing:")]
        self.points = list(zip(sub["lat"].astype(float), sub["lon"].astype(float), strict=True))

    def closeness(self, lat: float, lon: float) -> float:
        if not self.points or not (20 <= lat <= 42 and 55 <= lon <= 80):
            return 0.0
        d = min(haversine_km(lat, lon, a, b) for a, b in self.points)
        return max(0.0, 1.0 - d / BORDER_KM)


_border_cache: dict[int, _Border] = {}
_capital_cache: dict[int, set[str]] = {}


def _border_cue(text: str) -> bool:
    """Whether ``text`` speaks of a border or frontier (a phrase of the lexicon ``border_cues``)."""
    return _border_cue_re().search(text) is not None


@functools.cache
def _border_cue_re() -> re.Pattern[str]:
    """Compile the lexicon ``border_cues`` (see ``toponym_lexicon``) into one pattern."""
    cues = sorted(toponym_lexicon().border_cues, key=len, reverse=True)
    alternation = "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in cues)
    return re.compile(rf"\b(?:{alternation})\b", re.IGNORECASE)


def _person_words(doc: Doc | None) -> frozenset[str]:
    """Lower-cased words of the people the parse names with two words or more ("Georgia Lee")."""
    if doc is None:
        return frozenset()
    people = [e for e in doc.ents if e.label_ == "PERSON" and len(e) >= 2]
    return frozenset(t.lower_ for e in people for t in e if t.is_title)


def _confident(
    m: Mention,
    cands: Sequence[GazetteerEntry],
    hint: tuple[str, ...],
    *,
    person_words: frozenset[str],
    doc: Doc | None,
    lower: frozenset[str],
    text: str | None = None,
) -> bool:
    """
    Whether ``m`` may steer the article's other names (country evidence, proximity anchors).

    Not a one-word name used as a common word: tagged other than a proper noun
    by the parser ("Crystal" of "Crystal meth", "federal Liberals") or written in
    lower case elsewhere in the text (``lower``), unless it names a country or a
    designator is written with it ("Tank district"); not a word of a person's
    name in the same text (a skater named Georgia), nor a name joined by "and"
    to such a word ("Emily Stone and Paris": a person's or a pet's name).  Such a mention is still
    resolved; it only stops dragging the homonyms of the rest of the article to
    its own country or neighbourhood.
    """
    if m.label in ("NORP", "COORD") or not cands or len(m.text.split()) > 1:
        return True
    word = m.text.lower()
    if word in person_words or (text is not None and _with_a_person(text, m, person_words)):
        return False
    if hint or cands[0].kind == "country":
        return True
    if word in lower:
        return False
    span = doc.char_span(m.start, m.end) if doc is not None else None
    return span is None or len(span) != 1 or span[0].tag_ in ("NNP", "NNPS")


_AND_BEFORE = re.compile(r"\b(\w+)\s+(?:and|&)\s+$")
_AND_AFTER = re.compile(r"^(?:'s|’s)?\s+(?:and|&)\s+(\w+)\b")


def _with_a_person(text: str, m: Mention, person_words: frozenset[str]) -> bool:
    """Whether ``m`` is joined by "and" to a word of a person's name ("Stone and Paris")."""
    before = _AND_BEFORE.search(text, max(0, m.start - 40), m.start)
    after = _AND_AFTER.match(text[m.end : m.end + 40])
    return any(x is not None and x.group(1).lower() in person_words for x in (before, after))


def _capitals(gaz: Gazetteer) -> set[str]:
    key = id(gaz)
    if key not in _capital_cache:
        f = gaz.frame
        if "is_capital" in f.columns:
            _capital_cache[key] = set(f.loc[f["is_capital"].astype(bool), "uid"].astype(str))
        else:
            _capital_cache[key] = set(f.loc[f["feature_class"].astype(str) == "P.PPLC", "uid"].astype(str))
    return _capital_cache[key]


def resolve(
    mentions: Sequence[Mention],
    *,
    text: str,
    gazetteer: Gazetteer | None = None,
    doc: Doc | None = None,
) -> list[Place]:
    """
    Choose one gazetteer entry per mention and classify its role.

    Parameters
    ----------
    mentions
        From :func:`geomap.toponyms.find_toponyms`, offsets into ``text``.
    text
        The article text (designators and "near" are read around mentions).
    gazetteer
        Default: :func:`geomap.gazetteer.load_gazetteer`.
    doc
        The parsed ``text`` if already at hand (offsets equal to ``text``);
        default: parsed again with :func:`geomap.toponyms.parse` when a
        mention may be a government metonym.

    Returns
    -------
    list of Place
        One per mention, same order.  Resolved places carry ``name``,
        ``gazetteer_id``, ``country`` (ISO2), ``lat``/``lon`` (degrees
        EPSG:4326), ``kind``, ``feature_class``, ``geo_precision``, ``score``
        and ``role`` (``government`` or ``context``); unresolved ones keep the
        mention and give ``reason``.  ``admin1``/``admin2``/``dist_border_km``
        are left None for the spatial join.
    """
    if gazetteer is None:
        from geomap.gazetteer import load_gazetteer

        gazetteer = load_gazetteer()
    gaz = gazetteer
    border = _border_cache.get(id(gaz))
    if border is None:
        border = _border_cache[id(gaz)] = _Border(gaz)
    capitals = _capitals(gaz)

    cands = [_candidates(gaz, m) if m.label != "COORD" else [] for m in mentions]
    hints = [_hint(text, m) for m in mentions]
    # a name shared by a crossing and the town at it: the words around it choose
    pair = [not h and _town_at_crossing(cs) for h, cs in zip(hints, cands, strict=True)]
    for k, m in enumerate(mentions):
        if pair[k]:
            hints[k] = _town_or_crossing(text, m)
    _list_hints(text, mentions, hints, cands, pair)

    # country evidence: countries named, demonyms, names with one candidate (or all candidates
    # in one country), from confident mentions only: a common word or a person's name steers nothing
    person_words = _person_words(doc)
    lower = frozenset(re.findall(r"\b[a-z]+\b", text))
    sure = [
        _confident(m, cs, h, person_words=person_words, doc=doc, lower=lower, text=text)
        for m, cs, h in zip(mentions, cands, hints, strict=True)
    ]
    # one sense per article: a name once used as a common word or a person's name steers nowhere
    unsure = {m.text.lower() for m, ok in zip(mentions, sure, strict=True) if not ok}
    sure = [ok and m.text.lower() not in unsure for m, ok in zip(mentions, sure, strict=True)]
    evidence: Counter[str] = Counter()
    for cs, ok in zip(cands, sure, strict=True):
        if not ok:
            continue
        ccs = {c.country for c in cs}  # "" = spans countries (a region): no country evidence
        if cs and cs[0].kind == "country":
            evidence[cs[0].country] += 1
        elif len(ccs) == 1 and "" not in ccs:
            evidence[next(iter(ccs))] += 1
    total = sum(evidence.values()) or 1
    share = {cc: n / total for cc, n in evidence.items()}
    focus = share.get("AF", 0.0) + share.get("PK", 0.0)
    if not evidence and _border_cue(text):
        # no country named, yet the text is about a frontier ("2 km from the frontier"): geomap's
        # domain, the Afghanistan-Pakistan border, is the one it means
        focus = 1.0
    top_share = max(share.values(), default=0.0)
    # a name unknown as written may be an Afghan/Pakistani name in another romanisation ("Speen Boldak",
    # "Lalpura district"): tried for a name of several words, a name with a designator, or any name in
    # an article mostly about Afghanistan/Pakistan (not "Nesha" in an American story)
    for k, m in enumerate(mentions):
        if not cands[k] and m.label not in ("NORP", "COORD") and (
            len(m.text.split()) > 1 or hints[k] or (focus >= 0.5 and not _capital_by_position(text, m))
        ):
            from geomap.toponyms import variant_lookup

            cands[k] = variant_lookup(gaz, m.text)

    def base(c: GazetteerEntry, rank: int, hint: tuple[str, ...]) -> float:
        s = WEIGHTS["prior"] / (1 + rank)
        pop = c.population if c.population > 0 else _implied_population(c)
        if not pop and focus and c.country in ("AF", "PK") and c.kind in ("town", "city"):
            # a border-layer town without a census figure (Bara, Khyber), the text about the border
            pop = _BORDER_TOWN_POPULATION
        s += WEIGHTS["population"] * math.log10(1 + pop) / 7
        s += KIND_WEIGHT.get(c.kind, 0.0)
        if hint and c.kind in hint:
            s += WEIGHTS["hint"] * (1.0 if c.kind == hint[0] else 0.7)
        # a region spanning countries (continent, ocean, the EU) fits whatever countries the article is about
        s += WEIGHTS["country"] * (share.get(c.country, 0.0) if c.country else top_share)
        if focus and c.kind in _POINT_KINDS:
            s += WEIGHTS["border"] * focus * border.closeness(c.lat, c.lon)
        return s

    bases = [[base(c, i, h) for i, c in enumerate(cs)] for cs, h in zip(cands, hints, strict=True)]

    def best_of() -> list[GazetteerEntry | None]:
        return [cs[max(range(len(cs)), key=b.__getitem__)] if cs else None for cs, b in zip(cands, bases, strict=True)]

    # "aid in Nangarhar, Kunar and Kandahar": a list of like things takes its members' kind
    for k, kind in _list_kinds(text, mentions, cands, hints, best_of()).items():
        bases[k] = [b + WEIGHTS["list"] * (c.kind == kind) for b, c in zip(bases[k], cands[k], strict=True)]
    # "Spin Boldak in Kandahar": the container named with a place inside it is the unit, not its city
    for k, units in _unit_readings(text, mentions, cands, best_of()).items():
        bases[k] = [b + WEIGHTS["inside"] * (c.uid in units) for b, c in zip(bases[k], cands[k], strict=True)]
    # "Bara, Khyber", "Kunar's Dangam": the candidates inside the unit named next to the place
    outside: set[int] = set()
    for k, within in enumerate(_containers(text, mentions, cands, best_of())):
        if within and k + 1 < len(mentions) and hints[k + 1][:1] in (("province",), ("district",)) and _only_abroad(text, mentions, k, cands[k], within):
            # "Jani Khel in Bannu district": every entry of that name lies in another country than the unit
            outside.add(k)
            cands[k] = []
            bases[k] = []
            continue
        if within:
            bases[k] = [
                b + WEIGHTS["inside"] * any(_inside(c, u) for u in within) for b, c in zip(bases[k], cands[k], strict=True)
            ]
    first = best_of()

    anchors = [
        (e.lat, e.lon, m.text.lower())
        for e, m, ok in zip(first, mentions, sure, strict=True)
        if e and ok and e.kind not in ("country", "region")
    ]
    anchor_by_text: dict[str, list[tuple[float, float]]] = {}
    for lat, lon, t in anchors:
        anchor_by_text.setdefault(t, []).append((lat, lon))

    def proximity(cs: Sequence[GazetteerEntry], own: str) -> np.ndarray:
        """Proximity term of each candidate: closeness of the median distance to the other anchors."""
        pts = [p for t, v in anchor_by_text.items() if t != own for p in v]
        out = np.zeros(len(cs))
        if not pts:
            return out
        a = np.radians(np.asarray(pts, dtype=float))
        c = np.radians(np.asarray([(e.lat, e.lon) for e in cs], dtype=float))
        dlat = a[None, :, 0] - c[:, None, 0]
        dlon = a[None, :, 1] - c[:, None, 1]
        h = np.sin(dlat / 2) ** 2 + np.cos(c[:, None, 0]) * np.cos(a[None, :, 0]) * np.sin(dlon / 2) ** 2
        d = 2 * 6371.0 * np.arcsin(np.minimum(1.0, np.sqrt(h)))
        med = np.sort(d, axis=1)[:, len(pts) // 2]  # the upper median, as before
        out = np.maximum(0.0, 1.0 - med / PROXIMITY_KM)
        out[[e.kind == "country" for e in cs]] = 0.0
        return out

    gov_flags = _government_flags(mentions, cands, capitals, text=text, doc=doc)

    places: list[Place] = []
    for k, (m, cs) in enumerate(zip(mentions, cands, strict=True)):
        near = bool(_NEAR_BEFORE.search(text[max(0, m.start - 30) : m.start]))
        common = dict(
            mention=m.text,
            start=m.start,
            end=m.end,
            sentence_start=m.sentence_start,
            sentence_end=m.sentence_end,
            label=m.label,
            source=m.source,
        )
        if m.label == "COORD" and m.lat is not None and m.lon is not None:
            places.append(
                Place(**common, name=m.text, lat=m.lat, lon=m.lon, kind="other", feature_class="COORD", geo_precision=1, score=1.0)
            )
            continue
        if not cs:
            reason = "demonym not in gazetteer" if m.label == "NORP" else "name not in gazetteer"
            if k in outside:
                reason = "no entry of that name in the unit the text places it in"
            places.append(Place(**common, reason=reason))
            continue
        prox = proximity(cs, m.text.lower())
        scored = [(bases[k][i] + WEIGHTS["proximity"] * float(prox[i]), c) for i, c in enumerate(cs)]
        score, best = max(scored, key=lambda t: t[0])
        role = "government" if gov_flags[k] and (best.kind == "country" or best.uid in capitals) else "context"
        places.append(
            Place(
                **common,
                name=gaz.display_name(best),
                gazetteer_id=best.uid,
                country=best.country or None,
                lat=best.lat,
                lon=best.lon,
                kind=best.kind,
                feature_class=best.feature_class,
                role=role,
                geo_precision=geo_precision(best.kind, near=near),
                score=round(score, 3),
            )
        )
    places = _placed_in_containers(text, mentions, places)
    n = sum(p.resolved for p in places)
    logger.info("resolved %d/%d toponyms, %d unresolved", n, len(places), len(places) - n)
    return places


#: Kinds of a resolved place that may stand as the approximate location of a village inside it.
_APPROX_CONTAINERS = {"city": 2, "town": 2, "district": 2, "province": 3}
#: Kind given to a name the gazetteer lacks, from the designator written after it (default ``town``).
_DESIGNATED_KIND = {"district": "district", "tehsil": "district", "area": "region", "region": "region", "valley": "region"}


def _placed_in_containers(text: str, mentions: Sequence[Mention], places: list[Place]) -> list[Place]:
    """
    Place names the gazetteer lacks at the point of the unit the text puts them in, as approximate.

    "Killi Luqman, Chaman", "Hassan Khel in North Waziristan", "the X and Y
    villages of Chaman": an unresolved name (not a demonym) that the text puts
    in a resolved town, city, district or province (the patterns of
    :func:`_container_pairs`; a name listed with such a name, "X and Y
    villages of Z", shares its unit) takes that unit's point, with
    ``geo_precision`` 2 (3 for a province: ACLED's codes for a location known
    only to its district or province) and a ``note`` saying that the point is
    the container's.  Its ``kind`` comes from a designator after it ("Shmalzo
    district" is a district), else ``town``.  A country is no container: a
    village placed only in "Pakistan" stays unresolved, and so does a name
    made only of English words ("the Boost district of Helmand").
    """
    unit: dict[int, int] = {}
    for x, y in _container_pairs(text, mentions):
        if not places[x].resolved and places[y].resolved and places[y].kind in _APPROX_CONTAINERS:
            unit.setdefault(x, y)
    # "the X and Y villages of Z": X takes the unit of the name it is listed with
    for k in range(len(mentions) - 2, -1, -1):
        a, b = mentions[k], mentions[k + 1]
        if k not in unit and k + 1 in unit and a.sentence_start == b.sentence_start and _LIST_JOIN.match(text[a.end : b.start]):
            unit[k] = unit[k + 1]
    out = list(places)
    parts = toponym_lexicon().crossing_parts
    crossings = [k for k, p in enumerate(places) if p.resolved and p.kind == "crossing"]
    for k, p in enumerate(places):
        if p.resolved or normalize_name(p.mention) not in parts or not crossings:
            continue
        # "the zero point": the crossing of the same sentence, else the nearest one named before (or after) it
        same = [j for j in crossings if places[j].sentence_start == p.sentence_start]
        before = [j for j in crossings if places[j].start < p.start]
        j = min(same or before or crossings, key=lambda j: abs(places[j].start - p.start))
        c = places[j]
        out[k] = dataclasses.replace(
            p, name=f"{c.name} {p.mention.lower()}", country=c.country, lat=c.lat, lon=c.lon, kind="other",
            geo_precision=1, reason=None, note=f"a part of a crossing: placed at {c.name}, the crossing the text names",
        )
    for x, y in unit.items():
        p, c = places[x], places[y]
        if p.label in ("NORP", "COORD") or all(is_english_word(w) for w in re.findall(r"[^\W\d_]+", p.mention)):
            continue  # "the Boost district of Helmand": an English word is no village of its own
        after = _HINT_AFTER.match(text[p.end : p.end + 40])
        kind = _DESIGNATED_KIND.get(after.group("d").lower().rstrip("s"), "town") if after else "town"
        out[x] = dataclasses.replace(
            p,
            name=p.mention,
            country=c.country,
            lat=c.lat,
            lon=c.lon,
            kind=kind,
            geo_precision=_APPROX_CONTAINERS[c.kind],
            reason=None,
            note=f"approximate: not in the gazetteer; placed at {c.name} ({c.kind}), where the text puts it",
        )
    return out


# --------------------------------------------------------------------------- batches
def _geoparse_chunk(texts: Sequence[str], batch_size: int = 32) -> list[list[Place]]:
    """Toponyms and their places for each text, in this process (toponym-only parse)."""
    from geomap.toponyms import find_toponyms, parse_many

    out = []
    for text, doc in zip(texts, parse_many(texts, batch_size=batch_size, for_events=False), strict=True):
        out.append(resolve(find_toponyms(doc), text=text, doc=doc))
    return out


def _warm_up() -> None:
    """Load what the workers share (model, gazetteer, matcher tables, border points) before forking."""
    from geomap.gazetteer import load_gazetteer
    from geomap.toponyms import get_nlp

    gaz = load_gazetteer()
    get_nlp().get_pipe("geomap_gazetteer").load()
    if id(gaz) not in _border_cache:
        _border_cache[id(gaz)] = _Border(gaz)
    _capitals(gaz)


def geoparse_many(texts: Iterable[str], *, n_process: int = 1, batch_size: int = 32) -> list[list[Place]]:
    """
    Geoparse many texts: find their toponyms and resolve them to places.

    Toponyms from :func:`geomap.toponyms.find_toponyms`, places from :func:`resolve`.

    The fast path for toponyms alone (evaluation, batch geoparsing): the texts
    are parsed with :func:`geomap.toponyms.parse_many` with ``for_events=False``
    (no dependency parser, attribute ruler or lemmatizer), so every place gets
    ``role="context"`` (the metonymy test needs the parse).  Use
    :func:`geomap.pipeline.extract` when events and roles are wanted.

    Parameters
    ----------
    texts
        Article texts; offsets of the places refer to each text.
    n_process
        Worker processes.  Above 1, the texts are split into chunks handled by
        a ``multiprocessing`` pool (``fork`` where available, after the model
        and gazetteer are loaded, so workers share them); each worker parses,
        recognises and resolves its chunk and sends back only the places,
        never the spaCy documents.  Inside a daemon process (a worker of
        another pool) the texts are handled in that process.
    batch_size
        Texts per ``nlp.pipe`` batch (and at most per worker chunk).

    Returns
    -------
    list of list of Place
        One list per text, in input order; each as :func:`resolve` returns it.

    Raises
    ------
    geomap.errors.DataSourceError
        If the prebuilt gazetteer is missing.
    """
    texts = list(texts)
    # a daemon process (a worker of another pool, e.g. geomap.batch) may not start children
    if n_process <= 1 or len(texts) < 2 or mp.current_process().daemon:
        return _geoparse_chunk(texts, batch_size)
    _warm_up()
    # small chunks balance the workers (article lengths vary a lot)
    size = max(1, min(batch_size, math.ceil(len(texts) / (4 * n_process))))
    chunks = [texts[i : i + size] for i in range(0, len(texts), size)]
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else None)
    pool = ctx.Pool(min(n_process, len(chunks)))
    try:
        parts = pool.starmap(_geoparse_chunk, [(c, batch_size) for c in chunks], chunksize=1)
    except BaseException:
        pool.terminate()
        pool.join()
        raise
    pool.close()  # let the workers exit on their own (their CPU time is then counted as the parent's children)
    pool.join()
    return [places for part in parts for places in part]


# --------------------------------------------------------------------------- metonymy
def _government_flags(
    mentions: Sequence[Mention],
    cands: Sequence[list[GazetteerEntry]],
    capitals: set[str],
    *,
    text: str,
    doc: Doc | None,
) -> list[bool]:
    """For each mention: does its syntax make it a government metonym?"""
    maybe = [
        bool(cs) and m.label != "NORP" and any(c.kind == "country" or c.uid in capitals for c in cs[:3])
        for m, cs in zip(mentions, cands, strict=True)
    ]
    flags = [False] * len(mentions)
    if any(maybe):
        # the place of filing in a dateline ("KABUL, 24 November 2026 —", "DOHA, Qatar —") is no metonym
        datelines = _dateline_spans(text)
        maybe = [ok and not any(a <= m.start < b for a, b in datelines) for ok, m in zip(maybe, mentions, strict=True)]
    if not any(maybe):
        return flags
    from geomap.toponyms import cached_doc, doc_text, parse

    if doc is None or doc_text(doc) != text:
        doc = cached_doc(text)
    # without the whole parsed text, parse only the sentences that need it
    sent_docs: dict[tuple[int, int], Doc] = {}
    has_dep: dict[int, bool] = {}
    for k, m in enumerate(mentions):
        if not maybe[k]:
            continue
        if doc is not None:
            d, shift = doc, 0
        else:
            key = (m.sentence_start, m.sentence_end)
            if key not in sent_docs:
                sent_docs[key] = parse(text[m.sentence_start : m.sentence_end])
            d, shift = sent_docs[key], m.sentence_start
        if id(d) not in has_dep:
            has_dep[id(d)] = d.has_annotation("DEP")
        if not has_dep[id(d)]:
            continue
        span = d.char_span(m.start - shift, m.end - shift, alignment_mode="expand")
        if span is not None:
            flags[k] = is_government(span)
    return flags


def is_government(span: Span) -> bool:
    """
    Whether a place name stands for its government, from the dependency parse.

    True when the name's head token is

    - the subject of a verb of speech, decision or action (:data:`SPEECH_VERBS`,
      e.g. "Islamabad said", "Kabul denies", "Kabul accusing Pakistan"), or
      of any verb except a few literal ones ("Kabul lies in a valley");
    - the object of an accusation/urging verb (:data:`OBJECT_VERBS`: "accused
      Pakistan");
    - the possessor of a government noun (:data:`GOVERNMENT_NOUNS`:
      "Islamabad's military");
    - the complement of "from" after statements/officials ("official
      statements from Kabul and Islamabad"), or of "between" after a relation
      noun (:data:`RELATION_NOUNS`: "relations between Islamabad and Kabul");
    - the agent of a passive verb of that list ("the talks were welcomed by
      Washington");
    - a conjunct of a name that satisfies one of the above.

    "Officials in Kabul", "a blast in Kabul", "the government in Islamabad"
    are literal locations (False).
    """
    tok = span.root
    # climb conjunctions: "Islamabad and Kabul" -> the first conjunct carries the relation
    seen = 0
    while tok.dep_ == "conj" and seen < 4:
        tok = tok.head
        seen += 1
    # compound inside a name ("Kabul government") -> treat like a possessor
    if tok.dep_ == "compound" and tok.head.lemma_.lower() in GOVERNMENT_NOUNS:
        return True
    dep, head = tok.dep_, tok.head
    hl = head.lemma_.lower()
    if dep in ("nsubj", "nsubjpass") and head.pos_ in ("VERB", "AUX"):
        if hl in SPEECH_VERBS:
            return True
        return hl not in _LITERAL_VERBS and head.pos_ == "VERB"
    if dep == "dobj" and hl in OBJECT_VERBS:
        return True
    if dep == "poss" and (hl in GOVERNMENT_NOUNS or head.text.lower() in GOVERNMENT_NOUNS):
        return True
    if dep == "pobj" and head.dep_ == "agent" and head.head.lemma_.lower() in SPEECH_VERBS:
        # the agent of a passive: "the talks were welcomed by Washington", "a ceasefire urged by Beijing"
        return True
    if dep == "pobj" and head.dep_ == "prep":
        prep = head.lower_
        gov = head.head
        gl = gov.lemma_.lower()
        if prep == "between" and (gl in RELATION_NOUNS or gov.lower_ in RELATION_NOUNS):
            return True
        if prep == "from" and (gl in GOVERNMENT_NOUNS or gov.lower_ in GOVERNMENT_NOUNS):
            return True
    return False
