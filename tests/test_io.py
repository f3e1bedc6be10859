from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from geomap._io import atomic_open, atomic_write_text


def test_failure_midway_leaves_previous_file_and_no_temp_file(tmp_path):
    target = tmp_path / "map.html"
    target.write_text("<html>previous</html>", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_open(target) as fh:
        fh.write("<html>half")
        raise RuntimeError("crash while writing")
    assert target.read_text(encoding="utf-8") == "<html>previous</html>"
    assert os.listdir(tmp_path) == ["map.html"]


def test_sigkill_while_writing_leaves_previous_file(tmp_path):
    # Deterministic: the child writes half the file, says so, and waits to be killed.
    target = tmp_path / "map.html"
    target.write_text("<html>previous</html>", encoding="utf-8")
    child = textwrap.dedent(
        f"""
        import sys, time
        from geomap._io import atomic_open
        with atomic_open({str(target)!r}) as fh:
            fh.write("<html>half"); fh.flush()
            print("writing", flush=True)
            time.sleep(60)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", child], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "writing"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert target.read_text(encoding="utf-8") == "<html>previous</html>"
    leftovers = [n for n in os.listdir(tmp_path) if n != "map.html"]
    assert all(n.startswith(".map.html.") and n.endswith(".tmp") for n in leftovers)


def test_atomic_write_keeps_the_usual_file_mode(tmp_path):
    path = atomic_write_text(tmp_path / "x.geojson", "{}")
    assert (path.stat().st_mode & 0o777) == (0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait(timeout=30)
    return proc.pid  # reaped: no process has this PID until it is reused


def test_next_write_removes_the_temp_file_of_a_killed_writer(tmp_path):
    import time

    from geomap._io import STALE_AFTER_S

    target = tmp_path / "map.html"
    target.write_text("old", encoding="utf-8")
    old = time.time() - STALE_AFTER_S - 5
    dead = tmp_path / f".map.html.{_dead_pid()}.abc123de.tmp"
    young = tmp_path / f".map.html.{_dead_pid()}.def456gh.tmp"  # dead writer, but too recent to judge
    alive = tmp_path / f".map.html.{os.getppid()}.ghi789jk.tmp"  # a live process's write in progress
    other = tmp_path / f".other.html.{_dead_pid()}.jkl012mn.tmp"  # another file's temp: not ours
    user = tmp_path / f".map.html.{_dead_pid()}.my-notes.tmp"  # not a name mkstemp makes: a user's file
    huge = tmp_path / ".map.html.99999999999999999999.abcdefgh.tmp"  # not a PID: never judged, no crash
    link = tmp_path / f".map.html.{_dead_pid()}.zzzzzzzz.tmp"
    for p in (dead, young, alive, other, user, huge):
        p.write_text("half", encoding="utf-8")
    link.symlink_to(other)
    for p in (dead, alive, other, user, huge):
        os.utime(p, (old, old))
    atomic_write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert not dead.exists()
    assert all(p.exists() for p in (young, alive, other, user, huge)) and link.is_symlink()


def test_map_and_gdal_writes_use_the_same_cleanup(tmp_path):
    import time

    from geomap._io import STALE_AFTER_S, temp_path_beside

    target = tmp_path / "store.gpkg"
    stale = tmp_path / f".store.gpkg.{_dead_pid()}.abcdefgh.gpkg"
    stale.write_text("half", encoding="utf-8")
    old = time.time() - STALE_AFTER_S - 5
    os.utime(stale, (old, old))
    with temp_path_beside(target, ".gpkg") as tmp:
        assert tmp.name.startswith(f".store.gpkg.{os.getpid()}.") and not tmp.exists()
        tmp.write_text("complete", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "complete" and not stale.exists()
    with pytest.raises(RuntimeError), temp_path_beside(target, ".gpkg") as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("writer failed")
    assert target.read_text(encoding="utf-8") == "complete"
    assert sorted(os.listdir(tmp_path)) == ["store.gpkg"]
