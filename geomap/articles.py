"""Read and normalise an article: text, reference (published) date and id.

An article is plain UTF-8 text (UTF-16 with a BOM and Windows-1252 are
accepted too).  An optional first line ``Published: YYYY-MM-DD`` sets the
reference date and is not part of the text; ``Title: ...`` and ``URL: ...``
header lines before it or after it are read the same way.  Without a
``Published:`` line, a full date in the URL's path (``/2026/11/24/slug``,
``/2026-11-24-slug``) is the reference date, unless it is after today or more
than a year before every full date in the text (then the text's latest full
date is, with a warning).  Offsets everywhere else in geomap index into
:attr:`Article.text`.

Every command reads its inputs here: :func:`read_article` (one file, ``extract``),
:func:`read_articles` (all or nothing: ``build``, ``status``) and
:func:`iter_articles` (bad inputs skipped and listed: ``ingest``).  A file is read
by its ending: ``.html``/``.htm`` is a saved page whose main text is extracted
(:func:`article_from_html`), ``.jsonl`` a feed of one article per line, anything
else plain text; folders are walked for :data:`ARTICLE_SUFFIXES`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import logging
import re
import stat
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from geomap import zones
from geomap._html_text import html_main_text
from geomap.errors import ArticleError, GeomapError, InputError

__all__ = [
    "Article",
    "read_article",
    "read_articles",
    "iter_articles",
    "article_from_html",
    "ARTICLE_SUFFIXES",
    "article_from_text",
    "parse_date_option",
    "check_reference_date",
    "MAX_BYTES",
    "DATE_RANGE",
    "url_date",
]

log = logging.getLogger(__name__)

#: Articles larger than this (bytes: 5 MiB) are refused; news articles are < 1 MB.  Set from
#: ``benchmarks/bench_size.py``: extraction takes time in proportion to the text, a 5 MiB
#: article about 3 minutes (164 s, peak memory 957 MiB, on 2 cores), so a refused file
#: would have taken longer than that.
MAX_BYTES = 5 * 1024 * 1024


def _size_text(n_bytes: int) -> str:
    """``20 MiB`` for a whole number of mebibytes, else ``N bytes`` (never rounded)."""
    mib, rest = divmod(n_bytes, 1024 * 1024)
    return f"{mib} MiB" if mib and not rest else f"{n_bytes} bytes"


#: A full date in a URL path: ``/2026/11/24/`` or ``/2026-11-24`` (then ``-slug``, ``/``, ...).
_URL_DATE = re.compile(
    r"/((?:19|20)\d\d)/(\d{1,2})/(\d{1,2})(?=/|$)"
    r"|/((?:19|20)\d\d)-(\d\d)-(\d\d)(?=[/_.-]|$)"
)


def url_date(url: str | None) -> dt.date | None:
    """
    Return the publication date a URL path spells out, or None.

    Parameters
    ----------
    url
        An article URL such as ``https://site/2026/11/24/slug`` or
        ``https://site/news/2026-11-24-slug.html``.

    Returns
    -------
    datetime.date or None
        The first full year/month/day in the path (the host and query are not
        read); None when there is none, when it is not a calendar date, or when
        it lies outside :data:`DATE_RANGE`.  Year/month-only paths
        (``/2026/11/``) give None: a reference date needs the day.
    """
    if not url:
        return None
    from urllib.parse import urlsplit

    try:
        path = urlsplit(url if "//" in url else "//" + url).path
    except ValueError:
        return None
    for m in _URL_DATE.finditer(path):
        y, mo, d = (int(g) for g in (m.groups()[:3] if m.group(1) else m.groups()[3:]))
        try:
            day = dt.date(y, mo, d)
        except ValueError:
            continue
        if DATE_RANGE[0] <= day <= DATE_RANGE[1]:
            return day
    return None

_HEADER = re.compile(r"^(published|date|title|url|source)\s*:\s*(.*)$", re.IGNORECASE)
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
#: Full dates (day, month and year) as news text writes them.
_FULL_DATE = re.compile(
    rf"\b(?:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\.?,?\s+(?:19|20)\d\d"
    rf"|(?:19|20)\d\d-\d\d-\d\d)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Article:
    """A normalised article.

    Attributes
    ----------
    id
        First 16 hex digits of the SHA-256 of :attr:`text` (UTF-8): the same
        text always has the same id, whatever its file name.
    text
        Normalised text (NFC, ``\\n`` line ends, header lines removed).
    published
        Reference date for relative dates, or None if none could be found.
    published_source
        One of :data:`geomap.schema.PUBLISHED_SOURCES`: ``header`` (a
        ``Published:``/``Date:`` line), ``url`` (a full date in the path of the
        ``URL:`` line or of the URL given, checked by :func:`_check_url_date`),
        ``page`` (the page's own publication line, "Published June 14, 2016",
        :func:`geomap.zones.publication_date`), ``option`` (given by the caller),
        ``inferred`` (latest full date in the text) or ``none``.
    path
        The file it came from, or None.
    title, url
        From header lines, when present.
    warnings
        Things the reader should know (encoding fallback, inferred date, ...).
    """

    id: str
    text: str
    published: dt.date | None
    published_source: str
    path: str | None = None
    title: str | None = None
    url: str | None = None
    warnings: tuple[str, ...] = ()


#: Reference dates outside this range are refused: news about this border is
#: dated within it, and date arithmetic near ``date.min``/``date.max`` overflows.
DATE_RANGE = (dt.date(1900, 1, 1), dt.date(2100, 12, 31))


def check_reference_date(value: dt.date, *, what: str = "reference date") -> dt.date:
    """Return ``value`` if it lies in :data:`DATE_RANGE`.

    Raises
    ------
    InputError
        If it lies outside.
    """
    lo, hi = DATE_RANGE
    if not lo <= value <= hi:
        raise InputError(f"{what} {value.isoformat()} is outside {lo.isoformat()}..{hi.isoformat()}")
    return value


def parse_date_option(value: str) -> dt.date:
    """Parse a ``YYYY-MM-DD`` date given on the command line or in a header.

    Raises
    ------
    InputError
        If ``value`` is not an ISO calendar date, or lies outside :data:`DATE_RANGE`.
    """
    try:
        parsed = dt.date.fromisoformat(value.strip())
    except ValueError as err:
        raise InputError(f"expected a date as YYYY-MM-DD, got {value!r}") from err
    return check_reference_date(parsed)


def _decode(data: bytes, name: str) -> tuple[str, list[str]]:
    """Decode article bytes; raise ArticleError for binary or undecodable data."""
    warnings: list[str] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), warnings
        except UnicodeDecodeError as err:
            raise ArticleError(f"{name}: has a UTF-16 byte-order mark but does not decode as UTF-16") from err
    if b"\x00" in data[:65536]:
        raise ArticleError(f"{name}: looks binary (contains NUL bytes); expected a plain-text article")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as err:
            raise ArticleError(
                f"{name}: cannot be decoded as UTF-8 or Windows-1252 (byte {err.start}); save it as UTF-8"
            ) from err
        warnings.append("not valid UTF-8; decoded as Windows-1252")
    controls = sum(1 for ch in text[:65536] if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    if controls > max(8, len(text[:65536]) // 20):
        raise ArticleError(f"{name}: looks binary ({controls} control characters); expected a plain-text article")
    return text, warnings


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _full_dates(text: str) -> list[dt.date]:
    """Every full date (day, month, year) written in ``text``, in text order."""
    import dateparser

    out: list[dt.date] = []
    for m in _FULL_DATE.finditer(text):
        parsed = dateparser.parse(
            m.group(0).replace(" of ", " "),
            languages=["en"],
            settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]},
        )
        if parsed is not None:
            out.append(parsed.date())
    return out


def _page_date(text: str) -> dt.date | None:
    """The date of the page's publication line (:func:`geomap.zones.publication_date`), if in range."""
    day = zones.publication_date(text, zones.page_zones(text))
    if day is None or not (DATE_RANGE[0] <= day <= DATE_RANGE[1]):
        return None
    return day


