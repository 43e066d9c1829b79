"""The phases themselves: boundaries, names, which phase a month is in, per-phase hazards of a curve.

The building blocks shared by :mod:`cs_helpers.phases` (measured continuation, the homogeneous
what-if) and :mod:`cs_helpers.phase_model` (customers who differ); both import this module and
it imports neither, so they do not import each other. Every public name here is also
``cs.phases.<name>`` (``DEFAULT_BOUNDARIES``, ``labels_for``, ``pooled_hazards``...).

>>> from cs_helpers import phases
>>> phases.labels_for((3, 9))
['onboarding', 'adoption', 'maturity']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from . import errors
from .errors import DataError

__all__ = ["DEFAULT_BOUNDARIES", "EN_LABELS", "JA_LABELS", "labels_for", "pooled_hazards"]


#: Phase boundaries in months: onboarding [0, 3), adoption [3, 9), maturity [9, inf).
DEFAULT_BOUNDARIES: tuple[float, ...] = (3, 9)


#: English phase names (three phases, i.e. two boundaries).
EN_LABELS: tuple[str, ...] = ("onboarding", "adoption", "maturity")


#: Japanese phase names as used by Laxus: 導入期 (onboarding), 定着期 (adoption), 成熟期 (maturity).
JA_LABELS: tuple[str, ...] = ("導入期", "定着期", "成熟期")


def _check_boundaries(boundaries: Sequence[float] | float) -> np.ndarray:
    """Return ``boundaries`` as a float array; raise unless finite, positive and increasing."""
    b = np.atleast_1d(np.asarray(boundaries, dtype=float))
    if b.ndim != 1 or len(b) == 0:
        raise DataError("boundaries: give at least one phase boundary in months, e.g. (3, 9).")
    if not np.all(np.isfinite(b)) or np.any(b <= 0):
        raise DataError(f"boundaries: every boundary must be a positive number of months; "
                        f"got {tuple(b.tolist())}.")
    if np.any(np.diff(b) <= 0):
        raise DataError(f"boundaries: must be strictly increasing, e.g. (3, 9); "
                        f"got {tuple(b.tolist())}.")
    return b


def _fmt(x: float) -> str:
    return f"{x:g}"


def labels_for(boundaries: Sequence[float] = DEFAULT_BOUNDARIES,
               labels: Sequence[str] | str | None = None) -> list[str]:
    """Return the phase names for ``boundaries``.

    Parameters
    ----------
    boundaries : sequence of float
        Increasing positive phase boundaries in months.
    labels : sequence of str, "en", "ja" or None
        Names for the ``len(boundaries) + 1`` phases. ``"en"`` and ``"ja"`` give
        :data:`EN_LABELS` / :data:`JA_LABELS` (three phases only). ``None`` gives the English
        names for three phases and interval names such as ``"[0, 6)"`` otherwise.

    Examples
    --------
    >>> labels_for()
    ['onboarding', 'adoption', 'maturity']
    >>> labels_for(labels="ja")
    ['導入期', '定着期', '成熟期']
    >>> labels_for((1, 6, 12))
    ['[0, 1)', '[1, 6)', '[6, 12)', '12+']
    """
    b = _check_boundaries(boundaries)
    n = len(b) + 1
    if labels is None:
        if n == 3:
            return list(EN_LABELS)
        edges = [0.0, *b.tolist()]
        return [f"[{_fmt(edges[i])}, {_fmt(edges[i + 1])})" for i in range(n - 1)] + \
               [f"{_fmt(b[-1])}+"]
    if isinstance(labels, str):
        named = {"en": EN_LABELS, "ja": JA_LABELS}
        if labels not in named:
            raise DataError(f"labels: use 'en', 'ja' or a list of names; got {labels!r}.")
        labels = named[labels]
    out = [str(x) for x in labels]
    if len(out) != n:
        raise DataError(f"labels: {len(b)} boundaries make {n} phases, but {len(out)} labels "
                        f"were given ({out}).")
    if len(set(out)) != n:
        raise DataError(f"labels: phase names must be distinct; got {out}.")
    return out


def _phase_index(values: np.ndarray, b: np.ndarray, *, event: bool = False) -> np.ndarray:
    """Phase number of each value: tenure ``t`` is in ``[a, b)``; an event at ``d`` in ``(a, b]``."""
    return np.searchsorted(b, values, side="left" if event else "right")


def _entry(lifetimes: pd.DataFrame, entry_col: str | None, d: np.ndarray, churned: np.ndarray,
           id_col: str | None) -> np.ndarray:
    """Entry tenures (zeros without ``entry_col``), checked against the durations."""
    if entry_col is None:
        return np.zeros(len(d))
    e = errors.check_non_negative(lifetimes, entry_col, id_col).to_numpy()
    errors.fail_where(lifetimes, entry_col, "entry must not come after the end of the "
                      "observation (entry <= duration)", e > d, id_col)
    errors.fail_where(lifetimes, entry_col, "a churned customer must enter before it churns "
                      "(entry < duration): a churn at entry could not have been observed",
                      churned & (e >= d), id_col)
    return e


def _pooled_hazard_array(s: np.ndarray, b: np.ndarray,
                         weights: np.ndarray | None = None) -> np.ndarray:
    """Phase hazards ``(D, phases)`` from survival curves ``s`` of shape ``(D, T + 1)``."""
    s = np.atleast_2d(np.asarray(s, dtype=float))
    n_months = s.shape[1] - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        h = np.where(s[:, :-1] > 0, 1.0 - s[:, 1:] / s[:, :-1], 0.0)
    w = s[:, :-1] if weights is None else np.broadcast_to(weights, h.shape)
    phase = _phase_index(np.arange(n_months, dtype=float), b)
    onehot = (phase[:, None] == np.arange(len(b) + 1)[None, :]).astype(float)   # (T, P)
    with np.errstate(divide="ignore", invalid="ignore"):
        return ((w * h) @ onehot) / (w @ onehot)


def pooled_hazards(survival: Any, boundaries: Sequence[float] = DEFAULT_BOUNDARIES, *,
                   at_risk: Any = None,
                   labels: Sequence[str] | str | None = None) -> pd.DataFrame:
    """Per-phase monthly hazard and continuation implied by a survival curve.

    The monthly hazard of month ``k`` (tenure ``[k, k + 1)``) is ``1 - S(k + 1) / S(k)``; a
    phase's hazard is their average over the phase's months weighted by the number at risk:
    by default ``S(k)`` (a cohort followed with no censoring, so the result is churn in the
    phase / customer-months in it), or ``at_risk[k]`` (e.g. the customer-months observed in
    each month of a table, to compare with :func:`continuation` on that table).

    Parameters
    ----------
    survival : pandas.Series or array-like
        ``S(0), S(1), ..., S(T)`` at whole months (e.g. ``cs.simulate.true_survival`` or
        ``PhaseModel.survival(range(T + 1))``); months after ``T`` are not counted.
    boundaries : sequence of int, default (3, 9)
        Phase boundaries in whole months.
    at_risk : array-like, optional
        Weight of each month ``k = 0..T-1``.
    labels : sequence of str, "en", "ja" or None
        Phase names.

    Returns
    -------
    pandas.DataFrame
        One row per phase: ``phase``, ``start_month``, ``end_month`` (at most ``T``),
        ``monthly_hazard`` and ``monthly_continuation``.

    Examples
    --------
    A cohort with hazards 10%, 10%, 10%, then 5%: onboarding 10%; adoption over months 3-5
    only (the curve stops at 6) 5%:

    >>> s = [1, .9, .81, .729, .729 * .95, .729 * .95 ** 2, .729 * .95 ** 3]
    >>> pooled_hazards(s)[["phase", "end_month", "monthly_hazard"]].round(4)
            phase  end_month  monthly_hazard
    0  onboarding        3.0            0.10
    1    adoption        6.0            0.05
    2    maturity        6.0             NaN
    """
    b = _whole_boundaries(boundaries)
    names = labels_for(b, labels)
    s = np.asarray(survival, dtype=float).ravel()
    if len(s) < 2 or not np.all(np.isfinite(s)) or np.any(s < 0) or np.any(s > 1 + 1e-9) \
            or np.any(np.diff(s) > 1e-9):
        raise DataError("survival: give S(0), S(1), ... at whole months: at least two "
                        "values in [0, 1], never increasing.")
    w = None
    if at_risk is not None:
        w = np.asarray(at_risk, dtype=float).ravel()
        if len(w) < len(s) - 1:
            raise DataError(f"at_risk: one weight per month 0..{len(s) - 2}; got {len(w)}.")
        w = w[:len(s) - 1]
        if not np.all(np.isfinite(w)) or np.any(w < 0):
            raise DataError("at_risk: weights must be finite and >= 0.")
    hz = _pooled_hazard_array(s[None, :], b, w)[0]
    n_months = len(s) - 1
    edges = np.concatenate([[0.0], b, [np.inf]])
    out = pd.DataFrame({"phase": pd.Categorical(names, categories=names, ordered=True),
                        "start_month": np.minimum(edges[:-1], n_months),
                        "end_month": np.minimum(edges[1:], n_months),
                        "monthly_hazard": hz, "monthly_continuation": 1.0 - hz})
    return out


def _whole_boundaries(boundaries: Sequence[float]) -> np.ndarray:
    b = _check_boundaries(boundaries)
    if np.any(b != np.round(b)):
        raise DataError("boundaries: what-if calculations run month by month, so boundaries "
                        f"must be whole months; got {tuple(b.tolist())}.")
    return b
