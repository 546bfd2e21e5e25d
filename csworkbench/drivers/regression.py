"""Key-driver regression (关键驱动因素回归): :func:`key_drivers` → :class:`KeyDriversResult`, and
:func:`composite_scores` (block means of survey items).

Course concept: the satisfaction research model (顾客满意度研究模型, COURSE.md §2) — which
factors drive overall satisfaction, controlling for the others, so that "the most cost-effective
drivers are improved".  Standardised OLS coefficients (beta weights) with heteroscedasticity-
robust HC3 standard errors and variance inflation factors (statsmodels), or an ordered logit
(statsmodels ``OrderedModel``) when the target is an ordinal rating.

Reference: Long, J. S., Ervin, L. H. (2000) Using heteroscedasticity consistent standard errors
in the linear regression model. *The American Statistician* 54, 217–224; McCullagh, P. (1980)
Regression models for ordinal data. *JRSS B* 42, 109–142.

Examples
--------
>>> from csworkbench.datasets import load_attitude
>>> from csworkbench.drivers import key_drivers
>>> X = ["complaints", "privileges", "learning", "raises", "critical", "advance"]
>>> res = key_drivers(load_attitude(), "rating", X, standardize=False)
>>> round(res.r2, 4), round(float(res.coefficients.loc[0, "estimate"]), 3)
(0.7326, 0.613)
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# statsmodels at import, not per call: a report kernel forked from its notebook's zygote
# (reporting.forkserver) then has it — 0.33 s saved in every satisfaction_drivers report
import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.outliers_influence import variance_inflation_factor

from ..errors import ConvergenceError, DataError, DataWarning, ModelError, ParameterError
from ..weighting.design import check_weight_type
from .common import check_confidence, weighted_complete_frame

__all__ = ["KeyDriversResult", "key_drivers", "composite_scores"]

METHODS = ("ols", "ordinal")


@dataclass(frozen=True, eq=False)
class KeyDriversResult:
    """Result of :func:`key_drivers`.

    Attributes
    ----------
    coefficients : DataFrame
        ``predictor, estimate, se, ci_low, ci_high, p_value, vif`` (one row per predictor,
        intercept/thresholds left out); intervals at ``confidence``.
    target : str
        The target column.
    method : str
        ``"ols"`` or ``"ordinal"``.
    standardize : bool
        Whether the coefficients are per standard deviation.
    n : int
        Complete rows used.
    r2, r2_adj : float
        R² and adjusted R² (OLS; NaN for the ordered logit).
    pseudo_r2 : float
        McFadden's pseudo R² (ordered logit; NaN for OLS).
    confidence : float
        Coverage of ``ci_low``/``ci_high``.
    """

    coefficients: pd.DataFrame
    target: str
    method: str
    standardize: bool
    n: int
    r2: float
    r2_adj: float
    pseudo_r2: float
    confidence: float

    def summary(self) -> pd.DataFrame:
        """The coefficient table (a copy)."""
        return self.coefficients.copy()

    def conf_int(self, confidence: float = 0.95) -> pd.DataFrame:
        """``predictor, estimate, ci_low, ci_high`` at ``confidence``: estimate ± z·se (normal, as
        statsmodels with a robust covariance and for the ordered logit)."""
        check_confidence(confidence)
        z = stats.norm.ppf(0.5 + confidence / 2)
        out = self.coefficients[["predictor", "estimate"]].copy()
        out["ci_low"] = out["estimate"] - z * self.coefficients["se"]
        out["ci_high"] = out["estimate"] + z * self.coefficients["se"]
        return out


def key_drivers(
    data: pd.DataFrame,
    target: str,
    predictors: Sequence[str],
    *,
    method: str = "ols",
    standardize: bool = True,
    confidence: float = 0.95,
    weights: str | None = None,
    weight_type: str = "sampling",
) -> KeyDriversResult:
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
    confidence : float
        Coverage of the confidence intervals.
    weights : str, optional
        Column of case weights.  OLS: weighted least squares, with weighted means and SDs
        for the standardisation.  Ordered logit: the weighted (pseudo-)likelihood ``Σ wᵢ log Lᵢ``
        (frequency weights: the model-based SE of the expanded data; sampling weights: the
        linearised sandwich ``H⁻¹ Σ wᵢ² sᵢsᵢ' H⁻¹ · n/(n−1)`` as R ``svyolr``).  OLS with sampling weights:  ``weight_type="sampling"`` gives the design-based (Taylor
        linearisation, with-replacement) sandwich SE ``(X'WX)⁻¹ Σ wᵢ² eᵢ² xᵢxᵢ' (X'WX)⁻¹ · n/(n−1)``
        as R ``survey::svyglm``; ``"frequency"`` the HC3 SE of the weighted fit (unit weights give
        the unweighted results).  Unusable weights are listed and their rows left out.
    weight_type : {"sampling", "frequency"}

    Returns
    -------
    KeyDriversResult
    """

    if method not in METHODS:
        raise ParameterError(f"method must be one of {', '.join(METHODS)}; got {method!r}")
    check_confidence(confidence)
    check_weight_type(weight_type)
    frame, w = weighted_complete_frame(data, target, predictors, weights)
    predictors = list(frame.columns[1:])
    X = frame[predictors]
    y = frame[target]
    if standardize:
        X = (X - _mean(X, w)) / _sd(X, w, weight_type)
    Xc = sm.add_constant(X, has_constant="add")
    vif = [variance_inflation_factor(Xc.to_numpy(), i) for i in range(1, Xc.shape[1])] if len(predictors) > 1 else [1.0]
    if method == "ols":
        yy = (y - _mean(y, w)) / _sd(y, w, weight_type) if standardize else y
        res = _ols(yy, Xc, w, weight_type)
        lo, hi = res.conf_int(alpha=1 - confidence).loc[predictors].T.to_numpy()
        fit = {"r2": float(res.rsquared), "r2_adj": float(res.rsquared_adj), "pseudo_r2": np.nan}
    else:
        res = _ordered_logit(y, X, target) if w is None else _weighted_ordered_logit(y, X, target, w, weight_type)
        z = stats.norm.ppf(0.5 + confidence / 2)
        lo = res.params[predictors] - z * res.bse[predictors]
        hi = res.params[predictors] + z * res.bse[predictors]
        fit = {"r2": np.nan, "r2_adj": np.nan, "pseudo_r2": float(res.prsquared)}
    table = pd.DataFrame(
        {
            "predictor": predictors,
            "estimate": np.asarray(res.params[predictors], float),
            "se": np.asarray(res.bse[predictors], float),
            "ci_low": np.asarray(lo, float),
            "ci_high": np.asarray(hi, float),
            "p_value": np.asarray(res.pvalues[predictors], float),
            "vif": np.asarray(vif, float),
        }
    )
    return KeyDriversResult(table, target, method, bool(standardize), len(frame), confidence=float(confidence), **fit)


