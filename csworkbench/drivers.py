"""Key-driver analysis of satisfaction (顾客满意驱动因素分析): regression, relative weights, dominance.

Course concept: the satisfaction research model (顾客满意度研究模型, COURSE.md §2) — find which
factors drive satisfaction so that "the most cost-effective drivers are improved".  Three
answers to "how important is each driver?":

* :func:`key_drivers` — standardised OLS coefficients with robust (HC3) standard errors and
  variance inflation factors (statsmodels), or an ordered logit (statsmodels ``OrderedModel``)
  when the target is an ordinal rating.
* :func:`relative_weights` — Johnson's (2000) relative weights: R² split over correlated
  drivers via the orthogonal counterpart of the predictors; raw weights sum to R², rescaled
  weights to 100 %, with percentile bootstrap intervals.
* :func:`dominance` — Budescu's (1993) dominance analysis (Azen & Budescu 2003): general
  dominance = the Shapley value of R² (= relaimpo's "lmg"); shares; conditional and complete
  dominance.  Exact over all 2^p subsets up to ``exact_max`` predictors (default 15), every
  subset's R² solved from the correlation matrix in batches (no refitting); beyond that,
  sampled permutations with a stated 95 % error bound.

Why hand-written: ``dominance-analysis`` 1.1.9 (PyPI) does not import on NumPy 2 (its bokeh
dependency uses ``np.bool8``; checked in a throw-away venv with NumPy 2.4 / pandas 3.1).
``relativeImp`` 0.0.2 does run there, but is a 30-line function without intervals that
correlates with pairwise deletion (missing answers silently handled differently per pair) and
uses a general eigen-solver; a vectorised bootstrap needs the computation on stacked
correlation matrices anyway, so relative weights are computed here (and checked against the
figures published for R ``rwa``).

References
----------
Johnson, J. W. (2000) A heuristic method for estimating the relative weight of predictor
variables in multiple regression. *Multivariate Behavioral Research* 35, 1–19.
Budescu, D. V. (1993) Dominance analysis. *Psychological Bulletin* 114, 542–551.
Azen, R., Budescu, D. V. (2003) The dominance analysis approach for comparing predictors in
multiple regression. *Psychological Methods* 8, 129–148.
Grömping, U. (2006) Relative importance for linear regression in R: the package relaimpo.
*Journal of Statistical Software* 17(1).

Examples
--------
>>> import pandas as pd
>>> from csworkbench.config import RAW_DIR
>>> from csworkbench.drivers import dominance, relative_weights
>>> att = pd.read_csv(RAW_DIR / "drivers" / "attitude.csv")
>>> X = ["complaints", "privileges", "learning", "raises", "critical", "advance"]
>>> dominance(att, "rating", X).general["general_dominance"].round(3).tolist()
[0.371, 0.051, 0.156, 0.12, 0.007, 0.028]
>>> mt = pd.read_csv(RAW_DIR / "drivers" / "mtcars.csv")
>>> relative_weights(mt, "mpg", ["cyl", "disp", "hp", "wt"])["rescaled"].round(2).tolist()
[24.71, 22.19, 21.21, 31.9]
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Mapping, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import stats

from .errors import CSWWarning, DataError, DataWarning, ModelError

__all__ = [
    "key_drivers",
    "relative_weights",
    "dominance",
    "DominanceResult",
    "composite_scores",
    "label_columns",
    "plot_importance",
    "driver_explorer",
]

_METHODS = ("ols", "ordinal")


# --------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------
def _frame(data: pd.DataFrame, target: str, predictors: Sequence[str], min_rows: int | None = None) -> pd.DataFrame:
    """Numeric complete cases of target + predictors; DataError/ModelError naming the column."""
    if not isinstance(data, pd.DataFrame):
        raise DataError(f"data must be a pandas DataFrame; got {type(data).__name__}")
    if isinstance(predictors, str):
        predictors = [predictors]
    predictors = list(predictors)
    if not predictors:
        raise ModelError("give at least one predictor")
    if len(set(predictors)) != len(predictors):
        raise ModelError(f"predictors are repeated: {predictors}")
    if target in predictors:
        raise ModelError(f"the target {target!r} is also listed as a predictor")
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
    need = min_rows if min_rows is not None else len(predictors) + 2
    if len(frame) < need:
        raise ModelError(f"{len(frame)} complete rows for {len(predictors)} predictors; need at least {need}")
    sd = frame.std(ddof=0)
    for c in cols:
        if not sd[c] > 0:
            raise ModelError(f"column {c!r} is constant ({frame[c].iloc[0]:g} in every row); it cannot drive or be driven")
    return frame


def _corr(frame: pd.DataFrame) -> np.ndarray:
    """Correlation matrix with the target LAST (predictors first, as given)."""
    A = frame.to_numpy()
    A = np.concatenate([A[:, 1:], A[:, :1]], axis=1)
    return np.corrcoef(A, rowvar=False)


def _boot_corr(frame: pd.DataFrame, n_boot: int, rng: np.random.Generator, chunk: int = 500):
    """Yield stacks of bootstrap correlation matrices (target last), from resampling counts."""
    A = frame.to_numpy()
    A = np.concatenate([A[:, 1:], A[:, :1]], axis=1)
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


def _check_boot(n_boot, ci):
    if not (isinstance(n_boot, (int, np.integer)) and n_boot >= 0):
        raise ModelError(f"n_boot must be a non-negative integer; got {n_boot!r}")
    if n_boot == 1:
        raise ModelError("n_boot must be 0 (no intervals) or at least 2")
    if not 0 < ci < 1:
        raise ModelError(f"ci must lie between 0 and 1; got {ci!r}")


# --------------------------------------------------------------------------------------
# key-driver regression
# --------------------------------------------------------------------------------------
def key_drivers(
    data: pd.DataFrame,
    target: str,
    predictors: Sequence[str],
    method: str = "ols",
    standardize: bool = True,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Key-driver regression: which drivers move the target, controlling for the others.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    target : str
        Overall satisfaction (or loyalty) column.
    predictors : list of str
        Driver columns.
    method : {"ols", "ordinal"}
        ``"ols"``: linear regression with HC3 robust standard errors.  ``"ordinal"``: ordered
        logit (statsmodels ``OrderedModel``) for a rating with few ordered levels; estimates
        are log-odds ratios.
    standardize : bool
        True: coefficients per standard deviation of predictor (and, for OLS, of the target),
        i.e. beta weights; False: in the data's units.
    ci : float
        Coverage of the confidence intervals.

    Returns
    -------
    DataFrame
        ``predictor, estimate, std_error, ci_low, ci_high, p_value, vif`` (one row per
        predictor, intercept/thresholds left out).  ``attrs``: ``r2`` and ``r2_adj`` (OLS) or
        ``pseudo_r2`` (ordinal, McFadden), ``n``, ``method``.

    Examples
    --------
    >>> import pandas as pd
    >>> from csworkbench.config import RAW_DIR
    >>> att = pd.read_csv(RAW_DIR / "drivers" / "attitude.csv")
    >>> X = ["complaints", "privileges", "learning", "raises", "critical", "advance"]
    >>> res = key_drivers(att, "rating", X, standardize=False)
    >>> round(res.attrs["r2"], 4), round(float(res.loc[0, "estimate"]), 3)
    (0.7326, 0.613)
    """
    import statsmodels.api as sm
    from statsmodels.stats.outliers_influence import variance_inflation_factor

    if method not in _METHODS:
        raise ModelError(f"method must be one of {', '.join(_METHODS)}; got {method!r}")
    if not 0 < ci < 1:
        raise ModelError(f"ci must lie between 0 and 1; got {ci!r}")
    frame = _frame(data, target, predictors)
    predictors = list(frame.columns[1:])
    X = frame[predictors]
    y = frame[target]
    if standardize:
        X = (X - X.mean()) / X.std(ddof=1)
    Xc = sm.add_constant(X, has_constant="add")
    vif = [variance_inflation_factor(Xc.to_numpy(), i) for i in range(1, Xc.shape[1])] if len(predictors) > 1 else [1.0]
    z = stats.norm.ppf(0.5 + ci / 2)
    if method == "ols":
        yy = (y - y.mean()) / y.std(ddof=1) if standardize else y
        res = sm.OLS(yy, Xc).fit(cov_type="HC3")
        params, se, pv = res.params[predictors], res.bse[predictors], res.pvalues[predictors]
        lo, hi = res.conf_int(alpha=1 - ci).loc[predictors].T.to_numpy()
        attrs = {"r2": float(res.rsquared), "r2_adj": float(res.rsquared_adj)}
    else:
        from statsmodels.miscmodels.ordinal_model import OrderedModel

        levels = np.sort(y.unique())
        if levels.size < 2:
            raise ModelError(f"the target {target!r} has one level only")
        if levels.size > 15:
            warnings.warn(
                f"target {target!r} has {levels.size} levels; an ordered logit estimates {levels.size - 1} thresholds",
                DataWarning,
                stacklevel=2,
            )
        yo = pd.Series(pd.Categorical(y, categories=levels, ordered=True), index=y.index)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = OrderedModel(yo, X, distr="logit").fit(method="bfgs", disp=False, maxiter=2000)
        if not res.mle_retvals.get("converged", True):
            from .errors import ConvergenceError

            raise ConvergenceError(f"the ordered logit of {target!r} did not converge in 2000 iterations")
        params, se, pv = res.params[predictors], res.bse[predictors], res.pvalues[predictors]
        lo, hi = params - z * se, params + z * se
        attrs = {"pseudo_r2": float(res.prsquared)}
    out = pd.DataFrame({
        "predictor": predictors,
        "estimate": np.asarray(params, float),
        "std_error": np.asarray(se, float),
        "ci_low": np.asarray(lo, float),
        "ci_high": np.asarray(hi, float),
        "p_value": np.asarray(pv, float),
        "vif": np.asarray(vif, float),
    })
    out.attrs.update(attrs, n=len(frame), method=method, standardize=standardize, target=target)
    return out


