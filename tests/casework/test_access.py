"""Who sees a case: need to know, everyone else 404, every read logged, break-glass to the DPO."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from preventhub.accounts.models import User
from preventhub.casework import access, services
from preventhub.casework.models import CaseAssignment, Referral
from preventhub.core.models import AuditEvent
from preventhub.core.roles import Role
from preventhub.partnership import services as partnership
from tests.casework.conftest import World, reads_of

pytestmark = pytest.mark.django_db


def case_url(referral: Referral) -> str:
    return reverse("casework:referral", args=[referral.pk])


class TestThePolice:
    def test_an_officer_opens_referrals_of_their_own_force(
        self, world: World, make_referral: Callable[..., Referral], signed_in: Callable
    ) -> None:
        referral = make_referral()
        response = signed_in(world.police).get(case_url(referral))
        assert response.status_code == 200
        assert b"Jordan Example" in response.content

    def test_an_officer_of_another_force_gets_404(
        self,
        world: World,
        make_referral: Callable[..., Referral],
        signed_in: Callable,
    ) -> None:
        referral = make_referral(force=world.other_force)
        assert signed_in(world.police).get(case_url(referral)).status_code == 404

    def test_the_referral_list_shows_only_the_officers_force(
        self, world: World, make_referral: Callable[..., Referral], signed_in: Callable
    ) -> None:
        mine = make_referral(given="Alex")
        theirs = make_referral(given="Blair", force=world.other_force)
        content = signed_in(world.police).get(reverse("casework:index")).content.decode()
        assert mine.reference in content and theirs.reference not in content

    def test_the_referral_list_counts_every_referral_and_shows_them_a_page_at_a_time(
        self, world: World, make_referral: Callable[..., Referral], signed_in: Callable
    ) -> None:
        from preventhub.casework import queries

        made = [make_referral(given=name) for name in ("Alex", "Blair", "Casey")]
        pages = [queries.referral_page(world.police, page_number=n, per_page=2) for n in (1, 2)]
        assert pages[0].paginator.count == 3
        shown = [row.reference for page in pages for row in page.object_list]
        newest_first = sorted(made, key=lambda r: (r.received_on, r.pk), reverse=True)
        assert shown == [referral.reference for referral in newest_first]
        client = signed_in(world.police)
        assert "3 referrals" in client.get(reverse("casework:index")).content.decode()
        assert client.get(reverse("casework:index"), {"page": "2"}).status_code == 404


class TestTheChair:
    def test_the_chair_sees_every_case_of_their_panel(
        self, world: World, make_referral: Callable[..., Referral], signed_in: Callable
    ) -> None:
        referral = make_referral("channel")
        assert signed_in(world.chair).get(case_url(referral)).status_code == 200

    def test_the_chair_does_not_see_a_referral_not_routed_to_their_panel(
        self, world: World, make_referral: Callable[..., Referral], signed_in: Callable
    ) -> None:
        referral = make_referral("triaged")
        assert signed_in(world.chair).get(case_url(referral)).status_code == 404

    def test_a_chair_of_another_panel_gets_404(
        self,
        world: World,
        make_referral: Callable[..., Referral],
        make_user: Callable[..., User],
        signed_in: Callable,
    ) -> None:
        other_chair = make_user(Role.CHANNEL_CHAIR)
        partnership.add_membership(
            board=world.other_panel,
            organisation=world.council,
            role="chair",
            user=other_chair,
            since=datetime.date(2020, 1, 1),
        )
        referral = make_referral("channel")
        assert signed_in(other_chair).get(case_url(referral)).status_code == 404

    def test_a_chair_whose_term_ended_loses_the_panel(
        self, world: World, make_referral: Callable[..., Referral], signed_in: Callable
    ) -> None:
        referral = make_referral("channel")
        membership = world.panel.memberships.get(user=world.chair)
        membership.until = datetime.date(2025, 12, 31)
        membership.save()
        assert signed_in(world.chair).get(case_url(referral)).status_code == 404


@pytest.fixture
def core_member(world: World, make_user: Callable[..., User]) -> User:
    member = make_user(Role.CHANNEL_MEMBER)
    partnership.add_membership(
        board=world.panel,
        organisation=world.council,
        role="core",
        user=member,
        since=datetime.date(2025, 1, 1),
    )
    return member


def on(day: str) -> time_machine.travel:
    """Noon on ``day``, when the test's meeting (20 January 2026) is recent or long past."""
    return time_machine.travel(datetime.datetime.fromisoformat(f"{day}T12:00:00+00:00"))


