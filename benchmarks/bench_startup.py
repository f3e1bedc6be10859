"""Print the start-up cost of ``geomap extract``: process start → first parse, and peak RSS.

Usage: ``python benchmarks/bench_startup.py [ARTICLE] [--runs N]``
(default: the sample article ``data/articles/000_2688002ae2b84c7a.txt``, 3 runs).

Each run is a fresh Python process that runs ``geomap.cli.main(["extract", ARTICLE])``
(output discarded) with :func:`geomap.toponyms.parse` wrapped to note when its first
call returns.  Printed per run and as medians:

- ``import s``: process start (taken by the parent just before it starts the child)
  → ``geomap.cli`` imported;
- ``first parse s``: process start → the first ``parse`` has returned (spaCy model,
  gazetteer and its index loaded, the first chunk parsed);
- ``total s``: process start → ``extract`` done (spatial joins, events, output);
- ``peak RSS MB``: the child's ``resource.getrusage(RUSAGE_SELF).ru_maxrss``
  (kilobytes on Linux).

The machine's load average is printed beside each run: the figures are wall clock on
a shared 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "articles" / "000_2688002ae2b84c7a.txt"

# Runs in the child: argv = [t0 (epoch seconds, taken by the parent), article, result file]
_DRIVER = r"""
import sys, time, json, resource, contextlib, io
t0 = float(sys.argv[1])
import geomap.cli
import geomap.toponyms as toponyms
t_import = time.time()
marks = {}
_parse = toponyms.parse
def parse(text):
    doc = _parse(text)
    marks.setdefault("first_parse", time.time())
    return doc
toponyms.parse = parse
with contextlib.redirect_stdout(io.StringIO()):
    code = geomap.cli.main(["extract", sys.argv[2]])
t_end = time.time()
rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with open(sys.argv[3], "w") as fh:
    json.dump({"code": code, "import_s": t_import - t0, "first_parse_s": marks.get("first_parse", float("nan")) - t0,
               "total_s": t_end - t0, "peak_rss_mb": rss_kb / 1024}, fh)
"""


def run_once(article: Path) -> dict[str, float]:
    """Start one child process and return its timings (seconds) and peak RSS (MB)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        t0 = time.time()
        subprocess.run([sys.executable, "-c", _DRIVER, repr(t0), str(article), str(out)], check=True, cwd=ROOT)
        res = json.loads(out.read_text())
    if res["code"] != 0:
        raise SystemExit(f"geomap extract exited with {res['code']}")
    return res


def main(argv: list[str] | None = None) -> int:
    """Run the child processes and print one line per run plus the medians."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("article", nargs="?", type=Path, default=SAMPLE)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    cols = ("import_s", "first_parse_s", "total_s", "peak_rss_mb")
    print(f"geomap extract {args.article.name}: process start -> first parse, peak RSS ({os.cpu_count()} CPUs)")
    print(f"{'run':>3}  {'import s':>8}  {'first parse s':>13}  {'total s':>7}  {'peak RSS MB':>11}  load avg")
    runs = []
    for i in range(args.runs):
        load = os.getloadavg()[0]
        r = run_once(args.article)
        runs.append(r)
        print(f"{i + 1:>3}  {r['import_s']:8.2f}  {r['first_parse_s']:13.2f}  {r['total_s']:7.2f}  {r['peak_rss_mb']:11.0f}  {load:.1f}")
    med = {c: statistics.median(r[c] for r in runs) for c in cols}
    print(f"{'med':>3}  {med['import_s']:8.2f}  {med['first_parse_s']:13.2f}  {med['total_s']:7.2f}  {med['peak_rss_mb']:11.0f}  {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
