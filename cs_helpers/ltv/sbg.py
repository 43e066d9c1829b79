"""The shifted-beta-geometric model of contractual retention (Fader & Hardie 2007, 2010): fit,
survival, retention, DERL / DEL / DLV and intervals (:mod:`cs_helpers.ltv`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from scipy import differentiate, optimize, special, stats

from .. import errors, sentences
from ..errors import DataError, check_fraction
from ..sentences import say

__all__ = ["ShiftedBetaGeometric"]


def _cloglog_bounds(log_s: np.ndarray, se: np.ndarray, confidence: float
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Bounds of S = exp(log_s) from the standard error of log S, on the log(-log S) scale
    (bounds stay inside (0, 1]); S = 1 exactly gives (1, 1)."""
    z = stats.norm.ppf(0.5 + confidence / 2)
    log_s = np.asarray(log_s, dtype=float)
    safe = np.where(log_s < 0, log_s, -1.0)
    u = np.log(-safe)
    se_u = np.asarray(se, dtype=float) / np.abs(safe)
    low = np.exp(-np.exp(u + z * se_u))
    high = np.exp(-np.exp(u - z * se_u))
    one = log_s >= 0
    return np.where(one, 1.0, low), np.where(one, 1.0, high)


# --------------------------------------------------------------------------------------------
# Shifted-beta-geometric (Fader & Hardie 2007, 2010)

#: Relative error allowed when DEL and DERL are summed term by term (see _discounted_sum).
SERIES_RTOL = 1e-12
#: Most terms summed before giving up (reached only for discount rates below about 1e-6).
SERIES_MAX_TERMS = 50_000_000


def _discounted_sum(a: float, c: float, x: float) -> float:
    """``G = sum_{k >= 0} x^k B(a, c + k) / B(a, c)`` (= 2F1(1, c; a + c; x)), term by term.

    The terms ``u_k`` shrink by a factor ``x (c + k) / (a + c + k) < x`` from one to the next,
    so the sum of all terms from ``k = K`` on is at most ``u_K / (1 - x)``; when ``a > 1`` it is
    also at most ``u_K (a + c + K - 1) / (a - 1)`` (the undiscounted remainder of an sBG
    lifetime). Summing stops at the first ``K`` where the smaller bound is below
    ``SERIES_RTOL`` times the sum so far, so the result is low by less than that relative
    error. With ``x = 1`` (no discounting) and ``a > 1`` the exact value
    ``(a + c - 1) / (a - 1)`` is returned.
    """
    if x >= 1:
        if a <= 1:
            raise DataError("With alpha <= 1 the undiscounted expected lifetime is infinite: "
                            "use a positive discount rate.")
        return (a + c - 1) / (a - 1)
    log_x, base = np.log(x), special.betaln(a, c)
    total, start, chunk = 0.0, 0, 1024
    while start < SERIES_MAX_TERMS:
        k = np.arange(start, start + chunk, dtype=float)
        u = np.exp(k * log_x + special.betaln(a, c + k) - base)
        bound = u / (1 - x)
        if a > 1:
            bound = np.minimum(bound, u * (a + c + k - 1) / (a - 1))
        before = total + np.cumsum(u) - u
        done = (bound <= SERIES_RTOL * before) | (u == 0)
        if done.any():
            j = int(np.argmax(done))
            return float(total + u[:j].sum())
        total += float(u.sum())
        start += chunk
        chunk = min(2 * chunk, 1 << 20)
    raise DataError(f"The discounted lifetime did not converge within {SERIES_MAX_TERMS:,} "
                    "periods: the discount rate per period is too small for this model "
                    f"(alpha = {a:.4g}).")


def _hessian_cov(nll: Callable[[np.ndarray], np.ndarray], x_hat: np.ndarray
                 ) -> np.ndarray | None:
    """Inverse of the observed information (numerical Hessian of ``nll`` at ``x_hat``, by
    scipy.differentiate), or None when it is not positive definite."""
    res = differentiate.hessian(nll, x_hat, initial_step=0.05)
    hess = np.asarray(res.ddf, dtype=float)
    if not np.all(np.isfinite(hess)):
        return None
    hess = (hess + hess.T) / 2
    if np.any(np.linalg.eigvalsh(hess) <= 0):
        return None
    return np.linalg.inv(hess)


