from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import pytest

from geomap.articles import article_from_text
from geomap.errors import StoreError
from geomap.pipeline import ArticleResult
from geomap.schema import ACLED_TYPES, CrossingStatement, Event, Place
from geomap.store import open_store

HERE = Path(__file__).resolve().parent

# Parachinar (Kurram) and points at known great-circle distances from it:
# one degree of latitude is 111.2 km on the mean sphere, so 0.09° ≈ 10 km, 0.36° ≈ 40 km.
PARACHINAR = (33.8992, 70.1008)


def make_result(
    text: str,
    published: str,
    events: list[dict] = (),
    statements: list[dict] = (),
    places: list[dict] = (),
) -> ArticleResult:
    """A hand-built ArticleResult: each event dict gives type, date, lat, lon (+ any Event field)."""
    art = article_from_text(
        text,
        published=dt.date.fromisoformat(published),
        path=f"{published}.txt",
        url=f"https://www.example{len(text)}.com/a",
    )
    evs = []
    for i, e in enumerate(events, start=1):
        e = dict(e)
        et, sub = ACLED_TYPES[e["type"]]
        e.setdefault("date_precision", "day" if e.get("date") and len(e["date"]) == 10 else None)
        e.setdefault("time_precision", 1 if e.get("date_precision") == "day" else 3)
        e.setdefault("geo_precision", 1 if e.get("lat") is not None else None)
        evs.append(
            Event(
                id=f"{art.id}-e{i}",
                event_type=et,
                sub_event_type=sub,
                sentence=text,
                start=0,
                end=len(text),
                **e,
            )
        )
    sts = [
        CrossingStatement(sentence=text, start=0, end=len(text), article_id=art.id, **s)
        for s in statements
    ]
    pls = [
        Place(
            mention=p["name"],
            start=0,
            end=len(p["name"]),
            sentence_start=0,
            sentence_end=len(text),
            label="GPE",
            source="gazetteer",
            **p,
        )
        for p in places
    ]
    return ArticleResult(article=art, places=tuple(pls), events=tuple(evs), statements=tuple(sts))


def clash(date: str, dlat: float = 0.0, **kw) -> dict:
    return {
        "type": "clash",
        "date": date,
        "lat": PARACHINAR[0] + dlat,
        "lon": PARACHINAR[1],
        "location": "Parachinar",
        "country": "PK",
        "admin1": "Khyber Pakhtunkhwa",
        **kw,
    }


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "s.gpkg") as s:
        yield s


def test_ingest_stores_articles_places_and_incidents_in_epsg4326(store):
    r = make_result(
        "Clash in Parachinar.",
        "2025-10-02",
        [clash("2025-10-01", fatalities=3)],
        places=[
            {"name": "Parachinar", "lat": PARACHINAR[0], "lon": PARACHINAR[1], "country": "PK"},
            {"name": "Nowhere"},
        ],
    )
    rep = store.ingest([r])
    assert (rep.read, rep.added, rep.duplicates, rep.incidents_new) == (1, 1, 0, 1)
    arts = store.articles()
    assert list(arts.columns) == [
        "id",
        "published",
        "published_source",
        "title",
        "url",
        "path",
        "ingested_at",
        "n_places",
        "n_events",
    ]
    assert arts.loc[0, "id"] == r.article.id and arts.loc[0, "published"] == "2025-10-02"
    places = store.places()
    assert places.crs.equals("EPSG:4326") and len(places) == 2
    assert places["resolved"].tolist() == [True, False]
    assert places.loc[0, "sentence"] == "Clash in Parachinar."
    assert places.geometry.iloc[0].y == pytest.approx(PARACHINAR[0])
    inc = store.incidents()
    assert inc.crs.equals("EPSG:4326") and len(inc) == 1
    assert inc.loc[0, "n_sources"] == 1 and inc.loc[0, "fatalities"] == 3
    assert inc.loc[0, "sources"][0]["article_id"] == r.article.id
    assert inc.loc[0, "crossings"] == []


def test_same_article_twice_changes_nothing(store, tmp_path):
    r = make_result("Clash in Parachinar.", "2025-10-02", [clash("2025-10-01")])
    store.ingest([r])
    dump1 = "\n".join(store.conn.iterdump())
    rep = store.ingest([r, r])
    assert (rep.added, rep.duplicates) == (0, 2)
    assert "\n".join(store.conn.iterdump()) == dump1


