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


def _broken_links(out: Path) -> list[str]:
    """Relative links of every page (top level and ja/) that lead to no file."""
    broken = []
    for page in [*out.glob("*.html"), *out.glob("ja/*.html")]:
        for link in _links(page):
            if link.startswith(("http://", "https://", "mailto:", "data:")):
                continue
            if not (page.parent / link).exists():
                broken.append(f"{page.relative_to(out)} -> {link}")
    return broken


def test_every_internal_link_resolves(built):
    assert _broken_links(built) == []


def _chain(folder: Path, first: str) -> list[str]:
    """The pages visited by following "next" from ``first``."""
    page, seen = first, [first]
    while True:
        nav = re.search(r'<nav class="cs-nav">(.*?)</nav>', (folder / page).read_text("utf-8"))
        nxt = re.findall(r'href="([^"]+)">[^<]*→', nav.group(1))
        if not nxt:
            break
        page = nxt[0]
        seen.append(page)
    return seen


def test_previous_next_chain_visits_the_notebooks_in_order(built):
    order = [p.name for p in site.pages()]
    assert _chain(built, order[0]) == order


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


# --- the Japanese edition: ja/ next to the English pages, a language switch both ways ----------

# Prose letters become CJK characters, two Latin letters to one, and the spaces between words
# go (a translation takes about as much room on the page as the English, with no spaces), so
# the layout meets Japanese text as it wraps.
_CJK = "顧客の成功を支えるために解約率と継続率を毎月見ます導入期定着期成熟期"
_KEEP = re.compile(r"(\]\([^)]*\)|`[^`]*`|\$\$.*?\$\$|\$[^$\n]*\$|<[^>]*>|https?://\S+)", re.S)


_BLOCK_START = re.compile(r"\s*([-*+>|#]|\d+\.\s|```|~~~|\$\$)")


def _unwrap(text: str) -> str:
    """Join the lines of each paragraph (the English wraps its source lines; a translation
    usually writes a paragraph or list item on one line)."""
    out: list[str] = []
    fence = False
    for line in text.split("\n"):
        if line.strip().startswith(("```", "~~~", "$$")):
            fence = not fence
        elif (not fence and out and out[-1].strip() and line.strip()
              and not _BLOCK_START.match(line) and not re.match(r"\s*[#|]", out[-1])):
            out[-1] += " " + line.strip()
            continue
        out.append(line)
    return "\n".join(out)


