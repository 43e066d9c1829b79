"""The exercises of each lesson, one module per notebook.

``l<stem>`` holds the exercises of notebook ``<stem>`` (lower case): ``l01_defining_customer_success``
for ``notebooks/01_defining_customer_success.ipynb`` ... ``la1_health_scores_and_tools`` for ``A1``.
Each module defines ``EXERCISES`` (a list of :class:`~cs_helpers.course.exercise_types.Exercise`,
ids ``"<NN>.<k>"``) whose expected answers and recognised mistakes are *functions*, evaluated from
the course data the first time an answer is checked, so that a change in the data or the helpers
can never leave a stale answer typed in. Shared tables are in :mod:`._shared`.

The registry (:mod:`cs_helpers.course.exercises`) finds the lesson modules by name
(:func:`lesson_modules`): nothing here imports the registry back.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from ..exercise_types import Exercise

__all__ = ["module_name", "lesson_modules", "all_exercises"]


def module_name(stem: str) -> str:
    """The module of notebook ``stem``: ``"01_defining_customer_success"`` -> ``"l01_defining_customer_success"``.

    >>> module_name("A1_health_scores_and_tools")
    'la1_health_scores_and_tools'
    """
    return "l" + stem.lower()


def lesson_modules() -> list[ModuleType]:
    """Every lesson module, in notebook order (01 ... 07, then A1).

    >>> [m.__name__.rsplit(".", 1)[1][:3] for m in lesson_modules()]
    ['l01', 'l02', 'l03', 'l04', 'l05', 'l06', 'l07', 'la1']
    """
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
    return [importlib.import_module(f"{__name__}.{name}") for name in names]


def all_exercises() -> list[Exercise]:
    """Every exercise of the course, lesson by lesson, in the order each lesson defines them."""
    return [ex for module in lesson_modules() for ex in module.EXERCISES]
