"""Write operations on referrals and Channel cases: one transaction each, keyword-only arguments.

Each raises :class:`CaseworkError` with a message that can be shown to the person, and writes a
line to the case's timeline (:class:`CaseEvent`). Timeline lines never hold personal data: they
say what happened ("Consent given by a parent or guardian"), never to whom.
"""

from __future__ import annotations

import datetime
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from preventhub.casework import crypto
from preventhub.casework.models import (
    AgendaEntry,
    Assessment,
    BreakGlass,
    CaseAssignment,
    CaseEvent,
    ConcernType,
    Consent,
    ExitReview,
    Intervention,
    MatchKey,
    OnwardReferral,
    PanelDecision,
    ProgressNote,
    Referral,
    Transfer,
    Triage,
    TriageCheck,
    TriageCheckResult,
)
from preventhub.core import audit
from preventhub.core.concurrency import save_versioned
from preventhub.core.models import AuditEvent
from preventhub.core.roles import CASE_ROLES, Role, roles_of
from preventhub.partnership.models import Area, Board, Meeting, Organisation


class CaseworkError(Exception):
    """A casework rule refused the change; the message says why, for the person."""


# The starting lists (also seeded by migration 0002); a partnership may change them.
DEFAULT_CONCERN_TYPES = [
    "Islamist",
    "Extreme right-wing",
    "Fascination with extreme violence or mass-casualty attacks",
    "No ideology – other susceptibility",
    "Other ideology",
    "Mixed, unclear or unstable",
]
DEFAULT_TRIAGE_CHECKS = [
    "Police National Computer",
    "Local police intelligence",
    "Counter Terrorism Policing deconfliction",
    "Children's social care",
    "Adult social care",
    "Education",
    "Health",
]


def ensure_reference_lists() -> None:
    """Put back the default concern types and triage checks if the lists are empty."""
    if not ConcernType.objects.exists():
        for order, name in enumerate(DEFAULT_CONCERN_TYPES, start=1):
            ConcernType.objects.create(name=name, order=order * 10)
    if not TriageCheck.objects.exists():
        for order, name in enumerate(DEFAULT_TRIAGE_CHECKS, start=1):
            TriageCheck.objects.create(name=name, order=order * 10)


def _event(referral: Referral, by: Any, title: str, detail: str = "") -> None:
    CaseEvent.objects.create(
        referral=referral, at=timezone.now(), by=by, title=title[:200], detail=detail[:300]
    )


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


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


def _index(referral: Referral) -> None:
    """(Re)write the referral's blind indexes from its current name and date of birth."""
    keys = crypto.blind_keys(referral.given_name, referral.family_name, referral.birth_date)
    stored = {key.kind: key for key in referral.match_keys.all()}
    for kind, value in keys.items():
        if kind in stored:
            if stored[kind].blind_key != value:
                MatchKey.objects.filter(pk=stored[kind].pk).update(blind_key=value)
        else:
            MatchKey.objects.create(referral=referral, kind=kind, blind_key=value)


def _close(referral: Referral, on: datetime.date) -> None:
    referral.stage = Referral.Stage.CLOSED
    referral.closed_on = on
    referral.retain_until = (
        None if referral.legal_hold else add_years(on, settings.PREVENTHUB_CASE_RETENTION_YEARS)
    )


# ---- intake ----------------------------------------------------------------------------------


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
    _index(referral)
    _event(referral, by, "Referral received", f"From the {referral.get_source_display()}")
    if previous_referral is not None:
        _event(referral, by, "Linked to an earlier referral", previous_referral.reference)
        _event(previous_referral, by, "Referred again", referral.reference)
    return referral


# ---- triage and routing ----------------------------------------------------------------------


@dataclass(frozen=True)
class CheckDone:
    check: TriageCheck
    done_on: datetime.date
    findings: str = ""


