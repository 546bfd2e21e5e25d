"""Result tables of a fitted PLS path model (路径模型结果与测量质量): outer model, paths with
standard errors, effects, GoF, reliability (Cronbach's α, Dillon–Goldstein's ρ, AVE), HTMT and
cross-loadings.

Course concept: judging the satisfaction research model (顾客满意度研究模型, COURSE.md §2) —
is each construct measured reliably (信度) and distinctly (区分效度), and how well does the
structural model explain satisfaction and loyalty (拟合优度 GoF)?

Conventions as R ``plspm`` (``get_paths.R``, ``get_gof.R``, ``get_unidim.R``): path standard
errors, t and p as R's ``lm`` on the unit-variance scores; communality = loading²; redundancy =
communality × R²; GoF = sqrt(mean communality of blocks with more than one indicator × mean R²
of endogenous constructs); α and ρ from the standardised block and its first principal component
(NaN for Mode B blocks, where R prints 0).  HTMT as Henseler, Ringle & Sarstedt (2015), a
single-item block counting its monotrait correlation as 1.

Reference: Tenenhaus, M. et al. (2005) PLS path modeling. *CSDA* 48, 159–205; Henseler, J.,
Ringle, C. M., Sarstedt, M. (2015) A new criterion for assessing discriminant validity.
*J. Academy of Marketing Science* 43, 115–135.

Examples
--------
>>> import numpy as np
>>> from csworkbench.pls.quality import htmt_table
>>> corr = np.array([[1, .8, .3, .3], [.8, 1, .3, .3], [.3, .3, 1, .6], [.3, .3, .6, 1]])
>>> mask = np.array([[1, 0], [1, 0], [0, 1], [0, 1]], dtype=bool)
>>> round(float(htmt_table(corr, mask, ["A", "B"])["htmt"].iloc[0]), 4)
0.433
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

__all__ = [
    "outer_table",
    "path_table",
    "effects_table",
    "gof",
    "crossloadings_table",
    "quality_table",
    "htmt_table",
    "htmt_values",
    "fornell_larcker_table",
    "outer_vif_table",
    "inner_vif_table",
]


def outer_table(st, W: np.ndarray, cross: np.ndarray, r2: np.ndarray) -> pd.DataFrame:
    """``indicator, construct, weight, loading, communality, redundancy``."""
    mask = st.mask
    weight = (W * mask).sum(axis=1)
    loading = (cross * mask).sum(axis=1)
    communality = loading**2
    return pd.DataFrame(
        {
            "indicator": st.indicators,
            "construct": [st.names[j] for j in mask.argmax(axis=1)],
            "weight": weight,
            "loading": loading,
            "communality": communality,
            "redundancy": communality * _r2_of(st, r2),
        }
    )


def _r2_of(st, r2: np.ndarray) -> np.ndarray:
    """R² of each indicator's construct (0 for exogenous constructs, as R)."""
    return np.array([0.0 if np.isnan(r2[j]) else r2[j] for j in st.mask.argmax(axis=1)])


def endogenous(st) -> list[int]:
    """Indices of the constructs with at least one path into them."""
    return [k for k in range(len(st.names)) if st.adj[:, k].any()]


def path_table(st, R: np.ndarray, paths: np.ndarray, r2: np.ndarray, n: float) -> pd.DataFrame:
    """``source, target, estimate, se, t, p_value``: OLS on unit-variance scores (R's ``lm``)."""
    names, rows = st.names, []
    for k in endogenous(st):
        pred = np.flatnonzero(st.adj[:, k])
        q = len(pred)
        dfree = n - q - 1
        inv = np.linalg.inv(R[np.ix_(pred, pred)])
        var = (1 - r2[k]) / dfree * np.diag(inv) if dfree > 0 else np.full(q, np.nan)
        for i, j in enumerate(pred):
            est = paths[j, k]
            se = float(np.sqrt(var[i]))
            tval = est / se if se > 0 else np.nan
            rows.append((names[j], names[k], est, se, tval, 2 * stats.t.sf(abs(tval), dfree)))
    rows.sort(key=lambda r: (names.index(r[1]), names.index(r[0])))
    return pd.DataFrame(rows, columns=["source", "target", "estimate", "se", "t", "p_value"])


