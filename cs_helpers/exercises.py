"""Exercises with instant feedback, and the student copies generated from the solutions.

In an exercise notebook::

    from cs_helpers.exercises import check, hint
    answer = ...                 # the learner replaces ... with their answer
    check("03.1", answer)        # right or not, and for a wrong answer the likely mistake
    hint("03.1")                 # a nudge, never the answer

The expected answers are *computed from the course data by the helpers* when first needed (never
typed in), and each exercise lists the common mistakes it recognises (a wrong denominator, an
annual rate given for a monthly one, a percent given as a fraction...) so that feedback names the
mistake instead of just saying "wrong".

The solution notebooks in ``exercises/solutions/`` are the source. ``python -m
cs_helpers.exercises build`` writes the student copies in ``exercises/``: in every cell tagged
``solution`` the code between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` becomes a scaffold
(``answer = ...``), and outputs are cleared. ``build --check`` exits non-zero when a copy is stale.
"""

from __future__ import annotations

import argparse
import ast
import copy
import json
import math
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["Exercise", "Mistake", "Feedback", "check", "hint", "model_answer", "register",
           "EXERCISES", "scaffold_source", "student_copy", "build"]

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "exercises" / "solutions"
STUDENT = ROOT / "exercises"


@dataclass(frozen=True)
class Mistake:
    """A recognisable wrong answer: ``value()`` computes what that mistake gives."""

    value: Callable[[], Any]
    message: str


@dataclass(frozen=True)
class Exercise:
    """One exercise: how to compute its expected answer and which mistakes to recognise.

    ``kind`` is ``"number"`` (compared with a relative tolerance ``rtol``), ``"choice"``
    (compared as lower-case text; ``expected`` returns the right option) or ``"judgement"``
    (no automatic check: ``check`` shows the model answer on request).
    """

    id: str
    prompt: str
    expected: Callable[[], Any] | None
    kind: str = "number"
    rtol: float = 0.005
    atol: float = 0.0
    mistakes: tuple[Mistake, ...] = ()
    hints: tuple[str, ...] = ()
    explanation: str = ""
    model_answer: str = ""
    choices: tuple[str, ...] = ()


EXERCISES: dict[str, Exercise] = {}


def register(ex: Exercise) -> Exercise:
    """Add ``ex`` to the registry (ids are unique)."""
    if ex.id in EXERCISES:
        raise ValueError(f"exercise {ex.id!r} registered twice")
    EXERCISES[ex.id] = ex
    return ex


@dataclass
class Feedback:
    """What :func:`check` returns: shown as a coloured message in a notebook."""

    exercise: str
    status: str                     # "correct", "wrong", "unanswered", "invalid", "model"
    message: str
    correct: bool = False
    details: dict = field(default_factory=dict)

    _ICONS = {"correct": "✅", "wrong": "❌", "unanswered": "✏️", "invalid": "⚠️",
              "model": "📝"}

    def __str__(self) -> str:
        return f"{self._ICONS.get(self.status, '')} [{self.exercise}] {self.message}"

    def _repr_markdown_(self) -> str:
        return f"{self._ICONS.get(self.status, '')} **{self.exercise}** — {self.message}"

    def __repr__(self) -> str:
        return str(self)

    def __bool__(self) -> bool:
        return self.correct


def _load_catalogue() -> None:
    """Make sure the course's exercise bank is registered."""
    from . import exercise_bank

    exercise_bank.register_all()


def _get(exercise_id: str) -> Exercise:
    _load_catalogue()
    key = str(exercise_id).strip()
    if key not in EXERCISES:
        known = ", ".join(sorted(EXERCISES))
        raise KeyError(f"No exercise {key!r}. Known exercises: {known}.")
    return EXERCISES[key]


@cache
def _expected(exercise_id: str) -> Any:
    ex = EXERCISES[exercise_id]
    return None if ex.expected is None else ex.expected()


@cache
def _mistake_value(exercise_id: str, i: int) -> Any:
    return EXERCISES[exercise_id].mistakes[i].value()


def _as_number(answer: Any) -> float | None:
    try:
        import numpy as np
        if isinstance(answer, str):
            text = answer.strip().replace(",", "")
            if text.endswith("%"):
                return float(text[:-1]) / 100
            return float(text)
        arr = np.asarray(answer, dtype=float)
        if arr.size != 1:
            return None
        return float(arr.reshape(-1)[0])
    except (TypeError, ValueError):
        return None


