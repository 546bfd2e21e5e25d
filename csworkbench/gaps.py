"""Gap models of satisfaction (差距模型): triangle rule, CEM seven steps, SERVQUAL, the five gaps, Kano, IPA, Grönroos.

The course (COURSE.md §1) teaches satisfaction as a gap: experience − expectation
(三角定律, 顾客满意 = 实际感受 − 期望感受).  This module takes survey answers from raw
tidy frames to every gap model of the course, with uncertainty:

* :func:`gap_scores` — the triangle rule per respondent and attribute, and a summary with a
  paired 95 % confidence interval and the shares delighted (惊喜) / met / dissatisfied.
* :func:`cem_table`, :func:`cem_steps` — the CEM seven steps (客户体验管理七步法): gap,
  importance-weighted gap, key experiences, ideal-experience gap.
* :func:`servqual` — SERVQUAL (服务质量五要素; Parasuraman, Zeithaml & Berry 1988, *J. Retailing*
  64(1), 12–40; importance points: Parasuraman, Berry & Zeithaml 1991, *J. Retailing* 67(4)):
  per-item and per-dimension P − E with CIs, the importance-weighted score, Cronbach's α
  (Cronbach 1951) and paired t-tests with a multiple-comparison correction (statsmodels).
* :func:`five_gaps` — the five service-quality gaps (服务质量差距; Parasuraman, Zeithaml & Berry
  1985, *J. Marketing* 49(4)): understanding, procedure, behaviour, promotion, perception.
* :func:`kano_classify`, :func:`needs_window` — Kano categories (Kano et al. 1984; evaluation table
  and Better/Worse coefficients of Berger et al. 1993, *Center for Quality Management Journal*
  2(4)) and the course's customer-needs window (客户需要之窗).
* :func:`ipa` — importance–performance analysis (Martilla & James 1977, *J. Marketing* 41(1)).
* :func:`perceived_quality` — Grönroos' perceived service quality (顾客感知服务质量; Grönroos 1984,
  *Eur. J. Marketing* 18(4)): technical and functional quality with image as a moderator.
* Figure builders (``*_figure``) return plotly figures; they never display anything.

Answers come in the long layout of the design card: one row per answer with columns
``respondent, item, kind, score`` where ``kind`` is ``"E"`` (expectation) or ``"P"``
(perception / experience); SERVQUAL importance points may ride along as rows with kind
``"I"`` and the dimension key as ``item``.  :func:`wide_to_long` converts wide files.
Input checks go through :func:`csworkbench.schema.validate_survey`; every problem ends up in
the ``problems`` table (``row, column, value, problem, action``; ``row`` is the 1-based row of
the frame passed in) and in a :class:`~csworkbench.errors.DataWarning`; ``strict=True``
raises a :class:`~csworkbench.errors.DataError` instead.  Missing answers stay NaN and are
counted, never turned into zeros.

The estimators are hand-written on NumPy arrays (one pass with ``np.bincount`` over
respondent × item codes) because no maintained library computes paired SERVQUAL gaps,
α and importance weights on long frames; the statistics themselves (t quantiles, tests,
multiple-comparison correction, regression) come from SciPy and statsmodels.

Examples
--------
>>> from csworkbench.datasets.servqual import make_servqual_survey
>>> from csworkbench.gaps import servqual
>>> res = servqual(make_servqual_survey(300, random_state=0))
>>> res.dimensions[["dimension", "gap"]].round(1).to_dict("list")["dimension"][:2]
['tangibles', 'reliability']
"""

from __future__ import annotations

import gc
import re
import warnings
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, NamedTuple, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .codes import SERVQUAL_DIMENSIONS  # the standard instrument, defined once
from .errors import DataError, DataWarning, ModelError
from .i18n import check_language, t

__all__ = [
    "SERVQUAL_DIMENSIONS",
    "select_answers",
    "GapScores",
    "ServqualResult",
    "FiveGaps",
    "KanoResult",
    "GronroosResult",
    "wide_to_long",
    "gap_scores",
    "cem_table",
    "cem_steps",
    "servqual",
    "five_gaps",
    "kano_classify",
    "needs_window",
    "ipa",
    "perceived_quality",
    "gap_bar_figure",
    "item_heatmap_figure",
    "ipa_figure",
    "kano_figure",
    "table_view",
]


from .schema import PROBLEM_COLUMNS  # noqa: E402  (one definition of the problems table)
_MAX_ROWS_SHOWN = 8


# =========================================================================== shared machinery


def _rows_text(rows: Iterable[int]) -> str:
    rows = [int(r) for r in rows]
    if len(rows) == 1:
        return f"row {rows[0]}"
    shown = ", ".join(map(str, rows[:_MAX_ROWS_SHOWN]))
    return f"rows {shown}" + (f" … ({len(rows)} in all)" if len(rows) > _MAX_ROWS_SHOWN else "")


