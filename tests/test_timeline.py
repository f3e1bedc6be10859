"""Crossing-status timeline: ordering, supersession, contested days, scope all/count."""

from __future__ import annotations

import datetime as dt

import pytest

from geomap.errors import InputError
from geomap.schema import CrossingStatement
from geomap.timeline import build_timeline, crossing_id_for, status_as_of


def _st(
    status,
    since,
    *,
    cid="torkham",
    scope="named",
    art="a1",
    count=None,
    qualifier=None,
    sentence="s",
):
    return CrossingStatement(
        scope=scope,
        status=status,
        sentence=sentence,
        start=0,
        end=1,
        crossing_id=cid,
        name=cid,
        count=count,
        since=since,
        qualifier=qualifier,
        article_id=art,
    )


def test_later_report_supersedes_earlier_one() -> None:
    tl = build_timeline(
        [_st("open", "2025-10-20", art="a2"), _st("closed", "2025-10-12", art="a1")]
    )
    assert list(tl["status"]) == ["closed", "open"]
    assert tl.loc[0, "end"] == dt.date(2025, 10, 20) and tl.loc[1, "end"] is None
    assert status_as_of(tl, dt.date(2025, 10, 15)).loc[0, "status"] == "closed"
    assert status_as_of(tl, dt.date(2025, 10, 25)).loc[0, "status"] == "open"
    assert status_as_of(tl, dt.date(2025, 10, 1)).empty


def test_same_day_contradiction_is_contested_with_both_sentences() -> None:
    tl = build_timeline(
        [
            _st("open", "2025-07-07", sentence="reopened"),
            _st("closed", "2025-07-07", art="a2", sentence="remained closed"),
        ]
    )
    assert len(tl) == 1
    row = tl.iloc[0]
    assert row["contested"] and row["status"] == "unknown"
    assert {e["sentence"] for e in row["evidence"]} == {"reopened", "remained closed"}


def test_all_scope_applies_to_formal_crossings_only_and_named_outranks_it() -> None:
    tl = build_timeline(
        [
            _st("closed", "2025-10-12", cid=None, scope="all"),
            _st("open", "2025-10-12", cid="torkham"),
        ]
    )
    now = status_as_of(tl, dt.date(2025, 11, 6)).set_index("crossing_id")
    assert now.loc["torkham", "status"] == "open"
    assert now.loc["chaman_spin_boldak", "status"] == "closed"
    assert "nawa_pass" not in now.index and "gursal" not in now.index  # formal_crossing = no


def test_count_scope_is_its_own_row_never_guessed() -> None:
    tl = build_timeline(
        [_st("partial", None, cid=None, scope="count", count=2, qualifier="refugees")],
        published={"a1": dt.date(2025, 11, 6)},
    )
    assert list(tl["crossing_id"]) == [None]
    assert tl.loc[0, "name"] == "2 unnamed crossings" and tl.loc[0, "qualifier"] == "refugees"
    assert tl.loc[0, "start"] is None and tl.loc[0, "known_from"] == dt.date(2025, 11, 6)


def test_undated_repeat_extends_interval_and_keeps_evidence() -> None:
    tl = build_timeline(
        [_st("closed", "2025-10-12"), _st("closed", None, art="a2")],
        published={"a1": dt.date(2025, 10, 13), "a2": dt.date(2025, 11, 6)},
    )
    assert len(tl) == 1 and len(tl.loc[0, "evidence"]) == 2
    assert tl.loc[0, "evidence"][1]["published"] == dt.date(2025, 11, 6)


def test_bad_status_and_bad_as_of_raise() -> None:
    with pytest.raises(InputError):
        build_timeline([_st("half-open", "2025-10-12")])
    with pytest.raises(InputError):
        status_as_of(build_timeline([]), "2025-10-12")


@pytest.mark.parametrize(
    ("name", "cid"),
    [
        ("Chaman", "chaman_spin_boldak"),
        ("Friendship Gate", "chaman_spin_boldak"),
        ("Angur Ada", "angoor_adda"),
        ("Kherlachi", "kharlachi"),
        ("Torkham border crossing", "torkham"),
        ("Kabul", None),
    ],
)
def test_crossing_id_for_aliases(name: str, cid: str | None) -> None:
    assert crossing_id_for(name) == cid


