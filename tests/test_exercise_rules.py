"""The rules every exercise keeps (issue 13):

- its expected answer does not appear in the lesson's outputs (a learner cannot answer by
  copying a printed number);
- an answer rounded the way the lesson displays such numbers is right, and so is the answer of
  every other method the lesson calls right (``also_right``);
- no recognised mistake is accepted as right, and each is named when given;
- ``check`` tells a ``None`` (code that returned nothing) from a blank answer, and
  ``progress()`` shows what is done.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from cs_helpers.exercises import (
    EXERCISES,
    _also_right,
    _expected,
    _load_catalogue,
    _mistake_value,
    check,
    progress,
)

ROOT = Path(__file__).resolve().parent.parent

_load_catalogue()
BANK = sorted(e for e in EXERCISES if re.fullmatch(r"(\d\d|A\d)\.\d+", e))
NUMERIC = [e for e in BANK if EXERCISES[e].kind == "number"]

_NUMBER = re.compile(r"(?<![\w.])[-+−]?\d[\d,]*(?:\.\d+)?(?:e[-+]?\d+)?%?")


def _lesson(exercise_id: str) -> Path:
    prefix = exercise_id.split(".")[0]
    found = sorted((ROOT / "notebooks").glob(f"{prefix}_*.ipynb"))
    assert found, f"no lesson for {exercise_id}"
    return found[0]


def _output_text(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    parts = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                parts.append("".join(out["text"]))
            for kind in ("text/plain", "text/markdown", "text/html"):
                if kind in out.get("data", {}):
                    text = "".join(out["data"][kind])
                    if kind == "text/html":
                        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
                    parts.append(text)
    return "\n".join(parts)


def displayed_numbers(text: str) -> list[float]:
    """Every number shown in ``text``, as the value it stands for (45.5% -> 0.455).

    >>> displayed_numbers("churn 4.1% of 1,234 accounts, p = 2.6e-06")
    [0.041, 1234.0, 2.6e-06]
    """
    out = []
    for m in _NUMBER.finditer(text):
        token = m.group().replace(",", "").replace("−", "-")
        percent = token.endswith("%")
        try:
            value = float(token.rstrip("%"))
        except ValueError:
            continue
        out.append(value / 100 if percent else value)
    return out


def _accepted(exercise_id: str, value: float) -> bool:
    ex = EXERCISES[exercise_id]
    targets = [float(_expected(exercise_id)), *(float(v) for v in _also_right(exercise_id))]
    return any(ex.accepts(value, t) for t in targets)


@pytest.mark.parametrize("exercise_id", NUMERIC)
def test_the_answer_is_not_printed_in_the_lesson(exercise_id):
    expected = float(_expected(exercise_id))
    if expected == round(expected) and abs(expected) < 10:
        pytest.skip("a small whole number: too common in any output to tell")
    shown = [x for x in displayed_numbers(_output_text(_lesson(exercise_id)))
             if not (x == round(x) and abs(x) < 10)]
    copied = sorted({x for x in shown if _accepted(exercise_id, x)})
    assert not copied, (f"{exercise_id}: the lesson prints {copied}, which check() accepts as "
                        f"the answer ({expected:.6g}); ask for something the lesson does not print")


@pytest.mark.parametrize("exercise_id", NUMERIC)
def test_answers_at_the_lessons_precision_and_by_every_right_method_pass(exercise_id):
    ex = EXERCISES[exercise_id]
    assert ex.decimals is not None, (f"{exercise_id}: say at what precision the lesson displays "
                                     "such numbers (Exercise(decimals=...))")
    expected = float(_expected(exercise_id))
    assert check(exercise_id, round(expected, ex.decimals)).correct
    for value in _also_right(exercise_id):
        assert check(exercise_id, value).correct, (exercise_id, value)
        assert check(exercise_id, round(float(value), ex.decimals)).correct, (exercise_id, value)


@pytest.mark.parametrize("exercise_id", NUMERIC)
def test_every_recognised_mistake_is_told_apart(exercise_id):
    ex = EXERCISES[exercise_id]
    for i, mistake in enumerate(ex.mistakes):
        value = _mistake_value(exercise_id, i)
        fb = check(exercise_id, value)
        assert not fb.correct, (exercise_id, mistake.message)
        assert mistake.message in fb.message, (exercise_id, fb.message)


def test_none_is_not_a_blank_answer():
    blank = check(NUMERIC[0], ...)
    none = check(NUMERIC[0], None)
    assert blank.status == "unanswered" and "Not answered yet" in blank.message
    assert none.status == "invalid" and "None" in none.message and "return" in none.message


def test_progress_shows_what_is_done_and_solutions_leave_no_trace(tmp_path, monkeypatch):
    monkeypatch.setenv("CS_HELPERS_PROGRESS", str(tmp_path / "progress.json"))
    first, second = [e for e in NUMERIC if e.startswith("03.")][:2]
    assert check(first, float(_expected(first))).correct
    assert not check(second, -12345.0).correct
    p = progress("03")
    status = p.table.set_index("exercise")["status"]
    assert status[first] == "done" and status[second] == "tried"
    assert p.summary().startswith("03: 1 of ")
    assert not check(first, -12345.0).correct           # once done, it stays done
    assert progress("03").table.set_index("exercise")["status"][first] == "done"
    # running a solution notebook (its folder is the working directory) records nothing
    fresh = tmp_path / "other.json"
    monkeypatch.setenv("CS_HELPERS_PROGRESS", str(fresh))
    monkeypatch.chdir(ROOT / "exercises" / "solutions")
    check(first, float(_expected(first)))
    assert not fresh.exists()
    with pytest.raises(KeyError, match="notebooks with exercises"):
        progress("99")
