"""Kaplan-Meier survival curves per group, fitted on aggregated counts with lifelines.

*Aggregate first*: millions of customers share few distinct (duration, churned) pairs, so the
lifetimes are counted per (group, duration, churned) and lifelines fits on the counts with
``weights=``. The curves, confidence intervals and log-rank tests equal those fitted on the raw
rows (the tests check it), at the cost of one group-by.

**Late entry** (left truncation): a customer who came under observation only at month ``e`` of
its life (a snapshot table of customers present when the observation window opened, or an
export that starts at a date) was not at risk *in the data* before ``e``: had it churned
earlier, it would not be in the table. ``entry_col`` names the column holding ``e`` (months);
the customer then joins the risk set at ``e`` (lifelines ``KaplanMeierFitter(entry=...)``).
Ignoring it makes long-lived customers look like the whole population and overstates survival.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from lifelines import KaplanMeierFitter
from lifelines.exceptions import StatError
from lifelines.statistics import logrank_test, multivariate_logrank_test
from lifelines.utils import median_survival_times

from . import engines, errors, plotting
from .errors import DataError
from .labels import label as display_label

__all__ = ["SurvivalCurves", "survival_curves", "aggregate_lifetimes"]


def aggregate_lifetimes(lifetimes: Any, *, by: str | None = None,
                        duration_col: str = "duration", event_col: str = "churned",
                        entry_col: str | None = None) -> pd.DataFrame:
    """Count customers per (group, entry, duration, churned): the only pass over every row.

    A DuckDB relation or a Spark DataFrame is counted in its own engine, and only the counts
    come back (see :mod:`cs_helpers.engines`). The ``entry`` column appears only when
    ``entry_col`` is given (late entry, see the module docstring).

    Examples
    --------
    >>> life = pd.DataFrame({"duration": [1.0, 1.0, 2.0], "churned": [True, True, False]})
    >>> aggregate_lifetimes(life)
       duration  churned  customers
    0       1.0     True          2
    1       2.0    False          1
    >>> aggregate_lifetimes(life.assign(start=[0.0, 0.5, 0.0]), entry_col="start")
       entry  duration  churned  customers
    0    0.0       1.0     True          1
    1    0.0       2.0    False          1
    2    0.5       1.0     True          1
    """
    if engines.is_sql_table(lifetimes):
        return engines.lifetime_counts(lifetimes, by, duration_col, event_col,
                                       entry_col=entry_col)
    errors.check_columns(lifetimes, [duration_col, event_col, by, entry_col], "lifetimes")
    errors.check_not_empty(lifetimes, "lifetimes")
    id_col = _id_column(lifetimes)
    dur = lifetimes[duration_col]
    if not pd.api.types.is_float_dtype(dur) or dur.isna().any() or (dur < 0).any():
        dur = errors.check_non_negative(lifetimes, duration_col, id_col)
    d = dur.to_numpy(dtype=float)
    errors.fail_where(lifetimes, duration_col, "durations must be finite (no infinite "
                      "lifetimes)", np.isinf(d), id_col)
    ev = lifetimes[event_col]
    if ev.dtype != bool:
        ev = errors.parse_flags(lifetimes, event_col, id_col=id_col)
    e = ev.to_numpy(dtype=bool)
    if entry_col is not None:
        ent = errors.check_non_negative(lifetimes, entry_col, id_col).to_numpy(dtype=float)
        errors.fail_where(lifetimes, entry_col, "entry must not be after the end of the "
                          f"follow-up ({duration_col})", ent > d, id_col)
        e_codes, e_values = pd.factorize(ent, sort=True)
    else:
        e_codes, e_values = np.zeros(len(d), dtype=np.int64), np.zeros(1)
    if by is not None:
        group = lifetimes[by]
        if isinstance(group.dtype, pd.CategoricalDtype):
            codes = group.cat.codes.to_numpy()
            labels = group.cat.categories
        else:
            codes, labels = pd.factorize(group, sort=True)
        errors.fail_where(lifetimes, by, "group labels must not be missing", codes < 0, id_col)
    else:
        codes, labels = np.zeros(len(d), dtype=np.int64), None
    # Count with one integer key per (group, entry, duration, churned), ordered like the tuple,
    # so the counts come out sorted: factorize the durations once (sorted codes), then a
    # bincount; no sort of the full table. When the key space is much larger than the table
    # (continuous durations x many groups) a dense bincount would waste memory, so the distinct
    # keys are counted with np.unique instead (same result, one sort of the keys).
    d_codes, d_values = pd.factorize(d, sort=True)
    n_d, n_e, n_g = len(d_values), len(e_values), int(codes.max()) + 1
    key = ((codes.astype(np.int64) * n_e + e_codes) * n_d + d_codes) * 2 + e
    size = 2 * n_d * n_e * n_g
    if size <= max(4 * len(key), 1 << 20):
        counts = np.bincount(key, minlength=size)
        present = np.flatnonzero(counts)
        counts = counts[present]
    else:
        present, counts = np.unique(key, return_counts=True)
    out = pd.DataFrame({"group": present // (2 * n_d * n_e),
                        "entry": np.asarray(e_values, dtype=float)[(present // (2 * n_d)) % n_e],
                        "duration": np.asarray(d_values)[(present // 2) % n_d],
                        "churned": (present % 2).astype(bool), "customers": counts})
    if labels is not None:
        out["group"] = np.asarray(labels)[out["group"].to_numpy()]
    else:
        out = out.drop(columns="group")
    if entry_col is None:
        out = out.drop(columns="entry")
    return out


def _warn_empty(rows: pd.DataFrame, group: Any) -> None:
    """Say that customers with an empty observation (entry = end) are left out of the fit."""
    n = int(rows["customers"].sum())
    churned = int(rows.loc[rows["churned"], "customers"].sum())
    where = f" in group {group!r}" if group is not None else ""
    lost = (f"; {churned:,} of them churned at that moment and are not counted as churn"
            if churned else "")
    warnings.warn(
        f"{n:,} customers{where} have an empty observation (entry equal to the end of their "
        f"follow-up, e.g. a start on the observation date or a tenure of 0): they carry no "
        f"information about any later month and are left out of the curve{lost}. They stay in "
        "`counts`.", errors.DataWarning, stacklevel=4)


def _id_column(table: pd.DataFrame) -> str | None:
    """The id column recorded by :func:`cs_helpers.to_lifetimes`, for messages (if present)."""
    col = table.attrs.get("id_col") if hasattr(table, "attrs") else None
    return col if isinstance(col, str) and col in table.columns else None


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
    entry_col : str or None
        The late-entry column the curves were fitted with (None: everyone followed from 0).
    """

    fitters: dict[str, KaplanMeierFitter]
    counts: pd.DataFrame
    by: str | None = None
    alpha: float = 0.05
    time_unit: str = "months"
    entry_col: str | None = None
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
                         "customers": int(self.counts.loc[self.counts["group"].astype(str) == label,
                                                          "customers"].sum()),
                         "churned": int(kmf.event_table["observed"].sum())})
        out = pd.DataFrame(rows).set_index("group")
        out["reached"] = np.isfinite(out["median"])
        return out

    def survival_at(self, t: float | Iterable[float]) -> pd.DataFrame:
        """Share still active at time(s) ``t`` (months), one row per group.

        Past a group's last follow-up time the curve is unknown (the data say nothing about
        it): those cells are NaN, with a :class:`cs_helpers.DataWarning` naming the groups and
        their last follow-up. (If the curve has already reached 0 it stays 0.) To read a curve
        beyond the data, extrapolate explicitly, e.g. :func:`cs_helpers.ltv.from_survival`.

        Examples
        --------
        >>> life = pd.DataFrame({"duration": [1.0, 2.0, 3.0], "churned": [True, False, False]})
        >>> import warnings
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     table = survival_curves(life).survival_at([1, 3, 6])
        >>> table.round(3)
        t (months)    1.0    3.0  6.0
        group
        all         0.667  0.667  NaN
        >>> print(caught[0].message)
        survival_at: t = 6 months is past the last follow-up of 'all' (3 months): the curve is unknown there, shown as NaN.
        """
        times = np.atleast_1d(np.asarray(t, dtype=float))
        data, beyond = {}, []
        for label, kmf in self.fitters.items():
            values = kmf.survival_function_at_times(times).to_numpy().astype(float)
            last = float(kmf.survival_function_.index.max())
            past = (times > last) & (values > 0)
            if past.any():
                values[past] = np.nan
                beyond.append((label, last, times[past]))
            data[label] = values
        out = pd.DataFrame(data, index=pd.Index(times, name=f"t ({self.time_unit})")).T
        out.index.name = "group"
        if beyond:
            first_t = min(float(b[2].min()) for b in beyond)
            groups = ", ".join(f"'{label}' ({last:g} {self.time_unit})"
                               for label, last, _ in beyond[:5])
            warnings.warn(f"survival_at: t = {first_t:g} {self.time_unit} is past the last "
                          f"follow-up of {groups}: the curve is unknown there, shown as NaN.",
                          errors.DataWarning, stacklevel=2)
        return out

    def compare(self) -> pd.DataFrame:
        """Log-rank tests: all groups at once, then each pair.

        Returns a DataFrame with one row per test: ``groups``, ``test_statistic``, ``df``,
        ``p_value``; ``attrs["test"]`` names the test. A small p-value says the curves differ
        by more than chance would explain; it says nothing about why (or about causes).

        With late entry (``entry_col``) the log-rank test of lifelines does not apply (it
        assumes everyone is at risk from 0), so the groups are compared with a Cox model
        fitted with the entry times (lifelines ``CoxPHFitter(entry_col=...)``) and its
        likelihood-ratio test, which tests the same hypothesis (equal hazards) and is
        asymptotically equivalent to the log-rank test. It is fitted on the counts with
        frequency weights: identical to the raw rows when durations do not tie; with many
        tied durations (whole months) lifelines' tie handling (Efron) makes the statistic
        differ slightly (about 1% in the tests) from a fit on repeated rows.
        """
        if len(self.fitters) < 2:
            raise DataError("compare() needs at least two groups: pass by=... when fitting.")
        if self.entry_col is not None:
            return self._compare_with_entry()
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
        out = pd.DataFrame(rows).set_index("groups")
        out.attrs["test"] = "log-rank"
        return out

    def _compare_with_entry(self) -> pd.DataFrame:
        from lifelines import CoxPHFitter

        def lr_test(part: pd.DataFrame) -> tuple[float, int, float]:
            part = part[part["entry"] < part["duration"]]       # as in the curves' fit
            groups = list(pd.unique(part["group"]))
            x = pd.DataFrame({f"g{i}": (part["group"] == g).to_numpy(dtype=float)
                              for i, g in enumerate(groups[1:])})
            x["entry"] = part["entry"].to_numpy()
            x["duration"] = part["duration"].to_numpy()
            x["churned"] = part["churned"].to_numpy()
            x["customers"] = part["customers"].to_numpy()
            cph = CoxPHFitter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                cph.fit(x, duration_col="duration", event_col="churned",
                        weights_col="customers", entry_col="entry")
                r = cph.log_likelihood_ratio_test()
            return float(r.test_statistic), int(r.degrees_freedom), float(r.p_value)

        c = self.counts
        rows = []
        stat, df, p = lr_test(c)
        rows.append({"groups": "all", "test_statistic": stat, "df": df, "p_value": p})
        labels = list(self._groups)
        for i, a in enumerate(labels):
            for b in labels[i + 1:]:
                stat, df, p = lr_test(c[c["group"].isin([a, b])])
                rows.append({"groups": f"{a} vs {b}", "test_statistic": stat, "df": df,
                             "p_value": p})
        out = pd.DataFrame(rows).set_index("groups")
        out.attrs["test"] = "Cox likelihood-ratio with late entry"
        return out

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
             title: str | None = None, xlabel: str | None = None,
             ylabel: str | None = None) -> Any:
        """Plot the curves with confidence bands and, below, the numbers still at risk.

        The default title and axis labels ("Months since start", "Share still subscribed") are
        in the language of :func:`cs_helpers.set_language` when the figure is drawn.
        """
        if ax is None:
            _, ax = plotting.subplots()
        default_label = self.by is None and list(self.fitters) == ["all"]
        shown = plotting.figure_text("all") if default_label else None
        for i, (label, kmf) in enumerate(self.fitters.items()):
            # a group's name as a label in the language in effect (single -> シングルプラン)
            kmf.plot_survival_function(ax=ax, ci_show=ci, color=plotting.color_for(i),
                                       label=shown or display_label(str(label)))
        ax.set_ylim(0, 1.02)
        plotting.percent_axis(ax)
        default = (plotting.figure_text("km_title") if self.by is None
                   else plotting.figure_text("km_title_by", by=self.by))
        plotting.finish(ax, title=title or default,
                        xlabel=xlabel or plotting.figure_text("months_since_start"),
                        ylabel=ylabel or plotting.figure_text("share_still_subscribed"),
                        legend=len(self.fitters) > 1 or None)
        if at_risk:
            plotting.add_at_risk_counts(*self.fitters.values(), ax=ax,
                                        labels=[shown] if shown else None)
        return ax


