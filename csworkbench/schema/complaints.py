"""Validation of complaint logs (顾客抱怨记录校验) against the course's complaint record (COURSE.md §4).

Headers in Chinese are mapped to the record's fields (:data:`csworkbench.codes.COMPLAINT_ALIASES`),
channels to their codes, service aspects to the course's five; free text is kept verbatim.
"""

from __future__ import annotations

from collections.abc import Mapping
from os import PathLike
from typing import Any

import numpy as np
import pandas as pd

from ..codes import (
    ASPECT_ALIASES,
    CHANNEL_ALIASES,
    CHANNEL_LEVEL,
    COMPLAINT_ALIASES,
    COMPLAINT_FIELDS,
    COMPLAINT_REQUIRED,
    HANDLING_STEPS,
    SERVICE_ASPECTS,
)
from ..errors import ParameterError
from ..problems import Problems
from ._common import (
    DEFAULT_TZ,
    Validated,
    _blank,
    _empty_rows,
    _require_columns,
    _restore_excel_errors,
    _rows,
    _source,
    clean_ids,
    parse_dates,
)
from .survey import _check_scores

# --------------------------------------------------------------------------- complaints


#: Free-text fields of a complaint record, checked for length and for markup.
_FREE_TEXT = ("story", "loss", "request", "resolution", "service_act", "product", "complainant", "receiver")
#: Excel's limit on the characters of one cell.
EXCEL_CELL_LIMIT = 32767
_MARKUP_RE = r"(?i)<\s*/?\s*[a-z][a-z0-9-]*(?:\s[^<>]*)?/?\s*>|javascript\s*:|&#x?[0-9a-f]+;|&lt;|&gt;"
#: Chinese names of the handling-step timestamps (:data:`csworkbench.codes.HANDLING_STEPS`).
STEP_ALIASES: dict[str, str] = {
    "受理确认": "acknowledged_at",
    "受理确认时间": "acknowledged_at",
    "确认时间": "acknowledged_at",
    "受理时间": "acknowledged_at",
    "分析原因": "cause_found_at",
    "原因查明时间": "cause_found_at",
    "原因分析时间": "cause_found_at",
    "解决时间": "resolved_at",
    "跟踪回访": "followed_up_at",
    "回访时间": "followed_up_at",
    "回访日期": "followed_up_at",
}
#: Every field a complaint log may map to: the record's fields and the handling-step timestamps.
_FIELDS: dict[str, str] = {**COMPLAINT_FIELDS, **{step: f"handling step {step}" for step in HANDLING_STEPS}}


