"""Static copies of the course: an HTML site and reveal.js slide decks, from the executed notebooks.

``make site`` (``python -m cs_helpers.course.site site --out _site``) renders every notebook, as
committed (no re-execution), to HTML with previous / next navigation, plus an index page and the
guides in ``docs/``. It is for reading without an install and for projecting.

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
import re
import shutil
import sys
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

__all__ = ["Page", "pages", "build_site", "build_slides", "copy_assets", "paginate",
           "SLIDE_WIDTH", "SLIDE_HEIGHT"]

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


def _nav(prev: Page | None, nxt: Page | None, bottom: bool = False) -> str:
    left = f'<a href="{prev.name}">← {html.escape(prev.title)}</a>' if prev else "<span></span>"
    right = f'<a href="{nxt.name}">{html.escape(nxt.title)} →</a>' if nxt else "<span></span>"
    cls = "cs-nav bottom" if bottom else "cs-nav"
    return (f'<nav class="{cls}">{left}<a href="index.html">Course index</a>{right}</nav>')


def _inject(body_html: str, top: str, bottom: str) -> str:
    body_html = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + top, body_html, count=1)
    return body_html.replace("</body>", bottom + "</body>", 1)


def _markdown_html(text: str) -> str:
    """Markdown to HTML (mistune, which nbconvert ships), with notebook links made site links."""
    import mistune

    text = re.sub(r"\]\((?:\.\./)?notebooks/(\w+)\.ipynb\)", r"](\1.html)", text)
    text = re.sub(r"\]\((\w+)\.ipynb\)", r"](\1.html)", text)
    return mistune.html(text)


def _course_map() -> str:
    """The README's course map (table with minutes per notebook) as HTML, or "" if absent."""
    readme = ROOT / "README.md"
    if not readme.exists():
        return ""
    m = re.search(r"^## Course map\s*\n(.*?)(?=^## |\Z)", readme.read_text(encoding="utf-8"),
                  flags=re.M | re.S)
    return _markdown_html(m.group(1)) if m else ""


def _markdown_page(title: str, text: str) -> str:
    body = _markdown_html(text)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}"
            f"</title>{_STYLE}</head><body>{_nav(None, None)}<main class='cs-doc'>{body}</main>"
            "</body></html>")


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
# wide or long tables scroll inside their box.
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


def _offline_urls(exporter: HTMLExporter) -> None:
    """Point an nbconvert HTML (or slides) exporter at the local MathJax and require.js copies."""
    exporter.mathjax_url = _MATHJAX_URL
    exporter.require_js_url = _REQUIRE_JS_URL


def build_site(out: str | Path = "_site", folder: Path = NOTEBOOKS) -> list[Path]:
    """Render every notebook (as committed) to ``out``, with navigation and an index page.

    The folder is self-contained: MathJax, require.js and the Japanese font are copied into it
    (see :func:`copy_assets`) and linked relatively, so it works offline and can be moved.

    Parameters
    ----------
    out : str or Path
        The output folder (created if needed).
    folder : Path
        The notebooks to render.

    Returns
    -------
    list of Path
        The HTML pages written (not the copied assets).
    """
    from nbconvert import HTMLExporter

    out = Path(out)
    copy_assets(out)
    exporter = HTMLExporter(template_name="lab", raw_template=_LAB_TEMPLATE)
    _offline_urls(exporter)
    items = pages(folder)
    written: list[Path] = []
    for i, page in enumerate(items):
        body, _ = exporter.from_filename(str(page.source))
        # links between notebooks point at their HTML copies
        body = re.sub(r'href="(?:\.\./notebooks/)?(\w+)\.ipynb"', r'href="\1.html"', body)
        body = re.sub(r'href="\.\./exercises/[^"]*"', 'href="index.html#exercises"', body)
        prev = items[i - 1] if i > 0 else None
        nxt = items[i + 1] if i + 1 < len(items) else None
        body = body.replace("</head>", _STYLE + "</head>", 1)
        body = _inject(body, _nav(prev, nxt), _nav(prev, nxt, bottom=True))
        target = out / page.name
        target.write_text(body, encoding="utf-8")
        written.append(target)
    docs = [(p.stem, p) for p in sorted(DOCS.glob("*.md"))]
    for stem, path in docs:
        target = out / f"{stem}.html"
        target.write_text(_markdown_page(stem.replace("_", " ").capitalize(),
                                         path.read_text(encoding="utf-8")), encoding="utf-8")
        written.append(target)
    rows = "\n".join(f'<li><a href="{p.name}">{html.escape(p.title)}</a></li>' for p in items)
    doc_rows = "\n".join(f'<li><a href="{stem}.html">{stem.replace("_", " ").capitalize()}</a>'
                         "</li>" for stem, _ in docs)
    course_map = _course_map()
    index = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Customer success with data"
        f"</title>{_STYLE}</head><body><main class='cs-doc'><h1>Customer success with data</h1>"
        "<p>A static copy of the course notebooks, executed, for reading without an install and "
        "for projecting. All data are simulated. Run the notebooks yourself with "
        "<code>make lab</code>.</p><h2>Notebooks</h2><ol>" + rows + "</ol>"
        + (f"<h2 id='course-map'>Course map</h2>{course_map}" if course_map else "") +
        "<h2>Guides</h2><ul>" + doc_rows + "</ul>"
        "<h2 id='exercises'>Exercises</h2><p>Exercise notebooks are in the course folder under "
        "<code>exercises/</code>; open them in JupyterLab to get instant feedback.</p>"
        "</main></body></html>")
    (out / "index.html").write_text(index, encoding="utf-8")
    written.append(out / "index.html")
    return written


