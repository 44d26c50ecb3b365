"""Who may see which referral: the one place that scopes case data to a user.

Every view that shows a referral or case gets it through :func:`visible_referrals`, so a case
outside a person's work simply does not exist for them (404), whatever its number.

* Police Prevent officers: referrals of their force (the police organisation on their account).
* Channel chairs: every case of a panel they currently chair.
* Channel members: cases on the agenda of a meeting of a panel on which they hold a current core
  seat (the same seat, held since before the meeting), until the case is closed or
  ``PREVENTHUB_AGENDA_ACCESS_DAYS`` after the meeting; and cases they are assigned to or called
  for, while the assignment lasts. A co-opted member is only ever called: their access ends with
  the call.
* Break-glass: anyone with a case role who gave a reason, for a limited time.
* Nobody else: not Administrators, not the Prevent coordinator, not the DPO.

Every condition about one seat is asked of that seat in one subquery on ``Membership``: spread
over several ``filter()`` calls across a multi-valued join, each call could be met by a different
member's seat. ``queries.case_audience`` lists the people these rules reach, from the same
building blocks.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from preventhub.casework.models import AgendaEntry, BreakGlass, CaseAssignment, Referral
from preventhub.core.roles import CASE_ROLES, Role, roles_of
from preventhub.partnership.models import Membership


def _current(prefix: str, today: datetime.date) -> Q:
    return Q(**{f"{prefix}since__lte": today}) & (
        Q(**{f"{prefix}until__isnull": True}) | Q(**{f"{prefix}until__gte": today})
    )


def chaired_panels(user: Any, today: datetime.date | None = None) -> QuerySet[Membership]:
    today = today or timezone.localdate()
    return Membership.objects.filter(
        _current("", today), user=user, role=Membership.Role.CHAIR
    ).values("board_id")


def agenda_access_ends(held_on: datetime.date) -> datetime.date:
    """The last day a core seat reaches a case through a meeting held on ``held_on``."""
    return held_on + datetime.timedelta(days=settings.PREVENTHUB_AGENDA_ACCESS_DAYS)


def current_seats(today: datetime.date, role: str) -> QuerySet[Membership]:
    """Seats of ``role`` held today by a user (not a contact)."""
    return Membership.objects.filter(_current("", today), role=role, user__isnull=False)


def live_agenda(today: datetime.date) -> QuerySet[AgendaEntry]:
    """Agenda entries that still open their case to the panel's core seats: the case is not
    closed, and the meeting is no more than ``PREVENTHUB_AGENDA_ACCESS_DAYS`` ago."""
    first = today - datetime.timedelta(days=settings.PREVENTHUB_AGENDA_ACCESS_DAYS)
    return AgendaEntry.objects.filter(meeting__held_on__gte=first, referral__closed_on__isnull=True)


def current_assignments(today: datetime.date, kinds: list[str]) -> QuerySet[CaseAssignment]:
    return CaseAssignment.objects.filter(_current("", today), kind__in=kinds)


def _grants(user: Any, *, with_break_glass: bool, with_calls: bool) -> Q | None:
    roles = roles_of(user)
    if not roles & CASE_ROLES:
        return None
    today = timezone.localdate()
    grants = Q(pk__in=[])
    if Role.POLICE_OFFICER in roles and user.organisation_id:
        grants |= Q(force_id=user.organisation_id)
    if Role.CHANNEL_CHAIR in roles:
        grants |= Q(panel_id__in=chaired_panels(user, today))
    if Role.CHANNEL_MEMBER in roles:
        kinds = [CaseAssignment.Kind.ASSIGNED]
        if with_calls:
            kinds.append(CaseAssignment.Kind.CALLED)
        assigned = current_assignments(today, kinds).filter(user=user).values("referral_id")
        seat_at_meeting = current_seats(today, Membership.Role.CORE).filter(
            user=user,
            board_id=OuterRef("meeting__board_id"),
            since__lte=OuterRef("meeting__held_on"),
        )
        on_agenda = live_agenda(today).filter(Exists(seat_at_meeting)).values("referral_id")
        grants |= Q(pk__in=assigned) | Q(pk__in=on_agenda)
    if with_break_glass:
        grants |= Q(
            pk__in=BreakGlass.objects.filter(user=user, expires_at__gt=timezone.now()).values(
                "referral_id"
            )
        )
    return grants


def visible_referrals(user: Any) -> QuerySet[Referral]:
    """The referrals ``user`` may read now; purged ones are gone for everybody."""
    grants = _grants(user, with_break_glass=True, with_calls=True)
    if grants is None:
        return Referral.objects.none()
    return Referral.objects.filter(grants, purged_on__isnull=True)


def worked_referrals(user: Any) -> QuerySet[Referral]:
    """The referrals ``user`` may change: their own work, not break-glass and not a call."""
    grants = _grants(user, with_break_glass=False, with_calls=False)
    if grants is None:
        return Referral.objects.none()
    return Referral.objects.filter(grants, purged_on__isnull=True)


def can_see(user: Any, referral: Referral) -> bool:
    return visible_referrals(user).filter(pk=referral.pk).exists()


def can_work(user: Any, referral: Referral) -> bool:
    return worked_referrals(user).filter(pk=referral.pk).exists()


def sees_only_by_break_glass(user: Any, referral: Referral) -> bool:
    grants = _grants(user, with_break_glass=False, with_calls=True)
    if grants is None:
        return True
    return not Referral.objects.filter(grants, pk=referral.pk).exists()
