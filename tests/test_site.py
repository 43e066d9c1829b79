"""The static site: a page per notebook, working links, prev/next in course order; slides build."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from cs_helpers import site

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    site.build_site(out)
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
    assert "Course map" in index and "15 + 0" in index
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
