"""Lifecycle phases: onboarding (導入期), adoption (定着期) and maturity (成熟期).

A customer's *tenure* (months since the start) places it in a phase. With the default boundaries
``(3, 9)`` the phases are ``[0, 3)``, ``[3, 9)`` and ``[9, inf)`` months: the first three months
are onboarding, months 4 to 9 adoption, and everything after maturity.

Per phase, :func:`continuation` measures churn the way an actuary would:

* **exposure** = customer-months at risk inside the phase. A customer with lifetime ``d``
  contributes the part of ``[0, d)`` that falls in the phase ``[a, b)``, that is
  ``clip(d, a, b) - a``;
* **churned** = churn events that end an exposure inside the phase. A customer who churns after
  exactly 3 months was last at risk in month 3 (tenure ``[2, 3)``), so its churn counts in
  onboarding: events are placed by ``a < d <= b`` (``0 <= d <= b`` for the first phase);
* **monthly hazard** = churned / exposure (the maximum-likelihood estimate of a hazard that is
  constant inside each phase), **monthly continuation** = 1 - hazard.

With ``entry_col`` (late entry), exposure counts only from when a customer came under
observation.

To value a phase programme ("what if onboarding churn fell by 20%?"), use :func:`fit_model`:
a model in which customers differ in how likely they are to leave (the likely leavers go first,
so pooled continuation rises with tenure even when no phase changes anyone), with a multiplier
per phase, fitted to the lifetimes, whose ``what_if`` states its horizon and discount rate and
gives intervals (:mod:`cs_helpers.phase_model`). :func:`what_if` here is the homogeneous
approximation (every customer of a phase has the phase's pooled hazard), kept for comparison:
it overstates early-phase programmes. :func:`pooled_hazards` turns any survival curve (a
model's, or the simulation's truth) into per-phase hazards.

>>> import pandas as pd
>>> from cs_helpers import phases
>>> life = pd.DataFrame({"duration": [2, 5, 12, 10], "churned": [True, True, True, False]})
>>> phases.continuation(life)[["phase", "exposure_months", "churned"]]
        phase  exposure_months  churned
0  onboarding             11.0        1
1    adoption             14.0        1
2    maturity              4.0        1
3     overall             29.0        3
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from scipy import stats

from . import errors
from .errors import DataError
from .phase_basics import (  # noqa: F401  (re-exported: cs.phases.<name> as before)
    DEFAULT_BOUNDARIES,
    EN_LABELS,
    JA_LABELS,
    _check_boundaries,
    _entry,
    _fmt,
    _phase_index,
    _pooled_hazard_array,
    _whole_boundaries,
    labels_for,
    pooled_hazards,
)

__all__ = ["DEFAULT_BOUNDARIES", "EN_LABELS", "JA_LABELS", "OVERALL", "labels_for", "assign",
           "continuation", "pooled_hazards", "survival_curve", "expected_lifetime", "what_if",
           "fit_model", "plot_continuation"]


#: The ``model`` column of :func:`what_if`: it is an approximation.
HOMOGENEOUS = "homogeneous (approximation)"

#: Name of the pooled row of :func:`continuation` (English and Japanese).
OVERALL: dict[str, str] = {"en": "overall", "ja": "全期間"}

_RESULT_COLUMNS = ["phase", "start_month", "end_month", "customers_entering", "churned",
                   "censored", "exposure_months", "monthly_hazard", "hazard_ci_low",
                   "hazard_ci_high", "monthly_continuation", "continuation_ci_low",
                   "continuation_ci_high"]


def assign(tenure: Any, boundaries: Sequence[float] = DEFAULT_BOUNDARIES,
           labels: Sequence[str] | str | None = None) -> pd.Categorical | pd.Series:
    """Return the lifecycle phase of each tenure (months since start).

    Parameters
    ----------
    tenure : array-like or pandas.Series of float
        Months since the customer started; 0 is the first day. Must be non-negative.
    boundaries : sequence of float, default (3, 9)
        Increasing positive phase boundaries: phase ``i`` is ``[b[i-1], b[i])`` with
        ``b[-1] = 0`` and the last phase open-ended.
    labels : sequence of str, "en", "ja" or None
        Phase names, see :func:`labels_for`. ``"ja"`` gives 導入期, 定着期, 成熟期.

    Returns
    -------
    pandas.Categorical or pandas.Series
        An ordered categorical of phase names; a Series (same index, name ``"phase"``) when
        ``tenure`` is a Series.

    Raises
    ------
    DataError
        When a tenure is missing, not a number or negative, or the boundaries are invalid.

    Examples
    --------
    >>> list(assign([0, 2.9, 3, 8.5, 9, 40]))
    ['onboarding', 'onboarding', 'adoption', 'adoption', 'maturity', 'maturity']
    >>> assign([1, 12], labels="ja")
    ['導入期', '成熟期']
    Categories (3, object): ['導入期' < '定着期' < '成熟期']
    """
    b = _check_boundaries(boundaries)
    names = labels_for(b, labels)
    is_series = isinstance(tenure, pd.Series)
    series = tenure if is_series else pd.Series(np.asarray(tenure).ravel())
    frame = series.rename("tenure").to_frame()
    values = errors.check_non_negative(frame, "tenure").to_numpy()
    codes = _phase_index(values, b)
    cat = pd.Categorical.from_codes(codes, categories=names, ordered=True)
    if is_series:
        return pd.Series(cat, index=tenure.index, name="phase")
    return cat


def _poisson_ci(events: np.ndarray, exposure: np.ndarray,
                confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) Poisson confidence interval for a rate events / exposure."""
    alpha = 1.0 - confidence
    k = np.asarray(events, dtype=float)
    e = np.asarray(exposure, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        low = np.where(k > 0, stats.chi2.ppf(alpha / 2, 2 * k) / 2, 0.0) / e
        high = stats.chi2.ppf(1 - alpha / 2, 2 * k + 2) / 2 / e
    bad = ~(e > 0)
    low = np.where(bad, np.nan, low)
    high = np.where(bad, np.nan, high)
    return low, high


def continuation(lifetimes: pd.DataFrame, boundaries: Sequence[float] = DEFAULT_BOUNDARIES, *,
                 duration_col: str = "duration", event_col: str = "churned",
                 by: str | Sequence[str] | None = None,
                 labels: Sequence[str] | str | None = None, overall: bool = True,
                 confidence: float = 0.95, id_col: str | None = "customer_id",
                 entry_col: str | None = None) -> pd.DataFrame:
    """Return monthly churn hazard and continuation per lifecycle phase.

    Parameters
    ----------
    lifetimes : pandas.DataFrame
        One row per customer with its lifetime in months (``duration_col``, float, >= 0) and
        whether it ended in churn (``event_col``; False means still active: censored). The
        output of :func:`cs_helpers.to_lifetimes` has this shape.
    boundaries : sequence of float, default (3, 9)
        Phase boundaries in months (see :func:`assign`).
    duration_col, event_col : str
        Column names of the lifetime and the churn flag.
    by : str or list of str, optional
        Segment column(s): one block of phases per segment (missing values form their own
        segment).
    labels : sequence of str, "en", "ja" or None
        Phase names (see :func:`labels_for`).
    overall : bool, default True
        Add a row ``"overall"`` (``"全期間"`` with ``labels="ja"``) pooling all tenure: total
        churn over total customer-months.
    confidence : float, default 0.95
        Level of the confidence interval of the hazard.
    id_col : str, optional
        Id column named in error messages when present.
    entry_col : str, optional
        Late entry (left truncation): the tenure in months at which each customer came under
        observation (0 = followed from the start), e.g. the tenure at the start of an
        observation window in a snapshot table. Exposure then counts from entry: a customer
        entering at ``e`` contributes ``clip(d, a, b) - clip(e, a, b)`` to phase ``[a, b)``,
        and is counted in ``customers_entering`` only for the phases in which it was at risk.
        Entry must lie in ``[0, duration]``, and strictly before the duration for a churned
        customer (a churn at entry could not have been observed).

    Returns
    -------
    pandas.DataFrame
        One row per phase (per segment when ``by``): ``phase`` (ordered categorical),
        ``start_month``, ``end_month`` (inf for the last phase), ``customers_entering``
        (customers at risk at some point in the phase; the pooled row counts every customer),
        ``churned``, ``censored`` (customers
        whose observation ends in the phase while still active), ``exposure_months``,
        ``monthly_hazard`` = churned / exposure_months, ``hazard_ci_low``/``hazard_ci_high``
        (exact Poisson interval: ``chi2.ppf(a/2, 2k)/2`` and ``chi2.ppf(1-a/2, 2k+2)/2``
        divided by the exposure, Garwood 1936), ``monthly_continuation`` = 1 - hazard and its
        interval (1 - the hazard's bounds). Continuation and its bounds are clipped to
        [0, 1]: a hazard above 1 per month (more churn events than customer-months, possible
        only with fractional durations) shows as continuation 0. A phase with no exposure has
        missing (NaN) rates.

    Raises
    ------
    DataError
        When a column is missing, the table is empty, a duration is missing, negative or
        infinite, a churn flag cannot be read, or the boundaries are invalid.

    Notes
    -----
    Vectorised: one ``np.clip`` per phase over the whole column, then a group-by, so it runs on
    millions of rows. Every customer is counted; none is dropped. Identities that always hold:
    exposures of the phases add up to the total duration (minus the total entry time, with
    ``entry_col``), and ``customers_entering[i] = churned[i] + censored[i] +
    customers_entering[i + 1]`` (minus those who entered late in phase ``i + 1``).

    The hazards are the maximum-likelihood estimates of a piecewise-constant hazard, the same
    as :class:`lifelines.PiecewiseExponentialFitter` (``1 / lambda_i``) except for churn exactly
    on a boundary, which lifelines places in the later phase and this function in the earlier
    one (the phase the customer was last at risk in), so that no phase has churn without
    exposure. With whole-month durations this also makes each hazard a share in [0, 1], the
    exact maximum-likelihood estimate of a monthly (geometric) churn probability.

    Examples
    --------
    Durations 2, 5, 12 (churned) and 10 (still active). Onboarding [0, 3) gets 2 + 3 + 3 + 3 =
    11 customer-months and one churn (at 2); adoption [3, 9) gets 0 + 2 + 6 + 6 = 14 and one
    churn (at 5); maturity gets 3 + 1 = 4 and one churn (at 12):

    >>> life = pd.DataFrame({"duration": [2, 5, 12, 10], "churned": [1, 1, 1, 0]})
    >>> t = continuation(life, overall=False)
    >>> t[["phase", "customers_entering", "exposure_months", "monthly_hazard"]].round(4)
            phase  customers_entering  exposure_months  monthly_hazard
    0  onboarding                   4             11.0          0.0909
    1    adoption                   3             14.0          0.0714
    2    maturity                   2              4.0          0.2500

    The same customers, but the one with 12 months came under observation at month 4 and
    the one with 10 at month 10: their months before entry are not exposure (onboarding
    2 + 3 + 0 + 0 = 5, adoption 0 + 2 + 5 + 0 = 7, maturity 0 + 0 + 3 + 0 = 3), and the
    customer entering at 10 is at risk in maturity only:

    >>> late = life.assign(entry=[0, 0, 4, 10])
    >>> t = continuation(late, overall=False, entry_col="entry")
    >>> t[["phase", "customers_entering", "exposure_months", "churned"]]
            phase  customers_entering  exposure_months  churned
    0  onboarding                   2              5.0        1
    1    adoption                   2              7.0        1
    2    maturity                   2              3.0        1
    """
    by_cols = [] if by is None else ([by] if isinstance(by, str) else list(by))
    errors.check_columns(lifetimes, [duration_col, event_col, *by_cols, entry_col],
                         "lifetimes")
    errors.check_not_empty(lifetimes, "lifetimes")
    errors.check_fraction(confidence, "confidence", allow_zero=False, allow_one=False)
    b = _check_boundaries(boundaries)
    names = labels_for(b, labels)
    lang = "ja" if labels == "ja" or (labels is not None and list(labels) == list(JA_LABELS)) \
        else "en"
    overall_name = OVERALL[lang]
    if overall and overall_name in names:
        raise DataError(f"labels: {overall_name!r} is reserved for the pooled row; rename it "
                        "or pass overall=False.")

    d = errors.check_non_negative(lifetimes, duration_col, id_col).to_numpy()
    errors._fail(lifetimes, duration_col, "durations must be finite (no infinite lifetimes)",
                 np.isinf(d), id_col)
    churned = errors.parse_flags(lifetimes, event_col, id_col=id_col).to_numpy()
    e = _entry(lifetimes, entry_col, d, churned, id_col)

    edges = np.concatenate([[0.0], b, [np.inf]])
    first_phase = _phase_index(e, b)                # phase in which the exposure starts
    # phase in which the exposure ends (a customer leaving observation at its entry ends
    # where it entered)
    last_phase = np.maximum(_phase_index(d, b, event=True), first_phase)
    cols: dict[str, np.ndarray] = {"n": np.ones(len(d), dtype=np.int64)}
    for i in range(len(names)):
        lo, hi = edges[i], edges[i + 1]
        cols[f"exposure_{i}"] = np.clip(d, lo, hi) - np.clip(e, lo, hi)
        ends_here = last_phase == i
        cols[f"churned_{i}"] = (ends_here & churned).astype(np.int64)
        cols[f"censored_{i}"] = (ends_here & ~churned).astype(np.int64)
        cols[f"entering_{i}"] = ((first_phase <= i) & (last_phase >= i)).astype(np.int64)
    parts = pd.DataFrame(cols, index=lifetimes.index)

    if by_cols:
        keys = [lifetimes[c] for c in by_cols]
        sums = parts.groupby(keys, dropna=False, observed=True, sort=True).sum()
    else:
        sums = parts.sum().to_frame().T
    n_phase = len(names)
    rows = []
    for key, s in sums.iterrows():
        key_t = key if isinstance(key, tuple) else (key,)
        for i in range(n_phase):
            rows.append((*key_t, names[i], edges[i], edges[i + 1], s[f"entering_{i}"],
                         s[f"churned_{i}"], s[f"censored_{i}"], s[f"exposure_{i}"]))
        if overall:
            rows.append((*key_t, overall_name, 0.0, np.inf, s["n"],
                         sum(s[f"churned_{i}"] for i in range(n_phase)),
                         sum(s[f"censored_{i}"] for i in range(n_phase)),
                         sum(s[f"exposure_{i}"] for i in range(n_phase))))
    key_names = by_cols if by_cols else ["_all"]
    out = pd.DataFrame(rows, columns=[*key_names, "phase", "start_month", "end_month",
                                      "customers_entering", "churned", "censored",
                                      "exposure_months"])
    if not by_cols:
        out = out.drop(columns="_all")
    for c in ("customers_entering", "churned", "censored"):
        out[c] = out[c].astype(np.int64)
    out["exposure_months"] = out["exposure_months"].astype(float)
    cats = names + ([overall_name] if overall else [])
    out["phase"] = pd.Categorical(out["phase"], categories=cats, ordered=True)
    exposure = out["exposure_months"].to_numpy()
    events = out["churned"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        hazard = np.where(exposure > 0, events / exposure, np.nan)
    low, high = _poisson_ci(events, exposure, confidence)
    out["monthly_hazard"] = hazard
    out["hazard_ci_low"] = low
    out["hazard_ci_high"] = high
    out["monthly_continuation"] = np.clip(1 - hazard, 0, 1)
    out["continuation_ci_low"] = np.clip(1 - high, 0, 1)
    out["continuation_ci_high"] = np.clip(1 - low, 0, 1)
    out.attrs["boundaries"] = tuple(b.tolist())
    out.attrs["confidence"] = confidence
    return out[[*by_cols, *_RESULT_COLUMNS]]


# --------------------------------------------------------------------------------------------
# pooled phase hazards implied by a survival curve
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# what-if: from per-phase hazards back to survival, lifetime and LTV
# --------------------------------------------------------------------------------------------

def _hazard_array(hazards: Any, b: np.ndarray,
                  labels: Sequence[str] | str | None) -> tuple[np.ndarray, list[str]]:
    """Per-phase hazards as an array, from a sequence, a mapping or a :func:`continuation` table."""
    names = labels_for(b, labels)
    if isinstance(hazards, pd.DataFrame):
        errors.check_columns(hazards, ["phase", "monthly_hazard"], "continuation")
        extra = [c for c in hazards.columns
                 if c not in _RESULT_COLUMNS and hazards[c].nunique(dropna=False) > 1]
        if extra:
            raise DataError(f"hazards: the continuation table has several segments ({extra}); "
                            "select one segment's rows first.")
        hazards = dict(zip(hazards["phase"].astype(str), hazards["monthly_hazard"],
                           strict=True))
    if isinstance(hazards, Mapping):
        if "onboarding" in hazards and names == list(JA_LABELS):
            names = list(EN_LABELS)
        elif names == list(EN_LABELS) and JA_LABELS[0] in hazards:
            names = list(JA_LABELS)
        missing = [n for n in names if n not in hazards]
        if missing:
            raise DataError(f"hazards: no hazard for phase(s) {missing}; expected keys {names}.")
        h = np.array([float(hazards[n]) for n in names])
    else:
        h = np.atleast_1d(np.asarray(hazards, dtype=float))
        if len(h) != len(names):
            raise DataError(f"hazards: {len(b)} boundaries make {len(names)} phases, but "
                            f"{len(h)} hazards were given.")
    errors.check_fraction(h, "hazards")
    return h, names


def survival_curve(hazards: Any, boundaries: Sequence[float] = DEFAULT_BOUNDARIES, *,
                   horizon: int = 36, labels: Sequence[str] | str | None = None) -> pd.Series:
    """Return the share of customers still active after ``t`` months, ``t = 0..horizon``.

    Month ``m`` (tenure ``[m, m + 1)``) has the monthly hazard of the phase containing ``m``, so
    the curve is piecewise geometric: ``S(0) = 1`` and ``S(t + 1) = S(t) * (1 - h(t))``.

    Parameters
    ----------
    hazards : sequence of float, mapping phase -> float, or a :func:`continuation` table
        Monthly hazard of each phase, in [0, 1].
    boundaries : sequence of int, default (3, 9)
        Phase boundaries in whole months.
    horizon : int, default 36
        Last month of the curve.
    labels : sequence of str, "en", "ja" or None
        Phase names used as keys when ``hazards`` is a mapping.

    Returns
    -------
    pandas.Series
        ``S(t)`` indexed by ``t`` (``months``).

    Examples
    --------
    >>> s = survival_curve([0.10, 0.05, 0.02], horizon=10)
    >>> s.round(4).tolist()[:5]
    [1.0, 0.9, 0.81, 0.729, 0.6926]
    >>> bool(np.isclose(s[10], 0.9**3 * 0.95**6 * 0.98))
    True
    """
    b = _whole_boundaries(boundaries)
    h, _ = _hazard_array(hazards, b, labels)
    if int(horizon) != horizon or horizon < 0:
        raise DataError(f"horizon: must be a whole number of months >= 0; got {horizon}.")
    months = np.arange(int(horizon))
    monthly = h[_phase_index(months.astype(float), b)]
    s = np.concatenate([[1.0], np.cumprod(1 - monthly)])
    return pd.Series(s, index=pd.RangeIndex(int(horizon) + 1, name="months"), name="survival")


def expected_lifetime(hazards: Any, boundaries: Sequence[float] = DEFAULT_BOUNDARIES, *,
                      horizon: int | None = None, discount_rate: float = 0.0,
                      labels: Sequence[str] | str | None = None) -> float:
    """Return the expected number of paid months, ``sum over t < horizon of S(t) / (1 + d)^t``.

    A customer pays at the start of every month it is still active (``S(0) = 1``), as in
    :func:`cs_helpers.ltv.from_survival`. Multiply by ARPA x gross margin for the LTV.

    Parameters
    ----------
    hazards : sequence of float, mapping phase -> float, or a :func:`continuation` table
        Monthly hazard of each phase, in [0, 1].
    boundaries : sequence of int, default (3, 9)
        Phase boundaries in whole months.
    horizon : int, optional
        Months counted; ``None`` sums to infinity, using the closed form of the geometric tail
        of the last phase: ``S(T) / (1 + d)^T / (1 - (1 - h) / (1 + d))`` with ``T`` the last
        boundary. Needs a last-phase hazard or a discount rate above 0.
    discount_rate : float, default 0
        ANNUAL discount rate, as everywhere in :mod:`cs_helpers.ltv`; converted to the monthly
        rate ``d = (1 + rate) ** (1 / 12) - 1``.

    Returns
    -------
    float

    Examples
    --------
    A constant 5% monthly hazard means an expected lifetime of 1 / 0.05 = 20 months:

    >>> expected_lifetime([0.05, 0.05, 0.05])
    20.0
    """
    b = _whole_boundaries(boundaries)
    h, _ = _hazard_array(hazards, b, labels)
    errors.check_fraction(discount_rate, "discount_rate")
    v = 1.0 / (1.0 + discount_rate) ** (1 / 12)
    if horizon is not None:
        s = survival_curve(h, b, horizon=horizon).to_numpy()[:-1]
        return float(np.sum(s * v ** np.arange(len(s))))
    t_last = int(b[-1])
    if h[-1] == 0 and discount_rate == 0:
        raise DataError("hazards: the last phase has hazard 0 and there is no discounting, so "
                        "customers never leave and the expected lifetime is infinite; "
                        "pass a horizon.")
    s = survival_curve(h, b, horizon=t_last).to_numpy()
    head = float(np.sum(s[:-1] * v ** np.arange(t_last)))
    tail = s[-1] * v ** t_last / (1.0 - (1.0 - h[-1]) * v)
    return head + float(tail)


def what_if(hazards: Any, changes: Mapping[str, float],
            boundaries: Sequence[float] = DEFAULT_BOUNDARIES, *, horizon: int | None = None,
            arpa: float | None = None, gross_margin: float = 1.0, discount_rate: float = 0.0,
            labels: Sequence[str] | str | None = None) -> pd.DataFrame:
    """Compare expected lifetime (and LTV) before and after changing some phases' hazards.

    **An approximation**: it assumes every customer in a phase has the phase's pooled hazard,
    for as long as the phase lasts. Customers differ, and the ones a better phase keeps are
    mostly likely leavers who leave soon after, so this overstates the gain of cutting an early
    phase's churn (3.7x for a 20% cut in onboarding churn on the course's B2C data at a
    60-month horizon) and, with no horizon, the value of the last phase. Use
    :func:`fit_model` and its ``what_if`` to value a phase programme; keep this one for
    comparison. The output says so in its ``model`` column and ``attrs["approximation"]``.

    Parameters
    ----------
    hazards : sequence of float, mapping phase -> float, or a :func:`continuation` table
        Baseline monthly hazard of each phase (e.g. ``continuation(life)`` for one segment).
    changes : mapping phase -> float
        Multiplier of each changed phase's hazard: ``{"onboarding": 0.8}`` means "the
        onboarding hazard falls by 20%". Phases not named keep their hazard.
    boundaries : sequence of int, default (3, 9)
        Phase boundaries in whole months.
    horizon : int, optional
        Months counted (``None``: a lifetime, see :func:`expected_lifetime`).
    arpa, gross_margin : float, optional
        Monthly revenue per account and gross margin; when ``arpa`` is given an ``ltv`` column
        = ARPA x margin x discounted expected lifetime is added.
    discount_rate : float, default 0
        Annual discount rate (converted to monthly, as in :mod:`cs_helpers.ltv`).
    labels : sequence of str, "en", "ja" or None
        Phase names (keys of ``changes``).

    Returns
    -------
    pandas.DataFrame
        Rows ``baseline`` and ``what-if``, columns ``hazard_<phase>`` for each phase,
        ``survival_<T>m`` (share still active at each boundary T), ``expected_lifetime_months``,
        (with ``arpa``) ``ltv``, and ``model`` = ``"homogeneous (approximation)"``;
        ``attrs["lifetime_change_pct"]`` holds the relative change and
        ``attrs["approximation"]`` what is assumed.

    Examples
    --------
    Baseline hazards 10%, 5%, 2%: ``1 + .9 + .81 + .729 (1 - .95^6) / .05 + .729 .95^6 / .02``
    = 33.37 months; with the onboarding hazard 20% lower (8%), 35.51 months:

    >>> w = what_if([0.10, 0.05, 0.02], {"onboarding": 0.8})
    >>> w["hazard_onboarding"].tolist()
    [0.1, 0.08]
    >>> w["expected_lifetime_months"].round(2).tolist()
    [33.37, 35.51]
    """
    b = _whole_boundaries(boundaries)
    h, names = _hazard_array(hazards, b, labels)
    errors.check_fraction(gross_margin, "gross_margin", allow_zero=False)
    unknown = [k for k in changes if k not in names]
    if unknown:
        raise DataError(f"changes: unknown phase(s) {unknown}; phases are {names}.")
    mult = np.array([float(changes.get(n, 1.0)) for n in names])
    if np.any(~np.isfinite(mult)) or np.any(mult < 0):
        raise DataError(f"changes: multipliers must be >= 0; got {dict(changes)}.")
    h_new = h * mult
    if np.any(h_new > 1):
        raise DataError("changes: a changed hazard exceeds 1 per month; use smaller multipliers.")
    rows = {}
    for name, hz in (("baseline", h), ("what-if", h_new)):
        row: dict[str, float] = {f"hazard_{n}": float(x) for n, x in zip(names, hz, strict=True)}
        s = survival_curve(hz, b, horizon=int(b[-1]))
        for t in b.astype(int):
            row[f"survival_{t}m"] = float(s[t])
        row["expected_lifetime_months"] = expected_lifetime(
            hz, b, horizon=horizon, discount_rate=discount_rate)
        if arpa is not None:
            row["ltv"] = float(arpa) * float(gross_margin) * row["expected_lifetime_months"]
        rows[name] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    base, new = out["expected_lifetime_months"]
    out["model"] = HOMOGENEOUS
    out.attrs["lifetime_change_pct"] = 100.0 * (new / base - 1.0)
    out.attrs["approximation"] = (
        "homogeneous phases: every customer in a phase has the phase's pooled hazard; ignores "
        "that customers differ (sorting), so it overstates the gain of early-phase programmes; "
        "see phases.fit_model")
    return out


# --------------------------------------------------------------------------------------------
# plotting
# --------------------------------------------------------------------------------------------

def _phase_shown(name: str) -> str:
    """A phase name as a figure shows it: in Japanese, the English default names (and the
    pooled row) as :data:`JA_LABELS`; other names unchanged."""
    from .i18n import get_language

    if get_language() != "ja":
        return name
    ja = dict(zip(EN_LABELS, JA_LABELS, strict=True))
    ja[OVERALL["en"]] = OVERALL["ja"]
    return ja.get(name, name)


def plot_continuation(table: pd.DataFrame, ax: Axes | None = None, *, by: str | None = None,
                      title: str | None = None,
                      xlabel: str | None = None,
                      ylabel: str | None = None,
                      ylim: tuple[float, float] | None = None) -> Axes:
    """Bar chart of monthly continuation per phase, with its confidence interval.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`continuation`. Its pooled row (``overall``) is drawn as a dashed line
        (one segment) and the phases as bars; with a segment column, one bar colour per segment.
    ax : matplotlib Axes, optional
        Where to draw; a new figure otherwise.
    by : str, optional
        The segment column (defaults to the one extra column of ``table``, if any).
    title, xlabel, ylabel : str, optional
        Figure texts (the y axis is a percentage). By default "Monthly continuation by lifecycle
        phase", "Lifecycle phase", "Monthly continuation (%)", in the language of
        :func:`cs_helpers.set_language` when drawn; in Japanese the English phase names are shown
        as :data:`JA_LABELS` (導入期・定着期・成熟期).
    ylim : (float, float), optional
        y-axis range in fractions; by default 0 to 100%, so bar heights compare honestly. A
        range that starts above 0 (to zoom in on continuations close to 100%) is marked: a
        break sign on the axis and "(axis starts at X%)" in the y label.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> life = pd.DataFrame({"duration": [2, 5, 12, 10], "churned": [1, 1, 1, 0]})
    >>> ax = plot_continuation(continuation(life))
    >>> ax.get_ylabel()
    'Monthly continuation (%)'
    """
    from . import plotting

    title = title or plotting.figure_text("continuation_title")
    xlabel = xlabel or plotting.figure_text("lifecycle_phase")
    ylabel = ylabel or plotting.figure_text("monthly_continuation_pct")
    errors.check_columns(table, ["phase", "monthly_continuation", "continuation_ci_low",
                                 "continuation_ci_high"], "continuation")
    extra = [c for c in table.columns if c not in _RESULT_COLUMNS]
    if by is None and len(extra) == 1:
        by = extra[0]
    if by is None and len(extra) > 1:
        raise DataError(f"plot_continuation: several segment columns {extra}; pass by=.")
    if ax is None:
        _, ax = plotting.subplots()
    phase_cat = table["phase"].astype("category")
    pooled = {OVERALL["en"], OVERALL["ja"]}
    present = set(table["phase"].astype(str))
    phase_names = [c for c in phase_cat.cat.categories if c not in pooled and c in present]
    is_pooled = table["phase"].astype(str).isin(pooled).to_numpy()
    groups = [(None, table)] if by is None else list(table.groupby(by, observed=True,
                                                                   sort=True, dropna=False))
    width = 0.8 / len(groups)
    x = np.arange(len(phase_names))
    lows = []
    for j, (key, g) in enumerate(groups):
        g_ph = g.assign(_name=g["phase"].astype(str)).set_index("_name").reindex(phase_names)
        y = g_ph["monthly_continuation"].to_numpy(dtype=float)
        low = g_ph["continuation_ci_low"].to_numpy(dtype=float)
        high = g_ph["continuation_ci_high"].to_numpy(dtype=float)
        pos = x - 0.4 + width * (j + 0.5)
        ax.bar(pos, y, width=width * 0.95, yerr=np.vstack([y - low, high - y]), capsize=4,
               color=plotting.color_for(j), ecolor="#333333",
               label=None if key is None else str(key[0] if isinstance(key, tuple) else key))
        for px, py in zip(pos, y, strict=True):
            if np.isfinite(py):
                ax.annotate(f"{py:.1%}", (px, py), ha="center", va="bottom", fontsize=10,
                            xytext=(0, 2), textcoords="offset points")
        lows.append(low)
    if by is None and is_pooled.any():
        pooled_value = float(table.loc[is_pooled, "monthly_continuation"].iloc[0])
        ax.axhline(pooled_value, color="#000000", linestyle="--", linewidth=1.2,
                   label=plotting.figure_text("all_phases_pooled", value=f"{pooled_value:.1%}"))
    if ylim is None:
        ylim = (0.0, 1.0)
        # headroom above 100% for the value labels, ticks only up to 100%
        ax.set_yticks(np.linspace(0, 1, 6))
        ax.set_ylim(0.0, 1.1)
    else:
        ax.set_ylim(*ylim)
    ax.set_xticks(x, [_phase_shown(name) for name in phase_names])
    # whole-percent labels would repeat (92% for 92.5%) on a narrow range
    plotting.percent_axis(ax, decimals=0 if ylim[1] - ylim[0] > 0.3 else 1)
    if ylim[0] > 0:
        # a truncated axis exaggerates differences: say so on the axis itself
        ylabel = plotting.figure_text("axis_starts_at", label=ylabel, start=f"{ylim[0]:.0%}")
        kw = {"transform": ax.transAxes, "color": "#000000", "clip_on": False, "linewidth": 1}
        for dy in (0.0, 0.025):
            ax.plot([-0.015, 0.015], [0.01 + dy, 0.03 + dy], **kw)
    plotting.finish(ax, title=title, xlabel=xlabel, ylabel=ylabel, legend_title=by)
    if ax.get_legend() is not None:       # beside the bars, not over them
        ax.legend(title=by, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return ax


# --------------------------------------------------------------------------------------------
# the heterogeneity-aware model (cs_helpers.phase_model)
# --------------------------------------------------------------------------------------------

def fit_model(lifetimes: pd.DataFrame, boundaries: Sequence[float] = DEFAULT_BOUNDARIES,
              **kwargs: Any) -> Any:
    """Fit the phase model in which customers differ (:class:`cs_helpers.phase_model.PhaseModel`).

    Each customer has its own monthly churn propensity ``p ~ Beta(alpha, beta)``, multiplied
    in each phase by that phase's multiplier (the reference phase, adoption by default, at 1).
    Use it, not :func:`what_if`, to value phase programmes: see :mod:`cs_helpers.phase_model`.
    Keyword arguments go to :meth:`~cs_helpers.phase_model.PhaseModel.fit`.

    Examples
    --------
    >>> rng = np.random.default_rng(2)
    >>> p = rng.beta(0.5, 2.8, 2000)
    >>> life = pd.DataFrame({"duration": np.minimum(rng.geometric(p), 24.0)})
    >>> life["churned"] = life["duration"] < 24
    >>> model = fit_model(life, boundaries=(3, 9))
    >>> list(model.summary().index)
    ['alpha', 'beta', 'mean_propensity', 'multiplier_onboarding', 'multiplier_adoption', 'multiplier_maturity']
    """
    from .phase_model import PhaseModel

    return PhaseModel.fit(lifetimes, boundaries, **kwargs)
