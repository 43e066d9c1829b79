"""Tests for cs_helpers.plotting: Japanese text, the Okabe-Ito palette and `finish`."""

from __future__ import annotations

import io
import re
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.font_manager import FontProperties, findfont, get_font  # noqa: E402

from cs_helpers import plotting  # noqa: E402

JAPANESE = "継続率導入期定着期成熟期解約率"

#: Okabe & Ito (2008), "Color Universal Design": the eight colours, by name.
OKABE_ITO = {"black": "#000000", "orange": "#E69F00", "sky blue": "#56B4E9",
             "bluish green": "#009E73", "yellow": "#F0E442", "blue": "#0072B2",
             "vermillion": "#D55E00", "reddish purple": "#CC79A7"}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _japanese_figure():
    fig, ax = plotting.subplots()
    ax.plot([0, 1, 2], [1.0, 0.95, 0.9], label="導入期")
    ax.plot([0, 1, 2], [1.0, 0.98, 0.97], label="成熟期")
    plotting.finish(ax, title="継続率", xlabel="経過月数 (月)", ylabel="継続率 (%)")
    return fig, ax


def _draw_warnings(fig) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    return [str(w.message) for w in caught]


def test_japanese_title_and_legend_draw_without_missing_glyphs():
    fig, ax = _japanese_figure()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["導入期", "成熟期"]
    messages = _draw_warnings(fig)
    assert not [m for m in messages if "missing from font" in m], messages


def test_the_missing_glyph_check_can_fail():
    # Control: without the IPAexGothic fallback the same figure does warn, so the check above
    # is live and it is the course style that makes Japanese text work.
    # (plotting.subplots would re-apply the style, hence plain pyplot here.)
    with mpl.rc_context({"font.family": ["DejaVu Sans"]}):
        fig, ax = plt.subplots()
        ax.plot([0, 1], [1, 0.95], label="導入期")
        plotting.finish(ax, title="継続率", xlabel="経過月数 (月)", ylabel="継続率 (%)")
        messages = _draw_warnings(fig)
    assert [m for m in messages if "missing from font" in m]


def test_japanese_characters_are_drawn_with_ipaexgothic():
    # The style lists DejaVu Sans first and IPAexGothic as the fallback; matplotlib draws each
    # character with the first font in the list that has it.
    families = mpl.rcParams["font.family"]
    assert families.index(plotting.JP_FONT) > families.index("DejaVu Sans")
    dejavu = get_font(findfont(FontProperties(family="DejaVu Sans"), fallback_to_default=False))
    ipa_path = findfont(FontProperties(family=plotting.JP_FONT), fallback_to_default=False)
    ipa = get_font(ipa_path)
    assert ipa.family_name == "IPAexGothic"
    for ch in JAPANESE:
        assert dejavu.get_char_index(ord(ch)) == 0, ch      # not in DejaVu Sans ...
        assert ipa.get_char_index(ord(ch)) != 0, ch         # ... but in IPAexGothic
    # End to end: the PDF of a Japanese figure embeds IPAexGothic (and only Latin-only figures
    # do without it).
    fig, _ = _japanese_figure()
    buf = io.BytesIO()
    fig.savefig(buf, format="pdf")
    fonts = {f.split(b"+")[-1] for f in re.findall(rb"/BaseFont /([A-Za-z0-9+-]+)",
                                                  buf.getvalue())}
    assert b"IPAexGothic" in fonts
    fig2, ax2 = plotting.subplots()
    plotting.finish(ax2, title="Retention", xlabel="Months", ylabel="Share (%)")
    buf2 = io.BytesIO()
    fig2.savefig(buf2, format="pdf")
    assert b"IPAexGothic" not in buf2.getvalue()


@pytest.mark.parametrize("texts", [
    {"title": "", "xlabel": "Months", "ylabel": "Share (%)"},
    {"title": "Retention", "xlabel": "", "ylabel": "Share (%)"},
    {"title": "Retention", "xlabel": "Months", "ylabel": ""},
    {"title": None, "xlabel": None, "ylabel": None},
])
def test_finish_refuses_a_figure_without_title_or_labels(texts):
    _, ax = plotting.subplots()
    with pytest.raises(ValueError, match="title and both axis labels"):
        plotting.finish(ax, **texts)


def test_finish_sets_texts_and_legend_only_when_there_are_labels():
    _, ax = plotting.subplots()
    ax.plot([0, 1], [0, 1])
    plotting.finish(ax, title="T", xlabel="Months", ylabel="Customers")
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("T", "Months", "Customers")
    assert ax.get_legend() is None
    ax.plot([0, 1], [1, 0], label="B2B")
    plotting.finish(ax, title="T", xlabel="Months", ylabel="Customers", legend_title="Plan")
    assert ax.get_legend().get_title().get_text() == "Plan"


def test_palette_is_the_eight_okabe_ito_colours():
    assert len(plotting.PALETTE) == 8
    assert {c.upper() for c in plotting.PALETTE} == set(OKABE_ITO.values())
    cycle = [c.upper() for c in mpl.rcParams["axes.prop_cycle"].by_key()["color"]]
    assert cycle == [c.upper() for c in plotting.PALETTE]
    assert plotting.color_for(0) == plotting.PALETTE[0]
    assert plotting.color_for(8) == plotting.PALETTE[0]
    assert set(plotting.STATUS_COLORS) == {"red", "yellow", "green"}
    assert set(plotting.STATUS_COLORS.values()) <= set(OKABE_ITO.values())


def test_percent_and_yen_axes_format_ticks():
    _, ax = plotting.subplots()
    plotting.percent_axis(ax)
    assert ax.yaxis.get_major_formatter()(0.95, 0) == "95%"
    plotting.yen_axis(ax, axis="x")
    assert ax.xaxis.get_major_formatter()(12000, 0) == "¥12,000"


def test_label_bars_writes_each_value_above_its_bar():
    _, ax = plotting.subplots()
    ax.bar(["a", "b"], [0.25, 0.5])
    plotting.label_bars(ax, [0.25, 0.5])
    assert [t.get_text() for t in ax.texts] == ["25%", "50%"]
