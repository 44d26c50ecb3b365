"""Write operations on the schools register: one transaction each, or a task's worth."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from preventhub.core import audit
from preventhub.core.spreadsheets import SpreadsheetRefused, check_size, too_long
from preventhub.schools import gias
from preventhub.schools.gias import GiasImportError, ImportResult, import_gias
from preventhub.schools.models import GiasImportRun

logger = logging.getLogger(__name__)


class SchoolsError(Exception):
    """A request about the register that cannot be carried out; the message says why."""


@transaction.atomic
def queue_gias_import(*, upload: UploadedFile, la_codes: Iterable[str], by: Any) -> GiasImportRun:
    """Keep the uploaded extract and queue its import for the task worker."""
    from preventhub.schools.tasks import import_gias_run

    if not (upload.name or "").lower().endswith(".csv"):
        raise SchoolsError(
            f"{upload.name} is not a CSV file. Upload the GIAS extract as downloaded."
        )
    try:
        check_size(upload.size, gias.limits(), upload.name)
    except SpreadsheetRefused as error:
        raise SchoolsError(str(error)) from error
    codes = ",".join(dict.fromkeys(code.strip() for code in la_codes))
    if too_long(GiasImportRun, {"la_codes": codes}):  # 50 codes of 3 digits and their commas
        raise SchoolsError("Give at most 50 local authority codes for one import.")
    run = GiasImportRun.objects.create(
        file=upload, original_name=upload.name[:200], la_codes=codes, created_by=by
    )
    transaction.on_commit(lambda: import_gias_run.enqueue(run.pk))
    return run


def run_gias_import(*, run_id: int) -> GiasImportRun:
    """Import a queued upload, recording progress as it goes (called by the task worker).

    The run always ends succeeded or failed, whatever goes wrong, so its page never shows it
    importing for ever.
    """
    run = GiasImportRun.objects.select_related("created_by").get(pk=run_id)
    GiasImportRun.objects.filter(pk=run.pk).update(status=GiasImportRun.Status.RUNNING)

    def progress(done: int, total: int) -> None:
        # Outside the import's transaction, so the page polling this run sees it move.
        GiasImportRun.objects.filter(pk=run.pk).update(rows_done=done, rows_total=total)

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
        problems = (
            "The import stopped because of a fault in Prevent Hub, not in the file, and nothing "
            "was imported. Tell your administrator; the service's log has the details."
        )
    GiasImportRun.objects.filter(pk=run.pk).update(
        status=status,
        result=json.loads(json.dumps(result.as_dict())),
        problems=problems,
        finished_at=timezone.now(),
    )
    run.refresh_from_db()
    return run
