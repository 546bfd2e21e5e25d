"""Customer journeys and touchpoints (客户之旅与接触点): experience per touchpoint, peak and end.

The course (客户体验、客户关怀与客户接触点) asks a firm to take the customer's whole journey
apart — before, during and after the purchase (购前 / 购中 / 购后) — into its touchpoints, to
find where the experience is weak, and to put its resources into the key touchpoints so that
the journey leaves a high **peak** and a good **end** (体验的峰值和终值).  Two functions answer
that from an event log with one row per contact (``customer_id, step, stage, touchpoint,
score``; :func:`csworkbench.datasets.make_touchpoint_journeys` draws one):

* :func:`touchpoint_scores` — per touchpoint: contacts, customers, mean rating with a
  t-interval, the share of low ratings, and the gap to the best touchpoint;
* :func:`peak_end` — per customer: the mean, the peak (best contact), the trough, the end
  (last contact) and which touchpoint gave the trough.

The interval treats contacts as independent draws; a customer who meets one touchpoint
several times counts each contact.  Missing ratings stay missing and are left out of the
means (their count is reported), never read as 0.

Examples
--------
>>> import pandas as pd
>>> log = pd.DataFrame({"customer_id": ["a", "a", "b", "b"], "step": [1, 2, 1, 2],
...                     "stage": ["购前", "购后", "购前", "购后"],
...                     "touchpoint": ["网站", "呼叫中心", "网站", "呼叫中心"], "score": [8, 4, 9, 5]})
>>> touchpoint_scores(log)[["touchpoint", "mean", "gap_to_best"]].values.tolist()
[['呼叫中心', 4.5, -4.0], ['网站', 8.5, 0.0]]
>>> peak_end(log)[["customer_id", "peak", "end"]].values.tolist()
[['a', 8.0, 4.0], ['b', 9.0, 5.0]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import DataError, ParameterError
from ._common import t_interval

__all__ = ["touchpoint_scores", "peak_end"]


def _checked(journeys: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    if not isinstance(journeys, pd.DataFrame):
        raise ParameterError(f"journeys must be a DataFrame; got {type(journeys).__name__}")
    missing = [name for name in columns.values() if name not in journeys.columns]
    if missing:
        raise DataError(f"the journey log has no column(s) {missing}; columns are {list(journeys.columns)}")
    frame = journeys.rename(columns={v: k for k, v in columns.items()})[list(columns)].copy()
    raw = frame["score"]
    scores = pd.to_numeric(raw, errors="coerce")
    bad = scores.isna() & raw.notna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0]) + 1
        raise DataError(f"must hold numeric ratings; got {raw.iloc[row - 1]!r}", column=columns["score"], row=row)
    frame["score"] = scores.astype(float)
    return frame


def touchpoint_scores(
    journeys: pd.DataFrame,
    *,
    touchpoint: str = "touchpoint",
    score: str = "score",
    customer: str = "customer_id",
    stage: str | None = "stage",
    low: float = 4,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Experience per touchpoint: mean rating with its interval, share of low ratings, gap to the best.

    Parameters
    ----------
    journeys : DataFrame
        One row per contact.
    touchpoint, score, customer : str
        Column names.
    stage : str or None
        Column with the journey stage (kept in the result, first value per touchpoint); None if absent.
    low : float
        A rating ≤ ``low`` counts as a bad experience.
    confidence : float
        Level of the t-interval, in (0, 1).

    Returns
    -------
    DataFrame
        One row per touchpoint, weakest first: ``touchpoint``, ``stage`` (if given),
        ``contacts``, ``customers``, ``missing`` (contacts without a rating), ``mean``, ``se``,
        ``ci_low``, ``ci_high``, ``share_low`` (0–1), ``gap_to_best`` (mean − the best
        touchpoint's mean; 0 for the best).
    """
    if not 0 < confidence < 1:
        raise ParameterError(f"confidence must lie in (0, 1); got {confidence!r}")
    columns = {"touchpoint": touchpoint, "score": score, "customer_id": customer}
    if stage is not None:
        columns["stage"] = stage
    frame = _checked(journeys, columns)
    grouped = frame.groupby("touchpoint", sort=True)
    table = pd.DataFrame(
        {
            "contacts": grouped.size(),
            "customers": grouped["customer_id"].nunique(),
            "missing": grouped["score"].apply(lambda s: int(s.isna().sum())),
            "mean": grouped["score"].mean(),
            "sd": grouped["score"].std(ddof=1),
            "n": grouped["score"].count(),
            "share_low": grouped["score"].apply(
                lambda s: float((s.dropna() <= low).mean()) if s.notna().any() else np.nan
            ),
        }
    )
    if stage is not None:
        table.insert(0, "stage", grouped["stage"].first())
    se, ci_low, ci_high, _, _ = t_interval(
        table["mean"].to_numpy(), table["sd"].to_numpy(), table["n"].to_numpy(), confidence
    )
    table["se"], table["ci_low"], table["ci_high"] = se, ci_low, ci_high
    table["gap_to_best"] = table["mean"] - table["mean"].max()
    order = ["stage"] if stage is not None else []
    order += ["contacts", "customers", "missing", "mean", "se", "ci_low", "ci_high", "share_low", "gap_to_best"]
    return table[order].sort_values("mean", kind="stable").reset_index()


def peak_end(
    journeys: pd.DataFrame,
    *,
    touchpoint: str = "touchpoint",
    score: str = "score",
    customer: str = "customer_id",
    step: str = "step",
) -> pd.DataFrame:
    """Per customer: mean, peak, trough and end of the journey, and the touchpoint of the trough.

    Parameters
    ----------
    journeys : DataFrame
        One row per contact; ``step`` orders the contacts of a journey.
    touchpoint, score, customer, step : str
        Column names.

    Returns
    -------
    DataFrame
        ``customer_id``, ``contacts``, ``mean``, ``peak`` (best rating), ``trough`` (worst),
        ``end`` (rating of the last rated contact), ``trough_touchpoint`` (first contact with the
        worst rating).  Contacts without a rating are skipped; a customer with no rating at
        all has NaN in every figure.
    """
    frame = _checked(journeys, {"touchpoint": touchpoint, "score": score, "customer_id": customer, "step": step})
    frame = frame.sort_values(["customer_id", "step"], kind="stable")
    rated = frame.dropna(subset=["score"])
    grouped = rated.groupby("customer_id", sort=True)["score"]
    worst = rated.loc[rated.groupby("customer_id")["score"].idxmin()].set_index("customer_id")["touchpoint"]
    table = pd.DataFrame(
        {
            "contacts": frame.groupby("customer_id", sort=True).size(),
        }
    )
    table["mean"] = grouped.mean()
    table["peak"] = grouped.max()
    table["trough"] = grouped.min()
    table["end"] = grouped.last()
    table["trough_touchpoint"] = worst
    return table.reset_index()
