"""A worker killed in the middle of an import: the database is as it was, and the import can be
run again. The kill is real: a process running the import is sent SIGKILL while its
transaction holds written, uncommitted rows."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from preventhub.audits.models import AuditRound, Response
from preventhub.core.audit import verify_chain
from preventhub.core.roles import Role
from preventhub.partnership.models import Area
from preventhub.schools import services as schools
from preventhub.schools import tasks
from preventhub.schools.models import Establishment, GiasImportRun
from tests.audits.audit_world import RESPONSES, make_round, make_schools
from tests.schools.test_gias import extract, staffordshire_row

from .conftest import SharedDatabase, kill_before_commit, table_counts

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _extract(schools: int) -> bytes:
    rows = [
        staffordshire_row(URN=str(700000 + n), EstablishmentName=f"School {n}")
        for n in range(schools)
    ]
    return extract(rows)


def _later(**delta: int) -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC) + datetime.timedelta(**delta)


class TestAGiasImportWhoseWorkerIsKilled:
    def test_changes_nothing_is_failed_once_stale_and_goes_through_when_tried_again(
        self,
        shared_database: SharedDatabase,
        make_user,
        client_for,
        settings,
        district: Area,
        django_capture_on_commit_callbacks,
    ) -> None:
        settings.TASKS = DATABASE_TASKS  # queued for a real worker, not run in this process
        run = schools.queue_gias_import(
            upload=SimpleUploadedFile("edubasealldata.csv", _extract(300)),
            la_codes=["860"],
            by=make_user(Role.EDUCATION_LEAD),
        )
        before = table_counts()
        held = kill_before_commit(
            shared_database,
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
            counting="schools_establishment",
        )
        assert held == 300  # killed with the whole file written in its one transaction
        # Every table as it was: the run and its task changed, but no row was added or removed.
        assert table_counts() == before
        assert not Establishment.objects.exists()
        assert verify_chain().intact
        run.refresh_from_db()
        assert run.status == GiasImportRun.Status.RUNNING  # as the killed worker left it

        # Failed once its worker has been silent for ten minutes, and offered again.
        assert tasks.fail_stale_runs(now=_later(minutes=5)) == 0  # it may still be working
        assert tasks.fail_stale_runs(now=_later(minutes=11)) == 1
        run.refresh_from_db()
        assert run.status == GiasImportRun.Status.FAILED and run.is_retryable
        assert "task worker running it stopped" in run.problems
        client: Client = client_for(Role.EDUCATION_LEAD)
        assert "Try the import again" in client.get(f"/schools/import/{run.pk}/").content.decode()

        # Tried again: the same file, imported whole, once.
        settings.TASKS = IMMEDIATE_TASKS
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/schools/import/{run.pk}/retry/")
        retry = GiasImportRun.objects.get(retry_of=run)
        assert response["Location"] == f"/schools/import/{retry.pk}/"
        assert retry.status == GiasImportRun.Status.SUCCEEDED
        assert Establishment.objects.count() == retry.result["created"] == 300
        again = client.post(f"/schools/import/{run.pk}/retry/", follow=True)
        assert "already been tried again" in again.content.decode()
        assert verify_chain().intact


class TestAnAuditResponsesImportKilledMidway:
    def test_leaves_every_table_as_it_was_and_can_be_run_again(
        self, shared_database: SharedDatabase, district: Area, county: Area, tmp_path: Path
    ) -> None:
        other = Area.objects.create(
            gss_code="E07000199", name="Tamworth", kind="district", parent=county
        )
        make_schools(district, other)
        audit_round: AuditRound = make_round()
        export = tmp_path / "responses.csv"
        export.write_text(RESPONSES)
        before = table_counts()
        held = kill_before_commit(
            shared_database,
            "import_audit_responses",
            str(export),
            "--round",
            audit_round.name,
            counting="schools_response",
        )
        assert table_counts() == before
        assert not Response.objects.exists()
        assert verify_chain().intact
        call_command("import_audit_responses", str(export), "--round", audit_round.name)
        assert Response.objects.filter(round=audit_round).count() == 5
        # The process was killed with every response of the file, and so every answer, written
        # in its one transaction.
        assert held == Response.objects.count() > 0
        assert verify_chain().intact
