"""Many people saving the same plan action's update, the same return and the same case at once:
each write lands or is refused as a conflict, and none is lost.

The writes run in threads, each with its own database connection, started together. On
PostgreSQL they race for real. SQLite's test database lives in memory, shared between the
threads' connections, where a second writer is refused at once ("database table is locked")
instead of waiting for the lock as writers do on a database file; there the threads take turns
through ``writer_turn``, standing in for SQLite's one-writer-at-a-time file lock, and each still
writes what it read before any of them wrote. The guarantees checked are the same. The last
test races separate processes instead, as gunicorn's workers would, on both databases with no
lock of the test's own: on SQLite, a database file with the service's own settings.
"""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client

from preventhub.audits import services as audit_services
from preventhub.audits.models import COUNT_FIELDS, AuditRound, Response
from preventhub.audits.scales import prevent_counts
from preventhub.casework.models import CaseEvent, Gender, Referral, Triage
from preventhub.casework.services import CaseworkError
from preventhub.core.audit import verify_chain
from preventhub.core.concurrency import ConcurrentEditError
from preventhub.core.models import AuditEvent
from preventhub.core.roles import Role
from preventhub.delivery import services as delivery
from preventhub.delivery.models import PlanAction, ProgressUpdate, Section
from preventhub.partnership import services as partnership
from preventhub.partnership.models import Organisation
from preventhub.returns import services as returns
from preventhub.returns.models import PartnerReturn, ReturnEvent, ReturnStatus

# The audit, casework and returns tests' own fixtures: the hand-checked audit round; a
# partnership with a police force and a Channel panel, referrals at any stage; a partner owing a
# return.
from tests.audits.audit_world import RESPONSES
from tests.audits.conftest import audit_round, registered_schools  # noqa: F401
from tests.casework.conftest import make_referral, world  # noqa: F401
from tests.conftest import sign_in
from tests.returns.fixtures import (  # noqa: F401
    framework,
    open_window,
    owed,
    partner,
    quarters,
    sectors,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WRITERS = 6
PROCESSES = 4  # each starts Django: a few seconds on a small machine
_sqlite_writer = threading.Lock()


@contextmanager
def writer_turn() -> Iterator[None]:
    with nullcontext() if connection.vendor == "postgresql" else _sqlite_writer:
        yield


def race(write: Callable[[int], Any], writers: int = WRITERS) -> list[Any]:
    """Run ``write(0)`` ... ``write(writers - 1)`` at once; what each returned or raised."""
    start = threading.Barrier(writers)
    outcomes: list[Any] = [None] * writers

    def run(number: int) -> None:
        try:
            start.wait(timeout=30)
            with writer_turn():
                outcomes[number] = write(number)
        except Exception as error:  # noqa: BLE001 - every outcome is checked by the test
            outcomes[number] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a writer never finished"
    return outcomes


def landed(outcomes: list[Any]) -> list[Any]:
    return [outcome for outcome in outcomes if not isinstance(outcome, Exception)]


def refused(outcomes: list[Any], *conflicts: type[Exception]) -> list[Exception]:
    """The refusals, after checking that each is a conflict and none a failure of another kind
    (a deadlock, a unique constraint, a locked database)."""
    errors = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    unexpected = [error for error in errors if not isinstance(error, conflicts)]
    assert not unexpected, f"writes failed, not refused as conflicts: {unexpected!r}"
    return errors


def entries_about(obj: Any, action: str) -> int:
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action
    ).count()


# ---- the same plan action ---------------------------------------------------------------------


@pytest.fixture
def sent_update(make_user: Callable[..., Any], organisation: Organisation) -> ProgressUpdate:
    plan = delivery.create_plan(title="Concurrency Plan")
    delivery.approve_plan(plan=plan, on=datetime.date(2026, 1, 5))
    action = delivery.save_action(
        plan=plan,
        section=Section.objects.get(plan=plan, code="SAF"),
        reference="SAF-01",
        title="Train every front-line worker",
        owner_organisation=organisation,
    )
    period = partnership.open_period(
        period=partnership.create_period(
            year=2026, quarter=3, updates_due_on=datetime.date(2099, 1, 14)
        )
    )
    return delivery.submit_update(
        action=action,
        period=period,
        status="on_track",
        narrative="First draft",
        by=make_user(Role.PARTNER_LEAD),
    )


def _correct(update: ProgressUpdate, number: int, version: int) -> ProgressUpdate:
    return delivery.submit_update(
        action=update.action,
        period=update.period,
        status="at_risk" if number % 2 else "off_track",
        narrative=f"Correction {number}",
        by=update.submitted_by,
        expected_version=version,
    )


