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
                    *ROOT.glob("exercises/*.ipynb"), *ROOT.glob("exercises/solutions/*.ipynb"),
                    *ROOT.glob("exercises/ja/*.ipynb"), *ROOT.glob("exercises/solutions/ja/*.ipynb")])
# the Japanese edition (notebooks/ja/ and exercises/solutions/ja/, built from the English
# notebooks and translations/ja/; exercises/ja/, the student copies of the Japanese solutions)
JA_LESSONS = sorted(ROOT.glob("notebooks/ja/*.ipynb"))
JA_SOLUTIONS = sorted(ROOT.glob("exercises/solutions/ja/*.ipynb"))
_TWIN_FOLDERS = (ROOT / "notebooks", ROOT / "exercises", ROOT / "exercises" / "solutions")
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


def _twin(target: Path) -> Path:
    """A lesson, solution or student copy as its Japanese twin when there is one."""
    twin = target.parent / "ja" / target.name
    return twin if target.parent in _TWIN_FOLDERS and twin.exists() else target


@pytest.mark.parametrize("notebook", [*JA_LESSONS, *JA_SOLUTIONS],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_a_japanese_notebook_links_what_its_english_notebook_links(notebook):
    """Same targets as the English lesson or solution, except that a lesson, solution or
    student copy with a Japanese twin is linked as the twin (the build rewrites the paths for
    the extra folder)."""
    english = notebook.parent.parent / notebook.name
    assert _links(notebook) == {_twin(t) for t in _links(english)}


def test_japanese_student_copies_link_their_japanese_solution_and_lesson():
    copies = sorted(ROOT.glob("exercises/ja/*.ipynb"))
    assert [c.name for c in copies] == [s.name for s in JA_SOLUTIONS]   # one per solution
    for copy in copies:
        links = _links(copy)
        assert ROOT / "exercises" / "solutions" / "ja" / copy.name in links, copy.name
        assert _twin(ROOT / "notebooks" / copy.name) in links, copy.name
        assert _links(copy) - {ROOT / "exercises" / "solutions" / "ja" / copy.name} == {
            _twin(t) for t in _links(ROOT / "exercises" / copy.name)
            if t != ROOT / "exercises" / "solutions" / copy.name}


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
