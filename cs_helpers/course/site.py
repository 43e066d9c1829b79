"""Static copies of the course: an HTML site and reveal.js slide decks, from the executed notebooks.

``make site`` (``python -m cs_helpers.course.site site --out _site``) renders every notebook, as
committed (no re-execution), to HTML with previous / next navigation, plus an index page and the
guides in ``docs/``. It is for reading without an install and for projecting.

Both languages: when ``notebooks/ja/`` has notebooks (the Japanese edition, built by
``cs_helpers.course.translate``), the site and the decks get a Japanese copy in ``ja/`` (pages
``<html lang="ja">``, navigation words and the index with its course map in Japanese, docs from
``docs/ja/`` where translated). Every page and deck carries a language switch to the same page
in the other language, wherever that twin exists.

``make slides`` (``python -m cs_helpers.course.site slides --out _slides``) renders each notebook as a
reveal.js deck for a 1280x720 projector (16:9, shown at full size). The cells' ``slideshow``
metadata start slides where the author wants them; :func:`paginate` then lays the cells out so
that every slide fits: markdown is split into blocks, a code cell's outputs may go to the next
slide, figures are scaled to the slide, long code and text outputs are shortened (with a line
saying how much is left out, to read in the notebook), wide tables scroll. ``tests/test_slides.py``
renders every deck in headless Chromium and measures each slide.

Offline: both folders are self-contained and relocatable. The pages embed their figures and
styles and load everything else through relative links to copies written next to them:

- ``mathjax/``: MathJax 2.7.9 (TeX input, HTML-CSS output with the STIX-Web fonts), copied from
  the ``jupyter-server-mathjax`` package, trimmed to what that configuration loads;
- ``requirejs/``: require.js, which nbconvert's pages expect (the decks load reveal.js with it);
- ``reveal.js/`` (decks only): reveal.js 4, vendored in ``cs_helpers/course/_vendor/``;
- ``fonts/``: the IPAexGothic font, so Japanese renders whatever fonts the machine has.

nbconvert's mermaid loader (unused by the course) and the decks' jQuery (only used by the
``reveal_scroll`` option, which is off) are left out, so no page fetches anything from the web.
``--reveal-prefix`` still points the decks at another reveal.js copy (then none is written).
"""

from __future__ import annotations

import argparse
import html
import posixpath
import re
import shutil
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parents[2]          # the checkout: cs_helpers/course/ -> ../..
NOTEBOOKS = ROOT / "notebooks"
DOCS = ROOT / "docs"
VENDOR = Path(__file__).resolve().parent / "_vendor"

#: MathJax configuration of the offline copy. ``jupyter-server-mathjax`` ships MathJax 2.7.9 with
#: TeX input and the HTML-CSS output (STIX-Web fonts), not the CommonHTML output of nbconvert's
#: CDN default (``TeX-AMS_CHTML-full,Safe``); both typeset the same TeX.
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"

__all__ = ["Page", "Edition", "editions", "pages", "build_site", "build_slides", "copy_assets",
           "paginate", "SLIDE_WIDTH", "SLIDE_HEIGHT", "WORDS"]

# notebooks that get a slide deck: the core path 00-07 and A1 (not the A2 report template)
_SLIDE_DECK = re.compile(r"^(\d\d|A1)_")

# The bundled IPAexGothic is first in every font stack but only for Japanese characters
# (unicode-range): Latin text keeps the reader's system font, and Japanese never depends on the
# machine's fonts (Chromium on Linux otherwise draws bold Japanese as empty boxes when the system
# has no Japanese font, even with IPAexGothic later in the stack).
_JA_RANGE = "U+3000-30FF, U+3400-4DBF, U+4E00-9FFF, U+F900-FAFF, U+FF00-FFEF"
_FONT_FACE = ('@font-face {font-family: "IPAexGothic"; src: url("fonts/ipaexg.ttf") '
              f'format("truetype"); unicode-range: {_JA_RANGE};}}')
_STYLE = """
<style>
""" + _FONT_FACE + """
body, .jp-RenderedHTMLCommon, .cs-doc, .cs-nav {font-family: "IPAexGothic", -apple-system,
         "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;}
.cs-nav {display: flex; justify-content: space-between; gap: 1em;
         padding: 0.6em 1.2em; background: #f3f6fa; border-bottom: 1px solid #d0d7de;}
.cs-nav.bottom {border-top: 1px solid #d0d7de; border-bottom: none; margin-top: 2em;}
.cs-nav a {color: #0a58ca; text-decoration: none;}
.cs-nav .cs-lang, .cs-doc .cs-lang {margin-left: 1.2em; padding: 0.05em 0.6em;
         border: 1px solid #0a58ca; border-radius: 0.8em; white-space: nowrap;}
.cs-doc {max-width: 60em; margin: 2em auto; line-height: 1.5;
         padding: 0 1em;}
.cs-doc table {border-collapse: collapse;} .cs-doc td, .cs-doc th {border: 1px solid #ccc;
         padding: 0.3em 0.6em; vertical-align: top;}
</style>
"""


@dataclass(frozen=True)
class Page:
    """One notebook of the course: its file, output name and title."""

    source: Path
    name: str
    title: str


