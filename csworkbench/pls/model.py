"""The PLS path model estimator (偏最小二乘路径模型 PLS-PM): :class:`PLSPM`.

Course concept: the satisfaction research model (顾客满意度研究模型, COURSE.md §2) — which
drivers (image 企业形象, expectations 期望, perceived quality 感知质量, perceived value 感知价值)
raise satisfaction (顾客满意) and, through it, loyalty (顾客忠诚) — estimated as a structural
model with latent variables.

:class:`PLSPM` follows the package's estimator contract (``docs/api-conventions.md``): the
constructor stores the specification, ``fit(data)`` checks it and estimates Lohmöller's algorithm
exactly as R ``plspm`` (:mod:`csworkbench.pls.algorithm`), learned attributes end in ``_``;
``bootstrap`` returns a :class:`~csworkbench.pls.bootstrap.PLSBootstrap` and leaves the model
unchanged; ``ipma`` returns an :class:`~csworkbench.pls.ipma.IPMAResult`.

``scaled=True`` standardises indicators with the population SD (divisor n); ``scaled=False``
(R's ``scaled = FALSE``) only centres them, so Mode A weights come from covariances.

Checked against R plspm's published outputs (ECSI ``satisfaction`` data: GoF 0.6097,
IMAG→EXPE 0.5790, every weight, loading and path) and seminr on ``mobi`` (Mode B, path scheme)
in ``tests/test_pls.py``.  Why hand-written: the Python port ``plspm`` 0.5.7 (GPL) fails on
pandas 3 (``ValueError: zip() argument 2 is longer than argument 1`` inside pandas indexing);
``bench/bench_drivers.py`` compares against it under pandas 2.3.

Reference: Lohmöller, J.-B. (1989) *Latent variable path modeling with partial least squares*.
Physica; Tenenhaus, M. et al. (2005) PLS path modeling. *CSDA* 48, 159–205.

Examples
--------
>>> from csworkbench.datasets import load_ecsi
>>> from csworkbench.pls import PLSPM, ecsi_model
>>> model = PLSPM(**ecsi_model(), scheme="centroid", scaled=False).fit(load_ecsi())
>>> round(model.gof_, 4)
0.6097
>>> round(float(model.paths_.set_index(["source", "target"]).loc[("IMAG", "EXPE"), "estimate"]), 4)
0.579
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import ConvergenceError, DataError, DataWarning, ModelError, ParameterError
from ..estimators import Estimator
from . import quality
from .algorithm import estimates, standardise_cov
from .bootstrap import PLSBootstrap, bootstrap, check_confidence
from .ipma import IPMAResult, ipma, performance_scores
from .predictive import blindfolding, f2_table, pls_predict
from .specs import structure

__all__ = ["PLSPM"]

SCHEMES = ("centroid", "factorial", "path")


class PLSPM(Estimator):
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
        Convergence tolerance: the iteration stops when the sum of the absolute changes of the
        normalised outer weights is below ``tol`` (seminr's rule and default, ``1e-7``; see
        :mod:`csworkbench.pls.algorithm` for why R plspm's looser rule is not used).
    max_iter : int
        Iteration limit (seminr's 300); :class:`~csworkbench.errors.ConvergenceError` beyond it.

    Attributes
    ----------
    paths_ : DataFrame
        ``source, target, estimate, se, t, p_value`` (OLS on LV scores, as R).
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
        ``construct, mode, n_indicators, cronbach_alpha, rho_a, rho_c, dg_rho, ave, eig_1st,
        eig_2nd, r2, r2_adj, block_communality, mean_redundancy``: Cronbach's α (standardised),
        Dijkstra–Henseler ρA, composite reliability ρC from the PLS loadings (as seminr/SmartPLS),
        R plspm's Dillon–Goldstein ρ (first principal component), AVE, R² and adjusted R²
        (see :func:`csworkbench.pls.quality.quality_table`).
    r2_adj_ : Series
        Adjusted R² of each endogenous construct.
    htmt_ : DataFrame
        ``construct_1, construct_2, htmt`` (heterotrait–monotrait ratio of absolute indicator
        correlations; single-item blocks count their monotrait correlation as 1).  Bootstrap
        intervals: ``model.bootstrap(...).htmt``.
    fornell_larcker_ : DataFrame
        Constructs × constructs: √AVE on the diagonal, construct correlations below it.
    vif_outer_ : DataFrame
        ``indicator, construct, vif`` (within the indicator's block).
    vif_inner_ : DataFrame
        ``source, target, vif`` (among the predictors of each endogenous construct).
    f2_ : DataFrame
        ``source, target, f2``: Cohen's f² of each path, the model re-estimated without it
        (0.02/0.15/0.35: small/medium/large).
    crossloadings_ : DataFrame
        Correlations of every indicator (rows) with every construct (columns), plus ``construct``.
    n_iter_ : int
        Iterations used.
    n_obs_ : int
        Rows used.

    Examples
    --------
    >>> from sklearn.base import clone
    >>> from csworkbench.datasets import load_ecsi
    >>> from csworkbench.pls import ecsi_model
    >>> m = PLSPM(**ecsi_model(), scaled=False).fit(load_ecsi())
    >>> m.r2_.round(3).to_dict()["SAT"]
    0.707
    >>> clone(m).get_params()["scheme"]
    'centroid'
    """

    def __init__(
        self,
        inner: Sequence[tuple[str, str]] | Mapping[str, Sequence[str]] | None = None,
        blocks: Mapping[str, Sequence[str]] | None = None,
        *,
        modes: Mapping[str, str] | Sequence[str] | None = None,
        scheme: str = "centroid",
        scaled: bool = True,
        tol: float = 1e-7,
        max_iter: int = 300,
    ) -> None:
        self.inner = inner
        self.blocks = blocks
        self.modes = modes
        self.scheme = scheme
        self.scaled = scaled
        self.tol = tol
        self.max_iter = max_iter

    # ---------------------------------------------------------------- validation
    def _validate_params(self):
        """Check the parameters; return the model :class:`~csworkbench.pls.specs.Structure`."""
        if self.scheme not in SCHEMES:
            raise ParameterError(f"scheme must be one of {', '.join(SCHEMES)}; got {self.scheme!r}")
        if not isinstance(self.scaled, (bool, np.bool_)):
            raise ParameterError(f"scaled must be True or False; got {self.scaled!r}")
        if not (isinstance(self.tol, (int, float)) and self.tol > 0):
            raise ParameterError(f"tol must be a positive number; got {self.tol!r}")
        if not (isinstance(self.max_iter, (int, np.integer)) and self.max_iter >= 1):
            raise ParameterError(f"max_iter must be a positive integer; got {self.max_iter!r}")
        if self.inner is None or self.blocks is None:
            raise ParameterError("give the model: PLSPM(inner, blocks), e.g. PLSPM(**ecsi_model())")
        return structure(self.inner, self.blocks, self.modes)

    @staticmethod
    def _validate_data(data: pd.DataFrame, indicators: list[str]) -> pd.DataFrame:
        if not isinstance(data, pd.DataFrame):
            raise DataError(f"data must be a pandas DataFrame; got {type(data).__name__}")
        for c in indicators:
            if c not in data.columns:
                raise DataError(
                    f"indicator column is missing from the data (columns are {list(map(str, data.columns))[:12]}…)",
                    column=c,
                )
        frame = data[indicators]
        out = {}
        for c in indicators:
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
            cols = [c for c in indicators if X[c].isna().any()]
            warnings.warn(
                f"{int(missing.sum())} of {len(X)} rows have missing indicator values (columns {cols}) "
                "and were left out of the PLS model (listwise)",
                DataWarning,
                stacklevel=3,
            )
            X = X.loc[~missing]
        if len(X) < len(indicators):
            raise ModelError(
                f"fewer rows ({len(X)}) than indicators ({len(indicators)}); PLS-PM needs more observations"
            )
        sd = X.std(ddof=0)
        const = [c for c in indicators if not sd[c] > 0]
        if const:
            raise ModelError(
                f"indicator {const[0]!r} is constant (every answer {X[const[0]].iloc[0]:g}); drop it from its block"
            )
        return X

    def _weighted_data(
        self, data: pd.DataFrame, indicators: list[str], weights: str | None
    ) -> tuple[pd.DataFrame, np.ndarray | None]:
        """The indicator frame and, with ``weights``, the usable case weight of each of its rows."""
        if weights is None:
            return self._validate_data(data, indicators), None
        from ..problems import Problems
        from ..weighting.design import case_weights

        if not isinstance(data, pd.DataFrame):
            raise DataError(f"data must be a pandas DataFrame; got {type(data).__name__}")
        w = np.asarray(case_weights(data, weights, problems=Problems(path=data.attrs.get("source"), warn=True)))
        usable = np.isfinite(w)
        X = self._validate_data(data.loc[usable], indicators)
        return X, pd.Series(w[usable], index=data.index[usable]).loc[X.index].to_numpy(dtype=float)

    def _unweighted_only(self, what: str) -> None:
        """ParameterError for analyses that do not (yet) take the case weights of a weighted fit."""
        if getattr(self, "_w", None) is not None:
            raise ParameterError(
                f"{what} does not support case weights yet; this model was fitted with weights= "
                "(weighted fit and weighted bootstrap are supported)"
            )

    # ---------------------------------------------------------------- fit
    def fit(self, data: pd.DataFrame, weights: str | None = None) -> PLSPM:
        """Estimate the model on ``data`` (one column per indicator). Returns ``self``.

        ``weights`` names a column of case weights: weighted PLS-PM (WPLS, Becker & Ismail 2016;
        SmartPLS "weighting vector", seminr ``estimate_pls(weights=)`` analogues) — indicator
        means, SDs and the covariance matrix are weighted, so every estimate is that of the
        weighted population; :meth:`bootstrap` then resamples respondents with their weights.
        The OLS path SEs of ``paths_`` (and :meth:`conf_int`) use Kish's effective sample size
        ``n_eff_`` in place of n; prefer the weighted bootstrap.  Unusable weights are listed (a
        DataWarning) and their rows left out.  None: unweighted, as before (``n_eff_`` = n).
        """
        st = self._validate_params()
        X, w = self._weighted_data(data, st.indicators, weights)
        n = len(X)
        A = X.to_numpy()
        p = np.full(n, 1.0 / n) if w is None else w / w.sum()
        mean = p @ A if w is not None else A.mean(axis=0)
        Xc = A - mean
        sd = np.sqrt(p @ Xc**2) if w is not None else A.std(axis=0)
        Xt = Xc / sd if self.scaled else Xc
        S = (Xt.T @ Xt / n)[None] if w is None else ((Xt * p[:, None]).T @ Xt)[None]
        n_eff = float(n if w is None else w.sum() ** 2 / (w * w).sum())
        est = estimates(S, st.mask, st.modes, st.adj, self.scheme, self.tol, self.max_iter)
        if not est["converged"][0]:
            raise ConvergenceError(
                f"PLS-PM did not converge in {self.max_iter} iterations (last change of the outer weights "
                f"{est['change'][0]:.3g}, tolerance {self.tol:g}); raise max_iter or check the model"
            )
        e = {k: v[0] for k, v in est.items()}
        # private state for bootstrap and IPMA
        self._st, self._X, self._mean, self._sd, self._W = st, X, mean, sd, e["W"]
        self._w = w
        self.n_obs_ = n
        self.n_eff_ = n_eff
        self.n_iter_ = int(e["iters"])
        self.outer_ = quality.outer_table(st, e["W"], e["cross"], e["r2"])
        endo = quality.endogenous(st)
        self.r2_ = pd.Series([e["r2"][k] for k in endo], index=[st.names[k] for k in endo], name="r2")
        self.paths_ = quality.path_table(st, e["R"], e["paths"], e["r2"], n if w is None else n_eff)
        self.effects_ = quality.effects_table(st, e["paths"], e["total"])
        communality = self.outer_["communality"].to_numpy()
        self.gof_ = quality.gof(st, communality, e["r2"])
        self.crossloadings_ = quality.crossloadings_table(st, e["cross"])
        self.scores_ = pd.DataFrame(Xt @ e["W"], columns=st.names, index=X.index)
        corr = standardise_cov(S)[0]
        w_std = e["W"] * np.sqrt(np.diag(S[0]))[:, None]  # weights of the standardised indicators
        loading = self.outer_["loading"].to_numpy()
        self.quality_ = quality.quality_table(st, corr, communality, e["r2"], w_std, loading, n)
        self.r2_adj_ = pd.Series(
            self.quality_.set_index("construct").loc[self.r2_.index, "r2_adj"].to_numpy(),
            index=self.r2_.index,
            name="r2_adj",
        )
        self.htmt_ = quality.htmt_table(corr, st.mask, st.names)
        ave = self.quality_["ave"].to_numpy(dtype=float)
        self.fornell_larcker_ = quality.fornell_larcker_table(st, e["R"], ave)
        self.vif_outer_ = quality.outer_vif_table(st, corr)
        self.vif_inner_ = quality.inner_vif_table(st, e["R"])
        self.f2_ = f2_table(self)
        return self

    # ---------------------------------------------------------------- inference
    def summary(self, bootstrap: PLSBootstrap | None = None) -> pd.DataFrame:
        """Tidy path table with the two kinds of inference kept apart.

        Columns ``source, target, estimate, f2, r2_target``, then the OLS inference on the LV
        scores (as R plspm's ``lm``; assumes independent normal errors and treats the scores as
        observed): ``se_ols, t_ols, p_value_ols``; with a ``bootstrap`` (a
        :class:`~csworkbench.pls.bootstrap.PLSBootstrap` of this model) also the resampling
        inference PLS-SEM usually reports: ``se_boot, ci_low_boot, ci_high_boot`` (percentile
        interval at the bootstrap's ``confidence``) and ``p_value_boot`` (two-sided, from
        ``t = estimate / se_boot`` on n − 1 degrees of freedom, as seminr and SmartPLS).

        >>> from csworkbench.datasets import load_ecsi
        >>> from csworkbench.pls import ecsi_model
        >>> m = PLSPM(**ecsi_model(), scaled=False).fit(load_ecsi())
        >>> list(m.summary(m.bootstrap(n_boot=50, progress=False)).columns)[5:]
        ['se_ols', 't_ols', 'p_value_ols', 'se_boot', 'ci_low_boot', 'ci_high_boot', 'p_value_boot']
        """
        self.check_fitted("paths_")
        out = self.paths_[["source", "target", "estimate"]].copy()
        out["f2"] = out.merge(self.f2_, on=["source", "target"], how="left")["f2"].to_numpy()
        out["r2_target"] = out["target"].map(self.r2_)
        out["se_ols"], out["t_ols"], out["p_value_ols"] = (self.paths_[c] for c in ("se", "t", "p_value"))
        if bootstrap is not None:
            if not isinstance(bootstrap, PLSBootstrap) or len(bootstrap.paths) != len(out):
                raise ParameterError("bootstrap must be a PLSBootstrap of this model (model.bootstrap(...))")
            b = out[["source", "target"]].merge(bootstrap.paths, on=["source", "target"], how="left")
            out["se_boot"], out["ci_low_boot"], out["ci_high_boot"] = b["se"], b["ci_low"], b["ci_high"]
            tval = out["estimate"] / out["se_boot"]
            out["p_value_boot"] = 2 * stats.t.sf(np.abs(tval), self.n_obs_ - 1)
        return out

    def blindfolding(self, *, omission_distance: int = 7) -> pd.DataFrame:
        """Stone–Geisser Q² by blindfolding: ``construct, sso, sse, q2``
        (see :func:`csworkbench.pls.predictive.blindfolding`); the model is not changed."""
        self._unweighted_only("blindfolding")
        return blindfolding(self, omission_distance=omission_distance)

    def pls_predict(
        self, *, k: int = 10, n_repeats: int = 10, random_state: int | np.random.Generator | None = 0
    ) -> pd.DataFrame:
        """PLSpredict, out-of-sample RMSE/MAE of the endogenous indicators, PLS vs the LM benchmark
        (see :func:`csworkbench.pls.predictive.pls_predict`); the model is not changed."""
        self._unweighted_only("pls_predict")
        return pls_predict(self, k=k, n_repeats=n_repeats, random_state=random_state)

    def conf_int(self, confidence: float = 0.95) -> pd.DataFrame:
        """Intervals of the path coefficients from the OLS standard errors (R's ``confint`` of the
        ``lm`` on the scores, t with n − q − 1 degrees of freedom): ``source, target, estimate,
        ci_low, ci_high``.  Percentile bootstrap intervals: :meth:`bootstrap`.

        >>> from csworkbench.datasets import load_ecsi
        >>> from csworkbench.pls import ecsi_model
        >>> ci = PLSPM(**ecsi_model(), scaled=False).fit(load_ecsi()).conf_int(0.9)
        >>> bool((ci["ci_low"] < ci["estimate"]).all())
        True
        """
        self.check_fitted("paths_")
        check_confidence(confidence)
        st = self._st
        q = {st.names[k]: int(st.adj[:, k].sum()) for k in quality.endogenous(st)}
        dfree = self.n_obs_ - self.paths_["target"].map(q).to_numpy() - 1
        half = stats.t.ppf(0.5 + confidence / 2, dfree) * self.paths_["se"].to_numpy()
        out = self.paths_[["source", "target", "estimate"]].copy()
        out["ci_low"], out["ci_high"] = out["estimate"] - half, out["estimate"] + half
        return out

    def bootstrap(
        self,
        *,
        n_boot: int = 1000,
        confidence: float = 0.95,
        random_state: int | np.random.Generator | None = 0,
        progress: bool = True,
        chunk: int = 250,
    ) -> PLSBootstrap:
        """Percentile bootstrap of paths, weights, loadings, R², total effects and HTMT.

        Returns a :class:`~csworkbench.pls.bootstrap.PLSBootstrap`; the model is not changed.
        See :func:`csworkbench.pls.bootstrap.bootstrap` for the parameters.
        """
        return bootstrap(
            self, n_boot=n_boot, confidence=confidence, random_state=random_state, progress=progress, chunk=chunk
        )

    # ---------------------------------------------------------------- IPMA
    def ipma(
        self,
        target: str,
        *,
        scale_min: float | Mapping[str, float] | None = None,
        scale_max: float | Mapping[str, float] | None = None,
    ) -> IPMAResult:
        """Importance–performance map of the constructs that drive ``target``
        (an :class:`~csworkbench.pls.ipma.IPMAResult`; see :func:`csworkbench.pls.ipma.ipma`)."""
        self._unweighted_only("IPMA")
        return ipma(self, target, scale_min=scale_min, scale_max=scale_max)

    def performance_scores(
        self,
        *,
        scale_min: float | Mapping[str, float] | None = None,
        scale_max: float | Mapping[str, float] | None = None,
    ) -> pd.DataFrame:
        """Construct scores on a 0–100 performance scale (see :func:`csworkbench.pls.ipma.performance_scores`)."""
        self._unweighted_only("performance_scores")
        return performance_scores(self, scale_min=scale_min, scale_max=scale_max)
