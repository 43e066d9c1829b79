"""How long a lesson takes, estimated from the notebook by one stated rule.

Timings a learner can keep cannot come from the author's feeling; they come from what is on the
page. The rule, applied to every notebook by ``tests/test_timing.py``:

- **reading**: every word of prose (markdown cells and the sentences the code writes, i.e.
  Markdown outputs) at :data:`WORDS_PER_MINUTE` = 100 words a minute, a careful reading speed
  for technical text in a second language;
- **code**: :data:`MINUTES_PER_CODE_CELL` = 1.5 minutes per code cell (read it, run it, look at
  what it prints);
- **figures**: :data:`MINUTES_PER_FIGURE` = 1 more minute per figure (read the axes and the
  "what to see" sentence against the picture);
- **discussion**: :data:`MINUTES_PER_DISCUSS` = 3 minutes per "Discuss" prompt (alone: think and
  write a sentence; a workshop allows more, see the facilitator guide);
- **exercises**: :data:`MINUTES_PER_EXERCISE` = 8 minutes per exercise that asks for a number
  and 4 per choice or judgement question, counted from the solution notebook.

Each part is rounded up to the next 5 minutes. Sections whose heading starts with
``## Going deeper`` (up to the next ``##`` heading that does not) are optional: they count in
``deeper``, not in the core path.

>>> rule = estimate_cells([{"cell_type": "markdown", "source": "word " * 250},
...                        {"cell_type": "code", "source": "x = 1", "outputs": []}])
>>> rule["core"], rule["deeper"]
(5, 0)
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

__all__ = ["WORDS_PER_MINUTE", "MINUTES_PER_CODE_CELL", "MINUTES_PER_FIGURE",
           "MINUTES_PER_DISCUSS", "MINUTES_PER_EXERCISE", "estimate_cells", "estimate",
           "time_line", "ROOT"]

WORDS_PER_MINUTE = 100
MINUTES_PER_CODE_CELL = 1.5
MINUTES_PER_FIGURE = 1.0
MINUTES_PER_DISCUSS = 3.0
MINUTES_PER_EXERCISE = {"number": 8.0, "choice": 4.0, "judgement": 4.0}

ROOT = Path(__file__).resolve().parents[2]          # the checkout: cs_helpers/course/ -> ../..

_DEEPER = re.compile(r"^##\s+Going deeper", re.IGNORECASE | re.MULTILINE)
_H2 = re.compile(r"^##\s+\S", re.MULTILINE)
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*|[\u3040-\u30ff\u4e00-\u9fff]{1,2}")


def _text(source: Any) -> str:
    return "".join(source) if isinstance(source, list) else str(source)


def _words(text: str) -> int:
    text = re.sub(r"```.*?```", " ", text, flags=re.S)          # code blocks are not prose
    text = re.sub(r"<[^>]+>|\(https?://[^)]*\)|\([^)]*\.ipynb[^)]*\)", " ", text)
    return len(_WORD.findall(text))


def _round5(minutes: float) -> int:
    return int(5 * math.ceil(minutes / 5 - 1e-9)) if minutes > 0 else 0


def estimate_cells(cells: list[dict]) -> dict[str, int]:
    """Minutes of the core path and of the optional "Going deeper" sections of a lesson.

    Parameters
    ----------
    cells : list of dict
        The notebook's cells (nbformat JSON).

    Returns
    -------
    dict
        ``core`` and ``deeper`` (minutes, rounded up to 5) and the raw counts behind them:
        ``words``, ``code_cells``, ``figures``, ``discuss`` for each part.
    """
    parts = {"core": [0, 0, 0, 0], "deeper": [0, 0, 0, 0]}
    part = "core"
    for cell in cells:
        src = _text(cell.get("source", ""))
        if cell.get("cell_type") == "markdown":
            if _DEEPER.search(src):
                part = "deeper"
            elif _H2.search(src):
                part = "core"
            parts[part][0] += _words(src)
            parts[part][3] += len(re.findall(r"\*\*Discuss[.:]?\*\*", src))
        elif cell.get("cell_type") == "code":
            parts[part][1] += 1
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                if "image/png" in data or "image/svg+xml" in data:
                    parts[part][2] += 1
                if "text/markdown" in data:
                    parts[part][0] += _words(_text(data["text/markdown"]))
    out: dict[str, int] = {}
    for name, (words, code, figures, discuss) in parts.items():
        minutes = (words / WORDS_PER_MINUTE + code * MINUTES_PER_CODE_CELL
                   + figures * MINUTES_PER_FIGURE + discuss * MINUTES_PER_DISCUSS)
        out[name] = _round5(minutes)
        out.update({f"{name}_words": words, f"{name}_code_cells": code,
                    f"{name}_figures": figures, f"{name}_discuss": discuss})
    return out


def _exercise_minutes(solution: Path) -> int:
    if not solution.exists():
        return 0
    from . import exercises

    exercises._load_catalogue()           # the bank says which exercises are choices
    ids = re.findall(r"check\(\s*[\"']([^\"']+)[\"']", "".join(
        _text(c.get("source", "")) for c in json.loads(solution.read_text())["cells"]
        if c.get("cell_type") == "code"))
    total = 0.0
    for ex_id in dict.fromkeys(ids):
        kind = exercises.EXERCISES[ex_id].kind if ex_id in exercises.EXERCISES else "number"
        total += MINUTES_PER_EXERCISE.get(kind, MINUTES_PER_EXERCISE["number"])
    return _round5(total)


def estimate(notebook: str | Path) -> dict[str, int]:
    """The rule applied to a lesson (and its solution notebook, for the exercises).

    Parameters
    ----------
    notebook : path
        A lesson in ``notebooks/`` (e.g. ``notebooks/03_kpi_churn.ipynb``) or its stem.

    Returns
    -------
    dict
        ``core``, ``deeper`` and ``exercises`` in minutes, plus the counts behind them.

    Examples
    --------
    >>> t = estimate("00_start_here")
    >>> t["exercises"]
    0
    """
    path = Path(notebook)
    if not path.suffix:
        path = ROOT / "notebooks" / f"{path.name}.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    out = estimate_cells(nb["cells"])
    out["exercises"] = _exercise_minutes(ROOT / "exercises" / "solutions" / path.name)
    return out


def time_line(notebook: str | Path) -> str:
    """The "Time:" line a lesson's header must carry (``tests/test_timing.py`` checks it).

    Examples
    --------
    >>> time_line("00_start_here").startswith("**Time:** core path ")
    True
    """
    t = estimate(notebook)
    line = f"**Time:** core path {t['core']} min + exercises {t['exercises']} min"
    if t["deeper"]:
        line += f"; going deeper (optional) {t['deeper']} min"
    return line + " (estimated by the course's timing rule: `cs_helpers.timing`)."
