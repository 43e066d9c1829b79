"""Display labels: Japanese tables, identical code.

A table's column names, index labels and category values are what a learner types
(``table["churn per month"]``, ``phase == "onboarding"``), so the code never changes with the
language. What changes is how a table is *shown*: in Japanese, every label that has a
translation is displayed as the Japanese over the English name the code uses, in smaller grey
text (``月次解約率`` over ``churn per month``), so a learner sees both what it means and what to
type. Numbers are untouched: they are displayed exactly as pandas' own HTML shows them.

* :func:`label` gives one label in the language in effect (:func:`cs_helpers.set_language`).
* :func:`register` adds labels (``{"english": "日本語"}``); the library's own labels (its result
  columns, the categories it produces, the words in the course datasets) are in
  :data:`LIBRARY_JA`; the course registers the labels its notebooks make
  (``cs_helpers/course/labels_ja.py``: the library never imports the course).
* :func:`localize` returns a display object for a DataFrame or Series whose ``_repr_html_``
  is pandas' own HTML with the labels replaced (how: the labels of a copy are replaced by unique
  tokens, pandas renders the copy, the tokens are replaced by the escaped label HTML; so
  formatting, MultiIndex, index names and truncation are pandas' own).
* In IPython, choosing Japanese (``cs.set_language("ja")``, or ``CS_HELPERS_LANG=ja`` when the
  package is imported) installs a ``text/html`` formatter for DataFrame and Series that calls
  :func:`localize` when the language in effect at display time is Japanese, and gives pandas' own
  HTML in English. ``text/plain`` output is never changed; Styler objects are left alone.

Strings computed from numbers ("0.53% to 0.67%", "1.1% (1.0% to 1.2%)") are shown in Japanese
by a few patterns (:data:`PATTERNS_JA`), their numbers copied verbatim.

Examples
--------
>>> import pandas as pd
>>> import cs_helpers as cs
>>> from cs_helpers.labels import label, localize
>>> cs.set_language("ja")
>>> label("promoter")
'推奨者'
>>> label("customer_id")          # no translation: unchanged
'customer_id'
>>> table = pd.DataFrame({"phase": ["onboarding"], "estimate": [0.0123]})
>>> html = localize(table)._repr_html_()
>>> "導入期" in html and "onboarding" in html and "0.0123" in html
True
>>> cs.set_language("en")
>>> label("promoter")
'promoter'
>>> localize(table)._repr_html_() == table._repr_html_()
True
"""

from __future__ import annotations

import html as _html
import re
import secrets
import sys
from collections.abc import Hashable, Mapping
from typing import Any

import pandas as pd

from .i18n import get_language, on_language_change
from .phase_basics import EN_LABELS, JA_LABELS

__all__ = ["LIBRARY_JA", "PATTERNS_JA", "label", "register", "registered", "localize", "to_html",
           "Localized", "install_display_hook"]

