"""cs_helpers: the helper package of the customer-success course.

Measure customer success with data: churn rates and curves, LTV, NPS, lifecycle phases and
health scores, on the course's simulated datasets or on your own customer table.

>>> import cs_helpers as cs
>>> cs.datasets.names()[:2]
['b2b_accounts', 'b2b_usage_monthly']
"""

from __future__ import annotations

from . import (
    assumptions,
    dates,
    engines,
    health,
    labels,
    ltv,
    nps,
    phase_model,
    phases,
    plotting,
    reading,
)
from .churn import (
    annualize,
    churn_rate,
    cohort_retention,
    monthly_from_annual,
    repeat_purchase_rate,
    revenue_retention,
)
from .errors import DataError, DataWarning
from .i18n import get_language, set_language
from .labels import label, localize
from .lifetimes import lifetimes_from_tenure, to_lifetimes
from .reading import read_table
from .survival import SurvivalCurves, survival_curves

__version__ = "0.1.0"


#: Course names kept as attributes of the library (contract: ``cs.datasets``, ``cs.simulate``;
#: also ``schema``, ``timing`` and ``exercises``, which the lessons and docs name). They live in
#: :mod:`cs_helpers.course` and are imported on first access only, so ``import cs_helpers``
#: alone never loads the course machinery, and ``python -m cs_helpers.simulate`` runs its module
#: once (not as both a package attribute and ``__main__``).
_COURSE_ALIASES = {name: f"{__name__}.course.{name}"
                   for name in ("datasets", "exercises", "schema", "simulate", "timing")}


def __getattr__(name: str):
    if name in _COURSE_ALIASES:
        import importlib

        module = importlib.import_module(_COURSE_ALIASES[name])
        globals()[name] = module          # the same module object from now on
        return module
    raise AttributeError(f"module 'cs_helpers' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_COURSE_ALIASES})


#: ``from cs_helpers import *`` gives the analytics library only; the course modules stay
#: reachable as attributes (``cs.datasets``, ``cs.simulate``...), loaded when first used.
__all__ = [
    "DataError", "DataWarning", "SurvivalCurves", "__version__", "annualize", "assumptions",
    "churn_rate", "cohort_retention", "dates", "engines", "get_language", "health", "label", "labels",
    "lifetimes_from_tenure", "localize", "ltv", "monthly_from_annual", "nps", "phase_model", "phases",
    "plotting", "read_table", "reading", "repeat_purchase_rate", "revenue_retention",
    "set_language", "survival_curves", "to_lifetimes",
]