# --- slides that fit the screen -----------------------------------------------------------------

_BUDGET = 620               # px of content per slide (720 minus margins and controls)
_TEXT_LINE, _CODE_LINE = 29, 23      # px per line of 22 px text and of 17 px code
_TEXT_CHARS, _CODE_CHARS = 92, 118   # characters per line before wrapping (conservative)
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


def _wrapped_lines(text: str, width: int) -> int:
    return sum(max(1, -(-len(line) // width)) for line in text.splitlines() or [""])


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
        return 34 * len(block.splitlines()) + 10
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


def paginate(nb, budget: int = _BUDGET):
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
        cell.source = _shorten(cell.source, _MAX_CODE_LINES,
                               "# ... {n} more lines of code: see the notebook")
        code_height = _CODE_LINE * _wrapped_lines(cell.source, _CODE_CHARS) + 16
        place(cell, code_height if cell.source.strip() else 0, start=author_start)
        for output in outputs:
            if output.get("output_type") == "stream":
                output["text"] = _shorten("".join(output["text"]), _MAX_TEXT_LINES,
                                          "... {n} more lines: see the notebook")
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


def build_slides(out: str | Path = "_slides", folder: Path = NOTEBOOKS,
                 reveal_prefix: str | None = None) -> list[Path]:
    """Render each taught notebook (00-07 and A1) as a reveal.js deck ``NAME.slides.html``.

    A2 (the papermill report template) gets no deck. The folder is self-contained: reveal.js
    (vendored), MathJax, require.js and the Japanese font are copied into it and linked
    relatively, so the decks present offline, opened from disk, and the folder can be moved.

    Parameters
    ----------
    out : str or Path
        The output folder (created if needed).
    folder : Path
        The notebooks to render.
    reveal_prefix : str, optional
        URL or relative folder of another reveal.js 4 copy (with ``dist/`` and ``plugin/``). When
        given, the decks link to it and no reveal.js is copied; by default the vendored copy is
        written to ``out / "reveal.js"``.

    Returns
    -------
    list of Path
        The decks written (not the copied assets); empty if ``folder`` has no taught notebook.
    """
    import nbformat
    from nbconvert import SlidesExporter

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    exporter = SlidesExporter(raw_template=_REVEAL_TEMPLATE)
    _offline_urls(exporter)
    exporter.reveal_url_prefix = reveal_prefix or _REVEAL_PREFIX
    exporter.reveal_width, exporter.reveal_height = str(SLIDE_WIDTH), str(SLIDE_HEIGHT)
    written = []
    for page in pages(folder):
        if not _SLIDE_DECK.match(page.source.stem):
            continue
        nb = paginate(nbformat.read(page.source, as_version=4))
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {
            "name": page.source.stem, "path": str(page.source.parent)}})
        body = body.replace("</head>", _DECK_STYLE + "</head>", 1)
        # links to another taught notebook go to its deck; other notebook and exercise links
        # have no copy in the slides folder, so they become plain text
        body = re.sub(r'href="(?:\.\./notebooks/)?((?:\d\d|A1)_\w+)\.ipynb"',
                      r'href="\1.slides.html"', body)
        body = re.sub(r'<a href="(?:\.\./)?(?:notebooks|exercises)/[^"]*"[^>]*>(.*?)</a>|'
                      r'<a href="\w+\.ipynb"[^>]*>(.*?)</a>',
                      lambda m: m.group(1) or m.group(2) or "", body)
        target = out / f"{page.source.stem}.slides.html"
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
    print(f"Wrote {len(paths)} files to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