#: The library's own labels in Japanese: result columns of its functions, the categories it
#: produces, and values of the course datasets that are words (plan names stay as they are).
#: Terms as in the 日本語 column of ``docs/glossary.md``.
LIBRARY_JA: dict[str, str] = {
    # lifecycle phases (phase_basics.JA_LABELS) and the pooled row
    **dict(zip(EN_LABELS, JA_LABELS, strict=True)),
    "overall": "全期間",
    "phase": "フェーズ",
    # NPS
    "promoter": "推奨者", "passive": "中立者", "detractor": "批判者",
    "promoters": "推奨者", "passives": "中立者", "detractors": "批判者",
    "promoters (9-10)": "推奨者（9〜10）", "passives (7-8)": "中立者（7〜8）",
    "detractors (0-6)": "批判者（0〜6）",
    "nps": "NPS", "answers": "回答数", "clusters": "クラスター数（回答した顧客数）",
    "design_effect": "デザイン効果", "small_sample": "サンプル不足",
    "margin": "誤差幅（±ポイント）",
    # estimates and intervals
    "estimate": "推定値", "se": "標準誤差", "std_error": "標準誤差",
    "ci_low": "95%区間の下限", "ci_high": "95%区間の上限",
    "continuation_ci_low": "継続率の95%区間の下限", "continuation_ci_high": "継続率の95%区間の上限",
    "p_value": "p値", "test_statistic": "検定統計量", "df": "自由度",
    "parameter": "パラメーター", "alpha": "α", "beta": "β",
    # churn, retention, revenue
    "churn_rate": "解約率", "retention_rate": "継続率", "logo_retention": "ロゴ継続率",
    "repeat_rate": "リピート率", "repeaters": "リピーター数", "first_order": "初回購入",
    "nrr": "売上継続率（ネット）", "grr": "売上継続率（グロス）",
    "base_mrr": "期首のMRR", "mrr_after": "期間後のMRR", "churned_mrr": "解約で失ったMRR",
    "contraction_mrr": "減額されたMRR", "expansion_mrr": "エクスパンション（増額）MRR",
    "active_start": "期首の稼働数", "active_end": "期末の稼働数", "new_and_churned": "期中に加入して解約",
    "churned": "解約", "customers": "顧客数", "accounts": "アカウント数", "left": "解約数",
    "complete": "完了した月", "period": "期間", "new": "新規",
    "annual churn": "年間解約率", "monthly churn": "月次解約率",
    "first_period_churn": "最初の期間の解約率",
    "monthly_continuation": "月次継続率", "exposure_months": "延べ会員月数（リスク期間）",
    "customers_entering": "フェーズに入った顧客数", "mean_propensity": "平均傾向スコア",
    "reference phase: fixed at 1": "基準フェーズ: 1に固定",
    "multiplier_onboarding": "導入期の倍率", "multiplier_adoption": "定着期の倍率",
    "multiplier_maturity": "成熟期の倍率",
    "duration": "在籍期間（月）", "groups": "グループ数", "group": "グループ",
    "reached": "到達", "not reached": "未到達",
    "all": "全体", "all accounts": "全アカウント",
    # health scores and alerts
    "health": "ヘルススコア", "green": "緑", "yellow": "黄色", "red": "赤",
    "alerts": "アラート数", "any alert": "いずれかのアラート", "lift": "リフト",
    "rank": "順位", "detail": "詳細", "ratio": "比",
    "health_drop": "ヘルススコア急落", "low_utilisation": "低い利用率", "no_deals": "商談ゼロ",
    "nps_detractor": "NPS批判者", "ticket_spike": "問い合わせ急増", "mrr_trend": "MRRの推移",
    "cards_per_seat": "1シートあたりの名刺数", "mean": "平均",
    # the report's settings and KPI tables
    "assumption": "前提", "meaning": "意味", "value": "値", "name": "名前", "note": "注記",
    "discount rate": "割引率", "horizon": "評価期間",
    "missing values": "欠損値の数", "distinct values": "異なる値の数",
    "currency": "通貨", "engine": "処理エンジン", "connection": "接続",
    # (the report's parameter descriptions: from the message catalog, see _catalog_labels)
    # the course assumptions (assumptions.COURSE.table())
    "B2B ARPA": "B2BのARPA", "B2C ARPA": "B2CのARPA",
    "B2B gross margin": "B2Bの粗利率", "B2C gross margin": "B2Cの粗利率",
    "JPY per month": "円／月",
    "how far ahead a new customer is valued (LTV, ROI, what-ifs)":
        "新規顧客を何か月先まで評価するか（LTV、ROI、what-if分析）",
    "a yen a year from now is worth 1 / (1 + rate) today": "1年後の1円は今日の 1 / (1 + 割引率) 円に当たる",
    "B2B SaaS (contact management): revenue left after the cost of running the service "
    "(CS team time counted separately)":
        "B2B SaaS（名刺・連絡先管理）: サービス運営コストを引いた後に残る売上の割合（CSチームの工数は別に計上）",
    "B2C subscription (bag rental): revenue left after the cost of running the service "
    "(CS team time counted separately)":
        "B2Cサブスクリプション（バッグレンタル）: サービス運営コストを引いた後に残る売上の割合"
        "（CSチームの工数は別に計上）",
    "MRR at the start of the contract, averaged over accounts: what a new account pays a month "
    "(seat growth later is counted separately, as expansion) (column b2b_accounts.mrr)":
        "契約開始時のMRRのアカウント平均: 新規アカウントが毎月支払う額（後からのシート数の増加は"
        "エクスパンションとして別に数える）（列 b2b_accounts.mrr）",
    "monthly fee of the plan the member joined on, averaged over members "
    "(column b2c_members.monthly_fee)":
        "入会時のプランの月額料金の会員平均（列 b2c_members.monthly_fee）",
    # sBG parameters (ltv.sbg) and an alert task (health.alerts)
    "shape of the spread of churn probabilities (small: many near 0)":
        "解約確率のばらつきの形（小さいと0付近が多い）",
    "shape of the spread of churn probabilities (large: many near 0)":
        "解約確率のばらつきの形（大きいと0付近が多い）",
    "average churn probability per period of a new customer": "新規顧客の1期間あたりの平均解約確率",
    "Share a customer story with the champion, set a target for deals sourced and check who "
    "owns the tool.": "推進役の担当者に顧客事例を共有し、獲得商談数の目標を決め、ツールの担当者を確認する。",
    # columns of the course datasets (the English name, what a learner types, stays visible)
    "account_id": "アカウントID", "member_id": "会員ID", "start_date": "開始日",
    "end_date": "終了日", "join_date": "入会日", "cancel_date": "解約日", "plan": "プラン",
    "industry": "業種", "company_size": "企業規模", "channel": "獲得チャネル",
    "month": "月", "seats": "シート数", "active_users": "アクティブユーザー数",
    "cards_scanned": "名刺スキャン数", "deals_sourced": "獲得商談数", "score": "スコア",
    "survey_date": "回答日", "milestone": "マイルストーン", "rentals": "レンタル数",
    "exchanges": "交換数", "purchases": "購入数", "monthly_fee": "月額料金",
    "tenure_months": "契約継続月数", "mrr": "月次経常収益", "due_date": "期限日",
    "completed_date": "完了日", "response_id": "回答ID", "ticket_id": "問い合わせID",
    "opened_date": "受付日", "category": "カテゴリー", "hours_to_resolve": "解決までの時間",
    "age_band": "年代",
    # words in the course datasets (plan names Lite / Standard / Enterprise stay as they are)
    "single": "シングルプラン", "double": "ダブルプラン",
    "Finance": "金融", "Healthcare": "医療", "Manufacturing": "製造", "Retail": "小売",
    "Services": "サービス",
    "Event": "イベント", "Inbound": "インバウンド", "Outbound": "アウトバウンド",
    "Partner": "パートナー", "Influencer": "インフルエンサー", "Referral": "紹介",
    "Search": "検索",
    "1-49 employees": "従業員1〜49名", "50-249 employees": "従業員50〜249名",
    "250-999 employees": "従業員250〜999名", "1000+ employees": "従業員1000名以上",
    "kickoff": "キックオフ", "data_imported": "データ取り込み", "team_invited": "チーム招待",
    "first_value": "初回価値",
    "billing": "請求", "bug": "不具合", "feature request": "機能要望", "how-to": "使い方",
}

