"""The course book (课程讲义): every lesson notebook executed into linked HTML pages.

``csw lessons`` (``make lessons``) runs each ``notebooks/lessons/*.ipynb`` in file-name order
(``01_…``, ``02_…``) with the batch engine (:func:`csworkbench.reporting.batch.run_reports`,
same isolation, offline plotly and atomic writes) into ``reports/book/``, then adds to every
page a navigation bar (contents · previous · next) and writes ``reports/book/index.html``, the
table of contents.  A lesson that fails is listed in the contents with its error and publishes
no page; the links skip it.

Examples
--------
>>> from csworkbench.reporting.lessons import lesson_notebooks
>>> isinstance(lesson_notebooks("/nonexistent"), list)
True
"""

from __future__ import annotations

import html
import re
from os import PathLike
from pathlib import Path
from typing import Any

from .. import config
from ..errors import ReportError
from ..i18n import t
from .batch import RunResult, run_reports
from .files import atomic_write_text
from .html import html_language, public_text
from .spec import ReportJob, RunSpec, notebook_parameters

__all__ = ["lesson_notebooks", "build_lessons", "BOOK_RUN_ID"]

BOOK_RUN_ID = "book"
_NAV = re.compile(r'<nav class="csw-book-nav">.*?</nav>\n?', re.S)


def lesson_notebooks(folder: str | PathLike | None = None) -> list[Path]:
    """Lesson notebooks (``*.ipynb``) in ``folder`` (default ``notebooks/lessons``), by file name."""
    folder = Path(folder) if folder is not None else config.NOTEBOOKS_DIR / "lessons"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))


def _nav(lang: str, prev: dict[str, Any] | None, nxt: dict[str, Any] | None) -> str:
    parts = [f'<a href="../index.html">{html.escape(t("reporting.contents", lang))}</a>']
    if prev:
        parts.append(
            f'<a href="../{html.escape(prev["html"], quote=True)}">← {html.escape(t("reporting.prev", lang))}: {html.escape(prev["notebook"])}</a>'
        )
    if nxt:
        parts.append(
            f'<a href="../{html.escape(nxt["html"], quote=True)}">{html.escape(t("reporting.next", lang))}: {html.escape(nxt["notebook"])} →</a>'
        )
    return '<nav class="csw-book-nav">' + " · ".join(parts) + "</nav>\n"


def build_lessons(
    folder: str | PathLike | None = None,
    *,
    output: str | PathLike | None = None,
    lang: str = "zh",
    workers: int | None = None,
    timeout: float | None = 600,
    force: bool = False,
    progress: bool = True,
) -> RunResult | None:
    """Execute every lesson into ``<output>/book/`` with a contents page and prev/next links.

    Returns ``None`` when there is no lesson notebook (nothing is written).
    """
    notebooks = lesson_notebooks(folder)
    if not notebooks:
        return None
    jobs = []
    for nb in notebooks:
        try:
            declared = notebook_parameters(nb)
        except ReportError:  # a lesson without a parameters cell runs with its defaults
            declared = {}
        params = {"lang": lang} if "lang" in declared else {}
        jobs.append(ReportJob(nb.stem, nb.resolve(), params, "lesson"))
    out = Path(output) if output is not None else config.REPORTS_DIR
    spec = RunSpec(run_id=BOOK_RUN_ID, output=out, lang=lang, jobs=jobs, title=t("reporting.book_title", lang))
    result = run_reports(spec, workers=workers, timeout=timeout, force=force, progress=progress)
    published = [r for r in result.records if r["status"] == "ok" and r.get("html")]
    for i, rec in enumerate(published):
        page = spec.run_dir / rec["html"]
        text = _NAV.sub("", page.read_text(encoding="utf-8"))
        nav = _nav(lang, published[i - 1] if i > 0 else None, published[i + 1] if i + 1 < len(published) else None)
        text = text.replace("<main>", "<main>\n" + nav, 1)
        atomic_write_text(page, text)
    items = []
    for rec in result.records:
        name = html.escape(rec["notebook"])
        if rec["status"] == "ok" and rec.get("html"):
            items.append(f'<li><a href="{html.escape(rec["html"], quote=True)}">{name}</a></li>')
        else:
            error = public_text(str(rec.get("error") or ""))  # no absolute local paths on the page
            items.append(
                f'<li>{name} — <span class="error">{html.escape(t("report.failed", lang))}: {html.escape(error)}</span></li>'
            )
    title = t("reporting.book_title", lang)
    summary = result.summary(lang)
    atomic_write_text(
        spec.run_dir / "index.html",
        f"""<!DOCTYPE html>
<html lang="{html_language(lang)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{html.escape(title)}</title>
<style>body{{font-family:-apple-system,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:800px;margin:2em auto;padding:0 1em}}
h1{{color:#1f4e79}} li{{margin:.4em 0}} .error{{color:#b42318}}</style></head>
<body><h1>{html.escape(title)}</h1><p>{html.escape(summary)}</p>
<ol>
{chr(10).join(items)}
</ol></body></html>
""",
    )
    return result
