"""Key-driver analysis of satisfaction (顾客满意驱动因素分析): regression, relative weights, dominance.

Course concept: the satisfaction research model (顾客满意度研究模型, COURSE.md §2) — find which
factors drive satisfaction so that "the most cost-effective drivers are improved".  Three
answers to "how important is each driver?", each a frozen result dataclass:

==================  ===========================================================================
``regression``      :func:`key_drivers` → :class:`KeyDriversResult` (beta weights, HC3, VIF; ordered
                    logit); :func:`composite_scores` (block means of items)
``weights``         :func:`relative_weights` → :class:`RelativeWeightsResult` (Johnson 2000)
``shapley``         :func:`dominance` → :class:`DominanceResult` (general = Shapley value of R²,
                    conditional, complete; Budescu 1993)
``common``          complete cases, correlation matrices, vectorised bootstrap resamples
``labels``          :func:`label_columns`, :func:`label_values` (zh/en names in result tables)
``figures``         :func:`importance_figure` (plotly)
``widgets``         :func:`driver_explorer` (ipywidgets panel for JupyterLab)
==================  ===========================================================================

Bootstraps default to ``n_boot=1000`` percentile resamples (``n_boot=0``: no intervals) with
``random_state=0``.  Names are imported lazily: ``import csworkbench.drivers`` loads neither
scikit-learn, plotly nor ipywidgets.

Reference: Johnson, J. W. (2000) *Multivariate Behavioral Research* 35, 1–19; Budescu, D. V.
(1993) *Psychological Bulletin* 114, 542–551; Azen, R., Budescu, D. V. (2003) *Psychological
Methods* 8, 129–148.

Examples
--------
>>> from csworkbench.datasets import load_attitude
>>> from csworkbench.drivers import dominance
>>> X = ["complaints", "privileges", "learning", "raises", "critical", "advance"]
>>> dominance(load_attitude(), "rating", X, n_boot=0).general["general_dominance"].round(3).tolist()
[0.371, 0.051, 0.156, 0.12, 0.007, 0.028]
"""

from __future__ import annotations

from .._lazy import lazy_namespace

# public name → submodule that defines it
_EXPORTS: dict[str, str] = {
    "key_drivers": "regression",
    "KeyDriversResult": "regression",
    "composite_scores": "regression",
    "relative_weights": "weights",
    "drivers_summary": "summary",
    "construct_name": "summary",
    "glossary": "summary",
    "segment_index": "summary",
    "index_scores": "summary",
    "RelativeWeightsResult": "weights",
    "dominance": "shapley",
    "DominanceResult": "shapley",
    "label_columns": "labels",
    "label_values": "labels",
    "column_labels": "labels",
    "importance_figure": "figures",
    "driver_explorer": "widgets",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_namespace(__name__, _EXPORTS)
