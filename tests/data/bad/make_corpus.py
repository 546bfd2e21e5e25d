"""Regenerate the bad-input corpus (run: python tests/data/bad/make_corpus.py).

Text files are written byte for byte; the Excel, SPSS, Parquet and SQLite files are made
with the same libraries the workbench reads them with.  The expected outcome of each file
is in cases.yml beside this script.
"""

from __future__ import annotations

import datetime
import io
import sqlite3
import zipfile
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
FIXED = datetime.datetime(2024, 1, 1)


def write(name: str, data: bytes | str, encoding: str = "utf-8") -> None:
    (HERE / name).write_bytes(data if isinstance(data, bytes) else data.encode(encoding))


def save_workbook(wb, name: str) -> None:
    """Save an openpyxl workbook byte for byte the same on every run (fixed document dates and
    zip entry times)."""
    wb.properties.created = wb.properties.modified = FIXED
    buffer = io.BytesIO()
    wb.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps 'modified' with the time of saving
                import re

                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z", data)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    write(name, out.getvalue())


def sheet(rows, name: str, merge: tuple[str, ...] = (), hidden_rows: tuple[int, ...] = (), title: str | None = None):
    """A one-sheet workbook from rows (the first is the header) written with save_workbook."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    if title:
        ws.title = title
    for row in rows:
        ws.append(list(row))
    for ref in merge:
        ws.merge_cells(ref)
    for r in hidden_rows:
        ws.row_dimensions[r].hidden = True
    save_workbook(wb, name)
    return wb


def write_sav(frame: pd.DataFrame, name: str, **kwargs) -> None:
    """pyreadstat.write_sav with the header's creation date and time fixed (bytes 92–109)."""
    import pyreadstat

    pyreadstat.write_sav(frame, str(HERE / name), **kwargs)
    data = bytearray((HERE / name).read_bytes())
    data[92:109] = b"01 Jan 2400:00:00"
    write(name, bytes(data))


def survey_rows(n: int = 20) -> list[list[object]]:
    return [[i, 5, 6, 4, 6, 5, 5] for i in range(1, n + 1)]


def survey_csv(rows, header=("id", "E1", "E2", "E3", "P1", "P2", "P3")) -> str:
    return "\n".join([",".join(header)] + [",".join("" if v is None else str(v) for v in r) for r in rows]) + "\n"


