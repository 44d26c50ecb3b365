"""Reads of referrals and cases, as plain data for the pages and the services. Callers pass a
referral they got from :func:`preventhub.casework.access.visible_referrals`: these functions never
widen access. Nothing here writes, and nothing here imports ``casework.services``."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.paginator import Page
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import date_format

from preventhub.accounts.models import User
from preventhub.casework import access, crypto, vaf
from preventhub.casework.models import (
    AgendaEntry,
    BreakGlass,
    CaseAssignment,
    CaseEvent,
    Consent,
    ExitReview,
    MatchKey,
    Referral,
    Triage,
)
from preventhub.core.pagination import page_of
from preventhub.core.roles import CASE_ROLES, Role
from preventhub.partnership.models import Attendance, Meeting, Membership


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Monday-to-Friday days after ``start`` up to and including ``end`` (bank holidays count)."""
    if end <= start:
        return 0
    days = (end - start).days
    weeks, extra = divmod(days, 7)
    count = weeks * 5
    for offset in range(1, extra + 1):
        if (start + datetime.timedelta(days=weeks * 7 + offset)).weekday() < 5:
            count += 1
    return count


@dataclass(frozen=True)
class TriageClock:
    working_days: int
    target: int
    stopped: bool  # triage decided: the clock shows the days it took

    @property
    def over_target(self) -> bool:
        return self.working_days > self.target


def triage_clock(referral: Referral, today: datetime.date | None = None) -> TriageClock:
    end = referral.triaged_on or today or timezone.localdate()
    return TriageClock(
        working_days_between(referral.received_on, end),
        settings.PREVENTHUB_TRIAGE_TARGET_DAYS,
        referral.triaged_on is not None,
    )


# ---- consent ---------------------------------------------------------------------------------


def consent_must_come_from(referral: Referral, on: datetime.date) -> str:
    """Who must give consent on ``on``: a parent or guardian while the person is under 18."""
    age = referral.age_on(on)
    if age is not None and age < 18:
        return Consent.GivenBy.PARENT
    return Consent.GivenBy.INDIVIDUAL


def consent_rule_date(referral: Referral, today: datetime.date) -> datetime.date:
    """The day whose age rule matters for a case's consent: today while the case is worked on;
    for an exited or closed case, the day support ended (not today, years later)."""
    if referral.stage == Referral.Stage.CLOSED and referral.closed_on:
        return min(referral.exited_on or referral.closed_on, referral.closed_on, today)
    if referral.stage == Referral.Stage.EXITED and referral.exited_on:
        return min(referral.exited_on, today)
    return today


def current_consent(referral: Referral) -> Consent | None:
    return referral.consents.order_by("-answered_on", "-pk").first()


# ---- lists -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferralRow:
    pk: int
    reference: str
    name: str
    received_on: datetime.date
    stage: str
    clock: TriageClock


def _row(referral: Referral) -> ReferralRow:
    return ReferralRow(
        referral.pk,
        referral.reference,
        referral.full_name,
        referral.received_on,
        referral.get_stage_display(),
        triage_clock(referral),
    )


def _listed(user: Any, stage: str) -> QuerySet[Referral]:
    referrals = access.visible_referrals(user)
    if stage:
        referrals = referrals.filter(stage=stage)
    return referrals.order_by("-received_on", "-pk")


def referral_page(
    user: Any, *, stage: str = "", page_number: str | int = 1, per_page: int = 100
) -> Page:
    """One page of the referrals ``user`` may see (of one ``stage``, if given), newest first:
    only the names shown are decrypted. Raises ``InvalidPage`` for no such page. (The list was
    cut at the newest 500, saying "500 referrals" whatever there were.)"""
    referrals = _listed(user, stage)
    return page_of(
        referrals.count(),
        page_number or 1,
        per_page,
        lambda start, end: [_row(referral) for referral in referrals[start:end]],
    )


