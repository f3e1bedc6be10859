"""Merging re-mentions of an event into its first mention.

Step 6 of the method (:mod:`geomap.events`).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from geomap.events.arguments import _add_unique
from geomap.events.dating import _date_of
from geomap.events.lexicon import COUNTED_LENGTH, STATUS, VIOLENT_GENERIC, VIOLENT_TYPES
from geomap.events.place import finer_location
from geomap.events.triggers import _Cand
from geomap.schema import LOCATION_FIELDS, Event


def _dates_agree(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a.startswith(b) or b.startswith(a)


def _compatible(a: Event, b: Event, cb: _Cand) -> bool:
    """
    Tell whether ``b`` (later, read from trigger ``cb``) may be a re-mention of ``a``.

    Same type (a definite generic noun, "the strike", "the operation", may
    re-mention any violent event); same certainty unless ``b`` is a definite
    re-mention or a continuing state ("remains shut"); dates that agree (an
    undated ``a`` takes ``b``'s date); crossings that overlap; locations that
    agree unless ``b`` is a definite re-mention.
    """
    generic = cb.anaphoric and cb.tok.lemma_.lower() in VIOLENT_GENERIC
    if a.type != b.type and not (generic and a.type in VIOLENT_TYPES and b.type in VIOLENT_TYPES):
        return False
    loose = cb.anaphoric or cb.continuing
    if a.certainty != b.certainty and not loose:
        return False
    if "negated" in (a.certainty, b.certainty) and a.certainty != b.certainty:
        return False
    if b.certainty == "occurred" and a.certainty in ("threatened", "planned", "conditional"):
        return False  # "the strikes targeted ..." re-mentions no threat or plan
    if not _dates_agree(a.date, b.date):
        return False
    if a.crossings and b.crossings and not set(a.crossings) & set(b.crossings):
        return False
    if b.scope in ("crossings_count", "crossings_all") and a.scope != b.scope:
        return a.scope in ("none", "border") and b.date is None
    if b.crossing_count is not None and a.crossing_count not in (None, b.crossing_count):
        return False
    if (
        a.qualifier
        and b.qualifier
        and "partial" not in (a.qualifier, b.qualifier)  # restriction not stated
        and not set(a.qualifier.split(", ")) & set(b.qualifier.split(", "))
    ):
        return False  # "trade had resumed" vs "reopened to pedestrians": two reopenings
    if a.location and b.location and a.location != b.location and not loose:
        return b.date is None and a.date is not None
    return True


def _counted(cand: _Cand) -> bool:
    """Tell whether a length of time is told just before the trigger ("a three-day closure")."""
    doc = cand.tok.doc
    window = doc[max(cand.sent.start, cand.tok.i - 5) : cand.tok.i].text
    return bool(COUNTED_LENGTH.search(window))


def _merge(built: list[tuple[Event, _Cand]]) -> list[Event]:
    """Merge re-mentions into their first mention (module docstring, step 6)."""
    out: list[Event] = []
    for ev, cand in built:
        target = None
        for n in range(len(out) - 1, -1, -1):
            if _compatible(out[n], ev, cand):
                target = n
                break
        if target is None:
            undated = ev.date is None
            if cand.remark and undated:
                continue  # "concerned by the recent fighting": no incident of its own
            if undated and (cand.habitual or (cand.background and not _counted(cand))):
                continue  # "after the closure", "when Torkham closes"
            if undated and cand.etype in STATUS and cand.anaphoric:
                continue  # "the closure of Torkham had cost ...": a period, not an event
            if cand.continuing and ev.certainty != "occurred":
                continue  # "would stay closed": no new event
            out.append(ev)
            continue
        a = out[target]
        upd: dict[str, Any] = {
            "actors": a.actors if cand.remark else tuple(_add_unique(list(a.actors), ev.actors)),
            "mediators": tuple(_add_unique(list(a.mediators), ev.mediators)),
        }
        if a.date is None and ev.date is not None:
            # the dated mention is the better evidence ("after deadly clashes ..." then
            # "The clashes ... on 31 August killed ..."): take its date and sentence
            upd.update(
                **_date_of(ev),
                date_end=ev.date_end,
                sentence=ev.sentence,
                start=ev.start,
                end=ev.end,
                trigger=ev.trigger,
                trigger_start=ev.trigger_start,
                trigger_end=ev.trigger_end,
                warnings=tuple(w for w in a.warnings if "no date" not in w) + ev.warnings,
            )
            if ev.actors:
                # the actors named with the dated evidence ("It began on 3 November, when
                # Afghan and Pakistani troops clashed"), not those of a passing mention
                # (a summary naming the mediators' cities)
                upd["actors"] = ev.actors
        elif a.date is not None and ev.date is not None and len(ev.date) > len(a.date):
            upd.update(_date_of(ev))
        if finer_location(a, ev):
            for f in LOCATION_FIELDS:
                upd[f] = getattr(ev, f)
        if a.scope in ("none", "border") and ev.scope not in ("none", "border"):
            upd.update(scope=ev.scope, crossings=ev.crossings, crossing_count=ev.crossing_count)
        # a re-mention's restriction restricts a vague reopening ("reopened ... for
        # trade only"), but a closure told once of one kind of traffic ("trade
        # activities remained suspended") does not make a full closure partial
        filled = ("fatalities", "fatalities_text", "injuries", "injuries_text")
        if a.type != "closure":
            filled += ("qualifier",)
        for f in filled:
            if getattr(a, f) is None and getattr(ev, f) is not None:
                upd[f] = getattr(ev, f)
        out[target] = dataclasses.replace(a, **upd)
    return out