# --------------------------------------------------------------------------------------
# relative weights (Johnson 2000)
# --------------------------------------------------------------------------------------
def _rw_from_corr(R: np.ndarray) -> np.ndarray:
    """Raw relative weights for a stack of correlation matrices (b, p+1, p+1), target last."""
    Rxx, rxy = R[:, :-1, :-1], R[:, :-1, -1]
    e, V = np.linalg.eigh(Rxx)
    e = np.clip(e, 0, None)
    lam = (V * np.sqrt(e)[:, None, :]) @ np.swapaxes(V, 1, 2)      # Rxx^(1/2)
    beta = np.linalg.solve(lam, rxy[:, :, None])[:, :, 0]             # y on orthogonal Z
    return np.einsum("bjk,bk->bj", lam**2, beta**2)


def relative_weights(
    data: pd.DataFrame,
    target: str,
    predictors: Sequence[str],
    n_boot: int = 0,
    ci: float = 0.95,
    random_state: int | np.random.Generator | None = None,
) -> pd.DataFrame:
    """Johnson's (2000) relative weights of the drivers of ``target``.

    Parameters
    ----------
    data, target, predictors
        As :func:`key_drivers`.
    n_boot : int
        Bootstrap resamples for percentile intervals (0: none).  Vectorised: all resampled
        correlation matrices are built and decomposed at once.
    ci : float
        Interval coverage.
    random_state : int or Generator, optional
        Seed of the bootstrap.

    Returns
    -------
    DataFrame
        ``predictor, raw_weight, rescaled, sign, ci_low, ci_high, rescaled_ci_low,
        rescaled_ci_high``: raw weights sum to R² (``attrs["r2"]``), rescaled ones to 100;
        interval columns are NaN without bootstrap.  ``sign`` is the sign of the driver's
        correlation with the target (the convention of R ``rwa``; a regression coefficient
        can flip under collinearity, see :func:`key_drivers`).

    Examples
    --------
    >>> import pandas as pd
    >>> from csworkbench.config import RAW_DIR
    >>> mt = pd.read_csv(RAW_DIR / "drivers" / "mtcars.csv")
    >>> rw = relative_weights(mt, "mpg", ["cyl", "disp", "hp", "wt"], n_boot=200, random_state=1)
    >>> round(rw["raw_weight"].sum(), 4), round(rw.attrs["r2"], 4)
    (0.8486, 0.8486)
    """
    _check_boot(n_boot, ci)
    frame = _frame(data, target, predictors)
    predictors = list(frame.columns[1:])
    R = _corr(frame)
    raw = _rw_from_corr(R[None])[0]
    r2 = float(raw.sum())
    out = pd.DataFrame({
        "predictor": predictors, "raw_weight": raw, "rescaled": raw / r2 * 100,
        "sign": np.where(R[:-1, -1] >= 0, "+", "-"),
    })
    cols = ["ci_low", "ci_high", "rescaled_ci_low", "rescaled_ci_high"]
    if n_boot:
        rng = np.random.default_rng(random_state)
        draws = np.concatenate([_rw_from_corr(Rb) for Rb in _boot_corr(frame, n_boot, rng)])
        draws = draws[np.isfinite(draws).all(axis=1)]
        q = [(1 - ci) / 2, 1 - (1 - ci) / 2]
        out["ci_low"], out["ci_high"] = np.quantile(draws, q, axis=0)
        share = draws / draws.sum(axis=1, keepdims=True) * 100
        out["rescaled_ci_low"], out["rescaled_ci_high"] = np.quantile(share, q, axis=0)
    else:
        for c in cols:
            out[c] = np.nan
    out.attrs.update(r2=r2, n=len(frame), n_boot=n_boot, target=target)
    return out


