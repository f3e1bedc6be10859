r"""
The vocabulary of event extraction, read from the TOML files in ``lexicon/``.

This module is the only place that knows those files.  It reads them with the
standard library (:mod:`tomllib`), validates them and hands the rest of the
package ready-made values: ``frozenset`` for a set of words (membership
only), ``tuple`` for a list whose order the code relies on, ``dict`` for a
table, and compiled regular expressions for the patterns.

File format
-----------
Each file is a TOML document whose keys are listed in :data:`SCHEMA`, with a
comment above each key saying what it is for.  Kinds of value:

``set``, ``list``
    An array of distinct, non-empty, lower-case strings (``list`` keeps its
    order).
``lists``, ``sets``, ``type_lists``
    A table of such arrays (``type_lists``: keyed by event type).
``strs``, ``ints``, ``statuses``, ``actor_words``
    A table of strings / integers (``statuses``: event type -> crossing status;
    ``actor_words``: actor -> lower-case word).
``types``, ``certainties``, ``actor_names``, ``labels``
    An array of event types, of certainties, of actors of ``actors``, of
    upper-case spaCy entity labels.
``triggers``
    Event type -> a table with the arrays ``verb``, ``noun`` and ``phrase``.
``pattern``, ``fragment``
    A table with a regular expression ``pattern`` in which ``{name}`` stands for
    the alternatives of the array ``name`` of the same table joined with ``|``
    (or of a top-level array of the same file, or for a ``fragment`` of the same
    file, so that code and pattern share one list); ``ignore_case = true`` compiles it
    case-insensitively.  A ``fragment`` is not compiled: it is a piece of other
    patterns.  The arrays of a pattern hold regex alternatives ("jets?",
    "broke\\s+down").

A malformed file raises :class:`geomap.errors.LexiconError` (a ``ValueError``)
that names the file and the key.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from geomap.errors import LexiconError
from geomap.schema import ACLED_TYPES, CERTAINTIES, CROSSING_STATUSES, EVENT_TYPES

__all__ = ["FOLDER", "SCHEMA", "load", "load_file", "validate"]

#: Folder of the vocabulary files (shipped as package data).
FOLDER = Path(__file__).with_name("lexicon")

#: file name -> key -> kind of value (module docstring).  Every key is required
#: and no other key is allowed.
SCHEMA: dict[str, dict[str, str]] = {
    "triggers.toml": {
        "triggers": "triggers",
        "violent_types": "types",
        "violent_generic": "set",
        "next_round": "set",
        "permit": "set",
        "permit_passage": "set",
        "munitions": "set",
        "round_mods": "set",
        "impact_verbs": "set",
        "not_weapon_fire": "set",
        "strike_targets": "set",
        "armed_agents": "set",
        "rhetoric": "set",
        "fire_preps": "set",
        "air_subjects": "set",
        "air_words": "pattern",
        "armed_targets": "set",
        "security_targets": "set",
        "hostile_acts": "set",
        "force_words": "set",
        "start_verbs": "set",
        "topic_verbs": "set",
        "reactions": "set",
        "passage_verbs": "set",
        "traffic_nouns": "set",
        "no_deal": "pattern",
        "round_nouns": "set",
        "strike_verbs": "set",
        "fire": "set",
        "open": "set",
        "fire_into_air": "set",
        "open_fire": "set",
        "under_fire_verbs": "set",
        "under_fire_preps": "set",
        "under_fire_nouns": "set",
        "blame_preps": "set",
        "block": "set",
        "resume_verbs": "set",
        "talks_words": "set",
        "meet": "set",
        "meeting_parties": "set",
        "exchange": "set",
        "exchange_verbs": "set",
        "fire_objects": "set",
        "fire_exchanged": "set",
        "response": "set",
        "respond": "set",
        "air_mods": "set",
        "strike_protest_mods": "set",
        "operation": "set",
        "operation_mods": "set",
        "target": "set",
        "protesters": "set",
        "recent": "set",
        "time": "set",
        "first": "set",
    },
    "certainty.toml": {
        "cond_marks": "set",
        "wish": "set",
        "neg_verbs": "set",
        "threat": "set",
        "reluctant": "set",
        "right_keepers": "set",
        "cond": "set",
        "plan": "set",
        "report": "set",
        "report_nouns": "set",
        "false_words": "set",
        "future_aux": "set",
        "maybe_aux": "set",
        "ahead": "certainties",
        "report_verbs": "set",
        "copula": "set",
        "negators": "set",
        "agree": "set",
        "threat_prefixes": "list",
        "if_marks": "set",
        "when_marks": "set",
        "plan_modifiers": "set",
        "until_marks": "set",
        "call": "set",
        "right": "set",
        "purpose_plan": "set",
    },
    "status.toml": {
        "border_words": "set",
        "crossing_ref": "set",
        "state_adj": "type_lists",
        "background_preps": "set",
        "normal_flow": "list",
        "status": "statuses",
        "part_adverbs": "set",
        "partial_verbs": "set",
        "border_heads": "set",
        "crossing_nouns": "fragment",
        "all_crossings": "pattern",
        "count_crossings": "pattern",
        "both_crossings": "pattern",
        "partial_cues": "pattern",
        "state_before": "pattern",
        "past_perfect": "pattern",
        "hours_only": "pattern",
        "continuing_before": "pattern",
        "copula_before": "pattern",
        "sequel_between": "pattern",
        "again": "pattern",
        "crossing_pronouns": "set",
        "flow_words": "set",
        "continue_verbs": "set",
        "crossing_quantifiers": "set",
        "border_scope_words": "set",
        "counted_length": "pattern",
        "passage_preps": "set",
    },
    "casualties.toml": {
        "number_words": "ints",
        "kill_after": "set",
        "kill_before": "set",
        "hurt_after": "set",
        "hurt_before": "set",
        "vague_num": "set",
        "not_counts": "labels",
        "kill_lemmas": "set",
        "hurt_lemmas": "set",
        "victim_nouns": "set",
        "not_numbers": "set",
        "subset_words": "set",
        "not_casualty_numbers": "set",
        "bound_preps": "set",
        "bounds": "set",
        "die": "set",
        "kill": "set",
    },
    "actors.toml": {
        "actors": "lists",
        "third_parties": "actor_names",
        "adj_actors": "actor_words",
        "institution": "fragment",
        "mediate": "set",
        "side_words": "sets",
        "mediator_nouns": "set",
        "shared_adjective": "fragment",
    },
    "qualifiers.toml": {
        "qualifiers": "lists",
        "purpose_lemmas": "set",
        "temporal_preps": "set",
        "people_words": "set",
        "people_and_goods": "pattern",
        "closed_to_preps": "set",
        "general_traffic": "set",
        "all_traffic": "pattern",
        "contrast": "pattern",
        "full_traffic": "pattern",
        "documents": "pattern",
        "document_rule": "strs",
    },
    "places.toml": {
        "loc_preps": "set",
        "spread_verbs": "set",
        "people": "set",
        "people_preps": "set",
        "there": "set",
        "host_preps": "set",
        "crossing_in": "set",
        "spread_preps": "set",
        "area_preps": "set",
    },
    "dates.toml": {
        "begin": "set",
        "time_of_day": "set",
        "measure": "pattern",
        "same_day_measure": "pattern",
        "hedges": "set",
        "week_units": "list",
        "effective": "set",
        "dating_verbs": "set",
    },
    "grammar.toml": {
        "of": "set",
        "arg_preps": "set",
        "definite": "set",
        "start_marks": "set",
        "habitual_marks": "set",
        "topic_preps": "set",
        "generic_dets": "set",
        "purpose_preps": "set",
        "motive_preps": "set",
        "motive_nouns": "set",
        "motive_frames": "set",
        "infinitive": "set",
        "attack_preps": "set",
        "end_preps": "set",
        "endings": "set",
        "call_preps": "set",
        "possessive_suffixes": "list",
        "sequence_preps": "set",
        "response_preps": "set",
        "question_marks": "set",
        "strike_preps": "set",
        "anaphoric_dets": "set",
        "since": "set",
        "after": "set",
        "when": "set",
        "according": "set",
    },
}

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_TRIGGER_POS = ("verb", "noun", "phrase")


def _fail(file: str, key: str, problem: str) -> LexiconError:
    return LexiconError(f"{file}: key {key!r}: {problem}")


def _words(file: str, key: str, value: Any, *, lower: bool = True) -> tuple[str, ...]:
    """Check an array of distinct non-empty strings (lower-case unless ``lower`` is False)."""
    if not isinstance(value, list):
        raise _fail(file, key, f"expected an array of strings, found {type(value).__name__}")
    seen: set[str] = set()
    for w in value:
        if not isinstance(w, str) or not w.strip():
            raise _fail(file, key, f"expected non-empty strings, found {w!r}")
        if lower and w != w.lower():
            raise _fail(file, key, f"{w!r} is not lower-case (the code compares lower-case text)")
        if w in seen:
            raise _fail(file, key, f"duplicate entry {w!r}")
        seen.add(w)
    return tuple(value)


def _table(file: str, key: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise _fail(file, key, f"expected a table, found {type(value).__name__}")
    if not value:
        raise _fail(file, key, "the table is empty")
    return value


def _known(file: str, key: str, names: Any, known: Any, what: str) -> None:
    unknown = [n for n in names if n not in known]
    if unknown:
        raise _fail(file, key, f"unknown {what} {unknown} (known: {sorted(known)})")


def _pattern(
    file: str, key: str, value: Any, fragments: Mapping[str, str], *, compile_it: bool
) -> Any:
    table = _table(file, key, value)
    template = table.get("pattern")
    if not isinstance(template, str) or not template:
        raise _fail(file, key, "expected a non-empty string 'pattern'")
    ignore_case = table.get("ignore_case", False)
    if not isinstance(ignore_case, bool):
        raise _fail(file, key, "'ignore_case' must be true or false")
    lists = {
        name: _words(file, f"{key}.{name}", v)
        for name, v in table.items()
        if name not in ("pattern", "ignore_case")
    }
    used: set[str] = set()

    def fill(m: re.Match[str]) -> str:
        name = m.group(1)
        used.add(name)
        if name in lists:
            return "|".join(lists[name])
        if name in fragments:
            return fragments[name]
        raise _fail(
            file,
            key,
            f"'pattern' names {{{name}}}, which is no array of this table or file, nor a fragment",
        )

    text = _PLACEHOLDER.sub(fill, template)
    unused = sorted(set(lists) - used)
    if unused:
        raise _fail(file, key, f"arrays {unused} are not used in 'pattern'")
    try:
        compiled = re.compile(text, re.IGNORECASE if ignore_case else 0)
    except re.error as err:
        raise _fail(file, key, f"'pattern' is no valid regular expression: {err}") from err
    return compiled if compile_it else text


def _value(file: str, key: str, kind: str, value: Any, fragments: Mapping[str, str]) -> Any:
    """Check one value of kind ``kind`` and convert it (module docstring)."""
    types = [t for t in EVENT_TYPES if t in ACLED_TYPES]
    if kind == "set":
        return frozenset(_words(file, key, value))
    if kind == "list":
        return _words(file, key, value)
    if kind == "types":
        words = _words(file, key, value)
        _known(file, key, words, types, "event types")
        return words
    if kind == "certainties":
        words = _words(file, key, value)
        _known(file, key, words, CERTAINTIES, "certainties")
        return frozenset(words)
    if kind == "labels":
        words = _words(file, key, value, lower=False)
        if any(w != w.upper() for w in words):
            raise _fail(file, key, "entity labels are upper-case")
        return frozenset(words)
    if kind == "actor_names":
        return frozenset(_words(file, key, value, lower=False))
    if kind in ("lists", "type_lists"):
        table = _table(file, key, value)
        if kind == "type_lists":
            _known(file, key, table, types, "event types")
        return {name: _words(file, f"{key}.{name}", ws) for name, ws in table.items()}
    if kind == "sets":
        table = _table(file, key, value)
        return {name: frozenset(_words(file, f"{key}.{name}", ws)) for name, ws in table.items()}
    if kind in ("strs", "statuses", "actor_words"):
        table = _table(file, key, value)
        for name, w in table.items():
            if not isinstance(w, str) or not w or w != w.lower():
                raise _fail(file, f"{key}.{name}", f"expected a lower-case string, found {w!r}")
        if kind == "statuses":
            _known(file, key, table, types, "event types")
            _known(file, key, table.values(), CROSSING_STATUSES, "crossing statuses")
        return dict(table)
    if kind == "ints":
        table = _table(file, key, value)
        for name, n in table.items():
            if not isinstance(n, int) or isinstance(n, bool) or name != name.lower():
                raise _fail(
                    file, f"{key}.{name}", f"expected a lower-case word and an integer, found {n!r}"
                )
        return dict(table)
    if kind == "triggers":
        table = _table(file, key, value)
        out = {}
        for etype, spec in table.items():
            spec = _table(file, f"{key}.{etype}", spec)
            if tuple(spec) != _TRIGGER_POS:
                raise _fail(
                    file,
                    f"{key}.{etype}",
                    f"expected the arrays {list(_TRIGGER_POS)}, found {list(spec)}",
                )
            out[etype] = {
                pos: _words(file, f"{key}.{etype}.{pos}", spec[pos]) for pos in _TRIGGER_POS
            }
        required = [t for t in types if t != "other"]
        if not set(required) <= set(out) <= set(types):
            raise _fail(
                file,
                key,
                f"event types {sorted(out)} differ from geomap.schema.ACLED_TYPES"
                f" {sorted(types)}"
                " (every type but 'other' needs its triggers; 'other' may have some)",
            )
        return out
    if kind in ("pattern", "fragment"):
        return _pattern(file, key, value, fragments, compile_it=kind == "pattern")
    raise _fail(file, key, f"unknown kind {kind!r} in SCHEMA")


def validate(file: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """
    Validate the parsed content of one vocabulary file and convert its values.

    Parameters
    ----------
    file
        The file's name, one of :data:`SCHEMA` (``"triggers.toml"``, ...); it
        chooses the keys expected and names the file in error messages.
    data
        The file's content as parsed by :func:`tomllib.load`.

    Returns
    -------
    dict
        Key -> value, converted as the module docstring says (``frozenset``,
        ``tuple``, ``dict``, compiled ``re.Pattern``), in file order.

    Raises
    ------
    LexiconError
        A ``ValueError`` naming the file and the key: a missing or unknown key,
        a value of the wrong type, an empty or duplicate entry, an upper-case
        word, an unknown event type, certainty, status or placeholder.
    """
    if file not in SCHEMA:
        raise LexiconError(f"{file}: not a vocabulary file (known: {sorted(SCHEMA)})")
    kinds = SCHEMA[file]
    for key in kinds:
        if key not in data:
            raise _fail(file, key, "missing")
    for key in data:
        if key not in kinds:
            raise _fail(file, key, f"unknown key (expected one of {sorted(kinds)})")
    out: dict[str, Any] = {}
    # top-level arrays and fragments first: patterns of the file may use them
    fragments = {
        k: "|".join(v)
        for k, v in data.items()
        if isinstance(v, list) and all(isinstance(w, str) for w in v)
    }
    for key, kind in sorted(kinds.items(), key=lambda kv: kv[1] != "fragment"):
        out[key] = _value(file, key, kind, data[key], fragments)
        if kind == "fragment":
            fragments[key] = out[key]
    return {key: out[key] for key in kinds}


def _read(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise LexiconError(f"{path.name}: cannot be read as TOML: {err}") from err


def load_file(path: Path) -> dict[str, Any]:
    """
    Read and validate one vocabulary file.

    Parameters
    ----------
    path
        A TOML file whose name is one of :data:`SCHEMA`.

    Returns
    -------
    dict
        As :func:`validate`.

    Raises
    ------
    LexiconError
        If the file is no valid TOML or fails :func:`validate`.
    """
    return validate(path.name, _read(path))


def _cross_check(lex: Mapping[str, Any], raw: Mapping[str, Mapping[str, Any]]) -> None:
    """Check what ties keys of different files together."""
    phrases = lex["triggers"]["reopening"]["phrase"]
    missing = [p for p in lex["normal_flow"] if p not in phrases]
    if missing:
        raise _fail(
            "status.toml", "normal_flow", f"{missing} are no reopening phrases of triggers.toml"
        )
    for key in ("third_parties", "adj_actors"):
        extra = [a for a in lex[key] if a not in lex["actors"]]
        if extra:
            raise _fail("actors.toml", key, f"{extra} are not actors of 'actors'")
    numbers = raw["status.toml"]["count_crossings"]["numbers"]
    unknown = [n for n in numbers if n not in lex["number_words"]]
    if unknown:
        raise _fail(
            "status.toml",
            "count_crossings.numbers",
            f"{unknown} are not number_words of casualties.toml",
        )


def load(folder: Path = FOLDER) -> dict[str, Any]:
    """
    Read and validate every vocabulary file of ``folder``.

    Parameters
    ----------
    folder
        Folder holding the files of :data:`SCHEMA`.  Default: the files
        shipped with geomap (:data:`FOLDER`).

    Returns
    -------
    dict
        Key -> value of all files together (keys are unique across files).

    Raises
    ------
    LexiconError
        If a file is missing or fails :func:`load_file`, or if keys of
        different files disagree (a normal-flow phrase that is no reopening
        phrase, a third party that is no actor, ...).
    """
    out: dict[str, Any] = {}
    raw: dict[str, dict[str, Any]] = {}
    for file in SCHEMA:
        path = folder / file
        if not path.is_file():
            raise LexiconError(f"{file}: missing from {folder}")
        raw[file] = _read(path)
        out.update(validate(file, raw[file]))
    _cross_check(out, raw)
    return out


_LEX = load()


# --- triggers.toml
TRIGGERS: dict[str, dict[str, tuple[str, ...]]] = _LEX["triggers"]
VIOLENT_TYPES: tuple[str, ...] = _LEX["violent_types"]
VIOLENT_GENERIC: frozenset[str] = _LEX["violent_generic"]
NEXT_ROUND: frozenset[str] = _LEX["next_round"]
PERMIT: frozenset[str] = _LEX["permit"]
PERMIT_PASSAGE: frozenset[str] = _LEX["permit_passage"]
MUNITIONS: frozenset[str] = _LEX["munitions"]
ROUND_MODS: frozenset[str] = _LEX["round_mods"]
IMPACT_VERBS: frozenset[str] = _LEX["impact_verbs"]
NOT_WEAPON_FIRE: frozenset[str] = _LEX["not_weapon_fire"]
STRIKE_TARGETS: frozenset[str] = _LEX["strike_targets"]
ARMED_AGENTS: frozenset[str] = _LEX["armed_agents"]
RHETORIC: frozenset[str] = _LEX["rhetoric"]
FIRE_PREPS: frozenset[str] = _LEX["fire_preps"]
AIR_SUBJECTS: frozenset[str] = _LEX["air_subjects"]
AIR_WORDS: re.Pattern[str] = _LEX["air_words"]
ARMED_TARGETS: frozenset[str] = _LEX["armed_targets"]
SECURITY_TARGETS: frozenset[str] = _LEX["security_targets"]
HOSTILE_ACTS: frozenset[str] = _LEX["hostile_acts"]
FORCE_WORDS: frozenset[str] = _LEX["force_words"]
START_VERBS: frozenset[str] = _LEX["start_verbs"]
TOPIC_VERBS: frozenset[str] = _LEX["topic_verbs"]
REACTIONS: frozenset[str] = _LEX["reactions"]
PASSAGE_VERBS: frozenset[str] = _LEX["passage_verbs"]
TRAFFIC_NOUNS: frozenset[str] = _LEX["traffic_nouns"]
NO_DEAL: re.Pattern[str] = _LEX["no_deal"]
ROUND_NOUNS: frozenset[str] = _LEX["round_nouns"]
STRIKE_VERBS: frozenset[str] = _LEX["strike_verbs"]
FIRE: frozenset[str] = _LEX["fire"]
OPEN: frozenset[str] = _LEX["open"]
FIRE_INTO_AIR: frozenset[str] = _LEX["fire_into_air"]
OPEN_FIRE: frozenset[str] = _LEX["open_fire"]
UNDER_FIRE_VERBS: frozenset[str] = _LEX["under_fire_verbs"]
UNDER_FIRE_PREPS: frozenset[str] = _LEX["under_fire_preps"]
UNDER_FIRE_NOUNS: frozenset[str] = _LEX["under_fire_nouns"]
BLAME_PREPS: frozenset[str] = _LEX["blame_preps"]
BLOCK: frozenset[str] = _LEX["block"]
RESUME_VERBS: frozenset[str] = _LEX["resume_verbs"]
TALKS_WORDS: frozenset[str] = _LEX["talks_words"]
MEET: frozenset[str] = _LEX["meet"]
MEETING_PARTIES: frozenset[str] = _LEX["meeting_parties"]
EXCHANGE: frozenset[str] = _LEX["exchange"]
EXCHANGE_VERBS: frozenset[str] = _LEX["exchange_verbs"]
FIRE_OBJECTS: frozenset[str] = _LEX["fire_objects"]
FIRE_EXCHANGED: frozenset[str] = _LEX["fire_exchanged"]
RESPONSE: frozenset[str] = _LEX["response"]
RESPOND: frozenset[str] = _LEX["respond"]
AIR_MODS: frozenset[str] = _LEX["air_mods"]
STRIKE_PROTEST_MODS: frozenset[str] = _LEX["strike_protest_mods"]
OPERATION: frozenset[str] = _LEX["operation"]
OPERATION_MODS: frozenset[str] = _LEX["operation_mods"]
TARGET: frozenset[str] = _LEX["target"]
PROTESTERS: frozenset[str] = _LEX["protesters"]
RECENT: frozenset[str] = _LEX["recent"]
TIME: frozenset[str] = _LEX["time"]
FIRST: frozenset[str] = _LEX["first"]

# --- certainty.toml
COND_MARKS: frozenset[str] = _LEX["cond_marks"]
WISH: frozenset[str] = _LEX["wish"]
NEG_VERBS: frozenset[str] = _LEX["neg_verbs"]
THREAT: frozenset[str] = _LEX["threat"]
RELUCTANT: frozenset[str] = _LEX["reluctant"]
RIGHT_KEEPERS: frozenset[str] = _LEX["right_keepers"]
COND: frozenset[str] = _LEX["cond"]
PLAN: frozenset[str] = _LEX["plan"]
REPORT: frozenset[str] = _LEX["report"]
REPORT_NOUNS: frozenset[str] = _LEX["report_nouns"]
FALSE_WORDS: frozenset[str] = _LEX["false_words"]
PURPOSE_PLAN: frozenset[str] = _LEX["purpose_plan"]
FUTURE_AUX: frozenset[str] = _LEX["future_aux"]
MAYBE_AUX: frozenset[str] = _LEX["maybe_aux"]
AHEAD: frozenset[str] = _LEX["ahead"]
REPORT_VERBS: frozenset[str] = _LEX["report_verbs"]
COPULA: frozenset[str] = _LEX["copula"]
NEGATORS: frozenset[str] = _LEX["negators"]
AGREE: frozenset[str] = _LEX["agree"]
THREAT_PREFIXES: tuple[str, ...] = _LEX["threat_prefixes"]
IF_MARKS: frozenset[str] = _LEX["if_marks"]
WHEN_MARKS: frozenset[str] = _LEX["when_marks"]
PLAN_MODIFIERS: frozenset[str] = _LEX["plan_modifiers"]
UNTIL_MARKS: frozenset[str] = _LEX["until_marks"]
CALL: frozenset[str] = _LEX["call"]
RIGHT: frozenset[str] = _LEX["right"]

# --- status.toml
BORDER_WORDS: frozenset[str] = _LEX["border_words"]
CROSSING_REF: frozenset[str] = _LEX["crossing_ref"]
STATE_ADJ: dict[str, tuple[str, ...]] = _LEX["state_adj"]
BACKGROUND_PREPS: frozenset[str] = _LEX["background_preps"]
NORMAL_FLOW: tuple[str, ...] = _LEX["normal_flow"]
STATUS: dict[str, str] = _LEX["status"]
PART_ADVERBS: frozenset[str] = _LEX["part_adverbs"]
PARTIAL_VERBS: frozenset[str] = _LEX["partial_verbs"]
BORDER_HEADS: frozenset[str] = _LEX["border_heads"]
CROSSING_NOUNS: str = _LEX["crossing_nouns"]
ALL_CROSSINGS: re.Pattern[str] = _LEX["all_crossings"]
COUNT_CROSSINGS: re.Pattern[str] = _LEX["count_crossings"]
BOTH_CROSSINGS: re.Pattern[str] = _LEX["both_crossings"]
PARTIAL_CUES: re.Pattern[str] = _LEX["partial_cues"]
STATE_BEFORE: re.Pattern[str] = _LEX["state_before"]
PAST_PERFECT: re.Pattern[str] = _LEX["past_perfect"]
HOURS_ONLY: re.Pattern[str] = _LEX["hours_only"]
CONTINUING_BEFORE: re.Pattern[str] = _LEX["continuing_before"]
COPULA_BEFORE: re.Pattern[str] = _LEX["copula_before"]
SEQUEL_BETWEEN: re.Pattern[str] = _LEX["sequel_between"]
AGAIN: re.Pattern[str] = _LEX["again"]
CROSSING_PRONOUNS: frozenset[str] = _LEX["crossing_pronouns"]
FLOW_WORDS: frozenset[str] = _LEX["flow_words"]
CONTINUE_VERBS: frozenset[str] = _LEX["continue_verbs"]
CROSSING_QUANTIFIERS: frozenset[str] = _LEX["crossing_quantifiers"]
BORDER_SCOPE_WORDS: frozenset[str] = _LEX["border_scope_words"]

# --- casualties.toml
NUMBER_WORDS: dict[str, int] = _LEX["number_words"]
COUNTED_LENGTH: re.Pattern[str] = _LEX["counted_length"]
PASSAGE_PREPS: frozenset[str] = _LEX["passage_preps"]
KILL_AFTER: frozenset[str] = _LEX["kill_after"]
KILL_BEFORE: frozenset[str] = _LEX["kill_before"]
HURT_AFTER: frozenset[str] = _LEX["hurt_after"]
HURT_BEFORE: frozenset[str] = _LEX["hurt_before"]
VAGUE_NUM: frozenset[str] = _LEX["vague_num"]
NOT_COUNTS: frozenset[str] = _LEX["not_counts"]
KILL_LEMMAS: frozenset[str] = _LEX["kill_lemmas"]
HURT_LEMMAS: frozenset[str] = _LEX["hurt_lemmas"]
VICTIM_NOUNS: frozenset[str] = _LEX["victim_nouns"]
NOT_NUMBERS: frozenset[str] = _LEX["not_numbers"]
SUBSET_WORDS: frozenset[str] = _LEX["subset_words"]
NOT_CASUALTY_NUMBERS: frozenset[str] = _LEX["not_casualty_numbers"]
BOUND_PREPS: frozenset[str] = _LEX["bound_preps"]
BOUNDS: frozenset[str] = _LEX["bounds"]
DIE: frozenset[str] = _LEX["die"]
KILL: frozenset[str] = _LEX["kill"]

# --- actors.toml
ACTORS: dict[str, tuple[str, ...]] = _LEX["actors"]
THIRD_PARTIES: frozenset[str] = _LEX["third_parties"]
ADJ_ACTORS: dict[str, str] = _LEX["adj_actors"]
INSTITUTION: str = _LEX["institution"]
MEDIATE: frozenset[str] = _LEX["mediate"]
SIDE_WORDS: dict[str, frozenset[str]] = _LEX["side_words"]
MEDIATOR_NOUNS: frozenset[str] = _LEX["mediator_nouns"]
SHARED_ADJECTIVE: str = _LEX["shared_adjective"]

# --- qualifiers.toml
QUALIFIERS: dict[str, tuple[str, ...]] = _LEX["qualifiers"]
PURPOSE_LEMMAS: frozenset[str] = _LEX["purpose_lemmas"]
TEMPORAL_PREPS: frozenset[str] = _LEX["temporal_preps"]
PEOPLE_WORDS: frozenset[str] = _LEX["people_words"]
ALL_TRAFFIC: re.Pattern[str] = _LEX["all_traffic"]
CONTRAST: re.Pattern[str] = _LEX["contrast"]
PEOPLE_AND_GOODS: re.Pattern[str] = _LEX["people_and_goods"]
CLOSED_TO_PREPS: frozenset[str] = _LEX["closed_to_preps"]
GENERAL_TRAFFIC: frozenset[str] = _LEX["general_traffic"]
DOCUMENTS: re.Pattern[str] = _LEX["documents"]
DOCUMENT_RULE: dict[str, str] = _LEX["document_rule"]
FULL_TRAFFIC: re.Pattern[str] = _LEX["full_traffic"]

# --- places.toml
LOC_PREPS: frozenset[str] = _LEX["loc_preps"]
SPREAD_VERBS: frozenset[str] = _LEX["spread_verbs"]
PEOPLE: frozenset[str] = _LEX["people"]
PEOPLE_PREPS: frozenset[str] = _LEX["people_preps"]
THERE: frozenset[str] = _LEX["there"]
HOST_PREPS: frozenset[str] = _LEX["host_preps"]
CROSSING_IN: frozenset[str] = _LEX["crossing_in"]
SPREAD_PREPS: frozenset[str] = _LEX["spread_preps"]
AREA_PREPS: frozenset[str] = _LEX["area_preps"]

# --- dates.toml
BEGIN: frozenset[str] = _LEX["begin"]
TIME_OF_DAY: frozenset[str] = _LEX["time_of_day"]
MEASURE: re.Pattern[str] = _LEX["measure"]
SAME_DAY_MEASURE: re.Pattern[str] = _LEX["same_day_measure"]
HEDGES: frozenset[str] = _LEX["hedges"]
WEEK_UNITS: tuple[str, ...] = _LEX["week_units"]
EFFECTIVE: frozenset[str] = _LEX["effective"]
DATING_VERBS: frozenset[str] = _LEX["dating_verbs"]

# --- grammar.toml
OF: frozenset[str] = _LEX["of"]
ARG_PREPS: frozenset[str] = _LEX["arg_preps"]
DEFINITE: frozenset[str] = _LEX["definite"]
START_MARKS: frozenset[str] = _LEX["start_marks"]
HABITUAL_MARKS: frozenset[str] = _LEX["habitual_marks"]
TOPIC_PREPS: frozenset[str] = _LEX["topic_preps"]
GENERIC_DETS: frozenset[str] = _LEX["generic_dets"]
PURPOSE_PREPS: frozenset[str] = _LEX["purpose_preps"]
MOTIVE_PREPS: frozenset[str] = _LEX["motive_preps"]
MOTIVE_NOUNS: frozenset[str] = _LEX["motive_nouns"]
MOTIVE_FRAMES: frozenset[str] = _LEX["motive_frames"]
INFINITIVE: frozenset[str] = _LEX["infinitive"]
ATTACK_PREPS: frozenset[str] = _LEX["attack_preps"]
END_PREPS: frozenset[str] = _LEX["end_preps"]
ENDINGS: frozenset[str] = _LEX["endings"]
CALL_PREPS: frozenset[str] = _LEX["call_preps"]
POSSESSIVE_SUFFIXES: tuple[str, ...] = _LEX["possessive_suffixes"]
SEQUENCE_PREPS: frozenset[str] = _LEX["sequence_preps"]
RESPONSE_PREPS: frozenset[str] = _LEX["response_preps"]
QUESTION_MARKS: frozenset[str] = _LEX["question_marks"]
STRIKE_PREPS: frozenset[str] = _LEX["strike_preps"]
ANAPHORIC_DETS: frozenset[str] = _LEX["anaphoric_dets"]
SINCE: frozenset[str] = _LEX["since"]
AFTER: frozenset[str] = _LEX["after"]
WHEN: frozenset[str] = _LEX["when"]
ACCORDING: frozenset[str] = _LEX["according"]

# --- derived
#: Single words of :data:`QUALIFIERS` ("cargo", "trucks", "pedestrians", ...).
QUALIFIER_WORDS = frozenset(w for ws in QUALIFIERS.values() for w in ws if " " not in w)
#: Noun and phrase triggers of every type (a noun names a period, not a change).
NOUN_TRIGGERS = frozenset(w for spec in TRIGGERS.values() for w in (*spec["noun"], *spec["phrase"]))
