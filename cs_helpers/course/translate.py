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
longer matches and the translation is *stale* until someone updates both. A code cell whose ``ja``
is null is copied unchanged into the Japanese notebook.

Commands::

    python -m cs_helpers.course.translate extract [STEM ...]   # create / refresh the files
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml

__all__ = ["ROOT", "NOTEBOOKS", "TRANSLATIONS", "cell_text", "load", "dump", "extract"]

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
TRANSLATIONS = ROOT / "translations"


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


def extract(stem: str, language: str = "ja") -> Path:
    """Create or refresh ``translations/<language>/<stem>.yaml`` from the English notebook.

    Existing translations are kept (matched by cell id); their ``source`` is left as it was,
    so a changed English cell shows up as stale. New cells are added untranslated; cells that
    left the notebook are dropped.
    """
    nb_path = NOTEBOOKS / f"{stem}.ipynb"
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    out = TRANSLATIONS / language / f"{stem}.yaml"
    old = {c["id"]: c for c in load(out)["cells"]} if out.exists() else {}
    cells = []
    for cell in nb["cells"]:
        if cell["cell_type"] not in ("markdown", "code"):
            continue
        prev = old.get(cell["id"])
        if prev is not None:
            cells.append(prev)
            continue
        cells.append({"id": cell["id"], "type": cell["cell_type"],
                      "source": _blockable(cell_text(cell)), language: None})
    dump({"notebook": f"notebooks/{stem}.ipynb", "language": language, "cells": cells}, out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cs_helpers.course.translate")
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="create or refresh translation files")
    ex.add_argument("stems", nargs="*", help="notebook names without .ipynb (default: all)")
    ex.add_argument("--language", default="ja")
    args = parser.parse_args(argv)
    if args.command == "extract":
        stems = args.stems or sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
        for stem in stems:
            print(extract(stem, args.language).relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
