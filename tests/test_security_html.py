"""Hostile articles rendered to a map: nothing runs, nothing breaks, text stays text (issue 8).

The corpus in ``tests/data/hostile/`` puts script tags, event-handler
attributes, ``javascript:`` URLs, ``</script>``/``</div>`` and template syntax
(``{{ }}``, ``${ }``, backticks) into place names, sentences and header lines.
Every payload tries to set ``window.__pwned`` or open a dialog.  The map is
built with ``geomap build --offline`` and opened in Debian's headless Chromium
with every non-``file:`` request aborted; every popup and tooltip is opened.
"""

from __future__ import annotations

import json
import math
from html.parser import HTMLParser
from pathlib import Path

import pytest

from geomap.cli import main

HOSTILE = Path(__file__).resolve().parent / "data" / "hostile"
CORPUS = sorted(HOSTILE.glob("*.txt"))
NO_TEMPLATES = [p for p in CORPUS if "template" not in p.name]

CANARY = """
window.__pwned = undefined;
window.__dialogs = 0;
for (const f of ['alert', 'confirm', 'prompt']) {
  const orig = window[f];
  window[f] = function (...a) { window.__dialogs += 1; return orig.apply(this, a); };
}
"""

# Open every popup and tooltip: for layers on the map through Leaflet itself,
# for the others (clustered, in unchecked overlays) by rendering the content the
# way Leaflet does (a string goes through innerHTML, an element is appended).
OPEN_ALL = """
async () => {
  const map = Object.values(window).find(v => v instanceof L.Map);
  document.querySelectorAll('.leaflet-control-layers-overlays input[type=checkbox]')
    .forEach(cb => { if (!cb.checked) cb.click(); });
  const seen = new Set(), all = [];
  const visit = l => {
    if (!l || seen.has(l)) return;
    seen.add(l); all.push(l);
    if (typeof l.getLayers === 'function') l.getLayers().forEach(visit);
    if (l._layers) Object.values(l._layers).forEach(visit);
  };
  map.eachLayer(visit);
  const sink = document.createElement('div');
  sink.id = '__sink';
  document.body.appendChild(sink);
  let opened = 0;
  const render = (content, layer) => {
    if (typeof content === 'function') content = content(layer);
    const box = document.createElement('div');
    box.className = '__rendered';
    if (typeof content === 'string') box.innerHTML = content;
    else if (content instanceof Node) box.appendChild(content.cloneNode(true));
    sink.appendChild(box);
  };
  for (const l of all) {
    for (const [get, open] of [['getPopup', 'openPopup'], ['getTooltip', 'openTooltip']]) {
      const p = typeof l[get] === 'function' ? l[get]() : null;
      if (!p) continue;
      try { if (l._map) { l[open](); opened += 1; } } catch (e) {}
      try { render(p.getContent(), l); opened += 1; } catch (e) {}
    }
    try { l.fire && l.fire('mouseover'); l.fire && l.fire('click'); } catch (e) {}
  }
  await new Promise(r => setTimeout(r, 300));
  return opened;
}
"""


def _build(paths: list[Path], out: Path, *extra: str) -> Path:
    rc = main(["build", *map(str, paths), "-o", str(out), "--published", "2025-10-20", *extra])
    assert rc == 0, "geomap build failed on the hostile corpus"
    return out


