"""The ``geomap`` command: parse arguments, call one library function, write.

Exit codes (also in README.md): 0 ok; 1 other geomap error; 2 usage or invalid
input; 3 an article cannot be read (ingest: no input could be read); 4 a bundled
data file is missing; 5 store error; 6 ingest: some inputs skipped, the others
stored; 130 interrupted.  A :class:`~geomap.errors.GeomapError` is one line on
stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from geomap import __version__
from geomap.errors import EXIT_CODES, GeomapError, InputError

if TYPE_CHECKING:
    from geomap.store import IngestReport

__all__ = ["main"]

log = logging.getLogger("geomap")


def _date(value: str) -> dt.date:
    from geomap.articles import parse_date_option

    try:
        return parse_date_option(value)
    except InputError as err:
        raise argparse.ArgumentTypeError(str(err)) from err


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (README: errors are one line on stderr)."""

    def error(self, message: str) -> NoReturn:  # noqa: D102
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _add_asset_options(parser: argparse.ArgumentParser) -> None:
    """``--offline`` (default) / ``--cdn``: how the map's scripts and stylesheets are included."""
    links = parser.add_mutually_exclusive_group()
    links.add_argument(
        "--offline", dest="offline", action="store_true", default=True,
        help="self-contained HTML that renders with no network (default)",
    )
    links.add_argument(
        "--cdn", dest="offline", action="store_false",
        help="link scripts and stylesheets from their CDNs as folium does (smaller file; needs internet to view)",
    )


#: How every command reads its ARTICLE/PATH arguments (geomap.articles.iter_articles).
_ARTICLE_HELP = (
    "article files or folders: text, saved .html pages (main text only), .jsonl feeds "
    "(one article per line); all must be read, else nothing is written"
)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="geomap",
        description="Turn news articles about the Afghanistan–Pakistan border into maps of incidents and crossing statuses (offline).",
    )
    p.add_argument("--version", action="version", version=f"geomap {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-v", "--verbose", action="count", default=0, help="more log output (-vv for debug)")
    common.add_argument("-q", "--quiet", action="store_true",
                        help="only errors (build, map, export: nothing on stdout on success)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", parents=[common], help="articles → output/map.html, events.geojson, places.geojson")
    b.add_argument("articles", nargs="+", type=Path, metavar="ARTICLE",
                   help=_ARTICLE_HELP)
    b.add_argument("-o", "--output", type=Path, default=Path("output"), help="output folder (default: output/)")
    b.add_argument("--published", type=_date, help="reference date YYYY-MM-DD for every article")
    b.add_argument("--as-of", type=_date, help="show crossing statuses as of this date (default: latest reference date)")
    _add_asset_options(b)

    e = sub.add_parser("extract", parents=[common], help="one article → places, events, crossing statuses")
    e.add_argument("article", type=Path, metavar="ARTICLE",
                   help="a text file, a saved .html page or a .jsonl feed holding one article")
    e.add_argument("--json", action="store_true", help="print the JSON document (schema: geomap/extract.schema.json)")
    e.add_argument("--published", type=_date, help="reference date YYYY-MM-DD")

    s = sub.add_parser("status", parents=[common], help="crossing-status timeline from articles")
    s.add_argument("articles", nargs="+", type=Path, metavar="ARTICLE",
                   help=_ARTICLE_HELP)
    s.add_argument("--as-of", type=_date, help="statuses in force on this date (default: latest reference date)")
    s.add_argument("--published", type=_date, help="reference date YYYY-MM-DD for every article")
    s.add_argument("--json", action="store_true", help="print JSON instead of a table")

    v = sub.add_parser("eval", parents=[common], help="score geomap (and baselines) on gold annotations")
    v.add_argument("gold_dir", type=Path, metavar="GOLD_DIR")
    v.add_argument("--geowebnews", type=Path, help="also score the GeoWebNews corpus in this folder")
    v.add_argument("--limit", type=int, help="GeoWebNews: only the first N articles")

    store_help = "the incident store (default: output/geomap.gpkg)"
    i = sub.add_parser("ingest", parents=[common], help="add articles (files, folders, .jsonl, .html) to the incident store")
    i.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    i.add_argument("--store", type=Path, default=Path("output/geomap.gpkg"), help=store_help)
    i.add_argument("--published", type=_date, help="reference date YYYY-MM-DD for every article")
    i.add_argument("--workers", type=int, default=1, help="extraction processes (0 = one per core; default 1)")
    i.add_argument("--batch-size", type=int, default=200,
                   help="articles per transaction (0 = all in one; default 200); committed batches survive an interruption")
    i.add_argument("--no-progress", action="store_true", help="no progress bar")
    i.epilog = ("Inputs that are not articles are skipped and listed; the exit status is then 6 "
                "when some articles were read (and stored), 3 when no input could be read "
                "(duplicates are no failure: 0).")

    m = sub.add_parser("map", parents=[common], help="rebuild output/map.html from the incident store")
    m.add_argument("--store", type=Path, default=Path("output/geomap.gpkg"), help=store_help)
    m.add_argument("-o", "--output", type=Path, default=Path("output"), help="output folder (default: output/)")
    m.add_argument("--since", type=_date, help="incidents from this date YYYY-MM-DD")
    m.add_argument("--until", type=_date, help="incidents up to this date YYYY-MM-DD")
    m.add_argument("--as-of", type=_date, help="crossing statuses as of this date (default: --until, else latest)")
    m.add_argument("--type", action="append", dest="types", metavar="TYPE",
                   help="only this event type (clash, closure, ... or an ACLED event_type such "
                        "as Battles; any case); repeatable; an unknown type is an error listing "
                        "the valid ones")
    m.add_argument("--province",
                   help="only incidents (and places) in this admin1, e.g. 'Khyber Pakhtunkhwa' "
                        "(any name or case; an unknown one is an error listing the valid ones)")
    _add_asset_options(m)

    x = sub.add_parser("export", parents=[common], help="write the store's incidents as GeoJSON, GeoPackage, ACLED CSV or Parquet")
    x.add_argument("--format", required=True, choices=("geojson", "gpkg", "csv", "parquet"))
    x.add_argument("-o", "--output", type=Path, help="output file (default: output/incidents.<format>)")
    x.add_argument("--store", type=Path, default=Path("output/geomap.gpkg"), help=store_help)
    x.add_argument("--as-of", type=_date, help="gpkg only: crossing statuses as of this date (default: latest)")
    x.add_argument("--all-certainties", action="store_true",
                   help="csv only: also planned/threatened/negated/conditional incidents "
                        "(ACLED keeps only events that happened)")
    x.add_argument("--include-incomplete", action="store_true",
                   help="csv only: also incidents with no date or no location, named in column geomap_missing "
                        "(default: left out, as an ACLED row needs event_date and coordinates; "
                        "their number is reported on stderr); a row with no location has no country, "
                        "so its event_id_cnty uses the placeholder code XXX (XXX1, XXX2, ...)")
    x.epilog = ("geojson, gpkg and parquet keep every incident, whatever its certainty, date or location; "
                "an option marked 'csv only' or 'gpkg only' given with another format is a usage error (exit 2).")
    return p


