"""Resolve date expressions in news text against the article's reference date.

The parsing of a single expression is done by :mod:`dateparser` (absolute
dates, "two days ago", "last month", weekday names); the spans come from
spaCy's ``DATE`` entities (dateparser's own ``search_dates`` returns spans such
as "on Thursday after", see TOOLCHAIN.md) plus a pattern for numeric dates the
small model misses.  geomap's own code handles what neither library does:

- **precision** (day/week/month/year) and the ACLED ``time_precision`` code
  (ACLED Codebook 2023, "Time precision": 1 = the day is known, 2 = within a
  week or a few days, 3 = a month or vaguer);
- **intervals** ("from 12 October until 2 November", "between 3 and 5 May",
  "October 12-14") → ``value`` and ``end``;
- vague expressions dateparser refuses: "earlier this year", "early October",
  "mid-October", "late last month" (month/year precision); the part of a
  named day or week keeps its precision ("earlier today", "late on Monday",
  "early last week");
- the **year rule**: a date written without a year takes the year of the
  reference date; if that puts it more than :data:`FUTURE_TOLERANCE_DAYS` after
  the reference date and the sentence is not about the future ("will reopen
  on 2 December"), the previous year is used and a warning says so; in a
  sentence about the future a date that would fall before the reference date
  takes the year that puts it nearest to it ("will reopen on 11 January" in a
  December article is the coming January), with a warning;
- the **same-weekday rule**: a bare weekday equal to the reference date's
  weekday ("on Thursday" in a Thursday article) is the reference date itself
  (news style names the day of publication by its weekday); "last Thursday" is
  a week earlier; in a future-tense sentence ("talks would continue into
  Friday") a weekday is the next such day;
- the **ordering rule** for past narration (:func:`find_dates`): tense alone
  does not move a bare weekday (news in the past tense routinely names the
  day of publication: "talks ended on Saturday" in a Saturday article is that
  day), but a sentence that puts its event *before* the day narrated just
  before it -- "The decision followed talks ... on Saturday", "came after",
  "preceded", "in the wake of", or the past perfect "had met on Saturday" --
  cannot name a later day than that one (the cue is read in the date's own
  clause: a past perfect of the main clause does not move "which reopened on
  Monday").  Tense cues for the year and weekday rules are read in the date's
  own clause too, with the verbs it is a complement or conjunct of ("Talks
  ended on Thursday, and a further round is planned next month": a past
  Thursday).  When that earlier-narrated day is
  itself before the reference date, the weekday is the latest such weekday on
  or before it (a Saturday article: "reopened on Sunday [14th] ... The
  decision followed talks on Saturday" → the 13th, not the 20th), with a
  warning.  "followed by" is not such a cue;
- **same-day expressions** ("the same day", "later that evening", "late in
  the evening", "that night") take the day of the last day-precision date
  written before them, at most three sentences back, except "the same
  day/date", which names a day already written however far back (flagged
  when more than three sentences back); otherwise they stay unplaced;
- **gaps from the narrated day** ("two days later", "a week earlier", "the
  next day") are counted from the day-precision date written just before
  them (at most three sentences back, and only when no vaguer date came in
  between); a count of weeks is a round figure (week precision); never
  counted from the reference date;
- the **day-first rule** for numeric dates: ``12/10/2025`` is 12 October 2025
  (day/month/year, as written in Pakistan, Afghanistan and British English);
  when the first number cannot be a month day-first is kept, when the second
  is above 12 the date is read month-first and a warning says so;
- a date outside the years 1900-2100, or an expression holding a four-digit
  number outside them ("number 9893", "12 May 1850"), is no date (None);
- dates after the reference date are kept and flagged in ``warnings``;
  expressions that cannot be placed ("recent years", "the first day") give
  ``None`` (and :func:`find_dates` keeps the mention with a warning), never a
  guess.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import functools
import logging
import re
from dataclasses import dataclass, field, replace
from typing import Any

__all__ = [
    "DateValue",
    "DateMention",
    "resolve_date",
    "find_dates",
    "FUTURE_TOLERANCE_DAYS",
    "TIME_PRECISION",
    "AFTER_REFERENCE",
]

log = logging.getLogger(__name__)

#: A date without a year that lands more than this many days after the
#: reference date is moved to the previous year (unless the sentence is about
#: the future).
FUTURE_TOLERANCE_DAYS = 30

#: The words of the warning given to a date later than the reference date
#: ("2025-11-03 is after the reference date 2025-10-30"), for those who read it.
AFTER_REFERENCE = "is after the reference date"

#: geomap precision word -> ACLED ``time_precision``.
TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
_WEEKDAY_RE = "|".join(_WEEKDAYS)
_YEAR_RE = re.compile(r"\b(?:19|20)\d\d\b")
#: Years a date may have (inclusive): outside them a number is no year ("number
#: 9893", "1008 people"), as :data:`geomap.articles.DATE_RANGE` for reference dates.
_YEARS = (1900, 2100)
_FOUR_DIGITS = re.compile(r"(?<![\d,.])\d{4}(?![\d,])")
_NUMERIC = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.]((?:19|20)?\d\d)\b")
_ISO = re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b")
#: Words that put a clause in the future (a weekday then means the next one).
_FUTURE_WORDS = re.compile(
    r"\b(will|would|shall|going to|expected to|set to|scheduled|plans? to|planned|planning to|"
    r"intends? to|intending to|aims? to|next|upcoming|tomorrow|"
    r"continue into|due to)\b",
    re.IGNORECASE,
)
_LEADING = re.compile(r"^(?:on|in|at|by|during|of|the|this past|past)\s+", re.IGNORECASE)
_INTERVAL = re.compile(
    r"^(?:from|between)\s+(?P<a>.+?)\s+(?:until|till|til|to|through|thru|and)\s+(?P<b>.+)$",
    re.IGNORECASE,
)
_RANGE_DAYS = re.compile(
    rf"^(?P<m>{_MONTH_RE})\.?\s+(?P<d1>\d{{1,2}})\s*[-–—]\s*(?P<d2>\d{{1,2}})(?P<y>,?\s+(?:19|20)\d\d)?$"
    rf"|^(?P<d1b>\d{{1,2}})\s*[-–—]\s*(?P<d2b>\d{{1,2}})\s+(?P<mb>{_MONTH_RE})\.?(?P<yb>,?\s+(?:19|20)\d\d)?$",
    re.IGNORECASE,
)
_PART_OF = re.compile(
    r"^(?P<part>early|earlier|mid|middle of|late|later|end of|beginning of|start of)[\s-]+(?P<rest>.+)$",
    re.IGNORECASE,
)
_UNPLACEABLE = re.compile(
    r"\b((?:19|20)\d0'?s|recent|years?\b(?! ago)|decades?|"
    r"the first day|the second day|the same day|that day|the day|"
    r"the time|weeks?\b(?! ago)|months?\b(?! ago)|days\b(?! ago)|ago\b.*\bago|future|past few)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DateValue:
    """A resolved date or interval.

    Attributes
    ----------
    value
        ``YYYY-MM-DD`` (day or week precision), ``YYYY-MM`` or ``YYYY``.
    precision
        ``day``, ``week``, ``month`` or ``year``.  For ``week`` the value is the
        day dateparser places the expression on ("last week" → reference − 7 days).
    time_precision
        ACLED code: 1 day, 2 week, 3 month or year.
    end
        Last date of an interval (same formats), or None.
    text
        The expression as written.
    warnings
        Notes for the reader: year assumed, date after the reference date, ...
    """

    value: str
    precision: str
    time_precision: int
    end: str | None = None
    text: str = ""
    warnings: tuple[str, ...] = ()

    @property
    def first_day(self) -> dt.date:
        """The first calendar day the value covers (``2025-10`` → 2025-10-01)."""
        return _first_day(self.value)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression found in a document.

    Attributes
    ----------
    text
        The expression as written (a spaCy ``DATE`` span, widened to a leading
        "since"/"from"/"until" and to an interval's second date).
    start, end
        Absolute character offsets (``offset`` added).
    relation
        ``at`` (the default), ``since``, ``until``, ``after``, ``before`` or
        ``interval``.
    value
        The resolved :class:`DateValue`, or None when the expression cannot be placed.
    warnings
        Why it could not be placed, or the value's warnings.
    """

    text: str
    start: int
    end: int
    relation: str = "at"
    value: DateValue | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def explicit(self) -> bool:
        """
        Tell whether the expression names its calendar date itself.

        True for a month name, a year or a numeric date ("on 11 January",
        "12/10/2025", "in 2009"); False for expressions placed only from the
        reference date ("on Sunday", "yesterday", "two days ago", "last
        week").  An explicit date in an event's clause outranks a
        reference-relative one (:mod:`geomap.events`).
        """
        return _is_explicit(self.text)


