"""Exceptions raised by geomap.

One root, :class:`GeomapError`; each subclass also derives from the builtin it
resembles, so callers can catch either (the geopy pattern).  The CLI turns any
``GeomapError`` into one line on stderr and the exit code in :data:`EXIT_CODES`.
"""

from __future__ import annotations

__all__ = [
    "GeomapError",
    "InputError",
    "ArticleError",
    "DataSourceError",
    "LexiconError",
    "CRSError",
    "SettingsError",
    "StoreError",
    "EXIT_CODES",
]


class GeomapError(Exception):
    """Root of every error geomap raises on purpose."""

    exit_code = 1


class InputError(GeomapError, ValueError):
    """A value given by the user is not what was expected (a date, an option)."""

    exit_code = 2


class ArticleError(GeomapError, OSError):
    """An article file is missing, empty, binary or cannot be decoded."""

    exit_code = 3


class DataSourceError(GeomapError, OSError):
    """A bundled data file (gazetteer, boundaries) is missing or unreadable."""

    exit_code = 4


class LexiconError(GeomapError, ValueError):
    """A vocabulary file of :mod:`geomap.events` is malformed (a key, type or entry)."""

    exit_code = 4


class CRSError(GeomapError, ValueError):
    """A GeoDataFrame is not in the coordinate reference system expected."""

    exit_code = 2


class SettingsError(GeomapError, ValueError):
    """A setting is unknown or has an invalid value."""

    exit_code = 2


class StoreError(GeomapError, OSError):
    """The incident store is corrupt, locked or of an unknown version."""

    exit_code = 5


#: Exit codes of the ``geomap`` command, documented in README.md.
EXIT_CODES: dict[str, int] = {
    "ok": 0,
    "error": 1,
    "usage / invalid input": 2,
    "article unreadable": 3,
    "data file missing": 4,
    "store error": 5,
    "some inputs skipped": 6,
    "interrupted": 130,
}
