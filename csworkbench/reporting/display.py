"""One display layer for reports and lessons (统一的表格与指标展示层).

Every table, key figure and summary a report page or a lesson shows goes through here, so
that a reader sees one style and one language: no pandas index column, numbers formatted by
what they are, blanks for missing values with a footnote saying so, labels from
:mod:`csworkbench.i18n`, free text masked for personal data.

The public calls (the contract in docs/api-conventions.md, "Report pages")
-------------------------------------------------------------------------
* :func:`show_table` — any DataFrame.  Column kinds (``count``, ``money``, ``share``,
  ``decimal``, ``p_value``, ``date``, ``bool``, ``text``, ``id``) are given in ``kinds`` or
  inferred (:func:`infer_kind`).  Formats: counts with thousands separators (``2,357``);
  money with two decimals below 1,000 and none above (``1,234``); shares as % with one
  decimal (``10.2%``); decimals with three significant digits and at most three decimals
  (``513.887227`` → ``514``, ``0.4567`` → ``0.457``; never e-notation); p-values
  ``<0.001`` or three decimals; dates ``2024年3月1日`` / ``1 Mar 2024`` (a time only when
  there is one); bools 是/否 / Yes/No; text left-aligned and never cut.  Every ``text``/``id``
  cell and every column name passes through
  :func:`csworkbench.complaints.mask_pii`.  Short tables are rendered by **great-tables**
  (``GT``: escaping, column labels, caption, footnotes; its per-table 8 kB stylesheet is
  replaced by one shared compact stylesheet).  Long tables (more than :data:`LONG_ROWS` rows,
  or ``long=True``) are written as a plain, complete, escaped ``<table>`` with ``data-order``
  sort keys, which the exported page turns sortable, searchable and paged with DataTables from
  **itables**' offline bundle (written once per run folder, see
  :mod:`csworkbench.reporting.html`); without scripts the full static table stays.
  Each table carries a CSV download (a ``data:`` link, UTF-8 with BOM so Excel reads Chinese)
  with the unformatted values.  The output also holds the MIME bundle :data:`TABLE_MIME`
  (the formatted cells), from which the page exporter rebuilds the table as trusted HTML.
* :func:`kpi_tiles` — key-figure tiles (value by kind, 95 % interval, change against the
  previous period with ▲/▼ coloured by ``better``, "significant" when both intervals exist and
  do not overlap) and the bundle :data:`KPI_MIME`
  ``{"figures": [{"key", "label", "value", "unit", "kind", "ci_low", "ci_high", "better"}]}``
  that the batch runner stores; the exporter never shows it.
* :func:`findings` — the summary block opening every report: finding headlines (3–5; a
  finding given as ``{"text": ..., "flag": True}`` is marked as a warning, e.g. an HTMT breach)
  and recommended actions.
* :func:`provenance` — what the page is about: data set name or file, the file's SHA-256
  (computed here from ``path`` when not given), the period the data cover, n, and for bundled
  data its source (:func:`bundled_source`).  It emits :data:`PROVENANCE_MIME`; the exporter
  lifts it into the page header (next to the run date) and removes it from the body.

Why these libraries: great-tables 1.1 works on pandas 3 and escapes every cell, label and
note; itables 2.9's offline mode inlines a 725 kB DataTables bundle into *each* notebook,
which would break the 150 kB page budget, so only its bundle file is used, once per run folder.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"customers": [2357, 41.0], "share": [0.10182, None]})
>>> table_cells(frame, lang="zh")["cells"]
[['2,357', '10.2%'], ['41', '']]
>>> format_value(7.046101e-15, "decimal", lang="en"), format_value(3e-7, "p_value", lang="en")
('0', '<0.001')
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as _dt
import hashlib
import html
import json
import math
import os
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import CSWWarning, ParameterError
from ..i18n import check_language, load_catalog, t

__all__ = [
    "KINDS",
    "KPI",
    "KPI_MIME",
    "TABLE_MIME",
    "PROVENANCE_MIME",
    "LONG_ROWS",
    "format_value",
    "format_column",
    "infer_kind",
    "column_label",
    "table_cells",
    "table_html",
    "show_table",
    "live_front_end",
    "kpi_figures",
    "kpi_html",
    "kpi_tiles",
    "findings_html",
    "findings",
    "provenance_record",
    "provenance_html",
    "provenance",
    "bundled_source",
    "DISPLAY_CSS",
]

KINDS = ("count", "money", "share", "decimal", "p_value", "date", "bool", "text", "id")
KPI_MIME = "application/vnd.csworkbench.kpi+json"
TABLE_MIME = "application/vnd.csworkbench.table+json"
PROVENANCE_MIME = "application/vnd.csworkbench.provenance+json"
#: Tables with more rows than this are shown sortable, searchable and paged.
LONG_ROWS = 15
_NUMERIC = ("count", "money", "share", "decimal", "p_value")


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _decimals(values: Iterable[float], kind: str) -> int:
    """Decimals for a column: 3 significant digits of its typical size, at most 3; none when
    every value is a whole number (a per-customer purchase count reads 41, not 41.0).

    >>> _decimals([41.0, 12.0], "decimal"), _decimals([41.0, 12.5], "decimal")
    (0, 1)
    """
    finite = [abs(float(v)) for v in values if not _missing(v) and math.isfinite(float(v)) and v != 0]
    if kind == "money":
        return 0 if finite and max(finite) >= 1000 else 2
    if not finite or all(v == round(v) for v in finite):
        return 0
    typical = sorted(finite)[len(finite) // 2]
    return max(0, min(3, 2 - math.floor(math.log10(typical))))


def _date_text(value: Any, lang: str) -> str:
    stamp = pd.Timestamp(value)
    with_time = (stamp.hour, stamp.minute, stamp.second) != (0, 0, 0)
    if lang == "zh":
        text = f"{stamp.year}年{stamp.month}月{stamp.day}日"
    else:
        text = f"{stamp.day} {stamp.strftime('%b')} {stamp.year}"
    return text + (f" {stamp.hour:02d}:{stamp.minute:02d}" if with_time else "")


def format_value(value: Any, kind: str, *, lang: str, decimals: int | None = None) -> str:
    """One value as a reader sees it (missing → ``""``).

    ``decimals`` overrides the per-value choice (:func:`format_column` passes the column's).

    Examples
    --------
    >>> [format_value(v, k, lang="en") for v, k in [(1234567, "count"), (0.010182, "share"),
    ...   (513.887227, "decimal"), (True, "bool"), (0.0004, "p_value"), (None, "count")]]
    ['1,234,567', '1.0%', '514', 'Yes', '<0.001', '']
    >>> format_value(pd.Timestamp("1997-03-01"), "date", lang="zh")
    '1997年3月1日'
    """
    check_language(lang)
    if kind not in KINDS:
        raise ParameterError(f"kind must be one of {', '.join(KINDS)}; got {kind!r}")
    if _missing(value):
        return ""
    if kind in ("text", "id"):
        return str(value)
    if kind == "bool":
        return t("display.yes" if bool(value) else "display.no", lang)
    if kind == "date":
        return _date_text(value, lang)
    number = float(value)
    if not math.isfinite(number):
        return "∞" if number > 0 else "−∞"
    if kind == "count":
        return f"{round(number):,}"
    if kind == "p_value":
        return "<0.001" if number < 0.001 else f"{number:.3f}"
    if kind == "share":
        pct = number * 100
        places = 1 if decimals is None else decimals
        if 0 < abs(pct) < 10**-places:
            return f"<{10**-places:.{places}f}%" if pct > 0 else f">-{10**-places:.{places}f}%"
        return f"{pct:,.{places}f}%"
    places = _decimals([number], kind) if decimals is None else decimals
    text = f"{number:,.{places}f}"
    return "0" if re.fullmatch(r"-?0(\.0*)?", text) else text


def format_column(values: Iterable[Any], kind: str, *, lang: str) -> list[str]:
    """A column's values formatted with one number of decimals for the whole column.

    >>> format_column([0.5, 4.25, None], "decimal", lang="en")
    ['0.50', '4.25', '']
    """
    values = list(values)
    decimals = None
    if kind in ("money", "decimal"):
        decimals = _decimals([v for v in values if not isinstance(v, (str, bool))], kind)
    return [format_value(v, kind, lang=lang, decimals=decimals) for v in values]


_P_NAMES = re.compile(r"(^|_)(p|p_value|pvalue|p_val)$", re.I)
_SHARE_NAMES = re.compile(r"(share|pct|percent|proportion|占比|比例|份额)", re.I)
_ID_NAMES = re.compile(r"(^id$|_id$|编号)", re.I)
_CODE_NAME = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")


def infer_kind(values: pd.Series, name: Any = None) -> str:
    """The kind of a column when not given: from its dtype and (for p-values, shares, ids) its name.

    >>> infer_kind(pd.Series([1.0, 41.0]), "n"), infer_kind(pd.Series([0.2, 0.5]), "share")
    ('count', 'share')
    >>> infer_kind(pd.Series(["a"]), "customer_id"), infer_kind(pd.Series([0.01]), "p_value")
    ('id', 'p_value')
    """
    label = str(name or "")
    series = pd.Series(values)
    if pd.api.types.is_bool_dtype(series):
        return "bool"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    if _ID_NAMES.search(label):
        return "id"
    if pd.api.types.is_numeric_dtype(series):
        if _P_NAMES.search(label):
            return "p_value"
        if _SHARE_NAMES.search(label):
            return "share"
        finite = series.dropna()
        if pd.api.types.is_integer_dtype(series) or (len(finite) and bool((finite == finite.round()).all())):
            return "count"
        return "decimal"
    kept = series.dropna()
    if len(kept) and all(isinstance(v, bool) for v in kept):
        return "bool"
    if len(kept) and all(isinstance(v, (_dt.date, pd.Timestamp)) for v in kept):
        return "date"
    return "text"


def column_label(name: Any, lang: str, labels: Mapping[Any, str] | None = None) -> str:
    """A column's heading: ``labels[name]``, else the i18n label ``column.<name>``, else the
    one label whose key ends in ``.<name>`` (when all such labels agree), else ``name``.

    >>> column_label("n", "en", {"n": "Customers"}), column_label("城市", "zh")
    ('Customers', '城市')
    """
    if labels and name in labels:
        return str(labels[name])
    text = str(name)
    catalog = load_catalog()
    if f"column.{text}" in catalog:
        return t(f"column.{text}", lang)
    found = {entry[lang] for key, entry in catalog.items() if key.endswith("." + text) and "{" not in entry[lang]}
    return found.pop() if len(found) == 1 else text


def _mask(texts: list[str]) -> list[str]:
    from ..complaints import mask_pii

    return [mask_pii(x) if x else x for x in texts]


def _sort_keys(values: list[Any], kind: str) -> list[float | str | None]:
    out: list[float | str | None] = []
    for v in values:
        if _missing(v) or kind in ("text", "id"):
            out.append(None)
        elif kind == "date":
            out.append(pd.Timestamp(v).isoformat())
        elif kind == "bool":
            out.append(float(bool(v)))
        else:
            out.append(float(v))
    return out


def _csv_text(frame: pd.DataFrame, headings: list[str], kinds: list[str]) -> str:
    raw = frame.copy()
    raw.columns = pd.Index(headings)
    for heading, kind in zip(headings, kinds):
        if kind in ("text", "id"):
            col = raw[heading]
            raw[heading] = pd.Series(
                _mask(["" if _missing(v) else str(v) for v in col]), index=raw.index, dtype=object
            ).where(~col.isna(), None)
    return raw.to_csv(index=False)


def table_cells(
    frame: pd.DataFrame,
    *,
    lang: str,
    kinds: Mapping[Any, str] | None = None,
    labels: Mapping[Any, str] | None = None,
    caption: str | None = None,
    footnote: str | None = None,
    long: bool | None = None,
    download: bool = True,
    name: str = "table",
) -> dict[str, Any]:
    """The JSON payload of a table (:data:`TABLE_MIME`): headings, kinds, formatted cells,
    sort keys, caption, footnotes, whether it is long, and the CSV (base64) when ``download``.

    The index is dropped (reset it first if it holds data).  Columns with a duplicated name
    are refused, so no column is silently lost.
    """
    check_language(lang)
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError(f"show_table expects a pandas DataFrame; got {type(frame).__name__}")
    if frame.columns.duplicated().any():
        dup = [str(c) for c in frame.columns[frame.columns.duplicated()]]
        raise ParameterError(f"the table has duplicated column names {dup}; give each column its own name")
    kinds = dict(kinds or {})
    unknown = sorted(str(c) for c in kinds if c not in frame.columns)
    if unknown:
        raise ParameterError(f"kinds names columns the table does not have: {unknown}")
    col_kinds = [kinds.get(c) or infer_kind(frame[c], c) for c in frame.columns]
    for c, kind in zip(frame.columns, col_kinds):
        if kind not in KINDS:
            raise ParameterError(f"kind of column {c!r} must be one of {', '.join(KINDS)}; got {kind!r}")
    headings = _mask([column_label(c, lang, labels) for c in frame.columns])
    unlabelled = [str(c) for c, h in zip(frame.columns, headings) if h == str(c) and _CODE_NAME.fullmatch(h)]
    if unlabelled:
        warnings.warn(
            f"columns {unlabelled} have no label in {lang!r}: the page would show the code name; "
            "pass labels={...} or add an i18n label column.<name>",
            CSWWarning,
            stacklevel=3,
        )
    columns = []
    for c, kind in zip(frame.columns, col_kinds):
        texts = format_column(frame[c].tolist(), kind, lang=lang)
        columns.append(_mask(texts) if kind in ("text", "id") else texts)
    cells = [list(row) for row in zip(*columns)] if columns else [[] for _ in range(len(frame))]
    has_missing = bool(frame.isna().to_numpy().any()) if len(frame) else False
    notes = [str(footnote)] if footnote else []
    if has_missing:
        notes.append(t("display.missing_note", lang))
    payload: dict[str, Any] = {
        "columns": headings,
        "kinds": col_kinds,
        "cells": cells,
        "order": [_sort_keys(frame[c].tolist(), k) for c, k in zip(frame.columns, col_kinds)],
        "caption": str(caption) if caption else "",
        "notes": notes,
        "long": bool(len(frame) > LONG_ROWS if long is None else long),
        "lang": lang,
        "name": re.sub(r"[^\w-]+", "_", str(name)).strip("_") or "table",
        "csv": None,
    }
    if download:
        payload["csv"] = base64.b64encode(("\ufeff" + _csv_text(frame, headings, col_kinds)).encode("utf-8")).decode(
            "ascii"
        )
    return payload


# --------------------------------------------------------------------------- HTML

#: One compact stylesheet for tables, tiles, the summary and provenance (also in report.css).
DISPLAY_CSS = (Path(__file__).resolve().parent / "templates" / "csw" / "display.css").read_text(encoding="utf-8")


def _align(kind: str) -> str:
    return "right" if kind in _NUMERIC else "left"


def _short_table(payload: Mapping[str, Any]) -> str:
    # great-tables writes every cell into a frame of pandas "string" columns, one cell at a
    # time; with pandas' default Arrow storage each write rebuilds the column (measured: a
    # third of a page's table rendering), with Python storage it does not
    with pd.option_context("mode.string_storage", "python"):
        return _gt_table(payload)


def _gt_table(payload: Mapping[str, Any]) -> str:
    from great_tables import GT
    from great_tables import html as gt_html

    keys = [f"c{i}" for i in range(len(payload["columns"]))]
    data = pd.DataFrame(payload["cells"], columns=keys, dtype=object) if keys else pd.DataFrame()
    # headings escaped here and passed as HTML: GT reads "{{...}}" in a plain label as units markup
    # and would then write the rest of the label unescaped
    labels: dict[str, Any] = {
        k: gt_html(html.escape(str(c)).replace("{", "&#123;").replace("}", "&#125;"))
        for k, c in zip(keys, payload["columns"])
    }
    gt = GT(data).cols_label(cases=labels)
    for key, kind in zip(keys, payload["kinds"]):
        gt = gt.cols_align(align=_align(kind), columns=key)
    gt = gt.opt_table_font(font="inherit").tab_options(table_font_size="inherit")
    markup = gt.as_raw_html()
    return re.sub(r"<style>.*?</style>", "", markup, count=1, flags=re.S)


def _long_table(payload: Mapping[str, Any]) -> str:
    esc = html.escape
    head = "".join(f'<th class="csw-{_align(k)}">{esc(h)}</th>' for h, k in zip(payload["columns"], payload["kinds"]))
    rows = []
    for i, row in enumerate(payload["cells"]):
        tds = []
        for j, (text, kind) in enumerate(zip(row, payload["kinds"])):
            key = payload["order"][j][i]
            order = "" if key is None else f' data-order="{esc(str(key), quote=True)}"'
            tds.append(f'<td class="csw-{_align(kind)}"{order}>{esc(text)}</td>')
        rows.append("<tr>" + "".join(tds) + "</tr>")
    return (
        '<div class="csw-long-wrap"><table class="csw-long display compact">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def table_html(payload: Mapping[str, Any], *, css: bool = True) -> str:
    """The HTML of a table payload (:func:`table_cells`); every text is escaped here.

    ``css=False`` leaves out the stylesheet (the exported page carries it once).
    """
    esc = html.escape
    lang = payload.get("lang", "zh")
    kind = "long" if payload.get("long") else "short"
    parts = [f'<figure class="csw-table csw-table-{kind}">']
    if payload.get("caption"):
        parts.append(f"<figcaption>{esc(payload['caption'])}</figcaption>")
    parts.append(_long_table(payload) if payload.get("long") else _short_table(payload))
    foot = [f'<span class="csw-note">{esc(n)}</span>' for n in payload.get("notes") or []]
    if payload.get("csv"):
        name = esc(f"{payload.get('name') or 'table'}.csv", quote=True)
        href = "data:text/csv;charset=utf-8;base64," + str(payload["csv"])
        foot.append(
            f'<a class="csw-download" download="{name}" href="{href}">{esc(t("display.download_csv", lang))}</a>'
        )
    if foot:
        parts.append(f'<p class="csw-table-foot">{" ".join(foot)}</p>')
    parts.append("</figure>")
    out = "".join(parts)
    return (f"<style>{DISPLAY_CSS}</style>" + out) if css else out


def _display(bundle: Mapping[str, Any]) -> None:
    from IPython.display import display

    display(dict(bundle), raw=True)


def show_table(
    frame: pd.DataFrame,
    *,
    lang: str,
    kinds: Mapping[Any, str] | None = None,
    labels: Mapping[Any, str] | None = None,
    caption: str | None = None,
    footnote: str | None = None,
    long: bool | None = None,
    download: bool = True,
) -> None:
    """Show ``frame`` as a report table (see the module docstring for the formats).

    Parameters
    ----------
    frame : DataFrame
        The table; its index is not shown.
    lang : {"zh", "en"}
    kinds : mapping, optional
        Column → kind (one of :data:`KINDS`); columns not named are inferred.
    labels : mapping, optional
        Column → heading; others come from i18n (:func:`column_label`).
    caption, footnote : str, optional
    long : bool, optional
        Sortable/searchable/paged; default: more than :data:`LONG_ROWS` rows.
    download : bool
        Add a CSV download link.
    """
    payload = table_cells(
        frame, lang=lang, kinds=kinds, labels=labels, caption=caption, footnote=footnote, long=long, download=download
    )
    if caption:
        payload["name"] = re.sub(r"[^\w-]+", "_", str(caption)).strip("_")[:60] or "table"
    body = table_html(payload)
    if payload["long"] and live_front_end():
        body += _live_datatables(str(payload.get("lang", "zh")))
    _display({"text/html": body, TABLE_MIME: payload})


_BUNDLE_SENT: list[bool] = []


def live_front_end() -> bool:
    """Whether this is a kernel a Jupyter server started for an open notebook (JupyterLab).

    The server gives such kernels ``JPY_SESSION_NAME``; papermill batch kernels, the course
    book's kernels and plain Python have none, so they send no DataTables script.
    """
    return bool(os.environ.get("JPY_SESSION_NAME"))


def _live_datatables(lang: str) -> str:
    """Send itables' offline bundle once per kernel (``application/javascript``: the report export
    drops it) and return the ``<script>`` that pages the tables of this output like a report page."""
    from .page import datatables_bundle, output_table_script

    if not _BUNDLE_SENT:
        _display({"application/javascript": datatables_bundle()})
        _BUNDLE_SENT.append(True)
    return f'<script type="text/javascript">{output_table_script(lang)}</script>'


# --------------------------------------------------------------------------- key figures


@dataclasses.dataclass
class KPI:
    """One key figure: ``key`` (stable, for the results store), ``label`` (shown), ``value``,
    ``unit`` (shown after the value), ``kind`` (:data:`KINDS`), the 95 % interval
    ``ci_low``/``ci_high`` and ``better`` (``"higher"``, ``"lower"`` or ``None``)."""

    key: str
    label: str
    value: Any
    unit: str = ""
    kind: str = "decimal"
    ci_low: Any = None
    ci_high: Any = None
    better: str | None = None


def _number_or_none(value: Any) -> Any:
    if _missing(value):
        return None
    if isinstance(value, (_dt.date, pd.Timestamp)):
        return pd.Timestamp(value).isoformat()
    if isinstance(value, str):
        return value
    number = float(value)
    return number if math.isfinite(number) else None


def kpi_figures(figures: Iterable[KPI | Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Figures checked and as plain dicts (the :data:`KPI_MIME` entries)."""
    out = []
    for i, fig in enumerate(figures):
        item = dataclasses.asdict(fig) if isinstance(fig, KPI) else dict(fig)
        for field in ("key", "label", "value"):
            if field not in item:
                raise ParameterError(f"key figure {i + 1} has no {field!r}; expected key, label, value")
        item = {**dataclasses.asdict(KPI(key="", label="", value=None)), **item}
        if item["kind"] not in KINDS:
            raise ParameterError(f"key figure {item['key']!r}: kind must be one of {', '.join(KINDS)}")
        if item["better"] not in ("higher", "lower", None):
            raise ParameterError(f"key figure {item['key']!r}: better must be 'higher', 'lower' or None")
        for field in ("value", "ci_low", "ci_high"):
            item[field] = _number_or_none(item[field])
        item["key"], item["label"], item["unit"] = str(item["key"]), str(item["label"]), str(item["unit"] or "")
        out.append(item)
    keys = [f["key"] for f in out]
    if len(set(keys)) != len(keys):
        raise ParameterError(f"key figures need distinct keys; got {keys}")
    return out