@dataclass(frozen=True)
class PossibleDuplicate:
    pk: int
    reference: str
    received_on: datetime.date
    stage: str
    why: str
    visible: bool


# Strongest first: a match is described by the strongest way it matched.
_MATCH_ORDER = ["exact", "swapped", "sounds_alike", "same_name_year"]


def possible_duplicates(
    user: Any,
    *,
    given_name: str,
    family_name: str,
    born: datetime.date | None,
    exclude: Referral | None = None,
) -> list[PossibleDuplicate]:
    """Earlier referrals that may be the same person: an aid to deconfliction, never a merge.

    Matching compares blind indexes only, so it works on encrypted data without decrypting it.
    """
    keys = crypto.blind_keys(given_name, family_name, born)
    if not keys:
        return []
    matches = MatchKey.objects.filter(
        blind_key__in=set(keys.values()), referral__purged_on__isnull=True
    ).select_related("referral")
    if exclude is not None:
        matches = matches.exclude(referral=exclude)
    by_value: dict[str, list[str]] = {}
    for kind, value in keys.items():
        by_value.setdefault(value, []).append(kind)
    best: dict[int, tuple[int, Referral]] = {}
    for match in matches:
        kinds = {match.kind, *by_value.get(match.blind_key, [])}
        kind = "swapped" if "swapped" in kinds else min(kinds, key=_MATCH_ORDER.index)
        rank = _MATCH_ORDER.index(kind)
        if match.referral_id not in best or rank < best[match.referral_id][0]:
            best[match.referral_id] = (rank, match.referral)
    visible = set(
        access.visible_referrals(user).filter(pk__in=best.keys()).values_list("pk", flat=True)
    )
    return [
        PossibleDuplicate(
            referral.pk,
            referral.reference,
            referral.received_on,
            referral.get_stage_display(),
            MatchKey.Kind(_MATCH_ORDER[rank]).label,
            referral.pk in visible,
        )
        for rank, referral in sorted(best.values(), key=lambda item: (item[0], item[1].pk))
    ]


# ---- who can see a case ----------------------------------------------------------------------


@dataclass(frozen=True)
class CaseViewer:
    """One person who can open the case today, and the one grant they have it by. Someone with
    two grants (a core seat and an assignment) is listed once for each."""

    user_id: int
    name: str
    why: str
    until: datetime.date | None  # the last day, if the grant has one
    expires_at: datetime.datetime | None  # break-glass ends at a time, not a day
    may_change: bool


def _holders(*roles: str) -> QuerySet[User]:
    """Active users holding any of ``roles``: access.py grants nothing to anyone else."""
    return User.objects.filter(is_active=True, groups__name__in=roles).values("pk")


