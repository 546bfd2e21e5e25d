"""The run's index page (报告索引): one row per report, its zh and en pages side by side.

``<run folder>/index.html`` lists every report of a run as a reader looks for it:

* **report** — its title (the ``title`` parameter, else the label ``report.<notebook>_title``,
  else the notebook's first ``# `` heading in the run's language: headings are written
  ``中文标题 · English title``) and a one-line description (``report.<notebook>_description``,
  else the first sentence of the notebook's introduction in that language);
* **period** — :meth:`csworkbench.periods.Period.label` (``2026年10月`` / ``Oct 2026``);
* **key figure** — the report's headline figure (the first number with a direction ``better`` in its
  ``kpi`` bundle, else the first number) with its
  change against the previous period, read from the results store (:mod:`.store`);
* **status** — OK / failed (with the one-line error) / interrupted, and "unchanged" for a page
  kept from an earlier run;
* **open** — one link per language: the zh and en pages of the same report (same notebook,
  same parameters but ``lang``; a ``title`` counts, so give both languages the same one) share
  one row, with a language switch ``中文 · English``.

Every text is in the run's language except the names of the languages themselves; every value
from a notebook or a parameter is escaped.  Columns sort on a click (a few lines of local
JavaScript; the page works without it).

Examples
--------
>>> title_and_description({"cells": [{"cell_type": "markdown",
...     "source": "# 数据概览 · Data overview\\n\\n从交易文件出发，校验数据。再给出指标。\\nFrom one file: validate it. Then more."}]},
...     "overview_x", "en")
('Data overview', 'From one file: validate it.')
>>> _heading_part("小测试报告 Tiny test report", "zh"), _heading_part("小测试报告 Tiny test report", "en")
('小测试报告', 'Tiny test report')
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import re
from collections.abc import Iterable, Mapping
from os import PathLike
from pathlib import Path
from typing import Any

from ..i18n import load_catalog, t
from ..periods import Period
from .files import atomic_write_text
from .html import _input_dirs, html_language, public_text
from .page import font_face
from .store import ResultsStore

__all__ = ["write_index", "title_and_description"]

_CJK = re.compile(r"[\u3400-\u9fff]")
_LANG_NAMES = {"zh": "中文", "en": "English"}
_MARKUP = re.compile(r"\*\*|__|`|\[([^\]]*)\]\([^)]*\)")


def _plain(text: str) -> str:
    """Markdown emphasis, code marks and links reduced to their text."""
    return _MARKUP.sub(lambda m: m.group(1) or "", text).strip()


def _first_sentence(text: str, lang: str) -> str:
    end = re.search(r"。|！|？" if lang == "zh" else r"(?<=[.!?])\s", text)
    return text[: end.end()].strip() if end else text.strip()


def _heading_part(heading: str, lang: str) -> str:
    """``"数据概览 · Data overview"`` → the part in ``lang`` (the whole heading if it has one part)."""
    parts = [p.strip() for p in re.split(r"\s+[·|/]\s+", heading) if p.strip()]
    if len(parts) < 2:  # "小测试报告 Tiny test report": the Chinese run, then the rest
        mixed = re.match(r"^([^A-Za-z]*[\u3400-\u9fff][^A-Za-z]*?)\s+([A-Za-z].*)$", heading.strip())
        parts = [mixed.group(1).strip(), mixed.group(2).strip()] if mixed else []
    if len(parts) < 2:
        return heading.strip()
    wanted = [p for p in parts if bool(_CJK.search(p)) == (lang == "zh")]
    return wanted[0] if wanted else parts[0]


def title_and_description(
    nb: Any, notebook: str, lang: str, parameters: Mapping[str, Any] | None = None
) -> tuple[str, str]:
    """A report's title and one-line description in ``lang`` (see the module docstring)."""
    parameters = parameters or {}
    catalog = load_catalog()
    title = str(parameters.get("title") or "")
    description = ""
    if not title and lang in catalog.get(f"report.{notebook}_title", {}):
        title = t(f"report.{notebook}_title", lang)
    if lang in catalog.get(f"report.{notebook}_description", {}):
        description = t(f"report.{notebook}_description", lang)
    cells = nb.get("cells", []) if isinstance(nb, Mapping) else getattr(nb, "cells", [])
    intro = next((c for c in cells if c.get("cell_type") == "markdown"), None)
    if intro is not None:
        source = intro.get("source", "")
        lines = ("".join(source) if isinstance(source, list) else str(source)).splitlines()
        heading = next((ln[2:].strip() for ln in lines if ln.startswith("# ")), "")
        title = title or _plain(_heading_part(heading, lang))
        if not description:
            description = _intro_sentence(lines, lang)
    return title or notebook, description


