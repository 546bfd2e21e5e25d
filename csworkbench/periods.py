"""Reporting periods (报告期): one meaning of ``period`` in every notebook and report.

A *period* is a calendar span written as text:

==============  =====================================  ==============
text            meaning                                previous
==============  =====================================  ==============
``""``          all data (no filter)                   none
``"2026"``      the calendar year 2026                 ``"2025"``
``"2026-Q3"``   the third quarter of 2026              ``"2026-Q2"``
``"2026-10"``   October 2026                           ``"2026-09"``
==============  =====================================  ==============

``"last-month"`` / ``"this-month"`` / ``"last-quarter"`` are resolved against today's date by
:func:`resolve_period` (the batch runner's ``--period``).  Every report notebook that
declares a ``period`` parameter filters its rows with :func:`filter_period` (rows whose date
falls inside the span, boundaries included, in the data's own time zone) — the data's dates
are never shifted to fit.  The batch runner uses :meth:`Period.previous` to find last
period's figures for the "change since last period" column.

Examples
--------
>>> p = Period.parse("2026-Q3")
>>> p.start.date(), p.end.date(), p.previous().text
(datetime.date(2026, 7, 1), datetime.date(2026, 9, 30), '2026-Q2')
>>> Period.parse("2026-01").previous().text
'2025-12'
>>> Period.parse("2026-10").label("zh"), Period.parse("2026-10").label("en")
('2026年10月', 'Oct 2026')
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

import pandas as pd

from .errors import DataError, ParameterError

__all__ = ["Period", "resolve_period", "filter_period"]

_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>0[1-9]|1[0-2])|[Qq](?P<quarter>[1-4])))?$")
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_EXPECTED = "a period like 2026, 2026-Q3, 2026-10, last-month or '' (all data)"


@dataclass(frozen=True)
class Period:
    """A calendar year, quarter or month; ``Period.parse("")`` is *all data* (``kind == "all"``).

    Attributes
    ----------
    text : str
        The canonical text (``"2026"``, ``"2026-Q3"``, ``"2026-10"`` or ``""``).
    kind : {"all", "year", "quarter", "month"}
    """

    text: str
    kind: str

    @classmethod
    def parse(cls, text: str | None) -> Period:
        """Parse a period's text; raise :class:`~csworkbench.errors.ParameterError` if malformed.

        >>> Period.parse("2026-q4").text
        '2026-Q4'
        """
        raw = "" if text is None else str(text).strip()
        if raw == "":
            return cls("", "all")
        match = _PATTERN.match(raw)
        if not match:
            raise ParameterError(f"period must be {_EXPECTED}; got {raw!r}")
        year = match["year"]
        if match["month"]:
            return cls(f"{year}-{match['month']}", "month")
        if match["quarter"]:
            return cls(f"{year}-Q{match['quarter']}", "quarter")
        return cls(year, "year")

    @property
    def is_all(self) -> bool:
        """True for the empty period (all data)."""
        return self.kind == "all"

    def _pandas(self) -> pd.Period:
        if self.is_all:
            raise ParameterError("the empty period (all data) has no start, end or previous period")
        freq = {"year": "Y", "quarter": "Q", "month": "M"}[self.kind]
        return pd.Period(self.text.replace("-Q", "Q"), freq=freq)

    @property
    def start(self) -> pd.Timestamp:
        """First instant of the period (midnight of its first day)."""
        return self._pandas().start_time

    @property
    def end(self) -> pd.Timestamp:
        """Last instant of the period (its last day, 23:59:59.999999999)."""
        return self._pandas().end_time

    def previous(self) -> Period:
        """The period of the same kind just before this one.

        >>> Period.parse("2026").previous().text
        '2025'
        """
        p = self._pandas() - 1
        if self.kind == "month":
            return Period(f"{p.year:04d}-{p.month:02d}", "month")
        if self.kind == "quarter":
            return Period(f"{p.year:04d}-Q{p.quarter}", "quarter")
        return Period(f"{p.year:04d}", "year")

    def label(self, lang: str = "zh") -> str:
        """The period as a reader writes it: ``2026年第3季度`` / ``Q3 2026``; all data: ``全部数据`` / ``all data``."""
        zh = lang == "zh"
        if self.is_all:
            return "全部数据" if zh else "all data"
        p = self._pandas()
        if self.kind == "year":
            return f"{p.year}年" if zh else f"{p.year}"
        if self.kind == "quarter":
            return f"{p.year}年第{p.quarter}季度" if zh else f"Q{p.quarter} {p.year}"
        return f"{p.year}年{p.month}月" if zh else f"{_EN_MONTHS[p.month - 1]} {p.year}"

    def __str__(self) -> str:
        return self.text


def resolve_period(period: str | None, today: _dt.date | None = None) -> str:
    """Resolve ``last-month``, ``this-month``, ``last-quarter`` and check a period's text.

    Returns the canonical text (``""`` for all data).

    >>> resolve_period("last-month", today=_dt.date(2026, 1, 15))
    '2025-12'
    >>> resolve_period("last-quarter", today=_dt.date(2026, 1, 15))
    '2025-Q4'
    """
    text = "" if period is None else str(period).strip()
    today = today or _dt.date.today()
    this_month = Period(f"{today.year:04d}-{today.month:02d}", "month")
    if text == "this-month":
        return this_month.text
    if text == "last-month":
        return this_month.previous().text
    if text == "last-quarter":
        return Period(f"{today.year:04d}-Q{(today.month - 1) // 3 + 1}", "quarter").previous().text
    return Period.parse(text).text


def filter_period(frame: pd.DataFrame, period: str | Period = "", *, date: str = "date") -> pd.DataFrame:
    """Rows of ``frame`` whose ``date`` column falls inside ``period`` (``""`` keeps every row).

    Parameters
    ----------
    frame : DataFrame
        Validated data with a datetime column ``date`` (time-zone aware or naive; an aware
        column is compared in its own zone, never converted).
    period : str or Period
        See the module docstring.
    date : str
        Name of the date column.

    Raises
    ------
    ParameterError
        If the period is malformed.
    DataError
        If ``date`` is missing or not a date column, or the period holds no rows (a report on
        nothing is an error, not an empty page); the message gives the span the data cover.

    Examples
    --------
    >>> tx = pd.DataFrame({"date": pd.to_datetime(["2026-09-30", "2026-10-01", "2026-12-31"])})
    >>> len(filter_period(tx, "2026-Q4")), len(filter_period(tx, ""))
    (2, 3)
    """
    p = period if isinstance(period, Period) else Period.parse(period)
    if p.is_all:
        return frame
    if date not in frame.columns:
        raise DataError(f"has no date column to filter period {p.text!r} by", column=date)
    dates = frame[date]
    if not pd.api.types.is_datetime64_any_dtype(dates):
        raise DataError(f"must hold dates to filter period {p.text!r}; got dtype {dates.dtype}", column=date)
    start, end = p.start, p.end
    tz = getattr(dates.dt, "tz", None)
    if tz is not None:
        start, end = start.tz_localize(tz), end.tz_localize(tz)
    mask = (dates >= start) & (dates <= end)
    if not mask.any():
        present = dates.dropna()
        span = f"{present.min():%Y-%m-%d} to {present.max():%Y-%m-%d}" if len(present) else "no dates at all"
        raise DataError(f"period {p.text!r} holds no rows; the data run from {span}", column=date)
    return frame.loc[mask]