#: A month name, a year or a numeric date: the expression names its own calendar date.
_EXPLICIT = re.compile(
    rf"\b(?:{_MONTH_RE})\b\.?|\b(?:19|20)\d\d\b|\b\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}\b",
    re.IGNORECASE,
)


def _is_explicit(text: str) -> bool:
    """Tell whether ``text`` names a month, a year or a numeric date (not "Monday", "today")."""
    return bool(_EXPLICIT.search(text))


def _first_day(value: str) -> dt.date:
    parts = [int(p) for p in value.split("-")]
    while len(parts) < 3:
        parts.append(1)
    return dt.date(*parts)


def _fmt(day: dt.date, precision: str) -> str:
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


@functools.lru_cache(maxsize=64)
def _parser(reference: dt.date, prefer: str) -> Any:
    """One dateparser DateDataParser per (reference date, preference); they are slow to build."""
    from dateparser.date import DateDataParser

    base = dt.datetime(reference.year, reference.month, reference.day, 12, 0)
    return DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": base,
            "PREFER_DATES_FROM": prefer,
            "DATE_ORDER": "DMY",
            "PREFER_DAY_OF_MONTH": "first",
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )


def _is_future(context: str | None) -> bool:
    return bool(context and _FUTURE_WORDS.search(context))


def _clean(text: str) -> str:
    text = " ".join(text.replace("’", "'").split()).strip(" ,.;:")
    # a possessive date ("last Friday's clashes", "Monday's talks") names that day
    text = re.sub(r"'s?$", "", text)
    prev = None
    while prev != text:
        prev = text
        text = _LEADING.sub("", text)
    return text


def _numeric(text: str) -> tuple[dt.date, list[str]] | None:
    """Numeric dates: ISO ``YYYY-MM-DD`` and day-first ``DD/MM/YYYY``."""
    m = _ISO.search(text)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])), []
        except ValueError:
            return None
    m = _NUMERIC.fullmatch(text)
    if not m:
        return None
    a, b, y = int(m[1]), int(m[2]), int(m[3])
    if y < 100:
        y += 2000
    notes: list[str] = []
    day, month = a, b
    if b > 12 and a <= 12:
        day, month = b, a
        notes.append(f"{text!r} read month-first (the second number cannot be a month)")
    try:
        return dt.date(y, month, day), notes
    except ValueError:
        return None


