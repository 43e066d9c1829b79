"""The Japanese edition, generated from one source: the English notebooks plus translation files.

Each English notebook ``notebooks/<stem>.ipynb`` has a translation file
``translations/ja/<stem>.yaml`` (written by people, reviewed like code)::

    notebook: notebooks/03_kpi_churn.ipynb
    language: ja
    cells:
    - id: 5d1c0a2e            # the English cell's id
      type: markdown
      source: |               # the English text this translation was made from
        ## What churn is
        ...
      ja: |                   # the translation (null while untranslated)
        ## チャーンとは
        ...
    - id: 7f00b3c1
      type: code
      source: |
        ax.set_title("Customers still active, by plan")
      ja: |                   # code cells: the same code, only strings and comments translated
        ax.set_title("プラン別の継続顧客の割合")

``source`` is what makes staleness visible: when an English cell changes, its ``source`` no
longer matches and the translation is *stale* until a person updates ``ja`` and accepts the new
English text (``accept``). A code cell whose ``ja`` is null is copied unchanged into the Japanese
notebook, so code exists once and the numbers cannot drift between the editions.

A cell's state:

* **translated**: ``ja`` is given and ``source`` is the English cell's current text;
* **untranslated**: ``ja`` is null (a code cell is then copied: that is not a gap, a markdown
  cell is);
* **stale**: ``ja`` is given but the English cell changed since (``source`` differs, or the cell
  changed type);
* **missing**: the English cell has no entry yet (``extract`` adds it).

A notebook is *complete* when every markdown cell is translated and nothing is stale or missing;
only complete notebooks are built into ``notebooks/ja/``.

Two collections: the lessons (stems such as ``03_kpi_churn``: ``notebooks/<stem>.ipynb`` ->
``notebooks/ja/<stem>.ipynb``) and the exercise solutions (stems such as
``solutions/03_kpi_churn``: ``exercises/solutions/<name>.ipynb`` +
``translations/ja/solutions/<name>.yaml`` -> ``exercises/solutions/ja/<name>.ipynb``, from which
``python -m cs_helpers.exercises build`` makes the Japanese student copies ``exercises/ja/``).
Without STEM the commands cover both.

Commands (``python -m cs_helpers.course.translate ...``)::

    extract [STEM ...]        # create / refresh the files (new cells added untranslated)
    status                    # per notebook: cells, translated, untranslated, stale (exit 1 if stale)
    diff STEM                 # what changed in the English of each stale cell
    accept STEM CELL [...]    # after updating ja: record the current English as its source
    build [STEM ...]          # write notebooks/ja/<stem>.ipynb for every complete notebook

``make notebooks-ja`` (``python tasks.py notebooks-ja``) builds, executes and cleans them.

The workflow when the English changes: the staleness test (``tests/test_translations.py``) and
``status`` name the stale cells; ``diff STEM`` shows what changed; a translator updates ``ja``
and runs ``accept STEM CELL`` for each cell, which is the only way ``source`` changes (never by
hand, never by ``extract``, which refreshes ``source`` only where ``ja`` is still null).
"""

from __future__ import annotations

import argparse
import ast
import copy
import difflib
import io
import json
import posixpath
import re
import sys
import tokenize
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

__all__ = ["ROOT", "NOTEBOOKS", "TRANSLATIONS", "SET_LANGUAGE_LINE", "cell_text", "load",
           "dump", "extract", "Status", "status", "accept", "diff", "build_notebook", "build",
           "rewrite_links", "complete_stems", "lesson_stems", "solution_stems", "all_stems",
           "english_path", "SOLUTIONS", "TranslationError", "code_tokens",
           "code_difference", "readme_text", "update_readme"]

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
TRANSLATIONS = ROOT / "translations"

#: The line the build inserts right after ``import cs_helpers as cs`` in a Japanese notebook.
SET_LANGUAGE_LINE = 'cs.set_language("ja")  # メッセージ・演習の判定・図のラベルを日本語で表示'

_IMPORT_LINE = re.compile(r"^import cs_helpers as cs\s*(#.*)?$")


class TranslationError(ValueError):
    """A translation file or notebook cannot be used as it is; the message says what to do."""


def cell_text(cell: dict[str, Any]) -> str:
    """The text of a notebook cell as one string."""
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    if "\n" in data or len(data) > 80:
        # block style keeps prose readable; PyYAML falls back to quotes when it must
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