def effects_table(st, paths: np.ndarray, total: np.ndarray) -> pd.DataFrame:
    """``source, target, direct, indirect, total`` for every pair joined by a directed path."""
    names, L = st.names, len(st.names)
    reach = (np.linalg.matrix_power(np.eye(L) + st.adj, L) > 0) & ~np.eye(L, dtype=bool)
    eff = [
        (names[i], names[j], paths[i, j], total[i, j] - paths[i, j], total[i, j])
        for i in range(L)
        for j in range(L)
        if reach[i, j]
    ]
    return pd.DataFrame(eff, columns=["source", "target", "direct", "indirect", "total"])


def gof(st, communality: np.ndarray, r2: np.ndarray) -> float:
    """Goodness of fit (R: communalities of blocks with more than one indicator)."""
    multi = st.mask.sum(axis=0) > 1
    com_multi = communality[st.mask[:, multi].any(axis=1)]
    if not com_multi.size:
        return np.nan
    return float(np.sqrt(com_multi.mean() * np.mean([r2[k] for k in endogenous(st)])))


def crossloadings_table(st, cross: np.ndarray) -> pd.DataFrame:
    """Correlations of every indicator (rows) with every construct (columns), plus ``construct``."""
    cl = pd.DataFrame(cross, columns=st.names)
    cl.insert(0, "construct", [st.names[j] for j in st.mask.argmax(axis=1)])
    cl.index = pd.Index(st.indicators, name="indicator")
    return cl


def quality_table(
    st, corr: np.ndarray, communality: np.ndarray, r2: np.ndarray, w_std: np.ndarray, loading: np.ndarray, n: int
) -> pd.DataFrame:
    """``construct, mode, n_indicators, cronbach_alpha, rho_a, rho_c, dg_rho, ave, eig_1st, eig_2nd,
    r2, r2_adj, block_communality, mean_redundancy`` from the indicators' correlation matrix
    ``corr``, the outer weights of the standardised indicators ``w_std`` (p × L, unit-variance
    LVs) and the loadings (p,).

    ``rho_a``: Dijkstra & Henseler (2015), ``(w'w)² · w'(R − diag R)w / w'(ww' − diag ww')w``;
    ``rho_c``: composite reliability from the PLS loadings, ``(Σλ)² / ((Σλ)² + Σ(1 − λ²))`` (as
    seminr and SmartPLS); ``dg_rho``: R plspm's Dillon–Goldstein ρ from the first principal
    component.  All three and α are 1 for a single indicator and NaN for Mode B blocks.
    ``r2_adj = 1 − (1 − R²)(n − 1)/(n − k − 1)`` with k predictors.
    """
    rows = []
    r2_of = _r2_of(st, r2)
    endo = {st.names[k] for k in endogenous(st)}
    for j, name in enumerate(st.names):
        rows_j = np.flatnonzero(st.mask[:, j])
        p = rows_j.size
        Cj = corr[np.ix_(rows_j, rows_j)]
        eig, vec = np.linalg.eigh(Cj)
        eig, vec = eig[::-1], vec[:, ::-1]
        if p == 1:
            alpha = rho = rho_a = rho_c = 1.0
        elif st.modes[j] == "B":
            alpha = rho = rho_a = rho_c = np.nan
        else:
            s = Cj[np.tril_indices(p, -1)].sum()
            alpha = max(0.0, (2 * s) / (p + 2 * s) * p / (p - 1))
            lam = vec[:, 0] * np.sqrt(eig[0])
            rho = lam.sum() ** 2 / (lam.sum() ** 2 + p - (lam**2).sum())
            rho_a = _rho_a(w_std[rows_j, j], Cj)
            lam_pls = loading[rows_j]
            rho_c = lam_pls.sum() ** 2 / (lam_pls.sum() ** 2 + (1 - lam_pls**2).sum())
        com = communality[rows_j]
        k = int(st.adj[:, j].sum())
        rows.append(
            {
                "construct": name,
                "mode": st.modes[j],
                "n_indicators": p,
                "cronbach_alpha": alpha,
                "rho_a": rho_a,
                "rho_c": rho_c,
                "dg_rho": rho,
                "ave": com.mean() if st.modes[j] == "A" else np.nan,
                "eig_1st": eig[0],
                "eig_2nd": eig[1] if p > 1 else 0.0,
                "r2": r2[j] if name in endo else np.nan,
                "r2_adj": 1 - (1 - r2[j]) * (n - 1) / (n - k - 1) if name in endo and n - k - 1 > 0 else np.nan,
                "block_communality": com.mean(),
                "mean_redundancy": (com * r2_of[rows_j]).mean(),
            }
        )
    return pd.DataFrame(rows)