#: Words naming one day or week (their parts keep that precision).
_DAY_WORD = re.compile(
    rf"\b(?:today|yesterday|tonight|{_WEEKDAY_RE}|(?:last|this|next)\s+week)\b", re.IGNORECASE
)


def _part_of(text: str, reference: dt.date | None, context: str | None) -> DateValue | None:
    """'early October', 'mid-October', 'earlier this year', 'late last month' → month/year precision."""
    m = _PART_OF.match(text)
    if not m:
        return None
    inner = resolve_date(m["rest"], reference=reference, context=context)
    if inner is None:
        return None
    if inner.precision in ("day", "week") and _DAY_WORD.search(m["rest"]):
        # "earlier today", "late on Monday", "early last week": the part of a known
        # day or week is still that day or week
        return replace(inner, text=text)
    precision = inner.precision if inner.precision in ("month", "year") else "month"
    value = inner.value if inner.precision in ("month", "year") else inner.value[:7]
    return DateValue(value, precision, TIME_PRECISION[precision], None, text, inner.warnings)


def _year_only(text: str, reference: dt.date | None) -> DateValue | None:
    low = text.lower()
    if re.fullmatch(r"(?:19|20)\d\d", low):
        return DateValue(low, "year", 3, None, text)
    if reference is None:
        return None
    rel = {
        "this year": 0,
        "the year": 0,
        "the current year": 0,
        "last year": -1,
        "the previous year": -1,
        "the past year": -1,
        "next year": 1,
    }
    if low in rel:
        return DateValue(str(reference.year + rel[low]), "year", 3, None, text)
    return None


def _weekday(text: str, reference: dt.date, context: str | None) -> DateValue | None:
    m = re.fullmatch(
        rf"(last|this|next|this past|past|coming)?\s*({_WEEKDAY_RE})(?:\s+(?:morning|afternoon|evening|night))?",
        text.lower(),
    )
    if not m:
        return None
    which, wd = m[1], _WEEKDAYS[m[2]]
    back = (reference.weekday() - wd) % 7
    if which in ("next", "coming") or (which is None and _is_future(context)):
        ahead = (wd - reference.weekday()) % 7 or 7
        day = reference + dt.timedelta(days=ahead)
    elif which in ("last", "past", "this past"):
        day = reference - dt.timedelta(days=back or 7)
    else:
        day = reference - dt.timedelta(days=back)
    return DateValue(day.isoformat(), "day", 1, None, text)


def _with_year_rule(
    day: dt.date,
    precision: str,
    text: str,
    reference: dt.date | None,
    context: str | None,
    notes: list[str],
) -> dt.date:
    """Apply the reference-year rule to a date written without a year."""
    if _YEAR_RE.search(text) or reference is None:
        return day
    try:
        day = day.replace(year=reference.year)
    except ValueError:  # 29 February
        day = day.replace(year=reference.year, day=28)
    if (day - reference).days > FUTURE_TOLERANCE_DAYS and not _is_future(context):
        day = day.replace(year=reference.year - 1)
        notes.append(
            f"{text!r} has no year; {reference.year} would put it after the reference date, "
            f"{reference.year - 1} assumed"
        )
    elif _is_future(context) and day < reference:
        # "will reopen on 11 January" in a December article: the coming January
        try:
            ahead = day.replace(year=reference.year + 1)
        except ValueError:  # 29 February
            ahead = day.replace(year=reference.year + 1, day=28)
        if (ahead - reference) < (reference - day):
            day = ahead
            notes.append(
                f"{text!r} has no year; the sentence is about the future, "
                f"{reference.year + 1} assumed"
            )
    return day


def _single(text: str, reference: dt.date | None, context: str | None) -> DateValue | None:
    """Resolve one (non-interval) expression; None when it cannot be placed."""
    raw = re.sub(r"\s+", " ", text).strip(" ,.;:")
    text = _clean(text)
    if not text:
        return None
    notes: list[str] = []
    num = _numeric(text)
    if num is not None:
        return DateValue(num[0].isoformat(), "day", 1, None, text, tuple(num[1]))
    yr = _year_only(text, reference)
    if yr is not None:
        return yr
    part = _part_of(text, reference, context)
    if part is not None:
        return part
    if reference is None:
        # Only self-contained dates (with a year) can be placed without a reference.
        if not _YEAR_RE.search(text):
            return None
        ref_for_parse = dt.date(int(_YEAR_RE.search(text)[0]), 12, 31)
    else:
        ref_for_parse = reference
        wd = _weekday(text, reference, context)
        if wd is not None:
            return wd
    if reference is not None and (vague := _vague(raw, reference, context)) is not None:
        return vague
    if _UNPLACEABLE.search(text) and not re.search(
        r"\b(ago|last|this|next|yesterday|today)\b", text, re.I
    ):
        return None
    prefer = "future" if _is_future(context) else "past"
    data = _parser(ref_for_parse, prefer).get_date_data(text)
    if data is None or data.date_obj is None:
        return None
    period = data.period or "day"
    precision = {"time": "day", "day": "day", "week": "week", "month": "month", "year": "year"}.get(
        period, "day"
    )
    day = data.date_obj.date()
    if precision in ("day", "month") and not re.search(
        r"\b(ago|last|this|next|yesterday|today|tomorrow)\b", text, re.I
    ):
        day = _with_year_rule(day, precision, text, reference, context, notes)
    return DateValue(
        _fmt(day, precision), precision, TIME_PRECISION[precision], None, text, tuple(notes)
    )