class _Problems:
    """Collects problems of one call; warns once per problem kind, or raises when strict."""

    def __init__(self, strict: bool, path: Any = None) -> None:
        self.strict = strict
        self.path = path
        self.records: list[dict[str, Any]] = []

    def add(self, rows, column, values, problem: str, action: str, *, always_raise: bool = False) -> None:
        rows = [int(r) for r in rows] if rows is not None else []
        values = list(values) if values is not None else [None] * len(rows)
        if self.strict or always_raise:
            where = f" ({_rows_text(rows)})" if rows else ""
            raise DataError(f"{problem}{where}", path=self.path, column=column, row=rows[0] if rows else None)
        if not rows:
            rows, values = [None], [values[0] if values else None]
        for r, v in zip(rows, values):
            self.records.append({"row": r, "column": column, "value": None if v is None else str(v), "problem": problem, "action": action})
        where = f" ({_rows_text([r for r in rows if r is not None])})" if rows and rows[0] is not None else ""
        warnings.warn(f"column {column!r}: {problem}{where}; {action}", DataWarning, stacklevel=3)

    def extend(self, frame: pd.DataFrame | None, row_map: np.ndarray | None = None) -> None:
        if frame is None or frame.empty:
            return
        frame = frame.copy()
        if row_map is not None:
            r = frame["row"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
            ok = ~np.isnan(r)
            mapped = np.full(r.shape, np.nan)
            mapped[ok] = row_map[r[ok].astype(int) - 1] + 1
            frame["row"] = mapped
        if self.strict:  # raise here, with the row numbered in the caller's frame
            first = frame.iloc[0]
            row = None if pd.isna(first["row"]) else int(first["row"])
            raise DataError(f"{first['problem']}; got {first['value']!r}", path=self.path, column=first["column"], row=row)
        for rec in frame.to_dict("records"):
            row = rec.get("row")
            rec["row"] = None if row is None or pd.isna(row) else int(row)
            self.records.append({k: rec.get(k) for k in PROBLEM_COLUMNS})
        for (column, problem, action), sub in frame.groupby(["column", "problem", "action"], dropna=False, sort=False):
            rows = [int(r) for r in sub["row"].dropna()]
            where = f" ({_rows_text(rows)})" if rows else ""
            warnings.warn(f"column {column!r}: {problem}{where}; {action}", DataWarning, stacklevel=3)

    def frame(self) -> pd.DataFrame:
        out = pd.DataFrame(self.records, columns=PROBLEM_COLUMNS)
        out["row"] = out["row"].astype("Int64")
        return out


def _require(frame: pd.DataFrame, columns: Sequence[str], what: str, path: Any = None) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise DataError(f"{what} must be a pandas DataFrame; got {type(frame).__name__}", path=path)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(
            f"{what} needs column{'s' if len(missing) > 1 else ''} {', '.join(map(repr, missing))}; "
            f"the data have: {', '.join(map(str, frame.columns[:30]))}",
            path=path,
            column=missing[0],
        )


def _normalise_kind(series: pd.Series) -> pd.Categorical:
    """Kind codes upper-cased and stripped, as a categorical (cheap on millions of rows)."""
    cat = series if isinstance(series.dtype, pd.CategoricalDtype) else series.astype("category")
    cats = cat.cat.categories.astype(str).str.strip().str.upper()
    codes = cat.cat.codes.to_numpy()
    uniq, inverse = np.unique(np.asarray(cats, dtype=object), return_inverse=True)
    new_codes = np.where(codes >= 0, inverse[np.maximum(codes, 0)], -1)
    return pd.Categorical.from_codes(new_codes, categories=list(uniq))


def _t_interval(mean, sd, n, confidence):
    """Mean, SE, CI and two-sided one-sample t-test against 0, vectorised; NaN where n < 2."""
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.where(n >= 2, sd / np.sqrt(n), np.nan)
        df = np.where(n >= 2, n - 1, np.nan)
        q = stats.t.ppf(0.5 + confidence / 2, df)
        tval = mean / se
        p = 2 * stats.t.sf(np.abs(tval), df)
    return se, mean - q * se, mean + q * se, tval, p


def _grouped_moments(x: np.ndarray, g: np.ndarray, n_groups: int):
    """Per group × column count, mean and SD (ddof 1) of a 2-D array with NaN = missing."""
    n, k = x.shape
    valid = ~np.isnan(x)
    if n_groups == 1:  # plain column reductions: several times faster than bincount
        cnt = valid.sum(axis=0, dtype=float)[None, :]
        x0 = np.where(valid, x, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = x0.sum(axis=0)[None, :] / cnt
            dev = np.where(valid, x - mean, 0.0)
            sd = np.sqrt(np.where(cnt >= 2, (dev * dev).sum(axis=0)[None, :] / (cnt - 1), np.nan))
        return cnt, np.where(cnt > 0, mean, np.nan), sd
    idx = (g[:, None] * k + np.arange(k)[None, :]).ravel()
    size = n_groups * k
    cnt = np.bincount(idx, weights=valid.ravel(), minlength=size).reshape(n_groups, k)
    x0 = np.where(valid, x, 0.0)
    s = np.bincount(idx, weights=x0.ravel(), minlength=size).reshape(n_groups, k)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = s / cnt
    dev = np.where(valid, x - mean[g], 0.0)
    ss = np.bincount(idx, weights=(dev * dev).ravel(), minlength=size).reshape(n_groups, k)
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.sqrt(np.where(cnt >= 2, ss / (cnt - 1), np.nan))
    mean = np.where(cnt > 0, mean, np.nan)
    return cnt, mean, sd


def _grouped_sum(x: np.ndarray, g: np.ndarray, n_groups: int) -> np.ndarray:
    n, k = x.shape
    if n_groups == 1:
        return x.sum(axis=0)[None, :]
    idx = (g[:, None] * k + np.arange(k)[None, :]).ravel()
    return np.bincount(idx, weights=x.ravel(), minlength=n_groups * k).reshape(n_groups, k)


@dataclass
class _Answers:
    """Answers as respondent × item arrays (internal)."""

    keys: pd.DataFrame  # one row per respondent code: group columns + respondent
    items: list
    E: np.ndarray
    P: np.ndarray
    group: np.ndarray  # group code per respondent
    group_keys: pd.DataFrame  # one row per group code (empty columns when no groups)
    resp_code_of_row: pd.Series | None = None


def _prepare_answers(
    frame: pd.DataFrame,
    *,
    respondent: str,
    item: str,
    kind: str,
    score: str,
    scale: tuple[float, float] | None,
    items: Sequence | None,
    groups: Sequence[str],
    problems: _Problems,
    path: Any,
    extra_kinds: Sequence[str] = (),
) -> tuple[_Answers, pd.DataFrame]:
    """Validate long answers (via schema.validate_survey) and pivot them to arrays.

    Returns the arrays and the rows of ``extra_kinds`` (e.g. importance ``"I"``), with a
    ``_row`` column holding their 1-based row in ``frame``.
    """
    from .schema import validate_survey

    _require(frame, [respondent, item, kind, score, *groups], "the answers table", path)
    kinds = _normalise_kind(frame[kind])
    kind_codes = np.asarray(kinds.codes)
    cats = list(kinds.categories)
    is_pe = np.isin(kind_codes, [cats.index(c) for c in ("E", "P") if c in cats])
    is_extra = np.isin(kind_codes, [cats.index(c) for c in extra_kinds if c in cats])
    bad_kind = ~is_pe & ~is_extra
    if bad_kind.any():
        rows = np.flatnonzero(bad_kind) + 1
        expected = "'E' (expectation) or 'P' (perception)" + (
            "".join(f" or {k!r}" for k in extra_kinds) if extra_kinds else ""
        )
        problems.add(rows, kind, frame[kind].to_numpy()[bad_kind], f"kind must be {expected}", "dropped")
    epos = np.flatnonzero(is_extra)
    extra = pd.DataFrame({c: _take(frame[c], epos) for c in dict.fromkeys([respondent, item, score, *groups])})
    extra["_row"] = epos + 1

    pos = np.flatnonzero(is_pe)
    is_p = kind_codes[pos] == (cats.index("P") if "P" in cats else -2)
    if isinstance(frame[item].dtype, pd.CategoricalDtype):
        ic_raw, levels = frame[item].cat.codes.to_numpy()[pos].astype(np.int64), frame[item].cat.categories
    else:
        ic_raw, levels = pd.factorize(_take(frame[item], pos))
    resp_sub = _take(frame[respondent], pos)
    if groups:  # respondents are nested in groups: the same id in two groups is two people
        rkey = frame.iloc[pos].groupby([*groups, respondent], sort=False, observed=True, dropna=False).ngroup().to_numpy()
    else:
        rkey = resp_sub
    blank = (ic_raw < 0) | pd.isna(resp_sub)
    if blank.any():
        which = np.flatnonzero(blank)
        problems.add(pos[which] + 1, item if (ic_raw[which[0]] < 0) else respondent, [None] * len(which),
                     "missing item label or respondent id", "dropped")
    # kind is checked above and travels inside the item code, so the shared validator only
    # sees numbers (fast on millions of rows): code = 2 · item + (1 if P else 0)
    check = pd.DataFrame({respondent: rkey, item: ic_raw * 2 + is_p, score: _take(frame[score], pos)})
    check = check[~blank] if blank.any() else check
    lo_hi = scale if scale is not None else (-np.inf, np.inf)
    clean, found = validate_survey(
        check,
        layout="long",
        scale=lo_hi,
        long_columns={"respondent": respondent, "item": item, "kind": kind, "score": score},
        path=path,
        strict=False,  # strictness is applied by ``problems`` once rows are numbered as in ``frame``
    )
    # the validator numbers rows by position in ``check``; map them back to rows of ``frame``
    check_pos = np.flatnonzero(~blank)
    problems.extend(found, row_map=pos[check_pos])
    kept = clean.index.to_numpy()  # labels of ``check`` = positions among the P/E rows
    kept_rows = pos[kept]
    kept_scores = clean[score].to_numpy(dtype=float)
    del check, clean  # free the validator's copies before the arrays are built (8.8 M rows: ~0.4 GB)

    # respondent codes (nested in groups), item codes
    if groups:
        resp_code, keys = _factorize_rows(frame.iloc[kept_rows][[*groups, respondent]].reset_index(drop=True), [*groups, respondent])
    else:
        codes, uniques = pd.factorize(resp_sub[kept], sort=True)
        resp_code, keys = codes, pd.DataFrame({respondent: uniques})
    ic_kept = ic_raw[kept]
    if items is None:
        items = list(levels[np.unique(ic_kept)])
    items = list(items)
    level_to_item = pd.Index(items).get_indexer(levels)
    item_code = level_to_item[ic_kept]
    unknown = item_code < 0
    if unknown.any():
        rows = kept_rows[unknown] + 1
        problems.add(rows, item, np.asarray(levels)[ic_kept[unknown]], "item is not in the instrument mapping", "dropped")
    keep = ~unknown
    n, k = len(keys), len(items)
    kcode = is_p[kept][keep]
    sc = kept_scores[keep]
    rc, ic = resp_code[keep], item_code[keep]
    E = np.full((n, k), np.nan)
    P = np.full((n, k), np.nan)
    E[rc[~kcode], ic[~kcode]] = sc[~kcode]
    P[rc[kcode], ic[kcode]] = sc[kcode]

    # unpaired items and items without any answer
    hasE = (~np.isnan(E)).sum(axis=0)
    hasP = (~np.isnan(P)).sum(axis=0)
    for j, it in enumerate(items):
        if hasE[j] > 0 and hasP[j] > 0:
            continue
        rows_it = kept_rows[keep][ic == j] + 1
        if hasE[j] == 0 and hasP[j] == 0:
            problems.add(rows_it[:50], item, [it] * min(len(rows_it), 50) if len(rows_it) else [it],
                         f"item {it!r}: every answer is missing, the item cannot be analysed", "kept as NaN")
        elif hasE[j] == 0 or hasP[j] == 0:
            lacking = "expectation (E)" if hasE[j] == 0 else "perception (P)"
            problems.add(rows_it, item, [it] * len(rows_it),
                         f"unpaired item {it!r}: it has no {lacking} answers, so no gap can be computed", "excluded from gaps")

    if groups:
        gcode, gkeys = _factorize_rows(keys, list(groups))
    else:
        gcode, gkeys = np.zeros(n, dtype=np.int64), pd.DataFrame(index=[0])
    answers = _Answers(keys=keys.reset_index(drop=True), items=items, E=E, P=P, group=gcode, group_keys=gkeys.reset_index(drop=True))
    return answers, extra


def _take(series: pd.Series, positions: np.ndarray) -> np.ndarray:
    """Values at ``positions`` as a NumPy array (categoricals through their codes: cheap)."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        cats = np.asarray(series.cat.categories, dtype=object)
        codes = series.cat.codes.to_numpy()[positions]
        out = np.empty(len(codes), dtype=object)
        ok = codes >= 0
        out[ok] = cats[codes[ok]]
        out[~ok] = None
        return out
    return series.to_numpy()[positions]


def _factorize_rows(frame: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    codes = frame.groupby(columns, sort=True, observed=True, dropna=False).ngroup().to_numpy()
    # ngroup numbers the groups in sorted key order; take each group's first row as its key
    first = pd.DataFrame({"code": codes}).drop_duplicates().index.to_numpy()
    keys = frame.iloc[first][columns].assign(_c=codes[first]).sort_values("_c").drop(columns="_c").reset_index(drop=True)
    return codes, keys


def _with_groups(gkeys: pd.DataFrame, n_rows_per_group: int, body: dict[str, Any]) -> pd.DataFrame:
    """Frame of group keys repeated per row of ``body`` (group-major order)."""
    out = {}
    for col in gkeys.columns:
        out[col] = np.repeat(gkeys[col].to_numpy(), n_rows_per_group)
    out.update(body)
    return pd.DataFrame(out)


# =========================================================================== wide → long


def wide_to_long(
    frame: pd.DataFrame,
    *,
    respondent: str | None = None,
    pattern: str = r"^(?P<kind>[EP])_?(?P<item>\d+)$",
    item_format: str = "q{}",
    importance: Mapping[str, str] | None = None,
    keep: Sequence[str] = (),
) -> pd.DataFrame:
    """Wide survey answers → the long layout ``respondent, item, kind, score`` (宽表转长表).

    Parameters
    ----------
    frame : DataFrame
        One row per respondent, one column per answer (``E1 … E22, P1 … P22`` by default).
    respondent : str, optional
        Respondent id column; default the 1-based row number.
    pattern : str
        Regular expression with named groups ``kind`` (``E``/``P``) and ``item``.
    item_format : str
        How an item label is written from the ``item`` group, default ``"q{}"`` (``E5`` → ``q5``).
    importance : mapping dimension → column, optional
        Importance-points columns, written as rows with kind ``"I"`` and the dimension as item.
    keep : sequence of str
        Respondent-level columns carried along (segment, period …).

    Returns
    -------
    DataFrame
        ``respondent, item, kind, score`` (+ ``keep`` columns); blanks stay as NaN rows.

    Examples
    --------
    >>> import pandas as pd
    >>> wide_to_long(pd.DataFrame({"E1": [6, 7], "P1": [5, None]}))
       respondent item kind  score
    0           1   q1    E    6.0
    1           2   q1    E    7.0
    2           1   q1    P    5.0
    3           2   q1    P    NaN
    """
    rx = re.compile(pattern)
    ids = frame[respondent].to_numpy() if respondent else np.arange(1, len(frame) + 1)
    parts = []
    for col in frame.columns:
        m = rx.match(str(col))
        if not m or col == respondent:
            continue
        parts.append((m.group("kind").upper(), item_format.format(m.group("item")), col))
    if not parts and not importance:
        raise DataError(f"no column matches {pattern!r}: nothing to reshape; columns are {list(frame.columns)[:20]}")
    parts.sort(key=lambda p: (p[0], _natural(p[1])))
    pieces = []
    for kind, it, col in parts + [("I", d, c) for d, c in (importance or {}).items()]:
        values = pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float)
        bad = frame[col].notna().to_numpy() & np.isnan(values)
        if bad.any():
            rows = np.flatnonzero(bad) + 1
            raise DataError(f"not a number ({_rows_text(rows)}); got {frame[col].iloc[rows[0] - 1]!r}", column=col, row=int(rows[0]))
        piece = {"respondent": ids, "item": it, "kind": kind, "score": values}
        for c in keep:
            piece[c] = frame[c].to_numpy()
        pieces.append(pd.DataFrame(piece))
    return pd.concat(pieces, ignore_index=True)


def _natural(label: str):
    return [int(s) if s.isdigit() else s for s in re.split(r"(\d+)", str(label))]


# =========================================================================== selecting answers


def select_answers(
    frame: pd.DataFrame,
    *,
    segment_column: str = "",
    segment_value: Any = "",
    period: str = "",
    period_column: str = "period",
) -> pd.DataFrame:
    """Answers of one segment and/or period (for report notebooks: one call, no code in cells).

    Parameters
    ----------
    frame : DataFrame
        Long answers with respondent-level columns.
    segment_column, segment_value : str
        Keep rows whose ``segment_column`` equals ``segment_value`` (compared as text);
        ``""`` = no segment filter.
    period : str
        Keep rows whose ``period_column`` starts with ``period`` (``"2026"`` keeps
        ``"2026Q1"`` and ``"2026-10"``); ``""`` = all.  When the data have no such column the
        filter is skipped with a :class:`DataWarning` (a batch-wide period must not break
        reports on data without periods).

    Returns
    -------
    DataFrame
        The selected rows (index kept).

    Raises
    ------
    DataError
        Unknown segment column, or nothing left; the message lists the values present.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"score": [1, 2, 3], "segment": ["a", "b", "a"], "period": ["2026-09", "2026-10", "2026-10"]})
    >>> select_answers(df, segment_column="segment", segment_value="a", period="2026-10")["score"].tolist()
    [3]
    """
    out = frame
    if segment_column:
        _require(frame, [segment_column], "the segment filter")
        values = frame[segment_column].astype("string")
        out = out[(values == str(segment_value)).fillna(False).to_numpy(dtype=bool)]
        if out.empty:
            present = sorted(map(str, pd.unique(values.dropna())))[:20]
            raise DataError(f"no answers with {segment_column} = {segment_value!r}; the data hold {present}", column=segment_column)
    if period:
        if period_column not in frame.columns:
            warnings.warn(f"period {period!r} asked for, but the data have no {period_column!r} column: all answers used",
                          DataWarning, stacklevel=2)
            return out
        values = out[period_column].astype("string")
        chosen = out[values.str.startswith(str(period)).fillna(False).to_numpy(dtype=bool)]
        if chosen.empty:
            present = sorted(map(str, pd.unique(frame[period_column].dropna())))[:20]
            raise DataError(f"no answers for period {period!r}; the data hold {present}", column=period_column)
        out = chosen
    return out


# =========================================================================== triangle rule


class GapScores(NamedTuple):
    """Result of :func:`gap_scores`: per-answer gaps, per-attribute summary, problems."""

    scores: pd.DataFrame
    summary: pd.DataFrame
    problems: pd.DataFrame


def gap_scores(
    frame: pd.DataFrame,
    *,
    respondent: str = "respondent",
    attribute: str = "item",
    kind: str = "kind",
    score: str = "score",
    scale: tuple[float, float] | None = None,
    groups: Sequence[str] = (),
    confidence: float = 0.95,
    strict: bool = False,
    path: Any = None,
) -> GapScores:
    """The triangle rule (三角定律): gap = experience (P) − expectation (E) per respondent and attribute.

    Parameters
    ----------
    frame : DataFrame
        Long answers: ``respondent, item, kind, score`` with ``kind`` ``"P"`` (experience /
        perception, 实际感受) or ``"E"`` (expectation, 期望感受); rename via the keyword
        arguments.  Rows of any other kind are reported and dropped.
    scale : (low, high), optional
        Valid answer range; answers outside become NaN and are reported (``strict`` raises).
    groups : sequence of str
        Respondent-level columns (segment, period) to summarise by.
    confidence : float
        Level of the paired t confidence interval, default 0.95.
    strict : bool
        Raise :class:`DataError` on the first problem instead of warning and reporting.

    Returns
    -------
    GapScores
        ``scores``: ``[groups], respondent, attribute, experience, expectation, gap, outcome``
        (``delighted`` gap > 0, ``met`` = 0, ``dissatisfied`` < 0, ``missing`` when either
        answer is missing) — one row per respondent × attribute.
        ``summary``: ``[groups], attribute, n_respondents, n`` (complete pairs), ``n_missing``
        (respondents without a complete pair), ``experience, expectation`` (means over the
        complete pairs), ``gap`` (their difference = mean paired gap), ``se, ci_low, ci_high``
        (paired t interval), ``share_delighted, share_met, share_dissatisfied`` (of the
        complete pairs).  ``problems``: ``row, column, value, problem, action``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"respondent": [1, 1, 2, 2, 3, 3], "item": ["wait"] * 6,
    ...                    "kind": ["E", "P"] * 3, "score": [7, 5, 6, 6, 5, 7]})
    >>> gap_scores(df).summary[["attribute", "n", "gap", "share_dissatisfied"]]
      attribute  n  gap  share_dissatisfied
    0      wait  3  0.0            0.333333
    """
    problems = _Problems(strict, path if path is not None else frame.attrs.get("source"))
    ans, _ = _prepare_answers(
        frame, respondent=respondent, item=attribute, kind=kind, score=score, scale=scale,
        items=None, groups=list(groups), problems=problems, path=problems.path,
    )
    d = ans.P - ans.E
    n, k = d.shape
    outcome = np.select([np.isnan(d), d > 0, d == 0], ["missing", "delighted", "met"], "dissatisfied")
    scores = pd.DataFrame({c: np.repeat(ans.keys[c].to_numpy(), k) for c in ans.keys.columns})
    scores = scores.assign(
        attribute=np.tile(np.asarray(ans.items, dtype=object), n),
        experience=ans.P.ravel(),
        expectation=ans.E.ravel(),
        gap=d.ravel(),
        outcome=outcome.ravel(),
    )
    summary = _pair_summary(ans, d, confidence, name="attribute", items=ans.items)
    return GapScores(scores, summary, problems.frame())


def _pair_summary(ans: _Answers, d: np.ndarray, confidence: float, *, name: str, items: Sequence) -> pd.DataFrame:
    G = len(ans.group_keys)
    g = ans.group
    k = d.shape[1]
    complete = ~np.isnan(d)
    Pc = np.where(complete, ans.P, np.nan)
    Ec = np.where(complete, ans.E, np.nan)
    cnt, mean, sd = _grouped_moments(d, g, G)
    _, mP, _ = _grouped_moments(Pc, g, G)
    _, mE, _ = _grouped_moments(Ec, g, G)
    n_resp = np.bincount(g, minlength=G)[:, None] * np.ones((1, k))
    se, lo, hi, tval, p = _t_interval(mean, sd, cnt, confidence)
    shares = {}
    for label, mask in (("delighted", d > 0), ("met", d == 0), ("dissatisfied", d < 0)):
        with np.errstate(invalid="ignore", divide="ignore"):
            shares[label] = np.where(cnt > 0, _grouped_sum(mask.astype(float), g, G) / cnt, np.nan)
    body = {
        name: np.tile(np.asarray(items, dtype=object), G),
        "n_respondents": n_resp.ravel().astype(int),
        "n": cnt.ravel().astype(int),
        "n_missing": (n_resp - cnt).ravel().astype(int),
        "experience": mP.ravel(),
        "expectation": mE.ravel(),
        "gap": mean.ravel(),
        "se": se.ravel(),
        "ci_low": lo.ravel(),
        "ci_high": hi.ravel(),
        "t": tval.ravel(),
        "p_value": p.ravel(),
        "share_delighted": shares["delighted"].ravel(),
        "share_met": shares["met"].ravel(),
        "share_dissatisfied": shares["dissatisfied"].ravel(),
    }
    out = _with_groups(ans.group_keys, k, body)
    return out


# =========================================================================== CEM seven steps

_CEM_COLUMNS = ["attribute", "experience", "expectation", "gap", "importance", "weighted_gap", "ideal", "experience_gap"]


def cem_table(
    frame: pd.DataFrame,
    *,
    attribute: str = "attribute",
    experience: str = "experience",
    expectation: str = "expectation",
    importance: str = "importance",
    ideal: str = "ideal",
) -> pd.DataFrame:
    """The CEM seven-steps table (客户体验管理七步法): gap, weighted gap, ideal gap, key experiences first.

    Parameters
    ----------
    frame : DataFrame
        One row per experience driver with its mean scores: ``attribute, experience`` (2a),
        ``expectation`` (2b), ``importance`` (2d), ``ideal`` (4a).  Missing columns or cells
        are missing (NaN), never 0.

    Returns
    -------
    DataFrame
        ``attribute, experience, expectation, gap`` (2c = 2a − 2b), ``importance``,
        ``weighted_gap`` (2d × 2c), ``ideal``, ``experience_gap`` (4b = 2a − 4a).  Sorted so the
        key experiences (most negative weighted gap) come first; rows without a weighted gap
        follow in their input order.  Any cell whose inputs are missing is NaN.

    Examples
    --------
    >>> from csworkbench.datasets.servqual import load_cem_example
    >>> cem_table(load_cem_example()).iloc[0].tolist()
    ['convenience', 5.0, 7.0, -2.0, 9.0, -18.0, 10.0, -5.0]
    """
    _require(frame, [attribute, experience], "the CEM table")
    cols = {}
    for name, col in (("experience", experience), ("expectation", expectation), ("importance", importance), ("ideal", ideal)):
        if col in frame.columns:
            values = pd.to_numeric(frame[col], errors="coerce")
            bad = frame[col].notna() & values.isna()
            if bad.any():
                rows = np.flatnonzero(bad.to_numpy()) + 1
                raise DataError(f"must hold numbers; got {frame[col].iloc[rows[0] - 1]!r} ({_rows_text(rows)})", column=col, row=int(rows[0]))
            cols[name] = values.to_numpy(dtype=float)
        else:
            cols[name] = np.full(len(frame), np.nan)
    out = pd.DataFrame({"attribute": frame[attribute].to_numpy()})
    out["experience"] = cols["experience"]
    out["expectation"] = cols["expectation"]
    out["gap"] = out["experience"] - out["expectation"]
    out["importance"] = cols["importance"]
    out["weighted_gap"] = out["importance"] * out["gap"]
    out["ideal"] = cols["ideal"]
    out["experience_gap"] = out["experience"] - out["ideal"]
    out = out.sort_values("weighted_gap", kind="stable", na_position="last").reset_index(drop=True)
    return out[_CEM_COLUMNS]


def cem_steps(table: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The seven CEM steps with what the data say at each step (for notebooks and lessons).

    Parameters
    ----------
    table : DataFrame
        Output of :func:`cem_table`.
    lang : {"zh", "en"}

    Returns
    -------
    DataFrame
        ``step`` (1–7), ``name_zh`` and ``name_en`` (the step's name in both languages, as
        the course teaches it bilingually), ``finding`` (a sentence in ``lang`` stating what
        the table shows at that step, or that the step needs information the data do not hold).

    Examples
    --------
    >>> from csworkbench.datasets.servqual import load_cem_example
    >>> steps = cem_steps(cem_table(load_cem_example()), "en")
    >>> steps.loc[2, "finding"]
    'Key experience: Convenience (importance 9 × gap -2 = -18).'
    """
    check_language(lang)
    _require(table, _CEM_COLUMNS, "the CEM table (output of cem_table)")

    def name(a):
        key = f"gaps.cem.{a}"
        try:
            return t(key, lang)
        except KeyError:
            return str(a)

    def num(x):
        return f"{x:g}"

    sep = "、" if lang == "zh" else ", "
    measured = table["experience"].notna().sum()
    with_exp = table["expectation"].notna().sum()
    with_imp = table["importance"].notna().sum()
    keyexp = table.dropna(subset=["weighted_gap"])
    keyexp = keyexp[keyexp["weighted_gap"] < 0]
    if len(keyexp):
        top = keyexp.iloc[0]
        f3 = t("gaps.cem.finding3", lang, attribute=name(top["attribute"]), importance=num(top["importance"]),
               gap=num(top["gap"]), weighted=num(top["weighted_gap"]))
    else:
        f3 = t("gaps.cem.finding3_none", lang)
    ideal = table.dropna(subset=["experience_gap"])
    short = ideal[ideal["experience_gap"] < 0].sort_values("experience_gap", kind="stable")
    if len(short):
        f4 = t("gaps.cem.finding4", lang, items=sep.join(
            f"{name(r.attribute)} ({num(r.experience)} − {num(r.ideal)} = {num(r.experience_gap)})" for r in short.itertuples()),
            rest=len(ideal) - len(short))
    else:
        f4 = t("gaps.cem.finding4_none", lang)
    key_names = sep.join(name(a) for a in keyexp["attribute"]) or sep.join(name(a) for a in short["attribute"])
    findings = [
        t("gaps.cem.finding1", lang, attributes=sep.join(name(a) for a in table["attribute"])),
        t("gaps.cem.finding2", lang, measured=int(measured), with_expectation=int(with_exp), with_importance=int(with_imp)),
        f3,
        f4,
        t("gaps.cem.finding5", lang, attributes=key_names or "—"),
        t("gaps.cem.finding6", lang),
        t("gaps.cem.finding7", lang),
    ]
    return pd.DataFrame({
        "step": range(1, 8),
        "name_zh": [t(f"gaps.cem.step{i}", "zh") for i in range(1, 8)],
        "name_en": [t(f"gaps.cem.step{i}", "en") for i in range(1, 8)],
        "finding": findings,
    })


