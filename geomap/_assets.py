"""Local copies of the JavaScript/CSS/font assets folium links from CDNs.

Why npm packages (and not the alternatives listed in ``TOOLCHAIN.md``)
----------------------------------------------------------------------
* folium 0.20.0 links its assets from jsDelivr/cdnjs; the npm registry holds the
  *same files* (byte-identical for every script folium loads, checked against the
  CDN bytes) under the packages pinned in :data:`PACKAGES`, each with its own
  licence file.  They are fetched once at install time by
  ``scripts/fetch_assets.py`` (``npm pack`` → sha512 integrity check → unpack of
  the few files a page needs into ``geomap/_assets/npm/``, about 5 MB).
* The ``folium-offline`` fork would replace folium itself (``isinstance`` checks
  and ``geopandas.explore`` keep using real folium) and only follows folium when
  its author re-forks; the PyPI XStatic packages lag behind the exact versions
  folium pins.  Stock folium plus its exact npm files keeps one folium.

Two uses:

* :func:`resolve` maps a CDN URL (or a sub-resource a stylesheet asks for, such as a
  font) to the local bytes; the browser tests serve the default, CDN-linked HTML
  from it with Playwright's ``page.route``.
* :func:`inline_html` turns folium's HTML into one self-contained file: every
  ``<script src>`` and ``<link rel=stylesheet>`` is inlined, and the ``url()``
  references inside stylesheets become ``data:`` URIs.

A CDN URL that is not in the table raises :class:`~geomap.errors.DataSourceError`:
a new folium release that links other asset versions must fail loudly (pin folium).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import mimetypes
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from geomap.errors import DataSourceError

__all__ = [
    "PACKAGES",
    "asset_dir",
    "assets_available",
    "fetch_assets",
    "resolve",
    "inline_html",
    "content_type",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class NpmPackage:
    """One pinned npm package and the files of it a page needs."""

    name: str
    version: str
    integrity: str  # npm "integrity" (sha512, base64) of the tarball
    licence: str
    keep: tuple[str, ...]  # path prefixes inside ``package/`` to unpack

    @property
    def folder(self) -> str:
        """Folder name under the asset dir, ``<name>@<version>`` (scope kept)."""
        return f"{self.name}@{self.version}"


#: Every package folium 0.20.0 (Map, MarkerCluster, MiniMap, Fullscreen,
#: TimestampedGeoJson) needs, with the integrity npm reports for the tarball.
PACKAGES: dict[str, NpmPackage] = {
    p.name + "@" + p.version: p
    for p in (
        NpmPackage(
            "leaflet",
            "1.9.3",
            "sha512-iB2cR9vAkDOu5l3HAay2obcUHZ7xwUBBjph8+PGtmW/2lYhbLizWtG7nTeYht36WfOslixQF9D/uSIzhZgGMfQ==",
            "BSD-2-Clause",
            ("dist/leaflet.js", "dist/leaflet.css", "dist/images/"),
        ),
        NpmPackage(
            "jquery",
            "3.7.1",
            "sha512-m4avr8yL8kmFN8psrbFFFmB/If14iN5o9nw/NgnnM+kybDJpRsAynV2BsfpTYrTRysYUdADVD7CkUUizgkpLfg==",
            "MIT",
            ("dist/jquery.min.js",),
        ),
        NpmPackage(
            "bootstrap",
            "5.2.2",
            "sha512-dEtzMTV71n6Fhmbg4fYJzQsw1N29hJKO1js5ackCgIpDcGid2ETMGC6zwSYw09v05Y+oRdQ9loC54zB1La3hHQ==",
            "MIT",
            ("dist/css/bootstrap.min.css", "dist/js/bootstrap.bundle.min.js"),
        ),
        NpmPackage(
            "@fortawesome/fontawesome-free",
            "6.2.0",
            "sha512-CNR7qRIfCwWHNN7FnKUniva94edPdyQzil/zCwk3v6k4R6rR2Fr8i4s3PM7n/lyfPA6Zfko9z5WDzFxG9SW1uQ==",
            "icons CC-BY-4.0, fonts OFL-1.1, code MIT",
            ("css/all.min.css", "webfonts/"),
        ),
        NpmPackage(
            # cdnjs' Leaflet.awesome-markers 2.0.2; the npm package of that name lacks 2.0.2.
            "drmonty-leaflet-awesome-markers",
            "2.0.2",
            "sha512-g508pdnnHQr9l4kU6McvJzcSd0w1FvHFlZZCYc4oT+zjwYJi1qtj0fFBFEWMKoNfHK4UcBya1eccyjKfu4chjQ==",
            "MIT",
            ("js/", "css/"),
        ),
        NpmPackage(
            # Substitute for bootstrap 3.0.0's glyphicons (3.0.0 is not on npm).
            "bootstrap",
            "3.1.1",
            "sha512-TAzqS8E/ISpVHP29gYhy+1NSV+FJwApDVQhDfgLYsIuUDJiqJzH2DfORN5tiu+Ie2iBLrzEG34t4Rf465cigqg==",
            "MIT",
            ("dist/css/bootstrap.css", "dist/fonts/"),
        ),
        NpmPackage(
            "leaflet.markercluster",
            "1.1.0",
            "sha512-eI+XkCiLiHwCC3uZ4/n4+Vq3rXcqEHN2lhHRVG1WVziy/3Q0TTipWkzEa1zO0dKZI2AnI5ppFDWrOjnQ7MJLKQ==",
            "MIT",
            ("dist/leaflet.markercluster.js", "dist/MarkerCluster"),
        ),
        NpmPackage(
            "leaflet-minimap",
            "3.6.1",
            "sha512-6px8f6cfv1rKB6ACpL6bbUFGxipZOq4KsntJgBj9nOcW1RYa5+xFp8emOZwks9X+VtVVsQEwWwfgT1kTTL/LzA==",
            "BSD-2-Clause",
            ("src/",),
        ),
        NpmPackage(
            "leaflet.fullscreen",
            "3.0.0",
            "sha512-81wWSUXz1ZtdneR0v5eJDWXUSx+Zo5J50WXWeydG/UcILfIEAgz/iOjZSi3p00Z9MJ/FC/P5i3CgdYuEAos0yQ==",
            "MIT",
            ("Control.FullScreen.", "icon-fullscreen.svg"),
        ),
        NpmPackage(
            "leaflet-timedimension",
            "1.1.1",
            "sha512-ejXldN94veRsWka1vpC+4rbH+2+3d3ztn2xYx4jcXtjYDrKC/sNnoqCmyH2UEYIy51PI2851aI2k8uGdOEbhlw==",
            "MIT",
            ("dist/leaflet.timedimension.min.js", "dist/leaflet.timedimension.control.css"),
        ),
        NpmPackage(
            "iso8601-js-period",
            "0.2.1",
            "sha512-iDyz2TQFBd5WhCZjruOwHj01JkQGu7YbVLCVdpA7lCGEcBzE3ffCPAhLh/M8TAp//kCixPpYN4XU54WHCxvD2Q==",
            "Apache-2.0 (declared in package.json; no LICENSE file)",
            ("iso8601.js",),
        ),
        NpmPackage(
            "moment",
            "2.18.1",
            "sha512-QGcnVKRSEhbWy2i0pqFhjWMCczL/YU5ICMB3maUavFcyUqBszRnzsswvOaGOqSfWZ/R+dMnb9gGBuRT4LMTdVQ==",
            "MIT",
            ("min/moment.min.js",),
        ),
        NpmPackage(
            "highlight.js",
            "8.4.0",
            "sha512-32k2tWnWmi1giDcxU8J8cCtIO6hbkH4v/7qKnrWFO2CsZu0weiPlsgc64N0kxNADRLwu3BNkoAV/r/Cl7z7WQw==",
            "BSD-3-Clause",
            ("styles/default.css",),
        ),
    )
}

_LICENCE_FILE = re.compile(r"^(LICEN[CS]E|COPYING)(\.[a-z]+)?$|^package\.json$", re.IGNORECASE)

_JSD = "https://cdn.jsdelivr.net/npm/"
_CDNJS = "https://cdnjs.cloudflare.com/ajax/libs/"
_GLYPH_CSS = "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css"
_ROTATE_CSS = (
    "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/"
    "leaflet.awesome.rotate.min.css"
)
_JQUERY_UI = _CDNJS + "jqueryui/1.10.2/jquery-ui.min.js"

#: URL prefix -> (package key, folder inside the package).  The rest of the URL
#: after the prefix is appended to the folder.  Longest prefix wins.
_ROUTES: dict[str, tuple[str, str]] = {
    _JSD + "leaflet@1.9.3/": ("leaflet@1.9.3", ""),
    "https://code.jquery.com/jquery-3.7.1.min.js": ("jquery@3.7.1", "dist/jquery.min.js"),
    _CDNJS + "jquery/3.7.1/": ("jquery@3.7.1", "dist/"),
    _JSD + "bootstrap@5.2.2/": ("bootstrap@5.2.2", ""),
    _JSD + "@fortawesome/fontawesome-free@6.2.0/": ("@fortawesome/fontawesome-free@6.2.0", ""),
    _CDNJS + "Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js": (
        "drmonty-leaflet-awesome-markers@2.0.2",
        "js/leaflet.awesome-markers.js",
    ),
    _CDNJS + "Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css": (
        "drmonty-leaflet-awesome-markers@2.0.2",
        "css/leaflet.awesome-markers.css",
    ),
    _CDNJS + "Leaflet.awesome-markers/2.0.2/images/": (
        "drmonty-leaflet-awesome-markers@2.0.2",
        "css/images/",
    ),
    "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/fonts/": ("bootstrap@3.1.1", "dist/fonts/"),
    _CDNJS + "leaflet.markercluster/1.1.0/": ("leaflet.markercluster@1.1.0", "dist/"),
    _CDNJS + "leaflet-minimap/3.6.1/": ("leaflet-minimap@3.6.1", "src/"),
    _JSD + "leaflet.fullscreen@3.0.0/": ("leaflet.fullscreen@3.0.0", ""),
    _JSD + "leaflet-timedimension@1.1.1/": ("leaflet-timedimension@1.1.1", ""),
    _JSD + "iso8601-js-period@0.2.1/": ("iso8601-js-period@0.2.1", ""),
    _CDNJS + "moment.js/2.18.1/": ("moment@2.18.1", "min/"),
    _CDNJS + "highlight.js/8.4/styles/": ("highlight.js@8.4.0", "styles/"),
}


def asset_dir() -> Path:
    """Folder holding the unpacked npm packages (``GEOMAP_ASSET_DIR`` overrides)."""
    env = os.environ.get("GEOMAP_ASSET_DIR")
    return Path(env) if env else Path(__file__).resolve().parent / "_assets" / "npm"


def assets_available() -> bool:
    """Tell whether every package of :data:`PACKAGES` has been fetched."""
    root = asset_dir()
    return all((root / p.folder / ".integrity").is_file() for p in PACKAGES.values())


def _sri(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def fetch_assets(*, dest: Path | None = None, force: bool = False) -> Path:
    """Fetch the pinned npm packages with ``npm pack`` and unpack the files a page needs.

    Each tarball's sha512 must equal the pinned npm integrity; only the paths in
    ``NpmPackage.keep`` plus licence files and ``package.json`` are unpacked to
    ``dest/<name>@<version>/``.  Run once at install time (``scripts/fetch_assets.py``);
    nothing here runs at map-rendering time.

    Raises
    ------
    DataSourceError
        If ``npm`` is missing, a download fails, or a tarball's integrity differs.
    """
    root = Path(dest) if dest is not None else asset_dir()
    npm = shutil.which("npm")
    if npm is None:
        raise DataSourceError(
            "npm not found; install nodejs/npm (apt-get install -y npm) to fetch map assets"
        )
    root.mkdir(parents=True, exist_ok=True)
    for pkg in PACKAGES.values():
        target = root / pkg.folder
        if (target / ".integrity").is_file() and not force:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            spec = f"{pkg.name}@{pkg.version}"
            proc = subprocess.run(
                [npm, "pack", spec, "--json", "--silent"], cwd=tmp, capture_output=True, text=True
            )
            if proc.returncode != 0:
                raise DataSourceError(f"npm pack {spec} failed: {proc.stderr.strip()[:500]}")
            filename = json.loads(proc.stdout)[0]["filename"]
            data = (Path(tmp) / filename).read_bytes()
            if _sri(data) != pkg.integrity:
                raise DataSourceError(
                    f"{spec}: tarball integrity {_sri(data)} != pinned {pkg.integrity}"
                )
            if target.exists():
                shutil.rmtree(target)
            with tarfile.open(Path(tmp) / filename) as tar:
                for member in tar.getmembers():
                    rel = member.name.split("/", 1)[1] if "/" in member.name else member.name
                    wanted = rel.startswith(pkg.keep) or (
                        "/" not in rel and _LICENCE_FILE.match(rel)
                    )
                    if not member.isfile() or not wanted or ".." in rel.split("/"):
                        continue
                    out = target / rel
                    out.parent.mkdir(parents=True, exist_ok=True)
                    src = tar.extractfile(member)
                    assert src is not None
                    out.write_bytes(src.read())
            (target / ".integrity").write_text(pkg.integrity + "\n")
            logger.info("fetched %s", spec)
    _read.cache_clear()
    return root


@cache
def _read(path: str) -> bytes | None:
    p = Path(path)
    return p.read_bytes() if p.is_file() else None


def _generated(url: str) -> bytes | None:
    """Assets that are not files of any package (derived or stubbed)."""
    if url == _ROTATE_CSS:
        # folium's own 359-rule stylesheet (MIT), regenerated: .fa-rotate-N{transform:rotate(Ndeg)}
        return "".join(f".fa-rotate-{n}{{transform:rotate({n}deg)}}" for n in range(360)).encode()
    if url == _JQUERY_UI:
        # jQuery UI 1.10.2 is not on npm; TimestampedGeoJson links it but TimeDimension 1.1.1
        # never calls it, so an empty stub is served.
        return b"/* jquery-ui 1.10.2 not used by leaflet-timedimension 1.1.1 */\n"
    if url == _GLYPH_CSS:
        css = _read(str(asset_dir() / "bootstrap@3.1.1" / "dist" / "css" / "bootstrap.css"))
        if css is None:
            return None
        text = css.decode()
        face = re.search(r"@font-face\s*\{[^}]*Glyphicons[^}]*\}", text)
        rules = re.findall(r"\.glyphicon[^{}]*\{[^}]*\}", text)
        # The 3.1.1 @font-face uses ../fonts/, i.e. .../bootstrap/3.0.0/fonts/ from this URL.
        return ((face.group(0) if face else "") + "\n" + "\n".join(rules)).encode()
    return None


def resolve(url: str) -> bytes | None:
    """Return the local bytes for a CDN asset URL, or None when it is not one we carry.

    Protocol-relative URLs (``//host/...``) are read as https.  For a ``.min.js``/
    ``.min.css`` that the package does not ship (jsDelivr minifies on the fly), the
    unminified file is returned.  Query strings and fragments are ignored.
    """
    if url.startswith("//"):
        url = "https:" + url
    parts = urlsplit(url)
    url = f"{parts.scheme}://{parts.netloc}{parts.path}"
    generated = _generated(url)
    if generated is not None:
        return generated
    for prefix in sorted(_ROUTES, key=len, reverse=True):
        if url == prefix or (prefix.endswith("/") and url.startswith(prefix)):
            key, folder = _ROUTES[prefix]
            rel = folder + url[len(prefix) :] if prefix.endswith("/") else folder
            base = asset_dir() / PACKAGES[key].folder
            data = _read(str(base / rel))
            if data is None and re.search(r"\.min\.(js|css)$", rel):
                data = _read(str(base / re.sub(r"\.min\.(js|css)$", r".\1", rel)))
            return data
    return None


def content_type(url: str) -> str:
    """MIME type for an asset URL (by extension)."""
    path = urlsplit(url).path
    if path.endswith(".woff2"):
        return "font/woff2"
    if path.endswith(".woff"):
        return "font/woff"
    return mimetypes.guess_type(path)[0] or "application/octet-stream"


_SCRIPT_SRC = re.compile(r'<script\s+src="([^"]+)"\s*>\s*</script>', re.IGNORECASE)
_LINK_CSS = re.compile(r'<link\s+rel="stylesheet"\s+href="([^"]+)"\s*/?>', re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_SKIP_FONT = re.compile(
    r"""url\(\s*['"]?[^'")]+\.(?:ttf|eot|svg)(?:[?#][^'")]*)?['"]?\s*\)\s*(?:format\([^)]*\))?\s*,?"""
)


