"""Atomic file writes: write a temporary file in the target folder, then rename.

A crash or Ctrl-C midway leaves the previous file intact (``os.replace`` is
atomic on POSIX and Windows when source and target are on one filesystem).
The temporary file is named ``.<name>.<pid>.<random>.tmp``; one left behind by a
writer that was killed (SIGKILL, power loss) is removed by the next write of the
same file (or with the same suffix, for :func:`temp_path_beside`) once its
process no longer exists and it is older than :data:`STALE_AFTER_S`.

Several files that belong together (the map and GeoJSON of one ``build``) are
written with :func:`staged_outputs`: into a hidden staging folder inside the
target folder first, then moved into place one rename each, after a manifest
says the set is complete.  What a user sees after a kill at any point:

- before the manifest is written: the earlier outputs, untouched (plus the hidden
  staging folder, removed by a later build once stale);
- between the renames (microseconds): some new files, some old, and the staging
  folder with its manifest; the next :func:`staged_outputs` of that folder (the
  next ``build``) first moves the rest into place (:func:`recover_outputs`), so
  the interrupted set is complete before anything else is written;
- after the last rename: the new set.

An exception in the rename phase (not a kill) puts the earlier files back, so
within one process the set changes all at once or not at all.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

__all__ = [
    "staged_outputs",
    "recover_outputs",
    "STAGE_PREFIX",
    "MANIFEST",
    "atomic_write_text",
    "atomic_write_bytes",
    "atomic_open",
    "temp_path_beside",
    "temp_name_prefix",
    "STALE_AFTER_S",
]

#: A temporary file of a dead writer is removed only when older than this (seconds): a
#: writer on another machine or in another PID namespace sharing the folder is not ours to
#: judge by PID, and no writer of geomap leaves its temporary file untouched this long.
STALE_AFTER_S = 600.0
#: Largest PID on Linux (``pid_max`` can be at most 2**22); a larger number is not a PID.
_PID_MAX = 4_194_304
#: The random part ``tempfile.mkstemp`` puts in a name: 8 characters of this alphabet.
_RANDOM = "[a-z0-9_]{8}"


def _pid_alive(pid: int) -> bool:
    """Whether a process with this PID exists (True when in doubt)."""
    if not 0 < pid <= _PID_MAX:
        return True  # not a PID of this machine: not ours to judge
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError, ValueError):  # e.g. EPERM: exists, owned by someone else
        return True
    return True


def _remove_stale_temps(
    target: Path, *, suffix: str = ".tmp", now: float | None = None
) -> list[Path]:
    """
    Remove temporary files of ``target`` that a killed writer left behind.

    Only names written by :func:`temp_name_prefix` + ``mkstemp`` qualify
    (``.<name>.<pid>.<8 random characters><suffix>``), regular files only (no
    symlinks), older than :data:`STALE_AFTER_S`, whose PID is not a running
    process of this machine.  Errors are ignored: cleanup never fails a write.

    Returns
    -------
    list of Path
        The files removed.
    """
    pattern = re.compile(
        rf"^\.{re.escape(target.name)}\.(\d{{1,7}})\.{_RANDOM}{re.escape(suffix)}$"
    )
    now = time.time() if now is None else now
    removed = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(target.parent):
            m = pattern.match(entry.name)
            if not m or int(m.group(1)) == os.getpid():
                continue
            with contextlib.suppress(OSError):
                if not entry.is_file(follow_symlinks=False):
                    continue
                if now - entry.stat(follow_symlinks=False).st_mtime <= STALE_AFTER_S:
                    continue
                if not _pid_alive(int(m.group(1))):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed


def temp_name_prefix(target: str | Path) -> str:
    """Return the ``tempfile.mkstemp`` prefix beside ``target``: ``.<name>.<pid>.``."""
    return f".{Path(target).name}.{os.getpid()}."


@contextlib.contextmanager
def temp_path_beside(target: str | Path, suffix: str) -> Iterator[Path]:
    """
    Yield a free temporary path beside ``target``; on success it replaces ``target``.

    No file is created at the path.

    For writers that must create the file themselves (GDAL, pyarrow).  Stale
    temporary files of killed writers with the same ``suffix`` are removed first.

    Raises
    ------
    OSError
        If the folder cannot be created or written; ``target`` is then unchanged.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temps(target, suffix=suffix)
    fd, tmp = tempfile.mkstemp(prefix=temp_name_prefix(target), suffix=suffix, dir=target.parent)
    os.close(fd)
    os.unlink(tmp)
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_open(
    path: str | Path, mode: str = "w", *, encoding: str | None = "utf-8"
) -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success it replaces ``path``.

    Raises
    ------
    OSError
        If the folder cannot be created or written; ``path`` is then unchanged.
    """
    xmode = mode.replace("w", "x")  # exclusive create: never write into a file someone else made
    with (
        temp_path_beside(path, ".tmp") as tmp,
        open(tmp, xmode, encoding=None if "b" in mode else encoding) as fh,
    ):
        # open() gives the usual mode (0666 & ~umask), unlike mkstemp's 0600
        yield fh
        fh.flush()
        os.fsync(fh.fileno())


def atomic_write_text(path: str | Path, text: str, *, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically and return the path."""
    with atomic_open(path, "w", encoding=encoding) as fh:
        fh.write(text)
    return Path(path)


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically and return the path."""
    with atomic_open(path, "wb", encoding=None) as fh:
        fh.write(data)
    return Path(path)


# --------------------------------------------------------------------------- output sets

#: Staging folders of :func:`staged_outputs` are named ``<STAGE_PREFIX><pid>.<random>``.
STAGE_PREFIX = ".geomap-build."
#: The file in a staging folder that lists its outputs once every one is written.
MANIFEST = "MANIFEST.json"
_OLD = ".old"  # the earlier files, hard-linked, to put back if a rename fails


def _fsync_dir(folder: Path) -> None:
    """Make renames in ``folder`` durable (POSIX; a no-op where folders cannot be opened)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _move_into_place(stage: Path, folder: Path, names: list[str]) -> None:
    """Rename each staged file over its target, then remove the staging folder."""
    for name in names:
        if (stage / name).exists():
            os.replace(stage / name, folder / name)
    _fsync_dir(folder)
    shutil.rmtree(stage, ignore_errors=True)


