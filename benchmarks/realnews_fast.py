"""In-process scoring on the real-news set, with the same figures as its ``score.py``.

``../shared/benchmarks/realnews/score.py`` runs ``geomap extract --json`` and
``geomap status --json`` as two processes per article (4-7 minutes for 55
articles on 2 cores).  This script builds the same two JSON documents in one
process (spaCy and the gazetteer loaded once) and scores them with the
scorer's own functions, imported from ``score.py``, so the totals are equal to
score.py's on the same commit.

Usage::

    .venv/bin/python benchmarks/realnews_fast.py [--dir ../shared/benchmarks/realnews]
        [--detail] [--json] [--only PATTERN] [--dump DIR]

``--dump DIR`` writes each article's extract and status JSON to DIR (for
diffing two commits).  ``--dir tests/data/pages`` scores the in-house gold set
written in the real-news shape with the same scorer.  The real-news set is evaluation data only: nothing
from it is copied into the project.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = ROOT.parent / "shared" / "benchmarks" / "realnews"


def _load_scorer(folder: Path):
    spec = importlib.util.spec_from_file_location("realnews_score", folder / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"no score.py in {folder}")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def documents(path: Path) -> tuple[dict, dict]:
    """The ``extract --json`` and ``status --json`` documents of one article, as the CLI does."""
    from geomap.articles import read_article
    from geomap.export import _jsonable
    from geomap.pipeline import extract, timeline_of
    from geomap.timeline import status_as_of

    article = read_article(path)
    result = extract(article)
    doc = json.loads(json.dumps(result.to_json(), ensure_ascii=False))
    tl = timeline_of([result])
    as_of = article.published or dt.date.today()
    state = status_as_of(tl, as_of)
    st = {"as_of": as_of.isoformat(), "crossings": [_jsonable(r) for r in state.to_dict("records")]}
    st = json.loads(json.dumps(st, ensure_ascii=False))
    return doc, st


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--dir",
        type=Path,
        default=DEFAULT_DIR,
        help="a folder with articles/ (or the articles themselves)",
    )
    ap.add_argument(
        "--scorer",
        type=Path,
        default=DEFAULT_DIR,
        help="the folder of score.py (default: the real-news set)",
    )
    ap.add_argument("--detail", action="store_true")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--only", default="", help="score only articles whose file name contains this")
    ap.add_argument("--dump", type=Path, help="write each article's extract/status JSON here")
    a = ap.parse_args()
    sc = _load_scorer(a.scorer)
    items = []
    folder = a.dir / "articles" if (a.dir / "articles").is_dir() else a.dir
    for txt in sorted(folder.glob("*.txt")):
        gf = txt.with_name(txt.stem + ".gold.json")
        if gf.exists() and a.only in txt.name:
            items.append((txt, json.loads(gf.read_text())))
    t0 = time.perf_counter()
    tot: dict = {}
    rows = []
    failures = 0
    for txt, gold in items:
        try:
            pred, st = documents(txt)
        except Exception as exc:  # noqa: BLE001  (score.py counts a failed run the same way)
            print(f"{txt.name}: failed: {exc}", file=sys.stderr)
            failures += 1
            pred, st = {}, {"crossings": []}
        if a.dump:
            a.dump.mkdir(parents=True, exist_ok=True)
            (a.dump / f"{txt.stem}.extract.json").write_text(
                json.dumps(pred, ensure_ascii=False, indent=2) + "\n"
            )
            (a.dump / f"{txt.stem}.status.json").write_text(
                json.dumps(st, ensure_ascii=False, indent=2) + "\n"
            )
        if not gold.get("crossing_status_after"):
            st = {"crossings": []}
        r = {
            **sc.places_score(gold, pred),
            **sc.events_score(gold, pred),
            **sc.status_score(gold, st),
        }
        rows.append((txt.name, r))
        for k, v in r.items():
            if isinstance(v, list):
                tot.setdefault(k, []).extend(v)
            else:
                tot[k] = tot.get(k, 0) + v
    if not rows:
        print("no gold articles found")
        return 2
    prf = sc.prf
    P, R, F = prf(tot["tp_p"], tot["p_places"], tot["tp_g"], tot["g_places"])
    errs, ce = tot["errs"], tot["cross_errs"]
    EP, ER, EF = prf(tot["tp_events_p"], tot["p_events"], tot["tp_events"], tot["g_events"])
    SP, SR, SF = prf(tot["tp_set"], tot["p_set"], tot["tp_set"], tot["g_set"])
    VP, VR, VF = prf(tot["tp_vset"], tot["p_vset"], tot["tp_vset"], tot["g_vset"])
    nan = float("nan")
    s = dict(
        articles=len(rows),
        failures=failures,
        toponym_p=P,
        toponym_r=R,
        toponym_f1=F,
        acc161=sum(e <= 161 for e in errs) / len(errs) if errs else 0.0,
        median_km=statistics.median(errs) if errs else nan,
        crossings_within_2km=sum(e <= 2 for e in ce) / len(ce) if ce else nan,
        event_f1_strict=EF,
        event_p_strict=EP,
        event_r_strict=ER,
        event_f1_set=SF,
        event_p_set=SP,
        event_r_set=SR,
        event_f1_violence_lenient=VF,
        event_located=tot["located"] / tot["loc_total"] if tot["loc_total"] else nan,
        day_date_exact=tot["date_ok"] / tot["date_total"] if tot["date_total"] else nan,
        status_acc=tot["ok_status"] / tot["g_status"] if tot["g_status"] else nan,
        status_n=tot["g_status"],
        wall_s=time.perf_counter() - t0,
    )
    if a.json:
        print(json.dumps(s, indent=1))
        return 0
    for name, r in rows:
        p, rr, f = prf(r["tp_p"], r["p_places"], r["tp_g"], r["g_places"])
        print(
            f"{name:44s} topF1={f:.2f} ev={r['tp_events']}/{r['g_events']} (pred {r['p_events']}) "
            f"set={r['tp_set']}/{r['g_set']} status={r['ok_status']}/{r['g_status']}"
        )
        if a.detail:
            for k in ("missed", "extra", "far", "ev_missed", "ev_extra", "status_wrong"):
                if r[k]:
                    print(f"    {k}: {r[k]}")
    print(" ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in s.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
