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

__all__ = ["PALETTE", "STATUS_COLORS", "JP_FONT", "use_style", "subplots", "finish",
           "percent_axis", "yen_axis", "color_for", "label_bars",
           "date_axis"]

#: Okabe & Ito (2008) colour-blind-safe palette, black last.
PALETTE: list[str] = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9",
                      "#F0E442", "#000000"]

#: Health status colours: distinguishable for red-green colour blindness (blue-ish green,
#: yellow-orange, vermillion) and always paired with a text label in the course figures.
STATUS_COLORS: dict[str, str] = {"green": "#009E73", "yellow": "#E69F00", "red": "#D55E00"}

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

    DejaVu Sans draws Latin text; IPAexGothic is the fallback for Japanese characters.

    Examples
    --------
    >>> use_style()
    >>> mpl.rcParams["axes.titleweight"]
    'bold'
    """
    mpl.rcParams.update(_STYLE)


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


# IPAexGothic has one weight; matplotlib logs (not warns) when bold titles fall back to it.
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
use_style()
