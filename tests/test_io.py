"""io.read_table on the files people actually bring: GB18030 CSV from Chinese Excel, BOM, xlsx with
sheets, SPSS with labels and missing codes, Parquet, SQLite."""

from __future__ import annotations

import sqlite3
import warnings

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from csworkbench.errors import DataError, DataWarning
from csworkbench.io import detect_encoding, read_table

ZH = "编号,性别,期望_便利性,感知_便利性,评语\n1,女,7,5,排队太久了\n2,男,6,,还不错\n3,女,8,9,“非常满意”\n"


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8", "utf-8-sig"])
def test_chinese_csv_in_every_encoding_excel_saves(tmp_path, encoding):
    path = tmp_path / f"survey_{encoding}.csv"
    path.write_bytes(ZH.encode(encoding))
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)  # these encodings are detected for certain
        frame = read_table(path)
    assert list(frame.columns) == ["编号", "性别", "期望_便利性", "感知_便利性", "评语"]
    assert frame["评语"].tolist() == ["排队太久了", "还不错", "“非常满意”"]
    assert frame["感知_便利性"].isna().tolist() == [False, True, False]  # blank is missing, not 0
    assert frame.attrs["encoding"] == ("gb18030" if encoding in ("gb18030", "gbk") else encoding)


def test_gb18030_detection_does_not_misread_other_encodings():
    assert detect_encoding("Café,naïve\n1,2\n".encode("cp1252"))[1] is False  # a guess, not certainty
    assert detect_encoding("Café".encode()) == ("utf-8", True)


def test_uncertain_encoding_warns_with_the_file_name(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("name,city\nRené,Montréal\nZoë,Besançon\n".encode("cp1252"))
    with pytest.warns(DataWarning, match="latin.csv: encoding not certain"):
        frame = read_table(path)
    assert frame["name"].tolist() == ["René", "Zoë"]


def test_text_markers_of_missing_are_kept_for_validation(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("id;score\n1;5\n2;n/a\n3;NA\n4;\n", encoding="utf-8")
    frame = read_table(path)
    assert frame.attrs["delimiter"] == ";"
    assert frame["score"].tolist()[:3] == ["5", "n/a", "NA"]
    assert pd.isna(frame["score"].iloc[3])


def test_xlsx_sheet_option(tmp_path):
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"月份": ["1月"], "投诉数": [3]}).to_excel(writer, sheet_name="汇总", index=False)
        pd.DataFrame({"编号": ["C1", "C2"], "内容": ["送货慢", None]}).to_excel(writer, sheet_name="明细", index=False)
    assert read_table(path)["投诉数"].tolist() == [3]
    detail = read_table(path, sheet="明细")
    assert detail["内容"].tolist()[0] == "送货慢" and pd.isna(detail["内容"].iloc[1])
    assert detail.attrs["sheet"] == "明细"
    assert read_table(path, sheet=1).shape == (2, 2)


def test_spss_value_labels_variable_labels_and_missing_codes(tmp_path):
    path = tmp_path / "survey.sav"
    frame = pd.DataFrame({"q1": [1.0, 5.0, 99.0, 3.0], "gender": [1.0, 2.0, 1.0, 2.0]})
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels=["总体满意度", "性别"],
        variable_value_labels={
            "q1": {1.0: "很不满意", 5.0: "很满意", 99.0: "未回答"},
            "gender": {1.0: "男", 2.0: "女"},
        },
        missing_ranges={"q1": [99.0]},
    )
    codes = read_table(path)
    assert codes["q1"].tolist()[:2] == [1.0, 5.0]
    assert np.isnan(codes["q1"].iloc[2])  # the user-missing code 99 is missing, not a score of 99
    assert codes.attrs["variable_labels"] == {"q1": "总体满意度", "gender": "性别"}
    assert codes.attrs["value_labels"]["gender"] == {1.0: "男", 2.0: "女"}
    labelled = read_table(path, value_labels="labels")
    assert labelled["gender"].tolist() == ["男", "女", "男", "女"]


