"""Write operations on the schools register: one transaction each.

The import of a queued GIAS upload runs in the task worker: see ``tasks.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from preventhub.core.spreadsheets import SpreadsheetRefused, check_size, too_long
from preventhub.schools import gias
from preventhub.schools.models import Establishment, GiasImportRun
from preventhub.schools.tasks import fail_stale_runs, import_gias_run


class SchoolsError(Exception):
    """A request about the register that cannot be carried out; the message says why."""


@transaction.atomic
def set_contact_email(*, school: Establishment, email: str) -> None:
    """Where the school's links and reminders go; GIAS has no such field, so imports keep it."""
    school.contact_email = email
    school.save(update_fields=["contact_email"])


@transaction.atomic
def queue_gias_import(*, upload: UploadedFile, la_codes: Iterable[str], by: Any) -> GiasImportRun:
    """Keep the uploaded extract and queue its import for the task worker."""
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


@transaction.atomic
def retry_gias_import(*, run: GiasImportRun, by: Any) -> GiasImportRun:
    """Queue the file of a failed run again, as a new run; the failed one keeps its message.

    A run whose worker stopped is failed first if it has gone stale (``tasks.fail_stale_runs``).
    A run still importing, one that succeeded, one refused for its file's contents, or one
    already retried is refused.
    """
    fail_stale_runs()
    run = GiasImportRun.objects.select_for_update().get(pk=run.pk)
    if not run.is_retryable:
        raise SchoolsError(
            "Only an import stopped by a fault can be tried again as it is: fix the file and "
            "upload it again."
            if run.status == GiasImportRun.Status.FAILED
            else f"This import is {run.get_status_display().lower()}: it cannot be tried again."
        )
    if run.retries.exists():
        raise SchoolsError("This import has already been tried again.")
    retry = GiasImportRun.objects.create(
        file=run.file.name,
        original_name=run.original_name,
        la_codes=run.la_codes,
        created_by=by,
        retry_of=run,
    )
    transaction.on_commit(lambda: import_gias_run.enqueue(retry.pk))
    return retry
