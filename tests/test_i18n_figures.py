"""The library's own figures in Japanese (issue 16, item 3).

Every plot function or method of the library chooses its default title, axis labels, legend
entries, phase and status labels when it draws, in the language of ``cs.set_language`` /
``CS_HELPERS_LANG``: in Japanese they are Japanese and draw with the bundled CJK font without a
single missing-glyph warning; in English they are exactly what they were.
"""

from __future__ import annotations

import io
import logging
import re
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import cs_helpers as cs  # noqa: E402
from cs_helpers import ltv, phases, plotting, report  # noqa: E402
from cs_helpers.errors import DataWarning  # noqa: E402

_JA = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")

#: Shifted-beta-geometric test data (Fader & Hardie 2007, "regular" customers, years 0-12).
REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173]


@pytest.fixture(autouse=True)
def _reset():
    yield
    cs.set_language(None)
    plt.close("all")


def _lifetimes() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    n = 400
    plan = rng.choice(["Lite", "Standard"], n)
    churn_month = rng.geometric(np.where(plan == "Lite", 0.08, 0.04)).astype(float)
    follow = rng.uniform(6, 30, n).round()
    return pd.DataFrame({"duration": np.minimum(churn_month, follow),
                         "churned": churn_month <= follow, "plan": plan})


@pytest.fixture(scope="module")
def backtest():
    usage = cs.datasets.load("b2b_usage_monthly")
    accounts = cs.datasets.load("b2b_accounts")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return cs.health.backtest(usage, accounts, as_of="2024-09-01", horizon=6)


def _km(by):
    return cs.survival_curves(_lifetimes(), by=by).plot()


def _km_all():
    return _km(None)


def _km_by_plan():
    return _km("plan")


def _continuation():
    return phases.plot_continuation(phases.continuation(_lifetimes().drop(columns="plan")))


def _continuation_zoomed():
    return phases.plot_continuation(phases.continuation(_lifetimes().drop(columns="plan")),
                                    ylim=(0.8, 1.0))


def _sbg():
    return ltv.ShiftedBetaGeometric.fit(REGULAR[:8]).plot()


def _report_curves():
    _, ax = plotting.subplots()
    return report.plot_curves(cs.survival_curves(_lifetimes(), by="plan"), ax, title="t")


PLOTS = {"SurvivalCurves.plot": _km_all, "SurvivalCurves.plot(by)": _km_by_plan,
         "phases.plot_continuation": _continuation,
         "phases.plot_continuation(ylim)": _continuation_zoomed,
         "ShiftedBetaGeometric.plot": _sbg, "report.plot_curves": _report_curves}

#: English defaults, exactly as before the Japanese edition: (title, xlabel, ylabel).
ENGLISH = {
    "SurvivalCurves.plot": ("Kaplan-Meier retention curve", "Months since start",
                            "Share still subscribed"),
    "SurvivalCurves.plot(by)": ("Kaplan-Meier retention curves by plan", "Months since start",
                                "Share still subscribed"),
    "phases.plot_continuation": ("Monthly continuation by lifecycle phase", "Lifecycle phase",
                                 "Monthly continuation (%)"),
    "phases.plot_continuation(ylim)": ("Monthly continuation by lifecycle phase",
                                       "Lifecycle phase",
                                       "Monthly continuation (%) (axis starts at 80%)"),
    "ShiftedBetaGeometric.plot": ("Shifted-beta-geometric retention projection",
                                  "Periods since start (months)", "Share still active"),
    "report.plot_curves": ("t", "Months since start", "Share still active"),
}


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def _draw(ax) -> list[str]:
    """Render the figure (as a PNG) and return every warning and matplotlib log message."""
    handler = _Records()
    logger = logging.getLogger("matplotlib")
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            ax.figure.savefig(io.BytesIO(), format="png")
    finally:
        logger.removeHandler(handler)
    return [str(w.message) for w in caught] + handler.messages