def recover_outputs(folder: str | Path, *, now: float | None = None) -> list[Path]:
    """
    Finish or drop the output sets that killed writers left in ``folder``.

    A staging folder of :func:`staged_outputs` whose process no longer runs is
    completed when its manifest is there (its writer was killed while moving
    the files into place: the rest are moved now, so the interrupted set is
    whole) and removed otherwise, once older than :data:`STALE_AFTER_S` (its
    writer died before the set was complete: the earlier outputs stand).
    Errors are ignored: recovery never fails a write.

    Returns
    -------
    list of Path
        The staging folders completed.
    """
    folder = Path(folder)
    now = time.time() if now is None else now
    pattern = re.compile(rf"^{re.escape(STAGE_PREFIX)}(\d{{1,7}})\.{_RANDOM}$")
    done = []
    with contextlib.suppress(OSError):
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            m = pattern.match(entry.name)
            if not m or int(m.group(1)) == os.getpid() or _pid_alive(int(m.group(1))):
                continue
            with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
                if not entry.is_dir(follow_symlinks=False):
                    continue
                stage = Path(entry.path)
                if (stage / MANIFEST).is_file():
                    names = json.loads((stage / MANIFEST).read_text(encoding="utf-8"))["files"]
                    _move_into_place(stage, folder, [Path(n).name for n in names])
                    done.append(stage)
                elif now - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER_S:
                    shutil.rmtree(stage, ignore_errors=True)
    return done


@contextlib.contextmanager
def staged_outputs(folder: str | Path) -> Iterator[Path]:
    """
    Yield a staging folder; the files written there replace those in ``folder`` together.

    Parameters
    ----------
    folder
        The output folder (created if missing).  Output sets that a killed writer
        left unfinished there are completed or dropped first (:func:`recover_outputs`).

    Yields
    ------
    pathlib.Path
        An empty hidden folder inside ``folder`` (``.geomap-build.<pid>.<random>``).
        Write every output there under its final name.

    Notes
    -----
    When the block ends without error, a manifest listing the files is written
    (fsync), then each file is renamed over its namesake in ``folder``; the
    staging folder is removed.  If the block raises, nothing in ``folder``
    changes and the staging folder is removed.  If a rename raises, the files
    already moved are put back (the earlier ones from hard links taken before,
    new ones removed) and the error is raised.

    Raises
    ------
    OSError
        If ``folder`` cannot be created or written; it is then unchanged.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    recover_outputs(folder)
    stage = Path(tempfile.mkdtemp(prefix=f"{STAGE_PREFIX}{os.getpid()}.", dir=folder))
    try:
        yield stage
        names = sorted(p.name for p in stage.iterdir() if p.is_file() and p.name != MANIFEST)
        old = stage / _OLD
        old.mkdir()
        for name in names:
            if (folder / name).is_file():
                try:
                    os.link(folder / name, old / name)
                except OSError:  # a filesystem without hard links
                    shutil.copy2(folder / name, old / name)
        atomic_write_text(stage / MANIFEST, json.dumps({"files": names}) + "\n")
        _fsync_dir(stage)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    moved: list[str] = []
    try:
        for name in names:
            os.replace(stage / name, folder / name)
            moved.append(name)
    except BaseException:
        for name in moved:  # put the earlier set back
            with contextlib.suppress(OSError):
                if (old / name).exists():
                    os.replace(old / name, folder / name)
                else:
                    os.unlink(folder / name)
        shutil.rmtree(stage, ignore_errors=True)
        raise
    _move_into_place(stage, folder, [])
