"""Validation of the three kinds of data the course works with (数据校验).

* **Surveys** (问卷): answers on a rating scale (1–7, 0–10 …), wide (one row per
  respondent, one column per item) or long (``respondent, item, kind, score``), with
  expectation/perception pairs (期望 E / 感知 P) as in SERVQUAL and the triangle rule.
* **Transactions** (交易记录): customer id, date, amount, optional quantity and margin —
  the raw material of the customer pyramid, RFM and CLV.
* **Complaint records** (顾客抱怨记录): the fields the course lists (COURSE.md §4):
  complainant and contact, date, product and batch or service act / staff, usage or
  service aspect, the story, the loss and the request, the receiver; plus channel,
  region, department, status and the handling outcome.

Every validator returns ``Validated(data, problems)``:

``data``
    the clean frame — the same rows (less those listed as ``dropped``), numeric columns
    as numbers, dates as ``datetime64``, blanks as NaN (never zero);
``problems``
    a tidy frame with columns ``row`` (1-based data row of the input, the first row under
    the header being row 1), ``column``, ``value`` (as found, text), ``problem`` (what was
    expected and what was found) and ``action`` (``kept as NaN``, ``dropped``,
    ``flagged``).

What every validator checks besides its own fields: rows in which every cell is blank are
``dropped`` and listed; text such as ``NaN``/``NULL`` in an id column is a missing id; dates
are read from ISO text, Chinese dates (2024年3月31日), d/m/y or m/d/y (the order told from the
column, flagged when it cannot be), yyyymmdd numbers and Excel serial numbers — a value that
does not fit the column's form is listed, never guessed; Excel error values that
:func:`csworkbench.io.read_table` read as blank are reported as the error they were.

With ``strict=True`` the first problem raises a :class:`~csworkbench.errors.DataError`
instead.  A problem that leaves nothing to analyse (a required column missing, no valid
row left) raises in either mode.

Examples
--------
>>> import pandas as pd
>>> from csworkbench.schema import validate_survey
>>> raw = pd.DataFrame({"id": [1, 2, 3], "E1": [7, 6, None], "P1": ["5", "n/a", 9]})
>>> clean, problems = validate_survey(raw, id_column="id", scale=(1, 7))
>>> clean["P1"].tolist()
[5.0, nan, nan]
>>> problems[["row", "column", "value", "action"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
[{'row': 2, 'column': 'P1', 'value': 'n/a', 'action': 'kept as NaN'},
 {'row': 3, 'column': 'P1', 'value': '9', 'action': 'kept as NaN'}]
"""

from __future__ import annotations

from ..codes import (
    COMPLAINT_ALIASES,
    COMPLAINT_FIELDS,
    COMPLAINT_REQUIRED,
    PROBLEM_COLUMNS,
    SERVICE_ASPECTS,
)
from ._common import Validated
from .complaints import validate_complaints
from .survey import survey_to_long, validate_survey
from .transactions import validate_transactions

__all__ = [
    "Validated",
    "PROBLEM_COLUMNS",
    "COMPLAINT_FIELDS",
    "COMPLAINT_REQUIRED",
    "COMPLAINT_ALIASES",
    "SERVICE_ASPECTS",
    "validate_survey",
    "validate_transactions",
    "validate_complaints",
    "survey_to_long",
]
