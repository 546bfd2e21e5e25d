"""Batch reports (批量报告): parameterised notebooks → offline HTML, in parallel, with an index.

The pieces, each usable alone:

* :mod:`.spec` — the run description (YAML) → checked :class:`ReportJob` s
  (:func:`load_run`, :func:`expand_grid`, :func:`resolve_period`, :func:`notebook_parameters`);
* :mod:`.batch` — the run: jobs planned, reused or sent to isolated worker processes or dask
  (:func:`run_reports` → :class:`RunResult`), status.json and the index;
* :mod:`.worker` — one report executed by papermill and published (:func:`execute_report`);
* :mod:`.provenance` — package versions, hashes and the re-run key;
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

from .._lazy import lazy_namespace

_EXPORTS = {
    "ReportJob": "spec",
    "RunSpec": "spec",
    "load_run": "spec",
    "expand_grid": "spec",
    "resolve_period": "spec",
    "notebook_parameters": "spec",
    "analysis_notebooks": "spec",
    "RunResult": "batch",
    "run_reports": "batch",
    "execute_report": "worker",
    "export_html": "html",
    "write_index": "index",
    "build_lessons": "lessons",
    "RunLock": "files",
    "RunLockedError": "files",
}
__all__ = list(_EXPORTS)


__getattr__, __dir__ = lazy_namespace(__name__, _EXPORTS)