def test_status_command_combines_articles_in_date_order(tmp_path, capsys) -> None:
    """`geomap status --as-of`: articles given newest first still combine in date order."""
    pytest.importorskip("spacy")
    from geomap.cli import main

    files = {
        "c.txt": "Published: 2025-10-20\n\nThe Torkham crossing was reopened on Monday.\n",
        "b.txt": (
            "Published: 2025-10-14\n\nOfficials said the Chaman crossing reopened on Monday. "
            "Drivers said the Chaman crossing remained closed on Monday.\n"
        ),
        "a.txt": "Published: 2025-10-14\n\nPakistan closed the Torkham crossing on Sunday.\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    paths = [str(tmp_path / n) for n in files]  # newest first on the command line

    def status(as_of: str) -> dict[str, str]:
        assert main(["status", *paths, "--as-of", as_of]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert lines[0] == f"crossing statuses as of {as_of}:"
        return {ln.split()[0]: ln for ln in lines[1:]}

    early = status("2025-10-15")
    assert "closed" in early["Torkham"] and "since 2025-10-12" in early["Torkham"]
    # the same-day contradiction about Chaman is contested, not silently merged
    assert "CONTESTED" in early["Chaman–Spin"] and "unknown" in early["Chaman–Spin"]
    late = status("2025-10-25")
    assert "open" in late["Torkham"] and "since 2025-10-20" in late["Torkham"]
    assert "CONTESTED" not in late["Torkham"]
    # before any report: nothing is said about Torkham
    assert "Torkham" not in status("2025-10-01")


def test_precise_day_refines_a_month_start_of_the_same_status() -> None:
    tl = build_timeline(
        [
            _st("open", "2025-09-01"),
            _st("closed", "2025-10", art="a2"),
            _st("closed", "2025-10-12", art="a3"),
            _st("closed", "2025-11-02", art="a4"),
        ]
    )
    rows = tl[tl.crossing_id == "torkham"]
    assert list(rows.status) == ["open", "closed"]
    assert rows.iloc[1].start == "2025-10-12"
    assert rows.iloc[0].end == dt.date(2025, 10, 12)
    assert len(rows.iloc[1].evidence) == 3


def test_undated_report_does_not_hide_a_later_dated_start_and_disagreement_is_contested() -> None:
    # article A (Nov 15): closed on Nov 13; article B (Nov 20): "remained open"
    # (undated); article C (Nov 28): "reopened on Nov 24" -> C says open only from
    # Nov 24, so B's "open" on Nov 20 disagrees with A/C for Nov 20..24.
    tl = build_timeline(
        [
            _st("open", "2026-11-24", art="c", sentence="reopened on Tuesday"),
            _st("closed", "2026-11-13", art="a", sentence="closed on Friday"),
            _st("open", None, art="b", sentence="remained open"),
        ],
        published={
            "a": dt.date(2026, 11, 15),
            "b": dt.date(2026, 11, 20),
            "c": dt.date(2026, 11, 28),
        },
    )
    late = status_as_of(tl, dt.date(2026, 11, 28)).iloc[0]
    assert late["status"] == "open" and late["since"] == "2026-11-24" and not late["contested"]
    mid = status_as_of(tl, dt.date(2026, 11, 21)).iloc[0]
    assert mid["contested"] and mid["status"] == "unknown"
    assert {e["article_id"] for e in mid["evidence"]} == {"a", "b", "c"}
    assert {e["status"] for e in mid["evidence"]} == {"open", "closed"}
    early = status_as_of(tl, dt.date(2026, 11, 14)).iloc[0]
    assert early["status"] == "closed" and not early["contested"]


def test_undated_then_dated_same_article_is_split_but_not_contested() -> None:
    tl = build_timeline(
        [_st("open", None, art="a"), _st("open", "2026-11-24", art="a")],
        published={"a": dt.date(2026, 11, 20)},
    )
    assert not tl["contested"].any()
    assert status_as_of(tl, dt.date(2026, 11, 25)).iloc[0]["since"] == "2026-11-24"


def test_dated_then_undated_same_status_still_one_interval() -> None:
    # the undated report after the dated start agrees with it: no contest, start kept
    tl = build_timeline(
        [_st("open", "2026-11-24", art="c"), _st("open", None, art="b")],
        published={"b": dt.date(2026, 11, 27), "c": dt.date(2026, 11, 25)},
    )
    assert len(tl) == 1 and not tl.loc[0, "contested"] and tl.loc[0, "start"] == "2026-11-24"


@pytest.mark.parametrize(
    ("statements", "published"),
    [
        # an undated "remained open" contested by another article's dated reopening
        (
            [
                _st("closed", "2026-11-13", art="a"),
                _st("open", None, art="b"),
                _st("open", "2026-11-24", art="c"),
            ],
            {"a": dt.date(2026, 11, 15), "b": dt.date(2026, 11, 20), "c": dt.date(2026, 11, 28)},
        ),
        # two undated reports of one day that disagree
        (
            [_st("open", None, art="b"), _st("closed", None, art="d")],
            {"b": dt.date(2026, 11, 20), "d": dt.date(2026, 11, 20)},
        ),
    ],
)
def test_contested_span_without_a_text_date_is_shown_since_its_start(statements, published) -> None:
    tl = build_timeline(statements, published=published)
    row = status_as_of(tl, dt.date(2026, 11, 21)).iloc[0]
    assert row["contested"] and row["since"] == "2026-11-20"


def test_status_command_prints_the_start_of_a_contested_span(tmp_path, capsys) -> None:
    pytest.importorskip("spacy")
    from geomap.cli import main

    texts = {
        "a.txt": "Published: 2026-11-15\n\nPakistan closed the Torkham crossing on Friday.\n",
        "b.txt": "Published: 2026-11-20\n\nThe Torkham crossing remained open, traders said.\n",
        "c.txt": "Published: 2026-11-28\n\nThe Torkham crossing was reopened on Tuesday.\n",
    }
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert main(["status", *(str(tmp_path / n) for n in texts), "--as-of", "2026-11-21"]) == 0
    line = next(ln for ln in capsys.readouterr().out.splitlines() if "Torkham" in ln)
    assert "CONTESTED" in line and "since 2026-11-20" in line and "since ?" not in line
    assert main(["status", str(tmp_path / "b.txt")]) == 0
    line = next(ln for ln in capsys.readouterr().out.splitlines() if "Torkham" in ln)
    assert "since ? (date not stated; reported by 2026-11-20)" in line