# =========================================================================== SERVQUAL


@dataclass
class ServqualResult:
    """Result of :func:`servqual`.

    Attributes
    ----------
    items : DataFrame
        ``[groups], dimension, item, n_respondents, n, n_missing, expectation, perception, gap,
        se, ci_low, ci_high, t, p_value, p_adjusted, significant, share_delighted, share_met,
        share_dissatisfied`` — one row per item (paired t-test of P − E = 0; ``p_adjusted``
        corrected over the items of each group with ``correction``).
    dimensions : DataFrame
        ``[groups], dimension, n_items, n, n_missing, expectation, perception, gap, se, ci_low,
        ci_high, importance`` (mean points of 100, NaN without importance data), ``weight``
        (importance / 100).  A respondent's dimension gap is the mean of their complete item
        gaps in that dimension; the interval is the t interval over respondents.
    overall : DataFrame
        ``[groups], score`` (``unweighted``: mean of a respondent's dimension gaps;
        ``weighted``: Σ points/100 × dimension gap), ``n, n_missing, gap, se, ci_low, ci_high``.
    reliability : DataFrame
        ``[groups], dimension, kind`` (``E``/``P``), ``n_items, n`` (complete cases), ``alpha``
        (Cronbach's α), ``note`` (why α is undefined, else empty).
    importance : DataFrame
        ``[groups], respondent, dimension, points`` after checks (rows summing to other than
        100 rescaled unless ``strict``).
    problems : DataFrame
        ``row, column, value, problem, action``.
    mapping : dict
        Dimension → items used.
    correction : str
        Multiple-comparison method passed to ``statsmodels.stats.multitest.multipletests``.
    """

    items: pd.DataFrame
    dimensions: pd.DataFrame
    overall: pd.DataFrame
    reliability: pd.DataFrame
    importance: pd.DataFrame
    problems: pd.DataFrame
    mapping: dict = field(default_factory=dict)
    correction: str = "holm"

    def summary(self) -> pd.DataFrame:
        """The dimension table (the usual SERVQUAL summary)."""
        return self.dimensions


