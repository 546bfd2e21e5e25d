"""PLS path modelling of satisfaction indices (偏最小二乘路径模型 / 顾客满意度指数模型 ECSI, ACSI).

Course concept: the satisfaction research model (顾客满意度研究模型, COURSE.md §2) — which
drivers (image 企业形象, expectations 期望, perceived quality 感知质量, perceived value 感知价值)
raise satisfaction (顾客满意) and, through it, loyalty (顾客忠诚) — estimated as a structural
model with latent variables, with bootstrap intervals and the importance–performance map (IPMA,
重要性-绩效分析) that links it back to the gap models.  Results match R ``plspm`` (ECSI GoF
0.6097, IMAG→EXPE 0.5790) and seminr.

==================  ===========================================================================
``model``           :class:`PLSPM` — the estimator (fit, summary, conf_int, bootstrap, ipma)
``specs``           :func:`ecsi_model`, :func:`acsi_model`, :func:`standard_model`, :func:`construct_label`
``algorithm``       Lohmöller's iteration on a stack of covariance matrices (as R plspm)
``quality``         outer model, paths, effects, GoF, α / ρA / ρC / DG ρ / AVE, adjusted R²,
                    HTMT, Fornell–Larcker, outer and inner VIF, cross-loadings
``predictive``      :func:`blindfolding` (Q²), :func:`pls_predict` (PLSpredict vs LM), f² by
                    re-estimation
``bootstrap``       :class:`PLSBootstrap` — percentile bootstrap, all resamples at once
``ipma``            :class:`IPMAResult` — importance–performance map analysis
``mediation``       :func:`specific_indirect_effects` — specific indirect effects, percentile and
                    BCa intervals, type of mediation (Zhao, Lynch & Chen 2010)
``moderation``      :func:`moderated_model` — two-stage interaction term and simple slopes
``mga``             :func:`multigroup` — permutation test of path differences, MICOM steps 1–2
``consistent``      :func:`consistent_pls` — PLSc (Dijkstra & Henseler 2015) with bootstrap
``higher_order``    :func:`higher_order_model`, :func:`higher_order_spec` — higher-order
                    constructs: repeated indicators and the two-stage approach
``figures``         :func:`path_model_figure`, :func:`ipma_figure` (plotly)
==================  ===========================================================================

Names are imported lazily: ``import csworkbench.pls`` loads neither scikit-learn nor plotly.

Reference: Sanchez, G. (2013) *PLS Path Modeling with R*. Trowchez Editions; Tenenhaus, M. et
al. (2005) PLS path modeling. *CSDA* 48, 159–205.

Examples
--------
>>> from csworkbench.datasets import load_ecsi
>>> from csworkbench.pls import PLSPM, ecsi_model
>>> model = PLSPM(**ecsi_model(), scheme="centroid", scaled=False).fit(load_ecsi())
>>> round(model.gof_, 4)
0.6097
"""

from __future__ import annotations

from .._lazy import lazy_namespace

# public name → submodule that defines it
_EXPORTS: dict[str, str] = {
    "PLSPM": "model",
    "ecsi_model": "specs",
    "acsi_model": "specs",
    "standard_model": "specs",
    "model_spec": "specs",
    "check_indicators": "specs",
    "construct_label": "specs",
    "CONSTRUCT_LABEL_KEYS": "specs",
    "PLSBootstrap": "bootstrap",
    "IPMAResult": "ipma",
    "blindfolding": "predictive",
    "pls_predict": "predictive",
    "specific_indirect_effects": "mediation",
    "MediationResult": "mediation",
    "moderated_model": "moderation",
    "ModerationResult": "moderation",
    "multigroup": "mga",
    "MultigroupResult": "mga",
    "consistent_pls": "consistent",
    "PLScResult": "consistent",
    "higher_order_model": "higher_order",
    "higher_order_spec": "higher_order",
    "HigherOrderResult": "higher_order",
    "path_model_figure": "figures",
    "ipma_figure": "figures",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_namespace(__name__, _EXPORTS)
