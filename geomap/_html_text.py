"""Main text of a saved HTML page (boilerplate removed) with trafilatura.

trafilatura (Barbaresi 2021, ACL demo "Trafilatura: A Web Scraping Library and
Command-Line Tool for Text Discovery and Extraction") scores DOM blocks and
falls back to jusText/readability; it runs offline on a string.  Its metadata
extractor (htmldate) gives the publication date, title and canonical URL.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from geomap.errors import ArticleError

__all__ = ["HtmlPage", "html_main_text"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class HtmlPage:
    """The main text and metadata of one HTML page (None when not found)."""

    text: str
    title: str | None
    published: dt.date | None
    url: str | None


def html_main_text(html: str, *, name: str = "<html>") -> HtmlPage:
    """
    Extract the article body of a saved HTML page.

    Raises
    ------
    ArticleError
        If no main text is found (an index page, an empty or script-only page).
    """
    import trafilatura

    # deduplicate=False: trafilatura's deduplication keeps a process-wide cache of
    # paragraphs seen, so the same page read twice would come back empty.
    text = trafilatura.extract(
        html, include_comments=False, include_tables=False, deduplicate=False
    )
    if not text or not text.strip():
        raise ArticleError(f"{name}: no article text found in the HTML page")
    meta = trafilatura.extract_metadata(html)
    published = None
    title = url = None
    if meta is not None:
        title = (meta.title or "").strip() or None
        url = (meta.url or "").strip() or None
        if meta.date:
            try:
                published = dt.date.fromisoformat(str(meta.date)[:10])
            except ValueError:
                published = None
    # trafilatura repeats the headline as the first line; keep the body only.
    lines = text.split("\n")
    if title and lines and lines[0].strip() == title and len(lines) > 1:
        text = "\n".join(lines[1:])
    return HtmlPage(text=text, title=title, published=published, url=url)