#: Approximators before a counted gap ("nearly two weeks ago", "about a month ago").
_APPROX = re.compile(
    r"^(?:nearly|almost|about|around|roughly|some|over|more than|less than|just over|"
    r"just under|close to|approximately)\s+",
    re.IGNORECASE,
)
#: A stretch of the current week or month named without its day ("earlier in the
#: week", "earlier this month", "for the past one month", "over the past week").
_VAGUE_SPAN = re.compile(
    r"^(?:(?P<part>earlier|early|later)\s+(?:in\s+)?(?:this|the)\s+(?P<unit>week|month)"
    r"|(?:(?:for|over|during|in)\s+(?:the\s+)?(?:past|last)|(?:the\s+)?past)\s+(?:one\s+|a\s+)?"
    r"(?P<dur>week|month))$",
    re.IGNORECASE,
)


#: The weekend just past ("over the weekend", "last weekend", "weekend clashes").
_WEEKEND = re.compile(
    r"^(?:(?:over|during|at|on)\s+)?(?:the\s+|last\s+|this\s+past\s+|past\s+)?weekend$",
    re.IGNORECASE,
)


def _vague(text: str, reference: dt.date, context: str | None) -> DateValue | None:
    """
    Place a gap or stretch that names no day, at the precision it has.

    "nearly two weeks ago" is the month of the day two weeks back (a count of
    weeks or months with an approximator names no day; a count of days keeps
    the day); "earlier in the week" is the month of the week's middle,
    "earlier this month" the reference month, and a duration back from the
    reference ("for the past one month") the month it began in.  Month
    precision (ACLED time_precision 3), as the real-news annotation guide
    dates "earlier this month" and "last week" without a day.
    """
    m = _APPROX.match(text)
    if m:
        rest = text[m.end() :]
        inner = _single(rest, reference, context)
        if inner is None or inner.end is not None:
            return None
        if inner.precision in ("day", "week") and re.search(r"\b(?:weeks?|months?)\b", rest, re.I):
            day = inner.first_day
            return DateValue(
                _fmt(day, "month"), "month", TIME_PRECISION["month"], None, text, inner.warnings
            )
        return replace(inner, text=text)
    if _WEEKEND.match(text):
        # "over the weekend", "weekend clashes": the latest Saturday before the reference
        sat = reference - dt.timedelta(days=(reference.weekday() - 5) % 7 or 7)
        return DateValue(_fmt(sat, "day"), "day", TIME_PRECISION["week"], None, text, ())
    m = _VAGUE_SPAN.match(text)
    if m is None:
        return None
    unit = (m.group("unit") or m.group("dur") or "").lower()
    if m.group("dur"):
        day = reference - dt.timedelta(days=7 if unit == "week" else 30)
    elif unit == "week":
        day = reference - dt.timedelta(days=3)
    else:
        day = reference
    return DateValue(_fmt(day, "month"), "month", TIME_PRECISION["month"], None, text, ())


def _interval(text: str, reference: dt.date | None, context: str | None) -> DateValue | None:
    t = _clean(text)
    m = _RANGE_DAYS.match(t)
    if m:
        month = m["m"] or m["mb"]
        d1, d2 = m["d1"] or m["d1b"], m["d2"] or m["d2b"]
        year = (m["y"] or m["yb"] or "").strip(" ,")
        a = _single(f"{d1} {month} {year}".strip(), reference, context)
        b = _single(f"{d2} {month} {year}".strip(), reference, context)
    else:
        m = _INTERVAL.match(t)
        if not m:
            return None
        a_text, b_text = m["a"], m["b"]
        # "from 12 until 14 October": the month (and year) are written once, after the second day.
        if re.fullmatch(r"\d{1,2}(?:st|nd|rd|th)?", a_text.strip()):
            tail = re.sub(r"^\d{1,2}(?:st|nd|rd|th)?", "", b_text.strip())
            a_text = a_text + tail
        b = _single(b_text, reference, context)
        a = _single(a_text, reference, context)
        if (
            a is not None
            and b is not None
            and not _YEAR_RE.search(a_text)
            and _YEAR_RE.search(b_text)
        ):
            try:
                a2 = a.first_day.replace(year=b.first_day.year)
                if a2 > b.first_day:
                    a2 = a2.replace(year=a2.year - 1)
                a = replace(a, value=_fmt(a2, a.precision))
            except ValueError:
                pass
    if a is None or b is None:
        return None
    notes = list(a.warnings) + list(b.warnings)
    if b.first_day < a.first_day:
        notes.append(f"interval {text!r} ends before it starts")
    precision = a.precision
    return DateValue(a.value, precision, a.time_precision, b.value, text, tuple(notes))


def resolve_date(
    text: str, *, reference: dt.date | None, context: str | None = None
) -> DateValue | None:
    """
    Resolve one date expression against a reference date.

    Parameters
    ----------
    text
        The expression: "October 12", "12/10/2025" (day-first), "last month",
        "on Thursday", "two days ago", "earlier this year", "2022",
        "from 12 October until 2 November", "October 12-14".
    reference
        The article's publication date.  None: only expressions holding a
        year can be placed.
    context
        The sentence around the expression; future-tense words in it ("will",
        "would", "next", "scheduled") turn weekdays and year-less dates
        towards the future.

    Returns
    -------
    DateValue or None
        None when the expression cannot be placed (e.g. "recent years", "the
        first day", a relative date without a reference).  A value later than
        ``reference`` carries a warning.

    Notes
    -----
    Rules (year rule, same-weekday rule, day-first) are described in the
    module docstring.
    """
    if not text or not text.strip():
        return None
    if any(not _YEARS[0] <= int(y) <= _YEARS[1] for y in _FOUR_DIGITS.findall(text)):
        return None  # "number 9893", "12 May 1850": no year of this border's news
    value = _interval(text, reference, context)
    if value is None and not _INTERVAL.match(_clean(text)):
        value = _single(text, reference, context)
    if value is None:
        return None
    value = replace(value, text=text.strip())
    years = [value.first_day.year] + ([_first_day(value.end).year] if value.end else [])
    if any(not _YEARS[0] <= y <= _YEARS[1] for y in years):
        return None
    if reference is not None and value.first_day > reference:
        value = replace(
            value,
            warnings=value.warnings + (f"{value.value} {AFTER_REFERENCE} {reference.isoformat()}",),
        )
    return value


