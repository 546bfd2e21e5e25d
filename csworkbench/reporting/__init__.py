"""Batch reports (批量报告): parameterised notebooks → offline HTML, in parallel, with an index.

The pieces, each usable alone:

* :mod:`.spec` — the run description (YAML) → checked :class:`ReportJob` s
  (:func:`load_run`, :func:`expand_grid`, :func:`resolve_period`, :func:`notebook_parameters`);
* :mod:`.batch` — execution with papermill in isolated worker processes or on dask
  (:func:`run_reports` → :class:`RunResult`), status.json and re-run skipping;
* :mod:`.html` — offline HTML export with shared plotly.js and the index page
  (:func:`export_html`, :func:`write_index`);
* :mod:`.lessons` — the course book built from ``notebooks/lessons``;
* :mod:`.cli` — the ``csw`` command (``csw report``, ``csw list``, ``csw lab``, ``csw lessons``).

Reference: papermill (nteract) for parameterised execution; nbconvert for HTML export.

Examples
--------
>>> from csworkbench.reporting import expand_grid
>>> len(expand_grid({"lang": ["zh", "en"], "period": ["2026-09", "2026-10"]}))
4
"""

from .batch import RunResult, execute_report, run_reports
from .html import export_html, write_index
from .spec import ReportJob, RunSpec, analysis_notebooks, expand_grid, load_run, notebook_parameters, resolve_period

__all__ = [
    "ReportJob",
    "RunSpec",
    "RunResult",
    "load_run",
    "expand_grid",
    "resolve_period",
    "notebook_parameters",
    "analysis_notebooks",
    "run_reports",
    "execute_report",
    "export_html",
    "write_index",
]