# --------------------------------------------------------------------------------------
# dominance analysis / Shapley value of R²
# --------------------------------------------------------------------------------------
class DominanceResult(NamedTuple):
    """Result of :func:`dominance`.

    general : DataFrame
        ``predictor, general_dominance, share, rank, error_bound, ci_low, ci_high``;
        general dominance (Shapley value of R²) sums to ``r2``; ``share`` in percent;
        ``error_bound`` is 0 when exact, else a 95 % Monte-Carlo bound (1.96 × standard error).
    conditional : DataFrame
        ``predictor, k, contribution``: average R² increment of the predictor over all models
        with ``k`` other predictors (k = 0 … p−1).
    complete : DataFrame
        ``predictor, other, complete, conditional, general``: 1 if ``predictor`` dominates
        ``other`` in that sense, 0 if it is dominated, 0.5 if undetermined (the convention of R
        ``dominanceanalysis::dominanceMatrix``); ``complete`` is NaN when sampled.
    r2 : float
        R² of the full model.
    exact : bool
        True when every subset was evaluated.
    """

    general: pd.DataFrame
    conditional: pd.DataFrame
    complete: pd.DataFrame
    r2: float
    exact: bool


def _subset_r2(R: np.ndarray) -> np.ndarray:
    """R² of every subset of predictors (bit-mask index) for a stack (b, p+1, p+1), target last."""
    b, q, _ = R.shape
    p = q - 1
    out = np.zeros((b, 1 << p))
    Rxx, rxy = R[:, :p, :p], R[:, :p, p]
    for k in range(1, p + 1):
        idx = np.array(list(itertools.combinations(range(p), k)))
        masks = (1 << idx).sum(axis=1)
        for start in range(0, len(idx), 2048):
            sub = idx[start : start + 2048]
            Rs = Rxx[:, sub[:, :, None], sub[:, None, :]]                     # (b, C, k, k)
            r = rxy[:, sub]                                                   # (b, C, k)
            sol = np.linalg.solve(Rs, r[..., None])[..., 0]
            out[:, masks[start : start + 2048]] = (sol * r).sum(axis=-1)
    return out


