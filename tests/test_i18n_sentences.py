"""The library's sentences that are not DataErrors, in Japanese (issue 16).

The library writes English and shows it through :func:`cs_helpers.sentences.say`,
:class:`cs_helpers.sentences.Sentence` or :func:`cs_helpers.sentences.warn`; the Japanese is in
``cs_helpers.messages_ja.SENTENCES``. Checked here, without relying on anyone remembering:

* coverage: every text the source gives to ``say``/``Sentence``/``warn`` (and every note that
  ``read_notes`` passes on: the ``notes`` written by ``cs_helpers/reading.py`` and
  ``cs_helpers/engines/files.py``) is rendered with a sample for each value and must have a
  Japanese form with no English sentence left;
* staleness: every entry of SENTENCES must still match a text the source shows;
* behaviour: the functions give Japanese under ``cs.set_language("ja")`` and exactly the old
  English otherwise.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cs_helpers as cs
from cs_helpers import report
from cs_helpers.assumptions import COURSE, Assumptions
from cs_helpers.i18n import MessageTemplate, find_template, translate_message
from cs_helpers.messages_ja import SENTENCES
from cs_helpers.sentences import Sentence

HERE = Path(__file__).resolve().parent


def _messages_test():
    """The source scanner of tests/test_i18n_messages.py (one definition of how a text is
    rendered from the source, with «v» for each value)."""
    spec = importlib.util.spec_from_file_location("messages_scan_for_sentences",
                                                  HERE / "test_i18n_messages.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


SCAN = _messages_test()
SAMPLE = SCAN.SAMPLE


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    cs.set_language(None)


# --------------------------------------------------------------------------------------------
# the texts the source shows
# --------------------------------------------------------------------------------------------

#: Files whose ``notes`` lists end up in :func:`cs_helpers.engines.read_notes`.
NOTE_FILES = ("cs_helpers/reading.py", "cs_helpers/engines/files.py")

#: Calls whose argument is a text passed in from elsewhere (its own sites are scanned):
#: (path, function) -> why nothing is lost.
PASSED_THROUGH = {
    ("cs_helpers/assumptions.py", "__post_init__"): "Business.name/.arpa: COURSE's are added",
    ("cs_helpers/report.py", "<module>"): "PARAMETERS' meanings: added from the dict",
    ("cs_helpers/engines/files.py", "read_notes"): "stored notes; NOTE_FILES are scanned",
    ("cs_helpers/report.py", "from_name"): "say(where) only when where is 'the connection'",
    ("cs_helpers/errors.py", "record_filtered"): "Sentence(reason): every reason given to it "
                                                 "is scanned by tests/test_i18n_messages.py",
}


def _sites() -> dict[tuple[str, int, str], list[str]]:
    """(path, line, function) -> the texts rendered at each place a sentence is shown."""
    found: dict[tuple[str, int], tuple[str, list[str]]] = {}
    for path, tree in SCAN.SOURCE.trees.items():
        rel = str(path.relative_to(SCAN.PKG.parent))
        if rel == "cs_helpers/sentences.py":     # the mechanism itself: say(english) only
            continue
        for fname, fn in SCAN._enclosing(tree):          # innermost function wins
            env = SCAN._assignments(fn)
            for n in ast.walk(fn):
                if rel in NOTE_FILES and isinstance(n, ast.Assign) and \
                        SCAN._name(n.targets[0]) == "notes" and isinstance(n.value, ast.BinOp) \
                        and isinstance(n.value.right, ast.List):      # notes = [...] + [note]
                    found[rel, n.lineno] = (fname, sorted({
                        t for e in n.value.right.elts for t in SCAN.render(e, env)}))
                if not isinstance(n, ast.Call) or not n.args:
                    continue
                name = SCAN._name(n.func)
                note = (rel in NOTE_FILES and name == "append" and
                        SCAN._name(n.func.value) == "notes")
                if name in ("say", "Sentence") or note or (
                        name == "warn" and isinstance(n.func, ast.Attribute)
                        and SCAN._name(n.func.value) == "sentences"):
                    found[rel, n.lineno] = (fname, sorted(set(SCAN.render(n.args[0], env))))
    out = {(rel, line, fname): texts for (rel, line), (fname, texts) in found.items()}
    # the notes format_of returns (the second item of its returned pair)
    for path, tree in SCAN.SOURCE.trees.items():
        rel = str(path.relative_to(SCAN.PKG.parent))
        for fn in ast.walk(tree):
            if isinstance(fn, ast.FunctionDef) and fn.name == "format_of":
                env = SCAN._assignments(fn)
                for r in ast.walk(fn):
                    if isinstance(r, ast.Return) and isinstance(r.value, ast.Tuple):
                        texts = SCAN.render(r.value.elts[1], env)
                        if any(t.startswith("format:") for t in texts):
                            out[rel, r.lineno, fn.name] = sorted(
                                t for t in set(texts) if t.startswith("format:"))
    return out


SITES = _sites()


def _texts() -> dict[str, tuple[str, int, str]]:
    out: dict[str, tuple[str, int, str]] = {}
    for site, texts in SITES.items():
        for t in texts:
            if t.replace(SAMPLE, "").strip():
                out.setdefault(t, site)
    out.update({m.english: ("cs_helpers/report.py", 0, "PARAMETERS")
                for m in report.PARAMETERS.values()})
    out.update({getattr(b, attr).english: ("cs_helpers/assumptions.py", 0, attr)
                for b in (COURSE.b2b, COURSE.b2c) for attr in ("name", "arpa")})
    return out


TEXTS = _texts()


def test_the_scan_finds_the_known_sentences():
    assert ("cs_helpers/report.py", "months") in {(p, f) for p, _, f in SITES}
    assert "«v» months" in TEXTS
    assert "no extrapolation: the data cover the horizon" in TEXTS
    assert any(t.startswith("encoding: «v» (") for t in TEXTS)          # reading.py notes
    assert any(t.startswith("format: read as Parquet") for t in TEXTS)  # format_of's note
    assert any(t.startswith(" Of the MRR paid in") for t in TEXTS)      # revenue_sentence
    assert "how far ahead a new customer is valued (LTV, ROI, what-ifs)" in TEXTS
    assert "the customers table (CSV, Parquet or Excel)" in TEXTS     # PARAMETERS
    assert len(TEXTS) > 60


def test_sites_without_text_are_pass_throughs():
    opaque = {(p, f) for (p, _, f), texts in SITES.items()
              if all(not t.replace(SAMPLE, "").strip() for t in texts)}
    assert opaque == set(PASSED_THROUGH), (
        f"new opaque sites: {sorted(opaque - set(PASSED_THROUGH))}; "
        f"stale entries: {sorted(set(PASSED_THROUGH) - opaque)}")


def test_every_sentence_has_a_japanese_form():
    missing = [f"{site[0]}:{site[1]} ({site[2]}): {t!r}" for t, site in TEXTS.items()
               if find_template(t, parts=True) is None and
               find_template(_numbered(t), parts=True) is None]
    assert not missing, "no Japanese for:\n" + "\n".join(missing)


def _numbered(text: str) -> str:
    """``text`` with a number for each value (for places that take numbers only)."""
    return text.replace(SAMPLE, "7")


def test_no_english_is_left_in_a_japanese_sentence():
    left = {}
    for text in TEXTS:
        ja = translate_message(text, "ja", part=True)
        if ja == text or SCAN._english_runs(ja):
            # a value that takes a number only ({k:n}) does not match the sample: a general
            # entry may have matched instead
            ja = translate_message(_numbered(text), "ja", part=True)
        runs = SCAN._english_runs(ja)
        if runs or (len(SCAN._prose(text).split()) >= 2 and not SCAN.JAPANESE.search(ja)):
            left[text] = (ja, runs)
    assert not left, "English left in Japanese sentences:\n" + "\n".join(
        f"{t!r} -> {ja!r} {runs}" for t, (ja, runs) in left.items())


def test_no_sentence_translation_is_stale():
    """Every entry of SENTENCES still matches a text the library shows: change a sentence in
    the code and its Japanese must change too."""
    everywhere = SCAN._all_source_texts()     # pieces that go into {*name} places
    stale = []
    for english, japanese in SENTENCES:
        template = MessageTemplate.build(english, japanese)
        if not any(template.loose.fullmatch(t) for t in TEXTS) and \
                not any(template.loose.fullmatch(t) for t in everywhere):
            stale.append(english)
    assert not stale, "SENTENCES whose English is no longer shown by the library:\n" + \
        "\n".join(map(repr, stale))


def test_the_check_would_catch_a_missing_and_a_stale_entry():
    """The two checks above are not blind: a new sentence has no template, and a template
    for a sentence the code no longer writes matches no text."""
    assert find_template("a sentence the catalog has never seen", parts=True) is None
    gone = MessageTemplate.build("{n} customers were counted twice", "{n} 件を二重に数えました")
    assert not any(gone.loose.fullmatch(t) for t in TEXTS)


# --------------------------------------------------------------------------------------------
# behaviour: English unchanged, Japanese where the language is Japanese
# --------------------------------------------------------------------------------------------

def _no_english(text: str) -> None:
    assert SCAN.JAPANESE.search(text), text
    assert not SCAN._english_runs(text), (SCAN._english_runs(text), text)


def test_report_words():
    cs.set_language("en")
    assert (report.months(38), report.months(float("inf")), report.months(None),
            report.percent(float("nan")), report.money(None), report.p_value(float("nan"))) \
        == ("38.0 months", "not reached", "n/a", "n/a", "n/a", "n/a")
    cs.set_language("ja")
    assert (report.months(38), report.months(float("inf")), report.months(None),
            report.percent(float("nan"))) == ("38.0か月", "未到達", "—", "—")
    assert report.months(2.25, 2) == "2.25か月"
    html = report.table(pd.DataFrame({"x": [np.nan]}))._repr_html_()
    assert "—" in html and "n/a" not in html


def _revenue(source: str, kept: bool) -> report.Revenue:
    monthly = pd.DataFrame({"mrr_start": [1000.0] * 12, "mrr_churned": [12.0] * 12},
                           index=pd.period_range("2025-01", periods=12, freq="M"))
    if source == "table":
        monthly["gross_churn"] = 0.015
    k = pd.DataFrame({"customers": [1234], "base_mrr": [5e5], "grr": [0.86], "nrr": [0.97]},
                     index=pd.PeriodIndex(["2024-12"], freq="M"))
    return report.Revenue(source, "label", monthly, k if kept else k.iloc[:0])


ENGLISH_REVENUE = {
    ("table", True, True): (
        "**Revenue: 1.20% of MRR lost a month.** That share of the monthly revenue went with "
        "customers who left, pooled over the last 12 months (1.50% with downgrades). Of the "
        "MRR paid in 2024-12 by 1,234 customers, 86% was still paid 12 months later not "
        "counting upgrades (GRR) and 97% counting them (NRR)."),
    ("dates", True, False): (
        "1.20% of the monthly revenue went with customers who left, pooled over the last 12 "
        "months. Of the MRR paid in 2024-12 by 1,234 customers, 86% was still paid 12 months "
        "later not counting upgrades (GRR) and, one MRR per customer, NRR is the same."),
    ("dates", False, True): (
        "**Revenue: 1.20% of MRR lost a month.** That share of the monthly revenue went with "
        "customers who left, pooled over the last 12 months. The revenue data span less than "
        "13 months, so 12-month retention is n/a."),
}


@pytest.mark.parametrize("case", list(ENGLISH_REVENUE), ids=str)
def test_revenue_sentence(case):
    source, kept, lead = case
    rev = _revenue(source, kept)
    cs.set_language("en")
    assert report.revenue_sentence(rev, lead=lead) == ENGLISH_REVENUE[case]
    cs.set_language("ja")
    ja = report.revenue_sentence(rev, lead=lead)
    _no_english(ja)
    for number in ("1.20%", "12か月"):
        assert number in ja
    if kept:
        assert "2024-12" in ja and "1,234" in ja and "86%" in ja
    assert ja.startswith("**売上") == lead


def test_the_assumptions_table():
    cs.set_language("en")
    en = COURSE.table()
    assert en.loc["horizon", "value"] == "60 months (5 years)"
    assert en.loc["discount rate"].tolist() == [
        "8% a year", "a yen a year from now is worth 1 / (1 + rate) today"]
    assert en.loc["B2B ARPA", "meaning"] == (
        "MRR at the start of the contract, averaged over accounts: what a new account pays a "
        "month (seat growth later is counted separately, as expansion) (column "
        "b2b_accounts.mrr)")
    assert en.loc["B2C gross margin", "meaning"].startswith("B2C subscription (bag rental): ")
    cs.set_language("ja")
    ja = COURSE.table()
    assert list(ja.index) == list(en.index) and list(ja.columns) == list(en.columns)
    assert ja.loc["horizon", "value"] == "60か月（5年）"
    assert ja.loc["discount rate", "value"] == "年8%"
    assert "b2b_accounts.mrr" in ja.loc["B2B ARPA", "meaning"]
    for text in ja["meaning"]:
        _no_english(text)
    other = Assumptions(horizon_months=36, annual_discount_rate=0.1)
    assert other.table().loc["horizon", "value"] == "36か月（3年）"


def test_business_texts_show_in_the_language_in_effect():
    arpa = COURSE.b2c.arpa
    assert arpa == "monthly fee of the plan the member joined on, averaged over members"
    cs.set_language("ja")
    assert f"ARPA = {arpa}." == "ARPA = 会員が入会したときのプランの月額料金の会員平均."
    assert str(COURSE.b2b.name) == "B2B SaaS企業（連絡先管理）"
    assert COURSE.vary("b2b.gross_margin", [0.7])[0].b2b.arpa == COURSE.b2b.arpa
    cs.set_language("en")
    assert f"{arpa}" == arpa.english == str(arpa)
    assert isinstance(Sentence("x"), str)


def test_parameters_meanings():
    cs.set_language("en")
    shown = pd.DataFrame({"meaning": list(report.PARAMETERS.values())},
                         index=list(report.PARAMETERS))
    assert shown.loc["sep", "meaning"] == "CSV separator (None: detected)"
    assert "CSV separator (None: detected)" in report.table(shown)._repr_html_()
    cs.set_language("ja")
    html = report.table(shown)._repr_html_()
    assert "CSV の区切り文字（None: 自動判定）" in html
    for meaning in report.PARAMETERS.values():
        _no_english(str(meaning))


def test_parameter_errors_keep_english_underneath():
    """A DataError that quotes a parameter's meaning is written in English (its .english) and
    translated as a whole."""
    cs.set_language("ja")
    with pytest.raises(cs.DataError) as err:
        report.check_parameters({"id_col": "id", "start_col": "s", "end_col": None},
                                ["id", "s"], source="t.csv")
    assert "end date column" in err.value.english
    assert "終了日の列" in str(err.value)


REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241]


def test_sbg_summary_meanings():
    m = cs.ltv.ShiftedBetaGeometric.fit(REGULAR)
    cs.set_language("en")
    assert m.summary().loc["first_period_churn", "meaning"] == \
        "average churn probability per period of a new customer"
    cs.set_language("ja")
    meanings = m.summary()["meaning"]
    assert meanings["first_period_churn"] == "新規顧客が各期間に解約する平均的な確率"
    for text in meanings:
        _no_english(text)


def _curve() -> pd.Series:
    t = np.arange(0, 13)
    return pd.Series(0.97 ** t, index=t.astype(float))


def test_ltv_tail_methods_and_warnings():
    cs.set_language("en")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        en = cs.ltv.from_survival(_curve(), 100, 0.8, horizon=60, tail_months=6)
    assert en.tail_method == ("geometric: constant hazard implied by the curve's last 6 months "
                              "(no counts given, so no minimum at risk and no interval)")
    english = [str(w.message) for w in caught if w.category is UserWarning]
    assert english and english[0].endswith("of this LTV comes from months beyond the data "
                                           "(extrapolated with a monthly hazard of 3.00%).")
    cs.set_language("ja")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ja = cs.ltv.from_survival(_curve(), 100, 0.8, horizon=60, tail_months=6)
        cs.ltv.from_survival(_curve(), 100, 0.8, horizon=10, tail="none")
    _no_english(ja.tail_method)
    assert "6か月" in ja.tail_method and ja.value == en.value
    shown = [w.message for w in caught if w.category is UserWarning]
    assert shown and shown[0].english == english[0]
    _no_english(str(shown[0]))
    assert "3.00%" in str(shown[0])


def test_report_ltv_warnings_keep_english_underneath():
    """ltv_with_band re-issues the LTV's warnings as DataWarnings: English underneath (so the
    report's notes sort the same way), Japanese shown."""
    from lifelines import KaplanMeierFitter

    kmf = KaplanMeierFitter().fit([1, 2, 3, 4, 5, 6] * 3, [1, 0, 1, 1, 0, 0] * 3)
    cs.set_language("ja")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report.ltv_with_band(kmf, 100.0, 0.8, horizon=60, label="Pro", discount_rate=0.0)
    data = [w.message for w in caught if issubclass(w.category, cs.DataWarning)]
    assert data, "expected the uncertain-tail warning"
    for w in data:
        assert w.english.startswith("LTV of Pro: ")
        assert str(w).startswith("Pro の LTV: ")
        _no_english(str(w))


