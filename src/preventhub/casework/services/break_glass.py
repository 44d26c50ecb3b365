"""Break-glass: opening a case outside one's work, for a while, with a reason the DPO reviews."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from preventhub.casework.models import BreakGlass, CaseEvent, Referral
from preventhub.casework.services.common import CaseworkError, record_event
from preventhub.core import audit
from preventhub.core.roles import CASE_ROLES, roles_of


@transaction.atomic
def break_glass(*, user: Any, referral: Referral, reason: str) -> BreakGlass:
    """Open a case outside one's assignment, for a while, with a stated reason that is logged."""
    if not roles_of(user) & CASE_ROLES:
        raise CaseworkError("Only someone with a case role can open a case this way")
    if len(reason.strip()) < 10:
        raise CaseworkError("Explain why you need to open this case (at least 10 characters)")
    now = timezone.now()
    grant = BreakGlass.objects.create(
        referral=referral,
        user=user,
        reason=reason.strip(),
        opened_at=now,
        expires_at=now + datetime.timedelta(minutes=settings.PREVENTHUB_BREAK_GLASS_MINUTES),
    )
    audit.record_access(referral, purpose=f"Break-glass: {reason.strip()}"[:500], actor=user)
    record_event(
        referral,
        user,
        CaseEvent.Kind.BREAK_GLASS,
        "Opened by break-glass",
        "Reason recorded for the DPO",
    )
    return grant
