"""LTV formulas: constant churn (simple, discounted), from purchase components, CAC payback, and
the monthly discount rate (:mod:`cs_helpers.ltv`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import DataError, check_fraction

__all__ = ["simple", "from_components", "discounted", "cac_payback", "monthly_discount"]


def _positive(x: Any, name: str) -> np.ndarray:
    arr = np.asarray(x, dtype=float)
    if np.any(~np.isfinite(arr)) or np.any(arr < 0):
        raise DataError(f"{name}: must be a non-negative number, got {x!r}.")
    return arr


def _fraction(x: Any, name: str, *, allow_zero: bool = False) -> np.ndarray:
    """``x`` as an array after :func:`~cs_helpers.errors.check_fraction` (percent hint)."""
    check_fraction(x, name, allow_zero=allow_zero)
    return np.asarray(x, dtype=float)


def _out(values: np.ndarray) -> Any:
    return float(values) if np.ndim(values) == 0 else values


def monthly_discount(discount_rate: float) -> float:
    """Monthly rate equivalent to an annual discount rate: ``(1 + D) ** (1 / 12) - 1``.

    ``discount_rate`` is a fraction from 0 to 1 (0.08 for 8% a year).

    >>> round(monthly_discount(0.10), 6)
    0.007974
    >>> monthly_discount(8)
    Traceback (most recent call last):
    ...
    cs_helpers.errors.DataError: discount_rate: must be a fraction from 0 to 1 (0.08 means 8%); got 8, which looks like a percent: pass 0.08.
    """
    check_fraction(discount_rate, "discount_rate")
    return (1 + float(discount_rate)) ** (1 / 12) - 1


def simple(arpa: Any, gross_margin: Any, churn_rate: Any) -> Any:
    """Simple LTV = ARPA x gross margin / monthly churn (expected lifetime 1 / churn months).

    Parameters
    ----------
    arpa : float or array
        Average revenue per account per month.
    gross_margin : float or array
        Fraction of revenue kept after the cost of serving (0 < margin <= 1).
    churn_rate : float or array
        Monthly churn (0 < churn <= 1).

    Examples
    --------
    >>> simple(10_000, 0.8, 0.02)     # 10,000 JPY a month, 80% margin, 2% monthly churn
    400000.0
    """
    a = _positive(arpa, "arpa")
    m = _fraction(gross_margin, "gross_margin")
    c = _fraction(churn_rate, "churn_rate")
    return _out(a * m / c)


def from_components(kinds: Any, unit_price: Any, frequency: Any, duration: Any) -> Any:
    """The article's LTV: kinds x unit price x purchase frequency x contract duration.

    Parameters
    ----------
    kinds : number of different products a customer buys
    unit_price : price per purchase (JPY)
    frequency : purchases per month of each kind
    duration : months the customer stays

    Returns
    -------
    float
        Revenue per customer over its lifetime (JPY), before margin and discounting.

    Examples
    --------
    >>> from_components(kinds=2, unit_price=3_000, frequency=0.5, duration=24)
    72000.0
    """
    vals = [_positive(v, n) for v, n in ((kinds, "kinds"), (unit_price, "unit_price"),
                                         (frequency, "frequency"), (duration, "duration"))]
    return _out(vals[0] * vals[1] * vals[2] * vals[3])


def discounted(arpa: Any, gross_margin: Any, churn_rate: Any, *, discount_rate: float,
               horizon: float = np.inf) -> Any:
    """LTV with a constant monthly churn, discounted, over ``horizon`` months.

    ``sum_{t=0}^{horizon-1} (1 - c)^t x ARPA x margin / (1 + d)^t`` with ``d`` the monthly
    equivalent of the annual ``discount_rate``; ``horizon=np.inf`` uses the closed form
    ``ARPA x margin / (1 - (1 - c) / (1 + d))``.

    Parameters
    ----------
    arpa, gross_margin : float or array
        As in :func:`simple`.
    churn_rate : float or array
        Monthly churn, 0 <= churn <= 1 (0 is allowed here when discounting keeps the sum finite).
    discount_rate : float
        **Annual** rate (0.08 = 8% a year), converted with :func:`monthly_discount`.
    horizon : float
        Months (a fraction is rounded up); ``np.inf`` for no end.

    Examples
    --------
    >>> round(discounted(10_000, 0.8, 0.02, discount_rate=0.0, horizon=np.inf))
    400000
    >>> round(discounted(10_000, 0.8, 0.02, discount_rate=0.0, horizon=2))   # 8,000 + 7,840
    15840
    >>> round(discounted(10_000, 0.8, 0.02, discount_rate=0.10))
    288259
    """
    a = _positive(arpa, "arpa")
    m = _fraction(gross_margin, "gross_margin")
    c = _fraction(churn_rate, "churn_rate", allow_zero=True)
    d = monthly_discount(discount_rate)
    if not horizon > 0:
        raise DataError(f"horizon: must be a positive number of months, got {horizon!r}.")
    x = (1 - c) / (1 + d)
    if np.isinf(horizon):
        if np.any(x >= 1):
            raise DataError("With no churn and no discounting the LTV over an endless horizon "
                            "is infinite: give a horizon or a discount rate.")
        factor = 1 / (1 - x)
    else:
        h = int(np.ceil(horizon))
        factor = np.where(x == 1, h, (1 - x ** h) / np.where(x == 1, 2, 1 - x))
    return _out(a * m * factor)


def cac_payback(cac: Any, arpa: Any, gross_margin: Any) -> Any:
    """Months of gross margin needed to earn back the cost of acquiring a customer.

    ``CAC / (ARPA x gross margin)`` (ignores churn: a customer who leaves sooner never pays
    back; compare with the expected lifetime).

    Examples
    --------
    >>> cac_payback(cac=240_000, arpa=20_000, gross_margin=0.8)
    15.0
    """
    c = _positive(cac, "cac")
    a = _positive(arpa, "arpa")
    m = _fraction(gross_margin, "gross_margin")
    return _out(c / (a * m))
