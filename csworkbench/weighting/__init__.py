"""Case weights for survey analysis (加权与细分比较): weighted estimates, raking, segment comparisons.

Course concept: survey samples are rarely simple random samples (quotas by region, over-sampled
key accounts, unequal response rates); every estimate is weighted and segments are compared with a
test (COURSE.md §1–§2, 顾客满意度测评的抽样与加权).

==============  ===========================================================================
``design``      :func:`survey_mean`, :func:`survey_proportion`, :func:`survey_total` (Taylor
                linearisation for sampling weights, or frequency weights), :func:`kish_n_eff`,
                :func:`case_weights` (unusable weights listed)
``raking``      :func:`rake` → :class:`RakeResult` (weights to population margins, trimming,
                diagnostics)
``segments``    :func:`compare_segments` (a statistic across the levels of a segment column, the
                right test, Holm / BH control across segments × items)
==============  ===========================================================================

Vocabulary: ``weights`` names the column of case weights (None: unweighted);
``weight_type="sampling"`` (default) or ``"frequency"``.

Examples
--------
>>> import pandas as pd
>>> from csworkbench.weighting import survey_mean
>>> df = pd.DataFrame({"sat": [7, 5, 6, 9], "w": [1.0, 3.0, 1.0, 1.0]})
>>> float(survey_mean(df, ["sat"], weights="w")["n_eff"].iloc[0])
3.0
"""

from __future__ import annotations

from .._lazy import lazy_namespace

_EXPORTS: dict[str, str] = {
    "survey_mean": "design",
    "survey_total": "design",
    "survey_proportion": "design",
    "kish_n_eff": "design",
    "case_weights": "design",
    "weighted_moments": "design",
    "WEIGHT_TYPES": "design",
    "weighted_corr_stack": "design",
    "compare_segments": "segments",
    "rake": "raking",
    "RakeResult": "raking",
    "trim_weights": "raking",
    "weight_diagnostics": "raking",
    "SegmentComparison": "segments",
    "SEGMENT_STATISTICS": "segments",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_namespace(__name__, _EXPORTS)
