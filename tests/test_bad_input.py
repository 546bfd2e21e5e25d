"""The bad-input corpus (tests/data/bad/, cases.yml): every case gives a csworkbench error that names
the file and, where it applies, the column and row; validators in non-strict mode list the same
problem and every row they drop.

Cases marked ``generated:`` in cases.yml are too big to commit (one million rows); they are
written once per session into a temporary folder by the generator named there."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import csworkbench.errors as errors
from csworkbench.io import read_table
from csworkbench.schema import PROBLEM_COLUMNS, validate_complaints, validate_survey, validate_transactions

BAD = Path(__file__).parent / "data" / "bad"
CASES = yaml.safe_load((BAD / "cases.yml").read_text(encoding="utf-8"))
TODAY = "2025-01-01"
FAMILIES = {
    "read": {"read", "sql"},
    "survey": {"survey", "long_survey"},
    "transactions": {"transactions"},
    "complaints": {"complaints"},
}
MILLION = 1_000_000
BAD_ROW = 500_001


def million_transactions(path: Path) -> None:
    """One million valid transactions with one impossible date (2021-02-30) in data row 500,001."""
    days = [str(d.date()) for d in pd.date_range("2020-01-01", periods=1000)]
    block = [f"#{j:03d},{days[j * 7 % 1000]},{j % 97 / 4 + 1:.2f}\n" for j in range(1000)]  # '#': the block number
    bad = block.copy()
    bad[(BAD_ROW - 1) % 1000] = f"#{(BAD_ROW - 1) % 1000:03d},2021-02-30,12.50\n"
    block, bad = "".join(block), "".join(bad)
    blocks = [(bad if k == (BAD_ROW - 1) // 1000 else block).replace("#", f"{k:04d}") for k in range(MILLION // 1000)]
    path.write_text("customer_id,date,amount\n" + "".join(blocks), encoding="utf-8")


GENERATORS = {"million_transactions": million_transactions}


@pytest.fixture(scope="session")
def generated(tmp_path_factory):
    """Folder with the generated cases, written on first use."""
    folder = tmp_path_factory.mktemp("bad_generated")

    def path(case: dict) -> Path:
        target = folder / case["file"]
        if not target.exists():
            GENERATORS[case["generated"]](target)
        return target

    return path


def _path(case: dict, generated) -> Path:
    return generated(case) if case.get("generated") else BAD / case["file"]


def _read_as(case: dict, path: Path) -> pd.DataFrame:
    return read_table(path, **_ids_as_text(path)) if case["reader"] == "transactions" else read_table(path)


def _ids_as_text(path: Path) -> dict:
    """CSV/Excel ids read as text; a Parquet file keeps the types it was written with."""
    return {} if path.suffix == ".parquet" else {"dtype": {"customer_id": "str"}}


def _run(case: dict, strict: bool, path: Path):
    options = dict(case.get("options") or {})
    reader = case["reader"]
    if reader == "read":
        return read_table(path, **options)
    if reader == "sql":
        return read_table(f"sqlite:///{path}", **options)
    if reader == "survey":
        if "scale" in options:
            options["scale"] = tuple(options["scale"])
        return validate_survey(read_table(path), strict=strict, **options)
    if reader == "long_survey":
        return validate_survey(read_table(path), layout="long", strict=strict, **options)
    if reader == "transactions":
        return validate_transactions(read_table(path, **_ids_as_text(path)), strict=strict, today=TODAY, **options)
    if reader == "complaints":
        return validate_complaints(read_table(path), strict=strict, today=TODAY, **options)
    raise ValueError(reader)


def test_corpus_is_large_enough():
    assert len(CASES) >= 60
    by_family = {family: sum(c["reader"] in readers for c in CASES) for family, readers in FAMILIES.items()}
    assert sum(by_family.values()) == len(CASES)
    assert min(by_family.values()) >= 12, by_family
    missing = [
        c["file"]
        for c in CASES
        if not c.get("generated") and not (BAD / c["file"]).exists() and c["file"] != "does_not_exist.csv"
    ]
    assert not missing, f"cases.yml names files that are not in tests/data/bad: {missing}"
    assert all(c["generated"] in GENERATORS for c in CASES if c.get("generated"))
    listed = {c["file"] for c in CASES} | {"cases.yml", "make_corpus.py"}
    unused = sorted(f.name for f in BAD.iterdir() if f.name not in listed)
    assert not unused, f"files in tests/data/bad without a case: {unused}"


@pytest.mark.parametrize("case", CASES, ids=[f"{c['file']}-{c['reader']}" for c in CASES])
def test_bad_input_raises_named_error(case, generated):
    cls = getattr(errors, case["error"])
    with pytest.raises(cls) as info:
        _run(case, strict=True, path=_path(case, generated))
    message = str(info.value)
    assert isinstance(info.value, errors.CSWError)
    assert case["fragment"] in message, message
    if case["reader"] != "sql" or "query" in case["fragment"]:
        assert Path(case["file"]).name in message, f"the message does not name the file: {message}"
    if case.get("column"):
        assert f"column {case['column']!r}" in message, message
        assert info.value.column == case["column"]
    if case.get("row"):
        assert f"row {case['row']}" in message, message
        assert info.value.row == case["row"]


VALIDATOR_CASES = [c for c in CASES if c["reader"] in {"survey", "long_survey", "transactions", "complaints"}]


@pytest.mark.parametrize("case", VALIDATOR_CASES, ids=[c["file"] for c in VALIDATOR_CASES])
def test_non_strict_lists_every_problem_and_every_dropped_row(case, generated):
    path = _path(case, generated)
    try:
        clean, problems = _run(case, strict=False, path=path)
    except errors.DataError as exc:
        # structural problems (a required column missing, nothing left) raise in both modes
        assert case["fragment"] in str(exc) or exc.problems is not None
        if exc.problems is not None and case["fragment"] not in str(exc):
            assert list(exc.problems.columns) == PROBLEM_COLUMNS
            _assert_listed(case, exc.problems)
        return
    assert list(problems.columns) == PROBLEM_COLUMNS
    _assert_listed(case, problems)
    rows = MILLION if case.get("generated") else len(_read_as(case, path))
    dropped = problems.loc[problems["action"] == "dropped", "row"].dropna().astype(int).nunique()
    assert len(clean) == rows - dropped, "rows were dropped without being listed"


def _assert_listed(case: dict, problems: pd.DataFrame) -> None:
    """The case's problem is in the table, with its value, column and row."""
    expected_problem, _, got = case["fragment"].partition("got ")
    expected_problem = expected_problem.rstrip("; ")
    hit = problems[problems["problem"].str.contains(expected_problem, regex=False)]
    if got:
        hit = hit[hit["value"] == got.strip("'")]
    assert len(hit), f"problem not listed: {case['fragment']}\n{problems}"
    if case.get("column"):
        assert case["column"] in set(hit["column"])
    if case.get("row"):
        assert case["row"] in set(hit["row"].dropna().astype(int))