def _mean(x, w):
    return x.mean() if w is None else (x.mul(w, axis=0).sum() / w.sum())


def _sd(x, w, weight_type="sampling"):
    """SD with ddof 1; weighted: √(Σw(x − x̄)² / Σw · n/(n − 1)) for sampling weights, √(Σw(x − x̄)² /
    (Σw − 1)) for frequency weights (the SD of the expanded data); both the plain SD for unit weights."""
    if w is None:
        return x.std(ddof=1)
    n = len(w)
    ss = ((x - _mean(x, w)) ** 2).mul(w, axis=0).sum()
    return np.sqrt(ss / (w.sum() - 1) if weight_type == "frequency" else ss / w.sum() * n / (n - 1))


def _ols(y, Xc, w, weight_type):
    """OLS with HC3 SEs; with weights WLS (frequency: HC3; sampling: linearised sandwich as svyglm)."""
    if w is None:
        return sm.OLS(y, Xc).fit(cov_type="HC3")
    if weight_type == "frequency":
        return sm.WLS(y, Xc, weights=w).fit(cov_type="HC3")
    n = len(w)
    fit = sm.WLS(y, Xc, weights=w).fit()
    X = Xc.to_numpy(dtype=float)
    bread = np.linalg.inv(X.T @ (X * w[:, None]))
    score = X * (w * fit.resid.to_numpy())[:, None]
    score -= score.mean(axis=0)  # with-replacement linearisation: deviations of the PSU (respondent) scores
    cov = bread @ (score.T @ score) @ bread * n / (n - 1)
    return _with_cov(fit, cov)


