"""The education lead's audit pages: the figures they show, the files they take and give."""

from __future__ import annotations

import csv
import datetime
import io

import openpyxl
import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from preventhub.audits import queries
from preventhub.audits.models import (
    ActionPlanItem,
    AuditRound,
    Question,
    ReminderRun,
    Response,
    RoundSchool,
)
from preventhub.core.models import AuditEvent
from preventhub.core.roles import Role
from preventhub.schools.models import Establishment

from .audit_world import make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(client_for) -> Client:
    return client_for(Role.EDUCATION_LEAD)


def text_of(response) -> str:
    return " ".join(response.content.decode().split())


def test_the_dashboard_shows_every_headline_with_its_count(answered_round, lead) -> None:
    page = text_of(lead.get(reverse("audits:round", args=[answered_round.pk])))
    assert 'Completed the survey</th> <td class="govuk-table__cell">8 of 10 (80%)' in page
    assert "6 of 10 (60%)" in page
    assert "4 of 6 (67%)" in page
    assert "<svg" in page and 'role="img"' in page
    assert "Schools by district and where they stand" in page


def test_the_rounds_list_counts_each_rounds_questions_and_responses_on_their_own(
    answered_round, lead
) -> None:
    questions = answered_round.questions.count()
    empty = make_round("2019", datetime.date(2019, 9, 1))
    RoundSchool.objects.filter(round=empty).delete()
    empty.questions.all().delete()

    rows = [
        " ".join(row.split())
        for row in lead.get(reverse("audits:rounds")).content.decode().split("<tr")[2:]
    ]

    # The latest first; a round's questions do not multiply its schools, nor its schools its
    # questions; a round with neither shows noughts.
    assert "2019" in rows[0] and '"govuk-table__cell govuk-table__cell--numeric">0<' in rows[0]
    assert ">0 of 0<" in rows[0]
    assert questions > 1 and f'--numeric">{questions}<' in rows[1]
    assert ">8 of 10<" in rows[1]


def test_the_coordinator_reads_the_results_but_cannot_change_the_round(
    answered_round, client_for
) -> None:
    coordinator = client_for(Role.COORDINATOR)
    page = text_of(coordinator.get(reverse("audits:round", args=[answered_round.pk])))
    assert "8 of 10 (80%)" in page
    assert "Import responses" not in page
    assert (
        coordinator.get(reverse("audits:round_edit", args=[answered_round.pk])).status_code == 403
    )


def test_the_dashboard_compares_with_the_previous_round(answered_round, lead) -> None:
    later = make_round("2019", datetime.date(2019, 9, 1))
    page = text_of(lead.get(reverse("audits:round", args=[later.pk])))
    assert "Compared with 2018" in page
    assert "0 of 10 (0%)" in page and "8 of 10 (80%)" in page