class ShiftedBetaGeometric:
    """The shifted-beta-geometric (sBG) model of contractual retention.

    Each customer has a constant churn probability ``theta`` per period; across customers
    ``theta ~ Beta(alpha, beta)``. Pooled retention then *rises* with tenure even though nobody
    changes: the customers likely to churn leave first (Fader & Hardie 2007, "How to project
    customer retention", Journal of Interactive Marketing 21(1)).

    - ``P(T = t) = B(alpha + 1, beta + t - 1) / B(alpha, beta)``;
    - ``S(t) = B(alpha, beta + t) / B(alpha, beta)``;
    - retention rate ``r_t = (beta + t - 1) / (alpha + beta + t - 1)``.

    A fitted model carries its uncertainty: ``cov`` is the covariance of
    ``(log alpha, log beta)`` from the observed information (the numerical Hessian of the
    log-likelihood at the maximum); :meth:`summary` gives standard errors and intervals,
    :meth:`project` and :meth:`plot` an interval band, :meth:`interval` the interval of any
    derived number (e.g. DEL) from parameter draws.

    Examples
    --------
    >>> regular = [1000, 631, 468, 382, 326, 289, 262, 241]       # Fader & Hardie (2007)
    >>> m = ShiftedBetaGeometric.fit(regular)
    >>> round(m.alpha, 3), round(m.beta, 3)                      # published: 0.704, 1.182
    (0.704, 1.182)
    >>> round(float(m.survival(12)) * 1000)     # projected to t = 12; observed (held out): 173
    170
    >>> m.summary().round(3)[["estimate", "se", "ci_low", "ci_high"]]
                         estimate     se  ci_low  ci_high
    parameter
    alpha                   0.704  0.066   0.587    0.845
    beta                    1.182  0.152   0.918    1.522
    first_period_churn      0.373  0.015   0.345    0.403
    """

    def __init__(self, alpha: float, beta: float):
        if not (alpha > 0 and beta > 0) or not (np.isfinite(alpha) and np.isfinite(beta)):
            raise DataError(f"alpha and beta: must be positive numbers; got {alpha!r}, {beta!r}.")
        self.alpha = float(alpha)
        self.beta = float(beta)
        self.loglik: float | None = None
        self.n: int | None = None
        self.alive: np.ndarray | None = None
        #: Covariance of (log alpha, log beta) when fitted (None otherwise).
        self.cov: np.ndarray | None = None

    def __repr__(self) -> str:
        return f"ShiftedBetaGeometric(alpha={self.alpha:.4g}, beta={self.beta:.4g})"

    # ---- fitting -------------------------------------------------------------------------

    @staticmethod
    def _loglik(a: Any, b: Any, alive: np.ndarray) -> Any:
        """Log-likelihood of one cohort's counts (a, b may be arrays of the same shape)."""
        a = np.asarray(a, dtype=float)[..., None]
        b = np.asarray(b, dtype=float)[..., None]
        t = np.arange(1, len(alive))
        lost = alive[:-1] - alive[1:]
        log_p = special.betaln(a + 1, b + t - 1) - special.betaln(a, b)
        log_s = special.betaln(a, b + t[-1]) - special.betaln(a, b)
        out = np.sum(lost * log_p, axis=-1) + alive[-1] * log_s[..., 0]
        return float(out) if out.ndim == 0 else out

    @classmethod
    def fit(cls, alive: Any) -> ShiftedBetaGeometric:
        """Fit by maximum likelihood to one cohort's counts still active at t = 0, 1, ..., T.

        ``alive[0]`` is the cohort size; counts must not increase. The result's ``cov``
        (covariance of log alpha and log beta) comes from the numerical Hessian of the
        log-likelihood at the maximum.
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

        def nll(x: np.ndarray) -> Any:
            return -cls._loglik(np.exp(x[0]), np.exp(x[1]), arr)

        model = cls._maximise(nll)
        model.n = int(arr[0])
        model.alive = arr
        return model

    @classmethod
    def _maximise(cls, nll: Callable[[np.ndarray], Any]) -> ShiftedBetaGeometric:
        res = optimize.minimize(nll, x0=np.log([1.0, 1.0]), method="Nelder-Mead",
                                options={"xatol": 1e-8, "fatol": 1e-10, "maxiter": 5000})
        model = cls(*np.exp(res.x))
        model.loglik = -float(res.fun)
        model.cov = _hessian_cov(nll, res.x)
        if model.cov is None:
            sentences.warn(f"{model!r}: the log-likelihood is flat in some direction at its "
                           "maximum (e.g. beta running off to infinity: no sign of differences "
                           "between customers), so no standard errors.", UserWarning,
                           stacklevel=3)
        return model

    @classmethod
    def fit_lifetimes(cls, lifetimes: pd.DataFrame, *, duration_col: str = "duration",
                      event_col: str = "churned", entry_col: str | None = None,
                      weight_col: str | None = None, start: float = 0.0
                      ) -> ShiftedBetaGeometric:
        """Fit by maximum likelihood to customer lifetimes of any start dates.

        Every customer counts, whatever cohort: a churned customer with duration ``d`` months
        churned at renewal ``ceil(d)``; an active one (censored at ``d``) has survived
        ``floor(d)`` renewals; a customer observed only from ``entry`` (late entry) counts
        conditionally on having survived ``floor(entry)`` renewals. With ``start`` > 0 only
        what happens after ``start`` months is used (customers still active then, conditionally
        on having reached it), e.g. to leave the onboarding months out.

        Parameters
        ----------
        lifetimes : DataFrame
            One row per customer (or per group of identical customers with ``weight_col``),
            as :func:`cs_helpers.to_lifetimes` returns.
        duration_col, event_col, entry_col, weight_col : str
            Column names (``entry_col`` and ``weight_col`` optional).
        start : float, default 0
            Months before which nothing is used.

        Examples
        --------
        The cohort of :meth:`fit` as lifetimes (churned at 1..7 years, 241 still active at 7)
        gives the same fit:

        >>> alive = np.array([1000, 631, 468, 382, 326, 289, 262, 241])
        >>> life = pd.DataFrame({"duration": [1, 2, 3, 4, 5, 6, 7, 7.0],
        ...                      "churned": [True] * 7 + [False],
        ...                      "customers": np.r_[alive[:-1] - alive[1:], alive[-1]]})
        >>> m = ShiftedBetaGeometric.fit_lifetimes(life, weight_col="customers")
        >>> round(m.alpha, 3), round(m.beta, 3)
        (0.704, 1.182)
        """
        errors.check_columns(lifetimes, [duration_col, event_col, entry_col, weight_col],
                             "lifetimes")
        errors.check_not_empty(lifetimes, "lifetimes")
        d = errors.check_non_negative(lifetimes, duration_col).to_numpy()
        ev = errors.parse_flags(lifetimes, event_col).to_numpy()
        w = (np.ones(len(d)) if weight_col is None
             else errors.check_non_negative(lifetimes, weight_col).to_numpy())
        e = (np.zeros(len(d)) if entry_col is None
             else errors.check_non_negative(lifetimes, entry_col).to_numpy())
        errors.fail_where(lifetimes, entry_col or duration_col,
                          "entry must not be after the duration", e > d)
        return cls._fit_arrays(d, ev, w, e, start=start)

    @classmethod
    def _fit_arrays(cls, durations: np.ndarray, churned: np.ndarray, weights: np.ndarray,
                    entry: np.ndarray, *, start: float = 0.0) -> ShiftedBetaGeometric:
        d = np.asarray(durations, dtype=float)
        ev = np.asarray(churned, dtype=bool)
        w = np.asarray(weights, dtype=float)
        e = np.maximum(np.asarray(entry, dtype=float), start)
        keep = (d > start) & (w > 0)
        d, ev, w, e = d[keep], ev[keep], w[keep], e[keep]
        period = np.where(ev, np.maximum(np.ceil(d - 1e-9), 1), np.floor(d + 1e-9))
        cond = np.floor(e + 1e-9)
        cond = np.where(ev, np.minimum(cond, period - 1), np.minimum(cond, period))
        if not np.any(ev):
            raise DataError("No churn events after month "
                            f"{start:g}: the sBG model cannot be fitted without any.")
        keys = np.stack([ev.astype(float), period, cond], axis=1)
        uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
        wsum = np.bincount(inverse.ravel(), weights=w)
        u_ev, u_t, u_m = uniq[:, 0].astype(bool), uniq[:, 1], uniq[:, 2]

        def nll(x: np.ndarray) -> Any:
            a = np.exp(np.asarray(x[0], dtype=float))[..., None]
            b = np.exp(np.asarray(x[1], dtype=float))[..., None]
            ll = (np.where(u_ev, special.betaln(a + 1, b + u_t - 1),
                           special.betaln(a, b + u_t)) - special.betaln(a, b + u_m))
            return -np.sum(wsum * ll, axis=-1)

        model = cls._maximise(nll)
        model.n = int(round(w.sum()))
        return model

    # ---- the model -----------------------------------------------------------------------

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

    # ---- uncertainty ---------------------------------------------------------------------

    def _need_cov(self) -> np.ndarray:
        if self.cov is None:
            raise DataError(f"{self!r} has no standard errors: only a model fitted to data "
                            "(ShiftedBetaGeometric.fit or fit_lifetimes) carries them.")
        return self.cov

    def _log_survival_grad(self, t: np.ndarray) -> np.ndarray:
        """d log S(t) / d (log alpha, log beta), shape (len(t), 2)."""
        a, b = self.alpha, self.beta
        t = np.asarray(t, dtype=float)
        dg = special.digamma
        da = a * (dg(a + b) - dg(a + b + t))
        db = b * (dg(b + t) - dg(b) + dg(a + b) - dg(a + b + t))
        return np.stack([da, db], axis=-1)

    def _log_survival_ratio(self, t: np.ndarray, t0: float) -> tuple[np.ndarray, np.ndarray]:
        """log S(t) / S(t0) and its standard error (delta method), t >= t0."""
        cov = self._need_cov()
        t = np.asarray(t, dtype=float)
        log_r = (special.betaln(self.alpha, self.beta + t)
                 - special.betaln(self.alpha, self.beta + t0))
        g = self._log_survival_grad(t) - self._log_survival_grad(np.array([t0]))
        se = np.sqrt(np.einsum("ij,jk,ik->i", g, cov, g))
        return log_r, se

    def survival_interval(self, t: Any, confidence: float = 0.95
                          ) -> tuple[np.ndarray, np.ndarray]:
        """Pointwise interval of S(t) from the parameters' uncertainty (delta method on the
        log(-log S) scale). It is the uncertainty of the *expected* share still active; the
        share observed in one cohort varies more (each customer's own luck)."""
        check_fraction(confidence, "confidence", allow_zero=False, allow_one=False)
        log_r, se = self._log_survival_ratio(np.atleast_1d(t), 0.0)
        return _cloglog_bounds(log_r, se, confidence)

    @property
    def se(self) -> pd.Series:
        """Standard errors of alpha and beta (delta method from log alpha and log beta)."""
        cov = self._need_cov()
        return pd.Series({"alpha": self.alpha * np.sqrt(cov[0, 0]),
                          "beta": self.beta * np.sqrt(cov[1, 1])})

    def summary(self, confidence: float = 0.95) -> pd.DataFrame:
        """Estimates with standard errors and intervals, and what each number means.

        Rows ``alpha`` and ``beta`` (intervals from log alpha and log beta, so they stay
        positive) and ``first_period_churn`` = alpha / (alpha + beta), the average churn
        probability of a new customer = share of a cohort expected to leave at the first
        renewal (interval from log(alpha / beta), exact on that scale). ``attrs`` hold the
        cohort size ``n`` and the log-likelihood. The ``meaning`` column is written in the
        language in effect.
        """
        check_fraction(confidence, "confidence", allow_zero=False, allow_one=False)
        cov = self._need_cov()
        z = stats.norm.ppf(0.5 + confidence / 2)
        la, lb = np.log(self.alpha), np.log(self.beta)
        sa, sb = np.sqrt(cov[0, 0]), np.sqrt(cov[1, 1])
        s_ratio = np.sqrt(cov[0, 0] + cov[1, 1] - 2 * cov[0, 1])
        first = self.alpha / (self.alpha + self.beta)
        rows = {
            "alpha": (self.alpha, self.alpha * sa, np.exp(la - z * sa), np.exp(la + z * sa),
                      say("shape of the spread of churn probabilities (small: many near 0)")),
            "beta": (self.beta, self.beta * sb, np.exp(lb - z * sb), np.exp(lb + z * sb),
                     say("shape of the spread of churn probabilities (large: many near 0)")),
            "first_period_churn": (first, first * (1 - first) * s_ratio,
                                   special.expit(la - lb - z * s_ratio),
                                   special.expit(la - lb + z * s_ratio),
                                   say("average churn probability per period of a new "
                                       "customer")),
        }
        out = pd.DataFrame.from_dict(rows, orient="index",
                                     columns=["estimate", "se", "ci_low", "ci_high", "meaning"])
        out.index.name = "parameter"
        out.attrs.update(n=self.n, loglik=self.loglik, confidence=confidence)
        return out

    def parameter_draws(self, n: int = 2000, seed: int = 0) -> pd.DataFrame:
        """``n`` draws of (alpha, beta) from the normal approximation of (log alpha, log beta).

        Use them to get the uncertainty of anything computed from the model (see
        :meth:`interval`). Deterministic for a given ``seed``.
        """
        cov = self._need_cov()
        rng = np.random.default_rng(seed)
        x = rng.multivariate_normal(np.log([self.alpha, self.beta]), cov, size=int(n))
        return pd.DataFrame(np.exp(x), columns=["alpha", "beta"])

    def interval(self, func: Callable[[ShiftedBetaGeometric], float],
                 confidence: float = 0.95, n: int = 2000, seed: int = 0) -> tuple[float, float]:
        """Interval of a number computed from the model, from parameter draws.

        ``func(model)`` is evaluated on ``n`` models whose (alpha, beta) are drawn from the
        fit's normal approximation; the central ``confidence`` share of the values is returned
        (a percentile interval).

        Examples
        --------
        >>> m = ShiftedBetaGeometric.fit([1000, 631, 468, 382, 326, 289, 262, 241])
        >>> low, high = m.interval(lambda x: x.del_(0.10), n=500)
        >>> bool(low < m.del_(0.10) < high)
        True
        """
        check_fraction(confidence, "confidence", allow_zero=False, allow_one=False)
        draws = self.parameter_draws(n, seed)
        vals = np.array([func(ShiftedBetaGeometric(a, b))
                         for a, b in draws.itertuples(index=False)], dtype=float)
        q = np.quantile(vals, [0.5 - confidence / 2, 0.5 + confidence / 2])
        return float(q[0]), float(q[1])

    # ---- projections and values ----------------------------------------------------------

    def project(self, periods: int, n: float | None = None,
                confidence: float = 0.95) -> pd.DataFrame:
        """Expected survivors of a cohort of size ``n`` for t = 0..periods, with the data if
        fitted; a fitted model adds ``survival_low`` and ``survival_high`` (interval of the
        expected share at level ``confidence``, from the parameters' uncertainty)."""
        n = n if n is not None else (self.n or 1)
        t = np.arange(periods + 1)
        out = pd.DataFrame({"survival": self.survival(t), "expected_alive": n * self.survival(t),
                            "retention_rate": np.r_[np.nan, self.retention_rate(t[1:])]},
                           index=pd.Index(t, name="t"))
        if self.cov is not None:
            out["survival_low"], out["survival_high"] = self.survival_interval(t, confidence)
        if self.alive is not None:
            obs = np.full(len(t), np.nan)
            k = min(len(t), len(self.alive))
            obs[:k] = self.alive[:k]
            out["observed_alive"] = obs
        return out

    def _check_discount(self, discount_rate: float) -> float:
        check_fraction(discount_rate, "discount_rate")
        if discount_rate == 0 and self.alpha <= 1:
            raise DataError("With alpha <= 1 the undiscounted expected lifetime is infinite: "
                            "use a positive discount rate.")
        return float(discount_rate)

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

        The hypergeometric function is summed term by term (``_discounted_sum``: the result is
        low by less than a relative 1e-12, a bound proved from the terms' ratio), because
        scipy's closed form ``hyp2f1`` returns NaN or inf for long horizons at small discount
        rates (e.g. alpha 0.704, beta 1.182, d = 0.001, 240 renewals, where the sum is 435.23)
        and is off by up to 1e-6 without warning elsewhere.

        ``discount_rate`` is the rate **per period** of the model (e.g. per year for annual
        contracts), a fraction. Multiply by the margin per period for the residual value of
        the customer.

        Examples
        --------
        >>> m = ShiftedBetaGeometric(1.0, 1.0)
        >>> round(m.derl(0.10, renewals=0), 4)   # brute force: sum_t S(t+1)/S(0) / 1.1**t
        1.8015
        >>> round(ShiftedBetaGeometric(0.704, 1.182).derl(0.001, renewals=240), 2)
        435.23
        """
        d = self._check_discount(discount_rate)
        if renewals < 0 or int(renewals) != renewals:
            raise DataError(f"renewals: a whole number, 0 or more; got {renewals!r}.")
        n = int(renewals) + 1
        a, b = self.alpha, self.beta
        next_renewal = (b + n - 1) / (a + b + n - 1)
        return float(next_renewal * _discounted_sum(a, b + n, 1 / (1 + d)))

    def del_(self, discount_rate: float) -> float:
        """Discounted expected lifetime of a **new** customer (Fader & Hardie 2010).

        The expected discounted number of payments, the first (at t = 0) undiscounted::

            DEL = sum_{t >= 0} S(t) / (1 + d)^t = 2F1(1, b; a + b; 1 / (1 + d))

        It equals ``1 + derl(d, renewals=0) / (1 + d)``: the first payment, then, one period
        later, the residual lifetime of a customer about to decide on the first renewal.
        Summed term by term as in :meth:`derl`.

        Examples
        --------
        >>> round(ShiftedBetaGeometric(1.0, 1.0).del_(0.10), 4)   # 1 + 1.80152 / 1.1
        2.6377
        """
        d = self._check_discount(discount_rate)
        return _discounted_sum(self.alpha, self.beta, 1 / (1 + d))

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

    def plot(self, ax: Any = None, periods: int | None = None, unit: str = "months",
             band: bool = True, confidence: float = 0.95) -> Any:
        """Plot observed survivors (if fitted) and the model's projection, with the interval
        band of a fitted model (parameter uncertainty, level ``confidence``)."""
        from .. import plotting
        if ax is None:
            _, ax = plotting.subplots()
        periods = periods or (2 * (len(self.alive) - 1) if self.alive is not None else 24)
        proj = self.project(periods, confidence=confidence)
        ax.plot(proj.index, proj["survival"], label=plotting.figure_text("sbg_model"),
                color=plotting.color_for(0))
        if band and "survival_low" in proj:
            ax.fill_between(proj.index, proj["survival_low"], proj["survival_high"],
                            color=plotting.color_for(0), alpha=0.2, linewidth=0,
                            label=plotting.figure_text("sbg_interval", level=f"{confidence:.0%}"))
        if self.alive is not None:
            ax.plot(np.arange(len(self.alive)), self.alive / self.alive[0], "o",
                    label=plotting.figure_text("observed"), color=plotting.color_for(1))
        plotting.percent_axis(ax)
        shown_unit = plotting.figure_text("months") if unit == "months" else unit
        plotting.finish(ax, title=plotting.figure_text("sbg_title"),
                        xlabel=plotting.figure_text("sbg_x", unit=shown_unit),
                        ylabel=plotting.figure_text("share_still_active"))
        return ax