def _with_cov(fit, cov):
    """The WLS fit with the given parameter covariance (statsmodels computes SE, z and p from it)."""
    from statsmodels.regression.linear_model import RegressionResults, RegressionResultsWrapper

    out = RegressionResults(fit.model, fit.params.to_numpy(), normalized_cov_params=cov)
    out.normalized_cov_params = cov / out.scale  # statsmodels multiplies by its residual scale
    out.cov_type = "design (linearisation)"
    out.use_t = False
    return RegressionResultsWrapper(out)


def _weighted_ordered_logit(y: pd.Series, X: pd.DataFrame, target: str, w: np.ndarray, weight_type: str):
    """Ordered logit maximising the weighted log-likelihood; SEs by weight type (see key_drivers)."""
    from types import SimpleNamespace

    from statsmodels.miscmodels.ordinal_model import OrderedModel

    class WeightedOrderedModel(OrderedModel):
        case_weights = np.ones(1)

        def loglike(self, params):
            return float((self.case_weights * self.loglikeobs(params)).sum())

        @property
        def start_params(self):  # the weighted null model's thresholds
            freq = np.bincount(self.endog, weights=self.case_weights) / self.case_weights.sum()
            start = self.transform_reverse_threshold_params(self.distr.ppf(np.clip(freq.cumsum(), 0, 1)))
            return np.concatenate((np.zeros(self.k_vars), start))

    cw = w if weight_type == "frequency" else w / w.mean()
    WeightedOrderedModel.case_weights = cw
    res = _ordered_logit(y, X, target, model_class=WeightedOrderedModel)
    if weight_type == "frequency":
        return res
    n = len(w)
    params = res.params.to_numpy()
    bread = np.linalg.inv(-res.model.hessian(params))
    score = res.model.score_obs(params) * cw[:, None]
    cov = bread @ (score.T @ score) @ bread * n / (n - 1)
    bse = pd.Series(np.sqrt(np.diag(cov)), index=res.params.index)
    pvalues = pd.Series(2 * stats.norm.sf(np.abs(res.params / bse)), index=res.params.index)
    return SimpleNamespace(params=res.params, bse=bse, pvalues=pvalues, prsquared=res.prsquared)


def _ordered_logit(y: pd.Series, X: pd.DataFrame, target: str, model_class=None):
    """Fitted statsmodels ordered logit of ``y`` on ``X`` (no constant: the thresholds take it)."""
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    model_class = model_class or OrderedModel
    levels = np.sort(y.unique())
    if levels.size < 2:
        raise ModelError(f"the target {target!r} has one level only")
    if levels.size > 15:
        warnings.warn(
            f"target {target!r} has {levels.size} levels; an ordered logit estimates {levels.size - 1} thresholds",
            DataWarning,
            stacklevel=3,
        )
    yo = pd.Series(pd.Categorical(y, categories=levels, ordered=True), index=y.index)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = model_class(yo, X, distr="logit").fit(method="bfgs", disp=False, maxiter=2000)
    if not res.mle_retvals.get("converged", True):
        raise ConvergenceError(f"the ordered logit of {target!r} did not converge in 2000 iterations")
    return res


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
            raise ParameterError(f"block {name!r} has no items")
        for c in cols:
            if c not in data.columns:
                raise DataError("column not in the data", column=c)
        out[name] = data[cols].apply(pd.to_numeric, errors="raise").mean(axis=1, skipna=False)
    return pd.DataFrame(out, index=data.index)
