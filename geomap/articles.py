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
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from geomap import zones
from geomap.errors import ArticleError, InputError

__all__ = [
    "Article",
    "read_article",
    "article_from_text",
    "parse_date_option",
    "check_reference_date",
    "MAX_BYTES",
    "DATE_RANGE",
    "url_date",
]

log = logging.getLogger(__name__)

#: Articles larger than this (bytes: 20 MiB) are refused; news articles are < 1 MB.
MAX_BYTES = 20 * 1024 * 1024


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


def read_article(path: str | Path, *, published: dt.date | None = None, max_bytes: int = MAX_BYTES) -> Article:
    """Read an article file.

    Parameters
    ----------
    path
        A plain-text file (UTF-8; UTF-16 with BOM and Windows-1252 accepted).
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
        ``max_bytes``, empty, binary or undecodable.  The message names the file.
    """
    p = Path(path)
    name = str(path)
    try:
        mode = p.stat().st_mode
        if stat.S_ISDIR(mode):
            raise ArticleError(f"{name}: is a directory; expected an article file")
        if not stat.S_ISREG(mode):
            raise ArticleError(f"{name}: is not a regular file (a device, pipe or socket); expected an article file")
        with p.open("rb") as fh:
            data = fh.read(max_bytes + 1)  # never more, whatever the file claims to be
        if len(data) > max_bytes:
            raise ArticleError(f"{name}: larger than the {_size_text(max_bytes)} limit for one article")
    except ArticleError:
        raise
    except FileNotFoundError as err:
        raise ArticleError(f"{name}: no such file") from err
    except PermissionError as err:
        raise ArticleError(f"{name}: permission denied") from err
    except RuntimeError as err:  # pathlib reports a symlink loop this way on some versions
        raise ArticleError(f"{name}: cannot be read ({err})") from err
    except OSError as err:
        raise ArticleError(f"{name}: cannot be read ({err.strerror or err})") from err
    if not data.strip():
        raise ArticleError(f"{name}: the article is empty")
    text, warnings = _decode(data, name)
    return article_from_text(text, published=published, path=name, warnings=tuple(warnings))