@dataclass(frozen=True)
class Edition:
    """One language of the course: its notebooks and guides, and where its pages go.

    ``subdir`` is ``""`` for English (the output folder's top level) and ``"ja"`` for Japanese.
    """

    language: str
    notebooks: Path
    docs: Path
    subdir: str = ""

    @property
    def prefix(self) -> str:
        """From a page of this edition back to the output folder's top level."""
        return "../" if self.subdir else ""

    def path(self, name: str) -> str:
        """A file of this edition, relative to the output folder."""
        return f"{self.subdir}/{name}" if self.subdir else name

    def key(self, kind: str, stem: str) -> str:
        """Where a notebook or guide of this edition sits in the checkout (how links name it)."""
        folder = "notebooks" if kind == "notebook" else "docs"
        suffix = ".ipynb" if kind == "notebook" else ".md"
        return f"{folder}/{self.subdir}/{stem}{suffix}" if self.subdir else \
            f"{folder}/{stem}{suffix}"


#: The words the site and the decks show around the notebooks, per language.
WORDS = {
    "en": {"name": "English", "index": "Course index", "previous": "", "next": "",
           "code_left_out": "# ... {n} more lines of code: see the notebook",
           "text_left_out": "... {n} more lines: see the notebook",
           "switch_title": "This page in English"},
    "ja": {"name": "日本語", "index": "コースマップ", "previous": "前へ: ", "next": "次へ: ",
           "code_left_out": "# ... 残りのコード {n} 行はノートブックで見てください",
           "text_left_out": "... 残り {n} 行はノートブックで見てください",
           "switch_title": "このページの日本語版"},
}


def editions(folder: Path = NOTEBOOKS, docs: Path = DOCS) -> list[Edition]:
    """English, plus Japanese when ``folder / "ja"`` has notebooks.

    >>> [e.language for e in editions()][0]
    'en'
    """
    found = [Edition("en", folder, docs)]
    if any((folder / "ja").glob("*.ipynb")):
        found.append(Edition("ja", folder / "ja", docs / "ja", "ja"))
    return found


def _title(path: Path) -> str:
    import nbformat

    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#\s+(.+)$", cell.source, flags=re.M)
            if m:
                return m.group(1).strip()
    return path.stem


def pages(folder: Path = NOTEBOOKS) -> list[Page]:
    """The notebooks in course order (their file names sort in teaching order)."""
    return [Page(p, f"{p.stem}.html", _title(p)) for p in sorted(folder.glob("*.ipynb"))]


def _switch(href: str | None, language: str) -> str:
    """The language switch: a link to the same page in ``language`` ("" without a twin)."""
    if not href:
        return ""
    w = WORDS[language]
    return (f'<a class="cs-lang" href="{href}" hreflang="{language}" lang="{language}" '
            f'title="{w["switch_title"]}">{w["name"]}</a>')


def _nav(prev: Page | None, nxt: Page | None, bottom: bool = False, language: str = "en",
         switch: str = "") -> str:
    w = WORDS[language]
    left = (f'<a href="{prev.name}">← {w["previous"]}{html.escape(prev.title)}</a>' if prev
            else "<span></span>")
    right = (f'<a href="{nxt.name}">{w["next"]}{html.escape(nxt.title)} →</a>' if nxt
             else "<span></span>")
    cls = "cs-nav bottom" if bottom else "cs-nav"
    middle = f'<a href="index.html">{w["index"]}</a>'
    if switch:
        middle = f"<span>{middle}{switch}</span>"
    return f'<nav class="{cls}">{left}{middle}{right}</nav>'


def _inject(body_html: str, top: str, bottom: str) -> str:
    body_html = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + top, body_html, count=1)
    return body_html.replace("</body>", bottom + "</body>", 1)


def _style(prefix: str = "") -> str:
    """The site's style, for a page ``prefix`` below the output folder's top level."""
    return _STYLE.replace('url("fonts/', f'url("{prefix}fonts/')


# --- links: a target in the checkout -> the page that renders it --------------------------------

_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*:|#|/)", flags=re.I)


def _resolve(href: str, base: str, targets: dict[str, str]) -> tuple[str, str] | None:
    """The output page (relative to the output folder) and fragment of a relative link written
    in the checkout folder ``base`` (e.g. ``notebooks/ja``), or None if it renders to no page.
    A Japanese target without a page falls back to the English one."""
    from urllib.parse import unquote, urlsplit

    if not href or _SCHEME.match(href):
        return None
    parts = urlsplit(href)
    if not parts.path:
        return None
    where = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    for key in (where, where.replace("/ja/", "/", 1)):
        if key in targets:
            return targets[key], fragment
    return None


def _relative(target: str, page: str) -> str:
    """``target`` (relative to the output folder) as a link from ``page`` (same)."""
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


def _site_links(body: str, base: str, page: str, targets: dict[str, str], index: str) -> str:
    """Point a page's links to notebooks, guides and READMEs at their pages on the site, and
    links to exercises at the index's exercises section (they are opened in JupyterLab). A link
    to a notebook that has no page (a lesson left out of the build) becomes plain text."""

    def unlink(m: re.Match) -> str:
        href = html.unescape(m.group(1))
        path = href.split("#")[0]
        if (_SCHEME.match(href) or not path.endswith(".ipynb")
                or _resolve(href, base, targets) is not None
                or posixpath.normpath(posixpath.join(base, path)).startswith("exercises/")):
            return m.group(0)
        return m.group(2)

    body = re.sub(r'<a href="([^"]*)"[^>]*>(.*?)</a>', unlink, body, flags=re.S)

    def fix(m: re.Match) -> str:
        href = html.unescape(m.group(1))
        found = _resolve(href, base, targets)
        if found is None:
            where = "" if _SCHEME.match(href) else posixpath.normpath(
                posixpath.join(base, href.split("#")[0] or "."))
            if not where.startswith("exercises/"):
                return m.group(0)
            found = (index, "#exercises")
        return f'href="{_relative(found[0], page)}{found[1]}"'

    return re.sub(r'href="([^"]*)"', fix, body)


