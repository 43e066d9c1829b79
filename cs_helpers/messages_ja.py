"""Japanese translations of the library's messages (every DataError and DataWarning) and of
its other sentences (:data:`SENTENCES`: shown through :mod:`cs_helpers.sentences`).

Each entry pairs the English message as the library writes it with its Japanese text.
``{name}`` marks a value copied verbatim (a column name, a number, ids, a file name);
``{*name}`` marks a piece of English that is itself translated through this catalog (a
rule, a reason); ``{{`` and ``}}`` are literal braces. The first entry whose English
matches a whole message is used, so a specific shape goes before a general one.

``tests/test_i18n_messages.py`` checks that every message template in the library has an
entry here and that every entry still matches a message the library can write (an entry
whose English changed is stale and fails the test).

Examples
--------
>>> from cs_helpers.i18n import translate_message
>>> print(translate_message("The usage table is empty (0 rows): there is nothing to measure.",
...                         "ja"))
usage テーブルが空です（0 行）。集計できるデータがありません。
"""

from __future__ import annotations

__all__ = ["MESSAGES", "PARTS", "EXTERNAL", "SENTENCES"]

_SEP_HINT = "区切り文字を含むテキストがダブルクォートで囲まれているかも確認してください"

#: (English template, Japanese template), most specific first.
MESSAGES: tuple[tuple[str, str], ...] = (
    # --- the common shape (errors._fail) and its parts --------------------------------------
    ("Column '{column}': {*rule} — {n} of {total} rows break this rule (first {*label}: "
     "{ids}{more}).",
     "列 '{column}': {rule} — {total} 行中 {n} 行が該当します（先頭の{label}: {ids}{more}）。"),
    ("Column '{column}': {*rule} — {n} of {total} rows break this rule{*which}.",
     "列 '{column}': {rule} — {total} 行中 {n} 行が該当します{which}。"),
    ("{n} rows left out: {*reason} (e.g. {ids}).", "{n} 行を除外しました: {reason}（例: {ids}）。"),
    ("{n} rows left out: {*reason}.", "{n} 行を除外しました: {reason}。"),
    # --- tables, columns, duplicates ------------------------------------------------------
    ("The {what} table is empty (0 rows): there is nothing to measure.",
     "{what} テーブルが空です（0 行）。集計できるデータがありません。"),
    ("Expected the {*what} as a pandas DataFrame, got {type}.",
     "{what}には pandas の DataFrame を渡してください（渡されたのは {type} です）。"),
    ("{word} {names}: required column missing from the usage table (it has: {have}). The "
     "health signals read it: pass signals={{name: health.Signal(...)}} naming your columns.",
     "{names}: 必要な列が usage テーブルにありません（あるのは {have} です）。ヘルスシグナルは"
     "この列を読みます。signals={{name: health.Signal(...)}} で自社の列名を指定してください。"),
    ("{word} {names}: required column missing from the {what} table (it has: {have}{*more})."
     "{*hint} Pass the right name as an argument, e.g. {*arg}='...'.",
     "{names}: 必要な列が {what} テーブルにありません（あるのは {have}{more}）。{hint}"
     "正しい列名を引数で指定してください（例: {arg}='...'）。"),
    ("{n} rows of the {*what} are exact copies of an earlier row (every column equal{*where}). "
     "With no id column each row counts as one customer: if these are repeated export lines, "
     "remove them (df.drop_duplicates()) or pass id_col=; if they are different customers who "
     "look alike, ignore this.",
     "{what}の {n} 行が、前の行とまったく同じです（すべての列が一致{where}）。ID 列がないため、"
     "1 行を 1 顧客として数えています。エクスポートで重複した行なら削除する"
     "（df.drop_duplicates()）か id_col= を指定してください。よく似た別の顧客であれば、"
     "この警告は無視してかまいません。"),
    ("{name}: must be a fraction {*range} (0.08 means 8%); got {value}, which looks like a "
     "percent: pass {fraction}.",
     "{name}: 割合は{range}の小数で指定してください（0.08 が 8% です）。渡された値は {value} "
     "で、パーセントで書いたように見えます。{fraction} を渡してください。"),
    ("{name}: must be a fraction {*range} (0.08 means 8%); got {value}.",
     "{name}: 割合は{range}の小数で指定してください（0.08 が 8% です）。渡された値は "
     "{value} です。"),
    ("{*label}: {n:n}", "{label}: {n}"),
    # --- dates and months given as arguments --------------------------------------------
    ("{name}: {value} is not a date (e.g. '2026-09-30').",
     "{name}: {value} は日付ではありません（例: '2026-09-30'）。"),
    ("{name}: {value} is not a date ({*rule}).", "{name}: {value} は日付ではありません（{rule}）。"),
    ("{name}: {value} is a number, not a date; write it as YYYY-MM-DD (e.g. '2026-09-30').",
     "{name}: {value} は日付ではなく数値です。YYYY-MM-DD の形で書いてください"
     "（例: '2026-09-30'）。"),
    ("{name}: {value} reads either as {*dm} (day/month/year) or as {*md} (month/day/year). "
     "Write it as YYYY-MM-DD (e.g. '{a}' or '{b}'), or pass dayfirst=True or dayfirst=False.",
     "{name}: {value} は {dm}（日/月/年）とも {md}（月/日/年）とも読めます。YYYY-MM-DD の形"
     "（例: '{a}' または '{b}'）で書くか、dayfirst=True か dayfirst=False を指定してください。"),
    ("{name}: expected a date or month such as '2025-03'; got {value}.",
     "{name}: '2025-03' のような日付か月を指定してください（渡された値: {value}）。"),
    ("date_format: {code} in {fmt} is not supported on Spark; use {codes}.",
     "date_format: {fmt} の {code} は Spark では使えません。使えるのは {codes} です。"),
    ("date_format={fmt} is read by pandas, DuckDB and Spark; this table is on {engine}. Cast "
     "the column to a DATE in a view (or export ISO dates, 2024-01-31) and pass that instead.",
     "date_format={fmt} を読めるのは pandas、DuckDB、Spark です（このテーブルは {engine} に"
     "あります）。ビューで列を DATE 型に変換する（または ISO 形式の日付 2024-01-31 で"
     "エクスポートする）などして、そちらを渡してください。"),
    ("observed_from: {date} is after as_of={as_of}: observation must begin before it ends.",
     "observed_from: {date} が as_of={as_of} より後になっています。観測の開始は終了より前に"
     "してください。"),
    ("observed_until: say up to which date churn is known (the data's observation date), e.g. "
     "observed_until='2026-09-30'.",
     "observed_until: 解約がいつまでわかっているか（データの観測日）を指定してください"
     "（例: observed_until='2026-09-30'）。"),
    # --- reading files -------------------------------------------------------------------
    ("format: {value} is not one of {formats}.",
     "format: {value} は指定できる形式（{formats}）のどれでもありません。"),
    ("{file}: an old Excel workbook (.xls) cannot be read. Open it in Excel and save it as "
     ".xlsx or as CSV (UTF-8).",
     "{file}: 古い Excel ブック（.xls）は読めません。Excel で開き、.xlsx か CSV（UTF-8）で"
     "保存し直してください。"),
    ("{file}: a zip archive, not a table. Unzip it and pass the CSV, Parquet or .xlsx file "
     "inside.",
     "{file}: テーブルではなく zip アーカイブです。解凍して、中の CSV・Parquet・.xlsx ファイルを"
     "渡してください。"),
    ("{file}: {*what} is not a table format cs_helpers reads: {*formats}.",
     "{file}: {what}は cs_helpers が読めるテーブル形式ではありません。{formats}。"),
    ("The file decodes as Shift-JIS (cp932), but words such as {words} look like accented "
     "Latin letters read wrongly (a Western file: é, ü, ç...). Pass encoding='cp932' if it "
     "is Japanese, or encoding='cp1252' (Excel on Windows in Western Europe and the Americas) "
     "or 'latin-1'.",
     "このファイルは Shift-JIS（cp932）として読めますが、{words} のような語はアクセント付きの"
     "ラテン文字（é、ü、ç など）を誤って読んだように見えます（欧米のファイル）。日本語の"
     "ファイルなら encoding='cp932'、そうでなければ encoding='cp1252'（欧米の Windows 版 Excel）"
     "か 'latin-1' を指定してください。"),
    ("The file is neither UTF-8 nor Shift-JIS (cp932): byte 0x{byte} at position {pos} cannot "
     "be read. Pass its encoding, e.g. encoding='cp1252' (Excel on Windows in Western Europe "
     "and the Americas) or encoding='latin-1', or save it from Excel as 'CSV UTF-8'.",
     "このファイルは UTF-8 でも Shift-JIS（cp932）でもありません（位置 {pos} のバイト "
     "0x{byte} が読めません）。encoding='cp1252'（欧米の Windows 版 Excel）や "
     "encoding='latin-1' などで文字コードを指定するか、Excel から 'CSV UTF-8' で保存し直して"
     "ください。"),
    ("{file}: the file is not valid {encoding} (byte {byte} cannot be read).{*hint} Pass the "
     "right encoding=, e.g. 'utf-8' or 'cp932' (Shift-JIS), or leave it out to detect it.",
     "{file}: このファイルは正しい {encoding} ではありません（バイト {byte} が読めません）。"
     "{hint}正しい encoding=（例: 'utf-8'、'cp932'（Shift-JIS））を指定するか、指定を外して"
     "自動判定させてください。"),
    ("{file}: the file is not valid {encoding} (byte {byte} of a block cannot be read). Pass "
     "the right encoding=.",
     "{file}: このファイルは正しい {encoding} ではありません（ブロック内のバイト {byte} が"
     "読めません）。正しい encoding= を指定してください。"),
    ("encoding: {value} is not an encoding Python knows (try 'utf-8', 'utf-8-sig', 'cp932' or "
     "'latin-1').",
     "encoding: {value} は Python が知らない文字コードです（'utf-8'、'utf-8-sig'、'cp932'、"
     "'latin-1' などを試してください）。"),
    ("encoding: {engine} reads UTF-8 only, and {file} is not a local file that could be copied "
     "to UTF-8. Convert it first.",
     "encoding: {engine} は UTF-8 しか読めず、{file} は UTF-8 にコピーできるローカル"
     "ファイルではありません。先に変換してください。"),
    ("{file} is empty (0 bytes): there is nothing to read. Check that the export finished.",
     "{file} は空です（0 バイト）。読み込むデータがありません。エクスポートが最後まで"
     "終わったか確認してください。"),
    ("{file} holds no text (only blank lines): there is nothing to read.",
     "{file} には空行しかありません。読み込むデータがありません。"),
    ("{file} holds no text: there is nothing to read.",
     "{file} にはテキストがありません。読み込むデータがありません。"),
    ("{file} has no header row: there is nothing to read.",
     "{file} には見出し行がありません。読み込むデータがありません。"),
    ("{file} has column names ({names}) but no rows: there is nothing to measure. Check the "
     "export (or pass allow_empty=True).",
     "{file} には列名（{names}）はありますが、行がありません。集計できるデータがありません。"
     "エクスポートを確認してください（空でよければ allow_empty=True を指定します）。"),
    ("{file}: every row is empty ({n} rows with no values): there is nothing to measure.",
     "{file}: すべての行が空です（値のない行が {n} 行）。集計できるデータがありません。"),
    ("{file}: column names must be unique; {name} appears {n} times. Rename the columns in "
     "the export.",
     "{file}: 列名が重複しています（{name} が {n} 回出てきます）。エクスポートで列名を変えて"
     "ください。"),
    ("{file}, sheet {sheet}: column names must be unique; {name} appears {n} times.",
     "{file}、シート {sheet}: 列名が重複しています（{name} が {n} 回出てきます）。"),
    ("{file}, sheet {sheet}: the first row (the column names) is empty; the table must start "
     "in cell A1 with one header row.",
     "{file}、シート {sheet}: 1 行目（列名の行）が空です。表はセル A1 から、見出し行 1 行で"
     "始めてください。"),
    ("{file}: the rows do not line up with the header (Expected {k} fields in line {line}, "
     "saw {m}). The separator is {sep}: pass sep= if it is another one, and check that text "
     "containing the separator is in double quotes.",
     "{file}: 行の列数が見出しと合いません（{line} 行目は {k} 列のはずが {m} 列あります）。"
     "区切り文字は {sep} です。別の文字なら sep= を指定し、" + _SEP_HINT + "。"),
    ("{file}: the rows do not line up with the header ({*detail}). The separator {*how} is "
     "{sep}: pass sep= if it is another one, and check that text containing the separator is "
     "in double quotes.",
     "{file}: 行の列数が見出しと合いません（{detail}）。区切り文字{how}は {sep} です。別の文字なら "
     "sep= を指定し、" + _SEP_HINT + "。"),
    ("{file}: DuckDB could not read it as CSV with sep={sep} ({detail}). Pass sep= and "
     "encoding= if they differ, and check that text containing the separator is in double "
     "quotes.",
     "{file}: DuckDB が sep={sep} の CSV として読めませんでした（{detail}）。区切り文字や"
     "文字コードが違う場合は sep= と encoding= を指定し、" + _SEP_HINT + "。"),
    ("The {engine} engine could not read the file: {detail} Check the separator (sep=), the "
     "encoding (encoding=) and that text containing the separator is in double quotes.",
     "{engine} エンジンでファイルを読めませんでした: {detail} 区切り文字（sep=）と文字コード"
     "（encoding=）を確認し、" + _SEP_HINT + "。"),
    ("{file}: not a readable Parquet file ({kind}: {detail}). Export it again, or pass "
     "format='csv' if it is text.",
     "{file}: 読める Parquet ファイルではありません（{kind}: {detail}）。エクスポートし直すか、"
     "テキストなら format='csv' を指定してください。"),
    ("{file}: not a readable Excel workbook ({detail}). Save it again from Excel as .xlsx, or "
     "as CSV.",
     "{file}: 読める Excel ブックではありません（{detail}）。Excel から .xlsx か CSV で保存し"
     "直してください。"),
    ("Reading .xlsx needs openpyxl: pip install openpyxl.",
     ".xlsx を読むには openpyxl が必要です: pip install openpyxl"),
    ("sheet: {file} has no sheet {sheet}; it has {sheets}.",
     "sheet: {file} にシート {sheet} はありません。あるのは {sheets} です。"),
    ("sheet: {file} has {n} sheet(s) ({names}); sheet={sheet} is not one of them (0 is the "
     "first).",
     "sheet: {file} のシートは {n} 枚（{names}）で、sheet={sheet} はその中にありません"
     "（0 が最初のシートです）。"),
    ("data_path: file not found: {path} (looked in {where}).",
     "data_path: ファイルが見つかりません: {path}（探した場所: {where}）。"),
    ("data_path: no file matches {pattern}.",
     "data_path: {pattern} に一致するファイルがありません。"),
    ("data_path: {path} is a folder; pass one file (for a folder of Parquet files use "
     "engine='duckdb' or 'spark').",
     "data_path: {path} はフォルダです。ファイルを 1 つ渡してください（Parquet ファイルの"
     "フォルダなら engine='duckdb' か 'spark' を使います）。"),
    ("data_path: {path} is not a local file; engine='pandas' reads one local file (use "
     "engine='duckdb' or 'spark' for globs and URLs).",
     "data_path: {path} はローカルファイルではありません。engine='pandas' が読めるのはローカル"
     "ファイル 1 つです（ワイルドカードや URL には engine='duckdb' か 'spark' を使います）。"),
    ("decimal: Spark reads numbers with '.' only; got decimal={value}. Read the file with "
     "engine='pandas' or 'duckdb', or convert it first.",
     "decimal: Spark が読める小数点は '.' だけです（渡された値: decimal={value}）。"
     "engine='pandas' か 'duckdb' で読むか、先に変換してください。"),
    ("Expected a pandas or polars DataFrame, a pyarrow Table, a DuckDB relation, a Spark "
     "DataFrame or an Ibis table, got {module}.{type}. Convert it first (e.g. "
     "pd.DataFrame(...), or duckdb.read_parquet('file.parquet') for files on disk).",
     "pandas または polars の DataFrame、pyarrow の Table、DuckDB のリレーション、Spark の "
     "DataFrame、Ibis のテーブルのいずれかを渡してください（渡されたのは {module}.{type} です）。"
     "先に変換してください（例: pd.DataFrame(...)、ディスク上のファイルなら "
     "duckdb.read_parquet('file.parquet')）。"),
    ("id_cols: column {name} is not in {what} (it has: {have}).{*hint}",
     "id_cols: 列 {name} が {what} にありません（あるのは {have} です）。{hint}"),
    ("Unknown dataset {name}; choose one of: {names}.",
     "データセット {name} はありません。次から選んでください: {names}。"),
    # --- lifetimes, tenure, churn -------------------------------------------------------
    ("Column '{column}': every customer starts after as_of={as_of} (earliest start {first}), "
     "so nobody was a customer then. Choose a later as_of.",
     "列 '{column}': すべての顧客の開始が as_of={as_of} より後です（最も早い開始は {first}）。"
     "その時点では誰も顧客ではありません。もっと後の as_of を指定してください。"),
    ("month: must be one of {values} (calendar months between anniversaries, or blocks of "
     "{days} days); got {value}.",
     "month: {values} のいずれかを指定してください（契約応当日で区切る暦月か、{days} 日ごとの"
     "区切りか）。渡された値は {value} です。"),
    ("tenure_unit: must be one of {values}; got {value}.",
     "tenure_unit: {values} のいずれかを指定してください（渡された値: {value}）。"),
    ("window: pass the length of the observation window in {unit} (a number > 0) or 'all'; "
     "got {value}.",
     "window: 観測期間の長さを {unit} 単位の数（0 より大きい数）か 'all' で指定してください"
     "（渡された値: {value}）。"),
    ("window: the observation window must be a number of {unit} above 0 (or 'all'); got "
     "{value}.",
     "window: 観測期間は 0 より大きい {unit} の数（または 'all'）で指定してください"
     "（渡された値: {value}）。"),
    ("window: snapshot_entry needs the window's length (a number).",
     "window: snapshot_entry には観測期間の長さ（数値）が必要です。"),
    ("window: must be at least 1 month; got {value}.",
     "window: 1 か月以上を指定してください（渡された値: {value}）。"),
    ("Column '{column}': tenure_unit={unit}, but {*looks}. If they are {*suggestion}, pass "
     "tenure_unit={suggested} (durations become {*how}); if they really are {*unit_word}, "
     "ignore this warning.",
     "列 '{column}': tenure_unit={unit} ですが、{looks}。{suggestion}であれば "
     "tenure_unit={suggested} を指定してください（期間は{how}になります）。本当に{unit_word}"
     "であれば、この警告は無視してかまいません。"),
    ("A tenure table cannot say when each customer came under observation. Read as a full "
     "history (everyone followed from their first month), which overstates survival if the "
     "table is a snapshot of the customers active on some date: on a simulated snapshot, "
     "{*bias}. Pass window=W (the length of the observation window, in tenure_unit) if the "
     "churn flag means 'left during the last W', to get an entry column for "
     "cs.survival_curves(..., entry_col='entry'); or window='all' if every customer who ever "
     "joined is in the table.",
     "利用期間のテーブルからは、各顧客をいつから観測しているかがわかりません。ここでは全履歴"
     "（全員を最初の月から追跡）として読みました。テーブルがある日に契約中だった顧客の"
     "スナップショットであれば、継続率を高く見積もりすぎます（シミュレーションで作った"
     "スナップショットでは {bias}）。解約フラグが「直近 W の間に解約」を意味するなら window=W"
     "（観測期間の長さ、tenure_unit 単位）を指定してください。cs.survival_curves(..., "
     "entry_col='entry') に使う entry 列ができます。これまでに契約したすべての顧客がテーブルに"
     "あるなら window='all' を指定してください。"),
    ("Column '{column}': the data span less than window={window} months, so no base month can "
     "be followed to its end.",
     "列 '{column}': データの期間が window={window} か月に満たないため、最後まで追跡できる"
     "基準月がありません。"),
    ("Pooled churn is undefined (n/a): {*why}, so nobody was at risk of churning. This is not "
     "a churn of 0%.",
     "合算したチャーンレート（解約率）は計算できません（n/a）: {why}ため、解約しうる顧客が"
     "いません。チャーンレート 0% という意味ではありません。"),
    ("Churn per customer-month is undefined (n/a): the table has no time at risk (every "
     "duration is 0). This is not a churn of 0%.",
     "顧客・月あたりのチャーンレートは計算できません（n/a）。テーブルに解約しうる期間が"
     "ありません（期間がすべて 0 です）。チャーンレート 0% という意味ではありません。"),
    ("Outcome window not fully observed: as_of {as_of} + {months} months ends on {end}, after "
     "observed_until {until}, so churn in it would be undercounted. Choose as_of <= {latest} "
     "or a shorter horizon.",
     "結果を見る期間が観測しきれていません: as_of {as_of} + {months} か月は {end} に終わり、"
     "observed_until {until} より後です。このままでは解約を少なく数えてしまいます。"
     "as_of <= {latest} にするか、horizon を短くしてください。"),
    ("Column '{column}': no customer churned, so churn propensity cannot be estimated.",
     "列 '{column}': 解約した顧客がいないため、解約のしやすさを推定できません。"),
    # --- survival curves --------------------------------------------------------------
    ("{n} customers{*where} have an empty observation (entry equal to the end of their "
     "follow-up, e.g. a start on the observation date or a tenure of 0): they carry no "
     "information about any later month and are left out of the curve{*lost}. They stay in "
     "`counts`.",
     "{n} 人の顧客{where}は観測期間が空です（entry が追跡の終わりと同じ。たとえば観測日に開始、"
     "または利用期間 0）。以降の月について情報がないため、曲線から除外しました{lost}。"
     "`counts` には残っています。"),
    ("Column '{column}': the curve{*where} cannot be estimated with late entry: at some month "
     "every customer then under observation churned, so it would drop to 0 and stay there "
     "({detail}). Too few customers were observed at those tenures: use a longer observation "
     "window, more customers, or read the curve only up to where enough customers are at "
     "risk.",
     "列 '{column}': 遅延エントリー（左側切断）では曲線{where}を推定できません。ある月に、"
     "そのとき観測していた顧客が全員解約したため、曲線が 0 に落ちてそのままになります"
     "（lifelines のメッセージ: {detail}）。その利用期間で観測できた顧客が少なすぎます。観測期間を長くするか、顧客を"
     "増やすか、解約しうる顧客が十分いるところまでで曲線を読んでください。"),
    ("survival_at: t = {t} {unit} is past the last follow-up of {group}: the curve is unknown "
     "there, shown as NaN.",
     "survival_at: t = {t} {unit} は {group} の追跡期間の終わりより後です。そこでは曲線が"
     "わからないため、NaN で示します。"),
    ("compare() needs at least two groups: pass by=... when fitting.",
     "compare() には 2 つ以上のグループが必要です。推定するときに by=... を指定してください。"),
    ("t: months must be finite and >= 0; got {value}.",
     "t: 月数は 0 以上の有限の数にしてください（渡された値: {value}）。"),
    ("t: whole months >= 0; got {value}.",
     "t: 0 以上の整数の月数にしてください（渡された値: {value}）。"),
    # --- LTV -----------------------------------------------------------------------------
    ("{name}: must be a non-negative number, got {value}.",
     "{name}: 0 以上の数を指定してください（渡された値: {value}）。"),
    ("horizon: must be a positive number of months, got {value}.",
     "horizon: 0 より大きい月数を指定してください（渡された値: {value}）。"),
    ("With no churn and no discounting the LTV over an endless horizon is infinite: give a "
     "horizon or a discount rate.",
     "解約も割引もないと、期間に終わりのない LTV（顧客生涯価値）は無限大になります。horizon か"
     "割引率を指定してください。"),
    ("With alpha <= 1 the undiscounted expected lifetime is infinite: use a positive discount "
     "rate.",
     "alpha <= 1 では、割引しない期待継続期間が無限大になります。0 より大きい割引率を使って"
     "ください。"),
    ("The discounted lifetime did not converge within {n} periods: the discount rate per "
     "period is too small for this model (alpha = {alpha}).",
     "割引後の継続期間が {n} 期以内に収束しませんでした。このモデル（alpha = {alpha}）には、"
     "1 期あたりの割引率が小さすぎます。"),
    ("alpha and beta: must be positive numbers; got {alpha}, {beta}.",
     "alpha と beta: 0 より大きい数を指定してください（渡された値: {alpha}, {beta}）。"),
    ("Column 'alive': need one cohort's counts still active at t = 0, 1, 2, ... (3 or more "
     "values).",
     "列 'alive': 1 つのコホートについて、t = 0, 1, 2, ... の時点で継続している人数"
     "（3 個以上の値）が必要です。"),
    ("No churn events after month {month}: the sBG model cannot be fitted without any.",
     "{month} か月目より後に解約がありません。解約が 1 件もないと sBG モデルは推定できません。"),
    ("{model} has no standard errors: only a model fitted to data (ShiftedBetaGeometric.fit "
     "or fit_lifetimes) carries them.",
     "{model} には標準誤差がありません。標準誤差があるのは、データから推定したモデル"
     "（ShiftedBetaGeometric.fit か fit_lifetimes）だけです。"),
    ("renewals: a whole number, 0 or more; got {value}.",
     "renewals: 0 以上の整数を指定してください（渡された値: {value}）。"),
    ("Pass one curve: e.g. curves.fitters['label'].",
     "曲線を 1 本だけ渡してください（例: curves.fitters['label']）。"),
    ("The survival curve is empty: give S(t) for at least one month.",
     "生存曲線が空です。少なくとも 1 か月分の S(t) を渡してください。"),
    ("tail: 'geometric', 'sbg' or 'none', got {value}.",
     "tail: 'geometric'、'sbg'、'none' のいずれかを指定してください（渡された値: {value}）。"),
    ("horizon: must be a finite number of months, at least 1 (e.g. 60); beyond the data the "
     "curve is extrapolated, see `tail`.",
     "horizon: 1 以上の有限の月数を指定してください（例: 60）。データより先の期間は曲線を外挿"
     "します（`tail` を参照）。"),
    ("tail_months: a whole number of months, at least 1; got {value}.",
     "tail_months: 1 以上の整数の月数を指定してください（渡された値: {value}）。"),
    ("min_at_risk: a number of customers, 0 or more; got {value}.",
     "min_at_risk: 0 以上の顧客数を指定してください（渡された値: {value}）。"),
    ("tail='sbg' needs the counts behind the curve: pass the lifelines fitter (e.g. "
     "curves.fitters['all']), not a Series.",
     "tail='sbg' には曲線のもとになった人数が必要です。Series ではなく lifelines の fitter"
     "（例: curves.fitters['all']）を渡してください。"),
    ("sbg_from: must be below the last month of data ({last}); got {value}.",
     "sbg_from: データの最後の月（{last}）より前を指定してください（渡された値: {value}）。"),
    ("survival: give S(0), S(1), ... at whole months: at least two values in [0, 1], never "
     "increasing.",
     "survival: S(0), S(1), ... を整数の月ごとに渡してください。0〜1 の値が 2 個以上で、"
     "途中で増えないものです。"),
    ("at_risk: one weight per month 0..{last}; got {n}.",
     "at_risk: 0〜{last} か月の各月に 1 つずつ重みを渡してください（渡された数: {n}）。"),
    ("at_risk: weights must be finite and >= 0.", "at_risk: 重みは 0 以上の有限の数にしてください。"),
    ("arpa: a non-negative amount per month; got {value}.",
     "arpa: 月あたりの金額を 0 以上で指定してください（渡された値: {value}）。"),
    ("confidence: must be one number between 0 and 1, e.g. 0.95; got {value}.",
     "confidence: 0 と 1 の間の数を 1 つ指定してください（例: 0.95。渡された値: {value}）。"),
    ("LTV of {label}: {*detail}", "{label} の LTV: {detail}"),
    ("LTV: {*detail}", "LTV: {detail}"),
    ("horizon: a whole number of months >= 1, e.g. {example} (5 years); got {value}. Customers "
     "who differ have a long tail, so lifetimes are always counted over a stated horizon.",
     "horizon: 1 以上の整数の月数を指定してください（例: {example}（5 年）。渡された値: "
     "{value}）。顧客ごとに違いがあると継続期間の分布の裾が長くなるため、継続期間は必ず"
     "期間を決めて数えます。"),
    ("horizon_months: a whole number of months >= 1 (e.g. 60); got {value}.",
     "horizon_months: 1 以上の整数の月数を指定してください（例: 60。渡された値: {value}）。"),
    ("name: unknown assumption {name}; use annual_discount_rate, horizon_months, "
     "b2b.gross_margin or b2c.gross_margin.",
     "name: {name} という前提はありません。annual_discount_rate、horizon_months、"
     "b2b.gross_margin、b2c.gross_margin のいずれかを使ってください。"),
    ("name: unknown assumption {name}.", "name: {name} という前提はありません。"),
    ("business: 'b2c' or 'b2b', got {value}.",
     "business: 'b2c' か 'b2b' を指定してください（渡された値: {value}）。"),
    # --- phases and the phase model ---------------------------------------------------------
    ("labels: {name} is reserved for the pooled row; rename it or pass overall=False.",
     "labels: {name} は全体をまとめた行の名前として予約されています。名前を変えるか、"
     "overall=False を指定してください。"),
    ("labels: use 'en', 'ja' or a list of names; got {value}.",
     "labels: 'en'、'ja'、または名前のリストを指定してください（渡された値: {value}）。"),
    ("labels: phase names must be distinct; got {value}.",
     "labels: フェーズ名が重複しています（渡された値: {value}）。"),
    ("labels: {b} boundaries make {k} phases, but {n} labels were given ({labels}).",
     "labels: 境界が {b} 個ならフェーズは {k} 個ですが、ラベルが {n} 個渡されました（{labels}）。"),
    ("boundaries: give at least one phase boundary in months, e.g. (3, 9).",
     "boundaries: フェーズの境界を月数で 1 つ以上指定してください（例: (3, 9)）。"),
    ("boundaries: every boundary must be a positive number of months; got {value}.",
     "boundaries: 境界はすべて 0 より大きい月数にしてください（渡された値: {value}）。"),
    ("boundaries: must be strictly increasing, e.g. (3, 9); got {value}.",
     "boundaries: 境界は小さい順に、同じ値を含めずに並べてください（例: (3, 9)。渡された値: "
     "{value}）。"),
    ("boundaries: what-if calculations run month by month, so boundaries must be whole "
     "months; got {value}.",
     "boundaries: what-if の計算は 1 か月ずつ進めるため、境界は整数の月数にしてください"
     "（渡された値: {value}）。"),
    ("boundaries: nobody was at risk in phase {phase} [{a}, {b}) months, so its multiplier "
     "cannot be estimated; choose other boundaries.",
     "boundaries: フェーズ {phase}（{a}〜{b} か月、{b} は含まない）に解約しうる顧客がいない"
     "ため、その倍率を推定できません。別の境界を選んでください。"),
    ("hazards: the continuation table has several segments ({segments}); select one "
     "segment's rows first.",
     "hazards: 継続率の表に複数のセグメント（{segments}）があります。先に 1 つのセグメントの"
     "行を選んでください。"),
    ("hazards: no hazard for phase(s) {missing}; expected keys {names}.",
     "hazards: フェーズ {missing} のハザードがありません。必要なキーは {names} です。"),
    ("hazards: {b} boundaries make {k} phases, but {n} hazards were given.",
     "hazards: 境界が {b} 個ならフェーズは {k} 個ですが、ハザードが {n} 個渡されました。"),
    ("horizon: must be a whole number of months >= 0; got {value}.",
     "horizon: 0 以上の整数の月数を指定してください（渡された値: {value}）。"),
    ("hazards: the last phase has hazard 0 and there is no discounting, so customers never "
     "leave and the expected lifetime is infinite; pass a horizon.",
     "hazards: 最後のフェーズのハザードが 0 で割引もないため、顧客が解約せず期待継続期間が"
     "無限大になります。horizon を指定してください。"),
    ("changes: unknown phase(s) {unknown}; phases are {names}.",
     "changes: フェーズ {unknown} はありません。フェーズは {names} です。"),
    ("changes: multipliers must be >= 0; got {value}.",
     "changes: 倍率は 0 以上にしてください（渡された値: {value}）。"),
    ("changes: a changed hazard exceeds 1 per month; use smaller multipliers.",
     "changes: 変更後のハザードが月あたり 1 を超えます。倍率を小さくしてください。"),
    ("plot_continuation: several segment columns {columns}; pass by=.",
     "plot_continuation: セグメントの列が複数あります（{columns}）。by= を指定してください。"),
    ("multipliers: must be positive numbers; got {value}.",
     "multipliers: 倍率は 0 より大きい数にしてください（渡された値: {value}）。"),
    ("multipliers: unknown phase(s) {unknown}; phases are {names}.",
     "multipliers: フェーズ {unknown} はありません。フェーズは {names} です。"),
    ("multipliers: {k} phases, but {n} multipliers were given.",
     "multipliers: フェーズは {k} 個ですが、倍率が {n} 個渡されました。"),
    ("phase_multiplier: unknown phase(s) {unknown}; use {names}.",
     "phase_multiplier: フェーズ {unknown} はありません。{names} を使ってください。"),
    ("reference: {name} is not a phase; phases are {names}.",
     "reference: {name} はフェーズではありません。フェーズは {names} です。"),
    ("method: must be one of {values}; got {value}.",
     "method: {values} のいずれかを指定してください（渡された値: {value}）。"),
    ("months: a whole number >= 0, got {value}.",
     "months: 0 以上の整数を指定してください（渡された値: {value}）。"),
    ("draws: a whole number >= 100; got {value}.",
     "draws: 100 以上の整数を指定してください（渡された値: {value}）。"),
    ("nodes: a whole number >= 8; got {value}.",
     "nodes: 8 以上の整数を指定してください（渡された値: {value}）。"),
    ("n_resamples: a whole number >= 1; got {value}.",
     "n_resamples: 1 以上の整数を指定してください（渡された値: {value}）。"),
    ("{name}: must be a whole number of months >= 1; got {value}.",
     "{name}: 1 以上の整数の月数を指定してください（渡された値: {value}）。"),
    ("{name} must be a whole number of at least 1, got {value}.",
     "{name} には 1 以上の整数を指定してください（渡された値: {value}）。"),
    ("PhaseModel.fit: the optimiser did not converge ({detail}); treat the estimates with care.",
     "PhaseModel.fit: 最適化が収束しませんでした（{detail}）。推定値の扱いに注意してください。"),
    ("PhaseModel.fit: the information matrix is not positive definite at the estimate (a "
     "parameter is not identified by these data), so no standard errors or intervals.",
     "PhaseModel.fit: 推定値で情報行列が正定値になりません（このデータではパラメータが識別"
     "できません）。そのため標準誤差と区間は出せません。"),
    # --- health scores ----------------------------------------------------------------
    ("Signal on {column}: a 'ratio' needs per= (denominator).",
     "{column} のシグナル: 'ratio' には per=（分母）が必要です。"),
    ("Signal.how: use 'ratio', 'mean' or 'trend'; got {value}.",
     "Signal.how: 'ratio'、'mean'、'trend' のいずれかを使ってください（渡された値: {value}）。"),
    ("Signal on {column}: scale must be (low, high) with low < high; got {value}.",
     "{column} のシグナル: scale は low < high の (low, high) にしてください（渡された値: "
     "{value}）。"),
    ("Signal on {column}: weight must be >= 0; got {value}.",
     "{column} のシグナル: weight は 0 以上にしてください（渡された値: {value}）。"),
    ("signals: give at least one signal.", "signals: シグナルを 1 つ以上指定してください。"),
    ("signals[{name}]: expected a health.Signal, got {type}.",
     "signals[{name}]: health.Signal を渡してください（渡されたのは {type} です）。"),
    ("weights: at least one signal needs a weight above 0.",
     "weights: 少なくとも 1 つのシグナルの重みを 0 より大きくしてください。"),
    ("weights: unknown signal(s) {unknown}; signals are {names}.",
     "weights: シグナル {unknown} はありません。シグナルは {names} です。"),
    ("ramp: expected a health.Ramp or None, got {type}.",
     "ramp: health.Ramp か None を渡してください（渡されたのは {type} です）。"),
    ("ramp: expected a health.Ramp, got {type}.",
     "ramp: health.Ramp を渡してください（渡されたのは {type} です）。"),
    ("Ramp.min_rows: must be a whole number >= 1; got {value}.",
     "Ramp.min_rows: 1 以上の整数を指定してください（渡された値: {value}）。"),
    ("No account active at the end of {month} could be scored.",
     "{month} 末に契約中のアカウントのうち、スコアを計算できたものがありません。"),
    ("No account has a usage row in {month} (as_of): nothing to score. The usage table covers "
     "{first} to {last}.",
     "{month}（as_of）に利用データのあるアカウントがないため、スコアを計算できません。"
     "usage テーブルの期間は {first}〜{last} です。"),
    ("Column '{column}': accounts with usage must appear in the accounts table (it gives their "
     "start date, for tenure) — {n} accounts do not (first ids: {ids}).",
     "列 '{column}': 利用データのあるアカウントは accounts テーブルにも必要です（利用期間の"
     "計算に開始日を使います）— {n} アカウントがありません（先頭の ID: {ids}）。"),
    ("Rule {rule} needs the {what} table: pass {arg}=...",
     "ルール {rule} には {what} テーブルが必要です。{arg}=... を渡してください。"),
    ("Rule {rule}: no signal {name} in the health score; signals are computed by "
     "health.score(signals=...).",
     "ルール {rule}: ヘルススコアにシグナル {name} がありません。シグナルは "
     "health.score(signals=...) で計算します。"),
    ("capacity: calls per month, a whole number >= 0; got {value}.",
     "capacity: 月あたりの対応件数を 0 以上の整数で指定してください（渡された値: {value}）。"),
    ("thresholds: give (low, high) with 0 <= low < high <= 100; got {value}.",
     "thresholds: 0 <= low < high <= 100 の (low, high) を指定してください（渡された値: "
     "{value}）。"),
    ("months: give at least one month to check.",
     "months: 確認する月を 1 つ以上指定してください。"),
    ("alert_history: give the months to check as months=..., not as_of.",
     "alert_history: 確認する月は as_of ではなく months=... で指定してください。"),
    ("backtest_alerts: unknown keyword(s) {names}.",
     "backtest_alerts: 不明なキーワード引数があります: {names}。"),
    # --- NPS -----------------------------------------------------------------------------
    ("Pass one column of scores (e.g. df['score']), not a whole table.",
     "テーブル全体ではなく、スコアの列を 1 つ渡してください（例: df['score']）。"),
    ("{name}: counts must be whole numbers of at least 0.",
     "{name}: 件数は 0 以上の整数にしてください。"),
    ("Every survey needs at least one answer (a count above 0).",
     "どの調査にも少なくとも 1 件の回答（0 より大きい件数）が必要です。"),
    ("cluster: pass one column of cluster ids (e.g. df['account_id']), not a whole table.",
     "cluster: テーブル全体ではなく、クラスター ID の列を 1 つ渡してください"
     "（例: df['account_id']）。"),
    ("cluster: one id per answer is needed, but there are {n} answers and {k} cluster ids.",
     "cluster: 回答ごとに ID が 1 つ必要ですが、回答は {n} 件、クラスター ID は {k} 個です。"),
    ("cluster: the scores and the cluster ids have different row labels; take both from the "
     "same table (e.g. df['score'], df['account_id']).",
     "cluster: スコアとクラスター ID の行ラベルが違います。両方を同じテーブルから取ってください"
     "（例: df['score']、df['account_id']）。"),
    ("cluster: pass one cluster id (e.g. the account id) per answer, not {what} {value}.",
     "cluster: 回答ごとにクラスター ID（アカウント ID など）を 1 つ渡してください（渡されたのは "
     "{what} {value} です）。"),
    ("cluster: in by(), pass the name of the column of cluster ids, e.g. "
     "cluster='account_id'.",
     "cluster: by() ではクラスター ID の列名を渡してください（例: cluster='account_id'）。"),
    ("cluster: pass a pair (clusters_of_a, clusters_of_b), one id per answer in each group, "
     "e.g. cluster=(a_df['account_id'], b_df['account_id']).",
     "cluster: 各グループの回答ごとの ID を組 (clusters_of_a, clusters_of_b) で渡してください"
     "（例: cluster=(a_df['account_id'], b_df['account_id'])）。"),
    ("{*what}: only {n} {*kind}, fewer than min_n={min_n}: a small sample ({*margin}); do not "
     "rank teams or track changes on it.",
     "{what}: {kind}が {n} しかなく、min_n={min_n} より少ない小さなサンプルです（{margin}）。"
     "これでチームを順位づけしたり、変化を追ったりしないでください。"),
    ("NPS compare: {n} clusters answer in both groups (e.g. {ids}); the groups are treated as "
     "independent, which overstates the SE of the difference when an account's answers agree.",
     "NPS 比較: {n} 個のクラスターが両方のグループで回答しています（例: {ids}）。グループを独立"
     "として扱うため、同じアカウントの回答が似ている場合は差の標準誤差を大きく見積もります。"),
    # --- the report --------------------------------------------------------------------
    ("The report needs these parameters for {source} ({*form}):\n  - {*lines+}\n{*columns/}\n"
     "Pass each "
     "with -p name value (quote names with spaces: -p id_col 'Customer ID'; use -r instead of "
     "-p for a name that looks like a number). Optional columns may be left out or set to "
     "None.",
     "レポートには、{source}（{form}）について次のパラメータが必要です:\n  - {lines}\n{columns}\n"
     "それぞれ -p 名前 値 の形で渡してください（空白を含む名前は引用符で囲みます: -p id_col "
     "'Customer ID'。数値に見える名前には -p の代わりに -r を使います）。任意の列は省略するか "
     "None にできます。"),
    ("segment_col: {name} has {n} distinct values; a segment groups customers (a plan, a size "
     "band, a channel), at most {limit} of them. Pass a column with fewer values, or "
     "segment_col=None.",
     "segment_col: {name} には {n} 種類の値があります。セグメントは顧客をまとめるもの（プラン、"
     "規模帯、チャネルなど）で、多くても {limit} 個までです。値の種類が少ない列を渡すか、"
     "segment_col=None にしてください。"),
    ("connection: the environment variable {name} is not set (or is empty); set it to the "
     "connection string before running the report, e.g. export {name2}=\"postgresql://"
     "analyst@db.example.com:5432/crm\".",
     "connection: 環境変数 {name} が設定されていません（または空です）。レポートを実行する前に"
     "接続文字列を設定してください（例: export {name2}=\"postgresql://analyst@db.example.com"
     ":5432/crm\"）。"),
    ("connection: {text} has a masked password ({mask}) and the full string is not in {env}. "
     "Pass the connection string to `make report CONNECTION=...`, or keep the password out "
     "of it (~/.pgpass, PGPASSWORD) or the whole string in an environment variable: -p "
     "connection '$CS_WAREHOUSE_URL'.",
     "connection: {text} のパスワードは伏せられており（{mask}）、完全な文字列が {env} に"
     "ありません。接続文字列を `make report CONNECTION=...` に渡すか、パスワードを文字列から"
     "外す（~/.pgpass、PGPASSWORD）か、文字列全体を環境変数に入れてください: -p connection "
     "'$CS_WAREHOUSE_URL'"),
    ("connection: {text} is not a connection string; write it as "
     "postgresql://user@host:5432/database or duckdb:///path/to/file.db (or $NAME for one "
     "kept in the environment variable NAME).",
     "connection: {text} は接続文字列ではありません。postgresql://user@host:5432/database "
     "か duckdb:///path/to/file.db の形で書いてください（環境変数 NAME に入れた文字列なら "
     "$NAME）。"),
    ("connection: DuckDB file not found: {path} (duckdb:///path/to/file.db is an absolute "
     "path, duckdb://file.db a path relative to the working folder).",
     "connection: DuckDB ファイルが見つかりません: {path}（duckdb:///path/to/file.db は絶対"
     "パス、duckdb://file.db は作業フォルダからの相対パスです）。"),
    ("connection: DuckDB could not open {path}: {detail}",
     "connection: DuckDB で {path} を開けませんでした: {detail}"),
    ("connection: could not connect to {where}: {detail}",
     "connection: {where} に接続できませんでした: {detail}"),
    ("{parameter}: no table {name}{cause}.{*near} {*listing} Pass -p {parameter2} <name> "
     "(schema.name for a table in another schema).",
     "{parameter}: テーブル {name} がありません{cause}。{near}{listing} -p {parameter2} <名前> "
     "で指定してください（別のスキーマのテーブルは schema.name）。"),
    ("The report cannot tell where the tables are:\n  - {*problems+}",
     "レポートがテーブルの場所を判断できません:\n  - {problems}"),
    ("{parameter}: {name} is a table name, but no connection is given: pass -p connection "
     "postgresql://user@host:5432/database (or duckdb:///path/to/file.db) with it.",
     "{parameter}: {name} はテーブル名ですが、接続先が指定されていません。-p connection "
     "postgresql://user@host:5432/database（または duckdb:///path/to/file.db）も渡して"
     "ください。"),
    ("table: not given: the customers table in {where}. Tables it can see: none. Pass -p "
     "table <name>.",
     "table: 指定がありません。{where} の顧客テーブルを指定してください。見えるテーブル: "
     "なし。-p table <名前> で渡してください。"),
    ("table: not given: the customers table in {where}. Tables it can see: {tables}. Pass -p "
     "table <name>.",
     "table: 指定がありません。{where} の顧客テーブルを指定してください。見えるテーブル: "
     "{tables}。-p table <名前> で渡してください。"),
)