_NUM = r"[-+]?[¥$]?[0-9][0-9,]*(?:\.[0-9]+)?%?"

#: Strings computed from numbers, shown in Japanese with the numbers copied verbatim.
PATTERNS_JA: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), t) for p, t in (
        (rf"(?P<a>{_NUM}) to (?P<b>{_NUM})", r"\g<a>〜\g<b>"),
        (rf"(?P<x>{_NUM}) \((?P<a>{_NUM}) to (?P<b>{_NUM})\)", r"\g<x>（\g<a>〜\g<b>）"),
        (rf"(?P<a>{_NUM}) months to not reached", r"\g<a>か月〜未到達"),
        (rf"(?P<a>{_NUM}) a year", r"年\g<a>"),
        (rf"(?P<a>{_NUM}) years?", r"\g<a>年"),
        (rf"(?P<a>{_NUM}) months \((?P<b>{_NUM}) years\)", r"\g<a>か月（\g<b>年）"),
        (rf"(?P<m>[0-9]{{4}}-[0-9]{{2}}) \((?P<a>{_NUM}) new\)", r"\g<m>（新規\g<a>）"),
    ))

_registered: dict[str, str] = {}


def register(mapping: Mapping[str, str]) -> None:
    """Add Japanese labels (``{"english label": "日本語"}``), used from now on.

    A later registration of the same English label replaces the earlier one.

    Parameters
    ----------
    mapping : mapping of str to str
        English label (exactly as the table shows it) -> Japanese.

    Examples
    --------
    >>> register({"accounts at risk": "リスクのあるアカウント数"})
    >>> label("accounts at risk", "ja")
    'リスクのあるアカウント数'
    >>> _ = _registered.pop("accounts at risk")
    """
    for english, japanese in mapping.items():
        if not isinstance(english, str) or not isinstance(japanese, str) or not japanese:
            raise TypeError(f"labels.register: {english!r} -> {japanese!r}: "
                            "both must be non-empty strings")
        _registered[english] = japanese


