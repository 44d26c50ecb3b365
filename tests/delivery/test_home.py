"""The Delivery Plan's part of each person's home page, and the quarter's Board meeting and
re-opening."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from preventhub.accounts.models import User
from preventhub.core.roles import Role
from preventhub.delivery import services
from preventhub.delivery.models import PlanAction
from preventhub.partnership import services as partnership
from preventhub.partnership.models import Area, Organisation, PeriodReopening, ReportingPeriod

TODAY = datetime.datetime(2018, 11, 20, 12, tzinfo=datetime.UTC)


@pytest.fixture
def quarter(db: None) -> ReportingPeriod:
    period = partnership.create_period(
        year=2018, quarter=3, updates_due_on=datetime.date(2019, 1, 14)
    )
    return partnership.open_period(period=period)


@pytest.fixture
def actions(add_action: Callable[..., PlanAction]) -> list[PlanAction]:
    return [
        add_action("SAF-01", due_on=datetime.date(2018, 10, 1)),
        add_action("SAF-02", due_on=datetime.date(2019, 3, 1)),
        add_action("SAF-03"),
    ]


def _home(client: Client) -> str:
    with time_machine.travel(TODAY, tick=False):
        return client.get("/").content.decode()


class TestTheCoordinator:
    def test_sees_the_open_quarters_updates_in_and_missing_and_overdue_actions(
        self,
        quarter: ReportingPeriod,
        actions: list[PlanAction],
        client_for: Callable[..., Client],
        make_user: Callable[..., User],
    ) -> None:
        services.submit_update(
            action=actions[1],
            period=quarter,
            status="on_track",
            narrative="Fine",
            by=make_user(Role.PARTNER_LEAD),
        )
        page = _home(client_for(Role.COORDINATOR))
        assert "Delivery Plan: 2018/19 Q3" in page
        assert "Updates in for 2018/19 Q3" in page and "1 of 3" in page
        assert "Actions still without an update" in page
        assert 'href="/plan/periods/#missing"' in page
        assert "Due by 14 January 2019." in page
        assert "Overdue actions" in page and "1 overdue" in page
        assert 'href="/plan/?due=overdue"' in page

    def test_is_told_when_no_quarter_is_open(
        self, approved_plan: Any, client_for: Callable[..., Client]
    ) -> None:
        page = _home(client_for(Role.COORDINATOR))
        assert "Open a quarter for updates" in page and "No quarter open" in page

    def test_missing_updates_are_late_once_the_due_day_has_passed(
        self, quarter: ReportingPeriod, actions: list[PlanAction], client_for: Callable[..., Client]
    ) -> None:
        with time_machine.travel(datetime.datetime(2019, 1, 20, 12, tzinfo=datetime.UTC)):
            page = client_for(Role.COORDINATOR).get("/").content.decode()
        assert "3 late" in page


class TestThoseWhoSendUpdates:
    def test_a_partner_lead_sees_their_actions_still_to_update_with_the_due_date(
        self,
        quarter: ReportingPeriod,
        add_action: Callable[..., PlanAction],
        make_user: Callable[..., User],
        make_client: Callable[[User], Client],
    ) -> None:
        lead = make_user(Role.PARTNER_LEAD)
        add_action("SAF-01", lead=lead)
        add_action("SAF-02", owner_organisation=Organisation.objects.create(name="Elsewhere"))
        page = _home(make_client(lead))
        assert "Your actions to update" in page
        assert "0 of 1 sent. Due by 14 January 2019." in page
        assert 'href="/plan/updates/"' in page
        assert "Updates in for" not in page  # the coordinator's view of the quarter

    def test_a_district_lead_sees_their_districts_actions_and_risks_due_for_review(
        self,
        quarter: ReportingPeriod,
        add_action: Callable[..., PlanAction],
        district: Area,
        organisation: Organisation,
        make_user: Callable[..., User],
        make_client: Callable[[User], Client],
    ) -> None:
        action = add_action("SAF-01", district=district, due_on=datetime.date(2018, 10, 1))
        services.save_district_risk(
            district=district,
            description="Risk",
            likelihood=2,
            impact=2,
            owner=organisation,
            review_on=datetime.date(2018, 11, 1),
            mitigations=[action],
        )
        page = _home(make_client(make_user(Role.DISTRICT_LEAD)))
        assert f"Your district: {district.name}" in page
        assert f"{district.name}&#x27;s open actions in the plan" in page
        assert "1 (1 overdue)" in page
        assert f"/plan/districts/{district.gss_code}/#risks" in page
        assert f"/local-profile/districts/{district.gss_code}/" in page


class TestTheBoardReader:
    def test_sees_the_latest_board_report_and_its_headline_figures(
        self,
        quarter: ReportingPeriod,
        actions: list[PlanAction],
        make_user: Callable[..., User],
        client_for: Callable[..., Client],
    ) -> None:
        services.submit_update(
            action=actions[0],
            period=quarter,
            status="on_track",
            narrative="Fine",
            by=make_user(Role.PARTNER_LEAD),
        )
        services.close_period(period=quarter)
        page = _home(client_for(Role.BOARD_READER))
        assert "The latest Board report: 2018/19 Q3" in page
        assert reverse("delivery_reports:report", args=[quarter.pk]) in page
        assert "Green: 1 of 3 (33%)" in page


def test_the_coordinators_home_page_does_not_grow_queries_with_the_plan(
    quarter: ReportingPeriod,
    add_action: Callable[..., PlanAction],
    client_for: Callable[..., Client],
    django_assert_max_num_queries: Any,
) -> None:
    client = client_for(Role.COORDINATOR)
    add_action("SAF-01", due_on=datetime.date(2018, 1, 1))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for n in range(2, 30):
        add_action(f"SAF-{n:02}", due_on=datetime.date(2018, 1, 1))
    with django_assert_max_num_queries(len(few)):
        client.get("/")


class TestTheQuartersBoardMeeting:
    def test_the_coordinator_links_a_quarter_to_the_board_meeting_that_receives_its_report(
        self, quarter: ReportingPeriod, client_for: Callable[..., Client]
    ) -> None:
        board = partnership.save_board(name="Prevent Board", kind="prevent_board")
        meeting = partnership.save_meeting(board=board, held_on=datetime.date(2019, 2, 1))
        client = client_for(Role.COORDINATOR)
        url = reverse("delivery:period_meeting", args=[quarter.pk])
        assert client.get(url).status_code == 200
        response = client.post(url, {"board_meeting": meeting.pk})
        assert response.status_code == 302
        quarter.refresh_from_db()
        assert quarter.board_meeting == meeting
        page = client.get(reverse("delivery:periods")).content.decode()
        assert "Prevent Board, 1 February 2019" in page


class TestReopeningAQuarter:
    def test_the_coordinator_reopens_a_closed_quarter_with_a_reason_which_is_kept(
        self, quarter: ReportingPeriod, client_for: Callable[..., Client]
    ) -> None:
        partnership.close_period(period=quarter)
        client = client_for(Role.COORDINATOR)
        url = reverse("delivery:period_reopen", args=[quarter.pk])
        assert "Re-open" in client.get(reverse("delivery:periods")).content.decode()
        response = client.post(url, {"reason": "The police update was missed"})
        assert response.status_code == 302
        quarter.refresh_from_db()
        assert (quarter.status, quarter.closed_at) == ("open", None)
        kept = PeriodReopening.objects.get(period=quarter)
        assert kept.reason == "The police update was missed" and kept.was_closed_at is not None
        page = client.get(reverse("delivery:periods")).content.decode()
        assert "The police update was missed" in page

    def test_a_reason_is_needed(
        self, quarter: ReportingPeriod, client_for: Callable[..., Client]
    ) -> None:
        partnership.close_period(period=quarter)
        page = client_for(Role.COORDINATOR).post(
            reverse("delivery:period_reopen", args=[quarter.pk]), {"reason": ""}
        )
        assert "Say why you are re-opening the quarter" in page.content.decode()
        quarter.refresh_from_db()
        assert quarter.status == "closed" and not PeriodReopening.objects.exists()

    def test_not_while_another_quarter_is_open(self, quarter: ReportingPeriod) -> None:
        partnership.close_period(period=quarter)
        later = partnership.create_period(
            year=2018, quarter=4, updates_due_on=datetime.date(2019, 4, 14)
        )
        partnership.open_period(period=later)
        with pytest.raises(partnership.PartnershipError, match="Another quarter is open"):
            partnership.reopen_period(period=quarter, by=None, reason="Missed")
        quarter.refresh_from_db()
        assert quarter.status == "closed"

    def test_only_a_closed_quarter(self, quarter: ReportingPeriod) -> None:
        with pytest.raises(partnership.PartnershipError, match="not closed"):
            partnership.reopen_period(period=quarter, by=None, reason="Why not")
