"""Shared fixtures: a headless Debian Chromium driven by Playwright, with no network."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: 1×1 transparent PNG served for any map tile request.
BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
TILE_HOSTS = (
    "tile.openstreetmap.org",
    "tile.opentopomap.org",
    "server.arcgisonline.com",
    "basemaps.cartocdn.com",
)


@pytest.fixture(scope="session")
def chromium():
    """A headless Chromium (Debian's /usr/bin/chromium; never `playwright install`)."""
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        pytest.skip(
            "Debian chromium is not installed (/usr/bin/chromium); apt-get install -y chromium"
        )
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class PageLog:
    """What happened on a page: requests served/aborted, console errors, page errors, dialogs."""

    def __init__(self) -> None:
        self.served: list[str] = []
        self.tiles: list[str] = []
        self.aborted: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.dialogs: list[str] = []


@pytest.fixture
def open_map(chromium):
    """Open a local HTML file with every network request served locally or aborted.

    ``open_map(path, mode="route")`` serves CDN asset URLs from the fetched npm
    packages (:func:`geomap._assets.resolve`) and tiles as a blank PNG; ``mode="sealed"``
    aborts every request that is not ``file:``/``data:``.  Returns ``(page, log)``
    after Leaflet has loaded the map.
    """
    from geomap._assets import content_type, resolve

    contexts = []

    def _open(path: Path, *, mode: str = "route", viewport=(1400, 900)):
        ctx = chromium.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        contexts.append(ctx)
        log = PageLog()

        def handler(route):
            url = route.request.url
            if url.startswith(("file:", "data:", "blob:")):
                return route.continue_()
            if mode == "route":
                host = urlsplit(url).hostname or ""
                if host.endswith(TILE_HOSTS):
                    log.tiles.append(url)
                    return route.fulfill(status=200, body=BLANK_PNG, content_type="image/png")
                body = resolve(url)
                if body is not None:
                    log.served.append(url)
                    return route.fulfill(
                        status=200,
                        body=body,
                        content_type=content_type(url),
                        headers={"Access-Control-Allow-Origin": "*"},
                    )
            log.aborted.append(url)
            return route.abort()

        ctx.route("**/*", handler)
        page = ctx.new_page()
        page.on(
            "console",
            lambda msg: log.console_errors.append(msg.text) if msg.type == "error" else None,
        )
        page.on("pageerror", lambda err: log.page_errors.append(str(err)))

        def on_dialog(dialog):
            log.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.goto(Path(path).resolve().as_uri())
        page.wait_for_function(
            "() => window.L && Object.keys(window).some(k => k.startsWith('map_') && "
            "window[k] instanceof L.Map && window[k]._loaded)",
            timeout=15000,
        )
        return page, log

    yield _open
    for ctx in contexts:
        ctx.close()
