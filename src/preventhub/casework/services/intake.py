"""Intake: recording a referral, its reference and its blind indexes."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from preventhub.casework.models import CaseEvent, ConcernType, Referral
from preventhub.casework.services.common import CaseworkError, index_referral, record_event
from preventhub.partnership.models import Area, Organisation

# Crockford's base 32: no I, L, O or U, so a reference read over the phone is not misheard.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _next_reference(year: int) -> str:
    """A reference like PR2026-7KQ3XM. Random, not a running number: a partner who refers twice
    would otherwise learn from the two references exactly how many people were referred in
    between, a count the statistics never give (docs/casework.md)."""
    while True:
        reference = f"PR{year}-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
        if not Referral.objects.filter(reference=reference).exists():
            return reference


@dataclass(frozen=True)
class Subject:
    """Who is referred: only what is needed."""

    given_name: str
    family_name: str
    date_of_birth: datetime.date | None
    gender: str
    district: Area | None
    address: str = ""


@transaction.atomic
def receive_referral(
    *,
    by: Any,
    source: str,
    received_on: datetime.date,
    force: Organisation,
    referrer_organisation: str,
    referrer_sector: str,
    referrer_name: str,
    subject: Subject,
    concern_type: ConcernType,
    concerns: str,
    awareness: str,
    safeguarding_involved: bool = False,
    safeguarding_details: str = "",
    previous_referral: Referral | None = None,
) -> Referral:
    """Record a referral. From the partner form, the referrer gets no access to it afterwards."""
    if received_on > timezone.localdate():
        raise CaseworkError("The date received cannot be in the future")
    if subject.date_of_birth and subject.date_of_birth > received_on:
        raise CaseworkError("The date of birth must be before the date the referral was received")
    referral = Referral(
        reference=_next_reference(received_on.year),
        received_on=received_on,
        source=source,
        force=force,
        referrer_organisation=referrer_organisation,
        referrer_sector=referrer_sector,
        referrer_name=referrer_name,
        created_by=by,
        given_name=subject.given_name.strip(),
        family_name=subject.family_name.strip(),
        date_of_birth=subject.date_of_birth.isoformat() if subject.date_of_birth else "",
        address=subject.address,
        gender=subject.gender,
        district=subject.district,
        concern_type=concern_type,
        concerns=concerns,
        awareness=awareness,
        safeguarding_involved=safeguarding_involved,
        safeguarding_details=safeguarding_details if safeguarding_involved else "",
        previous_referral=previous_referral,
    )
    referral.age_at_referral = referral.age_on(received_on)
    referral.save()
    index_referral(referral)
    record_event(
        referral,
        by,
        CaseEvent.Kind.RECEIVED,
        "Referral received",
        f"From the {referral.get_source_display()}",
    )
    if previous_referral is not None:
        record_event(
            referral,
            by,
            CaseEvent.Kind.LINKED,
            "Linked to an earlier referral",
            previous_referral.reference,
        )
        record_event(
            previous_referral,
            by,
            CaseEvent.Kind.REFERRED_AGAIN,
            "Referred again",
            referral.reference,
        )
    return referral
