"""Validated settings: where the data lives and which geocoders run.

Settings come from keyword arguments or the environment (``GEOMAP_DATA_DIR``,
``GEOMAP_CACHE_DIR``). An unknown key is an error, never a silent new attribute.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from geomap.errors import SettingsError

__all__ = ["Settings", "get_settings", "REPO_ROOT"]

#: The repository (or unpacked sdist) root: the folder holding ``data/``.
REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True, slots=True)
class Settings:
    """Run-time settings.

    Attributes
    ----------
    data_dir
        Folder holding ``boundaries/``, ``gazetteer/`` and ``articles/``.
    cache_dir
        Folder for the online-geocoder cache (used only with ``online=True``).
    online
        Allow the opt-in online geocoder fallback (geopy Nominatim). Default False.
    user_agent
        HTTP user agent sent to online geocoders (Nominatim requires one).
    """

    data_dir: Path = field(default_factory=lambda: Path(os.environ.get("GEOMAP_DATA_DIR", REPO_ROOT / "data")))
    cache_dir: Path = field(
        default_factory=lambda: Path(os.environ.get("GEOMAP_CACHE_DIR", Path.home() / ".cache" / "geomap"))
    )
    online: bool = False
    user_agent: str = "geomap/0.1 (https://example.invalid/geomap)"

    @property
    def boundaries_dir(self) -> Path:
        """Folder of the border, admin-area and crossing layers."""
        return self.data_dir / "boundaries"

    @property
    def gazetteer_dir(self) -> Path:
        """Folder of the prebuilt gazetteer."""
        return self.data_dir / "gazetteer"

    def with_options(self, **options: object) -> Settings:
        """Return a copy with ``options`` changed.

        Raises
        ------
        SettingsError
            If an option name is not a field of :class:`Settings`.
        """
        known = {f.name for f in fields(self)}
        unknown = sorted(set(options) - known)
        if unknown:
            raise SettingsError(f"unknown setting(s) {unknown}; known: {sorted(known)}")
        coerced = {k: Path(v) if k.endswith("_dir") else v for k, v in options.items()}
        return replace(self, **coerced)


_settings: Settings | None = None


def get_settings() -> Settings:
    """Return the process-wide settings (built from the environment once)."""
    global _settings
    if _settings is None:
        _settings = Settings()
    return _settings