def _popcount(x: np.ndarray) -> np.ndarray:
    c = np.zeros_like(x)
    y = x.copy()
    while y.any():
        c += y & 1
        y >>= 1
    return c


def _exact_dominance(r2: np.ndarray, p: int):
    """Conditional contributions (b, p, p) [predictor, k] from subset R² (b, 2^p)."""
    masks = np.arange(1 << p)
    size = _popcount(masks)
    b = r2.shape[0]
    cond = np.zeros((b, p, p))
    for j in range(p):
        bit = 1 << j
        S = masks[(masks & bit) == 0]
        inc = r2[:, S | bit] - r2[:, S]
        ks = size[S]
        for k in range(p):
            cond[:, j, k] = inc[:, ks == k].mean(axis=1)
    return cond


def _sampled_dominance(R: np.ndarray, n_perm: int, rng: np.random.Generator):
    """Shapley values by random permutations; increments from a Cholesky factor per permutation."""
    p = R.shape[0] - 1
    incs = np.empty((n_perm, p))
    cond_sum = np.zeros((p, p))
    cond_n = np.zeros((p, p))
    for start in range(0, n_perm, 2000):
        m = min(2000, n_perm - start)
        perms = np.argsort(rng.random((m, p)), axis=1)
        order = np.concatenate([perms, np.full((m, 1), p)], axis=1)
        Rp = R[order[:, :, None], order[:, None, :]]
        Lc = np.linalg.cholesky(Rp)
        step = Lc[:, p, :p] ** 2                      # R² increment of the predictor in position i
        block = np.empty((m, p))
        np.put_along_axis(block, perms, step, axis=1)
        incs[start : start + m] = block
        pos = np.argsort(perms, axis=1)               # position (= k others before it)
        np.add.at(cond_sum, (np.broadcast_to(np.arange(p), (m, p)), pos), block)
        np.add.at(cond_n, (np.broadcast_to(np.arange(p), (m, p)), pos), 1)
    with np.errstate(invalid="ignore"):
        cond = cond_sum / cond_n
    return incs, cond


