"""Background work of the schools register, run by `manage.py db_worker`.

``services.queue_gias_import`` queues the task; the task imports nothing from ``services``, so
the two modules do not import each other.
"""

from __future__ import annotations

import datetime
import json
import logging

from django.utils import timezone
from django_tasks import task

from preventhub.core import audit
from preventhub.schools.gias import GiasImportError, ImportResult, import_gias
from preventhub.schools.models import FAULT, STALE_AFTER, WORKER_STOPPED, GiasImportRun

logger = logging.getLogger(__name__)


@task()
def import_gias_run(run_id: int) -> None:
    run_gias_import(run_id=run_id)


def run_gias_import(*, run_id: int) -> GiasImportRun:
    """Import a queued upload, recording progress as it goes (called by the task worker).

    The run always ends succeeded or failed, whatever goes wrong, so its page never shows it
    importing for ever.
    """
    fail_stale_runs()
    run = GiasImportRun.objects.select_related("created_by").get(pk=run_id)
    if run.is_finished:  # failed as stale while it waited, or run twice: never import twice
        return run
    GiasImportRun.objects.filter(pk=run.pk).update(
        status=GiasImportRun.Status.RUNNING, heartbeat_at=timezone.now()
    )

    def progress(done: int, total: int) -> None:
        # Outside the import's transaction, so the page polling this run sees it move.
        GiasImportRun.objects.filter(pk=run.pk).update(
            rows_done=done, rows_total=total, heartbeat_at=timezone.now()
        )

    status, result, problems = GiasImportRun.Status.SUCCEEDED, ImportResult(), ""
    try:
        with run.file.open("rb") as handle:
            content = handle.read()
        with audit.acting(label=f"GIAS import by {run.created_by.email}"):
            result = import_gias(content, la_codes=run.la_codes.split(","), progress=progress)
    except GiasImportError as error:
        status, result, problems = GiasImportRun.Status.FAILED, error.result, str(error)
    except Exception:
        logger.exception("GIAS import run %s failed", run.pk)
        status = GiasImportRun.Status.FAILED
        problems = FAULT
    GiasImportRun.objects.filter(pk=run.pk).update(
        status=status,
        result=json.loads(json.dumps(result.as_dict())),
        problems=problems,
        finished_at=timezone.now(),
    )
    run.refresh_from_db()
    return run


def fail_stale_runs(*, now: datetime.datetime | None = None) -> int:
    """End as failed every run still importing whose worker has not reported for STALE_AFTER.

    A worker killed in the middle of an import leaves its run "importing" for ever; its
    transaction was never committed, so nothing of the file is in the register, and the run
    can be tried again (``services.retry_gias_import``). Returns how many runs it ended. The
    worker calls it before each run, and ``manage.py fail_stale_imports`` on demand.
    """
    now = now or timezone.now()
    stale = GiasImportRun.objects.filter(
        status=GiasImportRun.Status.RUNNING,
        heartbeat_at__lt=now - STALE_AFTER,
    )
    return stale.update(
        status=GiasImportRun.Status.FAILED, problems=WORKER_STOPPED, finished_at=now
    )
