"""Every slide of every deck fits a 1280x720 screen, measured in headless Chromium.

The decks are built from the committed notebooks (``make slides``) and opened from disk at a
1280x720 viewport. On each slide every element must lie inside the slide, or inside a box that
scrolls (a wide table) which itself lies inside the slide; no code or output may be cut off on
the right. Needs Chromium (Debian: ``apt-get install chromium``): skipped without it, unless
``CS_HELPERS_REQUIRE_BROWSER=1`` (CI).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import nbformat
import pytest
from _browser import Browser
from test_site import make_course

from cs_helpers.course import site

ROOT = Path(__file__).resolve().parent.parent

# For each slide: its size as laid out (unscaled CSS pixels) and what sticks out.
_MEASURE = r"""
(() => {
  const cfg = Reveal.getConfig(), scale = Reveal.getScale(), out = [];
  const scrolls = e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX)
                    || ['auto', 'scroll'].includes(getComputedStyle(e).overflowY);
  for (const s of Reveal.getSlides()) {
    const i = Reveal.getIndices(s);
    Reveal.slide(i.h, i.v, 1000);
    const top = s.getBoundingClientRect();
    let right = s.scrollWidth, bottom = s.scrollHeight, cut = [];
    for (const e of s.querySelectorAll('*')) {
      const b = e.getBoundingClientRect();
      if (b.width === 0 && b.height === 0) continue;
      let p = e.parentElement, inside = false;
      for (; p && p !== s; p = p.parentElement) if (scrolls(p)) { inside = true; break; }
      if (inside) continue;              // reachable by scrolling its box, which is measured
      right = Math.max(right, (b.right - top.left) / scale);
      bottom = Math.max(bottom, (b.bottom - top.top) / scale);
      const style = getComputedStyle(e);
      if (e.scrollWidth > e.clientWidth + 1 && !scrolls(e) && style.overflowX !== 'visible')
        cut.push(e.tagName.toLowerCase() + '.' + e.className);
      if (e.tagName === 'PRE' && e.scrollWidth > e.clientWidth + 1 && !scrolls(e))
        cut.push('pre');
    }
    out.push({slide: i.h + (i.v ? '.' + i.v : ''), width: Math.round(right),
              height: Math.round(bottom), cut: cut.slice(0, 3),
              text: (s.innerText || '').trim().replace(/\s+/g, ' ').slice(0, 60)});
  }
  return {width: cfg.width, height: cfg.height, slides: out};
})()
"""


@pytest.fixture(scope="module")
def browser():
    with Browser(width=site.SLIDE_WIDTH, height=site.SLIDE_HEIGHT) as b:
        yield b


@pytest.fixture(scope="module")
def decks(tmp_path_factory) -> list[Path]:
    return site.build_slides(tmp_path_factory.mktemp("slides"))


# Japanese decks from a small course made here (notebooks/ja is built from the translations):
# every markdown cell of two prose-heavy lessons in CJK characters, about as wide as the
# English, so the decks meet Japanese text as it wraps (a CJK character is as wide as two
# Latin ones: a layout that counted characters would overflow).
_JA = ["01_defining_customer_success", "03_kpi_churn"]


@pytest.fixture(scope="module")
def japanese_decks(tmp_path_factory) -> list[Path]:
    course = make_course(tmp_path_factory.mktemp("course") / "notebooks", _JA, _JA,
                         every_cell=True)
    built = site.build_slides(tmp_path_factory.mktemp("slides-ja"), folder=course)
    return [d for d in built if d.parent.name == "ja"]


def _misfits(browser: Browser, deck: Path) -> list[str]:
    """The slides of ``deck`` that stick out of 1280x720 or cut something off."""
    _open(browser, deck)
    m = browser.js(_MEASURE)
    assert (m["width"], m["height"]) == (site.SLIDE_WIDTH, site.SLIDE_HEIGHT)
    assert len(m["slides"]) > 3, deck.name
    return [f"{deck.parent.name}/{deck.name} slide {s['slide']}: {s['width']}x{s['height']} "
            f"px, cut {s['cut']} ({s['text']!r})" for s in m["slides"]
            if s["width"] > m["width"] or s["height"] > m["height"] or s["cut"]]


def _open(browser: Browser, deck: Path) -> None:
    browser.goto(deck.as_uri())
    browser.wait_for("document.querySelector('.reveal.ready') !== null", 60, "reveal.js")
    # the deck loads reveal.js through require.js, so it is not a global: fetch the module
    # (the Japanese decks, in ja/, load the copy one folder up)
    up = "../" if deck.parent.name == "ja" else ""
    browser.js(f"new Promise(r => require(['{up}reveal.js/dist/reveal.js'], R => {{"
               " window.Reveal = R; r(true); }))")
    browser.wait_for("typeof MathJax === 'undefined' || new Promise(r => "
                     "MathJax.Hub.Queue(() => r(true)))", 60, "MathJax")
    browser.wait_for("document.fonts.status === 'loaded'", 30, "fonts")
    time.sleep(0.3)


def test_every_slide_of_every_deck_fits_1280x720(decks, browser):
    """The English decks and, once notebooks/ja is built, the Japanese ones."""
    english = [d for d in decks if d.parent.name != "ja"]
    assert len(english) == 9
    taught = [p for p in (ROOT / "notebooks" / "ja").glob("*.ipynb")
              if site._SLIDE_DECK.match(p.stem)]
    assert len(decks) - len(english) == len(taught)
    problems = [p for deck in decks for p in _misfits(browser, deck)]
    assert problems == [], "\n".join(problems)


def test_every_slide_of_a_japanese_deck_fits_1280x720(japanese_decks, browser):
    assert [d.name for d in japanese_decks] == [f"{s}.slides.html" for s in _JA]
    for deck in japanese_decks:
        text = deck.read_text(encoding="utf-8")
        assert '<html lang="ja">' in text and "顧客" in text
    problems = [p for deck in japanese_decks for p in _misfits(browser, deck)]
    assert problems == [], "\n".join(problems)


def test_japanese_decks_switch_to_the_english_ones_and_back(japanese_decks):
    for deck in japanese_decks:
        english = deck.parent.parent / deck.name
        to_en = re.search(r'<a class="cs-deck-lang" href="([^"]+)"[^>]*>English</a>',
                          deck.read_text(encoding="utf-8"))
        to_ja = re.search(r'<a class="cs-deck-lang" href="([^"]+)"[^>]*>日本語</a>',
                          english.read_text(encoding="utf-8"))
        assert (deck.parent / to_en.group(1)).resolve() == english.resolve()
        assert (english.parent / to_ja.group(1)).resolve() == deck.resolve()
        # reveal.js, MathJax, require.js and the font: the copies one folder up
        text = deck.read_text(encoding="utf-8")
        for path in ('href="../reveal.js/dist/reveal.css"', 'src="../requirejs/require.js"',
                     'src="../mathjax/MathJax.js', 'url("../fonts/ipaexg.ttf")'):
            assert path in text
    # a link between taught lessons goes to the deck in the same language
    first = japanese_decks[0].read_text(encoding="utf-8")
    assert not re.search(r'href="[^"]*\.ipynb"', first)


def test_the_measure_catches_a_slide_that_does_not_fit(tmp_path, browser):
    # the same measurement on a deck made to overflow: a long unwrapped line and a tall figure
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Too much\n\n" + "\n".join(f"- item {i}"
                                                                   for i in range(40)))])
    nb.cells[0].metadata["slideshow"] = {"slide_type": "slide"}
    folder = tmp_path / "nb"
    folder.mkdir()
    nbformat.write(nb, folder / "01_too_much.ipynb")
    original = site.paginate
    try:
        site.paginate = lambda nb, *args, **kwargs: nb        # no layout: one long slide
        [deck] = site.build_slides(tmp_path / "out", folder=folder)
    finally:
        site.paginate = original
    _open(browser, deck)
    m = browser.js(_MEASURE)
    assert max(s["height"] for s in m["slides"]) > m["height"]


def test_paginate_splits_long_cells_and_shortens_long_code():
    code = "\n".join(f"x{i} = {i}" for i in range(40))
    png = ("iVBORw0KGgoAAAANSUhEUgAAA+gAAAH0CAYAAAA")      # a PNG header: 1000 x 500 px
    figure = nbformat.v4.new_output("display_data", data={"image/png": png + "=" * 3,
                                                          "text/plain": "<Figure>"})
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Title\n\nIntro.\n\n## Part two\n\nText."),
        nbformat.v4.new_code_cell(code, outputs=[figure, figure, figure])])
    laid = site.paginate(nb)
    starts = [c.metadata.slideshow["slide_type"] for c in laid.cells]
    assert starts[:4] == ["slide", "-", "slide", "-"]
    shown = laid.cells[4].source.splitlines()
    assert len(shown) == 23 and "18 more lines of code: see the notebook" in shown[-1]
    # three 500-px figures cannot share a slide: each further one starts a new slide
    outputs_per_slide = [len(c.outputs) for c in laid.cells[4:]]
    assert sum(outputs_per_slide) == 3 and starts.count("slide") >= 4


def test_paginate_counts_a_cjk_character_as_two_latin_ones():
    # the same number of characters: Japanese wraps after half as many
    latin, japanese = "a" * 90, "顧" * 90
    assert site._wrapped_lines(latin, site._TEXT_CHARS) == 1
    assert site._wrapped_lines(japanese, site._TEXT_CHARS) == 2
    page = "\n\n".join(["段落" * 60] * 8)             # eight paragraphs of 240 Latin widths
    laid = site.paginate(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(page)]))
    starts = [c.metadata.slideshow["slide_type"] for c in laid.cells]
    assert starts.count("slide") == 2                   # 8 x 3 lines do not fit one slide


def test_japanese_notes_on_shortened_code():
    code = "\n".join(f"x{i} = {i}" for i in range(40))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    shown = site.paginate(nb, language="ja").cells[0].source.splitlines()
    assert shown[-1] == "# ... 残りのコード 18 行はノートブックで見てください"
