"""Offline HTML for executed notebooks and the run index (离线交互式 HTML 报告).

A report page is what a manager opens in a browser without internet: code hidden, no
prompts, plotly charts interactive, images embedded, a header saying what was run on
which data and when, and a print-friendly stylesheet.  Built on nbconvert's
:class:`~nbconvert.exporters.HTMLExporter` (``exclude_input=True``,
``exclude_input_prompt=True``, ``exclude_output_prompt=True``) with a small template
``templates/csw`` that extends nbconvert's ``lab`` template, removes every script it
would load from a CDN (require.js, MathJax, mermaid, widget manager) and replaces
JupyterLab's ~260 kB theme by ``report.css`` + ``display.css`` (a lean export).  The page's
furniture — back link, contents, appendix sections, embedded CJK font subset, DataTables for
long tables, plotly's zh-CN locale and the missing-plotly.js notice — is built by
:mod:`csworkbench.reporting.page`; outputs of :mod:`csworkbench.reporting.display` are handled
here (tables rebuilt from their payload, the key-figure bundle dropped, the provenance bundle
lifted into the header).

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

Security of a published page (报告安全)
---------------------------------------
A report shows what users supplied: parameters, file names, column names, complaint texts.
None of it may run as code in the reader's browser, and the page must not reveal the machine
it was made on.

* Every string the header and the index write (title, parameters, file names, error
  messages) is HTML-escaped here.
* Notebook *outputs* are treated as untrusted, because a notebook that interpolates a
  parameter or a column name into ``Markdown(...)`` or a pandas ``Styler`` passes it on
  unescaped.  :func:`sanitize_html` (bleach, an allow-list of tags, attributes, URL
  protocols and CSS properties) cleans every ``text/html`` output and every
  ``text/markdown`` output after rendering it to HTML: ``<script>``, ``<svg onload>``,
  ``<iframe>`` and the like are shown as text, event-handler attributes and
  ``javascript:`` URLs are dropped.  ``application/javascript`` and mermaid outputs are
  dropped.  The only scripts on a page are plotly.js, the ``Plotly.newPlot`` calls this
  module writes from the figure JSON (escaped by plotly: ``<`` becomes ``\u003c``), the
  charts' templates (same escaping), the constant scripts of :mod:`.page` (DataTables bundle
  and loader, print helper, plotly guard and locale) and the index's sorting script.  Markdown *cells* are part of the notebook's code and trusted.
* Absolute local paths in outputs, the header and the index are rewritten by
  :func:`public_text` (project and working folder → relative, home → ``~``, temp folder →
  ``$TMPDIR``, an input file's own folder → its bare name), and ``*_path`` parameters are
  shown relative to the project, or by file name when the file lies outside it; the data
  provenance line shows that name and the file's SHA-256.

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
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from functools import lru_cache
from os import PathLike
from pathlib import Path
from typing import Any

from .. import config
from ..i18n import t
from .files import atomic_write_text

__all__ = [
    "PLOTLY_JS",
    "export_html",
    "report_header",
    "write_plotlyjs",
    "html_language",
    "sanitize_html",
    "public_text",
    "public_path",
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
    """Write the installed plotly.js to ``folder/plotly.min.js`` (once; rewritten if it differs),
    and next to it the DataTables bundle for long tables (:func:`.page.write_datatables`)."""
    from .page import write_datatables

    write_datatables(folder)
    path = Path(folder) / PLOTLY_JS
    js = _plotlyjs()
    if not path.exists() or path.stat().st_size != len(js.encode("utf-8")):
        atomic_write_text(path, js)
    return path


# --------------------------------------------------------------------------- untrusted output

#: Tags an output may keep (pandas tables and Stylers, rendered Markdown, images).
_ALLOWED_TAGS = frozenset(
    "a abbr acronym b blockquote br caption code col colgroup dd del details div dl dt em figcaption "
    "figure h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s samp small span strong style sub "
    "summary sup table tbody td tfoot th thead tr u ul".split()
)
_ALLOWED_ATTRIBUTES = {
    "*": ["class", "id", "style", "title", "lang", "dir", "align", "valign"],
    "a": ["href", "name", "target", "rel"],
    "img": ["src", "alt", "width", "height"],
    "table": ["border", "cellspacing", "cellpadding"],
    "th": ["colspan", "rowspan", "scope"],
    "td": ["colspan", "rowspan", "scope"],
    "col": ["span", "width"],
    "colgroup": ["span", "width"],
    "ol": ["start", "type"],
    "style": ["type", "scoped"],
    "details": ["open"],
}
_IMAGE_DATA_URI = re.compile(r"^\s*data:image/(png|jpe?g|gif|webp|svg\+xml)[;,]", re.I)
#: A stylesheet with one of these could fetch (or, in old browsers, run) something: dropped.
_UNSAFE_CSS = re.compile(r"url\s*\(|@import|expression\s*\(|javascript:|behaviou?r\s*:|-moz-binding|\\", re.I)
_STYLE_BLOCK = re.compile(r"(<style\b[^>]*>)(.*?)(</style>)", re.I | re.S)


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    allowed = name in _ALLOWED_ATTRIBUTES.get(tag, ()) or name in _ALLOWED_ATTRIBUTES["*"]
    if not allowed:
        return False
    if value.strip().lower().startswith("data:"):  # data: URIs only as <img> sources
        return tag == "img" and name == "src" and bool(_IMAGE_DATA_URI.match(value))
    return True


@lru_cache(maxsize=1)
def _cleaner():
    import bleach
    from bleach.css_sanitizer import ALLOWED_CSS_PROPERTIES, CSSSanitizer

    return bleach.Cleaner(
        tags=_ALLOWED_TAGS,
        attributes=_allowed_attribute,
        protocols={"http", "https", "mailto", "data"},
        css_sanitizer=CSSSanitizer(allowed_css_properties=ALLOWED_CSS_PROPERTIES),
        strip=False,  # a disallowed tag is shown as text, so the reader sees what was there
        strip_comments=True,
    )


def sanitize_html(fragment: str) -> str:
    """Clean untrusted HTML (a notebook output) with an allow-list; what would run is made inert.

    Tables, headings, lists, emphasis, links (``http``, ``https``, ``mailto``, relative),
    images (``data:image/…`` sources) and ``<style>`` blocks (pandas uses them) stay.  Any
    other tag (``<script>``, ``<svg>``, ``<iframe>``, ``<object>``, ``<form>`` …) is escaped
    and shown as text; event handlers (``onerror``…) and ``javascript:`` URLs are removed;
    ``style`` attributes keep safe CSS properties only, and a ``<style>`` block that could
    fetch anything (``url(``, ``@import``) is emptied.

    Examples
    --------
    >>> sanitize_html('<b>ok</b><img src=x onerror="alert(1)"><script>alert(2)</script>')
    '<b>ok</b><img src="x">&lt;script&gt;alert(2)&lt;/script&gt;'
    >>> sanitize_html('<a href="javascript:alert(1)">x</a>')
    '<a>x</a>'
    """
    cleaned = _cleaner().clean(str(fragment))
    return _STYLE_BLOCK.sub(
        lambda m: m.group(0) if not _UNSAFE_CSS.search(m.group(2)) else m.group(1) + m.group(3), cleaned
    )


def _markdown_html(source: str) -> str:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(source)


# --------------------------------------------------------------------------- local paths

_TRIVIAL_USERS = frozenset({"root", "user", "admin", "jovyan", "runner", "ubuntu", "debian", "test", "nobody"})


def _local_prefixes(extra: Iterable[str | PathLike] = ()) -> list[tuple[str, str]]:
    """``(absolute folder, replacement)`` pairs, longest folder first."""
    pairs: dict[str, str] = {}

    def add(folder: Any, replacement: str) -> None:
        try:
            text = os.path.abspath(os.fspath(folder))
        except (TypeError, ValueError):
            return
        if len(text) > 1 and text not in pairs:  # never the file-system root
            pairs[text] = replacement

    for folder in extra:
        add(folder, "")
    add(config.PROJECT_ROOT, "")
    add(os.getcwd(), "")
    for folder in {tempfile.gettempdir(), "/tmp", "/var/tmp"}:
        add(folder, "$TMPDIR/")
    add(os.path.expanduser("~"), "~/")
    out = []
    for folder, replacement in pairs.items():
        out.append((folder, replacement))
        real = os.path.realpath(folder)
        if real != folder:
            out.append((real, replacement))
    return sorted(out, key=lambda pair: -len(pair[0]))


def _user_name() -> str | None:
    try:
        import getpass

        name = getpass.getuser()
    except Exception:  # no user database entry (containers)
        return None
    return name if len(name) >= 3 and name.lower() not in _TRIVIAL_USERS else None


def public_text(text: str, extra_dirs: Iterable[str | PathLike] = ()) -> str:
    """``text`` without absolute local paths: fit to publish.

    The project folder and the working folder (and the folders in ``extra_dirs``, e.g. those
    of the input files) are cut off, leaving relative paths; the home folder becomes ``~/``,
    the temp folder ``$TMPDIR/``; the login name, where it still stands as a path
    component (``pytest-of-<name>``, ``/Users/<name>``), becomes ``<user>``.

    >>> from csworkbench import config
    >>> public_text(f"{config.PROJECT_ROOT}/csworkbench/io.py:123: DataWarning: x")
    'csworkbench/io.py:123: DataWarning: x'
    """
    text = str(text)
    for folder, replacement in _local_prefixes(extra_dirs):
        if folder in text:
            pattern = r"(?<![\w.~-])" + re.escape(folder) + r"(?:[/\\]|(?![\w.-]))"
            text = re.sub(pattern, replacement.replace("\\", "\\\\") if replacement else "", text)
    user = _user_name()
    if user and user in text:
        text = re.sub(r"(?<=[/\\-])" + re.escape(user) + r"(?=[/\\]|$|\s)", "<user>", text)
    return text


def public_path(value: str | PathLike, base: str | PathLike | None = None) -> str:
    """A file path as a report shows it: relative to ``base`` (default: the project folder)
    or the working folder when inside one of them, else the bare file name.

    >>> public_path("/somewhere/else/sales.csv"), public_path("../../tmp/x/sales.csv")
    ('sales.csv', 'sales.csv')
    >>> from csworkbench import config
    >>> public_path(config.PROJECT_ROOT / "data" / "raw" / "x.csv")
    'data/raw/x.csv'
    """
    path = Path(value)
    if not path.is_absolute():
        # relative to the working folder; one climbing out of it ("../../x.csv") shows its name
        return path.name if ".." in path.parts else public_text(path.as_posix())
    for root in (base, config.PROJECT_ROOT, os.getcwd()):
        if root is None:
            continue
        try:
            return path.relative_to(Path(root)).as_posix()
        except ValueError:
            continue
    return path.name


def _input_dirs(parameters: Mapping[str, Any]) -> list[str]:
    """Folders of the absolute ``*_path`` parameters (cut from outputs so a file shows by name)."""
    out = []
    for name, value in parameters.items():
        if (name == "data_path" or name.endswith("_path")) and isinstance(value, str) and os.path.isabs(value):
            out.append(os.path.dirname(value))
    return out


def _plotly_script(plotly_src: str | None) -> str:
    if plotly_src is None:  # self-contained
        return f'<script type="text/javascript">{_plotlyjs()}</script>'
    return f'<script type="text/javascript" src="{html.escape(plotly_src, quote=True)}"></script>'


class _PlotlyOffline:
    """Make a notebook's outputs fit to publish: turn plotly JSON outputs into ``<div>`` +
    ``Plotly.newPlot`` HTML; drop stderr streams, ``application/javascript`` and mermaid
    outputs; remove ``<script src>`` tags that would fetch plotly.js from a CDN (e.g. a
    notebook that used the ``notebook_connected`` renderer) — the page loads the run's own
    plotly.js; clean every other HTML and Markdown output with :func:`sanitize_html` and cut
    absolute local paths out of all text (:func:`public_text`; ``resources["csw_input_dirs"]``
    adds the input files' folders).

    Mixed into nbconvert's ``Preprocessor`` on first use (:func:`plotly_preprocessor`) so that
    importing this module does not import nbconvert (≈ 1–3 s) in a kernel that only needs
    :mod:`csworkbench.reporting.overview`.
    """

    def preprocess(self, nb, resources):
        import plotly.io as pio

        extra = list((resources or {}).get("csw_input_dirs") or ())

        def public(value: Any) -> str:
            return public_text(_as_text(value), extra)

        counter = 0
        for cell in nb.cells:
            if cell.get("cell_type") != "code":
                continue
            kept = []
            for output in cell.get("outputs", []):
                if output.get("output_type") == "stream" and output.get("name") == "stderr":
                    continue
                if output.get("output_type") == "stream":
                    output["text"] = public(output.get("text", ""))
                if output.get("output_type") == "error":
                    output["ename"] = public(output.get("ename", ""))
                    output["evalue"] = public(output.get("evalue", ""))
                    output["traceback"] = [public(line) for line in output.get("traceback", [])]
                data = output.get("data")
                if data is not None and _display_output(data):
                    kept.append(output)
                    continue
                if data is not None and PLOTLY_MIME not in data:
                    for key in ("application/javascript", "text/javascript", "text/vnd.mermaid"):
                        data.pop(key, None)
                    if "text/html" in data:
                        data["text/html"] = sanitize_html(public(_CDN_PLOTLY.sub("", _as_text(data["text/html"]))))
                    elif "text/markdown" in data:
                        data["text/html"] = sanitize_html(public(_markdown_html(_as_text(data["text/markdown"]))))
                    data.pop("text/markdown", None)
                    for key in ("text/plain", "text/latex"):
                        if key in data:
                            data[key] = public(data[key])
                    if not data:  # nothing left to show (a bare javascript output)
                        continue
                if data is not None and PLOTLY_MIME in data:
                    counter += 1
                    fig = dict(data[PLOTLY_MIME])
                    config = dict(fig.pop("config", None) or {})
                    config.setdefault("displaylogo", False)
                    if (resources or {}).get("csw_lang") == "zh":
                        config.setdefault("locale", "zh-CN")
                    store = (resources or {}).get("csw", {}).get("templates")
                    if isinstance(store, list):  # a page: the template written once (_plot_html)
                        types = (resources or {}).get("csw", {}).get("trace_types")
                        div = _plot_html(fig, config, f"csw-plot-{counter}", store, types)
                    else:
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


def _plot_html(
    fig: dict, config: dict, div_id: str, templates: list[str] | None, trace_types: set[str] | None = None
) -> str:
    """A figure's ``<div>`` and ``Plotly.newPlot`` call with its template taken out: each distinct
    template (7 kB for the workbench theme) is written once per page as ``window.cswTemplates[i]``
    (:func:`templates_script`; ``templates=None`` keeps it in the figure); the figure's trace
    types are added to ``trace_types``.  All JSON
    through plotly's ``to_json_plotly``, which writes ``<`` as ``\\u003c``, so no text in a figure
    can close the script."""
    from plotly.io.json import to_json_plotly

    layout = dict(fig.get("layout") or {})
    template = layout.pop("template", None)
    height = layout.get("height")
    style = f"height:{int(height)}px; width:100%;" if isinstance(height, (int, float)) else "height:480px; width:100%;"
    config = {"responsive": True, **config}
    layout_json = to_json_plotly(layout)
    if template is not None and templates is None:  # the template stays with the figure
        layout_json = to_json_plotly(dict(layout, template=template))
    elif template is not None and templates is not None:
        text = to_json_plotly(template)
        if text not in templates:
            templates.append(text)
        layout_json = f'Object.assign({{"template": window.cswTemplates[{templates.index(text)}]}}, {layout_json})'
    traces = list(fig.get("data") or [])
    if trace_types is not None:
        trace_types.update(str(trace.get("type") or "scatter") for trace in traces if isinstance(trace, Mapping))
    data_json = to_json_plotly(traces)
    return (
        f'<div id="{div_id}" class="plotly-graph-div" style="{style}"></div>'
        f'<script type="text/javascript">if (window.Plotly) {{ cswDraw(function () {{ Plotly.newPlot("{div_id}", '
        f"{data_json}, {layout_json}, {to_json_plotly(config)}); }}); }}</script>"
    )


def _used_traces(template: str, trace_types: set[str]) -> str:
    """The template with the trace defaults (``template.data``) of the given trace types only: a
    template's defaults for the other ~30 types (4.3 kB of the workbench theme) style nothing."""
    from plotly.io.json import to_json_plotly

    parsed = json.loads(template)
    defaults = parsed.get("data") if isinstance(parsed, dict) else None
    if not isinstance(defaults, dict):
        return template
    parsed["data"] = {kind: value for kind, value in defaults.items() if kind in trace_types}
    return to_json_plotly(parsed)


def templates_script(templates: list[str], trace_types: set[str] | None = None) -> str:
    """The script defining ``window.cswTemplates`` (before the first chart); "" without charts.
    With ``trace_types`` (the page's), each template keeps the trace defaults of those only."""
    if not templates:
        return ""
    if trace_types is not None:
        templates = [_used_traces(text, trace_types) for text in templates]
    return (
        f'<script type="text/javascript" data-csw="templates">window.cswTemplates = [{", ".join(templates)}];</script>'
    )


def _display_output(data: dict) -> bool:
    """Outputs of :mod:`csworkbench.reporting.display`: a table is rebuilt from its payload as
    trusted, escaped HTML (sort keys and the CSV link survive); the key-figure bundle is dropped
    (the batch runner has read it) and the display stylesheet, which the page carries once, is
    cut from the tiles and the summary.  Returns True when the output is final."""
    from . import display

    data.pop(display.KPI_MIME, None)
    if display.TABLE_MIME in data:
        payload = _checked_table(data[display.TABLE_MIME])
        if payload is not None:
            data.clear()
            data["text/html"] = _lean_table(display.table_html(payload, css=False))
            return True
        data.pop(display.TABLE_MIME, None)
    if "text/html" in data:
        data["text/html"] = _as_text(data["text/html"]).replace(f"<style>{display.DISPLAY_CSS}</style>", "")
    return False


_GT_TAG = re.compile(r"<(?:div|table|thead|tbody|tr|th|td)\b[^>]*>")
_GT_BOX = re.compile(
    r'<div id="[a-z]+" style="padding-left:0px;padding-right:0px;padding-top:10px;padding-bottom:10px;[^"]*">'
)
_GT_NOOP = re.compile(
    r' (?:data-quarto-bootstrap|data-quarto-disable-processing)="false"| (?:colspan|rowspan)="1"| (?:id|headers)="c\d+"'
)
_GT_CLASS = re.compile(r' class="(?:gt_row|gt_col_heading gt_columns_bottom_border|gt_col_headings|gt_table_body)\b ?')


def _lean_table(markup: str) -> str:
    """A display-layer table without great-tables markup that does nothing on the page: its box
    (a random id and inline padding/overflow, now the ``csw-gt`` class), Quarto switches,
    ``colspan``/``rowspan`` of 1, the ``cN`` column ids and ``headers`` (repeated in every table
    of a page, so not unique anyway; ``scope="col"`` on the headings stays), classes of its own
    removed stylesheet and the line breaks between tags (about 30 % of a table's bytes).

    >>> _lean_table('<div id="ab" style="padding-left:0px;padding-right:0px;padding-top:10px;padding-bottom:10px;x">'
    ...     '<table class="gt_table" data-quarto-bootstrap="false">\\n<tr class="gt_col_headings">'
    ...     '<th class="gt_col_heading gt_columns_bottom_border gt_left" colspan="1" id="c0" scope="col">A</th></tr>\\n'
    ...     '<tr><td class="gt_row gt_right" headers="c0">1 "c0"</td></tr></table></div>')
    '<div class="csw-gt"><table class="gt_table"><tr><th class="gt_left" scope="col">A</th></tr><tr><td class="gt_right">1 "c0"</td></tr></table></div>'
    """
    markup = _GT_BOX.sub('<div class="csw-gt">', markup)

    def tag(match: re.Match[str]) -> str:
        text = _GT_CLASS.sub(' class="', _GT_NOOP.sub("", match.group(0)))
        return text.replace(' class=""', "")

    return re.sub(r">[ \t]*\n\s*<", "><", _GT_TAG.sub(tag, markup))


def _checked_table(payload: Any) -> dict[str, Any] | None:
    """The table payload when it has the shape :func:`display.table_cells` writes, else None."""
    if not isinstance(payload, Mapping):
        return None
    columns, kinds, cells, order = (payload.get(k) for k in ("columns", "kinds", "cells", "order"))
    from .display import KINDS

    ok = (
        isinstance(columns, list)
        and isinstance(kinds, list)
        and isinstance(cells, list)
        and isinstance(order, list)
        and len(kinds) == len(columns) == len(order)
        and all(k in KINDS for k in kinds)
        and all(isinstance(r, list) and len(r) == len(columns) for r in cells)
        and all(isinstance(v, str) for r in cells for v in r)
        and all(isinstance(c, str) for c in columns)
        and all(isinstance(o, list) and len(o) == len(cells) for o in order)
        and all(v is None or isinstance(v, (int, float, str)) for o in order for v in o)
    )
    csv = payload.get("csv")
    if not ok or not (csv is None or (isinstance(csv, str) and re.fullmatch(r"[A-Za-z0-9+/=]*", csv))):
        return None
    out = dict(payload)
    out["name"] = re.sub(r"[^\w-]+", "_", str(payload.get("name") or "table"))[:60]
    out["notes"] = [str(n) for n in payload.get("notes") or []]
    return out


_CDN_PLOTLY = re.compile(
    r"<script[^>]*\ssrc=[\"']https?://cdn\.(?:plot\.ly|jsdelivr\.net/npm/plotly)[^\"']*[\"'][^>]*>\s*</script>", re.I
)


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


def _format_value(key: str, value: Any) -> str:
    if isinstance(value, str) and value and (key == "data_path" or key.endswith("_path")):
        return public_path(value)
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return public_text(text)


def _parameters_text(parameters: Mapping[str, Any], lang: str) -> str:
    if not parameters:
        return html.escape(t("reporting.no_parameters", lang))
    return ", ".join(
        f"<code>{html.escape(str(k))}</code> = {html.escape(_format_value(str(k), v)) or '&quot;&quot;'}"
        for k, v in parameters.items()
    )


def _run_details(parameters: Mapping[str, Any], lang: str, record: Mapping[str, Any]) -> str:
    """Run id, parameters and code version: for the analyst, collapsed at the end of the header."""
    rows = [(t("report.parameters", lang), _parameters_text(parameters, lang))]
    if record.get("run_id"):
        rows.insert(0, (t("reporting.run", lang), html.escape(str(record["run_id"]))))
    if record.get("git_commit"):
        rows.append((t("reporting.git_commit", lang), f"<code>{html.escape(str(record['git_commit'])[:12])}</code>"))
    body = "\n".join(f"<tr><th>{html.escape(k)}</th><td>{v}</td></tr>" for k, v in rows)
    summary = html.escape(t("report.parameters", lang))
    return f'<details class="csw-run-details"><summary>{summary}</summary><table>\n{body}\n</table></details>'


def _provenance_block(
    record: Mapping[str, Any], provenance: Mapping[str, Any] | None, lang: str, generated: str
) -> str:
    """Data set, hash, period, n, run date and source: from the notebook's
    :func:`display.provenance` call, else from the batch record (file name and hash)."""
    from .display import bundled_source, provenance_html

    prov = dict(provenance or {})
    prov["lang"] = lang
    data_file = record.get("data_file")
    if data_file and not prov.get("sha256"):
        prov["sha256"] = record.get("data_sha256") or ""
    if data_file:
        prov["data"] = public_path(str(data_file)) if not prov.get("data") else public_text(str(prov["data"]))
    elif not prov.get("data"):
        prov["data"] = t("reporting.bundled_data", lang)
    if not prov.get("source") and data_file:
        prov["source"] = bundled_source(str(data_file), lang)
    block = provenance_html(prov, run_date=generated)
    return f'<div class="csw-data-source" aria-label="{html.escape(t("report.data_source", lang), quote=True)}">{block}</div>'


def report_header(
    title: str,
    parameters: Mapping[str, Any],
    *,
    lang: str = "zh",
    record: Mapping[str, Any] | None = None,
    generated: str | None = None,
    provenance: Mapping[str, Any] | None = None,
) -> str:
    """The escaped ``<header>`` of a report page.

    Title (always text: a Markdown link or markup in it stays text), a notice shown when
    plotly.js is missing or scripts do not run, the provenance block ("Data source": data set,
    SHA-256, period, n, run date, source) and, collapsed, the run details (run id,
    parameters, code version).
    """
    record = record or {}
    generated = generated or _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    notice = (
        f'<p class="csw-plotly-missing">{html.escape(t("display.no_plotly", lang))}</p>'
        f'<noscript><p class="csw-noscript">{html.escape(t("display.no_script", lang))}</p></noscript>'
    )
    return (
        f'<header class="csw-header">\n<h1>{html.escape(title)}</h1>\n{notice}\n'
        f"{_provenance_block(record, provenance, lang, generated)}\n"
        f"{_run_details(parameters, lang, record)}\n</header>"
    )


def _page_css() -> str:
    from .display import DISPLAY_CSS

    return (TEMPLATES_DIR / "csw" / "report.css").read_text(encoding="utf-8") + "\n" + DISPLAY_CSS


_FONT_SLOT = "/*csw-font-face*/"


def _take_provenance(nb: Any) -> dict[str, Any] | None:
    """Remove the :func:`display.provenance` outputs from the notebook; return the last record."""
    from .display import PROVENANCE_MIME

    found = None
    for cell in nb.cells:
        outputs = cell.get("outputs") or []
        kept = [o for o in outputs if PROVENANCE_MIME not in (o.get("data") or {})]
        for o in outputs:
            if PROVENANCE_MIME in (o.get("data") or {}) and isinstance(o["data"][PROVENANCE_MIME], Mapping):
                found = dict(o["data"][PROVENANCE_MIME])
        if len(kept) != len(outputs):
            cell["outputs"] = kept
    return found


def _sibling(src: str | None, name: str) -> str | None:
    if src is None:
        return None
    return src.rsplit("/", 1)[0] + "/" + name if "/" in src else name


@lru_cache(maxsize=2)
def _exporter(lang: str) -> Any:
    """The page exporter for ``lang``, made once per process: nbconvert compiles the templates
    (Jinja) per exporter, 0.16 s of every page's export when each page had its own.  Its
    preprocessors keep nothing between pages (per-page data travels in ``resources``)."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name="csw",
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        language_code=lang,
    )
    exporter.register_preprocessor(plotly_preprocessor_class()(), enabled=True)
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags=set(REMOVE_TAGS), enabled=True), enabled=True)
    return exporter


def warm_up_export() -> None:
    """Export one small page per language and discard it: imports (nbconvert's exporter,
    great-tables, plotly, fontTools), compiled templates and the font tables are then in this
    process.  A batch run does this once before it forks its workers, which would each pay
    for it in their first page (measured: 1.0 s for the first page, 0.3 s for later ones).
    """
    import nbformat
    import pandas as pd

    from .display import TABLE_MIME, table_cells, table_html

    v4 = nbformat.v4
    for lang in ("zh", "en"):
        payload = table_cells(pd.DataFrame({"a": ["甲", "b"], "n": [1.5, 2.0]}), lang=lang)
        outputs = [
            v4.new_output("display_data", data={"text/html": table_html(payload), TABLE_MIME: payload}),
            v4.new_output("display_data", data={PLOTLY_MIME: {"data": [{"type": "bar", "x": [1], "y": [1]}]}}),
        ]
        nb = v4.new_notebook(cells=[v4.new_markdown_cell("## 预热 warm-up"), v4.new_code_cell("", outputs=outputs)])
        export_html(nb, title="warm-up", parameters={}, lang=lang)


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
        Relative URL of the run's ``plotly.min.js`` (the DataTables bundle is looked for next to
        it); ``None`` inlines both (self-contained).

    Returns
    -------
    str
        The complete HTML document: lean stylesheet, header with provenance, back link and
        table of contents, the body, the appendix (cells tagged ``appendix``) at the end, the
        embedded CJK font subset.
    """
    import copy

    from . import page as furniture

    lang = lang if lang in ("zh", "en") else "en"
    exporter = _exporter(lang)
    nb = copy.deepcopy(nb)
    nb.metadata["title"] = title
    nb.metadata.pop("widgets", None)
    nb.cells = [c for c in nb.cells if not set(REMOVE_TAGS) & set((c.get("metadata") or {}).get("tags") or [])]
    provenance = _take_provenance(nb)
    furniture.mark_appendix(nb, lang)
    head_js = (
        _plotly_script(plotly_src)
        + f'\n<script type="text/javascript" data-csw="guard">{furniture.plotly_guard()}</script>'
    )
    if lang == "zh":
        head_js += f'\n<script type="text/javascript" data-csw="locale">{furniture.plotly_locale(lang)}</script>'
    resources = {
        "csw_input_dirs": _input_dirs(parameters),
        "csw_lang": lang,
        "csw": {
            "header_html": report_header(title, parameters, lang=lang, record=record, provenance=provenance),
            "head_js": head_js,
            "page_css": _page_css() + "\n" + _FONT_SLOT,
            "appendix_title": t("display.appendix", lang),
            "footer_html": "",
            "page_js": "",
            "templates": [],
            "trace_types": set(),
        },
    }
    body, used = exporter.from_notebook_node(nb, resources=resources)
    templates: list[str] = used["csw"]["templates"]  # filled by the preprocessor (a copy of resources)
    body = body.replace("<main>", "<main>\n" + templates_script(templates, used["csw"]["trace_types"]), 1)
    body = body.replace('<html lang="zh">', f'<html lang="{html_language(lang)}">', 1)
    scripts = ""
    if 'class="csw-long' in body:
        scripts = furniture.datatables_script(_sibling(plotly_src, furniture.DATATABLES_JS)) + "\n"
    scripts += f'<script type="text/javascript" data-csw="page">{furniture.page_script(lang)}</script>\n'
    body = body.replace("</main>", "</main>\n" + scripts, 1)
    body = furniture.add_navigation(furniture.short_heading_ids(furniture.drop_repeated_title(body, title)), lang)
    text = (
        body if plotly_src is not None else body.replace(_plotlyjs(), "").replace(furniture.datatables_script(None), "")
    )
    return body.replace(_FONT_SLOT, furniture.font_face(text), 1)
