"""RFM analysis (RFM分析): recency, frequency and monetary scores, named segments, K-means clusters.

:func:`rfm` scores each customer 1 … 5 on how recently, how often and how much they bought
(quintiles that never split ties) and names the segment of the R × F grid (champions, loyal,
at risk, hibernating …); :func:`rfm_summary` profiles the segments; :class:`RFMClusters`
finds clusters on log-scaled RFM with K-means, the number of clusters chosen by the
silhouette — the exploratory segmentation of the course's data-mining lesson.

References: Hughes (1994), *Strategic Database Marketing*; Rousseeuw (1987), "Silhouettes",
*J. Comput. Appl. Math.* 20, 53–65.

Examples
--------
>>> import pandas as pd
>>> from csworkbench.tiers import rfm, rfm_summary
>>> tx = pd.DataFrame({"customer_id": list("aabbbc"), "amount": [10.0, 20, 5, 5, 5, 100],
...                    "date": ["2024-01-01", "2024-03-01", "2024-01-01", "2024-02-01", "2024-03-02",
...                             "2024-01-15"]})
>>> scores = rfm(tx, bins=3, lang="en")
>>> scores.table["rfm_cell"].tolist()
['222', '331', '113']
>>> int(rfm_summary(scores, lang="en")["customers"].sum())
3
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError, ModelError, ParameterError
from ..estimators import Estimator
from ..i18n import check_language, t
from ..problems import Problems, empty_frame
from ..schema.source import DEFAULT_TZ
from ._base import frame_of, seed_of
from .value import CustomerValueResult, customer_value

__all__ = ["RFM_SEGMENTS", "RFMResult", "rfm", "rfm_summary", "RFMClusters"]


def _segments() -> dict[tuple[int, int], str]:
    out = {}
    for r in range(1, 6):
        for f in range(1, 6):
            if r <= 2:
                seg = "hibernating" if f <= 2 else ("at_risk" if f <= 4 else "cant_lose")
            elif r == 3:
                seg = "about_to_sleep" if f <= 2 else ("need_attention" if f == 3 else "loyal")
            elif r == 4:
                seg = "promising" if f == 1 else ("potential_loyalist" if f <= 3 else "loyal")
            else:
                seg = "new_customer" if f == 1 else ("potential_loyalist" if f <= 3 else "champion")
            out[(r, f)] = seg
    return out


#: RFM segment of each (R score, F score) cell, the common R × F grid (5 = best).
RFM_SEGMENTS: dict[tuple[int, int], str] = _segments()


@dataclass(frozen=True, eq=False)
class RFMResult:
    """What :func:`rfm` returns.

    Attributes
    ----------
    table : DataFrame
        One row per customer (columns in :func:`rfm`).
    problems : DataFrame
        The transaction rows dropped, excluded or flagged (columns
        :data:`csworkbench.codes.PROBLEM_COLUMNS`; empty when scored from a value table).
    as_of : Timestamp or None
        The analysis date recency is counted to (None when scored from a plain value frame).
    """

    table: pd.DataFrame
    problems: pd.DataFrame
    as_of: pd.Timestamp | None


def _score(values: pd.Series, bins: int, higher_is_better: bool) -> pd.Series:
    """Quantile score 1…bins (bins = best) without splitting ties.

    Tie rule: a customer's score is 1 + floor(bins × share of customers strictly worse), the
    share coming from ranks with ``method="min"``. A score must be earned: a tie group takes the
    score of its lowest-placed member, so equal values always share a score and, e.g., the many
    one-time buyers all get F = 1 (classes can be unequal in size).
    """
    v = values.astype(float)
    worse = v.rank(ascending=higher_is_better, method="min") - 1
    share = worse / v.notna().sum()
    score = np.minimum(1 + np.floor(share * bins), bins)
    return score.astype("Int64")


def _value_table(transactions: Any, as_of: Any, columns: dict[str, Any]) -> CustomerValueResult:
    if isinstance(transactions, CustomerValueResult):
        return transactions
    if isinstance(transactions, pd.DataFrame) and {"orders", "recency_days", "revenue"} <= set(transactions.columns):
        return CustomerValueResult(transactions, empty_frame(), None)
    return customer_value(transactions, as_of=as_of, **columns)


def _cells_and_segments(out: pd.DataFrame, bins: int, lang: str) -> None:
    """Add ``rfm_cell``, ``rfm_score``, ``segment`` and ``segment_label`` (categoricals)."""
    ok = out[["R", "F", "M"]].notna().all(axis=1).to_numpy()
    ok_rf = out[["R", "F"]].notna().all(axis=1).to_numpy()  # the segment needs R and F only
    r, f, m = (out[c].fillna(0).to_numpy(dtype=np.int64) for c in ("R", "F", "M"))
    code = np.where(ok, r * 100 + f * 10 + m, -1)
    # a categorical over the codes present: the string work is done once per distinct cell
    cells = pd.Categorical(code)
    cats = [str(c) if c >= 0 else None for c in cells.categories]
    cell_codes = np.where(ok, cells.codes, -1)
    out["rfm_cell"] = pd.Categorical.from_codes(cell_codes, categories=[c or "" for c in cats])
    out["rfm_score"] = out["R"] + out["F"] + out["M"]
    # segment from R and F mapped onto the 5 × 5 grid (when bins != 5)
    r5 = np.ceil(r * 5 / bins).astype(int).clip(0, 5)
    f5 = np.ceil(f * 5 / bins).astype(int).clip(0, 5)
    grid = np.full((6, 6), "", dtype=object)
    for (ri, fi), key in RFM_SEGMENTS.items():
        grid[ri, fi] = key
    keys = sorted(set(RFM_SEGMENTS.values()))
    seg_code = np.where(ok_rf, pd.Categorical(grid[r5, f5], categories=keys + [""]).codes, -1)
    seg_code = np.where(seg_code == len(keys), -1, seg_code)
    out["segment"] = pd.Categorical.from_codes(seg_code, categories=keys)
    out["segment_label"] = pd.Categorical.from_codes(seg_code, categories=[t(f"rfm.{k}", lang) for k in keys])


def rfm(
    transactions: Any,
    *,
    bins: int = 5,
    monetary: str = "total",
    as_of: str | pd.Timestamp | None = None,
    customer_id: str = "customer_id",
    date: str = "date",
    amount: str = "amount",
    today: str | pd.Timestamp | None = None,
    date_format: str | None = None,
    tz: str = DEFAULT_TZ,
    lang: str = "zh",
) -> RFMResult:
    """RFM scores and segments (RFM分析): recency, frequency, monetary quintiles.

    Parameters
    ----------
    transactions : DataFrame, path or CustomerValueResult
        A transaction log (frame or Parquet path, as for
        :func:`~csworkbench.tiers.customer_value`), the result of ``customer_value`` or its
        table (recognised by its ``orders``, ``recency_days`` and ``revenue`` columns).
    bins : int
        Number of score classes (5 = quintiles).
    monetary : {"total", "mean"}
        M is the customer's total revenue or revenue per order.
    as_of : date-like, optional
        Analysis date for recency (see ``customer_value``).
    customer_id, date, amount, today, date_format, tz
        Passed to ``customer_value`` for a transaction log (``date_format``: the format of text
        dates; ``tz``: the zone aware timestamps are converted to).
    lang : {"zh", "en"}
        Language of ``segment_label``.

    Returns
    -------
    RFMResult
        ``table``: ``customer_id, recency_days, frequency, monetary, R, F, M`` (1…bins, bins
        best: recent, frequent, high spend), ``rfm_cell`` (e.g. "545"), ``rfm_score`` (R+F+M),
        ``segment`` (key of :data:`RFM_SEGMENTS` from R and F), ``segment_label`` (the last
        three are categorical, which keeps millions of customers cheap); ``problems``; ``as_of``.

    Notes
    -----
    Tie rule: score = 1 + floor(bins × share of customers strictly worse) — all customers with
    the same value get the score of the lowest-placed of them, so ties never straddle two
    scores and a high score is earned (with many one-time buyers they all get F = 1 and F has
    fewer than ``bins`` occupied classes). Customers with no purchase (only returns) have no
    recency, get NaN scores and no segment; customers whose money value is unknown (no purchase
    with a known amount) get no M score but keep R, F and their segment (which rests on R and
    F); both are listed in ``problems`` by customer id.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": list("aabbbc"), "amount": [10.0, 20, 5, 5, 5, 100],
    ...                    "date": ["2024-01-01", "2024-03-01", "2024-01-01", "2024-02-01", "2024-03-02",
    ...                             "2024-01-15"]})
    >>> rfm(tx, bins=3, lang="en").table[["customer_id", "R", "F", "M", "rfm_cell"]]
      customer_id  R  F  M rfm_cell
    0           a  2  2  2      222
    1           b  3  3  1      331
    2           c  1  1  3      113
    """
    check_language(lang)
    if not isinstance(bins, (int, np.integer)) or bins < 2:
        raise ParameterError(f"bins must be an integer >= 2; got {bins!r}")
    if monetary not in ("total", "mean"):
        raise ParameterError(f"monetary must be 'total' or 'mean'; got {monetary!r}")
    value = _value_table(
        transactions,
        as_of,
        {
            "customer_id": customer_id,
            "date": date,
            "amount": amount,
            "today": today,
            "date_format": date_format,
            "tz": tz,
        },
    )
    cv = value.table
    out = pd.DataFrame(
        {
            "customer_id": cv["customer_id"].reset_index(drop=True),
            "recency_days": cv["recency_days"].astype("float64").to_numpy(),
            "frequency": cv["orders"].to_numpy(),
        }
    )
    out["monetary"] = (
        cv["revenue"] if monetary == "total" else cv["revenue"] / cv["orders"].where(cv["orders"] > 0)
    ).to_numpy(dtype=float)
    no_purchase = out["frequency"] == 0
    out.loc[no_purchase, ["recency_days", "monetary"]] = np.nan
    out["R"] = _score(out["recency_days"], bins, higher_is_better=False)
    out["F"] = _score(out["frequency"].where(~no_purchase), bins, higher_is_better=True)
    out["M"] = _score(out["monetary"], bins, higher_is_better=True)
    _cells_and_segments(out, bins, lang)
    problems = Problems()
    problems.extend(value.problems)
    ids = out["customer_id"].astype(str).to_numpy()
    no_m = out["M"].isna().to_numpy() & ~no_purchase.to_numpy()
    problems.add(
        "returns_only",
        rows=[None] * int(no_purchase.sum()),
        column=customer_id,
        values=ids[no_purchase.to_numpy()],
        action="no_segment",
    )
    problems.add("no_monetary_score", rows=[None] * int(no_m.sum()), column=amount, values=ids[no_m])
    return RFMResult(out, problems.frame(), value.as_of)


def rfm_summary(scores: Any, *, lang: str = "zh") -> pd.DataFrame:
    """Customers and mean R/F/M per RFM segment (RFM 细分汇总), largest segment first.

    Parameters
    ----------
    scores : RFMResult or DataFrame
        The result of :func:`rfm` (or its table).
    lang : {"zh", "en"}

    Returns
    -------
    DataFrame
        ``segment, segment_label, customers, customer_share, recency_days, frequency,
        monetary`` (means over the customers with a value), ``monetary_share``.  Every customer
        is counted: those without a segment (returns only) form the last row, ``unscored``.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": list("abc"), "amount": [1.0, 2, 3],
    ...                    "date": ["2024-01-01", "2024-01-02", "2024-01-03"]})
    >>> int(rfm_summary(rfm(tx, bins=3), lang="en")["customers"].sum())
    3
    """
    check_language(lang)
    everyone = frame_of(scores, "the result of rfm")
    data = everyone.astype({"segment": "string"}).fillna({"segment": "unscored"})
    g = data.groupby("segment")
    out = pd.DataFrame(
        {
            "customers": g.size(),
            "recency_days": g["recency_days"].mean(),
            "frequency": g["frequency"].mean(),
            "monetary": g["monetary"].mean(),
            "monetary_total": g["monetary"].sum(),
        }
    )
    out = out.sort_values("customers", ascending=False, kind="stable").reset_index()
    out = pd.concat([out[out["segment"] != "unscored"], out[out["segment"] == "unscored"]], ignore_index=True)
    out.insert(1, "segment_label", [t(f"rfm.{k}", lang) for k in out["segment"]])
    out.insert(3, "customer_share", out["customers"] / len(data))
    out["monetary_share"] = out.pop("monetary_total") / data["monetary"].sum()
    return out


class RFMClusters(Estimator):
    """K-means clusters on log-scaled RFM, k chosen by the silhouette (RFM聚类).

    Parameters
    ----------
    k_range : sequence of int
        Candidate numbers of clusters (default 2 … 8).
    random_state : int, numpy.random.Generator or None, default 0
        Seed of K-means and of the silhouette sample.
    n_init : int
        K-means restarts.
    silhouette_sample : int
        Customers sampled for the silhouette when there are more (it is O(n²)).

    Attributes
    ----------
    k_ : int
        The chosen number of clusters (highest mean silhouette).
    silhouette_ : DataFrame
        ``k, silhouette, inertia`` per candidate.
    labels_ : ndarray
        Cluster (0 … k−1, ordered by mean monetary value, 0 = highest) of each customer.
    profile_ : DataFrame
        The table :meth:`summary` returns.
    model_ : sklearn.cluster.KMeans
        The fitted model on the standardised ``log1p`` features.
    scaler_ : sklearn.preprocessing.StandardScaler

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"recency_days": np.r_[rng.integers(1, 10, 50), rng.integers(200, 300, 50)],
    ...                   "frequency": np.r_[rng.integers(10, 20, 50), rng.integers(1, 2, 50)],
    ...                   "monetary": np.r_[rng.uniform(500, 900, 50), rng.uniform(5, 20, 50)]})
    >>> RFMClusters(k_range=range(2, 5)).fit(X).k_
    2
    """

    FEATURES = ("recency_days", "frequency", "monetary")

    def __init__(
        self,
        *,
        k_range: Sequence[int] = range(2, 9),
        random_state: Any = 0,
        n_init: int = 10,
        silhouette_sample: int = 5000,
    ) -> None:
        self.k_range = k_range
        self.random_state = random_state
        self.n_init = n_init
        self.silhouette_sample = silhouette_sample

    def _validate_params(self) -> list[int]:
        try:
            ks = sorted({int(k) for k in self.k_range})
        except (TypeError, ValueError):
            raise ParameterError(f"k_range must hold integers >= 2; got {self.k_range!r}") from None
        if not ks or ks[0] < 2:
            raise ParameterError(f"k_range must hold integers >= 2; got {list(self.k_range)}")
        if int(self.n_init) < 1 or int(self.silhouette_sample) < 100:
            raise ParameterError("n_init must be >= 1 and silhouette_sample >= 100")
        return ks

    def _features(self, frame: pd.DataFrame) -> np.ndarray:
        missing = [c for c in self.FEATURES if c not in frame.columns]
        if missing:
            raise DataError(f"missing column(s) {missing}; expected the output of rfm()", column=missing[0])
        X = frame[list(self.FEATURES)].astype(float)
        for col in self.FEATURES:
            bad = X[col].isna() | (X[col] < 0)
            if bad.any():
                i = int(np.flatnonzero(bad.to_numpy())[0])
                raise DataError(
                    f"needs values >= 0 (no missing) for log scaling; got {X[col].iloc[i]!r} "
                    "(drop customers without purchases or with net returns first)",
                    column=col,
                    row=i + 1,
                )
        return np.log1p(X.to_numpy())

    def fit(self, scores: Any) -> RFMClusters:
        """Fit on the result of :func:`rfm` (or a frame with ``recency_days, frequency, monetary``)."""
        from sklearn.cluster import KMeans
        from sklearn.metrics import silhouette_score
        from sklearn.preprocessing import StandardScaler

        ks = self._validate_params()
        frame = frame_of(scores, "the result of rfm")
        Z = self._features(frame)
        if len(Z) <= max(ks):
            raise DataError(f"need more customers ({len(Z)}) than the largest k ({max(ks)})")
        seed = seed_of(self.random_state)
        self.scaler_ = StandardScaler().fit(Z)
        Zs = self.scaler_.transform(Z)
        rows, models = [], {}
        for k in ks:
            km = KMeans(n_clusters=k, n_init=int(self.n_init), random_state=seed).fit(Zs)
            if len(np.unique(km.labels_)) < 2:
                rows.append({"k": k, "silhouette": np.nan, "inertia": km.inertia_})
                continue
            sil = silhouette_score(
                Zs, km.labels_, sample_size=min(len(Zs), int(self.silhouette_sample)), random_state=seed
            )
            rows.append({"k": k, "silhouette": float(sil), "inertia": float(km.inertia_)})
            models[k] = km
        self.silhouette_ = pd.DataFrame(rows)
        if not models:
            raise ModelError("K-means found no two distinct clusters for any k (all customers alike?)")
        self.k_ = int(self.silhouette_.loc[self.silhouette_["silhouette"].idxmax(), "k"])
        km = models[self.k_]
        # relabel clusters by mean monetary (0 = highest) so labels are stable and readable
        means = pd.Series(frame["monetary"].astype(float).to_numpy()).groupby(km.labels_).mean()
        self.relabel_ = {old: new for new, old in enumerate(means.sort_values(ascending=False).index)}
        self.labels_ = np.vectorize(self.relabel_.get)(km.labels_)
        self.model_ = km
        self.profile_ = self._profile(frame, self.labels_)
        return self

    def _profile(self, frame: pd.DataFrame, labels: np.ndarray) -> pd.DataFrame:
        data = frame[list(self.FEATURES)].astype(float).assign(cluster=labels)
        prof = (
            data.groupby("cluster")
            .agg(
                customers=("monetary", "size"),
                recency_days=("recency_days", "mean"),
                frequency=("frequency", "mean"),
                monetary=("monetary", "mean"),
                monetary_total=("monetary", "sum"),
            )
            .reset_index()
        )
        prof.insert(2, "customer_share", prof["customers"] / len(data))
        prof["monetary_share"] = prof["monetary_total"] / data["monetary"].sum()
        return prof

    def predict(self, scores: Any) -> np.ndarray:
        """Cluster of new customers (a result of :func:`rfm` or a frame with the same columns)."""
        self.check_fitted("model_")
        raw = self.model_.predict(self.scaler_.transform(self._features(frame_of(scores, "the result of rfm"))))
        return np.vectorize(self.relabel_.get)(raw)

    def summary(self) -> pd.DataFrame:
        """Profile table: ``cluster, customers, customer_share, recency_days, frequency, monetary
        (means), monetary_total, monetary_share``."""
        self.check_fitted("profile_")
        return self.profile_.copy()