def _intro_sentence(lines: list[str], lang: str) -> str:
    """The first sentence of the introduction's lines written in ``lang`` (CJK lines are zh)."""
    picked: list[str] = []
    for line in lines:
        text = line.strip()
        if not text or text.startswith("#"):
            if picked:
                break
            continue
        if bool(_CJK.search(text)) == (lang == "zh"):
            picked.append(text)
        elif picked:
            break
    joined = ("" if lang == "zh" else " ").join(picked)
    return _first_sentence(_plain(joined), lang)


def _read_notebook(path: str | PathLike) -> dict[str, Any]:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"cells": []}


def _group_key(record: Mapping[str, Any]) -> str:
    # the same report in another language: all parameters equal but lang (a title is part of it)
    params = {k: v for k, v in (record.get("parameters") or {}).items() if k not in ("lang", "previous_kpis")}
    return json.dumps([record.get("notebook"), params], sort_keys=True, ensure_ascii=False, default=str)


def _figure_text(fig: Mapping[str, Any], lang: str) -> str:
    from .display import format_value

    value = fig.get("value")
    kind = str(fig.get("kind") or "decimal")
    try:
        shown = value if isinstance(value, str) else format_value(value, kind, lang=lang)
    except Exception:  # an unknown kind from an older notebook: plain number
        shown = f"{value:,.2f}" if isinstance(value, (int, float)) else str(value or "")
    unit = str(fig.get("unit") or "")
    return f"{fig.get('label') or fig.get('key')}: {shown}{(' ' + unit) if unit else ''}"


def _change_text(fig: Mapping[str, Any], previous: Mapping[str, Any], lang: str) -> tuple[str, str]:
    """(``"▲ 1.5 vs 2026年9月"``, css class) — empty when there is nothing to compare."""
    value, before = fig.get("value"), (previous or {}).get("value")
    if not isinstance(value, (int, float)) or not isinstance(before, (int, float)):
        return "", ""
    diff = float(value) - float(before)
    period = Period.parse(str(previous.get("period") or "")).label(lang)
    vs = f"比{period}" if lang == "zh" else f"vs {period}"
    if diff == 0:
        return (f"{t('reporting.index.no_change', lang)} {vs}", "")
    kind = str(fig.get("kind") or "decimal")
    amount = f"{abs(diff) * 100:.1f} pp" if kind == "share" else f"{abs(diff):,.{0 if kind == 'count' else 2}f}"
    tone = ""
    if fig.get("better") in ("higher", "lower"):
        tone = "good" if (diff > 0) == (fig["better"] == "higher") else "bad"
    return f"{'▲' if diff > 0 else '▼'} {amount} {vs}", tone


def _status_cell(records: list[Mapping[str, Any]], lang: str) -> tuple[str, str]:
    statuses = {r.get("status") for r in records}
    status = "failed" if "failed" in statuses else ("interrupted" if "interrupted" in statuses else "ok")
    label = {
        "ok": t("report.ok", lang),
        "failed": t("report.failed", lang),
        "interrupted": t("reporting.status_interrupted", lang),
    }[status]
    if status == "ok" and all(r.get("reused") for r in records):
        label += f" · {t('reporting.skipped', lang)}"
    return status, label


