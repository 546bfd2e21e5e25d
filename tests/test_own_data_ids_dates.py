"""A researcher's own files (issue 15, items 1, 3, 4): ids stay text from every format, dates are
never guessed, complaint handling steps are checked for order, summary and shifted rows are caught."""

from __future__ import annotations

import sqlite3
import warnings

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csworkbench.complaints.analytics import resolution_sla
from csworkbench.errors import DataError, ParameterError
from csworkbench.io import looks_like_id, read_table
from csworkbench.problems import Problems
from csworkbench.schema import validate_complaints, validate_survey
from csworkbench.schema._common import clean_ids, parse_dates, summary_rows

TODAY = "2025-01-01"


def _codes(problems: pd.DataFrame) -> list[str]:
    return problems["code"].tolist()


# --------------------------------------------------------------------------- ids from every format


def test_csv_ids_keep_leading_zeros_and_three_respondents_stay_three(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("respondent,E1,P1\n000123,5,6\n0456,4,4\n456,3,5\n", encoding="utf-8")
    frame = read_table(path)
    assert frame["respondent"].tolist() == ["000123", "0456", "456"]
    clean, problems = validate_survey(frame, id_column="respondent")
    assert clean["respondent"].tolist() == ["000123", "0456", "456"]
    assert problems.empty  # 0456 and 456 are two respondents, not a duplicate


def test_csv_column_with_leading_zeros_is_text_even_without_an_id_name(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("who,score\n007,5\n12,4\n", encoding="utf-8")
    frame = read_table(path)
    assert frame["who"].tolist() == ["007", "12"] and frame.attrs["text_columns"] == ["who"]
    assert frame["score"].tolist() == [5, 4]  # numbers stay numbers


def test_eighteen_digit_ids_with_a_blank_keep_every_digit(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("customer_id,amount\n110105199001011234,5\n,3\n110105199001011235,4\n", encoding="utf-8")
    ids = read_table(path)["customer_id"]
    assert ids.iloc[0] == "110105199001011234" and ids.iloc[2] == "110105199001011235" and pd.isna(ids.iloc[1])
    # the same column once a blank turned it into floats: the damage is listed, never merged
    probs = Problems()
    out = clean_ids(pd.Series([110105199001011234.0, np.nan, 110105199001011235.0]), column="c", problems=probs)
    assert out.isna().all()
    assert _codes(probs.frame()) == ["missing_id", "id_lost_digits", "id_lost_digits"]


def test_xlsx_text_cells_and_zero_formatted_numbers_stay_ids(tmp_path):
    path = tmp_path / "s.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["编号", "工号", "score"])
    for text_id, number, score in (("000123", 45, 5), ("0456", 46, 4), ("456", 7, 3)):
        ws.append([text_id, number, score])
    for row in range(2, 5):
        ws.cell(row, 2).number_format = "00000"
    wb.save(path)
    frame = read_table(path)
    assert frame["编号"].tolist() == ["000123", "0456", "456"]
    assert frame["工号"].tolist() == ["00045", "00046", "00007"]
    assert frame["score"].tolist() == [5, 4, 3]


def test_spss_n_format_and_parquet_and_sql_ids(tmp_path):
    import pyreadstat

    raw = pd.DataFrame({"id": [123.0, 456.0, 7.0], "q1": [1.0, 2.0, 3.0]})
    pyreadstat.write_sav(raw, str(tmp_path / "s.sav"), variable_format={"id": "N6"})
    assert read_table(tmp_path / "s.sav")["id"].tolist() == ["000123", "000456", "000007"]

    pd.DataFrame({"respondent": ["000123", "0456", "456"], "E1": [5, 4, 3], "P1": [6, 4, 5]}).to_parquet(
        tmp_path / "s.parquet"
    )
    clean, problems = validate_survey(read_table(tmp_path / "s.parquet"), id_column="respondent")
    assert clean["respondent"].tolist() == ["000123", "0456", "456"] and problems.empty

    with sqlite3.connect(tmp_path / "s.db") as con:
        con.execute("CREATE TABLE s (respondent TEXT, E1 INTEGER, P1 INTEGER)")
        con.executemany("INSERT INTO s VALUES (?, ?, ?)", [("000123", 5, 6), ("0456", 4, 4), ("456", 3, 5)])
    frame = read_table(f"sqlite:///{tmp_path / 's.db'}", table="s")
    clean, problems = validate_survey(frame, id_column="respondent")
    assert clean["respondent"].tolist() == ["000123", "0456", "456"] and problems.empty
    # integer ids from a database become their digits (text), not floats
    clean, _ = validate_survey(pd.DataFrame({"r": [12, 13], "E1": [1, 2], "P1": [3, 4]}), id_column="r")
    assert clean["r"].tolist() == ["12", "13"]


def test_damaged_and_full_width_ids_are_listed_never_merged():
    probs = Problems()
    raw = pd.Series(["Ｃ００１", "C001", "1.10105E+17", "1.10105E+17", "123.0", "123", " 0456 ", "NULL"])
    out = clean_ids(raw, column="customer_id", problems=probs, missing="missing_customer")
    assert out.tolist() == ["C001", "C001", pd.NA, pd.NA, "123.0", "123", "0456", pd.NA]
    table = probs.frame(sort=True)
    assert table[["row", "code"]].values.tolist() == [
        [1, "id_fullwidth"],
        [3, "id_scientific"],
        [4, "id_scientific"],
        [5, "id_trailing_zero"],
        [8, "missing_customer"],
    ]
    assert table["value"].tolist()[:2] == ["Ｃ００１", "1.10105E+17"]


def test_full_width_respondents_are_one_respondent_and_said_so():
    raw = pd.DataFrame({"id": ["Ｒ００１", "R001", "R002"], "E1": [5, 4, 3], "P1": [6, 5, 4]})
    _, problems = validate_survey(raw, id_column="id")
    assert set(_codes(problems)) == {"id_fullwidth", "duplicate_respondent"}
    assert sorted(problems.loc[problems["code"] == "duplicate_respondent", "row"]) == [1, 2]


def test_complaint_ids_0456_and_456_are_two_complaints(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(
        "投诉编号,日期,投诉内容\n0456,2024-03-01,送货太慢\n456,2024-03-02,态度不好\n0456,2024-03-03,又来一次\n",
        encoding="utf-8",
    )
    clean, problems = validate_complaints(read_table(path), today=TODAY)
    assert clean["complaint_id"].tolist() == ["0456", "456"]
    assert problems[["row", "code", "value"]].values.tolist() == [[3, "duplicate_complaint", "0456"]]


def test_id_names():
    assert [
        looks_like_id(n) for n in ("customer_id", "CustomerID", "受访者编号", "工号", "order no.", "respondent")
    ] == [True] * 6
    assert not any(looks_like_id(n) for n in ("score", "paid", "valid", "E1", "满意度", "amount"))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.from_regex(r"0{0,3}[0-9]{1,17}", fullmatch=True), min_size=1, max_size=20))
def test_any_digit_ids_survive_a_csv_round_trip(tmp_path_factory, ids):
    path = tmp_path_factory.mktemp("ids") / "t.csv"
    path.write_text("customer_id,x\n" + "".join(f"{i},1\n" for i in ids), encoding="utf-8")
    frame = read_table(path)
    probs = Problems()
    assert clean_ids(frame["customer_id"], column="customer_id", problems=probs).tolist() == ids
    assert not probs


# --------------------------------------------------------------------------- dates


def _parse(values, **options):
    probs = Problems()
    out = parse_dates(pd.Series(values, dtype=object), column="d", problems=probs, **options)
    return [None if pd.isna(v) else str(v) for v in out], probs.frame(sort=True)


def test_dates_are_never_guessed():
    out, problems = _parse(["24/3/5", "3/7", "05/06/2024", "次日", "今天", "garbage"])
    assert out == [None] * 6
    assert problems["code"].tolist() == [
        "two_digit_year",
        "date_without_year",
        "ambiguous_date_order",
        "relative_date",
        "relative_date",
        "not_a_date",
    ]
    assert (problems["action"] == "kept as NaN").all()
    assert "date_format='%d/%m/%Y'" not in problems["problem"].iloc[0]  # each form has its own hint


def test_date_format_settles_what_cannot_be_told():
    out, problems = _parse(["05/06/2024", "24/12/2024"], date_format="%d/%m/%Y")
    assert out == ["2024-06-05 00:00:00", "2024-12-24 00:00:00"] and problems.empty
    out, problems = _parse(["24/3/5"], date_format="%y/%m/%d")
    assert out == ["2024-03-05 00:00:00"] and problems.empty
    out, problems = _parse(["2024-03-05"], date_format="%d/%m/%Y")
    assert out == [None] and problems["code"].tolist() == ["not_a_date"]


def test_unambiguous_forms_are_read():
    out, problems = _parse(
        ["2024年3月6日", "2024年3月6日 14时30分", "2024/3/5", "2024.3.5", "25/06/2024", "05/05/2024", "5 Mar 2024"]
    )
    assert out == [
        "2024-03-06 00:00:00",
        "2024-03-06 14:30:00",
        "2024-03-05 00:00:00",
        "2024-03-05 00:00:00",
        "2024-06-25 00:00:00",
        "2024-05-05 00:00:00",
        "2024-03-05 00:00:00",
    ]
    assert problems.empty


def test_time_zones_are_converted_to_the_stated_zone_never_silently_utc():
    values = ["2024-03-31T23:30:00+00:00", "2024-04-01T07:00:00+08:00", "2024-04-01 09:00"]
    out, problems = _parse(values)
    # 23:30 UTC on 31 March is 07:30 on 1 April in Shanghai: the purchase stays in April
    assert out == ["2024-04-01 07:30:00", "2024-04-01 07:00:00", "2024-04-01 09:00:00"]
    assert problems["code"].tolist() == ["timezone_converted", "timezone_missing"]
    assert problems["row"].tolist()[1] == 3
    out, _ = _parse(values, tz="UTC")
    assert out == ["2024-03-31 23:30:00", "2024-03-31 23:00:00", "2024-04-01 09:00:00"]
    with pytest.raises(ParameterError, match="time-zone name"):
        _parse(values, tz="Mars/Olympus")
    aware = pd.Series(pd.to_datetime(["2024-03-31T23:30:00Z"]))
    assert str(parse_dates(aware, column="d", problems=Problems()).iloc[0]) == "2024-04-01 07:30:00"


def test_placeholder_and_out_of_range_dates_are_listed_and_missing():
    out, problems = _parse(["0001-01-01", "1899-12-30", "1900-01-01", "1970-01-01", "9999-12-31", "1850-05-05"])
    assert out == [None] * 6
    assert problems["code"].tolist() == ["placeholder_date"] * 5 + ["date_out_of_range"]
    out, problems = _parse([20240305, 19700101])  # yyyymmdd numbers
    assert out == ["2024-03-05 00:00:00", None] and problems["code"].tolist() == ["placeholder_date"]


def test_blank_dates_are_missing_and_not_listed_here():
    out, problems = _parse(["", None, " "])
    assert out == [None] * 3 and problems.empty


# --------------------------------------------------------------------------- complaint handling steps


def _texts(values: pd.Series) -> list[str | None]:
    return [None if pd.isna(v) else str(v) for v in values]


def _complaints(**steps) -> pd.DataFrame:
    base = {
        "complaint_id": ["0001", "0002", "0003", "0004"],
        "date": ["2024-03-05 10:00", "2024-03-05 10:00", "2024-03-05 10:00", "2024-03-05 10:00"],
        "story": ["送货太慢", "态度不好", "屏幕坏了", "退款没到"],
    }
    return pd.DataFrame({**base, **steps})


def test_every_step_timestamp_is_read_and_checked_for_order():
    raw = _complaints(
        acknowledged_at=["2024-03-05 12:00", "2024-03-04 09:00", "次日", "2024年3月6日"],
        resolved_at=["2024-03-06 10:00", "2024-03-07 10:00", "3/7", "2024-03-05 18:00"],
    )
    clean, problems = validate_complaints(raw, today=TODAY)
    assert _texts(clean["acknowledged_at"]) == ["2024-03-05 12:00:00", None, None, "2024-03-06 00:00:00"]
    assert _texts(clean["resolved_at"]) == ["2024-03-06 10:00:00", "2024-03-07 10:00:00", None, None]
    listed = problems[["row", "column", "code"]].values.tolist()
    assert listed == [
        [2, "acknowledged_at", "step_before_received"],
        [3, "acknowledged_at", "relative_date"],
        [3, "resolved_at", "date_without_year"],
        [4, "resolved_at", "step_before_previous"],
    ]
    sla = resolution_sla(clean).set_index("step")
    assert (sla["median_hours"] >= 0).all()
    # complaints 1 (2 h) and 4 (14 h) were acknowledged within 24 h; the acknowledgement before the
    # complaint (2) and the unreadable one (3) do not count
    assert sla.loc["acknowledged_at", "within_sla"] == pytest.approx(2 / 4)
    assert sla.loc["acknowledged_at", "median_hours"] == pytest.approx(8.0)


def test_sla_on_raw_timestamps_never_goes_negative():
    raw = pd.DataFrame(
        {
            "date": pd.to_datetime(["2024-03-05 10:00", "2024-03-05 10:00"]),
            "acknowledged_at": pd.to_datetime(["2024-03-04 10:00", "2024-03-05 12:00"]),
        }
    )
    row = resolution_sla(raw).iloc[0]
    assert row["median_hours"] == 2.0 and row["within_sla"] == 0.5 and row["n_open"] == 1


def test_chinese_step_headers_and_ambiguous_receipt_dates():
    raw = pd.DataFrame(
        {
            "投诉编号": ["A1", "A2"],
            "日期": ["05/06/2024", "2024-06-05"],
            "投诉内容": ["慢", "贵"],
            "回访时间": ["2024-06-10", "2024-06-01"],
        }
    )
    clean, problems = validate_complaints(raw, today=TODAY)
    assert clean["complaint_id"].tolist() == ["A2"]
    assert problems[["row", "code", "action"]].values.tolist() == [
        [1, "ambiguous_date_order", "dropped"],
        [2, "step_before_received", "kept as NaN"],
    ]
    clean, problems = validate_complaints(raw, today=TODAY, date_format="%d/%m/%Y")
    assert "A1" in clean["complaint_id"].tolist()


# --------------------------------------------------------------------------- summary and shifted rows


def test_summary_rows_are_listed_and_dropped():
    raw = pd.DataFrame(
        {"id": ["001", "002", "合计", "总平均", "Average:"], "E1": [5, 3, 8, 4, 4], "P1": [6, 4, 10, 5, 5]}
    )
    clean, problems = validate_survey(raw, id_column="id")
    assert clean["id"].tolist() == ["001", "002"]
    assert problems[["row", "code", "action"]].values.tolist() == [[r, "summary_row", "dropped"] for r in (3, 4, 5)]
    no_id = pd.DataFrame({"E1": ["5", "3", "小计"], "P1": [6, 4, 10]})
    clean, problems = validate_survey(no_id)
    assert len(clean) == 2 and problems["code"].tolist() == ["summary_row"]
    assert summary_rows(pd.DataFrame({"c": ["x", "Total", "SUM", "总计（元）", "合计人数"]})).tolist() == [
        False,
        True,
        True,
        True,
        False,
    ]


def test_shifted_rows_fail_with_that_reason(tmp_path):
    for name, text in (
        ("all.csv", "customer_id,date,amount\nC1,2024-01-05,1,234.50\nC2,2024-01-06,2,000.00\n"),
        ("first.csv", "customer_id,date,amount\nC1,2024-01-05,1,234.50\nC2,2024-01-06,12.00\n"),
        ("later.csv", "customer_id,date,amount\nC1,2024-01-05,12.00\nC2,2024-01-06,1,234.50\n"),
    ):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with pytest.raises(DataError, match=r"shifted|line \d has 4 fields but the header has 3") as info:
            read_table(path)
        assert "line" in str(info.value) and name in str(info.value)


def test_full_width_duplicate_header_is_reported(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("id,P1,Ｐ1\n1,5,6\n", encoding="utf-8")
    with pytest.raises(DataError, match="full-width") as info:
        read_table(path)
    assert info.value.column == "Ｐ1"


def test_valid_gbk_in_traditional_characters_is_read_without_a_guess(tmp_path):
    path = tmp_path / "g.csv"
    path.write_bytes("編號,評價\n1,顧客對服務很滿意\n2,價格太貴，環境還行\n3,鎔鑫堃\n".encode("gbk"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        frame = read_table(path)
    assert frame.attrs["encoding"] == "gb18030" and frame["評價"].iloc[0] == "顧客對服務很滿意"


def test_an_eighteen_digit_id_stored_as_an_excel_number_is_listed_as_damaged(tmp_path):
    path = tmp_path / "s.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "E1", "P1"])
    ws.append([110105199001011000, 5, 6])  # Excel shows 1.10105E+17 and keeps 15 digits
    ws.append(["110105199001011234", 4, 4])  # typed as text: exact
    wb.save(path)
    clean, problems = validate_survey(read_table(path), id_column="id")
    assert clean["id"].tolist() == [pd.NA, "110105199001011234"]
    assert problems[["row", "code", "action"]].values.tolist() == [[1, "id_lost_digits", "flagged"]]


def test_timestamps_that_all_carry_their_offset_are_converted_without_a_word():
    probs = Problems(strict=True)
    out = parse_dates(pd.Series(["2024-03-31T23:30:00Z", "2024-04-01T07:00:00+08:00"]), column="d", problems=probs)
    assert [str(v) for v in out] == ["2024-04-01 07:30:00", "2024-04-01 07:00:00"] and not probs
