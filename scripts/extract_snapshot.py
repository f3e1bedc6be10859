"""Check that a refactor leaves ``geomap extract --json`` byte-identical.

``save DIR`` writes, for every article in ``data/articles``, ``tests/data`` and
(when present) ``../shared/benchmarks/realnews/articles``, the exact bytes that
``geomap extract ARTICLE --json`` prints, to ``DIR/<group>/<name>.json``.
``check DIR`` recomputes them and lists every article whose output differs;
it exits 1 when one does, 0 when all are identical.

The documents are made in one process (the CLI's own code path: read_article,
pipeline.extract, ArticleResult.to_json, json.dumps with the CLI's options),
so a full run takes about a minute instead of one process per article.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GROUPS = {
    "articles": ROOT / "data" / "articles",
    "tests": ROOT / "tests" / "data",
    "realnews": ROOT.parent / "shared" / "benchmarks" / "realnews" / "articles",
}


def _articles() -> list[tuple[str, Path]]:
    out = []
    for group, folder in GROUPS.items():
        if folder.is_dir():
            out += [(group, p) for p in sorted(folder.rglob("*.txt"))]
    return out


def _output(path: Path) -> bytes:
    from geomap.articles import read_article
    from geomap.pipeline import extract

    doc = extract(read_article(path)).to_json()
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _key(group: str, path: Path) -> str:
    rel = path.relative_to(GROUPS[group]).with_suffix(".json")
    return f"{group}/{str(rel).replace('/', '__')}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=("save", "check"))
    ap.add_argument("dir", type=Path)
    a = ap.parse_args()
    diffs = 0
    n = 0
    for group, path in _articles():
        try:
            out = _output(path)
        except Exception as exc:  # noqa: BLE001  (an input the CLI rejects is recorded as its error)
            out = f"error: {type(exc).__name__}: {exc}\n".encode()
        target = a.dir / _key(group, path)
        n += 1
        if a.mode == "save":
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(out)
        elif not target.exists() or target.read_bytes() != out:
            diffs += 1
            print(f"differs: {group}/{path.name}")
    if a.mode == "check":
        print(f"{n} articles, {diffs} differ")
    else:
        print(f"saved {n} articles to {a.dir}")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