class TestTheSamePlanAction:
    def test_corrections_from_one_opened_page_land_once_and_the_rest_are_refused(
        self, sent_update: ProgressUpdate
    ) -> None:
        opened_at = sent_update.version
        outcomes = race(lambda n: _correct(sent_update, n, opened_at))
        [winner] = landed(outcomes)
        assert len(refused(outcomes, ConcurrentEditError)) == WRITERS - 1
        stored = ProgressUpdate.objects.get(pk=sent_update.pk)
        assert (stored.narrative, stored.version) == (winner.narrative, opened_at + 1)
        assert PlanAction.objects.get(pk=sent_update.action_id).status == stored.status
        assert entries_about(stored, AuditEvent.Action.UPDATE) == 1
        assert verify_chain().intact

    def test_writers_that_reopen_the_page_after_a_refusal_all_land_none_lost(
        self, sent_update: ProgressUpdate
    ) -> None:
        def correct_until_saved(number: int) -> ProgressUpdate:
            for _ in range(5 * WRITERS):
                version = ProgressUpdate.objects.get(pk=sent_update.pk).version
                try:
                    return _correct(sent_update, number, version)
                except ConcurrentEditError:
                    continue
            raise AssertionError("never saved")

        outcomes = race(correct_until_saved)
        assert len(landed(outcomes)) == WRITERS
        stored = ProgressUpdate.objects.get(pk=sent_update.pk)
        assert stored.version == sent_update.version + WRITERS
        # Every correction is in the update's history, each once.
        narratives = [
            event.changes["narrative"]["after"]
            for event in AuditEvent.objects.filter(
                object_type="delivery.progressupdate",
                object_id=str(stored.pk),
                action=AuditEvent.Action.UPDATE,
            )
        ]
        assert sorted(narratives) == sorted(f"Correction {n}" for n in range(WRITERS))
        assert verify_chain().intact

    def test_first_updates_sent_at_once_keep_one_and_refuse_the_others(
        self, sent_update: ProgressUpdate
    ) -> None:
        ProgressUpdate.objects.filter(pk=sent_update.pk).delete()
        outcomes = race(lambda n: _correct(sent_update, n, 0))
        assert len(landed(outcomes)) == 1
        refused(outcomes, ConcurrentEditError, delivery.DeliveryError)
        assert ProgressUpdate.objects.filter(action=sent_update.action).count() == 1


# ---- the same new organisation ----------------------------------------------------------------


class TestTheSameNewOrganisation:
    def test_adding_it_from_several_pages_at_once_adds_it_once_and_tells_the_others(
        self, make_user: Callable[..., Any]
    ) -> None:
        """Each page's check ("there is already an organisation called ...") can pass before any
        has saved (on PostgreSQL); the database then refuses the rest, which see the conflict
        page (core.middleware.WriteClashMiddleware) rather than the error page."""
        clients = [sign_in(Client(), make_user(Role.COORDINATOR)) for _ in range(WRITERS)]
        outcomes = race(
            lambda n: clients[n].post(
                "/partnership/organisations/new/", {"name": "Acme Trust", "version": ""}
            )
        )
        refused(outcomes)  # a server error is raised by the test client: none was
        by_status: dict[int, list[Any]] = {}
        for response in outcomes:
            by_status.setdefault(response.status_code, []).append(response)
        assert len(by_status.pop(302)) == 1
        assert set(by_status) <= {200, 409}
        for response in by_status.get(200, []):
            assert "There is already an organisation called Acme Trust" in response.text
        for response in by_status.get(409, []):
            assert "Not saved: someone else saved at the same moment" in response.text
        assert Organisation.objects.filter(name="Acme Trust").count() == 1


# ---- the same return --------------------------------------------------------------------------


@pytest.fixture
def draft_return(request: pytest.FixtureRequest, make_user: Callable[..., Any]) -> PartnerReturn:
    return request.getfixturevalue("owed")("training")


