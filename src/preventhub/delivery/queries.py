"""Read models of the Delivery Plan: plain data for its pages and downloads.

Each function issues a fixed number of queries however many rows it returns.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When

from preventhub.core import prepared
from preventhub.core.calendar import quarter_of
from preventhub.core.counting import count_per
from preventhub.core.exports import Table
from preventhub.delivery.models import (
    FINISHED,
    RAG_OF_STATUS,
    ActionSource,
    ActionStatus,
    DeliveryPlan,
    DistrictRisk,
    Evidence,
    PlanAction,
    ProgressUpdate,
    Rag,
    ReminderRun,
    Section,
)
from preventhub.partnership.models import Area, Organisation, ReportingPeriod
from preventhub.partnership.queries import period_taking_updates

# The GOV.UK tag colour of each RAG rating. The tag always carries its words as well.
RAG_TAG_CLASSES: dict[str, str] = {
    Rag.GREEN: "govuk-tag--green",
    Rag.AMBER: "govuk-tag--yellow",
    Rag.RED: "govuk-tag--red",
    Rag.NOT_STARTED: "govuk-tag--grey",
    Rag.COMPLETE: "",  # the default GOV.UK tag is blue
    Rag.CANCELLED: "govuk-tag--grey",
}


@dataclass(frozen=True)
class State:
    """An action's or an update's status, with the RAG rating the Board reads it as."""

    status: str
    status_label: str
    rag: str
    rag_label: str
    tag_class: str

    @property
    def status_in_words(self) -> str:
        """The status after the RAG tag ("Red off track"), or nothing when they say the same."""
        return "" if self.status_label == self.rag_label else self.status_label.lower()

    @classmethod
    def of(cls, status: str) -> State:
        rag = RAG_OF_STATUS[status]
        return cls(status, ActionStatus(status).label, rag, Rag(rag).label, RAG_TAG_CLASSES[rag])


# ---- plan versions -------------------------------------------------------------------------------


def plan_shown() -> DeliveryPlan | None:
    """The approved version; if none is approved yet, the newest draft."""
    return (
        DeliveryPlan.objects.select_related("approved_at__board")
        .exclude(status=DeliveryPlan.Status.SUPERSEDED)
        .order_by(
            Case(
                When(status=DeliveryPlan.Status.APPROVED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            "-created_at",
            "-pk",
        )
        .first()
    )


@dataclass(frozen=True)
class VersionRow:
    plan: DeliveryPlan
    actions: int
    has_draft_refresh: bool


def versions() -> list[VersionRow]:
    """Every version of the plan, newest first, with its number of actions."""
    plans = list(
        DeliveryPlan.objects.select_related("approved_at__board", "predecessor").annotate(
            action_count=count_per(PlanAction.objects, "plan"),
            draft_refreshes=count_per(
                DeliveryPlan.objects.filter(status=DeliveryPlan.Status.DRAFT), "predecessor"
            ),
        )
    )
    return [VersionRow(plan, plan.action_count, plan.draft_refreshes > 0) for plan in plans]


# ---- the plan and its filter ---------------------------------------------------------------------


class Due(models.TextChoices):
    """When an open action falls due, as the plan's filter offers it."""

    OVERDUE = "overdue", "Overdue"
    WITHIN_30_DAYS = "30_days", "Due within 30 days"
    THIS_QUARTER = "quarter", "Due this quarter"


@dataclass(frozen=True)
class PlanFilter:
    section: str = ""  # a section code: the same in every version of the plan
    owner: int | None = None
    rag: tuple[str, ...] = ()
    district: int | None = None
    source: str = ""
    due: str = ""

    @property
    def is_set(self) -> bool:
        return any([self.section, self.owner, self.rag, self.district, self.source, self.due])


