"""One plotting style for the whole course: readable in a notebook and on a projector,
colour-blind-safe (Okabe-Ito palette), with a Japanese-capable font.

Japanese labels (segment names such as 導入期 or 解約率) render with IPAexGothic, shipped by
the ``matplotlib-fontja`` package, so the figures do not depend on the fonts a machine happens
to have.

>>> from cs_helpers import plotting
>>> fig, ax = plotting.subplots()
>>> _ = ax.plot([0, 1], [1, 0.5], label="導入期")
>>> _ = plotting.finish(ax, title="Retention", xlabel="Months since start", ylabel="Share still active")
>>> ax.get_title()
'Retention'

The library's own figures choose their default words (titles, axis labels, legend entries) when
they are drawn, in the language of :func:`cs_helpers.set_language` (or ``CS_HELPERS_LANG``),
English as the fallback; :func:`figure_text` gives them:

>>> import cs_helpers as cs
>>> cs.set_language("ja")
>>> figure_text("months_since_start")
'開始からの経過月数（か月）'
>>> cs.set_language(None)
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import matplotlib_fontja  # noqa: F401  (registers IPAexGothic with matplotlib)
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from .i18n import get_language, on_language_change

__all__ = ["PALETTE", "STATUS_COLORS", "JP_FONT", "use_style", "subplots", "finish",
           "percent_axis", "yen_axis", "color_for", "label_bars",
           "date_axis", "add_at_risk_counts", "FIGURE_TEXTS", "figure_text", "STATUS_LABELS",
           "status_label"]

#: Okabe & Ito (2008) colour-blind-safe palette, black last.
PALETTE: list[str] = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9",
                      "#F0E442", "#000000"]

#: Health status colours: distinguishable for red-green colour blindness (blue-ish green,
#: yellow-orange, vermillion) and always paired with a text label in the course figures.
STATUS_COLORS: dict[str, str] = {"green": "#009E73", "yellow": "#E69F00", "red": "#D55E00"}

#: The default words of the library's figures, by key: ``(English, Japanese)``; ``{name}``
#: fields are filled by :func:`figure_text`. Terms as in ``docs/glossary.md``.
FIGURE_TEXTS: dict[str, tuple[str, str]] = {
    "months_since_start": ("Months since start", "開始からの経過月数（か月）"),
    "share_still_subscribed": ("Share still subscribed", "契約を続けている割合"),
    "share_still_active": ("Share still active", "継続している割合"),
    "km_title": ("Kaplan-Meier retention curve", "カプラン・マイヤー曲線（継続率）"),
    "km_title_by": ("Kaplan-Meier retention curves by {by}", "{by}別のカプラン・マイヤー曲線（継続率）"),
    "at_risk": ("At risk", "観測中の顧客数"),
    "all": ("all", "全体"),
    "continuation_title": ("Monthly continuation by lifecycle phase",
                           "ライフサイクルのフェーズ別の月次継続率"),
    "lifecycle_phase": ("Lifecycle phase", "ライフサイクルのフェーズ"),
    "monthly_continuation_pct": ("Monthly continuation (%)", "月次継続率（%）"),
    "all_phases_pooled": ("all phases pooled ({value})", "全フェーズ通算（{value}）"),
    "axis_starts_at": ("{label} (axis starts at {start})", "{label}（軸は{start}から）"),
    "backtest_title": ("Churn within {horizon} months of {month} by health status (AUC {auc})",
                       "ヘルスステータス別の解約率（{month}から{horizon}か月以内、AUC {auc}）"),
    "backtest_x": ("Health status at the end of {month}", "{month}末時点のヘルスステータス"),
    "backtest_y": ("Churned within {horizon} months (%)", "{horizon}か月以内に解約した割合（%）"),
    "no_accounts": ("no accounts", "該当なし"),
    "rate_of_n": ("{rate} of {n}", "{n}件中 {rate}"),
    "sbg_title": ("Shifted-beta-geometric retention projection",
                  "シフテッド・ベータ幾何モデル（sBG）による継続率の予測"),
    "sbg_x": ("Periods since start ({unit})", "開始からの期間（{unit}）"),
    "sbg_model": ("sBG model", "sBGモデル"),
    "sbg_interval": ("{level} interval (parameter uncertainty)",
                     "{level}区間（パラメータの不確かさ）"),
    "observed": ("observed", "実績"),
    "months": ("months", "か月"),
}

#: Health statuses as the figures label them: (English, Japanese), as in the glossary.
STATUS_LABELS: dict[str, tuple[str, str]] = {"green": ("green", "緑"), "yellow": ("yellow", "黄色"),
                                             "red": ("red", "赤")}


def figure_text(key: str, **values: object) -> str:
    """The default figure words ``key`` of :data:`FIGURE_TEXTS` in the language in effect
    (asked now, not at import), with ``values`` filled in.

    Examples
    --------
    >>> figure_text("km_title_by", by="plan")
    'Kaplan-Meier retention curves by plan'
    """
    en, ja = FIGURE_TEXTS[key]
    text = ja if get_language() == "ja" else en
    return text.format(**values) if values else text


def status_label(status: str) -> str:
    """A health status (``green``, ``yellow``, ``red``) as figures label it in the language in
    effect; any other value unchanged.

    >>> status_label("red")
    'red'
    """
    pair = STATUS_LABELS.get(str(status))
    if pair is None:
        return str(status)
    return pair[1] if get_language() == "ja" else pair[0]


#: The Japanese-capable font family registered by matplotlib-fontja.
JP_FONT = "IPAexGothic"

_STYLE = {
    "figure.figsize": (8.0, 4.8),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "font.size": 12,
    "axes.titlesize": 14,
    "axes.titleweight": "bold",
    "axes.labelsize": 12,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "lines.linewidth": 2.2,
    "axes.prop_cycle": mpl.cycler(color=PALETTE),
    "font.family": ["DejaVu Sans", JP_FONT],
    "axes.unicode_minus": False,
}


def use_style() -> None:
    """Apply the course style to matplotlib (called when :mod:`cs_helpers.plotting` is imported).

    DejaVu Sans draws Latin text; IPAexGothic is the fallback for Japanese characters. IPAexGothic
    has a single weight, so in Japanese (:func:`cs_helpers.set_language`) titles are drawn in the
    regular weight: a bold title would mix bold Latin letters and digits with regular kana.

    Examples
    --------
    >>> use_style()
    >>> mpl.rcParams["axes.titleweight"]
    'bold'
    """
    mpl.rcParams.update(_STYLE)
    if get_language() == "ja":
        mpl.rcParams["axes.titleweight"] = "normal"


def color_for(i: int) -> str:
    """Return the ``i``-th palette colour (wrapping around).

    >>> color_for(0)
    '#0072B2'
    """
    return PALETTE[i % len(PALETTE)]


def subplots(nrows: int = 1, ncols: int = 1, **kwargs) -> tuple[Figure, Axes]:
    """``plt.subplots`` with the course style and a size that grows with the grid.

    >>> fig, axes = subplots(1, 2)
    >>> len(axes)
    2
    """
    use_style()
    w, h = _STYLE["figure.figsize"]
    kwargs.setdefault("figsize", (min(w * ncols * 0.75 + w * 0.25, 16), h * (0.8 * nrows + 0.2)))
    kwargs.setdefault("layout", "constrained")
    return plt.subplots(nrows, ncols, **kwargs)


def finish(ax: Axes, *, title: str, xlabel: str, ylabel: str,
           legend: bool | None = None, legend_title: str | None = None) -> Axes:
    """Give ``ax`` its title and axis labels (with units) and a legend when there are labels.

    Every course figure goes through this, so none ships without a title or labelled axes.

    Examples
    --------
    >>> fig, ax = subplots()
    >>> finish(ax, title="T", xlabel="Months", ylabel="Customers").get_xlabel()
    'Months'
    """
    if not (title and xlabel and ylabel):
        raise ValueError("Every course figure needs a title and both axis labels (with units).")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    handles, labels = ax.get_legend_handles_labels()
    visible = [lbl for lbl in labels if not lbl.startswith("_")]
    if legend or (legend is None and visible):
        ax.legend(title=legend_title)
    return ax


def percent_axis(ax: Axes, axis: str = "y", decimals: int = 0, xmax: float = 1.0) -> Axes:
    """Show fractions on ``axis`` as percentages (0.95 -> 95%).

    >>> fig, ax = subplots()
    >>> _ = percent_axis(ax)
    """
    fmt = PercentFormatter(xmax=xmax, decimals=decimals)
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)
    return ax


def yen_axis(ax: Axes, axis: str = "y") -> Axes:
    """Format ``axis`` as yen with thousands separators (¥12,000).

    >>> fig, ax = subplots()
    >>> _ = yen_axis(ax)
    """
    fmt = FuncFormatter(lambda v, _pos: f"¥{v:,.0f}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)
    return ax


def date_axis(ax: Axes, axis: str = "x", every_years: int = 1) -> Axes:
    """Label a date axis with one tick per year (``2024``), so ticks never overlap.

    >>> fig, ax = subplots()
    >>> _ = date_axis(ax)
    """
    import matplotlib.dates as mdates

    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(mdates.YearLocator(every_years))
    target.set_major_formatter(mdates.DateFormatter("%Y"))
    return ax


def label_bars(ax: Axes, values: Sequence[float], fmt: str = "{:.0%}") -> Axes:
    """Write each value above its bar (bars in the order they were drawn)."""
    for patch, v in zip(ax.patches, values, strict=False):
        ax.annotate(fmt.format(v), (patch.get_x() + patch.get_width() / 2, patch.get_height()),
                    ha="center", va="bottom", fontsize=10, xytext=(0, 2),
                    textcoords="offset points")
    return ax


def add_at_risk_counts(*fitters, ax: Axes | None = None,
                       labels: Sequence[str] | None = None) -> Axes:
    """Under a Kaplan-Meier plot, the number of customers still observed at each tick, per curve
    (lifelines' ``add_at_risk_counts`` with its "At risk" row only), in the language in effect.

    lifelines writes its row title ("At risk") in English and names each row by its fitter's
    label; here the title is :func:`figure_text` ``("at_risk")`` and the row names are the
    fitters' labels through :func:`cs_helpers.label` (``detractor`` -> 批判者 in Japanese), so a
    notebook's code is the same in both editions.

    Parameters
    ----------
    *fitters : lifelines fitters
        The fitted curves, in the order they were drawn (e.g. ``curves.fitters.values()``).
    ax : matplotlib Axes, optional
        The axes the curves are drawn on (default: the current axes).
    labels : sequence of str, optional
        Row names, one per fitter (default: each fitter's label, as :func:`cs_helpers.label`
        shows it).

    Examples
    --------
    >>> from lifelines import KaplanMeierFitter
    >>> import cs_helpers as cs
    >>> kmf = KaplanMeierFitter(label="detractor").fit([1, 2, 3, 5], [1, 0, 1, 1])
    >>> cs.set_language("ja")
    >>> fig, ax = subplots()
    >>> _ = kmf.plot_survival_function(ax=ax)
    >>> _ = add_at_risk_counts(kmf, ax=ax)
    >>> print(fig.axes[-1].get_xticklabels()[0].get_text().splitlines()[:2])
    ['観測中の顧客数', '       批判者   4']
    >>> cs.set_language(None)
    """
    from lifelines.plotting import add_at_risk_counts as lifelines_at_risk

    from .labels import label

    ax = plt.gca() if ax is None else ax
    names = ([label(str(f._label)) for f in fitters] if labels is None
             else [str(name) for name in labels])
    before = set(ax.figure.axes)
    lifelines_at_risk(*fitters, ax=ax, labels=names, rows_to_show=["At risk"], fig=ax.figure)
    title = figure_text("at_risk")
    if title != "At risk":
        for extra in ax.figure.axes:
            ticks = [t.get_text() for t in extra.get_xticklabels()]
            if extra in before or not ticks or not ticks[0].startswith("At risk"):
                continue
            extra.set_xticks(extra.get_xticks(), [title + ticks[0][len("At risk"):], *ticks[1:]],
                             ha="right")
    return ax


# IPAexGothic has one weight; matplotlib logs (not warns) when bold titles fall back to it.
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
use_style()


@on_language_change
def _title_weight_for(language: str) -> None:
    # cs.set_language() after import: only the title weight depends on the language (the rest
    # of a user's matplotlib settings is left alone)
    mpl.rcParams["axes.titleweight"] = "normal" if language == "ja" else _STYLE.get(
        "axes.titleweight", "normal")
