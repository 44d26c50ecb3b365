"""What the safeguarding audit puts on the home page.

The coordinator sees the current round's progress; the education safeguarding lead also sees the
schools yet to answer and the reminders due; a school's designated safeguarding lead sees their
own school's audit and its action plan. Figures are about schools, never about people.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.formats import date_format

from preventhub.audits import queries, stats
from preventhub.audits.models import AuditRound, RoundSchool
from preventhub.core import prepared
from preventhub.core.home import WorkItem
from preventhub.core.hrefs import kept_reverse
from preventhub.core.roles import Role, roles_of


def home_work(user: Any, today: datetime.date) -> list[WorkItem]:
    held = roles_of(user)
    items: list[WorkItem] = []
    if held & {Role.COORDINATOR, Role.EDUCATION_LEAD}:
        items += _round_progress(today, runs_it=Role.EDUCATION_LEAD in held)
    if Role.SCHOOL_DSL in held:
        items += _own_school(user, today)
    return items


def _opened_by(today: datetime.date) -> QuerySet[AuditRound]:
    """The round open on ``today``, else the latest that had opened by then."""
    return (
        AuditRound.objects.filter(opens_on__lte=today)
        .annotate(still_open=Q(closes_on__gte=today))
        .order_by("-still_open", "-opens_on", "-pk")[:1]
    )


def _current_round(today: datetime.date) -> AuditRound | None:
    return prepared.first(_opened_by, today)


def _round_progress(today: datetime.date, *, runs_it: bool) -> list[WorkItem]:
    audit_round = _current_round(today)
    if audit_round is None:
        return [
            WorkItem(
                "Schools audit",
                "Audit rounds",
                kept_reverse("audits:rounds"),
                status="None started",
                hint="No audit round has opened yet.",
            )
        ]
    progress = stats.progress(audit_round, today)
    figures = progress.figures
    is_open = audit_round.opens_on <= today <= audit_round.closes_on
    heading = f"Schools audit: {audit_round.name}"
    when = (
        f"Open until {date_format(audit_round.closes_on)}."
        if is_open
        else f"Closed on {date_format(audit_round.closes_on)}."
    )
    items = [
        WorkItem(
            heading,
            "Schools that have responded",
            kept_reverse("audits:round", audit_round.pk),
            status=f"{figures.responded} of {figures.in_scope}",
            hint=when,
        )
    ]
    if runs_it:
        missing = figures.in_scope - figures.prevent_answered
        items += [
            WorkItem(
                heading,
                "Schools yet to answer the Prevent questions",
                kept_reverse("audits:non_responders", audit_round.pk),
                count=missing,
            ),
            WorkItem(
                heading,
                "Reminders due",
                kept_reverse("audits:non_responders", audit_round.pk),
                count=progress.reminders_due,
                hint=f"Schools not reminded in the last {stats.REMIND_AFTER_DAYS} days."
                if is_open
                else "The round is closed: no reminders.",
                is_late=False,
            ),
        ]
    return items


def _place_status(place: RoundSchool) -> str:
    if place.answered_by_id is None:
        return "Not answered yet"
    if place.answered_by.establishment_id != place.establishment_id:
        return "Answered by your trust or federation"
    return "Results ready"


def _own_school(user: Any, today: datetime.date) -> list[WorkItem]:
    places = list(queries.own_school_places(user)[:3])
    if not places:
        return [
            WorkItem(
                "Your school's audit",
                "Your school's audit",
                kept_reverse("audits:own_school"),
                status="No school linked",
                hint="Your education safeguarding lead links your account to your school by "
                "setting your e-mail address as its safeguarding contact.",
            )
        ]
    items = []
    for place in places:
        items.append(
            WorkItem(
                "Your school's audit",
                f"{place.establishment.name}: {place.round.name}",
                kept_reverse("audits:own_school_place", place.pk),
                status=_place_status(place),
                hint=f"{place.open_actions} of {place.all_actions} action plan item"
                f"{'s' if place.all_actions != 1 else ''} still to do."
                if place.all_actions
                else "No action plan items.",
                is_late=place.answered_by_id is None and place.round.closes_on < today,
            )
        )
    return items