def _previous(previous: str | Mapping[str, Any] | None) -> dict[str, Any]:
    if not previous:
        return {}
    if isinstance(previous, str):
        try:
            previous = json.loads(previous)
        except json.JSONDecodeError as exc:
            raise ParameterError(f"previous_kpis must be JSON {{key: {{value, ...}}}}; {exc}") from None
    if not isinstance(previous, Mapping):
        raise ParameterError("previous_kpis must be a JSON object {key: {value, ci_low, ci_high, period}}")
    return dict(previous)


def _change_html(fig: Mapping[str, Any], prev: Mapping[str, Any], lang: str) -> str:
    value, before = fig["value"], prev.get("value")
    if not isinstance(value, (int, float)) or not isinstance(before, (int, float)):
        return ""
    diff = value - before
    period = str(prev.get("period") or t("display.previous_period", lang))
    if diff == 0:
        same = f"{t('display.no_change', lang)} {t('display.change_vs', lang, period=period)}"
        return f'<div class="csw-kpi-change">{html.escape(same)}</div>'
    kind = fig["kind"]
    if kind == "share":
        amount = f"{abs(diff) * 100:.1f} " + ("个百分点" if lang == "zh" else "pp")
    else:
        shown = kind if kind in ("count", "money") else "decimal"
        amount = format_column([value, before, abs(diff)], shown, lang=lang)[2]
        if before and kind in ("count", "money"):
            amount += f" ({abs(diff) / abs(before):.1%})"
    arrow = "▲" if diff > 0 else "▼"
    tone, verdict = "", ""
    if fig.get("better"):
        good = (diff > 0) == (fig["better"] == "higher")
        tone = " csw-good" if good else " csw-bad"
        verdict = f" · {t('display.better' if good else 'display.worse', lang)}"
    raw = (fig.get("ci_low"), fig.get("ci_high"), prev.get("ci_low"), prev.get("ci_high"))
    bounds = [float(v) for v in raw if isinstance(v, (int, float))]
    if len(bounds) == 4 and (bounds[0] > bounds[3] or bounds[1] < bounds[2]):
        verdict += f" · {t('display.significant', lang)}"
    amount = f"{amount} {t('display.change_vs', lang, period=period)}{verdict}"
    return f'<div class="csw-kpi-change{tone}">{arrow} {html.escape(amount)}</div>'


