"""KPI 3, Net Promoter Score (NPS, ネット・プロモーター・スコア), with an honest margin of error.

Answers to "How likely are you to recommend us?" on 0-10: promoters 9-10, passives 7-8,
detractors 0-6. ``NPS = 100 (p - d)`` with ``p`` and ``d`` the shares of promoters and
detractors. Each answer counts +1, 0 or -1, so NPS is 100 times a mean, with per-answer
variance ``(p + d) - (p - d)^2``.

**Point estimate.** Always the plain NPS of the answers, ``100 (p - d)``.

**Interval (default ``method="adjusted"``).** The adjusted-Wald interval of Rocks (2016): add
3/4 to the number of promoters and 3/4 to the number of detractors and 3 to ``n`` (so 3/2 to
the passives), then take the normal interval around the adjusted score,
``c ± z sqrt((p~ + d~ - (p~ - d~)^2) / (n + 3))`` with ``p~ = (P + 3/4) / (n + 3)``,
``d~ = (D + 3/4) / (n + 3)``, ``c = 100 (p~ - d~)``, clipped to [-100, 100]. It keeps close to
its nominal coverage where the plain normal ("Wald") interval fails: with 90% promoters, 8%
passives and 2% detractors the Wald 95% interval covers the true NPS in 65% of samples of 10
answers and 84% of samples of 40, the adjusted one in 93% and 96% (exact multinomial
enumeration; ``tests/test_nps.py`` checks it by simulation), and five promoters out of five get
a real interval instead of [100, 100]. Its limits: with 10 answers and 95% promoters it covers
about 91%, and when most answers are passives it is conservative (over 99% at n = 10 with 80%
passives). The adjustment is the one Rocks studied at 95%; it is
kept as is at other levels. ``method="wald"`` gives the plain interval ``NPS ± z SE`` (the
textbook formula, kept for comparison and teaching).

**Repeat answers (``cluster=``).** When the same account answers several surveys, its answers
are not independent opinions, and the usual SE is too small. Pass the account id as
``cluster``: the variance of the mean of the per-answer values (+1/0/-1) is then the
cluster-robust sandwich variance with the CR1 small-sample factor ``G / (G - 1)`` (``G``
clusters; Liang & Zeger 1986; Cameron & Miller 2015, section IIC: for an intercept-only model
``(N - 1) / (N - K)`` is 1), the same as Stata's ``vce(cluster)`` and statsmodels'
``cov_type="cluster"`` for a mean::

    V_CR1 = G / (G - 1) x sum over clusters g of (sum of e_i in g)^2 / n^2,  e_i = x_i - mean(x)

The **design effect** is ``V_CR1`` divided by the variance if every answer were independent
(``s^2 / n``, sample variance ``s^2``): 1 when no account answers twice, 2 when repeat answers
make the data worth half as many independent ones. The adjusted interval is then widened by
``sqrt(max(design effect, 1))`` (a design effect below 1 from a finite number of accounts is
treated as noise, never as a reason to narrow the interval); with ``method="wald"`` the SE is
``sqrt(V_CR1)`` itself. With fewer than 2 clusters no cluster-robust SE exists: the SE and the
interval are NaN.

**Small samples.** Fewer than ``min_n`` (default :data:`SMALL_SAMPLE`) answers, or with
``cluster``, fewer than ``min_n`` clusters: :func:`by` flags the row ``small_sample`` and
:func:`summary` and :func:`compare` issue a :class:`~cs_helpers.errors.DataWarning` (the
interval is still valid; it is just too wide to rank or track anything).

References
----------
Rocks, B. (2016). Interval estimation for the "Net Promoter Score". *The American
Statistician*, 70(4), 365-372.
Liang, K.-Y. & Zeger, S. L. (1986). Longitudinal data analysis using generalized linear
models. *Biometrika*, 73(1), 13-22.
Cameron, A. C. & Miller, D. L. (2015). A practitioner's guide to cluster-robust inference.
*Journal of Human Resources*, 50(2), 317-372.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from . import dates, errors
from .errors import DataError, DataWarning
from .plotting import STATUS_COLORS

__all__ = ["CATEGORIES", "CATEGORY_COLORS", "SMALL_SAMPLE", "METHODS", "categorize", "score",
           "summary", "compare", "by", "from_counts"]

#: The three categories, in order.
CATEGORIES = ["detractor", "passive", "promoter"]

#: One colour per category, for every figure of the course (red, yellow, green status colours).
CATEGORY_COLORS: dict[str, str] = {"detractor": STATUS_COLORS["red"],
                                   "passive": STATUS_COLORS["yellow"],
                                   "promoter": STATUS_COLORS["green"]}

#: Fewer answers (or, with ``cluster``, fewer clusters) than this are a small sample: the 95%
#: margin is then about +/- 10 to 20 points or more.
SMALL_SAMPLE = 100

#: Interval methods: Rocks' (2016) adjusted Wald (default) and the plain normal approximation.
METHODS = ("adjusted", "wald")

#: Rocks' (2016) adjustment: added to the promoters and to the detractors, and to ``n``.
ADD_EACH = 0.75
ADD_N = 3.0


# --------------------------------------------------------------------------------------------
# input checks

def _confidence(confidence: Any) -> float:
    if isinstance(confidence, (bool, np.bool_)) or not isinstance(
            confidence, (int, float, np.integer, np.floating)):
        raise DataError(f"confidence: must be one number between 0 and 1, e.g. 0.95; "
                        f"got {confidence!r}.")
    errors.check_fraction(confidence, "confidence", allow_zero=False, allow_one=False)
    return float(confidence)


def _method(method: Any) -> str:
    if method not in METHODS:
        raise DataError(f"method: must be one of {', '.join(map(repr, METHODS))}; "
                        f"got {method!r}.")
    return str(method)


def _frame(scores: Any, cluster: Any = None, name: str = "score") -> tuple[pd.DataFrame, str,
                                                                           str | None]:
    """Scores (and clusters) as one checked table; returns it with the two column names."""
    if isinstance(scores, pd.DataFrame):
        raise DataError("Pass one column of scores (e.g. df['score']), not a whole table.")
    series = scores if isinstance(scores, pd.Series) else pd.Series(scores, name=name)
    col = str(series.name) if series.name is not None else name
    frame = series.rename(col).to_frame()
    cl_col = None
    if cluster is not None:
        if isinstance(cluster, pd.DataFrame):
            raise DataError("cluster: pass one column of cluster ids (e.g. df['account_id']), "
                            "not a whole table.")
        if np.ndim(cluster) != 1:
            raise DataError("cluster: pass one cluster id (e.g. the account id) per answer, "
                            f"not {type(cluster).__name__} {cluster!r}.")
        cl = cluster if isinstance(cluster, pd.Series) else pd.Series(cluster)
        if len(cl) != len(frame):
            raise DataError(f"cluster: one id per answer is needed, but there are "
                            f"{len(frame):,} answers and {len(cl):,} cluster ids.")
        if isinstance(cluster, pd.Series) and isinstance(scores, pd.Series) \
                and not cl.index.equals(series.index):
            raise DataError("cluster: the scores and the cluster ids have different row labels; "
                            "take both from the same table (e.g. df['score'], df['account_id']).")
        cl_col = str(cl.name) if cl.name is not None and str(cl.name) != col else "cluster"
        frame[cl_col] = cl.to_numpy()
    errors.check_not_empty(frame, "NPS answers")
    if cl_col is not None:
        errors.check_no_missing(frame, cl_col, rule="cluster ids (e.g. account ids) must not be "
                                "missing: every answer needs the account it came from")
    errors.check_whole_in_range(frame, col, 0, 10, id_col=cl_col)
    return frame, col, cl_col


def _values(scores: np.ndarray) -> np.ndarray:
    """+1 for a promoter, 0 for a passive, -1 for a detractor."""
    s = np.asarray(scores)
    return np.select([s >= 9, s <= 6], [1.0, -1.0], 0.0)


# --------------------------------------------------------------------------------------------
# the estimate

def _interval(promoters: Any, passives: Any, detractors: Any, z: float, method: str,
              design_effect: Any = 1.0) -> dict[str, np.ndarray]:
    """Vectorised over arrays of counts: shares, NPS, se, margin and interval (points)."""
    P, A, D = (np.asarray(v, dtype=float) for v in (promoters, passives, detractors))
    n = P + A + D
    with np.errstate(invalid="ignore", divide="ignore"):
        p, d = P / n, D / n
        if method == "adjusted":
            nt = n + ADD_N
            pt, dt = (P + ADD_EACH) / nt, (D + ADD_EACH) / nt
            centre, var = pt - dt, (pt + dt - (pt - dt) ** 2) / nt
        else:
            centre, var = p - d, (p + d - (p - d) ** 2) / n
        se = 100 * np.sqrt(np.clip(var, 0, None) * design_effect)
    centre = 100 * centre
    margin = z * se
    return {"n": n, "promoters": p, "passives": A / n, "detractors": d, "nps": 100 * (p - d),
            "se": se, "margin": margin, "ci_low": np.clip(centre - margin, -100, 100),
            "ci_high": np.clip(centre + margin, -100, 100), "centre": centre}


def _cluster_variances(x: np.ndarray, codes: np.ndarray) -> tuple[float, float, int]:
    """CR1 variance of mean(x), the independent-answers variance s^2/n, and the clusters."""
    n = len(x)
    groups = int(codes.max()) + 1
    e = x - x.mean()
    if groups < 2:
        return np.nan, np.nan, groups
    totals = np.bincount(codes, weights=e, minlength=groups)
    v_cr1 = groups / (groups - 1) * float(np.sum(totals ** 2)) / n ** 2
    v_ind = float(np.sum(e ** 2)) / (n * (n - 1))
    return v_cr1, v_ind, groups


def _estimate(scores: np.ndarray, codes: np.ndarray | None, z: float,
              method: str) -> dict[str, Any]:
    x = _values(scores)
    counts = [int(np.sum(x == 1)), int(np.sum(x == 0)), int(np.sum(x == -1))]
    if codes is None:
        out = {k: float(v) for k, v in _interval(*counts, z, method).items()}
        out["n"] = len(x)
        return out
    v_cr1, v_ind, groups = _cluster_variances(x, codes)
    deff = v_cr1 / v_ind if groups >= 2 and v_ind > 0 else np.nan
    if groups < 2:
        out = {k: float(v) for k, v in _interval(*counts, z, method, np.nan).items()}
    elif method == "wald":
        out = {k: float(v) for k, v in _interval(*counts, z, method).items()}
        se = 100 * np.sqrt(v_cr1)
        out.update(se=se, margin=z * se, ci_low=max(-100.0, out["centre"] - z * se),
                   ci_high=min(100.0, out["centre"] + z * se))
    else:
        widen = max(deff, 1.0) if np.isfinite(deff) else 1.0
        out = {k: float(v) for k, v in _interval(*counts, z, method, widen).items()}
    out.update(n=len(x), clusters=groups, design_effect=float(deff))
    return out


_PUBLIC = ["n", "promoters", "passives", "detractors", "nps", "se", "margin", "ci_low",
           "ci_high"]


def _warn_small(what: str, est: dict[str, Any], min_n: int, stacklevel: int) -> None:
    units = est.get("clusters", est["n"])
    kind = "clusters (accounts)" if "clusters" in est else "answers"
    if units < min_n:
        margin = (f"the margin of error is ±{est['margin']:.0f} points" if np.isfinite(est["margin"])
                  else "no margin of error can be estimated")
        warnings.warn(
            f"{what}: only {units:,} {kind}, fewer than min_n={min_n}: a small sample "
            f"({margin}); do not rank teams or track changes on it.",
            DataWarning, stacklevel=stacklevel)


def _codes(frame: pd.DataFrame, cl_col: str | None) -> np.ndarray | None:
    if cl_col is None:
        return None
    return pd.factorize(frame[cl_col], sort=False)[0]


# --------------------------------------------------------------------------------------------
# public functions

def categorize(scores: Any) -> pd.Categorical:
    """Detractor (0-6), passive (7-8) or promoter (9-10) for each score.

    Examples
    --------
    >>> list(categorize([0, 6, 7, 8, 9, 10]))
    ['detractor', 'detractor', 'passive', 'passive', 'promoter', 'promoter']
    """
    frame, col, _ = _frame(scores)
    s = frame[col].to_numpy()
    codes = np.select([s <= 6, s <= 8], [0, 1], 2)
    return pd.Categorical.from_codes(codes, categories=CATEGORIES, ordered=True)


def score(scores: Any) -> float:
    """NPS in [-100, 100]: 100 x (share of promoters - share of detractors).

    Examples
    --------
    >>> score([10, 9, 8, 3])
    25.0
    """
    frame, col, _ = _frame(scores)
    return float(100 * np.mean(_values(frame[col].to_numpy())))


def from_counts(promoters: Any, passives: Any, detractors: Any, confidence: float = 0.95, *,
                method: str = "adjusted") -> pd.DataFrame:
    """NPS and its interval from counts of promoters, passives and detractors (vectorised).

    For published or exported results that give only the three counts. Answers are assumed
    independent (no ``cluster``); the interval is the one :func:`summary` gives.

    Parameters
    ----------
    promoters, passives, detractors : int or array-like of int
        How many answers fell in each category (arrays of equal shape for many surveys).
    confidence : float
        Level of the interval (0.95 for 95%).
    method : {"adjusted", "wald"}
        Rocks' (2016) adjusted Wald (default) or the plain normal approximation.

    Returns
    -------
    DataFrame
        One row per survey: ``n``, the three shares, ``nps``, ``se``, ``margin`` (half-width),
        ``ci_low``, ``ci_high``.

    Examples
    --------
    >>> from_counts(5, 0, 0)[["nps", "ci_low", "ci_high"]].round(1)   # five promoters of five
         nps  ci_low  ci_high
    0  100.0    17.5    100.0
    >>> from_counts(5, 0, 0, method="wald")[["nps", "ci_low", "ci_high"]]
         nps  ci_low  ci_high
    0  100.0   100.0    100.0
    """
    z = float(stats.norm.ppf(0.5 + _confidence(confidence) / 2))
    counts = np.broadcast_arrays(*(np.atleast_1d(np.asarray(c)) for c in
                                   (promoters, passives, detractors)))
    flat = [np.ravel(c) for c in counts]
    for name, c in zip(("promoters", "passives", "detractors"), flat, strict=True):
        if not np.issubdtype(c.dtype, np.number) or np.any(c < 0) or np.any(c != np.round(c)):
            raise DataError(f"{name}: counts must be whole numbers of at least 0.")
    n = flat[0] + flat[1] + flat[2]
    if np.any(n == 0):
        raise DataError("Every survey needs at least one answer (a count above 0).")
    out = _interval(*flat, z, _method(method))
    frame = pd.DataFrame({k: out[k] for k in _PUBLIC})
    frame["n"] = n.astype(int)
    return frame


def summary(scores: Any, confidence: float = 0.95, *, cluster: Any = None,
            method: str = "adjusted", min_n: int = SMALL_SAMPLE) -> pd.Series:
    """NPS with shares, standard error and a confidence interval.

    Parameters
    ----------
    scores : array-like or Series
        The 0-10 answers, one per answer.
    confidence : float
        Level of the interval (0.95 for 95%).
    cluster : array-like or Series, optional
        Who gave each answer (e.g. ``answers["account_id"]``), when some answer more than
        once. The SE is then cluster-robust (CR1 sandwich, ``G/(G-1)`` factor; see the module
        docstring) and the result also says how many clusters there were and the design
        effect. Must have one id per answer, none missing.
    method : {"adjusted", "wald"}
        ``"adjusted"`` (default): Rocks' (2016) adjusted-Wald interval (+3/4 promoters, +3/4
        detractors, +3 answers), widened by the design effect when clustered. ``"wald"``: the
        plain normal approximation ``NPS ± z SE`` (with ``cluster``, the CR1 SE); it
        undercovers in small or lopsided samples and is kept for comparison.
    min_n : int
        Below this many answers (with ``cluster``: clusters) a :class:`DataWarning` says the
        sample is small.

    Returns
    -------
    Series
        ``n``, ``promoters``, ``passives``, ``detractors`` (shares), ``nps`` (the plain score),
        ``se`` (the standard error the interval uses, in points), ``margin`` (half-width of the
        interval), ``ci_low``, ``ci_high``; with ``cluster`` also ``clusters`` and
        ``design_effect`` (clustered variance / variance if all answers were independent;
        NaN when it cannot be measured: fewer than 2 clusters or all answers in one category).
        The adjusted interval is centred on the adjusted score, so for small samples it is not
        symmetric around ``nps``.

    Raises
    ------
    DataError
        Scores not whole numbers in 0..10, an empty input, a bad ``confidence``, a ``cluster``
        of the wrong length or with missing ids.

    Warns
    -----
    DataWarning
        Fewer than ``min_n`` answers (or clusters).

    Examples
    --------
    >>> s = summary([10, 10, 9, 8, 7, 6, 3, 10, 9, 5], min_n=10)  # 5 promoters, 3 detractors
    >>> s[["n", "nps", "se", "ci_low", "ci_high"]].round(2).to_dict()
    {'n': 10.0, 'nps': 20.0, 'se': 23.32, 'ci_low': -30.33, 'ci_high': 61.1}

    Three accounts answering twice each, each agreeing with itself (design effect above 1):

    >>> s = summary([10, 9, 3, 0, 8, 10], cluster=["a", "a", "b", "b", "c", "c"], min_n=3)
    >>> s[["n", "nps", "clusters", "design_effect"]].round(3).to_dict()
    {'n': 6.0, 'nps': 16.667, 'clusters': 3.0, 'design_effect': 2.241}
    """
    z = float(stats.norm.ppf(0.5 + _confidence(confidence) / 2))
    method = _method(method)
    frame, col, cl_col = _frame(scores, cluster)
    est = _estimate(frame[col].to_numpy(), _codes(frame, cl_col), z, method)
    _warn_small("NPS summary", est, min_n, stacklevel=3)
    keys = _PUBLIC + (["clusters", "design_effect"] if cl_col is not None else [])
    return pd.Series({k: est[k] for k in keys}, name="nps", dtype=float)


def _pair(cluster: Any) -> tuple[Any, Any]:
    if cluster is None:
        return None, None
    if not isinstance(cluster, (tuple, list)) or len(cluster) != 2 \
            or any(np.ndim(c) != 1 for c in cluster):
        raise DataError("cluster: pass a pair (clusters_of_a, clusters_of_b), one id per answer "
                        "in each group, e.g. cluster=(a_df['account_id'], b_df['account_id']).")
    return cluster[0], cluster[1]


def compare(a: Any, b: Any, confidence: float = 0.95, *, cluster: Any = None,
            method: str = "adjusted", min_n: int = SMALL_SAMPLE) -> pd.Series:
    """Difference in NPS between two groups (a - b) with its interval and p-value.

    Each group's estimate and SE come from :func:`summary` (same ``method`` and, with
    ``cluster``, cluster-robust). The groups are treated as independent:
    ``SE = sqrt(se_a^2 + se_b^2)``; the interval is ``(c_a - c_b) ± z SE`` with ``c`` each
    group's interval centre (the adjusted score; the plain NPS for ``"wald"``), and the p-value
    comes from the same ``z = (c_a - c_b) / SE`` (two-sided). So the interval excludes 0
    exactly when ``p < 1 - confidence``, and no sample, however lopsided, gives SE 0 or
    p = 0 (the adjusted SE is never 0; with ``"wald"`` an SE of 0 gives NaN). ``difference``
    is the plain ``nps_a - nps_b``.

    Parameters
    ----------
    a, b : array-like or Series
        The 0-10 answers of each group.
    confidence : float
        Level of the interval.
    cluster : pair of array-like, optional
        ``(clusters_of_a, clusters_of_b)``: who gave each answer, when some answer more than
        once (e.g. the account ids). If the groups share clusters (the same accounts answering
        in both, e.g. two survey waves) a :class:`DataWarning` says so: the test still treats
        the groups as independent, which overstates the SE when an account's answers agree.
    method : {"adjusted", "wald"}
        As in :func:`summary`.
    min_n : int
        A :class:`DataWarning` for a group with fewer answers (or clusters).

    Returns
    -------
    Series
        ``n_a``, ``n_b``, ``nps_a``, ``nps_b``, ``difference``, ``se``, ``ci_low``,
        ``ci_high``, ``z``, ``p_value``; with ``cluster`` also ``clusters_a``, ``clusters_b``,
        ``design_effect_a`` and ``design_effect_b``.

    Examples
    --------
    >>> r = compare([10] * 30 + [5] * 10, [10] * 20 + [5] * 20, min_n=40)
    >>> r[["nps_a", "nps_b", "difference"]].to_dict()
    {'nps_a': 50.0, 'nps_b': 0.0, 'difference': 50.0}
    >>> r = compare([10] * 5, [0] * 5, min_n=5)      # tiny, one-sided samples: p is not 0
    >>> round(float(r["p_value"]), 5), round(float(r["ci_low"]), 1)
    (0.00012, 61.3)
    """
    z = float(stats.norm.ppf(0.5 + _confidence(confidence) / 2))
    method = _method(method)
    cl_a, cl_b = _pair(cluster)
    fa, col_a, cl_col_a = _frame(a, cl_a)
    fb, col_b, cl_col_b = _frame(b, cl_b)
    ea = _estimate(fa[col_a].to_numpy(), _codes(fa, cl_col_a), z, method)
    eb = _estimate(fb[col_b].to_numpy(), _codes(fb, cl_col_b), z, method)
    _warn_small("NPS compare, group a", ea, min_n, stacklevel=3)
    _warn_small("NPS compare, group b", eb, min_n, stacklevel=3)
    if cl_col_a is not None:
        shared = pd.Index(fa[cl_col_a].unique()).intersection(pd.Index(fb[cl_col_b].unique()))
        if len(shared):
            warnings.warn(
                f"NPS compare: {len(shared):,} clusters answer in both groups (e.g. "
                f"{', '.join(map(str, shared[:errors.MAX_IDS]))}); the groups are treated as "
                "independent, which overstates the SE of the difference when an account's "
                "answers agree.", DataWarning, stacklevel=2)
    centre = ea["centre"] - eb["centre"]
    se = float(np.hypot(ea["se"], eb["se"]))
    if se > 0:
        zstat = centre / se
        p = float(2 * stats.norm.sf(abs(zstat)))
        lo, hi = max(-200.0, centre - z * se), min(200.0, centre + z * se)
    else:                       # only "wald" on one-category samples, or < 2 clusters
        zstat = p = lo = hi = se = np.nan
    out = {"n_a": ea["n"], "n_b": eb["n"], "nps_a": ea["nps"], "nps_b": eb["nps"],
           "difference": ea["nps"] - eb["nps"], "se": se, "ci_low": lo, "ci_high": hi,
           "z": zstat, "p_value": p}
    if cl_col_a is not None:
        out.update(clusters_a=ea["clusters"], clusters_b=eb["clusters"],
                   design_effect_a=ea["design_effect"], design_effect_b=eb["design_effect"])
    return pd.Series(out, name="a - b", dtype=float)


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
       freq: str | None = None, min_n: int = SMALL_SAMPLE, *, cluster: str | None = None,
       method: str = "adjusted") -> pd.DataFrame:
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
        Groups with fewer answers (with ``cluster``: fewer clusters) are flagged
        ``small_sample`` (default 100: the 95% margin is then about +/- 10 to 20 points).
    cluster : str, optional
        Column saying who gave each answer (e.g. ``"account_id"``) when some answer more than
        once: each group's SE is then cluster-robust (see :func:`summary`) and the table gains
        ``clusters`` and ``design_effect``. Missing ids are an error.
    method : {"adjusted", "wald"}
        As in :func:`summary`.

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
    z = float(stats.norm.ppf(0.5 + _confidence(confidence) / 2))
    method = _method(method)
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
    if cluster is not None and not isinstance(cluster, str):
        raise DataError("cluster: in by(), pass the name of the column of cluster ids, "
                        "e.g. cluster='account_id'.")
    errors.check_columns(df, names + [score_col, cluster], "NPS answers")
    errors.check_not_empty(df, "NPS answers")
    if cluster is not None:
        errors.check_no_missing(df, cluster, rule="cluster ids (e.g. account ids) must not be "
                                "missing: every answer needs the account it came from")
    s = errors.check_whole_in_range(df, score_col, 0, 10, id_col=cluster)
    codes = (pd.Series(pd.factorize(df[cluster])[0], index=df.index) if cluster is not None
             else None)
    keys = [dates.parse_dates(df, c).dt.to_period(periods[c]).rename(c) if c in periods
            else df[c] for c in names]
    labels, records = [], []
    for key, part in s.groupby(keys, observed=True, sort=True, dropna=False):
        labels.append(key if len(names) > 1 else (key[0] if isinstance(key, tuple) else key))
        part_codes = None
        if codes is not None:
            part_codes = pd.factorize(codes.loc[part.index])[0]
        records.append(_estimate(part.to_numpy(), part_codes, z, method))
    index = (pd.MultiIndex.from_tuples(labels, names=names) if len(names) > 1
             else pd.Index(labels, name=names[0]))
    cols = _PUBLIC + (["clusters", "design_effect"] if cluster is not None else [])
    out = pd.DataFrame(records, index=index)[cols]
    out["n"] = out["n"].astype(int)
    units = out["n"]
    if cluster is not None:
        out["clusters"] = out["clusters"].astype(int)
        units = out["clusters"]
    out["small_sample"] = units < min_n
    return out
