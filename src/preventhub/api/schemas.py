"""What the API takes and gives: Pydantic schemas, turned into the OpenAPI document."""

from __future__ import annotations

import datetime
from enum import Enum

from ninja import Field, Schema

from preventhub.core.calendar import EARLIEST_DATE, LATEST_DATE
from preventhub.delivery.models import ActionStatus, Rag
from preventhub.training.models import TrainingSession

# Free text: anything but NUL, which PostgreSQL cannot store.
TEXT = r"^[^\x00]*$"
# Ids of records: what the database can hold.
ID = {"ge": 1, "le": 2_147_483_647}
# The dates Prevent Hub takes, as the pages do (core.calendar).
PLAUSIBLE_DATE = {"ge": EARLIEST_DATE, "le": LATEST_DATE}

# Enums from the models' own choices, so the API accepts exactly what the pages accept.
Status = Enum("Status", {value: value for value in ActionStatus.values}, type=str)  # type: ignore[misc]
RagRating = Enum("RagRating", {value: value for value in Rag.values}, type=str)  # type: ignore[misc]
Mode = Enum("Mode", {value: value for value in TrainingSession.Mode.values}, type=str)  # type: ignore[misc]


class Error(Schema):
    code: str = Field(description="Stable, for programs: like stale, forbidden, invalid.")
    message: str = Field(description="For people: what went wrong and what to do.")
    field: str | None = Field(None, description="The field in error, for validation errors.")


class Paged(Schema):
    count: int = Field(description="How many items match, on every page.")
    limit: int
    offset: int


class Area(Schema):
    id: int
    gss_code: str
    name: str
    kind: str


class AreaPage(Paged):
    items: list[Area]


class Organisation(Schema):
    id: int
    name: str
    sector: str | None
    area: str | None = Field(description="The area's GSS code.")
    is_archived: bool


class OrganisationPage(Paged):
    items: list[Organisation]


class Board(Schema):
    id: int
    name: str
    kind: str
    area: str | None
    is_archived: bool


class BoardPage(Paged):
    items: list[Board]


class Period(Schema):
    id: int
    name: str
    starts_on: datetime.date
    ends_on: datetime.date
    updates_due_on: datetime.date
    status: str


class PeriodPage(Paged):
    items: list[Period]


class Plan(Schema):
    id: int
    title: str
    status: str
    approved_on: datetime.date | None


class Section(Schema):
    id: int
    code: str
    title: str
    kind: str
    position: int


class SectionPage(Paged):
    items: list[Section]


class Action(Schema):
    id: int
    reference: str
    title: str
    section: str = Field(description="The section's code.")
    owner_organisation: int
    district: int | None
    starts_on: datetime.date | None
    due_on: datetime.date | None
    status: str
    rag: str
    is_overdue: bool


class ActionPage(Paged):
    items: list[Action]


class Update(Schema):
    id: int
    action: int
    period: str
    status: str
    narrative: str
    submitted_at: datetime.datetime
    is_late: bool
    version: int


class UpdatePage(Paged):
    items: list[Update]


class UpdateSlot(Schema):
    action: int
    period: str | None = Field(description="The quarter open for updates, if one is.")
    update: Update | None
    etag: str = Field(description='Send it back in If-Match: "0" when no update is there yet.')
    refusal: str = Field(description="Why the action takes no update; empty when it does.")


class UpdateIn(Schema):
    status: Status  # type: ignore[valid-type]
    narrative: str = Field(min_length=1, max_length=10000, pattern=TEXT)


class AuditRound(Schema):
    id: int
    name: str
    kind: str
    opens_on: datetime.date
    closes_on: datetime.date


class AuditRoundPage(Paged):
    items: list[AuditRound]


class QuestionSummary(Schema):
    answered: int
    counts: dict[str, int]


class AuditSummary(Schema):
    round: str
    in_scope: int
    responded: int
    completion_rate: int | None
    prevent_answered: int
    prevent_rate: int | None
    all_actioned: int
    under_review: int
    cannot_confirm: int
    questions: dict[str, QuestionSummary]


class CoverageCell(Schema):
    needing: int
    trained: int
    coverage: int | None


class Coverage(Schema):
    on: datetime.date
    organisations: dict[str, dict[str, CoverageCell]]
    total: dict[str, CoverageCell]


class Level(Schema):
    id: int
    name: str
    description: str
    refresh_months: int


class Indicator(Schema):
    id: int
    code: str
    name: str
    unit: str
    description: str
    by_district: bool
    minimum: int
    maximum: int | None
    is_required: bool
    is_active: bool


class IndicatorPage(Paged):
    items: list[Indicator]


class AcceptedValue(Schema):
    indicator: str
    district: str | None = Field(description="The district's GSS code; null for the county.")
    total: int
    contributors: list[str]


class AcceptedValues(Schema):
    period: str
    values: list[AcceptedValue]
    contributed: list[str]
    not_contributed: list[str]


class StatisticsRow(Schema):
    label: str
    counts: list[int | None] = Field(description="One per column; null where suppressed.")
    total: int | None


class Statistics(Schema):
    period: str
    by: str
    then_by: str
    method: str = Field(description="cell-key: every count is protected; never exact.")
    threshold: int
    columns: list[str]
    rows: list[StatisticsRow]
    column_totals: list[int | None]
    total: int | None


class StatisticsPeriod(Schema):
    code: str
    label: str


class PartnerReturn(Schema):
    id: int
    kind: str
    period: str
    organisation: str
    status: str
    due_on: datetime.date
    is_late: bool
    version: int
    etag: str


class ReturnPage(Paged):
    items: list[PartnerReturn]


class StaffFigure(Schema):
    role_group: int
    name: str = ""
    staff: int | None = None


class Session(Schema):
    id: int
    held_on: datetime.date
    level: int
    mode: str
    product: int | None
    facilitator: str
    attendees: dict[str, int] = Field(description="Attendees by role group id.")


class TrainingReturn(PartnerReturn):
    workforce: list[StaffFigure]
    sessions: list[Session]


class StaffIn(Schema):
    role_group: int = Field(**ID)
    staff: int = Field(ge=0, le=1_000_000)


class WorkforceIn(Schema):
    as_of: datetime.date | None = Field(
        None, description="Defaults to the quarter's last day.", **PLAUSIBLE_DATE
    )
    staff: list[StaffIn] = Field(min_length=1, max_length=200)


class AttendeesIn(Schema):
    role_group: int = Field(**ID)
    attendees: int = Field(ge=0, le=100_000)


class SessionIn(Schema):
    held_on: datetime.date = Field(**PLAUSIBLE_DATE)
    level: int = Field(**ID)
    mode: Mode  # type: ignore[valid-type]
    product: int | None = Field(None, **ID)
    facilitator: str = Field("", max_length=150, pattern=TEXT)
    attendees: list[AttendeesIn] = Field(min_length=1, max_length=200)


class Figure(Schema):
    indicator: int = Field(**ID)
    district: int | None = Field(None, description="The district's id; null for the county.", **ID)
    value: int | None = Field(None, ge=0, le=1_000_000_000)
    note: str = Field("", max_length=1000, pattern=TEXT)


class FigureLine(Figure):
    indicator_code: str
    where: str
    previous: int | None
    problems: list[str]


class DataReturn(PartnerReturn):
    figures: list[FigureLine]


class FiguresIn(Schema):
    figures: list[Figure] = Field(max_length=2000)
