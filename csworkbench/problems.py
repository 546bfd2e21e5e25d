"""Data problems (数据问题): one type for every problem a validator or an analysis finds.

A problem has a **code** (the key of its message template in ``locale/problems.yml``, without
the ``problems.`` prefix), the 1-based data **row** and the **column** it concerns, the **value**
found there, the **action** taken (a code of ``problems.action.*``: dropped, excluded, flagged,
kept as NaN …) and the **params** that fill the template.  Its text is *rendered* from the
template in Chinese or English; nothing is ever translated by matching English sentences.

:class:`Problems` collects them for one call.  It raises :class:`~csworkbench.errors.DataError`
on the first problem when ``strict=True``; with ``warn=True`` it issues one
:class:`~csworkbench.errors.DataWarning` per problem added; :meth:`Problems.frame` returns the
tidy table every validator and capability hands back::

    row · column · value · problem · action · code · params

``problem`` and ``action`` are the rendered texts (English unless ``lang`` says otherwise);
``code`` and ``params`` (JSON) keep what is needed to render them again in another language,
so a table survives Parquet or CSV and :func:`localize` turns it into Chinese later.

A parameter may itself be a message part: ``part("scale", range="1–7")`` renders the
``problems.part.scale`` template in the same language.

Examples
--------
>>> from csworkbench.problems import Problems, localize, part
>>> probs = Problems()
>>> probs.add("missing_customer", rows=[3, 7], column="customer_id", action="dropped")
>>> probs.add("outside_scale", rows=[2], column="EXPE3", values=[12], action="kept_nan",
...           part=part("scale", range="0–10"))
>>> table = probs.frame(sort=True)
>>> table[["row", "column", "problem", "action"]].values.tolist()
[[2, 'EXPE3', 'outside the scale: must hold numbers 0–10', 'kept as NaN'], [3, 'customer_id', 'missing customer id', 'dropped'], [7, 'customer_id', 'missing customer id', 'dropped']]
>>> localize(table, "zh")["problem"].tolist()
['超出量表范围：应为 0–10 之间的数字', '缺少顾客编号', '缺少顾客编号']
>>> Problems(strict=True, path="survey.csv").add("outside_scale", rows=[17], column="EXPE3",
...     values=["n/a"], part=part("scale", range="0–10"))
Traceback (most recent call last):
...
csworkbench.errors.DataError: survey.csv: column 'EXPE3', row 17: outside the scale: must hold numbers 0–10; got 'n/a'
"""

from __future__ import annotations

import datetime as _dt
import json
import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .codes import PROBLEM_COLUMNS
from .errors import DataError, DataWarning
from .i18n import DEFAULT_LANGUAGE, TranslationError, check_language, load_catalog

if TYPE_CHECKING:  # pandas is imported only when a table is made
    import pandas as pd

__all__ = [
    "PROBLEM_COLUMNS",
    "Problem",
    "Problems",
    "Part",
    "part",
    "render",
    "action_text",
    "localize",
    "empty_frame",
    "show_value",
]

_PREFIX = "problems."
_ACTION_PREFIX = "problems.action."
#: Rows named in one warning or strict error before "… (N in all)".
MAX_ROWS_SHOWN = 8


@dataclass(frozen=True)
class Part:
    """A message part: a template of ``problems.part.*`` with its own parameters."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, lang: str = "en") -> str:
        return render("part." + self.code, lang, **self.params)

    def to_json(self) -> dict[str, Any]:
        return {"__part__": self.code, **{k: _jsonable(v) for k, v in self.params.items()}}


def part(code: str, /, **params: Any) -> Part:
    """A message part for a parameter, e.g. ``part("scale", range="1–7")``."""
    render("part." + code, "en", **params)  # unknown code or missing parameter: fail where it is written
    return Part(code, params)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Part):
        return value.to_json()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return str(value)


def _from_json(value: Any) -> Any:
    if isinstance(value, dict) and "__part__" in value:
        params = {k: _from_json(v) for k, v in value.items() if k != "__part__"}
        return Part(value["__part__"], params)
    return value


def render(code: str, lang: str = "en", /, **params: Any) -> str:
    """The text of problem ``code`` in ``lang`` with ``params`` filled in (parts rendered too).

    >>> render("missing_date", "zh")
    '缺少日期'
    >>> render("future_date", "en", limit="2025-01-01")
    'date after 2025-01-01 (in the future)'
    """
    check_language(lang)
    entry = load_catalog().get(_PREFIX + code)
    if entry is None:
        raise TranslationError(f"no data-problem text {code!r}; add problems.{code} to locale/problems.yml")
    filled = {k: v.render(lang) if isinstance(v, Part) else v for k, v in params.items()}
    try:
        return entry[lang].format(**filled)
    except KeyError as exc:
        raise TranslationError(f"problem {code!r} needs the parameter {exc.args[0]!r}") from None


def action_text(action: str, lang: str = "en") -> str:
    """The text of an action code (``"kept_nan"`` → ``"kept as NaN"`` / ``"保留为空值"``)."""
    check_language(lang)
    entry = load_catalog().get(_ACTION_PREFIX + action)
    if entry is None:
        raise TranslationError(f"no action text {action!r}; add problems.action.{action} to locale/problems.yml")
    return entry[lang]


def show_value(value: Any) -> str | None:
    """A cell's value as shown in a problem table: blank → None, 3.0 → '3', dates without 00:00, cut at 60."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return None
        if isinstance(value, pd.Timestamp) and value == value.normalize():
            value = value.date()
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    if hasattr(value, "item") and not isinstance(value, str):  # NumPy scalars
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, _dt.datetime) and value == value.replace(hour=0, minute=0, second=0, microsecond=0):
        value = value.date()
    text = str(value)
    return text[:57] + "…" if len(text) > 60 else text


