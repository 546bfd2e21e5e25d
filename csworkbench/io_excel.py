"""Workbook cells pandas does not see (part of :mod:`csworkbench.io`): ids kept as text, formulas
without values, merged cells, Excel error values and hidden rows, read from the sheet itself.

Also :func:`looks_like_id`, the rule by which a column name says it holds ids.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import DataError, DataWarning

__all__ = ["looks_like_id"]

#: Column names that hold ids (read as text, never as numbers: leading zeros are part of an id).
_ID_NAME_RE = re.compile(
    r"(?i)^(?:id|ids|no\.?|respondent|customer|complaint|ticket|order|member|uid|sn)$"
    r"|(?:^|[\s_\-.])(?:id|no\.?|number|code|sn)$|_?(?:uid|guid)$"
    r"|编号|编码|号码|工号|单号|账号|帐号|卡号|会员号|客户号|顾客号|用户号|手机号|电话|序号|批号|身份证|识别码|代码"
)
_ID_CASED_RE = re.compile(r"[a-z]ID$|[a-z]Id$|ID")  # CustomerID, customerId, 客户ID


def looks_like_id(name: Any) -> bool:
    """True when a column name says it holds ids (``customer_id``, ``编号``, ``Ticket No.``, ``CustomerID``).

    >>> [looks_like_id(n) for n in ["customer_id", "编号", "Ticket No.", "score", "paid", "P1"]]
    [True, True, True, False, False, False]
    """
    import unicodedata

    name = unicodedata.normalize("NFKC", str(name)).strip()
    return bool(_ID_NAME_RE.search(name) or _ID_CASED_RE.search(name))


_ZERO_FORMAT_RE = re.compile(r'^0{2,}(?:;.*)?$|^"[^"]*"0{2,}$')


def _excel_cell_text(value: Any, number_format: str) -> Any:
    """An id cell as text: a number formatted ``00000`` zero-padded as Excel shows it; a whole
    number as its digits (a float with more than 15 digits stays a number: its digits are lost)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, float) and not value.is_integer():
        return value
    if abs(value) >= 1e15:  # Excel keeps 15 digits: left a number, so that validation lists it as damaged
        return float(value)
    digits = str(int(value))
    match = _ZERO_FORMAT_RE.match(number_format or "")
    if match:
        prefix = re.match(r'^"([^"]*)"', number_format)
        width = number_format.split(";")[0].count("0")
        return (prefix.group(1) if prefix else "") + digits.zfill(width)
    return digits


