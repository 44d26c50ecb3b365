"""Police triage and deconfliction, routing, and closing a case."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from preventhub.casework.models import CaseEvent, Referral, Triage, TriageCheck, TriageCheckResult
from preventhub.casework.services.common import CaseworkError, close, record_event
from preventhub.core.concurrency import save_versioned
from preventhub.partnership.models import Board


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
    # The version is claimed first: of two people triaging at once, the second waits for the
    # first's row lock, then is refused as a conflict, rather than failing on the one triage a
    # referral may have.
    referral.stage = Referral.Stage.TRIAGED
    referral.triaged_on = decided_on
    save_versioned(
        referral, expected_version=expected_version, update_fields=["stage", "triaged_on"]
    )
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
    record_event(
        referral,
        by,
        CaseEvent.Kind.TRIAGED,
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
        close(referral, on)
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
    record_event(
        referral, by, CaseEvent.Kind.ROUTED, f"Routed: {referral.get_route_display().lower()}"
    )
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
    close(referral, on)
    referral.save(update_fields=["stage", "closed_on", "retain_until"])
    record_event(referral, by, CaseEvent.Kind.CLOSED, "Case closed")
    return referral
