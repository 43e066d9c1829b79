"""Write the corpus of awkward tables that tests/test_corpus.py reads (run from anywhere).

Each file is small and made on purpose: the same twelve customers written in the ways real
exports write them (encodings, separators, Excel, date formats, Japanese headers), and tables
that break one rule each. The files are committed; rerun this script after changing it
(`python tests/tables/make_tables.py`) and commit what changed. Nothing here is random except
the two tenure tables, drawn from a fixed seed.
"""

from __future__ import annotations

import codecs
import shutil
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent

#: The reference customers (ISO dates; end empty while active). as_of = 2024-03-31.
BASE = [
    ("C001", "2023-01-15", "2023-04-15", "basic", 1000),
    ("C002", "2023-01-31", "2023-02-28", "basic", 1000),
    ("C003", "2023-02-10", "", "pro", 3000),
    ("C004", "2023-03-01", "2023-09-01", "pro", 3000),
    ("C005", "2023-03-20", "", "basic", 1200),
    ("C006", "2023-04-05", "2023-05-20", "pro", 2800),
    ("C007", "2023-05-12", "", "basic", 1000),
    ("C008", "2023-06-30", "2023-12-31", "pro", 3200),
    ("C009", "2023-07-01", "", "basic", 900),
    ("C010", "2023-08-15", "2024-02-15", "pro", 3000),
    ("C011", "2023-09-09", "", "basic", 1100),
    ("C012", "2023-10-31", "2024-01-31", "pro", 2900),
]
HEADER = ["customer_id", "start_date", "end_date", "plan", "mrr"]
JA_HEADER = ["顧客ID", "開始日", "終了日", "プラン", "月額"]


def _rows(fmt=None, rows=BASE):
    out = []
    for cid, start, end, plan, mrr in rows:
        def f(d):
            return "" if not d or fmt is None else fmt(date.fromisoformat(d))
        out.append([cid, f(start) if fmt else start, f(end) if fmt else end, plan, str(mrr)])
    return out


def _text(header, rows, sep=","):
    return "\n".join(sep.join(r) for r in [header, *rows]) + "\n"


def write(name: str, text: str, encoding: str = "utf-8") -> None:
    (HERE / name).write_bytes(text.encode(encoding))


def _xlsx(name: str, frame: pd.DataFrame) -> None:
    path = HERE / name
    frame.to_excel(path, index=False, sheet_name="customers")
    _normalise_zip(path)