def _may_hide_zeros(path: Path) -> bool:
    """Whether the workbook has a zero-padding number format (``00000``) or text that pandas would
    damage as a number (``000123``, 16+ digits) in its shared or inline strings: only then must the
    cells be read one by one."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            styles = archive.read("xl/styles.xml") if "xl/styles.xml" in names else b""
            if re.search(rb'formatCode="(?:&quot;[^"&]*&quot;)?0{2,}(?:;[^"]*)?"', styles):
                return True
            zeros = re.compile(rb"<(?:\w+:)?t(?:\s[^>]*)?>\s*[+-]?(?:0\d+|\d{16,})\s*</(?:\w+:)?t>")
            shared = archive.read("xl/sharedStrings.xml") if "xl/sharedStrings.xml" in names else b""
            if zeros.search(shared):
                return True
            sheets = (archive.read(n) for n in names if n.startswith("xl/worksheets/sheet"))
            return any(b"inlineStr" in xml and zeros.search(xml) for xml in sheets)
    except (OSError, KeyError, zipfile.BadZipFile):
        return True


def _excel_text_columns(
    path: Path, sheet: Any, frame: pd.DataFrame, header: list[Any], id_columns: list[Any]
) -> pd.DataFrame:
    """Id columns, and columns written with leading zeros (text cells ``000123`` or numbers formatted
    ``00000``), as text from the sheet's cells: pandas would turn them into numbers."""
    from openpyxl import load_workbook

    if len(header) != len(frame.columns) or len(frame) == 0:
        return frame
    wanted = [
        j
        for j, c in enumerate(frame.columns)
        if looks_like_id(c) or c in id_columns or pd.api.types.is_numeric_dtype(frame[c].dtype)
    ]
    if not wanted:
        return frame
    if not _may_hide_zeros(path):  # no zero-padded format, no text like 000123: the frame's values suffice
        named = [j for j in wanted if looks_like_id(frame.columns[j]) or frame.columns[j] in id_columns]
        if not named:
            return frame
        out = frame.copy()
        out.attrs.update(frame.attrs)
        for j in named:
            values = [_excel_cell_text(None if pd.isna(v) else v, "General") for v in frame.iloc[:, j].to_numpy(object)]
            out.isetitem(j, pd.Series(values, index=frame.index, dtype=object))
        out.attrs["text_columns"] = [frame.columns[j] for j in named]
        return out
    cells: dict[int, list[tuple[Any, str]]] = {j: [] for j in wanted}
    workbook = load_workbook(path, read_only=True)
    try:
        ws = workbook[sheet] if isinstance(sheet, str) else workbook.worksheets[sheet]
        rows = ws.iter_rows(min_row=2, max_row=len(frame) + 1, min_col=min(wanted) + 1, max_col=max(wanted) + 1)
        for row in rows:
            for j in wanted:
                k = j - min(wanted)
                cell = row[k] if k < len(row) else None
                cells[j].append((getattr(cell, "value", None), getattr(cell, "number_format", "General")))
    finally:
        workbook.close()
    out, changed = frame, []
    for j in wanted:
        column = frame.columns[j]
        found = cells[j] + [(None, "General")] * (len(frame) - len(cells[j]))
        padded = any(
            isinstance(v, (int, float)) and not isinstance(v, bool) and _ZERO_FORMAT_RE.match(f or "") for v, f in found
        )
        zeros = any(isinstance(v, str) and re.fullmatch(r"\s*[+-]?0\d+\s*", v) for v, _ in found)
        if not (looks_like_id(column) or column in id_columns or padded or zeros):
            continue
        if out is frame:
            out = frame.copy()
            out.attrs.update(frame.attrs)
        values = [_excel_cell_text(v, f) for v, f in found]
        out.isetitem(j, pd.Series(values, index=frame.index, dtype=object))
        changed.append(column)
    if changed:
        out.attrs["text_columns"] = changed
    return out


_CELL_RE = re.compile(rb'<(?:\w+:)?c r="([A-Z]+)(\d+)"([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)', re.DOTALL)
_MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')
_HIDDEN_ROW_RE = re.compile(rb'<(?:\w+:)?row r="(\d+)"[^>]*?\bhidden="(?:1|true)"')