def infer_published(text: str) -> dt.date | None:
    """Return the latest full date (day, month, year) written in ``text``, or None.

    Uses :mod:`dateparser` on spans found by a pattern for "November 6, 2025",
    "6 November 2025" and "2025-11-06".
    """
    return max(_full_dates(text), default=None)


#: A URL's date and the text's full dates this far apart (days) make the URL's date suspect.
URL_DATE_TOLERANCE_DAYS = 366


def _check_url_date(day: dt.date, text: str, *, today: dt.date | None = None) -> tuple[dt.date | None, str | None]:
    """
    Sanity-check a reference date read from a URL's path against the calendar and the text.

    Parameters
    ----------
    day
        The date :func:`url_date` found.
    text
        The article text (header lines removed).
    today
        The current date (default: the system's); a URL date more than a day
        after it is a publication date that cannot have happened yet.

    Returns
    -------
    (datetime.date or None, str or None)
        The date to use (None: ignore the URL's date and infer the reference
        date from the text) and a warning for the reader, or None.  The URL's
        date is kept when the text writes no full date or some full date within
        :data:`URL_DATE_TOLERANCE_DAYS` of it.  When every full date of the text
        is further away, the URL's date is dropped if the text's latest date is
        later than it (an article cannot report dates years after it was
        published: the path's date is something else, e.g. an archive or a
        section number), else kept with a warning (the text may only cite
        history, as in "agreed on 12 November 1893").
    """
    today = today or dt.date.today()
    if day > today + dt.timedelta(days=1):
        return None, f"the URL's date {day.isoformat()} is after today ({today.isoformat()}); ignored"
    dates = _full_dates(text)
    if not dates or any(abs((d - day).days) <= URL_DATE_TOLERANCE_DAYS for d in dates):
        return day, None
    latest = max(dates)
    if latest > day:
        return None, (
            f"the URL's date {day.isoformat()} is more than a year before every full date in the text "
            f"(latest {latest.isoformat()}); ignored"
        )
    return day, (
        f"reference date {day.isoformat()} read from the URL, but every full date in the text is more than "
        f"a year earlier (latest {latest.isoformat()}); check it or give --published"
    )