def japanese_prose(text: str) -> str:
    """``text`` with its prose letters turned into CJK characters; links, code and math kept.

    >>> japanese_prose("## Churn rate, [see](03_a.ipynb) `cs.x`")
    '## 顧客の成功, [を支](03_a.ipynb) `cs.x`'
    """
    chars = iter(_CJK * (len(text) // len(_CJK) + 1))
    parts = _KEEP.split(_unwrap(text))
    parts[::2] = [re.sub(r"(?<=[\u3040-\u9fff]) (?=[\u3040-\u9fff])", "",
                         re.sub(r"[A-Za-z]{1,2}", lambda m: next(chars), p))
                  for p in parts[::2]]
    return "".join(parts)


def _ja_links(text: str, twins: set[str]) -> str:
    """The links of an English cell as the translation build writes them in notebooks/ja/:
    a lesson with a twin stays, another lesson goes one folder up, anything else two up."""
    def fix(m: re.Match) -> str:
        target = m.group(1)
        if re.match(r"^[a-z]+:|^#", target):
            return m.group(0)
        stem = re.fullmatch(r"(\w+)\.ipynb(#.*)?", target)
        if stem and stem.group(1) in twins:
            return m.group(0)
        return f"](../{target})"
    return re.sub(r"\]\(([^)]+)\)", fix, text)


def make_course(folder: Path, english: list[str], japanese: list[str],
                every_cell: bool = False) -> Path:
    """A small course in ``folder``: copies of English lessons and Japanese twins of some (in
    ``folder / "ja"``): the title cell in Japanese (or every markdown cell), links rewritten."""
    import nbformat

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ja").mkdir(exist_ok=True)
    for stem in english:
        shutil.copy(ROOT / "notebooks" / f"{stem}.ipynb", folder)
    for stem in japanese:
        nb = nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb", as_version=4)
        first = True
        for cell in nb.cells:
            if cell.cell_type != "markdown":
                continue
            if first or every_cell:
                cell.source = japanese_prose(cell.source)
            if first:
                number = stem.split("_")[0]
                cell.source = re.sub(r"^#\s+.*$", f"# {number} · 日本語の回 {number}",
                                     cell.source, count=1, flags=re.M)
                first = False
            cell.source = _ja_links(cell.source, set(japanese))
        nbformat.write(nb, folder / "ja" / f"{stem}.ipynb")
    return folder


_EN = ["01_defining_customer_success", "02_targeting", "03_kpi_churn"]
_JA = ["01_defining_customer_success", "02_targeting"]


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory) -> Path:
    """The site of a course with three English lessons and Japanese twins of the first two."""
    course = make_course(tmp_path_factory.mktemp("course") / "notebooks", _EN, _JA)
    out = tmp_path_factory.mktemp("site-ja")
    site.build_site(out, folder=course)
    return out


def _nav_of(page: Path) -> str:
    return re.search(r'<nav class="cs-nav">(.*?)</nav>', page.read_text("utf-8")).group(1)


def _switch_of(page: Path) -> str | None:
    m = re.search(r'<a class="cs-lang" href="([^"]+)"', page.read_text("utf-8"))
    return m.group(1) if m else None


def test_japanese_pages_are_built_next_to_the_english_ones(bilingual):
    for stem in _JA:
        page = bilingual / "ja" / f"{stem}.html"
        assert '<html lang="ja">' in page.read_text("utf-8")
        assert f"日本語の回 {stem[:2]}" in page.read_text("utf-8")
    assert not (bilingual / "ja" / "03_kpi_churn.html").exists()      # no twin, no page
    assert '<html lang="ja">' in (bilingual / "ja" / "index.html").read_text("utf-8")
    assert '<html lang="en">' in (bilingual / "index.html").read_text("utf-8")
    english = (bilingual / "01_defining_customer_success.html").read_text("utf-8")
    assert '<html lang="en">' in english and "日本語の回" not in english
    # the Japanese guides (docs/ja) are pages of the Japanese site
    for path in (ROOT / "docs" / "ja").glob("*.md"):
        assert '<html lang="ja">' in (bilingual / "ja" / f"{path.stem}.html").read_text("utf-8")


def test_the_language_switch_links_each_page_to_its_twin_both_ways(bilingual):
    for stem in _JA:
        en, ja = bilingual / f"{stem}.html", bilingual / "ja" / f"{stem}.html"
        assert _switch_of(en) == f"ja/{stem}.html"
        assert _switch_of(ja) == f"../{stem}.html"
        assert (en.parent / _switch_of(en)).resolve() == ja.resolve()
        assert (ja.parent / _switch_of(ja)).resolve() == en.resolve()
        assert "日本語</a>" in _nav_of(en) and "English</a>" in _nav_of(ja)
    assert _switch_of(bilingual / "03_kpi_churn.html") is None
    assert _switch_of(bilingual / "index.html") == "ja/index.html"
    assert _switch_of(bilingual / "ja" / "index.html") == "../index.html"
    for path in (ROOT / "docs" / "ja").glob("*.md"):
        assert _switch_of(bilingual / f"{path.stem}.html") == f"ja/{path.stem}.html"
        assert _switch_of(bilingual / "ja" / f"{path.stem}.html") == f"../{path.stem}.html"
    assert _broken_links(bilingual) == []


def test_japanese_pages_have_japanese_navigation(bilingual):
    ja = bilingual / "ja"
    first, second = (f"{s}.html" for s in _JA)
    nav = _nav_of(ja / first)
    assert "コースマップ</a>" in nav and f'href="{second}">次へ: 02 · 日本語の回 02 →' in nav
    assert f'href="{first}">← 前へ: 01 · 日本語の回 01' in _nav_of(ja / second)
    assert "Course index" not in (ja / first).read_text("utf-8")
    assert _chain(ja, first) == [first, second]
    # the English pages keep their words
    assert "Course index</a>" in _nav_of(bilingual / first) and "次へ" not in _nav_of(
        bilingual / first)


def test_links_from_a_japanese_lesson_go_to_the_twin_or_the_english_page(bilingual):
    page = bilingual / "ja" / "02_targeting.html"
    links = _links(page)
    # "Next: 03" has no twin: the English page, one folder up; exercises: the index section
    assert "../03_kpi_churn.html" in links
    assert re.search(r'href="index.html#exercises"', page.read_text("utf-8"))
    assert not [x for x in links if x.endswith((".ipynb", ".md"))]


def _map_minutes(index: Path) -> dict[str, tuple[str, str]]:
    """Lesson number -> (core + exercises, going deeper) from an index page's course map."""
    out = {}
    for row in re.findall(r"<tr>(.*?)</tr>", index.read_text("utf-8"), flags=re.S):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row,
                                                                          flags=re.S)]
        both = [i for i, c in enumerate(cells) if re.fullmatch(r"\d+ \+ \d+", c)]
        if cells and both:
            out[cells[0]] = (cells[both[0]], cells[both[0] + 1])
    return out


