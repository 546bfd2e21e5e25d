"""Reading data in (数据读取): one call for every file a researcher or an analyst brings.

:func:`read_table` reads CSV/TSV/TXT, Excel (``.xlsx``/``.xlsm``), SPSS (``.sav``/``.zsav``),
Parquet (a file or a dataset folder) and SQL queries against a database URL (SQLite at
least; any SQLAlchemy URL works when its driver is installed).  It knows nothing about
satisfaction: checking what the columns mean is :mod:`csworkbench.schema`'s job.

Encodings
---------
Chinese Excel users save CSV as GB18030/GBK (Excel's "CSV" on a Chinese Windows) or as
UTF-8 with a BOM ("CSV UTF-8").  The detection is explicit, never a silent wrong guess:

1. a byte-order mark decides (UTF-8-sig, UTF-16 LE/BE);
2. otherwise strict UTF-8 is tried on the whole file;
3. then strict GB18030, accepted only when the non-ASCII text it yields is Chinese
   (CJK ideographs and CJK punctuation make up at least 90 % of it);
4. then ``charset-normalizer`` proposes an encoding; the result is used with a
   :class:`~csworkbench.errors.DataWarning` saying which encoding was guessed, so the
   user can pass ``encoding=`` to be sure;
5. nothing fits → :class:`~csworkbench.errors.DataError` naming the file, the line of the
   first undecodable byte, and what to do.

An explicit ``encoding=`` is applied strictly: undecodable bytes raise a ``DataError``
with the line number instead of being replaced.

Missing values
--------------
Only empty cells are missing.  Strings such as ``"n/a"``, ``"NA"`` or ``"-"`` are kept as
text so that validation can report them by row and column instead of turning them into
NaN behind the user's back.  SPSS user-missing codes (for example 99 = "no answer") are
read as missing, and the codes are kept in ``frame.attrs["missing_ranges"]``.

Provenance
----------
Every frame carries ``frame.attrs["source"]`` (the path or URL as given) and, where it
applies, ``encoding``, ``sheet``, ``variable_labels`` and ``value_labels``.

Examples
--------
>>> import tempfile, pathlib
>>> from csworkbench.io import read_table
>>> p = pathlib.Path(tempfile.mkdtemp()) / "survey.csv"
>>> _ = p.write_bytes("编号,满意度\\n1,7\\n2,\\n".encode("gb18030"))
>>> df = read_table(p)
>>> df.attrs["encoding"], list(df.columns), df["满意度"].isna().sum()
('gb18030', ['编号', '满意度'], 1)
"""

from __future__ import annotations

import csv
import io as _io
import re
import warnings
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import DataError, DataWarning

__all__ = ["read_table", "detect_encoding", "SUPPORTED_EXTENSIONS"]

TEXT_EXTENSIONS = {".csv", ".tsv", ".txt"}
EXCEL_EXTENSIONS = {".xlsx", ".xlsm"}
SPSS_EXTENSIONS = {".sav", ".zsav"}
PARQUET_EXTENSIONS = {".parquet", ".pq"}
SUPPORTED_EXTENSIONS = TEXT_EXTENSIONS | EXCEL_EXTENSIONS | SPSS_EXTENSIONS | PARQUET_EXTENSIONS
_URL_RE = re.compile(r"^[a-z][a-z0-9+]*://", re.IGNORECASE)
_NA_VALUES = [""]

_CJK_RE = re.compile(
    "[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u2018-\u201d\u2026\u00b7]"
)


def _line_of(data: bytes, offset: int) -> int:
    """1-based line number of a byte offset."""
    return data.count(b"\n", 0, offset) + 1


