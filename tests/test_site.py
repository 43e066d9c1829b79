"""The static site: a page per notebook, working links, prev/next in course order; slides build.

Both folders must work offline: no page loads anything from the web, and every file a page loads
is in the folder (relative links, so the folder can be moved).
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from cs_helpers.course import site

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    site.build_site(out)
    return out


@pytest.fixture(scope="module")
def decks(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("slides")
    site.build_slides(out)
    return out


def _links(page: Path) -> list[str]:
    return re.findall(r'href="([^"#]+)(?:#[^"]*)?"', page.read_text(encoding="utf-8"))


def test_every_notebook_has_a_page_listed_on_the_index(built):
    names = [p.stem for p in sorted((ROOT / "notebooks").glob("*.ipynb"))]
    index = (built / "index.html").read_text(encoding="utf-8")
    for name in names:
        assert (built / f"{name}.html").exists()
        assert f'href="{name}.html"' in index


def test_index_shows_the_course_map_with_minutes(built):
    index = (built / "index.html").read_text(encoding="utf-8")
    from cs_helpers.course import timing

    t = timing.estimate("00_start_here")
    assert "Course map" in index and f"{t['core']} + {t['exercises']}" in index
    assert ".ipynb\"" not in index  # notebook links point at the HTML copies


def test_every_internal_link_resolves(built):
    broken = []
    for page in built.glob("*.html"):
        for link in _links(page):
            if link.startswith(("http://", "https://", "mailto:", "data:")):
                continue
            if not (built / link).exists():
                broken.append(f"{page.name} -> {link}")
    assert broken == []


def test_previous_next_chain_visits_the_notebooks_in_order(built):
    order = [p.name for p in site.pages()]
    page, seen = order[0], [order[0]]
    while True:
        nav = re.search(r'<nav class="cs-nav">(.*?)</nav>', (built / page).read_text("utf-8"))
        nxt = re.findall(r'href="([^"]+)">[^<]*→', nav.group(1))
        if not nxt:
            break
        page = nxt[0]
        seen.append(page)
    assert seen == order


def test_slides_build_with_reveal(tmp_path):
    one = tmp_path / "nb"
    one.mkdir()
    shutil.copy(ROOT / "notebooks" / "00_start_here.ipynb", one)
    [deck] = site.build_slides(tmp_path / "slides", folder=one)
    text = deck.read_text(encoding="utf-8")
    assert "reveal" in text.lower() and "Start here" in text


def test_the_report_template_gets_no_deck(tmp_path):
    one = tmp_path / "nb"
    one.mkdir()
    shutil.copy(ROOT / "notebooks" / "A2_your_own_data.ipynb", one)
    assert site.build_slides(tmp_path / "slides", folder=one) == []


def test_site_ships_a_japanese_font(built):
    assert (built / "fonts" / "ipaexg.ttf").stat().st_size > 1_000_000
    assert 'url("fonts/ipaexg.ttf")' in (built / "06_laxus_phase_strategy.html").read_text("utf-8")


# --- offline: what a page loads (not what it links to) ----------------------------------------

_CSS_COMMENT = re.compile(r"/\*.*?\*/", flags=re.S)
_CSS_URL = re.compile(r"""@import\s+['"]([^'"]+)['"]|url\(\s*['"]?([^'")]+?)['"]?\s*\)""")
# in inline scripts: dynamic and static module imports, and script paths (require([...]) lists)
_JS_URL = re.compile(r"""\bimport\s*\(\s*['"]([^'"]+)['"]"""
                     r"""|\bimport\s+[\w${}\s,*]+?\s+from\s+['"]([^'"]+)['"]"""
                     r"""|['"]((?:https?:)?//[^'"\s]+|[^'"\s]+\.m?js)['"]""")


def _css_urls(css: str) -> list[str]:
    return [a or b for a, b in _CSS_URL.findall(_CSS_COMMENT.sub("", css))]


class _Loads(HTMLParser):
    """Every URL an HTML page loads: ``src`` of any element, ``href`` of ``<link>``, CSS
    ``@import`` / ``url()`` in ``<style>`` and ``style=""``, module imports and script paths in
    inline ``<script>``. Hyperlinks (``<a href>``) are not loads and are left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v for k, v in attrs if v is not None}
        if a.get("src"):
            self.urls.append(a["src"])
        if tag == "link" and a.get("href"):
            self.urls.append(a["href"])
        if a.get("style"):
            self.urls += _css_urls(a["style"])
        self._in = tag if tag in ("style", "script") else None

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "style":
            self.urls += _css_urls(data)
        elif self._in == "script":
            self.urls += [next(g for g in m if g) for m in _JS_URL.findall(data)]


def _loads(path: Path) -> list[str]:
    """The URLs an HTML or CSS file loads."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".css":
        return _css_urls(text)
    parser = _Loads()
    parser.feed(text)
    return parser.urls


def _offline_problems(folder: Path) -> list[str]:
    """External or absolute loads, and missing local files, of every page in ``folder`` and of
    the local style sheets they load."""
    problems = []
    todo = sorted(folder.glob("*.html"))
    seen: set[Path] = set()
    while todo:
        path = todo.pop()
        for url in _loads(path):
            if url.startswith(("data:", "about:", "#")):
                continue
            if re.match(r"^[a-z][a-z0-9+.-]*:|^//|^/", url, flags=re.I):
                problems.append(f"{path.name}: loads {url}")
                continue
            target = (path.parent / unquote(urlsplit(url).path)).resolve()
            if not target.is_file():
                problems.append(f"{path.name}: {url} does not exist")
            elif target.suffix == ".css" and target not in seen:
                seen.add(target)
                todo.append(target)
    return problems


def test_the_offline_check_catches_web_loads_and_allows_hyperlinks(tmp_path):
    (tmp_path / "here.js").write_text("", encoding="utf-8")
    (tmp_path / "p.html").write_text(
        '<html><head><script src="https://cdn.example/x.js"></script>'
        '<link rel="stylesheet" href="http://cdn.example/x.css"><script src="here.js"></script>'
        "<style>/* see https://example.org */ @import url(https://fonts.example/css);"
        "@font-face {src: url('https://fonts.example/f.woff')}</style>"
        '<script type="module">import m from "https://cdn.example/m.mjs";</script>'
        '<script>require(["gone/reveal.js"], function () {});</script></head>'
        '<body><a href="https://example.org/article">source</a>'
        '<img src="data:image/png;base64,AAAA"></body></html>', encoding="utf-8")
    problems = _offline_problems(tmp_path)
    assert len(problems) == 6, problems
    assert not any("example.org" in p or "here.js" in p for p in problems)


def test_site_pages_load_nothing_from_the_web_and_every_asset_exists(built):
    assert _offline_problems(built) == []
    page = (built / "03_kpi_churn.html").read_text(encoding="utf-8")
    assert 'src="mathjax/MathJax.js?config=' in page and 'src="requirejs/require.js"' in page


def test_decks_load_nothing_from_the_web_and_every_asset_exists(decks):
    assert len(list(decks.glob("*.slides.html"))) == 9
    assert _offline_problems(decks) == []
    deck = (decks / "03_kpi_churn.slides.html").read_text(encoding="utf-8")
    for path in ("reveal.js/dist/reveal.css", "reveal.js/dist/theme/simple.css",
                 "reveal.js/dist/reveal.js", "reveal.js/plugin/notes/notes.js"):
        assert path in deck
    assert (decks / "reveal.js" / "LICENSE").exists()


@pytest.mark.parametrize("which", ["built", "decks"])
def test_mathjax_is_copied_with_what_its_configuration_loads(which, request):
    out = request.getfixturevalue(which)
    page = next(out.glob("03_kpi_churn*.html")).read_text(encoding="utf-8")
    config = re.search(r'src="mathjax/MathJax\.js\?config=([^"]+)"', page).group(1)
    mathjax = out / "mathjax"
    needed = [f"config/{name}.js" for name in config.split(",")] + [
        "MathJax.js", "LICENSE", "extensions/Safe.js", "extensions/a11y/accessibility-menu.js",
        "jax/output/HTML-CSS/fonts/STIX-Web/fontdata.js",
        "fonts/HTML-CSS/STIX-Web/woff/STIXMathJax_Main-Regular.woff", "localization/en/en.js"]
    assert [p for p in needed if not (mathjax / p).is_file()] == []
    assert '"STIX-Web"' in page  # the web fonts the copy ships
    size = sum(f.stat().st_size for f in mathjax.rglob("*") if f.is_file())
    assert size < 4_000_000


def test_a_moved_deck_folder_still_works(decks, tmp_path):
    moved = tmp_path / "elsewhere" / "decks"
    shutil.copytree(decks, moved)
    assert _offline_problems(moved) == []


def test_a_reveal_prefix_overrides_the_bundled_copy(tmp_path):
    one = tmp_path / "nb"
    one.mkdir()
    shutil.copy(ROOT / "notebooks" / "00_start_here.ipynb", one)
    out = tmp_path / "slides"
    [deck] = site.build_slides(out, folder=one, reveal_prefix="https://example.org/reveal")
    text = deck.read_text(encoding="utf-8")
    assert 'href="https://example.org/reveal/dist/reveal.css"' in text
    assert not (out / "reveal.js").exists() and (out / "mathjax" / "MathJax.js").exists()


def test_deck_links_to_other_decks_resolve(decks):
    broken = []
    for deck in decks.glob("*.slides.html"):
        for link in _links(deck):
            if link.startswith(("http://", "https://", "mailto:", "data:")):
                continue
            if link.endswith(".html") and not (decks / link).exists():
                broken.append((deck.name, link))
            assert not link.endswith(".ipynb"), (deck.name, link)
    assert not broken, broken


# --- the bundled Japanese font, as a browser renders the pages ----------------------------------

_MARK_JAPANESE = r"""
(() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let n = 0;
  for (let t = walker.nextNode(); t && n < 25; t = walker.nextNode()) {
    const e = t.parentElement;
    if (/[\u3040-\u30ff\u4e00-\u9fff]/.test(t.textContent) && !e.classList.contains('cs-ja')
        && e.closest('main, .jp-Notebook, .cs-doc')) {
      e.classList.add('cs-ja'); n++;
    }
  }
  return n;
})()
"""


@pytest.mark.parametrize("page", ["index.html", "glossary.html", "06_laxus_phase_strategy.html"])
def test_japanese_renders_in_the_bundled_font(built, page):
    """Every element with Japanese text (bold headings included) draws it with IPAexGothic,
    the font shipped in fonts/, not with whatever the machine has (here: empty boxes)."""
    from _browser import Browser

    with Browser() as b:
        b.goto((built / page).as_uri())
        b.wait_for("document.readyState === 'complete' && document.fonts.status === 'loaded'",
                   60, "the page and its fonts")
        assert b.js(_MARK_JAPANESE) > 0, f"no Japanese text on {page}"
        # web fonts load when first needed: wait for the face, then for the repaint
        b.js("document.fonts.load('1em IPAexGothic', '日本語').then(() => document.fonts.ready)")
        b.js("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        root = b.send("DOM.getDocument")["root"]["nodeId"]
        b.send("CSS.enable")
        wrong = []
        for node in b.send("DOM.querySelectorAll", nodeId=root, selector=".cs-ja")["nodeIds"]:
            fonts = b.send("CSS.getPlatformFontsForNode", nodeId=node)["fonts"]
            if "IPAexGothic" not in [f["familyName"] for f in fonts if f["glyphCount"] > 0]:
                html = b.send("DOM.getOuterHTML", nodeId=node)["outerHTML"][:80]
                wrong.append(f"{html}: {[f['familyName'] for f in fonts]}")
    assert wrong == []