def _close(a: float, b: float, rtol: float, atol: float) -> bool:
    return math.isclose(a, b, rel_tol=rtol, abs_tol=atol)


def check(exercise_id: str, answer: Any = ..., *, show_answer: bool = False) -> Feedback:
    """Check an answer and say what is right or, for a wrong answer, the likely mistake.

    Parameters
    ----------
    exercise_id : str
        Like ``"03.2"`` (notebook 03, exercise 2).
    answer : any
        The learner's answer; ``...`` (not answered yet) gets a friendly reminder.
    show_answer : bool
        For judgement exercises: show the model answer.

    Examples
    --------
    >>> from cs_helpers.exercises import Exercise, register, check
    >>> _ = register(Exercise("doc.1", "Monthly churn if 5 of 100 leave", lambda: 0.05,
    ...     mistakes=(Mistake(lambda: 5.0, "That is a percent; give a fraction (0.05)."),)))
    >>> print(check("doc.1", 0.05))
    ✅ [doc.1] Right: 0.05.
    >>> print(check("doc.1", 5))
    ❌ [doc.1] Not quite: That is a percent; give a fraction (0.05).
    >>> print(check("doc.1", ...))
    ✏️ [doc.1] Not answered yet: replace the ... with your answer and run the cell again.
    """
    ex = _get(exercise_id)
    if ex.kind == "judgement":
        if show_answer:
            return Feedback(ex.id, "model", "Model answer: " + ex.model_answer)
        return Feedback(ex.id, "model",
                        "This one is a judgement call, so there is no automatic check. Write "
                        "your answer, discuss it, then compare with the model answer: "
                        f'check("{ex.id}", show_answer=True).')
    if answer is ... or answer is None:
        return Feedback(ex.id, "unanswered",
                        "Not answered yet: replace the ... with your answer and run the cell "
                        "again.")
    expected = _expected(ex.id)
    if ex.kind == "choice":
        given = str(answer).strip().lower()
        options = [c.lower() for c in ex.choices]
        if options and given not in options:
            return Feedback(ex.id, "invalid",
                            f"Answer with one of: {', '.join(ex.choices)} (you gave {answer!r}).")
        if given == str(expected).strip().lower():
            return Feedback(ex.id, "correct", "Right. " + ex.explanation, correct=True)
        for i, m in enumerate(ex.mistakes):
            if given == str(_mistake_value(ex.id, i)).strip().lower():
                return Feedback(ex.id, "wrong", "Not quite: " + m.message)
        return Feedback(ex.id, "wrong", "Not quite. Try hint(" + repr(ex.id) + ").")
    value = _as_number(answer)
    if value is None:
        return Feedback(ex.id, "invalid",
                        f"Expected a single number, got {type(answer).__name__}. If you have a "
                        "table, pick the one value the question asks for.")
    exp = float(expected)
    if _close(value, exp, ex.rtol, ex.atol):
        shown = f"{exp:,.0f}" if abs(exp) >= 1000 else f"{exp:.4g}"
        return Feedback(ex.id, "correct", f"Right: {shown}. {ex.explanation}".strip(),
                        correct=True)
    for i, m in enumerate(ex.mistakes):
        wrong = _as_number(_mistake_value(ex.id, i))
        if wrong is not None and _close(value, wrong, ex.rtol, ex.atol):
            return Feedback(ex.id, "wrong", "Not quite: " + m.message)
    direction = "high" if value > exp else "low"
    return Feedback(ex.id, "wrong",
                    f"Not quite: your answer is too {direction}. Try hint({ex.id!r}).")


def hint(exercise_id: str, level: int | None = None) -> Feedback:
    """Return a nudge for an exercise, without the answer.

    Each call without ``level`` shows the next hint; hints get more specific.

    Examples
    --------
    >>> _ = register(Exercise("doc.2", "x", lambda: 1.0, hints=("Think about it.", "Closer.")))
    >>> print(hint("doc.2"))
    💡 [doc.2] Hint 1 of 2: Think about it.
    """
    ex = _get(exercise_id)
    if not ex.hints:
        return Feedback(ex.id, "hint", "No hint for this one: reread the section it follows.")
    if level is None:
        _HINTS_SHOWN[ex.id] = _HINTS_SHOWN.get(ex.id, 0) + 1
        level = _HINTS_SHOWN[ex.id]
    level = max(1, min(level, len(ex.hints)))
    fb = Feedback(ex.id, "hint", f"Hint {level} of {len(ex.hints)}: {ex.hints[level - 1]}")
    return fb


