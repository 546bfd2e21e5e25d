"""The transaction cases of the bad-input corpus (tests/data/bad/cases.yml) through every path: each file
is validated as a frame (``read_table`` + ``validate_transactions``, as tests/test_bad_input.py does) and
opened with ``open_transactions`` (a Parquet file through DuckDB, a CSV/Excel file read with ids as
text).  Both must give the same outcome — the same clear error, or the same problems listed (row,
column, code) — so no case is silently wrong on either path.  Then what some files must still yield
(ids kept as text, analysis dates before the last purchase, returns without a flag)."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from csworkbench.clv import summary_from_transactions
from csworkbench.errors import DataError, DataWarning
from csworkbench.io import read_table
from csworkbench.schema import validate_transactions
from csworkbench.schema.source import open_transactions
from csworkbench.tiers import customer_value

BAD = Path(__file__).parent / "data" / "bad"
TODAY = "2025-01-01"
NAMES = {"customer_id", "date", "amount", "date_format"}
CASES = [
    c
    for c in yaml.safe_load((BAD / "cases.yml").read_text(encoding="utf-8"))
    if c["reader"] == "transactions" and not c.get("generated") and set(c.get("options") or {}) <= NAMES
]


def _frame_path(case: dict, path: Path):
    ids = (
        {}
        if path.suffix == ".parquet"
        else {"dtype": {(case.get("options") or {}).get("customer_id", "customer_id"): "str"}}
    )
    return validate_transactions(read_table(path, **ids), today=TODAY, **(case.get("options") or {}))


def _source_path(case: dict, path: Path):
    with open_transactions(path, today=TODAY, **(case.get("options") or {})) as src:
        return src.frame(), src.problems.frame()


def _outcome(run, case: dict, path: Path):
    """("error", message) or ("listed", {(row, column, code)})."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        try:
            _, problems = run(case, path)
        except DataError as exc:
            listed = exc.problems if exc.problems is not None else pd.DataFrame(columns=["row", "column", "code"])
            return "error", str(exc), _keys(listed)
    return "listed", "", _keys(problems)


def _keys(problems: pd.DataFrame) -> set:
    rows = problems["row"].astype("Int64").astype(object).where(problems["row"].notna(), None)
    return set(zip(rows, problems["column"].astype(str), problems["code"]))


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_every_path_gives_the_same_outcome(case):
    path = BAD / case["file"]
    kind, message, frame_keys = _outcome(_frame_path, case, path)
    other_kind, other_message, source_keys = _outcome(_source_path, case, path)
    assert other_kind == kind, f"{case['file']}: the frame path gives {kind}, open_transactions {other_kind}"
    problem = case["fragment"].partition("; got")[0]
    if kind == "error":  # a clear error on both paths: the case's own reason, or its problem listed with it
        assert problem in message or frame_keys, message
        assert problem in other_message or source_keys, other_message
    assert source_keys == frame_keys, f"{case['file']}: problems differ between the paths"
    if kind == "listed" and case.get("row"):  # the case's problem is listed at its row
        assert case["row"] in {row for row, _, _ in frame_keys}


def test_no_transaction_case_is_silently_wrong():
    outcomes = {"error": 0, "listed": 0, "silent": 0}
    for case in CASES:
        kind, _, keys = _outcome(_source_path, case, BAD / case["file"])
        outcomes[kind if (kind == "error" or keys) else "silent"] += 1
    assert outcomes["silent"] == 0 and sum(outcomes.values()) == len(CASES) >= 50, outcomes


def test_ids_from_parquet_stay_text_with_their_leading_zeros():
    cv = customer_value(BAD / "tx_parquet_leading_zero_ids.parquet", today=TODAY)
    assert cv.table["customer_id"].tolist() == ["000123", "000123.0", "123"]  # three customers, none merged
    assert cv.table["revenue"].tolist() == [10.0, 12.0, 10.0]
    with pytest.warns(DataWarning, match="last digits are lost"):
        cv = customer_value(BAD / "tx_parquet_float_ids.parquet", today=TODAY)
    assert cv.table["customer_id"].tolist() == ["1", "2"]  # the damaged id is listed, not a customer
    with pytest.warns(DataWarning, match="full-width"):
        cv = customer_value(BAD / "tx_parquet_fullwidth_ids.parquet", today=TODAY)
    assert cv.table["customer_id"].tolist() == ["C001", "C002"]


def test_trailing_spaces_and_summary_rows_do_not_make_customers():
    for name in ("tx_trailing_space_duplicate.csv", "tx_trailing_space_ids.parquet"):
        cv = customer_value(BAD / name, today=TODAY)
        assert cv.table["customer_id"].tolist() == ["C001", "C002"], name
        assert cv.table["records"].tolist() == [2, 1]  # the duplicate is listed and kept (flagged)
    for name, total in (("tx_summary_row_parquet.parquet", 22.0), ("tx_summary_row_english.csv", 46.33)):
        with pytest.warns(DataWarning, match="summary row"):
            cv = customer_value(BAD / name, today=TODAY)
        assert cv.table["revenue"].sum() == pytest.approx(total)  # the footer's total is not counted twice


def test_an_analysis_date_before_the_last_purchase_excludes_and_lists_the_later_ones():
    path = BAD / "tx_after_analysis_date.csv"
    with pytest.warns(DataWarning, match="after"):
        cv = customer_value(path, as_of="2024-12-31", today="2025-06-30")
    assert cv.table.set_index("customer_id")["revenue"].to_dict() == {"C001": 29.33, "C002": 5.0}
    listed = cv.problems[cv.problems["code"] == "after_as_of"]
    assert listed["row"].tolist() == [2] and listed["action"].tolist() == ["excluded"]
    with pytest.warns(DataWarning, match="after"):
        s = summary_from_transactions(path, observation_end="2024-12-31", today="2025-06-30")
    assert s.table["frequency"].tolist() == [0, 0]
    assert s.problems.loc[s.problems["code"] == "after_observation_end", "row"].tolist() == [2]


def test_negative_amounts_without_a_return_flag_are_returns_on_both_paths():
    frame = read_table(BAD / "tx_negative_amount.parquet")
    for source in (frame, BAD / "tx_negative_amount.parquet"):
        cv = customer_value(source, today=TODAY)
        t = cv.table.set_index("customer_id")
        assert t.loc["C002", "revenue"] == -12.0 and t.loc["C002", "orders"] == 0  # a return, not an order
        assert np.isclose(t.loc["C001", "revenue"], 29.33)
        assert "negative_amount" in set(cv.problems["code"])