def _links_cell(records: list[Mapping[str, Any]], lang: str) -> str:
    links, errors = [], []
    order = {code: i for i, code in enumerate(_LANG_NAMES)}  # the switch always reads 中文 · English
    for page_lang, r in sorted(
        ((str((r.get("parameters") or {}).get("lang") or lang), r) for r in records),
        key=lambda item: order.get(item[0], len(order)),
    ):
        name = _LANG_NAMES.get(page_lang, page_lang)
        if r.get("status") == "ok" and r.get("html"):
            href = html.escape(str(r["html"]), quote=True)
            text = t("reporting.open", lang) if len(records) == 1 else name
            links.append(
                f'<a href="{href}" hreflang="{html_language(page_lang)}" lang="{html_language(page_lang)}">{html.escape(text)}</a>'
            )
        else:
            error = public_text(str(r.get("error") or ""), _input_dirs(r.get("parameters") or {}))
            prefix = f"{name}: " if len(records) > 1 else ""
            errors.append(f'<div class="error">{html.escape(prefix + error)}</div>')
    switch = f'<span class="langs">{" · ".join(links)}</span>' if links else ""
    return switch + "".join(errors)


def _headline(figures: list[Mapping[str, Any]]) -> Mapping[str, Any]:
    """The figure the index shows: the first number with a direction (``better``), else the first number."""
    numeric = [f for f in figures if isinstance(f.get("value"), (int, float)) and not isinstance(f.get("value"), bool)]
    directed = [f for f in numeric if f.get("better") in ("higher", "lower")]
    return (directed or numeric or list(figures))[0]


def _row(
    records: list[Mapping[str, Any]], lang: str, store: ResultsStore | None, meta: Mapping[str, tuple[str, str]]
) -> str:
    main = next((r for r in records if (r.get("parameters") or {}).get("lang") == lang), records[0])
    params = main.get("parameters") or {}
    title, description = meta.get(str(main.get("notebook")), (str(main.get("notebook")), ""))
    if params.get("title"):
        title = str(params["title"])
    period_text = str(params.get("period") or "")
    try:
        period = Period.parse(period_text)
        period_label, period_sort = period.label(lang), period.text
    except Exception:
        period_label, period_sort = period_text, period_text
    figures = next((r.get("kpis") for r in records if r.get("kpis")), None) or []
    figure_html, sort_value = "", ""
    if figures:
        fig = _headline(figures)
        previous = {}
        if store is not None:
            try:
                previous = store.previous(str(main.get("notebook")), params).get(str(fig.get("key")), {})
            except Exception:  # a damaged store: the figure without its change
                previous = {}
        change, tone = _change_text(fig, previous, lang)
        figure_html = f'<div class="kpi">{html.escape(_figure_text(fig, lang))}</div>'
        if change:
            figure_html += f'<div class="change {tone}">{html.escape(change)}</div>'
        sort_value = str(fig.get("value")) if isinstance(fig.get("value"), (int, float)) else ""
    status, status_label = _status_cell(records, lang)
    durations = [float(r["duration_s"]) for r in records if isinstance(r.get("duration_s"), (int, float))]
    duration = max(durations) if durations else None
    desc_html = f'<div class="desc">{html.escape(description)}</div>' if description else ""
    return (
        "<tr>"
        f'<td data-sort="{html.escape(title, quote=True)}"><div class="title">{html.escape(title)}</div>{desc_html}</td>'
        f'<td data-sort="{html.escape(period_sort, quote=True)}">{html.escape(period_label)}</td>'
        f'<td data-sort="{html.escape(sort_value, quote=True)}">{figure_html}</td>'
        f'<td class="status-{status}">{html.escape(status_label)}</td>'
        f'<td data-sort="{duration if duration is not None else -1}">{f"{duration:.1f}" if duration is not None else ""}</td>'
        f"<td>{_links_cell(records, lang)}</td></tr>"
    )


