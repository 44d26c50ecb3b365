"""Recording activities, the calendar, the communication plan's messages and the home notice."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client

from preventhub.accounts.models import User
from preventhub.core.home import WorkItem, work_for
from preventhub.core.roles import Role
from preventhub.engagement import queries, services
from preventhub.engagement.models import Activity, KeyMessage
from preventhub.partnership.models import Area, Organisation
from tests.conftest import sign_in
from tests.engagement.conftest import TODAY
from tests.engagement.forms import activity_form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(time_machine: object) -> None:
    time_machine.move_to(datetime.datetime(2026, 12, 5, 12))  # type: ignore[attr-defined]


class TestRecordingAnActivity:
    def test_the_coordinator_records_a_countywide_activity_with_its_partners(
        self, client_for: Callable[..., Client], organisation: Organisation
    ) -> None:
        response = client_for(Role.COORDINATOR).post(
            "/engagement/activities/new/", activity_form(partners=[organisation.pk])
        )

        found = Activity.objects.get()
        assert response.status_code == 302
        assert found.district is None and found.reach == 14
        assert list(found.partners.all()) == [organisation]

    def test_a_district_lead_records_in_their_own_district_only(
        self, make_user: Callable[..., User], district: Area, other_district: Area
    ) -> None:
        client = sign_in(Client(), make_user(Role.DISTRICT_LEAD))

        refused = client.post(
            "/engagement/activities/new/", activity_form(district=other_district.pk)
        )
        accepted = client.post("/engagement/activities/new/", activity_form(district=district.pk))

        assert refused.status_code == 200
        assert "Select a valid choice" in refused.content.decode()
        assert accepted.status_code == 302
        assert Activity.objects.get().district == district

    def test_a_district_lead_cannot_change_another_district_s_activity(
        self,
        make_user: Callable[..., User],
        record: Callable[..., Activity],
        district: Area,
        other_district: Area,
    ) -> None:
        theirs = record(district=district)
        elsewhere = record(district=other_district)
        client = sign_in(Client(), make_user(Role.DISTRICT_LEAD))

        assert client.get(f"/engagement/activities/{theirs.pk}/edit/").status_code == 200
        assert client.get(f"/engagement/activities/{elsewhere.pk}/edit/").status_code == 403

    def test_an_activity_still_to_come_has_no_reach(
        self, client_for: Callable[..., Client]
    ) -> None:
        response = client_for(Role.COORDINATOR).post(
            "/engagement/activities/new/", activity_form(held_on="2026-12-20", reach="30")
        )

        assert "An activity still to come has no reach yet" in response.content.decode()
        assert not Activity.objects.exists()

    def test_a_second_edit_from_an_old_page_is_refused(
        self, client_for: Callable[..., Client], record: Callable[..., Activity]
    ) -> None:
        found = record()
        client = client_for(Role.COORDINATOR)
        opened_at = found.version
        client.post(
            f"/engagement/activities/{found.pk}/edit/",
            activity_form(version=opened_at, title="First change"),
        )

        response = client.post(
            f"/engagement/activities/{found.pk}/edit/",
            activity_form(version=opened_at, title="Second change"),
        )

        found.refresh_from_db()
        assert found.title == "First change"
        assert "changed by someone else" in response.content.decode()


class TestTheCalendar:
    def test_a_month_shows_each_activity_on_its_day(
        self, client_for: Callable[..., Client], record: Callable[..., Activity]
    ) -> None:
        record(title="Mosque open day", held_on=datetime.date(2026, 12, 12))
        record(title="Earlier event", held_on=datetime.date(2026, 11, 30), reach=3)

        page = client_for(Role.PARTNER_LEAD).get("/engagement/calendar/?month=2026-12")

        text = page.content.decode()
        assert "December 2026: 1 activity" in text
        assert "Mosque open day" in text and "Earlier event" not in text

    def test_weeks_start_on_monday_and_days_outside_the_month_are_empty(self) -> None:
        month = queries.calendar_month(datetime.date(2026, 12, 1), today=TODAY)

        assert month.weeks[0][0].day is None  # 30 November, a Monday
        assert month.weeks[0][1].day == datetime.date(2026, 12, 1)
        assert any(cell.is_today for week in month.weeks for cell in week)

    def test_a_month_that_cannot_be_read_shows_this_month(self) -> None:
        assert queries.month_of("not-a-month", TODAY) == datetime.date(2026, 12, 1)


class TestKeyMessages:
    def test_partners_see_the_approved_wording_not_a_newer_draft(
        self, make_user: Callable[..., User], client_for: Callable[..., Client]
    ) -> None:
        coordinator = make_user(Role.COORDINATOR)
        message = services.save_message(
            title="Notice, check, share", text="If you are worried, share it.", by=coordinator
        )
        services.approve_message_version(
            version=message.versions.get(), on=datetime.date(2026, 5, 1), by=coordinator
        )
        services.draft_message_version(message=message, text="A newer wording", by=coordinator)

        text = client_for(Role.PARTNER_LEAD).get("/engagement/plan/").content.decode()

        assert "If you are worried, share it." in text
        assert "A newer wording" not in text
        assert "Waiting for approval" in text

    def test_approving_a_draft_puts_it_in_use(self, make_user: Callable[..., User]) -> None:
        coordinator = make_user(Role.COORDINATOR)
        message = services.save_message(title="Act early", text="First", by=coordinator)
        draft = services.draft_message_version(message=message, text="Second", by=coordinator)
        client = sign_in(Client(), coordinator)

        client.post(f"/engagement/plan/message-versions/{draft.pk}/approve/")

        row = queries.plan_page().messages[0]
        assert row.approved is not None and row.approved.text == "Second"
        assert row.draft is None

    def test_an_older_draft_cannot_be_approved_over_a_newer_approved_wording(
        self, make_user: Callable[..., User]
    ) -> None:
        coordinator = make_user(Role.COORDINATOR)
        message = services.save_message(title="Act early", text="First", by=coordinator)
        second = services.draft_message_version(message=message, text="Second", by=coordinator)
        services.approve_message_version(version=second, on=TODAY, by=coordinator)

        with pytest.raises(services.EngagementError, match="later version"):
            services.approve_message_version(
                version=message.versions.get(number=1), on=TODAY, by=coordinator
            )

    def test_only_the_coordinator_approves(
        self, make_user: Callable[..., User], client_for: Callable[..., Client]
    ) -> None:
        message = services.save_message(
            title="Act early", text="First", by=make_user(Role.COORDINATOR)
        )

        response = client_for(Role.PARTNER_LEAD).post(
            f"/engagement/plan/message-versions/{message.versions.get().pk}/approve/"
        )

        assert response.status_code == 403
        assert not KeyMessage.objects.get().versions.filter(approved_on__isnull=False).exists()


def _planned(user: User) -> list[WorkItem]:
    return [
        item
        for group in work_for(user)
        for item in group.items
        if item.text == "Engagement planned this month"
    ]


class TestPlannedThisMonth:
    def test_the_coordinator_is_told_what_is_planned_across_the_county(
        self,
        make_user: Callable[..., User],
        record: Callable[..., Activity],
        district: Area,
        other_district: Area,
    ) -> None:
        record(title="Faith leaders' lunch", held_on=datetime.date(2026, 12, 10), district=district)
        record(title="Market stall", held_on=datetime.date(2026, 12, 18), district=other_district)
        record(title="January talk", held_on=datetime.date(2027, 1, 8))

        (planned,) = _planned(make_user(Role.COORDINATOR))

        assert planned.count == 2
        assert planned.hint.startswith("2 engagement activities from today to the end of")
        assert "Faith leaders' lunch, 10 December 2026" in planned.hint

    def test_a_district_lead_is_told_only_about_their_district(
        self,
        make_user: Callable[..., User],
        record: Callable[..., Activity],
        district: Area,
        other_district: Area,
    ) -> None:
        record(title="Stafford stall", held_on=datetime.date(2026, 12, 10), district=district)
        record(title="Tamworth stall", held_on=datetime.date(2026, 12, 11), district=other_district)

        (planned,) = _planned(make_user(Role.DISTRICT_LEAD))

        assert planned.hint.startswith("1 engagement activity in Stafford")

    def test_other_roles_get_no_such_work_item(
        self, make_user: Callable[..., User], record: Callable[..., Activity]
    ) -> None:
        record(held_on=datetime.date(2026, 12, 10))

        assert _planned(make_user(Role.PARTNER_LEAD)) == []


def test_the_calendar_shows_one_district_when_asked(
    client_for: Callable[..., Client],
    record: Callable[..., Activity],
    district: Area,
    other_district: Area,
) -> None:
    record(title="Stafford stall", held_on=datetime.date(2026, 12, 12), district=district)
    record(title="Tamworth stall", held_on=datetime.date(2026, 12, 13), district=other_district)

    page = client_for(Role.DISTRICT_LEAD).get(
        f"/engagement/calendar/?month=2026-12&district={district.pk}"
    )

    text = page.content.decode()
    assert "December 2026 in Stafford: 1 activity" in text
    assert "Stafford stall" in text and "Tamworth stall" not in text
    assert f"month=2027-01&amp;district={district.pk}" in text
