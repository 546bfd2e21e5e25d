"""The one display layer (csworkbench.reporting.display): formats by kind, tables, tiles, summary.

Every expected string is written out by hand from the rule it checks (thousands separators,
% with one decimal, three significant digits, ``<0.001``, 是/否, dates in the page's language,
blank + footnote for missing), so a change of rule fails here.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csworkbench.errors import ParameterError
from csworkbench.reporting import display as d


@pytest.fixture
def shown(monkeypatch):
    """The bundles the display functions would send to the notebook."""
    bundles: list[dict] = []
    monkeypatch.setattr(d, "_display", lambda bundle: bundles.append(dict(bundle)))
    return bundles


@pytest.mark.parametrize(
    ("value", "kind", "lang", "expected"),
    [
        (2357.0, "count", "zh", "2,357"),
        (41.0, "count", "en", "41"),
        (1234567.891, "money", "en", "1,234,568"),
        (12.5, "money", "en", "12.50"),
        (0.010182, "share", "zh", "1.0%"),
        (0.5, "share", "en", "50.0%"),
        (0.0001, "share", "en", "<0.1%"),
        (513.887227, "decimal", "zh", "514"),
        (119.952, "decimal", "en", "120"),
        (0.4567, "decimal", "en", "0.457"),
        (4.123, "decimal", "en", "4.12"),
        (7.046101e-15, "decimal", "en", "0"),
        (-7.046101e-15, "decimal", "en", "0"),
        (0.0, "p_value", "en", "<0.001"),
        (3e-7, "p_value", "zh", "<0.001"),
        (0.0456, "p_value", "en", "0.046"),
        (True, "bool", "zh", "是"),
        (np.False_, "bool", "en", "No"),
        (pd.Timestamp("1997-03-01"), "date", "zh", "1997年3月1日"),
        (pd.Timestamp("1997-03-01"), "date", "en", "1 Mar 1997"),
        (pd.Timestamp("1997-03-01 14:05"), "date", "en", "1 Mar 1997 14:05"),
        ("after sales …", "text", "en", "after sales …"),
        (None, "count", "en", ""),
        (float("nan"), "share", "zh", ""),
        (pd.NaT, "date", "zh", ""),
        (pd.NA, "bool", "en", ""),
    ],
)
def test_format_value_by_kind(value, kind, lang, expected):
    assert d.format_value(value, kind, lang=lang) == expected


def test_unknown_kind_and_language_are_refused():
    with pytest.raises(ParameterError, match="kind must be one of"):
        d.format_value(1, "percent", lang="en")
    with pytest.raises(Exception, match="language"):
        d.format_value(1, "count", lang="fr")


def test_a_column_shares_one_number_of_decimals():
    assert d.format_column([0.5, 4.25, 3.0, None], "decimal", lang="en") == ["0.50", "4.25", "3.00", ""]
    assert d.format_column([12.5, 2500.0], "money", lang="en") == ["12", "2,500"]  # ≥ 1,000: whole units


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15))
def test_no_e_notation_and_at_most_three_decimals(x):
    for kind in ("count", "money", "share", "decimal", "p_value"):
        text = d.format_value(abs(x) if kind == "p_value" else x, kind, lang="en")
        assert "e" not in text.lower() and "nan" not in text.lower(), (kind, x, text)
        decimals = re.findall(r"\.(\d+)", text)
        assert all(len(dd) <= 3 for dd in decimals), (kind, x, text)


@pytest.mark.parametrize(
    ("values", "name", "kind"),
    [
        ([1.0, 41.0], "n", "count"),
        ([1, 2], "customers", "count"),
        ([0.2, 0.55], "share", "share"),
        ([0.2, 0.55], "loading", "decimal"),
        ([0.01, 0.5], "p_value", "p_value"),
        (["00123", "00456"], "customer_id", "id"),
        ([True, False], "flag", "bool"),
        (pd.to_datetime(["2024-01-01", "2024-02-01"]), "date", "date"),
        (["a", None], "comment", "text"),
    ],
)
def test_infer_kind(values, name, kind):
    assert d.infer_kind(pd.Series(values), name) == kind


def test_table_has_no_index_and_blanks_with_a_footnote():
    frame = pd.DataFrame({"n": [2357.0, np.nan], "share": [0.10182, 0.2]}, index=["x", "y"])
    payload = d.table_cells(frame, lang="zh", labels={"n": "顾客数", "share": "占比"})
    assert payload["columns"] == ["顾客数", "占比"]
    assert payload["cells"] == [["2,357", "10.2%"], ["", "20.0%"]]
    assert payload["notes"] == ["空白表示缺失（没有数据），不是零。"]
    html = d.table_html(payload, css=False)
    assert ">x<" not in html and ">y<" not in html  # the index is not shown
    assert "gt_table" in html  # great-tables rendered the short table
    complete = d.table_cells(frame.fillna(1), lang="en")
    assert complete["notes"] == []


def test_text_ids_and_column_names_are_masked_in_cells_and_download():
    frame = pd.DataFrame(
        {
            "customer_id": ["00123", "00456"],
            "comment": ["电话13812345678，邮箱zs@qq.com", "身份证11010519491231002X"],
            "客户13912345678": [1, 2],
        }
    )
    payload = d.table_cells(frame, lang="zh")
    shown = json.dumps(payload, ensure_ascii=False)
    csv = base64.b64decode(payload["csv"]).decode("utf-8")
    for secret in ("13812345678", "zs@qq.com", "11010519491231002X", "13912345678"):
        assert secret not in shown and secret not in csv
    assert payload["cells"][0][0] == "00123"  # ids stay text, zeros kept
    assert csv.startswith("\ufeff")  # Excel reads the UTF-8 file as UTF-8
    back = pd.read_csv(io.StringIO(csv.lstrip("\ufeff")), dtype=str)
    assert back.iloc[:, 0].tolist() == ["00123", "00456"]


def test_download_holds_the_raw_values_and_can_be_left_out():
    frame = pd.DataFrame({"share": [0.10182, None], "n": [1, 2]})
    payload = d.table_cells(frame, lang="en")
    csv = base64.b64decode(payload["csv"]).decode("utf-8").lstrip("\ufeff")
    assert csv.splitlines() == ["share,n", "0.10182,1", ",2"]
    assert d.table_cells(frame, lang="en", download=False)["csv"] is None
    assert "download=" not in d.table_html(d.table_cells(frame, lang="en", download=False))


def test_long_tables_are_complete_escaped_and_carry_sort_keys():
    frame = pd.DataFrame({"name": [f"<b>n{i}</b>" for i in range(40)], "amount": np.arange(40) * 1000.5})
    payload = d.table_cells(frame, lang="en")
    assert payload["long"] and not d.table_cells(frame.head(15), lang="en")["long"]
    html = d.table_html(payload, css=False)
    assert html.count("<tr>") == 41  # header + every row, none cut
    assert "<b>" not in html and "&lt;b&gt;n39&lt;/b&gt;" in html
    assert 'data-order="39019.5"' in html and ">39,020<" in html


def test_bad_tables_are_refused_with_the_column_named():
    frame = pd.DataFrame([[1, 2]], columns=["a", "a"])
    with pytest.raises(ParameterError, match=r"duplicated column names \['a'\]"):
        d.table_cells(frame, lang="en")
    with pytest.raises(ParameterError, match=r"\['b'\]"):
        d.table_cells(pd.DataFrame({"a": [1]}), lang="en", kinds={"b": "count"})
    with pytest.raises(ParameterError, match="DataFrame"):
        d.table_cells([1, 2], lang="en")  # type: ignore[arg-type]


def test_show_table_emits_html_and_the_table_bundle(shown):
    d.show_table(pd.DataFrame({"x": [1, 2]}), lang="en", caption="Counts <by> x")
    (bundle,) = shown
    assert set(bundle) == {"text/html", d.TABLE_MIME}
    assert "Counts &lt;by&gt; x" in bundle["text/html"]
    json.dumps(bundle[d.TABLE_MIME])  # JSON-serialisable for the notebook file


def test_kpi_tiles_bundle_matches_the_contract(shown):
    d.kpi_tiles(
        [
            d.KPI("sat", "满意度", 4.123, "分", "decimal", 4.0, 4.2, "higher"),
            {"key": "n", "label": "样本量", "value": 250, "kind": "count"},
            {"key": "gap", "label": "差距", "value": float("nan")},
        ],
        lang="zh",
    )
    (bundle,) = shown
    figures = json.loads(json.dumps(bundle[d.KPI_MIME], allow_nan=False))["figures"]
    assert [f["key"] for f in figures] == ["sat", "n", "gap"]
    assert set(figures[0]) >= {"key", "label", "value", "unit", "ci_low", "ci_high", "better"}
    assert figures[0]["ci_low"] == 4.0 and figures[1]["ci_low"] is None and figures[2]["value"] is None
    assert "4.12" in bundle["text/html"] and "95% 区间 4.00 – 4.20" in bundle["text/html"]


def test_change_against_the_previous_period():
    prev = json.dumps({"sat": {"value": 3.9, "ci_low": 3.8, "ci_high": 3.95, "period": "2023年"}})
    html = d.kpi_html([d.KPI("sat", "满意度", 4.1, "", "decimal", 4.0, 4.2, "higher")], lang="zh", previous=prev)
    assert "▲ 0.20 较2023年 · 变好 · 显著" in html and "csw-good" in html
    worse = d.kpi_html(
        [d.KPI("c", "Complaints", 120, "", "count", better="lower")], lang="en", previous={"c": {"value": 100}}
    )
    assert "▲ 20 (20.0%) vs previous period · worse" in worse and "csw-bad" in worse
    share = d.kpi_html(
        [d.KPI("s", "Share", 0.25, "", "share", 0.2, 0.3)],
        lang="en",
        previous={"s": {"value": 0.3, "ci_low": 0.25, "ci_high": 0.35}},
    )
    assert "▼ 5.0 pp vs previous period<" in share  # overlapping intervals: no significance mark
    with pytest.raises(ParameterError, match="previous_kpis"):
        d.kpi_html([d.KPI("s", "S", 1)], lang="en", previous="{not json")


def test_kpi_figures_are_checked():
    with pytest.raises(ParameterError, match="distinct keys"):
        d.kpi_figures([d.KPI("a", "A", 1), d.KPI("a", "B", 2)])
    with pytest.raises(ParameterError, match="better"):
        d.kpi_figures([d.KPI("a", "A", 1, better="up")])
    with pytest.raises(ParameterError, match="'label'"):
        d.kpi_figures([{"key": "a", "value": 1}])


def test_findings_block(shown):
    d.findings(["Revenue fell <5%>.", {"text": "HTMT 0.93 > 0.90", "flag": True}], ["Call back"], lang="en")
    (bundle,) = shown
    html = bundle["text/html"]
    assert html.index("Key findings") < html.index("Revenue fell &lt;5%&gt;.") < html.index("Recommended actions")
    assert '<li class="csw-flag">⚠ HTMT 0.93 &gt; 0.90</li>' in html
    with pytest.raises(ParameterError, match="at least one"):
        d.findings_html([], ["x"], lang="en")
    with pytest.raises(ParameterError, match="lists"):
        d.findings_html("one string", [], lang="en")  # type: ignore[arg-type]


def test_provenance_hashes_the_file_and_cites_bundled_data(tmp_path, shown):
    path = tmp_path / "sales.csv"
    path.write_bytes(b"customer_id,amount\n001,1\n")
    d.provenance(lang="zh", path=path, period="2024年", n=1234, n_label="位顾客")
    (bundle,) = shown
    record = bundle[d.PROVENANCE_MIME]
    assert record["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert record["data"] == "sales.csv" and record["source"] == ""
    html = d.provenance_html(record, run_date="2026-12-05")
    assert "1,234 位顾客" in html and record["sha256"][:12] in html and "2026-12-05" in html
    bundled = d.provenance_record(path="data/raw/transactions/cdnow_sample.csv", lang="en")
    assert bundled["source"].startswith("CDNOW") and bundled["sha256"]


def test_headings_with_template_braces_stay_text():
    payload = d.table_cells(pd.DataFrame({"a {{x}} <b>": [1]}), lang="en")
    out = d.table_html(payload, css=False)
    assert "<b>" not in out and "a &#123;&#123;x&#125;&#125; &lt;b&gt;" in out  # shown as typed


# ----------------------------------------------------------------------------- the page export


def _page_nb(shown_bundles):
    import nbformat

    nb = nbformat.v4.new_notebook()
    intro = nbformat.v4.new_markdown_cell("## Findings\n\nText.")
    body = nbformat.v4.new_code_cell("x")
    body.outputs = [nbformat.v4.new_output("display_data", data=b) for b in shown_bundles]
    tech = nbformat.v4.new_markdown_cell("## Loadings\n\nRead: ≥ 0.7 is good.", metadata={"tags": ["appendix"]})
    tech_out = nbformat.v4.new_code_cell("y", metadata={"tags": ["appendix"]})
    tech_out.outputs = [nbformat.v4.new_output("stream", name="stdout", text="APPENDIX-OUTPUT\n")]
    later = nbformat.v4.new_markdown_cell("### Detail\n\n顾客满意")
    nb.cells = [nbformat.v4.new_markdown_cell("# T"), intro, tech, tech_out, body, later]
    return nb


def test_exported_page_layout(shown, tmp_path):
    from csworkbench.reporting.html import export_html

    path = tmp_path / "sales.csv"
    path.write_text("a\n1\n", encoding="utf-8")
    d.provenance(lang="en", path=path, period="2024", n=1)
    d.findings(["Revenue rose."], ["Keep going."], lang="en")
    d.kpi_tiles([d.KPI("rev", "Revenue", 10.0)], lang="en")
    d.show_table(pd.DataFrame({"x": range(20)}), lang="en")
    page = export_html(
        _page_nb([json.loads(json.dumps(b)) for b in shown]), title="T", parameters={"lang": "en"}, lang="en"
    )
    # provenance lifted into the header, the bundles never shown
    header = page[page.index('<header class="csw-header">') : page.index("</header>")]
    assert "sales.csv" in header and hashlib.sha256(path.read_bytes()).hexdigest()[:12] in header
    assert "vnd.csworkbench" not in page and page.count('csw-provenance"') == 1
    # back link and contents (body headings, then the appendix), summary before the table
    assert 'href="../index.html"' in header
    toc = page[page.index('<nav class="csw-toc"') : page.index("</nav>")]
    assert toc.index("Findings") < toc.index("Detail") < toc.index("Appendix")
    assert page.index("csw-summary") < page.index('<figure class="csw-table')
    # appendix cells moved to the end, in a collapsible section titled by their heading
    appendix = page.index('id="csw-appendix"')
    assert appendix > page.index("顾客满意") and page.index("APPENDIX-OUTPUT") > appendix
    assert "<summary>Loadings</summary>" in page and page.count(">Loadings<") == 1
    # long table: sort keys kept (trusted rebuild), DataTables loaded from the run folder
    assert 'data-order="19.0"' in page and 'src="../csw-datatables.js"' in page
    # lean: no JupyterLab theme, the display stylesheet once; Chinese glyphs embedded
    assert "--jp-layout-color0" not in page and page.count(".csw-kpis {") == 1
    assert "@font-face { font-family: 'CSW CJK'" in page
    assert len(page.encode("utf-8")) < 60_000
    assert page.count("<h1") == 1  # the notebook's own "# T" repeats the header's title: dropped
    # A4 print: page numbers, no heading alone at a page foot, wide tables wrapped, all rows and details
    assert "size: A4" in page and 'counter(page) " / " counter(pages)' in page
    assert re.search(r"h1, h2, h3, h4[^{]*\{ break-after: avoid", page) and "overflow-wrap: anywhere" in page
    assert "dt.page.len(-1).draw()" in page and "d.setAttribute('open', '')" in page


def test_font_subset_holds_the_page_characters():
    import base64
    import io
    import re

    from fontTools.ttLib import TTFont

    from csworkbench.reporting.page import font_face

    rule = font_face("顾客满意 \\u53ef")  # plotly's escaped JSON counts too (可)
    data = base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=]+)", rule).group(1))
    cmap = TTFont(io.BytesIO(data)).getBestCmap()
    assert {ord(c) for c in "顾客满意可"} <= set(cmap) and ord("A") not in cmap
    assert font_face("ASCII only") == ""


def test_font_subset_comes_from_the_prepared_font_unless_a_character_is_rare(tmp_path, monkeypatch):
    import base64
    import io
    import re

    from fontTools.ttLib import TTFont

    from csworkbench.reporting import page

    monkeypatch.setenv("CSW_CACHE_DIR", str(tmp_path))
    page._prepared_font.cache_clear()
    page._subset_woff2.cache_clear()
    try:
        prepared = page._prepared_font()
        assert prepared is not None and prepared.parent == tmp_path
        font = TTFont(str(prepared))
        assert (
            font["head"].unitsPerEm == 256 and font["hmtx"][font.getBestCmap()[ord("顾")]][0] == 256
        )  # full width = 1 em
        cmap = font.getBestCmap()
        assert {ord(c) for c in "顾客满意，（）"} <= set(cmap) and ord("們") not in cmap  # 們: not in GB2312
        common = {ord(c) for c in page._common_chars()}
        source = set(TTFont(str(page._cjk_font_path()), lazy=True).getBestCmap())
        assert set(cmap) == common & source  # all of them that the source font has

        def subset_of(text: str) -> TTFont:
            rule = page.font_face(text)
            data = base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=]+)", rule).group(1))
            return TTFont(io.BytesIO(data))

        assert subset_of("顾客满意")["head"].unitsPerEm == 256  # cut from the prepared font
        rare = subset_of("顾客們")  # a character outside it: cut from the 1000-unit source
        assert rare["head"].unitsPerEm == 1000 and {ord(c) for c in "顾客們"} <= set(rare.getBestCmap())
    finally:
        page._prepared_font.cache_clear()
        page._subset_woff2.cache_clear()


def test_a_code_name_without_label_is_warned_about():
    from csworkbench.errors import CSWWarning

    with pytest.warns(CSWWarning, match=r"\['spend_basis'\] have no label"):
        d.table_cells(pd.DataFrame({"spend_basis": ["x"], "n": [1]}), lang="zh")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        d.table_cells(pd.DataFrame({"spend_basis": ["x"]}), lang="zh", labels={"spend_basis": "消费依据"})


def test_self_contained_page_inlines_the_table_bundle(shown):
    from csworkbench.reporting.html import export_html

    d.show_table(pd.DataFrame({"x": range(20)}), lang="en")
    page = export_html(
        _page_nb([json.loads(json.dumps(b)) for b in shown]), title="T", parameters={}, lang="en", plotly_src=None
    )
    assert re.findall(r"<script[^>]*\ssrc=", page) == [] and "window.cswDtSrc" in page