# --------------------------------------------------------------------------- what the corpus files must still yield


def _tx(name: str, **options):
    return validate_transactions(read_table(BAD / name, dtype={"customer_id": "str"}), today=TODAY, **options)


def test_amounts_with_currency_signs_and_thousands_are_read_as_shown():
    assert _tx("tx_thousands_separator.csv").data["amount"].tolist() == [29.33, 1234.5]
    assert _tx("tx_thousands_no_decimals.csv").data["amount"].tolist() == [29.33, 1234.0]  # was 1.234
    assert _tx("tx_currency_yuan.csv").data["amount"].tolist() == [29.33, 12.0, 15.0]
    clean, problems = _tx("tx_infinite_amount.csv")
    assert np.isnan(clean["amount"].iloc[1]) and problems["value"].tolist() == ["inf"]
    raw = pd.DataFrame({"customer_id": ["a", "b"], "date": ["2024-01-01"] * 2, "amount": ["(12.00)", "1.234,50"]})
    clean, problems = validate_transactions(raw, today=TODAY)
    assert clean["amount"].isna().all() and len(problems) == 2  # not guessed: listed


def test_one_bad_date_number_does_not_sink_the_column():
    clean, problems = _tx("tx_yyyymmdd_short.csv")
    assert clean["date"].dt.strftime("%Y-%m-%d").tolist() == ["1997-01-01", "1997-01-02", "1997-01-04"]
    assert problems[["row", "action"]].values.tolist() == [[3, "dropped"]]
    clean, problems = validate_transactions(read_table(BAD / "tx_excel_serial_out_of_range.xlsx"), today=TODAY)
    assert clean["date"].dt.strftime("%Y-%m-%d").tolist() == ["1997-01-01", "1997-01-02", "1997-01-03"]
    assert set(problems.loc[problems["action"] == "dropped", "row"]) == {3}