def registered() -> dict[str, str]:
    """Every Japanese label in effect: :data:`LIBRARY_JA` plus those added by :func:`register`.

    Examples
    --------
    >>> registered()["detractor"]
    '批判者'
    """
    return {**LIBRARY_JA, **_registered}


_CATALOG: dict[str, str] = {}


def _catalog_labels() -> dict[str, str]:
    """The fixed texts (no placeholder) of the message catalog ``messages_ja``: the report's
    parameter descriptions, which its settings table shows, are translated there once."""
    if not _CATALOG:
        from . import messages_ja

        pairs = messages_ja.PARTS + messages_ja.EXTERNAL + messages_ja.MESSAGES
        _CATALOG.update({e: j for e, j in pairs if "{" not in e and "}" not in e})
    return _CATALOG


def _name(text: str) -> str | None:
    """The Japanese of a name a learner types (a label of :data:`LIBRARY_JA` or registered),
    or None. A list of names joined by ", " (a cell naming several alerts:
    ``"health_drop, low_utilisation"``) is one when every part is, and reads as the parts
    joined by "、"."""
    found = _registered.get(text, LIBRARY_JA.get(text))
    if found is None and ", " in text:
        parts = [_registered.get(part, LIBRARY_JA.get(part)) for part in text.split(", ")]
        if all(parts):
            return "、".join(parts)
    return found


def _japanese(text: str) -> str | None:
    found = _name(text)
    if found is None and " " in text.strip():
        # a sentence of the catalog (a parameter's meaning): no name to type; its one-word
        # entries are pieces of messages, and a one-word cell ("table") is a name to type
        found = _catalog_labels().get(text)
    if found is not None:
        return found
    for pattern, template in PATTERNS_JA:
        m = pattern.fullmatch(text)
        if m is not None:
            return m.expand(template)
    return None


def label(text: str, language: str | None = None) -> str:
    """``text`` (a label a table shows) in ``language`` (default: the one in effect).

    Untranslated labels, and every label in English, are returned unchanged.

    Examples
    --------
    >>> label("onboarding", "ja"), label("onboarding", "en")
    ('導入期', 'onboarding')
    >>> label("0.53% to 0.67%", "ja")
    '0.53%〜0.67%'
    """
    language = get_language() if language is None else language
    if language != "ja" or not isinstance(text, str):
        return text
    found = _japanese(text)
    return text if found is None else found


