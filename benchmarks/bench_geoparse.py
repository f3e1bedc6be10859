"""Print geoparsing figures: the gold set (01-12, 13-24, all) and GeoWebNews (dev 0-99, test 100-199, all).

Usage: ``python benchmarks/bench_geoparse.py [GOLD_DIR] [GEOWEBNEWS_DIR]``.
The resolver's weights were set on GeoWebNews 0-99 only; 100-199 is held out.  Round 2 (gazetteer
matcher, country points, world regions) looked at the dev half once: which region names its gold
has (Europe, EU, Middle East, Atlantic...), never its coordinates (the corpus is evaluation data only).
Round 3 (2 rounds on the dev half's error table: a region spanning countries fits any
country, first-level divisions count as 1,000,000 people, "the X area" admits cities).
articles/s depends on the machine's load (2 cores shared); it is printed as measured, with
the 1-minute load average before and after each table, and beside it the CPU milliseconds per
article (worker processes included), which hardly depend on the load: on an idle 2-core
machine articles/s is about 2 × 1000 / (CPU ms/art).  GeoWebNews runs the toponym-only fast
path (:func:`geomap.resolve.geoparse_many`, 2 worker processes); the gold set runs the full
pipeline in one process (roles need the dependency parse).
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from geomap.evaluate import evaluate_geoparsing, evaluate_geowebnews, format_table

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    """Run the evaluations and print one table per slice."""
    args = sys.argv[1:] if argv is None else argv
    gold = Path(args[0]) if args else ROOT / "tests" / "data" / "gold"
    gwn = Path(args[1]) if len(args) > 1 else ROOT.parent / "shared" / "benchmarks" / "geowebnews"
    logging.basicConfig(level=logging.WARNING)
    for title, pattern in (("gold 01-12 (toponym set)", r"(0[1-9]|1[0-2])_"), ("gold 13-24 (events set)", r"(1[3-9]|2[0-4])_"), ("gold all", r".*")):
        before = os.getloadavg()[0]
        table = format_table(evaluate_geoparsing(gold, pattern=pattern))
        print(f"\n{title}  [load average {before:.1f} -> {os.getloadavg()[0]:.1f}]")
        print(table)
    if gwn.is_dir():
        for title, start, limit in (("GeoWebNews dev 0-99", 0, 100), ("GeoWebNews test 100-199", 100, 100), ("GeoWebNews all 200", 0, None)):
            before = os.getloadavg()[0]
            table = format_table(evaluate_geowebnews(gwn, start=start, limit=limit))
            print(f"\n{title}  [load average {before:.1f} -> {os.getloadavg()[0]:.1f}]")
            print(table)
    else:
        print(f"\nGeoWebNews not found at {gwn}; skipped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