#: The library's sentences that are not messages (what an assumption or a parameter means,
#: how a file was read, the report's words...): shown through :func:`cs_helpers.sentences.say`
#: and :class:`cs_helpers.sentences.Sentence`, matched like PARTS (they are part of it, before
#: its most general pieces). ``tests/test_i18n_sentences.py`` checks them.
SENTENCES: tuple[tuple[str, str], ...] = (
    # --- the report's words (cs_helpers.report) ----------------------------------------------
    ("n/a", "—"),
    ("not reached", "未到達"),
    ("{n:n} months", "{n}か月"),
    ("a pandas table", "pandasのテーブル"),
    ("a {engine} table", "{engine}のテーブル"),
    ("the connection", "接続先"),
    ("the monthly revenue table ({mrr} by {month})", "月次売上テーブル（{month}ごとの{mrr}）"),
    ("one MRR per customer ({mrr}) with the start and end dates",
     "顧客ごとに一つのMRR（{mrr}）と開始日・終了日"),
    ("**Revenue: {p} of MRR lost a month.** That share of the monthly revenue went with "
     "customers who left, pooled over the last {n} months{*gross}.",
     "**売上: 毎月MRRの{p}を失っています。** 直近{n}か月の通算で、月次売上のうちこの割合が"
     "解約した顧客とともに失われました{gross}。"),
    ("{p} of the monthly revenue went with customers who left, pooled over the last {n} "
     "months{*gross}.",
     "直近{n}か月の通算で、月次売上の{p}が解約した顧客とともに失われました{gross}。"),
    (" ({p} with downgrades)", "（ダウングレードを含めると{p}）"),
    (" Of the MRR paid in {month} by {n} customers, {grr} was still paid 12 months later not "
     "counting upgrades (GRR) and, one MRR per customer, NRR is the same.",
     "{month}に顧客{n}件が支払っていたMRRのうち、12か月後も支払われていたのはアップグレードを"
     "除いて{grr}です（GRR）。顧客ごとのMRRが一つしかないため、NRRも同じ値です。"),
    (" Of the MRR paid in {month} by {n} customers, {grr} was still paid 12 months later not "
     "counting upgrades (GRR) and {nrr} counting them (NRR).",
     "{month}に顧客{n}件が支払っていたMRRのうち、12か月後も支払われていたのはアップグレードを"
     "除くと{grr}（GRR）、含めると{nrr}（NRR）です。"),
    (" The revenue data span less than 13 months, so 12-month retention is n/a.",
     "売上データの期間が13か月に満たないため、12か月後の売上継続率は出せません。"),
    ("Figure", "図"),
    ("Figure: {section}", "図: {section}"),
    ("Customer KPI report", "顧客KPIレポート"),
    ("Usage: make report DATA=path/to/table.csv [ARGS=\"-p name value ...\"]\n   or: make "
     "report CONNECTION=postgresql://user@host:5432/db TABLE=subscriptions [ARGS=...]\n"
     "(python tasks.py report --data ... / --connection ... --table ...)",
     "使い方: make report DATA=path/to/table.csv [ARGS=\"-p name value ...\"]\n  または: make "
     "report CONNECTION=postgresql://user@host:5432/db TABLE=subscriptions [ARGS=...]\n"
     "（`python tasks.py report --data ...` / `--connection ... --table ...` でも同じです）"),
    ("Report: {path}", "レポート: {path}"),
    # the command line's help (python -m cs_helpers.report --help)
    ("usage: ", "使い方: "),
    ("positional arguments", "位置引数"),
    ("options", "オプション"),
    ("commands", "コマンド"),
    ("show this help message and exit", "このヘルプを表示して終了します"),
    ("Run notebook A2 on a file or a database table and write reports/report.html; "
     "papermill's arguments (-p name value) follow.",
     "ファイルまたはデータベースのテーブルに対してノートブック A2 を実行し、"
     "reports/report.html を書き出します。続けて papermill の引数（-p 名前 値）を指定できます。"),
    ("the customers file", "顧客データのファイル"),
    ("database connection string (postgresql://..., duckdb:///f.db)",
     "データベースの接続文字列（postgresql://...、duckdb:///f.db）"),
    ("the folder for report.ipynb and report.html (default: reports)",
     "report.ipynb と report.html を書き出すフォルダー（既定: reports）"),
    ("the folder the notebook runs in (default: the current one)",
     "ノートブックを実行するフォルダー（既定: 現在のフォルダー）"),
    ("keep the code in the HTML report", "HTML のレポートにコードも残します"),
    ("the notebook to run (default: A2 in the language in effect)",
     "実行するノートブック（既定: 使用中の言語の A2）"),
    ("Report helpers for notebook A2: 'run' (papermill's arguments), 'make' and 'html'.",
     "ノートブック A2 のレポート用コマンドです: 'run'（papermill の引数）、'make'、'html'。"),
    ("write an executed report notebook as HTML",
     "実行済みのレポートのノートブックを HTML に書き出します"),
    ("the executed report notebook (.ipynb)", "実行済みのレポートのノートブック（.ipynb）"),
    ("the HTML file to write (default: next to the notebook)",
     "書き出す HTML ファイル（既定: ノートブックと同じ場所）"),
    ("keep the code (default: the notebook's show_code parameter)",
     "コードを残します（既定: ノートブックのパラメーター show_code に従います）"),
    # --- health alerts (cs_helpers.health.alerts): tasks and details ----------------------------
    ("Call the account within 5 working days: ask what changed and agree a recovery plan.",
     "5営業日以内にアカウントへ電話し、何が変わったかを聞いて、立て直しの計画を合意します。"),
    ("Run a re-onboarding session for inactive users and review the seat count with the admin.",
     "使っていないユーザー向けに再オンボーディングを行い、管理者とシート数を見直します。"),
    ("Share a customer story with the champion, set a target for deals sourced and check who "
     "owns the tool.",
     "推進役（チャンピオン）に他社の活用事例を紹介し、ツール経由の商談数の目標を決め、"
     "ツールの担当者が誰かを確認します。"),
    ("Close the loop: call the respondent within 48 hours, log the reason and agree a fix.",
     "回答者に48時間以内に電話してフォローし、理由を記録して改善策を合意します。"),
    ("Review the open tickets with support, then call the admin: is a wider problem behind "
     "them?",
     "未解決のチケットをサポートと確認してから管理者に電話し、背景により大きな問題がないかを"
     "確かめます。"),
    ("health {p} -> {h} ({d} points in a month; rule: a drop of {points} or more)",
     "ヘルススコア {p} → {h}（ひと月で {d} ポイント。ルール: {points} ポイント以上の低下）"),
    ("{signal} {v} over the scoring window (rule: below {below} once established; in its "
     "{age:n}{sfx} month the bar is {b}: accounts of that age reach {e} of the established "
     "level)",
     "スコア集計期間の {signal} は {v}（ルール: 定着後は {below} 未満。利用開始から "
     "{age} か月目の基準は {b}: この時期のアカウントは定着後の水準の {e} に達します）"),
    ("{signal} {v} over the scoring window (rule: below {below})",
     "スコア集計期間の {signal} は {v}（ルール: {below} 未満）"),
    ("0 {column} in each of the last {k} months (ramp months count less: worth {w} established "
     "months; rule: {m})",
     "直近 {k} か月とも {column} が 0（立ち上がり期の月は軽く数えます: 定着後の {w} か月分。"
     "ルール: {m} か月）"),
    ("0 {column} in each of the last {m} months", "直近 {m} か月とも {column} が 0"),
    ("NPS answer {lo} in {last} ({k} detractor answer{s} in the last {m} month{s2}; rule: "
     "{max} or less)",
     "{last} の NPS 回答が {lo}（直近 {m} か月の批判者の回答 {k} 件。ルール: {max} 以下）"),
    ("{n} tickets this month vs {a} a month over the previous {k} month{s} (rule: >= {min} and "
     ">= {f}x)",
     "今月のチケット {n} 件、それまでの {k} か月は月平均 {a} 件（ルール: {min} 件以上かつ "
     "{f} 倍以上）"),
    ("account-months not active at the end of the month checked (ended that month)",
     "確認した月の末に契約中でなかったアカウント月（その月に終了）"),
    ("account-months with no computable health signal",
     "ヘルスシグナルをひとつも計算できないアカウント月"),
    # --- the course's assumptions (cs_helpers.assumptions) ------------------------------------
    ("{h:n} months ({y:n} years)", "{h}か月（{y}年）"),
    ("how far ahead a new customer is valued (LTV, ROI, what-ifs)",
     "新規顧客の価値を何か月先まで数えるか（LTV、ROI、what-if分析）"),
    ("a yen a year from now is worth 1 / (1 + rate) today",
     "一年後の一円は、今日の 1 / (1 + 割引率) 円の価値です"),
    ("{*name}: revenue left after the cost of running the service (CS team time counted "
     "separately)",
     "{name}: サービスの運営コストを差し引いた後に残る売上の割合（CSチームの工数は別に"
     "数えます）"),
    ("B2B SaaS (contact management)", "B2B SaaS企業（連絡先管理）"),
    ("B2C subscription (bag rental)", "バッグレンタルクラブ（B2Cのサブスクリプション）"),
    ("MRR at the start of the contract, averaged over accounts: what a new account pays a "
     "month (seat growth later is counted separately, as expansion)",
     "契約開始時のMRRのアカウント平均。新規アカウントが毎月支払う額です（その後のシート数の"
     "増加は、エクスパンションとして別に数えます）"),
    ("monthly fee of the plan the member joined on, averaged over members",
     "会員が入会したときのプランの月額料金の会員平均"),
    ("{*arpa} (column {column})", "{arpa}（列 {column}）"),
    ("{currency} per month", "{currency}/月"),
    ("{rate} a year", "年{rate}"),
    # --- LTV (cs_helpers.ltv) -------------------------------------------------------------------
    ("shape of the spread of churn probabilities (small: many near 0)",
     "顧客ごとの解約確率のばらつき方を決める値（小さいほど、解約確率が0に近い顧客が多い）"),
    ("shape of the spread of churn probabilities (large: many near 0)",
     "顧客ごとの解約確率のばらつき方を決める値（大きいほど、解約確率が0に近い顧客が多い）"),
    ("average churn probability per period of a new customer",
     "新規顧客が各期間に解約する平均的な確率"),
    ("curve must be a lifelines KaplanMeierFitter, a SurvivalCurves with one curve, or a "
     "pandas Series of survival indexed by months.",
     "curve には lifelines の KaplanMeierFitter、曲線が一つの SurvivalCurves、または月を"
     "インデックスにした生存率の pandas Series を渡してください。"),
    ("no extrapolation: the data cover the horizon", "外挿なし: データが評価期間をカバーしています"),
    ("none: months beyond the data count as 0 (an underestimate)",
     "外挿なし（none）: データより先の月は0として数えます（過小評価になります）"),
    ("geometric: constant hazard implied by the curve's last {k} months (no counts given, so "
     "no minimum at risk and no interval)",
     "幾何（geometric）: 曲線の最後の{k}か月から求めた一定のハザード（人数の情報がないため、"
     "リスクのある顧客数の下限も区間もありません）"),
    ("geometric: {events} churn events / {exposure} customer-months at risk over months "
     "{w0}-{w1} (at least {at_risk} at risk)",
     "幾何（geometric）: {w0}〜{w1}か月目の解約{events}件 / 延べ顧客月数{exposure}"
     "（リスクのある顧客は常に{at_risk}人以上）"),
    ("sbg: shifted-beta-geometric fitted to the {n} customers still active after month {m} "
     "(alpha {a}, beta {b})",
     "sBG: {m}か月目の後も継続していた顧客{n}人に当てはめたシフテッド・ベータ幾何モデル"
     "（alpha {a}、beta {b}）"),
    # --- how a file was read (cs_helpers.engines.read_notes, cs_helpers.reading) --------------
    ("encoding: {enc} ({*name}; detected{*scope}: pass encoding= to choose)",
     "文字コード: {enc}（{name}。自動判定{scope}。encoding= で指定できます）"),
    ("encoding: {enc} (detected{*scope}: pass encoding= to choose)",
     "文字コード: {enc}（自動判定{scope}。encoding= で指定できます）"),
    (" (from the first megabyte)", "、ファイルの冒頭部分から"),
    ("UTF-8 with a byte-order mark", "BOM付きUTF-8"),
    ("UTF-16 (Excel's 'Unicode text')", "UTF-16（Excelの「Unicode テキスト」）"),
    ("Shift-JIS, as Excel in Japan writes it", "Shift-JIS（日本語版Excelが書き出す形式）"),
    ("encoding: utf-8-sig (the file starts with a byte-order mark)",
     "文字コード: utf-8-sig（ファイルの先頭にBOMがあります）"),
    ("separator: none found in the first lines (one column; pass sep= if there are more)",
     "区切り文字: 先頭の数行に見つかりません（一列として読みました。列が複数あるなら sep= を"
     "指定してください）"),
    ("separator: {*sep} (detected from the first lines: pass sep= to choose)",
     "区切り文字: {sep}（先頭の数行から自動判定。sep= で指定できます）"),
    ("separator: {sep} ({*how}: a remote file is not sniffed)",
     "区切り文字: {sep}（{how}。リモートのファイルは自動判定しません）"),
    ("assumed", "（仮定）"),
    ("tab", "タブ"),
    ("format: read as an Excel workbook (.xlsx): the file is one although its name ends in "
     "'{suffix}'",
     "形式: Excelのブック（.xlsx）として読みました。名前の末尾は '{suffix}' ですが、"
     "中身はExcelのブックです"),
    ("format: read as Parquet: the file is one although its name ends in '{suffix}'",
     "形式: Parquetとして読みました。名前の末尾は '{suffix}' ですが、中身はParquetです"),
    ("one column only, named {name}: the names look separated by {*sep}; pass sep={sep2}",
     "列が一つだけで、名前は {name} です。列名が{sep}で区切られているようです。sep={sep2} を"
     "指定してください"),
    ("{n} column(s) without a name in the header (read as {columns})",
     "ヘッダーに名前のない列が{n}列あります（{columns} として読みました）"),
    ("column {column} read as text (an id: leading zeros kept)",
     "列 {column} は文字列として読みました（IDのため、先頭のゼロを残します）"),
    ("column {column} kept as text: values such as {example} start with 0 (a code, not a "
     "number)",
     "列 {column} は文字列のままにしました。{example} のように0で始まる値があります（数値では"
     "なくコードです）"),
    ("column {column} read as text (an id)", "列 {column} は文字列として読みました（ID）"),
    ("sheet: {name}, the first of {n} (others: {others}; pass sheet= to choose)",
     "シート: {name}（{n}枚のうち最初のシート。ほかのシート: {others}。sheet= で指定できます）"),
    ("read from a UTF-8 copy of the {enc} file ({engine} reads UTF-8 only)",
     "{enc}のファイルをUTF-8にコピーして読みました（{engine}はUTF-8しか読めません）"),
    ("read by pandas (an Excel workbook) and handed to {engine}",
     "pandasで読み込み（Excelのブック）、{engine}に渡しました"),
)

