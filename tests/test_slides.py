"""Every slide of every deck fits a 1280x720 screen, measured in headless Chromium.

The decks are built from the committed notebooks (``make slides``) and opened from disk at a
1280x720 viewport. On each slide every element must lie inside the slide, or inside a box that
scrolls (a wide table) which itself lies inside the slide; no code or output may be cut off on
the right. Needs Chromium (Debian: ``apt-get install chromium``): skipped without it, unless
``CS_HELPERS_REQUIRE_BROWSER=1`` (CI).
"""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
import pytest
from _browser import Browser

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


def _open(browser: Browser, deck: Path) -> None:
    browser.goto(deck.as_uri())
    browser.wait_for("document.querySelector('.reveal.ready') !== null", 60, "reveal.js")
    # the deck loads reveal.js through require.js, so it is not a global: fetch the module
    browser.js("new Promise(r => require(['reveal.js/dist/reveal.js'], R => {"
               " window.Reveal = R; r(true); }))")
    browser.wait_for("typeof MathJax === 'undefined' || new Promise(r => "
                     "MathJax.Hub.Queue(() => r(true)))", 60, "MathJax")
    browser.wait_for("document.fonts.status === 'loaded'", 30, "fonts")
    time.sleep(0.3)


def test_every_slide_of_every_deck_fits_1280x720(decks, browser):
    assert len(decks) == 9
    problems = []
    for deck in decks:
        _open(browser, deck)
        m = browser.js(_MEASURE)
        assert (m["width"], m["height"]) == (site.SLIDE_WIDTH, site.SLIDE_HEIGHT)
        assert len(m["slides"]) > 3, deck.name
        for s in m["slides"]:
            if s["width"] > m["width"] or s["height"] > m["height"] or s["cut"]:
                problems.append(f"{deck.name} slide {s['slide']}: {s['width']}x{s['height']} "
                                f"px, cut {s['cut']} ({s['text']!r})")
    assert problems == [], "\n".join(problems)


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
        site.paginate = lambda nb, budget=0: nb        # no layout: one long slide
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
