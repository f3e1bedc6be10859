"""Print load time, peak RSS and lookup speed of the embedded gazetteer (fresh process)."""

from __future__ import annotations

import resource
import time
from pathlib import Path


def main() -> None:
    t0 = time.perf_counter()
    from geomap.gazetteer import load_gazetteer

    t1 = time.perf_counter()
    gaz = load_gazetteer()
    t2 = time.perf_counter()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    names = [
        "Torkham",
        "Spin Boldak",
        "Kabul",
        "Peshawar",
        "Washington",
        "Doha",
        "کابل",
        "Nowhere at all",
    ] * 2500
    t3 = time.perf_counter()
    for n in names:
        gaz.lookup(n)
    t4 = time.perf_counter()
    folder = Path(__file__).resolve().parent.parent / "data" / "gazetteer"
    size = sum(p.stat().st_size for p in folder.glob("*") if p.is_file())
    print(f"import geomap.gazetteer: {t1 - t0:.2f} s")
    print(f"load_gazetteer(): {t2 - t1:.2f} s, {len(gaz)} entries")
    print(f"peak RSS after load: {rss_mb:.0f} MB")
    print(f"lookup: {(t4 - t3) / len(names) * 1e6:.1f} µs per call ({len(names)} calls)")
    print(f"data/gazetteer files: {size / 2**20:.1f} MB")
    print(f"entries by kind: {gaz.frame['kind'].value_counts().to_dict()}")


if __name__ == "__main__":
    main()