def _map_from_store(out: Path) -> Path:
    """``geomap ingest`` the corpus plus hostile JSON Lines, then ``geomap map --offline``."""
    feed = out / "feed.jsonl"
    lines = [
        {
            "text": "Pakistan closed the Torkham crossing <img src=x onerror=window.__pwned=1> on Sunday "  # noqa: E501
            "after clashes near Landi Kotal.",
            "published": "2025-10-12",
            "title": "<script>window.__pwned=1</script>",
            "url": "javascript:window.__pwned=1",
        },
        {
            "text": "Traders protested at Chaman ${window.__pwned=1} on Monday; `'\"</div> closed the road.",  # noqa: E501
            "published": "2025-10-13",
            "title": '" onmouseover="window.__pwned=1',
            "url": '"><svg onload=alert(1)>',
        },
    ]
    feed.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    store = out / "store.gpkg"
    rc = main(
        ["ingest", str(feed), *map(str, NO_TEMPLATES), "--store", str(store), "--no-progress", "-q"]
    )
    assert rc == 0, "geomap ingest failed on the hostile corpus"
    rc = main(["map", "--store", str(store), "-o", str(out), "--offline", "-q"])
    assert rc == 0, "geomap map failed on a store of hostile articles"
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Offline builds: the whole corpus, the corpus without template syntax, one titled article."""
    cache: dict[str, Path] = {}

    def get(which: str) -> Path:
        if which not in cache:
            out = tmp_path_factory.mktemp(which)
            if which == "store":
                cache[which] = _map_from_store(out)
            elif which == "filename":
                # markup in the file name: the path is kept with the article
                hostile = out / "x<img src=x onerror=window.__pwned=1>'\"`${alert(1)}.txt"
                hostile.write_bytes(CORPUS[1].read_bytes())
                cache[which] = _build([hostile], out / "out", "--offline")
            else:
                paths = {"all": CORPUS, "no-templates": NO_TEMPLATES, "titled": [CORPUS[0]]}[which]
                cache[which] = _build(paths, out, "--offline")
        return cache[which]

    return get


def _open(chromium, html: Path):
    ctx = chromium.new_context()
    log = {"dialogs": [], "page_errors": [], "requests": []}

    def handler(route):
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:")):
            return route.continue_()
        log["requests"].append(url)
        return route.abort()

    ctx.route("**/*", handler)
    ctx.add_init_script(CANARY)
    page = ctx.new_page()
    page.on("pageerror", lambda err: log["page_errors"].append(str(err)))

    def on_dialog(d):
        log["dialogs"].append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    page.goto(html.resolve().as_uri())
    page.wait_for_function(
        "() => window.L && Object.values(window).some(v => v instanceof L.Map && v._loaded)",
        timeout=20000,
    )
    return ctx, page, log


# ------------------------------------------------------------ server side: no template evaluation


def test_article_text_is_never_evaluated_as_a_template(tmp_path, monkeypatch):
    # Jinja2 syntax in an article must reach the map as text.  folium/branca
    # re-parse a MacroElement's rendered script as a Jinja2 template, so data
    # embedded there unescaped is evaluated: "{{ 7*7 }}" becomes 49 and
    # "{{ cycler.__init__.__globals__.os.mkdir(...) }}" runs Python code.
    monkeypatch.chdir(tmp_path)
    art = tmp_path / "ssti.txt"
    art.write_text(
        "Published: 2025-10-16\n\nPakistan closed the Torkham crossing on Sunday after clashes near "  # noqa: E501
        "Landi Kotal. Total {{ 7*7 }} trucks waited at Torkham "
        "{{ cycler.__init__.__globals__.os.mkdir(dict(ssti_canary=1)|first) }} on Monday.\n",
        encoding="utf-8",
    )
    rc = main(["build", str(art), "-o", str(tmp_path / "out")])
    assert not (tmp_path / "ssti_canary").exists(), "article text ran Python code during rendering"
    assert rc == 0
    page = (tmp_path / "out" / "map.html").read_text(encoding="utf-8")
    assert "Total 49 trucks" not in page
    assert "7*7" in page


def test_template_syntax_in_an_article_does_not_break_the_build(built):
    out = built("all")
    assert (out / "map.html").stat().st_size > 0


# ------------------------------------------------------------ static checks of the files


class _Scan(HTMLParser):
    """Collect live elements/attributes a payload could have created."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []
        self.in_script = False
        self.scripts: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            v = (value or "").strip().lower()
            if name.startswith("on") and ("__pwned" in v or "alert(" in v):
                self.bad.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action", "formaction", "xlink:href") and v.startswith(
                "javascript:"
            ):
                self.bad.append(f"<{tag} {name}={value!r}>")
        if tag in ("iframe", "svg", "form", "textarea", "body") and self.scripts is not None:
            if any("__pwned" in (v or "") for _, v in attrs):
                self.bad.append(f"<{tag}> from an article")
        self.in_script = tag == "script"

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script:
            self.scripts.append(data)


