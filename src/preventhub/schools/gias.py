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

from preventhub.core import audit
from preventhub.core.bulk import insert_rows
from preventhub.core.models import AuditEvent
from preventhub.core.spreadsheets import (
    LARGEST_INTEGER,
    MB,
    Limits,
    SpreadsheetRefused,
    csv_rows,
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
    "1": str(Establishment.Status.OPEN.value),
    "2": str(Establishment.Status.CLOSED.value),
    "3": str(Establishment.Status.PROPOSED_TO_CLOSE.value),
    "4": str(Establishment.Status.PROPOSED_TO_OPEN.value),
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
    text = value.strip()
    if not text:
        return None
    try:
        # "04-03-2019" read by hand: strptime takes most of an import's time to read dates.
        if len(text) == 10 and text[2] == text[5] == "-" and text.replace("-", "").isdigit():
            return datetime.date(int(text[6:]), int(text[3:5]), int(text[:2]))
        return datetime.datetime.strptime(text, "%d-%m-%Y").date()
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
    # Cells are read by position: building a dictionary of 140 columns for each of 50,000 rows
    # costs more than the rest of the check.
    columns = {name: header.index(name) for name in REQUIRED_COLUMNS}
    width, la_at = len(header), columns[LA_CODE]
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
        if la_at < len(cells) <= width and cells[la_at].strip() not in wanted:
            result.out_of_area += 1
            continue
        before = len(problems)
        row = _check(cells, width, columns, line, seen, problems)
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


def _check(
    cells: list[str],
    width: int,
    columns: dict[str, int],
    line: int,
    seen: dict[int, int],
    problems: list[str],
) -> Row | None:
    """One in-area row as register values; its problems are appended to ``problems``."""
    if len(cells) > width:
        problems.append(f"Line {line}: it has more fields than the header.")
        return None
    if len(cells) < width:
        problems.append(f"Line {line}: it has fewer fields than the header.")
        return None
    record = {name: cells[at] for name, at in columns.items()}
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
    status = STATUSES.get(record[STATUS].strip())  # plain text, as the database gives it back
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
    for name, limit in _too_long(values):
        problems.append(
            f"Line {line}, column {TEXT_COLUMNS[name]}: it is longer than {limit} characters."
        )
    groups = {}
    for prefix in GROUP_COLUMNS:
        code, title = record[f"{prefix} (code)"].strip(), record[f"{prefix} (name)"].strip()
        if len(code) > GROUP_CODE_LENGTH:
            problems.append(
                f"Line {line}, column {prefix} (code): it is longer than {GROUP_CODE_LENGTH} "
                "characters."
            )
        if len(title) > GROUP_NAME_LENGTH:
            problems.append(
                f"Line {line}, column {prefix} (name): it is longer than {GROUP_NAME_LENGTH} "
                "characters."
            )
        groups[prefix] = (code, title) if code else None
    return Row(line, urn, values, groups["Trusts"], groups["Federations"])


def _text_lengths() -> dict[str, int]:
    return {name: Establishment._meta.get_field(name).max_length for name in TEXT_COLUMNS}


TEXT_LENGTHS = _text_lengths()
GROUP_CODE_LENGTH = EstablishmentGroup._meta.get_field("code").max_length
GROUP_NAME_LENGTH = EstablishmentGroup._meta.get_field("name").max_length


def _too_long(values: dict[str, Any]) -> list[tuple[str, int]]:
    """``too_long(Establishment, values)`` for the text fields, without a field lookup each."""
    return [(name, limit) for name, limit in TEXT_LENGTHS.items() if len(values[name]) > limit]


def _groups(
    kind: str, found: set[tuple[str, str]]
) -> tuple[dict[str, EstablishmentGroup], list[EstablishmentGroup], list[EstablishmentGroup]]:
    """The trusts (or federations) by code, with those to create and those renamed: the caller
    writes both in bulk."""
    existing = {group.code: group for group in EstablishmentGroup.objects.filter(kind=kind)}
    new, renamed = [], []
    for code, name in sorted(found):
        group = existing.get(code)
        if group is None:
            group = EstablishmentGroup(kind=kind, code=code, name=name)
            existing[code] = group
            new.append(group)
        elif group.name != name:
            group.name = name
            renamed.append(group)
    return existing, new, renamed


# How many rows each statement reads or writes: below SQLite's 999 variables for a lookup by
# URN, and big enough that a national import is a few hundred statements.
BATCH = 900


def _existing(urns: list[int]) -> dict[int, tuple[Any, ...]]:
    """The register's rows for these URNs, by URN: (pk, *FIELDS), read in batches."""
    found: dict[int, tuple[Any, ...]] = {}
    for start in range(0, len(urns), BATCH):
        for values in Establishment.objects.filter(urn__in=urns[start : start + BATCH]).values_list(
            "urn", "pk", *FIELDS
        ):
            found[values[0]] = values[1:]
    return found


def import_gias(
    content: bytes,
    *,
    la_codes: Iterable[str],
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Read and check every row (reporting ``progress``), then upsert in one transaction."""
    result = ImportResult()
    rows = read_rows(content, list(la_codes), result, progress)
    # In bulk: a national extract is tens of thousands of rows and thousands of trusts. One audit
    # entry records the import as a whole, with its counts.
    with audit.bulk_write(
        Establishment,
        action=AuditEvent.Action.UPDATE,
        description="Schools register imported from GIAS",
        object_repr="GIAS import",
    ) as write:
        trusts, new_trusts, renamed_trusts = _groups(
            EstablishmentGroup.Kind.TRUST, {r.trust for r in rows if r.trust}
        )
        federations, new_federations, renamed_federations = _groups(
            EstablishmentGroup.Kind.FEDERATION, {r.federation for r in rows if r.federation}
        )
        new_groups = new_trusts + new_federations
        renamed = renamed_trusts + renamed_federations
        EstablishmentGroup.objects.bulk_create(new_groups, batch_size=BATCH)
        EstablishmentGroup.objects.bulk_update(renamed, ["name"], batch_size=BATCH)
        if any(group.pk is None for group in new_groups):  # no keys back from a bulk insert
            stored = {
                (kind, code): pk
                for kind, code, pk in EstablishmentGroup.objects.values_list("kind", "code", "pk")
            }
            for group in new_groups:
                group.pk = stored[group.kind, group.code]
        districts = dict(Area.objects.filter(kind=Area.Kind.DISTRICT).values_list("gss_code", "pk"))
        existing = _existing([row.urn for row in rows])
        created, changed = [], []
        closed = Establishment.Status.CLOSED
        for row in rows:
            values = row.values
            values["district_id"] = districts.get(values["district_code"])
            values["trust_id"] = trusts[row.trust[0]].pk if row.trust else None
            values["federation_id"] = federations[row.federation[0]].pk if row.federation else None
            current = existing.get(row.urn)
            if current is None:
                created.append((row.urn, "", *(values[name] for name in FIELDS)))
                continue
            wanted = tuple(values[name] for name in FIELDS)
            if wanted == current[1:]:
                result.unchanged += 1
                continue
            if current[1 + STATUS_AT] != closed and values["status"] == closed:
                result.closed += 1
            changed.append(Establishment(pk=current[0], urn=row.urn, **values))
        insert_rows(Establishment, ("urn", "contact_email", *FIELDS), created)
        Establishment.objects.bulk_update(changed, FIELDS, batch_size=BATCH)
        result.created, result.updated = len(created), len(changed)
        write.rows = len(created) + len(changed) + len(new_groups) + len(renamed)
        if write.rows:
            write.changes = {
                "import": result.as_dict(),
                "trusts_created": len(new_trusts),
                "federations_created": len(new_federations),
                "groups_renamed": len(renamed),
            }
    return result


STATUS_AT = FIELDS.index("status")
