"""The batched PLS-PM algorithm (偏最小二乘路径模型算法): Lohmöller's iteration on a stack of
covariance matrices.

Course concept: estimating the satisfaction research model (顾客满意度研究模型, COURSE.md §2)
with latent variables.  Every estimate of a PLS path model is a function of the indicators'
covariance matrix, so one fit is a stack of one matrix and a bootstrap a stack of thousands,
estimated together (:mod:`csworkbench.pls.bootstrap`).

Conventions as R ``plspm`` (Sanchez, Trinchera & Russolillo; ``get_weights.R``,
``get_path_scheme.R``, ``get_scores.r``, ``get_paths.R`` of gastonstat/plspm):

* Start: unit weights, each latent variable (LV) scaled to unit population variance.  Inner
  weights: centroid ``sign(cor)``, factorial ``cor``, or path (regression on predecessors,
  correlation with successors).  Mode A: ``w = X'Z / n``; Mode B: OLS of ``Z`` on the block.
* Convergence as seminr (``simplePLS``, ``stopCriterion = 7``): when the sum of the absolute
  changes of the *normalised* outer weights (each LV of unit variance, weights in units of the
  standardised indicators) falls below ``tol`` (default ``1e-7`` in :class:`~csworkbench.pls.PLSPM`).
  R plspm instead stops when ``sum((|w_old| - |w_new|)^2) < 1e-6`` on the un-normalised weights: a
  sum of *squares* below 1e-6 lets each weight still move by about 1e-3 per iteration, so plspm's
  and (before this rule) our mobi weights stopped up to 2e-4 (ECSI 7e-7) short of the fixed point
  that seminr reaches.  The ECSI figures of plspm are reproduced to 1e-6 either way.  The final
  weights are rescaled so every LV score has unit population variance; the rule is unit-free, so
  with ``scaled=False`` the stopping point does not depend on the unit of the data.
* Sign: a block whose indicators mostly correlate negatively with its score is flipped (as
  ``get_scores``); the weights are flipped with the scores, so weights, scores and loadings agree.
* Paths: OLS of each endogenous LV on its predecessors; loadings ``cor(X, LV)``; total effects
  ``(I - B)^-1 - I``.

Reference: Lohmöller, J.-B. (1989) *Latent variable path modeling with partial least squares*.
Physica; Sanchez, G. (2013) *PLS Path Modeling with R*. Trowchez Editions.

Examples
--------
>>> import numpy as np
>>> from csworkbench.pls.algorithm import estimates
>>> rng = np.random.default_rng(0)
>>> x = rng.standard_normal((500, 1))
>>> X = np.hstack([x + 0.5 * rng.standard_normal((500, 2)), 0.6 * x + 0.5 * rng.standard_normal((500, 2))])
>>> S = np.cov(X, rowvar=False, ddof=0)[None]
>>> mask = np.array([[1, 0], [1, 0], [0, 1], [0, 1]], dtype=bool)
>>> adj = np.array([[0, 1], [0, 0]])
>>> est = estimates(S, mask, ["A", "A"], adj, "centroid", 1e-6, 100)
>>> bool(est["converged"][0]), bool(0 < est["r2"][0, 1] < 1)
(True, True)
"""

from __future__ import annotations

import numpy as np

__all__ = ["estimates", "standardise_cov", "solve"]


def standardise_cov(S: np.ndarray) -> np.ndarray:
    d = np.sqrt(np.einsum("bii->bi", S))
    return S / (d[:, :, None] * d[:, None, :])


