"""Lifecycle phases when customers differ: a phase model that knows about sorting.

:func:`cs_helpers.phases.what_if` treats each phase's pooled hazard as the hazard of *every*
customer in the phase. But customers differ: the likely leavers go first, so the customers still
there in a later phase are the loyal ones, and a programme that keeps more customers through
onboarding keeps mostly likely leavers, who then leave a little later. Ignoring this overstates
the gain of an onboarding programme several times over (issue 11, item 3). This module fits a
model in which customers differ and phases still matter.

The model
---------
Customer ``i`` has its own monthly churn propensity ``p_i ~ Beta(alpha, beta)`` (the idea of
the shifted-beta-geometric model, :class:`cs_helpers.ltv.ShiftedBetaGeometric`). In tenure
month ``k`` (``k = 0, 1, ...``: tenure ``[k, k + 1)``) it leaves at the end of the month with
probability ``h_i(k) = min(p_i * m[phase(k)], 1)``: one multiplier per phase, the *reference*
phase's fixed at 1 (otherwise the multipliers and the scale of ``p`` could trade off). A
multiplier is a phase effect on the *same* customer: ``m = 0.85`` in maturity means every
customer is 15% less likely to leave in a maturity month than in a reference-phase month. With
all multipliers 1 the model is the sBG model.

Fitting
-------
Maximum likelihood on whole months: a customer who churned at duration ``d`` left at the end of
month ``K = ceil(d)`` (``K = 1`` for ``d = 0``), so its likelihood is
``E[S_i(K - 1) h_i(K - 1)]``; a customer still active at ``d`` survived ``floor(d)`` whole
months, ``E[S_i(floor(d))]``; with late entry at ``e`` both are divided by ``E[S_i(floor(e))]``
(it was known to be there at ``e``). ``S_i(t) = prod_{k < t} (1 - h_i(k))`` and ``E[.]`` is the
average over ``p ~ Beta(alpha, beta)``, computed by Gauss-Jacobi quadrature
(:func:`scipy.special.roots_jacobi`) with weight ``p^(alpha-1) (1-p)^(beta-1)``: the
integrands are polynomials in ``p`` of degree ``t + 1`` (while ``p m <= 1``), so ``n`` nodes
are exact for lifetimes up to ``2n - 2`` months (126 with the default 64 nodes); the tests
check this against the sBG closed form and :func:`scipy.integrate.quad`. Lifetimes are counted
first (one row per distinct whole-month outcome), so millions of customers cost the same as a
few hundred. The optimiser is :func:`scipy.optimize.minimize` (BFGS on ``log alpha``,
``log beta`` and the log multipliers; Nelder-Mead polishes if BFGS stops early).

Uncertainty
-----------
Standard errors come from the observed information: the Hessian of the log-likelihood at the
estimate, computed by :func:`scipy.differentiate.hessian`, inverted to a covariance of the
log-parameters. What-if results and the sorting share get percentile intervals from
``draws`` parameter vectors drawn from that normal approximation (a parametric
simulation of the estimates' uncertainty). These intervals cover the uncertainty of the
estimates *within* the model; they do not cover the model being wrong.

>>> import numpy as np, pandas as pd
>>> from cs_helpers import phase_model
>>> m = phase_model.PhaseModel(0.5, 2.8, {"onboarding": 1.15, "adoption": 1.0, "maturity": 0.85})
>>> round(float(m.survival(12).iloc[0]), 4)     # share of new customers left after a year
0.4195
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from scipy import differentiate, linalg, optimize, special, stats

from . import errors
from . import phase_basics as _ph
from .errors import DataError, DataWarning

__all__ = ["DEFAULT_HORIZON", "DEFAULT_NODES", "PhaseModel", "fit"]

#: Months counted by default in lifetimes and what-ifs: the 5 years notebooks 02 and 04 use.
DEFAULT_HORIZON = 60

#: Gauss-Jacobi nodes: exact for whole-month lifetimes up to 2 x 64 - 2 = 126 months.
DEFAULT_NODES = 64

#: Parameter draws for the intervals of what-ifs and the sorting share.
DEFAULT_DRAWS = 2000

_MODEL_NAME = "heterogeneous: Beta(alpha, beta) churn propensity x phase multipliers"


# --------------------------------------------------------------------------------------------
# the numerical core
# --------------------------------------------------------------------------------------------

@lru_cache(maxsize=256)
def _nodes(alpha: float, beta: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Jacobi nodes ``p`` in (0, 1) and weights summing to 1 for ``Beta(alpha, beta)``.

    ``roots_jacobi(n, a, b)`` integrates against ``(1 - x)^a (1 + x)^b`` on [-1, 1]; with
    ``p = (1 + x) / 2`` that is ``p^(alpha - 1) (1 - p)^(beta - 1)`` up to a constant, so
    ``a = beta - 1`` and ``b = alpha - 1``, and normalising the weights removes the constant.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        x, w = special.roots_jacobi(int(n), beta - 1.0, alpha - 1.0)
        w = w / w.sum()
    if not np.all(np.isfinite(w)):
        # roots_jacobi scales its weights by 2^(alpha + beta + 1) B(alpha, beta), which
        # overflows once alpha + beta is in the thousands (customers nearly alike)
        x, w = _golub_welsch(int(n), beta - 1.0, alpha - 1.0)
    p = (1.0 + x) / 2.0
    p.flags.writeable = False            # cached: shared by every caller
    w.flags.writeable = False
    return p, w


def _golub_welsch(n: int, a: float, b: float) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Jacobi nodes and normalised weights from the Jacobi matrix (Golub & Welsch 1969).

    The recurrence coefficients of the orthonormal Jacobi polynomials for the weight
    ``(1 - x)^a (1 + x)^b`` form a symmetric tridiagonal matrix; its eigenvalues are the nodes
    and the squared first components of its eigenvectors the weights (summing to 1), with no
    normalising constant to overflow.
    """
    k = np.arange(n, dtype=float)
    s = a + b
    diag = np.empty(n)
    diag[0] = (b - a) / (s + 2.0)
    kk = k[1:]
    diag[1:] = (b * b - a * a) / ((2 * kk + s) * (2 * kk + s + 2))
    j = np.arange(1, n, dtype=float)
    off2 = 4 * j * (j + a) * (j + b) * (j + s) / ((2 * j + s) ** 2 * (2 * j + s + 1)
                                                   * (2 * j + s - 1))
    if n > 1:     # at j = 1, (j + s) / (2j + s - 1) = 1 (also when a + b = -1)
        off2[0] = 4 * (1 + a) * (1 + b) / ((2 + s) ** 2 * (3 + s))
    x, v = linalg.eigh_tridiagonal(diag, np.sqrt(off2))
    return x, v[0] ** 2


