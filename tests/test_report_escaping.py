"""Nothing from the table runs in the reader's browser (issue 12, item 7).

Segment labels, a column name, a customer id and the file name carry HTML, a script, event
handlers, a link and Markdown. The template runs on them; the HTML report must show every one
of them as text: no element or attribute in the page may come from the data."""

from __future__ import annotations

import pandas as pd
from report_tools import figures, html_report, parse, run, subscriptions, summary

from cs_helpers import report

LABELS = ["<img src=x onerror=alert(1)>", "<script>alert('x')</script>",
          '<a href="https://evil.example" onclick="alert(2)">click</a>',
          "**bold** <b>B</b>", "[link](https://evil.example) $x^2$ _it_ www.evil.example",
          "Basic"]
SEGMENT = "Plan <i onmouseover=alert(4)>tier</i>"
BAD_ID = "<svg onload=alert(3)>"


def _table() -> pd.DataFrame:
    df = subscriptions(n=420, seed=8).rename(columns={"Plan name": SEGMENT})
    # mostly Basic; the other labels are small segments, named in the summary's limits
    labels = [LABELS[i % (len(LABELS) - 1)] if i % 7 == 0 else "Basic" for i in range(len(df))]
    df[SEGMENT] = labels
    df.loc[len(df) - 1, "Customer ID"] = BAD_ID          # starts after as_of: named as left out
    df.loc[len(df) - 1, "Signed on"] = "2026-03-01"
    df.loc[len(df) - 1, "Cancelled on"] = None
    return df


def test_values_from_the_table_reach_the_report_as_text_only(tmp_path):
    path = tmp_path / "x<b onclick=alert(5)>y.csv"
    _table().to_csv(path, index=False)
    nb = run(tmp_path, data_path=str(path), id_col="Customer ID", start_col="Signed on",
             end_col="Cancelled on", as_of="2025-12-31", segment_col=SEGMENT,
             mrr_col="Monthly fee")
    assert figures(nb) == 7                     # labels with $ and _ do not break the figures
    limits = " ".join(summary(nb)[1])
    assert "Small segments" in limits and "Left out" in limits
    html = html_report(tmp_path, nb)
    page = parse(html)

    tags = {t for t, _ in page.elements}
    assert not tags & {"script", "svg", "iframe", "object", "embed", "b", "i", "u", "form"}
    for tag, attrs in page.elements:
        assert not [a for a in attrs if a.lower().startswith("on")], (tag, attrs)
        if tag == "img":
            assert attrs["src"].startswith("data:image/png;base64,"), attrs
        if tag == "a":                          # only nbconvert's heading anchors
            assert attrs.get("class") == "anchor-link" and attrs["href"].startswith("#"), attrs
        for value in attrs.values():
            assert "evil.example" not in (value or ""), (tag, attrs)
    assert "<strong>bold</strong>" not in html and "<em>it</em>" not in html

    # ... and each value is there, as the text it is
    shown = "".join(page.texts)
    for value in [*LABELS, SEGMENT, BAD_ID, "x<b onclick=alert(5)>y.csv"]:
        assert value in shown, value


def test_escaping_helpers_round_trip_through_nbconvert_markdown():
    from nbconvert.filters.markdown import markdown2html

    for value in [*LABELS, SEGMENT, BAD_ID, "1. first", "# heading", "| a | b |", "a\nb",
                  "&amp; already", "\\<b>", "`code`", "~~gone~~", "a@b.example"]:
        rendered = markdown2html(f"Plan: {report.esc(value)} end")
        page = parse(rendered)
        assert [t for t, _ in page.elements] == ["p"], (value, rendered)
        assert "".join(page.texts).strip() == f"Plan: {' '.join(value.split())} end", (value, rendered)


def test_tables_are_escaped():
    frame = pd.DataFrame({SEGMENT: [LABELS[0]]}, index=pd.Index([BAD_ID], name=LABELS[1]))
    page = parse(report.table(frame)._repr_html_())
    assert {t for t, _ in page.elements} <= {"table", "thead", "tbody", "tr", "th", "td"}
    assert {LABELS[0], LABELS[1], SEGMENT, BAD_ID} <= set(page.texts)
