"""Read models of the Training Framework and of one training return."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from preventhub.core.exports import Table
from preventhub.partnership.models import Organisation, Sector
from preventhub.returns.models import PartnerReturn, ReturnKind
from preventhub.training.models import (
    RoleGroup,
    TrainingLevel,
    TrainingProduct,
    TrainingSession,
    WorkforceFigure,
)
from preventhub.training.stats import Coverage


@dataclass(frozen=True)
class MatrixRow:
    role_group: RoleGroup
    needs: list[bool]  # one per level, in order: True at the level the group needs


@dataclass(frozen=True)
class MatrixSector:
    sector: Sector
    rows: list[MatrixRow]


@dataclass(frozen=True)
class Framework:
    levels: list[TrainingLevel]
    sectors: list[MatrixSector]


def framework() -> Framework:
    """The framework matrix: for each sector's role groups, the level each needs."""
    levels = list(TrainingLevel.objects.order_by("position"))
    sectors: dict[int, MatrixSector] = {}
    for group in RoleGroup.objects.select_related("sector", "level"):
        matrix = sectors.setdefault(group.sector_id, MatrixSector(group.sector, []))
        matrix.rows.append(MatrixRow(group, [level.pk == group.level_id for level in levels]))
    return Framework(levels, list(sectors.values()))


def role_groups_for(organisation: Organisation) -> QuerySet[RoleGroup]:
    groups = RoleGroup.objects.select_related("level", "sector")
    return groups.filter(sector=organisation.sector) if organisation.sector_id else groups


@dataclass(frozen=True)
class WorkforceRow:
    role_group: RoleGroup
    figure: WorkforceFigure | None


@dataclass(frozen=True)
class TrainingReturnPage:
    partner_return: PartnerReturn
    workforce: list[WorkforceRow]
    sessions: list[TrainingSession]
    attendees: int


def training_return(partner_return: PartnerReturn) -> TrainingReturnPage:
    """What a training return holds: the workforce at the quarter's end, its sessions."""
    organisation = partner_return.organisation
    period = partner_return.window.period
    latest: dict[int, WorkforceFigure] = {}
    for figure in WorkforceFigure.objects.filter(
        organisation=organisation, as_of__lte=period.ends_on
    ).order_by("-as_of"):
        latest.setdefault(figure.role_group_id, figure)
    workforce = [
        WorkforceRow(group, latest.get(group.pk)) for group in role_groups_for(organisation)
    ]
    sessions = list(
        TrainingSession.objects.filter(
            organisation=organisation, held_on__gte=period.starts_on, held_on__lte=period.ends_on
        )
        .select_related("level", "product")
        .prefetch_related("attendance__role_group")
    )
    attendees = sum(row.attendees for session in sessions for row in session.attendance.all())
    return TrainingReturnPage(partner_return, workforce, sessions, attendees)


def products() -> list[TrainingProduct]:
    return list(
        TrainingProduct.objects.select_related("level").prefetch_related("versions__uploaded_by")
    )


def coverage_table(result: Coverage) -> Table:
    headers = ["Organisation"]
    for level in result.levels:
        headers += [f"{level.name}: needing", f"{level.name}: trained", f"{level.name}: %"]
    headers += ["All levels: needing", "All levels: trained", "All levels: %"]
    rows = []
    for line in [*result.organisations, result.total]:
        row: list[object] = [line.label]
        for cell in [*line.cells(result.levels), line.total]:
            row += [cell.needing, cell.trained, "" if cell.coverage is None else cell.coverage]
        rows.append(row)
    return Table(f"Training coverage {result.on:%Y-%m-%d}", headers, rows)


def training_return_for(organisation: Organisation, on: datetime.date) -> PartnerReturn | None:
    """The training return covering ``on`` for ``organisation``, if one is owed."""
    return (
        PartnerReturn.objects.select_related("window__period")
        .filter(
            organisation=organisation,
            window__kind=ReturnKind.TRAINING,
            window__period__starts_on__lte=on,
            window__period__ends_on__gte=on,
        )
        .first()
    )


def session_in_return(partner_return: PartnerReturn, pk: int) -> TrainingSession | None:
    """The session ``pk`` if it belongs to ``partner_return`` (its organisation and quarter)."""
    period = partner_return.window.period
    return (
        TrainingSession.objects.filter(
            pk=pk,
            organisation=partner_return.organisation_id,
            held_on__gte=period.starts_on,
            held_on__lte=period.ends_on,
        )
        .select_related("level", "product", "organisation")
        .prefetch_related("attendance__role_group")
        .first()
    )


def same_sessions(
    *,
    organisation: Organisation,
    held_on: datetime.date,
    level: TrainingLevel,
    mode: str,
    product: TrainingProduct | None,
    exclude: TrainingSession | None = None,
) -> list[TrainingSession]:
    """Sessions already recorded that look like this one: the same organisation, date, level,
    way of delivery and product. Possibly the same training recorded twice."""
    found = TrainingSession.objects.filter(
        organisation=organisation, held_on=held_on, level=level, mode=mode, product=product
    ).prefetch_related("attendance")
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return list(found)


def describe_session(session: TrainingSession, attendance: dict[str, int] | None = None) -> str:
    """A session in words, for its return's history: "Basic awareness, face to face, on
    4 March 2019 (product X, facilitator Y): 12 all staff". Counts only, never people."""
    if attendance is None:
        attendance = {row.role_group.name: row.attendees for row in session.attendance.all()}
    words = f"{session.level.name}, {session.get_mode_display().lower()}, on "
    words += f"{session.held_on:%-d %B %Y}"
    extras = []
    if session.product_id:
        extras.append(str(session.product))
    if session.facilitator:
        extras.append(f"facilitator {session.facilitator}")
    if extras:
        words += f" ({', '.join(extras)})"
    counts = ", ".join(
        f"{count} {name.lower()}" for name, count in sorted(attendance.items()) if count
    )
    return f"{words}: {counts or 'no attendees'}"