def article_from_text(
    raw: str,
    *,
    published: dt.date | None = None,
    path: str | None = None,
    title: str | None = None,
    url: str | None = None,
    warnings: tuple[str, ...] = (),
) -> Article:
    """Build an :class:`Article` from text already in memory.

    Header lines (``Published:``, ``Title:``, ``URL:``) at the top are parsed and
    removed.  The reference date is, in this order: ``published`` given here,
    the ``Published:`` header, a full date in the URL's path (:func:`url_date`;
    ignored with a warning when it is after today or when the text's full
    dates are all more than a year later, see :func:`_check_url_date`), the
    date of the page's publication line ("Published June 14, 2016",
    "Monday, 05/20/2024": :mod:`geomap.zones`), and else the latest full date
    in the text (with a warning saying so).

    Raises
    ------
    ArticleError
        If the text is empty or only whitespace (after the header).
    InputError
        If a ``Published:`` header holds something other than ``YYYY-MM-DD``.
    """
    name = path or "<text>"
    # Lone surrogates (e.g. from JSON "\\ud800" escapes) are not text: replace them.
    raw = raw.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    text = _normalise(raw)
    header_date: dt.date | None = None
    lines = text.split("\n")
    consumed = 0
    for line in lines[:6]:
        m = _HEADER.match(line.strip())
        if not m:
            break
        key, value = m.group(1).lower(), m.group(2).strip()
        if key in ("published", "date"):
            try:
                header_date = parse_date_option(value[:10])
            except InputError as err:
                raise InputError(
                    f"{name}: '{m.group(1)}:' line must be a YYYY-MM-DD date in "
                    f"{DATE_RANGE[0].year}-{DATE_RANGE[1].year}, found {value!r}"
                ) from err
        elif key == "title":
            title = title or value
        elif key in ("url", "source"):
            url = url or value
        consumed += 1
    text = "\n".join(lines[consumed:]).lstrip("\n") if consumed else text
    if not text.strip():
        raise ArticleError(f"{name}: the article is empty")
    notes = list(warnings)
    from_url = url_date(url) if published is None and header_date is None else None
    url_day, url_note = _check_url_date(from_url, text) if from_url is not None else (None, None)
    if url_note:
        notes.append(url_note)
    if published is not None:
        check_reference_date(published)
        source = "option"
    elif header_date is not None:
        published, source = header_date, "header"
    elif url_day is not None:
        published, source = url_day, "url"
        log.info("%s: reference date %s read from the URL %s", name, published.isoformat(), url)
    elif (page_day := _page_date(text)) is not None:
        published, source = page_day, "page"
        notes.append(f"no Published: line; reference date {published.isoformat()} read from the page's publication line")
    else:
        published = infer_published(text)
        if published is not None:
            source = "inferred"
            notes.append(f"no Published: line; reference date {published.isoformat()} inferred from the latest full date in the text")
        else:
            source = "none"
            notes.append("no reference date: dates without a year and relative dates cannot be placed")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    for note in notes:
        log.warning("%s: %s", name, note)
    return Article(
        id=digest,
        text=text,
        published=published,
        published_source=source,
        path=path,
        title=title,
        url=url,
        warnings=tuple(notes),
    )


