"""The exercise types: what an exercise is and which wrong answers it recognises.

The lesson modules (:mod:`cs_helpers.course.lessons`) define their exercises with these types and
:mod:`cs_helpers.course.exercises` checks answers against them; this module imports neither, so
the registry and the definitions do not import each other.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["Exercise", "Mistake"]


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

    ``decimals``: the precision at which the lesson displays such numbers (decimal places of
    the answer in its own unit: a fraction shown as a percent with one decimal is
    ``decimals=3``); an answer rounded to it is right. ``also_right``: the answers that other
    methods the lesson calls right give (computed, like ``expected``); each is right too.
    ``tests/test_exercise_rules.py`` checks both for every exercise, and that no recognised
    mistake falls inside what is accepted.
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
    decimals: int | None = None
    also_right: tuple[Callable[[], Any], ...] = ()

    def accepts(self, value: float, target: float) -> bool:
        """Whether ``value`` counts as ``target`` (relative tolerance, absolute tolerance, and
        the rounding of ``decimals``)."""
        atol = self.atol
        if self.decimals is not None:
            atol = max(atol, 0.5 * 10.0 ** (-self.decimals) * (1 + 1e-9))
        return _close(value, target, self.rtol, atol)


def _close(a: float, b: float, rtol: float, atol: float) -> bool:
    return math.isclose(a, b, rel_tol=rtol, abs_tol=atol)
