"""Meetings: agenda, attendance and quorum, minutes, decisions and the actions arising."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client

from preventhub.accounts.models import User
from preventhub.core.concurrency import ConcurrentEditError
from preventhub.core.models import AuditEvent
from preventhub.core.roles import Role
from preventhub.partnership import queries, services
from preventhub.partnership.models import Board, BoardAction, Meeting, Organisation
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(prevent_board: Board) -> Meeting:
    return services.save_meeting(
        board=prevent_board, held_on=datetime.date(2019, 3, 4), agenda=["Minutes", "Plan"]
    )


class TestAgendaAndAttendance:
    def test_the_agenda_is_kept_in_order_and_its_changes_are_audited(
        self, meeting: Meeting
    ) -> None:
        services.save_meeting(
            meeting=meeting,
            expected_version=meeting.version,
            board=meeting.board,
            held_on=meeting.held_on,
            agenda=["Plan", "Minutes", "AOB"],
        )
        assert queries.meeting_detail(meeting).agenda == ["Plan", "Minutes", "AOB"]
        entry = AuditEvent.objects.filter(object_type="partnership.meeting").latest("sequence")
        assert entry.changes["agenda"] == {
            "before": ["Minutes", "Plan"],
            "after": ["Plan", "Minutes", "AOB"],
        }

    def test_the_meeting_is_quorate_when_enough_members_are_present(
        self, meeting: Meeting, council: Organisation
    ) -> None:
        seats = [
            services.add_membership(
                board=meeting.board,
                organisation=council,
                role="core",
                contact=services.save_contact(organisation=council, name=f"Member {n}"),
                since=datetime.date(2018, 1, 1),
            )
            for n in range(3)
        ]
        services.record_attendance(
            meeting=meeting, statuses={seats[0].pk: "present", seats[1].pk: "apologies"}
        )
        detail = queries.meeting_detail(meeting)
        assert (detail.present, detail.quorum, detail.is_quorate) == (1, 2, False)
        services.record_attendance(meeting=meeting, statuses={seats[1].pk: "present"})
        assert queries.meeting_detail(meeting).is_quorate is True

    def test_attendance_is_only_for_members_of_the_board(
        self, meeting: Meeting, council: Organisation
    ) -> None:
        other = services.save_board(name="Other", kind=Board.Kind.OTHER)
        outsider = services.add_membership(
            board=other,
            organisation=council,
            role="core",
            contact=services.save_contact(organisation=council, name="Outsider"),
            since=datetime.date(2018, 1, 1),
        )
        with pytest.raises(services.PartnershipError):
            services.record_attendance(meeting=meeting, statuses={outsider.pk: "present"})

    def test_the_attendance_page_records_each_member(
        self, meeting: Meeting, council: Organisation, client_for: Callable[..., Client]
    ) -> None:
        seat = services.add_membership(
            board=meeting.board,
            organisation=council,
            role="core",
            contact=services.save_contact(organisation=council, name="Member"),
            since=datetime.date(2018, 1, 1),
        )
        client_for(Role.COORDINATOR).post(
            f"/partnership/meetings/{meeting.pk}/attendance/", {f"member_{seat.pk}": "apologies"}
        )
        assert queries.meeting_detail(meeting).attendance[0].status == "apologies"


class TestMinutes:
    def test_a_second_save_from_an_old_page_is_refused_and_both_versions_are_shown(
        self, meeting: Meeting, client_for: Callable[..., Client]
    ) -> None:
        first, second = client_for(Role.COORDINATOR), client_for(Role.COORDINATOR)
        url = f"/partnership/meetings/{meeting.pk}/minutes/"
        version = first.get(url).context["form"].initial["version"]
        second.get(url)
        first.post(url, {"minutes": "Minutes by the first editor", "version": version})
        response = second.post(url, {"minutes": "Minutes by the second editor", "version": version})
        page = response.content.decode()
        assert "changed by someone else while you were editing it" in page
        assert "Minutes by the first editor" in page  # what was saved
        assert "Minutes by the second editor" in page  # what they typed, still in the box
        meeting.refresh_from_db()
        assert meeting.minutes == "Minutes by the first editor"

    def test_the_service_refuses_a_stale_version(self, meeting: Meeting) -> None:
        stale = meeting.version
        services.save_minutes(meeting=meeting, expected_version=stale, minutes="One")
        with pytest.raises(ConcurrentEditError):
            services.save_minutes(
                meeting=Meeting.objects.get(pk=meeting.pk), expected_version=stale, minutes="Two"
            )


class TestActions:
    def test_the_board_shows_actions_due_before_the_next_meeting(
        self, prevent_board: Board, council: Organisation, today: datetime.date
    ) -> None:
        last = services.save_meeting(
            board=prevent_board, held_on=today - datetime.timedelta(days=30)
        )
        services.save_meeting(board=prevent_board, held_on=today + datetime.timedelta(days=10))
        soon = services.add_board_action(
            meeting=last,
            description="Soon",
            owner_organisation=council,
            owner_name="",
            due_on=today + datetime.timedelta(days=5),
        )
        later = services.add_board_action(
            meeting=last,
            description="Later",
            owner_organisation=council,
            owner_name="",
            due_on=today + datetime.timedelta(days=40),
        )
        done = services.add_board_action(
            meeting=last,
            description="Done",
            owner_organisation=council,
            owner_name="",
            due_on=today + datetime.timedelta(days=1),
        )
        services.set_board_action_status(
            action=done, expected_version=done.version, status=BoardAction.Status.DONE, on=today
        )
        detail = queries.board_detail(prevent_board, on=today)
        assert detail.due_before_next_meeting == [soon]
        assert detail.open_actions == [soon, later]

    def test_marking_an_action_done_records_when(
        self, meeting: Meeting, council: Organisation, client_for: Callable[..., Client]
    ) -> None:
        action = services.add_board_action(
            meeting=meeting,
            description="Do",
            owner_organisation=council,
            owner_name="",
            due_on=datetime.date(2019, 4, 1),
        )
        client_for(Role.COORDINATOR).post(
            f"/partnership/actions/{action.pk}/status/",
            {"status": "done", "version": action.version},
        )
        action.refresh_from_db()
        assert action.status == "done" and action.completed_on == datetime.date.today()

    def test_adding_an_action_through_the_page(
        self, meeting: Meeting, council: Organisation, client_for: Callable[..., Client]
    ) -> None:
        client_for(Role.COORDINATOR).post(
            f"/partnership/meetings/{meeting.pk}/actions/new/",
            {
                "description": "Write to schools",
                "owner_organisation": council.pk,
                "owner_name": "Eden",
                "due_on": "2019-05-01",
            },
        )
        assert meeting.actions.get().description == "Write to schools"

    def test_a_bad_due_date_is_explained(
        self, meeting: Meeting, council: Organisation, client_for: Callable[..., Client]
    ) -> None:
        response = client_for(Role.COORDINATOR).post(
            f"/partnership/meetings/{meeting.pk}/actions/new/",
            {"description": "X", "owner_organisation": council.pk, "due_on": "31-31-2019"},
        )
        assert "Enter the due date as a real date" in response.content.decode()
        assert not meeting.actions.exists()


class TestBoardChairs:
    def test_a_chair_edits_their_own_boards_meetings_but_not_others(
        self, meeting: Meeting, council: Organisation, make_user: Callable[..., User]
    ) -> None:
        chair = make_user(Role.PARTNER_LEAD)
        services.add_membership(
            board=meeting.board,
            organisation=council,
            role="chair",
            user=chair,
            since=datetime.date(2018, 1, 1),
        )
        other = services.save_meeting(
            board=services.save_board(name="Other board", kind=Board.Kind.OTHER),
            held_on=datetime.date(2019, 3, 4),
        )
        client = sign_in(Client(), chair)
        assert client.get(f"/partnership/meetings/{meeting.pk}/minutes/").status_code == 200
        assert (
            client.get(f"/partnership/boards/{meeting.board_id}/meetings/new/").status_code == 200
        )
        assert client.get(f"/partnership/meetings/{other.pk}/minutes/").status_code == 403

    def test_a_former_chair_no_longer_edits(
        self, meeting: Meeting, council: Organisation, make_user: Callable[..., User]
    ) -> None:
        chair = make_user(Role.PARTNER_LEAD)
        seat = services.add_membership(
            board=meeting.board,
            organisation=council,
            role="chair",
            user=chair,
            since=datetime.date(2018, 1, 1),
        )
        services.end_membership(membership=seat, until=datetime.date(2018, 12, 31))
        assert (
            sign_in(Client(), chair).get(f"/partnership/meetings/{meeting.pk}/minutes/").status_code
            == 403
        )


class TestQueryCounts:
    def _grow(self, board: Board, council: Organisation, meeting: Meeting, n: int) -> None:
        for number in range(n):
            contact = services.save_contact(organisation=council, name=f"Person {number}")
            seat = services.add_membership(
                board=board,
                organisation=council,
                role="core",
                contact=contact,
                since=datetime.date(2018, 1, 1),
            )
            services.record_attendance(meeting=meeting, statuses={seat.pk: "present"})
            services.add_board_action(
                meeting=meeting,
                description=f"Action {number}",
                owner_organisation=council,
                owner_name="",
                due_on=datetime.date(2019, 4, 1),
            )

    @pytest.mark.parametrize("page", ["board", "meeting", "organisation"])
    def test_a_page_issues_the_same_queries_for_few_or_many_rows(
        self,
        page: str,
        meeting: Meeting,
        council: Organisation,
        client_for: Callable[..., Client],
        django_assert_max_num_queries,
    ) -> None:
        url = {
            "board": f"/partnership/boards/{meeting.board_id}/",
            "meeting": f"/partnership/meetings/{meeting.pk}/",
            "organisation": f"/partnership/organisations/{council.pk}/",
        }[page]
        client = client_for(Role.COORDINATOR)
        self._grow(meeting.board, council, meeting, 1)
        with django_assert_max_num_queries(40) as few:
            assert client.get(url).status_code == 200
        self._grow(meeting.board, council, meeting, 8)
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(url)
