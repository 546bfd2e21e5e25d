"""One transaction path: a frame, a CSV file, a Parquet file, a Parquet folder and SQL queries (DuckDB and
SQLite) holding the same records give the same validated data, the same problems and the same results in
every tiers / RFM / CLV function; and the missing/zero amount policy (docs/api-conventions.md)."""

from __future__ import annotations

import sqlite3
import warnings

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csworkbench.clv import summary_from_transactions
from csworkbench.errors import DataWarning
from csworkbench.schema.source import SQLQuery, open_transactions
from csworkbench.tiers import customer_pyramid, customer_value, lorenz, rfm, rfm_summary

TODAY = "2025-01-01"
IDS = ["007", "007 ", " 42", "Ｃ００１", "C001", "b", "a1", None, "NULL", "1.2E+17", "x"]
AMOUNTS = [10.0, 0.0, -5.0, np.nan, 99.5, 1234.25, 3.0]
DAYS = pd.date_range("2024-01-01", "2024-03-31").strftime("%Y-%m-%d").tolist() + ["1899-12-30", None]


KINDS = ["csv", "parquet", "parquet folder", "duckdb query", "sqlite file"]


@st.composite
def logs(draw):
    n = draw(st.integers(10, 60))
    rows = [(draw(st.sampled_from(IDS)), draw(st.sampled_from(DAYS)), draw(st.sampled_from(AMOUNTS))) for _ in range(n)]
    rows[0] = ("a1", "2024-01-01", 10.0)  # at least one usable record
    return pd.DataFrame(rows, columns=["customer_id", "date", "amount"]).astype({"customer_id": object})


def rich_log() -> pd.DataFrame:
    """A fixed log holding every id, amount and special date above, and an exact duplicate."""
    rows = [("a1", "2024-01-01", 10.0)]
    for i in range(77):
        rows.append((IDS[i % len(IDS)], DAYS[(i * 13) % 91], AMOUNTS[i % len(AMOUNTS)]))
    rows += [("b", "1899-12-30", 5.0), ("x", None, 5.0), ("a1", "2024-02-10", 3.0), ("a1", "2024-02-10", 3.0)]
    return pd.DataFrame(rows, columns=["customer_id", "date", "amount"]).astype({"customer_id": object})


def _kinds(tx: pd.DataFrame, folder):
    """The same log as every input kind open_transactions takes."""
    csv = folder / "tx.csv"
    tx.to_csv(csv, index=False)
    pq = folder / "tx.parquet"
    tx.to_parquet(pq)
    parts = folder / "parts"
    parts.mkdir()
    half = len(tx) // 2
    tx.iloc[:half].to_parquet(parts / "part-0.parquet")
    tx.iloc[half:].to_parquet(parts / "part-1.parquet")
    duck = duckdb.connect()
    duck.register("orders_frame", tx)
    duck.execute("CREATE TABLE orders AS SELECT * FROM orders_frame")
    lite = folder / "shop.db"
    with sqlite3.connect(lite) as con:
        tx.to_sql("orders", con, index=False)
    return {
        "frame": tx,
        "csv": csv,
        "parquet": pq,
        "parquet folder": parts,
        "duckdb query": SQLQuery(duck, "SELECT * FROM orders"),
        "sqlite file": SQLQuery(lite, "SELECT * FROM orders"),
    }


def _validated(source):
    with open_transactions(source, today=TODAY) as src:
        data = src.frame()
        problems = src.problems.frame(sort=True)[["row", "column", "code", "action", "value"]]
    return data, problems.sort_values(["row", "code"], na_position="first").reset_index(drop=True)


def _results(source) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        cv = customer_value(source, as_of="2024-03-31", today=TODAY)
        scores = rfm(source, as_of="2024-03-31", today=TODAY, bins=3, lang="en")
        out = {
            "value": cv.table,
            "rfm": scores.table.astype({"rfm_cell": str, "segment": str, "segment_label": str}),
            "rfm_summary": rfm_summary(scores, lang="en"),
            "summary": summary_from_transactions(source, "2024-02-29", "2024-03-31", today=TODAY).table,
        }
        if cv.table["revenue"].gt(0).any():
            out["pyramid"] = customer_pyramid(cv, cuts=(0.25, 0.25, 0.25, 0.25), lang="en").table
            res = lorenz(cv.table.assign(revenue=cv.table["revenue"].clip(lower=0)), value="revenue")
            out["lorenz"] = pd.DataFrame({"gini": [res.gini], "top20": [res.top20_share], "n": [res.n_customers]})
    return out