class TestTheSameReturn:
    def test_sending_it_from_several_pages_at_once_sends_it_once(
        self, draft_return: PartnerReturn, make_user: Callable[..., Any]
    ) -> None:
        lead = make_user(Role.PARTNER_LEAD)
        opened_at = draft_return.version
        outcomes = race(
            lambda n: returns.submit_return(
                partner_return=draft_return, by=lead, expected_version=opened_at
            )
        )
        assert len(landed(outcomes)) == 1
        refused(outcomes, ConcurrentEditError, returns.ReturnError)
        stored = PartnerReturn.objects.get(pk=draft_return.pk)
        assert (stored.status, stored.version) == (ReturnStatus.SUBMITTED, opened_at + 1)
        assert ReturnEvent.objects.filter(partner_return=stored, kind="submitted").count() == 1
        assert verify_chain().intact

    def test_accepting_and_returning_it_at_once_does_one_of_the_two(
        self, draft_return: PartnerReturn, make_user: Callable[..., Any]
    ) -> None:
        sent = returns.submit_return(partner_return=draft_return, by=make_user(Role.PARTNER_LEAD))
        coordinator = make_user(Role.COORDINATOR)
        opened_at = sent.version

        def decide(number: int) -> PartnerReturn:
            if number % 2:
                return returns.accept_return(
                    partner_return=sent, by=coordinator, expected_version=opened_at
                )
            return returns.send_back(
                partner_return=sent,
                by=coordinator,
                reason="Please check",
                expected_version=opened_at,
            )

        outcomes = race(decide)
        [winner] = landed(outcomes)
        refused(outcomes, ConcurrentEditError, returns.ReturnError)
        stored = PartnerReturn.objects.get(pk=sent.pk)
        assert (stored.status, stored.version) == (winner.status, opened_at + 1)
        decisions = ReturnEvent.objects.filter(partner_return=stored).exclude(
            kind__in=["owed", "submitted"]
        )
        assert decisions.count() == 1


# ---- the same case ----------------------------------------------------------------------------


class TestTheSameCase:
    def test_triaging_it_at_once_records_one_triage(self, request: pytest.FixtureRequest) -> None:
        referral: Referral = request.getfixturevalue("make_referral")("received")
        police = request.getfixturevalue("world").police
        opened_at = referral.version

        def triage(number: int) -> Triage:
            from preventhub.casework import services

            return services.record_triage(
                referral=referral,
                by=police,
                category="clear",
                decision=f"Decision {number}",
                rationale="Clear concern",
                decided_on=datetime.date(2026, 1, 7),
                checks=[],
                expected_version=opened_at,
            )

        outcomes = race(triage)
        assert len(landed(outcomes)) == 1
        refused(outcomes, ConcurrentEditError, CaseworkError)
        assert Triage.objects.filter(referral=referral).count() == 1
        assert CaseEvent.objects.filter(referral=referral, kind=CaseEvent.Kind.TRIAGED).count() == 1
        assert Referral.objects.get(pk=referral.pk).version == opened_at + 1

    def test_routing_it_at_once_routes_it_once(self, request: pytest.FixtureRequest) -> None:
        referral: Referral = request.getfixturevalue("make_referral")("triaged")
        partnership_world = request.getfixturevalue("world")
        opened_at = referral.version

        def route(number: int) -> Referral:
            from preventhub.casework import services

            return services.route_referral(
                referral=referral,
                by=partnership_world.police,
                route="channel" if number % 2 else "police_led",
                reason=f"Reason {number}",
                on=datetime.date(2026, 1, 8),
                panel=partnership_world.panel,
                expected_version=opened_at,
            )

        outcomes = race(route)
        [winner] = landed(outcomes)
        refused(outcomes, ConcurrentEditError, CaseworkError)
        stored = Referral.objects.get(pk=referral.pk)
        assert (stored.route, stored.version) == (winner.route, opened_at + 1)
        assert CaseEvent.objects.filter(referral=referral, kind=CaseEvent.Kind.ROUTED).count() == 1
        assert verify_chain().intact

    def test_referrals_moved_between_the_same_categories_at_once_all_land_and_stay_counted(
        self, request: pytest.FixtureRequest
    ) -> None:
        """Each writer corrects its own referral, half from male to female and half the other
        way: each moves the same two tallies, in opposite directions. None waits for ever on
        another (a deadlock) and the tallies are the referrals' own afterwards."""
        from preventhub.casework import services, stats
        from preventhub.casework.models import ConcernType

        make = request.getfixturevalue("make_referral")
        police = request.getfixturevalue("world").police
        received = datetime.date(2025, 5, 6)
        moving = [
            make(given=f"Mover{n}", received=received, gender=("male", "female")[n % 2])
            for n in range(WRITERS)
        ]

        def correct(number: int) -> Any:
            referral = Referral.objects.get(pk=moving[number].pk)
            return services.correct_intake(
                referral=referral,
                by=police,
                expected_version=referral.version,
                reason="Recorded wrongly",
                received_on=received,
                referrer_organisation="Test Academy",
                referrer_sector="education",
                referrer_name="Riley Referrer",
                subject=services.Subject(
                    f"Mover{number}", "Example", None, ("female", "male")[number % 2], None
                ),
                concern_type=ConcernType.objects.get(name="Extreme right-wing"),
                concerns="Shared violent propaganda in class",
                awareness="not_aware",
            )

        outcomes = race(correct)
        assert len(landed(outcomes)) == WRITERS, refused(outcomes)
        quarter = stats.period_named("2025-26-Q1")
        by_gender = stats.tabulate(
            stats.tallied_groups(quarter, ("gender",)), stats.dimension("gender"), None
        )
        counted = Referral.objects.filter(received_on=received)
        assert [tally.count for tally in by_gender.rows] == [
            counted.filter(gender=gender).count() for gender in Gender.values
        ]
        assert verify_chain().intact