def kpi_html(
    figures: Iterable[KPI | Mapping[str, Any]], *, lang: str, previous: str | Mapping[str, Any] | None = ""
) -> str:
    """The tiles' HTML (every text escaped); see :func:`kpi_tiles`."""
    check_language(lang)
    figs = kpi_figures(figures)
    prev = _previous(previous)
    tiles = []
    for fig in figs:
        value = fig["value"] if isinstance(fig["value"], str) else format_value(fig["value"], fig["kind"], lang=lang)
        unit = f'<span class="csw-kpi-unit">{html.escape(fig["unit"])}</span>' if fig["unit"] else ""
        parts = [
            f'<div class="csw-kpi-label">{html.escape(fig["label"])}</div>',
            f'<div class="csw-kpi-value">{html.escape(value or "–")}{unit}</div>',
        ]
        if fig["ci_low"] is not None and fig["ci_high"] is not None:
            kind = fig["kind"] if fig["kind"] in _NUMERIC else "decimal"
            low, high = format_column([fig["ci_low"], fig["ci_high"]], kind, lang=lang)
            parts.append(
                f'<div class="csw-kpi-ci">{html.escape(t("display.interval", lang, low=low, high=high))}</div>'
            )
        if fig["key"] in prev and isinstance(prev[fig["key"]], Mapping):
            parts.append(_change_html(fig, prev[fig["key"]], lang))
        tiles.append(f'<div class="csw-kpi" data-key="{html.escape(fig["key"], quote=True)}">{"".join(parts)}</div>')
    return f'<div class="csw-kpis">{"".join(tiles)}</div>'