def _need(url: str) -> bytes:
    data = resolve(url)
    if data is None:
        hint = "" if assets_available() else " (run scripts/fetch_assets.py to fetch them)"
        raise DataSourceError(f"no local copy of map asset {url}{hint}")
    return data


_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}", re.IGNORECASE)
#: Font files never embedded: Font Awesome's brand logos (no geomap map draws one).
_UNUSED_FONTS = ("fa-brands-400.",)


def _inline_css(css: str, base_url: str, seen_fonts: set[str] | None = None) -> str:
    """Return ``css`` with its ``url()`` references as ``data:`` URIs.

    In ``@font-face`` rules only woff2/woff sources are kept (every browser in use
    reads them).  A rule whose font file is already embedded in the page (``seen_fonts``,
    filled here) is dropped: Font Awesome declares each file under three families
    (6, 5 and the v4 "FontAwesome"), and embedding it once saves about 0.8 MB;
    the 6.x family that ``fa`` classes use is the first and stays.  Brand-logo fonts
    (:data:`_UNUSED_FONTS`) are dropped too.
    """
    seen = set() if seen_fonts is None else seen_fonts

    def face(match: re.Match[str]) -> str:
        rule = _SKIP_FONT.sub("", match.group(0))  # woff2/woff are enough
        rule = re.sub(r"src\s*:\s*;", "", rule)
        rule = re.sub(r",\s*;", ";", rule)
        rule = re.sub(r",\s*}", "}", rule)
        files = {urljoin(base_url, m.group(2).strip()) for m in _CSS_URL.finditer(rule)}
        files = {f for f in files if not f.startswith("data:")}
        if any(f.rsplit("/", 1)[-1].startswith(_UNUSED_FONTS) for f in files):
            return ""
        if files and files <= seen:
            return ""
        seen.update(files)
        return rule

    css = _FONT_FACE.sub(face, css)

    def repl(match: re.Match[str]) -> str:
        ref = match.group(2).strip()
        if ref.startswith("data:") or ref.startswith("#"):
            return match.group(0)
        url = urljoin(base_url, ref)
        data = _need(url)
        b64 = base64.b64encode(data).decode()
        return f'url("data:{content_type(url)};base64,{b64}")'

    return _CSS_URL.sub(repl, css)