def _compare(a: np.ndarray, b: np.ndarray) -> float:
    if np.all(a > b):
        return 1.0
    if np.all(a < b):
        return 0.0
    return 0.5


def dominance(
    data: pd.DataFrame,
    target: str,
    predictors: Sequence[str],
    exact_max: int = 15,
    n_permutations: int = 20000,
    n_boot: int = 0,
    ci: float = 0.95,
    random_state: int | np.random.Generator | None = None,
) -> DominanceResult:
    """Dominance analysis: general (Shapley/lmg), conditional and complete dominance of R².

    Parameters
    ----------
    data, target, predictors
        As :func:`key_drivers`.
    exact_max : int
        Up to this many predictors every one of the 2^p subsets is evaluated (exact);
        beyond it, ``n_permutations`` random orderings estimate the Shapley values.
    n_permutations : int
        Orderings drawn when sampling; the error bound shrinks as 1/sqrt(n_permutations).
    n_boot : int
        Bootstrap resamples for percentile intervals of general dominance (0: none); exact
        mode only (a warning says so when sampling).
    ci : float
        Interval coverage.
    random_state : int or Generator, optional
        Seed for permutations and bootstrap.

    Returns
    -------
    DominanceResult
        ``general``, ``conditional``, ``complete`` frames, ``r2`` and ``exact``.

    Examples
    --------
    >>> import pandas as pd
    >>> from csworkbench.config import RAW_DIR
    >>> att = pd.read_csv(RAW_DIR / "drivers" / "attitude.csv")
    >>> res = dominance(att, "rating", ["complaints", "learning", "raises"])
    >>> round(res.general["general_dominance"].sum(), 6) == round(res.r2, 6)
    True
    """
    _check_boot(n_boot, ci)
    if not (isinstance(exact_max, (int, np.integer)) and 1 <= exact_max <= 20):
        raise ModelError(f"exact_max must be an integer between 1 and 20; got {exact_max!r}")
    if not (isinstance(n_permutations, (int, np.integer)) and n_permutations >= 100):
        raise ModelError(f"n_permutations must be an integer ≥ 100; got {n_permutations!r}")
    frame = _frame(data, target, predictors)
    predictors = list(frame.columns[1:])
    p = len(predictors)
    R = _corr(frame)
    r2_full = float(R[:-1, -1] @ np.linalg.solve(R[:-1, :-1], R[:-1, -1]))
    rng = np.random.default_rng(random_state)
    exact = p <= exact_max
    if exact:
        sub = _subset_r2(R[None])
        cond = _exact_dominance(sub, p)[0]
        gen = cond.mean(axis=1)
        bound = np.zeros(p)
    else:
        incs, cond = _sampled_dominance(R, n_permutations, rng)
        gen = incs.mean(axis=0)
        bound = 1.96 * incs.std(axis=0, ddof=1) / math.sqrt(n_permutations)
        sub = None
    general = pd.DataFrame({
        "predictor": predictors, "general_dominance": gen, "share": gen / r2_full * 100,
        "rank": pd.Series(gen).rank(ascending=False, method="min").astype(int).to_numpy(),
        "error_bound": bound,
    })
    if n_boot and exact:
        q = [(1 - ci) / 2, 1 - (1 - ci) / 2]
        draws = []
        for Rb in _boot_corr(frame, n_boot, rng, chunk=max(1, 200_000 // (1 << p))):
            ok = np.isfinite(Rb).all(axis=(1, 2))
            draws.append(_exact_dominance(_subset_r2(Rb[ok]), p).mean(axis=2))
        D = np.concatenate(draws)
        general["ci_low"], general["ci_high"] = np.quantile(D, q, axis=0)
    else:
        if n_boot:
            warnings.warn(
                f"{p} predictors exceed exact_max={exact_max}: general dominance is sampled and has an "
                "error bound but no bootstrap intervals (ci_low/ci_high left NaN)",
                CSWWarning,
                stacklevel=2,
            )
        general["ci_low"] = general["ci_high"] = np.nan
    conditional = pd.DataFrame(
        [(predictors[j], k, cond[j, k]) for j in range(p) for k in range(p)],
        columns=["predictor", "k", "contribution"],
    )
    rows = []
    masks = np.arange(1 << p) if exact else None
    for i in range(p):
        for j in range(p):
            if i == j:
                continue
            if exact:
                bi, bj = 1 << i, 1 << j
                S = masks[(masks & (bi | bj)) == 0]
                comp = _compare(sub[0, S | bi], sub[0, S | bj])
            else:
                comp = np.nan
            rows.append((predictors[i], predictors[j], comp, _compare(cond[i], cond[j]), _compare(gen[i:i + 1], gen[j:j + 1])))
    complete = pd.DataFrame(rows, columns=["predictor", "other", "complete", "conditional", "general"])
    general.attrs.update(r2=r2_full, n=len(frame), exact=exact, target=target)
    return DominanceResult(general, conditional, complete, r2_full, exact)


# --------------------------------------------------------------------------------------
# helpers for survey blocks and figures
# --------------------------------------------------------------------------------------
def composite_scores(data: pd.DataFrame, blocks: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """Mean of each block's items per respondent (a row missing an item stays NaN).

    >>> import pandas as pd
    >>> composite_scores(pd.DataFrame({"a1": [1, 2], "a2": [3, None]}), {"A": ["a1", "a2"]})["A"].tolist()
    [2.0, nan]
    """
    if not isinstance(data, pd.DataFrame):
        raise DataError(f"data must be a pandas DataFrame; got {type(data).__name__}")
    out = {}
    for name, cols in blocks.items():
        cols = [cols] if isinstance(cols, str) else list(cols)
        if not cols:
            raise ModelError(f"block {name!r} has no items")
        for c in cols:
            if c not in data.columns:
                raise DataError("column not in the data", column=c)
        out[name] = data[cols].apply(pd.to_numeric, errors="raise").mean(axis=1, skipna=False)
    return pd.DataFrame(out, index=data.index)


def label_columns(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A copy of a drivers/PLS result table with its column names translated (``drivers.col.*``).

    Columns without a label keep their name; values are untouched.

    >>> import pandas as pd
    >>> list(label_columns(pd.DataFrame({"predictor": ["a"], "vif": [1.2], "x": [0]}), "en").columns)
    ['Driver', 'VIF', 'x']
    """
    from .i18n import all_keys, check_language, t

    check_language(lang)
    known = set(all_keys())
    mapping = {c: t(f"drivers.col.{c}", lang) for c in frame.columns if f"drivers.col.{c}" in known}
    return frame.rename(columns=mapping)


def plot_importance(
    frame: pd.DataFrame,
    value: str | None = None,
    lang: str = "zh",
    title: str | None = None,
    labels: Mapping[str, str] | None = None,
):
    """Horizontal bar chart of driver importance with interval whiskers (plotly figure).

    Percentile intervals need not contain the estimate, so this does not use
    :func:`csworkbench.plots.bar_with_ci` (which rejects such rows); it uses the shared theme.
    Works on :func:`relative_weights` (``value="rescaled"``, default) and on
    ``dominance(...).general`` (``value="share"``) and :func:`key_drivers`
    (``value="estimate"``).

    >>> import pandas as pd
    >>> f = pd.DataFrame({"predictor": ["a", "b"], "rescaled": [60.0, 40.0],
    ...                   "rescaled_ci_low": [50, 30], "rescaled_ci_high": [70, 50]})
    >>> list(plot_importance(f, lang="en").data[0].y)
    ['b', 'a']
    """
    import plotly.graph_objects as go

    from . import plots
    from .i18n import t

    if value is None:
        value = next((v for v in ("rescaled", "share", "estimate") if v in frame.columns), None)
    if value is None or value not in frame.columns:
        raise ModelError(f"column {value!r} not in the importance table; columns are {list(frame.columns)}")
    lo_col, hi_col = {
        "rescaled": ("rescaled_ci_low", "rescaled_ci_high"),
        "raw_weight": ("ci_low", "ci_high"),
        "estimate": ("ci_low", "ci_high"),
        "general_dominance": ("ci_low", "ci_high"),
    }.get(value, (None, None))
    f = frame.sort_values(value)
    vals = f[value].to_numpy(float)
    if value == "share" and "ci_low" in f and f["ci_low"].notna().any():
        scale = 100 / frame.attrs.get("r2", np.nan)
        lo, hi = f["ci_low"].to_numpy(float) * scale, f["ci_high"].to_numpy(float) * scale
    elif lo_col and lo_col in f and f[lo_col].notna().any():
        lo, hi = f[lo_col].to_numpy(float), f[hi_col].to_numpy(float)
    else:
        lo = hi = None
    names = [labels.get(p, p) if labels else p for p in f["predictor"]]
    err = None
    if lo is not None:
        err = dict(type="data", symmetric=False, array=hi - vals, arrayminus=vals - lo, color="#444")
    fig = go.Figure(layout={"template": plots.plotly_template()})
    fig.add_trace(go.Bar(
        x=vals, y=names, orientation="h", error_x=err, marker_color=plots.COLORS[0],
        hovertemplate="%{y}: %{x:.3f}<extra></extra>",
    ))
    axis_key = {"rescaled": "drivers.relative_weight_pct", "share": "drivers.shapley_share_pct",
                "estimate": "drivers.beta", "raw_weight": "drivers.relative_weight",
                "general_dominance": "drivers.general_dominance"}.get(value, "drivers.importance")
    fig.update_layout(
        title=title if title is not None else t("drivers.importance_title", lang),
        xaxis_title=t(axis_key, lang), height=max(300, 60 + 40 * len(f)),
        margin=dict(l=140, r=20, t=60, b=50),
    )
    return fig


def driver_explorer(
    data: pd.DataFrame,
    targets: Sequence[str],
    predictors: Sequence[str],
    lang: str = "zh",
    n_boot: int = 0,
    random_state: int | None = None,
):
    """An ipywidgets panel for JupyterLab: pick the target and the method, see the driver chart.

    Methods: relative weights, Shapley value (general dominance) and standardised regression
    coefficients; the predictors are ``predictors`` minus the chosen target.  Returns the
    widget (display it as the last expression of a cell); nothing is computed until shown
    choices change, except the first chart.

    >>> import pandas as pd
    >>> from csworkbench.config import RAW_DIR
    >>> att = pd.read_csv(RAW_DIR / "drivers" / "attitude.csv")
    >>> panel = driver_explorer(att, ["rating"], list(att.columns), lang="en")
    >>> [w.description for w in panel.children[0].children]
    ['To', 'Method']
    >>> panel.children[0].children[1].value = "dominance"   # the chart follows the choice
    >>> len(panel.children[1].outputs)
    1
    """
    import ipywidgets as widgets

    from .i18n import check_language, t

    check_language(lang)
    if not list(targets):
        raise ModelError("give at least one target")
    target_w = widgets.Dropdown(options=list(targets), description=t("drivers.col.target", lang))
    method_w = widgets.Dropdown(
        options=[(t("drivers.relative_weight_pct", lang), "relative_weights"),
                 (t("drivers.general_dominance", lang), "dominance"),
                 (t("drivers.beta", lang), "key_drivers")],
        description=t("drivers.method", lang),
    )
    out = widgets.Output()

    def render(*_):
        target = target_w.value
        xs = [c for c in predictors if c != target]
        if method_w.value == "relative_weights":
            table = relative_weights(data, target, xs, n_boot=n_boot, random_state=random_state)
            fig = plot_importance(table, "rescaled", lang)
        elif method_w.value == "dominance":
            fig = plot_importance(dominance(data, target, xs, n_boot=n_boot, random_state=random_state).general, "share", lang)
        else:
            fig = plot_importance(key_drivers(data, target, xs), "estimate", lang)
        out.outputs = ()
        out.append_display_data(fig)

    target_w.observe(render, names="value")
    method_w.observe(render, names="value")
    render()
    return widgets.VBox([widgets.HBox([target_w, method_w]), out])