def _markdown_html(text: str) -> str:
    """Markdown to HTML (mistune, which nbconvert ships)."""
    import mistune

    return mistune.html(text)


def _course_map() -> str:
    """The README's course map (table with minutes per notebook) as HTML, or "" if absent."""
    readme = ROOT / "README.md"
    if not readme.exists():
        return ""
    m = re.search(r"^## Course map\s*\n(.*?)(?=^## |\Z)", readme.read_text(encoding="utf-8"),
                  flags=re.M | re.S)
    return _markdown_html(m.group(1)) if m else ""


def _hours(minutes: int) -> str:
    """Minutes as Japanese hours and minutes.

    >>> _hours(395), _hours(45), _hours(120)
    ('6時間35分', '45分', '2時間')
    """
    h, m = divmod(minutes, 60)
    return (f"{h}時間" if h else "") + (f"{m}分" if m or not h else "")


def _readme_ja_topics() -> dict[str, str]:
    """The 内容 (topic) column of README.ja.md's course map, by notebook stem ({} if absent)."""
    readme = ROOT / "README.ja.md"
    if not readme.exists():
        return {}
    topics: dict[str, str] = {}
    column = None
    for line in readme.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if column is None and "内容" in cells:
            column = cells.index("内容")
            continue
        m = re.search(r"\[([\w-]+)\.ipynb\]", line)
        if column is not None and m and len(cells) > column:
            topics[m.group(1)] = cells[column]
    return topics


