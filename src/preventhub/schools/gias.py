"""Import of the GIAS establishment extract (edubasealldataYYYYMMDD.csv) into the register.

All or nothing: every row is read and checked before anything is written; one bad row names its
line and column and changes nothing. Rows are matched on URN, so importing the same file again
changes nothing. Only establishments of the partnership's LA codes are kept.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction

from preventhub.core import audit
from preventhub.core.models import AuditEvent
from preventhub.core.spreadsheets import (
    LARGEST_INTEGER,
    MB,
    Limits,
    SpreadsheetRefused,
    csv_rows,
    too_long,
)
from preventhub.partnership.models import Area
from preventhub.schools.models import Establishment, EstablishmentGroup

URN = "URN"
LA_CODE = "LA (code)"
STATUS = "EstablishmentStatus (code)"
REQUIRED_COLUMNS = (
    URN,
    LA_CODE,
    "LA (name)",
    "EstablishmentNumber",
    "EstablishmentName",
    "TypeOfEstablishment (name)",
    "EstablishmentTypeGroup (name)",
    STATUS,
    "PhaseOfEducation (name)",
    "NumberOfPupils",
    "Trusts (code)",
    "Trusts (name)",
    "Federations (code)",
    "Federations (name)",
    "DistrictAdministrative (code)",
    "Postcode",
    "OpenDate",
    "CloseDate",
)
STATUSES = {
    "1": Establishment.Status.OPEN,
    "2": Establishment.Status.CLOSED,
    "3": Establishment.Status.PROPOSED_TO_CLOSE,
    "4": Establishment.Status.PROPOSED_TO_OPEN,
}
# The register's own fields, compared to tell "updated" from "unchanged".
FIELDS = (
    "name",
    "la_code",
    "la_name",
    "establishment_number",
    "type_name",
    "type_group",
    "status",
    "phase",
    "pupils",
    "postcode",
    "district_id",
    "district_code",
    "trust_id",
    "federation_id",
    "opened_on",
    "closed_on",
)
# The register's text fields and the columns they come from, to name a value too long for one.
TEXT_COLUMNS = {
    "name": "EstablishmentName",
    "la_code": LA_CODE,
    "la_name": "LA (name)",
    "establishment_number": "EstablishmentNumber",
    "type_name": "TypeOfEstablishment (name)",
    "type_group": "EstablishmentTypeGroup (name)",
    "phase": "PhaseOfEducation (name)",
    "postcode": "Postcode",
    "district_code": "DistrictAdministrative (code)",
}
GROUP_COLUMNS = ("Trusts", "Federations")  # each has a (code) and a (name) column
MAX_ERRORS = 20


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0
    out_of_area: int = 0
    rejected: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass
class GiasImportError(Exception):
    """The file was refused; ``problems`` say where and what, and nothing was written."""

    problems: list[str]
    result: ImportResult = field(default_factory=ImportResult)

    def __str__(self) -> str:
        return "\n".join(self.problems)


@dataclass(frozen=True)
class Row:
    line: int
    urn: int
    values: dict[str, Any]
    trust: tuple[str, str] | None
    federation: tuple[str, str] | None


def limits() -> Limits:
    """The upload limits, with the extract's own size. Its rows are checked one at a time and
    never all held, and it is read by the task worker or a command, so its cells and time are
    not bounded."""
    return Limits.from_settings(
        max_bytes=settings.PREVENTHUB_GIAS_UPLOAD_MAX_MB * MB, max_cells=None, max_seconds=None
    )


def _date(value: str, line: int, column: str, problems: list[str]) -> datetime.date | None:
    if not value.strip():
        return None
    try:
        return datetime.datetime.strptime(value.strip(), "%d-%m-%Y").date()
    except ValueError:
        problems.append(f"Line {line}, column {column}: {value!r} is not a date like 04-03-2019.")
        return None


def _count(value: str, line: int, column: str, problems: list[str]) -> int | None:
    if not value.strip():
        return None
    try:
        number = int(value.strip())
    except ValueError:
        problems.append(f"Line {line}, column {column}: {value!r} is not a whole number.")
        return None
    if number < 0:
        problems.append(f"Line {line}, column {column}: {number} is below zero.")
        return None
    if number > LARGEST_INTEGER:
        problems.append(f"Line {line}, column {column}: {number} is too large.")
        return None
    return number


def _group(code: str, name: str) -> tuple[str, str] | None:
    return (code.strip(), name.strip()) if code.strip() else None


def read_rows(
    content: bytes,
    la_codes: Iterable[str],
    result: ImportResult,
    progress: Callable[[int, int], None] | None = None,
) -> list[Row]:
    """Check every row; return the partnership's rows, or raise with every problem found."""
    try:
        return _read_rows(content, la_codes, result, progress)
    except SpreadsheetRefused as error:
        raise GiasImportError([str(error)], result) from error


