"""Synthetic news articles about the Afghanistan–Pakistan border, for benchmarks.

Places come from the bundled gazetteer table (GeoNames populated places with
their province/district, ``/work/shared/reference/gazetteer_af_pk.csv`` or
``data/gazetteer``) and the crossings list (``data/boundaries/crossings_af_pk.csv``);
dates are spread over one year; each article mixes 3–7 paragraphs drawn from
varied templates (clashes, strikes, blasts, closures, reopenings, protests,
talks, background), with outlets re-reporting some incidents (so the store's
deduplication has work to do).  Deterministic for a given seed.

Usage: ``python benchmarks/synth.py N OUT_DIR [--seed S] [--jsonl]``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_GAZ_CANDIDATES = (
    ROOT / "data" / "gazetteer" / "gazetteer_af_pk.csv",
    ROOT / "data" / "gazetteer_af_pk.csv",
    Path("/work/shared/reference/gazetteer_af_pk.csv"),
)


@dataclass(frozen=True)
class Town:
    name: str
    district: str
    province: str
    country: str  # "Afghanistan" / "Pakistan"


def load_places(limit: int = 600) -> tuple[list[Town], list[str]]:
    """Towns (most populous first, at most ``limit``) and crossing names."""
    towns: list[tuple[int, Town]] = []
    for path in _GAZ_CANDIDATES:
        if path.exists():
            with path.open(encoding="utf-8") as fh:
                for row in csv.DictReader(fh):
                    if row.get("feature_class") != "populated_place" or not row.get("adm1_name"):
                        continue
                    name = row["name"]
                    if not name.isascii() or len(name) < 4:
                        continue
                    pop = int(float(row["population"])) if row.get("population") else 0
                    country = "Afghanistan" if row["country_iso3"] == "AFG" else "Pakistan"
                    towns.append(
                        (pop, Town(name, row.get("adm2_name") or "", row["adm1_name"], country))
                    )
            break
    towns.sort(key=lambda t: (-t[0], t[1].name))
    crossings = []
    with (ROOT / "data" / "boundaries" / "crossings_af_pk.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row.get("formal_crossing") == "yes":
                crossings.append(row["name"].split("–")[0])
    return [t for _, t in towns[:limit]], crossings


OUTLETS = [
    "Dawn",
    "Tolo News",
    "Reuters",
    "The Express Tribune",
    "Pajhwok",
    "Geo News",
    "AFP",
    "Khaama Press",
]
ACTORS = [
    "Pakistani security forces",
    "Afghan Taliban forces",
    "the Tehreek-e-Taliban Pakistan",
    "border police",
    "local tribesmen",
    "the Frontier Corps",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _when(day: dt.date, pub: dt.date, rng: random.Random) -> str:
    delta = (pub - day).days
    if delta == 0:
        return rng.choice(["on " + WEEKDAYS[day.weekday()], "today"])
    if delta == 1:
        return "yesterday"
    if delta < 7:
        return "on " + WEEKDAYS[day.weekday()]
    return f"on {day.strftime('%B')} {day.day}"


def _paragraph(
    kind: str, town: Town, crossing: str, day: dt.date, pub: dt.date, rng: random.Random
) -> str:
    when = _when(day, pub, rng)
    n = rng.randint(1, 12)
    actor, actor2 = rng.sample(ACTORS, 2)
    where = (
        f"{town.name} in {town.province} province"
        if rng.random() < 0.6
        else f"the {town.district} district of {town.province}"
        if town.district
        else f"{town.name}, {town.country}"
    )
    t = {
        "clash": [
            f"{actor.capitalize()} clashed with {actor2} near {where} {when}, killing {n} people, officials said.",
            f"At least {n} fighters were killed in heavy fighting in {where} {when}, according to local officials.",
        ],
        "airstrike": [
            f"An airstrike hit a compound in {where} {when}, killing {n} civilians, residents told reporters.",
            f"Drone strikes targeted suspected militant hideouts near {where} {when}.",
        ],
        "explosion": [
            f"A roadside bomb exploded in {where} {when}, injuring {n} people.",
            f"An explosion ripped through a market in {where} {when}; {n} people were killed.",
        ],
        "closure": [
            f"Authorities closed the {crossing} border crossing {when} after firing between border forces.",
            f"The {crossing} crossing remained shut {when}, stranding hundreds of trucks on both sides.",
        ],
        "reopening": [
            f"The {crossing} crossing reopened for trade {when} after talks between local officials.",
            f"Officials said the {crossing} border crossing was reopened to pedestrians {when}.",
        ],
        "protest": [
            f"Hundreds of traders staged a sit-in near {where} {when} demanding the reopening of the border.",
            f"Residents of {town.name} protested {when} against the closure of the {crossing} crossing.",
        ],
        "talks": [
            f"Delegations from Kabul and Islamabad met in Doha {when} to discuss border security.",
            f"Tribal elders from {town.province} held talks with officials {when} to ease tensions.",
        ],
        "background": [
            f"{town.province} has seen repeated violence in recent months, and trade through {crossing} has suffered.",
            "Analysts say tensions along the 2,600-kilometre border have risen since the start of the year.",
            f"The {town.district or town.name} area lies close to the border and depends on cross-border trade.",
        ],
    }[kind]
    return rng.choice(t)


def make_corpus(
    n: int, *, seed: int = 0, start: dt.date = dt.date(2025, 1, 1)
) -> list[dict[str, str]]:
    """``n`` articles as dicts ``text``, ``published``, ``title``, ``url`` (deterministic for ``seed``)."""
    rng = random.Random(seed)
    towns, crossings = load_places()
    kinds = ["clash", "airstrike", "explosion", "closure", "reopening", "protest", "talks"]
    recent: list[tuple[str, Town, str, dt.date]] = []
    out = []
    for i in range(n):
        pub = start + dt.timedelta(days=rng.randrange(365))
        paras = []
        for _ in range(rng.randint(2, 5)):
            if recent and rng.random() < 0.25:  # another outlet re-reports a recent incident
                kind, town, crossing, day = rng.choice(recent[-50:])
                if not (0 <= (pub - day).days <= 6):
                    pub = day + dt.timedelta(days=rng.randint(0, 2))
            else:
                kind = rng.choice(kinds)
                town = rng.choice(towns)
                crossing = rng.choice(crossings)
                day = pub - dt.timedelta(days=rng.choice([0, 0, 1, 1, 2, 3, 5]))
                recent.append((kind, town, crossing, day))
            paras.append(_paragraph(kind, town, crossing, day, pub, rng))
        paras.append(
            _paragraph("background", rng.choice(towns), rng.choice(crossings), pub, pub, rng)
        )
        outlet = rng.choice(OUTLETS)
        title = paras[0].split(",")[0][:90]
        out.append(
            {
                "text": "\n\n".join(paras) + f"\n\n({outlet}, article {i})",
                "published": pub.isoformat(),
                "title": title,
                "url": f"https://example.org/{outlet.lower().replace(' ', '-')}/{i}",
            }
        )
    return out


def write_corpus(n: int, out: Path, *, seed: int = 0, jsonl: bool = False) -> Path:
    """Write ``n`` articles under ``out`` (``.txt`` files with a Published: line, or one ``corpus.jsonl``)."""
    out.mkdir(parents=True, exist_ok=True)
    docs = make_corpus(n, seed=seed)
    if jsonl:
        path = out / "corpus.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for d in docs:
                fh.write(json.dumps(d, ensure_ascii=False) + "\n")
        return path
    for i, d in enumerate(docs):
        (out / f"{i:05d}.txt").write_text(
            f"Published: {d['published']}\nTitle: {d['title']}\nURL: {d['url']}\n\n{d['text']}\n",
            encoding="utf-8",
        )
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jsonl", action="store_true")
    a = ap.parse_args()
    print(write_corpus(a.n, a.out, seed=a.seed, jsonl=a.jsonl))
