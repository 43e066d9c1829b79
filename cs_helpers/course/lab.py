"""How the course's notebooks are saved, so that running a lesson does not modify it.

A lesson is committed with its outputs. When a learner runs it in JupyterLab and saves, the file
must stay byte for byte the same if the outputs are the same, or git would list the lesson as
modified although nothing but execution details changed. Two such details differ from machine
to machine and run to run:

- each cell's ``metadata.execution`` (timestamps that nbconvert records; JupyterLab deletes them
  when it runs a cell);
- the kernel's Python version in ``metadata.language_info.version`` (JupyterLab writes the
  version of the kernel it runs, 3.11.7 on one machine, 3.13.0 on the next).

The notebooks are committed without both (:func:`clean`; ``python -m cs_helpers.course.lab clean``, run
by ``make notebooks``, and a test checks every committed notebook), and ``make lab`` starts
JupyterLab with :func:`pre_save_hook`, which drops them from every notebook it saves. Outputs and
execution counts are kept: they are part of the lesson.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["clean", "pre_save_hook", "clean_files", "committed_notebooks", "HOOK"]

ROOT = Path(__file__).resolve().parents[2]          # the checkout: cs_helpers/course/ -> ../..

#: The import path JupyterLab is given (``--ContentsManager.pre_save_hook=...``).
HOOK = "cs_helpers.course.lab.pre_save_hook"


def clean(nb: dict[str, Any]) -> dict[str, Any]:
    """Remove execution timestamps and the kernel's Python version from a notebook (in place).

    Parameters
    ----------
    nb : dict
        A notebook as JSON (a dict or an ``nbformat.NotebookNode``).

    Returns
    -------
    dict
        The same notebook, for chaining.

    Examples
    --------
    >>> nb = {"cells": [{"cell_type": "code", "metadata": {"execution": {}, "tags": ["x"]}}],
    ...       "metadata": {"language_info": {"name": "python", "version": "3.13.0"}}}
    >>> clean(nb)
    {'cells': [{'cell_type': 'code', 'metadata': {'tags': ['x']}}], 'metadata': {'language_info': {'name': 'python'}}}
    """
    for cell in nb.get("cells", []):
        cell.get("metadata", {}).pop("execution", None)
    info = nb.get("metadata", {}).get("language_info")
    if isinstance(info, dict):
        info.pop("version", None)
    return nb


def pre_save_hook(model: dict[str, Any], **kwargs: Any) -> None:
    """JupyterLab's pre-save hook: clean every notebook before it is written.

    ``make lab`` passes ``--ContentsManager.pre_save_hook=cs_helpers.course.lab.pre_save_hook``; the
    server calls it with the contents model of each file it saves (other files are left alone).
    """
    if model.get("type") == "notebook" and isinstance(model.get("content"), dict):
        clean(model["content"])


def committed_notebooks(root: Path = ROOT) -> list[Path]:
    """The lessons and solutions (committed with outputs) and the student copies."""
    return sorted([*root.glob("notebooks/*.ipynb"), *root.glob("exercises/*.ipynb"),
                   *root.glob("exercises/solutions/*.ipynb")])


def _text(path: Path) -> tuple[str, str]:
    """A notebook file's text, and the text JupyterLab would save for it after :func:`clean`."""
    import nbformat

    text = path.read_text(encoding="utf-8")
    nb = clean(nbformat.reads(text, as_version=nbformat.NO_CONVERT))
    return text, nbformat.writes(nb, version=nbformat.NO_CONVERT) + "\n"


def is_clean(path: Path) -> bool:
    """Whether the file is exactly what JupyterLab saves for it through the hook."""
    text, clean_text = _text(path)
    return text == clean_text


def clean_files(paths: Iterable[Path]) -> list[Path]:
    """Clean notebook files in place (written as JupyterLab writes them); return those changed."""
    changed = []
    for path in paths:
        text, clean_text = _text(Path(path))
        if clean_text != text:
            Path(path).write_text(clean_text, encoding="utf-8", newline="\n")
            changed.append(Path(path))
    return changed


def main(argv: list[str] | None = None) -> int:
    """``python -m cs_helpers.course.lab clean [NOTEBOOK ...]`` (default: every committed notebook)."""
    parser = argparse.ArgumentParser(prog="python -m cs_helpers.course.lab")
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("clean", help="remove execution timestamps and the Python version")
    c.add_argument("paths", nargs="*", type=Path)
    args = parser.parse_args(argv)
    for path in clean_files(args.paths or committed_notebooks()):
        print(f"cleaned {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
