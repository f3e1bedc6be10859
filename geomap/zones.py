"""Page zones: tell a news page's headline, bylines and furniture from its report.

Real article text, as a saved page gives it, is more than the report: a
masthead and section labels, the headline and a standfirst, a byline and a
publication line ("Published June 14, 2016", "(Last Updated On: August 22,
2020)", "Monday, 05/20/2024"), photo captions repeated under the picture,
embedded posts with their own dates, share bars and teasers of other stories.
Read as prose, these glue themselves to the first sentence of the report,
lend it the wrong date and produce places and events of their own.

:func:`page_zones` splits the text, line by line, into :class:`Zone` spans of
these kinds:

``furniture``
    Menus, share bars, section labels, mastheads, captions, embedded posts,
    repeated lines, crawler stamps.  Yields no place and no event.
``byline``
    Author, desk or outlet lines and publication lines.  Yields no place and
    no event; a publication line's date can serve as the reference date
    (:func:`publication_date`).
``headline``
    The headline and standfirst lines before the report, and sub-headings or
    teaser lines (no final punctuation) after it.  Places count; an event read
    there is no event of its own but may confirm one of the body
    (:mod:`geomap.events.discourse`).
``dateline``
    A line that is only a dateline ("TORKHAM:"): the place of filing.
``body``
    The report.

The cues (patterns for share bars, bylines, publication words, captions and
embedded posts, and the word counts that tell a headline from a section
label) are data: ``geomap/lexicon/page_zones.toml``, validated at load.  The
structural rules are general: a line repeated on the page is furniture (its
first copy stays a headline when it has no final punctuation); a line that
continues a hard-wrapped paragraph belongs to it; a dated line with at most a
few other words is a publication line.

:func:`masked_text` blanks furniture and bylines with spaces (character offsets
unchanged) for the parser, and :func:`sentence_starts` gives the offsets where
a zone begins, which the parser must treat as sentence starts.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources

__all__ = [
    "Zone",
    "ZONE_KINDS",
    "page_zones",
    "masked_text",
    "sentence_starts",
    "publication_date",
    "dateline_date",
]

#: The kinds of zone, from most to least text-like.
ZONE_KINDS = ("body", "dateline", "headline", "byline", "furniture")
BODY, DATELINE, HEADLINE, BYLINE, FURNITURE = ZONE_KINDS
#: Zones whose text is blanked before parsing (no place, no event, no date).
MASKED = frozenset({BYLINE, FURNITURE})

_LEXICON = "page_zones.toml"
#: A furniture cue is read only on lines of at most this many words (a report's
#: sentence that happens to say "subscribe" or "share" is longer).
_FURNITURE_WORDS = 25
_TERMINAL = re.compile(r"""[.!?…]["'”’)\]]*$|[.!?]["'”’]\s*\S{0,40}$""")
_WORD = re.compile(r"[A-Za-z\u00C0-\u024F][\w'’.-]*")
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
)
_WEEKDAYS = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    "mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun"
)
#: Dates as page furniture writes them (full dates, numeric dates, "Nov 20").
_DATE = re.compile(
    rf"\b(?:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+(?:19|20)\d\d)?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\.?(?:,?\s+(?:19|20)\d\d)?"
    rf"|\d{{1,2}}[/.]\d{{1,2}}[/.](?:19|20)\d\d|(?:19|20)\d\d-\d\d-\d\d)\b",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"\b\d{1,2}[:.]\d\d\s*(?:[ap]\.?m\.?|gmt|pst|pkt|utc)?|\b\d{1,2}\s*[ap]\.?m\.?\b", re.IGNORECASE
)
_WEEKDAY = re.compile(rf"\b(?:{_WEEKDAYS})\b\.?", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
#: A dated prefix of a body line ("14 Sep 2021 - Taliban close ...").
_DATED_PREFIX = re.compile(rf"^(?:(?:{_WEEKDAYS}),?\s+)?{_DATE.pattern}\s*[-–—|]\s+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Zone:
    """A span of the page text and what it is.

    Attributes
    ----------
    kind
        One of :data:`ZONE_KINDS`.
    start, end
        Character offsets in the article text (``end`` excluded, no line break).
    why
        The cue or rule that decided the kind (for ``-vv`` logs and tests).
    """

    kind: str
    start: int
    end: int
    why: str = ""


@dataclass(frozen=True, slots=True)
class _Cues:
    furniture: tuple[re.Pattern[str], ...]
    prefixes: tuple[re.Pattern[str], ...]
    caption: tuple[re.Pattern[str], ...]
    end_sections: tuple[re.Pattern[str], ...]
    embedded: tuple[re.Pattern[str], ...]
    byline: tuple[re.Pattern[str], ...]
    publication: re.Pattern[str]
    max_other_words: int
    dateline: tuple[re.Pattern[str], ...]
    min_words: int
    max_words: int


def _patterns(
    data: dict, table: str, key: str, *, flags: int = re.IGNORECASE
) -> tuple[re.Pattern[str], ...]:
    values = data.get(table, {}).get(key)
    if (
        not isinstance(values, list)
        or not values
        or not all(isinstance(v, str) and v for v in values)
    ):
        raise ValueError(f"{_LEXICON}: [{table}] {key} must be a non-empty list of strings")
    if len(set(values)) != len(values):
        raise ValueError(f"{_LEXICON}: [{table}] {key} has duplicate entries")
    out = []
    for v in values:
        try:
            out.append(re.compile(rf"(?:{v})", flags))
        except re.error as err:
            raise ValueError(f"{_LEXICON}: [{table}] {key}: bad pattern {v!r}: {err}") from err
    return tuple(out)


def _count(data: dict, table: str, key: str) -> int:
    value = data.get(table, {}).get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{_LEXICON}: [{table}] {key} must be a non-negative integer")
    return value


def cues_from(data: dict) -> _Cues:
    """Validate the parsed ``page_zones.toml`` and compile its patterns.

    Raises
    ------
    ValueError
        Naming the file and the key, when a table or key is missing, a list is
        empty, has duplicates or holds a non-string, or a pattern does not compile.
    """
    furniture = _patterns(data, "furniture", "lines")
    prefixes = _patterns(data, "furniture", "prefixes")
    pub = _patterns(data, "publication", "cues")
    cues = _Cues(
        furniture=furniture,
        prefixes=prefixes,
        caption=_patterns(data, "caption", "lines"),
        end_sections=_patterns(data, "end_sections", "lines"),
        embedded=_patterns(data, "embedded", "lines"),
        byline=_patterns(data, "byline", "lines"),
        publication=re.compile(
            r"\b(?:" + "|".join(p.pattern for p in pub) + r")\b\s*:?", re.IGNORECASE
        ),
        max_other_words=_count(data, "publication", "max_other_words"),
        dateline=_patterns(data, "dateline", "lines", flags=0),
        min_words=_count(data, "headline", "min_words"),
        max_words=_count(data, "headline", "max_words"),
    )
    if cues.min_words > cues.max_words:
        raise ValueError(f"{_LEXICON}: [headline] min_words must not exceed max_words")
    return cues


@functools.cache
def _cues() -> _Cues:
    text = resources.files("geomap.lexicon").joinpath(_LEXICON).read_text(encoding="utf-8")
    return cues_from(tomllib.loads(text))


def _full(patterns: Sequence[re.Pattern[str]], line: str) -> re.Pattern[str] | None:
    return next((p for p in patterns if p.fullmatch(line)), None)


def _words(line: str) -> int:
    return len(_WORD.findall(line))


def _publication_line(line: str, cues: _Cues) -> bool:
    """Tell whether a dated line is only a publication/byline line ("Published June 14, 2016")."""
    if not (_DATE.search(line) or (_WEEKDAY.search(line) and _YEAR.search(line))):
        return False
    rest = _DATE.sub(" ", line)
    rest = _TIME.sub(" ", rest)
    rest = _WEEKDAY.sub(" ", rest)
    rest = _YEAR.sub(" ", rest)
    had_cue = bool(cues.publication.search(rest))
    rest = cues.publication.sub(" ", rest)
    for p in (*cues.furniture, *cues.byline):
        rest = p.sub(" ", rest) if p.fullmatch(rest.strip()) else rest
    left = _words(rest)
    if _TERMINAL.search(line.strip()) and not had_cue:
        return left == 0
    return left <= cues.max_other_words


def _lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        lead = len(raw) - len(raw.lstrip())
        trail = len(raw.rstrip())
        if trail > lead:
            out.append((start + lead, start + trail))
    return out


def page_zones(text: str) -> list[Zone]:
    """
    Split a page's text into zones (headline, byline, furniture, dateline, body).

    Parameters
    ----------
    text
        The article text (header lines already removed), as
        :class:`geomap.articles.Article` holds it.

    Returns
    -------
    list of Zone
        Non-overlapping spans in text order, each within one line; text not
        covered (blank lines, line breaks) belongs to no zone.  A text with no
        line structure (one paragraph) is one ``body`` zone.
    """
    cues = _cues()
    zones: list[Zone] = []
    seen: dict[str, int] = {}
    body_started = False
    headline_seen = False
    ended = False  # past the heading of the page's closing sections
    prev_kind: str | None = None
    prev_end = -2
    prev_terminal = True
    lines = _lines(text)
    counts: dict[str, int] = {}
    for s, e in lines:
        key = re.sub(r"\s+", " ", text[s:e]).casefold()
        counts[key] = counts.get(key, 0) + 1
    for s, e in lines:
        for p in cues.prefixes:
            m = p.match(text, s, e)
            if m and m.end() > s:
                zones.append(Zone(FURNITURE, s, m.end(), "prefix"))
                s = m.end()
                while s < e and text[s].isspace():
                    s += 1
        if s >= e:
            continue
        line = text[s:e]
        m = _DATED_PREFIX.match(line)
        if m and _words(line[m.end() :]) >= cues.min_words:
            zones.append(Zone(BYLINE, s, s + m.end(), "dated prefix"))
            s += m.end()
            line = text[s:e]
        key = re.sub(r"\s+", " ", line).casefold()
        terminal = bool(_TERMINAL.search(line))
        n_words = _words(line)
        continuation = (
            prev_kind == BODY
            and not prev_terminal
            and text[prev_end:s].count("\n") == 1
            and n_words > 0
        )
        wrapped = e + 1 < len(text) and text[e] == "\n" and text[e + 1 : e + 2].islower()
        led = any(p.match(line) for p in cues.dateline) and n_words > 6
        kind, why = BODY, "prose"
        if not ended and n_words <= 12 and _full(cues.end_sections, line) is not None:
            ended = True
        if ended:
            kind, why = FURNITURE, "closing sections"
        elif continuation:
            kind, why = BODY, "continued paragraph"
        elif key in seen:
            kind, why = FURNITURE, "repeated line"
        elif counts.get(key, 0) > 1 and terminal and not (body_started or led) and n_words <= 40:
            # a caption printed above and below its picture; a paragraph of the
            # report pasted twice keeps its first copy
            kind, why = FURNITURE, "repeated caption"
        elif (p := _full(cues.embedded, line)) is not None:
            kind, why = FURNITURE, "embedded post"
        elif n_words <= _FURNITURE_WORDS and (p := _full(cues.furniture, line)) is not None:
            kind, why = FURNITURE, "furniture cue"
        elif (p := _full(cues.caption, line)) is not None:
            kind, why = FURNITURE, "caption"
        elif n_words <= 12 and (p := _full(cues.byline, line)) is not None:
            kind, why = BYLINE, "byline cue"
        elif n_words <= 20 and _publication_line(line, cues):
            kind, why = BYLINE, "publication line"
        elif n_words <= 6 and (p := _full(cues.dateline, line)) is not None:
            kind, why = DATELINE, "dateline"
        elif not terminal and (wrapped or led):
            kind, why = BODY, "wrapped line" if wrapped else "lede after a dateline"
        elif not terminal and body_started and (s, e) == lines[-1]:
            kind, why = BODY, "cut paragraph"  # a page cut mid-sentence
        elif not terminal and n_words < cues.min_words and not (body_started or headline_seen):
            kind, why = FURNITURE, "label"
        elif not terminal and n_words <= cues.max_words:
            kind, why = HEADLINE, "headline" if not body_started else "heading"
        seen.setdefault(key, s)
        zones.append(Zone(kind, s, e, why))
        if kind == BODY:
            body_started = True
        headline_seen = headline_seen or kind == HEADLINE
        prev_kind, prev_end, prev_terminal = kind, e, terminal
    return zones


def masked_text(text: str, zones: Sequence[Zone]) -> str:
    """``text`` with furniture and byline zones replaced by spaces (same length, same offsets)."""
    chars = list(text)
    for z in zones:
        if z.kind in MASKED:
            for i in range(z.start, z.end):
                if chars[i] != "\n":
                    chars[i] = " "
    return "".join(chars)


def sentence_starts(zones: Sequence[Zone]) -> list[int]:
    """Give the offsets where a sentence must begin: each zone but a paragraph's continuation."""
    return [z.start for z in zones if z.why != "continued paragraph"]


def zone_finder(zones: Sequence[Zone]) -> Callable[[int], Zone | None]:
    """
    Give a function from a character offset to the zone holding it (None in blank text).

    The same answers as :func:`zone_at` for zones in text order that do not
    overlap (as :func:`page_zones` gives them), in log time per offset.
    """
    ordered = list(zones)
    starts = [z.start for z in ordered]

    def at(offset: int) -> Zone | None:
        k = bisect.bisect_right(starts, offset) - 1
        if k >= 0 and offset < ordered[k].end:
            return ordered[k]
        return None

    return at


def zone_at(zones: Sequence[Zone], offset: int) -> Zone | None:
    """Give the zone holding character ``offset``, or None (blank text between zones)."""
    for z in zones:
        if z.start <= offset < z.end:
            return z
    return None


def publication_date(text: str, zones: Sequence[Zone]) -> dt.date | None:
    """
    Give the date of the page's publication line, or None.

    A publication line is a ``byline`` zone with a full date ("Published
    September 17, 2020", "Monday, 05/20/2024", "October 20, 2018").  Of
    several, the first that says it is the publication ("Published",
    "Posted", "Publication date") wins, then the first after the headline (a
    masthead's date line before the headline is the day the page was viewed),
    then the first; an "Updated" line only when there is no other.  A numeric
    date is read day-first unless its second number is above 12 (then
    month-first, as a US-style date line).  Dates are parsed by
    :mod:`dateparser`.
    """
    import dateparser

    headline = next((z.start for z in zones if z.kind in (HEADLINE, BODY)), 0)
    found = []
    for n, z in enumerate(zones):
        if z.kind != BYLINE:
            continue
        line = text[z.start : z.end]
        for m in _DATE.finditer(text, z.start, z.end):
            raw = m.group(0)
            if not _YEAR.search(raw):
                continue
            order = "DMY"
            num = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", raw)
            if num and int(num.group(2)) > 12:
                order = "MDY"
            value = dateparser.parse(
                raw, languages=["en"], settings={"DATE_ORDER": order, "STRICT_PARSING": True}
            )
            if value is None:
                continue
            before_cue = line[: m.start() - z.start]
            updated = bool(_UPDATED.search(before_cue)) and not _PUBLISHED.search(before_cue)
            rank = (updated, not _PUBLISHED.search(before_cue), z.start < headline, n)
            found.append((rank, value.date()))
            break
    return min(found)[1] if found else None


#: Words of a publication line that say the date is the first publication, or an update.
_PUBLISHED = re.compile(r"\b(?:published|posted|publication date|publish)\b", re.IGNORECASE)
_UPDATED = re.compile(r"\bupdated\b", re.IGNORECASE)


#: How far into the report's first line a dateline may reach (characters).
_DATELINE_CHARS = 90


def dateline_date(text: str, zones: Sequence[Zone]) -> tuple[int, int] | None:
    """
    Where the date of the report's dateline is written, or None.

    A dateline opens the report's first line ("PESHAWAR, Feb 20 (Agency):",
    "Islamabad, July 21 (Agency).—", "PESHAWAR, (Agency - 28th Nov, 2022) :");
    its date, when it has one, is the day the report was filed: the report's
    own time, which :mod:`geomap.events.discourse` gives the lede's undated
    mentions.  Returns the character span of that date expression (to be
    resolved against the reference date by :func:`geomap.dates.resolve_date`).
    """
    first = next((z for z in zones if z.kind == BODY), None)
    if first is None:
        return None
    head = text[first.start : min(first.end, first.start + _DATELINE_CHARS)]
    lead = re.match(r"[A-Z][A-Za-z .'/-]{1,40}?(?=\s*[,(:])", head)
    if lead is None:
        return None
    word = lead.group(0).split()[0]
    if not (word.isupper() or head[lead.end() :].lstrip().startswith(",")):
        return None
    strong = re.search(r":|[—–]", head[lead.end() :])
    end = lead.end() + strong.start() if strong else None
    if end is None:
        weak = re.search(r"\s-\s", head[lead.end() :])
        end = lead.end() + weak.start() if weak else None
    if end is None:
        return None
    m = _DATE.search(head, lead.end(), end)
    if m is None:
        return None
    return first.start + m.start(), first.start + m.end()