def cronbach_alpha(x: np.ndarray, g: np.ndarray | None = None, n_groups: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Cronbach's α (1951) per group on complete cases: k/(k−1)·(1 − Σ var(item) / var(total)).

    Parameters
    ----------
    x : ndarray (n, k)
        Item scores, NaN = missing (rows with any NaN are left out, listwise).
    g, n_groups : group code per row and number of groups (default one group).

    Returns
    -------
    (alpha, n) : arrays of length ``n_groups``; α is NaN when k < 2 or fewer than 2 cases.

    Examples
    --------
    >>> import numpy as np
    >>> round(float(cronbach_alpha(np.array([[1, 2], [2, 3], [3, 3], [4, 5.]]))[0][0]), 4)
    0.96
    """
    x = np.asarray(x, dtype=float)
    n, k = x.shape
    g = np.zeros(n, dtype=np.int64) if g is None else np.asarray(g)
    ok = ~np.isnan(x).any(axis=1)
    xs, gs = x[ok], g[ok]
    if k < 2:
        return np.full(n_groups, np.nan), np.bincount(gs, minlength=n_groups)
    cnt, _, sd = _grouped_moments(xs, gs, n_groups)
    _, _, sd_tot = _grouped_moments(xs.sum(axis=1, keepdims=True), gs, n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = k / (k - 1) * (1 - (sd**2).sum(axis=1) / sd_tot[:, 0] ** 2)
    return alpha, cnt[:, 0].astype(int)


def servqual(
    frame: pd.DataFrame,
    *,
    mapping: Mapping[str, Sequence] | None = None,
    respondent: str = "respondent",
    item: str = "item",
    kind: str = "kind",
    score: str = "score",
    importance: pd.DataFrame | None = None,
    scale: tuple[float, float] = (1, 7),
    groups: Sequence[str] = (),
    confidence: float = 0.95,
    correction: str = "holm",
    strict: bool = False,
    path: Any = None,
) -> ServqualResult:
    """SERVQUAL gap analysis (服务质量五要素): P − E per item and dimension, weighted score, α, tests.

    Parameters
    ----------
    frame : DataFrame
        Long answers ``respondent, item, kind, score`` (``kind`` ``E``/``P``; rows with kind
        ``I`` are importance points with the dimension key as ``item``), e.g. from
        :func:`csworkbench.datasets.servqual.make_servqual_survey` or :func:`wide_to_long`.
    mapping : mapping dimension → items, optional
        The instrument; default :data:`SERVQUAL_DIMENSIONS` (tangibles q1–4, reliability q5–9,
        responsiveness q10–13, assurance q14–17, empathy q18–22).  Adapted instruments pass
        their own.  Answers to items outside the mapping are reported and dropped.
    importance : DataFrame, optional
        ``respondent, dimension, points`` (each respondent splits 100 points over the
        dimensions); overrides kind-``I`` rows of ``frame``.  Rows whose points do not sum to
        100 are rescaled to 100 and reported (``strict`` raises); negative or missing points
        leave that respondent out of the weighted score (reported).
    scale : (low, high)
        Valid answer range, default 1–7; answers outside become NaN and are reported.
    groups : sequence of str
        Respondent-level columns (segment, period) to analyse separately.
    confidence : float
        Level of the t intervals, default 0.95.
    correction : str
        Method for ``statsmodels.stats.multitest.multipletests`` (``"holm"``, ``"fdr_bh"``,
        ``"bonferroni"`` …), applied over the items within each group.
    strict : bool
        Raise :class:`DataError` on the first problem instead of warning and reporting.

    Returns
    -------
    ServqualResult
        See :class:`ServqualResult` for the tables and their columns.

    Raises
    ------
    DataError
        Missing columns; with ``strict``: any data problem.

    Examples
    --------
    >>> from csworkbench.datasets.servqual import make_servqual_survey
    >>> res = servqual(make_servqual_survey(400, random_state=1))
    >>> bool((res.items["ci_low"] < res.items["gap"]).all()), len(res.items)
    (True, 22)
    >>> res.overall["score"].tolist()
    ['unweighted', 'weighted']
    """
    from statsmodels.stats.multitest import multipletests

    mapping = {str(d): list(its) for d, its in (mapping or SERVQUAL_DIMENSIONS).items()}
    items = [it for its in mapping.values() for it in its]
    dup = pd.Index(items)[pd.Index(items).duplicated()].unique()
    if len(dup):
        raise DataError(f"the mapping puts items {list(dup)} in more than one dimension", column=item)
    problems = _Problems(strict, path if path is not None else frame.attrs.get("source"))
    groups = list(groups)
    ans, extra = _prepare_answers(
        frame, respondent=respondent, item=item, kind=kind, score=score, scale=scale, items=items,
        groups=groups, problems=problems, path=problems.path, extra_kinds=("I",),
    )
    G = len(ans.group_keys)
    g = ans.group
    dims = list(mapping)
    dim_of_item = np.array([dims.index(d) for d, its in mapping.items() for _ in its])
    d = ans.P - ans.E

    # ---- items
    item_tab = _pair_summary(ans, d, confidence, name="item", items=items)
    item_tab.insert(len(ans.group_keys.columns), "dimension", np.tile(np.array(dims, dtype=object)[dim_of_item], G))
    item_tab = item_tab.rename(columns={"experience": "perception"})
    item_tab = item_tab[[*ans.group_keys.columns, "dimension", "item", "n_respondents", "n", "n_missing", "expectation",
                         "perception", "gap", "se", "ci_low", "ci_high", "t", "p_value", "share_delighted", "share_met",
                         "share_dissatisfied"]]
    padj = np.full(len(item_tab), np.nan)
    sig = np.zeros(len(item_tab), dtype=bool)
    pv = item_tab["p_value"].to_numpy()
    k = len(items)
    # statsmodels' multipletests runs gc.collect() for Holm (statsmodels 0.14/0.15); with many groups
    # and a large heap that costs ~0.1 s per call, so the heap is frozen for the loop (gc.freeze only
    # moves existing objects out of the collector's sight; unfreeze puts them back).
    frozen = G > 1
    if frozen:
        gc.freeze()
    try:
        for gi in range(G):
            sl = slice(gi * k, (gi + 1) * k)
            ok = np.isfinite(pv[sl])
            if ok.any():
                rej, pa, _, _ = multipletests(pv[sl][ok], alpha=1 - confidence, method=correction)
                padj[sl][ok] = pa
                sig[sl][ok] = rej
    finally:
        if frozen:
            gc.unfreeze()
    item_tab.insert(item_tab.columns.get_loc("p_value") + 1, "p_adjusted", padj)
    item_tab.insert(item_tab.columns.get_loc("p_adjusted") + 1, "significant", sig)

    # ---- respondent × dimension gaps (mean of complete item gaps)
    complete = ~np.isnan(d)
    n = len(ans.keys)
    D = len(dims)
    onehot = np.zeros((k, D))
    onehot[np.arange(k), dim_of_item] = 1.0
    cnt_rd = complete.astype(float) @ onehot
    with np.errstate(invalid="ignore", divide="ignore"):
        gap_rd = np.where(complete, d, 0.0) @ onehot / cnt_rd
        P_rd = np.where(complete, ans.P, 0.0) @ onehot / cnt_rd
        E_rd = np.where(complete, ans.E, 0.0) @ onehot / cnt_rd
    cnt, mean, sd = _grouped_moments(gap_rd, g, G)
    _, mP, _ = _grouped_moments(P_rd, g, G)
    _, mE, _ = _grouped_moments(E_rd, g, G)
    se, lo, hi, _, _ = _t_interval(mean, sd, cnt, confidence)
    n_resp = np.bincount(g, minlength=G)[:, None]
    n_items = np.array([len(mapping[dm]) for dm in dims])

    # ---- importance
    W, imp_long = _importance(extra, importance, ans, dims, respondent, item, score, groups, problems)
    if W is not None:
        cntW, mW, _ = _grouped_moments(W, g, G)
    else:
        mW = np.full((G, D), np.nan)

    dim_tab = _with_groups(ans.group_keys, D, {
        "dimension": np.tile(np.array(dims, dtype=object), G),
        "n_items": np.tile(n_items, G),
        "n": cnt.ravel().astype(int),
        "n_missing": (n_resp - cnt).ravel().astype(int),
        "expectation": mE.ravel(),
        "perception": mP.ravel(),
        "gap": mean.ravel(),
        "se": se.ravel(),
        "ci_low": lo.ravel(),
        "ci_high": hi.ravel(),
        "importance": mW.ravel(),
        "weight": mW.ravel() / 100.0,
    })

    # ---- overall scores
    with np.errstate(invalid="ignore"):
        unweighted = np.where(np.isnan(gap_rd).any(axis=1), np.nan, gap_rd.mean(axis=1))
        weighted = (W / 100.0 * gap_rd).sum(axis=1) if W is not None else np.full(n, np.nan)
        if W is not None:
            weighted = np.where(np.isnan(W).any(axis=1) | np.isnan(gap_rd).any(axis=1), np.nan, weighted)
    ov = np.column_stack([unweighted, weighted])
    cnt_o, mean_o, sd_o = _grouped_moments(ov, g, G)
    se_o, lo_o, hi_o, _, _ = _t_interval(mean_o, sd_o, cnt_o, confidence)
    overall = _with_groups(ans.group_keys, 2, {
        "score": np.tile(np.array(["unweighted", "weighted"], dtype=object), G),
        "n": cnt_o.ravel().astype(int),
        "n_missing": (n_resp - cnt_o).ravel().astype(int),
        "gap": mean_o.ravel(),
        "se": se_o.ravel(),
        "ci_low": lo_o.ravel(),
        "ci_high": hi_o.ravel(),
    })

    # ---- reliability
    rel_rows = []
    one_item = []
    for j, dm in enumerate(dims):
        cols = np.flatnonzero(dim_of_item == j)
        # an item without any answer cannot enter α
        for kd, X in (("E", ans.E), ("P", ans.P)):
            usable = cols[(~np.isnan(X[:, cols])).any(axis=0)]
            alpha, nn = cronbach_alpha(X[:, usable], g, G)
            if len(usable) < 2:
                note = t("gaps.note.alpha_one_item", "en", k=len(usable))
                if kd == "E":
                    one_item.append(dm)
            else:
                note = ""
            for gi in range(G):
                a = alpha[gi]
                nt = note or ("" if np.isfinite(a) else t("gaps.note.alpha_too_few", "en"))
                rel_rows.append((gi, dm, kd, len(usable), int(nn[gi]), a, nt))
    for dm in one_item:
        problems.add(None, item, [dm], f"dimension {dm!r} has fewer than 2 usable items: Cronbach's alpha is undefined",
                     "alpha reported as NaN with a note")
    rel = pd.DataFrame(rel_rows, columns=["_g", "dimension", "kind", "n_items", "n", "alpha", "note"])
    gk = ans.group_keys.iloc[rel["_g"].to_numpy()].reset_index(drop=True)
    reliability = pd.concat([gk, rel.drop(columns="_g")], axis=1).sort_values(
        [*ans.group_keys.columns, "kind"], kind="stable").reset_index(drop=True)

    return ServqualResult(
        items=item_tab, dimensions=dim_tab, overall=overall, reliability=reliability, importance=imp_long,
        problems=problems.frame(), mapping=mapping, correction=correction,
    )


def _importance(extra, importance, ans: _Answers, dims, respondent, item, score, groups, problems: _Problems):
    """Respondent × dimension importance points aligned to the answers (None when not given)."""
    if importance is not None:
        _require(importance, [respondent, "dimension", "points"], "the importance table")
        src = pd.DataFrame({
            "respondent": importance[respondent].to_numpy(), "dimension": importance["dimension"].astype(str).to_numpy(),
            "points": pd.to_numeric(importance["points"], errors="coerce").to_numpy(dtype=float),
            "_row": np.arange(1, len(importance) + 1),
        })
        for gcol in groups:
            if gcol in importance.columns:
                src[gcol] = importance[gcol].to_numpy()
        column = "points"
    elif extra is not None and len(extra):
        src = pd.DataFrame({
            "respondent": extra[respondent].to_numpy(), "dimension": np.asarray(extra[item].to_numpy(), dtype=str),
            "points": pd.to_numeric(extra[score], errors="coerce").to_numpy(dtype=float), "_row": extra["_row"].to_numpy(),
        })
        for gcol in groups:
            src[gcol] = extra[gcol].to_numpy()
        column = score
    else:
        return None, pd.DataFrame(columns=[*groups, respondent, "dimension", "points"])
    unknown = ~src["dimension"].isin(dims).to_numpy()
    if unknown.any():
        problems.add(src["_row"].to_numpy()[unknown], item if importance is None else "dimension",
                     src["dimension"].to_numpy()[unknown], f"importance for an unknown dimension (expected one of {dims})", "dropped")
        src = src[~unknown]
    # align to respondent codes (index lookup, not a merge: fast on a million rows)
    keys = ans.keys.rename(columns={respondent: "respondent"})
    kc = [*groups, "respondent"]
    missing_cols = [c for c in kc if c not in src.columns]
    if missing_cols:
        raise DataError(f"the importance table needs column(s) {missing_cols} to match respondents", column=missing_cols[0])
    if groups:
        code = pd.MultiIndex.from_frame(keys[kc]).get_indexer(pd.MultiIndex.from_frame(src[kc]))
    else:
        code = pd.Index(keys["respondent"]).get_indexer(src["respondent"])
    merged = src.assign(_code=code)
    orphan = code < 0
    if orphan.any():
        problems.add(merged["_row"].to_numpy()[orphan], respondent, merged["respondent"].to_numpy()[orphan],
                     "importance points for a respondent without any E/P answers", "dropped")
        merged = merged[~orphan]
    n, D = len(ans.keys), len(dims)
    W = np.full((n, D), np.nan)
    rc = merged["_code"].to_numpy(dtype=int)
    dc = pd.Index(dims).get_indexer(merged["dimension"])
    W[rc, dc] = merged["points"].to_numpy(dtype=float)
    row_numbers = merged["_row"].to_numpy()

    def rows_for(mask):
        return row_numbers[mask[rc]]

    has_any = np.zeros(n, dtype=bool)
    has_any[rc] = True
    neg = (W < 0).any(axis=1)
    if neg.any():
        r = rows_for(neg)
        problems.add(r, column, W[neg][W[neg] < 0][: len(r)], "importance points must not be negative",
                     "respondent left out of the weighted score")
        W[neg] = np.nan
    incomplete = has_any & ~neg & np.isnan(W).any(axis=1)
    if incomplete.any():
        r = rows_for(incomplete)
        problems.add(r, column, None, f"importance points missing for some of the {D} dimensions",
                     "respondent left out of the weighted score")
        W[incomplete] = np.nan
    total = W.sum(axis=1)
    off = np.isfinite(total) & ~np.isclose(total, 100.0)
    zero = off & (total <= 0)
    if zero.any():
        r = rows_for(zero)
        problems.add(r, column, None, "importance points sum to 0", "respondent left out of the weighted score")
        W[zero] = np.nan
        off &= ~zero
    if off.any():
        r = rows_for(off)
        sums = ", ".join(f"{s:g}" for s in total[off][:_MAX_ROWS_SHOWN])
        problems.add(r, column, None, f"importance points should sum to 100 per respondent; {int(off.sum())} respondent(s) "
                     f"sum to {sums}{' …' if off.sum() > _MAX_ROWS_SHOWN else ''}", "rescaled to 100")
        W[off] = W[off] / total[off, None] * 100.0
    W[~has_any] = np.nan
    long = pd.DataFrame({c: np.repeat(ans.keys[c].to_numpy(), D) for c in ans.keys.columns})
    long["dimension"] = np.tile(np.array(dims, dtype=object), n)
    long["points"] = W.ravel()
    return W, long


# =========================================================================== the five gaps

_FIVE_GAPS = [
    # number, key, later source, earlier source, paired-within-respondent?
    (1, "understanding", "management_estimate", "customer_expectation"),
    (2, "procedure", "standard", "management_estimate"),
    (3, "behaviour", "delivered", "standard"),
    (4, "promotion", "delivered", "promised"),
    (5, "perception", "customer_perception", "customer_expectation"),
]
_SOURCES = ["customer_expectation", "management_estimate", "standard", "delivered", "promised", "customer_perception"]


class FiveGaps(NamedTuple):
    """Result of :func:`five_gaps`: per-item gaps and the per-gap summary with the ranking."""

    items: pd.DataFrame
    summary: pd.DataFrame


def five_gaps(
    frame: pd.DataFrame,
    *,
    item: str = "item",
    source: str = "source",
    score: str = "score",
    respondent: str | None = "respondent",
    confidence: float = 0.95,
    lang: str = "zh",
) -> FiveGaps:
    """The five service-quality gaps (服务质量差距) from whatever measurements are given.

    Each gap is "later stage − earlier stage", so negative means a shortfall:

    ====  ======================  =========================================================
    gap   name                    computed as
    ====  ======================  =========================================================
    1     understanding 理解差距   management_estimate − customer_expectation
    2     procedure 程序差距       standard − management_estimate
    3     behaviour 行为差距       delivered − standard
    4     promotion 促销差距       delivered − promised
    5     perception 感受差距      customer_perception − customer_expectation (paired)
    ====  ======================  =========================================================

    Gap 5 is what customers feel; gaps 1–4 are the organisation's causes and are ranked by
    their mean absolute size over the items.

    Parameters
    ----------
    frame : DataFrame
        Long measurements ``item, source, score`` (optionally ``respondent``), where
        ``source`` is one of ``customer_expectation, management_estimate, standard,
        delivered, promised, customer_perception``.  Several rows per item and source (e.g.
        respondents, managers, audits) are averaged.
    respondent : str or None
        Respondent column; gap 5 is paired within respondents when present, otherwise all
        gaps compare independent means (Welch interval).
    lang : {"zh", "en"}
        Language of ``name`` and ``reason``.

    Returns
    -------
    FiveGaps
        ``items``: ``gap, key, name, item, estimate, se, ci_low, ci_high, n_later, n_earlier``
        (one row per computable gap × item).  ``summary``: ``gap, key, name, computable,
        n_items, mean_gap, mean_abs_gap, rank`` (1 = largest organisational cause among gaps
        1–4; NaN for gap 5 and gaps not computable), ``reason`` (which sources are missing).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"item": ["wait"] * 4, "respondent": [None, None, 1, 1],
    ...     "source": ["management_estimate", "standard", "customer_expectation", "customer_perception"],
    ...     "score": [5, 4, 7, 5]})
    >>> five_gaps(df, lang="en").summary[["gap", "computable", "mean_gap"]].to_dict("list")["computable"]
    [True, True, False, False, True]
    """
    check_language(lang)
    _require(frame, [item, source, score], "the five-gaps table")
    src = frame[source].astype(str).str.strip()
    unknown = ~src.isin(_SOURCES)
    if unknown.any():
        rows = np.flatnonzero(unknown.to_numpy()) + 1
        raise DataError(f"source must be one of {', '.join(_SOURCES)}; got {src.iloc[rows[0] - 1]!r} ({_rows_text(rows)})",
                        column=source, row=int(rows[0]))
    values = pd.to_numeric(frame[score], errors="coerce")
    bad = values.isna() & frame[score].notna()
    if bad.any():
        rows = np.flatnonzero(bad.to_numpy()) + 1
        raise DataError(f"must hold numbers; got {frame[score].iloc[rows[0] - 1]!r} ({_rows_text(rows)})", column=score, row=int(rows[0]))
    data = pd.DataFrame({"item": frame[item].to_numpy(), "source": src.to_numpy(), "score": values.to_numpy(dtype=float)})
    if respondent and respondent in frame.columns:
        data["respondent"] = frame[respondent].to_numpy()
    data = data.dropna(subset=["score"])
    present = set(data["source"])
    item_rows, summary_rows = [], []
    for number, key, later, earlier in _FIVE_GAPS:
        name = t(f"gaps.five.{key}", lang)
        missing = [s for s in (later, earlier) if s not in present]
        if missing:
            reason = t("gaps.five.reason_missing", lang, sources=", ".join(missing))
            summary_rows.append((number, key, name, False, 0, np.nan, np.nan, reason))
            continue
        est = []
        for it, sub in data.groupby("item", sort=False):
            a = sub.loc[sub["source"] == later]
            b = sub.loc[sub["source"] == earlier]
            if a.empty or b.empty:
                continue
            if number == 5 and "respondent" in sub.columns and a["respondent"].notna().all() and b["respondent"].notna().all():
                pair = a.groupby("respondent")["score"].mean().to_frame("a").join(b.groupby("respondent")["score"].mean().rename("b"), how="inner")
                diff = (pair["a"] - pair["b"]).to_numpy()
                m = diff.mean()
                sd = diff.std(ddof=1) if len(diff) > 1 else np.nan
                se, lo, hi, _, _ = _t_interval(m, sd, len(diff), confidence)
                est.append((it, m, float(se), float(lo), float(hi), len(pair), len(pair)))
            else:
                xa, xb = a["score"].to_numpy(), b["score"].to_numpy()
                m = xa.mean() - xb.mean()
                va = xa.var(ddof=1) / len(xa) if len(xa) > 1 else 0.0
                vb = xb.var(ddof=1) / len(xb) if len(xb) > 1 else 0.0
                se = np.sqrt(va + vb)
                if se > 0:
                    dfw = (va + vb) ** 2 / ((va**2 / (len(xa) - 1) if len(xa) > 1 else 0) + (vb**2 / (len(xb) - 1) if len(xb) > 1 else 0))
                    q = stats.t.ppf(0.5 + confidence / 2, dfw)
                    lo, hi = m - q * se, m + q * se
                else:
                    se, lo, hi = np.nan, np.nan, np.nan
                est.append((it, m, se, lo, hi, len(xa), len(xb)))
        for it, m, se, lo, hi, na, nb in est:
            item_rows.append((number, key, name, it, m, se, lo, hi, na, nb))
        if not est:
            reason = t("gaps.five.reason_no_item", lang, later=later, earlier=earlier)
            summary_rows.append((number, key, name, False, 0, np.nan, np.nan, reason))
            continue
        ms = np.array([e[1] for e in est])
        summary_rows.append((number, key, name, True, len(est), ms.mean(), np.abs(ms).mean(), ""))
    items_df = pd.DataFrame(item_rows, columns=["gap", "key", "name", "item", "estimate", "se", "ci_low", "ci_high", "n_later", "n_earlier"])
    summary = pd.DataFrame(summary_rows, columns=["gap", "key", "name", "computable", "n_items", "mean_gap", "mean_abs_gap", "reason"])
    cause = summary["computable"] & (summary["gap"] <= 4)
    summary["rank"] = np.nan
    summary.loc[cause, "rank"] = summary.loc[cause, "mean_abs_gap"].rank(ascending=False, method="min")
    summary["rank"] = summary["rank"].astype("Int64")
    summary = summary[["gap", "key", "name", "computable", "n_items", "mean_gap", "mean_abs_gap", "rank", "reason"]]
    return FiveGaps(items_df, summary)


# =========================================================================== Kano and the needs window

#: Standard Kano evaluation table (Berger et al. 1993): rows functional answer, columns
#: dysfunctional answer, codes 1 like, 2 must-be, 3 neutral, 4 live with, 5 dislike.
KANO_TABLE = np.array([
    ["Q", "A", "A", "A", "O"],
    ["R", "I", "I", "I", "M"],
    ["R", "I", "I", "I", "M"],
    ["R", "I", "I", "I", "M"],
    ["R", "R", "R", "R", "Q"],
])
KANO_CATEGORIES = ["A", "O", "M", "I", "R", "Q"]
_KANO_WORDS = {
    "like": 1, "i like it": 1, "喜欢": 1, "我喜欢": 1,
    "must-be": 2, "must be": 2, "expect": 2, "i expect it": 2, "理所当然": 2, "应该的": 2, "必须的": 2,
    "neutral": 3, "i am neutral": 3, "无所谓": 3,
    "live with": 4, "live-with": 4, "i can live with it": 4, "能忍受": 4, "可以忍受": 4,
    "dislike": 5, "i dislike it": 5, "不喜欢": 5, "我不喜欢": 5,
}


class KanoResult(NamedTuple):
    """Result of :func:`kano_classify`: per-answer categories, per-feature summary, problems."""

    answers: pd.DataFrame
    summary: pd.DataFrame
    problems: pd.DataFrame


def _kano_codes(series: pd.Series) -> np.ndarray:
    """Answer codes 1–5 from ints or words (en/zh); NaN where unknown or blank."""
    num = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
    text = series.astype("string").str.strip().str.lower()
    words = text.map(_KANO_WORDS).astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    out = np.where(np.isnan(num), words, num)
    out[~np.isin(out, [1, 2, 3, 4, 5])] = np.nan
    return out


def kano_classify(
    frame: pd.DataFrame,
    *,
    feature: str = "feature",
    functional: str = "functional",
    dysfunctional: str = "dysfunctional",
    strict: bool = False,
    lang: str = "zh",
) -> KanoResult:
    """Kano classification (卡诺模型) from functional/dysfunctional answer pairs.

    Answers are codes 1 like, 2 must-be, 3 neutral, 4 live with, 5 dislike (or those words
    in English/Chinese: 喜欢, 理所当然, 无所谓, 能忍受, 不喜欢).  Each pair is looked up in the
    standard evaluation table → A attractive (魅力), O one-dimensional (期望), M must-be
    (必备), I indifferent (无差异), R reverse (反向), Q questionable (可疑).

    Parameters
    ----------
    frame : DataFrame
        One row per respondent × feature with ``feature, functional, dysfunctional``.
    strict : bool
        Unknown codes raise :class:`DataError`; otherwise they are reported, warned about
        and the pair is left out (counted in ``n_invalid``).
    lang : {"zh", "en"}
        Language of ``category_name``.

    Returns
    -------
    KanoResult
        ``answers``: the input columns plus ``category`` (NaN for invalid pairs).
        ``summary``: ``feature, n, n_invalid, A, O, M, I, R, Q`` (shares of the valid pairs),
        ``category`` (most frequent; ties broken in the order M > O > A > I > R > Q, the usual
        "must-be first" rule), ``category_name``, ``better`` = (A + O) / (A + O + M + I),
        ``worse`` = −(O + M) / (A + O + M + I).
        ``problems``: ``row, column, value, problem, action``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"feature": ["wifi"] * 3, "functional": [1, 1, 2], "dysfunctional": [3, 5, 5]})
    >>> kano_classify(df, lang="en").answers["category"].tolist()
    ['A', 'O', 'M']
    """
    check_language(lang)
    _require(frame, [feature, functional, dysfunctional], "the Kano answers")
    problems = _Problems(strict, frame.attrs.get("source"))
    codes = {}
    for col in (functional, dysfunctional):
        c = _kano_codes(frame[col])
        bad = np.isnan(c) & frame[col].notna().to_numpy()
        if bad.any():
            rows = np.flatnonzero(bad) + 1
            feats = sorted(set(map(str, frame[feature].to_numpy()[bad])))
            problems.add(rows, col, frame[col].to_numpy()[bad],
                         f"unknown Kano answer code for feature(s) {feats}: expected 1–5 (like, must-be, neutral, live with, dislike)",
                         "pair left out")
        codes[col] = c
    f, dcode = codes[functional], codes[dysfunctional]
    valid = ~np.isnan(f) & ~np.isnan(dcode)
    cat = np.full(len(frame), None, dtype=object)
    cat[valid] = KANO_TABLE[f[valid].astype(int) - 1, dcode[valid].astype(int) - 1]
    answers = frame.copy()
    answers["category"] = cat
    tab = pd.crosstab(answers[feature], answers["category"]).reindex(columns=KANO_CATEGORIES, fill_value=0)
    feats = pd.unique(frame[feature])
    tab = tab.reindex(feats, fill_value=0)
    n = tab.sum(axis=1)
    n_invalid = pd.Series(~valid, index=frame.index).groupby(frame[feature].to_numpy()).sum().reindex(feats, fill_value=0)
    shares = tab.div(n.where(n > 0), axis=0)
    order = ["M", "O", "A", "I", "R", "Q"]
    top = tab[order].idxmax(axis=1).where(n > 0)
    aomi = tab[["A", "O", "M", "I"]].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        better = (tab["A"] + tab["O"]) / aomi.where(aomi > 0)
        worse = -(tab["O"] + tab["M"]) / aomi.where(aomi > 0)
    summary = pd.DataFrame({"feature": feats, "n": n.to_numpy(), "n_invalid": n_invalid.to_numpy().astype(int)})
    for c in KANO_CATEGORIES:
        summary[c] = shares[c].to_numpy()
    summary["category"] = top.to_numpy()
    summary["category_name"] = [t(f"gaps.kano.{c}", lang) if isinstance(c, str) else None for c in top]
    summary["better"] = better.to_numpy(dtype=float)
    summary["worse"] = worse.to_numpy(dtype=float)
    return KanoResult(answers, summary, problems.frame())


def needs_window(summary: pd.DataFrame, provided: Mapping[str, bool] | pd.Series | None = None, lang: str = "zh") -> pd.DataFrame:
    """The course's customer-needs window (客户需要之窗) as a view of a Kano result.

    Customers *want* a feature when its Kano category is M or O (basic and satisfying
    expectations); A (delight), I and R are features they *do not think of*.  With whether
    the firm *provides* it:

    ==========================  =====================  ===========================================
    firm \\ customer             wants it (M, O)        does not think of it (A / I, R)
    ==========================  =====================  ===========================================
    provides                    本该如此 as it should be 喜出望外 pleasant surprise (A) / 多此一举 superfluous (I, R)
    does not provide            大势不好 bad            无伤大雅 harmless
    ==========================  =====================  ===========================================

    Parameters
    ----------
    summary : DataFrame
        ``summary`` of :func:`kano_classify` (needs ``feature, category``).
    provided : mapping feature → bool, optional
        Whether the firm provides each feature; features not given get only the two
        conditional cells.
    lang : {"zh", "en"}

    Returns
    -------
    DataFrame
        ``feature, category, wanted`` (bool), ``if_provided, if_not_provided`` (window cells
        in ``lang``), ``provided`` (bool or NA), ``window`` (the cell that applies, or NA).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"feature": ["safety", "wifi"], "category": ["M", "A"]})
    >>> needs_window(s, {"safety": False, "wifi": True}, "en")["window"].tolist()
    ['Bad', 'Pleasant surprise']
    """
    check_language(lang)
    _require(summary, ["feature", "category"], "the Kano summary")
    cat = summary["category"]
    wanted = cat.isin(["M", "O"])
    if_prov = np.where(wanted, "gaps.window.should_be", np.where(cat == "A", "gaps.window.surprise", "gaps.window.superfluous"))
    if_not = np.where(wanted, "gaps.window.bad", "gaps.window.harmless")
    out = pd.DataFrame({
        "feature": summary["feature"].to_numpy(),
        "category": cat.to_numpy(),
        "wanted": wanted.to_numpy(),
        "if_provided": [t(k, lang) for k in if_prov],
        "if_not_provided": [t(k, lang) for k in if_not],
    })
    prov = pd.Series(provided if provided is not None else {}, dtype=object)
    out["provided"] = pd.array([prov.get(f, pd.NA) for f in out["feature"]], dtype="boolean")
    out["window"] = pd.array(
        [pd.NA if pd.isna(p) else (a if p else b) for p, a, b in zip(out["provided"], out["if_provided"], out["if_not_provided"])],
        dtype="string",
    )
    return out


# =========================================================================== IPA


def ipa(
    performance: pd.DataFrame,
    importance: pd.DataFrame,
    *,
    attribute: str = "attribute",
    performance_col: str = "performance",
    importance_col: str = "importance",
    importance_attribute: str | None = None,
    crosshair: str = "mean",
    lang: str = "zh",
) -> pd.DataFrame:
    """Importance–performance analysis (重要性–绩效分析, Martilla & James 1977).

    Parameters
    ----------
    performance : DataFrame
        One row per attribute: ``attribute`` and ``performance_col`` (e.g. mean perception or
        mean gap).
    importance : DataFrame
        Any tidy importance table: stated importance (mean points/ratings) or derived
        importance from a driver model (relative weights, Shapley shares, standardised
        coefficients …); name its columns with ``importance_attribute`` (default
        ``attribute``) and ``importance_col``.
    crosshair : {"mean", "median"}
        Where the axes cross: mean or median of the attributes' importance and performance.
    lang : {"zh", "en"}
        Language of ``quadrant_name``.

    Returns
    -------
    DataFrame
        ``attribute, importance, performance, quadrant`` (``concentrate`` high importance /
        low performance, ``keep_up`` high / high, ``low_priority`` low / low, ``overkill``
        low / high; a value equal to the crosshair counts as high), ``quadrant_name``,
        ``importance_cross, performance_cross``.  Attributes missing from either table are
        reported in a DataWarning and left out.

    Examples
    --------
    >>> import pandas as pd
    >>> perf = pd.DataFrame({"attribute": ["a", "b", "c", "d"], "performance": [6, 3, 6, 3]})
    >>> imp = pd.DataFrame({"attribute": ["a", "b", "c", "d"], "importance": [30, 30, 10, 10]})
    >>> ipa(perf, imp, lang="en")["quadrant"].tolist()
    ['keep_up', 'concentrate', 'overkill', 'low_priority']
    """
    check_language(lang)
    if crosshair not in ("mean", "median"):
        raise DataError(f"crosshair must be 'mean' or 'median'; got {crosshair!r}", column="crosshair")
    ia = importance_attribute or attribute
    _require(performance, [attribute, performance_col], "the performance table")
    _require(importance, [ia, importance_col], "the importance table")
    p = performance[[attribute, performance_col]].rename(columns={attribute: "attribute", performance_col: "performance"})
    i = importance[[ia, importance_col]].rename(columns={ia: "attribute", importance_col: "importance"})
    for tab, col, name in ((p, "performance", performance_col), (i, "importance", importance_col)):
        vals = pd.to_numeric(tab[col], errors="coerce")
        bad = vals.isna() & tab[col].notna()
        if bad.any():
            rows = np.flatnonzero(bad.to_numpy()) + 1
            raise DataError(f"must hold numbers; got {tab[col].iloc[rows[0] - 1]!r} ({_rows_text(rows)})", column=name, row=int(rows[0]))
        tab[col] = vals.astype(float)
    for tab, name in ((p, "performance"), (i, "importance")):
        dup = tab["attribute"].duplicated()
        if dup.any():
            raise DataError(f"the {name} table lists attribute {tab['attribute'][dup].iloc[0]!r} twice; one row per attribute expected",
                            column=attribute, row=int(np.flatnonzero(dup.to_numpy())[0] + 1))
    out = p.merge(i, on="attribute", how="outer", indicator=True, sort=False)
    lonely = out["_merge"] != "both"
    missing_val = out[["importance", "performance"]].isna().any(axis=1)
    drop = lonely | missing_val
    if drop.any():
        warnings.warn(f"IPA leaves out attributes without both importance and performance: {out.loc[drop, 'attribute'].tolist()}",
                      DataWarning, stacklevel=2)
    out = out[~drop].drop(columns="_merge").reset_index(drop=True)
    if out.empty:
        raise DataError("no attribute has both importance and performance: check the attribute names", column=attribute)
    agg = np.mean if crosshair == "mean" else np.median
    ic, pc = float(agg(out["importance"])), float(agg(out["performance"]))
    hi_i, hi_p = out["importance"] >= ic, out["performance"] >= pc
    quad = np.select([hi_i & ~hi_p, hi_i & hi_p, ~hi_i & ~hi_p], ["concentrate", "keep_up", "low_priority"], "overkill")
    out = out[["attribute", "importance", "performance"]].assign(
        quadrant=quad, quadrant_name=[t(f"gaps.ipa.{q}", lang) for q in quad], importance_cross=ic, performance_cross=pc
    )
    return out


# =========================================================================== Grönroos


class GronroosResult(NamedTuple):
    """Result of :func:`perceived_quality`."""

    scores: pd.DataFrame
    coefficients: pd.DataFrame
    reading: str
    model: Any


def perceived_quality(
    frame: pd.DataFrame,
    *,
    technical: Sequence[str],
    functional: Sequence[str],
    image: Sequence[str] | str,
    overall: str,
    confidence: float = 0.95,
    lang: str = "zh",
) -> GronroosResult:
    """Grönroos' perceived service quality (顾客感知服务质量): technical + functional quality, image as filter.

    Scores are the respondent means of each item group (available items; a respondent with
    no answer in a group gets NaN).  The model, fitted by OLS in statsmodels on mean-centred
    scores, is::

        overall ~ technical + functional + image + technical:image + functional:image

    A positive ``functional:image`` coefficient means a better image makes the *how* count
    more (and forgives slips less); a negative one means a good image cushions poor
    functional quality — the course's "image as a filter".

    Parameters
    ----------
    frame : DataFrame
        One row per respondent, item columns and the overall-quality column.
    technical, functional : list of str
        Item columns of technical (技术质量, what is delivered) and functional quality
        (功能质量, how it is delivered).
    image : list of str or str
        Image (形象) item column(s).
    overall : str
        Overall perceived-quality column.
    lang : {"zh", "en"}
        Language of ``reading``.

    Returns
    -------
    GronroosResult
        ``scores``: ``technical, functional, image, overall`` per respondent (centred
        predictors are used in the fit; the scores are raw means).
        ``coefficients``: ``term, estimate, se, ci_low, ci_high, p_value``.
        ``reading``: a plain-language paragraph.  ``model``: the statsmodels results.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame(rng.normal(size=(200, 3)), columns=["t1", "f1", "i1"])
    >>> df["q"] = df.t1 + df.f1 + 0.5 * df.f1 * df.i1 + rng.normal(0, 0.3, 200)
    >>> res = perceived_quality(df, technical=["t1"], functional=["f1"], image="i1", overall="q", lang="en")
    >>> round(float(res.coefficients.set_index("term").loc["functional:image", "estimate"]), 1)
    0.5
    """
    import statsmodels.formula.api as smf

    check_language(lang)
    image = [image] if isinstance(image, str) else list(image)
    cols = [*technical, *functional, *image, overall]
    _require(frame, cols, "the perceived-quality survey")
    num = {}
    for c in cols:
        v = pd.to_numeric(frame[c], errors="coerce")
        bad = v.isna() & frame[c].notna()
        if bad.any():
            rows = np.flatnonzero(bad.to_numpy()) + 1
            raise DataError(f"must hold numbers; got {frame[c].iloc[rows[0] - 1]!r} ({_rows_text(rows)})", column=c, row=int(rows[0]))
        num[c] = v.astype(float)
    num = pd.DataFrame(num)
    scores = pd.DataFrame({
        "technical": num[list(technical)].mean(axis=1),
        "functional": num[list(functional)].mean(axis=1),
        "image": num[image].mean(axis=1),
        "overall": num[overall],
    })
    incomplete = scores.isna().any(axis=1)
    if incomplete.any():
        rows = np.flatnonzero(incomplete.to_numpy()) + 1
        warnings.warn(f"{len(rows)} respondent(s) lack a technical, functional, image or overall score ({_rows_text(rows)}); "
                      "left out of the regression", DataWarning, stacklevel=2)
    fit_data = scores[~incomplete]
    if len(fit_data) < 8:
        raise ModelError(f"the Grönroos regression needs at least 8 complete respondents; got {len(fit_data)}")
    centred = fit_data.assign(**{c: fit_data[c] - fit_data[c].mean() for c in ("technical", "functional", "image")})
    model = smf.ols("overall ~ technical + functional + image + technical:image + functional:image", data=centred).fit()
    ci = model.conf_int(1 - confidence)
    coefs = pd.DataFrame({
        "term": model.params.index,
        "estimate": model.params.to_numpy(),
        "se": model.bse.to_numpy(),
        "ci_low": ci[0].to_numpy(),
        "ci_high": ci[1].to_numpy(),
        "p_value": model.pvalues.to_numpy(),
    }).reset_index(drop=True)
    reading = _gronroos_reading(coefs.set_index("term"), fit_data, 1 - confidence, lang)
    return GronroosResult(scores, coefs, reading, model)


def _gronroos_reading(c: pd.DataFrame, data: pd.DataFrame, alpha: float, lang: str) -> str:
    def f(x):
        return f"{x:.2f}"

    tq, fq = c.loc["technical", "estimate"], c.loc["functional", "estimate"]
    stronger = "technical" if abs(tq) >= abs(fq) else "functional"
    parts = [t("gaps.gronroos.main", lang, technical=f(tq), functional=f(fq), stronger=t(f"gaps.gronroos.{stronger}", lang))]
    sd_img = float(data["image"].std(ddof=1))
    for q in ("functional", "technical"):
        term = f"{q}:image"
        est, p = c.loc[term, "estimate"], c.loc[term, "p_value"]
        if p < alpha:
            base = c.loc[q, "estimate"]
            key = "gaps.gronroos.amplify" if est > 0 else "gaps.gronroos.cushion"
            parts.append(t(key, lang, quality=t(f"gaps.gronroos.{q}", lang), high=f(base + est * sd_img), low=f(base - est * sd_img)))
    if len(parts) == 1:
        parts.append(t("gaps.gronroos.no_moderation", lang))
    return ("" if lang == "zh" else " ").join(parts)


# =========================================================================== figures


def _template():
    try:
        from . import plots  # the shared theme, when present
    except ImportError:
        return None
    return getattr(plots, "plotly_template", None)


def _layout(fig, title: str):
    tpl = _template()
    if tpl is not None:
        try:
            fig.update_layout(template=tpl() if callable(tpl) else tpl)
        except Exception:  # a theme problem must never break an analysis figure
            pass
    fig.update_layout(title=title)
    return fig


def gap_bar_figure(dimensions: pd.DataFrame, lang: str = "zh", title: str | None = None, color: str | None = None):
    """Bar chart of the SERVQUAL dimension gaps with their confidence intervals (plotly).

    Parameters
    ----------
    dimensions : DataFrame
        ``ServqualResult.dimensions`` (``dimension, gap, ci_low, ci_high``; a group column
        may be named with ``color``).
    lang : {"zh", "en"}
    color : str, optional
        Group column to draw as separate bars.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    import plotly.graph_objects as go

    check_language(lang)
    fig = go.Figure()
    groups = [(None, dimensions)] if color is None else list(dimensions.groupby(color, sort=False))
    for name, sub in groups:
        fig.add_bar(
            x=[_dim_label(d, lang) for d in sub["dimension"]], y=sub["gap"], name=None if name is None else str(name),
            error_y=dict(type="data", symmetric=False, array=sub["ci_high"] - sub["gap"], arrayminus=sub["gap"] - sub["ci_low"]),
        )
    fig.update_layout(yaxis_title=t("gaps.axis.gap_pe", lang), xaxis_title=t("gaps.axis.dimension", lang),
                      barmode="group", showlegend=color is not None)
    fig.add_hline(y=0, line_width=1)
    return _layout(fig, title or t("gaps.title.dimension_gaps", lang))


