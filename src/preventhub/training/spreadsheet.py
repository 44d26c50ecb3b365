"""A training return as a spreadsheet: staff numbers and training delivered, in one sheet.

The template names the organisation and quarter, lists the organisation's role groups for their
staff numbers, then the training delivered in the quarter, one row per session and role group.
An upload checks every cell, writes nothing if any is wrong, and otherwise replaces the quarter's
staff numbers and training with the sheet's: so downloading and uploading changes nothing. It
moves the return's version on like any other change to its figures, so a form opened before the
upload is refused rather than saved over it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from openpyxl.styles import Font, PatternFill

from preventhub.returns.models import PartnerReturn
from preventhub.returns.services import record_upload
from preventhub.returns.spreadsheet import (
    SpreadsheetError,
    new_sheet,
    put,
    read_grid,
    save,
    text,
    where,
    whole_number,
)
from preventhub.training import queries
from preventhub.training.models import (
    RoleGroup,
    TrainingLevel,
    TrainingProduct,
    TrainingSession,
)
from preventhub.training.services import (
    TrainingError,
    claim_return,
    record_session,
    record_workforce,
)

__all__ = ["SpreadsheetError", "template", "upload"]

STAFF_HEADER_ROW = 5
STAFF_HEADERS = ["Role group", "Level needed", "Staff"]
SESSION_HEADERS = ["Date", "Level", "How", "Product", "Facilitator", "Role group", "Attendees"]
COLUMNS = len(SESSION_HEADERS)
MODES = {label: value for value, label in TrainingSession.Mode.choices}


def template(partner_return: PartnerReturn) -> bytes:
    """The workbook to fill in, pre-filled with what the return already holds."""
    page = queries.training_return(partner_return)
    book, sheet = new_sheet(
        partner_return,
        "Numbers only: never name anyone. Give the staff in each role group at the end of the "
        "quarter, then one row for each session (or batch of e-learning) and role group.",
    )
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="FFF2CC")
    for column, heading in enumerate(STAFF_HEADERS, start=1):
        put(sheet, STAFF_HEADER_ROW, column, heading).font = bold
    row = STAFF_HEADER_ROW + 1
    for line in page.workforce:
        put(sheet, row, 1, line.role_group.name)
        put(sheet, row, 2, line.role_group.level.name)
        put(sheet, row, 3, line.figure.staff if line.figure else None).fill = fill
        row += 1
    row += 1
    for column, heading in enumerate(SESSION_HEADERS, start=1):
        put(sheet, row, column, heading).font = bold
    for session in page.sessions:
        for attendance in session.attendance.all():
            row += 1
            values = [
                session.held_on,
                session.level.name,
                session.get_mode_display(),
                session.product.name if session.product else "",
                session.facilitator,
                attendance.role_group.name,
                attendance.attendees,
            ]
            for column, value in enumerate(values, start=1):
                put(sheet, row, column, value)
            sheet.cell(row=row, column=1).number_format = "yyyy-mm-dd"
    for column, width in zip("ABCDEFG", [28, 18, 24, 34, 30, 28, 10], strict=True):
        sheet.column_dimensions[column].width = width
    return save(book)


@dataclass(frozen=True)
class SessionKey:
    held_on: datetime.date
    level: TrainingLevel
    mode: str
    product: TrainingProduct | None
    facilitator: str


@dataclass(frozen=True)
class Upload:
    staff: dict[RoleGroup, int]
    sessions: dict[SessionKey, dict[RoleGroup, int]]


def _date(value: object, cell: str, problems: list[str]) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text(value), pattern).date()
        except ValueError:
            continue
    problems.append(f"{cell}: enter the date like 2018-11-05")
    return None


def _by_name(items: list[Any]) -> dict[str, Any]:
    return {item.name.casefold(): item for item in items}


def read(partner_return: PartnerReturn, content: bytes) -> Upload:
    """The staff numbers and sessions in an uploaded template, or every bad cell."""
    grid = read_grid(partner_return, content, columns=COLUMNS)
    period = partner_return.window.period
    groups = _by_name(list(queries.role_groups_for(partner_return.organisation)))
    levels = _by_name(list(TrainingLevel.objects.all()))
    products = _by_name(list(TrainingProduct.objects.all()))
    if [text(grid.at(STAFF_HEADER_ROW, c)) for c in (1, 2, 3)] != STAFF_HEADERS:
        raise SpreadsheetError([f"{where(STAFF_HEADER_ROW, 'A')}: the headings have been changed"])
    problems: list[str] = []
    staff: dict[RoleGroup, int] = {}
    row = STAFF_HEADER_ROW + 1
    while row <= len(grid) and text(grid.at(row, 1)):
        group = groups.get(text(grid.at(row, 1)).casefold())
        count = whole_number(grid.at(row, 3), where(row, "C"), problems)
        if group is None:
            problems.append(
                f"{where(row, 'A')}: {text(grid.at(row, 1))!r} is not one of your role groups"
            )
        elif count is not None and count < 0:
            problems.append(f"{where(row, 'C')}: staff numbers cannot be negative")
        elif count is not None:
            staff[group] = count
        row += 1
    while row <= len(grid) and not text(grid.at(row, 1)):
        row += 1
    if row <= len(grid) and [text(grid.at(row, c)) for c in range(1, 8)] != SESSION_HEADERS:
        problems.append(
            f"{where(row, 'A')}: the headings of the training delivered have been changed"
        )
        raise SpreadsheetError(problems)
    sessions: dict[SessionKey, dict[RoleGroup, int]] = defaultdict(dict)
    header_row = row
    for row in range(header_row + 1, len(grid) + 1):
        values = [grid.at(row, c) for c in range(1, 8)]
        if all(text(value) == "" for value in values):
            continue
        found = len(problems)
        held_on = _date(values[0], where(row, "A"), problems)
        if held_on is not None and not period.starts_on <= held_on <= period.ends_on:
            problems.append(f"{where(row, 'A')}: the date is not in {period.name}")
        level = levels.get(text(values[1]).casefold())
        if level is None:
            problems.append(f"{where(row, 'B')}: {text(values[1])!r} is not a training level")
        mode = MODES.get(text(values[2]))
        if mode is None:
            allowed = ", ".join(MODES)
            problems.append(f"{where(row, 'C')}: say how it was delivered: one of {allowed}")
        product = products.get(text(values[3]).casefold()) if text(values[3]) else None
        if text(values[3]) and product is None:
            problems.append(f"{where(row, 'D')}: {text(values[3])!r} is not a training product")
        if len(text(values[4])) > 150:
            problems.append(f"{where(row, 'E')}: keep the facilitator to 150 characters")
        group = groups.get(text(values[5]).casefold())
        if group is None:
            problems.append(
                f"{where(row, 'F')}: {text(values[5])!r} is not one of your role groups"
            )
        counted = len(problems)
        attendees = whole_number(values[6], where(row, "G"), problems)
        if len(problems) == counted and (attendees is None or attendees < 1):
            problems.append(f"{where(row, 'G')}: enter how many attended, 1 or more")
        if len(problems) > found:
            continue
        key = SessionKey(held_on, level, mode, product, text(values[4]))  # type: ignore[arg-type]
        if group in sessions[key]:
            problems.append(f"{where(row, 'F')}: {group.name} appears twice for the same session")
            continue
        sessions[key][group] = attendees  # type: ignore[assignment]
    if problems:
        raise SpreadsheetError(problems)
    return Upload(staff, dict(sessions))


@transaction.atomic
def upload(
    *,
    partner_return: PartnerReturn,
    content: bytes,
    by: Any,
    expected_version: int | None = None,
) -> int:
    """Replace the quarter's staff numbers and training with a filled-in template's.

    Returns the number of sessions read. Raises SpreadsheetError naming every bad cell, and then
    nothing has been written; ConcurrentEditError if the return changed since
    ``expected_version`` (the upload page's) was read.
    """
    if not partner_return.is_editable:
        raise SpreadsheetError(["This return has been sent. Ask the coordinator to re-open it."])
    figures = read(partner_return, content)
    organisation, period = partner_return.organisation, partner_return.window.period
    try:
        claim_return(partner_return, expected_version=expected_version)
        if figures.staff:
            record_workforce(organisation=organisation, as_of=period.ends_on, staff=figures.staff)
        for session in TrainingSession.objects.filter(
            organisation=organisation, held_on__gte=period.starts_on, held_on__lte=period.ends_on
        ):
            session.delete()
        for key, attendees in figures.sessions.items():
            record_session(
                organisation=organisation,
                held_on=key.held_on,
                level=key.level,
                mode=key.mode,
                product=key.product,
                facilitator=key.facilitator,
                attendees=attendees,
                by=by,
            )
    except TrainingError as error:
        raise SpreadsheetError([str(error)]) from error
    record_upload(
        partner_return=partner_return,
        by=by,
        note=f"{len(figures.staff)} staff numbers, {len(figures.sessions)} sessions",
    )
    return len(figures.sessions)
