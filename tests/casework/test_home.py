"""Casework on the home page: each case role's own work queue, and the DPO's oversight counts."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from preventhub.accounts.models import User
from preventhub.casework import services
from preventhub.casework.models import Referral
from preventhub.core.roles import Role
from preventhub.partnership import services as partnership
from tests.casework.conftest import World

# Monday 12 January 2026: a referral received on Monday 5 January is 5 working days old.
TODAY = datetime.datetime(2026, 1, 12, 12, tzinfo=datetime.UTC)


def _home(client: Client) -> str:
    with time_machine.travel(TODAY, tick=False):
        return client.get("/").content.decode()


class TestThePoliceOfficer:
    def test_sees_their_forces_triage_queue_against_the_working_day_target(
        self,
        world: World,
        make_referral: Callable[..., Referral],
        signed_in: Callable[[User], Client],
        settings: Any,
    ) -> None:
        settings.PREVENTHUB_TRIAGE_TARGET_DAYS = 3
        make_referral(received=datetime.date(2026, 1, 5))  # 5 working days: over
        make_referral(received=datetime.date(2026, 1, 9), given="Sam")  # 1 working day
        make_referral(received=datetime.date(2026, 1, 5), force=world.other_force, given="Al")
        make_referral("triaged", given="Jo")
        page = _home(signed_in(world.police))
        assert "Referrals awaiting triage" in page
        assert "2 (1 over target)" in page  # the other force's referral is not theirs
        assert "The target is 3 working days from receipt." in page
        assert 'href="/cases/?stage=received"' in page
        assert "Triaged referrals awaiting routing" in page

    def test_the_queue_does_not_grow_queries_with_referrals(
        self,
        world: World,
        make_referral: Callable[..., Referral],
        signed_in: Callable[[User], Client],
        django_assert_max_num_queries: Any,
    ) -> None:
        client = signed_in(world.police)
        make_referral()
        with CaptureQueriesContext(connection) as few:
            client.get("/")
        for n in range(8):
            make_referral(given=f"Person{n}")
        with django_assert_max_num_queries(len(few)):
            client.get("/")


class TestTheChannelChair:
    def test_sees_the_next_panel_its_agenda_consent_and_reviews_due(
        self,
        world: World,
        make_referral: Callable[..., Referral],
        signed_in: Callable[[User], Client],
    ) -> None:
        routed = make_referral("channel")
        services.add_to_agenda(referral=routed, meeting=world.meeting, by=world.chair)
        page = _home(signed_in(world.chair))
        assert "Next panel meeting: 20 January 2026" in page
        assert "1 case on the agenda" in page
        assert f'href="/cases/panel/meetings/{world.meeting.pk}/"' in page
        assert "Channel cases without consent given" in page
        assert "Reviews after exit overdue" in page

    def test_sees_no_meeting_planned_when_none_is(
        self, world: World, signed_in: Callable[[User], Client]
    ) -> None:
        partnership.save_meeting(board=world.other_panel, held_on=datetime.date(2026, 2, 1))
        with time_machine.travel(datetime.datetime(2026, 1, 21, 12, tzinfo=datetime.UTC)):
            page = signed_in(world.chair).get("/").content.decode()
        assert "No meeting of a panel you chair is planned from today." in page


class TestOthers:
    def test_a_channel_member_sees_the_cases_they_work_on(
        self, world: World, make_user: Callable[..., User], signed_in: Callable[[User], Client]
    ) -> None:
        page = _home(signed_in(make_user(Role.CHANNEL_MEMBER, totp=True)))
        assert "Cases you work on" in page

    def test_the_dpo_sees_break_glass_openings_and_cases_past_retention(
        self,
        world: World,
        make_referral: Callable[..., Referral],
        make_user: Callable[..., User],
        signed_in: Callable[[User], Client],
    ) -> None:
        referral = make_referral("channel")
        services.break_glass(user=world.police, referral=referral, reason="Urgent call about it")
        page = signed_in(make_user(Role.DPO, totp=True)).get("/").content.decode()
        assert "Break-glass openings to review, last 30 days" in page
        assert 'href="/cases/break-glass/log/"' in page
        assert "Closed cases past their retention date" in page

    def test_no_one_else_sees_case_counts(
        self,
        world: World,
        make_referral: Callable[..., Referral],
        client_for: Callable[..., Client],
    ) -> None:
        make_referral()
        for role in (Role.COORDINATOR, Role.BOARD_READER, Role.PARTNER_LEAD):
            page = _home(client_for(role))
            assert "Referrals awaiting triage" not in page
            assert "Cases you work on" not in page