def _same(kinds: dict, data: pd.DataFrame, problems: pd.DataFrame, names) -> None:
    for name in names:
        other_data, other_problems = _validated(kinds[name])
        pd.testing.assert_frame_equal(other_data, data, check_dtype=False, obj=f"{name}: validated data")
        pd.testing.assert_frame_equal(
            other_problems.drop(columns="value"), problems.drop(columns="value"), obj=f"{name}: problems"
        )


def _same_results(kinds: dict, names) -> None:
    results = _results(kinds["frame"])
    for name in names:
        other = _results(kinds[name])
        assert other.keys() == results.keys()
        for key, frame in results.items():
            pd.testing.assert_frame_equal(other[key], frame, check_dtype=False, obj=f"{name}: {key}")


# Few, larger examples (each is opened as several input kinds), in two tests that xdist can run side by side.
FEW = settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FEW
@given(tx=logs())
def test_every_input_kind_gives_the_same_data_and_problems(tx, tmp_path_factory):
    """Random logs: the same validated data and the same problems from all six input kinds."""
    kinds = _kinds(tx, tmp_path_factory.mktemp("kinds"))
    data, problems = _validated(kinds["frame"])
    _same(kinds, data, problems, KINDS)


@FEW
@given(tx=logs(), kind=st.sampled_from(KINDS))
def test_every_input_kind_gives_the_same_results(tx, kind, tmp_path_factory):
    """Random logs: every tiers / RFM / CLV result from the frame and from one drawn input kind."""
    _same_results(_kinds(tx, tmp_path_factory.mktemp("kinds")), [kind])


def test_a_log_with_every_damage_gives_the_same_results_from_every_kind(tmp_path):
    """A fixed log with every damaged id, amount and date: every result from all six kinds."""
    tx = rich_log()
    kinds = _kinds(tx, tmp_path)
    data, problems = _validated(kinds["frame"])
    assert {"id_fullwidth", "id_scientific", "missing_customer", "zero_amount", "negative_amount"} <= set(
        problems["code"]
    )
    assert {"duplicate_row", "missing_amount", "placeholder_date", "missing_date"} <= set(problems["code"])
    _same(kinds, data, problems, KINDS)
    _same_results(kinds, KINDS)


def test_ids_are_trimmed_normalised_and_kept_as_text_on_every_path(tmp_path):
    tx = pd.DataFrame(
        {
            "customer_id": ["007", "007 ", "Ｃ００１", "C001", "1.10105E+17"],
            "date": ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"],
            "amount": [1.0, 2.0, 3.0, 4.0, 5.0],
        }
    )
    tx.to_parquet(tmp_path / "t.parquet")
    for source in (tx, tmp_path / "t.parquet"):
        cv = customer_value(source, today=TODAY)
        assert cv.table[["customer_id", "revenue"]].values.tolist() == [["007", 3.0], ["C001", 7.0]]
        assert {"id_fullwidth", "id_scientific"} <= set(cv.problems["code"])


def test_missing_and_zero_amounts_follow_one_policy():
    tx = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "b", "b", "c", "d", "e"],
            "date": [
                "2024-01-01",
                "2024-01-08",
                "2024-01-15",
                "2024-01-01",
                "2024-01-20",
                "2024-01-05",
                "2024-01-06",
                "2024-01-07",
            ],
            "amount": [10.0, np.nan, 30.0, 0.0, 20.0, np.nan, -4.0, 5.0],
        }
    )
    with pytest.warns(DataWarning):
        cv = customer_value(tx, as_of="2024-01-31", today=TODAY)
    t = cv.table.set_index("customer_id")
    assert t.loc["a", "revenue"] == 40.0 and t.loc["a", "orders"] == 3 and t.loc["a", "missing_amounts"] == 1
    assert t.loc["b", "revenue"] == 20.0 and t.loc["b", "orders"] == 2  # a zero amount is a purchase worth 0
    assert np.isnan(t.loc["c", "revenue"]) and t.loc["c", "orders"] == 1  # nothing known: NaN, never 0
    listed = cv.problems.groupby("code")["value"].apply(list).to_dict()
    assert listed["amount_missing_customer"] == ["a"] and listed["no_known_amount"] == ["c"]
    assert listed["zero_amount"] == ["0"] and listed["negative_amount"] == ["-4"]
    everyone = set(t.index)
    # no customer disappears without being listed
    with pytest.warns(DataWarning):
        pyr = customer_pyramid(cv, cuts=(0.25, 0.25, 0.25, 0.25), lang="en")
    assert set(pyr.table["customer_id"]) == everyone and "c" in set(pyr.problems["value"])
    with pytest.warns(DataWarning):
        lor = lorenz(cv.table.assign(revenue=cv.table["revenue"].clip(lower=0)), value="revenue")
    assert lor.n_customers == 4 and lor.problems["value"].tolist() == ["c"]
    scores = rfm(cv, lang="en")
    s = scores.table.set_index("customer_id")
    assert pd.notna(s.loc["c", "segment"]) and pd.isna(s.loc["c", "M"])  # R, F and segment kept, no M
    assert pd.isna(s.loc["d", "segment"])  # returns only
    assert {("c", "no_monetary_score"), ("d", "returns_only")} <= set(
        zip(scores.problems["value"], scores.problems["code"])
    )
    summ = rfm_summary(scores, lang="en")
    assert summ["customers"].sum() == len(everyone) and summ["segment"].iloc[-1] == "unscored"
    with pytest.warns(DataWarning):
        sm = summary_from_transactions(tx, "2024-01-31", today=TODAY)
    st_ = sm.table.set_index("customer_id")
    assert st_.loc["a", "frequency"] == 2 and st_.loc["a", "monetary_value"] == 30.0  # the missing day left out
    assert st_.loc["b", "monetary_value"] == 20.0 and np.isnan(st_.loc["c", "monetary_value"])
    assert set(sm.problems.loc[sm.problems["code"] == "amount_missing_customer", "value"]) == {"a"}


