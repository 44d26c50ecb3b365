"""Reading a framework's areas and standards from a CSV or XLSX file. Touches no database.

One row a standard, with the columns of :data:`COLUMNS`. The file is read within the upload
limits (``core.spreadsheets.read_rows``) and checked whole: one problem and nothing is imported.
Problems name the row (the header being row 1) and the column. ``services.import_standards``
writes what this returns, matching areas and standards by code, so importing the same file twice
changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from preventhub.assessment.models import FrameworkArea, Standard
from preventhub.core.spreadsheets import SpreadsheetRefused, read_rows, too_long

COLUMNS = ("area_code", "area", "code", "title", "good_looks_like", "evidence_expected")
REQUIRED = ("area_code", "area", "code", "title")
MAX_PROBLEMS = 20


class ImportProblems(Exception):
    """The file was refused; ``problems`` lists each row and column to fix."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems[:MAX_PROBLEMS]
        more = len(problems) - len(self.problems)
        lines = [*self.problems, *([f"…and {more} more."] if more > 0 else [])]
        super().__init__("Nothing was imported. " + " ".join(lines))


@dataclass
class ImportedArea:
    code: str
    title: str
    standards: list[dict[str, str]] = field(default_factory=list)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def parse_standards(content: bytes, filename: str) -> list[ImportedArea]:
    """The areas of the file, in its order, each with its standards' fields."""
    try:
        rows = read_rows(content, filename)
        _, cells = next(rows, (1, []))
        header = [_text(cell).lower() for cell in cells]
        missing = [column for column in REQUIRED if column not in header]
        if missing:
            raise ImportProblems(
                [
                    f"Row 1: the column {', '.join(missing)} is missing. The columns are "
                    f"{', '.join(COLUMNS)}."
                ]
            )
        problems: list[str] = []
        areas: dict[str, ImportedArea] = {}
        seen: dict[str, int] = {}
        for number, cells in rows:
            row = dict(zip(header, (_text(cell) for cell in cells), strict=False))
            if not any(row.values()):
                continue
            for column in REQUIRED:
                if not row.get(column):
                    problems.append(f"Row {number}, column {column}: it is empty.")
            area_code, code = row.get("area_code", ""), row.get("code", "")
            if code and code in seen:
                problems.append(f"Row {number}, column code: {code} is also on row {seen[code]}.")
            seen.setdefault(code, number)
            for _name, limit in too_long(FrameworkArea, {"code": area_code}):
                problems.append(f"Row {number}, column area_code: keep it to {limit} characters.")
            for _name, limit in too_long(FrameworkArea, {"title": row.get("area", "")}):
                problems.append(f"Row {number}, column area: keep it to {limit} characters.")
            values = {
                "code": code,
                "title": row.get("title", ""),
                "good_looks_like": row.get("good_looks_like", ""),
                "evidence_expected": row.get("evidence_expected", ""),
            }
            for name, limit in too_long(Standard, values):
                problems.append(f"Row {number}, column {name}: keep it to {limit} characters.")
            area = areas.get(area_code)
            if area is None and area_code:
                area = areas[area_code] = ImportedArea(area_code, row.get("area", ""))
            elif area is not None and row.get("area") and row["area"] != area.title:
                problems.append(
                    f"Row {number}, column area: {area_code} is called {area.title!r} on an "
                    "earlier row. Give each area code one name."
                )
            if area is not None:
                area.standards.append(values)
    except SpreadsheetRefused as error:
        raise ImportProblems([str(error)]) from error
    if problems:
        raise ImportProblems(problems)
    if not areas:
        raise ImportProblems(["The file has no standards: one row a standard, after the header."])
    return list(areas.values())