def _normalise_zip(path: Path) -> None:
    """Rewrite an .xlsx with fixed timestamps so that the file is the same at every run."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        items = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for filename, data in items:
            if filename == "docProps/core.xml":
                import re

                data = re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", b"",
                              data)
            info = zipfile.ZipInfo(filename, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def main() -> None:
    iso = _rows()
    # --- encodings, separators, headers: the same twelve customers ---------------------------
    write("utf8.csv", _text(HEADER, iso))
    (HERE / "utf8_bom.csv").write_bytes(codecs.BOM_UTF8 + _text(HEADER, iso).encode("utf-8"))
    write("cp932_japanese_headers.csv", _text(JA_HEADER, iso), "cp932")
    write("utf8_japanese_headers.csv", _text(JA_HEADER, iso))
    write("utf16_tab.txt", _text(HEADER, iso, "\t"), "utf-16")
    write("semicolon.csv", _text(HEADER, iso, ";"))
    write("tab.tsv", _text(HEADER, iso, "\t"))
    decimal = [r[:4] + [f"{int(r[4]):d},50"] for r in iso]
    write("semicolon_decimal_comma.csv", _text(HEADER, decimal, ";"))
    write("latin1.csv", _text(HEADER, [r[:3] + ["básico" if r[3] == "basic" else r[3], r[4]]
                                       for r in iso]), "latin-1")
    # --- Excel ---------------------------------------------------------------------------------
    typed = pd.DataFrame(BASE, columns=HEADER)
    for col in ("start_date", "end_date"):
        typed[col] = pd.to_datetime(typed[col].replace("", None))
    _xlsx("excel_dates.xlsx", typed)
    serial = typed.copy()
    epoch = pd.Timestamp("1899-12-30")
    for col in ("start_date", "end_date"):
        serial[col] = [(d - epoch).days if pd.notna(d) else None for d in typed[col]]
    _xlsx("excel_serial_dates.xlsx", serial)
    shutil.copy(HERE / "excel_dates.xlsx", HERE / "excel_saved_as.csv")
    # --- date formats --------------------------------------------------------------------------
    write("dates_yyyymmdd.csv", _text(HEADER, _rows(lambda d: d.strftime("%Y%m%d"))))
    write("dates_dmy.csv", _text(HEADER, _rows(lambda d: d.strftime("%d/%m/%Y"))))
    write("dates_mdy.csv", _text(HEADER, _rows(lambda d: d.strftime("%m/%d/%Y"))))
    write("dates_kanji.csv", _text(HEADER, _rows(lambda d: f"{d.year}年{d.month}月{d.day}日")))
    write("dates_slash_ymd.csv", _text(HEADER, _rows(lambda d: f"{d.year}/{d.month}/{d.day}")))
    unambiguous = [r for r in BASE if all(not x or int(x[8:]) > 12 for x in r[1:3])]
    write("dates_dmy_unambiguous.csv",
          _text(HEADER, _rows(lambda d: d.strftime("%d/%m/%Y"), unambiguous)))
    mixed = _rows()
    mixed[1][1], mixed[2][1], mixed[3][1] = "31/01/2023", "02/10/2023", "03/01/2023"
    mixed[4][1] = "03/20/2023"
    write("dates_mixed.csv", _text(HEADER, mixed))
    tz = _rows(lambda d: f"{d.isoformat()}T23:30:00+09:00")
    tz[0][1] = "2023-01-15T00:15:00Z"
    write("dates_tz_offsets.csv", _text(HEADER, tz))
    times = _rows(lambda d: f"{d.isoformat()} 10:15:00")
    write("dates_with_times.csv", _text(HEADER, times))
    placeholder = _rows()
    placeholder[2][2] = placeholder[4][2] = "9999-12-31"
    write("dates_placeholder_9999.csv", _text(HEADER, placeholder))
    bad = _rows()
    bad[5][1] = "2023-02-30"
    bad[6][1] = "soon"
    write("dates_not_dates.csv", _text(HEADER, bad))
    before = _rows()
    before[3][2] = "2023-02-01"
    write("end_before_start.csv", _text(HEADER, before))
    # --- shapes and rows ---------------------------------------------------------------------
    (HERE / "empty.csv").write_bytes(b"")
    write("header_only.csv", ",".join(HEADER) + "\n")
    write("single_customer.csv", _text(HEADER, [["C001", "2024-03-05", "", "basic", "1000"]]))
    write("all_churned.csv", _text(HEADER, [r[:2] + [r[2] or "2024-03-01"] + r[3:]
                                            for r in iso]))
    write("none_churned.csv", _text(HEADER, [r[:2] + [""] + r[3:] for r in iso]))
    one_row = [r[:3] + ["enterprise" if r[0] == "C003" else r[3], r[4]] for r in iso]
    write("one_row_segment.csv", _text(HEADER, one_row))
    no_id = [r[1:] for r in iso] + [iso[0][1:]] * 3 + [iso[2][1:]] * 2
    write("duplicate_rows_no_id.csv", _text(HEADER[1:], no_id))
    dup_ids = _rows()
    dup_ids[5][0] = "C002"
    write("duplicate_ids.csv", _text(HEADER, dup_ids))
    zeros = _rows()
    zeros[0][0], zeros[1][0], zeros[2][0] = "00123", "123", "0123"
    write("leading_zero_ids.csv", _text(HEADER, zeros))
    write("blank_rows.csv", _text(HEADER, iso[:6] + [[""] * 5] + iso[6:] + [[""] * 5]))
    late = _rows()
    late[10][1], late[11][1], late[11][2] = "2024-04-10", "2024-05-01", ""
    write("starts_after_as_of.csv", _text(HEADER, late))
    write("ragged.csv", _text(HEADER, iso[:3]) + "C099,2023-01-01,,basic,1000,extra\n")
    write("repeated_header.csv", _text(HEADER[:4] + ["plan"], iso))
    (HERE / "unknown.json").write_text('{"customer_id": "C001"}\n')
    # --- money ---------------------------------------------------------------------------------
    neg = _rows()
    neg[3][4], neg[8][4] = "-3000", "-450"
    write("mrr_negative.csv", _text(HEADER, neg))
    miss = _rows()
    for i in (1, 4):
        miss[i][4] = ""
    miss = [r[:3] + ["trial" if r[0] in ("C006", "C010") else r[3], "" if r[0] in
                     ("C006", "C010") else r[4]] for r in miss]
    write("mrr_missing.csv", _text(HEADER, miss))
    text_mrr = _rows()
    text_mrr[2][4] = '"1,200"'
    write("mrr_text.csv", _text(HEADER, text_mrr))
    # --- flags and tenure ----------------------------------------------------------------------
    flags = [["F1", "3", "TRUE"], ["F2", "14", "FALSE"], ["F3", "7", "1"], ["F4", "2", "0"],
             ["F5", "25", "Yes"], ["F6", "30", "no"], ["F7", "1", "true"], ["F8", "9", "false"]]
    write("flags_true_1.csv", _text(["id", "tenure", "churned"], flags))
    rng = np.random.default_rng(12)
    n = 60
    tenure = rng.integers(0, 73, n)
    churn = np.where(rng.random(n) < 0.3, "Yes", "No")
    telco = pd.DataFrame({"customerID": [f"{7590 + i:04d}-VHVEG" for i in range(n)],
                          "tenure": tenure, "Churn": churn,
                          "Contract": rng.choice(["Month-to-month", "One year"], n)})
    telco.to_csv(HERE / "tenure_months_telco.csv", index=False)
    years = rng.integers(0, 11, n)
    bank = pd.DataFrame({"CustomerId": 15634602 + np.arange(n) * 7, "Tenure": years,
                         "Exited": (rng.random(n) < 0.25).astype(int),
                         "Geography": rng.choice(["France", "Spain", "Germany"], n)})
    bank.to_csv(HERE / "tenure_years_bank.csv", index=False)
    inf = telco.head(8).astype({"tenure": object})
    inf.loc[3, "tenure"] = "inf"
    inf.to_csv(HERE / "tenure_infinite.csv", index=False)
    missing = telco.head(8).astype({"tenure": object})
    missing.loc[[2, 5], "tenure"] = ""
    missing.to_csv(HERE / "tenure_missing.csv", index=False)
    days = telco.head(30).assign(tenure=(telco["tenure"].head(30) * 30.4375).round().astype(int))
    days.to_csv(HERE / "tenure_days_as_months.csv", index=False)


if __name__ == "__main__":
    main()
