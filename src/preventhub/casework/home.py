"""What casework puts on the home page: each case role's own work queue.

These counts are of the cases ``casework.access`` already lets the person work (their force's
referrals, their panels' cases, their assignments), so no other figure about people is shown
here; statistics for everyone else go through ``casework.stats``. The data protection officer
sees counts of break-glass openings and retention, which name nobody.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.formats import date_format

from preventhub.casework import access, queries
from preventhub.casework.models import BreakGlass, Consent, ExitReview, Referral
from preventhub.core.home import WorkItem
from preventhub.core.hrefs import kept_reverse
from preventhub.core.roles import Role, roles_of

BREAK_GLASS_DAYS = 30


def home_work(user: Any, today: datetime.date) -> list[WorkItem]:
    held = roles_of(user)
    items: list[WorkItem] = []
    if Role.POLICE_OFFICER in held:
        items += _triage_queue(user, today)
    if Role.CHANNEL_CHAIR in held:
        items += _panel(user, today)
    if Role.CHANNEL_MEMBER in held:
        items += _assigned(user)
    if Role.DPO in held:
        items += _oversight(today)
    return items


def _index(stage: str = "") -> str:
    return kept_reverse("casework:index") + (f"?stage={stage}" if stage else "")


def _triage_queue(user: Any, today: datetime.date) -> list[WorkItem]:
    target = settings.PREVENTHUB_TRIAGE_TARGET_DAYS
    mine = access.worked_referrals(user)
    waiting = list(mine.filter(stage=Referral.Stage.RECEIVED).values_list("received_on", flat=True))
    over = sum(1 for received in waiting if queries.working_days_between(received, today) > target)
    to_route = mine.filter(stage=Referral.Stage.TRIAGED).count()
    heading = "Referrals"
    return [
        WorkItem(
            heading,
            "Referrals awaiting triage",
            _index(Referral.Stage.RECEIVED),
            count=len(waiting),
            hint=f"The target is {target} working days from receipt. "
            + (f"{over} over the target." if over else "None over the target."),
            is_late=over > 0,
            status=f"{len(waiting)} ({over} over target)" if over else "",
        ),
        WorkItem(
            heading,
            "Triaged referrals awaiting routing",
            _index(Referral.Stage.TRIAGED),
            count=to_route,
        ),
    ]


def _panel(user: Any, today: datetime.date) -> list[WorkItem]:
    heading = "Channel panel"
    meeting = (
        queries.channel_meetings(user)
        .filter(held_on__gte=today)
        .annotate(cases=Count("case_agenda"))
        .order_by("held_on", "pk")
        .first()
    )
    items = []
    if meeting is None:
        items.append(
            WorkItem(
                heading,
                "Panel meetings",
                kept_reverse("casework:meetings"),
                status="None planned",
                hint="No meeting of a panel you chair is planned from today.",
            )
        )
    else:
        items.append(
            WorkItem(
                heading,
                f"Next panel meeting: {date_format(meeting.held_on)}",
                kept_reverse("casework:meeting", meeting.pk),
                status=f"{meeting.cases} case{'s' if meeting.cases != 1 else ''} on the agenda",
                hint="Add the cases to discuss before the meeting.",
            )
        )
    latest_consent = Consent.objects.filter(referral=OuterRef("pk")).order_by("-answered_on", "-pk")
    without_consent = (
        access.worked_referrals(user)
        .filter(stage=Referral.Stage.CHANNEL)
        .annotate(consent=Subquery(latest_consent.values("status")[:1]))
        .exclude(consent=Consent.Status.GIVEN)
        .count()
    )
    # Reviews of this chair's cases, by what is due: overdue (late) and within 30 days.
    reviews = ExitReview.objects.filter(
        completed_on__isnull=True, referral__in=access.worked_referrals(user)
    ).aggregate(
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        soon=Count(
            "pk", filter=Q(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=30))
        ),
    )
    items += [
        WorkItem(
            heading,
            "Channel cases without consent given",
            _index(Referral.Stage.CHANNEL),
            count=without_consent,
            hint="Support starts once consent is recorded as given.",
        ),
        WorkItem(
            heading,
            "Reviews after exit overdue",
            kept_reverse("casework:overdue_reviews"),
            count=reviews["overdue"],
            hint=f"{reviews['soon']} more due within 30 days.",
            is_late=reviews["overdue"] > 0,
        ),
    ]
    return items


def _assigned(user: Any) -> list[WorkItem]:
    working = access.worked_referrals(user).exclude(stage=Referral.Stage.CLOSED).count()
    return [
        WorkItem(
            "Channel cases",
            "Cases you work on",
            _index(),
            count=working,
            hint="The cases you are assigned to, or on your panel's agenda while you hold a seat.",
        )
    ]


def _oversight(today: datetime.date) -> list[WorkItem]:
    since = timezone.now() - datetime.timedelta(days=BREAK_GLASS_DAYS)
    opened = BreakGlass.objects.filter(opened_at__gte=since).count()
    expired = Referral.objects.filter(
        closed_on__isnull=False, retain_until__lt=today, legal_hold=False, purged_on__isnull=True
    ).count()  # what queries.expired_referrals lists, counted
    held = Referral.objects.filter(legal_hold=True, purged_on__isnull=True).count()
    heading = "Case data"
    return [
        WorkItem(
            heading,
            f"Break-glass openings to review, last {BREAK_GLASS_DAYS} days",
            kept_reverse("casework:break_glass_log"),
            count=opened,
            hint="Each one: a case opened outside someone's own work, with their reason.",
        ),
        WorkItem(
            heading,
            "Closed cases past their retention date",
            kept_reverse("casework:retention"),
            count=expired,
            hint=f"{held} on legal hold." if held else "None on legal hold.",
            is_late=expired > 0,
        ),
    ]
