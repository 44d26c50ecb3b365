"""A return's life: owed, sent (late or not), accepted or returned, re-opened, with a history."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from preventhub.accounts.models import User
from preventhub.core.models import AuditEvent
from preventhub.core.roles import Role
from preventhub.partnership.models import Area, Organisation
from preventhub.returns import queries, services
from preventhub.returns.models import PartnerReturn, ReturnEvent, ReturnStatus, ReturnWindow

LONDON_NOON = "{}T12:00:00+00:00"


def _at(day: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(LONDON_NOON.format(day))


class TestOpeningAWindow:
    def test_each_chosen_organisation_owes_one_return(
        self, open_window: Callable[..., ReturnWindow], county: object
    ) -> None:
        other = Organisation.objects.create(name="Shire Police")
        window = open_window("ctlp", 3, other)
        assert sorted(r.organisation.name for r in window.returns.all()) == [
            "Shire Health Trust",
            "Shire Police",
        ]
        assert {r.status for r in window.returns.all()} == {ReturnStatus.DRAFT}

    def test_a_kind_is_collected_once_per_quarter(
        self, open_window: Callable[..., ReturnWindow]
    ) -> None:
        open_window("training")
        with pytest.raises(services.ReturnError, match="already being collected"):
            open_window("training")

    def test_it_needs_at_least_one_organisation(self, quarters: dict) -> None:
        with pytest.raises(services.ReturnError, match="Choose the organisations"):
            services.open_window(
                period=quarters[3], kind="ctlp", due_on=datetime.date(2019, 1, 14), organisations=[]
            )

    def test_more_organisations_can_be_asked_while_it_is_open_each_once(
        self, open_window: Callable[..., ReturnWindow]
    ) -> None:
        window = open_window("ctlp", 3)
        police = Organisation.objects.create(name="Shire Police")
        first = window.returns.get()
        assert (
            services.add_organisations(window=window, organisations=[police, first.organisation])
            == 1
        )
        assert services.add_organisations(window=window, organisations=[police]) == 0
        added = window.returns.get(organisation=police)
        assert added.status == ReturnStatus.DRAFT
        assert list(added.events.values_list("kind", flat=True)) == [ReturnEvent.Kind.OWED]


class TestSendingAndDeciding:
    def test_a_return_sent_by_its_due_day_is_not_late(
        self, owed: Callable[..., PartnerReturn], partner_lead: User
    ) -> None:
        found = services.submit_return(
            partner_return=owed("ctlp"), by=partner_lead, now=_at("2019-01-14")
        )
        assert found.status == ReturnStatus.SUBMITTED
        assert not found.is_late

    def test_a_return_sent_after_its_due_day_is_marked_late(
        self, owed: Callable[..., PartnerReturn], partner_lead: User
    ) -> None:
        found = services.submit_return(
            partner_return=owed("ctlp"), by=partner_lead, now=_at("2019-01-15")
        )
        assert found.is_late

    def test_an_unsent_return_past_its_due_day_shows_as_overdue(
        self, owed: Callable[..., PartnerReturn]
    ) -> None:
        found = owed("ctlp")
        assert found.is_overdue(datetime.date(2019, 1, 15))
        assert not found.is_overdue(datetime.date(2019, 1, 14))

    def test_the_coordinator_accepts_a_sent_return(
        self, owed: Callable[..., PartnerReturn], partner_lead: User, coordinator: User
    ) -> None:
        found = services.submit_return(partner_return=owed("ctlp"), by=partner_lead)
        assert services.accept_return(partner_return=found, by=coordinator).status == "accepted"

    def test_accepting_names_the_return_in_the_audit_trail_without_reading_its_parts_again(
        self, owed: Callable[..., PartnerReturn], partner_lead: User, coordinator: User
    ) -> None:
        sent = services.submit_return(partner_return=owed("ctlp"), by=partner_lead)
        stale = PartnerReturn.objects.get(pk=sent.pk)  # as a view has it: no related rows read

        with CaptureQueriesContext(connection) as captured:
            services.accept_return(partner_return=stale, by=coordinator)

        entry = AuditEvent.objects.filter(object_type="returns.partnerreturn").latest("sequence")
        assert entry.object_repr == str(sent)
        assert str(sent.window.period) in entry.object_repr
        # The window's quarter and the organisation come with the locked return.
        separate = [
            query["sql"]
            for query in captured.captured_queries
            if query["sql"].startswith("SELECT")
            and (
                'FROM "partnership_organisation"' in query["sql"]
                or 'FROM "delivery_reportingperiod"' in query["sql"]
            )
        ]
        assert separate == []

    def test_a_draft_cannot_be_accepted(
        self, owed: Callable[..., PartnerReturn], coordinator: User
    ) -> None:
        with pytest.raises(services.ReturnError, match="has been sent"):
            services.accept_return(partner_return=owed("ctlp"), by=coordinator)

    def test_a_return_sent_back_for_correction_says_why_and_can_be_sent_again(
        self, owed: Callable[..., PartnerReturn], partner_lead: User, coordinator: User
    ) -> None:
        found = services.submit_return(
            partner_return=owed("ctlp"), by=partner_lead, now=_at("2019-01-20")
        )
        found = services.send_back(
            partner_return=found, reason="Tamworth looks doubled", by=coordinator
        )
        assert found.status == ReturnStatus.RETURNED
        again = services.submit_return(partner_return=found, by=partner_lead, now=_at("2019-01-10"))
        assert again.status == ReturnStatus.SUBMITTED
        assert again.is_late, "a correction does not clear the late mark"

    def test_sending_back_needs_a_reason(
        self, owed: Callable[..., PartnerReturn], partner_lead: User, coordinator: User
    ) -> None:
        found = services.submit_return(partner_return=owed("ctlp"), by=partner_lead)
        with pytest.raises(services.ReturnError, match="Say why"):
            services.send_back(partner_return=found, reason="  ", by=coordinator)

    def test_an_accepted_return_can_be_reopened_with_a_reason(
        self, owed: Callable[..., PartnerReturn], partner_lead: User, coordinator: User
    ) -> None:
        found = services.submit_return(partner_return=owed("ctlp"), by=partner_lead)
        found = services.accept_return(partner_return=found, by=coordinator)
        found = services.reopen(partner_return=found, reason="New figures came in", by=coordinator)
        assert found.is_editable

    def test_a_sent_return_cannot_be_sent_twice(
        self, owed: Callable[..., PartnerReturn], partner_lead: User
    ) -> None:
        found = services.submit_return(partner_return=owed("ctlp"), by=partner_lead)
        with pytest.raises(services.ReturnError, match="cannot be sent again"):
            services.submit_return(partner_return=found, by=partner_lead)

    def test_every_step_is_in_the_history_with_who_and_why(
        self, owed: Callable[..., PartnerReturn], partner_lead: User, coordinator: User
    ) -> None:
        found = services.submit_return(partner_return=owed("ctlp"), by=partner_lead)
        services.send_back(partner_return=found, reason="Check Tamworth", by=coordinator)
        events = list(found.events.order_by("at", "pk").values_list("kind", "note"))
        assert events == [("owed", ""), ("submitted", ""), ("returned", "Check Tamworth")]


class TestReminders:
    def test_before_the_due_day_partner_leads_are_told_when_it_is_due(
        self, open_window: Callable[..., ReturnWindow], partner_lead: User
    ) -> None:
        window = open_window("training")
        sent = services.send_reminders(
            window=window, site_url="http://testserver/", today=datetime.date(2019, 1, 7)
        )
        assert len(sent.reminded) == 1
        assert mail.outbox[0].to == [partner_lead.email]
        assert mail.outbox[0].subject.startswith("Due 14 January 2019")
        assert "/training/returns/" in mail.outbox[0].body

    def test_after_the_due_day_the_reminder_says_it_is_late(
        self, open_window: Callable[..., ReturnWindow], partner_lead: User
    ) -> None:
        window = open_window("ctlp")
        services.send_reminders(
            window=window, site_url="http://testserver/", today=datetime.date(2019, 1, 15)
        )
        assert mail.outbox[0].subject.startswith("Late:")
        assert ReturnEvent.objects.filter(kind="reminded", note="after the due day").exists()

    def test_organisations_that_have_sent_their_return_are_not_reminded(
        self, owed: Callable[..., PartnerReturn], partner_lead: User
    ) -> None:
        found = services.submit_return(partner_return=owed("ctlp"), by=partner_lead)
        sent = services.send_reminders(window=found.window, site_url="http://testserver/")
        assert sent.reminded == [] and sent.not_reminded == []
        assert mail.outbox == []

    def test_an_organisation_with_no_partner_lead_is_named_as_not_reminded(
        self, open_window: Callable[..., ReturnWindow], partner_lead: User, county: Area
    ) -> None:
        leaderless = Organisation.objects.create(name="Quiet District Council", area=county)
        window = open_window("ctlp")
        services.add_organisations(window=window, organisations=[leaderless])
        sent = services.send_reminders(window=window, site_url="http://testserver/")
        assert [str(o) for o in sent.reminded] == [str(partner_lead.organisation)]
        assert sent.not_reminded == [leaderless]
        assert len(mail.outbox) == 1

    def test_send_reminders_runs_in_the_task_worker_and_its_page_names_who_was_not_reminded(
        self,
        open_window: Callable[..., ReturnWindow],
        partner_lead: User,
        coordinator: User,
        client_as: Callable[[User], Client],
        county: Area,
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        leaderless = Organisation.objects.create(name="Quiet District Council", area=county)
        window = open_window("ctlp")
        services.add_organisations(window=window, organisations=[leaderless])
        client = client_as(coordinator)
        with django_capture_on_commit_callbacks(execute=False) as queued:
            answer = client.post(reverse("returns:window_remind", args=[window.pk]))
        assert mail.outbox == []
        waiting = client.get(answer.url).content.decode()
        assert "Sending reminders" in waiting
        for callback in queued:
            callback()
        page = client.get(answer.url).content.decode()
        assert "Reminders sent" in page
        assert str(partner_lead.organisation) in page
        assert "1 organisation owing this return was not reminded." in page
        assert "Quiet District Council" in page
        assert "It has no partner lead with an account." in page
        assert "invite a partner lead" in page
        assert len(mail.outbox) == 1
        window_page = client.get(reverse("returns:window", args=[window.pk])).content.decode()
        assert "1 organisation reminded, 1 not" in window_page

    def test_a_run_the_worker_takes_twice_sends_nobody_a_second_email(
        self,
        open_window: Callable[..., ReturnWindow],
        partner_lead: User,
        coordinator: User,
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        from preventhub.returns import tasks

        window = open_window("ctlp")
        with django_capture_on_commit_callbacks(execute=True):
            run = services.queue_reminders(
                window=window, by=coordinator, site_url="http://testserver/"
            )
        tasks.send_reminders(run_id=run.pk)
        assert len(mail.outbox) == 1

    def test_a_failing_mail_service_stops_the_run_and_says_so(
        self,
        open_window: Callable[..., ReturnWindow],
        partner_lead: User,
        coordinator: User,
        monkeypatch: Any,
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        def fails(*args: object, **kwargs: object) -> int:
            raise ConnectionRefusedError("mail server down")

        monkeypatch.setattr(services, "send_mail", fails)
        window = open_window("ctlp")
        with django_capture_on_commit_callbacks(execute=True):
            run = services.queue_reminders(
                window=window, by=coordinator, site_url="http://testserver/"
            )
        run.refresh_from_db()
        assert run.status == "failed"
        assert "Sending stopped" in run.problems
        assert not ReturnEvent.objects.filter(kind="reminded").exists()

    def test_a_mail_service_failing_part_way_leaves_each_reminder_sent_recorded_and_listed(
        self,
        open_window: Callable[..., ReturnWindow],
        partner_lead: User,
        coordinator: User,
        make_user: Callable[..., User],
        county: Area,
        monkeypatch: Any,
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        second = Organisation.objects.create(name="Second District Council", area=county)
        lead = make_user(Role.PARTNER_LEAD)
        lead.organisation = second
        lead.save(update_fields=["organisation"])
        window = open_window("ctlp", 3, second)
        delivered: list[str] = []

        def fails_at_the_second(subject: str, body: str, sender: object, to: list[str]) -> int:
            if delivered:
                raise ConnectionRefusedError("mail server down")
            delivered.extend(to)
            return 1

        monkeypatch.setattr(services, "send_mail", fails_at_the_second)
        with django_capture_on_commit_callbacks(execute=True):
            run = services.queue_reminders(
                window=window, by=coordinator, site_url="http://testserver/"
            )
        run.refresh_from_db()
        first = PartnerReturn.objects.get(window=window, events__kind="reminded")
        its_lead = partner_lead if first.organisation == partner_lead.organisation else lead
        assert delivered == [its_lead.email]
        assert run.status == "failed"
        assert run.reminded == [str(first.organisation)]
        assert "The organisations listed were reminded" in run.problems
        assert ReturnEvent.objects.filter(kind="reminded").count() == 1

    def test_a_run_whose_worker_stopped_says_so_and_is_ended_when_asked_again(
        self,
        open_window: Callable[..., ReturnWindow],
        partner_lead: User,
        coordinator: User,
        client_as: Callable[[User], Client],
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        from django.utils import timezone

        from preventhub.returns.models import ReminderRun

        window = open_window("ctlp")
        run = ReminderRun.objects.create(
            window=window,
            requested_by=coordinator,
            site_url="http://testserver/",
            heartbeat_at=timezone.now() - datetime.timedelta(minutes=11),
        )
        page = client_as(coordinator).get(reverse("returns:reminder_run", args=[run.pk]))
        assert "Reminders stopped" in page.content.decode()
        assert "the task worker sending the reminders stopped" in page.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            again = services.queue_reminders(
                window=window, by=coordinator, site_url="http://testserver/"
            )
        run.refresh_from_db()
        assert run.status == "failed"
        again.refresh_from_db()
        assert (again.status, again.heartbeat_at is not None) == ("sent", True)

    @pytest.mark.parametrize(
        ("today", "due"),
        [("2019-01-07", True), ("2019-01-08", False), ("2019-01-13", True), ("2019-01-15", True)],
    )
    def test_the_daily_command_reminds_a_week_and_a_day_before_and_weekly_after(
        self, open_window: Callable[..., ReturnWindow], today: str, due: bool
    ) -> None:
        window = open_window("ctlp")
        day = datetime.date.fromisoformat(today)
        assert queries.reminders_due_today(window, day) is due

    def test_the_command_sends_the_reminders_due_today(
        self, open_window: Callable[..., ReturnWindow], partner_lead: User
    ) -> None:
        from django.core.management import call_command

        open_window("ctlp")
        with time_machine.travel(_at("2019-01-13"), tick=False):
            call_command("send_return_reminders", "--site-url", "http://testserver/")
        assert len(mail.outbox) == 1


class TestTheHomePage:
    def test_a_partner_lead_sees_the_returns_their_organisation_owes(
        self,
        owed: Callable[..., PartnerReturn],
        partner_lead: User,
        client_as: Callable[[User], Client],
    ) -> None:
        found = owed("ctlp")
        with time_machine.travel(_at("2019-01-20"), tick=False):
            page = client_as(partner_lead).get(reverse("core:home")).content.decode()
        assert "Returns due" in page
        assert "Local profile data return for 2018/19 Q3" in page
        assert "From Shire Health Trust, due by 14 January 2019." in page
        assert reverse("localprofile:return", args=[found.pk]) in page
        assert "Late" in page

    def test_a_sent_return_is_no_longer_due(
        self,
        owed: Callable[..., PartnerReturn],
        partner_lead: User,
        client_as: Callable[[User], Client],
    ) -> None:
        services.submit_return(partner_return=owed("ctlp"), by=partner_lead)
        page = client_as(partner_lead).get(reverse("core:home")).content.decode()
        assert "Returns due" not in page


class TestThePages:
    def test_the_coordinator_opens_a_window_through_the_form(
        self,
        quarters: dict,
        partner: Organisation,
        coordinator: User,
        client_as: Callable[[User], Client],
    ) -> None:
        response = client_as(coordinator).post(
            reverse("returns:window_new"),
            {
                "period": quarters[4].pk,
                "kind": "training",
                "due_on": "2019-04-14",
                "organisations": [partner.pk],
            },
        )
        window = ReturnWindow.objects.get()
        assert response.status_code == 302
        assert window.returns.get().organisation == partner

    def test_the_coordinator_returns_a_return_for_correction_with_a_reason(
        self,
        owed: Callable[..., PartnerReturn],
        partner_lead: User,
        coordinator: User,
        client_as: Callable[[User], Client],
    ) -> None:
        found = services.submit_return(partner_return=owed("training"), by=partner_lead)
        client_as(coordinator).post(
            reverse("returns:return_send_back", args=[found.pk]),
            {"reason": "Add Q3 sessions", "version": found.version},
        )
        found.refresh_from_db()
        assert found.status == ReturnStatus.RETURNED
        page = client_as(partner_lead).get(reverse("training:return", args=[found.pk]))
        assert "Add Q3 sessions" in page.content.decode()

    def test_a_partner_lead_cannot_open_another_organisations_return(
        self,
        open_window: Callable[..., ReturnWindow],
        make_user: Callable[..., User],
        client_as: Callable[[User], Client],
    ) -> None:
        from preventhub.core.roles import Role

        stranger = make_user(Role.PARTNER_LEAD)  # works for the test county council
        found = open_window("ctlp").returns.get()
        response = client_as(stranger).get(reverse("localprofile:return", args=[found.pk]))
        assert response.status_code == 403


class TestAButtonPressedOnAPageOpenedEarlier:
    """Send, accept, return and re-open carry the version of the page they were pressed on: a
    page opened before someone else's change moves nothing."""

    def test_accept_pressed_before_a_correction_was_sent_accepts_nothing(
        self,
        owed: Callable[..., PartnerReturn],
        partner_lead: User,
        coordinator: User,
        client_as: Callable[[User], Client],
    ) -> None:
        found = services.submit_return(partner_return=owed("training"), by=partner_lead)
        seen = found.version
        services.send_back(partner_return=found, reason="Add Q3 sessions", by=coordinator)
        services.submit_return(partner_return=found, by=partner_lead)
        client = client_as(coordinator)
        response = client.post(
            reverse("returns:return_accept", args=[found.pk]), {"version": seen}, follow=True
        )
        assert "changed by someone else" in response.content.decode()
        found.refresh_from_db()
        assert found.status == ReturnStatus.SUBMITTED

    def test_accept_pressed_on_the_current_page_accepts(
        self,
        owed: Callable[..., PartnerReturn],
        partner_lead: User,
        coordinator: User,
        client_as: Callable[[User], Client],
    ) -> None:
        found = services.submit_return(partner_return=owed("training"), by=partner_lead)
        page = client_as(coordinator).get(reverse("training:return", args=[found.pk]))
        assert f'name="version" value="{found.version}"' in page.content.decode()
        client_as(coordinator).post(
            reverse("returns:return_accept", args=[found.pk]), {"version": found.version}
        )
        found.refresh_from_db()
        assert found.status == ReturnStatus.ACCEPTED

    def test_a_button_without_its_version_moves_nothing_and_says_why(
        self,
        owed: Callable[..., PartnerReturn],
        partner_lead: User,
        coordinator: User,
        client_as: Callable[[User], Client],
    ) -> None:
        found = services.submit_return(partner_return=owed("training"), by=partner_lead)
        response = client_as(coordinator).post(
            reverse("returns:return_accept", args=[found.pk]), follow=True
        )
        assert "This page is out of date" in response.content.decode()
        found.refresh_from_db()
        assert found.status == ReturnStatus.SUBMITTED

    def test_a_reason_form_opened_before_the_return_was_re_sent_returns_nothing(
        self,
        owed: Callable[..., PartnerReturn],
        partner_lead: User,
        coordinator: User,
        client_as: Callable[[User], Client],
    ) -> None:
        found = services.submit_return(partner_return=owed("training"), by=partner_lead)
        seen = found.version
        form = client_as(coordinator).get(reverse("returns:return_send_back", args=[found.pk]))
        assert f'name="version" value="{seen}"' in form.content.decode()
        services.reopen(partner_return=found, reason="One more figure", by=coordinator)
        services.submit_return(partner_return=found, by=partner_lead)
        response = client_as(coordinator).post(
            reverse("returns:return_send_back", args=[found.pk]),
            {"reason": "About the first version", "version": seen},
        )
        assert "changed by someone else" in response.content.decode()
        assert not ReturnEvent.objects.filter(note="About the first version").exists()


class TestAnUploadInItsHistory:
    def test_an_upload_is_a_line_of_the_returns_history_with_who_and_what(
        self, owed: Callable[..., PartnerReturn], partner_lead: User
    ) -> None:
        partner_return = owed("ctlp")
        services.record_upload(partner_return=partner_return, by=partner_lead, note="12 figures")
        event = partner_return.events.get(kind=ReturnEvent.Kind.UPLOADED)
        assert (event.by, event.note) == (partner_lead, "12 figures")
        assert queries.history(partner_return)[0] == event
