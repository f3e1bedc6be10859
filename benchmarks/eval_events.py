"""Print event / date / crossing-status scores on the gold set, with both baselines.

Usage::

    ./.venv/bin/python benchmarks/eval_events.py [--gold tests/data/gold] [--places pipeline|gold] [-v]

``--places pipeline`` (default) runs the real pipeline end to end
(``geomap.pipeline.extract(read_article(path)).to_json()``: spaCy model,
toponym recogniser, offline resolver, events, statements).  ``--places gold``
feeds the gold places to :func:`geomap.events.extract_events` instead (spaCy
parse only), which isolates the event extractor from recognition errors.

The gold set is split by the number that starts each file name: odd-numbered
files are the tuning half, even-numbered ones the check half; both halves and
the whole set are printed.  Scoring rules: :mod:`geomap._eval_events`.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _gold_places(gold: dict[str, Any], text: str) -> list[Any]:
    from geomap.schema import Place

    out = []
    for p in gold["places"]:
        out.append(
            Place(
                mention=p["mention"],
                start=p["start"],
                end=p["end"],
                sentence_start=0,
                sentence_end=0,
                label="GPE",
                source="gold",
                name=p["name"],
                gazetteer_id=p.get("gazetteer_id"),
                country=p.get("country"),
                lat=p["lat"],
                lon=p["lon"],
                kind=p["kind"],
                role="government" if p["role"] == "government" else "context",
                geo_precision=p.get("geo_precision"),
            )
        )
    return out


def predict(path: Path, gold: dict[str, Any], *, places: str) -> dict[str, Any]:
    """The ``geomap extract --json`` document for one gold article."""
    from geomap.articles import read_article

    article = read_article(path)
    if places == "pipeline":
        from geomap.pipeline import extract

        return extract(article).to_json()
    from geomap.events import crossing_statements, extract_events
    from geomap.schema import to_jsonable
    from geomap.toponyms import get_nlp

    doc = get_nlp()(article.text)
    events = extract_events(doc, _gold_places(gold, article.text), article=article)
    statements = crossing_statements(events, article=article)
    rows = []
    for s in statements:
        d = to_jsonable(s)
        d["crossing"] = d.pop("crossing_id")
        rows.append(d)
    return {
        "article": {"published": article.published.isoformat() if article.published else None},
        "events": [to_jsonable(e) for e in events],
        "crossing_status": rows,
    }


def _row(name: str, split: str, s: dict[str, Any]) -> str:
    return (
        f"{name:<13} {split:<5} {s['event_precision']:5.2f} {s['event_recall']:5.2f} {s['event_f1']:5.2f}"
        f"  {s['date_exact_day']:5.2f} ({s['n_day_matched']:>2}) {s['date_exact_day_all']:5.2f} "
        f"({s['n_day_dates']:>2})  {s['certainty_accuracy']:5.2f}  {s['status_accuracy']:5.2f} "
        f"({s['n_status_keys']:>2}) {s['status_extra']:>5}"
    )


def _details(name: str, pred: dict[str, Any], gold: dict[str, Any], text: str) -> None:
    from geomap._eval_events import score_events

    one = score_events([(pred, gold)])
    print(
        f"--- {name}: F1 {one['event_f1']:.2f} date {one['date_exact_day']:.2f} "
        f"status {one['status_accuracy']:.2f} extra {one['status_extra']}"
    )
    for tag, evs in (("P", pred["events"]), ("G", gold["events"])):
        for e in evs:
            print(
                f"  {tag} {e['type']:<17} {e.get('certainty', ''):<11} {str(e.get('date')):<10} "
                f"{str(e.get('location')):<18} {e.get('crossings') or ''} {e.get('qualifier') or ''} | "
                f"{text[e['start'] : e['end']][:70]!r}"
            )
    for tag, rows in (("PS", pred["crossing_status"]), ("GS", gold["crossing_status"])):
        for r in rows:
            print(
                f"  {tag} {r.get('scope')} {r.get('crossing') or r.get('count') or ''} {r['status']} "
                f"{r.get('since')} {r.get('qualifier') or ''} {r.get('certainty', '')}"
            )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table; returns 0."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", default=str(ROOT / "tests" / "data" / "gold"))
    ap.add_argument("--places", choices=("pipeline", "gold"), default="pipeline")
    ap.add_argument("--only", default=None, help="regular expression on the file name")
    ap.add_argument("-v", "--verbose", action="store_true", help="per-article events and statuses")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    from geomap._eval_events import keyword_baseline, score_events, search_dates_baseline
    from geomap.articles import read_article

    t0 = time.perf_counter()
    runs: dict[str, list[tuple[str, dict[str, Any], dict[str, Any]]]] = {
        "geomap": [],
        "keyword": [],
        "search_dates": [],
    }
    for gpath in sorted(Path(args.gold).glob("*.json")):
        if args.only and not re.search(args.only, gpath.name):
            continue
        tpath = gpath.with_suffix(".txt")
        gold = json.loads(gpath.read_text(encoding="utf-8"))
        article = read_article(tpath)
        gold.setdefault("article", {})["published"] = gold["article"].get("published") or (
            article.published.isoformat() if article.published else None
        )
        pred = predict(tpath, gold, places=args.places)
        runs["geomap"].append((gpath.name, pred, gold))
        runs["keyword"].append(
            (gpath.name, keyword_baseline(article.text, article.published), gold)
        )
        runs["search_dates"].append(
            (gpath.name, search_dates_baseline(article.text, article.published), gold)
        )
        if args.verbose:
            _details(gpath.name, pred, gold, article.text)
    elapsed = time.perf_counter() - t0
    print(
        f"gold: {args.gold} ({len(runs['geomap'])} articles); places: {args.places}; {elapsed:.0f} s"
    )
    print("split: odd = files 01,03,... (tuning), even = 02,04,... (check)")
    print(
        f"{'system':<13} {'split':<5} {'P':>5} {'R':>5} {'F1':>5}  {'date@matched':>12} "
        f"{'date@all':>10}  {'cert':>5}  {'status':>10} {'extra':>5}"
    )
    for name, items in runs.items():
        for split in ("odd", "even", "all"):
            sel = [
                (p, g)
                for n, p, g in items
                if split == "all" or (int(n.split("_")[0]) % 2 == 1) == (split == "odd")
            ]
            if sel:
                print(_row(name, split, score_events(sel)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
