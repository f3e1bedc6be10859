"""End-to-end ingest benchmark: synthetic corpora → ``geomap.batch.ingest_paths`` → store.

Prints, per corpus size: articles/s (wall clock, end to end: read, extract,
dedup, commit), CPU seconds (this process + workers), peak memory (max RSS of
this process and of the largest worker, from ``resource.getrusage``), store
size, incidents; then the time ratio between the two largest sizes (linear
growth = the size ratio).

Usage::

    python benchmarks/bench_ingest.py --sizes 1000 10000 --workers 2
    python benchmarks/bench_ingest.py --sizes 200 --workers 1 2   # compare pool sizes

Not a test: it writes under ``--out`` (default a temporary folder) and takes minutes.
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import sys
import threading
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import write_corpus  # noqa: E402

from geomap.batch import _warm, ingest_paths  # noqa: E402
from geomap.store import open_store  # noqa: E402


class _PssSampler(threading.Thread):
    """Max over time of the summed PSS (proportional set size: shared pages split
    between the processes sharing them) of this process and its children, from
    /proc/<pid>/smaps_rollup (Linux).  RSS would count the forked workers' shared
    model pages once per process."""

    def __init__(self, every: float = 1.0) -> None:
        super().__init__(daemon=True)
        self.every, self.peak_mb, self._halt = every, 0.0, threading.Event()

    @staticmethod
    def _pss_kb(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def _pids(self) -> list[int]:
        me = os.getpid()
        try:
            kids = Path(f"/proc/{me}/task/{me}/children").read_text().split()
        except OSError:
            kids = []
        return [me, *map(int, kids)]

    def run(self) -> None:
        while not self._halt.is_set():
            self.peak_mb = max(self.peak_mb, sum(self._pss_kb(p) for p in self._pids()) / 1024)
            self._halt.wait(self.every)

    def stop(self) -> float:
        self._halt.set()
        self.join()
        return self.peak_mb


def _rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: KiB


def _cpu(who: int) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def run(n: int, workers: int, out: Path, *, batch_size: int, seed: int) -> dict[str, float]:
    corpus = out / f"corpus_{n}"
    t0 = time.perf_counter()
    if not corpus.exists():
        write_corpus(n, corpus, seed=seed)
    gen_s = time.perf_counter() - t0
    store_path = out / f"store_{n}_w{workers}.gpkg"
    store_path.unlink(missing_ok=True)
    cpu0 = _cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN)
    sampler = _PssSampler()
    sampler.start()
    t0 = time.perf_counter()
    with open_store(store_path) as store:
        rep = ingest_paths(
            [corpus], store=store, workers=workers, batch_size=batch_size, progress=False
        )
        n_inc = len(store.incidents())
    wall = time.perf_counter() - t0
    pss = sampler.stop()
    cpu = _cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN) - cpu0
    res = {
        "n": n,
        "workers": workers,
        "wall_s": wall,
        "rate": rep.added / wall,
        "cpu_s": cpu,
        "rss_self_mb": _rss_mb(resource.RUSAGE_SELF),
        "rss_worker_mb": _rss_mb(resource.RUSAGE_CHILDREN),
        "pss_mb": pss,
        "store_mb": store_path.stat().st_size / 1e6,
        "incidents": n_inc,
        "added": rep.added,
        "merged": rep.incidents_merged,
        "gen_s": gen_s,
    }
    print(
        f"n={n:>6} workers={workers}: {rep.added} articles in {wall:7.1f} s = {res['rate']:6.1f} articles/s "
        f"(CPU {cpu:.0f} s = {rep.added / max(cpu, 1e-9):.1f} articles per CPU-second); "
        f"peak memory {pss:.0f} MB (PSS, all processes); peak RSS main {res['rss_self_mb']:.0f} MB, largest worker "
        f"{res['rss_worker_mb']:.0f} MB; store {res['store_mb']:.1f} MB; {n_inc} incidents "
        f"({rep.incidents_merged} merged across articles); corpus generated in {gen_s:.1f} s",
        flush=True,
    )
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--workers", type=int, nargs="+", default=[2])
    ap.add_argument("--batch-size", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=None)
    a = ap.parse_args()
    logging.basicConfig(level=logging.ERROR)
    out = a.out or Path(tempfile.mkdtemp(prefix="geomap-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    _warm()  # model, gazetteer and layers: loaded once, not counted per article
    print(
        f"startup (spaCy model, gazetteer, boundary layers): {time.perf_counter() - t0:.1f} s; output in {out}"
    )
    results = [
        run(n, w, out, batch_size=a.batch_size, seed=a.seed) for n in a.sizes for w in a.workers
    ]
    by_n = {r["n"]: r for r in results if r["workers"] == a.workers[-1]}
    if len(by_n) >= 2:
        small, big = sorted(by_n)[-2:]
        ratio = by_n[big]["wall_s"] / by_n[small]["wall_s"]
        cpu_ratio = by_n[big]["cpu_s"] / by_n[small]["cpu_s"]
        print(
            f"CPU time {small}→{big}: ×{cpu_ratio:.2f} for ×{big / small:.0f} articles "
            f"(per-article CPU ×{cpu_ratio / (big / small):.2f}; less sensitive to other load on the machine)"
        )
        print(
            f"time {small}→{big}: ×{ratio:.2f} for ×{big / small:.0f} articles "
            f"(per-article time ×{ratio / (big / small):.2f}; 1.00 = linear)"
        )


if __name__ == "__main__":
    main()