def _course_map_ja(english: list[Page], titles: dict[str, str]) -> str:
    """The course map in Japanese: the Japanese titles (English ones, marked, for lessons not
    yet translated) and the same minutes as the English map (``cs_helpers.course.timing``)."""
    from . import timing

    topics = _readme_ja_topics()
    head = ["回", "ノートブック"] + (["内容"] if topics else []) + [
        "基本コース + 演習（分）", "発展（任意）（分）"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    core = exercises = deeper = 0
    for page in english:
        stem = page.source.stem
        t = timing.estimate(page.source)
        if re.match(r"^0[1-7]_", stem):
            core, exercises, deeper = (core + t["core"], exercises + t["exercises"],
                                       deeper + t["deeper"])
        if stem in titles:
            link = f"[{titles[stem]}]({stem}.html)"
        else:
            link = f"[{page.title}](../{stem}.html)（英語）"
        cells = [stem.split("_")[0], link.replace("|", "\\|")]
        if topics:
            cells.append(topics.get(stem, ""))
        cells += [f"{t['core']} + {t['exercises']}", str(t["deeper"])]
        rows.append("| " + " | ".join(cells) + " |")
    total = (f"01〜07 の基本コースは、講義 {_hours(core)}と演習 {_hours(exercises)}の合計 "
             f"{_hours(core + exercises)}です。発展（任意）のセクションを加えると、さらに "
             f"{_hours(deeper)}かかります。所要時間は1つのルール（`cs_helpers.timing`）で計算して"
             "います（英語版と同じ数字です）。1回目は発展のセクションを読み飛ばしてかまいません。")
    return _markdown_html("\n".join(rows) + "\n\n" + total)


def _doc_title(path: Path, language: str) -> str:
    """A guide's title: its stem in words (English), its first heading (Japanese)."""
    if language == "en":
        return path.stem.replace("_", " ").capitalize()
    m = re.search(r"^#\s+(.+)$", path.read_text(encoding="utf-8"), flags=re.M)
    return m.group(1).strip() if m else path.stem.replace("_", " ")


def _html_page(title: str, body: str, language: str, prefix: str, nav: str = "") -> str:
    return (f"<!DOCTYPE html><html lang=\"{language}\"><head><meta charset='utf-8'><title>"
            f"{html.escape(title)}</title>{_style(prefix)}</head><body>{nav}"
            f"<main class='cs-doc'>{body}</main></body></html>")


def _markdown_page(title: str, text: str, language: str = "en", prefix: str = "",
                   switch: str = "") -> str:
    return _html_page(title, _markdown_html(text), language, prefix,
                      _nav(None, None, language=language, switch=switch))


def _copy_japanese_font(out: Path) -> None:
    """Ship IPAexGothic (from matplotlib-fontja) with the site, so Japanese renders offline
    in any browser, whatever fonts the machine has."""
    import matplotlib_fontja

    font = Path(matplotlib_fontja.__file__).parent / "fonts" / "ipaexg.ttf"
    (out / "fonts").mkdir(exist_ok=True)
    shutil.copyfile(font, out / "fonts" / "ipaexg.ttf")


# --- offline assets ---------------------------------------------------------------------------

# Parts of jupyter-server-mathjax's MathJax tree that the HTML-CSS configuration never loads: the
# SVG output, the accessibility explorer's speech engine (3.5 MB, only loaded from the MathJax
# menu) and every interface language but English (the default; set only from the menu).
_MATHJAX_SKIP = ("jax/output/SVG", "extensions/a11y/mathjax-sre.js", "extensions/a11y/mathmaps")
_MATHJAX_LOCALES = ("en",)

# A relative URL per copied asset, from a page in the output folder's top level.
_MATHJAX_URL = f"mathjax/MathJax.js?config={MATHJAX_CONFIG}"
_REQUIRE_JS_URL = "requirejs/require.js"
_REVEAL_PREFIX = "reveal.js"

# HTML-CSS output: use the STIX-Web web fonts shipped in the copy (the MathJax default, TeX fonts,
# is not in jupyter-server-mathjax) and never look for locally installed math fonts.
_MATHJAX_FONTS = """<script type="text/x-mathjax-config">
MathJax.Hub.Config({"HTML-CSS": {availableFonts: [], preferredFont: null, webFont: "STIX-Web",
                                 imageFont: null}});
</script>
"""

# nbconvert's templates, minus what loads from the web: the mermaid loader (a module import from
# cdnjs; no course notebook has a mermaid diagram) and, in the decks, jQuery (only used when
# SlidesExporter.reveal_scroll is on). MathJax gets the font settings above.
_OFFLINE_BLOCKS = (
    "{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}\n"
    "{%- block html_head_js_mathjax -%}{% raw %}" + _MATHJAX_FONTS
    + "{% endraw %}{{ super() }}{%- endblock html_head_js_mathjax -%}\n"
)
_LAB_TEMPLATE = '{%- extends "index.html.j2" -%}\n' + _OFFLINE_BLOCKS
_REVEAL_TEMPLATE = (
    '{%- extends "index.html.j2" -%}\n' + _OFFLINE_BLOCKS
    + "{%- block html_head_js_jquery -%}{%- endblock html_head_js_jquery -%}\n"
)

SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 720      # a 16:9 projector, at full size

# Decks: the Japanese font as on the site, and font stacks that do without the Google fonts the
# upstream "simple" theme imported (News Cycle, Lato), so headings never fall back to Impact.
# Sizes are fixed in pixels so that :func:`paginate` can budget each slide: text 22 px, code and
# tables 17 px, figures at most _FIGURE_MAX px tall, code lines wrapped instead of cut off, and
# wide or long tables scroll inside their box. A projected table shows the Japanese labels only:
# the English name under each (cs_helpers.labels) is for a learner typing code, in the notebook.
_FONT_STACK = ('"IPAexGothic", -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, '
               'sans-serif')
_FIGURE_MAX = 500
_TABLE_MAX = 520
_DECK_STYLE = f"""
<style>
{_FONT_FACE}
:root {{--jp-content-font-family: {_FONT_STACK}; --jp-ui-font-family: {_FONT_STACK};
        --jp-ui-font-size1: 17px; --jp-content-font-size1: 22px; --jp-code-font-size: 17px;
        --jp-cell-prompt-width: 0px;}}
.reveal {{font-family: "Lato", {_FONT_STACK}; font-size: 22px;}}
.reveal h1, .reveal h2, .reveal h3, .reveal h4, .reveal h5, .reveal h6 {{
    font-family: "News Cycle", {_FONT_STACK};}}
.reveal h1 {{font-size: 40px;}} .reveal h2 {{font-size: 34px;}} .reveal h3 {{font-size: 28px;}}
.reveal h4, .reveal h5, .reveal h6 {{font-size: 24px;}}
.reveal .slides section {{padding: 0; line-height: 1.3;}}
.reveal p, .reveal ul, .reveal ol, .reveal blockquote {{margin: 0 0 10px 0;}}
.reveal .jp-RenderedHTMLCommon p, .reveal .jp-RenderedHTMLCommon li {{font-size: 22px;}}
.reveal .jp-InputPrompt, .reveal .jp-OutputPrompt {{display: none;}}
.reveal pre, .reveal code {{white-space: pre-wrap; overflow-wrap: anywhere;}}
.reveal .highlight {{margin: 0;}}
.reveal div.highlight > pre, .reveal div.jp-OutputArea-output > pre {{
    font-size: 17px; line-height: 1.3; width: 100%; margin: 0; box-sizing: border-box;}}
.reveal .jp-OutputArea-output img {{max-height: {_FIGURE_MAX}px; max-width: 100%;
    width: auto; height: auto;}}
.reveal .jp-OutputArea-output[data-mime-type="text/html"] {{max-height: {_TABLE_MAX}px;
    max-width: 100%; overflow: auto;}}
.reveal table {{font-size: 17px;}}
.reveal .jp-RenderedHTMLCommon table {{font-size: 17px;}}
.reveal .cs-label-en {{display: none !important;}}
</style>
"""


def _mathjax_root() -> Path:
    """The MathJax 2 tree of the ``jupyter-server-mathjax`` package."""
    import jupyter_server_mathjax

    return Path(jupyter_server_mathjax.__file__).resolve().parent / "static"


def _copy_mathjax(out: Path) -> Path:
    """Copy the MathJax files the offline configuration can load to ``out / "mathjax"``.

    Parameters
    ----------
    out : Path
        The output folder (site or slides).

    Returns
    -------
    Path
        The MathJax folder written (about 2.6 MB, 200 files).
    """
    source = _mathjax_root()

    def ignore(folder: str, names: list[str]) -> set[str]:
        rel = Path(folder).relative_to(source)
        skipped = {n for n in names if (rel / n).as_posix() in _MATHJAX_SKIP}
        if rel == Path("localization"):
            skipped |= {n for n in names if n not in _MATHJAX_LOCALES}
        return skipped | {n for n in names if n == "__pycache__"}

    target = out / "mathjax"
    shutil.copytree(source, target, ignore=ignore, dirs_exist_ok=True)
    return target


def _copy_vendored(name: str, out: Path) -> Path:
    """Copy ``cs_helpers/course/_vendor/NAME`` (files and licence) to ``out / NAME``."""
    target = out / name
    shutil.copytree(VENDOR / name, target, dirs_exist_ok=True)
    return target


def copy_assets(out: str | Path, reveal: bool = False) -> list[Path]:
    """Write the offline assets the pages of ``out`` link to: MathJax, require.js and fonts.

    Parameters
    ----------
    out : str or Path
        The output folder; the pages sit at its top level.
    reveal : bool
        Also copy the vendored reveal.js (for slide decks).

    Returns
    -------
    list of Path
        The asset folders written.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    _copy_japanese_font(out)
    written = [out / "fonts", _copy_mathjax(out), _copy_vendored("requirejs", out)]
    if reveal:
        written.append(_copy_vendored(_REVEAL_PREFIX, out))
    return written


def _offline_urls(exporter: HTMLExporter, prefix: str = "") -> None:
    """Point an nbconvert HTML (or slides) exporter at the local MathJax and require.js copies
    (``prefix``: from the pages to the output folder's top level, e.g. ``"../"``)."""
    exporter.mathjax_url = prefix + _MATHJAX_URL
    exporter.require_js_url = prefix + _REQUIRE_JS_URL


def _site_targets(eds: list[Edition], items: dict[str, list[Page]]) -> dict[str, str]:
    """Checkout path (as links name it) -> page on the site, for every page built."""
    targets: dict[str, str] = {}
    for ed in eds:
        for page in items[ed.language]:
            targets[ed.key("notebook", page.source.stem)] = ed.path(page.name)
        for path in sorted(ed.docs.glob("*.md")):
            targets[ed.key("doc", path.stem)] = ed.path(f"{path.stem}.html")
        targets["README.ja.md" if ed.subdir else "README.md"] = ed.path("index.html")
    return targets


def _twin(targets: dict[str, str], ed: Edition, other: Edition, kind: str, stem: str,
          here: str) -> str:
    """The language switch from page ``here`` of ``ed`` to its twin in ``other`` ("" if none)."""
    twin = targets.get(other.key(kind, stem))
    return _switch(_relative(twin, here), other.language) if twin else ""


def build_site(out: str | Path = "_site", folder: Path = NOTEBOOKS) -> list[Path]:
    """Render every notebook (as committed) to ``out``, with navigation and an index page.

    English at the top level; when ``folder / "ja"`` has notebooks, the Japanese edition in
    ``out / "ja"`` (its guides from ``docs/ja/``): pages in ``<html lang="ja">``, Japanese
    navigation and index (course map with the same minutes as the English one). Every page
    links to its twin in the other language where there is one (a switch in the navigation).
    The folder is self-contained: MathJax, require.js and the Japanese font are copied into it
    once (see :func:`copy_assets`) and linked relatively, so it works offline and can be moved.

    Parameters
    ----------
    out : str or Path
        The output folder (created if needed).
    folder : Path
        The English notebooks to render (the Japanese ones are in its ``ja`` subfolder).

    Returns
    -------
    list of Path
        The HTML pages written (not the copied assets).
    """
    from nbconvert import HTMLExporter

    out = Path(out)
    copy_assets(out)
    eds = editions(folder)
    items = {ed.language: pages(ed.notebooks) for ed in eds}
    targets = _site_targets(eds, items)
    written: list[Path] = []
    for ed in eds:
        other = next((e for e in eds if e is not ed), None)
        (out / ed.subdir).mkdir(parents=True, exist_ok=True)
        exporter = HTMLExporter(template_name="lab", raw_template=_LAB_TEMPLATE)
        _offline_urls(exporter, ed.prefix)
        exporter.language_code = ed.language
        base = posixpath.dirname(ed.key("notebook", "x"))
        index = ed.path("index.html")
        listed = items[ed.language]
        for i, page in enumerate(listed):
            here = ed.path(page.name)
            body, _ = exporter.from_filename(str(page.source))
            body = _site_links(body, base, here, targets, index)
            prev = listed[i - 1] if i > 0 else None
            nxt = listed[i + 1] if i + 1 < len(listed) else None
            switch = (_twin(targets, ed, other, "notebook", page.source.stem, here)
                      if other else "")
            body = body.replace("</head>", _style(ed.prefix) + "</head>", 1)
            body = _inject(body, _nav(prev, nxt, language=ed.language, switch=switch),
                           _nav(prev, nxt, bottom=True, language=ed.language, switch=switch))
            target = out / here
            target.write_text(body, encoding="utf-8")
            written.append(target)
        docs = sorted(ed.docs.glob("*.md"))
        doc_base = posixpath.dirname(ed.key("doc", "x"))
        for path in docs:
            here = ed.path(f"{path.stem}.html")
            switch = _twin(targets, ed, other, "doc", path.stem, here) if other else ""
            text = _markdown_page(_doc_title(path, ed.language),
                                  path.read_text(encoding="utf-8"), ed.language, ed.prefix,
                                  switch)
            target = out / here
            target.write_text(_site_links(text, doc_base, here, targets, index),
                              encoding="utf-8")
            written.append(target)
        switch = ""
        if other:
            switch = _switch(_relative(other.path("index.html"), index), other.language)
        if ed.language == "ja":
            text = _index_ja(ed, items, targets)
        else:
            text = _index_en(ed, listed, docs)
        if switch:
            text = text.replace("<main class='cs-doc'>",
                                f"<main class='cs-doc'><p style='text-align: right'>{switch}</p>",
                                1)
        target = out / index
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


def _index_en(ed: Edition, listed: list[Page], docs: list[Path]) -> str:
    rows = "\n".join(f'<li><a href="{p.name}">{html.escape(p.title)}</a></li>' for p in listed)
    doc_rows = "\n".join(f'<li><a href="{p.stem}.html">{_doc_title(p, "en")}</a></li>'
                         for p in docs)
    course_map = _course_map()
    if course_map:
        course_map = _site_links(course_map, "", "index.html",
                                 {f"notebooks/{p.name[:-5]}.ipynb": p.name for p in listed},
                                 "index.html")
    return (
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset='utf-8'><title>Customer success "
        f"with data</title>{_style()}</head><body><main class='cs-doc'><h1>Customer success "
        "with data</h1>"
        "<p>A static copy of the course notebooks, executed, for reading without an install and "
        "for projecting. All data are simulated. Run the notebooks yourself with "
        "<code>make lab</code>.</p><h2>Notebooks</h2><ol>" + rows + "</ol>"
        + (f"<h2 id='course-map'>Course map</h2>{course_map}" if course_map else "") +
        "<h2>Guides</h2><ul>" + doc_rows + "</ul>"
        "<h2 id='exercises'>Exercises</h2><p>Exercise notebooks are in the course folder under "
        "<code>exercises/</code>; open them in JupyterLab to get instant feedback.</p>"
        "</main></body></html>")


def _index_ja(ed: Edition, items: dict[str, list[Page]], targets: dict[str, str]) -> str:
    """The Japanese index: every lesson (the Japanese page, or the English one while a lesson
    is untranslated), the course map, the guides (Japanese where translated)."""
    titles = {p.source.stem: p.title for p in items["ja"]}
    rows = []
    for page in items["en"]:
        stem = page.source.stem
        if stem in titles:
            rows.append(f'<li><a href="{stem}.html">{html.escape(titles[stem])}</a></li>')
        else:
            rows.append(f'<li><a href="../{page.name}">{html.escape(page.title)}</a>（英語）</li>')
    docs = []
    english_docs = sorted(DOCS.glob("*.md")) if ed.docs.parent == DOCS else []
    for path in sorted({p.stem: p for p in english_docs + sorted(ed.docs.glob("*.md"))}
                       .values(), key=lambda p: p.stem):
        ja = ed.docs / path.name
        if ja.exists():
            docs.append(f'<li><a href="{path.stem}.html">{html.escape(_doc_title(ja, "ja"))}'
                        "</a></li>")
        else:
            docs.append(f'<li><a href="../{path.stem}.html">'
                        f'{html.escape(_doc_title(path, "en"))}</a>（英語）</li>')
    course_map = _course_map_ja(items["en"], titles)
    return (
        "<!DOCTYPE html><html lang=\"ja\"><head><meta charset='utf-8'><title>データで学ぶ"
        f"カスタマーサクセス</title>{_style(ed.prefix)}</head><body><main class='cs-doc'>"
        "<h1>データで学ぶカスタマーサクセス</h1>"
        "<p>講座のノートブックを実行済みの状態で読めるようにした、静的なコピーです。インストール"
        "せずに読むときや、研修で投影するときに使います。データはすべてシミュレーションで作った"
        "（架空の）データです。ノートブックを自分で動かすときは <code>make lab-ja</code> で"
        "開きます。</p><h2>ノートブック</h2><ol>" + "\n".join(rows) + "</ol>"
        f"<h2 id='course-map'>コースマップ</h2>{course_map}"
        "<h2>ガイド</h2><ul>" + "\n".join(docs) + "</ul>"
        "<h2 id='exercises'>演習</h2><p>演習のノートブックは講座フォルダの "
        "<code>exercises/</code> にあります。JupyterLab で開くと、答えをその場で確かめられます。"
        "</p></main></body></html>")


# --- slides that fit the screen -----------------------------------------------------------------

_BUDGET = 620               # px of content per slide (720 minus margins and controls)
_TEXT_LINE, _CODE_LINE = 29, 23      # px per line of 22 px text and of 17 px code
_TEXT_CHARS, _CODE_CHARS = 92, 118   # characters per line before wrapping (conservative)
_TABLE_ROW_CHARS = 100      # characters of a markdown table row before its cells wrap
_MAX_CODE_LINES = 22        # longer code shows its first lines and says how many are left out
_MAX_TEXT_LINES = 16        # same for text outputs
_OUTPUT_ONLY = "cs-slide-output"


def _png_size(data: str) -> tuple[int, int] | None:
    """Width and height of a base64 PNG (from its IHDR header)."""
    import base64
    import struct

    try:
        head = base64.b64decode("".join(data)[:64])
        return struct.unpack(">II", head[16:24])
    except (ValueError, struct.error):
        return None


def _width(line: str) -> int:
    """A line's width in Latin characters: a CJK (East Asian wide or fullwidth) character
    takes about the room of two.

    >>> _width("churn"), _width("解約率"), _width("LTV（顧客生涯価値）")
    (5, 6, 19)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def _wrapped_lines(text: str, width: int) -> int:
    return sum(max(1, -(-_width(line) // width)) for line in text.splitlines() or [""])


def _markdown_blocks(text: str) -> list[str]:
    """Split markdown at blank lines (not inside fenced code or display math)."""
    blocks, current, fence = [], [], False
    for line in text.splitlines():
        if line.strip().startswith(("```", "~~~")) or line.strip() == "$$":
            fence = not fence
        if not line.strip() and not fence:
            if current:
                blocks.append("\n".join(current))
                current = []
            continue
        current.append(line)
    if current:
        blocks.append("\n".join(current))
    return blocks


def _markdown_height(block: str) -> int:
    first = block.lstrip()
    if first.startswith("#"):
        level = len(first) - len(first.lstrip("#"))
        return {1: 70, 2: 62, 3: 52}.get(level, 44) * _wrapped_lines(first, 60)
    if first.startswith("|"):
        # a row of 17 px text: one line while its cells hold about _TABLE_ROW_CHARS, more as
        # they wrap (Japanese cells wrap after half as many characters)
        return sum(12 + 22 * max(1, -(-_width(re.sub(r"\s*\|\s*", " ", row).strip())
                                      // _TABLE_ROW_CHARS))
                   for row in block.splitlines()) + 10
    if first.startswith(("```", "~~~")):
        return _CODE_LINE * _wrapped_lines(block, _CODE_CHARS) + 20
    if "$$" in block:
        return 70 * block.count("$$") // 2 + _TEXT_LINE * _wrapped_lines(block, _TEXT_CHARS)
    return _TEXT_LINE * _wrapped_lines(block, _TEXT_CHARS) + 10


def _output_height(output: dict) -> int:
    data = output.get("data", {})
    if "image/png" in data:
        size = _png_size(data["image/png"])
        if size is None:
            return _FIGURE_MAX + 10
        w, h = size
        meta = output.get("metadata", {}).get("image/png", {})
        w, h = meta.get("width", w), meta.get("height", h)
        return int(min(h * min(1.0, (SLIDE_WIDTH - 40) / max(w, 1)), _FIGURE_MAX)) + 12
    if "text/html" in data:
        html_text = "".join(data["text/html"])
        rows = html_text.count("<tr")
        if rows:
            return min(34 * rows + 20, _TABLE_MAX) + 10
        return _TEXT_LINE * _wrapped_lines(re.sub(r"<[^>]+>", "", html_text), _TEXT_CHARS) + 10
    if "text/markdown" in data:
        return sum(_markdown_height(b) for b in _markdown_blocks("".join(data["text/markdown"])))
    text = "".join(output.get("text", "")) or "".join(data.get("text/plain", ""))
    return _CODE_LINE * _wrapped_lines(text, _CODE_CHARS) + 12


def _shorten(text: str, keep: int, comment: str) -> str:
    lines = text.splitlines()
    if len(lines) <= keep + 2:
        return text
    return "\n".join(lines[:keep] + [comment.format(n=len(lines) - keep)])


def paginate(nb, budget: int = _BUDGET, language: str = "en"):
    r"""Lay a notebook out as slides that fit a 1280x720 screen (a new notebook).

    Each cell becomes pieces (a markdown block; a code cell's input; each output), and pieces
    are packed in order onto slides of about ``budget`` pixels: a new slide starts where the
    author's ``slideshow`` metadata starts one, at every heading of level 1 or 2, and wherever
    the next piece would not fit. A code cell's outputs may continue on the next slide (without
    repeating the code). Code longer than 22 lines and text outputs longer than 16 lines show
    their first lines and a note of how many lines are left out (the notebook has them all);
    figures are scaled by the deck's style. Cells marked ``skip`` or ``notes`` stay as they are.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        An executed notebook.
    budget : int
        Height of slide content in pixels (the rest of the 720 is margins and controls).
    language : str
        The language of the notes on shortened code and outputs ("en" or "ja"). Text widths
        count a CJK character as two Latin ones, so Japanese text is budgeted as it wraps.

    Returns
    -------
    nbformat.NotebookNode
        The notebook to export, with ``slideshow`` metadata on every cell.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
    ...     "# Title\n\nOne paragraph.\n\n## Part\n\nAnother.")])
    >>> [c.metadata.slideshow["slide_type"] for c in paginate(nb).cells]
    ['slide', '-', 'slide', '-']
    """
    import copy

    import nbformat

    out = copy.deepcopy(nb)
    cells = []
    used = budget + 1                              # the first piece starts a slide

    def place(cell, height: int, start: bool = False) -> None:
        nonlocal used
        if start or used + height > budget:
            kind, used = "slide", 0
        else:
            kind = "-"
        cell.metadata["slideshow"] = {"slide_type": kind}
        used += height
        cells.append(cell)

    for cell in out.cells:
        kind = cell.metadata.get("slideshow", {}).get("slide_type", "-")
        if kind in ("skip", "notes"):
            cells.append(cell)
            continue
        author_start = kind in ("slide", "subslide")
        if cell.cell_type == "markdown":
            for i, block in enumerate(_markdown_blocks(cell.source)):
                heading = re.match(r"#{1,2}\s", block.lstrip()) is not None
                piece = nbformat.v4.new_markdown_cell(block)
                place(piece, _markdown_height(block), start=(author_start and i == 0) or heading)
            continue
        if cell.cell_type != "code":
            place(cell, 0, start=author_start)
            continue
        outputs = cell.get("outputs", [])
        cell.outputs = []
        cell.source = _shorten(cell.source, _MAX_CODE_LINES, WORDS[language]["code_left_out"])
        code_height = _CODE_LINE * _wrapped_lines(cell.source, _CODE_CHARS) + 16
        place(cell, code_height if cell.source.strip() else 0, start=author_start)
        for output in outputs:
            if output.get("output_type") == "stream":
                output["text"] = _shorten("".join(output["text"]), _MAX_TEXT_LINES,
                                          WORDS[language]["text_left_out"])
            height = _output_height(output)
            if used + height <= budget:
                cell.outputs.append(output)       # on the same slide as its code
                used += height
                continue
            rest = nbformat.v4.new_code_cell(source="", outputs=[output])
            rest.metadata["tags"] = [_OUTPUT_ONLY]
            rest.metadata["transient"] = {"remove_source": True}
            rest.execution_count = cell.get("execution_count")
            place(rest, height)
            cell = rest
    out.cells = cells
    return out


# the decks' language switch: a small fixed link in the bottom-left corner, outside the slides
_DECK_SWITCH_STYLE = f"""
<style>
.cs-deck-lang {{position: fixed; left: 12px; bottom: 10px; z-index: 40; font-size: 15px;
    font-family: {_FONT_STACK}; color: #0a58ca; text-decoration: none; padding: 2px 10px;
    border: 1px solid #0a58ca; border-radius: 12px; background: rgba(255, 255, 255, 0.85);}}
</style>
"""


def _deck_style(prefix: str = "") -> str:
    return (_DECK_STYLE.replace('url("fonts/', f'url("{prefix}fonts/') + _DECK_SWITCH_STYLE)


def _deck_links(body: str, base: str, here: str, targets: dict[str, str]) -> str:
    """Links to a taught notebook go to its deck (the twin in the same language, else the
    English one); other notebook and exercise links have no copy in the slides folder, so
    they become plain text. Every other link stays as it is."""

    def fix(m: re.Match) -> str:
        href = html.unescape(m.group(1))
        if _SCHEME.match(href):
            return m.group(0)
        path = href.split("#")[0]
        where = posixpath.normpath(posixpath.join(base, path or "."))
        if not (path.endswith(".ipynb") or where.startswith(("notebooks/", "exercises/"))):
            return m.group(0)
        found = _resolve(href, base, targets)
        if found is None:
            return m.group(3)
        return f'<a href="{_relative(found[0], here)}{found[1]}"{m.group(2)}>{m.group(3)}</a>'

    return re.sub(r'<a href="([^"]*)"([^>]*)>(.*?)</a>', fix, body, flags=re.S)


def build_slides(out: str | Path = "_slides", folder: Path = NOTEBOOKS,
                 reveal_prefix: str | None = None) -> list[Path]:
    """Render each taught notebook (00-07 and A1) as a reveal.js deck ``NAME.slides.html``.

    A2 (the papermill report template) gets no deck. When ``folder / "ja"`` has notebooks,
    their decks go to ``out / "ja"`` (``<html lang="ja">``, notes in Japanese), and every deck
    with a twin in the other language shows a switch to it (bottom left). The folder is
    self-contained: reveal.js (vendored), MathJax, require.js and the Japanese font are copied
    into it once and linked relatively, so the decks present offline, opened from disk, and
    the folder can be moved.

    Parameters
    ----------
    out : str or Path
        The output folder (created if needed).
    folder : Path
        The English notebooks to render (the Japanese ones are in its ``ja`` subfolder).
    reveal_prefix : str, optional
        URL or relative folder (from ``out``) of another reveal.js 4 copy (with ``dist/`` and
        ``plugin/``). When given, the decks link to it and no reveal.js is copied; by default
        the vendored copy is written to ``out / "reveal.js"``.

    Returns
    -------
    list of Path
        The decks written (not the copied assets); empty if ``folder`` has no taught notebook.
    """
    import nbformat
    from nbconvert import SlidesExporter

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    eds = editions(folder)
    decks = {ed.language: [p for p in pages(ed.notebooks) if _SLIDE_DECK.match(p.source.stem)]
             for ed in eds}
    targets = {ed.key("notebook", p.source.stem): ed.path(f"{p.source.stem}.slides.html")
               for ed in eds for p in decks[ed.language]}
    written = []
    for ed in eds:
        other = next((e for e in eds if e is not ed), None)
        exporter = SlidesExporter(raw_template=_REVEAL_TEMPLATE)
        _offline_urls(exporter, ed.prefix)
        prefix = reveal_prefix or _REVEAL_PREFIX
        exporter.reveal_url_prefix = prefix if _SCHEME.match(prefix) else ed.prefix + prefix
        exporter.reveal_width, exporter.reveal_height = str(SLIDE_WIDTH), str(SLIDE_HEIGHT)
        exporter.language_code = ed.language
        base = posixpath.dirname(ed.key("notebook", "x"))
        for page in decks[ed.language]:
            stem = page.source.stem
            here = ed.path(f"{stem}.slides.html")
            nb = paginate(nbformat.read(page.source, as_version=4), language=ed.language)
            body, _ = exporter.from_notebook_node(nb, resources={"metadata": {
                "name": stem, "path": str(page.source.parent)}})
            body = body.replace("</head>", _deck_style(ed.prefix) + "</head>", 1)
            body = _deck_links(body, base, here, targets)
            twin = targets.get(other.key("notebook", stem)) if other else None
            if twin:
                w = WORDS[other.language]
                body = _inject(body, f'<a class="cs-deck-lang" href="{_relative(twin, here)}" '
                               f'hreflang="{other.language}" lang="{other.language}" '
                               f'title="{w["switch_title"]}">{w["name"]}</a>', "")
            target = out / here
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body, encoding="utf-8")
            written.append(target)
    if written:
        copy_assets(out, reveal=not reveal_prefix)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cs_helpers.course.site")
    parser.add_argument("what", choices=["site", "slides"])
    parser.add_argument("--out", default=None)
    parser.add_argument("--reveal-prefix", default=None,
                        help="URL or relative path of another reveal.js 4 copy (slides only; "
                             "default: the bundled copy, written to OUT/reveal.js)")
    args = parser.parse_args(argv)
    out = Path(args.out or f"_{args.what}")
    if args.what == "site":
        paths = build_site(out)
    else:
        paths = build_slides(out, reveal_prefix=args.reveal_prefix)
    languages = " and ".join(WORDS[e.language]["name"] for e in editions())
    print(f"Wrote {len(paths)} files to {out} ({languages})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
