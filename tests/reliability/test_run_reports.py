"""A reminder run's reports as it sends: written every few seconds, not with every e-mail.

A report holds the lists of whom the run could not remind; written after each of a national
round's 22,000 e-mails, its writes grew with the square of the run (core.models.ReminderRun).
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from preventhub.audits.models import AuditRound, ReminderRun
from preventhub.core.models import REMINDERS_REPORT_EVERY
from preventhub.core.roles import Role

pytestmark = pytest.mark.django_db

MOMENT = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def run(make_user) -> ReminderRun:
    audit_round = AuditRound.objects.create(
        name="Autumn audit", opens_on=datetime.date(2026, 10, 1), closes_on=MOMENT.date()
    )
    return ReminderRun.objects.create(
        round=audit_round,
        requested_by=make_user(Role.EDUCATION_LEAD),
        site_url="http://testserver/",
        places=[],
    )


def _stored(run: ReminderRun) -> ReminderRun:
    return ReminderRun.objects.get(pk=run.pk)


def _updates(queries: CaptureQueriesContext) -> int:
    return sum(query["sql"].startswith("UPDATE") for query in queries.captured_queries)


def test_the_first_report_is_written_at_once(run: ReminderRun) -> None:
    with time_machine.travel(MOMENT, tick=False):
        run.heard_of()
    assert _stored(run).heartbeat_at == MOMENT


def test_a_report_soon_after_the_last_is_kept_on_the_run_and_written_with_the_next(
    run: ReminderRun,
) -> None:
    with time_machine.travel(MOMENT, tick=False) as clock:
        run.heard_of()
        clock.shift(REMINDERS_REPORT_EVERY - datetime.timedelta(milliseconds=1))
        run.heard_of(sent=1, no_address=["Cherry Tree Primary"])
        assert (run.sent, run.no_address) == (1, ["Cherry Tree Primary"])
        assert (_stored(run).sent, _stored(run).no_address) == (0, [])
        clock.shift(datetime.timedelta(milliseconds=1))
        run.heard_of(sent=2, no_address=["Cherry Tree Primary"])
    stored = _stored(run)
    assert (stored.sent, stored.no_address) == (2, ["Cherry Tree Primary"])
    assert stored.heartbeat_at == MOMENT + REMINDERS_REPORT_EVERY


def test_the_runs_last_save_writes_what_its_last_reports_kept(run: ReminderRun) -> None:
    with time_machine.travel(MOMENT, tick=False):
        run.heard_of()
        run.heard_of(sent=3, not_delivered=["Ash Grove Academy"])
        run.status = ReminderRun.Status.SENT
        run.finished_at = timezone.now()
        run.save()
    stored = _stored(run)
    assert (stored.status, stored.sent, stored.not_delivered) == (
        ReminderRun.Status.SENT,
        3,
        ["Ash Grove Academy"],
    )


def test_a_thousand_e_mails_in_ten_seconds_write_the_run_once_every_two_seconds(
    run: ReminderRun,
) -> None:
    no_address: list[str] = []
    with time_machine.travel(MOMENT, tick=False) as clock:
        run.heard_of()
        with CaptureQueriesContext(connection) as queries:
            for sent in range(1, 1001):
                clock.shift(datetime.timedelta(milliseconds=10))
                if sent % 3 == 0:
                    no_address.append(f"School {sent}")
                run.heard_of(sent=sent, no_address=no_address)
    assert _updates(queries) == 10 // REMINDERS_REPORT_EVERY.seconds
    assert _stored(run).sent == 1000
