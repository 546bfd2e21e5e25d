"""Helpers shared by the notebook tests (imported as a plain module: pytest puts tests/ on sys.path)."""

from __future__ import annotations

import json
from pathlib import Path


def run_notebook(notebook, folder, parameters: dict, name: str = "out.ipynb"):
    """Execute ``notebook`` with papermill (python3 kernel, ``folder`` as its working folder and
    where ``name`` is saved); the executed notebook."""
    import nbformat
    import papermill

    out = Path(folder) / name
    papermill.execute_notebook(
        str(notebook), str(out), parameters=parameters, kernel_name="python3", progress_bar=False, cwd=str(folder)
    )
    return nbformat.read(out, as_version=4)


def outputs_text(nb) -> str:
    """Every output of an executed notebook as one searchable text (rich data as JSON, streams as text)."""
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(json.dumps(out.get("data", {}), ensure_ascii=False))
            if out.get("name") != "stderr":  # the report exporter drops stderr (warnings)
                parts.append(out.get("text", ""))
    return "\n".join(parts)


# --------------------------------------------------------------------------- visible text of a report
_DEFECTS = {
    "code identifier": r"\b[a-z]+_[a-z0-9_]+\b",
    "NaN/None/True/False": r"\b(NaN|nan|None|True|False|NaT)\b",
    "e-notation": r"\b\d(\.\d+)?[eE][+-]?\d+\b",
    "more than four decimals": r"\d\.\d{5,}",
}
_FIGURE_KEYS = ("text", "title", "ticktext", "name", "hovertext", "x", "y")


def _figure_strings(value, key="") -> list[str]:
    if isinstance(value, dict):
        return [s for k, v in value.items() if k != "template" for s in _figure_strings(v, k)]
    if isinstance(value, list):
        return [s for v in value for s in _figure_strings(v, key)]
    return [value] if isinstance(value, str) and key in _FIGURE_KEYS else []


def visible_text(nb) -> str:
    """What a reader sees of an executed notebook's outputs: HTML without tags, scripts and
    styles, Markdown, stdout streams (the exporter drops stderr), and the strings drawn in plotly
    figures (titles, labels, texts)."""
    import html
    import re

    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            fig = data.get("application/vnd.plotly.v1+json")
            if fig:
                parts.extend(_figure_strings(fig))
            elif "text/html" in data:
                page = re.sub(r"(?s)<script.*?</script>|<style.*?</style>", " ", str(data["text/html"]))
                parts.append(html.unescape(re.sub(r"<[^>]+>", " ", page)))
            elif "text/markdown" in data:
                parts.append(str(data["text/markdown"]))
            if out.get("name") != "stderr":  # the report exporter drops stderr (warnings)
                parts.append(out.get("text", ""))
    return "\n".join(parts)


def text_defects(text: str, lang: str, allow: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """Presentation defects in visible text: code identifiers, NaN/None/True/False, e-notation,
    more than four decimals; on an English page Chinese characters, on a Chinese page the ECSI
    abbreviations and q-numbered items.  ``allow``: words that may appear (data names)."""
    import re

    rules = dict(_DEFECTS)
    if lang == "en":
        rules["Chinese on an English page"] = r"[\u4e00-\u9fff]+"
    else:
        rules["English code on a Chinese page"] = r"\b(IMAG|EXPE|QUAL|VAL|SAT|LOY|COMP|q\d+)\b"
    found = {}
    for name, pattern in rules.items():
        hits = sorted({m.group(0) for m in re.finditer(pattern, text)} - set(allow))
        if hits:
            found[name] = hits[:20]
    return found