class TestCoreMembers:
    def test_a_core_member_sees_cases_on_the_agenda_of_their_panels_meetings(
        self,
        world: World,
        core_member: User,
        make_referral: Callable[..., Referral],
        signed_in: Callable,
    ) -> None:
        referral = make_referral("adopted")
        with on("2026-02-10"):
            client = signed_in(core_member)
            assert client.get(case_url(referral)).status_code == 200
            assert client.get(reverse("casework:note_new", args=[referral.pk])).status_code == 200

    def test_a_core_member_does_not_see_a_panel_case_not_on_an_agenda(
        self,
        core_member: User,
        make_referral: Callable[..., Referral],
        signed_in: Callable,
    ) -> None:
        referral = make_referral("channel")
        assert signed_in(core_member).get(case_url(referral)).status_code == 404

    def test_a_member_of_another_panel_sees_nothing(
        self,
        world: World,
        make_user: Callable[..., User],
        make_referral: Callable[..., Referral],
        signed_in: Callable,
    ) -> None:
        outsider = make_user(Role.CHANNEL_MEMBER)
        partnership.add_membership(
            board=world.other_panel,
            organisation=world.council,
            role="core",
            user=outsider,
            since=datetime.date(2025, 1, 1),
        )
        referral = make_referral("adopted")
        assert signed_in(outsider).get(case_url(referral)).status_code == 404

    def test_an_assigned_member_sees_the_case_and_may_work_on_it(
        self,
        world: World,
        make_user: Callable[..., User],
        make_referral: Callable[..., Referral],
        signed_in: Callable,
    ) -> None:
        member = make_user(Role.CHANNEL_MEMBER)
        referral = make_referral("channel")
        services.assign_member(
            referral=referral,
            user=member,
            kind="assigned",
            since=datetime.date(2026, 1, 6),
            by=world.chair,
        )
        client = signed_in(member)
        assert client.get(case_url(referral)).status_code == 200
        assert client.get(reverse("casework:note_new", args=[referral.pk])).status_code == 200


class TestCoOptedMembers:
    @pytest.fixture
    def called(
        self, world: World, make_user: Callable[..., User], make_referral: Callable[..., Referral]
    ) -> tuple[User, Referral]:
        member = make_user(Role.CHANNEL_MEMBER)
        partnership.add_membership(
            board=world.panel,
            organisation=world.council,
            role="co_opted",
            user=member,
            since=datetime.date(2025, 1, 1),
        )
        referral = make_referral("adopted")
        services.assign_member(
            referral=referral,
            user=member,
            kind=CaseAssignment.Kind.CALLED,
            since=datetime.date(2026, 3, 1),
            until=datetime.date(2026, 3, 31),
            by=world.chair,
        )
        return member, referral

    @pytest.mark.parametrize(
        "day,status",
        [("2026-02-28", 404), ("2026-03-01", 200), ("2026-03-31", 200), ("2026-04-01", 404)],
        ids=["before the call", "first day", "last day", "after the call"],
    )
    def test_a_co_opted_member_sees_the_case_only_while_called(
        self, called: tuple[User, Referral], signed_in: Callable, day: str, status: int
    ) -> None:
        member, referral = called
        with time_machine.travel(datetime.datetime.fromisoformat(f"{day}T12:00:00+00:00")):
            assert signed_in(member).get(case_url(referral)).status_code == status

    def test_a_co_opted_member_does_not_see_other_cases_on_the_same_agenda(
        self,
        called: tuple[User, Referral],
        make_referral: Callable[..., Referral],
        signed_in: Callable,
    ) -> None:
        member, _ = called
        other = make_referral("adopted", given="Casey")
        with time_machine.travel(datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC)):
            assert signed_in(member).get(case_url(other)).status_code == 404

    def test_a_called_member_reads_but_does_not_change_the_case(
        self, called: tuple[User, Referral], signed_in: Callable
    ) -> None:
        member, referral = called
        with time_machine.travel(datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC)):
            client = signed_in(member)
            assert client.get(case_url(referral)).status_code == 200
            url = reverse("casework:note_new", args=[referral.pk])
            assert client.get(url).status_code == 404

    def test_ending_the_call_ends_access(
        self, world: World, called: tuple[User, Referral], signed_in: Callable
    ) -> None:
        member, referral = called
        with time_machine.travel(datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC)):
            assignment = CaseAssignment.objects.get(user=member)
            services.end_assignment(
                assignment=assignment, on=datetime.date(2026, 3, 9), by=world.chair
            )
            assert signed_in(member).get(case_url(referral)).status_code == 404