def test_reports_within_25_km_and_2_days_merge_into_one_incident(store):
    a = make_result("Outlet A on the clash.", "2025-10-02", [clash("2025-10-01", fatalities=7)])
    b = make_result(
        "Outlet B on the clash.", "2025-10-03", [clash("2025-10-02", dlat=0.09, fatalities=5)]
    )
    store.ingest([a])
    rep = store.ingest([b])
    assert rep.incidents_merged == 1 and rep.incidents_new == 0
    inc = store.incidents()
    assert len(inc) == 1
    assert inc.loc[0, "n_sources"] == 2
    assert {s["article_id"] for s in inc.loc[0, "sources"]} == {a.article.id, b.article.id}
    assert inc.loc[0, "fatalities"] == 5  # the most conservative figure (ACLED)


@pytest.mark.parametrize(
    "other",
    [
        clash("2025-10-02", dlat=0.36),  # ~40 km away
        clash("2025-10-05"),  # 4 days later
        {**clash("2025-10-01"), "type": "airstrike"},  # another type
        {**clash("2025-10-01"), "certainty": "threatened"},  # not a fact
        {**clash(None), "date_precision": None},  # undated
    ],
    ids=["40km", "4days", "type", "certainty", "undated"],
)
def test_reports_outside_the_thresholds_stay_separate(store, other):
    store.ingest(
        [
            make_result("A.", "2025-10-02", [clash("2025-10-01")]),
            make_result("B.", "2025-10-06", [other]),
        ]
    )
    assert len(store.incidents()) == 2


def test_crossing_events_merge_by_crossing_name_whatever_the_coordinates(store):
    ev = {"type": "closure", "date": "2025-10-12", "scope": "crossing", "crossings": ("Torkham",)}
    a = make_result("Torkham closed.", "2025-10-12", [{**ev, "lat": 34.11, "lon": 71.08}])
    b = make_result(
        "Torkham shut.", "2025-10-13", [{**ev, "date": "2025-10-13", "crossings": ("torkham",)}]
    )
    store.ingest([a, b])
    assert store.incidents()["n_sources"].tolist() == [2]


def test_daily_clashes_do_not_chain_into_one_incident(store):
    days = [f"2025-10-0{d}" for d in range(1, 8)]
    store.ingest([make_result(f"Clash {d}.", d, [clash(d)]) for d in days])
    inc = store.incidents()
    assert len(inc) >= 3
    for srcs in inc["sources"]:
        dates = sorted(s["published"] for s in srcs)
        assert (dt.date.fromisoformat(dates[-1]) - dt.date.fromisoformat(dates[0])).days <= 2


