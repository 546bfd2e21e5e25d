"""Error and warning types of csworkbench (错误类型).

Every problem with a user's input is raised as a :class:`CSWError` subclass whose
message says *what was expected and what was found*, and — where they apply — names
the file, the column and the row.  Nothing in the package uses ``assert`` for user
input; tests check that bad input never escapes as a bare traceback.

Rows are reported as they appear to a person: ``row`` is the 1-based data row
(the first row under the header is row 1) unless a caller states otherwise.

Examples
--------
>>> from csworkbench.errors import DataError
>>> e = DataError("must hold numbers 0–10; got 'n/a'", path="survey.csv", column="EXPE3", row=17)
>>> str(e)
"survey.csv: column 'EXPE3', row 17: must hold numbers 0–10; got 'n/a'"
>>> isinstance(e, ValueError)
True
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path
from typing import Any

__all__ = [
    "CSWError",
    "DataError",
    "ModelError",
    "ParameterError",
    "ConvergenceError",
    "ReportError",
    "CSWWarning",
    "DataWarning",
]


class CSWError(Exception):
    """Base class of every error raised by csworkbench on purpose."""


def _where(path: Any, column: Any, row: Any) -> str:
    """``"file.csv: column 'x', row 3"`` from whichever of the three are known."""
    fields = []
    if column is not None:
        fields.append(f"column {str(column)!r}")
    if row is not None:
        fields.append(f"row {row}")
    name = Path(path).name if isinstance(path, (str, PathLike)) else path
    if name is None:
        return ", ".join(fields)
    return f"{name}: {', '.join(fields)}" if fields else str(name)


class DataError(CSWError, ValueError):
    """Bad input data: the file, column and row it concerns, what was expected, what was found.

    Parameters
    ----------
    message : str
        What was expected and what was found, e.g. ``"must hold numbers 1–7; got 'x'"``.
    path : str or path-like, optional
        The file the data came from (only its name is shown, so published reports
        never leak local folders; the full path stays on ``.path``).
    column : str, optional
        The column concerned.
    row : int, optional
        The 1-based data row concerned.
    problems : pandas.DataFrame, optional
        With ``strict=False`` validation collects every problem; when it raises
        after all (e.g. nothing is left), the whole table travels here.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | PathLike | None = None,
        column: str | None = None,
        row: int | None = None,
        problems: Any = None,
    ) -> None:
        self.message = message
        self.path = path
        self.column = column
        self.row = row
        self.problems = problems
        where = _where(path, column, row)
        super().__init__(f"{where}: {message}" if where else message)

    def __reduce__(self):  # keep picklable across processes (papermill, dask)
        return (_rebuild_data_error, (self.message, self.path, self.column, self.row))


def _rebuild_data_error(message, path, column, row):
    return DataError(message, path=path, column=column, row=row)


class ModelError(CSWError, ValueError):
    """A model is specified wrongly or cannot be estimated on the data given."""


class ParameterError(CSWError, ValueError):
    """A function or estimator was given a bad argument (a confidence level of 1.5, an unknown
    ``lang``, ``n_boot=-1``, a mapping to a field that does not exist).

    The one error type for bad parameters across the package; bad *data* — including a column
    the data lack — raise :class:`DataError`, which names the file, column and row.
    """


class ConvergenceError(ModelError):
    """An iterative estimator did not converge; the message gives iterations and last change."""


class ReportError(CSWError, RuntimeError):
    """A report could not be produced (batch run description, execution or export)."""


class CSWWarning(UserWarning):
    """Base class of csworkbench warnings."""


class DataWarning(CSWWarning):
    """Data were usable but something was adjusted or excluded; the message says what and where."""