@transaction.atomic
def record_triage(
    *,
    referral: Referral,
    by: Any,
    category: str,
    decision: str,
    rationale: str,
    decided_on: datetime.date,
    checks: Iterable[CheckDone],
    expected_version: int,
) -> Triage:
    if referral.stage != Referral.Stage.RECEIVED:
        raise CaseworkError("This referral has already been triaged")
    if decided_on < referral.received_on:
        raise CaseworkError("The triage decision cannot be before the referral was received")
    if decided_on > timezone.localdate():
        raise CaseworkError("The triage decision cannot be in the future")
    checks = list(checks)
    if any(done.done_on < referral.received_on for done in checks):
        raise CaseworkError("A check cannot be done before the referral was received")
    triage = Triage.objects.create(
        referral=referral,
        category=category,
        decision=decision,
        rationale=rationale,
        decided_on=decided_on,
        decided_by=by,
    )
    for done in checks:
        TriageCheckResult.objects.create(
            triage=triage, triage_check=done.check, done_on=done.done_on, findings=done.findings
        )
    referral.stage = Referral.Stage.TRIAGED
    referral.triaged_on = decided_on
    save_versioned(
        referral, expected_version=expected_version, update_fields=["stage", "triaged_on"]
    )
    _event(
        referral,
        by,
        f"Triaged: {triage.get_category_display().lower()}",
        f"{len(checks)} checks recorded",
    )
    return triage


@transaction.atomic
def route_referral(
    *,
    referral: Referral,
    by: Any,
    route: str,
    reason: str,
    on: datetime.date,
    expected_version: int,
    signposted_to: str = "",
    panel: Board | None = None,
) -> Referral:
    if referral.stage != Referral.Stage.TRIAGED:
        raise CaseworkError("Only a triaged referral that has not been routed can be routed")
    if not reason.strip():
        raise CaseworkError("Enter the reasons for this routing")
    if on < (referral.triaged_on or referral.received_on):
        raise CaseworkError("The routing date cannot be before the triage decision")
    if route == Referral.Route.SIGNPOSTED and not signposted_to.strip():
        raise CaseworkError("Enter the service the person was signposted to")
    if route == Referral.Route.CHANNEL:
        if panel is None or panel.kind != Board.Kind.CHANNEL_PANEL:
            raise CaseworkError("Choose the Channel panel that will discuss the case")
    referral.route = route
    referral.route_reason = reason
    referral.routed_on = on
    referral.signposted_to = signposted_to if route == Referral.Route.SIGNPOSTED else ""
    referral.panel = panel if route == Referral.Route.CHANNEL else None
    if route == Referral.Route.CHANNEL:
        referral.stage = Referral.Stage.CHANNEL
    elif route == Referral.Route.POLICE_LED:
        referral.stage = Referral.Stage.POLICE_LED
    else:
        _close(referral, on)
    save_versioned(
        referral,
        expected_version=expected_version,
        update_fields=[
            "route",
            "route_reason",
            "routed_on",
            "signposted_to",
            "panel",
            "stage",
            "closed_on",
            "retain_until",
        ],
    )
    _event(referral, by, f"Routed: {referral.get_route_display().lower()}")
    return referral


@transaction.atomic
def close_case(*, referral: Referral, by: Any, on: datetime.date) -> Referral:
    """Close a police-led case, or a Channel case whose reviews are done or not wanted."""
    if referral.stage == Referral.Stage.CLOSED:
        raise CaseworkError("This case is already closed")
    if referral.stage in (Referral.Stage.RECEIVED, Referral.Stage.TRIAGED):
        raise CaseworkError("Route the referral first: routing records why it ends")
    if on < referral.received_on:
        raise CaseworkError("A case cannot close before it was received")
    _close(referral, on)
    referral.save(update_fields=["stage", "closed_on", "retain_until"])
    _event(referral, by, "Case closed")
    return referral


# ---- Channel panel ---------------------------------------------------------------------------


@transaction.atomic
def add_to_agenda(*, referral: Referral, meeting: Meeting, by: Any) -> AgendaEntry:
    if referral.panel_id is None or meeting.board_id != referral.panel_id:
        raise CaseworkError("A case can only go on the agenda of its own panel's meetings")
    if referral.stage == Referral.Stage.CLOSED:
        raise CaseworkError("A closed case cannot go on an agenda")
    if AgendaEntry.objects.filter(referral=referral, meeting=meeting).exists():
        raise CaseworkError("This case is already on that meeting's agenda")
    entry = AgendaEntry.objects.create(referral=referral, meeting=meeting)
    _event(referral, by, "Put on a panel agenda", f"Meeting of {meeting.held_on:%-d %B %Y}")
    return entry


