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

Tables as spreadsheets leave them
---------------------------------
Row numbers in every message are the rows a person sees: a blank line inside a CSV stays an
empty row (the validators list and drop it) instead of silently shifting the rows below it;
only empty rows at the end and nameless empty columns at the right are trimmed
(``attrs["trimmed"]``).  A row with fewer fields than the header, a quote that is never
closed, a stray NUL byte, UTF-16 without a byte-order mark and a workbook renamed to ``.csv``
are refused with the line or row named.  In a workbook, what pandas cannot see is read from
the sheet's XML: a formula stored without a computed value (a file written by a script —
pandas would read it as blank) and merged cells in the data area (blank but for the first
cell; ``merged_cells="fill"`` copies the value instead) raise a ``DataError`` naming the
cell, column and row; Excel error values (``#N/A``) and hidden rows give a
:class:`~csworkbench.errors.DataWarning` (``attrs["excel_errors"]``, ``attrs["hidden_rows"]``).

Ids are text
------------
An id keeps its leading zeros (``000123`` is not ``123``).  Columns whose name says they hold
ids (:func:`looks_like_id`: ``customer_id``, ``respondent``, ``编号``, ``工号``, ``Ticket No.`` …)
and those named in ``id_columns=`` are read as text from CSV and workbooks; any other CSV column
written with leading zeros, or with more digits than a float keeps, is kept as text too
(``attrs["text_columns"]``).  In a workbook, text cells are kept as written and numbers formatted
``00000`` are zero-padded as Excel shows them; SPSS ``N`` formats (``N6``) likewise.  Parquet and
SQL keep the types they store; the validators turn numeric ids into text
(:func:`csworkbench.schema._common.clean_ids`), listing ids damaged before they reached us.

A data row with more fields than the header (a value with an unquoted separator) would shift
every value under the wrong column: it is refused with the line named ("shifted rows").  Two
headers that differ only in full-width/half-width characters (``Ｐ1`` next to ``P1``) are refused.

Missing values
--------------
Only empty cells are missing.  Strings such as ``"n/a"``, ``"NA"`` or ``"-"`` are kept as
text so that validation can report them by row and column instead of turning them into
NaN behind the user's back.  SPSS user-missing codes (for example 99 = "no answer") are
read as missing, and the declared ranges are kept in ``frame.attrs["missing_ranges"]``
(``{"q1": [{"lo": 99.0, "hi": 99.0}]}``).  Undeclared codes stay numbers; validation lists
them as outside the scale and says they look like missing-value codes.

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

import numpy as np
import pandas as pd

from .errors import DataError, DataWarning
from .io_excel import _check_sheet_cells, _excel_text_columns, looks_like_id

__all__ = ["read_table", "detect_encoding", "looks_like_id", "SUPPORTED_EXTENSIONS"]

TEXT_EXTENSIONS = {".csv", ".tsv", ".txt"}
EXCEL_EXTENSIONS = {".xlsx", ".xlsm"}
SPSS_EXTENSIONS = {".sav", ".zsav"}
PARQUET_EXTENSIONS = {".parquet", ".pq"}
SUPPORTED_EXTENSIONS = TEXT_EXTENSIONS | EXCEL_EXTENSIONS | SPSS_EXTENSIONS | PARQUET_EXTENSIONS
_SAVE_AS = {
    ".xls": "old Excel 97–2003 (.xls)",
    ".xlsb": "Excel binary (.xlsb)",
    ".ods": "OpenDocument (.ods)",
    ".et": "WPS spreadsheet (.et)",
    ".numbers": "Apple Numbers (.numbers)",
}
_SAVE_HOW = "open the file and save it as .xlsx (Excel Workbook) or as CSV UTF-8"
_URL_RE = re.compile(r"^[a-z][a-z0-9+]*://", re.IGNORECASE)
_NA_VALUES = [""]

_CJK_RE = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u2018-\u201d\u2026\u00b7]")


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def _chinese_runs(text: str) -> float:
    """Share of the non-ASCII characters that stand next to another non-ASCII character.

    Valid GBK text in traditional or rare characters (outside GB2312) is written in words of two or
    more characters; Latin-1 text misread as GB18030 gives single characters between ASCII letters
    ('Montréal' → 'Montr' + one character + 'l')."""
    runs = re.findall(r"[^\x00-\x7f]+", text)
    total = sum(len(r) for r in runs)
    return sum(len(r) for r in runs if len(r) >= 2) / total if total else 0.0


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
        # GB18030 decodes many byte pairs, e.g. Latin-1 'é' + 'a' in "Montréal"; accept it only when
        # the text is Chinese *and* mostly GB2312 (the common characters real Chinese files hold)
        non_ascii = re.findall(r"[^\x00-\x7f]", text[:1_000_000])
        if non_ascii:
            cjk = sum(bool(_CJK_RE.match(c)) for c in non_ascii) / len(non_ascii)
            common = sum(_in_gb2312(c) for c in non_ascii) / len(non_ascii)
            if cjk >= 0.9 and (common >= 0.8 or _chinese_runs(text[:1_000_000]) >= 0.8):
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
    names = (
        [("" if n is None else str(n)) for n in raw_names] if raw_names is not None else [str(c) for c in frame.columns]
    )
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
                f"the header names column {name!r} twice (columns {seen[name]} and {i}); column names must be unique",
                path=path,
                column=name,
            )
        seen[name] = i
    import unicodedata

    normal: dict[str, str] = {}
    for name in names:
        key = unicodedata.normalize("NFKC", name).strip()
        if key in normal:
            first = normal[key]
            raise DataError(
                f"the header has columns {first!r} and {name!r}, which differ only in full-width/half-width "
                "characters or spaces (Ｐ1 and P1 are the same name typed differently); "
                "rename one of them so that every column has its own name",
                path=path,
                column=name,
            )
        normal[key] = name


