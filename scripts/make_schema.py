"""Write geomap/extract.schema.json (JSON Schema 2020-12) for `geomap extract --json`.

The schema is generated from the dataclasses in geomap/schema.py so the two
cannot drift apart; run it after changing a record and commit the result.
"""

from __future__ import annotations

import dataclasses
import json
import typing
from pathlib import Path

from geomap import schema as S

ROOT = Path(__file__).resolve().parent.parent


def _type_of(tp) -> dict:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Union or str(origin) == "<class 'types.UnionType'>":
        inner = [a for a in args if a is not type(None)]
        sch = _type_of(inner[0])
        t = sch.get("type")
        if t and type(None) in args:
            sch["type"] = [t, "null"] if isinstance(t, str) else [*t, "null"]
        return sch
    if origin is tuple:
        return {"type": "array", "items": _type_of(args[0])}
    return {str: {"type": "string"}, int: {"type": "integer"}, float: {"type": "number"}, bool: {"type": "boolean"}}.get(
        tp, {}
    )


def _record(cls, *, rename: dict[str, str] | None = None, extra: dict | None = None, enums: dict | None = None) -> dict:
    hints = typing.get_type_hints(cls, vars(S))
    props, required = {}, []
    for f in dataclasses.fields(cls):
        name = (rename or {}).get(f.name, f.name)
        props[name] = _type_of(hints[f.name])
        if enums and f.name in enums:
            allowed = list(enums[f.name])
            if "null" in (props[name].get("type") or []):
                allowed.append(None)
            props[name]["enum"] = allowed
        required.append(name)
    props.update(extra or {})
    required += list(extra or {})
    return {"type": "object", "properties": props, "required": required, "additionalProperties": True}


DATE = {"type": ["string", "null"], "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}


def build() -> dict:
    place = _record(
        S.Place,
        extra={"resolved": {"type": "boolean"}, "sentence": {"type": "string"}},
        enums={"kind": S.PLACE_KINDS, "role": S.PLACE_ROLES, "geo_precision": (1, 2, 3)},
    )
    place["properties"]["lat"].update({"minimum": -90, "maximum": 90})
    place["properties"]["lon"].update({"minimum": -180, "maximum": 180})
    place["properties"]["country"]["pattern"] = "^[A-Z]{2}$"
    event = _record(
        S.Event,
        enums={
            "type": S.EVENT_TYPES,
            "certainty": S.CERTAINTIES,
            "date_precision": ("day", "month", "year"),
            "time_precision": (1, 2, 3),
            "geo_precision": (1, 2, 3),
            "scope": ("place", "crossing", "crossings_all", "crossings_count", "border", "none"),
        },
    )
    event["properties"]["date"] = DATE
    event["properties"]["date_end"] = DATE
    statement = _record(
        S.CrossingStatement,
        rename={"crossing_id": "crossing"},
        enums={"scope": S.STATUS_SCOPES, "status": S.CROSSING_STATUSES, "certainty": S.CERTAINTIES},
    )
    statement["properties"]["since"] = DATE
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://example.invalid/geomap/extract.schema.json",
        "title": "geomap extract --json",
        "description": "Places, events and crossing statuses read from one article. Offsets index the normalised "
        "article text; coordinates are WGS 84 degrees (EPSG:4326); geo_precision and time_precision follow ACLED.",
        "type": "object",
        "required": ["schema_version", "article", "places", "events", "crossing_status", "warnings"],
        "properties": {
            "schema_version": {"const": "1.0"},
            "article": {
                "type": "object",
                "required": ["id", "published", "published_source"],
                "properties": {
                    "id": {"type": "string", "pattern": "^[0-9a-f]{16}$"},
                    "published": {"type": ["string", "null"], "format": "date"},
                    "published_source": {"enum": list(S.PUBLISHED_SOURCES)},
                    "path": {"type": ["string", "null"]},
                    "title": {"type": ["string", "null"]},
                    "url": {"type": ["string", "null"]},
                    "chars": {"type": "integer", "minimum": 1},
                },
            },
            "places": {"type": "array", "items": place},
            "events": {"type": "array", "items": event},
            "crossing_status": {"type": "array", "items": statement},
            "warnings": {"type": "array", "items": {"type": "string"}},
        },
    }


if __name__ == "__main__":
    out = ROOT / "geomap" / "extract.schema.json"
    out.write_text(json.dumps(build(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out}")