def kpi_tiles(
    figures: Iterable[KPI | Mapping[str, Any]], *, lang: str, previous: str | Mapping[str, Any] | None = ""
) -> None:
    """Show key-figure tiles and publish them as :data:`KPI_MIME` for the results store.

    Parameters
    ----------
    figures : list of KPI or dict
        ``key, label, value`` and optionally ``unit, kind, ci_low, ci_high, better``.
    lang : {"zh", "en"}
    previous : str or mapping
        The notebook's ``previous_kpis`` parameter: ``{key: {"value", "ci_low", "ci_high",
        "period"}}`` (JSON text or a dict); ``""`` when there is no previous period.
    """
    figs = kpi_figures(figures)
    body = kpi_html(figs, lang=lang, previous=previous)
    _display({"text/html": f"<style>{DISPLAY_CSS}</style>{body}", KPI_MIME: {"figures": figs}})


# --------------------------------------------------------------------------- summary


def _finding_item(item: str | Mapping[str, Any]) -> str:
    if isinstance(item, Mapping):
        text, flag = str(item.get("text", "")), bool(item.get("flag"))
    else:
        text, flag = str(item), False
    if not text.strip():
        raise ParameterError("a finding or an action is empty")
    return f'<li class="csw-flag">⚠ {html.escape(text)}</li>' if flag else f"<li>{html.escape(text)}</li>"


