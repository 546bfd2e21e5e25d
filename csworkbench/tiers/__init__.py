"""Customer tiers and value (客户层级与客户价值): pyramid, Pareto/Lorenz, ABC care, RFM, value classes.

The course's CRM half (COURSE.md §3) asks which customers matter and how to serve each tier
at the right cost.  This package turns a transaction log into those answers, one module per
concept:

==================  ==========================================================================
``value``           :func:`customer_value` — revenue, margin, orders, recency per customer (客户价值)
``pyramid``         :func:`customer_pyramid`, :func:`tier_summary` — 超重量级 / 重量级 / 次重量级 / 轻量级
``concentration``   :func:`pareto_curve`, :func:`lorenz` (Gini, 80/20), :func:`abc_tiers` (ABC分类)
``care``            :func:`care_plan`, :func:`care_budget` — care per ABC tier within the caps (客户关怀)
``rfm_scores``      :func:`rfm`, :func:`rfm_summary`, :class:`RFMClusters` (RFM分析)
``strategy``        :func:`value_classes`, :func:`differentiation_matrix`, :func:`strategy_matrix`,
                    :func:`strategic_score`, :func:`retention_economics` (客户策略)
``uplift``          :func:`uplift_tree` — the bank decision tree with a control group (银行决策树)
``figures``         :func:`pyramid_figure`, :func:`lorenz_figure`, :func:`rfm_figure`, :func:`uplift_figure`
``tables``          :func:`display_table` — column names in Chinese or English for readers
==================  ==========================================================================

Functions that validate transactions return a result with a ``problems`` table (columns
:data:`csworkbench.codes.PROBLEM_COLUMNS`) next to their ``table``; names are imported
lazily, so ``import csworkbench.tiers`` loads neither scikit-learn nor plotly.

Examples
--------
>>> import pandas as pd
>>> from csworkbench import tiers
>>> tx = pd.DataFrame({"customer_id": ["a", "a", "b", "c"], "amount": [90.0, 10, 60, 40],
...                    "date": ["2024-01-01", "2024-02-01", "2024-01-05", "2024-01-09"]})
>>> value = tiers.customer_value(tx)
>>> tiers.customer_pyramid(value, cuts=(0.25, 0.25, 0.25, 0.25), lang="en").table["tier"].tolist()
['super_heavy', 'heavy', 'sub_heavy']
"""

from __future__ import annotations

from .._lazy import lazy_namespace

# public name → submodule that defines it
_EXPORTS: dict[str, str] = {
    "CustomerValueResult": "value",
    "customer_value": "value",
    "PYRAMID_TIERS": "pyramid",
    "TierResult": "pyramid",
    "customer_pyramid": "pyramid",
    "tier_summary": "pyramid",
    "pareto_curve": "concentration",
    "lorenz": "concentration",
    "LorenzResult": "concentration",
    "abc_tiers": "concentration",
    "CARE_PROGRAMME": "care",
    "CARE_CAPS": "care",
    "care_plan": "care",
    "care_budget": "care",
    "RFM_SEGMENTS": "rfm_scores",
    "RFMResult": "rfm_scores",
    "rfm": "rfm_scores",
    "rfm_summary": "rfm_scores",
    "RFMClusters": "rfm_scores",
    "value_classes": "strategy",
    "differentiation_matrix": "strategy",
    "DifferentiationResult": "strategy",
    "strategy_matrix": "strategy",
    "STRATEGIC_CRITERIA": "strategy",
    "strategic_score": "strategy",
    "StrategicScoreResult": "strategy",
    "retention_economics": "strategy",
    "uplift_tree": "uplift",
    "UpliftTreeResult": "uplift",
    "pyramid_figure": "figures",
    "lorenz_figure": "figures",
    "rfm_figure": "figures",
    "uplift_figure": "figures",
    "display_table": "tables",
    "tier_findings": "tables",
    "tier_kpis": "tables",
    "clv_reading": "tables",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_namespace(__name__, _EXPORTS)