@pytest.mark.parametrize(
    "role", [Role.COORDINATOR, Role.ADMINISTRATOR, Role.DPO, Role.PARTNER_LEAD, Role.BOARD_READER]
)
def test_everyone_without_a_case_role_gets_404_for_a_case(
    role: Role,
    make_referral: Callable[..., Referral],
    client_for: Callable[..., Client],
) -> None:
    referral = make_referral("adopted")
    client = client_for(role)
    for name in ("casework:referral", "casework:triage", "casework:export_json"):
        assert client.get(reverse(name, args=[referral.pk])).status_code == 404
    assert client.get(case_url(referral) + "999/").status_code == 404


def test_a_wrong_guess_of_a_case_number_is_404_like_a_case_one_may_not_see(
    world: World, signed_in: Callable
) -> None:
    assert (
        signed_in(world.police).get(reverse("casework:referral", args=[99999])).status_code == 404
    )


def test_the_partner_who_referred_gets_no_access_afterwards(
    world: World, make_user: Callable[..., User], signed_in: Callable
) -> None:
    partner = make_user(Role.PARTNER_LEAD)
    client = signed_in(partner)
    response = client.post(
        reverse("casework:refer"),
        {
            "force": world.force.pk,
            "referrer_organisation": "Demo Academy",
            "referrer_sector": "education",
            "given_name": "Sam",
            "family_name": "Sample",
            "date_of_birth": "2010-02-03",
            "gender": "female",
            "district": world.district.pk,
            "concern_type": 1,
            "concerns": "Worrying comments",
            "awareness": "not_known",
        },
    )
    assert response.status_code == 200, response.content
    referral = Referral.objects.get()
    assert referral.reference.encode() in response.content
    assert referral.source == Referral.Source.PARTNER_FORM
    assert referral.created_by == partner
    assert client.get(case_url(referral)).status_code == 404
    assert signed_in(world.police).get(case_url(referral)).status_code == 200


class TestTheAccessLog:
    def test_every_read_of_a_case_page_is_logged_with_who(
        self, world: World, make_referral: Callable[..., Referral], signed_in: Callable
    ) -> None:
        referral = make_referral()
        client = signed_in(world.police)
        client.get(case_url(referral))
        client.get(case_url(referral))
        reads = reads_of(referral)
        assert len(reads) == 2
        assert all(read.actor == world.police for read in reads)
        assert reads[0].detail == "Opened the case page"

    def test_a_refused_read_reveals_nothing_and_logs_no_read(
        self,
        world: World,
        make_referral: Callable[..., Referral],
        client_for: Callable[..., Client],
    ) -> None:
        referral = make_referral()
        client_for(Role.COORDINATOR).get(case_url(referral))
        assert reads_of(referral) == []

    def test_the_audit_trail_never_holds_the_name_or_the_concerns(
        self, make_referral: Callable[..., Referral]
    ) -> None:
        make_referral()
        for event in AuditEvent.objects.all():
            text = f"{event.object_repr} {event.changes} {event.detail}"
            assert "Jordan" not in text and "propaganda" not in text and "Riley" not in text

    def test_exports_are_logged_as_exports(
        self, world: World, make_referral: Callable[..., Referral], signed_in: Callable
    ) -> None:
        referral = make_referral()
        signed_in(world.police).get(reverse("casework:export_json", args=[referral.pk]))
        export = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
        assert export.actor == world.police and referral.reference in export.detail