#: ``export`` options that only one format uses: option -> (dest, formats).
_EXPORT_ONLY = {
    "--as-of": ("as_of", ("gpkg",)),
    "--all-certainties": ("all_certainties", ("csv",)),
    "--include-incomplete": ("include_incomplete", ("csv",)),
}


def _check_export_options(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Refuse an option that the chosen ``--format`` would silently ignore (exit 2, one line)."""
    for option, (dest, formats) in _EXPORT_ONLY.items():
        if getattr(args, dest) not in (None, False) and args.format not in formats:
            parser.error(
                f"{option} applies to --format {'/'.join(formats)} only, not {args.format}"
                + (" (which keeps every incident)" if formats == ("csv",) else "")
            )


def _configure_logging(verbose: int, quiet: bool) -> None:
    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("geomap: %(levelname)s: %(message)s"))
    root = logging.getLogger("geomap")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


def _cmd_build(args: argparse.Namespace) -> int:
    from geomap.pipeline import build

    res = build(args.articles, output_dir=args.output, published=args.published, as_of=args.as_of, offline=args.offline)
    if args.quiet:  # -q: nothing on stdout on success; errors still go to stderr
        return 0
    n_places = sum(len(r.places) for r in res.results)
    n_events = sum(len(r.events) for r in res.results)
    print(f"{len(res.results)} article(s): {n_places} place mentions, {n_events} events; crossing statuses as of {res.as_of or 'n/a'}")
    if n_places == 0:
        print("no places found: the map shows the reference layers only")
    for name, path in res.files.items():
        print(f"wrote {name}: {path}")
    return 0


def _cmd_extract(args: argparse.Namespace) -> int:
    from geomap.articles import read_article
    from geomap.pipeline import extract

    result = extract(read_article(args.article, published=args.published))
    doc = result.to_json()
    if args.json:
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        return 0
    a = doc["article"]
    print(f"article {a['id']}  published {a['published']} ({a['published_source']})")
    print(f"\nplaces ({len(doc['places'])}):")
    for p in doc["places"]:
        where = f"{p['lat']:.4f},{p['lon']:.4f}" if p["resolved"] else f"unresolved: {p['reason']}"
        print(f"  [{p['start']}:{p['end']}] {p['mention']!r} -> {p['name']} ({p['kind']}, {p['country']}) {where} role={p['role']} gp={p['geo_precision']}")
    print(f"\nevents ({len(doc['events'])}):")
    for e in doc["events"]:
        print(f"  {e['date'] or '????'} {e['type']:<18} {e['certainty']:<10} at {e['location'] or e['scope']}  [{e['start']}:{e['end']}]")
    print(f"\ncrossing statements ({len(doc['crossing_status'])}):")
    for s in doc["crossing_status"]:
        who = s["name"] or s["crossing"] or f"{s['count'] or ''} {s['scope']} crossings"
        print(f"  {who}: {s['status']} since {s['since'] or '?'} {('(' + s['qualifier'] + ')') if s['qualifier'] else ''}")
    for w in doc["warnings"]:
        print(f"warning: {w}")
    return 0


def _cmd_status(args: argparse.Namespace) -> int:
    from geomap.articles import read_articles
    from geomap.pipeline import extract_many, timeline_of
    from geomap.timeline import status_as_of

    articles = read_articles(args.articles, published=args.published)
    results = extract_many(articles)
    tl = timeline_of(results)
    dates = [a.published for a in articles if a.published]
    as_of = args.as_of or (max(dates) if dates else dt.date.today())
    if args.as_of is None and not dates:
        # no reference date anywhere: the day comes from the machine's clock; say so
        print(
            f"geomap status: no article has a reference date (no Published: line, no full date "
            f"in its text); statuses as of today, {as_of.isoformat()} (this machine's clock); "
            f"give --as-of DATE for another day",
            file=sys.stderr,
        )
    state = status_as_of(tl, as_of)
    if args.json:
        from geomap.export import _jsonable

        doc = {"as_of": as_of.isoformat(), "crossings": [_jsonable(r) for r in state.to_dict("records")]}
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        return 0
    print(f"crossing statuses as of {as_of.isoformat()}:")
    if state.empty:
        print("  (no article says anything about a crossing's status)")
    for _, r in state.iterrows():
        flag = " CONTESTED" if r.get("contested") else ""
        qual = f" ({r['qualifier']})" if isinstance(r.get("qualifier"), str) and r.get("qualifier") else ""
        since = r.get("since")
        if not since:
            known = r.get("known_from")
            since = f"? (date not stated; reported by {known:%Y-%m-%d})" if isinstance(known, dt.date) else "?"
        print(f"  {r['name']:<32} {r['status']:<8} since {since}{qual}{flag}")
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    from geomap import evaluate

    if not args.gold_dir.is_dir():
        raise InputError(f"{args.gold_dir}: not a folder of gold annotations (NN_name.txt + NN_name.json)")
    print(evaluate.run_eval(args.gold_dir, geowebnews=args.geowebnews, limit=args.limit))
    return 0


def _cmd_ingest(args: argparse.Namespace) -> int:
    from geomap.batch import ingest_paths
    from geomap.store import open_store

    with open_store(args.store) as store:
        report = ingest_paths(
            args.paths, store=store, published=args.published, workers=args.workers,
            progress=not args.no_progress and not args.quiet and sys.stderr.isatty(), batch_size=args.batch_size,
        )
    print(report.summary())
    print(f"store: {args.store}")
    return _ingest_status(report)


def _ingest_status(report: IngestReport) -> int:
    """Exit code of an ingest, as rsync's for partial transfers (README: exit codes).

    0 when every input was an article (duplicates included); 6 when some inputs
    were skipped but at least one article was read; 3 when no input could be read.
    The skipped inputs are listed in the summary; one line on stderr says which case.
    """
    skipped = len(report.unreadable)
    if not skipped:
        return 0
    if report.read == 0:
        print(f"geomap: error: no input could be read ({skipped} skipped, listed above); "
              "nothing was added", file=sys.stderr)
        return EXIT_CODES["article unreadable"]
    print(f"geomap: warning: {skipped} input(s) skipped (listed above); of the others "
          f"{report.added} article(s) added, {report.duplicates} duplicate(s)", file=sys.stderr)
    return EXIT_CODES["some inputs skipped"]


def _cmd_map(args: argparse.Namespace) -> int:
    from geomap.export import write_map
    from geomap.store import open_store

    with open_store(args.store, create=False) as store:
        path = write_map(
            store, args.output / "map.html", since=args.since, until=args.until, as_of=args.as_of,
            types=args.types, province=args.province, offline=args.offline,
        )
    if not args.quiet:
        print(f"wrote map: {path}")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from geomap.export import export
    from geomap.store import open_store

    out = args.output or Path("output") / f"incidents.{args.format}"
    with open_store(args.store, create=False) as store:
        path = export(store, out, format=args.format, as_of=args.as_of, facts_only=not args.all_certainties,
                      complete_only=not args.include_incomplete)
    if not args.quiet:
        print(f"wrote {args.format}: {path}")
    return 0


_COMMANDS = {
    "build": _cmd_build, "extract": _cmd_extract, "status": _cmd_status, "eval": _cmd_eval,
    "ingest": _cmd_ingest, "map": _cmd_map, "export": _cmd_export,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``geomap`` command line; return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "export":
        _check_export_options(parser, args)
    _configure_logging(args.verbose, args.quiet)
    try:
        return _COMMANDS[args.command](args)
    except GeomapError as err:
        print(f"geomap: error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("geomap: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as err:  # e.g. an output folder that cannot be created or written
        where = f"{err.filename}: " if err.filename else ""
        print(f"geomap: error: {where}{err.strerror or err}", file=sys.stderr)
        return 1
    except Exception as err:  # a bug: still one line, the traceback only with -vv
        log.debug("internal error", exc_info=True)
        print(f"geomap: internal error: {type(err).__name__}: {err} (run with -vv for the traceback; please report it)", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
