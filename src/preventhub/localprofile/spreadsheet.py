"""A data return as a spreadsheet: the template partners download, and reading it back.

The template is pre-filled with the organisation, the quarter and one row per figure asked for.
Reading it checks every cell and writes nothing if any is wrong; each problem names its sheet
and cell ("Sheet Returns, cell E7: ...") so the partner can find it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import openpyxl
from django.db import transaction
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from preventhub.localprofile.services import (
    NOTE_MAX,
    Cell,
    Entry,
    InvalidFigures,
    Key,
    cells_for,
    save_values,
)
from preventhub.returns.models import PartnerReturn, ReturnEvent

SHEET = "Returns"
HEADER_ROW = 5
FIRST_ROW = HEADER_ROW + 1
HEADERS = ["Code", "Indicator", "District code", "District", "Value", "Note"]
VALUE_COLUMN, NOTE_COLUMN = "E", "F"
MAX_BYTES = 2 * 1024 * 1024


class SpreadsheetError(Exception):
    """The upload cannot be read; ``problems`` lists every cell that is wrong."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0])
        self.problems = problems


def template(partner_return: PartnerReturn) -> bytes:
    """An XLSX workbook to fill in, for this return's organisation and quarter."""
    book = openpyxl.Workbook()
    sheet: Worksheet = book.active
    sheet.title = SHEET
    sheet["A1"], sheet["B1"] = "Organisation", partner_return.organisation.name
    sheet["A2"], sheet["B2"] = "Quarter", partner_return.window.period.name
    sheet["A3"] = (
        "Counts only: never names or personal details. Fill in the Value column; add a note "
        f"(up to {NOTE_MAX} characters) where a figure changed a lot since last quarter."
    )
    for column, heading in enumerate(HEADERS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=heading)
        cell.font = Font(bold=True)
    existing = {
        (row.indicator_id, row.district_id): row for row in partner_return.indicator_values.all()
    }
    fill = PatternFill("solid", fgColor="FFF2CC")
    for offset, item in enumerate(cells_for(partner_return)):
        row = FIRST_ROW + offset
        stored = existing.get(item.key)
        values = [
            item.indicator.code,
            item.indicator.name,
            item.district.gss_code if item.district else "",
            item.where,
            stored.value if stored else None,
            stored.note if stored else "",
        ]
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=value)
        sheet[f"{VALUE_COLUMN}{row}"].fill = fill
        sheet[f"{NOTE_COLUMN}{row}"].fill = fill
    for column, width in zip("ABCDEF", [12, 50, 14, 26, 10, 60], strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class Upload:
    entries: dict[Key, Entry]
    rows: dict[Key, int]  # which row each figure came from, to name cells in later problems


def _where(row: int, column: str) -> str:
    return f"Sheet {SHEET}, cell {column}{row}"


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def read(partner_return: PartnerReturn, content: bytes) -> Upload:
    """The figures in an uploaded template, or SpreadsheetError naming every bad cell."""
    if len(content) > MAX_BYTES:
        raise SpreadsheetError(
            ["The file is larger than 2 MB. Upload the template you downloaded."]
        )
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise SpreadsheetError(
            ["The file is not an Excel (XLSX) workbook. Upload the template you downloaded."]
        ) from error
    if SHEET not in book.sheetnames:
        raise SpreadsheetError([f"The workbook has no sheet called {SHEET}."])
    sheet = book[SHEET]
    grid = [list(row) for row in sheet.iter_rows(min_row=1, max_col=6, values_only=True)]
    book.close()

    def at(row: int, column: int) -> object:
        line = grid[row - 1] if row - 1 < len(grid) else []
        return line[column - 1] if column - 1 < len(line) else None

    problems = []
    if _text(at(1, 2)) != partner_return.organisation.name:
        problems.append(f"{_where(1, 'B')}: this template is for another organisation")
    if _text(at(2, 2)) != partner_return.window.period.name:
        problems.append(
            f"{_where(2, 'B')}: this template is for another quarter, not "
            f"{partner_return.window.period.name}"
        )
    if [_text(at(HEADER_ROW, column)) for column in range(1, 7)] != HEADERS:
        problems.append(f"{_where(HEADER_ROW, 'A')}: the column headings have been changed")
    if problems:
        raise SpreadsheetError(problems)

    expected: dict[tuple[str, str], Cell] = {
        (item.indicator.code, item.district.gss_code if item.district else ""): item
        for item in cells_for(partner_return)
    }
    entries: dict[Key, Entry] = {}
    rows: dict[Key, int] = {}
    for row in range(FIRST_ROW, len(grid) + 1):
        code, district = _text(at(row, 1)), _text(at(row, 3))
        raw_value, note = at(row, 5), _text(at(row, 6))
        if not code and not district and raw_value in (None, "") and not note:
            continue
        item = expected.get((code, district))
        if item is None:
            problems.append(
                f"{_where(row, 'A')}: {code or 'a blank code'}"
                f"{' for ' + district if district else ''} is not a figure this return asks for"
            )
            continue
        if item.key in entries:
            problems.append(f"{_where(row, 'A')}: {code} for {item.where} appears twice")
            continue
        value: int | None = None
        if isinstance(raw_value, bool):
            problems.append(f"{_where(row, VALUE_COLUMN)}: enter a whole number")
            continue
        if isinstance(raw_value, int | float):
            if raw_value != int(raw_value):
                problems.append(f"{_where(row, VALUE_COLUMN)}: enter a whole number")
                continue
            value = int(raw_value)
        elif _text(raw_value):
            try:
                value = int(_text(raw_value).replace(",", ""))
            except ValueError:
                problems.append(
                    f"{_where(row, VALUE_COLUMN)}: {_text(raw_value)!r} is not a whole number"
                )
                continue
        entries[item.key] = Entry(value, note)
        rows[item.key] = row
    if problems:
        raise SpreadsheetError(problems)
    return Upload(entries, rows)


def problems_in_cells(error: InvalidFigures, upload: Upload) -> list[str]:
    """The service's problems, each pointing at the cell it came from."""
    named = []
    for problem in error.problems:
        row = upload.rows.get(problem.key)
        column = VALUE_COLUMN if problem.field == "value" else NOTE_COLUMN
        prefix = _where(row, column) if row else f"Sheet {SHEET}"
        named.append(f"{prefix}: {problem.message}")
    return named


@transaction.atomic
def upload(*, partner_return: PartnerReturn, content: bytes, by: Any) -> int:
    """Replace a draft return's figures with a filled-in template; return how many were read.

    Raises SpreadsheetError naming every bad cell, and then nothing has been written.
    """
    figures = read(partner_return, content)
    try:
        save_values(partner_return=partner_return, entries=figures.entries, by=by)
    except InvalidFigures as error:
        raise SpreadsheetError(problems_in_cells(error, figures)) from error
    ReturnEvent.objects.create(
        partner_return=partner_return,
        kind=ReturnEvent.Kind.UPLOADED,
        by=by,
        note=f"{len(figures.entries)} figures",
    )
    return len(figures.entries)
