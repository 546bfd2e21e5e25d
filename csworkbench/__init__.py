"""csworkbench — a research workbench for customer satisfaction, customer service and CRM
(顾客满意、客户服务与客户关系管理研究工作台).

The package does the computing; notebooks stay thin and call it.  Modules by capability:

==============  ==============================================================
``io``          read_table: CSV (UTF-8/BOM/GB18030), Excel, SPSS, Parquet, SQL
``schema``      validate_survey / validate_transactions / validate_complaints
``datasets``    bundled real data (load_*) and seeded synthetic data (make_*)
``gaps``        triangle rule, CEM seven steps, SERVQUAL, five gaps, Kano, IPA, Grönroos
``drivers``     key-driver regression, relative weights, dominance (Shapley R²)
``pls``         PLS path models (ECSI/ACSI), bootstrap, IPMA
``tiers``       pyramid, ABC care, Pareto/Lorenz, RFM, value classes, uplift tree
``clv``         BG/NBD, Pareto/NBD, MBG/NBD, BG/BB, Gamma-Gamma, customer lifetime value
``complaints``  complaint records, escalation, classifiers, Pareto/trend/SLA, PII masking
``weighting``   survey_mean/proportion/total with case weights, raking, segment comparisons
``reporting``   batch reports with papermill → offline HTML (``csw`` command)
``i18n``        zh/en labels;  ``plots``: shared theme and CJK font;  ``errors``
==============  ==============================================================

Names are imported lazily, so ``import csworkbench`` stays fast and a notebook pays only
for the capabilities it uses.

>>> import csworkbench as cw
>>> cw.read_table.__module__
'csworkbench.io'
"""

from __future__ import annotations

from ._lazy import lazy_namespace

__version__ = "0.1.0"

# public name → module that defines it
_EXPORTS: dict[str, str] = {
    # plumbing
    "CSWError": "errors",
    "DataError": "errors",
    "ModelError": "errors",
    "ConvergenceError": "errors",
    "ReportError": "errors",
    "CSWWarning": "errors",
    "DataWarning": "errors",
    "ParameterError": "errors",
    "NotFittedError": "estimators",
    "Problems": "problems",
    "read_table": "io",
    "Period": "periods",
    "filter_period": "periods",
    "Validated": "schema",
    "validate_survey": "schema",
    "validate_transactions": "schema",
    "validate_complaints": "schema",
    "survey_to_long": "schema",
    "t": "i18n",
    "load_ecsi": "datasets",
    "load_mobi": "datasets",
    "load_attitude": "datasets",
    "load_mtcars": "datasets",
    "load_russett": "datasets",
    "load_cdnow": "datasets",
    "load_donations": "datasets",
    "load_reviews_zh": "datasets",
    "load_cem_example": "datasets",
    "make_servqual_survey": "datasets",
    "make_kano_survey": "datasets",
    "make_transactions": "datasets",
    "make_bank_customers": "datasets",
    "make_complaints": "datasets",
    "apply_theme": "plots",
    # gaps (COURSE.md §1)
    "gap_scores": "gaps",
    "cem_table": "gaps",
    "cem_steps": "gaps",
    "servqual": "gaps",
    "five_gaps": "gaps",
    "kano_classify": "gaps",
    "needs_window": "gaps",
    "ipa": "gaps",
    "perceived_quality": "gaps",
    "wide_to_long": "gaps",
    "select_answers": "gaps",
    # drivers and PLS path models (§2)
    "key_drivers": "drivers",
    "relative_weights": "drivers",
    "dominance": "drivers",
    "composite_scores": "drivers",
    "KeyDriversResult": "drivers",
    "RelativeWeightsResult": "drivers",
    "DominanceResult": "drivers",
    "PLSPM": "pls",
    "ecsi_model": "pls",
    "acsi_model": "pls",
    "PLSBootstrap": "pls",
    "IPMAResult": "pls",
    # tiers and lifetime value (§3)
    "customer_value": "tiers",
    "customer_pyramid": "tiers",
    "tier_summary": "tiers",
    "pareto_curve": "tiers",
    "lorenz": "tiers",
    "abc_tiers": "tiers",
    "care_plan": "tiers",
    "care_budget": "tiers",
    "rfm": "tiers",
    "RFMClusters": "tiers",
    "value_classes": "tiers",
    "differentiation_matrix": "tiers",
    "strategy_matrix": "tiers",
    "strategic_score": "tiers",
    "retention_economics": "tiers",
    "uplift_tree": "tiers",
    "summary_from_transactions": "clv",
    "BetaGeoModel": "clv",
    "ParetoNBDModel": "clv",
    "ModifiedBetaGeoModel": "clv",
    "BetaGeoBetaBinomModel": "clv",
    "GammaGammaModel": "clv",
    # complaints (§4)
    "ComplaintClassifier": "complaints",
    "KeywordClassifier": "complaints",
    "evaluate": "complaints",
    "suggest_labels": "complaints",
    "escalation_level": "complaints",
    "mask_pii": "complaints",
    "complaint_pareto": "complaints",
    "silent_dissatisfied": "complaints",
    "load_complaints": "datasets",
    # case weights and segment comparisons (issue 20)
    "survey_mean": "weighting",
    "survey_proportion": "weighting",
    "survey_total": "weighting",
    "kish_n_eff": "weighting",
    "rake": "weighting",
    "compare_segments": "weighting",
    # batch reports
    "load_run": "reporting",
    "run_reports": "reporting",
    "build_lessons": "reporting",
}

_SUBMODULES = (
    "errors",
    "config",
    "codes",
    "problems",
    "periods",
    "estimators",
    "lexicon",
    "io",
    "schema",
    "datasets",
    "i18n",
    "plots",
    "gaps",
    "drivers",
    "pls",
    "tiers",
    "clv",
    "complaints",
    "weighting",
    "reporting",
)

__all__ = sorted(_EXPORTS) + ["__version__"]


__getattr__, __dir__ = lazy_namespace(__name__, _EXPORTS, _SUBMODULES)
