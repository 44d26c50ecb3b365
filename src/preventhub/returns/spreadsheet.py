"""What every return's spreadsheet shares: the Returns sheet, its heading, naming cells in errors.

A template starts with the organisation (cell B1) and the quarter (B2), so an upload for the wrong
return is refused before anything else is read. Each app lays out the rest of the sheet.
"""

from __future__ import annotations

import io
import math
from typing import Any

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from preventhub.core.spreadsheets import (
    LARGEST_INTEGER,
    SpreadsheetRefused,
    neutralise,
    xlsx_rows,
)
from preventhub.returns.models import PartnerReturn

SHEET = "Returns"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SpreadsheetError(Exception):
    """The upload cannot be used; ``problems`` lists every cell that is wrong."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0])
        self.problems = problems


def where(row: int, column: str) -> str:
    return f"Sheet {SHEET}, cell {column}{row}"


def text(value: object) -> str:
    return "" if value is None else str(value).strip()


def put(sheet: Worksheet, row: int, column: int, value: Any) -> Any:
    """Write one cell of a template, neutralised like every cell Prevent Hub writes."""
    return sheet.cell(row=row, column=column, value=neutralise(value))


def new_sheet(partner_return: PartnerReturn, guidance: str) -> tuple[Any, Worksheet]:
    """A workbook whose Returns sheet names the organisation and quarter it is for."""
    book = openpyxl.Workbook()
    sheet: Worksheet = book.active
    sheet.title = SHEET
    for row, values in enumerate(
        [
            ["Organisation", partner_return.organisation.name],
            ["Quarter", partner_return.window.period.name],
            [guidance],
        ],
        start=1,
    ):
        for column, value in enumerate(values, start=1):
            put(sheet, row, column, value)
    return book, sheet


def save(book: Any) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def file_name(partner_return: PartnerReturn, what: str) -> str:
    period = partner_return.window.period.name.replace("/", "-").replace(" ", "-")
    return f"{what}-{period}.xlsx"


class Grid:
    """The Returns sheet's values, read once; ``at(row, column)`` counts from 1 like Excel."""

    def __init__(self, rows: list[list[Any]]) -> None:
        self.rows = rows

    def at(self, row: int, column: int) -> Any:
        line = self.rows[row - 1] if 0 < row <= len(self.rows) else []
        return line[column - 1] if column - 1 < len(line) else None

    def __len__(self) -> int:
        return len(self.rows)


def read_grid(partner_return: PartnerReturn, content: bytes, *, columns: int) -> Grid:
    """The sheet of an uploaded template, once it is known to be this return's.

    Read within the upload limits (``core.spreadsheets``), ``columns`` wide.
    """
    try:
        grid = Grid(
            [cells for _, cells in xlsx_rows(content, sheet=SHEET, columns=columns, header=False)]
        )
    except SpreadsheetRefused as error:
        raise SpreadsheetError([str(error)]) from error
    problems = []
    if text(grid.at(1, 2)) != partner_return.organisation.name:
        problems.append(f"{where(1, 'B')}: this template is for another organisation")
    if text(grid.at(2, 2)) != partner_return.window.period.name:
        problems.append(
            f"{where(2, 'B')}: this template is for another quarter, not "
            f"{partner_return.window.period.name}"
        )
    if problems:
        raise SpreadsheetError(problems)
    return grid


def whole_number(value: object, cell: str, problems: list[str]) -> int | None:
    """The cell's whole number, None if blank; otherwise a problem naming the cell."""
    if value is None or text(value) == "":
        return None
    if isinstance(value, bool):
        problems.append(f"{cell}: enter a whole number")
        return None
    if isinstance(value, int | float):
        if not math.isfinite(value) or value != int(value):
            problems.append(f"{cell}: enter a whole number")
            return None
        number = int(value)
    else:
        try:
            number = int(text(value).replace(",", ""))
        except ValueError:
            problems.append(f"{cell}: {text(value)!r} is not a whole number")
            return None
    if abs(number) > LARGEST_INTEGER:
        problems.append(f"{cell}: {number:,} is too large")
        return None
    return number