def main() -> None:
    write("empty.csv", b"")
    write("whitespace_only.csv", b"  \n\n  \n")
    write("header_only.csv", "id,E1,P1\n")
    write("binary_named_csv.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    write("unknown_extension.json", '{"a": 1}')
    write("no_extension", "id,E1\n1,2\n")
    gbk = "编号,期望1,感知1\n1,6,5\n2,7,6\n"
    write("gb18030_read_as_utf8.csv", gbk, "gb18030")
    rows = survey_rows()
    rows[16][3] = "n/a"
    write("text_in_score.csv", survey_csv(rows, ("id", "EXPE1", "EXPE2", "EXPE3", "PERC1", "PERC2", "PERC3")))
    rows = survey_rows()
    rows[4][5] = 9
    write("out_of_range.csv", survey_csv(rows))
    rows = survey_rows()
    rows[7][1] = 11
    write("out_of_range_0_10.csv", survey_csv(rows))
    rows = survey_rows()
    rows[10][0] = 3
    rows[10][2] = 1
    write("duplicate_respondent.csv", survey_csv(rows))
    rows = [[r[0], None, r[2], r[3], r[4], r[5], r[6]] for r in survey_rows()]
    write("all_missing_item.csv", survey_csv(rows))
    write("unpaired_items.csv", survey_csv([[i, 5, 6, 4, 6] for i in range(1, 6)], ("id", "E1", "E2", "E3", "P1")))
    write("bom_text_in_score.csv", "\ufeff" + survey_csv([[1, 5, 6, 4, 6, 5, 5], [2, "很好", 6, 4, 6, 5, 5]]))
    write("duplicate_header.csv", "id,E1,E1,P1\n1,5,6,4\n")
    write("blank_header.csv", "id,E1,,P1\n1,5,6,4\n")
    write("ragged_rows.csv", "id,E1,P1\n1,5,6\n2,5,6,7,8\n3,4,4\n")
    write("long_bad_kind.csv", "respondent,item,kind,score\n1,1,E,5\n1,1,P,6\n2,1,X,4\n")
    write("long_repeated_answer.csv", "respondent,item,kind,score\n1,1,E,5\n1,1,P,6\n1,1,P,7\n")
    tx_header = "customer_id,date,amount\n"
    write("tx_missing_amount_column.csv", "customer_id,date,quantity\n00001,1997-01-01,2\n")
    write("tx_negative_amount.csv", tx_header + "00001,1997-01-01,29.33\n00002,1997-01-02,-12.00\n")
    write("tx_bad_date.csv", tx_header + "00001,1997-01-01,29.33\n00002,1997-02-30,12.00\n00003,1997-03-01,5\n")
    write("tx_text_amount.csv", tx_header + "00001,1997-01-01,29.33\n00002,1997-01-02,¥12\n")
    write("tx_missing_customer.csv", tx_header + "00001,1997-01-01,29.33\n,1997-01-02,12.00\n")
    write("tx_future_date.csv", tx_header + "00001,1997-01-01,29.33\n00002,2999-01-02,12.00\n")
    write("tx_duplicate_rows.csv", tx_header + "00001,1997-01-01,29.33\n00001,1997-01-01,29.33\n")
    write("tx_all_rows_bad.csv", tx_header + ",1997-01-01,29.33\n00002,not a date,12.00\n")
    cx_header = "complaint_id,date,story,service_aspect\n"
    write("complaints_missing_story_column.csv", "complaint_id,date,product\nC1,2024-01-01,电视\n")
    write("complaints_blank_story.csv", cx_header + "C1,2024-01-01,屏幕有坏点,quality\nC2,2024-01-02,,attitude\n")
    write("complaints_bad_aspect.csv", cx_header + "C1,2024-01-01,屏幕有坏点,quality\nC2,2024-01-02,等了两小时,speed\n")
    write(
        "complaints_duplicate_id.csv",
        cx_header + "C1,2024-01-01,屏幕有坏点,quality\nC1,2024-01-02,等了两小时,attitude\n",
    )
    write(
        "complaints_bad_date.csv", cx_header + "C1,2024-01-01,屏幕有坏点,quality\nC2,2024-13-02,等了两小时,attitude\n"
    )

    # Excel: two header rows (a title row above the real header), a missing sheet, a corrupt workbook
    sheet(
        [["E1", "E2", "P1", "P2"], ["期望", "期望", "感知", "感知"], [5, 6, 4, 6], [6, 6, 5, 5]],
        "excel_two_header_rows.xlsx",
    )
    sheet([["E1", "P1"], [5, 6]], "excel_wrong_sheet.xlsx", title="2024Q1")
    write("corrupt_workbook.xlsx", "this is not a zip archive")
    sheet([["id", "满意度", None, "备注"], [1, 5, 6, "ok"]], "excel_merged_header.xlsx", merge=("B1:C1",))

    # SPSS: value labels but no rows; a corrupt file
    empty = pd.DataFrame({"q1": pd.Series([], dtype="float64")})
    write_sav(
        empty,
        "spss_labels_only.sav",
        column_labels=["总体满意度"],
        variable_value_labels={"q1": {1.0: "很不满意", 5.0: "很满意"}},
    )
    write("corrupt.sav", b"$FL2 garbage" + bytes(100))
    write("corrupt.parquet", b"PAR1 not really parquet")

    db = HERE / "shop.sqlite"
    db.unlink(missing_ok=True)
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE orders (customer_id TEXT, date TEXT, amount REAL)")
        conn.execute("INSERT INTO orders VALUES ('00001', '1997-01-01', 29.33)")
    read_cases()
    survey_cases()
    transaction_cases()
    complaint_cases()
    print(f"wrote {len(list(HERE.iterdir())) - 2} files to {HERE}")


def read_cases() -> None:
    """Files read_table itself must refuse, naming what is wrong and where."""
    write("gbk_forced_utf8_line3.csv", "id,E1,P1\n1,5,6\n2,很好,6\n", "gb18030")
    write("latin1_forced_utf8.csv", "customer_id,city,amount\nA1,Paris,3\nA2,Lyon,4\nA3,Montréal,5\n", "cp1252")
    write("utf16_no_bom.csv", "id,E1,P1\n1,5,6\n2,6,7\n", "utf-16-le")
    write("nul_byte_in_row.csv", b"id,E1,E2,P1\n1,5,6,4\n2,5,6,4\n3,5,\x006,4\n4,5,6,4\n")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("xl/workbook.xml", date_time=(2024, 1, 1, 0, 0, 0)), "<workbook/>")
    write("xlsx_named_csv.csv", buffer.getvalue())
    write("old_excel.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    write("sheet.ods", b"PK\x03\x04 an OpenDocument spreadsheet")
    write("unclosed_quote.csv", 'id,E1,P1,note\n1,5,6,ok\n2,5,6,fine\n3,5,6,"too slow\n4,5,6,late\n')
    write("short_row.csv", "id,E1,E2,P1\n1,5,6,4\n2,5,6\n3,5,6,4\n")
    rows = [["id", "E1", "P1", "gap"]] + [[i, 5, 6, f"=C{i + 1}-B{i + 1}"] for i in range(1, 6)]
    sheet(rows, "excel_formula_no_value.xlsx")
    rows = [["id", "region", "E1", "P1"], [1, "华东", 5, 6], [2, None, 5, 6], [3, None, 6, 6], [4, "华南", 4, 5]]
    sheet(rows, "excel_merged_data_cells.xlsx", merge=("B2:B4",))
    from openpyxl import Workbook

    wb = Workbook()
    data = wb.create_sheet("数据")
    for row in [["id", "E1", "P1"], [1, 5, 6]]:
        data.append(row)
    save_workbook(wb, "excel_first_sheet_empty.xlsx")
    rows = [["2024年顾客满意度调查", None, None, None], ["id", "E1", "P1", "备注"], [1, 5, 6, ""]]
    sheet(rows, "excel_title_row.xlsx", merge=("A1:D1",))


def survey_cases() -> None:
    zh = survey_rows(6)
    zh[3][5] = "五"
    write(
        "gbk_survey_chinese_headers.csv",
        survey_csv(zh, ("编号", "期望1", "期望2", "期望3", "感知1", "感知2", "感知3")),
        "gb18030",
    )
    rows = survey_rows(5)
    rows[2][4] = 8
    text = "\r\n".join("\t".join(str(v) for v in r) for r in [("编号", "E1", "E2", "E3", "P1", "P2", "P3")] + rows)
    write("utf16_bom_survey.txt", "\ufeff" + text + "\r\n", "utf-16-le")
    write(
        "big5_survey.csv",
        "編號,期望1,感知1,評語\n1,6,5,服務很好\n2,7,6,價格合理\n3,6,好,環境舒適\n4,5,5,還不錯\n",
        "big5",
    )
    lines = survey_csv(survey_rows(8)).split("\n")
    lines[6] = lines[6].replace(",5,5", ",5,9", 1)  # row 6: P2 = 9 (line 7)
    write(
        "mixed_line_endings.csv", "\r\n".join(lines[:3]) + "\r\n" + "\n".join(lines[3:5]) + "\r" + "\n".join(lines[5:])
    )
    rows = survey_rows(8)
    rows[4][5] = 9  # data row 5 counting the blank line below row 2
    body = survey_csv([r for i, r in enumerate(rows) if i != 2]).split("\n")
    write("blank_line_in_middle.csv", "\n".join(body[:3] + [""] + body[3:]))
    import datetime as dt

    sheet([["id", "E1", "P1"], [1, 5, 6], [2, dt.datetime(2024, 1, 5), 6], [3, 4, 4]], "excel_dates_in_scores.xlsx")
    sheet(
        [["id", "E1", "E2", "P1", "P2"], [1, "5", "6", "4", "6"], [2, "6", "5", "5", "5"], [3, "4", "4", "5", "5分"]],
        "excel_numbers_as_text.xlsx",
    )
    from openpyxl.styles import Font

    wb = sheet([["id", "E1", "P1"], [1, 5, 6], [2, 5, 6], [3, 5, 0], [4, 6, 6]], "excel_trailing_blank.xlsx")
    ws = wb.active
    for r in range(1, 40):
        for c in range(4, 8):
            ws.cell(r, c).font = Font(bold=True)  # formatted but empty: Excel keeps them in the file
    ws.cell(1, 4).value = ""
    save_workbook(wb, "excel_trailing_blank.xlsx")
    write("trailing_empty_columns.csv", "id,E1,P1,,\n1,5,6,,\n2,11,6,,\n3,5,5,,\n,,,,\n,,,,\n")
    sheet(
        [["id", "E1", "P1"], ["编号", "期望1", "感知1"], [1, 5, 6], [2, 6, 6]],
        "excel_hidden_header_row.xlsx",
        hidden_rows=(1,),
    )
    sheet([["id", "E1", "P1"], [1, 5, 6], [2, "6", 5.0], [3, "six", 6], [4, 7, "4"]], "excel_mixed_types.xlsx")
    frame = pd.DataFrame({"id": [1.0, 2, 3, 4, 5], "q1": [5.0, 99, 6, 8, 99], "q2": [4.0, 5, 99, 6, 7]})
    write_sav(
        frame,
        "spss_missing_99_declared.sav",
        missing_ranges={"q1": [99.0], "q2": [99.0]},
        variable_value_labels={"q1": {99.0: "未回答"}, "q2": {99.0: "未回答"}},
    )
    frame = pd.DataFrame({"id": [1.0, 2, 3, 4, 5], "q1": [5.0, 6, 6, 7, 4], "q2": [4.0, 5, 99, 6, 7]})
    write_sav(frame, "spss_missing_99_undeclared.sav", variable_value_labels={"q2": {99.0: "未回答"}})
    rows = [["id", "E1", "P1"]] + [[i, 5, 6] for i in range(1, 21)] + [["平均", 5.0, 6.0]]
    sheet(rows, "excel_average_row.xlsx")
    rows = [[f"R{i}", 5, 6, 4, 6, 5, 5] for i in range(1, 9)]
    rows[6][0] = "R4 "
    rows[6][1] = 7
    write("duplicate_respondent_whitespace.csv", survey_csv(rows))
    write("one_row_survey_bad.csv", "id,E1,P1\n1,好,6\n")
    write("survey_footer_note.csv", survey_csv(survey_rows(20)) + "注：1=很不满意，7=很满意,,,,,,\n")
    rows = survey_rows(5)
    rows[2][0] = "NaN"
    write("survey_nan_id.csv", survey_csv(rows))
    rows = survey_rows(5)
    rows[1][2] = "inf"
    write("survey_inf_score.csv", survey_csv(rows))


def transaction_cases() -> None:
    h = "customer_id,date,amount\n"
    write("tx_thousands_separator.csv", h + '00001,1997-01-01,29.33\n00002,1997-01-02,"1,234.50"\n')
    write("tx_thousands_no_decimals.csv", h + '00001,1997-01-01,29.33\n00002,1997-01-02,"1,234"\n')
    write("tx_currency_yuan.csv", h + "00001,1997-01-01,29.33\n00002,1997-01-02,12元\n00003,1997-01-03,RMB 15\n")
    write("tx_nan_customer_text.csv", h + "00001,1997-01-01,29.33\nNaN,1997-01-02,12\nNULL,1997-01-03,5\n")
    write(
        "tx_zero_quantity.csv",
        "customer_id,date,quantity,amount\n00001,1997-01-01,1,29.33\n00002,1997-01-02,2,12\n00003,1997-01-03,0,5\n",
    )
    write(
        "tx_negative_quantity.csv",
        "customer_id,date,quantity,amount\n00001,1997-01-01,1,29.33\n00002,1997-01-02,-2,12\n",
    )
    write("tx_yyyymmdd_invalid_day.csv", h + "00001,19970101,29.33\n00002,19970230,12\n00003,19970301,5\n")
    write("tx_yyyymmdd_short.csv", h + "00001,19970101,29.33\n00002,19970102,12\n00003,1997013,5\n00004,19970104,7\n")
    sheet(
        [
            ["customer_id", "date", "amount"],
            ["00001", 35431, 29.33],
            ["00002", 35432, 12.0],
            ["00003", 3000000, 5.0],
            ["00004", 35433, 7.0],
        ],
        "tx_excel_serial_out_of_range.xlsx",
    )
    write("tx_all_missing_amount.csv", h + "00001,1997-01-01,\n00002,1997-01-02,\n")
    write("tx_all_missing_date.csv", h + "00001,,29.33\n00002,,12\n")
    write("tx_infinite_amount.csv", h + "00001,1997-01-01,29.33\n00002,1997-01-02,inf\n")
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in [
        ["customer_id", "date", "amount"],
        ["00001", datetime.datetime(1997, 1, 1), "#N/A"],
        ["00002", datetime.datetime(1997, 1, 2), 12.0],
    ]:
        ws.append(row)
    ws["B2"].number_format = ws["B3"].number_format = "yyyy-mm-dd"
    save_workbook(wb, "tx_excel_error_value.xlsx")
    sheet(
        [
            ["customer_id", "date", "amount"],
            ["00001", "1997-01-01", 29.33],
            [None, None, None],
            ["00003", "1997-01-03", 5.0],
        ],
        "tx_blank_row.xlsx",
    )
    write("one_row_tx_bad_date.csv", h + "00001,1997-02-30,29.33\n")
    write("tx_chinese_dates.csv", h + "00001,2024年1月5日,29.33\n00002,2024年2月6日,12\n00003,2024年13月5日,5\n")
    write("tx_ambiguous_slash_dates.csv", h + "00001,03/04/2024,29.33\n00002,05/06/2024,12\n")
    write(
        "tx_footer_total_row.csv", h + "00001,1997-01-01,29.33\n00002,1997-01-02,12\n00003,1997-01-03,5\n合计,,46.33\n"
    )


def complaint_cases() -> None:
    h = "complaint_id,date,story,service_aspect\n"
    write(
        "complaints_chinese_headers_bad_aspect.csv",
        "投诉编号,投诉日期,投诉内容,服务方面\nC1,2024-01-01,屏幕有坏点,质量\nC2,2024-01-02,等了两小时,速度\n",
    )
    write(
        "complaints_header_spaces.csv",
        "投诉编号 , 日期,投诉内容 \nC1,2024-01-01,屏幕有坏点\nC2,2024-02-30,等了两小时\n",
    )
    write("complaints_long_story.csv", h + f"C1,2024-01-01,屏幕有坏点,quality\nC2,2024-01-02,{'等' * 40000},attitude\n")
    write(
        "complaints_html_story.csv",
        h + "C1,2024-01-01,屏幕有坏点,quality\nC2,2024-01-02,\"<script>alert('x')</script>等了两小时\",attitude\n",
    )
    write(
        "complaints_bad_channel.csv",
        "complaint_id,date,story,channel\nC1,2024-01-01,屏幕有坏点,电话\nC2,2024-01-02,等了两小时,飞鸽传书\n",
    )
    write("complaints_future_date.csv", h + "C1,2024-01-01,屏幕有坏点,quality\nC2,2999-01-02,等了两小时,attitude\n")
    sheet(
        [["complaint_id", "date", "story"], [1001, "2024-01-01", "屏幕有坏点"], ["1001", "2024-01-02", "等了两小时"]],
        "complaints_duplicate_id_mixed.xlsx",
    )
    write("complaints_all_missing_aspect.csv", h + "C1,2024-01-01,屏幕有坏点,\nC2,2024-01-02,等了两小时,\n")
    write("complaints_all_missing_date.csv", h + "C1,,屏幕有坏点,quality\nC2,,等了两小时,attitude\n")
    write(
        "complaints_satisfaction_out_of_scale.csv",
        "投诉编号,日期,投诉内容,处理后满意度\nC1,2024-01-01,屏幕有坏点,4\nC2,2024-01-02,等了两小时,6\n",
    )
    write(
        "complaints_resolved_before.csv",
        "complaint_id,date,story,resolved_at\nC1,2024-01-01,屏幕有坏点,2024-01-03\nC2,2024-01-05,等了两小时,2024-01-02\n",
    )
    write(
        "complaints_unclosed_quote.csv",
        h + 'C1,2024-01-01,屏幕有坏点,quality\nC2,2024-01-02,"等了两小时,attitude\nC3,2024-01-03,态度差,attitude\n',
    )
    write("one_row_complaint_bad_date.csv", h + "C1,2024-02-30,屏幕有坏点,quality\n")
    write("complaints_nan_id.csv", h + "C1,2024-01-01,屏幕有坏点,quality\nNULL,2024-01-02,等了两小时,attitude\n")
    sheet(
        [
            ["complaint_id", "date", "story", "service_aspect"],
            ["C1", "2024-01-01", "屏幕有坏点", "quality"],
            ["C2", "2024-01-02", "送货慢", None],
            ["C3", "2024-01-03", "态度差", "attitude"],
        ],
        "complaints_excel_merged_aspect.xlsx",
        merge=("D2:D3",),
    )


if __name__ == "__main__":
    main()