def test_parquet_file_and_dataset_folder(tmp_path):
    frame = pd.DataFrame({"customer_id": ["a", "b"], "amount": [1.5, 2.0]})
    frame.to_parquet(tmp_path / "one.parquet")
    pd.testing.assert_frame_equal(read_table(tmp_path / "one.parquet"), frame, check_dtype=False)
    folder = tmp_path / "ds"
    folder.mkdir()
    frame.to_parquet(folder / "part-0.parquet")
    frame.to_parquet(folder / "part-1.parquet")
    assert len(read_table(folder)) == 4


def test_sqlite_query_and_table(tmp_path):
    db = tmp_path / "shop.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE orders (customer_id TEXT, amount REAL)")
        conn.executemany("INSERT INTO orders VALUES (?, ?)", [("a", 1.0), ("b", 2.5), ("a", 4.0)])
    url = f"sqlite:///{db}"
    result = read_table(url, sql="SELECT customer_id, SUM(amount) AS total FROM orders GROUP BY customer_id ORDER BY 1")
    assert result["total"].tolist() == [5.0, 2.5]
    assert len(read_table(url, table="orders")) == 3
    with pytest.raises(DataError, match="not a plain identifier"):
        read_table(url, table="orders; DROP TABLE orders")


def test_missing_sqlite_file_is_named(tmp_path):
    with pytest.raises(DataError, match="nope.db: the SQLite database file does not exist"):
        read_table(f"sqlite:///{tmp_path / 'nope.db'}", sql="SELECT 1")


def test_header_only_allowed_on_request(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("a,b\n", encoding="utf-8")
    assert read_table(path, allow_empty=True).shape == (0, 2)


def test_error_message_shows_file_name_not_folders(tmp_path):
    with pytest.raises(DataError) as info:
        read_table(tmp_path / "secret" / "x.csv")
    assert str(tmp_path) not in str(info.value)
    assert "x.csv" in str(info.value)


def test_spss_missing_range_is_missing_and_recorded(tmp_path):
    path = tmp_path / "range.sav"
    frame = pd.DataFrame({"q1": [1.0, 97.0, 98.0, 99.0, 7.0], "q2": [1.0, 2.0, 99.0, 4.0, 5.0]})
    pyreadstat.write_sav(frame, str(path), missing_ranges={"q1": [{"lo": 97.0, "hi": 99.0}]})
    read = read_table(path)
    assert read["q1"].isna().tolist() == [False, True, True, True, False]
    assert read["q2"].tolist()[2] == 99.0  # not declared: stays a number (validation says it looks like a code)
    assert read.attrs["missing_ranges"] == {"q1": [{"lo": 97.0, "hi": 99.0}]}


def test_trimming_keeps_every_cell_that_holds_a_value(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b,,\n1,2,,\n,,,x\n,,,\n\n", encoding="utf-8")
    with pytest.raises(DataError, match="column 3 has no name"):
        read_table(path)  # the unnamed column 4 holds 'x': not trimmed, so column 3 is reported
    path.write_text("a,b,,\n1,2,,\n\n3,4,,\n,,,\n\n", encoding="utf-8")
    frame = read_table(path)
    assert frame.shape == (3, 2) and frame.iloc[1].isna().all() and frame.attrs["trimmed"] == {"rows": 2, "columns": 2}
    path.write_text("a,b,,\n1,2\n3,4,,\n", encoding="utf-8")  # rows may leave out the nameless columns
    assert read_table(path).shape == (2, 2)


def test_parquet_takes_the_same_dtype_option_as_csv(tmp_path):
    # one call reads ids as text from every format (issue 15): Parquet applies dtype after reading
    path = tmp_path / "log.parquet"
    pd.DataFrame({"customer_id": [123.0, None, 45.0], "amount": [1.5, 2.0, 3.0]}).to_parquet(path)
    frame = read_table(path, dtype={"customer_id": str})
    assert frame["customer_id"].tolist()[0::2] == ["123", "45"]
    assert frame["customer_id"].isna().tolist() == [False, True, False]
    assert frame["amount"].tolist() == [1.5, 2.0, 3.0]