def _error(name: str, err: BaseException) -> ArticleError:
    """Make the :class:`ArticleError` for an OS error met opening or reading ``name``."""
    if isinstance(err, FileNotFoundError):
        return ArticleError(f"{name}: no such file")
    if isinstance(err, PermissionError):
        return ArticleError(f"{name}: permission denied")
    if isinstance(err, OSError):
        return ArticleError(f"{name}: cannot be read ({err.strerror or err})")
    return ArticleError(f"{name}: cannot be read ({err})")  # pathlib: a symlink loop


@contextlib.contextmanager
def _opened(path: Path, name: str) -> Iterator[BinaryIO]:
    """Open a regular file for reading; any failure is an :class:`ArticleError` naming it.

    A directory, device, pipe or socket is refused before it is opened (a FIFO
    would block an unattended run).
    """
    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise ArticleError(f"{name}: is a directory; expected an article file")
        if not stat.S_ISREG(mode):
            raise ArticleError(
                f"{name}: is not a regular file (a device, pipe or socket); "
                "expected an article file"
            )
        fh = path.open("rb")
    except ArticleError:
        raise
    except (OSError, RuntimeError) as err:  # RuntimeError: pathlib's symlink loop on some versions
        raise _error(name, err) from err
    with fh:
        try:
            yield fh
        except ArticleError:
            raise
        except OSError as err:
            raise _error(name, err) from err


def _read_bytes(path: Path, name: str, max_bytes: int) -> bytes:
    """Return the bytes of an article file (at most ``max_bytes``; not empty)."""
    with _opened(path, name) as fh:
        data = fh.read(max_bytes + 1)  # never more, whatever the file claims to be
    if len(data) > max_bytes:
        raise ArticleError(
            f"{name}: larger than the {_size_text(max_bytes)} limit for one article "
            f"(reading takes about 35 s per MiB); split it into smaller files"
        )
    if not data.strip():
        raise ArticleError(f"{name}: the article is empty")
    return data


def _text_article(path: Path, published: dt.date | None, max_bytes: int) -> Article:
    """Read a plain-text article file (see :func:`read_article`)."""
    name = str(path)
    text, warnings = _decode(_read_bytes(path, name, max_bytes), name)
    return article_from_text(text, published=published, path=name, warnings=tuple(warnings))


def article_from_html(
    html: str, *, path: str | None = None, published: dt.date | None = None
) -> Article:
    """
    Build an :class:`Article` from a saved HTML page.

    The main text is found with trafilatura (:func:`geomap._html_text.html_main_text`):
    no markup, menus or footers reach the article.  The page's own publication date
    (``<meta>``/JSON-LD, via htmldate) is the reference date unless ``published`` is
    given; its title and canonical URL are kept.

    Raises
    ------
    ArticleError
        If the page holds no article text.
    """
    page = html_main_text(html, name=path or "<html>")
    header = ""
    if published is None and page.published is not None:
        header = f"Published: {page.published.isoformat()}\n"
    return article_from_text(
        header + page.text, published=published, path=path, title=page.title, url=page.url
    )


