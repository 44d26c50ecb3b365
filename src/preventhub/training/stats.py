"""Training coverage: staff trained and in date, out of the staff who need each level.

On a given day, an organisation *needs* as many people at a level as its latest workforce
figures (on or before that day) put in the role groups requiring that level. It has *trained*
those who attended a session at that level or higher within their role group's refresh interval
before the day, never more than it needs. Sessions count people, not names, so a person trained
twice counts twice: the cap keeps coverage at 100% at most.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from preventhub.core.calendar import add_months
from preventhub.core.figures import percent
from preventhub.partnership.models import Area, Organisation
from preventhub.training.models import RoleGroup, SessionAttendance, TrainingLevel, WorkforceFigure


@dataclass
class Cell:
    needing: int = 0
    trained: int = 0

    @property
    def coverage(self) -> int | None:
        """Whole percent, rounded half up; None when nobody needs the training."""
        return percent(self.trained, self.needing)

    def add(self, other: Cell) -> None:
        self.needing += other.needing
        self.trained += other.trained

    def as_json(self) -> dict[str, int | None]:
        return {"needing": self.needing, "trained": self.trained, "coverage": self.coverage}


@dataclass
class Line:
    """One row of coverage: an organisation, a sector or a district, by level and in total."""

    label: str
    by_level: dict[int, Cell] = field(default_factory=dict)
    total: Cell = field(default_factory=Cell)
    row: list[Cell] = field(default_factory=list)  # by level, in order, for tables

    def cell(self, level_id: int) -> Cell:
        return self.by_level.setdefault(level_id, Cell())

    def cells(self, levels: list[TrainingLevel]) -> list[Cell]:
        return [self.by_level.get(level.pk, Cell()) for level in levels]


@dataclass(frozen=True)
class Coverage:
    on: datetime.date
    levels: list[TrainingLevel]
    organisations: list[Line]
    sectors: list[Line]
    districts: list[Line]
    total: Line


COUNTY_WIDE = "County-wide organisations"


def _district_of(organisation: Organisation) -> str:
    area = organisation.area
    return area.name if area is not None and area.kind == Area.Kind.DISTRICT else COUNTY_WIDE


def coverage(on: datetime.date, *, organisation_ids: list[int] | None = None) -> Coverage:
    """Coverage on ``on``: four queries whatever the number of organisations."""
    levels = list(TrainingLevel.objects.order_by("position"))
    position = {level.pk: level.position for level in levels}
    groups = {group.pk: group for group in RoleGroup.objects.select_related("level")}
    figures = WorkforceFigure.objects.filter(as_of__lte=on).order_by(
        "organisation_id", "role_group_id", "-as_of"
    )
    if organisation_ids is not None:
        figures = figures.filter(organisation_id__in=organisation_ids)
    needing: dict[tuple[int, int], int] = {}
    for org_id, group_id, staff in figures.values_list("organisation_id", "role_group_id", "staff"):
        needing.setdefault((org_id, group_id), staff)  # the latest figure comes first
    longest = max((group.refresh_interval for group in groups.values()), default=0)
    attended = SessionAttendance.objects.filter(
        session__held_on__lte=on, session__held_on__gt=add_months(on, -longest)
    )
    if organisation_ids is not None:
        attended = attended.filter(session__organisation_id__in=organisation_ids)
    trained: dict[tuple[int, int], int] = defaultdict(int)
    for org_id, group_id, level_id, held_on, count in attended.values_list(
        "session__organisation_id",
        "role_group_id",
        "session__level_id",
        "session__held_on",
        "attendees",
    ):
        group = groups[group_id]
        in_date = held_on > add_months(on, -group.refresh_interval)
        if in_date and position[level_id] >= position[group.level_id]:
            trained[(org_id, group_id)] += count
    organisations = Organisation.objects.select_related("sector", "area").in_bulk(
        {org_id for org_id, _ in needing}
    )
    by_org: dict[int, Line] = {}
    by_sector: dict[str, Line] = {}
    by_district: dict[str, Line] = {}
    total = Line("All organisations")
    for (org_id, group_id), staff in needing.items():
        group = groups[group_id]
        cell = Cell(staff, min(staff, trained.get((org_id, group_id), 0)))
        organisation = organisations[org_id]
        sector = str(organisation.sector) if organisation.sector else "No sector"
        lines = [
            by_org.setdefault(org_id, Line(organisation.name)),
            by_sector.setdefault(sector, Line(sector)),
            by_district.setdefault(_district_of(organisation), Line(_district_of(organisation))),
            total,
        ]
        for line in lines:
            line.cell(group.level_id).add(cell)
            line.total.add(cell)
    for line in [*by_org.values(), *by_sector.values(), *by_district.values(), total]:
        line.row = line.cells(levels)
    return Coverage(
        on=on,
        levels=levels,
        organisations=sorted(by_org.values(), key=lambda line: line.label),
        sectors=sorted(by_sector.values(), key=lambda line: line.label),
        districts=sorted(
            by_district.values(), key=lambda line: (line.label == COUNTY_WIDE, line.label)
        ),
        total=total,
    )


def coverage_json(result: Coverage) -> dict[str, object]:
    """Per organisation and in total: {"needing", "trained", "coverage"} by level."""

    def levels(line: Line) -> dict[str, dict[str, int | None]]:
        return {
            level.name: line.by_level.get(level.pk, Cell()).as_json() for level in result.levels
        }

    return {
        "on": result.on.isoformat(),
        "organisations": {line.label: levels(line) for line in result.organisations},
        "total": levels(result.total),
    }