@transaction.atomic
def record_panel_decision(
    *,
    entry: AgendaEntry,
    by: Any,
    outcome: str,
    votes_for: int,
    votes_against: int,
    abstentions: int,
    chair_decided: bool,
    rationale: str,
) -> PanelDecision:
    """A decision by majority; with no majority (a tie), the chair decides (s.37 of the Act)."""
    referral = entry.referral
    if votes_for + votes_against + abstentions == 0:
        raise CaseworkError("Record the votes cast")
    if votes_against > votes_for:
        raise CaseworkError(
            "More members voted against than for: record the outcome the majority supported"
        )
    if votes_for == votes_against and not chair_decided:
        raise CaseworkError("The votes are tied: record that the chair decided")
    if votes_for > votes_against and chair_decided:
        raise CaseworkError("There was a majority, so the chair did not need to decide")
    if not rationale.strip():
        raise CaseworkError("Enter the reasons for the decision")
    decision = PanelDecision.objects.create(
        agenda_entry=entry,
        outcome=outcome,
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
        chair_decided=chair_decided,
        rationale=rationale,
        recorded_by=by,
    )
    held_on = entry.meeting.held_on
    fields = []
    if referral.discussed_on is None:
        referral.discussed_on = held_on
        fields.append("discussed_on")
    if outcome == PanelDecision.Outcome.ADOPT and referral.adopted_on is None:
        referral.adopted_on = held_on
        fields.append("adopted_on")
    if outcome == PanelDecision.Outcome.NOT_ADOPT:
        _close(referral, held_on)
        fields += ["stage", "closed_on", "retain_until"]
    if fields:
        referral.save(update_fields=fields)
    how = "the chair decided" if chair_decided else "by majority"
    _event(
        referral,
        by,
        f"Panel decision: {decision.get_outcome_display()}",
        f"{votes_for} for, {votes_against} against, {abstentions} abstaining; {how}",
    )
    return decision


@transaction.atomic
def assign_member(
    *,
    referral: Referral,
    user: Any,
    kind: str,
    since: datetime.date,
    by: Any,
    until: datetime.date | None = None,
) -> CaseAssignment:
    """Give a Channel member a case: assigned (core) or called (co-opted), from ``since``."""
    if Role.CHANNEL_MEMBER not in roles_of(user):
        raise CaseworkError("Only someone with the Channel member role can be assigned a case")
    if until is not None and until < since:
        raise CaseworkError("The end date must be the same as or after the start date")
    assignment = CaseAssignment.objects.create(
        referral=referral, user=user, kind=kind, since=since, until=until
    )
    title = (
        "Member called for the case" if kind == CaseAssignment.Kind.CALLED else "Member assigned"
    )
    _event(referral, by, title, user.full_name)
    return assignment


@transaction.atomic
def end_assignment(*, assignment: CaseAssignment, on: datetime.date, by: Any) -> None:
    if on < assignment.since:
        raise CaseworkError("An assignment cannot end before it starts")
    assignment.until = on
    assignment.save(update_fields=["until"])
    _event(assignment.referral, by, "Member's access ended", assignment.user.full_name)


# ---- assessment, consent, support ------------------------------------------------------------


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
    _event(referral, by, "Vulnerability assessment recorded", f"{len(written)} entries")
    return assessment


def consent_must_come_from(referral: Referral, on: datetime.date) -> str:
    """Who must give consent on ``on``: a parent or guardian while the person is under 18."""
    age = referral.age_on(on)
    if age is not None and age < 18:
        return Consent.GivenBy.PARENT
    return Consent.GivenBy.INDIVIDUAL


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
    needed = consent_must_come_from(referral, answered_on)
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
    _event(
        referral,
        by,
        f"Consent {consent.get_status_display().lower()}",
        f"By {consent.get_given_by_display().lower()}",
    )
    return consent


def current_consent(referral: Referral) -> Consent | None:
    return referral.consents.order_by("-answered_on", "-pk").first()


