"""Intake: recording a referral, its reference and its blind indexes."""

from __future__ import annotations

import datetime
import json
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from preventhub.casework import queries
from preventhub.casework.models import CaseEvent, ConcernType, IntakeCorrection, Referral
from preventhub.casework.services.common import CaseworkError, index_referral, record_event
from preventhub.core.concurrency import save_versioned
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


@transaction.atomic
def correct_intake(
    *,
    referral: Referral,
    by: Any,
    expected_version: int,
    reason: str,
    received_on: datetime.date,
    referrer_organisation: str,
    referrer_sector: str,
    referrer_name: str,
    subject: Subject,
    concern_type: ConcernType,
    concerns: str,
    awareness: str,
    safeguarding_involved: bool = False,
    safeguarding_details: str = "",
) -> IntakeCorrection:
    """Correct a referral's intake details after it was recorded.

    The earlier values are kept, encrypted, in an :class:`IntakeCorrection` with the reason, and
    the case's timeline says which details changed (names, never values). Refused if the referral
    changed since the form was opened (ConcurrentEditError).
    """
    if referral.purged_on is not None:
        raise CaseworkError("This case's personal data has been destroyed: it cannot be changed")
    if not reason.strip():
        raise CaseworkError("Enter why you are correcting the intake details")
    if received_on > timezone.localdate():
        raise CaseworkError("The date received cannot be in the future")
    if referral.triaged_on and received_on > referral.triaged_on:
        raise CaseworkError("The date received cannot be after the triage decision")
    if subject.date_of_birth and subject.date_of_birth > received_on:
        raise CaseworkError("The date of birth must be before the date the referral was received")
    before = queries.intake_values(referral)
    shown_before = queries.intake_shown(referral)
    referral.received_on = received_on
    referral.referrer_organisation = referrer_organisation
    referral.referrer_sector = referrer_sector
    referral.referrer_name = referrer_name
    referral.given_name = subject.given_name.strip()
    referral.family_name = subject.family_name.strip()
    referral.date_of_birth = subject.date_of_birth.isoformat() if subject.date_of_birth else ""
    referral.gender = subject.gender
    referral.district = subject.district
    referral.address = subject.address
    referral.concern_type = concern_type
    referral.concerns = concerns
    referral.awareness = awareness
    referral.safeguarding_involved = safeguarding_involved
    referral.safeguarding_details = safeguarding_details if safeguarding_involved else ""
    after = queries.intake_values(referral)
    changed = [name for name in queries.INTAKE_FIELDS if before[name] != after[name]]
    if not changed:
        raise CaseworkError("Nothing was changed: change a detail, or go back to the case")
    referral.age_at_referral = referral.age_on(referral.received_on)
    save_versioned(
        referral,
        expected_version=expected_version,
        update_fields=[*queries.INTAKE_FIELDS, "age_at_referral"],
    )
    if {"given_name", "family_name", "date_of_birth"} & set(changed):
        index_referral(referral)
    labels = [queries.INTAKE_FIELDS[name] for name in changed]
    correction = IntakeCorrection.objects.create(
        referral=referral,
        at=timezone.now(),
        by=by,
        fields=", ".join(labels)[:300],
        earlier=json.dumps({queries.INTAKE_FIELDS[name]: shown_before[name] for name in changed}),
        reason=reason.strip(),
    )
    record_event(
        referral,
        by,
        CaseEvent.Kind.INTAKE_CORRECTED,
        "Intake details corrected",
        f"Changed: {', '.join(labels).lower()}",
    )
    return correction