def test_chinese_and_day_month_dates():
    clean, _ = _tx("tx_chinese_dates.csv")
    assert clean["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-05", "2024-02-06"]
    with pytest.raises(errors.DataError) as info:  # 03/04 and 05/06: day/month order not guessed
        _tx("tx_ambiguous_slash_dates.csv")
    assert set(info.value.problems["code"]) == {"ambiguous_date_order"}
    clean, problems = _tx("tx_ambiguous_slash_dates.csv", date_format="%m/%d/%Y")
    assert clean["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-03-04", "2024-05-06"]  # month/day, as told
    raw = pd.DataFrame({"customer_id": ["a", "b"], "date": ["03/04/2024", "25/12/2024"], "amount": [1, 2]})
    clean, problems = validate_transactions(raw, today=TODAY)
    # 25/12 can only be day/month, 03/04 either way: each date is read on its own, none guessed
    assert clean["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-12-25"]
    assert problems[["row", "code"]].values.tolist() == [[1, "ambiguous_date_order"]]
    raw = pd.DataFrame(
        {"customer_id": ["a", "b"], "date": ["2024-01-05T10:00+08:00", "2024-01-06T10:00-05:00"], "amount": [1, 2]}
    )
    assert validate_transactions(raw, today=TODAY).data["date"].notna().all()  # mixed offsets: no TypeError


def test_latin1_text_is_not_mistaken_for_gb18030():
    """'é' + 'a' is a valid GB18030 pair: "Montréal" used to be read as Chinese, with certainty."""
    with pytest.warns(errors.DataWarning, match="encoding not certain"):
        frame = read_table(BAD / "latin1_forced_utf8.csv")
    assert frame["city"].tolist() == ["Paris", "Lyon", "Montréal"]
    assert read_table(BAD / "latin1_forced_utf8.csv", encoding="cp1252")["city"].iloc[2] == "Montréal"
    with pytest.warns(errors.DataWarning, match="encoding not certain"):
        assert list(read_table(BAD / "big5_survey.csv").columns) == ["編號", "期望1", "感知1", "評語"]


def test_text_null_markers_are_missing_ids_not_customers():
    clean, problems = _tx("tx_nan_customer_text.csv")
    assert clean["customer_id"].tolist() == ["00001"]
    assert problems[["row", "value"]].values.tolist() == [[2, "NaN"], [3, "NULL"]]


def test_complaint_text_with_markup_or_length_is_kept_verbatim():
    clean, problems = validate_complaints(read_table(BAD / "complaints_html_story.csv"), today=TODAY)
    assert clean["story"].iloc[1] == "<script>alert('x')</script>等了两小时"
    assert problems["action"].tolist() == ["flagged"]
    clean, _ = validate_complaints(read_table(BAD / "complaints_long_story.csv"), today=TODAY)
    assert len(clean) == 2 and len(clean["story"].iloc[1]) == 40000


def test_complaint_headers_aliases_and_channels():
    clean, problems = validate_complaints(read_table(BAD / "complaints_header_spaces.csv"), today=TODAY)
    assert {"complaint_id", "date", "story"} <= set(clean.columns) and len(clean) == 1
    assert problems["problem"].iloc[0].endswith("(the file's column ' 日期')")
    clean, _ = validate_complaints(read_table(BAD / "complaints_bad_channel.csv"), today=TODAY)
    assert clean["channel"].tolist() == ["phone", "飞鸽传书"]  # alias mapped, unknown kept as written
    clean, problems = validate_complaints(read_table(BAD / "complaints_duplicate_id_mixed.xlsx"), today=TODAY)
    assert clean["complaint_id"].tolist() == ["1001"] and problems["row"].tolist() == [2]


def test_blank_lines_and_trailing_margins_keep_row_numbers():
    frame = read_table(BAD / "blank_line_in_middle.csv")
    assert len(frame) == 8 and frame.iloc[2].isna().all()  # the blank line is row 3, not dropped
    clean, problems = validate_survey(frame, id_column="id")
    assert problems[["row", "action"]].values.tolist() == [[3, "dropped"], [5, "kept as NaN"]]
    assert pd.isna(problems["column"].iloc[0]) and problems["column"].iloc[1] == "P2"
    frame = read_table(BAD / "trailing_empty_columns.csv")
    assert list(frame.columns) == ["id", "E1", "P1"] and len(frame) == 3
    assert frame.attrs["trimmed"] == {"rows": 2, "columns": 2}
    frame = read_table(BAD / "excel_trailing_blank.xlsx")
    assert list(frame.columns) == ["id", "E1", "P1"] and len(frame) == 4