def test_incidents_do_not_depend_on_ingest_order(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1760000000")
    rs = [
        make_result("A.", "2025-10-02", [clash("2025-10-01", fatalities=2)]),
        make_result("B.", "2025-10-03", [clash("2025-10-02", dlat=0.1)]),
        make_result(
            "C.",
            "2025-10-04",
            [clash("2025-10-03", dlat=0.05), {**clash("2025-10-03"), "type": "protest"}],
        ),
    ]
    dumps = []
    for name, order in (("a", rs), ("b", rs[::-1])):
        with open_store(tmp_path / f"{name}.gpkg") as s:
            for r in order:
                s.ingest([r])
            dumps.append((s.incidents().to_json(), s.articles().to_json(), s.places().to_json()))
    assert dumps[0] == dumps[1]


def test_incident_filters(store):
    store.ingest(
        [
            make_result("A.", "2025-10-02", [clash("2025-10-01")]),
            make_result(
                "B.",
                "2025-11-02",
                [
                    {
                        **clash("2025-11-01"),
                        "type": "airstrike",
                        "admin1": "Khost",
                        "lat": 33.3,
                        "lon": 69.9,
                    }
                ],
            ),
            make_result("C.", "2025-12-20", [{**clash("2025-12"), "date_precision": "month"}]),
        ]
    )
    assert len(store.incidents()) == 3
    assert store.incidents(since=dt.date(2025, 10, 15))["date"].tolist() == [
        "2025-11-01",
        "2025-12",
    ]
    assert store.incidents(until="2025-10-31")["date"].tolist() == ["2025-10-01"]
    assert store.incidents(since="2025-12-10", until="2025-12-11")["date"].tolist() == ["2025-12"]
    assert store.incidents(types=["airstrike"])["type"].tolist() == ["airstrike"]
    assert store.incidents(types="Battles")["type"].tolist() == ["clash", "clash"]
    assert store.incidents(province="khost")["admin1"].tolist() == ["Khost"]


def test_later_correction_updates_the_crossing_timeline(store):
    a = make_result(
        "Torkham closed.",
        "2025-10-12",
        statements=[
            {
                "scope": "named",
                "status": "closed",
                "crossing_id": "torkham",
                "name": "Torkham",
                "since": "2025-10-12",
            }
        ],
    )
    b = make_result(
        "Torkham reopened.",
        "2025-10-21",
        statements=[
            {
                "scope": "named",
                "status": "open",
                "crossing_id": "torkham",
                "name": "Torkham",
                "since": "2025-10-20",
            }
        ],
    )
    store.ingest([a])
    rep = store.ingest([b])
    assert rep.crossings_changed == 1
    assert len(store.statements()) == 2
    cr = store.crossings(as_of=dt.date(2025, 10, 15)).set_index("id")
    assert cr.loc["torkham", "status"] == "closed"
    cr = store.crossings(as_of=dt.date(2025, 10, 25)).set_index("id")
    assert cr.loc["torkham", "status"] == "open"
    assert cr.crs.equals("EPSG:4326")


def test_store_is_a_geopackage_gis_tools_can_read(store):
    store.ingest([make_result("A.", "2025-10-02", [clash("2025-10-01")])])
    layer = gpd.read_file(store.path, layer="incidents")
    assert len(layer) == 1 and layer.crs.equals("EPSG:4326")
    assert layer.geometry.iloc[0].x == pytest.approx(PARACHINAR[1])


def test_corrupt_store_raises_and_is_not_overwritten(tmp_path):
    bad = tmp_path / "bad.gpkg"
    bad.write_bytes(b"this is not a database" * 100)
    before = bad.read_bytes()
    with pytest.raises(StoreError, match="not a geomap store"):
        open_store(bad)
    assert bad.read_bytes() == before


def test_damaged_sqlite_pages_raise_store_error(tmp_path):
    p = tmp_path / "s.gpkg"
    with open_store(p) as s:
        s.ingest(
            [
                make_result(f"Clash number {i}.", "2025-10-02", [clash("2025-10-01")])
                for i in range(30)
            ]
        )
    data = bytearray(p.read_bytes())
    data[4096 * 3 : 4096 * 3 + 2000] = b"\xff" * 2000  # garble a b-tree page
    p.write_bytes(bytes(data))
    with pytest.raises(StoreError):
        with open_store(p) as s:
            s.incidents()
    assert p.read_bytes() == bytes(data)


def test_other_schema_version_and_foreign_sqlite_are_refused(tmp_path):
    p = tmp_path / "s.gpkg"
    open_store(p).close()
    with sqlite3.connect(p) as c:
        c.execute("UPDATE geomap_meta SET value='999' WHERE key='schema_version'")
    with pytest.raises(StoreError, match="version"):
        open_store(p)
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as c:
        c.execute("CREATE TABLE t (x)")
    with pytest.raises(StoreError, match="not a geomap store"):
        open_store(other)
    with pytest.raises(StoreError, match="no such store"):
        open_store(tmp_path / "missing.gpkg", create=False)


_KILL_SCRIPT = """
import sys, time, pathlib
sys.path.insert(0, {tests!r})
from test_store import make_result, clash
from geomap import store as store_mod
s = store_mod.open_store({path!r})
s.ingest([make_result("First article.", "2025-10-02", [clash("2025-10-01")])])
orig = store_mod.Store._recluster
def slow(self, *a, **k):
    orig(self, *a, **k)
    pathlib.Path({marker!r}).write_text("in transaction")
    time.sleep(120)
store_mod.Store._recluster = slow
s.ingest([make_result(f"Later article {{i}}.", "2025-10-03", [clash("2025-10-02")]) for i in range(5)])
"""


def test_sigkill_mid_ingest_leaves_exactly_the_committed_articles(tmp_path):
    path, marker = tmp_path / "s.gpkg", tmp_path / "marker"
    code = _KILL_SCRIPT.format(tests=str(HERE), path=str(path), marker=str(marker))
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=HERE.parent)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, "the ingest process ended early"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert Path(str(path) + "-journal").exists()  # a hot journal: the write was in flight
    with open_store(path) as s:
        arts = s.articles()
        assert arts["id"].tolist() == [make_result("First article.", "2025-10-02").article.id]
        assert len(s.incidents()) == 1 and len(s.events()) == 1
        assert s.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_one_sentence_read_twice_is_one_report(store):
    dated = clash("2025-10-01")
    undated = {"type": "clash", "date": None, "date_precision": None}
    store.ingest(
        [make_result("A clash near Parachinar on Wednesday.", "2025-10-02", [dated, undated])]
    )
    inc = store.incidents()
    assert len(inc) == 1
    assert inc.loc[0, "date"] == "2025-10-01" and inc.loc[0, "n_sources"] == 1
    assert len(inc.loc[0, "sources"]) == 2


def test_integers_sqlite_cannot_hold_are_stored_as_null():
    from geomap.store import _dump

    assert _dump(10**32) is None and _dump(-(10**32)) is None
    assert _dump(2**63 - 1) == 2**63 - 1 and _dump(True) is True and _dump(float("nan")) is None