class TestBreakGlass:
    def test_a_case_role_opens_a_case_outside_their_work_with_a_reason(
        self,
        world: World,
        make_user: Callable[..., User],
        make_referral: Callable[..., Referral],
        signed_in: Callable,
    ) -> None:
        member = make_user(Role.CHANNEL_MEMBER)
        referral = make_referral("channel")
        client = signed_in(member)
        assert client.get(case_url(referral)).status_code == 404
        response = client.post(
            reverse("casework:break_glass"),
            {"reference": referral.reference, "reason": "Emergency call from the school today"},
        )
        assert response.status_code == 302
        page = client.get(case_url(referral))
        assert page.status_code == 200 and b"break-glass" in page.content
        assert any("Break-glass: Emergency call" in read.detail for read in reads_of(referral))

    def test_break_glass_needs_a_reason(
        self,
        make_user: Callable[..., User],
        make_referral: Callable[..., Referral],
        signed_in: Callable,
    ) -> None:
        member = make_user(Role.CHANNEL_MEMBER)
        referral = make_referral("channel")
        client = signed_in(member)
        response = client.post(
            reverse("casework:break_glass"), {"reference": referral.reference, "reason": "x"}
        )
        assert response.status_code == 200
        assert not access.can_see(member, referral)

    def test_break_glass_expires(
        self,
        make_user: Callable[..., User],
        make_referral: Callable[..., Referral],
        settings: object,
    ) -> None:
        member = make_user(Role.CHANNEL_MEMBER)
        referral = make_referral("channel")
        with time_machine.travel(datetime.datetime(2026, 5, 1, 9, tzinfo=datetime.UTC)):
            services.break_glass(user=member, referral=referral, reason="Urgent safeguarding call")
            assert access.can_see(member, referral)
        with time_machine.travel(datetime.datetime(2026, 5, 1, 11, tzinfo=datetime.UTC)):
            assert not access.can_see(member, referral)

    def test_break_glass_gives_reading_not_working(
        self, make_user: Callable[..., User], make_referral: Callable[..., Referral]
    ) -> None:
        member = make_user(Role.CHANNEL_MEMBER)
        referral = make_referral("channel")
        services.break_glass(user=member, referral=referral, reason="Urgent safeguarding call")
        assert access.can_see(member, referral) and not access.can_work(member, referral)

    def test_someone_without_a_case_role_cannot_break_glass(
        self, client_for: Callable[..., Client], make_referral: Callable[..., Referral]
    ) -> None:
        referral = make_referral()
        response = client_for(Role.COORDINATOR).post(
            reverse("casework:break_glass"),
            {"reference": referral.reference, "reason": "Just curious about this one"},
        )
        assert response.status_code == 403

    def test_the_dpo_sees_every_break_glass_with_its_reason(
        self,
        make_user: Callable[..., User],
        make_referral: Callable[..., Referral],
        client_for: Callable[..., Client],
    ) -> None:
        member = make_user(Role.CHANNEL_MEMBER)
        referral = make_referral("channel")
        services.break_glass(user=member, referral=referral, reason="Urgent safeguarding call")
        page = client_for(Role.DPO).get(reverse("casework:break_glass_log")).content.decode()
        assert referral.reference in page and "Urgent safeguarding call" in page
        assert member.email in page and "Jordan" not in page


