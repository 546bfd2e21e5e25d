"""Regenerate the bad-input corpus (run: python tests/data/bad/make_corpus.py).

Text files are written byte for byte; the Excel, SPSS, Parquet and SQLite files are made
with the same libraries the workbench reads them with.  The expected outcome of each file
is in cases.yml beside this script.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent


def write(name: str, data: bytes | str, encoding: str = "utf-8") -> None:
    (HERE / name).write_bytes(data if isinstance(data, bytes) else data.encode(encoding))


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
    write("complaints_duplicate_id.csv", cx_header + "C1,2024-01-01,屏幕有坏点,quality\nC1,2024-01-02,等了两小时,attitude\n")
    write("complaints_bad_date.csv", cx_header + "C1,2024-01-01,屏幕有坏点,quality\nC2,2024-13-02,等了两小时,attitude\n")

    # Excel: two header rows (a title row above the real header), a missing sheet, a corrupt workbook
    two_headers = pd.DataFrame([["期望", "期望", "感知", "感知"], [5, 6, 4, 6], [6, 6, 5, 5]], columns=["E1", "E2", "P1", "P2"])
    two_headers.to_excel(HERE / "excel_two_header_rows.xlsx", index=False)
    pd.DataFrame({"E1": [5], "P1": [6]}).to_excel(HERE / "excel_wrong_sheet.xlsx", index=False, sheet_name="2024Q1")
    write("corrupt_workbook.xlsx", "this is not a zip archive")
    merged = HERE / "excel_merged_header.xlsx"
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["id", "满意度", None, "备注"])
    ws.merge_cells("B1:C1")
    ws.append([1, 5, 6, "ok"])
    wb.save(merged)

    # SPSS: value labels but no rows; a corrupt file
    import pyreadstat

    empty = pd.DataFrame({"q1": pd.Series([], dtype="float64")})
    pyreadstat.write_sav(empty, str(HERE / "spss_labels_only.sav"), column_labels=["总体满意度"],
                         variable_value_labels={"q1": {1.0: "很不满意", 5.0: "很满意"}})
    write("corrupt.sav", b"$FL2 garbage" + bytes(100))
    write("corrupt.parquet", b"PAR1 not really parquet")

    db = HERE / "shop.sqlite"
    db.unlink(missing_ok=True)
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE orders (customer_id TEXT, date TEXT, amount REAL)")
        conn.execute("INSERT INTO orders VALUES ('00001', '1997-01-01', 29.33)")
    print(f"wrote {len(list(HERE.iterdir())) - 2} files to {HERE}")


if __name__ == "__main__":
    main()