def findings_html(
    findings: Sequence[str | Mapping[str, Any]], actions: Sequence[str | Mapping[str, Any]], *, lang: str
) -> str:
    """The summary block's HTML (every text escaped); see :func:`findings`.

    >>> "<li>Revenue fell 5%.</li>" in findings_html(["Revenue fell 5%."], [], lang="en")
    True
    """
    check_language(lang)
    if isinstance(findings, str) or isinstance(actions, str):
        raise ParameterError("findings and actions must be lists of sentences, not one string")
    if not findings:
        raise ParameterError("findings needs at least one finding (3–5 headlines computed from the results)")
    parts = [
        '<div class="csw-summary">',
        f'<p class="csw-summary-title">{html.escape(t("display.findings", lang))}</p>',
        "<ul>" + "".join(_finding_item(f) for f in findings) + "</ul>",
    ]
    if actions:
        parts.append(f'<p class="csw-summary-title">{html.escape(t("display.actions", lang))}</p>')
        parts.append("<ol>" + "".join(_finding_item(a) for a in actions) + "</ol>")
    parts.append("</div>")
    return "".join(parts)


def findings(
    findings: Sequence[str | Mapping[str, Any]], actions: Sequence[str | Mapping[str, Any]], *, lang: str
) -> None:
    """Show the summary block that opens a report: finding headlines, then recommended actions.

    A finding or action given as ``{"text": ..., "flag": True}`` is marked ⚠ (a threshold
    breach: HTMT, VIF, low reliability, non-convergence).
    """
    _display({"text/html": f"<style>{DISPLAY_CSS}</style>{findings_html(findings, actions, lang=lang)}"})


