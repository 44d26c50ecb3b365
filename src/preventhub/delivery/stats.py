"""The quarterly Board progress report of the Delivery Plan: every figure computed, none typed.

A report is about one closed quarter: while a quarter is open its updates can still change, so
its figures are not final and no report is made (``PeriodNotClosed``).

Where an action stands in a quarter (its *column* in the summary table) is the RAG of its update
for that quarter. An action with no update that had already been finished (complete or
cancelled) in an earlier quarter stays in that column: it owes no more updates, as
``queries.actions_due`` says. Any other action without an update counts as *No update*, the
same actions ``services.close_period`` returns as missing. An action's history includes the
updates of the action it was carried over from when the plan was refreshed.

Figures come from SQL: the column is computed in the database, the summary table is one
``GROUP BY`` and each list is one query, so a report takes the same dozen queries however many
actions the plan has.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    Count,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from preventhub.core.figures import with_base
from preventhub.delivery import queries
from preventhub.delivery.models import (
    RAG_OF_STATUS,
    ActionStatus,
    DeliveryPlan,
    PlanAction,
    ProgressUpdate,
    Rag,
    Section,
)
from preventhub.partnership.models import ReportingPeriod

NO_UPDATE = "no_update"
# Control characters (text pasted from Word brings some, a vertical tab for a line break) that
# HTML, XML and PDF text cannot carry: shown as a space.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ReportError(Exception):
    """A report that cannot be made; the message says why and can be shown to the user."""


class PeriodNotClosed(ReportError):
    """The quarter is planned or open: its updates may still change."""


@dataclass(frozen=True)
class Column:
    """A column of the summary table: a RAG value, or ``NO_UPDATE``."""

    key: str
    label: str


COLUMNS: tuple[Column, ...] = (
    *(
        Column(rag.value, rag.label)
        for rag in (Rag.GREEN, Rag.AMBER, Rag.RED, Rag.NOT_STARTED, Rag.COMPLETE, Rag.CANCELLED)
    ),
    Column(NO_UPDATE, "No update"),
)
LABELS: dict[str, str] = {column.key: column.label for column in COLUMNS}
EXCEPTIONS = (Rag.RED, Rag.AMBER)
FINISHED_RAGS = (Rag.COMPLETE, Rag.CANCELLED)


def printable(text: str) -> str:
    """``text`` without the control characters that documents cannot carry."""
    return _CONTROL.sub(" ", text)


@dataclass(frozen=True)
class SummaryRow:
    """One section's actions counted by column, in the order of ``COLUMNS``."""

    code: str
    title: str
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)

    def count(self, key: str) -> int:
        return self.counts[[column.key for column in COLUMNS].index(key)]


@dataclass(frozen=True)
class Share:
    column: Column
    count: int
    of: int

    @property
    def text(self) -> str:
        return with_base(self.count, self.of)


@dataclass(frozen=True)
class ActionLine:
    """An action as a list of the report shows it; ``narrative`` is this quarter's update."""

    pk: int
    reference: str
    title: str
    section: str
    owner: str
    lead: str
    due_on: datetime.date | None
    rag: str
    narrative: str
    is_late: bool
    previous_rag: str | None

    @property
    def rag_label(self) -> str:
        return LABELS[self.rag]

    @property
    def previous_label(self) -> str:
        return LABELS[self.previous_rag] if self.previous_rag else ""


