"""Shared machinery of the gap models (差距模型的公共部分): argument checks, numeric columns, grouped moments.

Nothing here is public.  The statistics are vectorised over respondent × item arrays (one
``np.bincount`` pass per moment instead of a ``groupby`` per item); the t quantiles come from
SciPy.  The answers pivot lives in :mod:`csworkbench.gaps._answers`.

Examples
--------
>>> import numpy as np
>>> from csworkbench.gaps._common import grouped_moments
>>> cnt, mean, sd = grouped_moments(np.array([[1.0], [3.0], [np.nan]]), np.zeros(3, dtype=int), 1)
>>> cnt.tolist(), mean.tolist(), round(float(sd[0, 0]), 4)
([[2.0]], [[2.0]], 1.4142)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import DataError, ParameterError
from ..i18n import TranslationError, check_language
from ..problems import MAX_ROWS_SHOWN


def rows_text(rows: Iterable[int]) -> str:
    """``"row 3"`` or ``"rows 1, 2, … (12 in all)"`` for a message."""
    rows = [int(r) for r in rows]
    if len(rows) == 1:
        return f"row {rows[0]}"
    shown = ", ".join(map(str, rows[:MAX_ROWS_SHOWN]))
    return f"rows {shown}" + (f" … ({len(rows)} in all)" if len(rows) > MAX_ROWS_SHOWN else "")


# ------------------------------------------------------------------ argument checks (ParameterError)


def check_lang(lang: str) -> str:
    """``lang`` if supported; a :class:`ParameterError` otherwise."""
    try:
        return check_language(lang)
    except TranslationError as exc:
        raise ParameterError(str(exc.args[0] if exc.args else exc)) from None


def check_confidence(confidence: float) -> float:
    """The confidence level as a float strictly between 0 and 1."""
    try:
        value = float(confidence)
    except (TypeError, ValueError):
        raise ParameterError(f"confidence must be a number between 0 and 1 (e.g. 0.95); got {confidence!r}") from None
    if not 0.0 < value < 1.0:
        raise ParameterError(f"confidence must lie strictly between 0 and 1 (e.g. 0.95); got {confidence!r}")
    return value


def check_scale(scale: tuple[float, float] | None) -> tuple[float, float] | None:
    """``(low, high)`` with low < high, or None."""
    if scale is None:
        return None
    try:
        lo, hi = (float(v) for v in scale)
    except (TypeError, ValueError):
        raise ParameterError(f"scale must be a pair (low, high) such as (1, 7); got {scale!r}") from None
    if not lo < hi:
        raise ParameterError(f"scale must be (low, high) with low < high; got {scale!r}")
    return scale


# ------------------------------------------------------------------ data checks (DataError)


def require(frame: pd.DataFrame, columns: Sequence[str], what: str, path: Any = None) -> None:
    """Raise :class:`DataError` unless ``frame`` is a DataFrame holding every column named."""
    if not isinstance(frame, pd.DataFrame):
        raise DataError(f"{what} must be a pandas DataFrame; got {type(frame).__name__}", path=path)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(
            f"{what} needs column{'s' if len(missing) > 1 else ''} {', '.join(map(repr, missing))}; "
            f"the data have: {', '.join(map(str, frame.columns[:30]))}",
            path=path,
            column=missing[0],
        )


def numbers(frame: pd.DataFrame, column: str, *, name: str | None = None) -> pd.Series:
    """Column ``column`` as floats; text that is not a number raises :class:`DataError` naming the rows."""
    values = pd.to_numeric(frame[column], errors="coerce")
    bad = values.isna() & frame[column].notna()
    if bad.any():
        rows = np.flatnonzero(bad.to_numpy()) + 1
        raise DataError(
            f"must hold numbers; got {frame[column].iloc[rows[0] - 1]!r} ({rows_text(rows)})",
            column=name or column,
            row=int(rows[0]),
        )
    return values.astype(float)


# ------------------------------------------------------------------ statistics


def t_interval(mean, sd, n, confidence):
    """Mean, SE, CI and two-sided one-sample t-test against 0, vectorised; NaN where n < 2.

    Returns ``(se, ci_low, ci_high, t, p_value)``.
    """
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.where(n >= 2, sd / np.sqrt(n), np.nan)
        df = np.where(n >= 2, n - 1, np.nan)
        q = stats.t.ppf(0.5 + confidence / 2, df)
        tval = mean / se
        p = 2 * stats.t.sf(np.abs(tval), df)
    return se, mean - q * se, mean + q * se, tval, p


def summarise(
    x: np.ndarray,
    g: np.ndarray,
    n_groups: int,
    confidence: float,
    w: np.ndarray | None = None,
    weight_type: str = "sampling",
):
    """Per group × column count, mean, SE, t interval, t-test against 0 and effective n.

    Without weights (``w`` None): :func:`grouped_moments` and :func:`t_interval` (the unweighted
    formulas) and ``n_eff`` None.  With case weights per row: the weighted mean and its
    design-aware SE of :func:`csworkbench.weighting.design.weighted_moments` (sampling weights:
    Taylor linearisation, t on n − 1 df; frequency weights: Σw cases), ``n_eff`` Kish's.
    Returns ``(cnt, mean, se, ci_low, ci_high, t, p_value, n_eff)``.
    """
    if w is None:
        cnt, mean, sd = grouped_moments(x, g, n_groups)
        se, lo, hi, tval, p = t_interval(mean, sd, cnt, confidence)
        return cnt, mean, se, lo, hi, tval, p, None
    from ..weighting.design import weighted_moments

    out = np.full((8, n_groups, x.shape[1]), np.nan)
    for gi in range(n_groups):
        rows = g == gi
        m = weighted_moments(x[rows], w[rows], weight_type=weight_type)
        lo, hi, tval, p = m.interval(confidence)
        out[:, gi] = [m.n, m.estimate, m.se, lo, hi, tval, p, m.n_eff]
    return tuple(out)


def weighted_share(mask: np.ndarray, complete: np.ndarray, g: np.ndarray, n_groups: int, w: np.ndarray | None):
    """Per group × column share of ``mask`` among ``complete`` cells, weighted by ``w`` (rows)."""
    ww = np.ones(len(g)) if w is None else np.nan_to_num(w, nan=0.0)
    num = grouped_sum(mask * ww[:, None], g, n_groups)
    den = grouped_sum(complete * ww[:, None], g, n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / den, np.nan)


def interval_table(
    table: pd.DataFrame,
    key: str,
    own: float,
    confidence: float | None,
    *,
    estimate: str = "gap",
    df: str | float | np.ndarray | None = None,
) -> pd.DataFrame:
    """The ``conf_int`` frame of a gaps result: identifying columns, ``estimate, ci_low, ci_high``.

    The identifying columns are those of ``table`` up to and including ``key`` (the group
    columns come first).  ``confidence`` None or equal to ``own`` (the level the result was
    computed at) returns the stored ``ci_low, ci_high``; another level is recomputed as
    ``estimate ± t(df)·se`` where ``df`` is a column of ``table``, a number or an array
    (default ``n − 1``: the one-sample / paired t interval).  NaN where ``se`` or ``df`` is
    undefined.  Nothing is refitted.
    """
    ids = list(table.columns[: table.columns.get_loc(key) + 1])
    out = table[ids].copy()
    out["estimate"] = table[estimate].to_numpy(dtype=float)
    if confidence is None or np.isclose(check_confidence(confidence), own, rtol=0.0, atol=1e-12):
        out["ci_low"] = table["ci_low"].to_numpy(dtype=float)
        out["ci_high"] = table["ci_high"].to_numpy(dtype=float)
        return out.reset_index(drop=True)
    level = check_confidence(confidence)
    if df is None:
        dof = table["n"].to_numpy(dtype=float) - 1.0
    elif isinstance(df, str):
        dof = table[df].to_numpy(dtype=float)
    else:
        dof = np.broadcast_to(np.asarray(df, dtype=float), (len(table),))
    se = table["se"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        q = stats.t.ppf(0.5 + level / 2, np.where(dof > 0, dof, np.nan))
    est = out["estimate"].to_numpy()
    out["ci_low"] = est - q * se
    out["ci_high"] = est + q * se
    return out.reset_index(drop=True)


def grouped_moments(x: np.ndarray, g: np.ndarray, n_groups: int):
    """Per group × column count, mean and SD (ddof 1) of a 2-D array with NaN = missing."""
    n, k = x.shape
    valid = ~np.isnan(x)
    if n_groups == 1:  # plain column reductions: several times faster than bincount
        cnt = valid.sum(axis=0, dtype=float)[None, :]
        x0 = np.where(valid, x, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = x0.sum(axis=0)[None, :] / cnt
            dev = np.where(valid, x - mean, 0.0)
            sd = np.sqrt(np.where(cnt >= 2, (dev * dev).sum(axis=0)[None, :] / (cnt - 1), np.nan))
        return cnt, np.where(cnt > 0, mean, np.nan), sd
    idx = (g[:, None] * k + np.arange(k)[None, :]).ravel()
    size = n_groups * k
    cnt = np.bincount(idx, weights=valid.ravel(), minlength=size).reshape(n_groups, k)
    x0 = np.where(valid, x, 0.0)
    s = np.bincount(idx, weights=x0.ravel(), minlength=size).reshape(n_groups, k)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = s / cnt
    dev = np.where(valid, x - mean[g], 0.0)
    ss = np.bincount(idx, weights=(dev * dev).ravel(), minlength=size).reshape(n_groups, k)
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.sqrt(np.where(cnt >= 2, ss / (cnt - 1), np.nan))
    mean = np.where(cnt > 0, mean, np.nan)
    return cnt, mean, sd


def grouped_sum(x: np.ndarray, g: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group × column sum of a 2-D array (no NaN expected)."""
    n, k = x.shape
    if n_groups == 1:
        return x.sum(axis=0)[None, :]
    idx = (g[:, None] * k + np.arange(k)[None, :]).ravel()
    return np.bincount(idx, weights=x.ravel(), minlength=n_groups * k).reshape(n_groups, k)


