"""Geoparsing evaluation: geomap against gold annotations and two baselines.

Scoring rule (the one the GeoWebNews figures were published with, Gritta et
al. 2019, "A Pragmatic Guide to Geoparsing Evaluation"; used for our gold set
too, so the numbers compare):

- A predicted toponym matches a gold toponym when the texts are equal ignoring
  case and the two span midpoints are less than 10 characters apart; each
  prediction matches at most one gold toponym (greedy, in text order).
- A prediction is a toponym *with coordinates*: unresolved mentions are not
  predictions.  Precision = matches / predictions, recall = matches / gold
  toponyms, F1 their harmonic mean.
- For matches whose gold has coordinates: error = great-circle distance
  (haversine, R = 6371 km); accuracy@161 km = share of errors below 161 km;
  mean and median error; AUC = mean of log(1 + error) / log(20039) (lower is
  better).  Median error is also given for gold towns/cities and for gold
  crossings/passes, with the share of crossings within 2 km.

Systems:

- ``geomap``: :func:`geomap.toponyms.find_toponyms` + :func:`geomap.resolve.resolve`.
- ``geotext``: the ``geotext`` package's city and country names (its own
  dictionary), located in the text in order, each resolved to the first
  gazetteer hit (``Gazetteer.lookup(name)[0]``).
- ``spacy_first_hit``: the plain spaCy model's GPE/LOC/FAC entities (no
  gazetteer ruler), each resolved to the first gazetteer hit.

Gold files: ``NN_slug.txt`` (article, read with :func:`geomap.articles.read_article`)
and ``NN_slug.json`` in the shape of ``geomap extract --json`` (``places``:
``mention``, ``start``, ``end``, ``lat``, ``lon``, ``kind``, ...).  GeoWebNews:
``texts/N`` and ``gold.txt`` (``name,,matched,,lat,,lon,,start,,end`` joined by
``||``, one line per article), see that folder's README.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import re
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from geomap.errors import DataSourceError, InputError

__all__ = [
    "SYSTEMS",
    "GoldPlace",
    "Prediction",
    "match_toponyms",
    "score",
    "load_gold_dir",
    "load_geowebnews",
    "evaluate_geoparsing",
    "evaluate_geowebnews",
    "format_table",
    "run_eval",
]

logger = logging.getLogger(__name__)

SYSTEMS = ("geomap", "geotext", "spacy_first_hit")
_EARTH_KM = 6371.0
_MAX_KM = 20039.0
_TOWN_KINDS = {"city", "town"}
_CROSSING_KINDS = {"crossing", "pass"}


@dataclass(frozen=True, slots=True)
class GoldPlace:
    """One gold toponym: text, offsets, coordinates (None when unlocatable) and kind."""

    text: str
    start: int
    end: int
    lat: float | None
    lon: float | None
    kind: str | None = None


@dataclass(frozen=True, slots=True)
class Prediction:
    """One predicted toponym with coordinates."""

    text: str
    start: int
    end: int
    lat: float
    lon: float


def _haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * _EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def match_toponyms(gold: Sequence[GoldPlace], pred: Sequence[Prediction]) -> list[tuple[GoldPlace, Prediction]]:
    """
    Pair predictions with gold toponyms by the GeoWebNews rule.

    Texts equal ignoring case and span midpoints less than 10 characters apart;
    each gold and each prediction is used at most once (predictions in text
    order, each taking the nearest free gold toponym).

    Returns
    -------
    list of (GoldPlace, Prediction)
    """
    free = list(gold)
    pairs = []
    for p in sorted(pred, key=lambda p: p.start):
        mid = (p.start + p.end) / 2
        best, best_d = None, 10.0
        for g in free:
            d = abs((g.start + g.end) / 2 - mid)
            if d < best_d and g.text.lower() == p.text.lower():
                best, best_d = g, d
        if best is not None:
            free.remove(best)
            pairs.append((best, p))
    return pairs


def score(n_gold: int, n_pred: int, pairs: Iterable[tuple[GoldPlace, Prediction]]) -> dict[str, float]:
    """
    Precision/recall/F1 and distance metrics for matched pairs.

    Returns
    -------
    dict
        ``gold``, ``predicted``, ``matched``, ``precision``, ``recall``, ``f1``,
        ``acc161`` (share of errors < 161 km), ``mean_km``, ``median_km``,
        ``auc``, ``median_town_km``, ``median_crossing_km``,
        ``crossings_within_2km`` (NaN when there is nothing to measure).
    """
    pairs = list(pairs)
    nan = float("nan")
    p = len(pairs) / n_pred if n_pred else nan
    r = len(pairs) / n_gold if n_gold else nan
    f1 = 2 * p * r / (p + r) if n_pred and n_gold and (p + r) else (0.0 if n_pred and n_gold else nan)
    errs, towns, crossings = [], [], []
    for g, pr in pairs:
        if g.lat is None or g.lon is None:
            continue
        e = _haversine(g.lat, g.lon, pr.lat, pr.lon)
        errs.append(e)
        if g.kind in _TOWN_KINDS:
            towns.append(e)
        elif g.kind in _CROSSING_KINDS:
            crossings.append(e)

    def med(v: list[float]) -> float:
        return statistics.median(v) if v else nan

    return {
        "gold": n_gold,
        "predicted": n_pred,
        "matched": len(pairs),
        "precision": p,
        "recall": r,
        "f1": f1,
        "acc161": sum(e < 161 for e in errs) / len(errs) if errs else nan,
        "mean_km": statistics.fmean(errs) if errs else nan,
        "median_km": med(errs),
        "auc": statistics.fmean(math.log(1 + e) / math.log(_MAX_KM) for e in errs) if errs else nan,
        "median_town_km": med(towns),
        "median_crossing_km": med(crossings),
        "crossings_within_2km": sum(e <= 2 for e in crossings) / len(crossings) if crossings else nan,
    }


# --------------------------------------------------------------------------- data
def load_gold_dir(gold_dir: str | Path, *, pattern: str = ".*") -> list[tuple[str, str, list[GoldPlace]]]:
    """
    Read a gold folder.

    Parameters
    ----------
    gold_dir
        Folder of ``NN_slug.txt`` + ``NN_slug.json`` pairs.
    pattern
        Regular expression the file stem must match from its start (e.g.
        ``"(0[1-9]|1[0-2])_"`` for articles 01-12); default all.

    Returns
    -------
    list of (name, text, gold places)
        One per ``*.json`` with a ``.txt`` beside it, sorted by name; ``text``
        is the normalised article text the offsets refer to.

    Raises
    ------
    InputError
        If the folder has no gold pair, or a gold mention does not match the text.
    """
    from geomap.articles import read_article

    folder = Path(gold_dir)
    out = []
    rx = re.compile(pattern)
    for js in sorted(folder.glob("*.json")):
        if not rx.match(js.stem):
            continue
        txt = js.with_suffix(".txt")
        if not txt.exists():
            continue
        text = read_article(txt).text
        data = json.loads(js.read_text(encoding="utf-8"))
        places = []
        for d in data.get("places", []):
            s, e = int(d["start"]), int(d["end"])
            if text[s:e] != d["mention"]:
                raise InputError(f"{js.name}: mention {d['mention']!r} at {s}:{e} does not match the text ({text[s:e]!r})")
            places.append(GoldPlace(d["mention"], s, e, d.get("lat"), d.get("lon"), d.get("kind")))
        out.append((js.stem, text, places))
    if not out:
        raise InputError(f"{folder}: no gold pairs NN_name.txt + NN_name.json found")
    return out


def load_geowebnews(bench_dir: str | Path, *, limit: int | None = None, start: int = 0) -> list[tuple[str, str, list[GoldPlace]]]:
    """
    Read GeoWebNews in the EUPEG layout (``texts/N``, ``gold.txt``).

    Parameters
    ----------
    bench_dir
        Folder holding ``texts/`` and ``gold.txt``.
    limit, start
        Read articles ``start`` .. ``start + limit - 1`` (all by default).

    Raises
    ------
    DataSourceError
        If the folder or its files are missing.
    """
    folder = Path(bench_dir)
    gold_file = folder / "gold.txt"
    if not gold_file.is_file() or not (folder / "texts").is_dir():
        raise DataSourceError(f"{folder}: expected texts/ and gold.txt (GeoWebNews, EUPEG layout); see its README")
    lines = gold_file.read_text(encoding="utf-8").split("\n")
    n = len([f for f in (folder / "texts").iterdir() if f.name.isdigit()])
    stop = n if limit is None else min(n, start + limit)
    out = []
    for i in range(start, stop):
        text = (folder / "texts" / str(i)).read_text(encoding="utf-8")
        places = []
        line = lines[i].strip() if i < len(lines) else ""
        for item in filter(None, line.split("||")):
            parts = item.split(",,")
            if len(parts) < 6:
                continue
            _name, matched, lat, lon, s, e = parts[:6]
            places.append(GoldPlace(matched, int(s), int(e), float(lat), float(lon)))
        out.append((str(i), text, places))
    return out


# --------------------------------------------------------------------------- systems
@functools.lru_cache(maxsize=1)
def _plain_nlp():
    import spacy

    from geomap.toponyms import MODEL

    return spacy.load(MODEL, disable=["parser", "lemmatizer"])


def _first_hit(name: str, start: int, end: int) -> Prediction | None:
    from geomap.gazetteer import load_gazetteer

    hits = load_gazetteer().lookup(name)
    if not hits:
        return None
    return Prediction(name, start, end, hits[0].lat, hits[0].lon)


def _geomap_batch(texts: Sequence[str], *, fast: bool, n_process: int) -> list[list[Prediction]]:
    from geomap.resolve import geoparse_many, resolve
    from geomap.toponyms import find_toponyms, parse_many

    if fast:
        results = geoparse_many(texts, n_process=n_process, batch_size=32)
    else:
        docs = parse_many(texts, n_process=n_process, batch_size=32, for_events=True)
        results = [resolve(find_toponyms(doc), text=text, doc=doc) for text, doc in zip(texts, docs, strict=True)]
    return [[Prediction(p.mention, p.start, p.end, p.lat, p.lon) for p in places if p.resolved] for places in results]


def _geotext_batch(texts: Sequence[str], **_: object) -> list[list[Prediction]]:
    from geotext import GeoText

    out = []
    for text in texts:
        gt = GeoText(text)
        preds = []
        taken: list[tuple[int, int]] = []
        for name in list(dict.fromkeys(gt.cities + gt.countries)):
            for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                p = _first_hit(name, m.start(), m.end())
                if p:
                    preds.append(p)
                    taken.append((m.start(), m.end()))
        out.append(sorted(preds, key=lambda p: p.start))
    return out


def _spacy_batch(texts: Sequence[str], *, n_process: int = 1, **_: object) -> list[list[Prediction]]:
    nlp = _plain_nlp()
    out = []
    for doc in nlp.pipe(texts, n_process=n_process, batch_size=16):
        preds = []
        for ent in doc.ents:
            if ent.label_ in ("GPE", "LOC", "FAC"):
                p = _first_hit(ent.text, ent.start_char, ent.end_char)
                if p:
                    preds.append(p)
        out.append(preds)
    return out


_RUNNERS: dict[str, Callable[..., list[list[Prediction]]]] = {
    "geomap": _geomap_batch,
    "geotext": _geotext_batch,
    "spacy_first_hit": _spacy_batch,
}


def _evaluate(
    docs: Sequence[tuple[str, str, list[GoldPlace]]], systems: Sequence[str], *, fast: bool, n_process: int
) -> pd.DataFrame:
    unknown = [s for s in systems if s not in _RUNNERS]
    if unknown:
        raise InputError(f"unknown system(s) {unknown}; known: {list(_RUNNERS)}")
    texts = [t for _, t, _ in docs]
    # load shared resources before timing
    from geomap.gazetteer import load_gazetteer

    load_gazetteer()
    rows = []
    for system in systems:
        if system == "geomap":
            from geomap.toponyms import get_nlp

            get_nlp().get_pipe("geomap_gazetteer").load()
        elif system == "spacy_first_hit":
            _plain_nlp()
        t0, c0 = time.perf_counter(), _cpu_seconds()
        preds = _RUNNERS[system](texts, fast=fast, n_process=n_process)
        secs, cpu = time.perf_counter() - t0, _cpu_seconds() - c0
        pairs, n_pred = [], 0
        for (_, _, gold), pr in zip(docs, preds, strict=True):
            pairs.extend(match_toponyms(gold, pr))
            n_pred += len(pr)
        row = {"system": system, "articles": len(docs)}
        row.update(score(sum(len(g) for _, _, g in docs), n_pred, pairs))
        row["articles_per_s"] = len(docs) / secs if secs else float("nan")
        row["cpu_ms_per_article"] = 1000 * cpu / len(docs) if docs else float("nan")
        rows.append(row)
        logger.info("%s: F1 %.3f acc@161 %.3f on %d articles", system, row["f1"], row["acc161"], len(docs))
    return pd.DataFrame(rows)


def _cpu_seconds() -> float:
    """CPU seconds (user + system) of this process and of its finished child processes."""
    try:
        import resource
    except ImportError:  # not POSIX: this process only
        return time.process_time()
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def evaluate_geoparsing(
    gold_dir: str | Path, *, systems: Sequence[str] = SYSTEMS, pattern: str = ".*"
) -> pd.DataFrame:
    """
    Evaluate geoparsers on a gold folder (see module docstring for the rule).

    Parameters
    ----------
    gold_dir
        Folder of ``NN_slug.txt`` + ``NN_slug.json`` pairs (``geomap extract --json`` shape).
    systems
        Any of :data:`SYSTEMS`.
    pattern
        Regular expression on the gold file stems (see :func:`load_gold_dir`).

    Returns
    -------
    pandas.DataFrame
        One row per system; columns ``system``, ``articles`` and those of
        :func:`score` (kilometres in ``*_km``), plus ``articles_per_s`` (wall
        clock, one process, full pipeline with the parser) and
        ``cpu_ms_per_article`` (CPU milliseconds per article, user + system, worker
        processes included: unlike wall clock it hardly depends on the machine's load).

    Raises
    ------
    InputError
        If the folder holds no gold pair or a system name is unknown.
    """
    return _evaluate(load_gold_dir(gold_dir, pattern=pattern), systems, fast=False, n_process=1)


def evaluate_geowebnews(
    bench_dir: str | Path,
    *,
    limit: int | None = None,
    start: int = 0,
    systems: Sequence[str] = SYSTEMS,
    n_process: int = 2,
) -> pd.DataFrame:
    """
    Evaluate geoparsers end to end on GeoWebNews (same rule as the published figures).

    The geomap system runs :func:`geomap.resolve.geoparse_many`: the toponym-only
    parse (no dependency parser, attribute ruler or lemmatizer: roles are not
    scored) in ``n_process`` worker processes, each resolving its own articles.
    ``articles_per_s`` is wall clock, worker start-up included, model and
    gazetteer loading excluded.

    Parameters
    ----------
    bench_dir
        Folder with ``texts/`` and ``gold.txt`` (EUPEG layout).
    limit, start
        Evaluate articles ``start`` .. ``start + limit - 1``.  The weights of
        :mod:`geomap.resolve` were set on articles 0-99 (development half);
        100-199 is the held-out half.
    systems
        Any of :data:`SYSTEMS`.
    n_process
        spaCy processes for ``geomap`` and ``spacy_first_hit``.

    Returns
    -------
    pandas.DataFrame
        As :func:`evaluate_geoparsing`.

    Raises
    ------
    DataSourceError
        If the benchmark folder is missing or incomplete.
    """
    docs = load_geowebnews(bench_dir, limit=limit, start=start)
    return _evaluate(docs, systems, fast=True, n_process=n_process)


def format_table(df: pd.DataFrame) -> str:
    """Render an evaluation frame as a fixed-width text table (3 decimals, km with 1)."""
    cols = [
        ("system", "system", "{}"),
        ("articles", "art", "{:d}"),
        ("gold", "gold", "{:d}"),
        ("predicted", "pred", "{:d}"),
        ("precision", "P", "{:.3f}"),
        ("recall", "R", "{:.3f}"),
        ("f1", "F1", "{:.3f}"),
        ("acc161", "acc@161", "{:.3f}"),
        ("mean_km", "mean km", "{:.1f}"),
        ("median_km", "med km", "{:.1f}"),
        ("median_town_km", "med town", "{:.1f}"),
        ("median_crossing_km", "med xing", "{:.1f}"),
        ("crossings_within_2km", "xing<=2km", "{:.3f}"),
        ("auc", "AUC", "{:.3f}"),
        ("articles_per_s", "art/s", "{:.1f}"),
        ("cpu_ms_per_article", "CPU ms/art", "{:.0f}"),
    ]
    cols = [c for c in cols if c[0] in df.columns]
    cells = [[h for _, h, _ in cols]]
    for _, r in df.iterrows():
        row = []
        for key, _, fmt in cols:
            v = r[key]
            if isinstance(v, float) and math.isnan(v):
                row.append("-")
            else:
                row.append(fmt.format(int(v) if fmt == "{:d}" else v))
        cells.append(row)
    widths = [max(len(c[i]) for c in cells) for i in range(len(cols))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))) for row in cells]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def run_eval(gold_dir: str | Path, *, geowebnews: str | Path | None = None, limit: int | None = None) -> str:
    """
    The text report of ``geomap eval``: the gold-set table, and the GeoWebNews table when asked.

    Parameters
    ----------
    gold_dir
        Gold folder (see :func:`evaluate_geoparsing`).
    geowebnews
        GeoWebNews folder, or None to skip it.
    limit
        Only the first ``limit`` GeoWebNews articles.
    """
    from geomap._eval_events import evaluate_events, format_events_table

    out = [
        f"Toponyms, gold set {gold_dir} (match: same text, midpoints < 10 chars; GeoWebNews rule)",
        format_table(evaluate_geoparsing(gold_dir)),
        "",
        "Events, dates, crossing statuses (event match: same type + overlapping sentence; "
        "date exact match over matched day-precision gold dates; status: gold crossings as of each reference date)",
        format_events_table(evaluate_events(gold_dir)),
    ]
    if geowebnews is not None:
        out += ["", f"GeoWebNews {geowebnews}" + (f" (first {limit} articles)" if limit else ""),
                format_table(evaluate_geowebnews(geowebnews, limit=limit))]
    return "\n".join(out)