def detect_encoding(data: bytes, path: str | PathLike | None = None) -> tuple[str, bool]:
    """Detect the text encoding of ``data``.

    Returns
    -------
    (encoding, certain) : tuple of str and bool
        ``certain`` is False when the encoding was guessed statistically
        (charset-normalizer); callers should warn in that case.

    Raises
    ------
    DataError
        When no encoding decodes the bytes.

    Examples
    --------
    >>> detect_encoding("价格,服务".encode("gb18030"))
    ('gb18030', True)
    >>> detect_encoding(b"\\xef\\xbb\\xbfa,b")
    ('utf-8-sig', True)
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig", True
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", True
    try:
        data.decode("utf-8")
        return "utf-8", True
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        non_ascii = [c for c in text if ord(c) > 127]
        if non_ascii and sum(bool(_CJK_RE.match(c)) for c in non_ascii) / len(non_ascii) >= 0.9:
            return "gb18030", True
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding:
        return best.encoding, False
    raise DataError(
        f"cannot decode the file as UTF-8 or GB18030 (first bad byte on line "
        f"{_line_of(data, utf8_error.start)}); save it as 'CSV UTF-8' or pass encoding=…",
        path=path,
    )


def _check_header(frame: pd.DataFrame, path: Any, raw_names: list[Any] | None = None) -> None:
    """Every column named, no name twice (``raw_names``: the header as written, before pandas
    renames duplicates to ``x.1`` and blanks to ``Unnamed: 2``)."""
    names = [("" if n is None else str(n)) for n in raw_names] if raw_names is not None else [str(c) for c in frame.columns]
    seen: dict[str, int] = {}
    for i, name in enumerate(names, start=1):
        if name.strip() == "" or name.startswith("Unnamed: "):
            raise DataError(
                f"column {i} has no name in the header row; give every column a name "
                "(or pass header=None / skiprows=… if the file has no or several header rows)",
                path=path,
            )
        if name in seen:
            raise DataError(
                f"the header names column {name!r} twice (columns {seen[name]} and {i}); "
                "column names must be unique",
                path=path,
                column=name,
            )
        seen[name] = i


def _sniff_delimiter(sample: str, extension: str) -> str:
    if extension == ".tsv":
        return "\t"
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _read_text(path: Path, options: dict[str, Any]) -> pd.DataFrame:
    data = path.read_bytes()
    if not data.strip():
        raise DataError("the file is empty; expected a header row and data rows", path=path)
    head = data[:8192]
    encoding = options.pop("encoding", None)
    if encoding is None:
        if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise DataError(
                "the file holds binary data (NUL bytes), not text; is it an Excel or other "
                "binary file renamed to .csv? Save it as CSV or give it its real extension",
                path=path,
            )
        encoding, certain = detect_encoding(data, path)
        if not certain:
            warnings.warn(
                f"{path.name}: encoding not certain, read as {encoding!r}; pass encoding=… to be sure",
                DataWarning,
                stacklevel=3,
            )
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DataError(
            f"bytes on line {_line_of(data, exc.start)} are not valid {encoding}; "
            "check the encoding (UTF-8 or GB18030?) and pass encoding=…",
            path=path,
        ) from None
    except LookupError:
        raise DataError(f"unknown encoding {encoding!r}", path=path) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    sep = options.pop("sep", None) or options.pop("delimiter", None) or _sniff_delimiter(text[:8192], path.suffix.lower())
    kwargs: dict[str, Any] = {"sep": sep, "keep_default_na": False, "na_values": _NA_VALUES}
    kwargs.update(options)
    try:
        frame = pd.read_csv(_io.StringIO(text), **kwargs)
    except pd.errors.EmptyDataError:
        raise DataError("the file has no columns; expected a header row and data rows", path=path) from None
    except pd.errors.ParserError as exc:
        match = re.search(r"line (\d+)", str(exc))
        detail = f" on line {match.group(1)}" if match else ""
        raise DataError(
            f"rows have different numbers of fields{detail} (expected a rectangular table "
            f"separated by {sep!r}): {exc}",
            path=path,
        ) from None
    if options.get("header", "infer") in ("infer", 0) and "names" not in options and not options.get("skiprows"):
        first_line = next(csv.reader(_io.StringIO(text[: text.find("\n") if "\n" in text else len(text)]), delimiter=sep), [])
        if len(first_line) == len(frame.columns):
            frame.attrs["_raw_header"] = first_line
    frame.attrs["encoding"] = encoding
    frame.attrs["delimiter"] = sep
    return frame


def _read_excel(path: Path, options: dict[str, Any]) -> pd.DataFrame:
    sheet = options.pop("sheet", options.pop("sheet_name", 0))
    try:
        frame = pd.read_excel(path, sheet_name=sheet, engine="openpyxl", na_values=_NA_VALUES,
                              keep_default_na=False, **options)
    except ValueError as exc:
        if "Worksheet" in str(exc) or "not found" in str(exc):
            from openpyxl import load_workbook

            names = load_workbook(path, read_only=True).sheetnames
            raise DataError(f"no sheet {sheet!r}; the workbook has {names}", path=path) from None
        raise DataError(f"cannot read the workbook: {exc}", path=path) from None
    except Exception as exc:  # zipfile.BadZipFile, openpyxl errors, KeyError
        raise DataError(
            f"not a readable .xlsx workbook ({type(exc).__name__}: {exc}); open it in Excel "
            "and save it again as .xlsx",
            path=path,
        ) from None
    if options.get("header", 0) == 0 and not options.get("skiprows") and "names" not in options:
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True)
        try:
            ws = workbook[sheet] if isinstance(sheet, str) else workbook.worksheets[sheet]
            header = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
        finally:
            workbook.close()
        header = list(header)
        while header and header[-1] is None and len(header) > len(frame.columns):
            header.pop()
        if len(header) == len(frame.columns):
            frame.attrs["_raw_header"] = header
    frame.attrs["sheet"] = sheet
    return frame


def _read_spss(path: Path, options: dict[str, Any]) -> pd.DataFrame:
    import pyreadstat

    value_labels = options.pop("value_labels", "codes")
    if value_labels not in ("codes", "labels"):
        raise DataError(f"value_labels must be 'codes' or 'labels'; got {value_labels!r}", path=path)
    try:
        frame, meta = pyreadstat.read_sav(str(path), **options)
    except Exception as exc:  # pyreadstat.ReadstatError and friends
        raise DataError(f"not a readable SPSS .sav file ({exc}); re-save it from SPSS", path=path) from None
    frame.attrs["variable_labels"] = {k: v for k, v in meta.column_names_to_labels.items() if v}
    frame.attrs["value_labels"] = dict(meta.variable_value_labels)
    frame.attrs["missing_ranges"] = dict(getattr(meta, "missing_ranges", {}) or {})
    if value_labels == "labels":
        for column, mapping in meta.variable_value_labels.items():
            frame[column] = pd.Categorical(frame[column].map(mapping), categories=list(dict.fromkeys(mapping.values())))
    return frame


def _read_parquet(path: Path, options: dict[str, Any]) -> pd.DataFrame:
    try:
        return pd.read_parquet(path, **options)
    except Exception as exc:  # pyarrow.lib.ArrowInvalid etc.
        raise DataError(f"not a readable Parquet file or dataset ({exc})", path=path) from None


def _read_sql(url: str, options: dict[str, Any]) -> pd.DataFrame:
    query = options.pop("sql", None) or options.pop("query", None)
    table = options.pop("table", None)
    if query is None and table is None:
        raise DataError("a database URL needs sql='SELECT …' or table='name'", path=url)
    if query is None:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", str(table)):
            raise DataError(f"table name {table!r} is not a plain identifier", path=url)
        query = f"SELECT * FROM {table}"
    if url.startswith("sqlite:///"):
        db = Path(url[len("sqlite:///"):])
        if not db.exists():
            raise DataError("the SQLite database file does not exist", path=db)
    import sqlalchemy

    try:
        engine = sqlalchemy.create_engine(url)
        with engine.connect() as conn:
            frame = pd.read_sql(sqlalchemy.text(query), conn, **options)
    except Exception as exc:  # sqlalchemy.exc.*, driver errors
        raise DataError(f"the query failed ({type(exc).__name__}: {str(exc).splitlines()[0]})", path=_safe_url(url)) from None
    finally:
        if "engine" in locals():
            engine.dispose()
    frame.attrs["query"] = query
    return frame


def _safe_url(url: str) -> str:
    """The URL with any password replaced, for messages and provenance."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


