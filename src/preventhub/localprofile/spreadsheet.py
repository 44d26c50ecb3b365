"""A data return as a spreadsheet: the template partners download, and reading it back.

The template is pre-filled with the organisation, the quarter and one row per figure asked for.
Reading it checks every cell and writes nothing if any is wrong; each problem names its sheet
and cell ("Sheet Returns, cell E7: ...") so the partner can find it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from openpyxl.styles import Font, PatternFill

from preventhub.localprofile.checks import NOTE_MAX, Cell, Entry, Key
from preventhub.localprofile.queries import cells_for
from preventhub.localprofile.services import (
    InvalidFigures,
    save_values,
)
from preventhub.returns.models import PartnerReturn
from preventhub.returns.services import record_upload
from preventhub.returns.spreadsheet import (
    SHEET,
    SpreadsheetError,
    new_sheet,
    put,
    read_grid,
    save,
    text,
    where,
    whole_number,
)

__all__ = ["SpreadsheetError", "read", "template", "upload"]

HEADER_ROW = 5
FIRST_ROW = HEADER_ROW + 1
HEADERS = ["Code", "Indicator", "District code", "District", "Value", "Note"]
VALUE_COLUMN, NOTE_COLUMN = "E", "F"


def template(partner_return: PartnerReturn) -> bytes:
    """An XLSX workbook to fill in, for this return's organisation and quarter."""
    book, sheet = new_sheet(
        partner_return,
        "Counts only: never names or personal details. Fill in the Value column; add a note "
        f"(up to {NOTE_MAX} characters) where a figure changed a lot since last quarter.",
    )
    for column, heading in enumerate(HEADERS, start=1):
        put(sheet, HEADER_ROW, column, heading).font = Font(bold=True)
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
            put(sheet, row, column, value)
        sheet[f"{VALUE_COLUMN}{row}"].fill = fill
        sheet[f"{NOTE_COLUMN}{row}"].fill = fill
    for column, width in zip("ABCDEF", [12, 50, 14, 26, 10, 60], strict=True):
        sheet.column_dimensions[column].width = width
    return save(book)


@dataclass(frozen=True)
class Upload:
    entries: dict[Key, Entry]
    rows: dict[Key, int]  # which row each figure came from, to name cells in later problems


def read(partner_return: PartnerReturn, content: bytes) -> Upload:
    """The figures in an uploaded template, or SpreadsheetError naming every bad cell."""
    grid = read_grid(partner_return, content, columns=len(HEADERS))
    if [text(grid.at(HEADER_ROW, column)) for column in range(1, 7)] != HEADERS:
        raise SpreadsheetError([f"{where(HEADER_ROW, 'A')}: the column headings have been changed"])
    expected: dict[tuple[str, str], Cell] = {
        (item.indicator.code, item.district.gss_code if item.district else ""): item
        for item in cells_for(partner_return)
    }
    problems: list[str] = []
    entries: dict[Key, Entry] = {}
    rows: dict[Key, int] = {}
    for row in range(FIRST_ROW, len(grid) + 1):
        code, district = text(grid.at(row, 1)), text(grid.at(row, 3))
        raw_value, note = grid.at(row, 5), text(grid.at(row, 6))
        if not code and not district and text(raw_value) == "" and not note:
            continue
        item = expected.get((code, district))
        if item is None:
            problems.append(
                f"{where(row, 'A')}: {code or 'a blank code'}"
                f"{' for ' + district if district else ''} is not a figure this return asks for"
            )
            continue
        if item.key in entries:
            problems.append(f"{where(row, 'A')}: {code} for {item.where} appears twice")
            continue
        before = len(problems)
        value = whole_number(raw_value, where(row, VALUE_COLUMN), problems)
        if len(problems) > before:
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
        prefix = where(row, column) if row else f"Sheet {SHEET}"
        named.append(f"{prefix}: {problem.message}")
    return named


@transaction.atomic
def upload(
    *,
    partner_return: PartnerReturn,
    content: bytes,
    by: Any,
    expected_version: int | None = None,
) -> int:
    """Replace a draft return's figures with a filled-in template; return how many were read.

    Raises SpreadsheetError naming every bad cell, and then nothing has been written;
    ConcurrentEditError if the return changed since ``expected_version`` (the upload page's) was
    read. Like every save, it moves the return's version on: a form opened before the upload is
    refused rather than saved over it.
    """
    figures = read(partner_return, content)
    try:
        save_values(
            partner_return=partner_return,
            entries=figures.entries,
            by=by,
            expected_version=expected_version,
        )
    except InvalidFigures as error:
        raise SpreadsheetError(problems_in_cells(error, figures)) from error
    record_upload(
        partner_return=partner_return,
        by=by,
        note=f"{len(figures.entries)} figures",
    )
    return len(figures.entries)
