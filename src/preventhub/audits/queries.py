"""Read models of the safeguarding audit's staff pages; the analysis is in ``stats.py``."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.utils import timezone

from preventhub.audits.models import ActionPlanItem, AuditRound, RoundSchool
from preventhub.schools.queries import StatusCount


@dataclass(frozen=True)
class RoundLine:
    round: AuditRound
    in_scope: int
    responded: int
    questions: int


def audit_rounds() -> list[RoundLine]:
    rounds = AuditRound.objects.annotate(
        n_in_scope=Count("scope", distinct=True),
        n_responded=Count("scope", filter=Q(scope__answered_by__isnull=False), distinct=True),
        n_questions=Count("questions", distinct=True),
    ).order_by("-opens_on")
    return [RoundLine(r, r.n_in_scope, r.n_responded, r.n_questions) for r in rounds]


def scope_page(audit_round: AuditRound, page_number: str | None, *, per_page: int = 100) -> Page:
    places = (
        RoundSchool.objects.filter(round=audit_round)
        .select_related("establishment__district", "answered_by__establishment")
        .order_by("establishment__name")
    )
    return Paginator(places, per_page).get_page(page_number)


@dataclass(frozen=True)
class ActionPlanTracking:
    by_status: list[StatusCount]
    overdue: int
    schools_with_items: int
    schools_done: int
    items: Page


def action_plan_tracking(
    audit_round: AuditRound, *, status: str, page_number: str | None, per_page: int = 100
) -> ActionPlanTracking:
    """Completion of the schools' action plans across the round, for the education lead."""
    items = ActionPlanItem.objects.filter(place__round=audit_round)
    counts = dict(items.values_list("status").annotate(n=Count("pk")).order_by())
    today = timezone.localdate()
    per_school = items.values("place").annotate(
        open=Count("pk", filter=~Q(status=ActionPlanItem.Status.DONE))
    )
    listed = items.select_related("place__establishment", "question").order_by(
        "due_on", "place__establishment__name", "question__code"
    )
    if status:
        listed = listed.filter(status=status)
    return ActionPlanTracking(
        by_status=[
            StatusCount(label, counts.get(value, 0))
            for value, label in ActionPlanItem.Status.choices
        ],
        overdue=items.filter(due_on__lt=today).exclude(status=ActionPlanItem.Status.DONE).count(),
        schools_with_items=per_school.count(),
        schools_done=per_school.filter(open=0).count(),
        items=Paginator(listed, per_page).get_page(page_number),
    )
