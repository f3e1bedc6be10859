"""The vocabulary files of geomap.events: loading, validation, coverage by the code."""

from __future__ import annotations

import copy
import re
import shutil
import tomllib
from pathlib import Path

import pytest

from geomap.errors import LexiconError
from geomap.events import lexicon
from geomap.schema import ACLED_TYPES, EVENT_TYPES

PACKAGE = Path(lexicon.__file__).parent


def _raw(file: str) -> dict:
    with open(lexicon.FOLDER / file, "rb") as fh:
        return tomllib.load(fh)


def test_every_schema_file_is_shipped_and_nothing_else() -> None:
    assert sorted(p.name for p in lexicon.FOLDER.glob("*.toml")) == sorted(lexicon.SCHEMA)


def test_module_constants_are_the_loaded_values() -> None:
    loaded = lexicon.load()
    for key, value in loaded.items():
        assert getattr(lexicon, key.upper()) == value, key


def test_sets_are_frozensets_and_ordered_lists_tuples() -> None:
    assert isinstance(lexicon.BORDER_WORDS, frozenset)
    assert isinstance(lexicon.NORMAL_FLOW, tuple)
    assert isinstance(lexicon.VIOLENT_TYPES, tuple)
    assert list(lexicon.TRIGGERS) == list(_raw("triggers.toml")["triggers"])  # file order kept
    assert all(isinstance(v, tuple) for spec in lexicon.TRIGGERS.values() for v in spec.values())
    assert isinstance(lexicon.COUNT_CROSSINGS, re.Pattern)


# --------------------------------------------------------------------------- rejection


def _broken(file: str, edit) -> dict:
    data = copy.deepcopy(_raw(file))
    edit(data)
    return data


def _drop(key: str):
    return lambda d: d.pop(key)


def _set(path: tuple[str, ...], value):
    def edit(d: dict) -> None:
        for k in path[:-1]:
            d = d[k]
        d[path[-1]] = value

    return edit


BROKEN = [
    # (file, edit, key named in the message, words in the message)
    ("certainty.toml", _drop("wish"), "wish", "missing"),
    ("certainty.toml", _set(("wishes",), ["want"]), "wishes", "unknown key"),
    ("certainty.toml", _set(("wish",), "demand urge"), "wish", "expected an array"),
    ("certainty.toml", _set(("wish",), ["demand", 3]), "wish", "non-empty strings"),
    ("certainty.toml", _set(("wish",), ["demand", ""]), "wish", "non-empty strings"),
    ("certainty.toml", _set(("wish",), ["demand", "urge", "demand"]), "wish", "duplicate"),
    ("certainty.toml", _set(("wish",), ["Demand"]), "wish", "lower-case"),
    (
        "triggers.toml",
        _set(("triggers", "riot"), {"verb": [], "noun": ["riot"], "phrase": []}),
        "triggers",
        "ACLED_TYPES",
    ),
    ("triggers.toml", lambda d: d["triggers"].pop("protest"), "triggers", "ACLED_TYPES"),
    (
        "triggers.toml",
        _set(("triggers", "clash", "adjective"), ["armed"]),
        "triggers.clash",
        "verb",
    ),
    (
        "triggers.toml",
        _set(("violent_types",), ["clash", "riot"]),
        "violent_types",
        "unknown event types",
    ),
    ("triggers.toml", _set(("air_words", "pattern"), r"\b({wordz})\b"), "air_words", "wordz"),
    ("triggers.toml", _set(("air_words", "pattern"), r"\b({words}\b"), "air_words", "regular"),
    ("triggers.toml", _set(("air_words", "extra"), ["jet"]), "air_words", "not used"),
    ("status.toml", _set(("status", "closure"), "shut"), "status", "crossing statuses"),
    ("status.toml", _set(("state_adj", "riot"), ["rioting"]), "state_adj", "event types"),
    ("casualties.toml", _set(("number_words", "two"), "2"), "number_words.two", "integer"),
    ("casualties.toml", _set(("not_counts",), ["DATE", "time"]), "not_counts", "upper-case"),
    ("certainty.toml", _set(("ahead",), ["planned", "soon"]), "ahead", "certainties"),
    ("actors.toml", _set(("actors",), {}), "actors", "empty"),
]


@pytest.mark.parametrize(("file", "edit", "key", "words"), BROKEN)
def test_a_malformed_file_is_rejected_naming_file_and_key(file, edit, key, words) -> None:
    with pytest.raises(ValueError) as info:
        lexicon.validate(file, _broken(file, edit))
    message = str(info.value)
    assert isinstance(info.value, LexiconError)
    assert message.startswith(f"{file}: key {key!r}"), message
    assert words in message, message


def test_a_malformed_file_on_disk_is_rejected_naming_it(tmp_path: Path) -> None:
    bad = tmp_path / "places.toml"
    shipped = (lexicon.FOLDER / "places.toml").read_text()
    bad.write_text(shipped.replace("loc_preps = [", 'loc_preps = ["in", ', 1))
    with pytest.raises(LexiconError, match=r"^places\.toml: key 'loc_preps': duplicate entry 'in'"):
        lexicon.load_file(bad)
    bad.write_text("loc_preps = [in]\n")
    with pytest.raises(LexiconError, match=r"^places\.toml: cannot be read as TOML"):
        lexicon.load_file(bad)


def test_keys_of_different_files_must_agree(tmp_path: Path) -> None:
    folder = tmp_path / "lexicon"
    shutil.copytree(lexicon.FOLDER, folder)
    path = folder / "actors.toml"
    path.write_text(path.read_text().replace('"Qatar", ', '"Qatar", "Oman", ', 1))
    with pytest.raises(LexiconError, match=r"^actors\.toml: key 'third_parties'.*Oman"):
        lexicon.load(folder)
    (folder / "places.toml").unlink()
    with pytest.raises(LexiconError, match=r"^places\.toml: missing"):
        lexicon.load(folder)


def test_the_shipped_files_load() -> None:
    assert lexicon.load()["triggers"] == lexicon.TRIGGERS


# --------------------------------------------------------------------------- coverage


def test_every_trigger_type_has_an_acled_mapping_and_every_type_has_triggers() -> None:
    assert set(lexicon.TRIGGERS) <= set(ACLED_TYPES)
    # every type has triggers; "other" (developments at the border) has some, and
    # is also the type of a standing "remained open"
    assert set(lexicon.TRIGGERS) == set(EVENT_TYPES)
    for etype in lexicon.TRIGGERS:
        event_type, sub_event_type = ACLED_TYPES[etype]
        assert event_type and sub_event_type


def test_every_lexicon_key_is_used_by_the_code() -> None:
    # first version of "every lexicon entry is exercised": every key is read by a stage
    # (a fragment may instead be used by a pattern of its file); per-entry coverage by
    # test sentences is still to do
    code = "\n".join(
        p.read_text() for p in PACKAGE.glob("*.py") if p.name not in ("lexicon.py", "__init__.py")
    )
    unused = []
    for file, kinds in lexicon.SCHEMA.items():
        raw = _raw(file)
        patterns = " ".join(
            v["pattern"] for v in raw.values() if isinstance(v, dict) and "pattern" in v
        )
        for key, kind in kinds.items():
            in_code = re.search(rf"\b{key.upper()}\b", code)
            in_pattern = kind == "fragment" and f"{{{key}}}" in patterns
            if not (in_code or in_pattern):
                unused.append(f"{file}:{key}")
    assert unused == []