# --------------------------------------------------------------------------- find_dates

_REL_BEFORE = {
    "since": "since",
    "from": "since",
    "until": "until",
    "till": "until",
    "after": "after",
    "before": "before",
    "by": "before",
}
_NUM_IN_TEXT = re.compile(
    r"\b\d{1,2}[/.]\d{1,2}[/.](?:19|20)?\d\d\b|\b(?:19|20)\d\d-\d\d-\d\d\b", re.IGNORECASE
)


_PART_OF_DAY = r"(?:day|date|evening|morning|night|afternoon)"
#: Expressions that name no day of their own and take the day of the date
#: written just before them: "the same day", "later that evening", "late in
#: the evening", "that night".
_SAME_DAY = re.compile(
    rf"\b(?:(?:the\s+)?same\s+{_PART_OF_DAY}"
    rf"|later\s+(?:that|the\s+same)\s+{_PART_OF_DAY}"
    rf"|(?:late|early)\s+(?:in\s+|on\s+)?(?:that|the)\s+{_PART_OF_DAY}"
    rf"|that\s+(?:evening|morning|night|afternoon))\b",
    re.IGNORECASE,
)
#: Beyond this many sentences back, the day a "same day" expression takes is flagged.
_SAME_DAY_SENTENCES = 3
_COUNT_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
#: A gap from the day narrated just before: "two days later", "a week earlier",
#: "the next day", "the following morning".
_NARRATED_GAP = re.compile(
    r"(?:(?P<n>a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+"
    r"(?P<unit>days?|weeks?)\s+(?P<dir>later|earlier)"
    r"|(?:the\s+)?(?:next|following)\s+(?P<next>day|morning|afternoon|evening|night))",
    re.IGNORECASE,
)


def _after_narrated(core: str, last: DateValue) -> DateValue:
    """
    Place a gap expression (:data:`_NARRATED_GAP`) from the day narrated before it.

    "Two days later" after "on 3 November" is 5 November (day precision); a
    count of weeks is a round figure (week precision, as for "two weeks after
    it was shut" in :mod:`geomap.events`); "the next day" is one day later.
    """
    m = _NARRATED_GAP.fullmatch(core)
    assert m is not None
    if m.group("next"):
        days, precision = 1, "day"
    else:
        n_txt = m.group("n").lower()
        n = int(n_txt) if n_txt.isdigit() else _COUNT_WORDS[n_txt]
        week = m.group("unit").lower().startswith("week")
        days, precision = n * (7 if week else 1), "week" if week else "day"
        if m.group("dir").lower() == "earlier":
            days = -days
    day = last.first_day + dt.timedelta(days=days)
    return DateValue(
        value=day.isoformat(),
        precision=precision,
        time_precision=TIME_PRECISION[precision],
        text=core,
        warnings=(f"{core!r} read from {last.text!r} ({last.value})",),
    )


_BARE_WEEKDAY = re.compile(
    rf"(?:{_WEEKDAY_RE})(?:\s+(?:morning|afternoon|evening|night))?", re.IGNORECASE
)
#: Cues that the dated event of a sentence came *before* the event narrated
#: just before it: "The decision followed talks on Saturday", "had met on
#: Saturday" (past perfect), "in the wake of".  Not "followed by" (the dated
#: event is then the later one).
_ANTERIOR = re.compile(
    r"\b(?:follow(?:ed|s|ing)\b(?!\s+by)|came\s+(?:\w+\s+){0,2}?after|preceded|prior\s+to"
    r"|in\s+the\s+wake\s+of|had\s+(?:not\s+|already\s+|been\s+)?\w+(?:ed|en|et|ut|eld|ade|ought))\b",
    re.IGNORECASE,
)


def _before_anchor(
    value: DateValue, core: str, anchor: DateValue | None, reference: dt.date | None, sentence: str
) -> DateValue:
    """
    Apply the ordering rule for bare weekdays (module docstring).

    A weekday in a sentence that puts its event before the day narrated just
    before it (``anchor``, itself before the reference date) is the latest
    such weekday on or before ``anchor``.
    """
    if (
        reference is None
        or anchor is None
        or value.precision != "day"
        or not _BARE_WEEKDAY.fullmatch(_clean(core))
        or not _ANTERIOR.search(sentence)
    ):
        return value
    day, limit = value.first_day, anchor.first_day
    if limit >= reference or day <= limit:
        return value
    back = (limit.weekday() - day.weekday()) % 7
    new = limit - dt.timedelta(days=back)
    note = (
        f"{core!r} read as {new.isoformat()}: the sentence places it before "
        f"{anchor.text!r} ({anchor.value})"
    )
    warnings = tuple(w for w in value.warnings if "after the reference date" not in w)
    return replace(value, value=new.isoformat(), warnings=warnings + (note,))


_SUBCLAUSES = frozenset({"advcl", "conj", "ccomp", "relcl", "parataxis", "acl", "xcomp"})