def _check_channels(raw: pd.Series, keep: np.ndarray, coll: Problems) -> pd.Series:
    """Channel names → the codes of ``CHANNEL_LEVEL`` (电话 → phone); unknown channels are kept as
    written and flagged, since a company may have its own."""
    known = {str(k).lower(): str(k) for k in CHANNEL_LEVEL}
    text = raw.astype("string").str.strip()

    def code(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        key = CHANNEL_ALIASES.get(value, CHANNEL_ALIASES.get(value.lower(), value.lower()))
        return known.get(key, known.get(key.replace(" ", "_"), pd.NA))

    codes = text.map(code).astype("string")
    unknown = (codes.isna() & text.notna() & (text != "")).fillna(False).to_numpy(dtype=bool) & keep
    coll.add(
        "unknown_channel",
        rows=_rows(unknown),
        column="channel",
        values=raw.to_numpy()[unknown],
        known=f"{', '.join(known.values())}; 电话, 门店, 消协, 微博 …",
    )
    return codes.where(~pd.Series(unknown, index=codes.index), text)


def _map_headers(
    frame: pd.DataFrame, column_map: Mapping[str, str] | None, coll: Problems
) -> tuple[pd.DataFrame, dict[Any, str]]:
    """The frame with the record's field names, and the map user header → field."""
    # headers as written, matched after trimming spaces ("投诉内容 " is 投诉内容)
    mapping: dict[Any, str] = {}
    for col in frame.columns:
        name = str(col).strip()
        canonical = COMPLAINT_ALIASES.get(name, STEP_ALIASES.get(name, name if name in _FIELDS else None))
        if canonical is not None and canonical != col:
            mapping[col] = canonical
    for user, canonical in (column_map or {}).items():
        if canonical not in _FIELDS:
            raise ParameterError(
                f"column_map maps {user!r} to {canonical!r}, which is not a complaint field; "
                f"fields are: {', '.join(_FIELDS)}"
            )
        if user not in frame.columns:
            raise coll.fail(
                f"column_map names {user!r}, which is not in the data; the data have: "
                f"{', '.join(map(str, frame.columns))}",
                column=user,
            )
        mapping[user] = canonical
    data = _restore_excel_errors(frame).rename(columns=mapping).reset_index(drop=True)
    if data.columns.duplicated().any():
        twice = data.columns[data.columns.duplicated()][0]
        raise coll.fail(f"two columns map to the field {twice!r}; map only one of them")
    return data, mapping


def _check_free_text(data: pd.DataFrame, keep: np.ndarray, coll: Problems) -> None:
    """Flag free text longer than an Excel cell holds, or holding markup (kept verbatim either way)."""
    for fld in _FREE_TEXT:
        if fld not in data.columns or not (pd.api.types.is_string_dtype(data[fld].dtype) or data[fld].dtype == object):
            continue
        text = data[fld].astype("string")
        long = (text.str.len() > EXCEL_CELL_LIMIT).fillna(False).to_numpy(dtype=bool) & keep
        coll.add("long_text", rows=_rows(long), column=fld, values=text.to_numpy()[long], limit=f"{EXCEL_CELL_LIMIT:,}")
        markup = text.str.contains(_MARKUP_RE, regex=True).fillna(False).to_numpy(dtype=bool) & keep
        coll.add("markup", rows=_rows(markup), column=fld, values=text.to_numpy()[markup])


def validate_complaints(
    frame: pd.DataFrame,
    *,
    column_map: Mapping[str, str] | None = None,
    satisfaction_scale: tuple[float, float] = (1, 5),
    today: str | pd.Timestamp | None = None,
    date_format: str | None = None,
    tz: str = DEFAULT_TZ,
    path: str | PathLike | None = None,
    strict: bool = False,
) -> Validated:
    """Check a complaint log against the course's complaint record (COURSE.md §4).

    Parameters
    ----------
    frame : DataFrame
        One row per complaint.
    column_map : mapping, optional
        The user's header → canonical field (see :data:`COMPLAINT_FIELDS`), e.g.
        ``{"Ticket": "complaint_id", "Opened": "date", "Text": "story"}``.  Common Chinese
        headers (投诉人, 日期, 投诉内容, 责任部门 …, :data:`COMPLAINT_ALIASES`) are mapped
        without being listed.
    satisfaction_scale : (low, high)
        Range of ``satisfaction_after``.
    today, path, strict
        As in :func:`validate_transactions`.
    date_format, tz
        How to read text dates and the zone timestamps are given in
        (:func:`csworkbench.schema._common.parse_dates`: nothing is guessed; ``05/06/2024``,
        ``24/3/5``, ``3/7`` and ``次日`` are listed unless ``date_format=`` says how to read them).

    Returns
    -------
    Validated
        ``data`` has the canonical field names (other columns pass through), ``date`` and
        ``resolved_at`` as datetime64, ``service_aspect`` normalised to
        attitude/quality/price/environment/facilities, ``satisfaction_after`` as float.
        Rows without an id, a date or a story are dropped and listed.  Complaint ids are text
        (``0456`` and ``456`` are two complaints).  Every handling-step timestamp present
        (``acknowledged_at``, ``cause_found_at``, ``resolved_at``, ``followed_up_at``, or their
        Chinese headers :data:`STEP_ALIASES`) is read like the receipt date and checked for order:
        a step before the receipt or before an earlier step is listed and set missing (so it
        never counts as done within a service level, and no time comes out negative).  Headers are matched
        after trimming spaces, and a problem in an aliased column names the file's header
        too.  ``channel`` is mapped to the codes of ``csworkbench.complaints.CHANNEL_LEVEL``
        (电话 → phone, 消协 → consumer_association; unknown channels kept and flagged).
        Free text longer than Excel's cell limit, or holding HTML/script markup, is kept
        verbatim and flagged; a field column that is entirely empty is flagged.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"编号": ["C1", "C2"], "日期": ["2024-05-01", "2024-05-02"],
    ...                     "投诉内容": ["送货太慢", ""], "服务方面": ["态度", "质量"]})
    >>> clean, problems = validate_complaints(raw, today="2025-01-01")
    >>> clean["service_aspect"].tolist(), problems["problem"].tolist()
    (['attitude'], ["missing story (what happened) (the file's column '投诉内容')"])
    """
    coll = Problems(path=_source(frame, path), strict=strict)
    data, mapping = _map_headers(frame, column_map, coll)
    coll.headers = {canonical: str(user) for user, canonical in mapping.items()}
    _require_columns(data, list(COMPLAINT_REQUIRED), coll, "a complaint log")
    keep = ~_empty_rows(data)
    coll.add("empty_row", rows=_rows(~keep), action="dropped")
    _check_empty_fields(data, keep, coll)
    keep = _check_ids_and_stories(data, keep, coll)
    keep, dates = _check_received(data, keep, today, coll, date_format, tz)
    _check_steps(data, dates, keep, coll, date_format, tz)

    if "service_aspect" in data.columns:
        data["service_aspect"] = _check_aspects(data["service_aspect"], keep, coll)

    if "channel" in data.columns:
        data["channel"] = _check_channels(data["channel"], keep, coll)

    if "satisfaction_after" in data.columns:
        data["satisfaction_after"] = _check_scores(
            data["satisfaction_after"], "satisfaction_after", satisfaction_scale, coll
        )

    _check_free_text(data, keep, coll)

    data = data[keep].reset_index(drop=True)
    if data.empty:
        raise coll.fail("no valid complaint left after validation (see the problems table)")
    data.attrs.update(frame.attrs)
    return Validated(data, coll.frame(sort=True))


def _check_empty_fields(data: pd.DataFrame, keep: np.ndarray, coll: Problems) -> None:
    """Fail on a required field whose column is empty; flag an empty optional one."""
    for fld in COMPLAINT_FIELDS:
        if fld in data.columns and keep.any() and _blank(data[fld]).to_numpy()[keep].all():
            if fld in COMPLAINT_REQUIRED:
                raise coll.fail(
                    f"every {COMPLAINT_FIELDS[fld]} is missing: the column is empty, so no complaint can be used",
                    column=fld,
                )
            coll.add("all_values_missing", column=fld, column_name=repr(fld))


def _check_ids_and_stories(data: pd.DataFrame, keep: np.ndarray, coll: Problems) -> np.ndarray:
    """Drop (and list) records without an id or a story and repeated ids; ids become text
    (:func:`clean_ids`: leading zeros kept, so 0456 and 456 are two complaints)."""
    ids = clean_ids(
        data["complaint_id"], column="complaint_id", problems=coll, keep=keep, missing="missing_complaint_id"
    )
    keep = keep & ids.notna().to_numpy()
    blank = _blank(data["story"]).to_numpy() & keep
    coll.add(
        "missing_story", rows=_rows(blank), column="story", values=data["story"].to_numpy()[blank], action="dropped"
    )
    keep = keep & ~blank
    # the first *usable* record of an id is kept (a dropped record does not make a later one a duplicate)
    dup = ids.where(keep).duplicated(keep="first").fillna(False).to_numpy(dtype=bool) & keep & ids.notna().to_numpy()
    coll.add(
        "duplicate_complaint", rows=_rows(dup), column="complaint_id", values=ids.to_numpy()[dup], action="dropped"
    )
    data["complaint_id"] = ids
    return keep & ~dup


def _check_received(
    data: pd.DataFrame,
    keep: np.ndarray,
    today: str | pd.Timestamp | None,
    coll: Problems,
    date_format: str | None = None,
    tz: str = DEFAULT_TZ,
) -> tuple[np.ndarray, pd.Series]:
    """Receipt dates: missing or unreadable ones dropped (and listed), future ones flagged."""
    dates = parse_dates(
        data["date"], column="date", problems=coll, date_format=date_format, tz=tz, keep=keep, action="dropped"
    )
    blank = _blank(data["date"]).to_numpy()
    coll.add("missing_date", rows=_rows(blank & keep), column="date", action="dropped")
    keep = keep & dates.notna().to_numpy()
    limit = pd.Timestamp(today) if today is not None else pd.Timestamp.now().normalize() + pd.Timedelta(days=1)
    future = (dates > limit).fillna(False).to_numpy(dtype=bool) & keep
    coll.add("future_date", rows=_rows(future), column="date", values=dates.to_numpy()[future], limit=str(limit.date()))
    data["date"] = dates
    return keep, dates


def _check_steps(
    data: pd.DataFrame, dates: pd.Series, keep: np.ndarray, coll: Problems, date_format: str | None, tz: str
) -> None:
    """Handling-step timestamps (HANDLING_STEPS, in their order): read without guessing; a step
    before the receipt or before an earlier step is listed and set missing."""
    earlier = pd.Series(dates, index=data.index).astype("datetime64[us]")
    previous = "date"
    for step in HANDLING_STEPS:
        if step not in data.columns:
            continue
        values = parse_dates(data[step], column=step, problems=coll, date_format=date_format, tz=tz, keep=keep)
        before_received = (values < dates).fillna(False).to_numpy(dtype=bool) & keep
        code = "resolved_before_received" if step == "resolved_at" else "step_before_received"
        coll.add(
            code,
            rows=_rows(before_received),
            column=step,
            values=values.to_numpy()[before_received],
            action="kept_nan",
            step=step,
        )
        out_of_order = (values < earlier).fillna(False).to_numpy(dtype=bool) & keep & ~before_received
        coll.add(
            "step_before_previous",
            rows=_rows(out_of_order),
            column=step,
            values=values.to_numpy()[out_of_order],
            action="kept_nan",
            step=step,
            previous=previous,
        )
        values = values.where(~(before_received | out_of_order))
        data[step] = values
        later = values.notna() & ((values > earlier) | earlier.isna())
        earlier = earlier.where(~later, values)
        previous = step


def _check_aspects(raw_aspect: pd.Series, keep: np.ndarray, coll: Problems) -> pd.Series:
    """Service aspects → the course's five (态度 → attitude); unknown ones listed and set missing."""
    aspect = raw_aspect.astype("string").str.strip()
    aspect = aspect.map(lambda v: ASPECT_ALIASES.get(v, v.lower()) if isinstance(v, str) else v).astype("string")
    bad_a = (~aspect.isin(SERVICE_ASPECTS) & aspect.notna()).fillna(False).to_numpy(dtype=bool) & keep
    coll.add(
        "bad_aspect",
        rows=_rows(bad_a),
        column="service_aspect",
        values=raw_aspect.to_numpy()[bad_a],
        action="kept_nan",
        aspects=", ".join(SERVICE_ASPECTS),
    )
    return aspect.where(~pd.Series(bad_a, index=aspect.index))