def case_audience(referral: Referral, today: datetime.date | None = None) -> list[CaseViewer]:
    """Everyone who can open ``referral`` today and why, by the rules of ``access.py``.

    Five queries, whatever the number of people.
    """
    today = today or timezone.localdate()
    viewers: list[CaseViewer] = []
    police = User.objects.filter(
        pk__in=_holders(Role.POLICE_OFFICER), organisation_id=referral.force_id
    )
    for user in police.select_related("organisation"):
        viewers.append(
            CaseViewer(
                user.pk,
                user.full_name,
                f"Police Prevent officer of the person's force ({user.organisation})",
                None,
                None,
                True,
            )
        )
    if referral.panel_id is not None:
        chairs = access.current_seats(today, Membership.Role.CHAIR).filter(
            board_id=referral.panel_id, user__in=_holders(Role.CHANNEL_CHAIR)
        )
        for seat in chairs.select_related("user", "board"):
            viewers.append(
                CaseViewer(
                    seat.user.pk,
                    seat.user.full_name,
                    f"Chair of {seat.board.name}",
                    seat.until,
                    None,
                    True,
                )
            )
    entries = access.live_agenda(today).filter(
        referral=referral,
        meeting__board_id=OuterRef("board_id"),
        meeting__held_on__gte=OuterRef("since"),
    )
    core_seats = (
        access.current_seats(today, Membership.Role.CORE)
        .filter(Exists(entries), user__in=_holders(Role.CHANNEL_MEMBER))
        .annotate(
            last_meeting=Subquery(
                entries.order_by("-meeting__held_on").values("meeting__held_on")[:1]
            )
        )
        .select_related("user", "board")
    )
    for seat in core_seats:
        ends = access.agenda_access_ends(seat.last_meeting)
        viewers.append(
            CaseViewer(
                seat.user.pk,
                seat.user.full_name,
                f"Core seat on {seat.board.name}, through the meeting on "
                f"{seat.last_meeting:%-d %B %Y}",
                min(ends, seat.until) if seat.until else ends,
                None,
                True,
            )
        )
    assignments = access.current_assignments(
        today, [CaseAssignment.Kind.ASSIGNED, CaseAssignment.Kind.CALLED]
    ).filter(referral=referral, user__in=_holders(Role.CHANNEL_MEMBER))
    for assignment in assignments.select_related("user"):
        assigned = assignment.kind == CaseAssignment.Kind.ASSIGNED
        viewers.append(
            CaseViewer(
                assignment.user.pk,
                assignment.user.full_name,
                f"{'Assigned' if assigned else 'Called'} from {assignment.since:%-d %B %Y}",
                assignment.until,
                None,
                assigned,
            )
        )
    glass = BreakGlass.objects.filter(
        referral=referral, expires_at__gt=timezone.now(), user__in=_holders(*CASE_ROLES)
    )
    for opening in glass.select_related("user"):
        viewers.append(
            CaseViewer(
                opening.user.pk,
                opening.user.full_name,
                "Break-glass, with a reason the Data protection officer reviews",
                None,
                opening.expires_at,
                False,
            )
        )
    return sorted(viewers, key=lambda viewer: (viewer.name, viewer.user_id, viewer.why))


# ---- the case page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentEntry:
    name: str
    text: str


@dataclass(frozen=True)
class AssessmentView:
    assessed_on: datetime.date
    assessed_by: str
    dimensions: list[tuple[str, str, list[AssessmentEntry]]]  # name, summary, factors written


def _assessment_view(assessment: Any) -> AssessmentView:
    entries = json.loads(assessment.entries)
    dimensions = []
    for dimension in vaf.DIMENSIONS:
        factors = [
            AssessmentEntry(name, entries[code])
            for code, name in dimension.factors
            if entries.get(code)
        ]
        summary = entries.get(dimension.code, "")
        if factors or summary:
            dimensions.append((dimension.name, summary, factors))
    return AssessmentView(assessment.assessed_on, assessment.assessed_by.full_name, dimensions)


@dataclass(frozen=True)
class PanelDecisionView:
    held_on: datetime.date
    outcome: str
    votes: str
    rationale: str
    police_present: bool


# The intake details a correction may change, with the words a person reads for each.
INTAKE_FIELDS: dict[str, str] = {
    "received_on": "Date received",
    "referrer_organisation": "Referrer's organisation",
    "referrer_sector": "Referrer's sector",
    "referrer_name": "Referrer's name",
    "given_name": "First name",
    "family_name": "Last name",
    "date_of_birth": "Date of birth",
    "gender": "Gender",
    "district": "District",
    "address": "Address",
    "concern_type": "Type of concern",
    "concerns": "Concerns",
    "awareness": "Awareness",
    "safeguarding_involved": "Safeguarding involved",
    "safeguarding_details": "Safeguarding involvement",
}


def intake_values(referral: Referral) -> dict[str, Any]:
    """The intake details as stored, to compare before and after a correction."""
    return {
        name: Referral._meta.get_field(name).value_from_object(referral) for name in INTAKE_FIELDS
    }


