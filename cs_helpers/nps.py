"""KPI 3, Net Promoter Score (NPS, ネット・プロモーター・スコア), with its margin of error.

Answers to "How likely are you to recommend us?" on 0-10: promoters 9-10, passives 7-8,
detractors 0-6. ``NPS = 100 (p - d)`` with ``p`` and ``d`` the shares of promoters and
detractors. Each answer counts +1, 0 or -1, so the per-respondent variance is
``(p + d) - (p - d)^2`` and the standard error ``100 sqrt(var / n)``; intervals use the normal
approximation (clipped to [-100, 100]).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from . import errors
from .errors import DataError

__all__ = ["CATEGORIES", "categorize", "score", "summary", "compare", "by"]

#: The three categories, in order.
CATEGORIES = ["detractor", "passive", "promoter"]

#: Groups smaller than this are flagged ``small_sample`` by :func:`by`.
SMALL_SAMPLE = 100


def _scores(scores: Any, name: str = "score") -> np.ndarray:
    if isinstance(scores, pd.DataFrame):
        raise DataError("Pass one column of scores (e.g. df['score']), not a whole table.")
    series = pd.Series(scores, name=name) if not isinstance(scores, pd.Series) else scores
    col = series.name if series.name is not None else name
    frame = series.to_frame(col)
    errors.check_not_empty(frame, "NPS answers")
    return errors.check_whole_in_range(frame, col, 0, 10).to_numpy()


def categorize(scores: Any) -> pd.Categorical:
    """Detractor (0-6), passive (7-8) or promoter (9-10) for each score.

    Examples
    --------
    >>> list(categorize([0, 6, 7, 8, 9, 10]))
    ['detractor', 'detractor', 'passive', 'passive', 'promoter', 'promoter']
    """
    s = _scores(scores)
    codes = np.select([s <= 6, s <= 8], [0, 1], 2)
    return pd.Categorical.from_codes(codes, categories=CATEGORIES, ordered=True)


def score(scores: Any) -> float:
    """NPS in [-100, 100]: 100 x (share of promoters - share of detractors).

    Examples
    --------
    >>> score([10, 9, 8, 3])
    25.0
    """
    s = _scores(scores)
    return float(100 * (np.mean(s >= 9) - np.mean(s <= 6)))


def _summary_arrays(s: np.ndarray, confidence: float) -> dict[str, float]:
    n = len(s)
    p, d = float(np.mean(s >= 9)), float(np.mean(s <= 6))
    nps = 100 * (p - d)
    var = (p + d) - (p - d) ** 2
    se = 100 * np.sqrt(var / n)
    z = stats.norm.ppf(0.5 + confidence / 2)
    return {"n": n, "promoters": p, "passives": 1 - p - d, "detractors": d, "nps": nps,
            "se": float(se), "margin": float(z * se),
            "ci_low": float(max(-100.0, nps - z * se)), "ci_high": float(min(100.0, nps + z * se))}


def summary(scores: Any, confidence: float = 0.95) -> pd.Series:
    """NPS with shares, standard error and a confidence interval.

    Returns
    -------
    Series
        ``n``, ``promoters``, ``passives``, ``detractors`` (shares), ``nps``, ``se``, ``margin``
        (half-width of the interval), ``ci_low``, ``ci_high``.

    Examples
    --------
    >>> s = summary([10, 10, 9, 8, 7, 6, 3, 10, 9, 5])  # p = 0.5, d = 0.3: var = 0.8 - 0.2**2
    >>> s[["n", "nps", "se"]].round(3).to_dict()
    {'n': 10.0, 'nps': 20.0, 'se': 27.568}
    """
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1, e.g. 0.95.")
    return pd.Series(_summary_arrays(_scores(scores), confidence), name="nps")


def compare(a: Any, b: Any, confidence: float = 0.95) -> pd.Series:
    """Difference in NPS between two independent groups (a - b) with its interval and p-value.

    ``SE = sqrt(se_a^2 + se_b^2)``; the p-value is from a two-sided z-test of no difference.

    Examples
    --------
    >>> r = compare([10] * 30 + [5] * 10, [10] * 20 + [5] * 20)
    >>> r[["nps_a", "nps_b", "difference"]].to_dict()
    {'nps_a': 50.0, 'nps_b': 0.0, 'difference': 50.0}
    """
    sa, sb = summary(a, confidence), summary(b, confidence)
    diff = sa["nps"] - sb["nps"]
    se = float(np.hypot(sa["se"], sb["se"]))
    z = stats.norm.ppf(0.5 + confidence / 2)
    zstat = diff / se if se > 0 else np.inf * np.sign(diff) if diff else 0.0
    p = float(2 * stats.norm.sf(abs(zstat))) if np.isfinite(zstat) else 0.0
    return pd.Series({"n_a": sa["n"], "n_b": sb["n"], "nps_a": sa["nps"], "nps_b": sb["nps"],
                      "difference": diff, "se": se, "ci_low": diff - z * se,
                      "ci_high": diff + z * se, "z": zstat, "p_value": p}, name="a - b")


def _period_freq(freq: Any) -> str:
    """A period alias for ``freq`` ('Q', 'QE', 'M', 'ME', an offset...): 'QE' -> 'Q'."""
    text = getattr(freq, "freqstr", freq)
    if not isinstance(text, str):
        raise ValueError(f"freq must be a pandas frequency such as 'M' or 'Q', got {freq!r}.")
    probe = pd.Series(pd.to_datetime(["2024-01-01"]))
    for candidate in (text, text.replace("E-", "-") if "E-" in text else text.rstrip("ES")):
        try:
            probe.dt.to_period(candidate)
        except (ValueError, TypeError):
            continue
        return candidate
    raise ValueError(f"freq must be a pandas frequency such as 'M' or 'Q', got {freq!r}.")


def by(df: pd.DataFrame, group: Any, score_col: str = "score", confidence: float = 0.95,
       freq: str | None = None, min_n: int = SMALL_SAMPLE) -> pd.DataFrame:
    """NPS summary per segment (or per period), one row per group in sorted order.

    Parameters
    ----------
    df : DataFrame
        One row per answer.
    group : str, pd.Grouper, or list of them
        Column(s) to group by. A date column is grouped by period either with ``freq`` (when
        ``group`` is that one column) or with ``pd.Grouper(key="survey_date", freq="Q")``
        (which also works inside a list, e.g. ``["plan", pd.Grouper(...)]``).
    score_col : str
        The 0-10 answers.
    confidence : float
        Level of the intervals.
    freq : str, optional
        Period for a single date column: ``"M"``, ``"Q"``, ``"Y"`` (``"QE"`` etc. accepted).
    min_n : int
        Groups with fewer answers are flagged ``small_sample`` (default 100: the 95% margin
        is then about +/- 10 to 20 points).

    Returns
    -------
    DataFrame
        The columns of :func:`summary` plus ``small_sample``. Answers whose segment is missing
        form their own row (labelled NaN), so ``n`` always adds up to the number of answers.

    Examples
    --------
    >>> answers = pd.DataFrame({"plan": ["A"] * 4 + ["B"] * 2, "score": [10, 9, 3, 8, 6, 10]})
    >>> by(answers, "plan")[["n", "nps", "small_sample"]]
          n   nps  small_sample
    plan
    A     4  25.0          True
    B     2   0.0          True
    """
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1, e.g. 0.95.")
    specs = list(group) if isinstance(group, (list, tuple)) else [group]
    if freq is not None and len(specs) != 1:
        raise ValueError("freq applies to one date column; with several columns use "
                         "pd.Grouper(key='date_column', freq='Q') in the list.")
    names: list[str] = []
    periods: dict[str, str] = {}
    for spec in specs:
        if isinstance(spec, pd.Grouper):
            if spec.key is None or spec.freq is None:
                raise ValueError("Use pd.Grouper(key='date_column', freq='Q').")
            names.append(spec.key)
            periods[spec.key] = _period_freq(spec.freq)
        elif isinstance(spec, str):
            names.append(spec)
            if freq is not None:
                periods[spec] = _period_freq(freq)
        else:
            raise ValueError(f"group must be column names or pd.Grouper, got {spec!r}.")
    errors.check_columns(df, names + [score_col], "NPS answers")
    errors.check_not_empty(df, "NPS answers")
    s = errors.check_whole_in_range(df, score_col, 0, 10)
    keys = [errors.parse_dates(df, c).dt.to_period(periods[c]).rename(c) if c in periods
            else df[c] for c in names]
    labels, records = [], []
    for key, part in s.groupby(keys, observed=True, sort=True, dropna=False):
        labels.append(key if len(names) > 1 else (key[0] if isinstance(key, tuple) else key))
        records.append(_summary_arrays(part.to_numpy(), confidence))
    index = (pd.MultiIndex.from_tuples(labels, names=names) if len(names) > 1
             else pd.Index(labels, name=names[0]))
    out = pd.DataFrame(records, index=index)
    out["n"] = out["n"].astype(int)
    out["small_sample"] = out["n"] < min_n
    return out