@dataclass(frozen=True)
class Problem:
    """One data problem; ``problem`` and ``action`` texts are rendered from the codes."""

    code: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    action: str = "flagged"
    params: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        """The problem's message in ``lang`` (with the file's own header when it differs)."""
        params = {k: v for k, v in self.params.items() if k != "header"}
        text = render(self.code, lang, **params)
        if self.params.get("header") is not None:
            text = render("file_column", lang, problem=text, column=repr(str(self.params["header"])))
        return text

    def record(self, lang: str = "en") -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "problem": self.text(lang),
            "action": action_text(self.action, lang),
            "code": self.code,
            "params": json.dumps({k: _jsonable(v) for k, v in self.params.items()}, ensure_ascii=False, sort_keys=True),
        }


def _rows_text(rows: list[int]) -> str:
    if len(rows) == 1:
        return f"row {rows[0]}"
    shown = ", ".join(map(str, rows[:MAX_ROWS_SHOWN]))
    return f"rows {shown}" + (f" … ({len(rows)} in all)" if len(rows) > MAX_ROWS_SHOWN else "")


class Problems:
    """The problems of one call: collected, raised when strict, warned when asked, tabled.

    Parameters
    ----------
    path : str or path-like, optional
        The file the data came from (named in errors).
    strict : bool, default False
        Raise :class:`DataError` at the first problem added instead of collecting it.
    warn : bool, default False
        Issue a :class:`DataWarning` for every :meth:`add` (one per call, naming its rows).
    headers : mapping, optional
        Canonical column → the header it has in the user's file, when they differ; messages
        about such a column name the file's header too.
    """

    def __init__(
        self, *, path: Any = None, strict: bool = False, warn: bool = False, headers: Mapping[str, str] | None = None
    ) -> None:
        self.path = path
        self.strict = strict
        self.warn = warn
        self.headers: dict[str, str] = dict(headers or {})
        self._items: list[Problem] = []

    # ------------------------------------------------------------------ collecting
    def add(
        self,
        code: str,
        /,
        *,
        rows: Iterable[Any] | None = None,
        column: str | None = None,
        values: Iterable[Any] | None = None,
        action: str = "flagged",
        **params: Any,
    ) -> None:
        """Add problem ``code`` for each row in ``rows`` (or once, for the whole column or table).

        ``values`` runs parallel to ``rows``; ``params`` fill the message template.  With
        ``strict`` this raises at the first row, naming file, column, row and the value found.
        """
        row_list = [None if r is None or r != r else int(r) for r in rows] if rows is not None else []
        value_list = list(values) if values is not None else [None] * max(len(row_list), 1)
        if rows is not None and not row_list:
            return
        if column is not None and column in self.headers and self.headers[column] != column:
            params = {**params, "header": self.headers[column]}
        probe = Problem(code, None, column, None, action, params)
        text = probe.text("en")  # unknown codes or missing parameters fail here, in every mode
        action_text(action, "en")
        if self.strict:
            raise self.error_for(probe, row_list[0] if row_list else None, value_list[0] if value_list else None)
        for r, v in zip(row_list or [None], value_list):
            self._items.append(Problem(code, r, None if column is None else str(column), show_value(v), action, params))
        if self.warn:
            rows_known = [r for r in row_list if r is not None]
            where = f" ({_rows_text(rows_known)})" if rows_known else ""
            subject = f"column {column!r}: " if column is not None else ""
            warnings.warn(f"{subject}{text}{where}; {action_text(action, 'en')}", DataWarning, stacklevel=2)

    def extend(self, other: Problems | pd.DataFrame | Iterable[Problem] | None, *, row_map: Any = None) -> None:
        """Take over the problems of ``other`` (another collector, a problem table, or items).

        ``row_map[i]`` is the 0-based position in *this* call's data of row ``i + 1`` of the
        other's; rows are renumbered through it.  When strict, the first one raises.
        """
        if other is None:
            return
        items = list(other) if not _is_frame(other) else list(_items_from_frame(other))
        for item in items:
            row = item.row
            if row is not None and row_map is not None:
                row = int(row_map[row - 1]) + 1
            moved = Problem(item.code, row, item.column, item.value, item.action, dict(item.params))
            if self.strict:
                raise self.error_for(moved, row, item.value)
            self._items.append(moved)
            if self.warn:
                where = f" (row {row})" if row is not None else ""
                subject = f"column {item.column!r}: " if item.column is not None else ""
                warnings.warn(
                    f"{subject}{moved.text('en')}{where}; {action_text(item.action, 'en')}", DataWarning, stacklevel=2
                )

    # ------------------------------------------------------------------ errors
    def error_for(self, problem: Problem, row: int | None, value: Any = None) -> DataError:
        """The :class:`DataError` that states ``problem`` at ``row`` (with the value found)."""
        shown = show_value(value) if not isinstance(value, str) else value
        got = f"; got {shown!r}" if shown is not None else ""
        return DataError(
            problem.text("en") + got, path=self.path, column=problem.column, row=row, problems=self.frame(sort=True)
        )

    def fail(self, message: str, *, column: str | None = None, row: int | None = None) -> DataError:
        """A :class:`DataError` with a free-text ``message`` that stops the call (a required column
        missing, nothing left to analyse); it carries the problem table so far."""
        return DataError(message, path=self.path, column=column, row=row, problems=self.frame(sort=True))

    def error(
        self, code: str, /, *, column: str | None = None, row: int | None = None, value: Any = None, **params: Any
    ) -> DataError:
        """A :class:`DataError` for a problem that stops the call (carries the table so far)."""
        if column is not None and column in self.headers and self.headers[column] != column:
            params = {**params, "header": self.headers[column]}
        return self.error_for(Problem(code, row, column, None, "flagged", params), row, value)

    # ------------------------------------------------------------------ reading
    def __iter__(self) -> Iterator[Problem]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)

    def __repr__(self) -> str:
        return f"Problems({len(self)} problem{'s' if len(self) != 1 else ''})"

    def codes(self) -> set[str]:
        """The distinct problem codes collected."""
        return {p.code for p in self._items}

    def frame(self, lang: str = "en", *, sort: bool = False) -> pd.DataFrame:
        """The tidy problem table (columns :data:`PROBLEM_COLUMNS`), texts in ``lang``."""
        import pandas as pd

        check_language(lang)
        out = pd.DataFrame([p.record(lang) for p in self._items], columns=PROBLEM_COLUMNS)
        out["row"] = out["row"].astype("Int64")
        for c in ("column", "value", "problem", "action", "code", "params"):
            out[c] = out[c].astype("object")
        if sort:
            out = out.sort_values(["row", "column"], kind="stable", na_position="first").reset_index(drop=True)
        return out


