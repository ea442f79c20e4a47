"""``-o result.xlsx``: a query result as a real spreadsheet (openpyxl), Chinese intact."""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import Any

from tckg.errors import TckgError


class SpreadsheetError(TckgError):
    exit_code = 2


def write_xlsx(result: Any, path: Path | str) -> Path:
    """One sheet: the columns as a bold, frozen header row, then the rows as plain values
    (numbers stay numbers). Written atomically, like every other output."""
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise SpreadsheetError("writing .xlsx needs openpyxl (pip install 'openpyxl>=3.1'); "
                               "or write CSV with --bom for Excel. 需要安装 openpyxl。") from None
    from tckg.io.write import atomic_write_bytes
    from tckg.sparql.errors import QueryError

    if result.graph is not None or result.kind != "SELECT":
        raise QueryError(f"a {result.kind} result is not a table; .xlsx takes SELECT results. "
                         "只有 SELECT 结果可写为 xlsx。")
    book = Workbook()
    sheet = book.active
    sheet.title = (result.source or "query")[:31]
    sheet.append(list(result.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row in result.rows:
        sheet.append([_cell(row[c]) for c in result.columns])
    for i, column in enumerate(result.columns, start=1):
        width = max([len(column), *(len(str(r[column] or "")) for r in result.rows[:200])])
        sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = min(60, width + 2)
    buf = io.BytesIO()
    with warnings.catch_warnings():
        # openpyxl's own temporary file is opened without an encoding (it writes XML bytes
        # through it); that is openpyxl's business, not a locale dependence of ours
        warnings.simplefilter("ignore", EncodingWarning)
        book.save(buf)
    path = Path(path)
    atomic_write_bytes(path, buf.getvalue())
    return path


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, (int, float, bool, str)):
        return value
    return str(value)