@dataclass(frozen=True)
class ProgressReport:
    period: ReportingPeriod
    previous: ReportingPeriod | None
    plan: DeliveryPlan
    rows: list[SummaryRow]
    totals: SummaryRow
    exceptions: list[ActionLine]
    completed: list[ActionLine]
    overdue: list[ActionLine]
    changes: list[ActionLine]
    new: list[ActionLine]
    missing: list[ActionLine]
    updates_received: int
    late_updates: int
    columns: tuple[Column, ...] = COLUMNS

    @property
    def action_count(self) -> int:
        return self.totals.total

    @property
    def shares(self) -> list[Share]:
        """Each column's share of all the plan's actions."""
        return [
            Share(column, count, self.action_count)
            for column, count in zip(self.columns, self.totals.counts, strict=True)
        ]

    @property
    def updates_expected(self) -> int:
        return self.updates_received + self.totals.count(NO_UPDATE)

    @property
    def updates_text(self) -> str:
        return with_base(self.updates_received, self.updates_expected)

    @property
    def late_text(self) -> str:
        return with_base(self.late_updates, self.updates_received)


# ---- the queries ---------------------------------------------------------------------------------


def _latest(period_filter: Q, field: str = "status") -> Subquery:
    """``field`` of the action's latest update matching ``period_filter``.

    The action's own update comes before one of the action it was carried over from: a
    refresh creates the carried action, so its key is the larger.
    """
    updates = ProgressUpdate.objects.filter(
        Q(action=OuterRef("pk")) | Q(action=OuterRef("predecessor")), period_filter
    ).order_by("-period__starts_on", "-action")
    return Subquery(updates.values(field)[:1])


def _column(status: str, earlier_status: str) -> Case:
    """The column an action stands in, from its update's status and its earlier status."""
    return Case(
        *(When(**{status: value}, then=Value(str(rag))) for value, rag in RAG_OF_STATUS.items()),
        *(
            When(
                **{f"{status}__isnull": True, earlier_status: value},
                then=Value(str(RAG_OF_STATUS[value])),
            )
            for value in (ActionStatus.COMPLETE, ActionStatus.CANCELLED)
        ),
        default=Value(NO_UPDATE),
        output_field=CharField(),
    )


def _actions(
    plan: DeliveryPlan, period: ReportingPeriod, previous: ReportingPeriod | None
) -> QuerySet[PlanAction]:
    rows = PlanAction.objects.filter(plan=plan).annotate(
        this_status=_latest(Q(period=period)),
        earlier_status=_latest(Q(period__starts_on__lt=period.starts_on)),
        narrative=_latest(Q(period=period), "narrative"),
        late=_latest(Q(period=period), "is_late"),
    )
    rows = rows.annotate(column=_column("this_status", "earlier_status"))
    if previous is None:
        return rows.annotate(previous_column=Value(None, output_field=CharField()))
    rows = rows.annotate(
        previous_status=_latest(Q(period=previous)),
        before_previous_status=_latest(Q(period__starts_on__lt=previous.starts_on)),
    )
    return rows.annotate(previous_column=_column("previous_status", "before_previous_status"))


def _line(action: PlanAction) -> ActionLine:
    return ActionLine(
        pk=action.pk,
        reference=action.reference,
        title=printable(action.title),
        section=printable(action.section.title),
        owner=printable(action.owner_organisation.name),
        lead=printable(action.lead.full_name) if action.lead else "",
        due_on=action.due_on,
        rag=action.column,
        narrative=printable(action.narrative or ""),
        is_late=bool(action.late),
        previous_rag=action.previous_column,
    )


def plan_reported(period: ReportingPeriod) -> DeliveryPlan | None:
    """The plan version whose actions the quarter's updates were given against.

    Updates are given against the plan approved while the quarter is open (``actions_due``),
    whatever date its approval carries, so the updates themselves say which version they were
    about, and a report made after a refresh still counts the actions its quarter was about. A
    quarter without a single update reports on the version in force on its last day, else on
    the one in force now.
    """
    reported = (
        ProgressUpdate.objects.filter(period=period)
        .values("action__plan")
        .annotate(updates=Count("pk"))
        .order_by("-updates", "-action__plan")
        .values_list("action__plan", flat=True)
        .first()
    )
    if reported is not None:
        return DeliveryPlan.objects.get(pk=reported)
    return queries.plan_in_force(period.ends_on) or queries.current_plan()


