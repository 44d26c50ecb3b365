"""Retention: the legal hold that stops the clock, and destroying a case's personal data when its
retention date has passed (which cases are due is a query: ``queries.expired_referrals``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from preventhub.casework import crypto
from preventhub.casework.models import CaseEvent, Referral, Triage
from preventhub.casework.services.common import CaseworkError, record_event
from preventhub.core import audit
from preventhub.core.calendar import add_years
from preventhub.core.models import AuditEvent


@transaction.atomic
def set_legal_hold(*, referral: Referral, hold: bool, reason: str, by: Any) -> Referral:
    """A legal hold stops the retention clock; lifting it restarts the clock from today."""
    if hold == referral.legal_hold:
        raise CaseworkError("The case is already " + ("on hold" if hold else "not on hold"))
    if hold and not reason.strip():
        raise CaseworkError("Enter the reason for the legal hold")
    referral.legal_hold = hold
    referral.legal_hold_reason = reason if hold else ""
    if hold:
        referral.retain_until = None
    elif referral.closed_on is not None:
        referral.retain_until = max(
            add_years(referral.closed_on, settings.PREVENTHUB_CASE_RETENTION_YEARS),
            timezone.localdate() + datetime.timedelta(days=1),
        )
    referral.save(update_fields=["legal_hold", "legal_hold_reason", "retain_until"])
    if hold:
        record_event(referral, by, CaseEvent.Kind.LEGAL_HOLD, "Legal hold placed")
    else:
        record_event(referral, by, CaseEvent.Kind.HOLD_LIFTED, "Legal hold lifted")
    return referral


ENCRYPTED_REFERRAL_FIELDS = [
    field.name
    for field in Referral._meta.concrete_fields
    if isinstance(field, crypto.EncryptedTextField)
]
CHILD_RELATIONS = [
    "match_keys",
    "events",
    "intake_corrections",
    "assignments",
    "break_glass",
    "agenda",
    "assessments",
    "consents",
    "onward",
    "interventions",
    "notes",
    "reviews",
    "transfers",
]


@transaction.atomic
def purge_referral(*, referral: Referral, today: datetime.date) -> None:
    """Destroy the personal data; keep a tombstone (reference, dates, outcomes) for statistics."""
    Triage.objects.filter(referral=referral).delete()
    for relation in CHILD_RELATIONS:
        getattr(referral, relation).all().delete()
    for name in ENCRYPTED_REFERRAL_FIELDS:
        setattr(referral, name, "")
    referral.created_by = None
    referral.purged_on = today
    referral.save(update_fields=[*ENCRYPTED_REFERRAL_FIELDS, "created_by", "purged_on"])
    audit.record(
        action=AuditEvent.Action.DELETE,
        obj=referral,
        detail=f"Personal data destroyed: retention date {referral.retain_until} passed",
    )