def _is_frame(obj: Any) -> bool:
    return hasattr(obj, "columns") and hasattr(obj, "to_dict")


def _items_from_frame(frame: pd.DataFrame) -> Iterator[Problem]:
    missing = [c for c in ("code", "params") if c not in frame.columns]
    if missing:
        raise DataError(f"a problem table needs the columns {PROBLEM_COLUMNS}; {missing} are missing")
    actions = _action_codes()
    for rec in frame.to_dict("records"):
        row = rec.get("row")
        column = rec.get("column")
        params = {k: _from_json(v) for k, v in json.loads(rec.get("params") or "{}").items()}
        action = rec.get("action")
        yield Problem(
            str(rec["code"]),
            None if _blank(row) else int(row),
            None if _blank(column) else str(column),
            show_value(rec.get("value")),
            actions.get(action, action),
            params,
        )


def _blank(value: Any) -> bool:
    import pandas as pd

    return value is None or bool(pd.isna(value))


def _action_codes() -> dict[str, str]:
    """Rendered action text (any language) → its code: an exact look-up, actions take no parameters."""
    out: dict[str, str] = {}
    for key, entry in load_catalog().items():
        if key.startswith(_ACTION_PREFIX):
            for text in entry.values():
                out[text] = key[len(_ACTION_PREFIX) :]
    return out


def empty_frame() -> pd.DataFrame:
    """A problem table with no rows (the shape every function returns when all is well)."""
    return Problems().frame()


def localize(frame: pd.DataFrame, lang: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
    """Re-render the ``problem`` and ``action`` texts of a problem table in ``lang`` from their codes.

    Rows keep their order and every other column.  In a table without a ``code`` column (a
    caller's own) only the actions are translated — an exact look-up, since actions take no
    parameters; the problem texts stay as written.
    """
    import pandas as pd

    check_language(lang)
    out = frame.copy()
    if frame.empty:
        return out
    if "code" not in frame.columns:
        if "action" in out.columns:
            codes = _action_codes()
            out["action"] = pd.Series(
                [action_text(codes[a], lang) if a in codes else a for a in out["action"]], index=out.index, dtype=object
            )
        return out
    items = list(_items_from_frame(frame))
    out["problem"] = pd.Series([p.text(lang) for p in items], index=out.index, dtype=object)
    out["action"] = pd.Series([action_text(p.action, lang) for p in items], index=out.index, dtype=object)
    return out
