"""Background work of reports, run by `manage.py db_worker`: building a report's Word or PDF
file while its page shows progress.

``services.request_build`` queues the task; the task imports nothing from ``services``, so the
two modules do not import each other. The file is built from the same document as the page and
``manage.py build_report`` (``build.py``), by the same writers (``documents.py``).
"""

from __future__ import annotations

import datetime
import logging
import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from preventhub.reports import build, documents
from preventhub.reports.models import FAULT, STALE_AFTER, WORKER_STOPPED, ReportBuild

logger = logging.getLogger(__name__)


@task()
def build_report_file(build_id: int) -> None:
    run_build(build_id=build_id)


def document_of(found: ReportBuild, *, today: datetime.date) -> build.Document:
    """What the build's file shows: a committee report or a draft pack as the data is now, a
    published version as it was frozen."""
    if found.committee_report is not None:
        return build.committee_document(found.committee_report, today=today)
    if found.pack is not None:
        return build.pack_document(found.pack, today=today)
    return found.pack_version.snapshot  # type: ignore[union-attr]


def _file_bytes(document: build.Document, fmt: str, site_url: str) -> bytes:
    if fmt == ReportBuild.Format.PDF:
        return documents.pdf_bytes(document, site_url=site_url)
    return documents.docx_bytes(document, site_url=site_url)


def run_build(*, build_id: int, today: datetime.date | None = None) -> ReportBuild:
    """Build a queued file, recording each step (called by the task worker, and by the demo).

    The build always ends done or failed, whatever goes wrong, so its page never shows it
    building for ever. It is done only with its file kept: if anything fails, no file is left.
    """
    fail_stale_builds()
    found = ReportBuild.objects.select_related(
        "committee_report", "pack__period", "pack__meeting", "pack_version", "requested_by"
    ).get(pk=build_id)
    if found.is_finished:  # failed as stale while it waited, or run twice: never build twice
        return found
    rows = ReportBuild.objects.filter(pk=found.pk)
    rows.update(status=ReportBuild.Status.RUNNING, steps_done=0, heartbeat_at=timezone.now())

    def step(done: int) -> None:
        # Each its own write, outside any transaction, so the page polling this build sees it.
        rows.update(steps_done=done, heartbeat_at=timezone.now())

    kept = ""
    try:
        # One transaction for the reads, so the figures agree with each other; when the build
        # runs inside another transaction (the demo), a database error rolls back to here.
        with transaction.atomic():
            document = document_of(found, today=today or timezone.localdate())
        step(1)
        content = _file_bytes(document, found.format, found.site_url)
        step(2)
        # A name of the build's own: the report's title is in the download's name only.
        kept = found.file.storage.save(
            found.file.field.generate_filename(found, f"{uuid.uuid4().hex}.{found.format}"),
            ContentFile(content),
        )
        with transaction.atomic():
            rows.update(
                status=ReportBuild.Status.DONE,
                steps_done=len(ReportBuild.STEPS),
                file=kept,
                filename=documents.filename(document, found.format)[:100],
                figures=len(document["figures"]),
                finished_at=timezone.now(),
            )
    except Exception:
        logger.exception("Report build %s failed", found.pk)
        if kept:
            found.file.storage.delete(kept)
        rows.update(status=ReportBuild.Status.FAILED, error=FAULT, finished_at=timezone.now())
    found.refresh_from_db()
    return found


def fail_stale_builds(*, now: datetime.datetime | None = None) -> int:
    """End as failed every build still running whose worker has not reported for STALE_AFTER.

    A worker killed in the middle of a build leaves it "being built" for ever; no file of it
    was kept, and the same file can be asked for again. Returns how many builds it ended. The
    worker calls it before each build, and asking for a file again calls it too.
    """
    now = now or timezone.now()
    stale = ReportBuild.objects.filter(
        status=ReportBuild.Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER
    )
    return stale.update(status=ReportBuild.Status.FAILED, error=WORKER_STOPPED, finished_at=now)