def _shown(english: str, japanese: str, cell: bool = False) -> str:
    """The HTML of one translated label: the Japanese over the English name in grey (for a
    number-pattern string or a sentence of the catalog, the Japanese alone: there is no name
    to type). A long English cell value (``cell``) is cut as pandas cuts it
    (``display.max_colwidth``); labels are not."""
    if _name(english) is None:
        return _html.escape(japanese)
    width = pd.get_option("display.max_colwidth")
    if cell and width is not None and len(english) > width:    # as pandas cuts a long value
        english = english[:max(width - 3, 0)] + "..."
    return (f'{_html.escape(japanese)}<br><span class="cs-label-en" style="color:#888;'
            f'font-size:0.8em;font-weight:normal">{_html.escape(english)}</span>')


class Localized:
    """A DataFrame or Series shown with translated labels (see :func:`localize`).

    ``_repr_html_`` gives the HTML; ``repr`` the object's own text; ``.data`` the object.
    """

    def __init__(self, data: pd.DataFrame | pd.Series, language: str | None = None) -> None:
        self.data = data
        self.language = language

    def __repr__(self) -> str:
        return repr(self.data)

    def _repr_html_(self) -> str | None:
        language = get_language() if self.language is None else self.language
        data = self.data
        is_series = isinstance(data, pd.Series)
        frame = data.to_frame() if is_series else data
        if language != "ja":
            return None if is_series else frame._repr_html_()
        html, tokens = _tokenised_html(frame)
        if html is None:                  # display.notebook_repr_html is off
            return None
        if is_series and not tokens:
            return None                   # a Series keeps its text display when nothing changes
        return _untokenised(html, tokens)


def localize(obj: Any, language: str | None = None) -> Any:
    """A display object for ``obj`` with its labels in ``language`` (default: in effect when
    shown).

    For a DataFrame or Series: an object whose ``_repr_html_`` is pandas' own HTML of ``obj``
    with every translated label (column names, index labels, index and column names, string and
    categorical cell values) shown as the Japanese over the English in smaller grey text.
    Numbers are displayed exactly as pandas shows them. Anything else (a Styler, a number) is
    returned unchanged.

    Examples
    --------
    >>> t = pd.DataFrame({"accounts": [120, 80]},
    ...                  index=pd.Index(["promoter", "Lite"], name="group"))
    >>> html = localize(t, "ja")._repr_html_()
    >>> "推奨者" in html, "アカウント数" in html, "Lite" in html, ">120<" in html
    (True, True, True, True)
    """
    if isinstance(obj, (pd.DataFrame, pd.Series)):
        return Localized(obj, language)
    return obj


def _tokenised_html(frame: pd.DataFrame, render: Any = None
                    ) -> tuple[str | None, dict[str, tuple[str, str, bool]]]:
    """pandas' HTML of ``frame`` (``render(frame)``, default ``frame._repr_html_()``) with
    translated labels replaced by unique tokens, and the tokens -> (english, japanese, whether
    it is a cell value)."""
    render = (lambda f: f._repr_html_()) if render is None else render
    stem = f"csL{secrets.token_hex(4)}x"
    token_of: dict[tuple[str, bool], str] = {}
    tokens: dict[str, tuple[str, str, bool]] = {}

    def tok(value: Hashable, cell: bool = False) -> Hashable:
        if not isinstance(value, str):
            return value
        if (value, cell) in token_of:
            return token_of[value, cell]
        japanese = _japanese(value)
        if japanese is None:
            return value
        token = f"{stem}{len(token_of)}x"
        token_of[value, cell] = token
        tokens[token] = (value, japanese, cell)
        return token

    def index(ix: pd.Index) -> pd.Index:
        names = [tok(n) for n in ix.names]
        if isinstance(ix, pd.MultiIndex):
            levels = [_index_values(level, tok) for level in ix.levels]
            out = ix.set_levels(levels)
        else:
            out = _index_values(ix, tok)
        return out.set_names(names)

    copy = frame.copy(deep=False)
    copy.index = index(frame.index)
    copy.columns = index(frame.columns)
    for i in range(copy.shape[1]):
        column = copy.iloc[:, i]
        if isinstance(column.dtype, pd.CategoricalDtype):
            cats = column.cat.categories
            if any(isinstance(c, str) and _japanese(c) is not None for c in cats):
                copy.isetitem(i, column.cat.rename_categories([tok(c, True) for c in cats]))
        elif column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
            values = column.astype(object)
            if any(isinstance(v, str) and _japanese(v) is not None for v in pd.unique(values)):
                copy.isetitem(i, values.map(lambda v: tok(v, True) if isinstance(v, str) else v))
    if not tokens:
        return render(frame), {}
    return render(copy), tokens


