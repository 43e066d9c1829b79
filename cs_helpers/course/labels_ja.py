"""Japanese display labels for the tables the course notebooks make themselves.

The library's own labels (its result columns, NPS categories, lifecycle phases, the words in the
course datasets) are in :data:`cs_helpers.labels.LIBRARY_JA`. The labels here are the ones a
lesson writes in its own code (``pd.DataFrame({"churn per month": ...}, index=["subscription,
nobody leaves (yardstick)", ...])``): the code stays the same in both editions, and in Japanese
the table shows the Japanese over the English (see :mod:`cs_helpers.labels`). Importing this
module registers them (``cs_helpers.course`` imports it, so every lesson has them).

``tests/test_labels.py`` checks that every English phrase in the HTML tables of the English
notebooks' outputs has a label (here, in the library, or on its short allowlist) and that every
label here still occurs in some English notebook's output.

Examples
--------
>>> from cs_helpers.labels import label
>>> label("censored counted as survivors", "ja")
'打ち切りを生存として数える'
"""

from __future__ import annotations

from ..labels import register

__all__ = ["COURSE_JA"]

#: English label (exactly as the lesson's table shows it) -> Japanese.
COURSE_JA: dict[str, str] = {
    # 00: the course map and the datasets
    "B2B accounts": "B2Bのアカウント数", "B2C members": "B2Cの会員数",
    "B2B SaaS: NPS survey responses (0-10)": "B2B SaaS: NPSアンケートの回答（0〜10）",
    "B2B SaaS: account x month usage, seats and MRR": "B2B SaaS: アカウント×月の利用状況・シート数・MRR",
    "B2B SaaS: support tickets": "B2B SaaS: サポートの問い合わせ",
    "columns": "列", "description": "説明", "lesson": "回",
    "core path (min)": "基本コース（分）", "exercises (min)": "演習（分）",
    "going deeper (min)": "発展（任意）（分）", "you will learn": "学ぶこと",
    "B2B SaaS: one row per customer account (start, end, plan, size, MRR)":
        "B2B SaaS: 顧客アカウントごとに1行（開始日・終了日・プラン・規模・MRR）",
    "B2B SaaS: onboarding milestones with due and completion dates":
        "B2B SaaS: オンボーディングのマイルストーン（期日と完了日）",
    "B2C bag-rental club: one row per member (join, cancel, plan)":
        "バッグレンタルクラブ（B2Cクラブ）: 会員ごとに1行（入会日・解約日・プラン）",
    "B2C bag-rental club: member x month rentals, exchanges, purchases":
        "バッグレンタルクラブ（B2Cクラブ）: 会員×月のレンタル・交換・購入",
    "what CS is (vs support), why subscriptions made it matter, defining success as the "
    "customer's outcome": "カスタマーサクセスとは何か（カスタマーサポートとの違い）、サブスクリプションで重要に"
                          "なった理由、顧客の成功を成果で定義する",
    "taking on the customers you can make successful: segment economics":
        "成功させられる顧客を選ぶ: セグメントごとの採算",
    "KPI 1, churn rate (解約率): denominators, cohorts, survival curves":
        "KPI 1 チャーンレート（解約率）: 分母、コホート、生存曲線",
    "KPI 2, LTV (顧客生涯価値): formulas, discounting, LTV from a survival curve":
        "KPI 2 LTV（顧客生涯価値）: 計算式、割引、生存曲線に基づくLTV",
    "KPI 3, NPS: categories, margin of error, comparing segments":
        "KPI 3 NPS: 回答の区分、誤差幅、セグメントの比較",
    "lifecycle phases (導入期・定着期・成熟期) and what rising continuation does and does not prove":
        "ライフサイクルのフェーズ（導入期・定着期・成熟期）と、継続率の上昇からわかること・わからないこと",
    "onboarding, comparing fairly, what 0.60% churn means":
        "オンボーディング、公平な比較、解約率0.60%の意味",
    "appendix: health scores, alerts, back-testing (CS tools)":
        "付録: ヘルススコア、アラート、バックテスト（CSツール）",
    "appendix: the whole KPI set on your own table (a report template)":
        "付録: 自社のテーブルでKPIをひととおり計算する（レポートテンプレート）",
    "first start": "最初の開始日", "still active at the observation date": "観測日に契約中",
    # 01: what CS is worth, first value
    "account-months": "延べアカウント月数",
    "account-months after month 3": "3か月目より後の延べアカウント月数",
    "account-months after month 6": "6か月目より後の延べアカウント月数",
    "left after month 3": "3か月目より後の解約数", "left after month 6": "6か月目より後の解約数",
    "after month 12 (JPY)": "12か月目より後（円）", "first 12 months (JPY)": "最初の12か月（円）",
    "total, 60 months (JPY)": "合計、60か月（円）", "share after month 12": "12か月目より後の割合",
    "busy, no deal": "利用は多いが商談なし", "outcome (a deal)": "成果（商談）",
    "neither": "どちらもなし", "by day 90": "90日以内",
    "by resolution speed": "解決の速さ別", "by tickets per month": "月あたり問い合わせ数別",
    "churn per month": "月次解約率", "plausible range": "ありうる範囲",
    "fast": "速い", "medium": "中くらい", "slow": "遅い",
    "few": "少ない", "some": "いくつか", "many": "多い", "none": "なし",
    "first six months": "最初の6か月", "old enough to tell": "判断できるだけの期間がある",
    "one-off sale (same total, paid at the sale)": "売り切り型（同じ総額を販売時に受け取る）",
    "still customers at month 30": "30か月目も顧客",
    "subscription, churn doubled": "サブスクリプション、解約率2倍",
    "subscription, current churn": "サブスクリプション、現在の解約率",
    "subscription, nobody leaves (yardstick)": "サブスクリプション、誰も解約しない（基準）",
    # 02: targeting
    "ARPA (JPY/month)": "ARPA（円／月）", "CS cost to serve (JPY)": "CSのサービス提供コスト（円）",
    "LTV (JPY)": "LTV（円）", "acquisition cost (JPY)": "獲得コスト（円）",
    "net value (JPY)": "正味の価値（円）", "return per yen": "1円あたりのリターン",
    "250+ employees at half cost": "従業員250名以上でコスト半分",
    "all costs doubled": "コストをすべて2倍", "all costs halved": "コストをすべて半分",
    "as assumed": "前提どおり", "costs in step with ARPA": "コストがARPAに比例",
    "discount rate 0% a year": "割引率 年0%", "discount rate 15% a year": "割引率 年15%",
    "gross margin 70%": "粗利率70%", "gross margin 90%": "粗利率90%",
    "95% high": "95%区間の上限", "95% low": "95%区間の下限",
    "churn 95% high": "解約率の95%区間の上限", "churn 95% low": "解約率の95%区間の下限",
    "months 95% high": "月数の95%区間の上限", "months 95% low": "月数の95%区間の下限",
    "below 0.0001": "0.0001未満", "discounted months": "割引後の期待契約月数",
    "expected months": "期待契約月数", "gap (points)": "差（ポイント）",
    "highest": "最高", "lowest": "最低", "larger than chance?": "偶然より大きいか",
    "same order as assumed?": "仮定どおりの順序か", "segment": "セグメント",
    "success rate": "成功率", "p-value": "p値", "onboarded": "オンボーディング完了",
    "yes": "はい", "no": "いいえ", "yes (p < 0.05)": "はい（p < 0.05）",
    "no (p >= 0.05)": "いいえ（p >= 0.05）",
    # 03: churn
    "12 x monthly (wrong)": "月次の12倍（誤り）", "12-month churn": "12か月の解約率",
    "100 samples of": "100回のサンプル:", "Kaplan-Meier (right)": "カプラン・マイヤー（正しい）",
    "censored counted as survivors": "打ち切りを生存として数える",
    "censored dropped (only members who left)": "打ち切りを除外（解約した会員のみ）",
    "constructed: 0.8 x the risk at every tenure, 1,000 members":
        "作成データ: どの契約継続月数でもリスク0.8倍、1,000人",
    "constructed: 0.8 x the risk at every tenure, 300 members":
        "作成データ: どの契約継続月数でもリスク0.8倍、300人",
    "double / single": "ダブル／シングル", "single vs double": "シングル対ダブル",
    "double: monthly churn (95% interval)": "ダブル: 月次解約率（95%区間）",
    "single: monthly churn (95% interval)": "シングル: 月次解約率（95%区間）",
    "median p": "p値の中央値", "samples with p < 0.05": "p < 0.05 のサンプル",
    "month (new members as % of active at start)": "月（新規会員の月初稼働数に対する割合）",
    "months since joining": "入会からの月数", "moves it by (points)": "動く幅（ポイント）",
    "only members who joined 12+ months before the observation date (right, less data)":
        "観測日の12か月以上前に入会した会員のみ（正しいがデータが少ない）",
    "overstated by (points)": "過大評価の幅（ポイント）",
    "pooled monthly churn, all complete months (right)": "通算の月次解約率、全完了月（正しい）",
    "right": "正しい", "right: churned / active at the start": "正しい: 解約数 ÷ 期首の稼働数",
    "the club's real members by plan at joining, 1,000 members":
        "クラブの実際の会員、入会時のプラン別、1,000人",
    "trap 1: churned / active at the end": "落とし穴1: 解約数 ÷ 期末の稼働数",
    "trap 2: new members in the denominator": "落とし穴2: 分母に新規会員を含める",
    "trap 3": "落とし穴3",
    "trap 3: share of all members ever who have cancelled (no period)":
        "落とし穴3: これまでの全会員のうち解約した割合（期間なし）", "trap 4": "落とし穴4",
    "trap 4: plain average of the monthly rates": "落とし穴4: 月次解約率の単純平均",
    "trap 5: censored counted as churned": "落とし穴5: 打ち切りを解約として数える",
    "what it is": "内容",
    # 04: LTV
    "60 months (course)": "60か月（コースの前提）", "no limit": "制限なし",
    "95% range (approximate)": "95%の範囲（近似）", "B2B account, 10-year horizon": "B2Bアカウント、評価期間10年",
    "B2C member": "B2C会員", "new member": "新規会員",
    "Kaplan-Meier curve (JPY)": "カプラン・マイヤー曲線（円）", "LTV (JPY, 10 years)": "LTV（円、10年）",
    "LTV as revenue (JPY, first 60 months)": "売上としてのLTV（円、最初の60か月）",
    "LTV per account (10 years, discounted at 8% a year)": "アカウントあたりLTV（10年、年8%で割引）",
    "LTV vs truth": "LTVと真の値の差", "the simulation's truth": "シミュレーションの真の値",
    "average monthly fee (JPY per month)": "平均月額料金（円／月）",
    "bag purchases per member-month (bags)": "1会員月あたりのバッグ購入数（個）",
    "revenue from bag purchases (JPY)": "バッグ購入による売上（円）",
    "revenue from membership (JPY)": "会費による売上（円）",
    "churn beyond the data taken from": "データ以降の解約率の出どころ",
    "churn events": "解約件数", "churn events / account-months at risk in them":
        "解約件数 ÷ その期間の延べアカウント月数",
    "curve / pooled": "曲線／通算", "did not": "しなかった",
    "expected further payments (sBG, discounted)": "今後の期待支払い回数（sBG、割引後）",
    "expected months as a member (first 60 months)": "会員としての期待月数（最初の60か月）",
    "fewest accounts at risk in those months": "その期間でリスクのあるアカウント数の最小値",
    "last 12 months of the curve (203 to 3 at risk)": "曲線の最後の12か月（リスクのある数203〜3）",
    "logo retention": "ロゴ継続率", "member still there after 12 months": "12か月後も在籍する会員",
    "monthly churn beyond the data": "データ以降の月次解約率",
    "monthly churn used beyond the data (range)": "データ以降に使う月次解約率（範囲）",
    "months 50-62 (at least 111 at risk)": "50〜62か月目（リスクのある数111以上）",
    "months already paid": "支払い済みの月数",
    "months covered by the data / extrapolated": "データのある月数／外挿した月数",
    "months whose churn is used beyond the data": "データ以降に解約率を使う月",
    "one pooled churn (JPY)": "通算の解約率1つ（円）",
    "reached first value within 90 days": "90日以内に初回価値に到達",
    "residual value, pooled churn (JPY)": "残存価値、通算の解約率（円）",
    "residual value, sBG (JPY)": "残存価値、sBG（円）",
    "sBG, 95% range from (JPY)": "sBG、95%の範囲の下限（円）",
    "sBG, 95% range to (JPY)": "sBG、95%の範囲の上限（円）",
    "share of new accounts still customers in month 119 (range)":
        "119か月目も顧客である新規アカウントの割合（範囲）",
    "share of the LTV from extrapolated months": "外挿した月から来るLTVの割合",
    "still customers in month 119": "119か月目も顧客", "value of the next 60 months": "今後60か月の価値",
    # 05: NPS
    "counting each account as one unit": "アカウントを1単位として数える",
    "every answer independent": "回答をすべて独立とみなす",
    "first answer": "1回目の回答", "second answer": "2回目の回答",
    "margin of error (± points)": "誤差幅（±ポイント）",
    # 06: phases
    "LTV ci_high": "LTVの95%区間の上限", "LTV ci_low": "LTVの95%区間の下限",
    "LTV gain (JPY)": "LTVの増加（円）", "months gained": "増える月数",
    "changed plan since joining (net)": "入会後にプランを変更（純数）", "double plan": "ダブルプラン",
    "joined on double": "ダブルプランで入会", "homogeneous approximation (months)": "均質近似（月）",
    "maturity multiplier": "成熟期の倍率", "onboarding multiplier": "導入期の倍率",
    "phase with 20% less churn": "解約率を20%下げるフェーズ", "sorting share": "選別効果の割合",
    "truth": "真の値", "truth (months)": "真の値（月）", "truth inside the interval": "真の値が区間内",
    # 07: onboarding
    "LTV in months of margin (undiscounted): 1 / c": "粗利何か月分のLTV（割引なし）: 1 / c",
    "Sansan (article)": "Sansan（記事）", "at 0.60% a month": "月0.60%の場合",
    "annual churn: 1 - (1 - c)^12": "年間解約率: 1 - (1 - c)^12",
    "completed (ever)": "完了（いつかの時点で）", "not completed": "未完了",
    "onboarding status": "オンボーディングの状況",
    "covariate": "共変量", "hazard ratio": "ハザード比",
    "expected lifetime (months): 1 / c": "平均生存期間（月）: 1 / c",
    "expected lifetime (years)": "平均生存期間（年）",
    "in the simulation": "シミュレーション上", "lower 95%": "95%区間の下限", "upper 95%": "95%区間の上限",
    "landmark: onboarded by month 3 vs not, alive at month 3, counted from month 3":
        "ランドマーク: 3か月目までに完了したか否か、3か月目に契約中、3か月目から数える",
    "median days (when reached)": "日数の中央値（到達した場合）",
    "median lifetime (years): log 0.5 / log(1 - c) / 12": "生存期間の中央値（年）: log 0.5 / log(1 - c) / 12",
    "monthly churn (95% interval)": "月次解約率（95%区間）",
    "naive: ever completed vs not, churn counted from the start": "素朴な比較: いつか完了したか否か、開始から数える",
    "not onboarded": "オンボーディング未完了", "not onboarded / onboarded": "未完了／完了",
    "onboarded by month 3": "3か月目までにオンボーディング完了",
    "onboarded by month 3 vs not, churn counted from the start": "3か月目までに完了したか否か、開始から数える",
    "our accounts onboarded by month 3, after month 3": "自社の3か月目までに完了したアカウント、3か月目より後",
    "our company": "自社",
    "our accounts not onboarded by month 3, after month 3": "自社の3か月目までに未完了のアカウント、3か月目より後",
    "the whole company (reported figure; period not given, read as monthly)":
        "会社全体（報告値。期間の記載がないため月次と読む）",
    "direct effect on churn (hazard 1.18% vs 2.80% for an average account)":
        "解約への直接の効果（平均的なアカウントでハザード1.18%対2.80%）",
    "no direct effect (changes only the chance of onboarding)":
        "直接の効果なし（オンボーディング完了の確率だけを変える）", "our landmark estimate": "自社のランドマーク推定値",
    "our not onboarded": "自社の未完了", "our onboarded": "自社の完了",
    "our whole company, last 12 complete months": "自社全体、直近12の完了月",
    "reached by day 90": "90日以内に到達",
    "truth: association (onboarded vs not, as they are)": "真の値: 関連（完了か否か、ありのまま）",
    "truth: effect (everyone onboarded vs no one)": "真の値: 効果（全員完了 対 誰も完了しない）",
    "whose churn": "誰の解約率か",
    # A1: health scores and alerts
    "Call the account within 5 working days: ask what changed and agree a recovery plan.":
        "5営業日以内にアカウントへ電話し、何が変わったかを聞いて立て直しの計画に合意する。",
    "Run a re-onboarding session for inactive users and review the seat count with the admin.":
        "使っていないユーザー向けに再オンボーディングを行い、管理者とシート数を見直す。",
    "all active accounts": "契約中の全アカウント", "all alerts": "全アラート",
    "churned within 6 months": "6か月以内に解約", "churners reached a month": "月あたりに連絡できた解約アカウント数",
    "column": "列", "expanded within 6 months (95% interval)": "6か月以内に増額（95%区間）",
    "green health status": "ヘルスステータスが緑",
    "growing (MRR up over 3 months)": "成長中（3か月でMRR増加）",
    "how": "集計方法", "largest MRR first": "MRRの大きい順", "lift (95% interval)": "リフト（95%区間）",
    "lowest health first": "ヘルススコアの低い順",
    "most seats in use (70% or more)": "ほとんどのシートを利用（70%以上）",
    "no allowance (ramp=None)": "考慮なし（ramp=None）", "per": "単位",
    "picked at random": "無作為に選択", "rule": "ルール", "rules": "ルール",
    "scale": "尺度", "share of the month-6 level": "6か月目の水準に対する割合",
    "status": "ステータス", "task": "タスク", "their MRR a month (JPY)": "そのMRR（円／月）",
    "trend": "推移", "under 6 months": "6か月未満", "utilisation": "利用率", "weight": "重み",
    "with the ramp allowance": "立ち上がりを考慮",
    # A2: your own data
    "(course data)": "（コースのデータ）", "95% interval": "95%区間",
    "95% interval (approximate)": "95%区間（近似）", "All customers": "全顧客",
     "average MRR (ARPA)": "平均MRR（ARPA）",
    "customers who answered": "回答した顧客数", "design effect (repeat answers)": "デザイン効果（繰り返し回答）",
    "median lifetime": "生存期間の中央値", "not given": "指定なし",
    "share extrapolated": "外挿の割合",
}

register(COURSE_JA)
