"""The Channel panel: its agenda, its decisions, and the members it assigns or calls to a case."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from preventhub.casework.models import (
    AgendaEntry,
    CaseAssignment,
    CaseEvent,
    PanelDecision,
    Referral,
)
from preventhub.casework.services.common import CaseworkError, close, record_event
from preventhub.core.roles import Role, roles_of
from preventhub.partnership.models import Attendance, Meeting


@transaction.atomic
def add_to_agenda(*, referral: Referral, meeting: Meeting, by: Any) -> AgendaEntry:
    if referral.panel_id is None or meeting.board_id != referral.panel_id:
        raise CaseworkError("A case can only go on the agenda of its own panel's meetings")
    if referral.stage == Referral.Stage.CLOSED:
        raise CaseworkError("A closed case cannot go on an agenda")
    if AgendaEntry.objects.filter(referral=referral, meeting=meeting).exists():
        raise CaseworkError("This case is already on that meeting's agenda")
    entry = AgendaEntry.objects.create(referral=referral, meeting=meeting)
    record_event(
        referral,
        by,
        CaseEvent.Kind.ON_AGENDA,
        "Put on a panel agenda",
        f"Meeting of {meeting.held_on:%-d %B %Y}",
    )
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
    present = Attendance.objects.filter(
        meeting=entry.meeting, status=Attendance.Status.PRESENT
    ).count()
    cast = votes_for + votes_against + abstentions
    if entry.meeting.attendance.exists() and cast > present:
        raise CaseworkError(
            f"{cast} votes are recorded but {present} members were present: each member present "
            "votes or abstains once. Check the votes, or the meeting's attendance"
        )
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
        close(referral, held_on)
        fields += ["stage", "closed_on", "retain_until"]
    if fields:
        referral.save(update_fields=fields)
    how = "the chair decided" if chair_decided else "by majority"
    record_event(
        referral,
        by,
        CaseEvent.Kind.DECISION,
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
    if kind == CaseAssignment.Kind.CALLED:
        record_event(
            referral, by, CaseEvent.Kind.CALLED, "Member called for the case", user.full_name
        )
    else:
        record_event(referral, by, CaseEvent.Kind.ASSIGNED, "Member assigned", user.full_name)
    return assignment


@transaction.atomic
def end_assignment(*, assignment: CaseAssignment, on: datetime.date, by: Any) -> None:
    if on < assignment.since:
        raise CaseworkError("An assignment cannot end before it starts")
    assignment.until = on
    assignment.save(update_fields=["until"])
    record_event(
        assignment.referral,
        by,
        CaseEvent.Kind.ASSIGNMENT_ENDED,
        "Member's access ended",
        assignment.user.full_name,
    )
