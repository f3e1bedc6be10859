"""Fetch the map's JavaScript/CSS/font assets from the npm registry (run once at install).

Usage: python scripts/fetch_assets.py [--force]

Runs ``npm pack`` for each package pinned in ``geomap._assets.PACKAGES``, checks the
tarball's sha512 against the pinned npm integrity, and unpacks the few files a map page
needs (plus licence files) into ``geomap/_assets/npm/``.  ``geomap.render.save_map(...,
offline=True)`` and the browser tests read them from there.  Needs ``npm`` (Debian: nodejs, npm).
"""

from __future__ import annotations

import argparse
import logging
import sys

from geomap._assets import fetch_assets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="fetch again even if present")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    root = fetch_assets(force=args.force)
    print(f"map assets ready in {root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