def _sniff_delimiter(sample: str, extension: str) -> str:
    if extension == ".tsv":
        return "\t"
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _refuse_binary(data: bytes, path: Path) -> None:
    """Raise a DataError saying what a file with NUL bytes most likely is."""
    if data.startswith(b"PK\x03\x04"):
        raise DataError(
            "the file is a zip archive, most likely an Excel workbook (.xlsx) renamed to .csv; "
            "give it back its .xlsx extension (or save it from Excel as CSV)",
            path=path,
        )
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise DataError(
            "the file is an old Excel 97–2003 workbook (.xls) renamed to .csv; open it in Excel "
            "and save it as .xlsx or as CSV",
            path=path,
        )
    sample = data[:4096]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = max(1, len(sample) // 2)
    if max(even, odd) > 0.3 * half and min(even, odd) < 0.02 * half:
        order = "le" if odd > even else "be"
        raise DataError(
            f"the file looks like UTF-16 text without a byte-order mark (every other byte is 0); "
            f"pass encoding='utf-16-{order}' or save it as 'CSV UTF-8'",
            path=path,
        )
    control = sum(sample.count(b) for b in (*range(0, 9), *range(14, 27), *range(28, 32)))
    if data.count(0) > max(8, len(data) // 1000) or control > max(4, len(sample) // 100):
        raise DataError(
            "the file holds binary data (NUL bytes), not text; is it an Excel or other "
            "binary file renamed to .csv? Save it as CSV or give it its real extension",
            path=path,
        )
    # a few stray NUL bytes in a text file: _refuse_nul names the line once the text is decoded


_SINGLE_BYTE = {"latin-1", "iso8859-1", "iso8859-15", "cp1252", "cp1250", "cp1251", "mac-roman", "cp437", "cp850"}


def _refuse_mislabelled(data: bytes, text: str, encoding: str, path: Path) -> None:
    """A single-byte encoding (latin-1, cp1252 …) decodes any bytes, so a wrong ``encoding=``
    would silently garble Chinese text; refuse when the bytes are certainly UTF-8 or GB18030."""
    import codecs

    if codecs.lookup(encoding).name not in _SINGLE_BYTE or max(data[:65536], default=0) < 0x80:
        return
    try:
        actual, certain = detect_encoding(data, path)
    except DataError:
        return
    if certain and actual in ("utf-8", "utf-8-sig", "gb18030"):
        sample = next((line for line in text.splitlines() if any(ord(c) > 127 for c in line)), "")[:40]
        raise DataError(
            f"encoding={encoding!r} was given, but the file is {actual}: read as {encoding} the text "
            f"would be garbled ({sample!r}); pass encoding={actual!r} or leave encoding= out",
            path=path,
        )


def _first_record(text: str, sep: str) -> list[str]:
    """The header row's fields as the csv module splits them ([] when it cannot)."""
    end = text.find("\n")
    try:
        return next(csv.reader(_io.StringIO(text[: end if end >= 0 else len(text)], newline=""), delimiter=sep), [])
    except csv.Error:
        return []


def _refuse_nul(text: str, sep: str, path: Path) -> None:
    """A text file with a stray NUL character: name its line, data row and column."""
    at = text.index("\x00")
    line = text.count("\n", 0, at) + 1
    start = text.rfind("\n", 0, at) + 1
    field = text[start:at].count(sep) if len(sep) == 1 else None
    header = _first_record(text, sep)
    column = header[field] if field is not None and line > 1 and field < len(header) else None
    count = text.count("\x00")
    raise DataError(
        f"a NUL byte (\\x00, a sign of a damaged or partly binary export) on line {line}"
        f"{f' and {count - 1} more' if count > 1 else ''}; remove it or export the file again",
        path=path,
        column=column,
        row=line - 1 if line > 1 else None,
    )


def _short_row_error(fields: int, width: int, header: list[str] | None, sep: str, path: Path, row: int) -> DataError:
    return DataError(
        f"this row has {fields} fields but the header has {width}; a missing separator "
        f"would put values under the wrong columns — add the missing {sep!r} (empty cells "
        f"are written as nothing between two separators)",
        path=path,
        column=header[fields] if header and fields < len(header) else None,
        row=row,
    )


def _refuse_short_rows(text: str, sep: str, width: int, path: Path, candidates: np.ndarray) -> None:
    """Rows with fewer fields than the header: pandas would pad them with blanks, hiding that a
    missing separator put values under the wrong columns.  ``candidates``: the 0-based data rows
    pandas padded or read blank in the last column (the only ones that can be short)."""
    if '"' not in text and text.count("\r") == text.count("\r\n") and ord(sep) < 128:
        # no quoting and one line per row: count separators per line with NumPy (UTF-8 keeps
        # ASCII bytes for ASCII characters only, so byte positions are safe to count)
        raw = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
        ends = np.flatnonzero(raw == 10)
        if raw.size and raw[-1] != 10:
            ends = np.append(ends, raw.size)
        starts = np.r_[0, ends[:-1] + 1]
        counts = np.bincount(np.searchsorted(ends, np.flatnonzero(raw == ord(sep))), minlength=len(ends))
        lengths = ends - starts - (raw[np.maximum(ends - 1, 0)] == 13)
        end = int(ends[0]) if len(ends) else raw.size
        header = raw[:end].tobytes().decode("utf-8").rstrip("\r").split(sep)
        while width > 1 and width <= len(header) and not header[width - 1].strip():
            width -= 1
        n_fields = counts[1:] + 1
        short = np.flatnonzero((n_fields < width) & (lengths[1:] > counts[1:]))
        if short.size:
            raise _short_row_error(int(n_fields[short[0]]), width, header, sep, path, int(short[0]) + 1)
        return
    header = []
    records = enumerate(csv.reader(_io.StringIO(text, newline=""), delimiter=sep))
    while True:
        try:
            record, fields = next(records)
        except StopIteration:
            return
        except csv.Error:  # pandas read the file; the csv module cannot (a huge cell …): no check
            return
        if record == 0:
            header = fields
            while width > 1 and width <= len(header) and not header[width - 1].strip():
                width -= 1  # nameless columns at the right (Excel's trailing commas) may be left out
            continue
        if 0 < len(fields) < width and any(f.strip() for f in fields):
            raise _short_row_error(len(fields), width, header, sep, path, record)


def _trim_blank_margins(frame: pd.DataFrame, raw_header: list[Any] | None) -> tuple[pd.DataFrame, list[Any] | None]:
    """Drop what spreadsheets leave after a table: rows at the end with no value at all, and
    columns at the right with neither a name nor a value (recorded in ``attrs["trimmed"]``).
    Nothing that holds a value is dropped; empty rows inside the table stay, so that row numbers
    match the file (the validators list them)."""
    filled = frame.notna().to_numpy()
    rows = np.flatnonzero(filled.any(axis=1))
    keep_rows = rows[-1] + 1 if len(rows) else 0
    names = raw_header if raw_header is not None else list(frame.columns)
    keep_cols = len(frame.columns)
    while keep_cols > 1:
        name = names[keep_cols - 1]
        unnamed = name is None or str(name).strip() == "" or str(name).startswith("Unnamed: ")
        if not unnamed or filled[:, keep_cols - 1].any():
            break
        keep_cols -= 1
    if keep_rows == len(frame) and keep_cols == len(frame.columns):
        return frame, raw_header
    attrs = dict(frame.attrs)
    attrs["trimmed"] = {"rows": len(frame) - keep_rows, "columns": len(frame.columns) - keep_cols}
    out = frame.iloc[:keep_rows, :keep_cols]
    out.attrs.update(attrs)
    return out, (raw_header[:keep_cols] if raw_header is not None else None)


def _read_text(path: Path, options: dict[str, Any], id_columns: list[Any] | None = None) -> pd.DataFrame:
    id_columns = list(id_columns or [])
    data = path.read_bytes()
    if not data.strip():
        raise DataError("the file is empty; expected a header row and data rows", path=path)
    encoding = options.pop("encoding", None)
    if encoding is None:
        if not data.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" in data:
            _refuse_binary(data, path)
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
    _refuse_mislabelled(data, text, encoding, path)
    if text.startswith("\ufeff"):
        text = text[1:]
    sep = (
        options.pop("sep", None) or options.pop("delimiter", None) or _sniff_delimiter(text[:8192], path.suffix.lower())
    )
    if "\x00" in text:
        _refuse_nul(text, sep, path)
    # blank lines are kept as empty rows so that row numbers match the file (validators list them)
    kwargs: dict[str, Any] = {"sep": sep, "keep_default_na": False, "na_values": _NA_VALUES, "skip_blank_lines": False}
    kwargs.update(options)
    if options.get("header", "infer") in ("infer", 0) and not isinstance(kwargs.get("dtype"), (str, type)):
        header = _first_record(text, sep)
        names = list(options["names"]) if options.get("names") is not None else header
        ids = [
            n
            for h, n in zip(header, names, strict=False)
            if looks_like_id(h) or looks_like_id(n) or h in id_columns or n in id_columns
        ]
        kwargs["dtype"] = {**dict.fromkeys(ids, str), **(kwargs.get("dtype") or {})}
    try:
        frame = pd.read_csv(_io.StringIO(text), **kwargs)
    except pd.errors.EmptyDataError:
        raise DataError("the file has no columns; expected a header row and data rows", path=path) from None
    except pd.errors.ParserError as exc:
        quote = re.search(r"EOF inside string starting at row (\d+)", str(exc))
        if quote:
            row = int(quote.group(1))
            raise DataError(
                f'a quote (") opened in this row (line {row + 1}) is never closed, so everything after it '
                "would be read as one cell; close the quote or remove it",
                path=path,
                row=row,
            ) from None
        match = re.search(r"line (\d+)", str(exc))
        detail = f" on line {match.group(1)}" if match else ""
        fields = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        shifted = (
            f"; line {fields.group(2)} has {fields.group(3)} fields but the header has {fields.group(1)}: a shifted "
            "row (an unquoted separator inside a value, e.g. 1,234 or a comma in a name) would put every value "
            "after it under the wrong column — quote that value or remove the extra separator"
            if fields and int(fields.group(3)) > int(fields.group(1))
            else ""
        )
        raise DataError(
            f"rows have different numbers of fields{detail} (expected a rectangular table separated by {sep!r})"
            f"{shifted}: {exc}",
            path=path,
            row=int(fields.group(2)) - 1 if fields else None,
        ) from None
    if "index_col" not in options and not frame.index.equals(pd.RangeIndex(len(frame))):
        raise _shifted_rows_error(text, sep, path)
    plain = options.get("header", "infer") in ("infer", 0) and not {"names", "usecols", "skiprows", "index_col"} & set(
        options
    )
    if plain:
        first_line = _first_record(text, sep)
        if len(first_line) == len(frame.columns):
            frame.attrs["_raw_header"] = first_line
        if len(sep) == 1 and len(frame.columns) > 1 and len(frame):
            padded = np.flatnonzero(frame.iloc[:, -1].isna().to_numpy())
            if padded.size:
                _refuse_short_rows(text, sep, len(frame.columns), path, padded)
    if plain and not isinstance(kwargs.get("dtype"), (str, type)):
        frame = _keep_leading_zeros(frame, text, kwargs)
    frame.attrs["encoding"] = encoding
    frame.attrs["delimiter"] = sep
    return frame


def _shifted_rows_error(text: str, sep: str, path: Path) -> DataError:
    """Data rows with more fields than the header: pandas would silently take the first column as
    the row labels and shift every value one column to the left."""
    line, width, saw = 0, 0, 0
    try:
        for number, fields in enumerate(csv.reader(_io.StringIO(text, newline=""), delimiter=sep), start=1):
            if number == 1:
                width = len(fields)
            elif len(fields) > width:
                line, saw = number, len(fields)
                break
    except csv.Error:
        pass
    where = (
        f"line {line} has {saw} fields but the header has {width}"
        if line
        else "data rows have more fields than the header"
    )
    return DataError(
        f"shifted rows: {where}, so every value would be read one column off (an unquoted separator inside a "
        "value, e.g. 1,234 or a comma in a name, or a missing header); quote that value or remove the extra separator",
        path=path,
        row=line - 1 if line else None,
    )


def _keep_leading_zeros(frame: pd.DataFrame, text: str, kwargs: dict[str, Any]) -> pd.DataFrame:
    """Columns pandas read as numbers although the file writes them with leading zeros (``000123``)
    or with more digits than a float keeps: read again as text (``attrs["text_columns"]``)."""
    numeric = [
        c
        for c in frame.columns
        if pd.api.types.is_numeric_dtype(frame[c].dtype) and not pd.api.types.is_bool_dtype(frame[c].dtype)
    ]
    if not numeric or len(set(frame.columns)) != len(frame.columns):
        return frame
    big = [c for c in numeric if pd.api.types.is_float_dtype(frame[c].dtype) and frame[c].abs().max() >= 1e15]
    sep = re.escape(str(kwargs.get("sep", ",")))
    zeros = re.search(rf'(?:^|{sep})[ \t]*"?[ \t]*[+-]?0\d', text, re.MULTILINE) is not None
    candidates = numeric if zeros else big
    if not candidates:
        return frame
    again = pd.read_csv(
        _io.StringIO(text), **{**kwargs, "dtype": {**kwargs.get("dtype", {}), **dict.fromkeys(candidates, str)}}
    )
    kept = [
        c for c in candidates if c in big or again[c].str.fullmatch(r"\s*[+-]?0\d+").fillna(False).astype(bool).any()
    ]
    if not kept:
        return frame
    attrs = dict(frame.attrs)
    out = frame.copy()
    for c in kept:
        out[c] = again[c]
    out.attrs.update(attrs)
    out.attrs["text_columns"] = kept
    return out


def _read_excel(path: Path, options: dict[str, Any], id_columns: list[Any] | None = None) -> pd.DataFrame:
    sheet = options.pop("sheet", options.pop("sheet_name", 0))
    merged_cells = options.pop("merged_cells", "error")
    if merged_cells not in ("error", "fill"):
        raise DataError(f"merged_cells must be 'error' or 'fill'; got {merged_cells!r}", path=path)
    try:
        frame = pd.read_excel(
            path, sheet_name=sheet, engine="openpyxl", na_values=_NA_VALUES, keep_default_na=False, **options
        )
    except ValueError as exc:
        if "Worksheet" in str(exc) or "not found" in str(exc):
            from openpyxl import load_workbook

            names = load_workbook(path, read_only=True).sheetnames
            raise DataError(f"no sheet {sheet!r}; the workbook has {names}", path=path) from None
        raise DataError(f"cannot read the workbook: {exc}", path=path) from None
    except Exception as exc:  # zipfile.BadZipFile, openpyxl errors, KeyError
        if isinstance(exc, IndexError) and isinstance(sheet, int):
            raise DataError(f"no sheet number {sheet} (sheets are numbered from 0)", path=path) from None
        raise DataError(
            f"not a readable .xlsx workbook ({type(exc).__name__}: {exc}); open it in Excel and save it again as .xlsx",
            path=path,
        ) from None
    if not isinstance(frame, pd.DataFrame):
        raise DataError(f"read one sheet at a time (sheet='name' or a number); got sheet={sheet!r}", path=path)
    plain = options.get("header", 0) == 0 and not {"skiprows", "names", "usecols", "index_col", "nrows"} & set(options)
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    try:
        ws = workbook[sheet] if isinstance(sheet, str) else workbook.worksheets[sheet]
        names = workbook.sheetnames
        header = list(next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())) if plain else []
        xml_path = getattr(ws, "_worksheet_path", None)
    finally:
        workbook.close()
    if len(frame.columns) == 0:
        others = [n for n in names if n != ws.title]
        hint = f"; the workbook also has {others}: pass sheet=…" if others else ""
        raise DataError(f"sheet {ws.title!r} is empty{hint}", path=path)
    if plain:
        while header and header[-1] is None and len(header) > len(frame.columns):
            header.pop()
        if len(header) == len(frame.columns):
            frame.attrs["_raw_header"] = header
    if xml_path:
        _check_sheet_cells(path, xml_path, ws.title, frame, plain, merged_cells)
    if plain and "dtype" not in options:
        frame = _excel_text_columns(path, sheet, frame, header, id_columns or [])
    frame.attrs["sheet"] = sheet
    return frame


def _read_spss(path: Path, options: dict[str, Any]) -> pd.DataFrame:
    import pyreadstat

    value_labels = options.pop("value_labels", "codes")
    if value_labels not in ("codes", "labels"):
        raise DataError(f"value_labels must be 'codes' or 'labels'; got {value_labels!r}", path=path)
    try:
        # user_missing=True: the declared missing-value codes come back as they are, with their
        # ranges in meta.missing_ranges; they are turned into NaN below, so the codes can be kept
        frame, meta = pyreadstat.read_sav(str(path), user_missing=True, **options)
    except TypeError as exc:
        raise DataError(f"unknown option for an SPSS file ({exc})", path=path) from None
    except Exception as exc:  # pyreadstat.ReadstatError and friends
        raise DataError(f"not a readable SPSS .sav file ({exc}); re-save it from SPSS", path=path) from None
    ranges = {k: list(v) for k, v in (getattr(meta, "missing_ranges", {}) or {}).items() if v}
    for column, spans in ranges.items():
        if column in frame.columns and pd.api.types.is_numeric_dtype(frame[column].dtype):
            values = frame[column]
            declared = pd.Series(False, index=frame.index)
            for span in spans:
                declared |= values.between(span["lo"], span["hi"])
            frame[column] = values.where(~declared)
    for column, spss_format in (getattr(meta, "original_variable_types", {}) or {}).items():
        width = re.fullmatch(r"N(\d+)", str(spss_format))
        if width and column in frame.columns and pd.api.types.is_numeric_dtype(frame[column].dtype):
            # SPSS's N format is a number shown with leading zeros (N6: 000123): an id, kept as text
            values = frame[column]
            whole = values.notna() & (values % 1 == 0)
            text = values.where(~whole).astype(object)
            text[whole] = values[whole].astype("int64").astype(str).str.zfill(int(width.group(1)))
            frame[column] = text.where(values.notna(), np.nan)
    frame.attrs["variable_labels"] = {k: v for k, v in meta.column_names_to_labels.items() if v}
    frame.attrs["value_labels"] = dict(meta.variable_value_labels)
    frame.attrs["missing_ranges"] = ranges
    if value_labels == "labels":
        for column, mapping in meta.variable_value_labels.items():
            frame[column] = pd.Categorical(frame[column].map(mapping), categories=list(dict.fromkeys(mapping.values())))
    return frame


def _read_parquet(path: Path, options: dict[str, Any]) -> pd.DataFrame:
    """Parquet keeps its stored types; ``dtype=`` (as for CSV) is applied after reading, so one
    call with ``dtype={"customer_id": str}`` works for every format.  A numeric id column cast to
    text loses nothing it still had; validators list ids that were stored damaged."""
    options = dict(options)
    dtype = options.pop("dtype", None)
    try:
        frame = pd.read_parquet(path, **options)
    except Exception as exc:  # pyarrow.lib.ArrowInvalid etc.
        raise DataError(f"not a readable Parquet file or dataset ({exc})", path=path) from None
    if dtype is None:
        return frame
    wanted = dtype if isinstance(dtype, dict) else dict.fromkeys(frame.columns, dtype)
    for column, kind in wanted.items():
        if column not in frame.columns:
            continue
        if kind in (str, "str", "string", object, "object"):
            values = frame[column]
            text = values.astype("string")
            if pd.api.types.is_float_dtype(values.dtype):  # 123.0 stored as float: the id is 123
                whole = values.notna() & (values == values.round())
                text = text.where(~whole, values[whole].astype("int64").astype("string"))
            frame[column] = text
        else:
            try:
                frame[column] = frame[column].astype(kind)
            except (TypeError, ValueError) as exc:
                raise DataError(f"cannot be read as {kind}: {exc}", path=path, column=column) from None
    return frame


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
        db = Path(url[len("sqlite:///") :])
        if not db.exists():
            raise DataError("the SQLite database file does not exist", path=db)
    import sqlalchemy

    try:
        engine = sqlalchemy.create_engine(url)
        with engine.connect() as conn:
            frame = pd.read_sql(sqlalchemy.text(query), conn, **options)
    except Exception as exc:  # sqlalchemy.exc.*, driver errors
        raise DataError(
            f"the query failed ({type(exc).__name__}: {str(exc).splitlines()[0]})", path=_safe_url(url)
        ) from None
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
        (SPSS; codes by default, labels kept in ``attrs`` either way), ``merged_cells=
        "error"|"fill"`` (Excel: merged cells in the data area raise, or take the value of
        their first cell), ``sql`` or
        ``table`` (databases), ``allow_empty`` (default False: a header with no rows is
        an error), ``id_columns`` (more columns to read as text, besides those whose name
        says they hold ids); anything else goes to the pandas reader (``dtype``, ``usecols``,
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
        a malformed table (short rows, an unclosed quote, NUL bytes), duplicate/blank column
        names, formulas without values or merged cells in a workbook — each naming the file
        (and the column and row where they apply) and what to do.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = p.write_text("id,score\\n1,5\\n2,n/a\\n", encoding="utf-8")
    >>> read_table(p)["score"].tolist()
    ['5', 'n/a']
    """
    allow_empty = options.pop("allow_empty", False)
    id_columns = options.pop("id_columns", None)
    source = str(path)
    if isinstance(path, str) and _URL_RE.match(path):
        frame = _read_sql(path, options)
        source = _safe_url(path)
    else:
        p = Path(path)
        ext = p.suffix.lower()
        if not p.exists():
            raise DataError(
                f"file not found; check the path (relative paths start from the current folder, {Path.cwd().name}/)",
                path=p,
            )
        if p.is_dir():
            if any(p.rglob("*.parquet")):
                frame = _read_parquet(p, options)
            else:
                raise DataError("is a folder without Parquet files; give a file", path=p)
        elif ext in _SAVE_AS:
            raise DataError(f"{_SAVE_AS[ext]} files are not read directly; {_SAVE_HOW}", path=p)
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
                frame = _read_text(p, options, id_columns)
            elif ext in EXCEL_EXTENSIONS:
                frame = _read_excel(p, options, id_columns)
            elif ext in SPSS_EXTENSIONS:
                frame = _read_spss(p, options)
            else:
                frame = _read_parquet(p, options)
        path = p
    raw_header = frame.attrs.pop("_raw_header", None)
    if frame.attrs.get("encoding") is not None or frame.attrs.get("sheet") is not None:  # text or Excel
        frame, raw_header = _trim_blank_margins(frame, raw_header)
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