def test_the_audit_trail_never_holds_the_referrer_or_where_the_person_moved(
    world: World, make_referral: Callable[..., Referral]
) -> None:
    referral = make_referral("adopted")
    services.record_transfer(
        referral=referral,
        by=world.chair,
        direction="out",
        other_area="Shropshire",
        on=datetime.date(2026, 3, 1),
    )
    for event in AuditEvent.objects.all():
        text = f"{event.object_repr} {event.changes} {event.detail}"
        assert "Test Academy" not in text and "Shropshire" not in text


class TestAnEndedCoreSeat:
    """A core seat reaches the panel's agenda only while it is held: another member's current
    seat on the same panel lends it nothing."""

    @pytest.fixture
    def seats(
        self, world: World, core_member: User, make_user: Callable[..., User]
    ) -> tuple[User, User]:
        leaver = make_user(Role.CHANNEL_MEMBER)
        seat = partnership.add_membership(
            board=world.panel,
            organisation=world.council,
            role="core",
            user=leaver,
            since=datetime.date(2025, 1, 1),
        )
        partnership.end_membership(membership=seat, until=datetime.date(2026, 2, 1))
        return leaver, core_member

    def test_a_member_whose_core_seat_ended_cannot_read_the_panels_cases(
        self, seats: tuple[User, User], make_referral: Callable[..., Referral], signed_in: Callable
    ) -> None:
        leaver, current = seats
        referral = make_referral("adopted")
        with on("2026-02-10"):
            assert signed_in(current).get(case_url(referral)).status_code == 200
            assert signed_in(leaver).get(case_url(referral)).status_code == 404
            assert not access.can_see(leaver, referral)

    def test_a_member_whose_core_seat_ended_cannot_change_the_panels_cases(
        self, seats: tuple[User, User], make_referral: Callable[..., Referral], signed_in: Callable
    ) -> None:
        leaver, _ = seats
        referral = make_referral("adopted")
        with on("2026-02-10"):
            client = signed_in(leaver)
            url = reverse("casework:note_new", args=[referral.pk])
            assert client.get(url).status_code == 404
            assert client.post(url, {"on": "2026-02-10", "text": "Late note"}).status_code == 404
            assert not referral.notes.exists()
            assert not access.can_work(leaver, referral)

    def test_the_referral_list_of_a_member_whose_seat_ended_is_empty(
        self, seats: tuple[User, User], make_referral: Callable[..., Referral], signed_in: Callable
    ) -> None:
        leaver, _ = seats
        referral = make_referral("adopted")
        with on("2026-02-10"):
            page = signed_in(leaver).get(reverse("casework:index")).content.decode()
        assert referral.reference not in page

    def test_a_seat_that_began_after_the_meeting_does_not_reach_its_agenda(
        self,
        world: World,
        core_member: User,
        make_user: Callable[..., User],
        make_referral: Callable[..., Referral],
    ) -> None:
        newcomer = make_user(Role.CHANNEL_MEMBER)
        partnership.add_membership(
            board=world.panel,
            organisation=world.council,
            role="core",
            user=newcomer,
            since=datetime.date(2026, 2, 1),
        )
        referral = make_referral("adopted")
        with on("2026-02-10"):
            assert access.can_see(core_member, referral)
            assert not access.can_see(newcomer, referral)

    def test_a_co_opted_seat_on_the_panel_does_not_count_as_a_core_one(
        self,
        world: World,
        core_member: User,
        make_user: Callable[..., User],
        make_referral: Callable[..., Referral],
    ) -> None:
        co_opted = make_user(Role.CHANNEL_MEMBER)
        partnership.add_membership(
            board=world.panel,
            organisation=world.council,
            role="co_opted",
            user=co_opted,
            since=datetime.date(2025, 1, 1),
        )
        referral = make_referral("adopted")
        with on("2026-02-10"):
            assert not access.can_see(co_opted, referral)

    def test_a_current_core_seat_on_another_panel_does_not_reach_this_agenda(
        self,
        world: World,
        core_member: User,
        make_user: Callable[..., User],
        make_referral: Callable[..., Referral],
    ) -> None:
        elsewhere = make_user(Role.CHANNEL_MEMBER)
        seat = partnership.add_membership(
            board=world.panel,
            organisation=world.council,
            role="core",
            user=elsewhere,
            since=datetime.date(2025, 1, 1),
        )
        partnership.end_membership(membership=seat, until=datetime.date(2026, 2, 1))
        partnership.add_membership(
            board=world.other_panel,
            organisation=world.council,
            role="core",
            user=elsewhere,
            since=datetime.date(2025, 1, 1),
        )
        referral = make_referral("adopted")
        with on("2026-02-10"):
            assert not access.can_see(elsewhere, referral)


