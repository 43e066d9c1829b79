"""Reading files in one place: cs.read_table and cs.engines.read (the corpus is in
tests/test_corpus.py; these are the reader's own rules)."""

from __future__ import annotations

import codecs
import gzip
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cs_helpers as cs
from cs_helpers import DataError, DataWarning, reading


@settings(max_examples=40, deadline=None)
@given(sep=st.sampled_from([",", ";", "\t", "|"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp932", "utf-16"]),
       rows=st.lists(st.tuples(st.from_regex(r"[A-Z]{1,3}[0-9]{1,4}", fullmatch=True),
                               st.integers(0, 10**6), st.sampled_from(["東京", "Osaka", ""])),
                     min_size=1, max_size=12, unique_by=lambda r: r[0]))
def test_any_common_layout_reads_back_the_same_table(tmp_path_factory, sep, encoding, rows):
    path = tmp_path_factory.mktemp("layout") / "t.csv"
    lines = [sep.join(["顧客ID", "MRR", "city"])] + [sep.join(map(str, r)) for r in rows]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        got = cs.read_table(path, id_cols="顧客ID")
    assert list(got.columns) == ["顧客ID", "MRR", "city"]
    assert got["顧客ID"].tolist() == [r[0] for r in rows]
    assert got["MRR"].tolist() == [r[1] for r in rows]
    assert got.attrs["sep"] == sep
    assert got.attrs["encoding"] == encoding           # the header is Japanese: never ASCII
    assert f"encoding: {encoding} (" in got.attrs["read_notes"][0]


def test_ids_keep_their_leading_zeros(tmp_path):
    path = tmp_path / "ids.csv"
    path.write_text("id,zip,amount\n00123,0100001,10\n123,1000001,20\n")
    got = cs.read_table(path)
    assert got["id"].tolist() == ["00123", "123"]          # zero-padded: text
    assert got["zip"].tolist() == ["0100001", "1000001"]
    assert got["amount"].tolist() == [10, 20]
    assert any("'zip' kept as text" in n for n in got.attrs["read_notes"])
    stated = cs.read_table(path, id_cols=["amount"])
    assert stated["amount"].tolist() == ["10", "20"]


def test_byte_order_mark_never_reaches_a_column_name(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(codecs.BOM_UTF8 + b"customer_id,start\nA,2024-01-01\n")
    for enc in (None, "utf-8", "utf-8-sig"):
        assert cs.read_table(path, encoding=enc).columns[0] == "customer_id"


def test_wrong_stated_encoding_says_what_it_looks_like(tmp_path):
    path = tmp_path / "sjis.csv"
    path.write_bytes("顧客ID,開始日\nA1,2024-01-01\n".encode("cp932"))
    with pytest.raises(DataError, match=r"not valid utf-8 .* It looks like cp932"):
        cs.read_table(path, encoding="utf-8")


def test_gzip_and_formats(tmp_path):
    path = tmp_path / "t.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("a;b\n1;2\n")
    assert cs.read_table(path).to_dict("list") == {"a": [1], "b": [2]}
    pq = tmp_path / "t.parquet"
    pd.DataFrame({"id": [1, 2], "x": [0.5, 1.5]}).to_parquet(pq)
    got = cs.read_table(pq, id_cols="id")
    assert got["id"].tolist() == ["1", "2"] and got.attrs["format"] == "parquet"
    old = tmp_path / "t.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 60)
    with pytest.raises(DataError, match=r"old Excel workbook \(.xls\).*save it as .xlsx"):
        cs.read_table(old)
    with pytest.raises(DataError, match="format: 'json' is not one of csv, parquet, xlsx"):
        cs.read_table(pq, format="json")
    with pytest.raises(DataError, match="file not found: nope.csv"):
        cs.read_table(tmp_path / "nope.csv")


def test_excel_sheets(tmp_path):
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as xl:
        pd.DataFrame({"id": ["a"], "d": pd.to_datetime(["2024-01-31"])}).to_excel(
            xl, sheet_name="customers", index=False)
        pd.DataFrame({"x": [1]}).to_excel(xl, sheet_name="notes", index=False)
    first = cs.read_table(path)
    assert first.attrs["sheet"] == "customers"
    assert any("the first of 2 (others: 'notes'" in n for n in first.attrs["read_notes"])
    assert first["d"].dtype.kind == "M"
    assert cs.read_table(path, sheet="notes")["x"].tolist() == [1]
    assert cs.read_table(path, sheet=1)["x"].tolist() == [1]
    with pytest.raises(DataError, match="has no sheet 'Notes'; it has 'customers', 'notes'"):
        cs.read_table(path, sheet="Notes")


def test_blank_rows_are_left_out_with_a_note_and_attrs_do_not_leak(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text("customer_id,start_date,end_date\nA,2024-01-01,\n,,\nB,2024-02-01,\n")
    with pytest.warns(DataWarning, match=r"1 rows left out: rows with every cell empty "
                                         r"\(file lines 3\)"):
        subs = cs.read_table(path)
    assert subs.attrs["rows_read"] == 3 and len(subs) == 2
    before = list(subs.attrs["cs_helpers_filtered"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        cs.to_lifetimes(subs, as_of="2024-01-15")          # leaves B out: its own note
    assert subs.attrs["cs_helpers_filtered"] == before      # the input's notes unchanged


def test_engines_read_the_same_table_and_keep_notes(tmp_path):
    path = tmp_path / "sjis.csv"
    path.write_bytes("顧客ID;開始日;終了日\n007;2024-01-31;\n7;31/01/2024;\n".encode("cp932"))
    frame = cs.engines.read(path, "pandas")
    rel = cs.engines.read(path, "duckdb")
    assert rel.df()["顧客ID"].tolist() == frame["顧客ID"].tolist() == ["007", "7"]
    notes = cs.engines.read_notes(rel)
    assert notes[:2] == frame.attrs["read_notes"][:2]
    assert any("UTF-8 copy of the cp932 file" in n for n in notes)
    # DuckDB's own reader would guess the day/month order; engines.read leaves it to the rules
    kw = dict(id_col="顧客ID", start_col="開始日", end_col="終了日", as_of="2024-03-31")
    for table in (frame, rel):
        with pytest.raises(DataError, match="one column must hold dates in one stated format"):
            cs.to_lifetimes(table, **kw)


def test_engine_read_failures_are_data_errors(tmp_path):
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("a,b\n1,2\n1,2,3\n")
    for engine in ("pandas", "duckdb"):
        with pytest.raises(DataError, match="Expected 2 fields in line 3, saw 3"):
            cs.engines.read(ragged, engine)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(DataError, match=r"empty \(0 bytes\)"):
        cs.engines.read(empty, "duckdb")
    with pytest.raises(DataError, match="no file matches"):
        cs.engines.read(tmp_path / "none*.csv", "duckdb")


def test_sniffer_prefers_the_consistent_separator():
    assert reading.sniff_separator("a;b;c\n1;2,5;3\n4;5,0;6\n") == ";"
    assert reading.sniff_separator("name,note\nx,\"a;b\"\n") == ","
    assert reading.sniff_separator("only\n1\n2\n") is None
    assert reading.sniff_separator("a\tb\n1\t2\n") == "\t"


def test_group_means_reports_missing_amounts_per_segment():
    df = pd.DataFrame({"id": list("abcdef"), "plan": ["x", "x", "x", "y", "z", "z"],
                       "mrr": [100, np.nan, 50, 30, np.nan, np.nan]})
    with pytest.warns(DataWarning, match=r"3 rows left out: rows with no mrr \(missing\), left "
                                         r"out of the mean \(x: 1 of 3, z: 2 of 2\); no amount "
                                         r"at all in z .*\(e.g. b, e, f\)"):
        got = cs.engines.group_means(df, "mrr", "plan", id_col="id")
    assert got["x"] == 75 and got["y"] == 30 and np.isnan(got["z"])
    assert got.attrs["missing"].to_dict() == {"x": 1, "y": 0, "z": 2}
    with pytest.raises(DataError, match=r"Column 'plan': group labels must not be missing .*"
                                        r"first ids: a"):
        cs.engines.group_means(df.assign(plan=[None, "x", "x", "y", "z", "z"]), "mrr", "plan",
                               id_col="id")