@pytest.mark.parametrize("which", ["no-templates", "all", "store"])
def test_static_html_has_no_live_payload(built, which):
    page = (built(which) / "map.html").read_text(encoding="utf-8")
    scan = _Scan()
    scan.feed(page)
    assert scan.bad == []
    # No script body may start with a payload (an injected <script> element).
    assert not [s for s in scan.scripts if s.strip().startswith(("window.__pwned", "alert("))]
    # Payload text is present, only in escaped form.
    assert "__pwned" in page
    for raw in (
        "<script>window.__pwned",
        "<img src=x onerror=",
        "<svg onload=",
        "</script><script>",
    ):
        assert raw not in page, f"unescaped payload {raw!r} in map.html"


@pytest.mark.parametrize("which", ["no-templates", "all"])
def test_geojson_keeps_article_text_verbatim_and_coordinates_valid(built, which):
    out = built(which)
    texts = "\n".join(p.read_text(encoding="utf-8") for p in CORPUS)
    for name in ("events.geojson", "places.geojson"):
        doc = json.loads((out / name).read_text(encoding="utf-8"))
        assert doc["type"] == "FeatureCollection"
        for f in doc["features"]:
            if f["geometry"] is not None:
                lon, lat = f["geometry"]["coordinates"][:2]
                assert (
                    math.isfinite(lon)
                    and math.isfinite(lat)
                    and -180 <= lon <= 180
                    and -90 <= lat <= 90
                )
            s = f["properties"].get("sentence")
            if isinstance(s, str) and "<" in s:
                # data exports hold the text as written: escaping is the renderer's job
                assert "&lt;" not in s or "&lt;" in texts
    events = json.loads((out / "events.geojson").read_text(encoding="utf-8"))["features"]
    assert any("<script>" in (f["properties"].get("sentence") or "") for f in events)


# ------------------------------------------------------------ in the browser


@pytest.mark.browser
@pytest.mark.parametrize("which", ["no-templates", "all", "titled", "store", "filename"])
def test_hostile_map_runs_no_script_and_shows_text_as_text(chromium, built, which):
    ctx, page, log = _open(chromium, built(which) / "map.html")
    try:
        opened = page.evaluate(OPEN_ALL)
        page.wait_for_timeout(200)
        pwned = page.evaluate("() => window.__pwned")
        dialogs = page.evaluate("() => window.__dialogs")
        texts = page.evaluate(
            "() => Array.from(document.querySelectorAll('.leaflet-popup-content, .leaflet-tooltip, .__rendered'))"  # noqa: E501
            ".map(e => e.textContent)"
        )
        js_links = page.evaluate(
            "() => Array.from(document.querySelectorAll('[href],[src],[action],[formaction]'))"
            ".map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action') || e.getAttribute('formaction') || '')"  # noqa: E501
            ".filter(v => v.trim().toLowerCase().startsWith('javascript:'))"
        )
        handlers = page.evaluate(
            "() => Array.from(document.querySelectorAll('*')).flatMap(e => Array.from(e.attributes)"
            ".filter(a => a.name.startsWith('on') && /__pwned|alert\\(/.test(a.value)).map(a => e.tagName + ' ' + a.name))"  # noqa: E501
        )
        title = page.title()
    finally:
        ctx.close()
    assert pwned is None, "an injected script ran"
    assert dialogs == 0 and log["dialogs"] == [], f"dialogs opened: {log['dialogs']}"
    assert log["page_errors"] == [], f"page errors (broken script?): {log['page_errors'][:3]}"
    assert js_links == [] and handlers == []
    assert opened > 0
    joined = "\n".join(texts)
    if which != "titled":
        assert any(tag in joined for tag in ("<script>", "<img src=x", "<svg onload")), (
            "the literal markup from the article should show as text"
        )
    assert "__pwned" in joined or "__pwned" in title