def test_the_japanese_course_map_has_japanese_titles_and_the_english_minutes(bilingual, built):
    index = (bilingual / "ja" / "index.html").read_text("utf-8")
    assert "コースマップ" in index and "ノートブック" in index and "演習" in index
    assert '<a href="01_defining_customer_success.html">01 · 日本語の回 01</a>' in index
    assert 'href="../03_kpi_churn.html"' in index and "（英語）" in index   # not translated yet
    english, japanese = _map_minutes(built / "index.html"), _map_minutes(bilingual / "ja" /
                                                                         "index.html")
    assert set(japanese) == {s[:2] for s in _EN}
    assert {k: english[k] for k in japanese} == japanese


def test_japanese_totals_use_the_english_sums():
    assert site._hours(395) == "6時間35分" and site._hours(45) == "45分"
    html = site._course_map_ja(site.pages(), {})
    readme = (ROOT / "README.md").read_text("utf-8")
    m = re.search(r"Core path 01-07: (\d+) h (\d+) min of lessons plus (\d+) h (\d+) min", readme)
    assert m, "the README's course map sentence moved"
    assert f"講義 {m.group(1)}時間{m.group(2)}分と演習 {m.group(3)}時間{m.group(4)}分" in html


def test_the_japanese_site_loads_nothing_from_the_web(bilingual):
    assert _offline_problems(bilingual / "ja") == []
    page = (bilingual / "ja" / "01_defining_customer_success.html").read_text("utf-8")
    assert 'src="../mathjax/MathJax.js?config=' in page and 'src="../requirejs/require.js"' in page
    assert 'url("../fonts/ipaexg.ttf")' in page
    assert not (bilingual / "ja" / "mathjax").exists()      # the assets are shipped once


@pytest.mark.parametrize("page", ["ja/index.html", "ja/01_defining_customer_success.html"])
def test_japanese_pages_render_in_the_bundled_font(bilingual, page):
    test_japanese_renders_in_the_bundled_font(bilingual, page)


def test_the_real_japanese_notebooks_get_pages_with_a_switch(built):
    twins = sorted((ROOT / "notebooks" / "ja").glob("*.ipynb"))
    if not twins:
        pytest.skip("notebooks/ja has no notebooks yet")
    for nb in twins:
        page = built / "ja" / f"{nb.stem}.html"
        assert '<html lang="ja">' in page.read_text("utf-8")
        assert _switch_of(page) == f"../{nb.stem}.html"
        assert _switch_of(built / f"{nb.stem}.html") == f"ja/{nb.stem}.html"
    assert _offline_problems(built / "ja") == []
    assert _map_minutes(built / "ja" / "index.html") == _map_minutes(built / "index.html")