def _dim_label(d: str, lang: str) -> str:
    try:
        return t(f"servqual.{d}", lang)
    except KeyError:
        return str(d)


def item_heatmap_figure(items: pd.DataFrame, lang: str = "zh", title: str | None = None, columns: str | None = None):
    """Heatmap of item gaps (plotly): items (grouped by dimension) × expectation/perception/gap, or × a group column.

    Parameters
    ----------
    items : DataFrame
        ``ServqualResult.items``.
    columns : str, optional
        A group column (segment, period) to put across; default the measures E, P, P − E.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    import plotly.graph_objects as go

    check_language(lang)
    rows = [f"{_dim_label(d, lang)} · {it}" for d, it in items[["dimension", "item"]].drop_duplicates().itertuples(index=False)]
    if columns is None:
        z = items[["expectation", "perception", "gap"]].to_numpy()
        x = [t("construct.expectation", lang), t("construct.experience", lang), t("gaps.axis.gap_pe", lang)]
        # gap and scores on different scales: colour by gap only, print all values
        zc = np.column_stack([items["gap"]] * 3)
    else:
        wide = items.pivot_table(index=["dimension", "item"], columns=columns, values="gap", sort=False, observed=True)
        z = wide.to_numpy()
        x = [str(c) for c in wide.columns]
        zc = z
    lim = float(np.nanmax(np.abs(zc))) if np.isfinite(zc).any() else 1.0
    fig = go.Figure(go.Heatmap(z=zc, x=x, y=rows, text=np.round(z, 2), texttemplate="%{text}", colorscale="RdBu",
                               zmin=-lim, zmax=lim, colorbar=dict(title=t("gaps.axis.gap_pe", lang))))
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title or t("gaps.title.item_heatmap", lang))


def ipa_figure(result: pd.DataFrame, lang: str = "zh", title: str | None = None, label: Mapping[str, str] | None = None):
    """IPA map (plotly): importance × performance with the crosshairs and quadrant names.

    Parameters
    ----------
    result : DataFrame
        Output of :func:`ipa`.
    label : mapping attribute → display name, optional

    Returns
    -------
    plotly.graph_objects.Figure
    """
    import plotly.graph_objects as go

    check_language(lang)
    names = [(label or {}).get(a, a) for a in result["attribute"]]
    fig = go.Figure(go.Scatter(x=result["performance"], y=result["importance"], mode="markers+text", text=names,
                               textposition="top center", customdata=result["quadrant_name"],
                               hovertemplate="%{text}<br>%{customdata}<extra></extra>"))
    ic, pc = float(result["importance_cross"].iloc[0]), float(result["performance_cross"].iloc[0])
    fig.add_hline(y=ic, line_dash="dash", line_width=1)
    fig.add_vline(x=pc, line_dash="dash", line_width=1)
    for q, xa, ya in (("concentrate", 0.02, 0.98), ("keep_up", 0.98, 0.98), ("low_priority", 0.02, 0.02), ("overkill", 0.98, 0.02)):
        fig.add_annotation(text=t(f"gaps.ipa.{q}", lang), xref="paper", yref="paper", x=xa, y=ya, showarrow=False,
                           xanchor="left" if xa < 0.5 else "right", yanchor="top" if ya > 0.5 else "bottom", opacity=0.6)
    fig.update_layout(xaxis_title=t("gaps.axis.performance", lang), yaxis_title=t("construct.importance", lang))
    return _layout(fig, title or t("gaps.title.ipa", lang))


def kano_figure(summary: pd.DataFrame, lang: str = "zh", title: str | None = None):
    """Kano Better–Worse plot (plotly): |Worse| on x, Better on y, quadrants at 0.5.

    Parameters
    ----------
    summary : DataFrame
        ``KanoResult.summary``.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    import plotly.graph_objects as go

    check_language(lang)
    fig = go.Figure(go.Scatter(x=summary["worse"].abs(), y=summary["better"], mode="markers+text",
                               text=summary["feature"].astype(str), textposition="top center",
                               customdata=summary["category_name"], hovertemplate="%{text}<br>%{customdata}<extra></extra>"))
    fig.add_hline(y=0.5, line_dash="dash", line_width=1)
    fig.add_vline(x=0.5, line_dash="dash", line_width=1)
    for c, xa, ya in (("A", 0.02, 0.98), ("O", 0.98, 0.98), ("I", 0.02, 0.02), ("M", 0.98, 0.02)):
        fig.add_annotation(text=t(f"gaps.kano.{c}", lang), xref="paper", yref="paper", x=xa, y=ya, showarrow=False,
                           xanchor="left" if xa < 0.5 else "right", yanchor="top" if ya > 0.5 else "bottom", opacity=0.6)
    fig.update_xaxes(range=[0, 1.05], title=t("gaps.axis.worse", lang))
    fig.update_yaxes(range=[0, 1.05], title=t("gaps.axis.better", lang))
    return _layout(fig, title or t("gaps.title.kano", lang))


