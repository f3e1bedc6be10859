"""Batch ingest: files, folders, JSON Lines and saved HTML pages into the store.

Work is spread over processes with a :mod:`multiprocessing` pool of
:func:`geomap.pipeline.extract` (one article per task; each worker loads the
spaCy pipeline, gazetteer and boundary layers once).  A pool of whole-article
``extract`` calls was chosen over spaCy's ``nlp.pipe(n_process=...)`` because
only the parse is inside spaCy: resolution, the spatial joins and event
extraction are Python and would stay on one core with ``nlp.pipe``.  Measured
with cProfile on 200 synthetic articles (``benchmarks/synth.py``), the spaCy
parse is 21 % of ``extract`` time (15.6 s of 72.8 s), so ``n_process=2`` could
speed ingest up by at most 1/(0.79 + 0.21/2) = 1.12×, while the pool runs the
whole of ``extract`` on both cores.  Workers are forked after the model,
gazetteer and layers are loaded, so they share those pages.

Ingest is resumable: articles already in the store (same content hash) are
skipped before extraction, and results are committed every ``batch_size``
articles, each batch in one transaction (see :mod:`geomap.store`).  After an
interruption the store holds exactly the committed batches; running the same
command again extracts only what is missing.
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing as mp
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from geomap.articles import ARTICLE_SUFFIXES, Article, iter_articles
from geomap.store import IngestReport, Store

# iter_articles and ARTICLE_SUFFIXES live in geomap.articles (the reader of every
# command); they are re-exported here, where ingest used to define them.
__all__ = ["ingest_paths", "iter_articles", "ARTICLE_SUFFIXES", "DEFAULT_BATCH_SIZE"]

log = logging.getLogger(__name__)

#: Articles per transaction in :func:`ingest_paths` (minimum).
DEFAULT_BATCH_SIZE = 200
#: A worker is replaced (re-forked from the loaded parent, which is cheap) after
#: this many articles: it frees per-process caches and the model pages that
#: reference counting has made private, so memory stays flat on long runs.
MAX_TASKS_PER_WORKER = 300
#: A batch holds at least this fraction of the articles already stored.
GROWTH = 0.125


# --------------------------------------------------------------------------- workers

_WORKER_LAYERS: Any = None


def _init_worker() -> None:
    global _WORKER_LAYERS
    from geomap.boundaries import load_layers

    _WORKER_LAYERS = load_layers()


def _extract(article: Article) -> Any:
    from geomap.pipeline import extract

    return extract(article, layers=_WORKER_LAYERS)


def _warm() -> None:
    """Load the expensive resources once in the parent, so forked workers share them."""
    from geomap import toponyms
    from geomap.boundaries import load_layers

    load_layers()
    toponyms.parse("Torkham.")


def ingest_paths(
    paths: Sequence[str | Path],
    *,
    store: Store,
    published: dt.date | None = None,
    workers: int = 1,
    progress: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> IngestReport:
    """
    Read, extract and store every article under ``paths``.

    Parameters
    ----------
    paths
        Files and folders (see :func:`geomap.articles.iter_articles` for what is
        read; inputs that are not articles are skipped and listed).
    store
        An open :class:`~geomap.store.Store`.
    published
        Reference date for every article.
    workers
        Processes extracting in parallel (1 = in this process; 0 = one per core).
    progress
        Show a tqdm progress bar on stderr.
    batch_size
        Articles per transaction (at least; a batch grows to
        :data:`GROWTH` × the articles already stored, because every commit
        re-deduplicates all incidents: commits then cost O(n) in total, not
        O(n²)).  0 = the whole run in one transaction (nothing is kept if it is
        interrupted).

    Returns
    -------
    IngestReport
        Counts over the whole run; ``skipped`` lists unreadable, empty, binary,
        undecodable and duplicate inputs with their reasons.

    Raises
    ------
    StoreError
        If the store cannot be written; batches committed before stay.
    KeyboardInterrupt
        Passed on after the workers are stopped; committed batches stay.
    """
    report = IngestReport()
    stored = store.article_ids()
    seen: dict[str, str] = {}
    todo: list[Article] = []
    for art in iter_articles(paths, published=published, skipped=report.skipped):
        report.read += 1
        label = art.path or art.id
        if art.id in stored:
            report.duplicates += 1
            report.skipped.append((label, f"duplicate: article {art.id} is already in the store"))
        elif art.id in seen:
            report.duplicates += 1
            report.skipped.append((label, f"duplicate: same text as {seen[art.id]}"))
        else:
            seen[art.id] = label
            todo.append(art)
    log.info(
        "%d article(s) to extract, %d duplicate(s), %d skipped input(s)",
        len(todo),
        report.duplicates,
        len(report.skipped) - report.duplicates,
    )
    if not todo:
        report.incidents_total = store._count("incidents")
        return report
    workers = (os.cpu_count() or 1) if workers == 0 else max(1, workers)
    workers = min(workers, len(todo))
    one_txn = not batch_size or batch_size <= 0
    n_stored = len(stored)

    def size() -> int:
        return len(todo) if one_txn else max(batch_size, int(GROWTH * n_stored))

    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(todo), desc="ingest", unit="article")
    pool = None
    try:
        if workers > 1:
            _warm()
            ctx = (
                mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
            )
            pool = ctx.Pool(
                workers, initializer=_init_worker, maxtasksperchild=MAX_TASKS_PER_WORKER
            )
            results_iter: Iterator[Any] = pool.imap(_extract, todo, chunksize=4)
        else:
            _init_worker()
            results_iter = (_extract(a) for a in todo)
        batch: list[Any] = []
        for res in results_iter:
            batch.append(res)
            if bar is not None:
                bar.update(1)
            if len(batch) >= size():
                _commit(store, batch, report)
                n_stored += len(batch)
                batch = []
        if batch:
            _commit(store, batch, report)
        if pool is not None:
            pool.close()
            pool.join()
            pool = None
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
        if bar is not None:
            bar.close()
    return report


def _commit(store: Store, batch: list[Any], report: IngestReport) -> None:
    part = store.ingest(batch)
    part.read = 0  # already counted when read
    report.merge(part)
