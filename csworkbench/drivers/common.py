"""Input checks and correlation machinery shared by the key-driver methods (驱动因素分析的数据准备).

Course concept: key-driver analysis of satisfaction (顾客满意驱动因素分析, COURSE.md §2) works on
one row per respondent: the overall rating (target) and the driver ratings (predictors).  This
module turns a data frame into numeric complete cases (listwise deletion, reported with a
:class:`~csworkbench.errors.DataWarning`), the correlation matrix with the target last, and
stacks of bootstrap correlation matrices drawn as multinomial resampling counts, so relative
weights and dominance can evaluate every resample at once.

Reference: Efron, B., Tibshirani, R. J. (1993) *An Introduction to the Bootstrap*. Chapman & Hall.

Examples
--------
>>> import pandas as pd
>>> from csworkbench.drivers.common import complete_frame, corr_target_last
>>> data = pd.DataFrame({"y": [1, 2, 3, 5], "a": [1, 3, 2, 4], "b": [2, 1, 4, 3]})
>>> corr_target_last(complete_frame(data, "y", ["a", "b"])).shape
(3, 3)
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd

from ..errors import DataError, DataWarning, ModelError, ParameterError

__all__ = [
    "complete_frame",
    "weighted_complete_frame",
    "corr_target_last",
    "boot_corr",
    "check_boot",
    "check_confidence",
    "quantiles",
]


def check_confidence(confidence: float) -> None:
    """Raise :class:`~csworkbench.errors.ParameterError` unless 0 < confidence < 1."""
    if not (isinstance(confidence, (int, float, np.floating)) and 0 < confidence < 1):
        raise ParameterError(f"confidence must lie between 0 and 1; got {confidence!r}")


def check_boot(n_boot: int, confidence: float) -> None:
    """``n_boot`` is 0 (no intervals) or at least 2; ``confidence`` lies in (0, 1)."""
    if not (isinstance(n_boot, (int, np.integer)) and n_boot >= 0):
        raise ParameterError(f"n_boot must be a non-negative integer; got {n_boot!r}")
    if n_boot == 1:
        raise ParameterError("n_boot must be 0 (no intervals) or at least 2")
    check_confidence(confidence)


def quantiles(confidence: float) -> list[float]:
    """The two percentile levels of a central interval at ``confidence``."""
    return [(1 - confidence) / 2, 1 - (1 - confidence) / 2]


def _predictor_list(target: str, predictors: Sequence[str]) -> list[str]:
    predictors = [predictors] if isinstance(predictors, str) else list(predictors)
    if not predictors:
        raise ParameterError("give at least one predictor")
    if len(set(predictors)) != len(predictors):
        raise ParameterError(f"predictors are repeated: {predictors}")
    if target in predictors:
        raise ParameterError(f"the target {target!r} is also listed as a predictor")
    return predictors


def complete_frame(data: pd.DataFrame, target: str, predictors: Sequence[str]) -> pd.DataFrame:
    """Numeric complete cases of target + predictors (target first).

    Raises DataError naming the column (and row) for a missing or non-numeric column,
    ParameterError for a bad predictor list, ModelError when too few rows are left or a column
    is constant; rows with missing values are left out with a DataWarning.
    """
    if not isinstance(data, pd.DataFrame):
        raise DataError(f"data must be a pandas DataFrame; got {type(data).__name__}")
    predictors = _predictor_list(target, predictors)
    cols = [target] + predictors
    for c in cols:
        if c not in data.columns:
            raise DataError(f"column not in the data (columns: {list(map(str, data.columns))[:12]})", column=c)
    out = {}
    for c in cols:
        col = data[c]
        if pd.api.types.is_bool_dtype(col):
            col = col.astype(float)
        if not pd.api.types.is_numeric_dtype(col):
            conv = pd.to_numeric(col, errors="coerce")
            bad = np.flatnonzero(conv.isna().to_numpy() & col.notna().to_numpy())
            if bad.size:
                raise DataError(f"must hold numbers; got {col.iloc[bad[0]]!r}", column=c, row=int(bad[0]) + 1)
            col = conv
        out[c] = col.astype(float)
    frame = pd.DataFrame(out, index=data.index)
    missing = frame.isna().any(axis=1)
    if missing.any():
        where = [c for c in cols if frame[c].isna().any()]
        warnings.warn(
            f"{int(missing.sum())} of {len(frame)} rows have missing values (columns {where}) and were left out (listwise)",
            DataWarning,
            stacklevel=3,
        )
        frame = frame.loc[~missing]
    need = len(predictors) + 2
    if len(frame) < need:
        raise ModelError(f"{len(frame)} complete rows for {len(predictors)} predictors; need at least {need}")
    sd = frame.std(ddof=0)
    for c in cols:
        if not sd[c] > 0:
            raise ModelError(
                f"column {c!r} is constant ({frame[c].iloc[0]:g} in every row); it cannot drive or be driven"
            )
    return frame


def weighted_complete_frame(
    data: pd.DataFrame, target: str, predictors: Sequence[str], weights: str | None
) -> tuple[pd.DataFrame, np.ndarray | None]:
    """:func:`complete_frame` and the case weight of each of its rows (None without ``weights``).

    Unusable weights (missing, 0, negative) are listed with a DataWarning and their rows left out
    (:func:`csworkbench.weighting.design.case_weights`) before the listwise deletion.
    """
    if weights is None:
        return complete_frame(data, target, predictors), None
    from ..problems import Problems
    from ..weighting.design import case_weights

    if not isinstance(data, pd.DataFrame):
        raise DataError(f"data must be a pandas DataFrame; got {type(data).__name__}")
    w = np.asarray(
        case_weights(data, weights, problems=Problems(path=data.attrs.get("source"), warn=True)), dtype=float
    )
    usable = np.isfinite(w)
    sub = data.loc[usable].reset_index(drop=True)
    frame = complete_frame(sub, target, predictors)
    return frame, w[usable][frame.index.to_numpy()]


def _target_last(frame: pd.DataFrame) -> np.ndarray:
    A = frame.to_numpy()
    return np.concatenate([A[:, 1:], A[:, :1]], axis=1)


def corr_target_last(frame: pd.DataFrame, weights: np.ndarray | None = None) -> np.ndarray:
    """Correlation matrix with the target LAST (predictors first, as given); weighted by case weights."""
    if weights is not None:
        from ..weighting.design import weighted_corr_stack

        return weighted_corr_stack(_target_last(frame), np.asarray(weights, dtype=float)[None, :])[0]
    return np.corrcoef(_target_last(frame), rowvar=False)


def boot_corr(
    frame: pd.DataFrame,
    n_boot: int,
    rng: np.random.Generator,
    chunk: int = 500,
    weights: np.ndarray | None = None,
) -> Iterator[np.ndarray]:
    """Yield stacks of bootstrap correlation matrices (target last), from resampling counts.

    With case ``weights`` each resample weighs respondent i by count × weight (the weighted
    bootstrap: respondents are resampled, their weights travel with them).
    """
    if weights is not None:
        from ..weighting.design import weighted_corr_stack

        A = _target_last(frame)
        n = len(A)
        done = 0
        while done < n_boot:
            size = min(chunk, n_boot - done)
            counts = rng.multinomial(n, np.full(n, 1.0 / n), size=size).astype(float)
            yield weighted_corr_stack(A, counts * np.asarray(weights, dtype=float)[None, :])
            done += size
        return
    A = _target_last(frame)
    A = A - A.mean(axis=0)
    n, q = A.shape
    pair = (A[:, :, None] * A[:, None, :]).reshape(n, q * q)
    done = 0
    while done < n_boot:
        size = min(chunk, n_boot - done)
        counts = rng.multinomial(n, np.full(n, 1.0 / n), size=size).astype(float)
        m = counts @ A / n
        S = (counts @ pair).reshape(size, q, q) / n - m[:, :, None] * m[:, None, :]
        d = np.sqrt(np.einsum("bii->bi", S))
        with np.errstate(invalid="ignore", divide="ignore"):
            yield S / (d[:, :, None] * d[:, None, :])
        done += size