_Dumper.add_representer(str, _str_presenter)


def load(path: Path) -> dict[str, Any]:
    """Read a translation file."""
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    data.setdefault("cells", [])
    return data


def dump(data: dict[str, Any], path: Path) -> None:
    """Write a translation file (UTF-8, block-style text, keys in a fixed order)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(text, encoding="utf-8")


def _blockable(text: str) -> str:
    # PyYAML cannot write block scalars with trailing spaces on a line; they carry no meaning
    # in our Markdown or code, so they are dropped from the *recorded* source only.
    return "\n".join(line.rstrip() for line in text.split("\n"))


#: The stem prefix of the second collection, the exercise solutions.
SOLUTIONS = "solutions/"


def _folder(stem: str) -> str:
    """The folder (from the course root) of the English notebook of ``stem``."""
    return "exercises/solutions" if stem.startswith(SOLUTIONS) else "notebooks"


def _name(stem: str) -> str:
    return stem[len(SOLUTIONS):] if stem.startswith(SOLUTIONS) else stem


def english_path(stem: str) -> str:
    """The English notebook of ``stem``, from the course root.

    Examples
    --------
    >>> english_path("03_kpi_churn"), english_path("solutions/03_kpi_churn")
    ('notebooks/03_kpi_churn.ipynb', 'exercises/solutions/03_kpi_churn.ipynb')
    """
    return f"{_folder(stem)}/{_name(stem)}.ipynb"


def _paths(root: Path, language: str, stem: str) -> tuple[Path, Path, Path]:
    """English notebook, translation file, built notebook.

    Lessons: ``notebooks/<stem>.ipynb``, ``translations/<language>/<stem>.yaml``,
    ``notebooks/<language>/<stem>.ipynb``; solutions (stem ``solutions/<name>``):
    ``exercises/solutions/<name>.ipynb``, ``translations/<language>/solutions/<name>.yaml``,
    ``exercises/solutions/<language>/<name>.ipynb``.
    """
    folder = root / _folder(stem)
    return (folder / f"{_name(stem)}.ipynb",
            root / "translations" / language / f"{stem}.yaml",
            folder / language / f"{_name(stem)}.ipynb")


def _english_cells(nb_path: Path) -> list[dict[str, Any]]:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    return [c for c in nb["cells"] if c["cell_type"] in ("markdown", "code")]


def lesson_stems(root: Path = ROOT) -> list[str]:
    """The English notebooks (``notebooks/*.ipynb``), by stem, in course order."""
    return sorted(p.stem for p in (root / "notebooks").glob("*.ipynb"))


def solution_stems(root: Path = ROOT) -> list[str]:
    """The English solution notebooks (``exercises/solutions/*.ipynb``) as stems
    ``solutions/<name>``, in course order."""
    return sorted(SOLUTIONS + p.stem for p in (root / "exercises" / "solutions").glob("*.ipynb"))


def all_stems(root: Path = ROOT) -> list[str]:
    """Both collections: the lessons, then the solutions."""
    return [*lesson_stems(root), *solution_stems(root)]


def extract(stem: str, language: str = "ja", root: Path = ROOT) -> Path:
    """Create or refresh ``translations/<language>/<stem>.yaml`` from the English notebook.

    Existing translations are kept (matched by cell id); their ``source`` is left as it was,
    so a changed English cell shows up as stale (only :func:`accept` records new English for a
    translated cell). An entry still untranslated (``ja`` null) gets the current English as its
    ``source``, so a translator starts from the current text. New cells are added untranslated;
    cells that left the notebook are dropped.
    """
    nb_path, out, _ = _paths(root, language, stem)
    old = {c["id"]: c for c in load(out)["cells"]} if out.exists() else {}
    cells = []
    for cell in _english_cells(nb_path):
        prev = old.get(cell["id"])
        if prev is not None and prev.get(language) is not None:
            cells.append(prev)
            continue
        cells.append({"id": cell["id"], "type": cell["cell_type"],
                      "source": _blockable(cell_text(cell)), language: None})
    dump({"notebook": english_path(stem), "language": language, "cells": cells}, out)
    return out


# --- code cells: only strings and comments may change ----------------------------------------

class _FreeStrings(ast.NodeTransformer):
    """Blank the text of string literals inside an f-string's expression (``{'、'.join(x)}``,
    ``{'above' if up else 'below'}``: words a learner sees); an f-string nested there keeps
    only its fields, sorted. Format specs are left exactly as written."""

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        return ast.Constant(value="") if isinstance(node.value, str) else node

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:
        fields = [self.visit_FormattedValue(v) for v in node.values
                  if isinstance(v, ast.FormattedValue)]
        return ast.JoinedStr(values=sorted(fields, key=ast.dump))

    def visit_FormattedValue(self, node: ast.FormattedValue) -> ast.AST:
        return ast.FormattedValue(value=self.visit(node.value), conversion=node.conversion,
                                  format_spec=node.format_spec)


def _fstring_fields(text: str) -> list[tuple[str, int, str]]:
    """The replacement fields of one f-string literal: (expression, conversion, format spec),
    with the text of string literals inside the expression blanked (:class:`_FreeStrings`)."""
    node = ast.parse(text.strip(), mode="eval").body
    values = node.values if isinstance(node, ast.JoinedStr) else []
    return [(ast.dump(_FreeStrings().visit(v.value)), v.conversion,
             ast.dump(v.format_spec) if v.format_spec else "")
            for v in values if isinstance(v, ast.FormattedValue)]


def code_tokens(code: str) -> list[tuple[Any, ...]]:
    """A code cell as tokens, without what a translation may change.

    Comments and line breaks inside brackets are dropped; each run of adjacent string literals
    (implicit concatenation included) becomes one ``("STRING", fields)`` item, where ``fields``
    are the f-string replacement fields it holds (expression, ``!r``/``!s`` conversion, format
    spec such as ``:.1%``), sorted, so a translation may move them within the sentence but not
    change, add or drop one. Every other token is kept as it is. f-strings are read the same way
    on every Python: Python 3.12+ tokenizes them into parts (FSTRING_START ... FSTRING_END),
    3.11 as one STRING; both are parsed with :mod:`ast`. Lines of IPython magics (``%``, ``!``)
    are kept verbatim.

    Examples
    --------
    >>> code_tokens('x = f"{n:,} customers"  # count') == code_tokens('x = f"顧客 {n:,} 人"')
    True
    >>> code_tokens('x = f"{n:,}"') == code_tokens('x = f"{n:.0f}"')
    False
    """
    lines = code.split("\n")
    magics = [("MAGIC", ln.strip()) for ln in lines if ln.strip().startswith(("%", "!"))]
    src = "\n".join(ln[:len(ln) - len(ln.lstrip())] + "pass" if ln.strip().startswith(("%", "!"))
                    else ln for ln in lines) + "\n"
    offsets = [0]
    for line in src.splitlines(keepends=True):
        offsets.append(offsets[-1] + len(line))
    toks = list(tokenize.generate_tokens(io.StringIO(src).readline))
    fstart = getattr(tokenize, "FSTRING_START", None)
    fend = getattr(tokenize, "FSTRING_END", None)
    skip = {tokenize.COMMENT, tokenize.NL, tokenize.ENCODING, tokenize.ENDMARKER}
    by_type = {tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT}
    out: list[tuple[Any, ...]] = []

    def add_string(fields: list[tuple[str, int, str]]) -> None:
        if out and out[-1][0] == "STRING":
            fields = [*out.pop()[1], *fields]
        out.append(("STRING", tuple(sorted(fields))))

    i = 0
    while i < len(toks):
        t = toks[i]
        if t.type in skip:
            i += 1
        elif t.type == tokenize.STRING:
            prefix = re.match(r"[A-Za-z]*", t.string).group(0).lower()
            add_string(_fstring_fields(t.string) if "f" in prefix else [])
            i += 1
        elif fstart is not None and t.type == fstart:
            depth, j = 1, i + 1
            while depth:
                depth += (toks[j].type == fstart) - (toks[j].type == fend)
                j += 1
            (r0, c0), (r1, c1) = t.start, toks[j - 1].end
            add_string(_fstring_fields(src[offsets[r0 - 1] + c0:offsets[r1 - 1] + c1]))
            i = j
        else:
            out.append((tokenize.tok_name[t.type],) if t.type in by_type
                       else (tokenize.tok_name[t.type], t.string))
            i += 1
    return magics + out


def _describe(item: tuple[Any, ...]) -> str:
    if item[0] == "STRING":
        return f"a string with {len(item[1])} {{...}} fields" if item[1] else "a string"
    return repr(item[1]) if len(item) > 1 else item[0]


def code_difference(english: str, translated: str) -> str | None:
    """How a translated code cell differs from the English beyond strings and comments
    (None when it does not): see :func:`code_tokens`.

    Examples
    --------
    >>> code_difference('ax.set_title("Churn")  # per month', 'ax.set_title("解約率")  # 月次')
    >>> print(code_difference('s = df["plan"].mean()', 's = df["plan"].median()'))
    'median' where the English has 'mean'
    """
    try:
        a, b = code_tokens(english), code_tokens(translated)
    except (SyntaxError, tokenize.TokenError, IndentationError, ValueError) as e:
        return f"cannot be read as Python: {e}"
    if a == b:
        return None
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if a[i1:i2] and b[j1:j2] and a[i1][0] == b[j1][0] == "STRING":
            return ("an f-string's {...} fields differ (the expressions and format specs must "
                    "stay exactly as in the English; only the words around them change)")
        new = " ".join(_describe(x) for x in b[j1:j2]) or "nothing"
        old = " ".join(_describe(x) for x in a[i1:i2]) or "nothing"
        return f"{new} where the English has {old}"
    return "differs"  # pragma: no cover (the sequences differ, so some opcode is not equal)


# --- status ------------------------------------------------------------------------------------

@dataclass
class Status:
    """Where the translation of one notebook stands (see the module docstring for the states)."""

    stem: str
    cells: int = 0                      # markdown and code cells of the English notebook
    markdown: int = 0
    translated: list[str] = field(default_factory=list)     # cell ids, every type
    untranslated: list[str] = field(default_factory=list)   # markdown cells with ja null
    copied: list[str] = field(default_factory=list)         # code cells with ja null
    stale: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)        # no entry in the file
    orphans: list[str] = field(default_factory=list)        # entries for cells that left
    code_changed: dict[str, str] = field(default_factory=dict)  # id -> how its code differs
    no_file: bool = False

    @property
    def complete(self) -> bool:
        """Every markdown cell translated, nothing stale, missing or left over, and every
        translated code cell the English code with only strings and comments changed."""
        return not (self.no_file or self.untranslated or self.stale or self.missing
                    or self.orphans or self.code_changed)

    def problems(self) -> str:
        """Why the notebook is not complete, in words ('' when it is)."""
        parts = []
        if self.no_file:
            parts.append("no translation file (run extract)")
        if self.stale:
            parts.append(f"{len(self.stale)} stale ({', '.join(self.stale)})")
        if self.untranslated:
            parts.append(f"{len(self.untranslated)} of {self.markdown} markdown cells "
                         "untranslated")
        if self.missing:
            parts.append(f"{len(self.missing)} cells not in the file ({', '.join(self.missing)}; "
                         "run extract)")
        if self.orphans:
            parts.append(f"{len(self.orphans)} entries for cells the notebook no longer has "
                         f"({', '.join(self.orphans)}; run extract)")
        for cid, why in self.code_changed.items():
            parts.append(f"code cell {cid} changes more than strings and comments: {why}")
        return "; ".join(parts)


def _entries(tr_path: Path, language: str) -> dict[str, dict[str, Any]]:
    entries: dict[str, dict[str, Any]] = {}
    for entry in load(tr_path)["cells"]:
        if not isinstance(entry, dict) or "id" not in entry:
            raise TranslationError(f"{tr_path}: every entry needs an id, found {entry!r}")
        if language not in entry:
            raise TranslationError(f"{tr_path}: cell {entry['id']} has no '{language}' key "
                                   f"(null while untranslated)")
        entries[str(entry["id"])] = entry
    return entries


def _is_stale(entry: dict[str, Any], cell: dict[str, Any]) -> bool:
    return (entry.get("type") != cell["cell_type"]
            or entry.get("source") != _blockable(cell_text(cell)))


def status(stem: str, language: str = "ja", root: Path = ROOT) -> Status:
    """Compare ``translations/<language>/<stem>.yaml`` with the current English notebook."""
    nb_path, tr_path, _ = _paths(root, language, stem)
    cells = _english_cells(nb_path)
    st = Status(stem, cells=len(cells),
                markdown=sum(c["cell_type"] == "markdown" for c in cells))
    if not tr_path.exists():
        st.no_file = True
        st.untranslated = [c["id"] for c in cells if c["cell_type"] == "markdown"]
        return st
    entries = _entries(tr_path, language)
    for cell in cells:
        entry = entries.get(cell["id"])
        if entry is None:
            st.missing.append(cell["id"])
        elif entry[language] is None:
            (st.untranslated if cell["cell_type"] == "markdown" else st.copied).append(cell["id"])
        elif _is_stale(entry, cell):
            st.stale.append(cell["id"])
        else:
            st.translated.append(cell["id"])
            if cell["cell_type"] == "code":
                why = code_difference(cell_text(cell), str(entry[language]))
                if why is not None:
                    st.code_changed[cell["id"]] = why
    ids = {c["id"] for c in cells}
    st.orphans = [i for i in entries if i not in ids]
    return st


def complete_stems(language: str = "ja", root: Path = ROOT, *,
                   solutions: bool = False) -> set[str]:
    """The lessons whose translation is complete (they have a Japanese twin to link to); with
    ``solutions``, also the solutions' (as ``solutions/<name>``)."""
    stems = all_stems(root) if solutions else lesson_stems(root)
    return {s for s in stems if status(s, language, root).complete}


def accept(stem: str, cell_ids: list[str], language: str = "ja", root: Path = ROOT) -> list[str]:
    """Record the current English text as the ``source`` of translated cells; return their ids.

    Run it after updating a stale cell's ``ja`` (or after checking that the English change needs
    no change in the translation): it is the one way ``source`` moves forward.
    """
    nb_path, tr_path, _ = _paths(root, language, stem)
    english = {c["id"]: c for c in _english_cells(nb_path)}
    data = load(tr_path)
    by_id = {str(e["id"]): e for e in data["cells"]}
    for cid in cell_ids:
        if cid not in english:
            raise TranslationError(f"{stem}: the English notebook has no cell {cid!r}")
        if cid not in by_id:
            raise TranslationError(f"{stem}: cell {cid} is not in {tr_path.name}; run extract")
        if by_id[cid].get(language) is None:
            raise TranslationError(f"{stem}: cell {cid} is untranslated; write its "
                                   f"'{language}' first (there is nothing to accept)")
    for cid in cell_ids:
        by_id[cid]["type"] = english[cid]["cell_type"]
        by_id[cid]["source"] = _blockable(cell_text(english[cid]))
    dump(data, tr_path)
    return list(cell_ids)


def diff(stem: str, language: str = "ja", root: Path = ROOT) -> str:
    """What changed in the English of each stale cell since it was translated (unified diffs)."""
    nb_path, tr_path, _ = _paths(root, language, stem)
    english = {c["id"]: c for c in _english_cells(nb_path)}
    entries = _entries(tr_path, language)
    out = []
    for cid in status(stem, language, root).stale:
        old, new = entries[cid].get("source") or "", _blockable(cell_text(english[cid]))
        out.append("".join(difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True),
            fromfile=f"{cid} (translated from)", tofile=f"{cid} (English now)", lineterm="\n")))
    return "\n".join(t if t.endswith("\n") else t + "\n" for t in out)


# --- build -------------------------------------------------------------------------------------

_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.S | re.M)
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)
_MD_LINK = re.compile(r"(!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*)(<[^>\n]*>|[^)\s]+)"
                      r"((?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\))")
_REF_LINK = re.compile(r"^( {0,3}\[[^\]]+\]:\s*)(\S+)", re.M)
_HTML_LINK = re.compile(r"""((?:href|src)\s*=\s*)(["'])([^"']*)\2""", re.I)


def _twin(where: str, available: set[str], language: str) -> str:
    """The path of the translated twin of the course file ``where`` when it has one (a
    lesson, a solution or a student copy whose stem is in ``available``), else ``where``."""
    folder, name = posixpath.split(where)
    if not name.endswith(".ipynb"):
        return where
    stem = name[:-6]
    if folder == "notebooks" and stem in available:
        return f"notebooks/{language}/{name}"
    if folder in ("exercises", "exercises/solutions") and SOLUTIONS + stem in available:
        return f"{folder}/{language}/{name}"
    return where


def _retarget(target: str, available: set[str], language: str,
              folder: str = "notebooks") -> str:
    """A link target written for ``<folder>/`` rewritten for ``<folder>/<language>/``."""
    bare = target[1:-1] if target.startswith("<") and target.endswith(">") else target
    if not bare or re.match(r"^([a-z][a-z0-9+.-]*:|#|/)", bare, flags=re.I):
        return target                                   # a URL, an anchor, an absolute path
    parts = urlsplit(bare)
    path = parts.path
    suffix = bare[len(path):]                           # ?query and #fragment, as written
    if not path:
        return target
    where = _twin(posixpath.normpath(posixpath.join(folder, path)), available, language)
    new = posixpath.relpath(where, f"{folder}/{language}") + suffix
    return f"<{new}>" if target.startswith("<") else new


def rewrite_links(markdown: str, available: set[str], language: str = "ja",
                  folder: str = "notebooks") -> str:
    """Rewrite the relative links of a markdown cell of ``<folder>/`` (``notebooks`` or
    ``exercises/solutions``) for ``<folder>/<language>/``, one folder deeper.

    Links to notebooks with a Japanese twin (``available``: lesson stems, and ``solutions/<name>``
    for a solution and its student copy) point to the twin, everything else (English notebooks,
    docs, data, images) to the same file as before. Code spans and fenced code are left alone.

    Examples
    --------
    >>> rewrite_links("[guide](../docs/x.md#a), [next](02_b.ipynb), [en](03_c.ipynb), "
    ...               '<img src="img/p.png">, `[code](../docs/y.md)`', {"02_b"})
    '[guide](../../docs/x.md#a), [next](02_b.ipynb), [en](../03_c.ipynb), <img src="../img/p.png">, `[code](../docs/y.md)`'
    >>> rewrite_links("[lesson](../../notebooks/02_b.ipynb), [copy](../02_b.ipynb), "
    ...               "[other](03_c.ipynb)", {"02_b", "solutions/02_b"}, folder="exercises/solutions")
    '[lesson](../../../notebooks/ja/02_b.ipynb), [copy](../../ja/02_b.ipynb), [other](../03_c.ipynb)'
    """
    protected: list[str] = []

    def hide(m: re.Match) -> str:
        protected.append(m.group(0))
        return f"\x00{len(protected) - 1}\x00"

    text = _FENCE.sub(hide, markdown)
    text = _CODE_SPAN.sub(hide, text)
    text = _MD_LINK.sub(lambda m: m.group(1) + _retarget(m.group(2), available, language, folder)
                        + m.group(3), text)
    text = _REF_LINK.sub(lambda m: m.group(1)
                         + _retarget(m.group(2), available, language, folder), text)
    text = _HTML_LINK.sub(lambda m: m.group(1) + m.group(2)
                          + _retarget(m.group(3), available, language, folder) + m.group(2), text)
    return re.sub("\x00(\\d+)\x00", lambda m: protected[int(m.group(1))], text)


def _insert_set_language(code: str) -> str | None:
    lines = code.split("\n")
    for i, line in enumerate(lines):
        if _IMPORT_LINE.match(line):
            # blank lines around it keep ruff's import sorting (I001) happy
            after = [""] if i + 1 < len(lines) and lines[i + 1].strip() else []
            return "\n".join([*lines[:i + 1], "", SET_LANGUAGE_LINE, *after, *lines[i + 1:]])
    return None


def build_notebook(stem: str, language: str = "ja", root: Path = ROOT,
                   available: set[str] | None = None) -> dict[str, Any]:
    """The Japanese notebook of ``stem`` (as JSON), from the English one and its translation.

    Markdown cells are replaced by their translation (links rewritten: :func:`rewrite_links`),
    code cells by theirs where one is given, else copied; cell ids and cell metadata are the
    English ones; ``cs.set_language("ja")`` follows the first ``import cs_helpers as cs``.
    Outputs of the current ``notebooks/<language>/<stem>.ipynb`` are kept for code cells whose
    source did not change (so a prose-only change needs no re-execution); other code cells
    come without outputs until the notebook is executed. Raises :class:`TranslationError` when
    the translation is not complete.
    """
    nb_path, tr_path, out_path = _paths(root, language, stem)
    st = status(stem, language, root)
    if not st.complete:
        raise TranslationError(f"{stem}: not built: {st.problems()} ({_rel(tr_path, root)})")
    if available is None:
        available = complete_stems(language, root, solutions=True)
    entries = _entries(tr_path, language)
    english = json.loads(nb_path.read_text(encoding="utf-8"))
    previous: dict[str, dict[str, Any]] = {}
    if out_path.exists():
        old = json.loads(out_path.read_text(encoding="utf-8"))
        previous = {c.get("id"): c for c in old["cells"] if c["cell_type"] == "code"}
    nb = copy.deepcopy(english)
    inserted = False
    for cell in nb["cells"]:
        if cell["cell_type"] not in ("markdown", "code"):
            continue
        translation = entries[cell["id"]][language]
        if cell["cell_type"] == "markdown":
            text = rewrite_links(translation.rstrip("\n"), available, language, _folder(stem))
        else:
            text = cell_text(cell) if translation is None else translation.rstrip("\n")
            if not inserted:
                with_line = _insert_set_language(text)
                if with_line is not None:
                    text, inserted = with_line, True
        cell["source"] = text
        if cell["cell_type"] == "code":
            old_cell = previous.get(cell["id"])
            if old_cell is not None and cell_text(old_cell) == text:
                cell["outputs"] = old_cell.get("outputs", [])
                cell["execution_count"] = old_cell.get("execution_count")
            else:
                cell["outputs"], cell["execution_count"] = [], None
    if not inserted:
        raise TranslationError(f"{stem}: no code cell has the line `import cs_helpers as cs`, "
                               "after which the Japanese notebook sets its language")
    nb["metadata"]["language"] = language
    nb["metadata"]["translation"] = {"notebook": english_path(stem),
                                     "file": f"translations/{language}/{stem}.yaml"}
    return nb


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _notebook_text(nb: dict[str, Any]) -> str:
    """The file text, exactly as JupyterLab saves it through the course's save hook."""
    import nbformat

    from cs_helpers.course.lab import clean

    node = nbformat.from_dict(nb)
    return nbformat.writes(clean(node), version=nbformat.NO_CONVERT) + "\n"


@dataclass
class BuildResult:
    written: list[Path] = field(default_factory=list)      # changed files
    unchanged: list[Path] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # stem -> why

    @property
    def built(self) -> list[Path]:
        return sorted([*self.written, *self.unchanged])


def build(stems: list[str] | None = None, language: str = "ja", root: Path = ROOT) -> BuildResult:
    """Build ``notebooks/<language>/<stem>.ipynb`` (``exercises/solutions/<language>/<name>.ipynb``
    for a stem ``solutions/<name>``) for each complete notebook among ``stems`` (default: every
    lesson and solution); the others are skipped, with the reason."""
    result = BuildResult()
    available = complete_stems(language, root, solutions=True)
    for stem in stems or all_stems(root):
        if not _paths(root, language, stem)[0].exists():
            result.skipped[stem] = f"there is no {english_path(stem)}"
            continue
        if stem not in available:
            result.skipped[stem] = status(stem, language, root).problems()
            continue
        text = _notebook_text(build_notebook(stem, language, root, available))
        out = _paths(root, language, stem)[2]
        if out.exists() and out.read_text(encoding="utf-8") == text:
            result.unchanged.append(out)
        else:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8", newline="\n")
            result.written.append(out)
    return result


# --- README.ja.md: the course map follows what is built ------------------------------------------

README_JA = "README.ja.md"
_MAP_ROW = re.compile(r"^(\|[^|\n]*\| \[)([\w-]+)(\.ipynb\]\()notebooks/(?:ja/)?[\w-]+\.ipynb"
                      r"(\) \|)[^|\n]*(\|)", re.M)
EDITION_JA, EDITION_EN = " 日本語 ", " 英語（翻訳中） "


def readme_text(text: str, language: str = "ja", root: Path = ROOT) -> str:
    """README.ja.md with each course-map row linking the Japanese notebook where it is built
    (``notebooks/ja/<stem>.ipynb``, edition column 日本語) and the English one elsewhere (英語（翻訳中）).

    Examples
    --------
    >>> print(readme_text("| 01 | [01_x.ipynb](notebooks/ja/01_x.ipynb) | 日本語 | topic |",
    ...                   root=Path("/nowhere")))
    | 01 | [01_x.ipynb](notebooks/01_x.ipynb) | 英語（翻訳中） | topic |
    """
    def row(m: re.Match) -> str:
        built = (root / "notebooks" / language / f"{m.group(2)}.ipynb").exists()
        target = f"notebooks/{language}/{m.group(2)}.ipynb" if built else f"notebooks/{m.group(2)}.ipynb"
        return (m.group(1) + m.group(2) + m.group(3) + target + m.group(4)
                + (EDITION_JA if built else EDITION_EN) + m.group(5))
    return _MAP_ROW.sub(row, text)


def update_readme(language: str = "ja", root: Path = ROOT) -> bool:
    """Rewrite the course map of README.ja.md for what notebooks/ja/ holds; True if it changed."""
    path = root / README_JA
    if not path.exists():
        return False
    text = path.read_text(encoding="utf-8")
    new = readme_text(text, language, root)
    if new != text:
        path.write_text(new, encoding="utf-8", newline="\n")
    return new != text


# --- command line ------------------------------------------------------------------------------

def _print_status(stems: list[str], language: str, root: Path) -> int:
    rows = [status(s, language, root) for s in stems]
    width = max([len(s) for s in stems] + [8])
    print(f"{'notebook':{width}}  cells  translated  untranslated  stale  state")
    for st in rows:
        state = "complete" if st.complete else st.problems()
        print(f"{st.stem:{width}}  {st.cells:5d}  {len(st.translated):10d}  "
              f"{len(st.untranslated):12d}  {len(st.stale):5d}  {state}")
    print(f"(translated: cells with a translation that matches the current English; untranslated: "
          f"markdown cells still null (code cells left null are copied unchanged); "
          f"{sum(st.complete for st in rows)} of {len(rows)} complete)")
    if any(st.stale for st in rows):
        print("\nStale cells: the English changed since they were translated. For each notebook, "
              "`python -m cs_helpers.course.translate diff STEM` shows what changed; update the "
              "cells' ja, then `python -m cs_helpers.course.translate accept STEM CELL ...`.")
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cs_helpers.course.translate",
                                     description="The Japanese edition: translation files and "
                                                 "notebooks/ja/ (see the module docstring).")
    parser.add_argument("--language", default="ja")
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="the course folder (default: the checkout this package is in)")
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="create or refresh translation files")
    ex.add_argument("stems", nargs="*", help="notebook names without .ipynb (default: all)")
    stp = sub.add_parser("status", help="cells, translated, untranslated, stale per notebook "
                                        "(exit code 1 if anything is stale)")
    stp.add_argument("stems", nargs="*")
    df = sub.add_parser("diff", help="what changed in the English of each stale cell")
    df.add_argument("stem")
    ac = sub.add_parser("accept", help="after updating ja: record the current English as the "
                                       "source of these cells")
    ac.add_argument("stem")
    ac.add_argument("cells", nargs="+", metavar="CELL")
    bd = sub.add_parser("build", help="write notebooks/<language>/<stem>.ipynb for each "
                                      "complete translation")
    bd.add_argument("stems", nargs="*", help="default: every notebook")
    bd.add_argument("--list", metavar="FILE",
                    help="also write the built notebooks' paths to FILE, one a line")
    args = parser.parse_args(argv)
    root, language = args.root, args.language
    try:
        if args.command == "extract":
            for stem in args.stems or all_stems(root):
                print(_rel(extract(stem, language, root), root))
        elif args.command == "status":
            return _print_status(args.stems or all_stems(root), language, root)
        elif args.command == "diff":
            text = diff(args.stem, language, root)
            print(text if text else f"{args.stem}: no stale cells")
        elif args.command == "accept":
            for cid in accept(args.stem, args.cells, language, root):
                print(f"{args.stem} {cid}: source updated to the current English")
        elif args.command == "build":
            result = build(args.stems or None, language, root)
            for path in result.written:
                print(f"built {_rel(path, root)}")
            for path in result.unchanged:
                print(f"up to date {_rel(path, root)}")
            for stem, why in result.skipped.items():
                print(f"skipped {stem}: {why}")
            if args.list:
                Path(args.list).write_text("".join(f"{_rel(p, root)}\n" for p in result.built),
                                           encoding="utf-8")
            if update_readme(language, root):
                print(f"updated the course map of {README_JA}")
            if args.stems and result.skipped:
                return 1            # a notebook asked for by name could not be built
    except TranslationError as e:
        print(e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
