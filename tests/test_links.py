"""Every relative link in the course resolves: between lessons, exercises, solutions and docs.

`make lab` serves the repository root, so a link in a notebook opens in JupyterLab when its
target exists under that root (JupyterLab resolves it from the notebook's folder). The README and
the guides are read on GitHub, in an editor or on the static site: their relative links must
point at files the repository has, and the README names no file the repository lacks.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted([*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("notebooks/ja/*.ipynb"),
                    *ROOT.glob("exercises/*.ipynb"), *ROOT.glob("exercises/solutions/*.ipynb")])
# the Japanese edition (notebooks/ja/, built from the English lessons and translations/ja/)
JA_LESSONS = sorted(ROOT.glob("notebooks/ja/*.ipynb"))
DOCS = sorted([ROOT / "README.md", ROOT / "README.ja.md", *ROOT.glob("docs/*.md"),
               *ROOT.glob("*/README.md"), *ROOT.glob("cs_helpers/course/_vendor/README.md")])
# what `make ...` writes (not in the repository, named as outputs)
GENERATED = ("reports/", "_site/", "_slides/", ".venv", "build/")

_MD_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HTML_LINK = re.compile(r"""(?:href|src)\s*=\s*["']([^"']+)["']""")


def relative_links(markdown: str) -> list[str]:
    """Relative link targets of a markdown text (markdown and HTML links; not in code)."""
    text = re.sub(r"```.*?```", "", markdown, flags=re.S)
    text = re.sub(r"`[^`\n]*`", "", text)
    links = _MD_LINK.findall(text) + _HTML_LINK.findall(text)
    return [u for u in links if not re.match(r"^([a-z][a-z0-9+.-]*:|#|//)", u, flags=re.I)]


def _target(source: Path, link: str) -> Path:
    return (source.parent / unquote(urlsplit(link).path)).resolve()


def test_the_link_finder_finds_links_and_skips_code_and_urls():
    md = ("[a](../exercises/x.ipynb) and <a href='y.md'>y</a>, ![f](img/p.png)\n"
          "`[not](code.md)` [web](https://example.org) [here](#top)\n```\n[no](z.md)\n```")
    assert relative_links(md) == ["../exercises/x.ipynb", "img/p.png", "y.md"]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_in_a_notebook_opens_under_the_served_root(notebook):
    nb = nbformat.read(notebook, as_version=4)
    broken = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for link in relative_links(cell.source):
            target = _target(notebook, link)
            if not target.is_relative_to(ROOT) or not target.exists():
                broken.append(link)
    assert broken == []


def test_lessons_link_their_exercises_and_exercises_link_lesson_and_solution():
    for copy in sorted(ROOT.glob("exercises/*.ipynb")):
        links = {_target(copy, link) for cell in nbformat.read(copy, as_version=4).cells
                 if cell.cell_type == "markdown" for link in relative_links(cell.source)}
        assert ROOT / "exercises" / "solutions" / copy.name in links, copy.name
        assert ROOT / "notebooks" / copy.name in links, copy.name
        lesson = nbformat.read(ROOT / "notebooks" / copy.name, as_version=4)
        back = {_target(ROOT / "notebooks" / copy.name, link) for cell in lesson.cells
                if cell.cell_type == "markdown" for link in relative_links(cell.source)}
        assert copy in back, f"notebooks/{copy.name} does not link its exercises"


def _links(notebook: Path) -> set[Path]:
    return {_target(notebook, link) for cell in nbformat.read(notebook, as_version=4).cells
            if cell.cell_type == "markdown" for link in relative_links(cell.source)}


@pytest.mark.parametrize("lesson", JA_LESSONS, ids=lambda p: p.stem)
def test_a_japanese_lesson_links_what_its_english_lesson_links(lesson):
    """Same targets as the English lesson, except that a lesson with a Japanese twin is linked
    as the twin (the build rewrites the paths for the extra folder)."""
    english = ROOT / "notebooks" / lesson.name
    want = {ROOT / "notebooks" / "ja" / t.name
            if t.parent == ROOT / "notebooks" and (ROOT / "notebooks" / "ja" / t.name).exists()
            else t for t in _links(english)}
    assert _links(lesson) == want


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_in_the_readme_and_docs_exists(doc):
    broken = [link for link in relative_links(doc.read_text(encoding="utf-8"))
              if not _target(doc, link).exists()]
    assert broken == []


def test_the_readme_names_no_file_the_repository_lacks():
    """File names in the READMEs' text (`tasks.py`, `docs/glossary.md`, ...) exist somewhere in
    the repository, except what a task writes (reports/, _site/ ...)."""
    text = "\n".join(re.sub(r"https?://\S+", "", (ROOT / name).read_text(encoding="utf-8"))
                     for name in ("README.md", "README.ja.md"))
    names = set(re.findall(r"(?<![\w/.:-])((?:[\w.-]+/)*[\w.-]+\.(?:md|txt|toml|yml|yaml|py|"
                           r"ipynb|cfg))\b", text))
    files = {p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*")
             if p.is_file() and ".git" not in p.parts and ".venv" not in p.parts[0]}
    basenames = {f.rsplit("/", 1)[-1] for f in files}
    missing = sorted(n for n in names if not n.startswith(GENERATED)
                     and n not in files and n not in basenames)
    assert missing == []