def test_excel_sheet_checks():
    frame = read_table(BAD / "excel_merged_data_cells.xlsx", merged_cells="fill")
    assert frame["region"].tolist() == ["华东", "华东", "华东", "华南"] and frame.attrs["merged_filled"] == ["B2:B4"]
    with pytest.warns(
        errors.DataWarning,
        match=r"tx_excel_error_value.xlsx: sheet 'Sheet': 1 cell\(s\) hold Excel error values.*C2 #N/A",
    ):
        frame = read_table(BAD / "tx_excel_error_value.xlsx")
    assert frame.attrs["excel_errors"] == [{"cell": "C2", "column": "amount", "row": 1, "value": "#N/A"}]
    with pytest.warns(errors.DataWarning, match="the header row is hidden"):
        read_table(BAD / "excel_hidden_header_row.xlsx")
    clean, problems = validate_survey(read_table(BAD / "excel_average_row.xlsx"), id_column="id")
    assert len(clean) == 20 and problems[["row", "action"]].values.tolist() == [[21, "dropped"]]


def test_spss_missing_codes_declared_and_undeclared():
    frame = read_table(BAD / "spss_missing_99_declared.sav")
    assert frame["q1"].isna().tolist() == [False, True, False, False, True]
    assert frame.attrs["missing_ranges"]["q1"] == [{"lo": 99.0, "hi": 99.0}]
    clean, problems = validate_survey(frame, id_column="id")
    assert problems[["row", "column", "value"]].values.tolist() == [
        [4, "q1", "8"]
    ]  # the 99s are not 'outside the scale'
    clean, problems = validate_survey(read_table(BAD / "spss_missing_99_undeclared.sav"), id_column="id")
    assert np.isnan(clean["q2"].iloc[2]) and "looks like a missing-value code" in problems["problem"].iloc[0]


def test_valid_one_row_files_work():
    survey = pd.DataFrame({"id": [1], "E1": [5], "P1": [6]})
    clean, problems = validate_survey(survey, id_column="id", strict=True)
    assert clean["P1"].tolist() == [6.0] and problems.empty
    tx = pd.DataFrame({"customer_id": ["a"], "date": ["2024-01-01"], "amount": ["¥1,200"]})
    assert validate_transactions(tx, today=TODAY).data["amount"].tolist() == [1200.0]
    log = pd.DataFrame({"编号": ["C1"], "日期": ["2024年1月5日"], "投诉内容": ["送货慢"], "渠道": ["电话"]})
    clean, problems = validate_complaints(log, today=TODAY, strict=True)
    assert clean["date"].iloc[0] == pd.Timestamp("2024-01-05") and clean["channel"].iloc[0] == "phone"


@pytest.mark.parametrize("seed", range(4))
def test_damaged_files_never_escape_as_a_raw_traceback(tmp_path, seed):
    """Corpus files with bytes flipped, cut short, or with quotes/separators/NULs inserted: every
    reader and validator either works or raises a csworkbench error."""
    import random
    import warnings

    rng = random.Random(seed)
    files = sorted(f for f in BAD.iterdir() if f.suffix in {".csv", ".txt", ".xlsx", ".sav", ".parquet"})
    for i in range(25):
        source = rng.choice(files)
        data = bytearray(source.read_bytes()) or bytearray(b"x")
        op = rng.choice(["flip", "cut", "insert", "repeat"])
        at = rng.randrange(len(data))
        if op == "flip":
            for _ in range(rng.randint(1, 5)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif op == "cut":
            data = data[:at]
        elif op == "insert":
            data[at:at] = rng.choice(
                [b'"', b",", b"\n", b"\r", b"\x00", "好".encode(), b"\xff", b";", b"\t"]
            ) * rng.randint(1, 3)
        else:
            data[at:at] = data[max(0, at - 30) : at]
        path = tmp_path / f"damaged{i}{source.suffix}"
        path.write_bytes(bytes(data))
        for check in (
            lambda f: f,
            lambda f: validate_survey(f),
            lambda f: validate_transactions(f, today=TODAY),
            lambda f: validate_complaints(f, today=TODAY),
        ):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    check(read_table(path))
            except errors.CSWError:
                pass
            except Exception as exc:  # pragma: no cover - the failure message is the point
                pytest.fail(f"{source.name} ({op} at {at}): raw {type(exc).__name__}: {exc}")