def test_the_schools_export_holds_each_school_with_its_standing_and_answers(
    answered_round, lead
) -> None:
    response = lead.get(reverse("audits:round_export", args=[answered_round.pk, "schools", "csv"]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_urn = {row["URN"]: row for row in rows}
    assert len(rows) == 10
    assert by_urn["900005"]["Standing"] == "Actioned all requirements"
    assert by_urn["900005"]["Answered by"] == "Return of School 4 (900004)"
    assert by_urn["900005"]["P2"] == "Met"
    assert by_urn["900002"]["Standing"] == "Could not confirm"
    assert by_urn["900010"]["Standing"] == "No response"
    assert AuditEvent.objects.filter(action="export").exists()


def test_the_summary_export_agrees_with_the_page(answered_round, lead) -> None:
    response = lead.get(reverse("audits:round_export", args=[answered_round.pk, "summary", "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][:10] == ["All schools", "", "10", "8", "80", "6", "60", "4", "1", "1"]
    assert ["District", "Tamworth", "5", "3", "60", "1", "20", "1", "0", "0"] in rows
    xlsx = lead.get(reverse("audits:round_export", args=[answered_round.pk, "summary", "xlsx"]))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_download_in_no_format_there_is_is_not_found_and_not_recorded(
    answered_round, lead
) -> None:
    exports = AuditEvent.objects.filter(action="export")
    before = exports.count()
    for address in ("summary.pdf", "schools.exe", "anything.csv", "summary.csv.xlsx"):
        response = lead.get(f"/schools/audits/{answered_round.pk}/export/{address}")
        assert response.status_code == 404, address
    assert exports.count() == before


def test_the_breakdown_and_question_pages_show_the_same_counts(answered_round, lead) -> None:
    page = text_of(lead.get(reverse("audits:round_breakdown", args=[answered_round.pk])))
    assert "Peak Learning Trust" in page
    question = text_of(lead.get(reverse("audits:question", args=[answered_round.pk, "PAR"])))
    assert "6 schools answered it" in question
    assert (
        'Yes</th><td class="govuk-table__cell govuk-table__cell--numeric">5</td>'
        in question.replace("> <", "><")
    )


def _remind(lead: Client, audit_round: AuditRound, places: list[RoundSchool], capture) -> str:
    """Send reminders to ``places`` from the non-responders page, the task running as the
    request's transaction commits; the text of the run's page it leads to. Values no page
    sends ride along, and are ignored."""
    with capture(execute=True):
        response = lead.post(
            reverse("audits:non_responders_remind", args=[audit_round.pk]),
            {"place": [*(str(p.pk) for p in places), "²", "9" * 25]},
        )
    assert response.status_code == 302
    run = ReminderRun.objects.get(round=audit_round)
    assert response["Location"] == reverse("audits:reminder_run", args=[audit_round.pk, run.pk])
    return text_of(lead.get(response["Location"]))


def test_non_responders_are_listed_and_reminded_with_a_new_link(
    answered_round, lead, django_capture_on_commit_callbacks
) -> None:
    Establishment.objects.filter(urn=900010).update(contact_email="dsl@school10.example")
    page = text_of(lead.get(reverse("audits:non_responders", args=[answered_round.pk])))
    assert "4 schools to follow up" in page
    assert "Trust or federation return without Prevent answers" in page
    places = RoundSchool.objects.filter(
        round=answered_round, establishment__urn__in=[900009, 900010]
    )
    page = _remind(lead, answered_round, list(places), django_capture_on_commit_callbacks)
    assert "Reminders sent" in page
    assert "1 school of the 2 chosen, each with a new link" in page
    assert "No e-mail address" in page and "School 9" in page
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dsl@school10.example"]
    assert "/school-audit/?link=" in mail.outbox[0].body
    assert RoundSchool.objects.get(round=answered_round, establishment__urn=900010).reminded_at
    # The non-responders page leads back to what was sent.
    page = text_of(lead.get(reverse("audits:non_responders", args=[answered_round.pk])))
    assert "Latest reminders: sent" in page


def test_reminders_are_sent_by_the_task_worker_not_in_the_request(answered_round, lead) -> None:
    Establishment.objects.filter(urn=900010).update(contact_email="dsl@school10.example")
    place = RoundSchool.objects.get(round=answered_round, establishment__urn=900010)
    response = lead.post(
        reverse("audits:non_responders_remind", args=[answered_round.pk]), {"place": [place.pk]}
    )
    # The request's transaction has not committed (the test holds it), so nothing is sent yet.
    assert not mail.outbox
    page = text_of(lead.get(response["Location"]))
    assert "Sending reminders" in page
    assert "you can leave this page and come back" in page
    assert ReminderRun.objects.get().places == [place.pk]


def test_a_reminder_the_mail_service_fails_to_send_is_named_with_the_right_fix(
    answered_round, lead, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    from preventhub.audits import services

    Establishment.objects.filter(urn=900010).update(contact_email="dsl@school10.example")

    def fails(*args: object, **kwargs: object) -> int:
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(services, "send_mail", fails)
    place = RoundSchool.objects.get(round=answered_round, establishment__urn=900010)
    page = _remind(lead, answered_round, [place], django_capture_on_commit_callbacks)
    assert "No school was reminded, of the 1 chosen." in page
    assert "Not delivered" in page and "School 10" in page
    assert "the e-mail service failed. Their earlier link no longer works" in page
    assert "No e-mail address" not in page


def test_a_run_stopped_by_a_fault_says_whom_it_reached_and_their_links_work(
    answered_round, lead, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    from preventhub.audits import services

    Establishment.objects.filter(urn__in=[900009, 900010]).update(
        contact_email="dsl@school.example"
    )
    places = list(
        RoundSchool.objects.filter(
            round=answered_round, establishment__urn__in=[900009, 900010]
        ).order_by("pk")
    )
    issue_link = services.issue_link
    calls = []

    def second_one_breaks(**kwargs: object) -> object:
        calls.append(kwargs["place"])
        if len(calls) == 2:
            raise RuntimeError("a fault")
        return issue_link(**kwargs)

    monkeypatch.setattr(services, "issue_link", second_one_breaks)
    page = _remind(lead, answered_round, places, django_capture_on_commit_callbacks)
    assert "Reminders stopped" in page
    assert "The reminders counted were sent, each with a new link that works" in page
    assert "1 school of the 2 chosen" in page
    first, second = (RoundSchool.objects.get(pk=p.pk) for p in places)
    assert first.link_token_digest and first.reminded_at
    assert not second.link_token_digest and second.reminded_at is None
    assert len(mail.outbox) == 1


def test_a_school_without_an_address_keeps_its_link_and_is_named(
    answered_round, lead, django_capture_on_commit_callbacks
) -> None:
    place = RoundSchool.objects.get(round=answered_round, establishment__urn=900009)
    before = place.link_token_digest
    page = _remind(lead, answered_round, [place], django_capture_on_commit_callbacks)
    assert "No e-mail address" in page and "School 9" in page
    place.refresh_from_db()
    assert place.link_token_digest == before


def test_a_chosen_school_that_has_answered_since_is_named_not_skipped(
    answered_round, lead, django_capture_on_commit_callbacks
) -> None:
    answered = RoundSchool.objects.get(round=answered_round, establishment__urn=900001)
    page = _remind(lead, answered_round, [answered], django_capture_on_commit_callbacks)
    assert "Answered since" in page
    assert answered.establishment.name in page
    answered.refresh_from_db()
    assert answered.link_token_digest == ""


def test_reminding_every_school_listed_takes_them_all_from_every_page_of_the_district(
    answered_round, lead
) -> None:
    from preventhub.audits import stats

    listed = stats.non_responders(answered_round)
    assert len(listed) == 4
    remind = reverse("audits:non_responders_remind", args=[answered_round.pk])
    lead.post(remind, {"every": "1", "district": ""})
    assert ReminderRun.objects.get().places == sorted(item.place.pk for item in listed)
    # Of one district: only its schools (none of the four is in Stafford).
    ReminderRun.objects.all().delete()
    tamworth = [
        item.place.pk for item in listed if item.place.establishment.district.name == "Tamworth"
    ]
    assert tamworth
    lead.post(remind, {"every": "1", "district": "E07000199"})
    assert ReminderRun.objects.get().places == sorted(tamworth)
    response = lead.post(remind, {"every": "1", "district": "E07000197"}, follow=True)
    assert "Choose the schools to remind." in text_of(response)


def test_the_non_responders_are_listed_a_page_at_a_time(answered_round, lead) -> None:
    from preventhub.audits import stats

    every = [item.place.pk for item in stats.non_responders(answered_round)]
    pages = [stats.non_responders_page(answered_round, page_number=n, per_page=3) for n in (1, 2)]
    assert [len(page.object_list) for page in pages] == [3, 1]
    assert [item.place.pk for page in pages for item in page.object_list] == every
    assert pages[0].object_list[0].reason == stats.non_responders(answered_round)[0].reason
    page = reverse("audits:non_responders", args=[answered_round.pk])
    assert "Send reminders to all 4 schools listed" in text_of(lead.get(page))
    assert lead.get(page, {"page": "2"}).status_code == 404


def test_a_run_whose_worker_is_killed_part_way_keeps_what_it_sent_and_is_ended_as_stopped(
    answered_round, lead, monkeypatch, make_user
) -> None:
    from preventhub.audits import services, tasks
    from preventhub.core.models import REMINDERS_REPORT_EVERY, REMINDERS_STALE_AFTER

    Establishment.objects.filter(urn__in=[900009, 900010]).update(
        contact_email="dsl@school.example"
    )
    places = RoundSchool.objects.filter(
        round=answered_round, establishment__urn__in=[900009, 900010]
    )
    run = ReminderRun.objects.create(
        round=answered_round,
        places=sorted(p.pk for p in places),
        requested_by=make_user(Role.EDUCATION_LEAD),
        site_url="https://hub.example/",
    )
    issue_link = services.issue_link
    calls = []

    with time_machine.travel(timezone.now(), tick=False) as clock:

        def killed_at_the_second(**kwargs: object) -> object:
            calls.append(1)
            if len(calls) == 2:
                raise KeyboardInterrupt  # as a worker killed: nothing of the task's own runs after
            # The first e-mail takes as long as the run waits between its reports.
            clock.shift(REMINDERS_REPORT_EVERY)
            return issue_link(**kwargs)

        monkeypatch.setattr(services, "issue_link", killed_at_the_second)
        with pytest.raises(KeyboardInterrupt):
            tasks.send_reminders(run_id=run.pk)
    run.refresh_from_db()
    # Still "sending", with what it reported: one school reminded.
    assert (run.status, run.sent, run.is_stale) == ("queued", 1, False)
    page = reverse("audits:reminder_run", args=[answered_round.pk, run.pk])
    assert "Sending reminders" in text_of(lead.get(page))

    # Ten minutes on, nobody has heard of it: it has stopped, and says so before it is ended.
    ReminderRun.objects.filter(pk=run.pk).update(
        heartbeat_at=timezone.now() - REMINDERS_STALE_AFTER - datetime.timedelta(seconds=1)
    )
    shown = text_of(lead.get(page))
    assert "Reminders stopped" in shown
    assert "the task worker sending the reminders stopped" in shown
    assert "1 school of the 2 chosen" in shown
    # Asking for reminders again ends it as stopped, keeping what it sent.
    assert ReminderRun.fail_stale() == 1
    run.refresh_from_db()
    assert (run.status, run.sent) == ("failed", 1)
    assert "anyone already reminded is reminded again" in run.problems
    assert ReminderRun.fail_stale() == 0


def test_only_a_run_sending_and_not_heard_of_for_ten_minutes_is_stale(
    answered_round, make_user
) -> None:
    def run(status: str, minutes: int | None) -> ReminderRun:
        heard = None if minutes is None else timezone.now() - datetime.timedelta(minutes=minutes)
        return ReminderRun.objects.create(
            round=answered_round,
            requested_by=make_user(),
            site_url="https://hub.example/",
            status=status,
            heartbeat_at=heard,
        )

    stale, working, unstarted, sent = (
        run("queued", 11),
        run("queued", 2),
        run("queued", None),
        run("sent", 30),
    )
    assert [r.is_stale for r in (stale, working, unstarted, sent)] == [True, False, False, False]
    assert ReminderRun.fail_stale() == 1
    assert set(ReminderRun.objects.filter(status="failed")) == {stale}


def test_a_run_no_worker_has_taken_up_for_two_minutes_says_so_and_still_counts_as_sending(
    answered_round, lead, make_user
) -> None:
    from preventhub.core.models import waits_long_for_worker

    def run(asked_minutes_ago: int, *, heard_of: bool) -> ReminderRun:
        made = ReminderRun.objects.create(
            round=answered_round,
            requested_by=make_user(),
            site_url="https://hub.example/",
            heartbeat_at=timezone.now() if heard_of else None,
        )
        asked = timezone.now() - datetime.timedelta(minutes=asked_minutes_ago)
        ReminderRun.objects.filter(pk=made.pk).update(requested_at=asked)
        made.refresh_from_db()
        return made

    waiting, just_asked, taken_up = (
        run(3, heard_of=False),
        run(1, heard_of=False),
        run(3, heard_of=True),
    )
    assert [r.waits_long for r in (waiting, just_asked, taken_up)] == [True, False, False]
    assert [r.is_sending for r in (waiting, just_asked, taken_up)] == [True, True, True]
    assert not waits_long_for_worker(None, started=False)

    def page(found: ReminderRun) -> str:
        return text_of(lead.get(reverse("audits:reminder_run", args=[answered_round.pk, found.pk])))

    assert "The reminders have not started to be sent yet." in page(waiting)
    assert "manage.py db_worker" in page(waiting)
    for other in (just_asked, taken_up):
        assert "not started" not in page(other)
        assert "being sent in the background" in page(other)
    assert ReminderRun.fail_stale() == 0


def test_reminding_no_school_is_refused_on_the_list(answered_round, lead) -> None:
    response = lead.post(
        reverse("audits:non_responders_remind", args=[answered_round.pk]), {}, follow=True
    )
    assert "Choose the schools to remind." in text_of(response)
    assert not ReminderRun.objects.exists()


def test_a_run_is_shown_only_under_its_own_round(answered_round, lead, make_user) -> None:
    other = make_round("2019")
    run = ReminderRun.objects.create(
        round=answered_round, places=[], requested_by=make_user(), site_url="https://hub.example/"
    )
    assert lead.get(reverse("audits:reminder_run", args=[other.pk, run.pk])).status_code == 404


def test_a_runs_long_lists_show_their_first_schools_and_the_download_has_them_all(
    answered_round, lead, make_user
) -> None:
    from preventhub.audits.views import NAMES_SHOWN

    no_address = [f"School {number:03}" for number in range(NAMES_SHOWN + 50)]
    run = ReminderRun.objects.create(
        round=answered_round,
        places=list(range(NAMES_SHOWN + 51)),
        requested_by=make_user(),
        site_url="https://hub.example/",
        status=ReminderRun.Status.SENT,
        no_address=no_address,
        not_delivered=["Ash Grove Academy"],
    )
    page = text_of(lead.get(reverse("audits:reminder_run", args=[answered_round.pk, run.pk])))
    assert f"School {NAMES_SHOWN - 1:03}" in page
    assert f"School {NAMES_SHOWN:03}" not in page
    assert "And 50 more schools: the download below lists them all." in page
    assert "Ash Grove Academy" in page

    download = lead.get(
        reverse("audits:reminder_run_export", args=[answered_round.pk, run.pk, "csv"])
    )
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0] == ["School", "Not reminded because"]
    assert rows[1:] == [[name, "No e-mail address"] for name in no_address] + [
        ["Ash Grove Academy", "Not delivered"]
    ]
    exported = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert exported.changes == {"rows": NAMES_SHOWN + 51}


def test_a_runs_download_in_no_known_format_is_not_found_and_not_recorded(
    answered_round, lead, make_user
) -> None:
    run = ReminderRun.objects.create(
        round=answered_round, places=[], requested_by=make_user(), site_url="https://hub.example/"
    )
    path = reverse("audits:reminder_run_export", args=[answered_round.pk, run.pk, "csv"])
    assert lead.get(path.removesuffix(".csv") + ".pdf").status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_a_new_round_takes_the_default_scope_and_can_copy_the_questions(
    answered_round, lead
) -> None:
    response = lead.post(
        reverse("audits:round_new"),
        {
            "name": "2019",
            "kind": "annual",
            "opens_on": "2019-09-01",
            "closes_on": "2019-10-31",
            "copy_from": answered_round.pk,
        },
    )
    created = AuditRound.objects.get(name="2019")
    assert response.status_code == 302
    assert created.scope.count() == 10
    assert list(created.questions.values_list("code", flat=True)) == list(
        answered_round.questions.values_list("code", flat=True)
    )


def test_a_round_whose_close_is_before_its_opening_is_refused(lead, db) -> None:
    response = lead.post(
        reverse("audits:round_new"),
        {
            "name": "Backwards",
            "kind": "focused",
            "opens_on": "2019-09-01",
            "closes_on": "2019-08-01",
        },
    )
    assert "The closing date must be the same as or after the opening date" in text_of(response)
    assert not AuditRound.objects.filter(name="Backwards").exists()


def test_a_focused_survey_targets_chosen_schools(answered_round, lead) -> None:
    survey = AuditRound.objects.create(
        name="Online safety",
        kind="focused",
        opens_on=datetime.date(2019, 1, 1),
        closes_on=datetime.date(2019, 2, 1),
    )
    response = lead.post(
        reverse("audits:scope", args=[survey.pk]), {"urns": "900001, 900002\n424242"}
    )
    assert "424242 is not in the schools register" in text_of(response)
    assert survey.scope.count() == 0
    lead.post(reverse("audits:scope", args=[survey.pk]), {"urns": "900001 900002"})
    assert set(survey.scope.values_list("establishment__urn", flat=True)) == {900001, 900002}


def test_a_school_that_answered_stays_in_scope(answered_round, lead) -> None:
    answered = RoundSchool.objects.get(round=answered_round, establishment__urn=900001)
    response = lead.post(
        reverse("audits:scope_remove", args=[answered_round.pk, answered.pk]), follow=True
    )
    assert "has answered this round, so it stays in scope" in text_of(response)
    assert RoundSchool.objects.filter(pk=answered.pk).exists()
    unanswered = RoundSchool.objects.get(round=answered_round, establishment__urn=900010)
    lead.post(reverse("audits:scope_remove", args=[answered_round.pk, unanswered.pk]))
    assert not RoundSchool.objects.filter(pk=unanswered.pk).exists()


def test_an_upload_with_problems_lists_them_and_imports_nothing(answered_round, lead) -> None:
    survey = make_round("2019", datetime.date(2019, 9, 1))
    upload = SimpleUploadedFile("export.csv", b"URN,P1\n900001,Maybe\n777,Yes\n")
    page = text_of(
        lead.post(reverse("audits:responses_import", args=[survey.pk]), {"file": upload})
    )
    assert "Nothing was imported from export.csv" in page
    assert "Row 2, column P1: &quot;Maybe&quot; is not an answer" in page
    assert "Row 3, column URN: URN 777 is not in the schools register." in page
    assert not Response.objects.filter(round=survey).exists()
    good = SimpleUploadedFile("export.csv", b"URN,P1\n900001,Yes\n")
    response = lead.post(reverse("audits:responses_import", args=[survey.pk]), {"file": good})
    assert response.status_code == 302
    assert Response.objects.filter(round=survey).count() == 1


def test_questions_are_added_and_then_fixed_once_schools_answer(answered_round, lead) -> None:
    fresh = AuditRound.objects.create(
        name="Spring",
        kind="focused",
        opens_on=datetime.date(2019, 3, 1),
        closes_on=datetime.date(2019, 4, 1),
    )
    lead.post(
        reverse("audits:question_new", args=[fresh.pk]),
        {
            "code": "Q1",
            "section": "Online",
            "text": "Filtering?",
            "scale": "yes_no",
            "requirement": "on",
            "required": "on",
        },
    )
    assert fresh.questions.get().code == "Q1"
    answered = answered_round.questions.get(code="P1")
    response = lead.post(
        reverse("audits:question_edit", args=[answered.pk]),
        {
            "code": "P1",
            "section": "Prevent",
            "text": "Reworded?",
            "scale": "yes_no",
            "prevent": "on",
            "requirement": "on",
            "required": "on",
            "version": answered.version,
        },
    )
    assert "its code, scale and whether it is a Prevent question" in text_of(response)
    answered.refresh_from_db()
    assert answered.scale == "yes_no_partly"


def test_a_concurrent_change_to_a_question_is_refused(answered_round, lead) -> None:
    question = answered_round.questions.get(code="NOTE")
    data = {
        "code": "NOTE",
        "section": "Other",
        "text": "First",
        "scale": "text",
        "version": question.version,
    }
    lead.post(reverse("audits:question_edit", args=[question.pk]), data)
    response = lead.post(
        reverse("audits:question_edit", args=[question.pk]), {**data, "text": "Second"}
    )
    assert "changed by someone else" in text_of(response)
    assert Question.objects.get(pk=question.pk).text == "First"


def test_action_plans_are_tracked_across_schools(answered_round, lead) -> None:
    page = text_of(lead.get(reverse("audits:action_plans", args=[answered_round.pk])))
    assert "0 of 4 schools with an action plan have done every item" in page
    done = text_of(
        lead.get(reverse("audits:action_plans", args=[answered_round.pk]) + "?status=done")
    )
    assert "No items." in done


@time_machine.travel(datetime.datetime(2027, 2, 1, 12, tzinfo=datetime.UTC), tick=False)
def test_the_action_plans_figures_count_each_status_the_overdue_and_the_schools(
    answered_round,
) -> None:
    question = answered_round.questions.filter(requirement=True).first()
    others = answered_round.questions.exclude(pk=question.pk)
    ActionPlanItem.objects.filter(place__round=answered_round).delete()
    first, second, third = _more_schools_in_scope(answered_round, 3)
    status = ActionPlanItem.Status
    made = [
        # (school, question, status, due): overdue only if not done and due before today
        (first, question, status.OPEN, datetime.date(2027, 1, 1)),  # overdue
        (first, others[0], status.DONE, datetime.date(2027, 1, 1)),  # done: never overdue
        (second, question, status.DONE, datetime.date(2027, 3, 1)),
        (second, others[0], status.DONE, datetime.date(2027, 1, 1)),
        (third, question, status.IN_PROGRESS, datetime.date(2027, 1, 31)),  # overdue
        (third, others[0], status.IN_PROGRESS, datetime.date(2027, 2, 1)),  # due today
    ]
    ActionPlanItem.objects.bulk_create(
        ActionPlanItem(place=place, question=asked, answer="No", action="Act.", status=state,
                       due_on=due)
        for place, asked, state, due in made
    )  # fmt: skip

    tracking = queries.action_plan_tracking(answered_round, status="", page_number=None)
    in_progress = queries.action_plan_tracking(
        answered_round, status=status.IN_PROGRESS, page_number="9", per_page=1
    )
    not_a_number = queries.action_plan_tracking(
        answered_round, status="", page_number="two", per_page=4
    )

    assert {row.label: row.count for row in tracking.by_status} == {
        status.OPEN.label: 1,
        status.IN_PROGRESS.label: 2,
        status.DONE.label: 3,
    }
    assert tracking.overdue == 2
    assert (tracking.schools_with_items, tracking.schools_done) == (3, 1)
    assert tracking.items.paginator.count == 6 and len(tracking.items) == 6
    # A page past the end is the last, of the items of the status chosen only.
    assert (in_progress.items.number, in_progress.items.paginator.num_pages) == (2, 2)
    assert [item.due_on for item in in_progress.items] == [datetime.date(2027, 2, 1)]
    assert not_a_number.items.number == 1 and len(not_a_number.items) == 4


def test_the_lead_sees_a_schools_feedback_and_action_plan_and_its_pdf(answered_round, lead) -> None:
    place = RoundSchool.objects.get(round=answered_round, establishment__urn=900003)
    page = text_of(lead.get(reverse("audits:school_feedback", args=[answered_round.pk, place.pk])))
    assert "School 3" in page and "What needs attention" in page
    assert "Assess the risk." in page  # its action plan item for P1
    pdf = lead.get(reverse("audits:school_feedback_pdf", args=[answered_round.pk, place.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "School 3" in text and "Partly" in text


def test_a_school_without_answers_has_no_pdf_yet(answered_round, lead) -> None:
    place = RoundSchool.objects.get(round=answered_round, establishment__urn=900010)
    response = lead.get(reverse("audits:school_feedback_pdf", args=[answered_round.pk, place.pk]))
    assert response.status_code == 302
    assert "There are no results yet" in text_of(lead.get(response["Location"]))


@pytest.mark.parametrize(
    "number", [0, 987654, 2**63, 10**30], ids=["zero", "none", "huge", "beyond"]
)
@pytest.mark.parametrize("page", ["audits:round", "audits:round_edit"])
def test_an_address_naming_no_round_is_not_found(answered_round, lead, page, number) -> None:
    response = lead.get(reverse(page, args=[number]))

    assert response.status_code == 404
    assert lead.get(reverse(page, args=[answered_round.pk])).status_code == 200


def test_a_place_of_another_round_is_not_found(answered_round, lead) -> None:
    other = make_round("2019", datetime.date(2019, 9, 1))
    place = RoundSchool.objects.get(round=answered_round, establishment__urn=900001)
    url = reverse("audits:school_feedback", args=[other.pk, place.pk])
    assert lead.get(url).status_code == 404


@pytest.mark.parametrize(
    ("page", "content"),
    [
        (
            "audits:questions_import",
            b"code,section,text,scale,prevent,requirement,required\nQ1,S,Caf\x81,yes_no,no,no,no\n",
        ),
        ("audits:responses_import", b"URN,P1\n900001,Y\x81s\n"),
    ],
)
def test_a_csv_with_a_byte_that_is_not_text_is_refused_on_the_page_naming_row_and_column(
    answered_round, lead, page: str, content: bytes
) -> None:
    survey = make_round("2019", datetime.date(2019, 9, 1))
    questions = list(survey.questions.values_list("code", flat=True))
    response = lead.post(
        reverse(page, args=[survey.pk]), {"file": SimpleUploadedFile("file.csv", content)}
    )
    assert response.status_code == 200
    assert "Nothing was imported from file.csv" in text_of(response)
    assert "byte 0x81 is neither UTF-8 nor Windows-1252 text" in text_of(response)
    assert "Row 2, column" in text_of(response)
    assert list(survey.questions.values_list("code", flat=True)) == questions
    assert not Response.objects.filter(round=survey).exists()


def test_a_file_over_the_upload_limit_is_refused_before_it_is_read(answered_round, lead) -> None:
    survey = make_round("2019", datetime.date(2019, 9, 1))
    upload = SimpleUploadedFile("export.csv", b"URN,P1\n" + b"900001,Yes\n" * 100_000)
    page = reverse("audits:responses_import", args=[survey.pk])
    with override_settings(PREVENTHUB_UPLOAD_MAX_MB=1):
        response = lead.post(page, {"file": upload})
    assert response.status_code == 200
    assert "The file is larger than 1 MB" in text_of(response)
    assert not Response.objects.filter(round=survey).exists()


def test_a_question_code_that_looks_like_a_formula_is_neutralised_in_the_export_header(
    answered_round, lead
) -> None:
    Question.objects.filter(round=answered_round, code="NOTE").update(code="=1+2")
    csv_text = lead.get(
        reverse("audits:round_export", args=[answered_round.pk, "schools", "csv"])
    ).content.decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(csv_text)))[-1] == "'=1+2"
    xlsx = lead.get(reverse("audits:round_export", args=[answered_round.pk, "schools", "xlsx"]))
    header = next(openpyxl.load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(max_row=1))
    assert (header[-1].value, header[-1].data_type) == ("'=1+2", "s")


def _more_schools_in_scope(audit_round: AuditRound, how_many: int) -> list[RoundSchool]:
    schools = Establishment.objects.bulk_create(
        Establishment(urn=950_000 + n, name=f"Paged School {n:03}", la_code="860", status="open")
        for n in range(how_many)
    )
    return RoundSchool.objects.bulk_create(
        RoundSchool(round=audit_round, establishment=school) for school in schools
    )


class TestLongListsArePaged:
    def test_the_scope_runs_a_hundred_schools_a_page_with_numbered_pages(
        self, answered_round, lead
    ) -> None:
        _more_schools_in_scope(answered_round, 120)
        url = reverse("audits:scope", args=[answered_round.pk])

        first = lead.get(url).content.decode()
        second = lead.get(url, {"page": 2}).content.decode()

        in_scope = RoundSchool.objects.filter(round=answered_round).count()
        assert f"Showing <b>1</b> to <b>100</b> of <b>{in_scope}</b> schools" in first
        assert 'aria-label="Pages of schools in scope"' in first
        assert 'href="?page=2" rel="next"' in first and 'rel="prev"' not in first
        assert f"Showing <b>101</b> to <b>{in_scope}</b> of <b>{in_scope}</b> schools" in second
        assert 'href="?page=1" rel="prev"' in second and 'aria-current="page">2<' in second

    def test_a_scope_page_that_is_not_one_shows_the_first_or_the_last(
        self, answered_round, lead
    ) -> None:
        _more_schools_in_scope(answered_round, 120)
        url = reverse("audits:scope", args=[answered_round.pk])
        in_scope = RoundSchool.objects.filter(round=answered_round).count()

        not_a_number = lead.get(url, {"page": "two"}).content.decode()
        past_the_end = lead.get(url, {"page": 99}).content.decode()

        assert f"Showing <b>1</b> to <b>100</b> of <b>{in_scope}</b> schools" in not_a_number
        assert f"Showing <b>101</b> to <b>{in_scope}</b> of <b>{in_scope}</b>" in past_the_end
        assert "Paged School 119" in past_the_end and "Paged School 000" not in past_the_end

    def test_the_scope_pages_hold_each_school_once_by_name_then_as_added(
        self, answered_round
    ) -> None:
        namesakes = Establishment.objects.bulk_create(
            Establishment(urn=960_000 + n, name="St Mary's Primary", la_code="860", status="open")
            for n in range(5)
        )
        RoundSchool.objects.bulk_create(
            RoundSchool(round=answered_round, establishment=school) for school in namesakes
        )
        # The first one added is written again, so that it is stored after the others.
        Establishment.objects.filter(pk=namesakes[0].pk).update(phase="Primary")

        pages = [
            [
                place.establishment_id
                for place in queries.scope_page(answered_round, str(n), per_page=2)
            ]
            for n in range(1, 9)
        ]

        listed = [school for page in pages for school in page]
        expected = list(
            RoundSchool.objects.filter(round=answered_round)
            .order_by("establishment__name", "establishment_id")
            .values_list("establishment_id", flat=True)
        )
        assert listed == expected
        namesake_ids = [school.pk for school in namesakes]
        assert [school for school in listed if school in namesake_ids] == namesake_ids

    def test_the_action_plans_pages_hold_each_item_once_when_schools_share_a_name(
        self, answered_round
    ) -> None:
        question = answered_round.questions.filter(requirement=True).first()
        namesakes = Establishment.objects.bulk_create(
            Establishment(urn=970_000 + n, name="St Mary's Primary", la_code="860", status="open")
            for n in range(4)
        )
        places = RoundSchool.objects.bulk_create(
            RoundSchool(round=answered_round, establishment=school) for school in namesakes
        )
        made = ActionPlanItem.objects.bulk_create(
            ActionPlanItem(place=place, question=question, answer="No", action="Assess the risk.",
                           due_on=datetime.date(2000, 1, 1))
            for place in places
        )  # fmt: skip
        ActionPlanItem.objects.filter(pk=made[0].pk).update(progress="Started")  # stored last

        first_pages = [
            queries.action_plan_tracking(answered_round, status="", page_number=str(n), per_page=1)
            .items[0]
            .pk
            for n in range(1, 5)
        ]

        assert first_pages == [item.pk for item in made]  # due first, then as added

    def test_the_action_plans_pages_keep_the_status_chosen(self, answered_round, lead) -> None:
        question = answered_round.questions.filter(requirement=True).first()
        places = _more_schools_in_scope(answered_round, 101)
        ActionPlanItem.objects.bulk_create(
            ActionPlanItem(
                place=place,
                question=question,
                answer="No",
                action="Assess the risk.",
                due_on=datetime.date(2027, 3, 31),
            )
            for place in places
        )
        url = reverse("audits:action_plans", args=[answered_round.pk])

        page = lead.get(url, {"status": "open"}).content.decode()

        assert 'href="?status=open&amp;page=2" rel="next"' in page
        assert "Showing <b>1</b> to <b>100</b> of" in page