def previous_period(period: ReportingPeriod) -> ReportingPeriod | None:
    """The closed quarter before ``period``, whose report this one is compared with."""
    return (
        ReportingPeriod.objects.filter(
            status=ReportingPeriod.Status.CLOSED, starts_on__lt=period.starts_on
        )
        .order_by("-starts_on")
        .first()
    )


def progress_report(period: ReportingPeriod, *, plan: DeliveryPlan | None = None) -> ProgressReport:
    """The Board progress report of ``period``, a closed quarter, on the plan it reported on."""
    if period.status != ReportingPeriod.Status.CLOSED:
        raise PeriodNotClosed(
            f"{period} is {period.get_status_display().lower()}: its report is available "
            "once the quarter is closed."
        )
    plan = plan or plan_reported(period)
    if plan is None:
        raise ReportError("No Delivery Plan has been approved, so there is nothing to report on.")
    previous = previous_period(period)
    # One query reads every action with its columns; each list below is a part of it. (Asking
    # the database for each list ran the actions' six correlated subqueries again seven times.)
    actions = list(
        _actions(plan, period, previous)
        .select_related("section", "owner_organisation", "lead")
        .order_by("section__position", "reference")
    )
    counted = Counter((action.section_id, action.column) for action in actions)
    rows = [
        SummaryRow(
            section.code,
            printable(section.title),
            tuple(counted[(section.pk, column.key)] for column in COLUMNS),
        )
        for section in Section.objects.filter(plan=plan).order_by("position")
    ]
    totals = SummaryRow(
        "",
        "All sections",
        tuple(sum(row.counts[index] for row in rows) for index in range(len(COLUMNS))),
    )
    received = ProgressUpdate.objects.filter(period=period, action__plan=plan).aggregate(
        received=Count("pk"), late=Count("pk", filter=Q(is_late=True))
    )

    def lines(chosen: Iterable[PlanAction]) -> list[ActionLine]:
        return [_line(action) for action in chosen]

    # Sorting is stable: within the red, the amber and each due date, actions keep the plan's
    # order (section, then reference).
    exceptions = sorted(
        (action for action in actions if action.column in EXCEPTIONS),
        key=lambda action: action.column != Rag.RED,
    )
    overdue = sorted(
        (
            action
            for action in actions
            if action.due_on is not None
            and action.due_on <= period.ends_on
            and action.column not in FINISHED_RAGS
        ),
        key=lambda action: action.due_on,
    )
    return ProgressReport(
        period=period,
        previous=previous,
        plan=plan,
        rows=rows,
        totals=totals,
        exceptions=lines(exceptions),
        # An update saying "complete" again, for an action already complete, is no news.
        completed=lines(
            action
            for action in actions
            if action.this_status == ActionStatus.COMPLETE
            and action.earlier_status != ActionStatus.COMPLETE
        ),
        overdue=lines(overdue),
        changes=lines(
            action
            for action in actions
            if previous is not None
            and action.earlier_status is not None
            and action.column != action.previous_column
        ),
        new=lines(
            action
            for action in actions
            if action.this_status is not None and action.earlier_status is None
        ),
        missing=lines(action for action in actions if action.column == NO_UPDATE),
        updates_received=received["received"],
        late_updates=received["late"],
    )


# ---- the list of reports -------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportPeriods:
    closed: list[ReportingPeriod]
    open: ReportingPeriod | None


def report_periods() -> ReportPeriods:
    """The closed quarters, latest first, and the quarter open now if there is one."""
    periods = list(
        ReportingPeriod.objects.exclude(status=ReportingPeriod.Status.PLANNED).order_by(
            "-starts_on"
        )
    )
    return ReportPeriods(
        closed=[p for p in periods if p.status == ReportingPeriod.Status.CLOSED],
        open=next((p for p in periods if p.status == ReportingPeriod.Status.OPEN), None),
    )
