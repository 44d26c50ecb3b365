"""Reads of the safeguarding audit: the staff pages' read models, a round's default scope, the
school a link opens, what a response still lacks. The analysis is in ``stats.py``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.paginator import Page
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from preventhub.audits.models import (
    ActionPlanItem,
    AuditRound,
    Question,
    ReminderRun,
    Response,
    RoundSchool,
)
from preventhub.core import prepared
from preventhub.core.counting import count_per
from preventhub.core.pagination import page_of
from preventhub.schools.models import Establishment
from preventhub.schools.queries import StatusCount

# GIAS establishment type groups that are not schools for the audit (¶9).
EXCLUDED_TYPE_GROUPS = frozenset(
    {"Universities", "Children's centres", "Other types", "Welsh schools", "Online provider"}
)


def default_scope() -> QuerySet[Establishment]:
    """Open (and proposed-to-close) schools of the partnership's LA codes, without non-schools."""
    return Establishment.objects.filter(
        la_code__in=settings.PREVENTHUB_LA_CODES,
        status__in=[Establishment.Status.OPEN, Establishment.Status.PROPOSED_TO_CLOSE],
    ).exclude(type_group__in=EXCLUDED_TYPE_GROUPS)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def place_for_token(token: str) -> RoundSchool | None:
    """The school whose live link this is, or None: wrong, revoked and expired links alike."""
    if not token or len(token) > 100:
        return None
    place = (
        RoundSchool.objects.select_related("round", "establishment")
        .filter(link_token_digest=token_digest(token))
        .first()
    )
    return place if place is not None and place.link_is_live() else None


def unanswered_required(response: Response) -> list[Question]:
    return [
        q
        for q in response.round.questions.filter(required=True)
        if not response.answers.get(str(q.pk))
    ]


def round_has_answers(audit_round: AuditRound) -> bool:
    """Whether any school has saved an answer (even a blank one) to the round's questions."""
    return Response.objects.filter(round=audit_round).exclude(answers={}).exists()


def question_has_answers(question: Question) -> bool:
    """Whether any school has saved an answer (even a blank one) to ``question``."""
    return Response.objects.filter(
        round=question.round_id, answers__has_key=str(question.pk)
    ).exists()


@dataclass(frozen=True)
class RoundLine:
    round: AuditRound
    in_scope: int
    responded: int
    questions: int


def _rounds_counted() -> QuerySet[AuditRound]:
    return AuditRound.objects.annotate(
        n_in_scope=count_per(RoundSchool.objects, "round"),
        n_responded=count_per(RoundSchool.objects, "round", "answered_by"),
        n_questions=count_per(Question.objects, "round"),
    ).order_by("-opens_on", "-pk")


def audit_rounds() -> list[RoundLine]:
    """Every round, the latest first, with how many schools are in it, how many have responded
    (themselves or through a trust's return) and how many questions it asks."""
    return [
        RoundLine(r, r.n_in_scope, r.n_responded, r.n_questions)
        for r in prepared.objects(_rounds_counted)
    ]


def scope_page(audit_round: AuditRound, page_number: str | None, *, per_page: int = 100) -> Page:
    """A page of the round's schools, by name, then as added: names repeat (a country has
    hundreds of St Mary's), and pages in an order that ties leave open could show a school on
    two pages and none of another."""
    places = RoundSchool.objects.filter(round=audit_round)
    order = ("establishment__name", "establishment_id")

    def read(start: int, end: int) -> list[RoundSchool]:
        # The page's places found first, by the order alone; only they are joined to their
        # school's district and their response. Joining first sorted every place of a national
        # round with all it joins, for each page: 0.38 s for the 200th.
        shown = places.order_by(*order).values("pk")[start:end]
        return list(
            RoundSchool.objects.filter(pk__in=shown)
            .select_related("establishment__district", "answered_by__establishment")
            .order_by(*order)
        )

    return page_of(places.count(), page_number, per_page, read, lenient=True)


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
    """Completion of the schools' action plans across the round, for the education lead.

    Three statements over the round's items (27,000 for a national round): the counts by status
    with the overdue beside them, the schools with items and those with all done, and the page
    of items, its page numbers counted from the counts by status. Each count had its own pass
    over the items: six in all, 93 ms at national scale."""
    items = ActionPlanItem.objects.filter(place__round=audit_round)
    today = timezone.localdate()
    done = ActionPlanItem.Status.DONE
    counts: dict[str, int] = {}
    overdue = 0
    for row in (
        items.values("status")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(due_on__lt=today)))
        .order_by()
    ):
        counts[row["status"]] = row["n"]
        if row["status"] != done:
            overdue += row["late"]
    schools = (
        items.values("place")
        .annotate(open=Count("pk", filter=~Q(status=done)))
        .aggregate(with_items=Count("place"), done=Count("place", filter=Q(open=0)))
    )
    # Ended by the item's key: two schools of one name can owe the same question on one day.
    listed = items.select_related("place__establishment", "question").order_by(
        "due_on", "place__establishment__name", "question__code", "pk"
    )
    if status:
        listed = listed.filter(status=status)
    total = counts.get(status, 0) if status else sum(counts.values())
    return ActionPlanTracking(
        by_status=[
            StatusCount(label, counts.get(value, 0))
            for value, label in ActionPlanItem.Status.choices
        ],
        overdue=overdue,
        schools_with_items=schools["with_items"],
        schools_done=schools["done"],
        items=page_of(
            total, page_number, per_page, lambda start, end: list(listed[start:end]), lenient=True
        ),
    )


# --- A school's own account ----------------------------------------------------------------------


def own_school_places(user: Any) -> QuerySet[RoundSchool]:
    """The audit places of the schools whose safeguarding contact is this account's address.

    The education lead keeps each school's safeguarding contact (where its links are sent); a
    designated safeguarding lead with an account at that address reaches their own school's
    audit, and no other. An account without an address, or an address no school has, reaches
    nothing.
    """
    email = (getattr(user, "email", "") or "").strip()
    if not email:
        return RoundSchool.objects.none()
    return (
        RoundSchool.objects.filter(establishment__contact_email__iexact=email)
        .select_related("round", "establishment", "answered_by__establishment")
        .annotate(
            open_actions=Count("action_items", filter=~Q(action_items__status="done")),
            all_actions=Count("action_items"),
        )
        .order_by("-round__opens_on", "establishment__name")
    )


def own_schools(user: Any) -> list[Establishment]:
    """The schools whose safeguarding contact is this account's address (as
    :func:`own_school_places` decides), by name, for their designated safeguarding lead's own
    pages in other apps (their self-assessment). One lead may be the contact of several schools
    (a federation's); an account without an address, or an address no school has, has none.
    """
    email = (getattr(user, "email", "") or "").strip()
    if not email:
        return []
    return list(Establishment.objects.filter(contact_email__iexact=email).order_by("name", "urn"))


def _round_by_key(pk: int) -> QuerySet[AuditRound]:
    return AuditRound.objects.filter(pk=pk)


def audit_round(pk: int) -> AuditRound | None:
    """The round with key ``pk``, or None. Every page of a round reads it first: its query is
    built once for every round (``core.prepared.objects_for``)."""
    found = prepared.objects_for(_round_by_key, pk)
    return found[0] if found else None


def latest_reminder_run(audit_round: AuditRound) -> ReminderRun | None:
    """The round's latest run of reminders to schools, for the non-responders page."""
    return audit_round.reminder_runs.select_related("requested_by").first()
