"""KPI 2, customer lifetime value (LTV, 顧客生涯価値), and the shifted-beta-geometric model.

Conventions (see DESIGN.md section 7):

- ``arpa``: average revenue per account **per month**; ``gross_margin``: a fraction in (0, 1];
  ``churn_rate``: **monthly** churn, a fraction.
- Rates and shares are fractions (0.08 means 8%): a value such as ``discount_rate=8`` is refused
  with a :class:`~cs_helpers.DataError` that suggests 0.08 (:func:`cs_helpers.errors.check_fraction`).
- A customer pays at the start of each month it is still active, so month 0 is always paid
  (S(0) = 1) and is not discounted.
- ``discount_rate`` is an **annual** rate (e.g. 0.08 for 8% a year), converted to the monthly
  rate ``(1 + D) ** (1 / 12) - 1``; the sBG methods (``derl``, ``del_``, ``dlv``) take the rate
  **per period of the model** instead (per month for a monthly model).

The package, by concept: :mod:`.formulas` (simple, from_components, discounted, cac_payback,
monthly_discount), :mod:`.survival_ltv` (LTV from a survival curve, with its tail beyond the
data: :func:`from_survival`, :class:`SurvivalLTV`) and :mod:`.sbg` (the shifted-beta-geometric
model, :class:`ShiftedBetaGeometric`). Every public name is also ``cs.ltv.<name>``.
"""

from __future__ import annotations

from .formulas import cac_payback, discounted, from_components, monthly_discount, simple
from .sbg import (  # noqa: F401  (the series limits: public as before, not in __all__)
    SERIES_MAX_TERMS,
    SERIES_RTOL,
    ShiftedBetaGeometric,
)
from .survival_ltv import SurvivalLTV, from_survival

__all__ = ["simple", "from_components", "discounted", "from_survival", "cac_payback",
           "monthly_discount", "SurvivalLTV", "ShiftedBetaGeometric"]
