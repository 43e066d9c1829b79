"""KPI 2, customer lifetime value (LTV, 顧客生涯価値), and the shifted-beta-geometric model.

Conventions (see DESIGN.md section 7):

- ``arpa``: average revenue per account **per month**; ``gross_margin``: a fraction in (0, 1];
  ``churn_rate``: **monthly** churn, a fraction.
- A customer pays at the start of each month it is still active, so month 0 is always paid
  (S(0) = 1) and is not discounted.
- ``discount_rate`` is an **annual** rate (e.g. 0.08 for 8% a year), converted to the monthly
  rate ``(1 + D) ** (1 / 12) - 1``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, special

from . import errors
from .errors import DataError

__all__ = ["simple", "from_components", "discounted", "from_survival", "cac_payback",
           "monthly_discount", "SurvivalLTV", "ShiftedBetaGeometric"]


def _positive(x: Any, name: str) -> np.ndarray:
    arr = np.asarray(x, dtype=float)
    if np.any(~np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"{name} must be a non-negative number, got {x!r}.")
    return arr


def _fraction(x: Any, name: str, *, allow_zero: bool = False) -> np.ndarray:
    arr = np.asarray(x, dtype=float)
    low_ok = arr >= 0 if allow_zero else arr > 0
    if np.any(np.isnan(arr)) or np.any(~low_ok) or np.any(arr > 1):
        lo = "0" if allow_zero else "more than 0"
        raise ValueError(f"{name} must be a fraction from {lo} to 1 (e.g. 0.02 for 2%), "
                         f"got {x!r}.")
    return arr


def _out(values: np.ndarray) -> Any:
    return float(values) if np.ndim(values) == 0 else values


def monthly_discount(discount_rate: float) -> float:
    """Monthly rate equivalent to an annual discount rate: ``(1 + D) ** (1 / 12) - 1``.

    >>> round(monthly_discount(0.10), 6)
    0.007974
    """
    if discount_rate < 0:
        raise ValueError("discount_rate must not be negative.")
    return (1 + discount_rate) ** (1 / 12) - 1


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
    if horizon <= 0:
        raise ValueError("horizon must be positive (months).")
    x = (1 - c) / (1 + d)
    if np.isinf(horizon):
        if np.any(x >= 1):
            raise ValueError("With no churn and no discounting the LTV over an endless horizon "
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


# --------------------------------------------------------------------------------------------
# LTV from a survival curve


@dataclass(frozen=True)
class SurvivalLTV:
    """An LTV computed from a survival curve, with what was observed and what was extrapolated.

    ``float(result)`` gives the value.

    Attributes
    ----------
    value : float
        The LTV (same money unit as ``arpa``).
    horizon : int
        Months summed (t = 0 .. horizon - 1).
    months_observed, months_extrapolated : int
        How many of those months the data cover, and how many lie beyond them (filled from
        the tail; with ``tail="none"`` they count as 0, so the value is an underestimate).
    extrapolated_share : float
        Share of ``value`` from the extrapolated months (0 when none).
    tail : str
        ``"geometric"`` or ``"none"``.
    tail_hazard : float
        Constant monthly hazard used beyond the data (NaN when nothing was extrapolated).
    discount_rate : float
        The annual discount rate used.
    survival : Series
        S(t) used for each month t (observed or extrapolated; 0 past the data with ``"none"``).
    """

    value: float
    horizon: int
    months_observed: int
    months_extrapolated: int
    extrapolated_share: float
    tail: str
    tail_hazard: float
    discount_rate: float
    survival: pd.Series

    def __float__(self) -> float:
        return self.value

    def summary(self) -> pd.Series:
        """The numbers as a Series (for display in a notebook)."""
        return pd.Series({"ltv": self.value, "horizon_months": self.horizon,
                          "months_observed": self.months_observed,
                          "months_extrapolated": self.months_extrapolated,
                          "extrapolated_share": self.extrapolated_share,
                          "tail": self.tail, "tail_monthly_hazard": self.tail_hazard,
                          "annual_discount_rate": self.discount_rate})


def _curve_function(curve: Any) -> tuple[Any, float]:
    """Return (S(t) for an array of t, last observed time)."""
    if hasattr(curve, "fitters") and hasattr(curve, "survival_at"):
        if len(curve.fitters) != 1:
            raise ValueError("Pass one curve: e.g. curves.fitters['label'].")
        curve = next(iter(curve.fitters.values()))
    if hasattr(curve, "survival_function_at_times"):
        last = float(curve.survival_function_.index.max())
        return (lambda t: curve.survival_function_at_times(t).to_numpy()), last
    if hasattr(curve, "survival_function_"):
        curve = curve.survival_function_.iloc[:, 0]
    if isinstance(curve, pd.DataFrame):
        curve = curve.iloc[:, 0]
    if isinstance(curve, pd.Series):
        if len(curve) == 0:
            raise DataError("The survival curve is empty: give S(t) for at least one month.")
        s = curve.sort_index()
        idx = s.index.to_numpy(dtype=float)
        vals = s.to_numpy(dtype=float)
        frame = pd.DataFrame({"survival": vals}, index=s.index)
        errors.fail_where(frame, "survival", "values must be numbers in [0, 1]",
                          ~((vals >= 0) & (vals <= 1)))
        errors.fail_where(frame, "survival", "the curve must never increase",
                          np.r_[False, np.diff(vals) > 1e-12])

        def f(t: np.ndarray) -> np.ndarray:
            pos = np.searchsorted(idx, t, side="right") - 1
            return np.where(pos >= 0, vals[np.clip(pos, 0, None)], 1.0)
        return f, float(idx.max())
    raise TypeError("curve must be a lifelines KaplanMeierFitter, a SurvivalCurves with one "
                    "curve, or a pandas Series of survival indexed by months.")


def from_survival(curve: Any, arpa: float, gross_margin: float, *, horizon: int,
                  discount_rate: float = 0.0, tail: str = "geometric",
                  tail_months: int = 12, warn_share: float = 0.25) -> SurvivalLTV:
    """LTV from a survival curve: ``sum_{t < horizon} S(t) x ARPA x margin / (1 + d)^t``.

    ``S`` is read as a step function at whole months ``t = 0, 1, ..., horizon - 1`` (a customer
    pays at the start of each month it is still active).

    Beyond the last time the data reach, the curve is unknown. ``tail`` says what to do, and the
    result records it (never silently):

    - ``"geometric"``: continue with the constant monthly hazard the curve shows over its last
      ``tail_months`` months;
    - ``"none"``: stop at the data (the LTV covers only the observed months; an underestimate).

    A :class:`UserWarning` is issued when extrapolation supplies more than ``warn_share`` of
    the value.

    Examples
    --------
    >>> s = pd.Series([1.0, 0.9, 0.81, 0.729], index=[0, 1, 2, 3])     # 10% monthly churn
    >>> r = from_survival(s, arpa=100, gross_margin=1.0, horizon=3)
    >>> round(r.value, 6), r.months_extrapolated
    (271.0, 0)
    >>> r = from_survival(s, arpa=100, gross_margin=1.0, horizon=6, tail_months=3, warn_share=1)
    >>> round(r.value, 2), r.months_extrapolated, round(r.tail_hazard, 3)
    (468.56, 2, 0.1)
    """
    if tail not in ("geometric", "none"):
        raise ValueError("tail must be 'geometric' or 'none'.")
    if not np.isfinite(horizon) or horizon < 1:
        raise ValueError("horizon must be a finite number of months, at least 1 (e.g. 60); "
                         "beyond the data the curve is extrapolated, see `tail`.")
    _positive(arpa, "arpa")
    _fraction(gross_margin, "gross_margin")
    f, last = _curve_function(curve)
    t = np.arange(int(horizon), dtype=float)
    observed = t <= last
    s = f(np.minimum(t, last))
    hazard = float("nan")
    if (~observed).any():
        if tail == "geometric":
            k = max(1, min(int(tail_months), int(np.floor(last))))
            s_end, s_begin = f(np.array([last]))[0], f(np.array([last - k]))[0]
            if s_end <= 0:
                hazard = 1.0
            else:
                hazard = float(1 - (s_end / s_begin) ** (1 / k))
            s = np.where(observed, s, s_end * (1 - hazard) ** (t - last))
        else:
            s = np.where(observed, s, 0.0)
    d = monthly_discount(discount_rate)
    cash = s * arpa * gross_margin / (1 + d) ** t
    value = float(cash.sum())
    extra = float(cash[~observed].sum())
    share = extra / value if value > 0 else 0.0
    if tail == "geometric" and share > warn_share:
        warnings.warn(f"{share:.0%} of this LTV comes from months beyond the data "
                      f"(extrapolated with a constant monthly hazard of {hazard:.2%}).",
                      UserWarning, stacklevel=2)
    return SurvivalLTV(value=value, horizon=int(horizon), months_observed=int(observed.sum()),
                       months_extrapolated=int((~observed).sum()), extrapolated_share=share,
                       tail=tail, tail_hazard=hazard, discount_rate=discount_rate,
                       survival=pd.Series(s, index=pd.Index(t.astype(int), name="month"),
                                          name="survival"))


# --------------------------------------------------------------------------------------------
# Shifted-beta-geometric (Fader & Hardie 2007, 2010)


class ShiftedBetaGeometric:
    """The shifted-beta-geometric (sBG) model of contractual retention.

    Each customer has a constant churn probability ``theta`` per period; across customers
    ``theta ~ Beta(alpha, beta)``. Pooled retention then *rises* with tenure even though nobody
    changes: the customers likely to churn leave first (Fader & Hardie 2007, "How to project
    customer retention", Journal of Interactive Marketing 21(1)).

    - ``P(T = t) = B(alpha + 1, beta + t - 1) / B(alpha, beta)``;
    - ``S(t) = B(alpha, beta + t) / B(alpha, beta)``;
    - retention rate ``r_t = (beta + t - 1) / (alpha + beta + t - 1)``.

    Examples
    --------
    >>> regular = [1000, 631, 468, 382, 326, 289, 262, 241]       # Fader & Hardie (2007)
    >>> m = ShiftedBetaGeometric.fit(regular)
    >>> round(m.alpha, 3), round(m.beta, 3)                      # published: 0.704, 1.182
    (0.704, 1.182)
    >>> round(float(m.survival(12)) * 1000)     # projected to t = 12; observed (held out): 173
    170
    """

    def __init__(self, alpha: float, beta: float):
        if not (alpha > 0 and beta > 0):
            raise ValueError("alpha and beta must be positive.")
        self.alpha = float(alpha)
        self.beta = float(beta)
        self.loglik: float | None = None
        self.n: int | None = None
        self.alive: np.ndarray | None = None

    def __repr__(self) -> str:
        return f"ShiftedBetaGeometric(alpha={self.alpha:.4g}, beta={self.beta:.4g})"

    @staticmethod
    def _loglik(a: float, b: float, alive: np.ndarray) -> float:
        t = np.arange(1, len(alive))
        lost = alive[:-1] - alive[1:]
        log_p = special.betaln(a + 1, b + t - 1) - special.betaln(a, b)
        log_s = special.betaln(a, b + t[-1]) - special.betaln(a, b)
        return float(np.sum(lost * log_p) + alive[-1] * log_s)

    @classmethod
    def fit(cls, alive: Any) -> ShiftedBetaGeometric:
        """Fit by maximum likelihood to one cohort's counts still active at t = 0, 1, ..., T.

        ``alive[0]`` is the cohort size; counts must not increase.
        """
        arr = np.asarray(alive, dtype=float)
        if arr.ndim != 1 or len(arr) < 3:
            raise DataError("Column 'alive': need one cohort's counts still active at "
                            "t = 0, 1, 2, ... (3 or more values).")
        frame = pd.DataFrame({"alive": arr}, index=pd.Index(range(len(arr)), name="t"))
        errors.fail_where(frame, "alive", "counts must be whole numbers of customers (not "
                          "missing, not negative)",
                          ~np.isfinite(arr) | (arr < 0) | (np.round(arr) != arr))
        errors.fail_where(frame, "alive", "the cohort size at t = 0 must be positive",
                          (frame.index == 0) & (arr <= 0))
        errors.fail_where(frame, "alive", "counts must never increase (customers still active "
                          "at t = 0, 1, 2, ...)", np.r_[False, np.diff(arr) > 0])

        def nll(x: np.ndarray) -> float:
            return -cls._loglik(np.exp(x[0]), np.exp(x[1]), arr)

        res = optimize.minimize(nll, x0=np.log([1.0, 1.0]), method="Nelder-Mead",
                                options={"xatol": 1e-8, "fatol": 1e-10, "maxiter": 5000})
        model = cls(*np.exp(res.x))
        model.loglik = -float(res.fun)
        model.n = int(arr[0])
        model.alive = arr
        return model

    def churn_probability(self, t: Any) -> Any:
        """P(a new customer churns exactly at period t), t = 1, 2, ..."""
        t = np.asarray(t, dtype=float)
        return np.exp(special.betaln(self.alpha + 1, self.beta + t - 1)
                      - special.betaln(self.alpha, self.beta))

    def survival(self, t: Any) -> Any:
        """S(t): probability a new customer is still active after t periods (S(0) = 1)."""
        t = np.asarray(t, dtype=float)
        return np.exp(special.betaln(self.alpha, self.beta + t)
                      - special.betaln(self.alpha, self.beta))

    def retention_rate(self, t: Any) -> Any:
        """r_t = S(t) / S(t - 1): share of those active at t - 1 who renew at t (t >= 1)."""
        t = np.asarray(t, dtype=float)
        return (self.beta + t - 1) / (self.alpha + self.beta + t - 1)

    def project(self, periods: int, n: float | None = None) -> pd.DataFrame:
        """Expected survivors of a cohort of size ``n`` for t = 0..periods, with the data if fitted."""
        n = n if n is not None else (self.n or 1)
        t = np.arange(periods + 1)
        out = pd.DataFrame({"survival": self.survival(t), "expected_alive": n * self.survival(t),
                            "retention_rate": np.r_[np.nan, self.retention_rate(t[1:])]},
                           index=pd.Index(t, name="t"))
        if self.alive is not None:
            obs = np.full(len(t), np.nan)
            k = min(len(t), len(self.alive))
            obs[:k] = self.alive[:k]
            out["observed_alive"] = obs
        return out

    def derl(self, discount_rate: float, renewals: int = 0) -> float:
        """Discounted expected residual lifetime (Fader & Hardie 2010, Marketing Science 29(1)).

        For a customer who has paid ``renewals + 1`` times (the first payment at t = 0 and
        ``renewals`` renewals) and is about to decide on the next renewal, the expected
        discounted number of further payments, the next one (if made) undiscounted. In the
        paper's notation the customer "has made n - 1 renewals", so ``n = renewals + 1``
        (equation 6)::

            DERL = sum_{t >= n} S(t) / S(n - 1) / (1 + d)^(t - n)
                 = B(a, b + n) / B(a, b + n - 1) * 2F1(1, b + n; a + b + n; 1 / (1 + d))

        with ``B(a, b + n) / B(a, b + n - 1) = (b + n - 1) / (a + b + n - 1)``, the next
        renewal probability.

        ``discount_rate`` is the rate **per period** of the model (e.g. per year for annual
        contracts). Multiply by the margin per period for the residual value of the customer.

        Examples
        --------
        >>> m = ShiftedBetaGeometric(1.0, 1.0)
        >>> round(m.derl(0.10, renewals=0), 4)   # brute force: sum_t S(t+1)/S(0) / 1.1**t
        1.8015
        """
        self._check_discount(discount_rate)
        if renewals < 0 or int(renewals) != renewals:
            raise ValueError("renewals must be a whole number, 0 or more.")
        n = int(renewals) + 1
        a, b = self.alpha, self.beta
        ratio = np.exp(special.betaln(a, b + n) - special.betaln(a, b + n - 1))
        return float(ratio * special.hyp2f1(1, b + n, a + b + n, 1 / (1 + discount_rate)))

    def _check_discount(self, discount_rate: float) -> None:
        if not discount_rate >= 0:
            raise ValueError("discount_rate must be 0 or more (per period of the model).")
        if discount_rate == 0 and self.alpha <= 1:
            raise ValueError("With alpha <= 1 the undiscounted expected lifetime is infinite: "
                             "use a positive discount rate.")

    def del_(self, discount_rate: float) -> float:
        """Discounted expected lifetime of a **new** customer (Fader & Hardie 2010).

        The expected discounted number of payments, the first (at t = 0) undiscounted::

            DEL = sum_{t >= 0} S(t) / (1 + d)^t = 2F1(1, b; a + b; 1 / (1 + d))

        It equals ``1 + derl(d, renewals=0) / (1 + d)``: the first payment, then, one period
        later, the residual lifetime of a customer about to decide on the first renewal.

        Examples
        --------
        >>> round(ShiftedBetaGeometric(1.0, 1.0).del_(0.10), 4)   # 1 + 1.80152 / 1.1
        2.6377
        """
        self._check_discount(discount_rate)
        a, b = self.alpha, self.beta
        return float(special.hyp2f1(1, b, a + b, 1 / (1 + discount_rate)))

    def dlv(self, margin: float, discount_rate: float) -> float:
        """Discounted expected lifetime value of a new customer: ``margin x DEL``.

        ``margin`` is the gross margin per period (e.g. ARPA x gross margin per month for a
        monthly model).

        Examples
        --------
        >>> round(ShiftedBetaGeometric(1.0, 1.0).dlv(100, 0.10), 2)
        263.77
        """
        return float(margin) * self.del_(discount_rate)

    def plot(self, ax: Any = None, periods: int | None = None, unit: str = "months") -> Any:
        """Plot observed survivors (if fitted) and the model's projection."""
        from . import plotting
        if ax is None:
            _, ax = plotting.subplots()
        periods = periods or (2 * (len(self.alive) - 1) if self.alive is not None else 24)
        proj = self.project(periods)
        ax.plot(proj.index, proj["survival"], label="sBG model", color=plotting.color_for(0))
        if self.alive is not None:
            ax.plot(np.arange(len(self.alive)), self.alive / self.alive[0], "o",
                    label="observed", color=plotting.color_for(1))
        plotting.percent_axis(ax)
        plotting.finish(ax, title="Shifted-beta-geometric retention projection",
                        xlabel=f"Periods since start ({unit})", ylabel="Share still active")
        return ax
