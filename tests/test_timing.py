"""Timings come from one stated rule (cs_helpers.course.timing), and every place that shows them agrees:
each lesson's title cell, the README's course map and its totals."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cs_helpers.course import timing

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))


def test_the_rule_by_hand():
    cells = [{"cell_type": "markdown", "source": "## A section\n" + "word " * 498},   # 500 words
             {"cell_type": "code", "source": "x", "outputs": [
                 {"output_type": "display_data", "data": {"image/png": "..."}}]},
             {"cell_type": "markdown", "source": "> **Discuss.** Why?"},
             {"cell_type": "markdown", "source": "## Going deeper: more (optional)\n" + "w " * 300},
             {"cell_type": "code", "source": "y", "outputs": []},
             {"cell_type": "markdown", "source": "## Key points\nshort"}]
    t = timing.estimate_cells(cells)
    # core: 500 + 4 + 2 words (~5.1 min) + 1.5 (code) + 1 (figure) + 3 (discuss) = 10.6 -> 15
    assert (t["core"], t["core_code_cells"], t["core_figures"], t["core_discuss"]) == (15, 1, 1, 1)
    # deeper: ~305 words (3.05 min) + 1.5 -> 4.55 -> 5
    assert t["deeper"] == 5 and t["deeper_code_cells"] == 1


@pytest.mark.parametrize("stem", LESSONS)
def test_each_lesson_states_the_rules_time(stem):
    nb = json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))
    title = "".join(nb["cells"][0]["source"])
    line = timing.time_line(stem)
    assert line in title, f"{stem}: the title cell's Time line should read:\n{line}"


def _readme_map() -> dict[str, tuple[int, int, int]]:
    rows = re.findall(r"\| \[(\w+)\.ipynb\]\([^)]*\) \|[^|]*\| (\d+) \+ (\d+) \| (\d+) \|",
                      (ROOT / "README.md").read_text(encoding="utf-8"))
    return {name: (int(c), int(e), int(d)) for name, c, e, d in rows}


def test_readme_course_map_follows_the_rule():
    listed = _readme_map()
    assert set(listed) == set(LESSONS)
    for stem, (core, exercises, deeper) in listed.items():
        t = timing.estimate(stem)
        assert (core, exercises, deeper) == (t["core"], t["exercises"], t["deeper"]), stem


def test_readme_core_path_total_is_the_sum_of_the_table():
    core = {k: v for k, v in _readme_map().items() if k[:2].isdigit() and k[:2] != "00"}
    lessons = sum(c for c, _, _ in core.values())
    exercises = sum(e for _, e, _ in core.values())
    deeper = sum(d for _, _, d in core.values())
    fmt = lambda m: f"{m // 60} h {m % 60} min"  # noqa: E731
    sentence = (f"Core path 01-07: {fmt(lessons)} of lessons plus {fmt(exercises)} of exercises "
                f"({fmt(lessons + exercises)} in all); the optional Going deeper sections add "
                f"{fmt(deeper)}.")
    assert sentence in (ROOT / "README.md").read_text(encoding="utf-8").replace("\n", " ")
