"""Who may see which referral: the one place that scopes case data to a user.

Every view that shows a referral or case gets it through :func:`visible_referrals`, so a case
outside a person's work simply does not exist for them (404), whatever its number.

* Police Prevent officers: referrals of their force (the police organisation on their account).
* Channel chairs: every case of a panel they currently chair.
* Channel members: cases on the agenda of a meeting of a panel on which they hold a current core
  seat (from the start of that seat), and cases they are assigned to or called for, while the
  assignment lasts. A co-opted member is only ever called: their access ends with the call.
* Break-glass: anyone with a case role who gave a reason, for a limited time.
* Nobody else: not Administrators, not the Prevent coordinator, not the DPO.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import F, Q, QuerySet
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
    return (
        Membership.objects.filter(user=user, role=Membership.Role.CHAIR)
        .filter(_current("", today))
        .values("board_id")
    )


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
        assigned = (
            CaseAssignment.objects.filter(user=user, kind__in=kinds)
            .filter(_current("", today))
            .values("referral_id")
        )
        on_agenda = AgendaEntry.objects.filter(
            meeting__board__memberships__user=user,
            meeting__board__memberships__role=Membership.Role.CORE,
            meeting__held_on__gte=F("meeting__board__memberships__since"),
        ).filter(_current("meeting__board__memberships__", today))
        grants |= Q(pk__in=assigned) | Q(pk__in=on_agenda.values("referral_id"))
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
