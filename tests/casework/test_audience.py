"""Who can see a case, and why: the list on the case page is the access rules, person by person."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from preventhub.accounts.models import User
from preventhub.casework import access, queries, services
from preventhub.casework.models import Referral
from preventhub.core.roles import Role
from preventhub.partnership import services as partnership
from tests.casework.conftest import World

pytestmark = pytest.mark.django_db

TODAY = "2026-02-10"  # three weeks after the world's meeting of 20 January 2026


def on(day: str) -> time_machine.travel:
    return time_machine.travel(datetime.datetime.fromisoformat(f"{day}T12:00:00+00:00"))


@dataclass
class Cast:
    referral: Referral
    core: User
    leaver: User
    assigned: User
    called: User
    glass: User
    other_officer: User
    everyone: list[User]


@pytest.fixture
def cast(
    world: World, make_user: Callable[..., User], make_referral: Callable[..., Referral]
) -> Cast:
    def person(name: str, *roles: Role) -> User:
        user = make_user(*roles)
        user.full_name = name
        user.save(update_fields=["full_name"])
        return user

    def core_seat(user: User, board: object, ended: datetime.date | None = None) -> None:
        seat = partnership.add_membership(
            board=board,
            organisation=world.council,
            role="core",
            user=user,
            since=datetime.date(2025, 1, 1),
        )
        if ended:
            partnership.end_membership(membership=seat, until=ended)

    world.police.full_name = "Pat Police"
    world.police.save(update_fields=["full_name"])
    world.chair.full_name = "Chris Chair"
    world.chair.save(update_fields=["full_name"])
    core = person("Cora Core", Role.CHANNEL_MEMBER)
    core_seat(core, world.panel)
    leaver = person("Lee Leaver", Role.CHANNEL_MEMBER)
    core_seat(leaver, world.panel, ended=datetime.date(2026, 2, 1))
    elsewhere = person("Elsie Elsewhere", Role.CHANNEL_MEMBER)
    core_seat(elsewhere, world.other_panel)
    assigned = person("Asha Assigned", Role.CHANNEL_MEMBER)
    called = person("Cal Called", Role.CHANNEL_MEMBER)
    glass = person("Glen Glass", Role.POLICE_OFFICER)
    other_officer = person("Olly Otherforce", Role.POLICE_OFFICER)
    other_officer.organisation = world.other_force
    other_officer.save(update_fields=["organisation"])
    coordinator = person("Coby Coordinator", Role.COORDINATOR)
    referral = make_referral("adopted")
    with on(TODAY):
        services.assign_member(
            referral=referral,
            user=assigned,
            kind="assigned",
            since=datetime.date(2026, 1, 21),
            by=world.chair,
        )
        services.assign_member(
            referral=referral,
            user=called,
            kind="called",
            since=datetime.date(2026, 2, 1),
            until=datetime.date(2026, 2, 28),
            by=world.chair,
        )
        services.break_glass(user=glass, referral=referral, reason="Urgent risk reported tonight")
    everyone = [
        world.police,
        world.chair,
        core,
        leaver,
        elsewhere,
        assigned,
        called,
        glass,
        other_officer,
        coordinator,
    ]
    return Cast(referral, core, leaver, assigned, called, glass, other_officer, everyone)


def test_the_list_is_exactly_the_people_the_access_rules_let_in(world: World, cast: Cast) -> None:
    with on(TODAY):
        listed = {viewer.user_id for viewer in queries.case_audience(cast.referral)}
        let_in = {user.pk for user in cast.everyone if access.can_see(user, cast.referral)}
    assert listed == let_in
    assert cast.leaver.pk not in listed and cast.other_officer.pk not in listed


def test_it_says_why_each_person_can_see_the_case_and_until_when(world: World, cast: Cast) -> None:
    with on(TODAY):
        rows = {viewer.name: viewer for viewer in queries.case_audience(cast.referral)}
    assert rows["Pat Police"].why.startswith("Police Prevent officer of the person's force")
    assert rows["Chris Chair"].why == "Chair of Test Channel Panel"
    assert rows["Cora Core"].why == (
        "Core seat on Test Channel Panel, through the meeting on 20 January 2026"
    )
    assert rows["Cora Core"].until == datetime.date(2026, 4, 20)
    assert rows["Asha Assigned"].why == "Assigned from 21 January 2026"
    assert rows["Asha Assigned"].may_change
    assert rows["Cal Called"].until == datetime.date(2026, 2, 28)
    assert not rows["Cal Called"].may_change
    assert rows["Glen Glass"].why.startswith("Break-glass")
    assert rows["Glen Glass"].expires_at is not None and not rows["Glen Glass"].may_change


def test_a_seat_that_ends_before_the_agenda_access_shows_the_seats_end(
    world: World, cast: Cast
) -> None:
    seat = world.panel.memberships.get(user=cast.core)
    partnership.end_membership(membership=seat, until=datetime.date(2026, 3, 31))
    with on(TODAY):
        rows = {viewer.name: viewer for viewer in queries.case_audience(cast.referral)}
    assert rows["Cora Core"].until == datetime.date(2026, 3, 31)


def test_the_case_page_shows_the_list_to_those_working_the_case(
    world: World, cast: Cast, signed_in: Callable
) -> None:
    url = reverse("casework:referral", args=[cast.referral.pk])
    with on(TODAY):
        page = signed_in(cast.core).get(url).content.decode()
    assert "Who can see this case" in page
    assert "Core seat on Test Channel Panel, through the meeting on 20 January 2026" in page
    assert "20 April 2026" in page and "Chris Chair" in page and "Glen Glass" in page
    assert "Lee Leaver" not in page


def test_reading_only_shows_no_list(world: World, cast: Cast, signed_in: Callable) -> None:
    url = reverse("casework:referral", args=[cast.referral.pk])
    with on(TODAY):
        for reader in (cast.called, cast.glass):
            page = signed_in(reader).get(url).content.decode()
            assert "Who can see this case" not in page


def test_closing_the_case_takes_the_core_seats_off_the_list(world: World, cast: Cast) -> None:
    with on(TODAY):
        services.close_case(referral=cast.referral, by=world.police, on=datetime.date(2026, 2, 10))
        names = {viewer.name for viewer in queries.case_audience(cast.referral)}
    assert "Cora Core" not in names and "Chris Chair" in names


def test_the_number_of_queries_does_not_grow_with_the_people(
    world: World, cast: Cast, make_user: Callable[..., User]
) -> None:
    with on(TODAY), CaptureQueriesContext(connection) as few:
        queries.case_audience(cast.referral)
    for _ in range(4):
        member = make_user(Role.CHANNEL_MEMBER)
        partnership.add_membership(
            board=world.panel,
            organisation=world.council,
            role="core",
            user=member,
            since=datetime.date(2025, 1, 1),
        )
        officer = make_user(Role.POLICE_OFFICER)
        officer.organisation = world.force
        officer.save(update_fields=["organisation"])
    with on(TODAY), CaptureQueriesContext(connection) as many:
        audience = queries.case_audience(cast.referral)
    assert len(audience) > 10
    assert len(many) == len(few)