#: Pieces of messages (rules, reasons, hints, names of things), translated where a message
#: template has ``{*name}``; never matched against a whole message.
PARTS: tuple[tuple[str, str], ...] = (
    ("ids", " ID"),
    ("row labels", "行ラベル"),
    # rules
    ("an end date must not be before its start date", "終了日が開始日より前になっています"),
    ("ids must be unique (one row per customer)",
     "ID が重複しています（1 顧客につき 1 行にしてください）"),
    ("dates must not be missing", "日付が入っていません"),
    ("dates must lie between 1677-09-22 and 2262-04-11 (a placeholder such as 9999-12-31 for "
     "'no date' should be left empty)",
     "日付が 1677-09-22〜2262-04-11 の範囲外です（「日付なし」を 9999-12-31 などで表している"
     "場合は、空欄にしてください）"),
    ("values must be numbers (not missing, not text)",
     "値が数値ではありません（欠損または文字列です）"),
    ("values must be finite numbers (not infinite)", "値が有限の数ではありません（無限大です）"),
    ("values must not be negative", "値がマイナスになっています"),
    ("values must be numbers", "値が数値ではありません"),
    ("values must be numbers in [0, 1]", "値が 0〜1 の数値になっていません"),
    ("scores must be numbers (not missing, not text)",
     "スコアが数値ではありません（欠損または文字列です）"),
    ("scores must lie in {low}..{high}", "スコアが {low}〜{high} の範囲外です"),
    ("scores must be whole numbers", "スコアが整数ではありません"),
    ("health scores must be numbers", "ヘルススコアが数値ではありません"),
    ("health scores must lie in 0..100", "ヘルススコアが 0〜100 の範囲外です"),
    ("churn flags must be one of True/1/Yes (churned) or False/0/No (still active); "
     "found {value}",
     "解約フラグは True/1/Yes（解約）か False/0/No（継続中）のいずれかにしてください。"
     "{value} という値があります"),
    ("amounts must not be negative (a refund or credit is not revenue per account; fix the "
     "export, or set it to 0 if that is what it means)",
     "金額がマイナスになっています（返金やクレジットはアカウントあたりの売上ではありません。"
     "エクスポートを直すか、その意味であれば 0 にしてください）"),
    ("amounts must not be negative (a refund or credit is not revenue per account)",
     "金額がマイナスになっています（返金やクレジットはアカウントあたりの売上ではありません）"),
    ("a churned customer must enter before it churns (entry < duration): a churn at entry "
     "could not have been observed",
     "解約した顧客の観測開始が解約時点と同じか後になっています（entry < duration が必要です）。"
     "観測開始と同時の解約は観測できません"),
    ("entry must not be after the duration", "entry が duration より後になっています"),
    ("entry must not be after the end of the follow-up ({duration})",
     "entry が追跡期間の終わり（{duration}）より後になっています"),
    ("entry must not come after the end of the observation (entry <= duration)",
     "entry が観測の終わりより後になっています（entry <= duration が必要です）"),
    ("end dates must not be after observed_until {date}",
     "終了日が observed_until {date} より後になっています"),
    ("durations must be finite (no infinite lifetimes)",
     "期間が有限ではありません（無限の継続期間になっています）"),
    ("group labels must not be missing", "グループのラベルが入っていません"),
    ("one row per customer and month", "顧客と月の組み合わせが重複しています（1 顧客・1 か月に 1 行）"),
    ("one row per {what} and month", "{what} と月の組み合わせが重複しています（1 か月に 1 行）"),
    ("usage months must not come before the account's start month (negative tenure): check "
     "the start dates",
     "利用月がアカウントの開始月より前になっています（利用期間がマイナス）。開始日を確認してください"),
    ("accounts with usage at as_of must appear in the accounts table",
     "as_of 時点で利用のあるアカウントが accounts テーブルにありません"),
    ("counts must be whole numbers of customers (not missing, not negative)",
     "人数が整数になっていません（欠損またはマイナスです）"),
    ("counts must never increase (customers still active at t = 0, 1, 2, ...)",
     "人数が途中で増えています（t = 0, 1, 2, ... の時点で継続している顧客数です）"),
    ("the cohort size at t = 0 must be positive", "t = 0 のコホートの人数が 0 以下です"),
    ("the curve must never increase", "曲線が途中で上がっています"),
    ("weights must be finite", "重みが有限の数ではありません"),
    ("dates such as {example} read either as day/month/year ({*dm}) or as month/day/year "
     "({*md}){*more}. Pass dayfirst=True (day/month/year) or dayfirst=False (month/day/year), "
     "or date_format= (e.g. '%d/%m/%Y')",
     "{example} のような日付は 日/月/年（{dm}）とも 月/日/年（{md}）とも読めます{more}。"
     "dayfirst=True（日/月/年）か dayfirst=False（月/日/年）、または date_format=（例: "
     "'%d/%m/%Y'）を指定してください"),
    ("one column must hold dates in one stated format; found {n} forms: {*forms;}. Pass "
     "dayfirst=True or False to read every slashed date one way (each must then fit it), "
     "date_format='mixed' to accept several unambiguous forms, or date_format= with the one "
     "format of the column (e.g. '%Y-%m-%d'); better, export the dates in one format",
     "1 つの列の日付は 1 つの書式にそろえる必要がありますが、{n} 種類の書式があります: {forms}。"
     "スラッシュ区切りの日付をすべて同じ順で読むなら dayfirst=True か False（どの日付もその順で"
     "読める必要があります）、あいまいでない書式の混在を認めるなら date_format='mixed'、"
     "列の書式が 1 つなら date_format=（例: '%Y-%m-%d'）を指定してください。できれば日付を"
     " 1 つの書式でエクスポートし直してください"),
    ("values must be dates, not numbers; numbers such as {example} look like Excel serial day "
     "numbers ({example} = {as_date}): format the column as dates in Excel before exporting, "
     "or pass date_format='excel' to read them as days since {origin}",
     "値が日付ではなく数値になっています。{example} のような数値は Excel のシリアル値"
     "（{example} = {as_date}）に見えます。エクスポートの前に Excel で列の書式を日付にするか、"
     "date_format='excel' を指定して {origin} からの日数として読んでください"),
    # --- why rows were left out (errors.record_filtered) -------------------------------------------
    ("rows with every cell empty (file lines {lines})",
     "すべてのセルが空の行（ファイルの {lines} 行目）"),
    ("rows with every cell empty", "すべてのセルが空の行"),
    ("rows with no {column} (missing), left out of the mean ({*per,}){*more}",
     "{column} が入っていない（欠損の）行。平均から除外しています（{per}）{more}"),
    ("{*group}: {n:n} of {total:n}", "{group}: {total} 行中 {n} 行"),
    # the group's name there when there is no grouping (engines.group_means); other group
    # names are data values and stay as they are
    ("all", "全体"),
    ("; no amount at all in {groups} (its mean is NaN, not a number to use)",
     "。{groups} には金額が 1 件もありません（平均は NaN で、使える数値ではありません）"),
    (", … ({n:n} columns)", ", …（全 {n} 列）"),
    ("the extension '{suffix}'", "拡張子 '{suffix}' "),
    ("a file name without an extension", "拡張子のないファイル名"),
    ("pass format='csv', 'parquet' or 'xlsx' (or convert the file to one of them)",
     "format='csv'、'parquet'、'xlsx' のいずれかを指定するか、ファイルをそのどれかに変換して"
     "ください"),
    ("detected", "（自動判定）"),
    ("given", "（指定）"),
    ("no date", "日付なし"),
    (" (the table has no id column to name them)", "（ID 列がないため、該当する顧客を示せません）"),
    (" (first ids: {ids})", "（先頭の ID: {ids}）"),
    # the report's parameter checks (one line each)
    ("Columns of {name}: {columns}.", "{name} の列: {columns}。"),
    ("data_path and connection/table are both given: the customers come from a file "
     "(data_path) or from a database table (connection and table), not both.",
     "data_path と connection/table の両方が指定されています。顧客データはファイル（data_path）"
     "かデータベースのテーブル（connection と table）のどちらか一方から読みます。"),
    ("engine: {engine} applies to files; a database table is counted in its own database "
     "(leave engine out).",
     "engine: {engine} はファイル用です。データベースのテーブルはそのデータベースの中で集計"
     "します（engine は指定しないでください）。"),
    ("{other}_path and {other2}_table are both given: pass one.",
     "{other}_path と {other2}_table の両方が指定されています。どちらか一方を渡してください。"),
    ("start_col/end_col and tenure_col/churned_col are both given: a table is in the dates "
     "form (start and end dates) or in the tenure form (a tenure and a churn flag); give the "
     "pair that fits.",
     "start_col/end_col と tenure_col/churned_col の両方が指定されています。テーブルは日付の"
     "形式（開始日と終了日）か利用期間の形式（利用期間と解約フラグ）のどちらかです。合う方の"
     "組を指定してください。"),
    ("the form is not given: pass start_col and end_col (a start date{*a} and an end "
     "date{*b} per customer) or tenure_col and churned_col (a tenure{*c} and a churn "
     "flag{*d}, as in a snapshot table).",
     "テーブルの形式が指定されていません。start_col と end_col（顧客ごとの開始日{a}と終了日{b}）"
     "か、tenure_col と churned_col（スナップショット形式のテーブルのような利用期間{c}と"
     "解約フラグ{d}）を指定してください。"),
    (" such as {columns}", "（{columns} など）"),
    ("the table has one column whose name contains {sep}: it was read with the wrong "
     "separator; pass -p sep {sep2}.",
     "列が 1 つしかなく、その名前に {sep} が含まれています。区切り文字を間違えて読み込んで"
     "います。-p sep {sep2} を指定してください。"),
    ("{name}: None, but {where} needs this column ({*what}).",
     "{name}: None になっていますが、{where} にはこの列（{what}）が必要です。"),
    ("{name}: {value} is not a column of {where}.{*near}",
     "{name}: {value} は {where} の列ではありません。{near}"),
    # report._not_given: a description, maybe the table, an example, maybe hints
    ("{name}: not given: {*what} of {where}; e.g. -p {name2} {example} (columns that look "
     "like it: {columns}), or -p id_col None if the table has no id column.",
     "{name}: 指定がありません: {where} の{what}（例: -p {name2} {example}）"
     "。それらしい列: {columns}。ID 列がなければ -p id_col None を指定してください。"),
    ("{name}: not given: {*what} of {where}; e.g. -p {name2} {example} (columns that look "
     "like it: {columns}).",
     "{name}: 指定がありません: {where} の{what}（例: -p {name2} {example}）。それらしい列: {columns}。"),
    ("{name}: not given: {*what} of {where}; e.g. -p {name2} {example}, or -p id_col None "
     "if the table has no id column.",
     "{name}: 指定がありません: {where} の{what}（例: -p {name2} {example}）"
     "。ID 列がなければ -p id_col None を指定してください。"),
    ("{name}: not given: {*what} of {where}; e.g. -p {name2} {example}.",
     "{name}: 指定がありません: {where} の{what}（例: -p {name2} {example}）。"),
    ("{name}: not given: {*what}; e.g. -p {name2} {example} (columns that look like it: "
     "{columns}), or -p id_col None if the table has no id column.",
     "{name}: 指定がありません: {what}（例: -p {name2} {example}）"
     "。それらしい列: {columns}。ID 列がなければ -p id_col None を指定してください。"),
    ("{name}: not given: {*what}; e.g. -p {name2} {example} (columns that look like it: "
     "{columns}).",
     "{name}: 指定がありません: {what}（例: -p {name2} {example}）。それらしい列: {columns}。"),
    ("{name}: not given: {*what}; e.g. -p {name2} {example}, or -p id_col None if the "
     "table has no id column.",
     "{name}: 指定がありません: {what}（例: -p {name2} {example}）。ID 列がなければ -p id_col None を指定してください。"),
    ("{name}: not given: {*what}; e.g. -p {name2} {example}.",
     "{name}: 指定がありません: {what}（例: -p {name2} {example}）。"),
    ("the customers table (CSV, Parquet or Excel)", "顧客テーブル（CSV、Parquet、Excel）"),
    ("database connection string (password masked), instead of data_path",
     "データベースの接続文字列（パスワードは伏せ字）。data_path の代わりに使います"),
    ("the customers table in that database", "そのデータベースの顧客テーブル"),
    ("where the counting ran (pandas, duckdb or spark)",
     "集計を実行した場所（pandas、duckdb、spark）"),
    ("CSV text encoding (None: detected)", "CSV の文字コード（None: 自動判定）"),
    ("CSV separator (None: detected)", "CSV の区切り文字（None: 自動判定）"),
    ("Excel sheet (None: the first)", "Excel のシート（None: 最初のシート）"),
    ("decimal mark of numbers in a CSV ('.' or ',')", "CSV の数値の小数点（'.' か ','）"),
    ("customer id column (None: the table has none)", "顧客 ID の列（None: ID 列なし）"),
    ("dates form: start date column", "日付の形式: 開始日の列"),
    ("dates form: end date column (empty while active)", "日付の形式: 終了日の列（契約中は空欄）"),
    ("the date the data describe (None: the latest date in the table)",
     "データの時点（None: テーブル内の最新の日付）"),
    ("how the dates are written, when they could be read two ways",
     "日付が 2 通りに読める場合の書き方"),
    ("slashed dates read day first (True) or month first (False)",
     "スラッシュ区切りの日付を日が先（True）と読むか、月が先（False）と読むか"),
    ("dates form: the date the export starts", "日付の形式: エクスポートの開始日"),
    ("tenure form: tenure column", "利用期間の形式: 利用期間の列"),
    ("tenure form: churn flag column", "利用期間の形式: 解約フラグの列"),
    ("tenure form: unit of the tenure", "利用期間の形式: 利用期間の単位"),
    ("tenure form: months (in tenure_unit) the churn flag covers; 'all' for a full history",
     "利用期間の形式: 解約フラグが対象とする期間（tenure_unit 単位）。全履歴なら 'all'"),
    ("column the segments are compared by", "セグメントを比べる列"),
    ("currency of the revenue", "売上の通貨"),
    ("share of revenue kept after the cost of serving (LTV)",
     "提供コストを差し引いた後に残る売上の割合（LTV）"),
    ("annual discount rate (LTV)", "年間の割引率（LTV）"),
    ("months of lifetime valued in LTV", "LTV で評価する継続期間の月数"),
    ("monthly revenue table (one row per customer and month)",
     "月次売上のテーブル（顧客・月ごとに 1 行）"),
    ("its customer id column (default: id_col)", "その顧客 ID の列（既定: id_col）"),
    ("its month column", "その月の列"),
    ("its revenue column", "その売上の列"),
    ("monthly revenue table in the database", "データベースの月次売上テーブル"),
    ("NPS answers table", "NPS の回答テーブル"),
    ("NPS answers table in the database", "データベースの NPS 回答テーブル"),
    ("its 0-10 answer column", "その 0〜10 の回答の列"),
    ("its customer id column (answers from one customer grouped)",
     "その顧客 ID の列（同じ顧客の回答をまとめます）"),
    ("code shown in the HTML report", "HTML レポートに表示するコード"),
    # what each column parameter is (report.COLUMN_PARAMETERS, report.PARAMETERS)
    ("the customer id column", "顧客 ID の列"),
    ("the start date column (dates form)", "開始日の列（日付の形式）"),
    ("the end date column, empty while active (dates form)",
     "終了日の列。契約中は空欄（日付の形式）"),
    ("the tenure column (tenure form)", "利用期間の列（利用期間の形式）"),
    ("the churn flag column, Yes/No or 1/0 (tenure form)",
     "解約フラグの列。Yes/No か 1/0（利用期間の形式）"),
    ("a column to compare segments by (plan, size...)",
     "セグメントを比べる列（プラン、規模など）"),
    ("monthly revenue per customer", "顧客ごとの月次売上"),
    ("S({t}) = {estimate} against a true {truth}", "S({t}) = {estimate}（真の値は {truth}）"),
    ("{d:n} January {y:n}", "{y}年1月{d}日"),
    ("{d:n} February {y:n}", "{y}年2月{d}日"),
    ("{d:n} March {y:n}", "{y}年3月{d}日"),
    ("{d:n} April {y:n}", "{y}年4月{d}日"),
    ("{d:n} May {y:n}", "{y}年5月{d}日"),
    ("{d:n} June {y:n}", "{y}年6月{d}日"),
    ("{d:n} July {y:n}", "{y}年7月{d}日"),
    ("{d:n} August {y:n}", "{y}年8月{d}日"),
    ("{d:n} September {y:n}", "{y}年9月{d}日"),
    ("{d:n} October {y:n}", "{y}年10月{d}日"),
    ("{d:n} November {y:n}", "{y}年11月{d}日"),
    ("{d:n} December {y:n}", "{y}年12月{d}日"),

    ("customers without an MRR in '{column}' (left out of the revenue figures)",
     "'{column}' に MRR が入っていない顧客（売上の集計から除外）"),
    ("accounts active at the end of {month} without a usage row that month (cannot be scored)",
     "{month} 末に契約中で、その月の利用データがないアカウント（スコアを計算できません）"),
    ("accounts not active at the end of {month} (started later or already ended)",
     "{month} 末に契約中でないアカウント（開始がそれより後か、すでに終了しています）"),
    ("accounts with no computable health signal",
     "ヘルスシグナルを 1 つも計算できないアカウント"),
    ("customers who start after as_of={date} (not yet customers then)",
     "as_of={date} より後に開始した顧客（その時点ではまだ顧客ではありません）"),
    ("customers whose first purchase is less than {days} days before as_of={date} (their "
     "repeat window is not over)",
     "初回購入が as_of={date} の {days} 日前より後の顧客（リピートを判定する期間が終わって"
     "いません）"),
    ("customers whose subscription ended by observed_from={window} (the table cannot "
     "represent them fairly: others who ended before then are missing)",
     "observed_from={window} までに契約が終了した顧客（それ以前に終了した他の顧客がテーブルに"
     "ないため、公平に数えられません）"),
    (" Did you mean {name} (differs in case or spaces)?{*rest}",
     "{name} のことでしょうか（大文字・小文字または空白が違います）。{rest}"),
    (" Did you mean {name}?{*rest}", "{name} のことでしょうか。{rest}"),
    (" The table has one column whose name contains {sep}: the file was probably read with "
     "the wrong separator (read it with cs.read_table(path), or pass sep={sep2}).{*rest}",
     "列が 1 つしかなく、その名前に {sep} が含まれています。区切り文字を間違えて読み込んだ"
     "可能性があります（cs.read_table(path) で読むか、sep={sep2} を指定してください）。{rest}"),
    ("; first at row labels {labels}", "。最初は行ラベル {labels}"),
    ("from 0 to 1", " 0 以上 1 以下"),
    ("from 0 below 1", " 0 以上 1 未満"),
    ("above 0 to 1", " 0 より大きく 1 以下"),
    ("above 0 below 1", " 0 より大きく 1 未満"),
    # --- more rules and reasons ----------------------------------------------------------
    ("ids must not be missing", "ID が入っていません"),
    ("cluster ids (e.g. account ids) must not be missing: every answer needs the account it "
     "came from",
     "クラスター ID（アカウント ID など）が入っていません。回答ごとに、どのアカウントの回答かが"
     "必要です"),
    ("values must be dates (e.g. 2024-01-31), slashed dates written {*order} "
     "(dayfirst={flag})",
     "値が日付（例: 2024-01-31）または {order} の順のスラッシュ区切りの日付（dayfirst={flag}）"
     "になっていません"),
    ("day/month/year", "日/月/年"),
    ("month/day/year", "月/日/年"),
    ("values must be dates (e.g. 2024-01-31)", "値が日付（例: 2024-01-31）になっていません"),
    ("values must be dates written as date_format={fmt} (or YYYY-MM-DD)",
     "値が date_format={fmt}（または YYYY-MM-DD）の日付になっていません"),
    ("values must be Excel serial day numbers (date_format='excel') or YYYY-MM-DD dates",
     "値が Excel のシリアル値（date_format='excel'）にも YYYY-MM-DD の日付にもなっていません"),
    ("; the column also has dates that read only as {*order} (e.g. {example})",
     "。この列には {order} としか読めない日付もあります（例: {example}）"),
    ("{*label}: {n:n} (e.g. {example})", "{label}: {n}（例: {example}）"),
    ("DD/MM/YYYY (day first)", "DD/MM/YYYY（日が先）"),
    ("MM/DD/YYYY (month first)", "MM/DD/YYYY（月が先）"),
    ("NN/NN/YYYY with both numbers 12 or less (ambiguous)",
     "NN/NN/YYYY で両方の数が 12 以下（どちらとも読める）"),
    ("NN/NN/YYYY with day = month", "NN/NN/YYYY で日と月が同じ"),
    ("a plain number", "ただの数値"),
    ("not a date", "日付ではない"),
    ("every one of the {n} values is a whole number from {low} to {high}, which looks like "
     "years",
     "{n} 個の値がすべて {low}〜{high} の整数で、年数のように見えます"),
    ("the median tenure is {median} months ({years} years), which looks like days or weeks",
     "利用期間の中央値が {median} か月（{years} 年）で、日数か週数のように見えます"),
    ("the median tenure is {median} years, which looks like months",
     "利用期間の中央値が {median} 年で、月数のように見えます"),
    ("every value is a whole number from {low} to {high}: a longest tenure of {high2} days "
     "({months} months) is short, and looks like months",
     "どの値も {low}〜{high} の整数です。最長の利用期間が {high2} 日（{months} か月）は短く、"
     "月数のように見えます"),
    ("the median tenure is {median} weeks ({years} years), which looks like days",
     "利用期間の中央値が {median} 週（{years} 年）で、日数のように見えます"),
    ("years", "年数"),
    ("months", "月数"),
    ("days", "日数"),
    ("weeks", "週数"),
    ("the values as they are", "値のまま"),
    ("years x 12 months", "年数 × 12 か月"),
    ("weeks x 7 / 30.4375 months", "週数 × 7 / 30.4375 か月"),
    ("days / 30.4375 months", "日数 / 30.4375 か月"),
    ("no customer was active at the start of any of the {n} period(s) pooled ({first} to "
     "{last})",
     "合算した {n} 期間（{first}〜{last}）のどの期首にも契約中の顧客がいない"),
    ("there is no complete period yet (the first one is still running at as_of)",
     "終わった期間がまだない（最初の期間が as_of の時点で続いている）"),
    (" in group {group}", "（グループ {group}）"),
    ("; {n} of them churned at that moment and are not counted as churn",
     "。そのうち {n} 人はその時点で解約していますが、解約として数えていません"),
    (" (group {group})", "（グループ {group}）"),
    ("{share} of this LTV comes from months beyond the data (extrapolated with a monthly "
     "hazard of {hazard}).",
     "この LTV の {share} は、データより先の月（月あたりハザード {hazard} で外挿）から来ています。"),
    ("No {months}-month window has {n} customers at risk throughout; the tail hazard uses "
     "months {w0}-{w1} (at least {at_risk} at risk) and is uncertain ({lo} to {hi} a month).",
     "{n} 人の顧客がずっと解約しうる状態にある {months} か月の区間がありません。末尾のハザード"
     "には {w0}〜{w1} か月目（解約しうる顧客は {at_risk} 人以上）を使いましたが、不確かです"
     "（月あたり {lo}〜{hi}）。"),
    ("NPS compare, group a", "NPS 比較のグループ a"),
    ("NPS compare, group b", "NPS 比較のグループ b"),
    ("clusters (accounts)", "クラスター（アカウント）"),
    ("answers", "回答"),
    ("the margin of error is ±{m} points", "誤差幅は ±{m} ポイント"),
    ("no margin of error can be estimated", "誤差幅は推定できません"),
    ("tenure form: a tenure and a churn flag", "利用期間の形式: 利用期間と解約フラグ"),
    ("dates form: start and end dates", "日付の形式: 開始日と終了日"),
    ("no form chosen yet", "形式はまだ決まっていません"),
    ("{parameter}: no table {name} in {where}{cause}.{*near} {*listing} Pass -p {parameter2} "
     "<name> (schema.name for a table in another schema).",
     "{parameter}: {where} にテーブル {name} がありません{cause}。{near}{listing} -p "
     "{parameter2} <名前> で指定してください（別のスキーマのテーブルは schema.name）。"),
    ("It sees no table at all (check the database and the user's rights).",
     "テーブルが 1 つも見えません（データベースとユーザーの権限を確認してください）。"),
    ("Tables it can see: {tables}, … ({n} tables).", "見えるテーブル: {tables}, …（{n} 個）。"),
    ("Tables it can see: {tables}.", "見えるテーブル: {tables}。"),
    # the library's other sentences (SENTENCES above)
    *SENTENCES,
    # last: the most general pieces
    ("{model}: the log-likelihood is flat in some direction at its maximum (e.g. beta running "
     "off to infinity: no sign of differences between customers), so no standard errors.",
     "{model}: 対数尤度が最大値の近くである方向に平らになっています（たとえば beta が無限大に"
     "向かうなど、顧客間の違いが見られません）。そのため標準誤差は出せません。"),
    ("{name} table", "{name} テーブル"),
    ("table", "テーブル"),
)

#: Pieces written by other libraries that our messages quote (pandas' parser): translated
#: like PARTS, but not checked against this package's source.
EXTERNAL: tuple[tuple[str, str], ...] = (
    ("Expected {k:n} fields in line {line:n}, saw {m:n}",
     "{line} 行目は {k} 列のはずが {m} 列あります"),
)
