"""PLS path modelling of satisfaction indices (偏最小二乘路径模型 / 顾客满意度指数模型 ECSI, ACSI).

Course concept: the satisfaction research model (顾客满意度研究模型, COURSE.md §2) — which
drivers (image 企业形象, expectations 期望, perceived quality 感知质量, perceived value 感知价值)
raise satisfaction (顾客满意) and, through it, loyalty (顾客忠诚) — estimated as a structural
model with latent variables, and the importance–performance map (IPMA, 重要性-绩效分析) that
links it back to the gap models ("improve the most cost-effective drivers").

Algorithm
---------
Lohmöller's (1989) PLS-PM algorithm exactly as in R ``plspm`` (Sanchez, Trinchera & Russolillo;
``R/get_weights.R``, ``get_path_scheme.R``, ``get_scores.r``, ``get_paths.R``, ``get_gof.R``,
``get_unidim.R`` of gastonstat/plspm), with these conventions mirrored:

* ``scaled=True`` standardises indicators with the population SD (divisor n); ``scaled=False``
  (R's ``scaled = FALSE``) only centres them, so Mode A weights come from covariances.
* Start: unit weights, each latent variable (LV) scaled to unit population variance.  Inner
  weights: centroid ``sign(cor)``, factorial ``cor``, or path (regression on predecessors,
  correlation with successors).  Mode A: ``w = X'Z / n``; Mode B: OLS of ``Z`` on the block.
* Convergence when ``sum((|w_old| - |w_new|)^2) < tol`` on the un-normalised weights; the final
  weights are rescaled so every LV score has unit population variance.  Unlike R, the iteration
  runs on the covariance matrix divided by the mean indicator variance, so with ``scaled=False``
  the stopping point does not depend on the unit of the data (identical to R for standardised
  data; for the ECSI figures the same iterations).
* Sign: a block whose indicators mostly correlate negatively with its score is flipped (as
  ``get_scores``).  R flips only the scores; here the weights are flipped with them, so weights,
  scores and loadings always agree (differs from R only for such blocks).
* Paths: OLS of each endogenous LV on its predecessors (standard errors, t and p as R's ``lm``).
  Loadings are ``cor(X, LV)``; communality = loading²; redundancy = communality × R²; GoF =
  sqrt(mean communality of blocks with more than one indicator × mean R² of endogenous LVs).
* Cronbach's α and Dillon–Goldstein's ρ as ``get_unidim`` (standardised block, first principal
  component); they are NaN for Mode B blocks (R prints 0).

Every estimate is computed from the indicators' covariance matrix, so the bootstrap runs all
resamples at once: resampling weights give a stack of covariance matrices and the iteration is
batched over them (1,000 ECSI resamples take well under a second).

Why hand-written: the Python port ``plspm`` 0.5.7 (GPL) fails on pandas 3 (checked in a
throw-away venv with pandas 3.1.1 / NumPy 2.4: fitting the ECSI model raises ``ValueError:
zip() argument 2 is longer than argument 1`` inside pandas indexing; it runs with pandas 2.3,
where ``bench/bench_drivers.py`` compares against it).  R's plspm is the anchor and the results are tested against its published outputs (ECSI ``satisfaction`` data:
GoF 0.6097, IMAG→EXPE 0.5790, every weight, loading and path) and against seminr on ``mobi``
(Mode B block, path scheme).

References
----------
Lohmöller, J.-B. (1989) *Latent variable path modeling with partial least squares*. Physica.
Tenenhaus, M., Esposito Vinzi, V., Chatelin, Y.-M., Lauro, C. (2005) PLS path modeling.
*Computational Statistics & Data Analysis* 48, 159–205.
Sanchez, G. (2013) *PLS Path Modeling with R*. Trowchez Editions.
Henseler, J., Ringle, C. M., Sarstedt, M. (2015) A new criterion for assessing discriminant
validity (HTMT). *J. Academy of Marketing Science* 43, 115–135.
Ringle, C. M., Sarstedt, M. (2016) Gain more insight from your PLS-SEM results: the
importance-performance map analysis. *Industrial Management & Data Systems* 116, 1865–1886.

Examples
--------
>>> import pandas as pd
>>> from csworkbench.config import RAW_DIR
>>> from csworkbench.pls import PLSPM, ecsi_model
>>> data = pd.read_csv(RAW_DIR / "drivers" / "ecsi_satisfaction.csv")
>>> model = PLSPM(**ecsi_model(), scheme="centroid", scaled=False).fit(data)
>>> round(model.gof_, 4)
0.6097
>>> round(float(model.paths_.set_index(["source", "target"]).loc[("IMAG", "EXPE"), "estimate"]), 4)
0.579
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .errors import ConvergenceError, DataError, DataWarning, ModelError

__all__ = [
    "PLSPM",
    "ecsi_model",
    "acsi_model",
    "standard_model",
    "construct_label",
    "plot_path_model",
    "plot_ipma",
]

_SCHEMES = ("centroid", "factorial", "path")
_MODES = ("A", "B")

#: label keys (core.yml) of the usual index-model constructs, used by the figures
CONSTRUCT_LABEL_KEYS = {
    "IMAG": "construct.image",
    "EXPE": "construct.expectation",
    "QUAL": "construct.quality",
    "VAL": "construct.value",
    "SAT": "construct.satisfaction",
    "LOY": "construct.loyalty",
    "COMP": "construct.complaints",
}


def construct_label(name: str, lang: str = "zh") -> str:
    """Display label of a construct: the i18n label for the ECSI/ACSI names, else the name itself.

    >>> construct_label("SAT", "en")
    'Customer satisfaction'
    >>> construct_label("Trust", "en")
    'Trust'
    """
    from .i18n import t

    key = CONSTRUCT_LABEL_KEYS.get(name)
    return t(key, lang) if key else str(name)


# --------------------------------------------------------------------------------------
# standard models
# --------------------------------------------------------------------------------------
def ecsi_model() -> dict[str, Any]:
    """The standard ECSI model (European Customer Satisfaction Index) for ``load_ecsi()`` data.

    Paths IMAG→EXPE, IMAG→SAT, IMAG→LOY, EXPE→QUAL, EXPE→VAL, EXPE→SAT, QUAL→VAL, QUAL→SAT,
    VAL→SAT, SAT→LOY; blocks ``imag1–5, expe1–5, qual1–5, val1–4, sat1–4, loy1–4``; all Mode A.

    Returns
    -------
    dict
        ``inner`` (list of (source, target)), ``blocks`` (construct → columns), ``modes``
        (construct → "A"/"B"), ready for ``PLSPM(**ecsi_model(), scheme=..., scaled=...)``.

    Examples
    --------
    >>> spec = ecsi_model()
    >>> spec["inner"][0], spec["blocks"]["VAL"]
    (('IMAG', 'EXPE'), ['val1', 'val2', 'val3', 'val4'])
    """
    blocks = {
        "IMAG": [f"imag{i}" for i in range(1, 6)],
        "EXPE": [f"expe{i}" for i in range(1, 6)],
        "QUAL": [f"qual{i}" for i in range(1, 6)],
        "VAL": [f"val{i}" for i in range(1, 5)],
        "SAT": [f"sat{i}" for i in range(1, 5)],
        "LOY": [f"loy{i}" for i in range(1, 5)],
    }
    inner = [
        ("IMAG", "EXPE"), ("IMAG", "SAT"), ("IMAG", "LOY"),
        ("EXPE", "QUAL"), ("EXPE", "VAL"), ("EXPE", "SAT"),
        ("QUAL", "VAL"), ("QUAL", "SAT"), ("VAL", "SAT"), ("SAT", "LOY"),
    ]
    return {"inner": inner, "blocks": blocks, "modes": {k: "A" for k in blocks}}


def acsi_model() -> dict[str, Any]:
    """The ACSI model (American Customer Satisfaction Index, Fornell et al. 1996) for ``load_mobi()``.

    Expectations (EXPE: CUEX1–3) → perceived quality (QUAL: PERQ1–7), value (VAL: PERV1–2) and
    satisfaction (SAT: CUSA1–3); quality → value, satisfaction; value → satisfaction;
    satisfaction → complaints (COMP: CUSCO) and loyalty (LOY: CUSL1–3); complaints → loyalty.
    All Mode A.

    >>> sorted(acsi_model()["blocks"])
    ['COMP', 'EXPE', 'LOY', 'QUAL', 'SAT', 'VAL']
    """
    blocks = {
        "EXPE": ["CUEX1", "CUEX2", "CUEX3"],
        "QUAL": [f"PERQ{i}" for i in range(1, 8)],
        "VAL": ["PERV1", "PERV2"],
        "SAT": ["CUSA1", "CUSA2", "CUSA3"],
        "COMP": ["CUSCO"],
        "LOY": ["CUSL1", "CUSL2", "CUSL3"],
    }
    inner = [
        ("EXPE", "QUAL"), ("EXPE", "VAL"), ("EXPE", "SAT"),
        ("QUAL", "VAL"), ("QUAL", "SAT"), ("VAL", "SAT"),
        ("SAT", "COMP"), ("SAT", "LOY"), ("COMP", "LOY"),
    ]
    return {"inner": inner, "blocks": blocks, "modes": {k: "A" for k in blocks}}


def standard_model(name: str) -> dict[str, Any]:
    """``ecsi_model()`` or ``acsi_model()`` by name (``"ecsi"`` / ``"acsi"``, any case).

    >>> standard_model("ACSI")["blocks"]["COMP"]
    ['CUSCO']
    """
    models = {"ecsi": ecsi_model, "acsi": acsi_model}
    key = str(name).lower()
    if key not in models:
        raise ModelError(f"unknown standard model {name!r}; choose one of {sorted(models)}")
    return models[key]()


# --------------------------------------------------------------------------------------
# the batched algorithm (works on a stack of covariance matrices)
# --------------------------------------------------------------------------------------
def _standardise_cov(S: np.ndarray) -> np.ndarray:
    d = np.sqrt(np.einsum("bii->bi", S))
    return S / (d[:, :, None] * d[:, None, :])


def _solve(A: np.ndarray, b: np.ndarray) -> np.ndarray:
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
            E[:, pred, k] = _solve(Rpp, rpk)
        if succ.size:
            E[:, succ, k] = R[:, k, succ]
    return E


def _lohmoller(S, mask, modes, adj, scheme, tol, max_iter):
    """Outer weights for each covariance matrix in ``S`` (b, p, p).

    Returns W (b, p, L) scaled to unit LV variance, iterations (b,), last change (b,),
    converged (b,) bool.
    """
    b = S.shape[0]
    # Iterate in units where the mean indicator variance is 1, so the stopping rule (an absolute
    # change of the weights, as R) does not depend on the unit of the data: with scaled=False,
    # data in thousandths used to stop after two iterations, 7e-5 away from the solution (found
    # by tests/test_properties_pls.py).  Standardised data have unit variances: nothing changes.
    # The final rescaling below uses the original S, so weights come out in the data's units.
    S_orig = S
    S = S / np.einsum("bii->b", S)[:, None, None] * S.shape[1]
    maskf = mask.astype(float)
    W = np.broadcast_to(maskf, (b,) + mask.shape).copy()
    W /= np.sqrt(np.einsum("bll->bl", _lv_cov(S, W)))[:, None, :]
    w_old = W.sum(axis=2)
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
        G = Sa @ Wn @ E                      # cov(X, Z): (b, p, L)
        Wnew = G * maskf
        for j, rows in zip(b_index, b_blocks):
            Sjj = Sa[:, rows[:, None], rows[None, :]]
            Wnew[:, rows, j] = _solve(Sjj, G[:, rows, j])
        w_new = Wnew.sum(axis=2)
        dif = ((np.abs(w_old[idx]) - np.abs(w_new)) ** 2).sum(axis=1)
        W[idx] = Wnew
        w_old[idx] = w_new
        iters[idx] = it
        change[idx] = dif
        active[idx[dif < tol]] = False
    converged = ~active
    W /= np.sqrt(np.einsum("bll->bl", _lv_cov(S_orig, W)))[:, None, :]
    return W, iters, change, converged


def _estimates(S, mask, modes, adj, scheme, tol, max_iter):
    """Every estimate of the model for a stack of covariance matrices (batched)."""
    W, iters, change, converged = _lohmoller(S, mask, modes, adj, scheme, tol, max_iter)
    # loadings = cor(X, LV); sign of each block as R's get_scores
    sdx = np.sqrt(np.einsum("bii->bi", S))
    cross = (S @ W) / sdx[:, :, None]            # LVs have unit variance
    sgn = np.sign(np.einsum("bpl,pl->bl", np.sign(cross), mask.astype(float)))
    sgn[sgn == 0] = -1
    W = W * sgn[:, None, :]
    cross = cross * sgn[:, None, :]
    R = _lv_cov(S, W)                            # LV correlations (unit variances)
    L = adj.shape[0]
    paths = np.zeros((S.shape[0], L, L))
    r2 = np.full((S.shape[0], L), np.nan)
    for k in range(L):
        pred = np.flatnonzero(adj[:, k])
        if pred.size:
            beta = _solve(R[:, pred[:, None], pred[None, :]], R[:, pred, k])
            paths[:, pred, k] = beta
            r2[:, k] = np.einsum("bi,bi->b", beta, R[:, pred, k])
    eye = np.eye(L)
    total = np.linalg.inv(eye - paths) - eye  # I - B is invertible: the inner model is acyclic
    return {
        "W": W, "cross": cross, "R": R, "paths": paths, "r2": r2, "total": total,
        "iters": iters, "change": change, "converged": converged,
    }


# --------------------------------------------------------------------------------------
# the estimator
# --------------------------------------------------------------------------------------
class PLSPM:
    """PLS path model (Lohmöller's algorithm, as R ``plspm``).

    Parameters
    ----------
    inner : sequence of (source, target) or mapping source → list of targets
        The structural (inner) model; must be acyclic.
    blocks : mapping construct → list of column names
        The measurement (outer) model; the order of the constructs is the order of the output.
    modes : mapping construct → "A"/"B", or sequence of "A"/"B", optional
        Mode A (reflective, default) or Mode B (formative) per construct.
    scheme : {"centroid", "factorial", "path"}
        Inner weighting scheme.
    scaled : bool
        True: standardise indicators; False: centre only (R's ``scaled = FALSE``).
    tol : float
        Convergence tolerance on the sum of squared changes of the outer weights.
    max_iter : int
        Iteration limit; :class:`~csworkbench.errors.ConvergenceError` beyond it.

    Attributes
    ----------
    paths_ : DataFrame
        ``source, target, estimate, std_error, t, p_value`` (OLS on LV scores, as R).
    r2_ : Series
        R² of each endogenous construct.
    gof_ : float
        Goodness of fit (Tenenhaus et al. 2005, as R plspm).
    outer_ : DataFrame
        ``indicator, construct, weight, loading, communality, redundancy``.
    scores_ : DataFrame
        Latent-variable scores (mean 0, population variance 1), index of the data.
    effects_ : DataFrame
        ``source, target, direct, indirect, total`` for every pair joined by a directed path.
    quality_ : DataFrame
        ``construct, mode, n_indicators, cronbach_alpha, dg_rho, eig_1st, eig_2nd, ave,
        r2, block_communality, mean_redundancy``.
    htmt_ : DataFrame
        ``construct_1, construct_2, htmt`` (heterotrait–monotrait ratio; single-item blocks
        count their monotrait correlation as 1).
    crossloadings_ : DataFrame
        Correlations of every indicator (rows) with every construct (columns), plus ``construct``.
    n_iter_ : int
        Iterations used.
    n_obs_ : int
        Rows used.

    Examples
    --------
    >>> import pandas as pd
    >>> from csworkbench.config import RAW_DIR
    >>> data = pd.read_csv(RAW_DIR / "drivers" / "ecsi_satisfaction.csv")
    >>> m = PLSPM(**ecsi_model(), scaled=False).fit(data)
    >>> m.r2_.round(3).to_dict()["SAT"]
    0.707
    """

    def __init__(
        self,
        inner: Sequence[tuple[str, str]] | Mapping[str, Sequence[str]],
        blocks: Mapping[str, Sequence[str]],
        modes: Mapping[str, str] | Sequence[str] | None = None,
        scheme: str = "centroid",
        scaled: bool = True,
        tol: float = 1e-6,
        max_iter: int = 100,
    ) -> None:
        self.inner = inner
        self.blocks = blocks
        self.modes = modes
        self.scheme = scheme
        self.scaled = scaled
        self.tol = tol
        self.max_iter = max_iter

    # ---------------------------------------------------------------- validation
    def _validate_params(self) -> None:
        if self.scheme not in _SCHEMES:
            raise ModelError(f"scheme must be one of {', '.join(_SCHEMES)}; got {self.scheme!r}")
        if not isinstance(self.scaled, (bool, np.bool_)):
            raise ModelError(f"scaled must be True or False; got {self.scaled!r}")
        if not (isinstance(self.tol, (int, float)) and self.tol > 0):
            raise ModelError(f"tol must be a positive number; got {self.tol!r}")
        if not (isinstance(self.max_iter, (int, np.integer)) and self.max_iter >= 1):
            raise ModelError(f"max_iter must be a positive integer; got {self.max_iter!r}")
        if not isinstance(self.blocks, Mapping) or not self.blocks:
            raise ModelError("blocks must map each construct to its indicator columns, e.g. {'SAT': ['sat1', 'sat2']}")
        names = [str(k) for k in self.blocks]
        seen: dict[str, str] = {}
        blocks: list[list[str]] = []
        for name, cols in self.blocks.items():
            if isinstance(cols, str):
                cols = [cols]
            cols = [str(c) for c in cols]
            if not cols:
                raise ModelError(f"construct {name!r} has no indicators (empty block)")
            for c in cols:
                if c in seen:
                    raise ModelError(
                        f"indicator {c!r} is in two blocks ({seen[c]!r} and {name!r}); each column may measure one construct"
                    )
                seen[c] = str(name)
            blocks.append(cols)
        # modes
        if self.modes is None:
            modes = ["A"] * len(names)
        elif isinstance(self.modes, Mapping):
            unknown = set(map(str, self.modes)) - set(names)
            if unknown:
                raise ModelError(f"modes given for unknown constructs {sorted(unknown)}; constructs are {names}")
            modes = [str(self.modes.get(n, "A")).upper() for n in names]
        else:
            modes = [str(m).upper() for m in self.modes]
            if len(modes) != len(names):
                raise ModelError(f"modes must have one entry per construct ({len(names)}); got {len(modes)}")
        for n, m in zip(names, modes):
            if m not in _MODES:
                raise ModelError(f"mode of {n!r} must be 'A' or 'B'; got {m!r}")
        # inner model
        if isinstance(self.inner, Mapping):
            edges = [(str(s), str(t)) for s, ts in self.inner.items() for t in ([ts] if isinstance(ts, str) else ts)]
        else:
            try:
                edges = [(str(s), str(t)) for s, t in self.inner]
            except (TypeError, ValueError):
                raise ModelError("inner must be a list of (source, target) pairs or a mapping source → targets") from None
        if not edges:
            raise ModelError("the inner model has no paths")
        idx = {n: i for i, n in enumerate(names)}
        adj = np.zeros((len(names), len(names)), dtype=int)
        for s, t in edges:
            for c in (s, t):
                if c not in idx:
                    raise ModelError(f"construct {c!r} of path {s}→{t} has no block of indicators (empty block)")
            if s == t:
                raise ModelError(f"path {s}→{t} is a cycle (a construct cannot cause itself)")
            adj[idx[s], idx[t]] = 1
        isolated = [n for i, n in enumerate(names) if adj[i].sum() + adj[:, i].sum() == 0]
        if isolated:
            raise ModelError(f"constructs {isolated} have no path in the inner model")
        cycle = _find_cycle(adj, names)
        if cycle:
            raise ModelError(f"the inner model has a cycle: {' → '.join(cycle)}; PLS path models must be recursive")
        self._names = names
        self._blocks = blocks
        self._modes = modes
        self._adj = adj
        self._edges = [(names[i], names[j]) for i, j in zip(*np.nonzero(adj))]
        self._indicators = [c for cols in blocks for c in cols]
        self._mask = np.zeros((len(self._indicators), len(names)), dtype=bool)
        r = 0
        for j, cols in enumerate(blocks):
            self._mask[r : r + len(cols), j] = True
            r += len(cols)

    def _validate_data(self, data: pd.DataFrame) -> pd.DataFrame:
        if not isinstance(data, pd.DataFrame):
            raise DataError(f"data must be a pandas DataFrame; got {type(data).__name__}")
        for c in self._indicators:
            if c not in data.columns:
                raise DataError(
                    f"indicator column is missing from the data (columns are {list(map(str, data.columns))[:12]}…)",
                    column=c,
                )
        frame = data[self._indicators]
        out = {}
        for c in self._indicators:
            col = frame[c]
            if not (pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col)):
                bad = col[pd.to_numeric(col, errors="coerce").isna() & col.notna()]
                row = int(np.flatnonzero(frame.index == bad.index[0])[0]) + 1 if len(bad) else None
                raise DataError(
                    f"must hold numbers; got {bad.iloc[0]!r}" if len(bad) else "must hold numbers", column=c, row=row
                )
            out[c] = col.astype(float)
        X = pd.DataFrame(out, index=frame.index)
        missing = X.isna().any(axis=1)
        if missing.any():
            cols = [c for c in self._indicators if X[c].isna().any()]
            warnings.warn(
                f"{int(missing.sum())} of {len(X)} rows have missing indicator values (columns {cols}) "
                "and were left out of the PLS model (listwise)",
                DataWarning,
                stacklevel=3,
            )
            X = X.loc[~missing]
        if len(X) < len(self._indicators):
            raise ModelError(
                f"fewer rows ({len(X)}) than indicators ({len(self._indicators)}); PLS-PM needs more observations"
            )
        sd = X.std(ddof=0)
        const = [c for c in self._indicators if not sd[c] > 0]
        if const:
            raise ModelError(f"indicator {const[0]!r} is constant (every answer {X[const[0]].iloc[0]:g}); drop it from its block")
        return X

    # ---------------------------------------------------------------- fit
    def fit(self, data: pd.DataFrame) -> PLSPM:
        """Estimate the model on ``data`` (one column per indicator). Returns ``self``."""
        self._validate_params()
        X = self._validate_data(data)
        n = len(X)
        A = X.to_numpy()
        mean = A.mean(axis=0)
        sd = A.std(axis=0)
        Xc = A - mean
        Xt = Xc / sd if self.scaled else Xc
        S = (Xt.T @ Xt / n)[None]
        est = _estimates(S, self._mask, self._modes, self._adj, self.scheme, self.tol, self.max_iter)
        if not est["converged"][0]:
            raise ConvergenceError(
                f"PLS-PM did not converge in {self.max_iter} iterations (last change of the outer weights "
                f"{est['change'][0]:.3g}, tolerance {self.tol:g}); raise max_iter or check the model"
            )
        self._X = X
        self._mean, self._sd = mean, sd
        self._S = S[0]
        self.n_obs_ = n
        self.n_iter_ = int(est["iters"][0])
        self._est = {k: v[0] for k, v in est.items()}
        self._tidy(Xt)
        self.bootstrap_ = None
        return self

    def _tidy(self, Xt: np.ndarray) -> None:
        names, adj, mask = self._names, self._adj, self._mask
        e = self._est
        W, cross, R, paths, r2, total = e["W"], e["cross"], e["R"], e["paths"], e["r2"], e["total"]
        n = self.n_obs_
        construct_of = [names[j] for j in mask.argmax(axis=1)]
        weight = (W * mask).sum(axis=1)
        loading = (cross * mask).sum(axis=1)
        communality = loading**2
        r2_of = np.array([0.0 if np.isnan(r2[j]) else r2[j] for j in mask.argmax(axis=1)])
        self.outer_ = pd.DataFrame({
            "indicator": self._indicators, "construct": construct_of, "weight": weight,
            "loading": loading, "communality": communality, "redundancy": communality * r2_of,
        })
        endo = [k for k in range(len(names)) if adj[:, k].any()]
        self.r2_ = pd.Series([r2[k] for k in endo], index=[names[k] for k in endo], name="r2")
        # paths with OLS standard errors (R's lm on unit-variance scores)
        rows = []
        for k in endo:
            pred = np.flatnonzero(adj[:, k])
            q = len(pred)
            dfree = n - q - 1
            inv = np.linalg.inv(R[np.ix_(pred, pred)])
            var = (1 - r2[k]) / dfree * np.diag(inv) if dfree > 0 else np.full(q, np.nan)
            for i, j in enumerate(pred):
                est_ = paths[j, k]
                se = float(np.sqrt(var[i]))
                tval = est_ / se if se > 0 else np.nan
                rows.append((names[j], names[k], est_, se, tval, 2 * stats.t.sf(abs(tval), dfree)))
        rows.sort(key=lambda r: (names.index(r[1]), names.index(r[0])))
        self.paths_ = pd.DataFrame(rows, columns=["source", "target", "estimate", "std_error", "t", "p_value"])
        # effects
        reach = (np.linalg.matrix_power(np.eye(len(names)) + adj, len(names)) > 0) & ~np.eye(len(names), dtype=bool)
        eff = [
            (names[i], names[j], paths[i, j], total[i, j] - paths[i, j], total[i, j])
            for i in range(len(names)) for j in range(len(names)) if reach[i, j]
        ]
        self.effects_ = pd.DataFrame(eff, columns=["source", "target", "direct", "indirect", "total"])
        # GoF (R: communalities of blocks with more than one indicator)
        multi = mask.sum(axis=0) > 1
        com_multi = communality[mask[:, multi].any(axis=1)]
        self.gof_ = float(np.sqrt(com_multi.mean() * np.mean([r2[k] for k in endo]))) if com_multi.size else np.nan
        # crossloadings
        cl = pd.DataFrame(cross, columns=names)
        cl.insert(0, "construct", construct_of)
        cl.index = pd.Index(self._indicators, name="indicator")
        self.crossloadings_ = cl
        self.scores_ = pd.DataFrame(Xt @ W, columns=names, index=self._X.index)
        self.quality_ = self._quality(communality, r2_of)
        self.htmt_ = self._htmt()

    def _quality(self, communality, r2_of) -> pd.DataFrame:
        rows = []
        corr = _standardise_cov(self._S[None])[0]
        for j, name in enumerate(self._names):
            rows_j = np.flatnonzero(self._mask[:, j])
            p = rows_j.size
            Cj = corr[np.ix_(rows_j, rows_j)]
            eig, vec = np.linalg.eigh(Cj)
            eig, vec = eig[::-1], vec[:, ::-1]
            if p == 1:
                alpha = rho = 1.0
            elif self._modes[j] == "B":
                alpha = rho = np.nan
            else:
                s = Cj[np.tril_indices(p, -1)].sum()
                alpha = max(0.0, (2 * s) / (p + 2 * s) * p / (p - 1))
                lam = vec[:, 0] * np.sqrt(eig[0])
                rho = lam.sum() ** 2 / (lam.sum() ** 2 + p - (lam**2).sum())
            com = communality[rows_j]
            rows.append({
                "construct": name, "mode": self._modes[j], "n_indicators": p,
                "cronbach_alpha": alpha, "dg_rho": rho, "eig_1st": eig[0],
                "eig_2nd": eig[1] if p > 1 else 0.0,
                "ave": com.mean() if self._modes[j] == "A" else np.nan,
                "r2": self.r2_.get(name, np.nan), "block_communality": com.mean(),
                "mean_redundancy": (com * r2_of[rows_j]).mean(),
            })
        return pd.DataFrame(rows)

    def _htmt(self) -> pd.DataFrame:
        corr = _standardise_cov(self._S[None])[0]
        mono = []
        for j in range(len(self._names)):
            r = np.flatnonzero(self._mask[:, j])
            mono.append(corr[np.ix_(r, r)][np.triu_indices(r.size, 1)].mean() if r.size > 1 else 1.0)
        rows = []
        for a in range(len(self._names)):
            for b in range(a + 1, len(self._names)):
                ra, rb = np.flatnonzero(self._mask[:, a]), np.flatnonzero(self._mask[:, b])
                het = corr[np.ix_(ra, rb)].mean()
                rows.append((self._names[a], self._names[b], het / np.sqrt(mono[a] * mono[b])))
        return pd.DataFrame(rows, columns=["construct_1", "construct_2", "htmt"])

    def _check_fitted(self) -> None:
        if not hasattr(self, "paths_"):
            raise ModelError("this PLSPM is not fitted yet; call .fit(data) first")

    # ---------------------------------------------------------------- summary
    def summary(self) -> pd.DataFrame:
        """Tidy path table: ``source, target, estimate, std_error, t, p_value, r2_target`` and,
        after :meth:`bootstrap`, ``boot_std_error, ci_low, ci_high``; ``attrs`` hold gof and n."""
        self._check_fitted()
        out = self.paths_.copy()
        out["r2_target"] = out["target"].map(self.r2_)
        if self.bootstrap_ is not None:
            b = self.bootstrap_["paths"].set_index(["source", "target"])
            key = list(zip(out["source"], out["target"]))
            out["boot_std_error"] = b.loc[key, "std_error"].to_numpy()
            out["ci_low"] = b.loc[key, "ci_low"].to_numpy()
            out["ci_high"] = b.loc[key, "ci_high"].to_numpy()
        out.attrs.update(gof=self.gof_, n_obs=self.n_obs_, n_iter=self.n_iter_, scheme=self.scheme, scaled=self.scaled)
        return out

    # ---------------------------------------------------------------- bootstrap
    def bootstrap(
        self,
        n_boot: int = 1000,
        ci: float = 0.95,
        random_state: int | np.random.Generator | None = None,
        progress: bool = True,
        chunk: int = 250,
    ) -> dict[str, pd.DataFrame]:
        """Percentile bootstrap of paths, weights, loadings, R² and total effects.

        All resamples are estimated at once from their covariance matrices (resampling
        counts × indicator cross-products), so 1,000 resamples of ECSI take a fraction of a
        second.  Resamples that do not converge are left out and reported with a warning.

        Parameters
        ----------
        n_boot : int
            Number of resamples (with replacement, rows).
        ci : float
            Coverage of the percentile intervals.
        random_state : int or Generator, optional
            Seed; the same seed gives the same intervals.
        progress : bool
            Show a tqdm progress bar over chunks of resamples.
        chunk : int
            Resamples estimated together (memory vs speed).

        Returns
        -------
        dict of DataFrame
            Keys ``paths`` (source, target), ``weights`` and ``loadings`` (indicator, construct),
            ``r2`` (construct), ``total_effects`` (source, target); each with ``original, mean,
            std_error, ci_low, ci_high``.  Also stored in ``bootstrap_``; ``samples_`` holds the
            raw draws (``n_boot`` rows) per key.

        Examples
        --------
        >>> import pandas as pd
        >>> from csworkbench.config import RAW_DIR
        >>> data = pd.read_csv(RAW_DIR / "drivers" / "ecsi_satisfaction.csv")
        >>> m = PLSPM(**ecsi_model(), scaled=False).fit(data)
        >>> b = m.bootstrap(n_boot=200, random_state=1, progress=False)
        >>> bool((b["paths"]["ci_low"] < b["paths"]["original"]).all())
        True
        """
        self._check_fitted()
        if not (isinstance(n_boot, (int, np.integer)) and n_boot >= 2):
            raise ModelError(f"n_boot must be an integer ≥ 2; got {n_boot!r}")
        if not 0 < ci < 1:
            raise ModelError(f"ci must lie between 0 and 1; got {ci!r}")
        rng = np.random.default_rng(random_state)
        A = self._X.to_numpy() - self._mean
        n, p = A.shape
        pair = (A[:, :, None] * A[:, None, :]).reshape(n, p * p)
        names, mask, adj = self._names, self._mask, self._adj
        endo = [names.index(k) for k in self.r2_.index]
        eff_idx = [(names.index(s), names.index(t)) for s, t in zip(self.effects_["source"], self.effects_["target"])]
        path_idx = [(names.index(s), names.index(t)) for s, t in zip(self.paths_["source"], self.paths_["target"])]
        draws = {"paths": [], "weights": [], "loadings": [], "r2": [], "total_effects": []}
        failed = 0
        chunks = [min(chunk, n_boot - i) for i in range(0, n_boot, chunk)]
        iterator = chunks
        if progress:
            from tqdm.auto import tqdm

            iterator = tqdm(chunks, desc="bootstrap", unit="chunk", total=len(chunks))
        for size in iterator:
            counts = rng.multinomial(n, np.full(n, 1.0 / n), size=size).astype(float)
            m1 = counts @ A / n
            S = (counts @ pair).reshape(size, p, p) / n - m1[:, :, None] * m1[:, None, :]
            if self.scaled:
                S = _standardise_cov(S)
            est = _estimates(S, mask, self._modes, adj, self.scheme, self.tol, self.max_iter)
            ok = est["converged"]
            failed += int((~ok).sum())
            draws["paths"].append(np.stack([est["paths"][ok, i, j] for i, j in path_idx], axis=1))
            draws["weights"].append((est["W"][ok] * mask).sum(axis=2))
            draws["loadings"].append((est["cross"][ok] * mask).sum(axis=2))
            draws["r2"].append(est["r2"][ok][:, endo])
            draws["total_effects"].append(np.stack([est["total"][ok, i, j] for i, j in eff_idx], axis=1))
        if failed:
            warnings.warn(f"{failed} of {n_boot} bootstrap resamples did not converge and were left out", DataWarning, stacklevel=2)
        q = [(1 - ci) / 2, 1 - (1 - ci) / 2]
        originals = {
            "paths": self.paths_["estimate"].to_numpy(),
            "weights": self.outer_["weight"].to_numpy(),
            "loadings": self.outer_["loading"].to_numpy(),
            "r2": self.r2_.to_numpy(),
            "total_effects": self.effects_["total"].to_numpy(),
        }
        keys = {
            "paths": self.paths_[["source", "target"]],
            "weights": self.outer_[["indicator", "construct"]],
            "loadings": self.outer_[["indicator", "construct"]],
            "r2": pd.DataFrame({"construct": self.r2_.index}),
            "total_effects": self.effects_[["source", "target"]],
        }
        out, samples = {}, {}
        for k, parts in draws.items():
            D = np.concatenate(parts, axis=0)
            lo, hi = np.quantile(D, q, axis=0)
            frame = keys[k].reset_index(drop=True).copy()
            frame["original"] = originals[k]
            frame["mean"] = D.mean(axis=0)
            frame["std_error"] = D.std(axis=0, ddof=1)
            frame["ci_low"], frame["ci_high"] = lo, hi
            out[k] = frame
            samples[k] = D
        self.bootstrap_ = out
        self.samples_ = samples
        self.bootstrap_failed_ = failed
        return out

    # ---------------------------------------------------------------- IPMA
    def ipma(
        self,
        target: str,
        scale_min: float | Mapping[str, float] | None = None,
        scale_max: float | Mapping[str, float] | None = None,
    ) -> pd.DataFrame:
        """Importance–performance map (IPMA) of the constructs that drive ``target``.

        Performance: each construct's score rebuilt from its indicators rescaled to 0–100
        (``(x − min) / (max − min) · 100``) with the outer weights unstandardised and normalised
        to sum 1 (Ringle & Sarstedt 2016), averaged over respondents.  Importance: the total
        effect on ``target`` in those 0–100 units (``importance``) and standardised
        (``importance_std``, as ``effects_``).

        Parameters
        ----------
        target : str
            Endogenous construct, e.g. ``"SAT"`` or ``"LOY"``.
        scale_min, scale_max : float or mapping construct → float, optional
            Theoretical ends of the answer scale (e.g. 0 and 10); default the observed
            minimum and maximum of the block's indicators.

        Returns
        -------
        DataFrame
            ``construct, importance, importance_std, performance`` sorted by importance.

        Examples
        --------
        >>> import pandas as pd
        >>> from csworkbench.config import RAW_DIR
        >>> data = pd.read_csv(RAW_DIR / "drivers" / "ecsi_satisfaction.csv")
        >>> m = PLSPM(**ecsi_model(), scaled=False).fit(data)
        >>> m.ipma("LOY", scale_min=0, scale_max=10)["construct"].tolist()
        ['IMAG', 'SAT', 'VAL', 'EXPE', 'QUAL']
        """
        self._check_fitted()
        if target not in self._names:
            raise ModelError(f"unknown construct {target!r}; constructs are {self._names}")
        sources = self.effects_.loc[self.effects_["target"] == target]
        if sources.empty:
            raise ModelError(f"no construct has an effect on {target!r}; choose an endogenous construct")
        perf = self.performance_scores(scale_min, scale_max)
        sd = perf.std(ddof=0)
        out = pd.DataFrame({
            "construct": sources["source"].to_numpy(),
            "importance_std": sources["total"].to_numpy(),
        })
        out["importance"] = out["importance_std"] * sd[target] / sd[out["construct"]].to_numpy()
        out["performance"] = perf[out["construct"]].mean().to_numpy()
        out = out[["construct", "importance", "importance_std", "performance"]]
        out = out.sort_values("importance", ascending=False, ignore_index=True)
        out.attrs.update(target=target, target_performance=float(perf[target].mean()))
        return out

    def performance_scores(
        self,
        scale_min: float | Mapping[str, float] | None = None,
        scale_max: float | Mapping[str, float] | None = None,
    ) -> pd.DataFrame:
        """Construct scores on a 0–100 performance scale (one column per construct; see :meth:`ipma`)."""
        self._check_fitted()
        X = self._X
        out = {}
        for j, name in enumerate(self._names):
            rows = np.flatnonzero(self._mask[:, j])
            cols = [self._indicators[r] for r in rows]
            lo = _pick(scale_min, name, float(X[cols].min().min()))
            hi = _pick(scale_max, name, float(X[cols].max().max()))
            if not hi > lo:
                raise ModelError(f"scale of {name!r}: maximum {hi} must exceed minimum {lo}")
            w = self._est["W"][rows, j] / (self._sd[rows] if self.scaled else 1.0)
            if not abs(w.sum()) > 0:
                raise ModelError(f"outer weights of {name!r} sum to zero; performance undefined")
            w = w / w.sum()
            out[name] = ((X[cols].to_numpy() - lo) / (hi - lo) * 100) @ w
        return pd.DataFrame(out, index=X.index)


def _pick(value, name, default):
    if value is None:
        return default
    if isinstance(value, Mapping):
        return float(value.get(name, default))
    return float(value)


def _find_cycle(adj: np.ndarray, names: list[str]) -> list[str] | None:
    """A directed cycle as a list of names (first repeated at the end), or None."""
    state = [0] * len(names)
    stack: list[int] = []

    def visit(i: int) -> list[str] | None:
        state[i] = 1
        stack.append(i)
        for j in np.flatnonzero(adj[i]):
            if state[j] == 1:
                cyc = stack[stack.index(j):] + [j]
                return [names[k] for k in cyc]
            if state[j] == 0:
                found = visit(j)
                if found:
                    return found
        state[i] = 2
        stack.pop()
        return None

    for i in range(len(names)):
        if state[i] == 0:
            found = visit(i)
            if found:
                return found
    return None


# --------------------------------------------------------------------------------------
# figures (plotly; returned, never shown)
# --------------------------------------------------------------------------------------
_LAYOUTS = {
    # hand-placed so that no arrow runs through a construct
    frozenset(["IMAG", "EXPE", "QUAL", "VAL", "SAT", "LOY"]): {
        "IMAG": (1.0, 1.5), "EXPE": (0.0, 0.0), "QUAL": (0.8, -1.6),
        "VAL": (2.3, -1.2), "SAT": (3.0, 0.3), "LOY": (4.2, 1.5),
    },
    frozenset(["EXPE", "QUAL", "VAL", "SAT", "COMP", "LOY"]): {
        "EXPE": (0.0, 1.0), "QUAL": (0.0, -1.0), "VAL": (1.2, -1.3),
        "SAT": (2.4, 0.0), "COMP": (3.6, -1.2), "LOY": (3.6, 1.2),
    },
}


def _positions(names: list[str], adj: np.ndarray) -> dict[int, tuple[float, float]]:
    """Node positions: the hand-made ECSI/ACSI layouts, else layers by longest path (zig-zag)."""
    known = _LAYOUTS.get(frozenset(names))
    if known:
        return {i: known[n] for i, n in enumerate(names)}
    L = adj.shape[0]
    depth = [0] * L
    for _ in range(L):
        for i, j in zip(*np.nonzero(adj)):
            depth[j] = max(depth[j], depth[i] + 1)
    pos = {}
    for d in sorted(set(depth)):
        members = [i for i in range(L) if depth[i] == d]
        shift = 0.0 if len(members) > 1 else (0.6 if d % 2 else -0.6)
        for r, i in enumerate(members):
            pos[i] = (float(d), (len(members) - 1) / 2 - r + shift)
    return pos


def plot_path_model(model: PLSPM, lang: str = "zh", title: str | None = None, digits: int = 2):
    """Path diagram of a fitted :class:`PLSPM`: constructs (with R²) and coefficients on arrows.

    Returns a ``plotly.graph_objects.Figure``; bootstrap intervals are shown on hover when
    :meth:`PLSPM.bootstrap` has been run.

    >>> import pandas as pd
    >>> from csworkbench.config import RAW_DIR
    >>> data = pd.read_csv(RAW_DIR / "drivers" / "ecsi_satisfaction.csv")
    >>> fig = plot_path_model(PLSPM(**ecsi_model(), scaled=False).fit(data), lang="en")
    >>> len(fig.layout.annotations) >= 10
    True
    """
    import plotly.graph_objects as go

    from .i18n import t

    model._check_fitted()
    names, adj = model._names, model._adj
    pos = _positions(names, adj)
    ci = None
    if model.bootstrap_ is not None:
        ci = model.bootstrap_["paths"].set_index(["source", "target"])
    from . import plots

    fig = go.Figure(layout={"template": plots.plotly_template()})
    annotations = []
    for _, row in model.paths_.iterrows():
        i, j = names.index(row["source"]), names.index(row["target"])
        (x0, y0), (x1, y1) = pos[i], pos[j]
        annotations.append(dict(
            x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y", showarrow=True,
            arrowhead=3, arrowsize=1.2, arrowwidth=1 + 4 * abs(row["estimate"]), standoff=28, startstandoff=28,
            arrowcolor="#1f77b4" if row["estimate"] >= 0 else "#d62728", opacity=0.8, text="",
        ))
        label = f"{row['estimate']:.{digits}f}" + ("*" if row["p_value"] < 0.05 else "")
        hover = f"{row['source']}→{row['target']}: {row['estimate']:.3f} (p={row['p_value']:.3g})"
        if ci is not None:
            c = ci.loc[(row["source"], row["target"])]
            hover += f"<br>{t('drivers.ci95', lang)}: [{c['ci_low']:.3f}, {c['ci_high']:.3f}]"
        fig.add_trace(go.Scatter(
            x=[(x0 + x1) / 2], y=[(y0 + y1) / 2], mode="text", text=[label], hovertext=[hover],
            hoverinfo="text", textfont=dict(size=13), showlegend=False,
        ))
    node_text, xs, ys = [], [], []
    for i, n in enumerate(names):
        txt = construct_label(n, lang)
        if n in model.r2_.index:
            txt += f"<br>R²={model.r2_[n]:.{digits}f}"
        node_text.append(txt)
        xs.append(pos[i][0])
        ys.append(pos[i][1])
    fig.add_trace(go.Scatter(
        x=xs, y=ys, mode="markers+text", text=node_text, textposition="middle center",
        marker=dict(size=78, color="#eef3fb", line=dict(color="#1f4e79", width=2)),
        hovertext=names, hoverinfo="text", showlegend=False,
    ))
    fig.update_layout(
        annotations=annotations,
        title=title if title is not None else f"{t('drivers.path_model', lang)} (GoF = {model.gof_:.3f})",
        xaxis=dict(visible=False, range=[min(xs) - 0.5, max(xs) + 0.5]),
        yaxis=dict(visible=False, range=[min(ys) - 0.8, max(ys) + 0.8]),
        height=480, margin=dict(l=20, r=20, t=60, b=20),
    )
    return fig


def plot_ipma(ipma: pd.DataFrame, lang: str = "zh", title: str | None = None):
    """Importance–performance map from :meth:`PLSPM.ipma` (the shared :func:`plots.quadrant_map`).

    x = importance (total effect), y = performance (0–100), cut at the means; quadrants:
    I keep up the good work, II possible overkill, III low priority, IV concentrate here.

    >>> import pandas as pd
    >>> fig = plot_ipma(pd.DataFrame({"construct": ["IMAG", "VAL"], "importance": [0.1, 0.3],
    ...                               "importance_std": [0.3, 0.5], "performance": [70.0, 60.0]}), lang="en")
    >>> fig.layout.xaxis.title.text
    'Importance (total effect)'
    """
    from . import plots
    from .i18n import t

    frame = ipma.assign(label=[construct_label(c, lang) for c in ipma["construct"]])
    target = ipma.attrs.get("target")
    default = t("drivers.ipma_title", lang) + (f" — {construct_label(target, lang)}" if target else "")
    return plots.quadrant_map(
        frame, "importance", "performance", "label",
        quadrant_labels=[t(f"drivers.ipma_q{i}", lang) for i in range(1, 5)],
        lang=lang, title=title if title is not None else default,
        labels={"importance": t("drivers.importance_total", lang), "performance": t("drivers.performance", lang)},
    )
