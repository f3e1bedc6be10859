"""Seconds and peak memory of extracting one long article, by size.

Each size is one synthetic article (paragraphs from :mod:`synth`, one
``Published:`` line, plus a few bare numbers such as "number 9893" that are no
dates), extracted by :func:`geomap.pipeline.extract` in a fresh process so the
peak resident memory (``ru_maxrss``) belongs to that size alone.  Prints one
line per size: bytes, seconds of extraction (models loaded beforehand, their
load time printed apart), peak RSS in MiB, events, dates; then the seconds per
MiB between the two largest sizes (linear growth keeps it flat).

Usage::

    python benchmarks/bench_size.py [--sizes 100K 1M 5M]

Not a test: it takes minutes.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _parse_size(s: str) -> int:
    units = {"K": 1000, "M": 1024 * 1024}
    return int(float(s[:-1]) * units[s[-1].upper()]) if s[-1].upper() in units else int(s)


def make_text(n_bytes: int, *, seed: int = 0) -> str:
    """A synthetic article of about ``n_bytes`` UTF-8 bytes (deterministic)."""
    import synth

    parts = ["Published: 2025-12-31", ""]
    size = 0
    k = 0
    while size < n_bytes:
        for d in synth.make_corpus(200, seed=seed + k):
            body = d["text"].rsplit("\n\n", 1)[0]
            body += f"\n\nThe petition, number {9000 + k % 999}, listed {1200 + k % 50} names."
            parts.append(body)
            size += len(body.encode("utf-8")) + 2
            k += 1
            if size >= n_bytes:
                break
    return "\n\n".join(parts)


def _child(n_bytes: int) -> None:
    from geomap.articles import article_from_text
    from geomap.boundaries import load_layers
    from geomap.pipeline import extract

    t0 = time.perf_counter()
    layers = load_layers()
    warm = "Published: 2025-12-31\n\nTraders crossed at Torkham on Monday."
    extract(article_from_text(warm), layers=layers)
    load = time.perf_counter() - t0
    text = make_text(n_bytes)
    art = article_from_text(text)
    t0 = time.perf_counter()
    res = extract(art, layers=layers)
    secs = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "bytes": len(text.encode("utf-8")),
                "seconds": round(secs, 1),
                "load_seconds": round(load, 1),
                "peak_rss_mib": round(rss),
                "events": len(res.events),
                "dated": sum(e.date is not None for e in res.events),
            }
        )
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", nargs="+", default=["100K", "1M", "5M"])
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        _child(args.child)
        return 0
    rows = []
    print(f"{'bytes':>10} {'seconds':>8} {'s/MiB':>7} {'peak MiB':>9} {'events':>7} {'dated':>6}")
    for s in args.sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(_parse_size(s))],
            check=True,
            capture_output=True,
            text=True,
        )
        row = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append(row)
        per = row["seconds"] / (row["bytes"] / 2**20)
        print(
            f"{row['bytes']:>10} {row['seconds']:>8.1f} {per:>7.1f} {row['peak_rss_mib']:>9} "
            f"{row['events']:>7} {row['dated']:>6}",
            flush=True,
        )
    if len(rows) >= 2:
        a, b = rows[-2], rows[-1]
        print(
            f"time ratio {b['seconds'] / a['seconds']:.2f} "
            f"for size ratio {b['bytes'] / a['bytes']:.2f} "
            f"(models loaded in {rows[-1]['load_seconds']} s, not counted)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