def _html_article(path: Path, published: dt.date | None, max_bytes: int) -> Article:
    """Read a saved HTML page (see :func:`read_article`)."""
    name = str(path)
    data = _read_bytes(path, name, max_bytes)
    if b"\x00" in data[:65536]:
        raise ArticleError(f"{name}: looks binary (contains NUL bytes)")
    return article_from_html(data.decode("utf-8", errors="replace"), path=name, published=published)


@dataclass(frozen=True, slots=True)
class _Skip:
    """An input that is not an article: its label (path or ``path:line``), why, the error."""

    label: str
    reason: str
    error: GeomapError


def _skip(label: str, err: GeomapError) -> _Skip:
    return _Skip(label, str(err).removeprefix(f"{label}: "), err)


def _jsonl_articles(path: Path, published: dt.date | None) -> Iterator[Article | _Skip]:
    """Yield the articles of a JSON Lines feed, one per line; a bad line as a ``_Skip``."""
    name = str(path)
    try:
        with _opened(path, name) as raw:
            lines = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict")
            try:
                for n, line in enumerate(lines, start=1):
                    if line.strip():
                        yield _jsonl_line(line, f"{name}:{n}", published)
            except UnicodeDecodeError as err:
                why = f"not UTF-8 JSON Lines (byte {err.start})"
                yield _skip(name, ArticleError(f"{name}: {why}"))
    except ArticleError as err:
        yield _skip(name, err)


def _jsonl_line(line: str, label: str, published: dt.date | None) -> Article | _Skip:
    """Read one line of a feed: ``{"text", "published", "url", "title"}``."""
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as err:
        return _skip(label, ArticleError(f"{label}: not a JSON object ({err.msg})"))
    except RecursionError:
        return _skip(label, ArticleError(f"{label}: JSON nested too deeply"))
    if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
        return _skip(label, ArticleError(f'{label}: expected an object with a "text" string'))
    header = ""
    if published is None and rec.get("published"):
        try:
            dt.date.fromisoformat(str(rec["published"])[:10])
        except ValueError:
            found = rec["published"]
            why = f'"published" must be YYYY-MM-DD, found {found!r}'
            return _skip(label, InputError(f"{label}: {why}"))
        header = f"Published: {str(rec['published'])[:10]}\n"
    try:
        return article_from_text(
            header + rec["text"],
            published=published,
            path=label,
            title=rec.get("title") if isinstance(rec.get("title"), str) else None,
            url=rec.get("url") if isinstance(rec.get("url"), str) else None,
        )
    except GeomapError as err:
        return _skip(label, err)


#: How a file is read, by its ending (case-insensitive); any other file is plain text.
_READERS = {".html": _html_article, ".htm": _html_article}
#: File name endings read when a folder is given (case-insensitive).  ``.md`` is left
#: out: folders of articles often hold a README.md that is not news; name a Markdown
#: article directly to read it.
ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".jsonl")


def _file_articles(
    path: Path, published: dt.date | None, max_bytes: int = MAX_BYTES
) -> Iterator[Article | _Skip]:
    """Every article of one file: a ``.jsonl`` feed's lines, else the one article it holds."""
    if path.suffix.lower() == ".jsonl":
        yield from _jsonl_articles(path, published)
        return
    try:
        yield _READERS.get(path.suffix.lower(), _text_article)(path, published, max_bytes)
    except (ArticleError, InputError) as err:
        yield _skip(str(path), err)