# =========================================================================== labelled tables

_COLUMN_LABELS = {
    "dimension": "gaps.axis.dimension", "item": "gaps.axis.item", "attribute": "gaps.cem.attribute",
    "expectation": "construct.expectation", "perception": "construct.experience", "experience": "construct.experience",
    "gap": "construct.gap", "importance": "construct.importance", "weighted_gap": "gaps.cem.weighted_gap",
    "ideal": "gaps.cem.ideal", "experience_gap": "gaps.cem.experience_gap", "n": "gaps.col.n",
    "n_missing": "gaps.col.n_missing", "ci_low": "gaps.col.ci_low", "ci_high": "gaps.col.ci_high",
    "alpha": "gaps.col.alpha", "note": "gaps.col.note", "score": "gaps.col.score", "p_adjusted": "gaps.col.p_adjusted",
    "category_name": "gaps.col.category", "quadrant_name": "gaps.col.quadrant", "window": "gaps.col.window",
    "feature": "gaps.col.feature", "better": "gaps.col.better", "worse": "gaps.col.worse", "kind": "gaps.col.kind", "step": "gaps.cem.step",
    "name_zh": "gaps.cem.name_zh", "name_en": "gaps.cem.name_en", "finding": "gaps.cem.finding", "performance": "gaps.axis.performance",
}
_VALUE_PREFIX = {"dimension": ("servqual.",), "attribute": ("gaps.cem.", "servqual."), "score": ("gaps.col.",),
                 "kind": ("gaps.kind.",)}