def _leaflet_icon_fix() -> str:
    """Default marker icons as data: URIs (Leaflet guesses their folder from leaflet.css)."""
    base = _JSD + "leaflet@1.9.3/dist/images/"
    uris = {
        k: "data:image/png;base64," + base64.b64encode(_need(base + f)).decode()
        for k, f in (
            ("iconUrl", "marker-icon.png"),
            ("iconRetinaUrl", "marker-icon-2x.png"),
            ("shadowUrl", "marker-shadow.png"),
        )
    }
    return "L.Icon.Default.imagePath='';L.Icon.Default.mergeOptions(" + json.dumps(uris) + ");"


def inline_html(html: str) -> str:
    """Inline every linked script and stylesheet of a folium page.

    Parameters
    ----------
    html
        A rendered folium page (``Map.get_root().render()``).

    Returns
    -------
    str
        The same page with no ``<script src>`` or ``<link rel=stylesheet>`` left:
        scripts are inlined (``</script`` inside them escaped), stylesheets become
        ``<style>`` blocks whose ``url()`` references are ``data:`` URIs.

    Raises
    ------
    DataSourceError
        If an asset is not available locally (not fetched, or a URL unknown to the
        table because folium changed).
    """
    seen_fonts: set[str] = set()
    seen_scripts: dict[bytes, str] = {}

    def script(match: re.Match[str]) -> str:
        url = match.group(1)
        data = _need(url)
        if url == _JQUERY_UI:
            return ""  # an empty stub: nothing to run
        digest = hashlib.sha256(data).digest()
        if digest in seen_scripts:  # the same file under another URL (e.g. jQuery twice)
            return f"<!-- {url}: same file as {seen_scripts[digest]} -->"
        seen_scripts[digest] = url
        js = data.decode("utf-8")
        js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)
        tail = f"\n{_leaflet_icon_fix()}" if url.endswith("/leaflet@1.9.3/dist/leaflet.js") else ""
        return f"<script>/* {url} */\n{js}{tail}</script>"

    def link(match: re.Match[str]) -> str:
        url = match.group(1)
        css = _inline_css(_need(url).decode("utf-8"), url, seen_fonts)
        css = re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE)
        return f"<style>/* {url} */\n{css}</style>"

    html = _SCRIPT_SRC.sub(script, html)
    return _LINK_CSS.sub(link, html)


def main() -> int:
    """Fetch the assets (``python -m geomap._assets``)."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    root = fetch_assets()
    logger.info("map assets ready in %s", root)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