def _filtered(plan: DeliveryPlan, criteria: PlanFilter, on: datetime.date) -> QuerySet[PlanAction]:
    actions = plan.actions.all()
    if criteria.section:
        actions = actions.filter(section__code=criteria.section)
    if criteria.owner:
        actions = actions.filter(owner_organisation_id=criteria.owner)
    if criteria.rag:
        statuses = [status for status, rag in RAG_OF_STATUS.items() if rag in criteria.rag]
        actions = actions.filter(status__in=statuses)
    if criteria.district:
        actions = actions.filter(district_id=criteria.district)
    if criteria.source:
        actions = actions.filter(
            pk__in=ActionSource.objects.filter(kind=criteria.source).values("action")
        )
    if criteria.due:
        actions = actions.exclude(status__in=FINISHED)
        if criteria.due == Due.OVERDUE:
            actions = actions.filter(due_on__lt=on)
        elif criteria.due == Due.WITHIN_30_DAYS:
            actions = actions.filter(due_on__range=(on, on + datetime.timedelta(days=30)))
        elif criteria.due == Due.THIS_QUARTER:
            _, starts_on, ends_on = quarter_of(on)
            actions = actions.filter(due_on__range=(starts_on, ends_on))
    return actions


@dataclass(frozen=True)
class FilterChoices:
    sections: list[tuple[str, str]]
    owners: list[tuple[int, str]]
    districts: list[tuple[int, str]]


def filter_choices(plan: DeliveryPlan | None) -> FilterChoices:
    """What the plan's filter offers: its sections, the organisations owning its actions."""
    districts = list(
        Area.objects.filter(kind=Area.Kind.DISTRICT).order_by("name").values_list("pk", "name")
    )
    if plan is None:
        return FilterChoices([], [], districts)
    return FilterChoices(
        list(plan.sections.order_by("position").values_list("code", "title")),
        list(
            Organisation.objects.filter(plan_actions__plan=plan)
            .distinct()
            .order_by("name")
            .values_list("pk", "name")
        ),
        districts,
    )


@dataclass(frozen=True)
class ActionRow:
    action: PlanAction
    state: State
    is_overdue: bool


@dataclass(frozen=True)
class SectionRows:
    section: Section
    rows: list[ActionRow]


@dataclass(frozen=True)
class PlanPage:
    plan: DeliveryPlan | None
    sections: list[SectionRows]
    shown: int
    total: int
    is_filtered: bool
    overdue_as_of: datetime.date  # today, or when a superseded version stopped being worked on


def _is_overdue(action: PlanAction, on: datetime.date) -> bool:
    return action.due_on is not None and action.due_on < on and not action.is_finished


def overdue_as_of(plan: DeliveryPlan, today: datetime.date) -> datetime.date:
    """The day against which ``plan``'s actions are judged overdue.

    Today for the plan in force or a draft. A superseded version stopped being worked on when it
    was replaced, so its actions are judged at the end of the last quarter reported against it
    (or, with no updates, the day the next version was approved): an action of an old plan is
    "overdue" only if it was so while that plan was in force, not by every year since.
    """
    if plan.status != DeliveryPlan.Status.SUPERSEDED:
        return today
    last = (
        ProgressUpdate.objects.filter(action__plan=plan)
        .order_by("-period__ends_on")
        .values_list("period__ends_on", flat=True)
        .first()
    )
    if last is None and plan.approved_on is not None:
        last = (
            DeliveryPlan.objects.filter(approved_on__gt=plan.approved_on)
            .exclude(pk=plan.pk)
            .order_by("approved_on")
            .values_list("approved_on", flat=True)
            .first()
        )
    return min(today, last) if last else today


def plan_page(
    plan: DeliveryPlan | None, criteria: PlanFilter, *, on: datetime.date | None = None
) -> PlanPage:
    """The plan's actions matching ``criteria``, grouped by section in the plan's order."""
    on = on or datetime.date.today()
    if plan is None:
        return PlanPage(None, [], 0, 0, criteria.is_set, on)
    on = overdue_as_of(plan, on)
    actions = list(
        _filtered(plan, criteria, on)
        .select_related("section", "owner_organisation", "lead", "district")
        .order_by("section__position", "reference")
    )
    by_section: dict[int, list[ActionRow]] = defaultdict(list)
    for action in actions:
        by_section[action.section_id].append(
            ActionRow(action, State.of(action.status), _is_overdue(action, on))
        )
    groups = [
        SectionRows(section, by_section[section.pk])
        for section in plan.sections.order_by("position")
        if by_section.get(section.pk) or not criteria.is_set
    ]
    return PlanPage(plan, groups, len(actions), plan.actions.count(), criteria.is_set, on)


