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
``clv``         BG/NBD, Gamma-Gamma, customer lifetime value
``complaints``  complaint records, escalation, classifiers, Pareto/trend/SLA, PII masking
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

import importlib
from typing import Any

__version__ = "0.1.0"

# public name → module that defines it
_EXPORTS: dict[str, str] = {
    # plumbing
    "CSWError": "errors", "DataError": "errors", "ModelError": "errors", "ConvergenceError": "errors",
    "ReportError": "errors", "CSWWarning": "errors", "DataWarning": "errors",
    "read_table": "io",
    "Validated": "schema", "validate_survey": "schema", "validate_transactions": "schema",
    "validate_complaints": "schema", "survey_to_long": "schema",
    "t": "i18n",
    "load_ecsi": "datasets", "load_mobi": "datasets", "load_attitude": "datasets", "load_mtcars": "datasets",
    "load_russett": "datasets", "load_cdnow": "datasets", "load_reviews_zh": "datasets",
}

_SUBMODULES = ("errors", "config", "io", "schema", "datasets", "i18n", "plots", "gaps", "drivers", "pls",
               "tiers", "clv", "complaints", "reporting")

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'csworkbench' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS) | set(_SUBMODULES))
