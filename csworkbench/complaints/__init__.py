"""Customer complaints (顾客抱怨): records, escalation, classifiers, analytics, privacy.

Course concept: COURSE.md §4 — the complaint record, the five escalation levels,
classification by content / defect / product / region / department, monthly statistics,
the Pareto chart (排列图), handling steps and deadlines; and §3's silent-majority and
1 + 11 + 55 word-of-mouth arithmetic.

Modules (one room per concept):

===================  ================================================================
``records``          categories, departments, :func:`escalation_level`, :func:`load_complaints`
``privacy``          :func:`mask_pii`, :func:`mask_complaints`, :func:`escape_html`
``text``             normalisation, :class:`CharNgramTfidf`, :func:`near_duplicate_groups`
``classify``         :class:`ComplaintClassifier`, :class:`KeywordClassifier`, lexicon
``evaluation``       :func:`evaluate` (dedup → split → macro-F1 with CI vs baselines),
                     :func:`suggest_labels`
``analytics``        Pareto, counts per period, control charts, SLA, funnel, repeats,
                     :func:`silent_dissatisfied`, masked examples
``charts``           plotly figures of the above
===================  ================================================================

Note: the bundled real text data (``reviews_zh``) carries *sentiment* labels, not
complaint categories; it proves the classifier on real Chinese customer language.
Category recovery is proven on :func:`csworkbench.datasets.complaints.make_complaints`.

Examples
--------
>>> from csworkbench.complaints import mask_pii, escalation_level
>>> mask_pii("电话 13812345678")
'电话 138****5678'
"""

from .analytics import (
    complaint_counts,
    complaint_examples,
    complaint_pareto,
    control_chart,
    escalation_funnel,
    repeat_complainers,
    resolution_sla,
    silent_dissatisfied,
)
from .charts import control_chart_figure, display_table, funnel_figure, pareto_figure, sla_figure
from .classify import LEXICON_PATH, TRUSTED_TYPES, ComplaintClassifier, KeywordClassifier, load_lexicon
from .evaluation import Evaluation, bootstrap_macro_f1, classify_log, dedupe_texts, evaluate, macro_f1, suggest_labels
from .privacy import escape_html, luhn_ok, mask_complaints, mask_name, mask_pii, valid_id_number
from .records import (
    ASPECT_OF,
    CATEGORIES,
    CHANNEL_LEVEL,
    DEPARTMENT_OF,
    ESCALATION_LEVELS,
    HANDLING_STEPS,
    escalation_level,
    load_complaints,
)
from .text import CharNgramTfidf, near_duplicate_groups, normalize_text

__all__ = [
    "ASPECT_OF", "CATEGORIES", "CHANNEL_LEVEL", "DEPARTMENT_OF", "ESCALATION_LEVELS", "HANDLING_STEPS",
    "LEXICON_PATH", "TRUSTED_TYPES",
    "CharNgramTfidf", "ComplaintClassifier", "Evaluation", "KeywordClassifier",
    "bootstrap_macro_f1", "classify_log", "display_table", "complaint_counts", "complaint_examples", "complaint_pareto", "control_chart",
    "control_chart_figure", "dedupe_texts", "escalation_funnel", "escalation_level", "escape_html",
    "evaluate", "funnel_figure", "load_complaints", "load_lexicon", "luhn_ok", "macro_f1", "mask_complaints",
    "mask_name", "mask_pii", "near_duplicate_groups", "normalize_text", "pareto_figure", "repeat_complainers",
    "resolution_sla", "silent_dissatisfied", "sla_figure", "suggest_labels", "valid_id_number",
]
