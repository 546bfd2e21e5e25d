"""Complaint analytics (顾客抱怨分析): Pareto, periodic counts, control charts, SLA, funnel.

Course concept (COURSE.md §4): classify complaints by content, quality defect, product,
region and responsible department; count them monthly or quarterly; the Pareto chart
(排列图) as the standard tool; report to management, name the responsible department,
solve within a deadline and measure the effect; handling steps: analyse the cause, solve,
follow up and report back.  COURSE.md §3: 95 % of unhappy customers never complain;
1 + 11 + 55 = 67 people hear of one unhappy customer.

References: Juran (1951) *Quality Control Handbook* (Pareto, the vital few);
Montgomery (2019) *Introduction to Statistical Quality Control*, 8th ed., §7.2–7.3
(p-chart and c-chart, 3-sigma limits); TARP (1986) *Consumer Complaint Handling in
America* (the silent-majority and word-of-mouth figures the course quotes).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..errors import DataError, ParameterError
from ..i18n import check_language, t
from .privacy import mask_complaints
from .records import COMPLAINT_LEVEL, ESCALATION_LEVELS, HANDLING_STEPS

__all__ = [
    "pareto_table",
    "complaint_pareto",
    "complaint_counts",
    "control_chart",
    "resolution_sla",
    "escalation_funnel",
    "repeat_complainers",
    "silent_dissatisfied",
    "complaint_examples",
]


def _need(frame: pd.DataFrame, columns: Sequence[str], where: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(
            f"{where}: the table has no column {missing[0]!r}; it has {', '.join(map(str, frame.columns))}",
            column=missing[0],
        )


def _period(dates: pd.Series, period: str, where: str) -> pd.Series:
    if period not in ("M", "Q"):
        raise ParameterError(f"{where}: period must be 'M' (month) or 'Q' (quarter); got {period!r}")
    d = pd.to_datetime(dates, errors="coerce")
    if d.isna().any():
        pos = int(np.flatnonzero(d.isna().to_numpy())[0])
        raise DataError(
            f"{where}: a date is missing or unparseable ({dates.iloc[pos]!r}); validate the log first",
            column=dates.name,
            row=pos + 1,
        )
    return d.dt.to_period(period).astype(str)


def pareto_table(frame: pd.DataFrame, category: str, count: str | None = None) -> pd.DataFrame:
    """Counts by category in descending order with percentages and cumulative percentages.

    The table behind the Pareto chart (排列图): categories sorted by count, largest first
    (ties keep their first-appearance order), and the running share of the total.

    Parameters
    ----------
    frame : pandas.DataFrame
        Either one row per case (``count=None``: rows are counted) or one or more rows per
        category with a count column (counts of repeated categories are summed).
    category : str
        Column of categories.  A missing category is an error (fill it, e.g. "unknown").
    count : str, optional
        Column of non-negative counts (or amounts such as losses).

    Returns
    -------
    pandas.DataFrame
        Columns ``category`` (named as the input column), ``count``, ``percent`` (share of
        the total, 0–100) and ``cumulative_percent`` (ends at 100), one row per category.

    Raises
    ------
    DataError
        Missing column, missing category, missing / negative / non-numeric count, or a
        zero total.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pareto_table(pd.DataFrame({"kind": ["a", "b", "a", "c", "a", "b"]}), "kind")
    >>> table["kind"].tolist(), table["cumulative_percent"].round(1).tolist()
    (['a', 'b', 'c'], [50.0, 83.3, 100.0])
    """
    where = "pareto_table"
    if not isinstance(frame, pd.DataFrame):
        raise DataError(f"{where}: expected a pandas DataFrame; got {type(frame).__name__}")
    _need(frame, [category] + ([count] if count is not None else []), where)
    if category in ("count", "percent", "cumulative_percent"):
        raise DataError(f"{where}: rename the category column; {category!r} is a column of the result", column=category)
    missing = frame[category].isna().to_numpy()
    if missing.any():
        raise DataError(
            f"{where}: every row needs a category; found a missing value (fill it, e.g. with 'unknown')",
            column=category,
            row=int(np.flatnonzero(missing)[0]) + 1,
        )
    if count is None:
        weights = np.ones(len(frame))
    else:
        weights = pd.to_numeric(frame[count], errors="coerce").to_numpy(dtype=float)
        text = np.isnan(weights) & frame[count].notna().to_numpy()
        if text.any():
            pos = int(np.flatnonzero(text)[0])
            raise DataError(f"{where}: expected numbers; found {frame[count].iloc[pos]!r}", column=count, row=pos + 1)
        for wrong, what in ((np.isnan(weights), "a missing count"), (weights < 0, "a negative count")):
            if wrong.any():
                pos = int(np.flatnonzero(wrong)[0])
                raise DataError(
                    f"{where}: expected non-negative counts; found {what} ({frame[count].iloc[pos]!r})",
                    column=count,
                    row=pos + 1,
                )
    totals = (
        pd.DataFrame({"category": frame[category].to_numpy(), "count": weights})
        .groupby("category", sort=False)["count"]
        .sum()
    )
    total = float(totals.sum())
    if not total > 0:
        raise DataError(f"{where}: the counts add up to {total:g}; expected a positive total", column=count)
    totals = totals.sort_values(ascending=False, kind="stable")
    table = pd.DataFrame({category: totals.index.to_numpy(), "count": totals.to_numpy()})
    table["percent"] = table["count"] / total * 100.0
    cumulative = table["count"].cumsum() / total * 100.0
    cumulative.iloc[-1] = 100.0  # exact, whatever the rounding of the running sum
    table["cumulative_percent"] = cumulative
    return table


def complaint_pareto(
    frame: pd.DataFrame, by: str = "category", *, vital_share: float = 80.0, missing: str = "unknown"
) -> pd.DataFrame:
    """The table behind the Pareto chart (排列图), with the vital few (关键少数) marked.

    Parameters
    ----------
    frame : DataFrame
        One row per complaint.
    by : str
        Column to classify by (category, defect, product, region, department …).
    vital_share : float, default 80
        The vital few are the categories needed to reach this cumulative percentage
        (including the one that crosses it).
    missing : str
        Label for a missing value (counted, not dropped).

    Returns
    -------
    DataFrame
        ``<by>, count, percent, cumulative_percent, vital`` sorted by count, descending.

    Examples
    --------
    >>> df = pd.DataFrame({"category": list("aaaaabbbcd")})
    >>> complaint_pareto(df)[["category", "cumulative_percent", "vital"]].values.tolist()
    [['a', 50.0, True], ['b', 80.0, True], ['c', 90.0, False], ['d', 100.0, False]]
    """
    _need(frame, [by], "complaint_pareto")
    data = frame[[by]].astype("object").fillna(missing)
    table = pareto_table(data, by)
    table["count"] = table["count"].astype(int)
    before = table["cumulative_percent"].shift(1, fill_value=0.0)
    table["vital"] = before < float(vital_share) - 1e-9
    return table


def complaint_counts(
    frame: pd.DataFrame,
    by: str | Sequence[str] = "category",
    *,
    period: str = "M",
    date: str = "date",
    wide: bool = False,
    missing: str = "unknown",
) -> pd.DataFrame:
    """Complaints per month or quarter (月度/季度统计) by one or more classifications.

    Returns
    -------
    DataFrame
        Long: ``period, <by…>, count`` (every period × category, zeros included).
        ``wide=True``: one row per period, one column per category of ``by`` (a single
        column), plus ``total``.

    Examples
    --------
    >>> df = pd.DataFrame({"date": ["2025-01-03", "2025-01-20", "2025-02-02"], "category": ["a", "b", "a"]})
    >>> complaint_counts(df, wide=True).to_dict("list")
    {'period': ['2025-01', '2025-02'], 'a': [1, 1], 'b': [1, 0], 'total': [2, 1]}
    """
    by = [by] if isinstance(by, str) else list(by)
    _need(frame, [date, *by], "complaint_counts")
    per = _period(frame[date], period, "complaint_counts")
    data = frame[by].astype("object").fillna(missing).assign(period=per.to_numpy())
    counts = data.groupby(["period", *by]).size()
    full = pd.MultiIndex.from_product(
        [sorted(per.unique())] + [sorted(data[c].unique(), key=str) for c in by], names=["period", *by]
    )
    long = counts.reindex(full, fill_value=0).rename("count").reset_index()
    if not wide:
        return long
    if len(by) != 1:
        raise DataError("complaint_counts: wide=True needs a single 'by' column")
    table = long.pivot(index="period", columns=by[0], values="count")
    table.columns = [str(c) for c in table.columns]
    table["total"] = table.sum(axis=1)
    return table.reset_index()


def control_chart(
    frame: pd.DataFrame,
    *,
    period: str = "M",
    date: str = "date",
    kind: str = "c",
    exposure: pd.Series | Mapping | None = None,
    where: pd.Series | None = None,
    sigma: float = 3.0,
) -> pd.DataFrame:
    """Complaints per period against control limits: a c-chart or a p-chart (控制图).

    Parameters
    ----------
    frame : DataFrame
        One row per complaint.
    kind : {"c", "p"}
        ``c``: counts per period, centre c̄, limits c̄ ± 3√c̄ (Montgomery §7.3.1).
        ``p``: the share of ``where`` (a boolean Series, e.g. category == "delivery")
        among complaints of the period, or complaints per unit of ``exposure`` (orders
        per period: a mapping or Series indexed by period string), centre p̄ = Σx/Σn,
        limits p̄ ± 3√(p̄(1−p̄)/nᵢ) (§7.2.1).
    sigma : float
        Width of the limits in standard deviations.

    Returns
    -------
    DataFrame
        ``period, count, n, value, center, lcl, ucl, signal`` (value outside the limits);
        lcl is floored at 0.

    Examples
    --------
    >>> df = pd.DataFrame({"date": pd.date_range("2025-01-01", periods=4, freq="MS").repeat([4, 4, 4, 16])})
    >>> cc = control_chart(df)
    >>> cc[["count", "center", "ucl", "signal"]].round(2).values.tolist()[-1]
    [16, 7.0, 14.94, True]
    """
    if kind not in ("c", "p"):
        raise DataError(f"control_chart: kind must be 'c' or 'p'; got {kind!r}")
    _need(frame, [date], "control_chart")
    per = _period(frame[date], period, "control_chart")
    periods = sorted(per.unique())
    if kind == "c":
        count = per.value_counts().reindex(periods, fill_value=0).astype(int)
        n = pd.Series(1, index=periods)
        value = count.astype(float)
        center = float(value.mean())
        sd = np.sqrt(center)
        lcl = pd.Series(max(center - sigma * sd, 0.0), index=periods)
        ucl = pd.Series(center + sigma * sd, index=periods)
    else:
        if where is not None:
            flag = pd.Series(np.asarray(where, dtype=bool), index=frame.index)
            count = flag.groupby(per.to_numpy()).sum().reindex(periods, fill_value=0).astype(int)
            n = per.value_counts().reindex(periods, fill_value=0)
        elif exposure is not None:
            count = per.value_counts().reindex(periods, fill_value=0).astype(int)
            n = pd.Series(exposure).rename(index=str).reindex(periods)
            if n.isna().any():
                raise DataError(f"control_chart: exposure has no value for period {n.index[n.isna()][0]}")
        else:
            raise DataError(
                "control_chart: kind='p' needs where= (a flag per complaint) or exposure= (units per period)"
            )
        n = n.astype(float)
        value = count / n
        center = float(count.sum() / n.sum())
        sd = np.sqrt(center * (1 - center) / n)
        lcl = (center - sigma * sd).clip(lower=0.0)
        ucl = center + sigma * sd
    out = pd.DataFrame(
        {
            "period": periods,
            "count": count.to_numpy(),
            "n": n.to_numpy(),
            "value": value.to_numpy(),
            "center": center,
            "lcl": lcl.to_numpy(),
            "ucl": ucl.to_numpy(),
        }
    )
    out["signal"] = (out["value"] > out["ucl"]) | (out["value"] < out["lcl"])
    return out


def resolution_sla(
    frame: pd.DataFrame,
    *,
    steps: Mapping[str, float] | None = None,
    date: str = "date",
    by: str | None = None,
    missing_ok: bool = False,
) -> pd.DataFrame:
    """Hours from receipt to each handling step, and the share within its service level (SLA).

    Parameters
    ----------
    steps : mapping column → target hours
        Default :data:`HANDLING_STEPS` (acknowledged 24 h, cause found 72 h, resolved 168 h,
        followed up 336 h), restricted to the columns present.
    by : str, optional
        Also break down by e.g. ``department``.
    missing_ok : bool
        With no step column at all, return an empty table instead of raising.

    Returns
    -------
    DataFrame
        ``[by,] step, target_hours, n, n_open, median_hours, p90_hours, within_sla`` —
        ``within_sla`` is the share of all complaints done within target (still open
        past the target counts as a miss; open complaints are never dropped);
        ``n_open`` counts steps not yet done (a step stamped before the receipt counts as not
        done: its time would be negative).

    Examples
    --------
    >>> df = pd.DataFrame({"date": pd.to_datetime(["2025-01-01", "2025-01-01"]),
    ...                    "resolved_at": pd.to_datetime(["2025-01-02", None])})
    >>> resolution_sla(df)[["step", "n", "n_open", "median_hours", "within_sla"]].values.tolist()
    [['resolved_at', 2, 1, 24.0, 0.5]]
    """
    steps = dict(steps) if steps is not None else {k: v for k, v in HANDLING_STEPS.items() if k in frame.columns}
    if not steps and missing_ok:
        return pd.DataFrame(columns=["step", "target_hours", "n", "n_open", "median_hours", "p90_hours", "within_sla"])
    if not steps:
        raise DataError(f"resolution_sla: no handling-step column found; expected some of {', '.join(HANDLING_STEPS)}")
    _need(frame, [date, *steps] + ([by] if by else []), "resolution_sla")
    start = pd.to_datetime(frame[date], errors="coerce")
    groups = (
        [("", frame.index)]
        if by is None
        else list(frame.groupby(frame[by].astype("object").fillna("unknown")).groups.items())
    )
    rows = []
    for key, idx in groups:
        for step, target in steps.items():
            done = pd.to_datetime(frame.loc[idx, step], errors="coerce")
            hours = (done - start.loc[idx]).dt.total_seconds() / 3600.0
            # a step stamped before the complaint was received is not done in time (validate_complaints
            # lists and clears it); it must never make a median negative or count as within the SLA
            hours = hours.where(hours >= 0)
            n = len(idx)
            row = {
                "step": step,
                "target_hours": float(target),
                "n": n,
                "n_open": int(hours.isna().sum()),
                "median_hours": float(hours.median()) if hours.notna().any() else np.nan,
                "p90_hours": float(hours.quantile(0.9)) if hours.notna().any() else np.nan,
                "within_sla": float((hours <= target).sum() / n) if n else np.nan,
            }
            if by is not None:
                row = {by: key, **row}
            rows.append(row)
    return pd.DataFrame(rows)


def escalation_funnel(levels, *, lang: str = "zh") -> pd.DataFrame:
    """How far dissatisfaction went: counts per level and at-least shares (抱怨升级漏斗).

    The levels are the textbook's (seed 000; see :func:`escalation_level`): 1–3 are
    non-complaint dissatisfaction (非投诉型抱怨: no action, no repeat purchase, telling friends
    and family — found through surveys or social media), 4–5 complaints (投诉型抱怨: to the
    firm, a consumer body or the media; legal action).  ``at_least`` at level 4 counts the
    complaints; the rows below show the dissatisfaction that never reached the firm.

    Parameters
    ----------
    levels : sequence of int 1–5
        E.g. ``escalation_level(log)["level"]``.
    lang : {"zh", "en"}
        Language of ``label`` and ``kind_label``.

    Returns
    -------
    DataFrame
        ``level, label, kind`` (``non_complaint`` for 1–3, ``complaint`` for 4–5),
        ``kind_label, count, share, at_least, share_at_least`` for levels 1…5.

    >>> f = escalation_funnel([1, 2, 4, 4, 5])
    >>> f[["level", "kind", "count", "at_least"]].values.tolist()
    [[1, 'non_complaint', 1, 5], [2, 'non_complaint', 1, 4], [3, 'non_complaint', 0, 3], [4, 'complaint', 2, 3], [5, 'complaint', 1, 1]]
    >>> f["kind_label"].unique().tolist()
    ['非投诉型抱怨', '投诉型抱怨']
    """
    check_language(lang)
    lv = pd.Series(list(levels.tolist() if hasattr(levels, "tolist") else levels))
    bad = ~lv.isin(ESCALATION_LEVELS)
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(f"escalation_funnel: levels are 1–5; got {lv.iloc[pos]!r}", row=pos + 1)
    count = lv.value_counts().reindex(ESCALATION_LEVELS, fill_value=0).astype(int)
    total = max(int(count.sum()), 1)
    at_least = count[::-1].cumsum()[::-1]
    kind = ["complaint" if k >= COMPLAINT_LEVEL else "non_complaint" for k in ESCALATION_LEVELS]
    return pd.DataFrame(
        {
            "level": list(ESCALATION_LEVELS),
            "label": [t(f"complaints.level.{k}", lang) for k in ESCALATION_LEVELS],
            "kind": kind,
            "kind_label": [t(f"complaints.kind.{k}", lang) for k in kind],
            "count": count.to_numpy(),
            "share": count.to_numpy() / total,
            "at_least": at_least.to_numpy(),
            "share_at_least": at_least.to_numpy() / total,
        }
    )


def repeat_complainers(
    frame: pd.DataFrame,
    *,
    by: str = "contact",
    min_count: int = 2,
    date: str = "date",
    category: str | None = "category",
    mask: bool = True,
) -> pd.DataFrame:
    """Customers who complained at least ``min_count`` times (重复投诉).

    Returns
    -------
    DataFrame
        ``<by>, n_complaints, first, last, categories`` (distinct, comma separated),
        most complaints first; ``by`` is masked (:func:`mask_pii`) when ``mask``.
    """
    _need(frame, [by, date], "repeat_complainers")
    data = frame[frame[by].notna()]
    g = data.groupby(by)
    out = pd.DataFrame({"n_complaints": g.size(), "first": g[date].min(), "last": g[date].max()})
    if category and category in frame.columns:
        out["categories"] = g[category].agg(lambda s: ", ".join(sorted(set(map(str, s.dropna())))))
    out = out[out["n_complaints"] >= int(min_count)].sort_values("n_complaints", ascending=False, kind="stable")
    out = out.reset_index()
    if mask:
        from .privacy import mask_name, mask_pii

        masked = mask_pii(out[by].astype("object"))
        out[by] = masked if by != "complainant" else out[by].map(mask_name)
    return out


def silent_dissatisfied(
    complaints: float,
    *,
    silent_share: float = 0.95,
    first_ring: float = 11,
    second_ring: float = 5,
    silent_tell: float = 10,
) -> pd.DataFrame:
    """The course's iceberg arithmetic: dissatisfied customers and word of mouth behind the complaints.

    Parameters
    ----------
    complaints : float
        Complaints received.
    silent_share : float, default 0.95
        Share of unhappy customers who never complain (TARP; the course's 95 %).
    first_ring, second_ring : float, default 11 and 5
        One unhappy customer tells ``first_ring`` people, each of whom tells
        ``second_ring`` more: 1 + 11 + 55 = 67 people speak ill of the firm, the customer
        included (seed 001: 于是就有67(1十11+55)个人在说你企业的坏话).
    silent_tell : float, default 10
        People each silent unhappy customer tells.

    Returns
    -------
    DataFrame
        ``quantity, value, formula`` rows: complaints, dissatisfied, silent,
        reach_per_unhappy, word_of_mouth_reach (the complainers' 67-person chains plus
        what the silent tell).

    Examples
    --------
    >>> silent_dissatisfied(10).set_index("quantity")["value"].to_dict()
    {'complaints': 10.0, 'dissatisfied': 200.0, 'silent': 190.0, 'reach_per_unhappy': 67.0, 'word_of_mouth_reach': 2570.0}
    """
    if not 0 <= silent_share < 1:
        raise DataError(f"silent_dissatisfied: silent_share must be in [0, 1); got {silent_share!r}")
    if complaints < 0:
        raise DataError(f"silent_dissatisfied: complaints must be non-negative; got {complaints!r}")
    # rounded to 9 decimals so that 1 − 0.95 does not print 199.99999999999983
    dissatisfied = round(complaints / (1 - silent_share), 9)
    silent = round(dissatisfied - complaints, 9)
    reach = 1 + first_ring + first_ring * second_ring
    total = round(complaints * reach + silent * silent_tell, 9)
    return pd.DataFrame(
        {
            "quantity": ["complaints", "dissatisfied", "silent", "reach_per_unhappy", "word_of_mouth_reach"],
            "value": [float(complaints), float(dissatisfied), float(silent), float(reach), float(total)],
            "formula": [
                "given",
                f"complaints / (1 − {silent_share:g})",
                "dissatisfied − complaints",
                f"1 + {first_ring:g} + {first_ring:g} × {second_ring:g}",
                f"complaints × {reach:g} + silent × {silent_tell:g}",
            ],
        }
    )


def complaint_examples(
    frame: pd.DataFrame,
    by: str = "category",
    *,
    n: int = 2,
    text: str = "story",
    mask: bool = True,
    max_chars: int = 160,
    random_state: int | None = 0,
) -> pd.DataFrame:
    """A few example complaints per category, personal data masked (on by default).

    Returns
    -------
    DataFrame
        ``<by>, complaint_id, date, text`` (truncated to ``max_chars``), ``n`` per category.
        The text is plain (not HTML-escaped): render it with an escaping renderer
        (pandas' HTML does escape) or :func:`escape_html`.
    """
    _need(frame, [by, text], "complaint_examples")
    data = mask_complaints(frame) if mask else frame
    parts = []
    for _, g in data.groupby(data[by].astype("object").fillna("unknown"), sort=True):
        parts.append(g.sample(min(n, len(g)), random_state=random_state))
    out = pd.concat(parts) if parts else data.head(0)
    cols = [c for c in (by, "complaint_id", "date") if c in out.columns]
    out = out[cols + [text]].rename(columns={text: "text"}).reset_index(drop=True)
    out["text"] = out["text"].map(lambda s: s if not isinstance(s, str) or len(s) <= max_chars else s[:max_chars] + "…")
    return out
