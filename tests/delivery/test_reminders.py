"""Reminders for a quarter's updates are sent by the task worker, not in the request, and nothing
is skipped in silence: the run says whom it reminded, and which actions owing an update nobody
could be reminded about, why, and how to put it right."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from preventhub.accounts.models import User
from preventhub.core.models import REMINDERS_REPORT_EVERY
from preventhub.core.roles import Role
from preventhub.delivery import queries, services, tasks
from preventhub.delivery.models import PlanAction, ReminderRun
from preventhub.partnership import services as partnership_services
from preventhub.partnership.models import ReportingPeriod

pytestmark = pytest.mark.django_db

SITE = "https://hub.example/"


@pytest.fixture
def lead(make_user: Callable[..., User]) -> User:
    return make_user(Role.PARTNER_LEAD)


@pytest.fixture
def coordinator(make_user: Callable[..., User]) -> User:
    return make_user(Role.COORDINATOR)


@pytest.fixture
def owing(add_action: Callable[..., PlanAction], lead: User, make_user) -> dict[str, PlanAction]:
    """Two actions with a lead, two with none, and one whose lead has left."""
    gone = make_user(Role.PARTNER_LEAD)
    gone.is_active = False
    gone.save()
    return {
        "SAF-01": add_action("SAF-01", lead=lead),
        "SAF-02": add_action("SAF-02", lead=lead),
        "SAF-03": add_action("SAF-03"),
        "CAS-01": add_action("CAS-01"),
        "COM-01": add_action("COM-01", lead=gone),
    }


def _queue(period: ReportingPeriod, by: User, capture) -> ReminderRun:
    with capture(execute=True):
        run = services.queue_reminders(period=period, by=by, site_url=SITE)
    run.refresh_from_db()
    return run


class TestWhoIsReminded:
    def test_each_lead_gets_one_email_listing_their_actions(
        self, open_quarter, owing, lead, coordinator, mailoutbox, django_capture_on_commit_callbacks
    ) -> None:
        run = _queue(open_quarter, coordinator, django_capture_on_commit_callbacks)
        assert [message.to for message in mailoutbox] == [[lead.email]]
        assert "SAF-01" in mailoutbox[0].body and "SAF-02" in mailoutbox[0].body
        assert run.status == ReminderRun.Status.SENT
        assert run.reminded == [{"lead": lead.full_name, "actions": ["SAF-01", "SAF-02"]}]

    def test_actions_without_a_lead_are_listed_with_why_and_the_fix(
        self, open_quarter, owing, coordinator, django_capture_on_commit_callbacks
    ) -> None:
        run = _queue(open_quarter, coordinator, django_capture_on_commit_callbacks)
        skipped = {row["reference"]: row for row in run.not_reminded}
        assert set(skipped) == {"SAF-03", "CAS-01", "COM-01"}
        assert skipped["SAF-03"]["reason"] == "No lead is named on the action."
        assert skipped["SAF-03"]["fix"] == "Name a lead on the action."
        assert "can no longer sign in" in skipped["COM-01"]["reason"]

    def test_an_action_already_updated_is_neither_reminded_nor_listed(
        self, open_quarter, owing, lead, coordinator, django_capture_on_commit_callbacks
    ) -> None:
        services.submit_update(
            action=owing["SAF-03"], period=open_quarter, status="on_track", narrative="ok", by=lead
        )
        run = _queue(open_quarter, coordinator, django_capture_on_commit_callbacks)
        assert "SAF-03" not in {row["reference"] for row in run.not_reminded}

    def test_the_query_says_the_same_before_anything_is_sent(self, open_quarter, owing, lead):
        owed = queries.reminders_owed(open_quarter)
        assert [a.reference for a in owed.by_lead[lead]] == ["SAF-01", "SAF-02"]
        assert len(owed.not_reminded) == 3

    def test_the_query_takes_the_same_queries_however_many_actions(
        self, open_quarter, owing, add_action, lead, django_assert_num_queries
    ) -> None:
        with django_assert_num_queries(3) as few:
            queries.reminders_owed(open_quarter)
        for number in range(2, 8):
            add_action(f"SAF-{number + 10:02d}", lead=lead if number % 2 else None)
        with django_assert_num_queries(len(few.captured_queries)):
            queries.reminders_owed(open_quarter)


class TestTheTaskWorker:
    def test_nothing_is_sent_until_the_transaction_commits(
        self, open_quarter, owing, coordinator, mailoutbox, django_capture_on_commit_callbacks
    ) -> None:
        with django_capture_on_commit_callbacks(execute=False) as queued:
            run = services.queue_reminders(period=open_quarter, by=coordinator, site_url=SITE)
        assert len(queued) == 1
        assert mailoutbox == []
        assert ReminderRun.objects.get(pk=run.pk).status == ReminderRun.Status.QUEUED

    def test_a_run_the_worker_takes_twice_sends_nobody_a_second_email(
        self, open_quarter, owing, coordinator, mailoutbox, django_capture_on_commit_callbacks
    ) -> None:
        run = _queue(open_quarter, coordinator, django_capture_on_commit_callbacks)
        tasks.send_reminders(run_id=run.pk)
        assert len(mailoutbox) == 1

    def test_a_quarter_not_open_is_refused_before_anything_is_queued(
        self, coordinator, django_capture_on_commit_callbacks
    ) -> None:
        planned = partnership_services.create_period(
            year=2018, quarter=4, updates_due_on=datetime.date(2099, 4, 14)
        )
        with pytest.raises(services.DeliveryError, match="not open"):
            services.queue_reminders(period=planned, by=coordinator, site_url=SITE)
        assert not ReminderRun.objects.exists()

    def test_a_quarter_closed_before_the_worker_runs_stops_the_run_with_the_reason(
        self, open_quarter, owing, coordinator, mailoutbox, django_capture_on_commit_callbacks
    ) -> None:
        with django_capture_on_commit_callbacks(execute=False):
            run = services.queue_reminders(period=open_quarter, by=coordinator, site_url=SITE)
        services.close_period(period=open_quarter)
        done = tasks.send_reminders(run_id=run.pk)
        assert done.status == ReminderRun.Status.FAILED
        assert "is not open" in done.problems
        assert mailoutbox == []

    def test_a_failing_mail_server_stops_the_run_and_keeps_what_was_sent(
        self,
        open_quarter,
        owing,
        lead,
        coordinator,
        make_user,
        add_action,
        monkeypatch,
        django_capture_on_commit_callbacks,
    ) -> None:
        add_action("COM-02", lead=make_user(Role.PARTNER_LEAD))
        sent: list[list[str]] = []

        def flaky(subject: str, body: str, sender: object, to: list[str]) -> int:
            if sent:
                raise ConnectionRefusedError("mail server down")
            sent.append(to)
            return 1

        monkeypatch.setattr(tasks, "send_mail", flaky)
        run = _queue(open_quarter, coordinator, django_capture_on_commit_callbacks)
        assert run.status == ReminderRun.Status.FAILED
        assert "The reminders listed were sent" in run.problems
        assert len(run.reminded) == 1

    def test_the_worker_reports_each_lead_reminded_as_it_goes(
        self,
        open_quarter,
        owing,
        coordinator,
        make_user,
        add_action,
        monkeypatch,
        django_capture_on_commit_callbacks,
    ) -> None:
        """Killed after the first lead's e-mail, which took longer than a run waits between its
        reports, the run still holds that lead as reminded."""
        add_action("COM-02", lead=make_user(Role.PARTNER_LEAD))
        sent: list[list[str]] = []

        with time_machine.travel(timezone.now(), tick=False) as clock:

            def killed_after_one(subject: str, body: str, sender: object, to: list[str]) -> int:
                if sent:
                    raise KeyboardInterrupt  # nothing of the task's own runs after
                sent.append(to)
                clock.shift(REMINDERS_REPORT_EVERY)
                return 1

            monkeypatch.setattr(tasks, "send_mail", killed_after_one)
            with pytest.raises(KeyboardInterrupt):
                _queue(open_quarter, coordinator, django_capture_on_commit_callbacks)
        run = ReminderRun.objects.get()
        assert (run.status, len(run.reminded)) == (ReminderRun.Status.QUEUED, 1)
        assert run.heartbeat_at is not None


class TestThePages:
    @pytest.fixture
    def client(self, coordinator: User, make_client: Callable[[User], Client]) -> Client:
        return make_client(coordinator)

    def test_send_reminders_shows_the_runs_result_with_who_was_not_reminded(
        self, client: Client, open_quarter, owing, lead, django_capture_on_commit_callbacks
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            answer = client.post(reverse("delivery:period_remind", args=[open_quarter.pk]))
        run = ReminderRun.objects.get()
        assert answer.status_code == 302
        assert answer.url == reverse("delivery:reminder_run", args=[run.pk])
        page = client.get(answer.url).content.decode()
        assert "Reminders sent" in page
        assert f"{lead.full_name}: SAF-01, SAF-02" in page
        assert "3 actions owing an update have no lead who could be reminded" in page
        assert "No lead is named on the action." in page
        assert reverse("delivery:action_edit", args=[owing["SAF-03"].pk]) in page

    def test_a_run_still_queued_says_it_is_sending(
        self, client: Client, open_quarter, owing, django_capture_on_commit_callbacks
    ) -> None:
        with django_capture_on_commit_callbacks(execute=False):
            answer = client.post(reverse("delivery:period_remind", args=[open_quarter.pk]))
        page = client.get(answer.url).content.decode()
        assert "Sending reminders" in page
        assert "you can leave this page and come back" in page

    def test_a_run_whose_worker_stopped_says_so_and_what_it_sent(
        self, client: Client, open_quarter, coordinator
    ) -> None:

        run = ReminderRun.objects.create(
            period=open_quarter,
            requested_by=coordinator,
            site_url=SITE,
            reminded=[{"lead": "Sam Lead", "actions": ["SAF-01"]}],
            heartbeat_at=timezone.now() - datetime.timedelta(minutes=11),
        )
        page = client.get(reverse("delivery:reminder_run", args=[run.pk])).content.decode()
        assert "Reminders stopped" in page
        assert "the task worker sending the reminders stopped" in page
        assert "Sam Lead: SAF-01" in page
        # Sending the quarter's reminders again ends it as stopped first.
        services.queue_reminders(period=open_quarter, by=coordinator, site_url=SITE)
        run.refresh_from_db()
        assert run.status == ReminderRun.Status.FAILED

    def test_the_quarterly_cycle_links_to_the_last_run(
        self, client: Client, open_quarter, owing, django_capture_on_commit_callbacks
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("delivery:period_remind", args=[open_quarter.pk]))
        page = client.get(reverse("delivery:periods")).content.decode()
        assert "1 lead reminded, 3 actions with nobody to remind" in page
        assert reverse("delivery:reminder_run", args=[ReminderRun.objects.get().pk]) in page

    def test_the_quarterly_cycle_warns_before_sending_who_cannot_be_reminded(
        self, client: Client, open_quarter, owing
    ) -> None:
        page = client.get(reverse("delivery:periods")).content.decode()
        assert "3 actions owing an update have no lead who can be reminded" in page
        assert "No lead is named on the action. Name a lead on the action." in page
        assert reverse("delivery:action_edit", args=[owing["CAS-01"].pk]) in page