def intake_shown(referral: Referral) -> dict[str, str]:
    """The intake details as a person reads them ("1 June 2009", "Male", "Not known")."""
    born = referral.birth_date
    return {
        "received_on": date_format(referral.received_on),
        "referrer_organisation": referral.referrer_organisation,
        "referrer_sector": referral.get_referrer_sector_display(),
        "referrer_name": referral.referrer_name,
        "given_name": referral.given_name,
        "family_name": referral.family_name,
        "date_of_birth": date_format(born) if born else "Not known",
        "gender": referral.get_gender_display(),
        "district": str(referral.district) if referral.district_id else "Not known",
        "address": referral.address,
        "concern_type": str(referral.concern_type),
        "concerns": referral.concerns,
        "awareness": referral.get_awareness_display(),
        "safeguarding_involved": "Yes" if referral.safeguarding_involved else "No",
        "safeguarding_details": referral.safeguarding_details,
    }


@dataclass(frozen=True)
class CorrectionView:
    at: datetime.datetime
    by: str
    fields: str
    earlier: list[tuple[str, str]]  # (detail, what it was)
    reason: str


def intake_corrections(referral: Referral) -> list[CorrectionView]:
    """The corrections of a referral's intake details, newest first, with what each detail was
    before (decrypted: only for pages and exports already scoped and logged)."""
    return [
        CorrectionView(
            item.at,
            item.by.full_name if item.by else "Not known",
            item.fields,
            list(json.loads(item.earlier or "{}").items()),
            item.reason,
        )
        for item in referral.intake_corrections.select_related("by")
    ]


@dataclass
class CasePage:
    referral: Referral
    corrections: list[CorrectionView]
    clock: TriageClock
    triage: Any
    checks: list[Any]
    events: list[CaseEvent]
    agenda: list[AgendaEntry]
    decisions: list[PanelDecisionView]
    assessments: list[AssessmentView]
    consents: list[Consent]
    consent_needed_from: str
    consent_rule_on: datetime.date  # the day the rule above is for
    consent_rule_is_today: bool
    consent_status: str
    offer_reassessment: bool
    interventions: list[Any]
    notes: list[Any]
    onward: list[Any]
    reviews: list[ExitReview]
    transfers: list[Any]
    assignments: list[Any]
    duplicates: list[PossibleDuplicate]
    re_referrals: list[Referral]
    may_work: bool
    may_triage: bool
    may_chair: bool
    may_export: bool
    by_break_glass: bool
    audience: list[CaseViewer]  # shown to those who work the case only
    actions: list[tuple[str, str]] = field(default_factory=list)


def police_present(meeting: Meeting, referral: Referral) -> bool:
    """Whether someone from the police force for the person's area was at the meeting (s.37)."""
    return Attendance.objects.filter(
        meeting=meeting,
        status=Attendance.Status.PRESENT,
        membership__organisation_id=referral.force_id,
    ).exists()