# --------------------------------------------------------------------------- provenance


def bundled_source(file: str | PathLike, lang: str) -> str:
    """The source of a bundled data file as a short citation in ``lang`` ("" when not bundled).

    >>> bundled_source("data/raw/transactions/cdnow_sample.csv", "en")[:5]
    'CDNOW'
    """
    key = f"display.source.{Path(file).stem}"
    return t(key, lang) if key in load_catalog() else ""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def provenance_record(
    *,
    data: str | None = None,
    path: str | PathLike | None = None,
    sha256: str | None = None,
    period: str | None = None,
    n: int | None = None,
    n_label: str | None = None,
    source: str | None = None,
    lang: str = "zh",
) -> dict[str, Any]:
    """The :data:`PROVENANCE_MIME` payload: data name (default: the file's name), SHA-256
    (computed from ``path`` when not given), period, n (with what it counts), source
    (default: :func:`bundled_source` of ``path``)."""
    check_language(lang)
    if path is not None and sha256 is None and Path(path).is_file():
        sha256 = _sha256(Path(path))
    name = data or (Path(path).name if path is not None else "")
    if source is None and path is not None:
        source = bundled_source(path, lang)
    return {
        "data": str(name),
        "sha256": sha256 or "",
        "period": str(period or ""),
        "n": None if n is None or _missing(n) else int(n),
        "n_label": str(n_label or ""),
        "source": str(source or ""),
        "lang": lang,
    }


