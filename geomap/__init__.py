"""geomap: news articles about the Afghanistan–Pakistan border → toponyms, incidents and crossing statuses → maps.

The public API is re-exported lazily here so that ``import geomap`` stays cheap
(spaCy, geopandas and the gazetteer load on first use).
"""

from __future__ import annotations

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = ["__version__"]