def _read_rows(
    content: bytes,
    la_codes: Iterable[str],
    result: ImportResult,
    progress: Callable[[int, int], None] | None,
) -> list[Row]:
    records = csv_rows(content, limits=limits())
    header = next(records, (1, []))[1]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise GiasImportError(
            [
                f"Line 1: the file has no column {', '.join(repr(c) for c in missing)}. "
                "Use the full GIAS establishment extract (all fields)."
            ]
        )
    wanted = {code.strip() for code in la_codes}
    problems: list[str] = []
    rows: list[Row] = []
    seen: dict[int, int] = {}
    total = max(content.count(b"\n") - 1, 1)  # lines after the header, near enough for a bar
    for number, (line, cells) in enumerate(records, start=1):
        if progress is not None and number % 1000 == 0:
            progress(min(number, total), total)
        if not cells:
            continue
        record = _as_record(header, cells)
        if None not in record and record[LA_CODE] is not None:
            if record[LA_CODE].strip() not in wanted:
                result.out_of_area += 1
                continue
        before = len(problems)
        row = _check(record, line, seen, problems)
        if len(problems) > before:
            result.rejected += 1
        elif row is not None:
            rows.append(row)
        if len(problems) >= MAX_ERRORS:
            break
    if problems:
        raise GiasImportError(problems[:MAX_ERRORS], result)
    if progress is not None:
        progress(total, total)
    return rows


def _as_record(header: list[str], cells: list[str]) -> dict[Any, Any]:
    """The row by column name, as csv.DictReader gives it: extra fields under None, missing None."""
    record: dict[Any, Any] = dict(zip(header, cells, strict=False))
    if len(cells) > len(header):
        record[None] = cells[len(header) :]
    for name in header[len(cells) :]:
        record[name] = None
    return record