def _files(paths: Sequence[str | Path], skipped: list[_Skip]) -> list[Path]:
    """List the files under ``paths``, walking folders (see :func:`iter_articles`)."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(
                f
                for f in p.rglob("*")
                if f.suffix.lower() in ARTICLE_SUFFIXES
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
            if not found:
                kinds = "/".join(ARTICLE_SUFFIXES)
                skipped.append(_skip(str(p), ArticleError(f"{p}: folder holds no {kinds} files")))
            root = p.resolve()
            for f in found:
                if f.is_symlink():
                    # A link inside a folder must not pull in a file from elsewhere
                    # (a private file would end up on the map): name such files directly.
                    try:
                        target = f.resolve(strict=True)
                    except (OSError, RuntimeError):
                        why = "broken or looping symbolic link"
                        skipped.append(_skip(str(f), ArticleError(f"{f}: {why}")))
                        continue
                    if not target.is_relative_to(root):
                        why = "symbolic link to a file outside the folder; name it to read it"
                        skipped.append(_skip(str(f), ArticleError(f"{f}: {why}")))
                        continue
                if f.is_file() or f.is_symlink():
                    out.append(f)
        elif p.exists() or p.is_symlink():
            out.append(p)
        else:
            skipped.append(_skip(str(p), ArticleError(f"{p}: no such file or folder")))
    return out


def iter_articles(
    paths: Sequence[str | Path],
    *,
    published: dt.date | None = None,
    skipped: list[tuple[str, str]] | None = None,
    strict: bool = False,
) -> Iterator[Article]:
    """
    Read every article under ``paths``, in a fixed order: the one reader of every command.

    Parameters
    ----------
    paths
        Files and folders.  Folders are walked recursively for
        :data:`ARTICLE_SUFFIXES` (hidden entries and symbolic links to files
        outside the folder left out), in sorted order.  ``.jsonl``: one
        ``{"text", "published", "url", "title"}`` object per line;
        ``.html``/``.htm``: the page's main text (:func:`article_from_html`);
        anything else: a plain-text article (:func:`read_article`).
    published
        Reference date for every article (overrides headers and JSON fields).
    skipped
        If given, ``(path, reason)`` is appended for every input that is not an
        article (missing, unreadable, empty, binary, undecodable, a folder with
        no article, a bad JSON line as ``path:line``).
    strict
        Raise the error of the first input that is not an article instead of
        skipping it (``build``, ``status``: nothing is written unless every
        input is read).

    Yields
    ------
    Article

    Raises
    ------
    ArticleError, InputError
        With ``strict``, for the first input that is not an article (the
        message names it; an InputError for a bad ``Published:`` date).
    """
    sink = skipped if skipped is not None else []
    found: list[_Skip] = []
    files = _files(paths, found)
    for skip in found:  # missing paths, empty folders, links: before anything is read
        _skipped(skip, sink, strict)
    for f in files:
        for item in _file_articles(f, published):
            if isinstance(item, _Skip):
                _skipped(item, sink, strict)
            else:
                yield item


def _skipped(item: _Skip, sink: list[tuple[str, str]], strict: bool) -> None:
    if strict:
        raise item.error
    sink.append((item.label, item.reason))


def read_articles(
    paths: Sequence[str | Path], *, published: dt.date | None = None
) -> list[Article]:
    """
    Read every article under ``paths``, all or nothing (``build``, ``status``).

    See :func:`iter_articles` (``strict=True``) for what is read.

    Raises
    ------
    ArticleError, InputError
        For the first input that is not an article, or when the inputs hold no
        article at all (e.g. a feed of blank lines).
    """
    articles = list(iter_articles(paths, published=published, strict=True))
    if not articles:
        raise ArticleError(f"{', '.join(map(str, paths))}: no article found")
    return articles


def read_article(path: str | Path, *, published: dt.date | None = None, max_bytes: int = MAX_BYTES) -> Article:
    """Read one article file, whatever its format (``extract``).

    Parameters
    ----------
    path
        A plain-text file (UTF-8; UTF-16 with BOM and Windows-1252 accepted), a
        saved HTML page (``.html``/``.htm``: its main text, see
        :func:`article_from_html`), or a ``.jsonl`` feed holding one article.
    published
        Reference date; overrides a ``Published:`` line.
    max_bytes
        Refuse files larger than this.

    Returns
    -------
    Article

    Raises
    ------
    ArticleError
        If the file is missing, a directory, unreadable, larger than
        ``max_bytes``, empty, binary or undecodable, an HTML page holds no
        article text, or a ``.jsonl`` feed holds no article or several.  The
        message names the file.
    InputError
        If a ``Published:`` line (or a feed's ``published``) is not a date.
    """
    p = Path(path)
    items = list(_file_articles(p, published, max_bytes))
    for item in items:
        if isinstance(item, _Skip):
            raise item.error
    if len(items) != 1:
        raise ArticleError(
            f"{path}: holds {len(items)} articles (one per line); expected one: "
            "read it with geomap build or geomap ingest"
        )
    return items[0]  # type: ignore[return-value]
