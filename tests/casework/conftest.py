"""A small partnership for casework tests: a police force, a Channel panel and its chair, and a
way to make referrals at any stage."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from preventhub.accounts.models import User
from preventhub.casework import services
from preventhub.casework.models import ConcernType, Referral
from preventhub.core.roles import Role
from preventhub.partnership import services as partnership
from preventhub.partnership.models import Area, Board, Meeting, Organisation, Sector
from tests.conftest import sign_in

RECEIVED = datetime.date(2026, 1, 5)  # a Monday


@dataclass
class World:
    force: Organisation
    other_force: Organisation
    council: Organisation
    panel: Board
    other_panel: Board
    meeting: Meeting
    district: Area
    police: User
    chair: User


def _force(name: str) -> Organisation:
    return Organisation.objects.create(name=name, sector=Sector.objects.get(code="police"))


@pytest.fixture
def world(make_user: Callable[..., User], district: Area, organisation: Organisation) -> World:
    # Put back the lists a migration seeds, in case a transactional test emptied the database.
    services.ensure_reference_lists()
    partnership.ensure_default_sectors()
    force = _force("Test Police")
    other_force = _force("Other Police")
    police = make_user(Role.POLICE_OFFICER, totp=True)
    police.organisation = force
    police.save(update_fields=["organisation"])
    chair = make_user(Role.CHANNEL_CHAIR, totp=True)
    panel = partnership.save_board(name="Test Channel Panel", kind="channel_panel")
    other_panel = partnership.save_board(name="Other Channel Panel", kind="channel_panel")
    partnership.add_membership(
        board=panel,
        organisation=organisation,
        role="chair",
        user=chair,
        since=datetime.date(2020, 1, 1),
    )
    meeting = partnership.save_meeting(board=panel, held_on=datetime.date(2026, 1, 20))
    return World(
        force, other_force, organisation, panel, other_panel, meeting, district, police, chair
    )


@pytest.fixture
def make_referral(world: World) -> Callable[..., Referral]:
    """A referral at a stage: "received", "triaged", "channel" (routed to the world's panel),
    "adopted" (adopted at the world's meeting), or "police_led"."""

    def make(
        stage: str = "received",
        *,
        given: str = "Jordan",
        family: str = "Example",
        born: datetime.date | None = datetime.date(2009, 6, 1),
        force: Organisation | None = None,
        received: datetime.date = RECEIVED,
        gender: str = "male",
        sector: str = "education",
        district: Area | None = None,
    ) -> Referral:
        by = world.police
        referral = services.receive_referral(
            by=by,
            source="police",
            received_on=received,
            force=force or world.force,
            referrer_organisation="Test Academy",
            referrer_sector=sector,
            referrer_name="Riley Referrer",
            subject=services.Subject(given, family, born, gender, district or world.district),
            concern_type=ConcernType.objects.get(name="Extreme right-wing"),
            concerns="Shared violent propaganda in class",
            awareness="not_aware",
        )
        if stage == "received":
            return referral
        services.record_triage(
            referral=referral,
            by=by,
            category="clear",
            decision="Refer to Channel",
            rationale="Clear concern",
            decided_on=received + datetime.timedelta(days=2),
            checks=[],
            expected_version=referral.version,
        )
        if stage == "triaged":
            return referral
        route = "police_led" if stage == "police_led" else "channel"
        services.route_referral(
            referral=referral,
            by=by,
            route=route,
            reason="Needs multi-agency support",
            on=received + datetime.timedelta(days=3),
            panel=world.panel if route == "channel" else None,
            expected_version=referral.version,
        )
        if stage in ("channel", "police_led"):
            return referral
        entry = services.add_to_agenda(referral=referral, meeting=world.meeting, by=world.chair)
        services.record_panel_decision(
            entry=entry,
            by=world.chair,
            outcome="adopt",
            votes_for=5,
            votes_against=0,
            abstentions=0,
            chair_decided=False,
            rationale="Vulnerable and supportable",
        )
        referral.refresh_from_db()
        return referral

    return make


@pytest.fixture
def signed_in() -> Callable[[User], Client]:
    return lambda user: sign_in(Client(), user)


def reads_of(referral: Referral) -> list[Any]:
    from preventhub.core.models import AuditEvent

    return list(
        AuditEvent.objects.filter(
            action=AuditEvent.Action.READ,
            object_type="casework.referral",
            object_id=str(referral.pk),
        ).order_by("sequence")
    )