def _rho_a(w: np.ndarray, C: np.ndarray) -> float:
    """Dijkstra–Henseler ρA of one block (weights of unit-variance LV on standardised indicators)."""
    ww = float(w @ w)
    off = C - np.diag(np.diag(C))
    denom = ww**2 - float((w**4).sum())
    return ww**2 * float(w @ off @ w) / denom if denom > 0 else np.nan


def htmt_values(corr: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """HTMT of every pair of constructs (a < b, row-major) for a stack of correlation matrices
    (b, p, p): shape (b, pairs).  Absolute correlations (as seminr), so a negatively worded item
    neither cancels nor turns the ratio negative; a single-item block counts its monotrait
    correlation as 1."""
    A = np.abs(corr)
    L = mask.shape[1]
    blocks = [np.flatnonzero(mask[:, j]) for j in range(L)]
    mono = []
    for r in blocks:
        if r.size > 1:
            iu = np.triu_indices(r.size, 1)
            mono.append(A[:, r[:, None], r[None, :]][:, iu[0], iu[1]].mean(axis=1))
        else:
            mono.append(np.ones(A.shape[0]))
    out = [
        A[:, blocks[a][:, None], blocks[b][None, :]].mean(axis=(1, 2)) / np.sqrt(mono[a] * mono[b])
        for a in range(L)
        for b in range(a + 1, L)
    ]
    return np.stack(out, axis=1) if out else np.zeros((A.shape[0], 0))


def htmt_table(corr: np.ndarray, mask: np.ndarray, names: list[str]) -> pd.DataFrame:
    """``construct_1, construct_2, htmt`` (heterotrait–monotrait ratio of absolute indicator
    correlations, Henseler et al. 2015 as seminr) from the indicators' correlation matrix."""
    pairs = [(names[a], names[b]) for a in range(len(names)) for b in range(a + 1, len(names))]
    frame = pd.DataFrame(pairs, columns=["construct_1", "construct_2"])
    frame["htmt"] = htmt_values(corr[None], mask)[0]
    return frame


def fornell_larcker_table(st, R: np.ndarray, ave: np.ndarray) -> pd.DataFrame:
    """Fornell–Larcker matrix (constructs × constructs, as seminr's ``fl_criteria``): √AVE on the
    diagonal, construct correlations below it, NaN above.  Discriminant validity: each diagonal
    value exceeds the correlations in its row and column."""
    L = len(st.names)
    M = np.where(np.tril(np.ones((L, L), dtype=bool), -1), R, np.nan)
    M[np.diag_indices(L)] = np.sqrt(ave)
    return pd.DataFrame(M, index=pd.Index(st.names, name="construct"), columns=st.names)


def _vif(C: np.ndarray) -> np.ndarray:
    if C.shape[0] == 1:
        return np.ones(1)
    return np.diag(np.linalg.pinv(C))


def outer_vif_table(st, corr: np.ndarray) -> pd.DataFrame:
    """``indicator, construct, vif``: each indicator regressed on the other indicators of its
    block (1 for a single indicator), the collinearity check of formative blocks."""
    vif = np.empty(len(st.indicators))
    for j in range(len(st.names)):
        r = np.flatnonzero(st.mask[:, j])
        vif[r] = _vif(corr[np.ix_(r, r)])
    return pd.DataFrame(
        {"indicator": st.indicators, "construct": [st.names[j] for j in st.mask.argmax(axis=1)], "vif": vif}
    )


def inner_vif_table(st, R: np.ndarray) -> pd.DataFrame:
    """``source, target, vif``: each predictor of an endogenous construct regressed on the other
    predictors of that construct (LV correlations ``R``); 1 for a sole predictor (seminr: NA)."""
    rows = []
    for k in endogenous(st):
        pred = np.flatnonzero(st.adj[:, k])
        for j, v in zip(pred, _vif(R[np.ix_(pred, pred)])):
            rows.append((st.names[j], st.names[k], float(v)))
    return pd.DataFrame(rows, columns=["source", "target", "vif"])
