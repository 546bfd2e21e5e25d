"""Concentration of customer value (价值集中度): Pareto curve, Lorenz curve and Gini, ABC tiers.

The course's 80/20 statement as numbers: :func:`pareto_curve` gives the share of value held
by the top x % of customers for every x; :func:`lorenz` the Lorenz curve, the exact Gini
coefficient, "the top 20 % hold y %" and the smallest share of customers holding 80 %;
:func:`abc_tiers` splits customers into A (key, 关键客户), B (important) and C (ordinary) by
value shares, the tiers the care plan (:mod:`csworkbench.tiers.care`) serves.

References: Lorenz (1905), "Methods of measuring the concentration of wealth", *JASA* 9(70);
Gini (1912), *Variabilità e mutabilità*.

Examples
--------
>>> import pandas as pd
>>> from csworkbench.tiers import abc_tiers, lorenz
>>> res = lorenz(pd.Series([80.0, 5, 5, 5, 5]))
>>> res.top20_share, res.share_for_80
(0.8, 0.2)
>>> abc_tiers(pd.Series([9.0, 5, 3, 2, 1, 1, 0, 0, 0, 0])).table["tier"].tolist()
['A', 'A', 'B', 'B', 'B', 'B', 'C', 'C', 'C', 'C']
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError, DataWarning, ParameterError
from ..i18n import check_language, t
from ..problems import Problems, empty_frame
from ._base import tier_by_share, values_of
from .pyramid import TierResult

__all__ = ["pareto_curve", "lorenz", "LorenzResult", "abc_tiers"]


def _nonnegative(series: pd.Series, what: str, negative: str = "error") -> np.ndarray:
    if negative not in ("error", "zero"):
        raise ParameterError(f"negative must be 'error' or 'zero'; got {negative!r}")
    v = series.to_numpy(dtype=float)
    if negative == "zero" and (v < 0).any():
        warnings.warn(
            f"{what}: {int((v < 0).sum())} customer(s) with a negative value counted as 0", DataWarning, stacklevel=3
        )
        v = np.where(v < 0, 0.0, v)
    if (v < 0).any():
        cid = series.index[v < 0][0]
        raise DataError(
            f"{what}: needs values >= 0; customer {cid!r} has {v[v < 0][0]:g} "
            "(below-zero customers: see value_classes, or clip explicitly)",
            column=str(series.name),
        )
    if v.sum() <= 0:
        raise DataError(
            f"{what}: every value is zero; a concentration curve needs a positive total", column=str(series.name)
        )
    return v


def _known(values: Any, value: str | None, what: str) -> tuple[pd.Series, pd.DataFrame]:
    """The customers with a known value, and the problem table listing (by id) those without one."""
    series = values_of(values, value)
    problems = Problems()
    upstream = getattr(values, "problems", None)
    if isinstance(upstream, pd.DataFrame):
        problems.extend(upstream)
    missing = series.isna().to_numpy()
    problems.add(
        "missing_value",
        rows=[None] * int(missing.sum()),
        column=str(series.name),
        values=[str(c) for c in series.index[missing]],
        action="left_out_of_curve",
    )
    if missing.any():
        warnings.warn(
            f"{what}: {int(missing.sum())} customer(s) with a missing value left out (listed in problems)",
            DataWarning,
            stacklevel=3,
        )
    return series[~missing], problems.frame()


def pareto_curve(values: Any, *, value: str | None = None, negative: str = "error") -> pd.DataFrame:
    """Share of value held by the top x % of customers, for every x (帕累托曲线, 80/20).

    Parameters
    ----------
    values : Series, DataFrame or CustomerValueResult
        Non-negative value per customer (as for :func:`~csworkbench.tiers.customer_pyramid`).
    value : str, optional
        Value column of a frame.
    negative : {"error", "zero"}
        Below-zero customers (net returns) raise, or count as 0 (with a warning).

    Returns
    -------
    DataFrame
        ``n + 1`` rows from (0, 0) to (1, 1): ``customers`` (number of top customers),
        ``customer_share`` and ``value_share`` (cumulative, customers sorted by value descending).

    Examples
    --------
    >>> import pandas as pd
    >>> pareto_curve(pd.Series([60.0, 30, 10]))["value_share"].round(2).tolist()
    [0.0, 0.6, 0.9, 1.0]
    """
    v = np.sort(_nonnegative(_known(values, value, "pareto_curve")[0], "pareto_curve", negative))[::-1]
    n = len(v)
    return pd.DataFrame(
        {
            "customers": np.arange(n + 1),
            "customer_share": np.arange(n + 1) / n,
            "value_share": np.concatenate([[0.0], np.cumsum(v) / v.sum()]),
        }
    )


@dataclass(frozen=True, eq=False)
class LorenzResult:
    """Concentration of customer value: Lorenz curve, Gini and the 80/20 figures.

    Attributes
    ----------
    curve : DataFrame
        ``customer_share, value_share`` of the Lorenz curve (customers from the smallest up).
    pareto : DataFrame
        The top-down curve of :func:`pareto_curve`.
    gini : float
        Gini coefficient (0 = everyone equal, (n−1)/n = one customer holds everything).
    top20_share : float
        Share of value held by the top 20 % of customers (interpolated on the curve).
    share_for_80 : float
        Smallest share of customers (from the top) holding 80 % of the value (interpolated).
    n_customers : int
        Customers on the curve (those with a known value).
    total : float
        The total value.
    problems : DataFrame
        Customers left out for a missing value (by id), after the problems of the
        :class:`~csworkbench.tiers.CustomerValueResult` the values came from.
    """

    curve: pd.DataFrame
    pareto: pd.DataFrame
    gini: float
    top20_share: float
    share_for_80: float
    n_customers: int
    total: float
    problems: pd.DataFrame = field(default_factory=empty_frame)

    def top_share(self, x: float) -> float:
        """Share of value held by the top ``x`` share of customers."""
        return float(np.interp(x, self.pareto["customer_share"], self.pareto["value_share"]))

    def summary(self, lang: str = "zh") -> pd.DataFrame:
        """Tidy table ``measure, measure_label, value``."""
        check_language(lang)
        rows = [
            ("gini", self.gini),
            ("top20_share", self.top20_share),
            ("share_for_80", self.share_for_80),
            ("n_customers", self.n_customers),
            ("total", self.total),
        ]
        return pd.DataFrame(
            {
                "measure": [r[0] for r in rows],
                "measure_label": [t(f"tier.lorenz_{r[0]}", lang) for r in rows],
                "value": [float(r[1]) for r in rows],
            }
        )


def lorenz(values: Any, *, value: str | None = None, negative: str = "error") -> LorenzResult:
    """Lorenz curve and Gini coefficient of customer value (洛伦兹曲线与基尼系数).

    The Gini coefficient is computed exactly from the sorted values,
    ``G = 2 Σ i·x₍ᵢ₎ / (n Σ x) − (n + 1)/n`` (x ascending, i = 1 … n).

    Parameters
    ----------
    values : Series, DataFrame or CustomerValueResult
        Non-negative value per customer.
    value : str, optional
        Value column of a frame.
    negative : {"error", "zero"}
        Below-zero customers raise, or count as 0 (with a warning).

    Returns
    -------
    LorenzResult
        Customers with a missing value (no purchase with a known amount) are left out of the
        curve and listed in ``problems`` by id, with a :class:`~csworkbench.errors.DataWarning`.

    Examples
    --------
    >>> import pandas as pd
    >>> res = lorenz(pd.Series([0.0, 0, 0, 1]))
    >>> res.gini, res.top20_share, res.share_for_80
    (0.75, 0.8, 0.2)
    """
    series, problems = _known(values, value, "lorenz")
    v = np.sort(_nonnegative(series, "lorenz", negative))
    n = len(v)
    total = float(v.sum())
    gini = float(2 * np.sum(np.arange(1, n + 1) * v) / (n * total) - (n + 1) / n)
    curve = pd.DataFrame(
        {"customer_share": np.arange(n + 1) / n, "value_share": np.concatenate([[0.0], np.cumsum(v) / total])}
    )
    pareto = pareto_curve(series.clip(lower=0) if negative == "zero" else series)
    top20 = float(np.interp(0.2, pareto["customer_share"], pareto["value_share"]))
    # smallest x with top-x share >= 0.8 on the piecewise-linear curve (value_share is non-decreasing)
    ys = pareto["value_share"].to_numpy()
    xs = pareto["customer_share"].to_numpy()
    k = int(np.searchsorted(ys, 0.8 - 1e-12, side="left"))
    if k == 0:
        share80 = 0.0
    else:
        y0, y1 = ys[k - 1], ys[k]
        share80 = float(xs[k - 1] + (xs[k] - xs[k - 1]) * ((0.8 - y0) / (y1 - y0) if y1 > y0 else 1.0))
    return LorenzResult(curve, pareto, round(gini, 12), round(top20, 12), round(share80, 12), n, total, problems)


def abc_tiers(
    values: Any, *, shares: Sequence[float] = (0.2, 0.3, 0.5), value: str | None = None, lang: str = "zh"
) -> TierResult:
    """ABC care tiers (ABC分类): A key customers, B important, C ordinary, by value shares.

    Parameters
    ----------
    values : Series, DataFrame or CustomerValueResult
        Value per customer.
    shares : three floats
        Shares of customers in A, B, C from the top (sum 1). Same tie rule as
        :func:`~csworkbench.tiers.customer_pyramid`: ties are never split. Customers with
        value ≤ 0 go to C.
    value : str, optional
    lang : {"zh", "en"}

    Returns
    -------
    TierResult
        ``table``: ``customer_id, value, rank, tier ("A"/"B"/"C"), tier_label`` sorted by value
        descending; ``cuts`` = ``shares``. Customers with a missing value get no tier and are
        listed in ``problems``.

    Examples
    --------
    >>> import pandas as pd
    >>> abc_tiers(pd.Series([9.0, 5, 3, 2, 1, 1, 0, 0, 0, 0])).table["tier"].tolist()
    ['A', 'A', 'B', 'B', 'B', 'B', 'C', 'C', 'C', 'C']
    """
    check_language(lang)
    s = np.asarray(shares, dtype=float)
    if s.shape != (3,) or np.any(s < 0) or not math.isclose(s.sum(), 1.0, abs_tol=1e-9):
        raise ParameterError(f"shares must be three customer shares (A, B, C) summing to 1; got {list(shares)}")
    series = values_of(values, value)
    if (series.fillna(0) == 0).all():
        raise DataError("every customer's value is zero or missing: ABC tiers need some positive values")
    frame = pd.DataFrame({"customer_id": series.index, "value": series.to_numpy()})
    frame["rank"] = frame["value"].rank(ascending=False, method="min").astype("Int64")
    ok = frame["value"].notna().to_numpy()
    tier = np.full(len(frame), None, dtype=object)
    idx = tier_by_share(frame["value"].to_numpy()[ok], np.cumsum(s)[:-1])
    tier[ok] = np.array(["A", "B", "C"], dtype=object)[idx]
    tier[ok & (frame["value"].to_numpy() <= 0)] = "C"
    frame["tier"] = pd.Series(tier, dtype="string")
    frame["tier_label"] = frame["tier"].map(lambda k: t(f"tier.abc_{k}", lang) if isinstance(k, str) else pd.NA)
    frame = frame.sort_values(
        ["value", "customer_id"], ascending=[False, True], na_position="last", kind="stable"
    ).reset_index(drop=True)
    problems = Problems()
    missing = series.index[series.isna()]
    problems.add(
        "missing_value",
        rows=[None] * len(missing),
        column=str(series.name),
        values=[str(c) for c in missing],
        action="no_tier",
    )
    return TierResult(frame, problems.frame(), tuple(float(x) for x in shares), None)