def read_table(path: str | PathLike, **options: Any) -> pd.DataFrame:
    """Read a data file (or a database query) into a DataFrame.

    Parameters
    ----------
    path : str or path-like
        A ``.csv``/``.tsv``/``.txt``, ``.xlsx``/``.xlsm``, ``.sav``/``.zsav``, ``.parquet``
        file, a folder of Parquet files, or a database URL such as ``sqlite:///shop.db``.
    **options
        ``encoding`` and ``sep`` (text files; detected when absent), ``sheet`` (Excel,
        name or 0-based number, default the first), ``value_labels="codes"|"labels"``
        (SPSS; codes by default, labels kept in ``attrs`` either way), ``sql`` or
        ``table`` (databases), ``allow_empty`` (default False: a header with no rows is
        an error); anything else goes to the pandas reader (``dtype``, ``usecols``,
        ``skiprows``, ``header`` …).

    Returns
    -------
    pandas.DataFrame
        Blank cells are NaN; nothing else is converted to missing.  ``attrs`` holds the
        provenance (``source``, ``encoding``, ``sheet``, SPSS labels).

    Raises
    ------
    DataError
        Unknown extension, missing or unreadable file, empty file, undecodable bytes,
        a malformed table, or duplicate/blank column names — each naming the file and
        what to do.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text("id,score\\n1,5\\n2,n/a\\n", encoding="utf-8")
    >>> read_table(p)["score"].tolist()
    ['5', 'n/a']
    """
    allow_empty = options.pop("allow_empty", False)
    source = str(path)
    if isinstance(path, str) and _URL_RE.match(path):
        frame = _read_sql(path, options)
        source = _safe_url(path)
    else:
        p = Path(path)
        ext = p.suffix.lower()
        if not p.exists():
            raise DataError("file not found; check the path (relative paths start from the "
                            f"current folder, {Path.cwd().name}/)", path=p)
        if p.is_dir():
            if any(p.rglob("*.parquet")):
                frame = _read_parquet(p, options)
            else:
                raise DataError("is a folder without Parquet files; give a file", path=p)
        elif ext not in SUPPORTED_EXTENSIONS:
            raise DataError(
                f"unknown file type {ext or '(no extension)'!r}; read_table understands "
                f"{', '.join(sorted(SUPPORTED_EXTENSIONS))} and database URLs (sqlite:///file.db)",
                path=p,
            )
        else:
            try:
                size = p.stat().st_size
                with p.open("rb"):
                    pass
            except OSError as exc:
                raise DataError(f"cannot open the file ({exc.strerror})", path=p) from None
            if size == 0:
                raise DataError("the file is empty (0 bytes); expected a header row and data rows", path=p)
            if ext in TEXT_EXTENSIONS:
                frame = _read_text(p, options)
            elif ext in EXCEL_EXTENSIONS:
                frame = _read_excel(p, options)
            elif ext in SPSS_EXTENSIONS:
                frame = _read_spss(p, options)
            else:
                frame = _read_parquet(p, options)
        path = p
    raw_header = frame.attrs.pop("_raw_header", None)
    if not isinstance(frame.columns, pd.MultiIndex):
        _check_header(frame, path, raw_header)
    if len(frame) == 0 and not allow_empty:
        raise DataError(
            f"has a header ({len(frame.columns)} columns) but no data rows; "
            "pass allow_empty=True if an empty table is expected",
            path=path,
        )
    frame.attrs["source"] = source
    return frame
