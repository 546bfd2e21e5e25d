"""Effect sizes and predictive relevance of a PLS path model (效应量与预测相关性): f², Q² by
blindfolding and PLSpredict.

Course concept: judging the structural model of the satisfaction research model (顾客满意度研究模型,
COURSE.md §2) beyond R² — how much each driver adds (f²), and whether the model predicts answers
it has not seen (Q², out-of-sample RMSE/MAE against a linear benchmark).

* :func:`f2_table` — ``f² = (R²_incl − R²_excl) / (1 − R²_incl)``, the model re-estimated without
  the path (as seminr's ``fSquared`` and SmartPLS); a construct left without any path is dropped.
* :func:`blindfolding` — Stone–Geisser Q² (cross-validated redundancy, Hair et al. 2017 ch. 6):
  for each endogenous construct, the data points of its block are numbered down each indicator
  column in turn (so no round omits a whole column) and every ``omission_distance``-th point is
  left out per round (replaced by the mean of the column's remaining values),
  the model is re-estimated, and the omitted values are predicted as ``loading × Σ β·(predecessor
  scores)``.  Everything is in units of the indicators standardised on the full sample:
  ``SSO = Σ z²``, ``SSE = Σ (z − ẑ)²``, ``Q² = 1 − SSE/SSO`` over the omitted points.
* :func:`pls_predict` — PLSpredict (Shmueli et al. 2016): k-fold cross-validation; in each fold
  the model is estimated on the training part, the exogenous scores of the held-out cases
  (weights and standardisation of the training part) predict the endogenous scores through the
  total effects (earliest antecedents), and ``loading × score`` the indicators.  Benchmark
  ``LM``: OLS of each endogenous indicator on all indicators of the exogenous constructs.

Reference: Cohen, J. (1988) *Statistical power analysis*, 2nd ed.; Hair, J. F. et al. (2017) *A
Primer on PLS-SEM*, 2nd ed., ch. 6; Shmueli, G. et al. (2016) The elephant in the room:
predictive performance of PLS models. *J. Business Research* 69, 4552–4564; Shmueli, G. et al.
(2019) Predictive model assessment in PLS-SEM. *Eur. J. Marketing* 53, 2322–2347.

Examples
--------
>>> from csworkbench.datasets import load_ecsi
>>> from csworkbench.pls import PLSPM, ecsi_model
>>> model = PLSPM(**ecsi_model(), scaled=False).fit(load_ecsi())
>>> q2 = model.blindfolding()
>>> list(q2.columns), bool((q2["q2"] > 0).all())
(['construct', 'sso', 'sse', 'q2'], True)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ConvergenceError, ParameterError
from ..estimators import Estimator
from .algorithm import estimates
from .quality import endogenous

__all__ = ["f2_table", "blindfolding", "pls_predict"]


def _estimate(model: Estimator, A: np.ndarray, cols: np.ndarray, mask: np.ndarray, modes, adj):
    """Fit on the raw rows ``A`` (n × all indicators) restricted to ``cols``: (mean, sd, W of the
    model's metric, estimates).  Raises ConvergenceError as ``fit`` does."""
    X = A[:, cols]
    mean, sd = X.mean(axis=0), X.std(axis=0)
    Xt = (X - mean) / sd if model.scaled else X - mean
    S = (Xt.T @ Xt / len(X))[None]
    e = estimates(S, mask, modes, adj, model.scheme, model.tol, model.max_iter)
    if not e["converged"][0]:
        raise ConvergenceError(f"a re-estimation did not converge in {model.max_iter} iterations")
    return mean, sd, {k: v[0] for k, v in e.items()}


def _scores(model: Estimator, X: np.ndarray, mean: np.ndarray, sd: np.ndarray, W: np.ndarray) -> np.ndarray:
    Xt = (X - mean) / sd if model.scaled else X - mean
    return Xt @ W


def f2_table(model: Estimator) -> pd.DataFrame:
    """``source, target, f2`` for every path of a fitted model (re-estimated without the path)."""
    st = model._st
    A = model._X.to_numpy()
    rows = []
    for k in endogenous(st):
        r2_in = float(model.r2_[st.names[k]])
        for j in np.flatnonzero(st.adj[:, k]):
            adj = st.adj.copy()
            adj[j, k] = 0
            keep = np.flatnonzero(adj.sum(axis=0) + adj.sum(axis=1) > 0)
            if not st.adj[:, k].sum() - 1:
                r2_out = 0.0
            else:
                cols = np.flatnonzero(st.mask[:, keep].any(axis=1))
                sub_mask = st.mask[np.ix_(cols, keep)]
                modes = [st.modes[i] for i in keep]
                _, _, e = _estimate(model, A, cols, sub_mask, modes, adj[np.ix_(keep, keep)])
                r2_out = float(e["r2"][int(np.flatnonzero(keep == k)[0])])
            rows.append((st.names[j], st.names[k], (r2_in - r2_out) / (1 - r2_in)))
    order = {(s, t): i for i, (s, t) in enumerate(zip(model.paths_["source"], model.paths_["target"]))}
    rows.sort(key=lambda r: order[(r[0], r[1])])
    return pd.DataFrame(rows, columns=["source", "target", "f2"])


def blindfolding(model: Estimator, *, omission_distance: int = 7) -> pd.DataFrame:
    """Stone–Geisser Q² (cross-validated redundancy) of every endogenous construct.

    Parameters
    ----------
    model : PLSPM
        A fitted model.
    omission_distance : int
        D: every D-th data point of the block is left out per round (D rounds); 5–10 is usual,
        and D should not divide the number of cases.

    Returns
    -------
    DataFrame
        ``construct, sso, sse, q2`` (Q² > 0: predictive relevance; 0.02/0.15/0.35 small/medium/large
        as Hair et al. 2017 for the effect size q²).
    """
    model.check_fitted("paths_")
    n = model.n_obs_
    if not (isinstance(omission_distance, (int, np.integer)) and 2 <= omission_distance < n):
        raise ParameterError(f"omission_distance must be an integer between 2 and n − 1; got {omission_distance!r}")
    st = model._st
    A = model._X.to_numpy()
    mean_full, sd_full = A.mean(axis=0), A.std(axis=0)
    all_cols = np.arange(A.shape[1])
    rows = []
    for k in endogenous(st):
        block = np.flatnonzero(st.mask[:, k])
        pred = np.flatnonzero(st.adj[:, k])
        order = (np.arange(n)[:, None] + n * np.arange(block.size)[None, :]) % omission_distance
        sse = sso = 0.0
        for d in range(omission_distance):
            omit = order == d  # (n, block)
            if not omit.any():
                continue
            Ad = A.copy()
            for c_local, c in enumerate(block):
                keep = ~omit[:, c_local]
                Ad[omit[:, c_local], c] = A[keep, c].mean()
            mean, sd, e = _estimate(model, Ad, all_cols, st.mask, st.modes, st.adj)
            Y = _scores(model, Ad, mean, sd, e["W"])
            y_hat = Y[:, pred] @ e["paths"][pred, k]
            loading = e["cross"][block, k]
            x_hat = mean[block] + sd[block] * np.outer(y_hat, loading)  # raw units
            z_hat = (x_hat - mean_full[block]) / sd_full[block]
            z = (A[:, block] - mean_full[block]) / sd_full[block]
            sse += float(((z - z_hat)[omit] ** 2).sum())
            sso += float((z[omit] ** 2).sum())
        rows.append((st.names[k], sso, sse, 1 - sse / sso))
    return pd.DataFrame(rows, columns=["construct", "sso", "sse", "q2"])


def pls_predict(
    model: Estimator,
    *,
    k: int = 10,
    n_repeats: int = 10,
    random_state: int | np.random.Generator | None = 0,
) -> pd.DataFrame:
    """PLSpredict: out-of-sample prediction errors of the endogenous indicators, PLS vs LM.

    Parameters
    ----------
    model : PLSPM
        A fitted model (its specification and data are re-used; the model is not changed).
    k : int
        Folds (``k = n`` is leave-one-out).
    n_repeats : int
        Repetitions with fresh fold assignments; the errors are pooled over all of them.
    random_state : int, Generator or None
        Seed of the fold assignment.

    Returns
    -------
    DataFrame
        ``indicator, construct, rmse_pls, mae_pls, rmse_lm, mae_lm, q2_predict`` (indicator
        units); ``q2_predict = 1 − SSE_PLS / SSE`` of the training-mean prediction.  PLS
        predicts well where ``rmse_pls`` < ``rmse_lm`` for most indicators (Shmueli et al. 2019).
    """
    model.check_fitted("paths_")
    n = model.n_obs_
    if not (isinstance(k, (int, np.integer)) and 2 <= k <= n):
        raise ParameterError(f"k must be an integer between 2 and the number of cases ({n}); got {k!r}")
    if not (isinstance(n_repeats, (int, np.integer)) and n_repeats >= 1):
        raise ParameterError(f"n_repeats must be a positive integer; got {n_repeats!r}")
    st = model._st
    A = model._X.to_numpy()
    rng = np.random.default_rng(random_state)
    endo = endogenous(st)
    exo = [j for j in range(len(st.names)) if j not in endo]
    y_cols = np.flatnonzero(st.mask[:, endo].any(axis=1))
    x_cols = np.flatnonzero(st.mask[:, exo].any(axis=1))
    y_of = st.mask[y_cols].argmax(axis=1)
    all_cols = np.arange(A.shape[1])
    err_pls, err_lm, err_mean = [], [], []
    for _ in range(n_repeats):
        fold = rng.permutation(np.arange(n) % k)
        for f in range(k):
            test, train = fold == f, fold != f
            mean, sd, e = _estimate(model, A[train], all_cols, st.mask, st.modes, st.adj)
            xi = _scores(model, A[test], mean, sd, e["W"])[:, exo]
            eta = xi @ e["total"][np.ix_(exo, y_of)]  # (test, endogenous indicators)
            load = e["cross"][y_cols, y_of]
            err_pls.append(A[test][:, y_cols] - (mean[y_cols] + sd[y_cols] * eta * load))
            Xtr = np.column_stack([np.ones(train.sum()), A[train][:, x_cols]])
            beta = np.linalg.lstsq(Xtr, A[train][:, y_cols], rcond=None)[0]
            Xte = np.column_stack([np.ones(test.sum()), A[test][:, x_cols]])
            err_lm.append(A[test][:, y_cols] - Xte @ beta)
            err_mean.append(A[test][:, y_cols] - mean[y_cols])
    E_pls, E_lm, E_mean = (np.concatenate(x, axis=0) for x in (err_pls, err_lm, err_mean))
    return pd.DataFrame(
        {
            "indicator": [st.indicators[c] for c in y_cols],
            "construct": [st.names[j] for j in y_of],
            "rmse_pls": np.sqrt((E_pls**2).mean(axis=0)),
            "mae_pls": np.abs(E_pls).mean(axis=0),
            "rmse_lm": np.sqrt((E_lm**2).mean(axis=0)),
            "mae_lm": np.abs(E_lm).mean(axis=0),
            "q2_predict": 1 - (E_pls**2).sum(axis=0) / (E_mean**2).sum(axis=0),
        }
    )
