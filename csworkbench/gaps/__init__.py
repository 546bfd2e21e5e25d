"""Gap models of satisfaction (差距模型, COURSE.md §1): triangle rule, CEM, SERVQUAL, five gaps, Kano, IPA, Grönroos.

The course teaches satisfaction as a gap: perception − expectation (三角定律, 顾客满意 = 实际感受 −
期望感受).  This package takes survey answers from raw tidy frames to every gap model of the
course, with uncertainty and a table of the data problems found:

==============================  ==========================================================================
module                          concept
==============================  ==========================================================================
:mod:`~.reshape`                ``survey_answers``, ``wide_to_long``, ``select_answers``, ``cite_respondents``:
                                the user's survey (wide or long) into the long layout
:mod:`~.triangle`               ``gap_scores``: the triangle rule (三角定律) per respondent and attribute
:mod:`~.cem`                    ``cem_table``, ``cem_steps``: the CEM seven steps (客户体验管理七步法)
:mod:`~.service_quality`        ``servqual``, ``cronbach_alpha``: SERVQUAL (服务质量五要素; Parasuraman,
                                Zeithaml & Berry 1988) with importance weights and Cronbach's α
:mod:`~.gaps_model`             ``five_gaps``: the five service-quality gaps (服务质量差距; PZB 1985)
:mod:`~.kano`                   ``kano_classify``, ``needs_window``: Kano (卡诺模型) and the needs window
                                (客户需要之窗)
:mod:`~.importance_performance` ``ipa``: importance–performance analysis (Martilla & James 1977)
:mod:`~.gronroos`               ``perceived_quality``: Grönroos' perceived service quality (1984)
:mod:`~.journeys`               ``touchpoint_scores``, ``peak_end``: customer journeys and touchpoints (客户接触点)
:mod:`~.styles`                 ``service_style``: the four styles of customer service (客户服务的四种类型)
:mod:`~.figures`                ``gap_bar_figure``, ``item_heatmap_figure``, ``ipa_figure``, ``kano_figure``
:mod:`~.tables`                 ``table_view``: result tables labelled in Chinese or English
==============================  ==========================================================================

Answers come in the long layout ``respondent, item, kind, score`` where ``kind`` is ``"E"``
(expectation) or ``"P"`` (perception); SERVQUAL importance points may ride along as rows with
kind ``"I"`` and the dimension key as ``item``.  Every data problem ends up in the result's
``problems`` table (:data:`csworkbench.codes.PROBLEM_COLUMNS`, rows numbered as in the frame
passed in) and in a :class:`~csworkbench.errors.DataWarning`; ``strict=True`` raises a
:class:`~csworkbench.errors.DataError` instead.  Missing answers stay NaN, never 0.

Names load lazily: ``import csworkbench.gaps`` imports neither plotly nor scikit-learn; only the
figure builders load plotly.

Examples
--------
>>> from csworkbench.datasets.servqual import make_servqual_survey
>>> from csworkbench.gaps import servqual
>>> res = servqual(make_servqual_survey(300, random_state=0))
>>> res.dimensions["dimension"].tolist()[:2]
['tangibles', 'reliability']
"""

from __future__ import annotations

from .._lazy import lazy_namespace

# public name → submodule that defines it
_EXPORTS: dict[str, str] = {
    "wide_to_long": "reshape",
    "touchpoint_scores": "journeys",
    "service_style": "styles",
    "SERVICE_STYLES": "styles",
    "peak_end": "journeys",
    "select_answers": "reshape",
    "survey_answers": "reshape",
    "cite_respondents": "reshape",
    "instrument_mapping": "reshape",
    "answer_columns": "reshape",
    "KIND_LABELS": "reshape",
    "GapScoresResult": "triangle",
    "GapScores": "triangle",
    "gap_scores": "triangle",
    "cem_table": "cem",
    "cem_steps": "cem",
    "SERVQUAL_DIMENSIONS": "service_quality",
    "ServqualResult": "service_quality",
    "servqual": "service_quality",
    "cronbach_alpha": "service_quality",
    "FiveGapsResult": "gaps_model",
    "FiveGaps": "gaps_model",
    "five_gaps": "gaps_model",
    "KANO_TABLE": "kano",
    "KANO_CATEGORIES": "kano",
    "KanoResult": "kano",
    "kano_classify": "kano",
    "needs_window": "kano",
    "ipa": "importance_performance",
    "GronroosResult": "gronroos",
    "perceived_quality": "gronroos",
    "gap_bar_figure": "figures",
    "item_heatmap_figure": "figures",
    "ipa_figure": "figures",
    "kano_figure": "figures",
    "table_view": "tables",
    "servqual_summary": "summary",
    "dimension_label": "summary",
    "item_label": "summary",
    "segment_gaps": "summary",
    "kano_title": "summary",
    "respondent_gaps": "summary",
    "SegmentReport": "summary",
    "feature_label": "summary",
    "ReportSummary": "summary",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_namespace(__name__, _EXPORTS)