class TestAgendaAccessLapses:
    """Access through an agenda ends when the case closes, or ``PREVENTHUB_AGENDA_ACCESS_DAYS``
    after the meeting, whichever is first; what was read stays in the audit trail."""

    def test_it_lasts_the_configured_days_after_the_meeting_and_no_longer(
        self,
        settings: Any,
        core_member: User,
        make_referral: Callable[..., Referral],
        signed_in: Callable,
    ) -> None:
        settings.PREVENTHUB_AGENDA_ACCESS_DAYS = 30
        referral = make_referral("adopted")  # at the meeting of 20 January 2026
        with on("2026-02-19"):
            assert signed_in(core_member).get(case_url(referral)).status_code == 200
        with on("2026-02-20"):
            assert signed_in(core_member).get(case_url(referral)).status_code == 404
        assert [read.actor for read in reads_of(referral)] == [core_member], "the read stays"

    def test_by_default_it_lasts_90_days(
        self, core_member: User, make_referral: Callable[..., Referral]
    ) -> None:
        referral = make_referral("adopted")
        with on("2026-04-20"):
            assert access.can_see(core_member, referral)
        with on("2026-04-21"):
            assert not access.can_see(core_member, referral)

    def test_a_later_meeting_with_the_case_on_its_agenda_renews_it(
        self,
        world: World,
        core_member: User,
        make_referral: Callable[..., Referral],
    ) -> None:
        referral = make_referral("adopted")
        later = partnership.save_meeting(board=world.panel, held_on=datetime.date(2026, 4, 1))
        services.add_to_agenda(referral=referral, meeting=later, by=world.chair)
        with on("2026-06-30"):
            assert access.can_see(core_member, referral)
        with on("2026-07-01"):
            assert not access.can_see(core_member, referral)

    def test_it_ends_when_the_case_is_closed(
        self,
        world: World,
        core_member: User,
        make_referral: Callable[..., Referral],
        signed_in: Callable,
    ) -> None:
        referral = make_referral("adopted")
        with on("2026-02-10"):
            assert signed_in(core_member).get(case_url(referral)).status_code == 200
            services.close_case(referral=referral, by=world.police, on=datetime.date(2026, 2, 10))
            assert signed_in(core_member).get(case_url(referral)).status_code == 404
            assert signed_in(world.chair).get(case_url(referral)).status_code == 200
        readers = [read.actor for read in reads_of(referral)]
        assert readers == [core_member, world.chair], "the read before the closing stays"

    def test_an_assignment_is_not_cut_short_by_the_lapse(
        self,
        world: World,
        core_member: User,
        make_referral: Callable[..., Referral],
    ) -> None:
        referral = make_referral("adopted")
        services.assign_member(
            referral=referral,
            user=core_member,
            kind="assigned",
            since=datetime.date(2026, 1, 21),
            by=world.chair,
        )
        with on("2026-09-01"):
            assert access.can_work(core_member, referral)


def test_the_home_page_says_what_a_channel_member_really_reaches(
    settings: Any, make_user: Callable[..., User], signed_in: Callable
) -> None:
    settings.PREVENTHUB_AGENDA_ACCESS_DAYS = 45
    page = signed_in(make_user(Role.CHANNEL_MEMBER)).get(reverse("core:home")).content.decode()
    assert "Only the Channel cases you are assigned to" not in page
    assert "core seat" in page and "until the case closes or 45 days after the meeting" in page
