"""Offline HTML for executed notebooks and the run index (离线交互式 HTML 报告).

A report page is what a manager opens in a browser without internet: code hidden, no
prompts, plotly charts interactive, images embedded, a header saying what was run on
which data and when, and a print-friendly stylesheet.  Built on nbconvert's
:class:`~nbconvert.exporters.HTMLExporter` (``exclude_input=True``,
``exclude_input_prompt=True``, ``exclude_output_prompt=True``) with a small template
``templates/csw`` that extends nbconvert's ``lab`` template and removes every script it
would load from a CDN (require.js, MathJax, mermaid, widget manager).

How plotly stays offline
------------------------
Inside the kernel plotly keeps its default Jupyter renderer, ``plotly_mimetype``: each
``fig.show()`` stores only the figure JSON (``application/vnd.plotly.v1+json``) in the
executed notebook — small, and JupyterLab renders it natively.  nbconvert has no template
for that MIME type, so :class:`PlotlyOfflinePreprocessor` turns each one into a
``<div>`` plus a ``Plotly.newPlot`` call (:func:`plotly.io.to_html` with
``include_plotlyjs=False``).  plotly.js itself (:func:`plotly.offline.get_plotlyjs`, from the
installed plotly package) is written **once per run folder** as ``plotly.min.js`` and
referenced relatively (``../plotly.min.js``), or inlined into each page with
``self_contained=True``.  The alternatives were worse: the ``notebook`` renderer with
``connected=False`` inlines ~4.6 MB of plotly.js into the first output of *every* report
(and the ``connected`` one fetches it from a CDN); ``cdn``/``iframe`` renderers need the
internet or side files per figure.

Stderr streams (warnings) are dropped from the page — they stay in the executed ``.ipynb``.
Cells tagged ``remove-cell`` or ``report-hide`` (e.g. notes for the analyst on how to set the
parameters) are left out of the page.

Every user-supplied string (title, parameters, file names, error messages) is HTML-escaped.

Examples
--------
>>> from csworkbench.reporting.html import report_header
>>> "<script>" in report_header("<script>x</script>", {"lang": "en"}, lang="en")
False
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import re
from functools import lru_cache
from os import PathLike
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..i18n import t
from .files import atomic_write_text

__all__ = [
    "PLOTLY_JS",
    "PlotlyOfflinePreprocessor",
    "export_html",
    "report_header",
    "write_plotlyjs",
    "write_index",
    "html_language",
]

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
PLOTLY_JS = "plotly.min.js"
PLOTLY_MIME = "application/vnd.plotly.v1+json"
#: Cells with one of these tags are left out of the report page (kept in the notebook).
REMOVE_TAGS = ("remove-cell", "report-hide")


def html_language(lang: str) -> str:
    """HTML ``lang`` attribute value for a workbench language (``"zh"`` → ``"zh-CN"``)."""
    return {"zh": "zh-CN", "en": "en"}.get(lang, lang)


@lru_cache(maxsize=1)
def _plotlyjs() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def write_plotlyjs(folder: str | PathLike) -> Path:
    """Write the installed plotly.js to ``folder/plotly.min.js`` (once; rewritten if it differs)."""
    path = Path(folder) / PLOTLY_JS
    js = _plotlyjs()
    if not path.exists() or path.stat().st_size != len(js.encode("utf-8")):
        atomic_write_text(path, js)
    return path


def _plotly_script(plotly_src: str | None) -> str:
    if plotly_src is None:  # self-contained
        return f'<script type="text/javascript">{_plotlyjs()}</script>'
    return f'<script type="text/javascript" src="{html.escape(plotly_src, quote=True)}"></script>'


class _PlotlyOffline:
    """Turn plotly JSON outputs into ``<div>`` + ``Plotly.newPlot`` HTML; drop stderr streams;
    remove ``<script src>`` tags that would fetch plotly.js from a CDN (e.g. a notebook that
    used the ``notebook_connected`` renderer) — the page loads the run's own plotly.js.

    Mixed into nbconvert's ``Preprocessor`` on first use (:func:`plotly_preprocessor`) so that
    importing this module does not import nbconvert (≈ 1–3 s) in a kernel that only needs
    :mod:`csworkbench.reporting.overview`.
    """

    def preprocess(self, nb, resources):
        import plotly.io as pio

        counter = 0
        for cell in nb.cells:
            if cell.get("cell_type") != "code":
                continue
            kept = []
            for output in cell.get("outputs", []):
                if output.get("output_type") == "stream" and output.get("name") == "stderr":
                    continue
                data = output.get("data")
                if data is not None and "text/html" in data and PLOTLY_MIME not in data:
                    data["text/html"] = _CDN_PLOTLY.sub("", _as_text(data["text/html"]))
                if data is not None and PLOTLY_MIME in data:
                    counter += 1
                    fig = dict(data[PLOTLY_MIME])
                    config = dict(fig.pop("config", None) or {})
                    config.setdefault("displaylogo", False)
                    div = pio.to_html(
                        fig,
                        include_plotlyjs=False,
                        full_html=False,
                        config=config,
                        validate=False,
                        div_id=f"csw-plot-{counter}",
                        default_height="480px",
                    )
                    output["data"] = {"text/html": div}
                kept.append(output)
            cell["outputs"] = kept
        return nb, resources


_CDN_PLOTLY = re.compile(r"<script[^>]*\ssrc=[\"']https?://cdn\.(?:plot\.ly|jsdelivr\.net/npm/plotly)[^\"']*[\"'][^>]*>\s*</script>", re.I)


def _as_text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


@lru_cache(maxsize=1)
def plotly_preprocessor_class() -> type:
    """The nbconvert preprocessor class ``PlotlyOfflinePreprocessor`` (built on first use)."""
    from nbconvert.preprocessors import Preprocessor

    return type("PlotlyOfflinePreprocessor", (_PlotlyOffline, Preprocessor), {"__module__": __name__})


def __getattr__(name: str):
    if name == "PlotlyOfflinePreprocessor":
        return plotly_preprocessor_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _provenance(record: Mapping[str, Any], lang: str) -> str:
    data_file = record.get("data_file")
    if not data_file:
        return html.escape(t("reporting.bundled_data", lang))
    sha = record.get("data_sha256") or ""
    text = f"<code>{html.escape(str(data_file))}</code>"
    if sha:
        text += f" ({html.escape(t('reporting.sha256', lang))} <code>{html.escape(sha[:12])}</code>…)"
    return text


def _format_value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


def _parameters_text(parameters: Mapping[str, Any], lang: str) -> str:
    if not parameters:
        return html.escape(t("reporting.no_parameters", lang))
    return ", ".join(
        f"<code>{html.escape(str(k))}</code> = {html.escape(_format_value(v)) or '&quot;&quot;'}" for k, v in parameters.items()
    )


def report_header(
    title: str,
    parameters: Mapping[str, Any],
    *,
    lang: str = "zh",
    record: Mapping[str, Any] | None = None,
    generated: str | None = None,
) -> str:
    """The escaped ``<header>`` of a report page: title, parameters, data provenance, run time."""
    record = record or {}
    generated = generated or _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    rows = [
        (t("report.parameters", lang), _parameters_text(parameters, lang)),
        (t("report.data_source", lang), _provenance(record, lang)),
        (t("report.generated", lang), html.escape(generated)),
    ]
    if record.get("run_id"):
        rows.insert(0, (t("reporting.run", lang), html.escape(str(record["run_id"]))))
    if record.get("git_commit"):
        rows.append((t("reporting.git_commit", lang), f"<code>{html.escape(str(record['git_commit'])[:12])}</code>"))
    body = "\n".join(f"<tr><th>{html.escape(k)}</th><td>{v}</td></tr>" for k, v in rows)
    return f'<header class="csw-header">\n<h1>{html.escape(title)}</h1>\n<table>\n{body}\n</table>\n</header>'


@lru_cache(maxsize=1)
def _stylesheet() -> str:
    return (TEMPLATES_DIR / "csw" / "report.css").read_text(encoding="utf-8")


def export_html(
    nb: Any,
    *,
    title: str,
    parameters: Mapping[str, Any],
    lang: str = "zh",
    plotly_src: str | None = "../" + PLOTLY_JS,
    record: Mapping[str, Any] | None = None,
) -> str:
    """Render an executed notebook (``nbformat.NotebookNode``) to the report page HTML.

    Parameters
    ----------
    nb : NotebookNode
        The executed notebook (not modified).
    title, parameters, lang, record :
        Header content; ``record`` may carry ``data_file``, ``data_sha256``, ``run_id``,
        ``git_commit``.
    plotly_src : str or None
        Relative URL of the run's ``plotly.min.js``; ``None`` inlines plotly.js (self-contained).

    Returns
    -------
    str
        The complete HTML document.
    """
    import copy

    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name="csw",
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        language_code=lang if lang in ("zh", "en") else "en",
    )
    exporter.register_preprocessor(plotly_preprocessor_class()(), enabled=True)
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags=set(REMOVE_TAGS), enabled=True), enabled=True)
    nb = copy.deepcopy(nb)
    nb.metadata["title"] = title
    nb.metadata.pop("widgets", None)
    resources = {
        "csw": {
            "header_html": report_header(title, parameters, lang=lang, record=record),
            "plotly_script": _plotly_script(plotly_src),
            "extra_css": _stylesheet(),
        }
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body.replace('<html lang="zh">', f'<html lang="{html_language(lang)}">', 1)


_INDEX_JS = """
document.querySelectorAll('table.csw-index th').forEach(function (th, col) {
  th.addEventListener('click', function () {
    var table = th.closest('table'), body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var asc = th.getAttribute('data-order') !== 'asc';
    table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('data-order'); });
    th.setAttribute('data-order', asc ? 'asc' : 'desc');
    rows.sort(function (a, b) {
      var x = a.cells[col].getAttribute('data-sort') || a.cells[col].textContent;
      var y = b.cells[col].getAttribute('data-sort') || b.cells[col].textContent;
      var nx = parseFloat(x), ny = parseFloat(y);
      var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
      return asc ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
"""

_INDEX_CSS = """
body { font-family: -apple-system, "Segoe UI", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { color: #1f4e79; }
table.csw-index { border-collapse: collapse; width: 100%; font-size: 0.92em; }
table.csw-index th, table.csw-index td { border-bottom: 1px solid #ddd; padding: 0.4em 0.6em; text-align: left; vertical-align: top; }
table.csw-index th { cursor: pointer; background: #f3f6f9; user-select: none; }
table.csw-index th[data-order=asc]::after { content: " ▲"; }
table.csw-index th[data-order=desc]::after { content: " ▼"; }
td.status-ok { color: #1a7f37; } td.status-failed { color: #b42318; font-weight: bold; }
td.error { color: #b42318; font-family: monospace; white-space: pre-wrap; }
.summary { font-size: 1.05em; margin: 0.5em 0 1em; }
.note, .hint { color: #666; font-size: 0.9em; }
@media print { th { cursor: auto; } .hint { display: none; } a { color: inherit; text-decoration: none; } }
"""


def write_index(
    run_dir: str | PathLike,
    records: Iterable[Mapping[str, Any]],
    *,
    lang: str = "zh",
    title: str = "",
    run_id: str = "",
) -> Path:
    """Write ``run_dir/index.html``: a sortable table of every report (failures with their error).

    Columns: notebook, parameters, status, duration, link (or the error message for a
    failed report — a one-line summary, never a traceback).
    """
    run_dir = Path(run_dir)
    records = list(records)
    n_ok = sum(r.get("status") == "ok" for r in records)
    n_failed = sum(r.get("status") == "failed" for r in records)
    heading = title or t("report.index_title", lang)
    rows = []
    for r in records:
        ok = r.get("status") == "ok"
        status = t("report.ok", lang) if ok else t("report.failed", lang)
        if ok and r.get("reused"):
            status += f" · {t('reporting.skipped', lang)}"
        duration = r.get("duration_s")
        duration_txt = f"{duration:.1f}" if isinstance(duration, (int, float)) else ""
        if ok and r.get("html"):
            href = html.escape(str(r["html"]), quote=True)
            last = f'<td><a href="{href}">{html.escape(t("reporting.open", lang))}</a></td>'
        else:
            last = f'<td class="error">{html.escape(str(r.get("error") or ""))}</td>'
        rows.append(
            "<tr>"
            f"<td>{html.escape(str(r.get('notebook', '')))}</td>"
            f"<td>{_parameters_text(r.get('parameters') or {}, lang)}</td>"
            f'<td class="status-{"ok" if ok else "failed"}">{html.escape(status)}</td>'
            f'<td data-sort="{duration if isinstance(duration, (int, float)) else -1}">{duration_txt}</td>'
            f"{last}</tr>"
        )
    head = "".join(
        f"<th>{html.escape(h)}</th>"
        for h in (
            t("report.notebook", lang),
            t("report.parameters", lang),
            t("report.status", lang),
            f"{t('report.duration', lang)} ({t('reporting.seconds', lang)})",
            t("reporting.link", lang),
        )
    )
    summary = t("reporting.summary", lang, total=len(records), ok=n_ok, failed=n_failed)
    generated = _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    note = f'<p class="note">{html.escape(t("reporting.failure_note", lang))}</p>' if n_failed else ""
    page = f"""<!DOCTYPE html>
<html lang="{html_language(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{html.escape(heading)}</title>
<style>{_INDEX_CSS}</style>
</head>
<body>
<h1>{html.escape(heading)}</h1>
<p class="summary">{html.escape(summary)}</p>
<p class="hint">{html.escape(t("reporting.run", lang))}: {html.escape(run_id)} · {html.escape(t("report.generated", lang))}: {html.escape(generated)} · {html.escape(t("reporting.sort_hint", lang))}</p>
{note}
<table class="csw-index">
<thead><tr>{head}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
<script>{_INDEX_JS}</script>
</body>
</html>
"""
    path = run_dir / "index.html"
    atomic_write_text(path, page)
    return path
