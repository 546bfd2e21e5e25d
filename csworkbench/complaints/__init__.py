"""Customer complaints (顾客抱怨): records, escalation, classifiers, analytics, privacy.

Course concept: COURSE.md §4 — the complaint record, the five escalation levels,
classification by content / defect / product / region / department, monthly statistics,
the Pareto chart (排列图), handling steps and deadlines; and §3's silent-majority and
1 + 11 + 55 word-of-mouth arithmetic.

Modules (one room per concept):

===================  ================================================================
``records``          :func:`escalation_level` (the five levels; the record's vocabulary is in
                     :mod:`csworkbench.codes`, the loader :func:`csworkbench.datasets.load_complaints`)
``privacy``          :func:`mask_pii`, :func:`mask_complaints`, :func:`escape_html`
``text``             normalisation, :class:`CharNgramTfidf`, jieba words (:class:`JiebaWordTfidf`,
                     :class:`CharWordTfidf`, :func:`segment_words`), :func:`near_duplicate_groups`
``classify``         :class:`ComplaintClassifier`, :class:`KeywordClassifier`, lexicon
``evaluation``       :func:`evaluate` (dedup → split → macro-F1 with CI vs baselines),
                     :func:`cross_validate_classifier` (k folds, corrected t interval),
                     :func:`suggest_labels`
``topics``           :func:`complaint_topics` (NMF topics of unlabelled complaints, words and examples)
``analytics``        Pareto, counts per period, control charts, SLA, funnel, repeats,
                     :func:`silent_dissatisfied`, masked examples
``tables``           :func:`display_table`: result tables with labels in the report's language
``figures``          plotly figures of the above (the only module that imports plotly)
===================  ================================================================

Note: the bundled real text data (``reviews_zh``) carries *sentiment* labels, not
complaint categories; it proves the classifier on real Chinese customer language.
Category recovery is proven on :func:`csworkbench.datasets.complaints.make_complaints`.

Names are imported lazily: ``import csworkbench.complaints`` loads neither scikit-learn nor
plotly; a name loads its module on first use.

Examples
--------
>>> from csworkbench.complaints import mask_pii, escalation_level
>>> mask_pii("电话 13812345678")
'电话 138****5678'
"""

from __future__ import annotations

from .._lazy import lazy_namespace

#: public name → the submodule that defines it
_EXPORTS: dict[str, str] = {
    "complaint_counts": "analytics",
    "complaint_examples": "analytics",
    "complaint_pareto": "analytics",
    "control_chart": "analytics",
    "escalation_funnel": "analytics",
    "repeat_complainers": "analytics",
    "resolution_sla": "analytics",
    "silent_dissatisfied": "analytics",
    "control_chart_figure": "figures",
    "funnel_figure": "figures",
    "pareto_figure": "figures",
    "sla_figure": "figures",
    "display_table": "tables",
    "category_label": "tables",
    "complaint_findings": "tables",
    "complaint_kpis": "tables",
    "TRUSTED_TYPES": "classify",
    "ComplaintClassifier": "classify",
    "KeywordClassifier": "classify",
    "LEXICON_PATH": "records",
    "load_lexicon": "records",
    "Evaluation": "evaluation",
    "CrossValidation": "evaluation",
    "cross_validate_classifier": "evaluation",
    "ScoreInterval": "evaluation",
    "bootstrap_macro_f1": "evaluation",
    "classify_log": "evaluation",
    "dedupe_texts": "evaluation",
    "evaluate": "evaluation",
    "macro_f1": "evaluation",
    "suggest_labels": "evaluation",
    "escape_html": "privacy",
    "luhn_ok": "privacy",
    "mask_complaints": "privacy",
    "mask_name": "privacy",
    "mask_pii": "privacy",
    "valid_id_number": "privacy",
    "escalation_level": "records",
    "NEGATION_TRIGGERS": "records",
    "PSEUDO_NEGATIONS": "records",
    # the record's vocabulary, defined in csworkbench.codes
    "ASPECT_OF": "records",
    "CATEGORIES": "records",
    "CHANNEL_LEVEL": "records",
    "DEPARTMENT_OF": "records",
    "ESCALATION_LEVELS": "records",
    "HANDLING_STEPS": "records",
    "ComplaintTopics": "topics",
    "complaint_topics": "topics",
    "CharNgramTfidf": "text",
    "CharWordTfidf": "text",
    "JiebaWordTfidf": "text",
    "segment_words": "text",
    "near_duplicate_groups": "text",
    "normalize_text": "text",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_namespace(__name__, _EXPORTS)