@transaction.atomic
def start_support(*, referral: Referral, by: Any, on: datetime.date) -> Referral:
    """Support starts only with consent given, and not withdrawn since (s.36(4) of the Act)."""
    consent = current_consent(referral)
    if consent is None or consent.status != Consent.Status.GIVEN:
        raise CaseworkError("Support cannot start without consent: record the consent given first")
    if on < consent.answered_on:
        raise CaseworkError("Support cannot start before consent was given")
    if referral.support_started_on is not None:
        raise CaseworkError("Support has already started")
    referral.support_started_on = on
    referral.save(update_fields=["support_started_on"])
    _event(referral, by, "Support started")
    return referral


@transaction.atomic
def record_onward_referral(
    *, referral: Referral, by: Any, service: str, decided_on: datetime.date, notes: str = ""
) -> OnwardReferral:
    onward = OnwardReferral.objects.create(
        referral=referral, service=service, decided_on=decided_on, notes=notes
    )
    _event(referral, by, "Health or social care considered", onward.get_service_display())
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
    _event(referral, by, "Intervention added to the support plan", intervention.get_kind_display())
    return intervention


@transaction.atomic
def add_progress_note(
    *, referral: Referral, by: Any, written_on: datetime.date, text: str
) -> ProgressNote:
    if not text.strip():
        raise CaseworkError("Enter the progress note")
    note = ProgressNote.objects.create(referral=referral, by=by, written_on=written_on, text=text)
    _event(referral, by, "Progress note added")
    return note


# ---- exit, reviews, transfers ----------------------------------------------------------------


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
    _event(referral, by, "Exited Channel", referral.get_exit_reason_display())
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
        _close(referral, on)
        fields += ["stage", "closed_on", "retain_until"]
    referral.save(update_fields=fields)
    _event(referral, by, f"{review.months}-month review completed")
    return review


@transaction.atomic
def record_transfer(
    *, referral: Referral, by: Any, direction: str, other_area: str, on: datetime.date
) -> Transfer:
    transfer = Transfer.objects.create(
        referral=referral, direction=direction, other_area=other_area, transferred_on=on
    )
    _event(referral, by, transfer.get_direction_display())
    return transfer


# ---- break-glass, retention ------------------------------------------------------------------


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
    _event(referral, user, "Opened by break-glass", "Reason recorded for the DPO")
    return grant


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
    _event(referral, by, "Legal hold placed" if hold else "Legal hold lifted")
    return referral


def expired_referrals(today: datetime.date) -> list[Referral]:
    return list(
        Referral.objects.filter(
            closed_on__isnull=False,
            retain_until__lt=today,
            legal_hold=False,
            purged_on__isnull=True,
        ).order_by("retain_until", "pk")
    )


ENCRYPTED_REFERRAL_FIELDS = [
    field.name
    for field in Referral._meta.concrete_fields
    if isinstance(field, crypto.EncryptedTextField)
]
CHILD_RELATIONS = [
    "match_keys",
    "events",
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


def rotate_case_keys() -> dict[str, int]:
    """Re-encrypt every encrypted value under the current key, and recompute blind indexes.

    Values are rewritten with ``update()`` so the plaintext never passes through the audit trail's
    before-and-after; one summary entry records the rotation.
    """
    from django.apps import apps

    counts: dict[str, int] = {}
    with transaction.atomic():
        for model in apps.get_app_config("casework").get_models():
            names = [
                field.name
                for field in model._meta.concrete_fields
                if isinstance(field, crypto.EncryptedTextField)
            ]
            if not names:
                continue
            rewritten = 0
            for row in model._default_manager.values("pk", *names).iterator(chunk_size=500):
                values = {name: row[name] for name in names if row[name]}
                if values:
                    model._default_manager.filter(pk=row["pk"]).update(**values)
                    rewritten += 1
            counts[model._meta.label_lower] = rewritten
        for referral in Referral.objects.filter(purged_on__isnull=True).prefetch_related(
            "match_keys"
        ):
            _index(referral)
        audit.record(
            action=AuditEvent.Action.UPDATE,
            object_type="casework",
            object_repr="Case encryption key rotated",
            changes={"rows": counts},
        )
    return counts