def plan_table(
    plan: DeliveryPlan, criteria: PlanFilter, *, on: datetime.date | None = None
) -> Table:
    """The filtered actions as a download: one row per action."""
    on = overdue_as_of(plan, on or datetime.date.today())
    actions = (
        _filtered(plan, criteria, on)
        .select_related("section", "owner_organisation", "lead", "district")
        .prefetch_related("partners", "sources")
        .order_by("section__position", "reference")
    )
    rows: list[list[Any]] = []
    for action in actions:
        state = State.of(action.status)
        rows.append(
            [
                action.reference,
                action.title,
                action.section.title,
                action.owner_organisation.name,
                action.lead.full_name if action.lead else "",
                "; ".join(partner.name for partner in action.partners.all()),
                action.district.name if action.district else "",
                "; ".join(str(source) for source in action.sources.all()),
                action.starts_on.isoformat() if action.starts_on else "",
                action.due_on.isoformat() if action.due_on else "",
                state.status_label,
                state.rag_label,
                action.success_measure,
            ]
        )
    return Table(
        "Delivery plan actions",
        [
            "Reference",
            "Action",
            "Section",
            "Owner",
            "Lead",
            "Partners",
            "District",
            "Sources",
            "Starts",
            "Due",
            "Status",
            "RAG",
            "Success measure",
        ],
        rows,
    )


# ---- the plan in force -------------------------------------------------------------------------


def _approved() -> QuerySet[DeliveryPlan]:
    return DeliveryPlan.objects.filter(status=DeliveryPlan.Status.APPROVED)[:1]


def current_plan() -> DeliveryPlan | None:
    """The approved plan (at most one is): asked on every home page, so built once."""
    return prepared.first(_approved)


def plan_in_force(on: datetime.date) -> DeliveryPlan | None:
    """The version that was approved and not yet replaced on ``on`` (a quarter's last day)."""
    return (
        DeliveryPlan.objects.exclude(status=DeliveryPlan.Status.DRAFT)
        .filter(approved_on__lte=on)
        .order_by("-approved_on", "-pk")
        .first()
    )


def owes_update(period_id: int) -> Q:
    """An action that owes the quarter an update: still open, or updated for it already."""
    updated_here = ProgressUpdate.objects.filter(period=period_id).values("action")
    return ~Q(status__in=FINISHED) | Q(pk__in=updated_here)


def actions_due(period: ReportingPeriod) -> list[PlanAction]:
    """The actions of the plan in force that owe an update for ``period``."""
    plan = current_plan()
    if plan is None:
        return []
    return list(
        plan.actions.filter(owes_update(period.pk))
        .select_related("section", "owner_organisation", "lead")
        .order_by("section__position", "reference")
    )


# ---- one action ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    update: ProgressUpdate
    state: State
    evidence: list[Evidence]


@dataclass(frozen=True)
class ActionDetail:
    action: PlanAction
    state: State
    is_overdue: bool
    partners: list[Organisation]
    sources: list[ActionSource]
    supports: list[PlanAction]
    supported_by: list[PlanAction]
    risks: list[DistrictRisk]
    timeline: list[TimelineEntry]
    open_period: ReportingPeriod | None
    open_update: ProgressUpdate | None  # this action's update for the open period, if sent