def _column_index(letters: bytes) -> int:
    """0-based column number of Excel column letters (A → 0, AA → 26)."""
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _check_sheet_cells(
    path: Path, xml_path: str, title: str, frame: pd.DataFrame, plain: bool, merged_cells: str
) -> None:
    """What pandas cannot see in a sheet: formulas stored without a computed value (read as
    blank), merged cells in the data area (blank but for the first cell), Excel error values
    (#N/A, #DIV/0!, read as blank) and hidden rows.  Reads the sheet's XML directly; only the
    cells concerned are parsed."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read(xml_path.lstrip("/"))
    except (KeyError, zipfile.BadZipFile, OSError):
        return
    if b"mergeCell " in xml:
        _check_merged_cells(xml, path, title, frame, plain, merged_cells)
    if b"<f" in xml or b't="e"' in xml:
        _check_formula_cells(xml, path, title, frame, plain)
    if b"hidden=" in xml:
        _check_hidden_rows(xml, path, title, frame)


def _cell_place(frame: pd.DataFrame, plain: bool, letters: bytes, number: bytes) -> tuple[str | None, int | None]:
    """The frame column and data row of an Excel cell, for messages (None when not a plain table)."""
    if not plain:
        return None, None
    col, row = _column_index(letters), int(number) - 1
    return (str(frame.columns[col]) if col < len(frame.columns) else None), (row if row >= 1 else None)


def _check_merged_cells(
    xml: bytes, path: Path, title: str, frame: pd.DataFrame, plain: bool, merged_cells: str
) -> None:
    """Merged cells in the data area: filled down (``merged_cells='fill'``) or a :class:`DataError`."""
    for c1, r1, c2, r2 in _MERGE_RE.findall(xml):
        if int(r2) < 2 or (int(r1) == 1 and plain):
            continue  # merged header cells: the header check names the column without a name
        column, row = _cell_place(frame, plain, c1, r1)
        ref = f"{c1.decode()}{r1.decode()}:{c2.decode()}{r2.decode()}"
        if merged_cells == "fill" and plain:
            first, last = int(r1) - 2, min(int(r2) - 2, len(frame) - 1)
            top = frame.iat[first, _column_index(c1)]
            for j in range(_column_index(c1), min(_column_index(c2) + 1, len(frame.columns))):
                values = frame.iloc[:, j].to_numpy(dtype=object).copy()
                values[first : last + 1] = top
                frame.isetitem(j, pd.Series(values, index=frame.index).infer_objects())
            frame.attrs.setdefault("merged_filled", []).append(ref)
            continue
        raise DataError(
            f"cells {ref} on sheet {title!r} are merged: Excel keeps the value only in the first "
            f"cell ({c1.decode()}{r1.decode()}), so the others would be read as blank; unmerge them and "
            "fill the value down (取消合并单元格, then fill), or pass merged_cells='fill'",
            path=path,
            column=column,
            row=row,
        )


def _formula_and_error_cells(
    xml: bytes,
) -> tuple[list[tuple[bytes, bytes, str]], list[tuple[bytes, bytes, str]]]:
    """Cells (letters, number, text) holding a formula without a stored value, and cells holding an Excel error."""
    no_value, errors = [], []
    for letters, number, attributes, body in _CELL_RE.findall(xml):
        is_error = b't="e"' in attributes
        if body is None or (b"<f" not in body and not is_error):
            continue
        value = re.search(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", body or b"", re.DOTALL)
        if is_error:
            errors.append((letters, number, value.group(1).decode() if value else "#VALUE!"))
        elif (value is None or value.group(1) == b"") and b't="str"' not in attributes:
            formula = re.search(rb"<(?:\w+:)?f[^>]*>(.*?)</(?:\w+:)?f>", body, re.DOTALL)
            no_value.append((letters, number, formula.group(1).decode() if formula else ""))
    return no_value, errors


def _check_formula_cells(xml: bytes, path: Path, title: str, frame: pd.DataFrame, plain: bool) -> None:
    """A formula without a computed value is a :class:`DataError`; Excel error values warn and are listed."""
    no_value, errors = _formula_and_error_cells(xml)
    if no_value:
        letters, number, formula_text = no_value[0]
        column, row = _cell_place(frame, plain, letters, number)
        more = f" ({len(no_value) - 1} more cells like it)" if len(no_value) > 1 else ""
        shown = f" (={formula_text})" if formula_text else ""
        raise DataError(
            f"cell {letters.decode()}{number.decode()} on sheet {title!r} holds a formula{shown} "
            f"without a computed value{more}: the file was written by a program that does not "
            "calculate (a script, openpyxl …), so the cell would be read as blank; open the file "
            "in Excel/WPS/LibreOffice and save it, so that the values are stored",
            path=path,
            column=column,
            row=row,
        )
    if errors:
        shown = ", ".join(f"{letters.decode()}{number.decode()} {value}" for letters, number, value in errors[:5])
        warnings.warn(
            f"{path.name}: sheet {title!r}: {len(errors)} cell(s) hold Excel error values, read as "
            f"blank: {shown}{' …' if len(errors) > 5 else ''}",
            DataWarning,
            stacklevel=5,  # the caller of read_table (one level deeper than _check_sheet_cells)
        )
        frame.attrs["excel_errors"] = [
            {
                "cell": f"{letters.decode()}{number.decode()}",
                "column": _cell_place(frame, plain, letters, number)[0],
                "row": _cell_place(frame, plain, letters, number)[1],
                "value": value,
            }
            for letters, number, value in errors
        ]


def _check_hidden_rows(xml: bytes, path: Path, title: str, frame: pd.DataFrame) -> None:
    """Warn about hidden rows (read as well) and list them in ``frame.attrs["hidden_rows"]``."""
    hidden = [int(r) for r in _HIDDEN_ROW_RE.findall(xml)]
    if hidden:
        what = "the header row is hidden" if hidden[0] == 1 else "hidden rows are read as well"
        warnings.warn(
            f"{path.name}: sheet {title!r}: {what} (Excel rows {', '.join(map(str, hidden[:10]))}"
            f"{' …' if len(hidden) > 10 else ''}); check that the first row is the header you mean",
            DataWarning,
            stacklevel=5,  # the caller of read_table (one level deeper than _check_sheet_cells)
        )
        frame.attrs["hidden_rows"] = hidden