def test_read_notes(tmp_path):
    path = tmp_path / "会員.csv"
    path.write_bytes("会員番号;開始日\n00123;2024-01-05\n00456;2024-02-01\n".encode("cp932"))
    cs.set_language("en")
    table = cs.engines.read(path, "pandas")
    en = cs.engines.read_notes(table)
    assert en[0].startswith("encoding: cp932 (Shift-JIS, as Excel in Japan writes it; detected")
    assert "separator: ';' (detected from the first lines: pass sep= to choose)" in en
    assert table.attrs["read_notes"] == en                       # stored in English
    rel = cs.engines.read(path, "duckdb")
    cs.set_language("ja")
    for notes in (cs.engines.read_notes(table), cs.engines.read_notes(rel)):
        assert len(notes) >= 3
        for note in notes:
            _no_english(note)
    ja = cs.engines.read_notes(table)
    assert "区切り文字: ';'（先頭の数行から自動判定。sep= で指定できます）" in ja
    assert any("'会員番号'" in n for n in ja)
    assert table.attrs["read_notes"] == en                       # still English underneath


def test_sources_and_figures_words(tmp_path):
    cs.set_language("ja")
    sources = report.open_sources({"data_path": None, "table": pd.DataFrame({"a": [1]})})
    assert sources["customers"].name == "pandasのテーブル"
    cs.set_language("en")
    sources = report.open_sources({"data_path": None, "table": pd.DataFrame({"a": [1]})})
    assert sources["customers"].name == "a pandas table"


