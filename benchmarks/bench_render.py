"""Benchmark the map: N synthetic incidents -> HTML build time, file size, first render.

Usage: python benchmarks/bench_render.py [--n 10000] [--cdn] [--runs 3] [--out DIR]
       python benchmarks/bench_render.py --html PAGE.html [--runs 3]   (time an existing page)

Targets (issue 5): build <= 5 s, file <= 15 MB, first render <= 3 s on a 2-core machine.
"First render" is the time from navigation until Leaflet's map is loaded and every
incident layer has been added (measured in headless Debian chromium, every network
request served from the local npm assets or aborted).  The default is the
self-contained (offline) page, as ``geomap build`` writes it; ``--cdn`` times the
CDN-linked page.  Each render runs in a fresh browser context; the machine's load
average is printed, because on 2 shared cores it moves these figures by ±50 %.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point

from geomap import render
from geomap.boundaries import load_layers
from geomap.schema import ACLED_TYPES

TYPES = ["clash", "explosion", "airstrike", "attack", "closure", "protest"]


def synthetic_events(n: int, *, seed: int = 0) -> gpd.GeoDataFrame:
    """N incidents scattered within 1.5 degrees of the border's bounding box."""
    rng = np.random.default_rng(seed)
    lon = rng.uniform(62.0, 74.0, n)
    lat = rng.uniform(29.5, 36.5, n)
    types = rng.choice(TYPES, n)
    days = rng.integers(1, 28, n)
    rows = []
    for i in range(n):
        t = str(types[i])
        rows.append(
            {
                "id": f"bench-e{i}",
                "type": t,
                "event_type": ACLED_TYPES[t][0],
                "sub_event_type": ACLED_TYPES[t][1],
                "sentence": f"Synthetic incident {i} <b>with</b> some text near the border crossing.",
                "start": 0,
                "end": 10,
                "date": f"2025-10-{int(days[i]):02d}",
                "date_precision": "day",
                "certainty": "occurred",
                "location": f"Place {i % 500}",
                "crossings": [],
                "actors": ["Actor A"],
                "mediators": [],
                "article_id": f"bench{i % 100}",
            }
        )
    return gpd.GeoDataFrame(
        pd.DataFrame(rows), geometry=[Point(x, y) for x, y in zip(lon, lat, strict=True)], crs="EPSG:4326"
    )


def first_render_seconds(path: Path) -> float | None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from conftest import BLANK_PNG, CHROMIUM, CHROMIUM_ARGS, TILE_HOSTS

    from geomap._assets import content_type, resolve

    if not CHROMIUM.exists():
        return None
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        ctx = browser.new_context(viewport={"width": 1400, "height": 900})

        def handler(route):
            url = route.request.url
            if url.startswith(("file:", "data:")):
                return route.continue_()
            body = resolve(url)
            if body is not None:
                return route.fulfill(status=200, body=body, content_type=content_type(url))
            if any(h in url for h in TILE_HOSTS):
                return route.fulfill(status=200, body=BLANK_PNG, content_type="image/png")
            return route.abort()

        ctx.route("**/*", handler)
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        t0 = time.perf_counter()
        page.goto(path.resolve().as_uri(), wait_until="load", timeout=60000)
        page.wait_for_function(
            "() => window.L && Object.keys(window).some(k => k.startsWith('map_') && "
            "window[k] instanceof L.Map && window[k]._loaded) && "
            "document.querySelectorAll('.leaflet-marker-pane .marker-cluster, "
            ".leaflet-marker-pane .geomap-incident').length > 0",
            timeout=60000,
        )
        # one more animation frame: the markers are painted
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
        elapsed = time.perf_counter() - t0
        page.screenshot(path=str(path.with_suffix(".png")))
        browser.close()
        if errors:
            print("page errors:", errors[:3])
        return elapsed


def _load() -> str:
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:  # pragma: no cover
        return "n/a"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--cdn", action="store_true", help="save the CDN-linked page (default: offline)")
    ap.add_argument("--offline", action="store_true", help=argparse.SUPPRESS)  # the default
    ap.add_argument("--runs", type=int, default=3, help="first-render measurements")
    ap.add_argument("--html", type=Path, default=None, help="time this existing page only")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="bench_render_"))

    if args.html is None:
        layers = load_layers()
        crossings = layers.crossings.assign(
            status="unknown", since=None, qualifier=None, contested=False
        )
        crossings["history"] = [[] for _ in range(len(crossings))]
        empty = gpd.GeoDataFrame(geometry=[], crs="EPSG:4326")
        events = synthetic_events(args.n)
        # Warm the boundary simplification cache (a one-off per process), then time a build.
        render.render_map(places=empty, events=empty, crossings=crossings, layers=layers)
        t0 = time.perf_counter()
        m = render.render_map(places=empty, events=events, crossings=crossings, layers=layers)
        path = render.save_map(m, out / "bench.html", offline=not args.cdn)
        build = time.perf_counter() - t0
        print(f"incidents:     {args.n}")
        print(
            f"build (render_map + save_map, {'cdn' if args.cdn else 'offline'}): "
            f"{build:.2f} s  (target <= 5 s)"
        )
    else:
        path = args.html
    size_mb = path.stat().st_size / 1e6
    print(f"file size:     {size_mb:.2f} MB  (target <= 15 MB)  {path}")
    times = []
    for _ in range(max(args.runs, 1)):
        load = _load()
        first = first_render_seconds(path)
        if first is None:
            print("first render:  skipped (no chromium/playwright)")
            return 0
        times.append(first)
        print(f"first render:  {first:.2f} s  (target <= 3 s)  load average {load}")
    times.sort()
    print(
        f"first render median {times[len(times) // 2]:.2f} s, min {times[0]:.2f} s, "
        f"max {times[-1]:.2f} s over {len(times)} runs"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