def table_view(frame: pd.DataFrame, lang: str = "zh", columns: Sequence[str] | None = None, digits: int = 2) -> pd.DataFrame:
    """A result table for reading (报告用表格): chosen columns, rounded, headers and known values in ``lang``.

    Column headers with a label (``gap`` → 差距/Gap …) and the values of ``dimension``
    (SERVQUAL dimensions), ``attribute`` (the CEM drivers) and ``score`` (unweighted /
    weighted) are translated; anything without a label is left as it is.  Missing cells stay
    missing.  For display only — compute on the tidy frame.

    Examples
    --------
    >>> import pandas as pd
    >>> table_view(pd.DataFrame({"dimension": ["reliability"], "gap": [-0.8123]}), "en")
         Dimension   Gap
    0  Reliability -0.81
    """
    check_language(lang)
    view = frame[list(columns)] if columns is not None else frame.copy()
    view = view.copy()
    for col, prefixes in _VALUE_PREFIX.items():
        if col in view.columns:
            view[col] = [_label_or([p + str(v) for p in prefixes], v, lang) for v in view[col]]
    num = view.select_dtypes("number").columns
    view[num] = view[num].round(digits)
    return view.rename(columns={c: t(k, lang) for c, k in _COLUMN_LABELS.items() if c in view.columns})


def _label_or(keys: Sequence[str], default: Any, lang: str) -> Any:
    for key in keys:
        try:
            return t(key, lang)
        except KeyError:
            continue
    return default