def survival_curves(lifetimes: Any, by: str | None = None, *, entry_col: str | None = None,
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
    entry_col : str, optional
        Late entry: the column holding, for each customer, the month of its life at which it
        came under observation (0 for customers followed from their start). The customer
        counts in the risk set only from then on. Use it for snapshot tables (see
        :func:`cs_helpers.lifetimes_from_tenure` with ``window=``) and for exports that begin
        at a date (:func:`cs_helpers.to_lifetimes` with ``observed_from=``). ``compare()``
        then uses a Cox likelihood-ratio test that accounts for the entry times.
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

    With late entry, customers observed only from month 2 do not count before it:

    >>> late = life.assign(entry=[0, 0, 0, 2, 2, 2.0])
    >>> survival_curves(late, entry_col="entry").survival_at([1, 3]).round(3)
    t (months)    1.0    3.0
    group
    all         0.667  0.222
    """
    errors.check_fraction(alpha, "alpha", allow_zero=False, allow_one=False)
    counts = aggregate_lifetimes(lifetimes, by=by, duration_col=duration_col,
                                 event_col=event_col, entry_col=entry_col)
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
        entry = None
        if entry_col is not None:
            # an empty observation (entry = end, e.g. a start on the observation date) says
            # nothing about any later time; lifelines refuses it, so it is not passed on
            empty = part["entry"] >= part["duration"]
            if empty.any():
                _warn_empty(part[empty], g if by is not None else None)
            part = part[~empty]
            entry = part["entry"]
        try:
            kmf.fit(part["duration"], part["churned"], entry=entry, weights=part["customers"],
                    label=str(g))
        except StatError as exc:      # late entry with too few customers seen early on
            where = f" (group {g!r})" if by is not None else ""
            raise errors.DataError(
                f"Column '{entry_col}': the curve{where} cannot be estimated with late entry: "
                f"at some month every customer then under observation churned, so it would "
                f"drop to 0 and stay there ({exc}). Too few customers were observed at those "
                "tenures: use a longer observation window, more customers, or read the curve "
                "only up to where enough customers are at risk.") from exc
        fitters[str(g)] = kmf
    return SurvivalCurves(fitters=fitters, counts=counts, by=by, alpha=alpha,
                          entry_col=entry_col, _groups=groups)