def test_the_japanese_keeps_the_numbers_of_the_english():
    """A Japanese sentence writes no number the English does not (and drops none): the
    Japanese notebooks' outputs must show the same numbers as the English ones."""
    import re
    from collections import Counter

    def numbers(text: str) -> Counter:
        return Counter(re.findall(r"\d+(?:\.\d+)?", re.sub(r"\{[^{}]*\}", " ", text)))

    differ = [(en, ja) for en, ja in SENTENCES if numbers(en) != numbers(ja)]
    assert not differ, differ


def test_make_report_usage(capsys, tmp_path):
    cs.set_language("ja")
    assert report.make_report(out_dir=tmp_path) == 2
    err = capsys.readouterr().err
    assert err.startswith("使い方: make report DATA=path/to/table.csv")
    cs.set_language("en")
    assert report.make_report(out_dir=tmp_path) == 2
    assert capsys.readouterr().err.startswith("Usage: make report DATA=path/to/table.csv")
    assert report.default_template() == report.TEMPLATE


def test_health_alerts_in_japanese_keep_rules_and_numbers():
    """Alert tasks and details read in Japanese (with every number of the English); the
    rule ids stay, and the English is unchanged."""
    from cs_helpers import health

    usage = pd.DataFrame({"account_id": ["A", "B"] * 2,
                          "month": ["2025-02-01"] * 2 + ["2025-03-01"] * 2,
                          "seats": 10, "active_users": [8, 8, 8, 2],
                          "cards_scanned": 20, "deals_sourced": 1, "mrr": 100.0})
    en = health.alerts(usage, as_of="2025-03", lookback=1)
    assert en["detail"].tolist() == [
        "health 72 -> 28 (-44 points in a month; rule: a drop of 15 or more)",
        "utilisation 20% over the scoring window (rule: below 30%)"]
    assert en["task"].iloc[0] == health.HealthDrop.task
    cs.set_language("ja")
    ja = health.alerts(usage, as_of="2025-03", lookback=1)
    assert ja["rule"].tolist() == en["rule"].tolist()
    assert ja["detail"].tolist() == [
        "ヘルススコア 72 → 28（ひと月で -44 ポイント。ルール: 15 ポイント以上の低下）",
        "スコア集計期間の utilisation は 20%（ルール: 30% 未満）"]
    shown = ja[["task"]].to_string()
    assert "5営業日以内" in shown and "Call the account" not in shown
    assert ja["task"].iloc[0] == en["task"].iloc[0]              # the value is the English