#: Text between two date mentions of one list ("last week, on Wednesday and Thursday").
_LIST_GLUE = re.compile(r"(?:\s|,|;|:|—|–|-|\bon\b|\band\b|\bor\b)*", re.IGNORECASE)
#: Text between two dates that puts the second after the first ("before reopening on").
_THEN = re.compile(r"\b(?:before|then|until|till|only\s+to|later|after\s+which)\b", re.IGNORECASE)


def _in_week(value: DateValue, core: str, monday: dt.date) -> DateValue:
    """A bare weekday listed after "last week": that day of the week starting ``monday``."""
    if value.precision != "day" or not _BARE_WEEKDAY.fullmatch(_clean(core)):
        return value
    day = monday + dt.timedelta(days=value.first_day.weekday())
    if day == value.first_day:
        return value
    note = f"{core!r} read as {day.isoformat()}: listed after 'last week'"
    warnings = tuple(w for w in value.warnings if "after the reference date" not in w)
    return replace(value, value=day.isoformat(), warnings=warnings + (note,))


def _next_after(
    value: DateValue, core: str, anchor: DateValue, reference: dt.date | None
) -> DateValue:
    """
    A bare weekday the sentence puts after the day written before it.

    "shut on Wednesday and Thursday, before reopening on Friday": the first
    such weekday after ``anchor`` when that day is not after ``reference``
    (else the weekday is left as resolved).
    """
    if (
        reference is None
        or value.precision != "day"
        or anchor.precision != "day"
        or not _BARE_WEEKDAY.fullmatch(_clean(core))
    ):
        return value
    limit = _first_day(anchor.end) if anchor.end else anchor.first_day
    ahead = (value.first_day.weekday() - limit.weekday()) % 7 or 7
    day = limit + dt.timedelta(days=ahead)
    if day == value.first_day or day > reference:
        return value
    note = f"{core!r} read as {day.isoformat()}: the sentence places it after {anchor.text!r}"
    return replace(value, value=day.isoformat(), warnings=value.warnings + (note,))


def _own_clause(doc: Any, start: int, end: int, *, governors: bool = False) -> str:
    """
    Text of the clause a date expression is written in (its verb's subtree minus other clauses).

    "traders had been rerouting goods through Torkham, which reopened on Monday":
    the clause of "on Monday" is the relative clause, so the past perfect of the
    main clause does not put that reopening before the day narrated earlier;
    "Talks ended on Thursday, and a further round is planned next month": the
    future of the second clause does not move the first one's Thursday.  With
    ``governors`` the verbs a complement or conjunct depends on are added with
    their auxiliaries ("expected to reopen on Monday", "will close on Monday
    and reopen on Friday"): they set its tense.  Falls back to the whole
    sentence when the date has no verb above it.
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return _sentence_of(doc, start).text
    # a participle modifier carries no tense of its own ("reopen ... starting in March")
    verb = next(
        (
            a
            for a in span.root.ancestors
            if a.pos_ in ("VERB", "AUX")
            and not (a.tag_ == "VBG" and a.dep_ in ("acl", "prep", "advcl", "pcomp"))
        ),
        None,
    )
    if verb is None:
        return span.sent.text
    inside = {t.i for t in span}
    skip = {
        t.i
        for c in verb.children
        if c.dep_ in _SUBCLAUSES and not inside & {t.i for t in c.subtree}
        for t in c.subtree
    }
    toks = [t for t in verb.subtree if t.i not in skip]
    cur = verb
    while governors and cur.dep_ in ("xcomp", "conj") and cur.head.i != cur.i:
        cur = cur.head
        toks += [a for a in cur.children if a.dep_ in ("aux", "auxpass")] + [cur]
    # in text order: "plan" + "to meet ... on Thursday" reads "plan to meet"
    return " ".join(t.text for t in sorted(toks, key=lambda t: t.i))


def _sentence_of(doc: Any, char: int) -> Any:
    for sent in doc.sents:
        if sent.start_char <= char < sent.end_char:
            return sent
    return doc[:]


#: A bare measure of time ("a day", "two weeks", "nearly three months").
_MEASURE_ONLY = re.compile(
    r"(?:(?:some|about|nearly|almost|around|just|only)\s+)?(?:a|an|one|two|three|four|five|six|"
    r"seven|eight|nine|ten|a few|several|\d+)\s+(?:days?|weeks?|months?|years?)",
    re.IGNORECASE,
)


#: A news dateline at the start of a line: place in capitals, optional
#: "(Agency)", a comma, the date, optional "(Agency)", then a dash.
_DATELINE = re.compile(
    r"^[ \t]*[A-Z][A-Z.'’ -]{1,40}(?:,[ \t]*[A-Z][A-Za-z.’' -]{1,30})?(?:[ \t]*\([^)\n]{1,30}\))?,[ \t]*"
    r"(?P<date>[^\n—–-]{3,40}?)[ \t]*(?:\([^)\n]{1,30}\)[ \t]*)?[—–-]",
    re.MULTILINE,
)


def _heading_date_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of dates that date the report itself, not an event.

    Two general newsroom conventions: a dateline at the start of a line
    ("KABUL, 12 Oct (AP) —"), and a heading line (no sentence-final punctuation,
    followed by a line break) whose last element is a date ("Humanitarian
    update: Khost and Paktika, 15 January 2026").
    """
    spans = [(m.start("date"), m.end("date")) for m in _DATELINE.finditer(text)]
    pos = 0
    for line in text.split("\n"):
        stripped = line.rstrip()
        if (
            stripped
            and not stripped.endswith((".", "!", "?", ":", '"', "”"))
            and pos + len(line) < len(text)
        ):
            tail = re.search(r",\s*([^,]{3,40})$", stripped)
            if tail and re.search(r"\b(19|20)\d\d\b", tail.group(1)):
                spans.append((pos + tail.start(1), pos + len(stripped)))
        pos += len(line) + 1
    return spans