# ------------------------------------------------------------------ frames


def take(series: pd.Series, positions: np.ndarray) -> np.ndarray:
    """Values at ``positions`` as a NumPy array (categoricals through their codes: cheap)."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        cats = np.asarray(series.cat.categories, dtype=object)
        codes = series.cat.codes.to_numpy()[positions]
        out = np.empty(len(codes), dtype=object)
        ok = codes >= 0
        out[ok] = cats[codes[ok]]
        out[~ok] = None
        return out
    return series.to_numpy()[positions]


def factorize_rows(frame: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """A code per row for the combination of ``columns`` (sorted key order) and the key of each code."""
    codes = frame.groupby(columns, sort=True, observed=True, dropna=False).ngroup().to_numpy()
    # ngroup numbers the groups in sorted key order; take each group's first row as its key
    first = pd.DataFrame({"code": codes}).drop_duplicates().index.to_numpy()
    keys = (
        frame.iloc[first][columns].assign(_c=codes[first]).sort_values("_c").drop(columns="_c").reset_index(drop=True)
    )
    return codes, keys


def with_groups(gkeys: pd.DataFrame, n_rows_per_group: int, body: dict[str, Any]) -> pd.DataFrame:
    """Frame of group keys repeated per row of ``body`` (group-major order)."""
    out = {}
    for col in gkeys.columns:
        out[col] = np.repeat(gkeys[col].to_numpy(), n_rows_per_group)
    out.update(body)
    return pd.DataFrame(out)