# ---- the same audit round ---------------------------------------------------------------------


class TestTheSameAuditRound:
    def test_a_question_made_optional_during_an_import_counts_the_imported_responses(
        self, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The import is held just before it finishes while PAR is made optional: the change
        waits for the import (which holds the round's questions), then counts its responses
        again. Were it not held, it would count before the import's responses were there."""
        the_round: AuditRound = request.getfixturevalue("audit_round")
        importing, asked = threading.Event(), threading.Event()
        finish = audit_services._set_answered_by

        def finish_slowly(*arguments: Any) -> None:
            importing.set()
            asked.wait(timeout=30)
            time.sleep(0.5)  # time enough for the change to land, were it not held
            finish(*arguments)

        monkeypatch.setattr(audit_services, "_set_answered_by", finish_slowly)
        par = the_round.questions.get(code="PAR")
        outcomes: dict[str, Any] = {}

        def run(name: str, write: Callable[[], Any], after: threading.Event | None) -> None:
            try:
                if after is not None:
                    after.wait(timeout=30)
                    asked.set()
                with writer_turn():
                    outcomes[name] = write()
            except Exception as error:  # noqa: BLE001 - every outcome is checked by the test
                outcomes[name] = error
            finally:
                connections.close_all()

        writes = {
            "import": (
                lambda: audit_services.import_responses(
                    audit_round=the_round, content=RESPONSES.encode(), filename="export.csv"
                ),
                None,
            ),
            "question": (
                lambda: audit_services.save_question(
                    audit_round=the_round,
                    question=par,
                    expected_version=par.version,
                    required=False,
                ),
                importing,
            ),
        }
        threads = [
            threading.Thread(target=run, args=(name, write, after))
            for name, (write, after) in writes.items()
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        assert not any(isinstance(outcome, Exception) for outcome in outcomes.values()), outcomes
        assert not the_round.questions.get(code="PAR").required
        questions = list(the_round.questions.all())
        for response in Response.objects.filter(round=the_round):
            stored = tuple(getattr(response, name) for name in COUNT_FIELDS)
            assert stored == prevent_counts(response.answers, questions), response
        assert verify_chain().intact


# ---- processes, on the database as deployed ----------------------------------------------------


class TestProcessesOnTheDatabaseAsDeployed:
    """Separate processes, as gunicorn's workers are: on PostgreSQL the test database, on SQLite
    a database file with the settings the service runs with (write-ahead log, writers that take
    the lock when they start and wait for it), so no lock of the test's own stands in."""

    def test_corrections_sent_at_once_land_once_and_the_rest_are_refused(
        self, sent_update: ProgressUpdate, tmp_path
    ) -> None:
        import subprocess
        import sys

        from .conftest import ROOT, SharedDatabase

        shared = SharedDatabase(tmp_path)
        shared.share()
        go = tmp_path / "go"
        racers = [
            subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "tests.reliability.racer",
                    str(sent_update.pk),
                    str(sent_update.version),
                    str(number),
                    str(go),
                ],
                cwd=ROOT,
                env=shared.environment,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            for number in range(PROCESSES)
        ]
        try:
            assert [racer.stdout.readline().strip() for racer in racers] == ["READY"] * PROCESSES
            go.touch()
            outcomes = [racer.communicate(timeout=60)[0].strip() for racer in racers]
        finally:
            for racer in racers:
                if racer.poll() is None:
                    racer.kill()
                    racer.wait()
        shared.take_back()
        assert sorted(outcomes) == ["LANDED"] + ["REFUSED ConcurrentEditError"] * (PROCESSES - 1)
        stored = ProgressUpdate.objects.get(pk=sent_update.pk)
        assert stored.version == sent_update.version + 1
        assert entries_about(stored, AuditEvent.Action.UPDATE) == 1
        assert verify_chain().intact
