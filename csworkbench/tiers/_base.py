"""Pieces shared by the tiers modules: value series, tie-safe tier shares, tier order and labels."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError
from ..i18n import t

#: Tier keys of the customer pyramid, top first (labels ``tier.<key>`` in ``locale/tiers.yml``).
PYRAMID_TIERS: tuple[str, ...] = ("super_heavy", "heavy", "sub_heavy", "light")


def frame_of(data: Any, what: str) -> pd.DataFrame:
    """The table of a result object (its ``table`` field) or the frame itself."""
    if isinstance(data, pd.DataFrame):
        return data
    table = getattr(data, "table", None)
    if isinstance(table, pd.DataFrame):
        return table
    raise DataError(f"expected {what} (a DataFrame or a result with a table); got {type(data).__name__}")


def values_of(values: Any, value: str | None, customer_id: str = "customer_id") -> pd.Series:
    """A float Series of values indexed by customer id from a Series, a frame or a result."""
    if not isinstance(values, (pd.Series, pd.DataFrame)) and isinstance(getattr(values, "table", None), pd.DataFrame):
        values = values.table
    if isinstance(values, pd.DataFrame):
        series = _from_frame(values, value, customer_id)
    elif isinstance(values, pd.Series):
        series = pd.Series(
            pd.to_numeric(values, errors="coerce").to_numpy(dtype=float),
            index=pd.Index(values.index, name="customer_id"),
            name=values.name or "value",
        )
    else:
        arr = np.asarray(values, dtype=float)
        series = pd.Series(arr, index=pd.Index(np.arange(1, len(arr) + 1), name="customer_id"), name="value")
    if series.index.hasnans:
        rows = np.flatnonzero(pd.isna(series.index)) + 1
        raise DataError(
            f"{len(rows)} customer id(s) missing (first at row {rows[0]}); every value needs an id",
            column=customer_id,
            row=int(rows[0]),
        )
    if series.index.has_duplicates:
        dup = series.index[series.index.duplicated()][0]
        raise DataError(
            f"customer id {dup!r} appears more than once; expected one value per customer "
            "(aggregate with customer_value first)",
            column=customer_id,
        )
    if len(series) == 0:
        raise DataError("no customers: the value table is empty")
    return series


def _from_frame(values: pd.DataFrame, value: str | None, customer_id: str) -> pd.Series:
    if value is None:
        value = next((c for c in ("value", "clv", "revenue", "margin") if c in values.columns), None)
        if value is None:
            raise DataError(f"say which column holds the value (value=…); found {list(values.columns)}")
    if value not in values.columns:
        raise DataError(f"no column {value!r}; found {list(values.columns)}", column=value)
    ids = values[customer_id] if customer_id in values.columns else values.index
    series = pd.Series(
        pd.to_numeric(values[value], errors="coerce").to_numpy(dtype=float),
        index=pd.Index(ids, name="customer_id"),
        name=value,
    )
    bad = series.isna() & values[value].notna().to_numpy()
    if bad.any():
        first = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(f"must be numeric; got {values[value].iloc[first]!r}", column=value, row=first + 1)
    return series


def tier_by_share(values: np.ndarray, cum_shares: np.ndarray) -> np.ndarray:
    """Index of the tier of each value (0 = top) given cumulative customer shares from the top.

    Tie rule: customers are ranked from the highest value down with ``method="min"``, so a
    group of equal values shares the rank of its first member; the whole group goes to the
    tier in which that first member falls. A tier can therefore hold slightly more than its
    nominal share, never less than a whole tie group, and ties are never split.
    """
    n = len(values)
    rank0 = pd.Series(values).rank(ascending=False, method="min").to_numpy() - 1  # 0-based
    position = rank0 / n  # share of customers strictly above
    return np.searchsorted(cum_shares, position + 1e-12, side="right").clip(max=len(cum_shares))


def tier_order(tiers: pd.Series) -> list[str]:
    """Tier keys present, pyramid order first, then ABC, then any others sorted."""
    known = list(PYRAMID_TIERS) + ["nonpositive"] + ["A", "B", "C"]
    present = list(tiers.dropna().unique())
    return [k for k in known if k in present] + sorted(k for k in present if k not in known)


def tier_label(key: str, lang: str) -> str:
    """The label of a pyramid or ABC tier key (or of the ``total`` row)."""
    if key == "total":
        return t("tier.total", lang)
    if key in ("A", "B", "C"):
        return t(f"tier.abc_{key}", lang)
    return t(f"tier.{key}", lang)


def seed_of(random_state: Any) -> int | None:
    """An int seed for scikit-learn from ``random_state`` (int, NumPy Generator or None)."""
    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(2**31 - 1))
    return random_state
