"""Import of the GIAS establishment extract (edubasealldataYYYYMMDD.csv) into the register.

All or nothing: every row is read and checked before anything is written; one bad row names its
line and column and changes nothing. Rows are matched on URN, so importing the same file again
changes nothing. Only establishments of the partnership's LA codes are kept.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from operator import gt, itemgetter
from typing import Any, NamedTuple

from django.conf import settings

from preventhub.core import audit
from preventhub.core.bulk import cycle_collection_paused, insert_rows
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
# ``_check`` takes a row's cells in this order.
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
# The register's fields a row gives, in the order ``_check`` returns them ...
READ_FIELDS = (
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
    "district_code",
    "opened_on",
    "closed_on",
)
# ... and those the import finds for it, after its groups are written: together, the fields
# compared to tell "updated" from "unchanged".
FIELDS = (*READ_FIELDS, "district_id", "trust_id", "federation_id")
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


class Row(NamedTuple):
    """One in-area row, checked: a named tuple, which a national file makes 50,000 of."""

    line: int
    urn: int
    values: tuple[Any, ...]  # in the order of READ_FIELDS
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
    # Cells are read by position, the required ones in one call: building a dictionary of 140
    # columns for each of 50,000 rows costs more than the rest of the check.
    pick = itemgetter(*(header.index(name) for name in REQUIRED_COLUMNS))
    width, la_at = len(header), header.index(LA_CODE)
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
        row = _check(cells, width, pick, line, seen, problems)
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
    pick: itemgetter,
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
    # In the order of REQUIRED_COLUMNS.
    (
        urn_text,
        la_code,
        la_name,
        number,
        name,
        type_name,
        type_group,
        status_code,
        phase,
        pupils,
        trust_code,
        trust_name,
        federation_code,
        federation_name,
        district_code,
        postcode,
        opened_on,
        closed_on,
    ) = pick(cells)
    if not urn_text.strip():
        problems.append(f"Line {line}, column {URN}: the URN is empty.")
        return None
    urn = _count(urn_text, line, URN, problems)
    if urn is None:
        return None
    if urn in seen:
        problems.append(f"Line {line}, column {URN}: URN {urn} is also on line {seen[urn]}.")
        return None
    seen[urn] = line
    status = STATUSES.get(status_code.strip())  # plain text, as the database gives it back
    if status is None:
        problems.append(f"Line {line}, column {STATUS}: {status_code!r} is not 1, 2, 3 or 4.")
    values = (
        name.strip(),
        la_code.strip(),
        la_name.strip(),
        number.strip(),
        type_name.strip(),
        type_group.strip(),
        status,
        phase.strip(),
        _count(pupils, line, "NumberOfPupils", problems),
        postcode.strip(),
        district_code.strip(),
        _date(opened_on, line, "OpenDate", problems),
        _date(closed_on, line, "CloseDate", problems),
    )
    if not values[0]:
        problems.append(f"Line {line}, column EstablishmentName: the name is empty.")
    for field_name, limit in _too_long(values):
        problems.append(
            f"Line {line}, column {TEXT_COLUMNS[field_name]}: it is longer than {limit} characters."
        )
    trust = _group("Trusts", trust_code, trust_name, line, problems)
    federation = _group("Federations", federation_code, federation_name, line, problems)
    return Row(line, urn, values, trust, federation)


def _group(
    prefix: str, code: str, name: str, line: int, problems: list[str]
) -> tuple[str, str] | None:
    """A trust's or a federation's (code, name), or None without a code."""
    code, name = code.strip(), name.strip()
    if len(code) > GROUP_CODE_LENGTH:
        problems.append(
            f"Line {line}, column {prefix} (code): it is longer than {GROUP_CODE_LENGTH} "
            "characters."
        )
    if len(name) > GROUP_NAME_LENGTH:
        problems.append(
            f"Line {line}, column {prefix} (name): it is longer than {GROUP_NAME_LENGTH} "
            "characters."
        )
    return (code, name) if code else None


TEXT_FIELDS = tuple(TEXT_COLUMNS)
TEXT_LENGTHS = tuple(Establishment._meta.get_field(name).max_length for name in TEXT_FIELDS)
TEXTS = itemgetter(*(READ_FIELDS.index(name) for name in TEXT_FIELDS))
GROUP_CODE_LENGTH = EstablishmentGroup._meta.get_field("code").max_length
GROUP_NAME_LENGTH = EstablishmentGroup._meta.get_field("name").max_length


def _too_long(values: tuple[Any, ...]) -> list[tuple[str, int]]:
    """``too_long(Establishment, values)`` for the text fields, without a field lookup each:
    compared in C, and named only for the rare row with a value too long."""
    lengths = list(map(len, TEXTS(values)))
    if not any(map(gt, lengths, TEXT_LENGTHS)):
        return []
    return [
        (name, limit)
        for name, length, limit in zip(TEXT_FIELDS, lengths, TEXT_LENGTHS, strict=True)
        if length > limit
    ]


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


# How many rows each statement writes: below SQLite's 999 variables, and big enough that a
# national import is a few hundred statements.
BATCH = 900


def _existing(urns: set[int]) -> dict[int, tuple[Any, ...]]:
    """The register's rows for these URNs, by URN: (pk, *FIELDS).

    The register is read whole, a chunk at a time, and only the file's rows are kept. Looking
    them up by URN costs more: a national file's 50,000 URNs are 56 statements of 900 variables,
    each prepared by Django and PostgreSQL's driver variable by variable, which took longer than
    reading the file. The register holds the partnership's establishments, which is what a file
    brings, so reading it all reads little that is not wanted.
    """
    found: dict[int, tuple[Any, ...]] = {}
    for values in Establishment.objects.values_list("urn", "pk", *FIELDS).iterator(chunk_size=5000):
        if values[0] in urns:
            found[values[0]] = values[1:]
    return found


@cycle_collection_paused()
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
        existing = _existing({row.urn for row in rows})
        created, changed = [], []
        closed = Establishment.Status.CLOSED
        # Rows go as tuples in the order of FIELDS and are compared whole, in C: a dictionary
        # or a model object for each of 50,000 rows cost more than writing them.
        for row in rows:
            wanted = row.values + (
                districts.get(row.values[DISTRICT_CODE_AT]),
                trusts[row.trust[0]].pk if row.trust else None,
                federations[row.federation[0]].pk if row.federation else None,
            )
            current = existing.get(row.urn)
            if current is None:
                created.append((row.urn, "", *wanted))
                continue
            if wanted == current[1:]:
                result.unchanged += 1
                continue
            if current[1 + STATUS_AT] != closed and wanted[STATUS_AT] == closed:
                result.closed += 1
            changed.append(
                Establishment(pk=current[0], urn=row.urn, **dict(zip(FIELDS, wanted, strict=True)))
            )
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
DISTRICT_CODE_AT = FIELDS.index("district_code")
