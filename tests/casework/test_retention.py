"""Retention: closed records are destroyed when their date passes, leaving a tombstone."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from preventhub.casework import home, queries, services, stats
from preventhub.casework.models import CaseEvent, MatchKey, Referral, Triage
from preventhub.core.models import AuditEvent
from tests.casework.conftest import World
from tests.casework.test_encryption import raw_row

pytestmark = pytest.mark.django_db

AFTER_RETENTION = datetime.datetime(2032, 6, 1, 12, tzinfo=datetime.UTC)


@pytest.fixture
def closed(world: World, make_referral: Callable[..., Referral]) -> Referral:
    referral = make_referral("triaged")
    return services.route_referral(
        referral=referral,
        by=world.police,
        route="signposted",
        signposted_to="Youth service",
        reason="Better met elsewhere",
        on=datetime.date(2026, 1, 9),
        expected_version=referral.version,
    )


def purge(*args: str) -> str:
    out = StringIO()
    call_command("purge_expired_cases", *args, stdout=out)
    return out.getvalue()


def test_a_closed_record_gets_a_retention_date_from_the_setting(
    closed: Referral, settings: object
) -> None:
    assert closed.retain_until == datetime.date(2032, 1, 9)


def test_the_dry_run_lists_what_would_go_and_changes_nothing(closed: Referral) -> None:
    entries = AuditEvent.objects.count()
    with time_machine.travel(AFTER_RETENTION):
        output = purge("--dry-run")
    assert f"Would destroy {closed.reference}" in output
    assert Referral.objects.get(pk=closed.pk).full_name == "Jordan Example"
    assert AuditEvent.objects.count() == entries


def test_a_record_before_its_date_is_kept(closed: Referral) -> None:
    with time_machine.travel(datetime.datetime(2031, 12, 1, tzinfo=datetime.UTC)):
        assert "the personal data of 0 records" in purge()
    assert Referral.objects.get(pk=closed.pk).purged_on is None


def test_the_purge_destroys_personal_data_and_keeps_a_tombstone(
    closed: Referral, make_referral: Callable[..., Referral]
) -> None:
    still_open = make_referral(given="Taylor")
    with time_machine.travel(AFTER_RETENTION):
        output = purge()
    assert f"Destroyed {closed.reference}" in output
    tombstone = Referral.objects.get(pk=closed.pk)
    assert tombstone.purged_on == datetime.date(2032, 6, 1)
    assert tombstone.reference == closed.reference
    assert (tombstone.received_on, tombstone.closed_on, tombstone.route) == (
        datetime.date(2026, 1, 5),
        datetime.date(2026, 1, 9),
        "signposted",
    )
    assert tombstone.given_name == tombstone.concerns == tombstone.date_of_birth == ""
    assert tombstone.signposted_to == tombstone.referrer_name == ""
    assert all(value == "" for value in raw_row(tombstone).values())
    assert not Triage.objects.filter(referral=closed).exists()
    assert not MatchKey.objects.filter(referral=closed).exists()
    assert not CaseEvent.objects.filter(referral=closed).exists()
    assert Referral.objects.get(pk=still_open.pk).given_name == "Taylor"


def test_the_purge_is_logged(closed: Referral) -> None:
    with time_machine.travel(AFTER_RETENTION):
        purge()
    entry = AuditEvent.objects.filter(
        object_id=str(closed.pk), detail__startswith="Personal data destroyed"
    ).get()
    assert entry.actor_label == "manage.py purge_expired_cases"


def test_statistics_are_the_same_after_the_purge(
    closed: Referral, make_referral: Callable[..., Referral]
) -> None:
    for index in range(6):
        make_referral(given=f"Person{index}")
    arguments = {"date_from": datetime.date(2026, 1, 1), "date_to": datetime.date(2026, 12, 31)}
    before = {by: stats.counts(**arguments | {"by": by}) for by in stats.DIMENSIONS}
    assert dict(before["outcome"])["Signposted to other services"] == 1
    with time_machine.travel(AFTER_RETENTION):
        purge()
    after = {by: stats.counts(**arguments | {"by": by}) for by in stats.DIMENSIONS}
    assert before == after


def test_a_purged_record_is_gone_for_everyone(
    world: World, closed: Referral, signed_in: Callable
) -> None:
    with time_machine.travel(AFTER_RETENTION):
        purge()
        url = reverse("casework:referral", args=[closed.pk])
        assert signed_in(world.police).get(url).status_code == 404


class TestLegalHold:
    def test_a_held_record_is_not_destroyed(self, world: World, closed: Referral) -> None:
        services.set_legal_hold(referral=closed, hold=True, reason="Court order", by=world.police)
        assert closed.retain_until is None
        with time_machine.travel(AFTER_RETENTION):
            purge()
        assert Referral.objects.get(pk=closed.pk).purged_on is None

    def test_lifting_the_hold_restarts_the_clock(self, world: World, closed: Referral) -> None:
        services.set_legal_hold(referral=closed, hold=True, reason="Court order", by=world.police)
        with time_machine.travel(datetime.datetime(2033, 3, 1, 12, tzinfo=datetime.UTC)):
            services.set_legal_hold(referral=closed, hold=False, reason="", by=world.police)
        assert closed.retain_until == datetime.date(2033, 3, 2)

    def test_a_hold_needs_a_reason(self, world: World, closed: Referral) -> None:
        with pytest.raises(services.CaseworkError, match="reason"):
            services.set_legal_hold(referral=closed, hold=True, reason="", by=world.police)

    def test_the_dpo_places_a_hold_seeing_only_the_reference_and_dates(
        self, closed: Referral, client_for: Callable
    ) -> None:
        client = client_for("dpo")
        page = client.get(reverse("casework:retention")).content.decode()
        assert closed.reference in page and "Jordan" not in page
        response = client.post(
            reverse("casework:legal_hold", args=[closed.pk]),
            {"hold": "on", "reason": "Inquest"},
        )
        assert response.status_code == 302
        assert Referral.objects.get(pk=closed.pk).legal_hold


class TestTheDataProtectionOfficersPagesReadTheirIndexes:
    """Over ten years of referrals at national scale, each of these read every referral (12 to
    17 ms for 90,000) until their partial indexes (casework/0010). Each query's plan must use
    its index: on PostgreSQL with sequential scans discouraged, so that the plan shows the index
    can serve the query (its condition follows from the query's), whatever the statistics of
    a test's few rows."""

    @staticmethod
    def _plan(sql: str) -> str:
        """The plan of ``sql`` as it ran, its values in place (no parameters: no placeholders)."""
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute(f"EXPLAIN {sql}")
            else:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            return " ".join(str(row) for row in cursor.fetchall())

    def _plans_of(self, read: Callable[[], Any]) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            read()
        return [
            self._plan(query["sql"])
            for query in captured.captured_queries
            if "casework_referral" in query["sql"]
        ]

    def test_the_retention_list_reads_its_page_in_the_indexs_order(self, db: None) -> None:
        page = self._plans_of(lambda: list(queries.retention_rows()[:50]))
        assert len(page) == 1 and "casework_retention_order" in page[0]

    def test_the_home_page_counts_the_expired_and_the_held_through_the_indexes(
        self, world: World
    ) -> None:
        expired, held = self._plans_of(lambda: home._oversight(datetime.date(2026, 12, 8)))
        assert "casework_retention_order" in expired
        if connection.vendor == "sqlite":
            # SQLite keeps no statistics here and plans alike for 10 referrals or 90,000: given
            # the choice, it took the retention list's index and read every closed case.
            assert "casework_legal_hold" in held
        else:
            # PostgreSQL weighs both partial indexes by the table's statistics (with a few
            # held cases among 90,000, the held ones'): a test's handful of rows decide nothing
            # but that an index serves the count, not the table.
            assert "casework_legal_hold" in held or "casework_retention_order" in held
