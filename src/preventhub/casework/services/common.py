"""What every casework service shares: the error it raises, the timeline line it writes, closing a
case, the blind indexes, and the date arithmetic of retention and reviews."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from preventhub.casework import crypto
from preventhub.casework.models import CaseEvent, MatchKey, Referral
from preventhub.core.calendar import add_years


class CaseworkError(Exception):
    """A casework rule refused the change; the message says why, for the person."""


def record_event(
    referral: Referral, by: Any, kind: CaseEvent.Kind, title: str, detail: str = ""
) -> None:
    """Write one line of the case's timeline. Never personal data: what happened, not to whom."""
    CaseEvent.objects.create(
        referral=referral,
        at=timezone.now(),
        by=by,
        kind=kind,
        title=title[:200],
        detail=detail[:300],
    )


def index_referral(referral: Referral) -> None:
    """(Re)write the referral's blind indexes from its current name and date of birth."""
    keys = crypto.blind_keys(referral.given_name, referral.family_name, referral.birth_date)
    stored = {key.kind: key for key in referral.match_keys.all()}
    for kind, value in keys.items():
        if kind in stored:
            if stored[kind].blind_key != value:
                MatchKey.objects.filter(pk=stored[kind].pk).update(blind_key=value)
        else:
            MatchKey.objects.create(referral=referral, kind=kind, blind_key=value)


def close(referral: Referral, on: datetime.date) -> None:
    """Mark the referral closed on ``on`` and start its retention clock (unless on legal hold).
    The caller saves it."""
    referral.stage = Referral.Stage.CLOSED
    referral.closed_on = on
    referral.retain_until = (
        None if referral.legal_hold else add_years(on, settings.PREVENTHUB_CASE_RETENTION_YEARS)
    )