def _check(
    record: dict[Any, Any], line: int, seen: dict[int, int], problems: list[str]
) -> Row | None:
    """One in-area row as register values; its problems are appended to ``problems``."""
    if None in record:
        problems.append(f"Line {line}: it has more fields than the header.")
        return None
    if any(value is None for value in record.values()):
        problems.append(f"Line {line}: it has fewer fields than the header.")
        return None
    if not record[URN].strip():
        problems.append(f"Line {line}, column {URN}: the URN is empty.")
        return None
    urn = _count(record[URN], line, URN, problems)
    if urn is None:
        return None
    if urn in seen:
        problems.append(f"Line {line}, column {URN}: URN {urn} is also on line {seen[urn]}.")
        return None
    seen[urn] = line
    status = STATUSES.get(record[STATUS].strip())
    if status is None:
        problems.append(f"Line {line}, column {STATUS}: {record[STATUS]!r} is not 1, 2, 3 or 4.")
    values = {
        "name": record["EstablishmentName"].strip(),
        "la_code": record[LA_CODE].strip(),
        "la_name": record["LA (name)"].strip(),
        "establishment_number": record["EstablishmentNumber"].strip(),
        "type_name": record["TypeOfEstablishment (name)"].strip(),
        "type_group": record["EstablishmentTypeGroup (name)"].strip(),
        "status": status,
        "phase": record["PhaseOfEducation (name)"].strip(),
        "pupils": _count(record["NumberOfPupils"], line, "NumberOfPupils", problems),
        "postcode": record["Postcode"].strip(),
        "district_code": record["DistrictAdministrative (code)"].strip(),
        "opened_on": _date(record["OpenDate"], line, "OpenDate", problems),
        "closed_on": _date(record["CloseDate"], line, "CloseDate", problems),
    }
    if not values["name"]:
        problems.append(f"Line {line}, column EstablishmentName: the name is empty.")
    for name, limit in too_long(Establishment, values):
        problems.append(
            f"Line {line}, column {TEXT_COLUMNS[name]}: it is longer than {limit} characters."
        )
    groups = {}
    for prefix in GROUP_COLUMNS:
        code, title = record[f"{prefix} (code)"], record[f"{prefix} (name)"]
        group = {"code": code.strip(), "name": title.strip()}
        for name, limit in too_long(EstablishmentGroup, group):
            problems.append(
                f"Line {line}, column {prefix} ({name}): it is longer than {limit} characters."
            )
        groups[prefix] = _group(code, title)
    return Row(line, urn, values, groups["Trusts"], groups["Federations"])


def _groups(kind: str, found: set[tuple[str, str]]) -> dict[str, EstablishmentGroup]:
    existing = {group.code: group for group in EstablishmentGroup.objects.filter(kind=kind)}
    for code, name in sorted(found):
        group = existing.get(code)
        if group is None:
            existing[code] = EstablishmentGroup.objects.create(kind=kind, code=code, name=name)
        elif group.name != name:
            group.name = name
            group.save(update_fields=["name"])
    return existing


def import_gias(
    content: bytes,
    *,
    la_codes: Iterable[str],
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Read and check every row (reporting ``progress``), then upsert in one transaction."""
    result = ImportResult()
    rows = read_rows(content, list(la_codes), result, progress)
    with transaction.atomic():
        trusts = _groups(EstablishmentGroup.Kind.TRUST, {r.trust for r in rows if r.trust})
        federations = _groups(
            EstablishmentGroup.Kind.FEDERATION, {r.federation for r in rows if r.federation}
        )
        districts = dict(Area.objects.filter(kind=Area.Kind.DISTRICT).values_list("gss_code", "pk"))
        existing = Establishment.objects.in_bulk([row.urn for row in rows], field_name="urn")
        created, changed = [], []
        for row in rows:
            values = dict(row.values)
            values["district_id"] = districts.get(values["district_code"])
            values["trust_id"] = trusts[row.trust[0]].pk if row.trust else None
            values["federation_id"] = federations[row.federation[0]].pk if row.federation else None
            current = existing.get(row.urn)
            if current is None:
                created.append(Establishment(urn=row.urn, **values))
            elif any(getattr(current, name) != values[name] for name in FIELDS):
                if current.status != Establishment.Status.CLOSED and (
                    values["status"] == Establishment.Status.CLOSED
                ):
                    result.closed += 1
                for name in FIELDS:
                    setattr(current, name, values[name])
                changed.append(current)
            else:
                result.unchanged += 1
        # In bulk: a national extract is tens of thousands of rows. One audit entry records the
        # import as a whole, with its counts.
        with audit.bulk_write(
            Establishment,
            action=AuditEvent.Action.UPDATE,
            description="Schools register imported from GIAS",
            object_repr="GIAS import",
        ) as write:
            Establishment.objects.bulk_create(created, batch_size=1000)
            Establishment.objects.bulk_update(changed, FIELDS, batch_size=1000)
            result.created, result.updated = len(created), len(changed)
            write.rows = len(created) + len(changed)
            if write.rows:
                write.changes = {"import": result.as_dict()}
    return result