def action_detail(action: PlanAction, *, on: datetime.date | None = None) -> ActionDetail:
    """Everything about an action, and its progress updates newest first."""
    on = overdue_as_of(action.plan, on or datetime.date.today())
    updates = list(
        action.updates.select_related("period", "submitted_by")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at")))
        .order_by("-period__starts_on", "-submitted_at")
    )
    period = period_taking_updates()
    return ActionDetail(
        action=action,
        state=State.of(action.status),
        is_overdue=_is_overdue(action, on),
        partners=list(action.partners.order_by("name")),
        sources=list(action.sources.all()),
        supports=list(action.supports.order_by("reference")),
        supported_by=list(
            action.supported_by.select_related("district").order_by("district__name", "reference")
        ),
        risks=list(action.mitigates.select_related("district").order_by("district__name")),
        timeline=[
            TimelineEntry(update, State.of(update.status), list(update.evidence.all()))
            for update in updates
        ],
        open_period=period,
        open_update=next((u for u in updates if period and u.period_id == period.pk), None),
    )


# ---- updates -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UpdateSlot:
    """Where an update to an action goes now: the open quarter, and the update already sent."""

    period: ReportingPeriod | None
    update: ProgressUpdate | None
    evidence: list[Evidence]
    refusal: str  # why this action takes no update at all; empty when it does


def update_slot(action: PlanAction) -> UpdateSlot:
    if action.plan.status != DeliveryPlan.Status.APPROVED:
        return UpdateSlot(
            None,
            None,
            [],
            f"Only the approved plan's actions take updates; this action is in a "
            f"{action.plan.get_status_display().lower()} version of the plan.",
        )
    period = period_taking_updates()
    update = (
        action.updates.filter(period=period)
        .select_related("submitted_by")
        .prefetch_related("evidence")
        .first()
        if period
        else None
    )
    return UpdateSlot(period, update, list(update.evidence.all()) if update else [], "")


@dataclass(frozen=True)
class DueRow:
    action: PlanAction
    update: ProgressUpdate | None
    state: State


@dataclass(frozen=True)
class MyUpdates:
    period: ReportingPeriod | None
    rows: list[DueRow]

    @property
    def sent(self) -> int:
        return sum(1 for row in self.rows if row.update is not None)


def my_updates(user: Any) -> MyUpdates:
    """The actions due in the open quarter that ``user`` may update, and whether they have."""
    period = period_taking_updates()
    if period is None:
        return MyUpdates(None, [])
    due = [
        action for action in actions_due(period) if user.has_perm("delivery.update_action", action)
    ]
    sent = {
        update.action_id: update
        for update in ProgressUpdate.objects.filter(
            period=period, action_id__in=[a.pk for a in due]
        )
    }
    return MyUpdates(
        period,
        [DueRow(action, sent.get(action.pk), State.of(action.status)) for action in due],
    )


# ---- the quarterly cycle -------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodRow:
    period: ReportingPeriod
    updates: int
    late: int


@dataclass(frozen=True)
class MissingGroup:
    """The actions one lead (or, with no lead, one organisation) still owes an update for."""

    label: str
    organisation: Organisation
    actions: list[PlanAction]


@dataclass(frozen=True)
class PeriodsPage:
    periods: list[PeriodRow]
    open_period: ReportingPeriod | None
    due: int
    missing: list[MissingGroup] = field(default_factory=list)

    @property
    def missing_count(self) -> int:
        return sum(len(group.actions) for group in self.missing)


def missing_updates(period: ReportingPeriod) -> tuple[int, list[MissingGroup]]:
    """How many actions owe ``period`` an update, and those without one, by lead."""
    due = actions_due(period)
    updated = set(ProgressUpdate.objects.filter(period=period).values_list("action_id", flat=True))
    groups: dict[tuple[int | None, int], list[PlanAction]] = defaultdict(list)
    for action in due:
        if action.pk not in updated:
            groups[(action.lead_id, action.owner_organisation_id)].append(action)
    missing = [
        MissingGroup(
            actions[0].lead.full_name if actions[0].lead else "No lead named",
            actions[0].owner_organisation,
            actions,
        )
        for actions in groups.values()
    ]
    missing.sort(key=lambda group: (group.organisation.name, group.label))
    return len(due), missing


