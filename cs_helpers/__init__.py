"""cs_helpers: the helper package of the customer-success course.

Measure customer success with data: churn rates and curves, LTV, NPS, lifecycle phases and
health scores, on the course's simulated datasets or on your own customer table.

>>> import cs_helpers as cs
>>> cs.datasets.names()[:2]
['b2b_accounts', 'b2b_usage_monthly']
"""

from __future__ import annotations

from . import datasets, health, phases, plotting, schema, simulate
from .errors import DataError, DataWarning

__version__ = "0.1.0"

__all__ = ["DataError", "DataWarning", "datasets", "health", "phases", "plotting", "schema",
           "simulate", "__version__"]