def _member_survival(p: np.ndarray, mult_month: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hazards ``h[..., j, k]`` and survival ``S[..., j, t]`` (``t = 0..T``) per node ``j``.

    ``p`` has shape ``(..., n)`` and ``mult_month`` shape ``(..., T)``: the multiplier of each
    month's phase.
    """
    h = np.minimum(p[..., :, None] * mult_month[..., None, :], 1.0)
    ones = np.ones((*h.shape[:-1], 1))
    return h, np.concatenate([ones, np.cumprod(1.0 - h, axis=-1)], axis=-1)


class _Counts:
    """Whole-month outcomes counted once: the data of the likelihood."""

    def __init__(self, month: np.ndarray, churned: np.ndarray, entry: np.ndarray,
                 weight: np.ndarray):
        frame = pd.DataFrame({"month": month, "churned": churned, "entry": entry,
                              "weight": weight})
        g = frame.groupby(["month", "churned", "entry"], sort=True)["weight"].sum()
        g = g[g > 0]
        idx = g.index.to_frame(index=False)
        self.month = idx["month"].to_numpy(dtype=np.int64)      # K - 1 (churn) or floor(d)
        self.churned = idx["churned"].to_numpy(dtype=bool)
        self.entry = idx["entry"].to_numpy(dtype=np.int64)      # floor(entry)
        self.weight = g.to_numpy(dtype=float)
        self.has_entry = bool(np.any(self.entry > 0))
        self.n_months = int(self.month.max()) + 1 if len(self.month) else 1


def _loglik(alpha: float, beta: float, mult: np.ndarray, phase_of_month: np.ndarray,
            data: _Counts, n_nodes: int) -> float:
    """Log-likelihood of the counted lifetimes (see the module docstring)."""
    p, w = _nodes(float(alpha), float(beta), int(n_nodes))
    h, s = _member_survival(p, mult[phase_of_month[:data.n_months]])
    m = data.month
    lik = np.where(data.churned, w @ (s[:, m] * h[:, m]), w @ s[:, m])
    ll = data.weight * np.log(np.maximum(lik, 1e-300))
    if data.has_entry:
        ll -= data.weight * np.log(np.maximum(w @ s[:, data.entry], 1e-300))
    return float(ll.sum())


def _pooled_survival(alpha: np.ndarray, beta: np.ndarray, mult_month: np.ndarray,
                     n_nodes: int,
                     nodes: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """Pooled ``S(t)``, ``t = 0..T``, for each of ``D`` parameter sets: shape ``(D, T + 1)``.

    ``alpha``, ``beta`` have shape ``(D,)`` and ``mult_month`` ``(D, T)``; ``nodes`` are the
    quadrature nodes and weights ``(D, n)`` of those parameters when already known.
    """
    p_all, w_all = _stacked_nodes(alpha, beta, n_nodes) if nodes is None else nodes
    out = np.empty((len(alpha), mult_month.shape[1] + 1))
    for start in range(0, len(alpha), 250):          # chunks keep memory small
        sl = slice(start, start + 250)
        _, s = _member_survival(p_all[sl], mult_month[sl])
        out[sl] = np.einsum("dj,djt->dt", w_all[sl], s)
    return out


def _stacked_nodes(alpha: np.ndarray, beta: np.ndarray,
                   n_nodes: int) -> tuple[np.ndarray, np.ndarray]:
    """Quadrature nodes and weights, shape ``(D, n)``, for ``D`` pairs ``(alpha, beta)``."""
    pw = [_nodes(float(a), float(b), n_nodes) for a, b in zip(alpha, beta, strict=True)]
    return np.stack([x[0] for x in pw]), np.stack([x[1] for x in pw])


def _discounted_sum(s: np.ndarray, horizon: int, discount_rate: float) -> np.ndarray:
    """``sum over t < horizon of S(t) v^t`` along the last axis, ``v = (1 + D)^(-1/12)``."""
    v = (1.0 + discount_rate) ** (-1.0 / 12.0)
    return s[..., :horizon] @ (v ** np.arange(horizon))


def _check_horizon(horizon: Any) -> int:
    if horizon is None or not np.isfinite(horizon) or int(horizon) != horizon or horizon < 1:
        raise DataError(f"horizon: a whole number of months >= 1, e.g. {DEFAULT_HORIZON} "
                        f"(5 years); got {horizon!r}. Customers who differ have a long tail, so "
                        "lifetimes are always counted over a stated horizon.")
    return int(horizon)


def _check_confidence(confidence: float) -> float:
    errors.check_fraction(confidence, "confidence", allow_zero=False, allow_one=False)
    return float(confidence)


# --------------------------------------------------------------------------------------------
# the model
# --------------------------------------------------------------------------------------------

class PhaseModel:
    """Customers with their own churn propensity, and a multiplier per lifecycle phase.

    Monthly hazard of customer ``i`` in tenure month ``k``: ``min(p_i * m[phase(k)], 1)`` with
    ``p_i ~ Beta(alpha, beta)`` (see the module docstring). Build one with known parameters, or
    fit one to lifetimes with :meth:`fit` (also :func:`cs_helpers.phases.fit_model`).

    Parameters
    ----------
    alpha, beta : float
        Beta distribution of the churn propensity in the reference phase (> 0).
    multipliers : mapping phase -> float, or sequence of float
        Multiplier of each phase (> 0); phases not named in a mapping get 1.
    boundaries : sequence of int, default (3, 9)
        Phase boundaries in whole months.
    labels : sequence of str, "en", "ja" or None
        Phase names (see :func:`cs_helpers.phases.labels_for`).
    reference : str, optional
        The phase whose multiplier is fixed at 1 when fitting, and whose level "sorting only"
        gives every phase (:meth:`phase_continuation`). Default: the second phase (adoption
        with the default boundaries), as in :data:`cs_helpers.simulate.TRUE_PARAMS`.
    nodes : int, default 64
        Gauss-Jacobi nodes of the integral over ``p``.

    Examples
    --------
    >>> m = PhaseModel(0.5, 2.8, {"onboarding": 1.15, "maturity": 0.85})
    >>> m.params.round(3).to_dict()
    {'alpha': 0.5, 'beta': 2.8, 'multiplier_onboarding': 1.15, 'multiplier_adoption': 1.0, 'multiplier_maturity': 0.85}
    >>> round(m.expected_lifetime(horizon=60, discount_rate=0.08), 2)
    18.2
    """

    def __init__(self, alpha: float, beta: float, multipliers: Mapping[str, float] | Sequence[float],
                 boundaries: Sequence[float] = _ph.DEFAULT_BOUNDARIES, *,
                 labels: Sequence[str] | str | None = None, reference: str | None = None,
                 nodes: int = DEFAULT_NODES):
        if not (np.isfinite(alpha) and np.isfinite(beta) and alpha > 0 and beta > 0):
            raise DataError(f"alpha and beta: must be positive numbers; got {alpha!r}, {beta!r}.")
        if int(nodes) != nodes or nodes < 8:
            raise DataError(f"nodes: a whole number >= 8; got {nodes!r}.")
        b = _ph._whole_boundaries(boundaries)
        names = _ph.labels_for(b, labels)
        if reference is None:
            reference = names[1] if len(names) > 1 else names[0]
        if reference not in names:
            raise DataError(f"reference: {reference!r} is not a phase; phases are {names}.")
        if isinstance(multipliers, Mapping):
            unknown = [k for k in multipliers if k not in names]
            if unknown:
                raise DataError(f"multipliers: unknown phase(s) {unknown}; phases are {names}.")
            mult = np.array([float(multipliers.get(n, 1.0)) for n in names])
        else:
            mult = np.atleast_1d(np.asarray(multipliers, dtype=float))
            if len(mult) != len(names):
                raise DataError(f"multipliers: {len(names)} phases, but {len(mult)} multipliers "
                                "were given.")
        if not np.all(np.isfinite(mult)) or np.any(mult <= 0):
            raise DataError(f"multipliers: must be positive numbers; got {mult.tolist()}.")
        self.alpha = float(alpha)
        self.beta = float(beta)
        self.boundaries: tuple[float, ...] = tuple(b.tolist())
        self.names: list[str] = names
        self.reference: str = reference
        self.nodes = int(nodes)
        self._mult = mult
        #: Covariance of the estimated log-parameters (``log alpha``, ``log beta``, log
        #: multipliers of the non-reference phases); None for a model with known parameters.
        self.cov: np.ndarray | None = None
        self.loglik: float | None = None
        self.n_customers: float | None = None
        self.n_churned: float | None = None
        self.converged: bool | None = None
        self._draw_cache: dict[tuple[int, int], tuple[np.ndarray, ...]] = {}

    # ---------------------------------------------------------------- parameters

    @property
    def multipliers(self) -> pd.Series:
        """Phase multipliers (the reference phase's is 1 in a fitted model)."""
        return pd.Series(self._mult, index=pd.Index(self.names, name="phase"),
                         name="multiplier")

    @property
    def params(self) -> pd.Series:
        """``alpha``, ``beta`` and ``multiplier_<phase>`` for each phase."""
        vals = {"alpha": self.alpha, "beta": self.beta}
        vals.update({f"multiplier_{n}": float(m) for n, m in zip(self.names, self._mult,
                                                                 strict=True)})
        return pd.Series(vals, name="estimate")

    def _free(self) -> list[int]:
        """Indices of the phases whose multiplier is estimated."""
        return [i for i, n in enumerate(self.names) if n != self.reference]

    def _theta(self) -> np.ndarray:
        return np.log(np.r_[self.alpha, self.beta, self._mult[self._free()]])

    def _unpack(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``theta`` of shape ``(k, D)`` -> alpha ``(D,)``, beta ``(D,)``, multipliers ``(D, P)``."""
        theta = np.atleast_2d(np.asarray(theta, dtype=float).T).T
        alpha, beta = np.exp(theta[0]), np.exp(theta[1])
        mult = np.tile(self._mult, (theta.shape[1], 1))
        if theta.shape[0] > 2:
            mult[:, self._free()] = np.exp(theta[2:]).T
        return alpha, beta, mult

    def __repr__(self) -> str:
        m = ", ".join(f"{n}={x:.3g}" for n, x in zip(self.names, self._mult, strict=True))
        return f"PhaseModel(alpha={self.alpha:.4g}, beta={self.beta:.4g}, multipliers: {m})"

    def summary(self, confidence: float = 0.95) -> pd.DataFrame:
        """The parameters with standard errors and confidence intervals.

        Returns
        -------
        pandas.DataFrame
            Rows ``alpha``, ``beta``, ``mean_propensity`` (``alpha / (alpha + beta)``: the
            average monthly churn chance of a new customer in the reference phase) and
            ``multiplier_<phase>``; columns ``estimate``, ``std_error`` (delta method),
            ``ci_low``, ``ci_high`` (normal on the log scale, so always positive) and ``note``.
            ``attrs`` hold the log-likelihood, the numbers of customers and churns, the
            reference phase and the confidence level. Without a covariance (a model with
            known parameters) the errors and intervals are missing.

        Examples
        --------
        >>> PhaseModel(0.5, 2.8, {"onboarding": 1.15}).summary()["estimate"].round(3).tolist()
        [0.5, 2.8, 0.152, 1.15, 1.0, 1.0]
        """
        conf = _check_confidence(confidence)
        z = stats.norm.ppf(0.5 + conf / 2)
        mean_p = self.alpha / (self.alpha + self.beta)
        rows = ["alpha", "beta", "mean_propensity", *[f"multiplier_{n}" for n in self.names]]
        values = [self.alpha, self.beta, mean_p, *self._mult.tolist()]
        se_log = np.full(len(rows), np.nan)
        if self.cov is not None:
            sd = np.sqrt(np.diag(self.cov))
            se_log[0], se_log[1] = sd[0], sd[1]
            # log(a / (a + b)) = log a - log(a + b): gradient (b / (a + b), -b / (a + b))
            g = np.array([self.beta, -self.beta]) / (self.alpha + self.beta)
            se_log[2] = float(np.sqrt(g @ self.cov[:2, :2] @ g))
            for j, i in enumerate(self._free()):
                se_log[3 + i] = sd[2 + j]
        values = np.asarray(values)
        out = pd.DataFrame({"estimate": values, "std_error": values * se_log,
                            "ci_low": values * np.exp(-z * se_log),
                            "ci_high": values * np.exp(z * se_log)}, index=rows)
        out["note"] = ""
        ref = f"multiplier_{self.reference}"
        out.loc[ref, ["std_error", "ci_low", "ci_high"]] = [0.0, 1.0, 1.0]
        out.loc[ref, "note"] = "reference phase: fixed at 1"
        out.attrs.update({"loglik": self.loglik, "n_customers": self.n_customers,
                          "n_churned": self.n_churned, "reference": self.reference,
                          "boundaries": self.boundaries, "confidence": conf,
                          "model": _MODEL_NAME, "converged": self.converged})
        return out

    # ---------------------------------------------------------------- curves

    def _phase_of_month(self, n_months: int) -> np.ndarray:
        return _ph._phase_index(np.arange(n_months, dtype=float), np.asarray(self.boundaries))

    def _survival_array(self, n_months: int, mult: np.ndarray | None = None) -> np.ndarray:
        mult = self._mult if mult is None else mult
        mm = mult[self._phase_of_month(n_months)]
        return _pooled_survival(np.array([self.alpha]), np.array([self.beta]), mm[None, :],
                                self.nodes)[0]

    def survival(self, t: Any) -> pd.Series:
        """Share of new customers still active after ``t`` months (pooled over customers).

        Churn happens at month ends, so ``S(t) = S(floor(t))``.

        Examples
        --------
        With all multipliers 1 this is the sBG survival ``B(alpha, beta + t) / B(alpha, beta)``:

        >>> from scipy.special import beta as B
        >>> m = PhaseModel(0.7, 1.2, [1, 1, 1])
        >>> bool(np.isclose(m.survival(12).iloc[0], B(0.7, 13.2) / B(0.7, 1.2)))
        True
        """
        tt = np.atleast_1d(np.asarray(t, dtype=float))
        if np.any(~np.isfinite(tt)) or np.any(tt < 0):
            raise DataError(f"t: months must be finite and >= 0; got {np.asarray(t).tolist()}.")
        k = np.floor(tt).astype(int)
        s = self._survival_array(int(k.max()))
        return pd.Series(s[k], index=pd.Index(np.asarray(t).ravel() if np.ndim(t) else [t],
                                                name="months"), name="survival")

    def hazard(self, t: Any) -> pd.Series:
        """Pooled monthly hazard in month ``t`` (tenure ``[t, t + 1)``): ``1 - S(t+1) / S(t)``.

        It falls *within* each phase although no customer's hazard does: the likely leavers go
        first (sorting). Compare with :meth:`member_hazard`.

        Examples
        --------
        >>> m = PhaseModel(0.5, 2.8, [1, 1, 1])
        >>> h = m.hazard(range(4))
        >>> bool(h.is_monotonic_decreasing), round(float(h.iloc[0]), 4)   # alpha / (alpha + beta)
        (True, 0.1515)
        """
        tt = np.atleast_1d(np.asarray(t))
        if np.any(tt != np.round(tt)) or np.any(tt < 0):
            raise DataError(f"t: whole months >= 0; got {tt.tolist()}.")
        k = tt.astype(int)
        s = self._survival_array(int(k.max()) + 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            h = 1.0 - s[k + 1] / s[k]
        return pd.Series(h, index=pd.Index(k, name="months"), name="hazard")

    def member_hazard(self, t: Any) -> pd.Series:
        """Hazard of the *average new customer* (``p = alpha / (alpha + beta)``) in month ``t``.

        It changes only at phase boundaries (by the multipliers): what a phase does to one
        customer, with no sorting.

        Examples
        --------
        >>> PhaseModel(0.5, 2.8, {"onboarding": 1.15}).member_hazard([0, 5]).round(4).tolist()
        [0.1742, 0.1515]
        """
        tt = np.atleast_1d(np.asarray(t))
        k = tt.astype(int)
        mean_p = self.alpha / (self.alpha + self.beta)
        h = np.minimum(mean_p * self._mult[self._phase_of_month(int(k.max()) + 1)[k]], 1.0)
        return pd.Series(h, index=pd.Index(k, name="months"), name="hazard")

    def expected_lifetime(self, horizon: int = DEFAULT_HORIZON,
                          discount_rate: float = 0.0) -> float:
        """Expected paid months of a new customer: ``sum over t < horizon of S(t) / (1 + d)^t``.

        A customer pays at the start of each month it is active (``S(0) = 1``), as in
        :func:`cs_helpers.ltv.from_survival`; multiply by ARPA x margin for the LTV.

        Parameters
        ----------
        horizon : int, default 60
            Months counted (5 years, as in notebooks 02 and 04).
        discount_rate : float, default 0
            ANNUAL discount rate as a fraction (0.08 for 8%), converted to monthly.

        Examples
        --------
        With no phase effect, the sBG sum of ``B(alpha, beta + t) / B(alpha, beta)``:

        >>> round(PhaseModel(0.5, 2.8, [1, 1, 1]).expected_lifetime(horizon=12), 3)
        7.4
        """
        h = _check_horizon(horizon)
        d = float(errors.check_fraction(discount_rate, "discount_rate"))
        return float(_discounted_sum(self._survival_array(h), h, d))

    # ---------------------------------------------------------------- uncertainty

    def _draws(self, draws: int, seed: int) -> tuple[np.ndarray, ...] | None:
        """Parameter draws from the normal approximation of the log-parameters.

        Returns ``(alpha, beta, multipliers, p, w)``: ``(D,)``, ``(D,)``, ``(D, phases)`` and the
        quadrature nodes and weights ``(D, n)`` of each draw (kept, since the same draws serve
        every what-if of the model).
        """
        if self.cov is None:
            return None
        if int(draws) != draws or draws < 100:
            raise DataError(f"draws: a whole number >= 100; got {draws!r}.")
        key = (int(draws), int(seed))
        if key not in self._draw_cache:
            rng = np.random.default_rng(seed)
            theta = rng.multivariate_normal(self._theta(), self.cov, size=int(draws)).T
            alpha, beta, mult = self._unpack(theta)
            p, w = _stacked_nodes(alpha, beta, self.nodes)
            self._draw_cache = {key: (alpha, beta, mult, p, w)}
        return self._draw_cache[key]

    def _curves(self, draw: tuple[np.ndarray, ...] | None, n_months: int,
                changes: np.ndarray | None = None, equal: bool = False) -> np.ndarray:
        """Pooled survival ``(D, n_months + 1)`` at the estimate (D = 1) or at each draw."""
        if draw is None:
            alpha, beta, mult = (np.array([self.alpha]), np.array([self.beta]),
                                 self._mult[None, :].copy())
            nodes = None
        else:
            alpha, beta, mult, p, w = draw
            nodes = (p, w)
        if equal:
            ref = self.names.index(self.reference)
            mult = np.repeat(mult[:, [ref]], mult.shape[1], axis=1)
        if changes is not None:
            mult = mult * changes[None, :]
        mm = mult[:, self._phase_of_month(n_months)]
        return _pooled_survival(alpha, beta, mm, self.nodes, nodes)

    def _interval(self, values: np.ndarray, confidence: float) -> tuple[float, float]:
        if values is None:
            return np.nan, np.nan
        q = np.quantile(values, [0.5 - confidence / 2, 0.5 + confidence / 2])
        return float(q[0]), float(q[1])

    # ---------------------------------------------------------------- what-ifs

    def what_if(self, changes: Mapping[str, float], *, horizon: int = DEFAULT_HORIZON,
                discount_rate: float = 0.0, arpa: float | None = None,
                gross_margin: float = 1.0, confidence: float = 0.95,
                draws: int = DEFAULT_DRAWS, seed: int = 0) -> pd.DataFrame:
        """Expected lifetime (and LTV) of a new customer before and after a phase programme.

        Parameters
        ----------
        changes : mapping phase -> float
            Multiplier applied to each changed phase's hazard, for every customer:
            ``{"onboarding": 0.8}`` means "20% less churn in onboarding".
        horizon : int, default 60
            Months counted (5 years, as in notebooks 02 and 04).
        discount_rate : float, default 0
            ANNUAL discount rate as a fraction (0.08 for 8%; 8 is refused).
        arpa, gross_margin : float, optional
            Monthly revenue per customer and gross margin (a fraction); with ``arpa``, LTV
            columns = ARPA x margin x discounted expected lifetime are added.
        confidence : float, default 0.95
            Level of the intervals.
        draws, seed : int
            Parameter draws for the intervals (the same ``seed`` gives the same draws, so
            what-ifs on different phases can be compared draw by draw).

        Returns
        -------
        pandas.DataFrame
            Rows ``baseline``, ``what-if`` and ``gain`` (what-if minus baseline); columns
            ``expected_lifetime_months`` with ``lifetime_ci_low``/``lifetime_ci_high``, with
            ``arpa`` also ``ltv``, ``ltv_ci_low``, ``ltv_ci_high``; ``horizon_months`` and
            ``annual_discount_rate`` (the basis of every number) and ``model``. ``attrs``
            hold the changes, the confidence, the draws and how the intervals were made.
            Intervals are missing for a model with known parameters.

        Examples
        --------
        >>> m = PhaseModel(0.5, 2.8, {"onboarding": 1.15, "maturity": 0.85})
        >>> w = m.what_if({"onboarding": 0.8}, horizon=60, discount_rate=0.08)
        >>> w["expected_lifetime_months"].round(2).tolist()
        [18.2, 18.64, 0.44]
        >>> m.what_if({"onboarding": 0.8}, discount_rate=8)
        Traceback (most recent call last):
        ...
        cs_helpers.errors.DataError: discount_rate: must be a fraction from 0 to 1 (0.08 means 8%); got 8, which looks like a percent: pass 0.08.
        """
        h = _check_horizon(horizon)
        d = float(errors.check_fraction(discount_rate, "discount_rate"))
        conf = _check_confidence(confidence)
        unknown = [k for k in changes if k not in self.names]
        if unknown:
            raise DataError(f"changes: unknown phase(s) {unknown}; phases are {self.names}.")
        factor = np.array([float(changes.get(n, 1.0)) for n in self.names])
        if np.any(~np.isfinite(factor)) or np.any(factor < 0):
            raise DataError(f"changes: multipliers must be >= 0; got {dict(changes)}.")
        if arpa is not None:
            if not np.isfinite(arpa) or arpa < 0:
                raise DataError(f"arpa: a non-negative amount per month; got {arpa!r}.")
            errors.check_fraction(gross_margin, "gross_margin")
        base = _discounted_sum(self._curves(None, h), h, d)[0]
        new = _discounted_sum(self._curves(None, h, factor), h, d)[0]
        draw = self._draws(draws, seed)
        if draw is not None:
            b_draw = _discounted_sum(self._curves(draw, h), h, d)
            n_draw = _discounted_sum(self._curves(draw, h, factor), h, d)
            samples = [b_draw, n_draw, n_draw - b_draw]
        else:
            samples = [None, None, None]
        out = pd.DataFrame(index=pd.Index(["baseline", "what-if", "gain"]))
        out["expected_lifetime_months"] = [base, new, new - base]
        ci = [self._interval(s, conf) for s in samples]
        out["lifetime_ci_low"] = [c[0] for c in ci]
        out["lifetime_ci_high"] = [c[1] for c in ci]
        if arpa is not None:
            unit = float(arpa) * float(gross_margin)
            out["ltv"] = unit * out["expected_lifetime_months"]
            out["ltv_ci_low"] = unit * out["lifetime_ci_low"]
            out["ltv_ci_high"] = unit * out["lifetime_ci_high"]
        out["horizon_months"] = h
        out["annual_discount_rate"] = d
        out["model"] = _MODEL_NAME
        out.attrs.update({
            "changes": dict(changes), "horizon": h, "discount_rate": d, "confidence": conf,
            "draws": int(draws) if draw is not None else 0, "seed": seed,
            "interval": ("percentile interval over parameter draws from the estimates' normal "
                         "approximation (log scale); it does not cover model error"
                         if draw is not None else "none: parameters known, not estimated")})
        return out

    # ---------------------------------------------------------------- sorting

    def phase_continuation(self, horizon: int = DEFAULT_HORIZON, *,
                           sorting_only: bool = False) -> pd.DataFrame:
        """Pooled monthly hazard and continuation per phase for a new cohort over ``horizon``.

        The pooled hazard of a phase ``[a, b)`` is the average of the monthly pooled hazards
        weighted by the share still at risk (:func:`cs_helpers.phases.pooled_hazards`), i.e.
        churn in the phase / customer-months in it, for a cohort followed ``horizon`` months
        with no censoring. ``sorting_only=True`` gives every phase the reference phase's
        multiplier: what the phases would show if they changed nobody's hazard.

        Examples
        --------
        >>> m = PhaseModel(0.5, 2.8, [1.15, 1.0, 0.85])
        >>> m.phase_continuation()["monthly_continuation"].round(3).tolist()
        [0.862, 0.944, 0.984]
        >>> m.phase_continuation(sorting_only=True)["monthly_continuation"].round(3).tolist()
        [0.876, 0.94, 0.982]
        """
        h = _check_horizon(horizon)
        s = self._curves(None, h, equal=sorting_only)[0]
        return _ph.pooled_hazards(pd.Series(s), self.boundaries, labels=self.names)

    def sorting_share(self, horizon: int = DEFAULT_HORIZON, *, confidence: float = 0.95,
                      draws: int = DEFAULT_DRAWS, seed: int = 0) -> pd.Series:
        """How much of the rise in continuation from the first to the last phase is sorting.

        ``rise`` = continuation in the last phase minus the first, for a new cohort over
        ``horizon`` months (:meth:`phase_continuation`); ``rise_sorting_only`` = the same with
        every phase at the reference phase's multiplier; ``sorting_share`` = their ratio.
        The rest of the rise is the phases' own effect (or anything else that changes the
        same customers' hazard with tenure).

        Returns
        -------
        pandas.Series
            ``continuation_first``, ``continuation_last``, ``rise``, ``rise_sorting_only``,
            ``sorting_share`` with ``ci_low``/``ci_high`` (parameter draws, as in
            :meth:`what_if`) and ``horizon_months``.

        Examples
        --------
        >>> s = PhaseModel(0.5, 2.8, [1.15, 1.0, 0.85]).sorting_share()
        >>> s[["rise", "rise_sorting_only", "sorting_share"]].round(3).tolist()
        [0.121, 0.105, 0.865]
        """
        h = _check_horizon(horizon)
        conf = _check_confidence(confidence)

        def rise(s: np.ndarray) -> np.ndarray:
            # continuation(last) - continuation(first) = hazard(first) - hazard(last)
            hz = _ph._pooled_hazard_array(s, np.asarray(self.boundaries))
            return hz[:, 0] - hz[:, -1]

        full = self.phase_continuation(h)["monthly_continuation"].to_numpy()
        r_full = float(full[-1] - full[0])
        srt = self.phase_continuation(h, sorting_only=True)["monthly_continuation"].to_numpy()
        r_sort = float(srt[-1] - srt[0])
        draw = self._draws(draws, seed)
        if draw is not None:
            shares = rise(self._curves(draw, h, equal=True)) / rise(self._curves(draw, h))
            low, high = self._interval(shares, conf)
        else:
            low = high = np.nan
        return pd.Series({"continuation_first": float(full[0]),
                          "continuation_last": float(full[-1]), "rise": r_full,
                          "rise_sorting_only": r_sort, "sorting_share": r_sort / r_full,
                          "ci_low": low, "ci_high": high, "horizon_months": h},
                         name="sorting share")

    # ---------------------------------------------------------------- fitting

    @classmethod
    def fit(cls, lifetimes: pd.DataFrame, boundaries: Sequence[float] = _ph.DEFAULT_BOUNDARIES,
            *, duration_col: str = "duration", event_col: str = "churned",
            entry_col: str | None = None, weight_col: str | None = None,
            labels: Sequence[str] | str | None = None, reference: str | None = None,
            id_col: str | None = "customer_id", nodes: int = DEFAULT_NODES) -> PhaseModel:
        """Fit the model by maximum likelihood to one row per customer.

        Parameters
        ----------
        lifetimes : pandas.DataFrame
            Durations in months and churn flags, as :func:`cs_helpers.to_lifetimes` gives
            them (calendar months, so a churn on a billing date is a whole number).
        boundaries : sequence of int, default (3, 9)
            Phase boundaries in whole months.
        duration_col, event_col : str
            Column names of the lifetime and the churn flag.
        entry_col : str, optional
            Late entry: the tenure at which each customer came under observation.
        weight_col : str, optional
            How many customers each row stands for (counted tables).
        labels, reference, nodes
            As for :class:`PhaseModel`.
        id_col : str, optional
            Id column named in error messages.

        Returns
        -------
        PhaseModel
            With ``cov`` (covariance of the log-parameters from the observed information),
            ``loglik``, ``n_customers``, ``n_churned`` and ``converged``.

        Raises
        ------
        DataError
            On bad input (as :func:`cs_helpers.phases.continuation`), with no churn at all,
            or when nobody is at risk in some phase (its multiplier cannot be estimated).

        Examples
        --------
        >>> from cs_helpers import simulate, to_lifetimes, datasets
        >>> rng = np.random.default_rng(1)
        >>> p = rng.beta(0.5, 2.8, 3000)
        >>> life = pd.DataFrame({"duration": np.minimum(rng.geometric(p), 36.0)})
        >>> life["churned"] = life["duration"] < 36
        >>> m = PhaseModel.fit(life)
        >>> s = m.summary()
        >>> bool(s.loc["alpha", "ci_low"] < 0.5 < s.loc["alpha", "ci_high"])
        True
        """
        errors.check_columns(lifetimes, [duration_col, event_col, entry_col, weight_col],
                             "lifetimes")
        errors.check_not_empty(lifetimes, "lifetimes")
        d = errors.check_non_negative(lifetimes, duration_col, id_col).to_numpy()
        errors.fail_where(lifetimes, duration_col, "durations must be finite (no infinite "
                          "lifetimes)", np.isinf(d), id_col)
        churned = errors.parse_flags(lifetimes, event_col, id_col=id_col).to_numpy()
        e = _ph._entry(lifetimes, entry_col, d, churned, id_col)
        if weight_col is not None:
            wt = errors.check_non_negative(lifetimes, weight_col, id_col).to_numpy()
            errors.fail_where(lifetimes, weight_col, "weights must be finite", np.isinf(wt),
                              id_col)
        else:
            wt = np.ones(len(d))
        model = cls(1.0, 1.0, [1.0] * (len(_ph._check_boundaries(boundaries)) + 1), boundaries,
                    labels=labels, reference=reference, nodes=nodes)
        month = np.where(churned, np.maximum(np.ceil(d), 1) - 1, np.floor(d)).astype(np.int64)
        entry = np.floor(e).astype(np.int64)
        data = _Counts(month, churned, entry, wt)
        n_churned = float(wt[churned].sum())
        if n_churned == 0:
            raise DataError(f"Column '{event_col}': no customer churned, so churn propensity "
                            "cannot be estimated.")
        phase_of_month = model._phase_of_month(data.n_months)
        # months at risk per phase (whole months between entry and the end)
        b = np.asarray(model.boundaries)
        edges = np.concatenate([[0.0], b, [np.inf]])
        months_end = data.month + data.churned        # months lived through or churned in
        for i in model._free():
            lo, hi = edges[i], edges[i + 1]
            at_risk = np.clip(months_end, lo, hi) - np.clip(data.entry, lo, hi)
            if float(np.sum(data.weight * at_risk)) <= 0:
                raise DataError(f"boundaries: nobody was at risk in phase {model.names[i]!r} "
                                f"[{lo:g}, {hi:g}) months, so its multiplier cannot be "
                                "estimated; choose other boundaries.")
        total = float(data.weight.sum())
        free = model._free()

        def negll(theta: np.ndarray) -> float:
            mult = model._mult.copy()
            mult[free] = np.exp(theta[2:])
            return -_loglik(np.exp(theta[0]), np.exp(theta[1]), mult, phase_of_month, data,
                            model.nodes)

        hz = min(max(n_churned / max(float(np.sum(data.weight * months_end)), 1e-9), 1e-4), 0.5)
        x0 = np.r_[0.0, np.log((1 - hz) / hz), np.zeros(len(free))]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            res = optimize.minimize(lambda x: negll(x) / total, x0, method="BFGS",
                                    options={"gtol": 1e-7})
            if not res.success:
                res = optimize.minimize(lambda x: negll(x) / total, res.x, method="Nelder-Mead",
                                        options={"xatol": 1e-7, "fatol": 1e-11,
                                                 "maxiter": 20_000})
        theta = res.x
        model.alpha, model.beta = float(np.exp(theta[0])), float(np.exp(theta[1]))
        model._mult[free] = np.exp(theta[2:])
        model.loglik = -float(negll(theta))
        model.n_customers = total
        model.n_churned = n_churned
        model.converged = bool(res.success)
        model.cov = _covariance(negll, theta)
        if not model.converged:
            warnings.warn(f"PhaseModel.fit: the optimiser did not converge ({res.message}); "
                          "treat the estimates with care.", DataWarning, stacklevel=2)
        return model


def _covariance(negll: Any, theta: np.ndarray) -> np.ndarray | None:
    """Inverse observed information from :func:`scipy.differentiate.hessian` (None if singular)."""

    def batched(x: np.ndarray) -> np.ndarray:
        flat = x.reshape(x.shape[0], -1)
        return np.array([negll(flat[:, i]) for i in range(flat.shape[1])]).reshape(x.shape[1:])

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = differentiate.hessian(batched, theta, initial_step=0.05, order=4, maxiter=4,
                                    tolerances={"rtol": 1e-4})
    hess = np.asarray(res.ddf, dtype=float)
    hess = (hess + hess.T) / 2
    ok = np.all(np.isfinite(hess))
    if ok:
        eig = np.linalg.eigvalsh(hess)
        ok = bool(eig.min() > 1e-10 * max(eig.max(), 1e-300))
    if not ok:
        warnings.warn("PhaseModel.fit: the information matrix is not positive definite at the "
                      "estimate (a parameter is not identified by these data), so no standard "
                      "errors or intervals.", DataWarning, stacklevel=3)
        return None
    return np.linalg.inv(hess)


def fit(lifetimes: pd.DataFrame, boundaries: Sequence[float] = _ph.DEFAULT_BOUNDARIES,
        **kwargs: Any) -> PhaseModel:
    """Shortcut for :meth:`PhaseModel.fit` (also :func:`cs_helpers.phases.fit_model`)."""
    return PhaseModel.fit(lifetimes, boundaries, **kwargs)