_JS = """
document.querySelectorAll('table.csw-index th').forEach(function (th, col) {
  th.addEventListener('click', function () {
    var body = th.closest('table').tBodies[0], rows = Array.prototype.slice.call(body.rows);
    var asc = th.getAttribute('data-order') !== 'asc';
    th.closest('tr').querySelectorAll('th').forEach(function (h) { h.removeAttribute('data-order'); });
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

_CSS = """
body { font-family: -apple-system, "Segoe UI", "CSW CJK", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; max-width: 1200px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { color: #1f4e79; }
table.csw-index { border-collapse: collapse; width: 100%; font-size: 0.92em; }
table.csw-index th, table.csw-index td { border-bottom: 1px solid #ddd; padding: 0.45em 0.6em; text-align: left; vertical-align: top; }
table.csw-index th { cursor: pointer; background: #f3f6f9; user-select: none; }
table.csw-index th[data-order=asc]::after { content: " ▲"; }
table.csw-index th[data-order=desc]::after { content: " ▼"; }
.title { font-weight: 600; } .desc { color: #555; font-size: 0.92em; margin-top: 0.2em; }
.kpi { white-space: nowrap; } .change { font-size: 0.9em; color: #555; }
.change.good { color: #1a7f37; } .change.bad { color: #b42318; }
td.status-ok { color: #1a7f37; } td.status-failed { color: #b42318; font-weight: bold; } td.status-interrupted { color: #9a6700; }
.error { color: #b42318; font-size: 0.9em; white-space: pre-wrap; }
.langs a { margin-right: 0.2em; }
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
    output: str | PathLike | None = None,
    notebooks: Mapping[str, str | PathLike] | None = None,
) -> Path:
    """Write ``run_dir/index.html`` (see the module docstring) and return its path.

    Parameters
    ----------
    records : iterable of mapping
        The run's status records (``status.json``'s ``reports``).
    lang : {"zh", "en"}
        The language of the page (the run's ``lang``).
    output : path, optional
        The folder holding ``results.parquet`` (default: the run folder's parent).
    notebooks : mapping, optional
        Notebook name → source ``.ipynb`` (for titles and descriptions).
    """
    run_dir = Path(run_dir)
    records = list(records)
    store = ResultsStore(Path(output) if output is not None else run_dir.parent)
    meta = {name: title_and_description(_read_notebook(path), name, lang) for name, path in (notebooks or {}).items()}
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for r in records:
        groups.setdefault(_group_key(r), []).append(r)
    rows = [_row(group, lang, store, meta) for group in groups.values()]
    n_ok = sum(r.get("status") == "ok" for r in records)
    n_failed = sum(r.get("status") == "failed" for r in records)
    n_interrupted = sum(r.get("status") == "interrupted" for r in records)
    heading = title or t("report.index_title", lang)
    headings = (
        t("reporting.index.report", lang),
        t("reporting.index.period", lang),
        t("reporting.index.key_figure", lang),
        t("report.status", lang),
        f"{t('report.duration', lang)} ({t('reporting.seconds', lang)})",
        t("reporting.index.pages", lang),
    )
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headings)
    summary = t("reporting.summary", lang, total=len(records), ok=n_ok, failed=n_failed)
    if n_interrupted:
        summary += f"; {t('reporting.n_interrupted', lang, n=n_interrupted)}"
    generated = _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
    note = f'<p class="note">{html.escape(t("reporting.failure_note", lang))}</p>' if n_failed else ""
    hint = " · ".join(
        [
            f"{t('reporting.run', lang)}: {run_id}",
            f"{t('report.generated', lang)}: {generated}",
            t("reporting.sort_hint", lang),
        ]
    )
    page = f"""<!DOCTYPE html>
<html lang="{html_language(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{html.escape(heading)}</title>
<style>{_CSS}</style>
<style>{{FONT}}</style>
</head>
<body>
<h1>{html.escape(heading)}</h1>
<p class="summary">{html.escape(summary)}</p>
<p class="hint">{html.escape(hint)}</p>
{note}
<table class="csw-index">
<thead><tr>{head}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
<script>{_JS}</script>
</body>
</html>
"""
    # Chinese renders on a machine without a CJK font: the page carries the subset it uses
    page = page.replace("{FONT}", font_face(page), 1)
    path = run_dir / "index.html"
    atomic_write_text(path, page)
    return path