def to_html(frame: pd.DataFrame, language: str | None = None, **kwargs: Any) -> str:
    """``frame.to_html(**kwargs)`` with its labels in ``language`` (default: the one in
    effect), shown as :func:`localize` shows them; in English, ``frame.to_html(**kwargs)``
    itself. For tables drawn with pandas' ``to_html`` options (the report's escaped tables).

    Examples
    --------
    >>> t = pd.DataFrame({"missing values": [0]}, index=["plan"])
    >>> "欠損値の数" in to_html(t, "ja", escape=True), to_html(t, "en") == t.to_html()
    (True, True)
    """
    language = get_language() if language is None else language
    if language != "ja":
        return frame.to_html(**kwargs)
    return _untokenised(*_tokenised_html(frame, lambda f: f.to_html(**kwargs)))


def _untokenised(html: str, tokens: dict[str, tuple[str, str, bool]]) -> str:
    """``html`` with each token replaced by its label's HTML (:func:`_shown`)."""
    for token, (english, japanese, cell) in tokens.items():
        html = html.replace(token, _shown(english, japanese, cell))
    return html


def _index_values(ix: pd.Index, tok: Any) -> pd.Index:
    if isinstance(ix, pd.CategoricalIndex):
        return ix.rename_categories([tok(c) for c in ix.categories])
    if ix.dtype == object or pd.api.types.is_string_dtype(ix.dtype):
        if any(isinstance(v, str) and _japanese(v) is not None for v in ix):
            return pd.Index([tok(v) for v in ix], name=ix.name, dtype=object)
    return ix


# --------------------------------------------------------------------------------------------
# the IPython hook
# --------------------------------------------------------------------------------------------

def _html_for_frame(obj: pd.DataFrame) -> str | None:
    if get_language() != "ja":
        return obj._repr_html_()
    return Localized(obj)._repr_html_()


def _html_for_series(obj: pd.Series) -> str | None:
    if get_language() != "ja":
        return None
    return Localized(obj)._repr_html_()


def install_display_hook() -> bool:
    """Show DataFrames and Series through :func:`localize` in the running IPython (if any).

    Called when Japanese is chosen; the formatter asks the language at display time, so it
    gives pandas' own HTML after ``cs.set_language("en")``. Returns whether IPython was there.

    Examples
    --------
    >>> install_display_hook()        # not inside IPython here
    False
    """
    if "IPython" not in sys.modules:
        return False
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return False
    formatter = shell.display_formatter.formatters["text/html"]
    formatter.for_type(pd.DataFrame, _html_for_frame)
    formatter.for_type(pd.Series, _html_for_series)
    return True


@on_language_change
def _on_language(language: str) -> None:
    if language == "ja":
        install_display_hook()


if get_language() == "ja":           # CS_HELPERS_LANG=ja: no set_language call needed
    install_display_hook()
