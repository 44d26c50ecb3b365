"""Support of a Channel case: assessments, consent, the support plan and its notes, onward
referrals, exit and the reviews after it, and transfers between areas."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.db import transaction

from preventhub.casework import queries
from preventhub.casework.models import (
    Assessment,
    CaseEvent,
    Consent,
    ExitReview,
    Intervention,
    OnwardReferral,
    ProgressNote,
    Referral,
    Transfer,
)
from preventhub.casework.services.common import CaseworkError, close, record_event
from preventhub.core.calendar import add_months


@transaction.atomic
def record_assessment(
    *, referral: Referral, by: Any, assessed_on: datetime.date, entries: dict[str, str]
) -> Assessment:
    written = {code: text.strip() for code, text in entries.items() if text.strip()}
    if not written:
        raise CaseworkError("Write the evidence and judgement for at least one factor")
    assessment = Assessment.objects.create(
        referral=referral, assessed_on=assessed_on, assessed_by=by, entries=json.dumps(written)
    )
    record_event(
        referral,
        by,
        CaseEvent.Kind.ASSESSMENT,
        "Vulnerability assessment recorded",
        f"{len(written)} entries",
    )
    return assessment


@transaction.atomic
def record_consent(
    *,
    referral: Referral,
    by: Any,
    requested_by: str,
    method: str,
    requested_on: datetime.date,
    status: str,
    answered_on: datetime.date,
    given_by: str,
    giver_name: str = "",
) -> Consent:
    if referral.panel_id is None:
        raise CaseworkError("Consent is asked for Channel support: route the referral to Channel")
    if answered_on < requested_on:
        raise CaseworkError("The answer cannot come before consent was asked for")
    needed = queries.consent_must_come_from(referral, answered_on)
    if needed == Consent.GivenBy.PARENT and given_by != Consent.GivenBy.PARENT:
        raise CaseworkError(
            f"The person was {referral.age_on(answered_on)} on that date: consent must come "
            "from a parent or guardian"
        )
    if needed == Consent.GivenBy.INDIVIDUAL and given_by != Consent.GivenBy.INDIVIDUAL:
        raise CaseworkError("The person was 18 or over on that date: consent must be their own")
    consent = Consent.objects.create(
        referral=referral,
        requested_by=requested_by,
        method=method,
        requested_on=requested_on,
        status=status,
        answered_on=answered_on,
        given_by=given_by,
        giver_name=giver_name,
        recorded_by=by,
    )
    if status != Consent.Status.GIVEN and referral.consent_refused_on is None:
        referral.consent_refused_on = answered_on
        referral.save(update_fields=["consent_refused_on"])
    record_event(
        referral,
        by,
        CaseEvent.Kind.CONSENT,
        f"Consent {consent.get_status_display().lower()}",
        f"By {consent.get_given_by_display().lower()}",
    )
    return consent


@transaction.atomic
def start_support(*, referral: Referral, by: Any, on: datetime.date) -> Referral:
    """Support starts only with consent given, and not withdrawn since (s.36(4) of the Act)."""
    consent = queries.current_consent(referral)
    if consent is None or consent.status != Consent.Status.GIVEN:
        raise CaseworkError("Support cannot start without consent: record the consent given first")
    if on < consent.answered_on:
        raise CaseworkError("Support cannot start before consent was given")
    if referral.support_started_on is not None:
        raise CaseworkError("Support has already started")
    referral.support_started_on = on
    referral.save(update_fields=["support_started_on"])
    record_event(referral, by, CaseEvent.Kind.SUPPORT_STARTED, "Support started")
    return referral


@transaction.atomic
def record_onward_referral(
    *, referral: Referral, by: Any, service: str, decided_on: datetime.date, notes: str = ""
) -> OnwardReferral:
    onward = OnwardReferral.objects.create(
        referral=referral, service=service, decided_on=decided_on, notes=notes
    )
    record_event(
        referral,
        by,
        CaseEvent.Kind.ONWARD,
        "Health or social care considered",
        onward.get_service_display(),
    )
    return onward


@transaction.atomic
def add_intervention(
    *,
    referral: Referral,
    by: Any,
    kind: str,
    provider: str,
    home_office_provider: bool,
    who: str,
    how: str,
    starts_on: datetime.date,
    review_on: datetime.date | None = None,
) -> Intervention:
    if referral.adopted_on is None:
        raise CaseworkError("A support plan is for a case the panel has adopted")
    if review_on is not None and review_on < starts_on:
        raise CaseworkError("The review date must be after the start date")
    intervention = Intervention.objects.create(
        referral=referral,
        kind=kind,
        provider=provider,
        home_office_provider=home_office_provider,
        who=who,
        how=how,
        starts_on=starts_on,
        review_on=review_on,
    )
    record_event(
        referral,
        by,
        CaseEvent.Kind.INTERVENTION,
        "Intervention added to the support plan",
        intervention.get_kind_display(),
    )
    return intervention


@transaction.atomic
def add_progress_note(
    *, referral: Referral, by: Any, written_on: datetime.date, text: str
) -> ProgressNote:
    if not text.strip():
        raise CaseworkError("Enter the progress note")
    note = ProgressNote.objects.create(referral=referral, by=by, written_on=written_on, text=text)
    record_event(referral, by, CaseEvent.Kind.NOTE, "Progress note added")
    return note


REVIEW_MONTHS = (6, 12)


@transaction.atomic
def exit_case(
    *, referral: Referral, by: Any, on: datetime.date, reason: str, notes: str = ""
) -> Referral:
    """Exit Channel and schedule the reviews 6 and 12 months later."""
    if referral.stage != Referral.Stage.CHANNEL or referral.adopted_on is None:
        raise CaseworkError("Only an adopted Channel case can exit")
    if on < referral.adopted_on:
        raise CaseworkError("A case cannot exit before it was adopted")
    referral.stage = Referral.Stage.EXITED
    referral.exited_on = on
    referral.exit_reason = reason
    referral.exit_notes = notes
    referral.save(update_fields=["stage", "exited_on", "exit_reason", "exit_notes"])
    for months in REVIEW_MONTHS:
        ExitReview.objects.create(referral=referral, months=months, due_on=add_months(on, months))
    record_event(
        referral, by, CaseEvent.Kind.EXITED, "Exited Channel", referral.get_exit_reason_display()
    )
    return referral


@transaction.atomic
def complete_review(*, review: ExitReview, by: Any, on: datetime.date, outcome: str) -> ExitReview:
    if review.completed_on is not None:
        raise CaseworkError("This review is already complete")
    if not outcome.strip():
        raise CaseworkError("Enter what the review found")
    referral = review.referral
    if on < (referral.exited_on or referral.received_on):
        raise CaseworkError("A review cannot be before the exit")
    review.completed_on = on
    review.outcome = outcome
    review.save(update_fields=["completed_on", "outcome"])
    referral.reviews_completed = referral.reviews.filter(completed_on__isnull=False).count()
    fields = ["reviews_completed"]
    if not referral.reviews.filter(completed_on__isnull=True).exists():
        close(referral, on)
        fields += ["stage", "closed_on", "retain_until"]
    referral.save(update_fields=fields)
    record_event(
        referral, by, CaseEvent.Kind.REVIEW_DONE, f"{review.months}-month review completed"
    )
    return review


@transaction.atomic
def record_transfer(
    *, referral: Referral, by: Any, direction: str, other_area: str, on: datetime.date
) -> Transfer:
    transfer = Transfer.objects.create(
        referral=referral, direction=direction, other_area=other_area, transferred_on=on
    )
    record_event(referral, by, CaseEvent.Kind.TRANSFERRED, transfer.get_direction_display())
    return transfer
