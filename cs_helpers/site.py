"""Static copies of the course: an HTML site and reveal.js slide decks, from the executed notebooks.

``make site`` (``python -m cs_helpers.site site --out _site``) renders every notebook, as
committed (no re-execution), to HTML with previous / next navigation, plus an index page and the
guides in ``docs/``. It is for reading without an install and for projecting.

``make slides`` (``python -m cs_helpers.site slides --out _slides``) renders each notebook as a
reveal.js deck from the cells' ``slideshow`` metadata.

Offline: the pages embed their figures and styles. Two things load from the web when a network is
there and degrade gracefully when it is not: MathJax (formulas then show as TeX source) and, for
the slides, reveal.js itself (pass ``--reveal-prefix`` with a local copy of reveal.js to present
offline).
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
DOCS = ROOT / "docs"

__all__ = ["Page", "pages", "build_site", "build_slides"]

# notebooks that get a slide deck: the core path 00-07 and A1 (not the A2 report template)
_SLIDE_DECK = re.compile(r"^(\d\d|A1)_")

_STYLE = """
<style>
@font-face {font-family: "IPAexGothic"; src: url("fonts/ipaexg.ttf") format("truetype");}
body, .jp-RenderedHTMLCommon, .cs-doc, .cs-nav {font-family: system-ui, -apple-system,
         "Segoe UI", Roboto, "Helvetica Neue", Arial, "IPAexGothic", sans-serif;}
.cs-nav {font-family: sans-serif; display: flex; justify-content: space-between; gap: 1em;
         padding: 0.6em 1.2em; background: #f3f6fa; border-bottom: 1px solid #d0d7de;}
.cs-nav.bottom {border-top: 1px solid #d0d7de; border-bottom: none; margin-top: 2em;}
.cs-nav a {color: #0a58ca; text-decoration: none;}
.cs-doc {max-width: 60em; margin: 2em auto; font-family: sans-serif; line-height: 1.5;
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
    import shutil

    import matplotlib_fontja

    font = Path(matplotlib_fontja.__file__).parent / "fonts" / "ipaexg.ttf"
    (out / "fonts").mkdir(exist_ok=True)
    shutil.copyfile(font, out / "fonts" / "ipaexg.ttf")


def build_site(out: str | Path = "_site", folder: Path = NOTEBOOKS) -> list[Path]:
    """Render every notebook (as committed) to ``out``, with navigation and an index page.

    Returns the paths written.
    """
    from nbconvert import HTMLExporter

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    _copy_japanese_font(out)
    exporter = HTMLExporter(template_name="lab")
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


def build_slides(out: str | Path = "_slides", folder: Path = NOTEBOOKS,
                 reveal_prefix: str | None = None) -> list[Path]:
    """Render each taught notebook (00-07 and A1) as a reveal.js deck ``NAME.slides.html``.

    A2 (the papermill report template) gets no deck. ``reveal_prefix``: URL or folder of a
    reveal.js copy (default: nbconvert's CDN URL).
    """
    from nbconvert import SlidesExporter

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    exporter = SlidesExporter()
    if reveal_prefix:
        exporter.reveal_url_prefix = reveal_prefix
    written = []
    for page in pages(folder):
        if not _SLIDE_DECK.match(page.source.stem):
            continue
        body, _ = exporter.from_filename(str(page.source))
        target = out / f"{page.source.stem}.slides.html"
        target.write_text(body, encoding="utf-8")
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cs_helpers.site")
    parser.add_argument("what", choices=["site", "slides"])
    parser.add_argument("--out", default=None)
    parser.add_argument("--reveal-prefix", default=None,
                        help="URL or path of a reveal.js copy (slides only; default: a CDN)")
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