@dataclass(frozen=True)
class NotReminded:
    """An action whose update is owed but whose lead cannot be reminded: why, and the fix."""

    action: PlanAction
    reason: str
    fix: str
    fixed_on_action: bool = True  # the fix is made on the action's change page


@dataclass(frozen=True)
class RemindersOwed:
    by_lead: dict[Any, list[PlanAction]]
    not_reminded: list[NotReminded]


def reminders_owed(period: ReportingPeriod) -> RemindersOwed:
    """Who a reminder for ``period`` goes to, with their actions still owing an update; and the
    actions nobody can be reminded about, each with why and how to put it right."""
    updated = set(ProgressUpdate.objects.filter(period=period).values_list("action_id", flat=True))
    by_lead: dict[Any, list[PlanAction]] = {}
    not_reminded: list[NotReminded] = []
    for action in actions_due(period):
        if action.pk in updated:
            continue
        lead = action.lead
        if lead is None:
            not_reminded.append(
                NotReminded(action, "No lead is named on the action.", "Name a lead on the action.")
            )
        elif not lead.is_active:
            not_reminded.append(
                NotReminded(
                    action,
                    f"{lead.full_name}, its lead, can no longer sign in.",
                    "Name another lead on the action, or ask an administrator to restore "
                    "their account.",
                )
            )
        elif not lead.email:
            not_reminded.append(
                NotReminded(
                    action,
                    f"{lead.full_name}, its lead, has no e-mail address.",
                    "Ask an administrator to add their e-mail address.",
                    fixed_on_action=False,
                )
            )
        else:
            by_lead.setdefault(lead, []).append(action)
    return RemindersOwed(by_lead, not_reminded)


def latest_reminder_run(period: ReportingPeriod | None) -> ReminderRun | None:
    if period is None:
        return None
    return ReminderRun.objects.filter(period=period).select_related("requested_by").first()


def periods_page() -> PeriodsPage:
    rows = [
        PeriodRow(period, period.update_count, period.late_count)
        for period in ReportingPeriod.objects.select_related("board_meeting__board")
        .prefetch_related("reopenings")
        .annotate(
            update_count=Count("updates"),
            late_count=Count("updates", filter=Q(updates__is_late=True)),
        )
    ]
    current = next(
        (row.period for row in rows if row.period.status == ReportingPeriod.Status.OPEN), None
    )
    if current is None:
        return PeriodsPage(rows, None, 0)
    due, missing = missing_updates(current)
    return PeriodsPage(rows, current, due, missing)


# ---- districts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DistrictActionRow:
    action: PlanAction
    state: State
    supports: list[PlanAction]


@dataclass(frozen=True)
class RiskRow:
    risk: DistrictRisk
    mitigations: list[PlanAction]


@dataclass(frozen=True)
class DistrictPlan:
    area: Area
    plan: DeliveryPlan | None
    actions: list[DistrictActionRow]
    risks: list[RiskRow]


def district_plan(area: Area) -> DistrictPlan:
    """A district's own actions in the plan in force, and its Prevent risk assessment."""
    plan = plan_shown()
    actions = (
        list(
            plan.actions.filter(district=area)
            .select_related("owner_organisation", "lead")
            .prefetch_related(
                Prefetch("supports", queryset=PlanAction.objects.order_by("reference"))
            )
            .order_by("reference")
        )
        if plan
        else []
    )
    risks = list(
        DistrictRisk.objects.filter(district=area)
        .select_related("owner")
        .prefetch_related(
            Prefetch(
                "mitigations",
                queryset=PlanAction.objects.select_related("plan").order_by("reference"),
            )
        )
    )
    risks.sort(key=lambda risk: (-risk.rating, risk.review_on))
    return DistrictPlan(
        area,
        plan,
        [
            DistrictActionRow(action, State.of(action.status), list(action.supports.all()))
            for action in actions
        ],
        [RiskRow(risk, list(risk.mitigations.all())) for risk in risks],
    )