def _texts(ax) -> list[str]:
    out = [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
    legend = ax.get_legend()
    if legend is not None:
        out += [t.get_text() for t in legend.get_texts()]
    for other in ax.figure.axes:
        out += [t.get_text() for t in other.get_xticklabels()]
        out += [t.get_text() for t in other.texts]
    return [t for t in out if t]


def _with_backtest(name, backtest):
    return backtest.plot() if name == "Backtest.plot" else PLOTS[name]()


NAMES = [*PLOTS, "Backtest.plot"]


@pytest.mark.parametrize("name", NAMES)
def test_japanese_figures_are_labelled_in_japanese_and_draw_every_glyph(name, backtest):
    cs.set_language("ja")
    ax = _with_backtest(name, backtest)
    title, xlabel, ylabel = ax.get_title(), ax.get_xlabel(), ax.get_ylabel()
    if name != "report.plot_curves":                  # its title is the caller's
        assert _JA.search(title), (name, title)
    assert _JA.search(xlabel) and _JA.search(ylabel), (name, xlabel, ylabel)
    messages = _draw(ax)
    missing = [m for m in messages if "missing from" in m.lower() or "findfont" in m.lower()]
    assert not missing, (name, missing)
    english_words = {"At risk", "all phases pooled", "observed", "sBG model", "no accounts",
                     "green", "yellow", "red", "onboarding", "adoption", "maturity"}
    left = [t for t in _texts(ax) for w in english_words if re.search(rf"\b{w}\b", t)]
    assert not left, (name, left)


def test_the_missing_glyph_check_can_fail():
    # Control: the same Japanese figure drawn with a Latin-only font does report missing glyphs,
    # so the check above is live.
    cs.set_language("ja")
    ax = _km_all()
    for text in [ax.title, ax.xaxis.label, ax.yaxis.label]:
        text.set_fontfamily(["DejaVu Sans"])
    assert any("missing from" in m.lower() for m in _draw(ax))


@pytest.mark.parametrize("name", list(PLOTS))
def test_english_figures_are_unchanged(name):
    cs.set_language("en")
    ax = PLOTS[name]()
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ENGLISH[name]
    assert not any(_JA.search(t) for t in _texts(ax)), _texts(ax)


def test_english_backtest_figure_is_unchanged(backtest):
    cs.set_language("en")
    ax = backtest.plot()
    assert ax.get_title() == (f"Churn within 6 months of 2024-09 by health status "
                              f"(AUC {backtest.auc:.2f})")
    assert ax.get_xlabel() == "Health status at the end of 2024-09"
    assert ax.get_ylabel() == "Churned within 6 months (%)"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["red", "yellow", "green"]


def test_phase_and_status_labels_follow_the_language(backtest):
    cs.set_language("ja")
    ax = _continuation()
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks == list(phases.JA_LABELS)
    assert any(t.startswith("全フェーズ通算") for t in _texts(ax))
    assert [t.get_text() for t in backtest.plot().get_xticklabels()] == ["赤", "黄色", "緑"]
    at_risk = [t for t in _texts(_km_all()) if t.startswith("観測中の顧客数")]
    assert at_risk and "全体" in at_risk[0]
    cs.set_language("en")
    assert [t.get_text() for t in _continuation().get_xticklabels()] == list(phases.EN_LABELS)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_group_names_in_the_legend_and_the_at_risk_table_are_labels(language):
    # the B2C plans single/double are labels (シングルプラン); plan names such as Lite are not
    life = _lifetimes()
    life["plan"] = life["plan"].map({"Lite": "single", "Standard": "Lite"})
    cs.set_language(language)
    ax = cs.survival_curves(life, by="plan").plot()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    at_risk = next(t for t in _texts(ax) if t.startswith(("At risk", "観測中の顧客数")))
    if language == "en":
        assert legend == ["Lite", "single"]
        assert at_risk.split("\n")[1].split() == ["Lite", str(life["plan"].eq("Lite").sum())]
    else:
        assert legend == ["Lite", "シングルプラン"]
        assert "シングルプラン" in at_risk and "single" not in at_risk


def test_the_environment_variable_chooses_the_figure_language(monkeypatch):
    cs.set_language(None)
    monkeypatch.setenv("CS_HELPERS_LANG", "ja")
    assert _km_all().get_xlabel() == "開始からの経過月数（か月）"
    monkeypatch.setenv("CS_HELPERS_LANG", "en")
    assert _km_all().get_xlabel() == "Months since start"


def test_explicit_labels_are_kept_in_either_language():
    cs.set_language("ja")
    ax = cs.survival_curves(_lifetimes()).plot(title="T", xlabel="X", ylabel="Y")
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("T", "X", "Y")


def test_japanese_titles_use_one_weight():
    # IPAexGothic has one weight: a bold Japanese title would mix bold Latin with regular kana
    cs.set_language("ja")
    assert _km_all().title.get_fontweight() in ("normal", 400)
    cs.set_language("en")
    assert _km_all().title.get_fontweight() in ("bold", 700)


def test_choosing_japanese_after_import_makes_titles_regular_weight():
    # the Japanese notebooks call cs.set_language("ja") after `import cs_helpers`: the title
    # weight (IPAexGothic has no bold) must follow then too, and come back with English
    import matplotlib as mpl

    import cs_helpers as cs

    try:
        cs.set_language("en")
        assert mpl.rcParams["axes.titleweight"] == "bold"
        cs.set_language("ja")
        assert mpl.rcParams["axes.titleweight"] == "normal"
    finally:
        cs.set_language(None)
    assert mpl.rcParams["axes.titleweight"] == "bold"