Feedback._ICONS["hint"] = "💡"
_HINTS_SHOWN: dict[str, int] = {}


def model_answer(exercise_id: str) -> Feedback:
    """Show the model answer of a judgement exercise (or the explanation of a computed one)."""
    ex = _get(exercise_id)
    text = ex.model_answer or ex.explanation or "See the solution notebook."
    return Feedback(ex.id, "model", "Model answer: " + text)


# --------------------------------------------------------------------------------------------
# Student copies generated from the solution notebooks

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


def _names_assigned(block: str) -> list[str]:
    try:
        tree = ast.parse(block)
    except SyntaxError:
        return []
    names: list[str] = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else [])
        for t in targets:
            if isinstance(t, ast.Name) and t.id not in names:
                names.append(t.id)
    return names


def scaffold_source(source: str) -> str:
    """Replace each solution block in a cell's source by a scaffold with ``...``.

    Names assigned in the block and used after it become ``name = ...``; a cell tagged
    ``solution`` without markers becomes a single ``...``.

    Examples
    --------
    >>> src = "t = 1\\n### BEGIN SOLUTION\\nx = t * 2\\nanswer = x + 1\\n### END SOLUTION\\ncheck('1', answer)"
    >>> print(scaffold_source(src))
    t = 1
    answer = ...
    check('1', answer)
    """
    lines = source.splitlines()
    if not any(ln.strip() == BEGIN for ln in lines):
        return "# Your code here\n..."
    out: list[str] = []
    i = 0
    while i < len(lines):
        if lines[i].strip() != BEGIN:
            out.append(lines[i])
            i += 1
            continue
        indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
        j = i + 1
        while j < len(lines) and lines[j].strip() != END:
            j += 1
        block = "\n".join(ln[len(indent):] if ln.startswith(indent) else ln
                          for ln in lines[i + 1:j])
        rest = "\n".join(lines[j + 1:])
        used = [n for n in _names_assigned(block) if n in rest]
        out.extend(f"{indent}{n} = ..." for n in used) if used else out.append(f"{indent}...")
        i = j + 1
    return "\n".join(out)


def student_copy(solution_nb: dict) -> dict:
    """Return the student copy of a solution notebook (as a JSON dict): scaffolds, no outputs."""
    nb = copy.deepcopy(solution_nb)
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if "solution" in cell.get("metadata", {}).get("tags", []):
            src = scaffold_source(src)
            cell["metadata"]["tags"] = [t for t in cell["metadata"]["tags"] if t != "solution"]
            if not cell["metadata"]["tags"]:
                del cell["metadata"]["tags"]
        cell["source"] = src
        cell["outputs"] = []
        cell["execution_count"] = None
    nb.setdefault("metadata", {})["cs_helpers"] = {
        "generated_from": "exercises/solutions/ (run `make exercises` to rebuild; edit the "
                          "solution, not this copy)"}
    return nb


def _dump(nb: dict) -> str:
    return json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def build(check_only: bool = False, solutions: Path = SOLUTIONS,
          student: Path = STUDENT) -> list[Path]:
    """Write (or, with ``check_only``, compare) every student copy; return the stale ones."""
    stale: list[Path] = []
    for sol in sorted(solutions.glob("*.ipynb")):
        target = student / sol.name
        text = _dump(student_copy(json.loads(sol.read_text(encoding="utf-8"))))
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            stale.append(target)
            if not check_only:
                target.write_text(text, encoding="utf-8")
    if check_only:
        expected = {s.name for s in solutions.glob("*.ipynb")}
        stale += [p for p in student.glob("*.ipynb") if p.name not in expected]
    return stale


def main(argv: list[str] | None = None) -> int:
    """``python -m cs_helpers.exercises build [--check]``."""
    parser = argparse.ArgumentParser(prog="python -m cs_helpers.exercises")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="generate exercises/*.ipynb from exercises/solutions/")
    b.add_argument("--check", action="store_true", help="exit 1 if any copy is stale")
    args = parser.parse_args(argv)
    stale = build(check_only=args.check)
    if args.check:
        if stale:
            print("Stale student copies (run `make exercises`):", *map(str, stale), sep="\n  ")
            return 1
        print("Student copies are up to date.")
        return 0
    print(f"Wrote {len(stale)} student cop{'y' if len(stale) == 1 else 'ies'}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
