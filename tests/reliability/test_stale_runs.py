"""A GIAS import run whose worker stopped: failed once stale, then tried again as it was."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from preventhub.core.roles import Role
from preventhub.schools import services, tasks
from preventhub.schools.models import FAULT, GiasImportRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_run(make_user):
    lead = make_user(Role.EDUCATION_LEAD)

    def make(status: str, *, heard_of: datetime.timedelta | None = None, problems: str = ""):
        return GiasImportRun.objects.create(
            file=SimpleUploadedFile("extract.csv", b"URN"),
            original_name="extract.csv",
            la_codes="860",
            created_by=lead,
            status=status,
            problems=problems,
            heartbeat_at=None if heard_of is None else timezone.now() - heard_of,
        )

    return make


def test_only_a_run_importing_and_not_heard_of_for_ten_minutes_is_failed(make_run) -> None:
    stale = make_run("running", heard_of=datetime.timedelta(minutes=11))
    working = make_run("running", heard_of=datetime.timedelta(minutes=2))
    queued = make_run("queued")
    done = make_run("succeeded", heard_of=datetime.timedelta(days=1))
    assert tasks.fail_stale_runs() == 1
    statuses = {run.pk: run.status for run in GiasImportRun.objects.all()}
    assert statuses == {
        stale.pk: "failed",
        working.pk: "running",
        queued.pk: "queued",
        done.pk: "succeeded",
    }


def test_the_command_says_how_many_runs_it_failed(make_run, capsys) -> None:
    make_run("running", heard_of=datetime.timedelta(hours=1))
    call_command("fail_stale_imports")
    assert capsys.readouterr().out.strip() == "1 stale import run marked as failed."


def test_the_page_of_a_stale_run_says_the_worker_stopped_and_offers_to_try_again(
    make_run, client_for
) -> None:
    run = make_run("running", heard_of=datetime.timedelta(minutes=30))
    page = client_for(Role.EDUCATION_LEAD).get(f"/schools/import/{run.pk}/").content.decode()
    assert "The task worker running this import has stopped" in page
    assert "Try the import again" in page


def test_the_page_of_a_run_no_worker_has_taken_up_for_two_minutes_says_so(
    make_run, client_for
) -> None:
    lead = client_for(Role.EDUCATION_LEAD)
    just_asked, waiting = make_run("queued"), make_run("queued")
    GiasImportRun.objects.filter(pk=waiting.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=3)
    )
    assert (
        "has not started yet" not in lead.get(f"/schools/import/{just_asked.pk}/").content.decode()
    )
    page = lead.get(f"/schools/import/{waiting.pk}/").content.decode()
    assert "The import has not started yet." in page
    assert "manage.py db_worker" in page
    assert tasks.fail_stale_runs() == 0  # it may still start: nothing ends it


def test_a_run_refused_for_its_file_or_still_working_cannot_be_tried_again_as_it_is(
    make_run, make_user
) -> None:
    lead = make_user(Role.EDUCATION_LEAD)
    for run, refusal in [
        (make_run("failed", problems="Line 2, column OpenDate: not a date"), "fix the file"),
        (make_run("running", heard_of=datetime.timedelta(minutes=1)), "is importing"),
        (make_run("succeeded"), "is imported"),
    ]:
        with pytest.raises(services.SchoolsError, match=refusal):
            services.retry_gias_import(run=run, by=lead)
    assert not GiasImportRun.objects.filter(retry_of__isnull=False).exists()


def test_a_run_stopped_by_a_fault_is_queued_again_with_its_file_and_codes(
    make_run, make_user, django_capture_on_commit_callbacks
) -> None:
    run = make_run("failed", problems=FAULT)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        retry = services.retry_gias_import(run=run, by=make_user(Role.ADMINISTRATOR))
    assert (retry.file.name, retry.la_codes, retry.retry_of) == (run.file.name, "860", run)
    assert retry.status == "queued" and len(queued) == 1