def _weekday_before_explicit(ents: list[Any]) -> tuple[list[Any], dict[int, str]]:
    """
    Drop a bare weekday entity written just before an explicit date ("Sunday, 11 January").

    Returns the remaining entities and, for each explicit date that followed a
    dropped weekday, its start character -> the weekday name (to check that
    they agree).
    """
    out: list[Any] = []
    named: dict[int, str] = {}
    for n, e in enumerate(ents):
        nxt = ents[n + 1] if n + 1 < len(ents) else None
        if (
            nxt is not None
            and re.fullmatch(_WEEKDAY_RE, e.text.strip(), re.IGNORECASE)
            # "after Sunday, 11 January" keeps its weekday: the relation is written there
            and not (e.start > 0 and e.doc[e.start - 1].lower_ in _REL_BEFORE)
            and all(t.text in (",", "the") for t in e.doc[e.end : nxt.start])
            and _is_explicit(nxt.text)
            and re.search(r"\d", nxt.text)
        ):
            named[nxt.start_char] = e.text.strip()
            continue
        out.append(e)
    return out, named


class _Covered:
    """Character spans, asked whether a position falls in one (log time per question)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self._starts = [a for a, _ in spans]
        self._reach: list[int] = []  # furthest end among the spans starting at or before each
        far = -1
        for _, b in spans:
            far = max(far, b)
            self._reach.append(far)

    def contains(self, pos: int) -> bool:
        """Tell whether ``start <= pos < end`` for some span."""
        i = bisect.bisect_right(self._starts, pos) - 1
        return i >= 0 and pos < self._reach[i]


def find_dates(doc: Any, *, reference: dt.date | None, offset: int = 0) -> list[DateMention]:
    """
    Find and resolve the date expressions in a parsed document.

    Parameters
    ----------
    doc
        A spaCy ``Doc`` with sentence boundaries and entities (``DATE``).
    reference
        The article's publication date (for relative dates and years).
    offset
        Added to every character offset (when ``doc`` is a chunk of the article).

    Returns
    -------
    list of DateMention
        In text order.  ``DATE`` entities, each widened to a preceding
        "since"/"from"/"until"/"after"/"before" (``relation``) and, for "from
        X until Y" / "between X and Y", to the second date (one ``interval``
        mention); numeric dates missed by the model are added.  A bare measure
        followed by "after"/"before"/"later"/"earlier" ("a day after talks
        ended") is a gap between events, not a date, and is skipped ("on
        Saturday, two weeks after ..." keeps "Saturday").  The weekday-ordering
        rule never takes its anchor from the same sentence ("on Thursday and
        Friday" is a list).  Bare weekdays listed after "last week" ("last
        week, on Wednesday and Thursday") are days of that week; a bare weekday
        after "before"/"then"/"until" ("..., before reopening on Friday") is the
        first such day after the day written before it in the sentence, when
        that day is not after ``reference`` (a warning says so).  A
        mention that cannot be placed has ``value`` None and a warning.
    """
    # TIME entities that name a day ("Monday night", "Tuesday morning") carry a date too.
    ents = [
        e
        for e in doc.ents
        if e.label_ == "DATE"
        or (
            e.label_ == "TIME"
            and re.search(
                rf"\b({_WEEKDAY_RE}|yesterday|today|tonight|this|last)\b", e.text, re.IGNORECASE
            )
        )
    ]
    # "a day after talks ended", "two weeks before the closure": a measure of the
    # gap between two events, not a date (geomap.events dates such events from
    # their anchor); read as a date it would give "a day ago"
    kept = []
    for e in ents:
        if e.end < len(doc) and doc[e.end].lower_ in ("after", "before", "later", "earlier"):
            if _MEASURE_ONLY.fullmatch(e.text) and doc[e.end].lower_ in ("later", "earlier"):
                # "A week later, ...": a gap from the day narrated before (placed below)
                kept.append(doc[e.start : e.end + 1])
                continue
            if _MEASURE_ONLY.fullmatch(e.text):
                continue
            # "on Saturday, two weeks after a bomb attack": keep the day, drop the gap
            commas = [t.i for t in e if t.text == ","]
            if commas and _MEASURE_ONLY.fullmatch(doc[commas[-1] + 1 : e.end].text):
                e = doc[e.start : commas[-1]]
                if not len(e):
                    continue
        kept.append(e)
    # A dateline ("ISLAMABAD, Nov 20 (Reuters) -") or a heading line ending in a
    # date dates the report, not an event: such dates are never attached to events.
    # Doc.text joins every token: read it once (per date it made this quadratic)
    doc_text = doc.text
    skip = _heading_date_spans(doc_text)
    headings = _Covered(skip)
    ents = [e for e in kept if not headings.contains(e.start_char)]
    # "on Sunday, 11 January": the weekday only restates the calendar date that
    # follows it; read alone it would be placed from the reference date
    ents, named_weekday = _weekday_before_explicit(ents)
    spans: list[tuple[int, int, str]] = []  # (start_char, end_char, relation)
    i = 0
    while i < len(ents):
        ent = ents[i]
        start, end = ent.start_char, ent.end_char
        relation = "at"
        prev = doc[ent.start - 1] if ent.start > 0 else None
        if prev is not None and prev.lower_ in _REL_BEFORE:
            relation = _REL_BEFORE[prev.lower_]
            start = prev.idx
        elif ent[0].lower_ in _REL_BEFORE and len(ent) > 1:
            relation = _REL_BEFORE[ent[0].lower_]
        # interval: DATE (from|between) ... (until|to|and) DATE
        if i + 1 < len(ents) and relation in ("since", "at"):
            nxt = ents[i + 1]
            between = doc[ent.end : nxt.start]
            if len(between) == 1 and between[0].lower_ in (
                "until",
                "till",
                "to",
                "through",
                "and",
                "-",
                "–",
            ):
                if relation == "since" or (prev is not None and prev.lower_ == "between"):
                    if prev is not None and prev.lower_ == "between":
                        start = prev.idx
                    spans.append((start, nxt.end_char, "interval"))
                    i += 2
                    continue
        if re.search(r"\b(until|till|through|and|to)\b", ent.text) and re.match(
            r"(?i)(from|between)\b", doc_text[start:end]
        ):
            relation = "interval"
        spans.append((start, end, relation))
        i += 1
    covered = _Covered([(s, e) for s, e, _ in spans])
    for m in _NUM_IN_TEXT.finditer(doc_text):
        if not covered.contains(m.start()):
            spans.append((m.start(), m.end(), "at"))
    covered = _Covered([(s, e) for s, e, _ in spans])
    # "the same day/evening", "the next day", "two days later": placed from the day
    # written just before it (the small model misses some of them)
    gaps = re.finditer(rf"\b(?:the\s+)?{_NARRATED_GAP.pattern}\b", doc_text, re.IGNORECASE)
    for m in [*_SAME_DAY.finditer(doc_text), *gaps]:
        if m.group(0).lower().startswith(("next", "following")):
            continue
        if not covered.contains(m.start()):
            spans.append((m.start(), m.end(), "at"))
    spans.sort()
    out: list[DateMention] = []
    last_day: DateValue | None = None
    last_sent = -1
    prev_was_day = False
    prev_end: int | None = None  # end of the previous placed mention
    prev_sent = -1
    last_week_list: dt.date | None = None  # Monday of "last week" a list of days continues
    sent_starts = [s.start_char for s in doc.sents]
    for start, end, relation in spans:
        text = doc_text[start:end]
        n_sent = bisect.bisect_right(sent_starts, start) - 1
        core = (
            re.sub(r"(?i)^(since|until|till|after|before|by)\s+", "", text)
            if relation != "interval"
            else text
        )
        value = None
        gap = core.strip()
        bare_next = gap.lower().startswith(("next", "following"))
        if _NARRATED_GAP.fullmatch(gap) and not (
            bare_next and not doc_text[:start].rstrip().lower().endswith("the")
        ):
            # "Two days later the fighting spread ...", "the next day": a gap from the
            # day narrated just before (nearby only); never from the reference date
            # (only when the date written just before it is that day: not after "next week")
            if last_day is not None and prev_was_day and n_sent - last_sent <= _SAME_DAY_SENTENCES:
                value = _after_narrated(gap, last_day)
        elif _SAME_DAY.fullmatch(core.strip()):
            far = n_sent - last_sent > _SAME_DAY_SENTENCES
            same = re.search(r"(?i)\bsame\s+(?:day|date)\b", core) is not None
            if last_day is not None and (same or not far):
                # "the same day" names a day already written, however far back (flagged
                # when distant); "later that evening" only continues nearby narration
                value = replace(
                    last_day,
                    end=None,
                    text=core,
                    warnings=(f"{core!r} read as the day of {last_day.text!r}",)
                    + (
                        (f"{last_day.text!r} is {n_sent - last_sent} sentences back",)
                        if far
                        else ()
                    ),
                )
        else:
            value = resolve_date(
                core, reference=reference, context=_own_clause(doc, start, end, governors=True)
            )
        if value is not None and relation == "at" and n_sent != last_sent:
            # (an anchor in the same sentence is a list: "on Thursday and Friday")
            value = _before_anchor(value, core, last_day, reference, _own_clause(doc, start, end))
        listed = False
        if value is not None and relation == "at" and n_sent == prev_sent and prev_end:
            between = doc_text[prev_end:start]
            listed = last_week_list is not None and bool(_LIST_GLUE.fullmatch(between))
            if listed and last_week_list is not None:
                # "last week, on Wednesday and Thursday": days of that week
                value = _in_week(value, core, last_week_list)
            elif last_day is not None and last_sent == n_sent and _THEN.search(between):
                # "... on Thursday, before reopening on Friday": the Friday after it
                value = _next_after(value, core, last_day, reference)
        if value is not None and reference and re.search(r"(?i)\blast\s+week\b", text):
            last_week_list = reference - dt.timedelta(days=reference.weekday() + 7)
        elif not listed:
            last_week_list = None
        prev_end, prev_sent = (end if value is not None else None), n_sent
        if value is not None and value.precision == "day":
            last_day, last_sent = value, n_sent
        prev_was_day = value is not None and value.precision == "day"
        if value is not None and relation != "interval" and value.end is not None:
            relation = "interval"
        said = named_weekday.get(start) if relation == "at" else None
        if value is not None and said and value.precision == "day":
            if value.first_day.weekday() != _WEEKDAYS[said.lower()]:
                value = replace(
                    value,
                    warnings=value.warnings
                    + (f"{text!r} is not a {said.capitalize()}; the calendar date is kept",),
                )
        warns: tuple[str, ...]
        if value is None:
            why = "no reference date" if reference is None else "too vague to place"
            warns = (f"date {text!r} cannot be placed ({why}); left empty",)
        else:
            warns = value.warnings
        out.append(DateMention(text, start + offset, end + offset, relation, value, warns))
    log.debug(
        "found %d date expressions, %d placed", len(out), sum(m.value is not None for m in out)
    )
    return out