def case_page(referral: Referral, user: Any) -> CasePage:
    today = timezone.localdate()
    triage = Triage.objects.filter(referral=referral).first()
    agenda = list(referral.agenda.select_related("meeting").prefetch_related("decisions"))
    decisions = [
        PanelDecisionView(
            entry.meeting.held_on,
            decision.get_outcome_display(),
            f"{decision.votes_for} for, {decision.votes_against} against, "
            f"{decision.abstentions} abstaining"
            + ("; the chair decided" if decision.chair_decided else ""),
            decision.rationale,
            police_present(entry.meeting, referral),
        )
        for entry in agenda
        for decision in entry.decisions.all()
    ]
    consent = current_consent(referral)
    may_work = user.has_perm("casework.work_case", referral)
    return CasePage(
        referral=referral,
        corrections=intake_corrections(referral),
        clock=triage_clock(referral, today),
        triage=triage,
        checks=list(triage.checks.select_related("triage_check")) if triage else [],
        events=list(referral.events.select_related("by")),
        agenda=agenda,
        decisions=decisions,
        assessments=[
            _assessment_view(item) for item in referral.assessments.select_related("assessed_by")
        ],
        consents=list(referral.consents.all()),
        consent_needed_from=Consent.GivenBy(
            consent_must_come_from(referral, consent_rule_date(referral, today))
        ).label,
        consent_rule_on=consent_rule_date(referral, today),
        consent_rule_is_today=consent_rule_date(referral, today) == today,
        consent_status=consent.get_status_display() if consent else "Not asked yet",
        offer_reassessment=consent is not None and consent.status != Consent.Status.GIVEN,
        interventions=list(referral.interventions.all()),
        notes=list(referral.notes.select_related("by")),
        onward=list(referral.onward.all()),
        reviews=list(referral.reviews.all()),
        transfers=list(referral.transfers.all()),
        assignments=list(referral.assignments.select_related("user")),
        duplicates=possible_duplicates(
            user,
            given_name=referral.given_name,
            family_name=referral.family_name,
            born=referral.birth_date,
            exclude=referral,
        )
        if user.has_perm("casework.triage", referral)
        else [],
        re_referrals=list(referral.re_referrals.filter(purged_on__isnull=True)),
        may_work=may_work,
        may_triage=user.has_perm("casework.triage", referral),
        may_chair=user.has_perm("casework.manage_panel", referral),
        may_export=user.has_perm("casework.export_case", referral),
        by_break_glass=access.sees_only_by_break_glass(user, referral),
        audience=case_audience(referral, today) if may_work else [],
    )


# ---- panel and reviews -----------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaRow:
    entry: AgendaEntry
    police_present: bool
    decisions: list[Any]


def meeting_agenda(meeting: Meeting) -> list[AgendaRow]:
    entries = AgendaEntry.objects.filter(meeting=meeting).select_related("referral")
    return [
        AgendaRow(entry, police_present(meeting, entry.referral), list(entry.decisions.all()))
        for entry in entries
    ]


def channel_meetings(user: Any) -> QuerySet[Meeting]:
    return Meeting.objects.filter(board_id__in=access.chaired_panels(user)).order_by("-held_on")


def cases_for_agenda(meeting: Meeting) -> QuerySet[Referral]:
    return (
        Referral.objects.filter(panel=meeting.board, purged_on__isnull=True)
        .exclude(stage=Referral.Stage.CLOSED)
        .exclude(agenda__meeting=meeting)
    )


def overdue_reviews(user: Any, today: datetime.date | None = None) -> list[ExitReview]:
    today = today or timezone.localdate()
    return list(
        ExitReview.objects.filter(
            completed_on__isnull=True,
            due_on__lt=today,
            referral__in=access.visible_referrals(user),
        )
        .select_related("referral")
        .order_by("due_on")
    )


def break_glass_log() -> QuerySet[BreakGlass]:
    # Ended by the key, so that its pages hold each entry once even if two share a moment.
    return BreakGlass.objects.select_related("user", "referral").order_by("-opened_at", "-pk")


def retention_rows(*, held_only: bool = False) -> QuerySet[Referral]:
    """Closed referrals by retention date: references and dates only, no personal data."""
    rows = Referral.objects.filter(Q(closed_on__isnull=False) | Q(legal_hold=True)).only(
        "reference", "closed_on", "retain_until", "legal_hold", "purged_on", "stage"
    )
    if held_only:
        rows = rows.filter(legal_hold=True)
    return rows.order_by("purged_on", "retain_until", "reference")


def expired_referrals(today: datetime.date) -> list[Referral]:
    """Closed referrals whose retention date passed before ``today``, not on legal hold and not
    yet destroyed: what ``manage.py purge_expired_cases`` destroys."""
    return list(
        Referral.objects.filter(
            closed_on__isnull=False,
            retain_until__lt=today,
            legal_hold=False,
            purged_on__isnull=True,
        ).order_by("retain_until", "pk")
    )