def test_analysis_date_may_be_any_day_after_the_last_purchase():
    tx = pd.DataFrame(
        {"customer_id": ["a", "a", "b"], "date": ["2024-01-03", "2024-01-20", "2024-01-09"], "amount": [1.0, 2.0, 3.0]}
    )
    month_end = summary_from_transactions(tx, observation_end="2024-01-31", today=TODAY)
    assert month_end.calibration_end == pd.Timestamp("2024-01-31")
    assert month_end.table["T"].tolist() == pytest.approx([4.0, 22 / 7])
    cv = customer_value(tx, as_of="2024-01-31", today=TODAY)
    assert cv.table["recency_days"].tolist() == [11, 22]
    with pytest.raises(Exception, match="observation_end 2023-12-31 is before the first transaction"):
        summary_from_transactions(tx, observation_end="2023-12-31", today=TODAY)


PIECES = ["C", "c", "0", "7", "1.", "E+17", "e5", ".0", " ", "\t", "\u3000", "Ｃ", "-", "+", "NULL", "nan", "n/a"]
PIECES += ["Total", "sum", "合计", "Avg:", "grand total", "#N/A", "<NA>", "x", "\x7f", "é"]


_SQL = duckdb.connect()  # one connection for the examples below


@settings(max_examples=120, deadline=None)
@given(parts=st.lists(st.sampled_from(PIECES), min_size=1, max_size=4))
def test_the_sql_fast_path_takes_only_ids_the_pandas_step_leaves_alone(parts):
    """An id the DuckDB path passes as plain must be one check_ids keeps as it is, saying nothing."""
    from csworkbench.problems import Problems
    from csworkbench.schema._relation import _plain_id
    from csworkbench.schema.transactions import check_ids

    value = "".join(parts)
    cond, _ = _plain_id("v", "VARCHAR")
    plain = _SQL.execute(f"SELECT coalesce({cond}, FALSE) FROM (SELECT $1::VARCHAR AS v)", [value]).fetchone()[0]
    if plain:
        found = Problems()
        out = check_ids(pd.Series([value], dtype=object), column="v", coll=found)
        assert out.iloc[0] == value and not len(found), (value, out.iloc[0], found.codes())


@settings(max_examples=120, deadline=None)
@given(
    parts=st.lists(st.sampled_from(["0", "7", "-", ".", ",", "5", " ", "e", "¥", "元", "+", "Ｓ", "inf"]), max_size=5)
)
def test_the_sql_fast_path_takes_only_amounts_the_pandas_step_reads_as_they_are(parts):
    """A text amount the DuckDB path reads itself must be one read_amounts reads the same, saying nothing."""
    from csworkbench.problems import Problems
    from csworkbench.schema._relation import _plain_number
    from csworkbench.schema.transactions import read_amounts

    value = "".join(parts)
    cond, number = _plain_number("v", "VARCHAR")
    plain, read = _SQL.execute(
        f"SELECT coalesce({cond}, FALSE), {number} FROM (SELECT $1::VARCHAR AS v)", [value]
    ).fetchone()
    if plain:
        found = Problems()
        out = read_amounts(pd.Series([value], dtype=object), column="v", coll=found)
        assert out.iloc[0] == read and not len(found), (value, read, out.iloc[0], found.codes())
