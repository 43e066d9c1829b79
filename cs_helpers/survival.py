"""Kaplan-Meier survival curves per group, fitted on aggregated counts with lifelines.

*Aggregate first*: millions of customers share few distinct (duration, churned) pairs, so the
lifetimes are counted per (group, duration, churned) and lifelines fits on the counts with
``weights=``. The curves, confidence intervals and log-rank tests equal those fitted on the raw
rows (the tests check it), at the cost of one group-by.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from lifelines import KaplanMeierFitter
from lifelines.statistics import logrank_test, multivariate_logrank_test
from lifelines.utils import median_survival_times

from . import engines, errors, plotting

__all__ = ["SurvivalCurves", "survival_curves", "aggregate_lifetimes"]


def aggregate_lifetimes(lifetimes: Any, *, by: str | None = None,
                        duration_col: str = "duration", event_col: str = "churned"
                        ) -> pd.DataFrame:
    """Count customers per (group, duration, churned): the only pass over every row.

    A DuckDB relation or a Spark DataFrame is counted in its own engine, and only the counts
    come back (see :mod:`cs_helpers.engines`).

    Examples
    --------
    >>> life = pd.DataFrame({"duration": [1.0, 1.0, 2.0], "churned": [True, True, False]})
    >>> aggregate_lifetimes(life)
       duration  churned  customers
    0       1.0     True          2
    1       2.0    False          1
    """
    if engines.is_sql_table(lifetimes):
        return engines.lifetime_counts(lifetimes, by, duration_col, event_col)
    errors.check_columns(lifetimes, [duration_col, event_col, by], "lifetimes")
    errors.check_not_empty(lifetimes, "lifetimes")
    dur = lifetimes[duration_col]
    if not pd.api.types.is_float_dtype(dur) or dur.isna().any() or (dur < 0).any():
        dur = errors.check_non_negative(lifetimes, duration_col)
    ev = lifetimes[event_col]
    if ev.dtype != bool:
        ev = errors.parse_flags(lifetimes, event_col)
    d = dur.to_numpy(dtype=float)
    e = ev.to_numpy(dtype=bool)
    if by is not None:
        group = lifetimes[by]
        if isinstance(group.dtype, pd.CategoricalDtype):
            codes = group.cat.codes.to_numpy()
            labels = group.cat.categories
        else:
            codes, labels = pd.factorize(group, sort=True)
        errors.fail_where(lifetimes, by, "group labels must not be missing", codes < 0)
    else:
        codes, labels = np.zeros(len(d), dtype=np.int64), None
    # Count with one integer key per (group, duration, churned), ordered like the tuple, so the
    # counts come out sorted: factorize the durations once (sorted codes), then a bincount; no
    # sort of the full table. When the key space is much larger than the table (continuous
    # durations x many groups) a dense bincount would waste memory, so the distinct keys are
    # counted with np.unique instead (same result, one sort of the keys).
    d_codes, d_values = pd.factorize(d, sort=True)
    n_d, n_g = len(d_values), int(codes.max()) + 1
    key = (codes.astype(np.int64) * n_d + d_codes) * 2 + e
    if 2 * n_d * n_g <= max(4 * len(key), 1 << 20):
        counts = np.bincount(key, minlength=2 * n_d * n_g)
        present = np.flatnonzero(counts)
        counts = counts[present]
    else:
        present, counts = np.unique(key, return_counts=True)
    out = pd.DataFrame({"group": present // (2 * n_d),
                        "duration": np.asarray(d_values)[(present // 2) % n_d],
                        "churned": (present % 2).astype(bool), "customers": counts})
    if labels is not None:
        out["group"] = np.asarray(labels)[out["group"].to_numpy()]
    else:
        out = out.drop(columns="group")
    return out


@dataclass
class SurvivalCurves:
    """Kaplan-Meier curves per group, with the lifelines fitters for going further.

    Attributes
    ----------
    fitters : dict[str, lifelines.KaplanMeierFitter]
        One fitted curve per group (``"all"`` when there is no grouping).
    counts : DataFrame
        The aggregated (group, duration, churned, customers) table the curves were fitted on.
    by : str or None
        The grouping column.
    alpha : float
        1 - confidence level of the intervals.
    """

    fitters: dict[str, KaplanMeierFitter]
    counts: pd.DataFrame
    by: str | None = None
    alpha: float = 0.05
    time_unit: str = "months"
    _groups: list = field(default_factory=list, repr=False)

    @property
    def labels(self) -> list[str]:
        """The group labels, in order."""
        return list(self.fitters)

    def median(self) -> pd.DataFrame:
        """Median lifetime per group with its confidence interval.

        ``inf`` means the curve never fell to 50% within the data: the median is not reached
        (not "infinite lifetime"); ``reached`` says so explicitly.
        """
        rows = []
        for label, kmf in self.fitters.items():
            ci = median_survival_times(kmf.confidence_interval_survival_function_)
            rows.append({"group": label, "median": float(kmf.median_survival_time_),
                         "ci_lower": float(ci.iloc[0, 0]), "ci_upper": float(ci.iloc[0, 1]),
                         "customers": int(kmf.event_table["at_risk"].iloc[0]),
                         "churned": int(kmf.event_table["observed"].sum())})
        out = pd.DataFrame(rows).set_index("group")
        out["reached"] = np.isfinite(out["median"])
        return out

    def survival_at(self, t: float | Iterable[float]) -> pd.DataFrame:
        """Share still active at time(s) ``t`` (months), one row per group."""
        times = np.atleast_1d(np.asarray(t, dtype=float))
        data = {label: kmf.survival_function_at_times(times).to_numpy()
                for label, kmf in self.fitters.items()}
        out = pd.DataFrame(data, index=pd.Index(times, name=f"t ({self.time_unit})")).T
        out.index.name = "group"
        return out

    def compare(self) -> pd.DataFrame:
        """Log-rank tests: all groups at once, then each pair.

        Returns a DataFrame with one row per test: ``groups``, ``test_statistic``, ``df``,
        ``p_value``. A small p-value says the curves differ by more than chance would explain;
        it says nothing about why (or about causes).
        """
        if len(self.fitters) < 2:
            raise ValueError("compare() needs at least two groups: pass by=... when fitting.")
        c = self.counts
        rows = []
        overall = multivariate_logrank_test(c["duration"], c["group"], c["churned"],
                                            weights=c["customers"])
        rows.append({"groups": "all", "test_statistic": overall.test_statistic,
                     "df": int(overall.degrees_of_freedom), "p_value": overall.p_value})
        labels = list(self._groups)
        for i, a in enumerate(labels):
            for b in labels[i + 1:]:
                A, B = c[c["group"] == a], c[c["group"] == b]
                r = logrank_test(A["duration"], B["duration"], A["churned"], B["churned"],
                                 weights_A=A["customers"], weights_B=B["customers"])
                rows.append({"groups": f"{a} vs {b}", "test_statistic": r.test_statistic,
                             "df": 1, "p_value": r.p_value})
        return pd.DataFrame(rows).set_index("groups")

    def table(self) -> pd.DataFrame:
        """The curves as one tidy table: group, timeline, survival, ci_lower, ci_upper, at_risk."""
        parts = []
        for label, kmf in self.fitters.items():
            sf = kmf.survival_function_.iloc[:, 0]
            ci = kmf.confidence_interval_survival_function_
            et = kmf.event_table.reindex(sf.index)
            parts.append(pd.DataFrame({
                "group": label, "timeline": sf.index.to_numpy(), "survival": sf.to_numpy(),
                "ci_lower": ci.iloc[:, 0].to_numpy(), "ci_upper": ci.iloc[:, 1].to_numpy(),
                "at_risk": et["at_risk"].to_numpy()}))
        return pd.concat(parts, ignore_index=True)

    def plot(self, ax: Any = None, *, at_risk: bool = True, ci: bool = True,
             title: str | None = None, xlabel: str = "Months since start",
             ylabel: str = "Share still subscribed") -> Any:
        """Plot the curves with confidence bands and, below, the numbers still at risk."""
        if ax is None:
            _, ax = plotting.subplots()
        for i, (label, kmf) in enumerate(self.fitters.items()):
            kmf.plot_survival_function(ax=ax, ci_show=ci, color=plotting.color_for(i),
                                       label=label)
        ax.set_ylim(0, 1.02)
        plotting.percent_axis(ax)
        default = ("Kaplan-Meier retention curve" if self.by is None
                   else f"Kaplan-Meier retention curves by {self.by}")
        plotting.finish(ax, title=title or default, xlabel=xlabel, ylabel=ylabel,
                        legend=len(self.fitters) > 1 or None)
        if at_risk:
            from lifelines.plotting import add_at_risk_counts
            add_at_risk_counts(*self.fitters.values(), ax=ax, rows_to_show=["At risk"])
        return ax


def survival_curves(lifetimes: Any, *, by: str | None = None,
                    duration_col: str = "duration", event_col: str = "churned",
                    alpha: float = 0.05, label: str = "all") -> SurvivalCurves:
    """Kaplan-Meier curves (overall or per group), fitted on aggregated counts.

    Parameters
    ----------
    lifetimes : DataFrame, DuckDB relation or Spark DataFrame
        One row per customer with a duration and a churned flag (see
        :func:`cs_helpers.to_lifetimes`, which also turns a DuckDB relation or a Spark
        DataFrame of subscriptions into lifetimes). An engine table is counted in its engine;
        only the counts come back, and the curves are the same.
    by : str, optional
        A column to group by: one curve per value.
    duration_col, event_col : str
        Column names.
    alpha : float
        The intervals are ``1 - alpha`` confidence intervals (Greenwood, as lifelines).
    label : str
        The curve's label when ``by`` is None.

    Returns
    -------
    SurvivalCurves
        ``.fitters``, ``.median()``, ``.survival_at(t)``, ``.compare()``, ``.plot()``,
        ``.table()``.

    Examples
    --------
    >>> life = pd.DataFrame({"duration": [1, 2, 2, 3, 4, 5.0],
    ...                      "churned": [True, True, False, True, False, False],
    ...                      "plan": ["a", "a", "a", "b", "b", "b"]})
    >>> curves = survival_curves(life)
    >>> curves.survival_at([1, 3]).round(3)
    t (months)    1.0    3.0
    group
    all         0.833  0.444
    >>> survival_curves(life, by="plan").labels
    ['a', 'b']
    """
    counts = aggregate_lifetimes(lifetimes, by=by, duration_col=duration_col,
                                 event_col=event_col)
    if by is None:
        counts.insert(0, "group", label)
    groups = list(pd.unique(counts["group"]))
    if (by is not None and isinstance(lifetimes, pd.DataFrame)
            and isinstance(lifetimes[by].dtype, pd.CategoricalDtype)):
        order = [g for g in lifetimes[by].cat.categories if g in set(groups)]
        groups = order
    fitters: dict[str, KaplanMeierFitter] = {}
    for g in groups:
        part = counts[counts["group"] == g]
        kmf = KaplanMeierFitter(alpha=alpha)
        kmf.fit(part["duration"], part["churned"], weights=part["customers"], label=str(g))
        fitters[str(g)] = kmf
    return SurvivalCurves(fitters=fitters, counts=counts, by=by, alpha=alpha, _groups=groups)