def provenance_html(record: Mapping[str, Any], *, run_date: str | None = None) -> str:
    """The provenance block (escaped): one ``<dl>`` the page header shows."""
    lang = record.get("lang", "zh")
    rows = []
    if record.get("data"):
        rows.append((t("display.dataset", lang), html.escape(str(record["data"]))))
    if record.get("sha256"):
        sha = str(record["sha256"])
        rows.append(
            (
                t("display.file_hash", lang),
                f'<code title="{html.escape(sha, quote=True)}">{html.escape(sha[:12])}</code>',
            )
        )
    if record.get("period"):
        rows.append((t("display.period", lang), html.escape(str(record["period"]))))
    if record.get("n") is not None:
        n = format_value(record["n"], "count", lang=lang)
        rows.append((t("display.n", lang), html.escape(f"{n} {record.get('n_label') or ''}".strip())))
    if run_date:
        rows.append((t("display.run_date", lang), html.escape(run_date)))
    if record.get("source"):
        rows.append((t("display.source", lang), html.escape(str(record["source"]))))
    body = "".join(
        f"<dt>{html.escape(k)}</dt><dd{' class=csw-data-name' if i == 0 and record.get('data') else ''}>{v}</dd>"
        for i, (k, v) in enumerate(rows)
    )
    return f'<dl class="csw-provenance">{body}</dl>'


def provenance(
    *,
    lang: str,
    data: str | None = None,
    path: str | PathLike | None = None,
    sha256: str | None = None,
    period: str | None = None,
    n: int | None = None,
    n_label: str | None = None,
    source: str | None = None,
) -> None:
    """Declare what the report is about; the exported page shows it in its header.

    Call it once, early (e.g. right after reading the data).  In JupyterLab it shows the
    block in place; the exporter moves it to the header next to the run date.
    """
    record = provenance_record(
        data=data, path=path, sha256=sha256, period=period, n=n, n_label=n_label, source=source, lang=lang
    )
    _display({"text/html": f"<style>{DISPLAY_CSS}</style>{provenance_html(record)}", PROVENANCE_MIME: record})