def solve(A: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Batched ``solve(A, b)`` for b of shape (..., k); a singular resample falls back to pinv."""
    try:
        return np.linalg.solve(A, b[..., None])[..., 0]
    except np.linalg.LinAlgError:
        return (np.linalg.pinv(A) @ b[..., None])[..., 0]


def _lv_cov(S: np.ndarray, W: np.ndarray) -> np.ndarray:
    return np.swapaxes(W, 1, 2) @ S @ W


def _inner_weights(R: np.ndarray, adj: np.ndarray, scheme: str) -> np.ndarray:
    """Inner weights E (b, L, L): Z[:, k] = sum_j Y[:, j] E[j, k] (R's convention)."""
    sym = (adj + adj.T) > 0
    if scheme == "centroid":
        return np.sign(R) * sym
    if scheme == "factorial":
        return R * sym
    E = np.zeros_like(R)
    L = adj.shape[0]
    for k in range(L):
        pred = np.flatnonzero(adj[:, k])
        succ = np.flatnonzero(adj[k, :])
        if pred.size:
            Rpp = R[:, pred[:, None], pred[None, :]]
            rpk = R[:, pred, k]
            E[:, pred, k] = solve(Rpp, rpk)
        if succ.size:
            E[:, succ, k] = R[:, k, succ]
    return E


def _normalised(S: np.ndarray, W: np.ndarray, sdx: np.ndarray) -> np.ndarray:
    """Outer weights (b, p) of unit-variance LVs on standardised indicators (seminr's metric)."""
    sd = np.sqrt(np.einsum("bll->bl", _lv_cov(S, W)))
    return (W / sd[:, None, :]).sum(axis=2) * sdx


def _lohmoller(S, mask, modes, adj, scheme, tol, max_iter):
    """Outer weights for each covariance matrix in ``S`` (b, p, p).

    Returns W (b, p, L) scaled to unit LV variance, iterations (b,), last change (b,),
    converged (b,) bool.
    """
    b = S.shape[0]
    # Iterate in units where the mean indicator variance is 1 (numerically tidy for data in any
    # unit; the stopping rule is unit-free anyway, on weights of standardised indicators).  The
    # final rescaling below uses the original S, so weights come out in the data's units.
    S_orig = S
    S = S / np.einsum("bii->b", S)[:, None, None] * S.shape[1]
    maskf = mask.astype(float)
    W = np.broadcast_to(maskf, (b,) + mask.shape).copy()
    W /= np.sqrt(np.einsum("bll->bl", _lv_cov(S, W)))[:, None, :]
    sdx = np.sqrt(np.einsum("bii->bi", S))
    w_old = _normalised(S, W, sdx)
    active = np.ones(b, dtype=bool)
    iters = np.zeros(b, dtype=int)
    change = np.full(b, np.inf)
    b_blocks = [np.flatnonzero(mask[:, j]) for j in range(mask.shape[1]) if modes[j] == "B"]
    b_index = [j for j in range(mask.shape[1]) if modes[j] == "B"]
    for it in range(1, max_iter + 1):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        Sa = S[idx]
        Wa = W[idx]
        C = _lv_cov(Sa, Wa)
        sd = np.sqrt(np.einsum("bll->bl", C))
        Wn = Wa / sd[:, None, :]
        R = C / (sd[:, :, None] * sd[:, None, :])
        E = _inner_weights(R, adj, scheme)
        G = Sa @ Wn @ E  # cov(X, Z): (b, p, L)
        Wnew = G * maskf
        for j, rows in zip(b_index, b_blocks):
            Sjj = Sa[:, rows[:, None], rows[None, :]]
            Wnew[:, rows, j] = solve(Sjj, G[:, rows, j])
        w_new = _normalised(Sa, Wnew, sdx[idx])
        dif = np.abs(np.abs(w_old[idx]) - np.abs(w_new)).sum(axis=1)
        W[idx] = Wnew
        w_old[idx] = w_new
        iters[idx] = it
        change[idx] = dif
        active[idx[dif < tol]] = False
    converged = ~active
    W /= np.sqrt(np.einsum("bll->bl", _lv_cov(S_orig, W)))[:, None, :]
    return W, iters, change, converged


def estimates(S, mask, modes, adj, scheme, tol, max_iter):
    """Every estimate of the model for a stack of covariance matrices (batched)."""
    W, iters, change, converged = _lohmoller(S, mask, modes, adj, scheme, tol, max_iter)
    # loadings = cor(X, LV); sign of each block as R's get_scores
    sdx = np.sqrt(np.einsum("bii->bi", S))
    cross = (S @ W) / sdx[:, :, None]  # LVs have unit variance
    sgn = np.sign(np.einsum("bpl,pl->bl", np.sign(cross), mask.astype(float)))
    sgn[sgn == 0] = -1
    W = W * sgn[:, None, :]
    cross = cross * sgn[:, None, :]
    R = _lv_cov(S, W)  # LV correlations (unit variances)
    L = adj.shape[0]
    paths = np.zeros((S.shape[0], L, L))
    r2 = np.full((S.shape[0], L), np.nan)
    for k in range(L):
        pred = np.flatnonzero(adj[:, k])
        if pred.size:
            beta = solve(R[:, pred[:, None], pred[None, :]], R[:, pred, k])
            paths[:, pred, k] = beta
            r2[:, k] = np.einsum("bi,bi->b", beta, R[:, pred, k])
    eye = np.eye(L)
    total = np.linalg.inv(eye - paths) - eye  # I - B is invertible: the inner model is acyclic
    return {
        "W": W,
        "cross": cross,
        "R": R,
        "paths": paths,
        "r2": r2,
        "total": total,
        "iters": iters,
        "change": change,
        "converged": converged,
    }
