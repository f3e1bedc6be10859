"""Atomic file writes: write a temporary file in the target folder, then rename.

A crash or Ctrl-C midway leaves the previous file intact (``os.replace`` is
atomic on POSIX and Windows when source and target are on one filesystem).
The temporary file is named ``.<name>.<pid>.<random>.tmp``; one left behind by a
writer that was killed (SIGKILL, power loss) is removed by the next write of the
same file (or with the same suffix, for :func:`temp_path_beside`) once its
process no longer exists and it is older than :data:`STALE_AFTER_S`.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

__all__ = [
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
