"""A report's Word or PDF file, built by the task worker while its page shows progress: asked
for, queued, made step by step, downloaded by whoever may read the report, and failed (never
half made) when the database or the worker fails."""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from django.conf import settings
from django.db import DatabaseError, connection
from django.test import Client
from django.utils import timezone

from preventhub.core.models import AuditEvent
from preventhub.core.roles import Role
from preventhub.reports import build, figures, services, tasks
from preventhub.reports.models import (
    FAULT,
    WORKER_STOPPED,
    BoardPack,
    CommitteeReport,
    PackVersion,
    ReportBuild,
)
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def _report() -> CommitteeReport:
    return CommitteeReport.objects.get(title="Prevent")


def _docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def _kept_files() -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "exports"
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def _ask(client: Client, url: str, capture: Any) -> ReportBuild:
    with capture(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    found = ReportBuild.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert response["Location"] == f"/reports/files/{found.pk}/"
    return found


class TestABuildsLife:
    def test_a_file_asked_for_is_queued_then_made_step_by_step_and_says_the_reports_figures(
        self,
        demo_printed: str,
        make_user: Callable[..., Any],
        django_capture_on_commit_callbacks: Any,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        coordinator = sign_in(Client(), make_user(Role.COORDINATOR))
        report = _report()
        with django_capture_on_commit_callbacks(execute=False) as queued:
            response = coordinator.post(f"/reports/committee/{report.pk}/files/docx/")
        asked = ReportBuild.objects.get(committee_report=report, status="queued")
        assert response["Location"] == f"/reports/files/{asked.pk}/"
        assert (asked.format, asked.steps_done, asked.steps_total) == ("docx", 0, 3)
        assert len(queued) == 1

        page = coordinator.get(f"/reports/files/{asked.pk}/").content.decode()
        assert "<title>Step 1 of 3: Word document of Prevent" in page
        assert "Step 1 of 3: gathering the figures." in page
        # The page checks again by script, in place; without it, by the link. No timed refresh.
        assert 'data-ph-check-again="3"' in page and "Check progress again" in page
        assert 'http-equiv="refresh"' not in page

        seen: list[tuple[str, int]] = []
        writes = tasks._file_bytes

        def watched(*args: Any) -> bytes:
            running = ReportBuild.objects.get(pk=asked.pk)
            seen.append((running.status, running.steps_done))
            seen.append(("page", coordinator.get(f"/reports/files/{asked.pk}/").content.decode()))
            return writes(*args)

        monkeypatch.setattr(tasks, "_file_bytes", watched)
        queued[0]()
        assert seen[0] == ("running", 1)
        assert "Step 2 of 3: writing the file." in seen[1][1]

        done = ReportBuild.objects.get(pk=asked.pk)
        assert (done.status, done.steps_done, done.error) == ("done", 3, "")
        assert done.filename == "prevent.docx" and done.file.name.startswith("exports/reports/")
        page = coordinator.get(f"/reports/files/{asked.pk}/").content.decode()
        assert "data-ph-check-again" not in page
        assert "Your Word document is ready" in page
        assert f'href="/reports/files/{asked.pk}/download"' in page

        response = coordinator.get(f"/reports/files/{asked.pk}/download")
        assert response["Content-Disposition"] == 'attachment; filename="prevent.docx"'
        assert response["X-Content-Type-Options"] == "nosniff"
        text = re.sub(r"\s+", " ", _docx_text(b"".join(response.streaming_content)))
        completion = figures.build(
            figures.parse("{{ audit_completion round=2018 }}")[0][0], today=timezone.localdate()
        )
        assert (
            f"In 2018, {completion.parts['responded']} schools out of "
            f"{completion.parts['in_scope']} completed the survey" in text
        )
        built = build.committee_document(report, today=timezone.localdate())
        assert text.startswith(build.text_of(built).split("\n")[0])
        for entry in built["figures"]:
            assert entry["text"] in text

    def test_the_download_is_recorded_in_the_audit_trail_as_an_export(
        self, demo_printed: str, client_for: Callable[..., Client], make_user: Callable[..., Any]
    ) -> None:
        made = services.build_now(of=_report(), fmt="pdf", by=make_user(Role.COORDINATOR))
        reader = client_for(Role.BOARD_READER)
        response = reader.get(f"/reports/files/{made.pk}/download")
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        export = AuditEvent.objects.filter(action="export").latest("sequence")
        assert (export.object_type, export.detail) == ("reports.committee", "Prevent pdf")
        assert export.changes == {"rows": made.figures} and made.figures > 0

    def test_asking_again_while_the_file_is_being_made_gives_the_same_build(
        self, demo_printed: str, make_user: Callable[..., Any], django_capture_on_commit_callbacks
    ) -> None:
        lead = make_user(Role.PARTNER_LEAD)
        with django_capture_on_commit_callbacks(execute=False) as queued:
            first = services.request_build(of=_report(), fmt="pdf", by=lead)
            again = services.request_build(of=_report(), fmt="pdf", by=lead)
        assert again == first and len(queued) == 1

    def test_a_kind_of_file_that_is_not_word_or_pdf_is_not_found(
        self, demo_printed: str, client_for: Callable[..., Client]
    ) -> None:
        response = client_for(Role.COORDINATOR).post(
            f"/reports/committee/{_report().pk}/files/txt/"
        )
        assert response.status_code == 404
        assert not ReportBuild.objects.filter(format="txt").exists()

    def test_a_published_versions_file_is_its_frozen_snapshot(
        self, demo_printed: str, make_user: Callable[..., Any], django_capture_on_commit_callbacks
    ) -> None:
        version = PackVersion.objects.order_by("pk").first()
        reader = sign_in(Client(), make_user(Role.BOARD_READER))
        made = _ask(
            reader,
            f"/reports/versions/{version.pk}/files/docx/",
            django_capture_on_commit_callbacks,
        )
        made.refresh_from_db()
        assert made.status == "done" and made.pack_version == version
        text = _docx_text(made.file.read())
        assert build.text_of(version.snapshot).split("\n")[2] in text


class TestAFailedBuild:
    def test_a_database_error_while_reading_the_figures_leaves_no_file_and_says_why(
        self,
        demo_printed: str,
        make_user: Callable[..., Any],
        client_for: Callable[..., Client],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        real = figures.build
        calls: list[object] = []

        def fails_on_the_third(placeholder: Any, *, today: datetime.date) -> figures.Value:
            calls.append(placeholder)
            if len(calls) == 3:
                raise DatabaseError("connection lost")
            return real(placeholder, today=today)

        monkeypatch.setattr(figures, "build", fails_on_the_third)
        failed = services.build_now(of=_report(), fmt="docx", by=make_user(Role.COORDINATOR))
        assert len(calls) == 3
        assert (failed.status, failed.file.name, failed.error) == ("failed", "", FAULT)
        assert _kept_files() == []
        reader = client_for(Role.BOARD_READER)
        page = reader.get(f"/reports/files/{failed.pk}/").content.decode()
        assert "The file could not be made" in page and "Traceback" not in page
        assert "connection lost" not in page
        assert "Ask for the file again" in page
        assert reader.get(f"/reports/files/{failed.pk}/download").status_code == 404

    def test_a_database_error_as_the_build_is_marked_done_leaves_no_file_and_no_done(
        self, demo_printed: str, make_user: Callable[..., Any]
    ) -> None:
        def refuses_done(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            if sql.startswith('UPDATE "reports_reportbuild"') and "done" in (params or ()):
                raise DatabaseError("disk full")
            return execute(sql, params, many, context)

        with connection.execute_wrapper(refuses_done):
            failed = services.build_now(of=_report(), fmt="docx", by=make_user(Role.COORDINATOR))
        assert (failed.status, failed.file.name, failed.error) == ("failed", "", FAULT)
        assert _kept_files() == []

    def test_a_failed_build_is_asked_for_again_as_a_new_build_that_is_made(
        self, demo_printed: str, make_user: Callable[..., Any], django_capture_on_commit_callbacks
    ) -> None:
        coordinator = make_user(Role.COORDINATOR)
        failed = ReportBuild.objects.create(
            committee_report=_report(),
            format="docx",
            requested_by=coordinator,
            status="failed",
            error=FAULT,
            title="Prevent",
        )
        client = sign_in(Client(), coordinator)
        again = _ask(
            client, f"/reports/files/{failed.pk}/again/", django_capture_on_commit_callbacks
        )
        again.refresh_from_db()
        assert again.pk != failed.pk and again.status == "done" and again.file
        assert ReportBuild.objects.get(pk=failed.pk).status == "failed"

    def test_a_file_being_made_or_made_is_not_asked_for_again(
        self, demo_printed: str, make_user: Callable[..., Any]
    ) -> None:
        coordinator = make_user(Role.COORDINATOR)
        made = services.build_now(of=_report(), fmt="docx", by=coordinator)
        with pytest.raises(services.ReportError, match="is ready"):
            services.build_again(found=made, by=coordinator)


class TestAStaleBuild:
    def _running(self, by: Any, heard_of: datetime.timedelta) -> ReportBuild:
        return ReportBuild.objects.create(
            committee_report=_report(),
            format="pdf",
            requested_by=by,
            status="running",
            steps_done=1,
            heartbeat_at=timezone.now() - heard_of,
            title="Prevent",
        )

    def test_only_a_build_not_heard_of_for_ten_minutes_is_failed(
        self, demo_printed: str, make_user: Callable[..., Any]
    ) -> None:
        coordinator = make_user(Role.COORDINATOR)
        stale = self._running(coordinator, datetime.timedelta(minutes=11))
        working = self._running(coordinator, datetime.timedelta(minutes=2))
        assert tasks.fail_stale_builds() == 1
        stale.refresh_from_db()
        assert (stale.status, stale.error) == ("failed", WORKER_STOPPED)
        assert ReportBuild.objects.get(pk=working.pk).status == "running"

    def test_its_page_says_the_worker_stopped_and_asking_again_makes_the_file(
        self, demo_printed: str, make_user: Callable[..., Any], django_capture_on_commit_callbacks
    ) -> None:
        coordinator = make_user(Role.COORDINATOR)
        stale = self._running(coordinator, datetime.timedelta(minutes=30))
        client = sign_in(Client(), coordinator)
        page = client.get(f"/reports/files/{stale.pk}/").content.decode()
        assert "The task worker making this file has stopped" in page
        assert "data-ph-check-again" not in page
        again = _ask(
            client, f"/reports/files/{stale.pk}/again/", django_capture_on_commit_callbacks
        )
        assert ReportBuild.objects.get(pk=stale.pk).status == "failed"
        again.refresh_from_db()
        assert again.status == "done" and again.format == "pdf"

    def test_a_worker_that_takes_a_build_already_failed_as_stale_does_not_make_it(
        self, demo_printed: str, make_user: Callable[..., Any]
    ) -> None:
        stale = self._running(make_user(Role.COORDINATOR), datetime.timedelta(hours=1))
        tasks.fail_stale_builds()
        assert tasks.run_build(build_id=stale.pk).status == "failed"
        assert _kept_files() == []


class TestABuildNoWorkerTakesUp:
    """Queued and not taken up: busy or absent, the worker may still take it; the page says so
    after two minutes, where it would say "Step 1 of 3" for ever."""

    def test_its_page_says_it_has_not_started_and_who_to_tell(
        self, demo_printed: str, make_user: Callable[..., Any]
    ) -> None:
        coordinator = make_user(Role.COORDINATOR)
        queued = ReportBuild.objects.create(
            committee_report=_report(), format="pdf", requested_by=coordinator, title="Prevent"
        )
        client = sign_in(Client(), coordinator)
        page = f"/reports/files/{queued.pk}/"
        assert "has not started yet" not in client.get(page).content.decode()

        ReportBuild.objects.filter(pk=queued.pk).update(
            requested_at=timezone.now() - datetime.timedelta(minutes=3)
        )
        shown = client.get(page).content.decode()
        assert "Making the file has not started yet." in shown
        assert "manage.py db_worker" in shown
        assert "data-ph-check-again" in shown  # still checked again: it may start any moment
        assert ReportBuild.objects.get(pk=queued.pk).status == "queued"  # never ended for it


class TestWhoMayDownload:
    def test_anyone_who_reads_committee_reports_downloads_a_file_someone_else_asked_for(
        self, demo_printed: str, client_for: Callable[..., Client], make_user: Callable[..., Any]
    ) -> None:
        made = services.build_now(of=_report(), fmt="docx", by=make_user(Role.COORDINATOR))
        for role in (Role.BOARD_READER, Role.PARTNER_LEAD, Role.DISTRICT_LEAD):
            assert client_for(role).get(f"/reports/files/{made.pk}/download").status_code == 200
        for role in (Role.POLICE_OFFICER, Role.DPO, Role.ADMINISTRATOR):
            assert client_for(role).get(f"/reports/files/{made.pk}/download").status_code == 403

    def test_a_draft_packs_file_is_read_only_by_those_who_edit_packs(
        self, demo_printed: str, client_for: Callable[..., Client], make_user: Callable[..., Any]
    ) -> None:
        draft = BoardPack.objects.filter(versions__isnull=True).first()
        made = services.build_now(of=draft, fmt="docx", by=make_user(Role.COORDINATOR))
        assert made.status == "done"
        assert client_for(Role.COORDINATOR).get(f"/reports/files/{made.pk}/").status_code == 200
        for role in (Role.BOARD_READER, Role.PARTNER_LEAD):
            client = client_for(role)
            assert client.get(f"/reports/files/{made.pk}/").status_code == 403
            assert client.get(f"/reports/files/{made.pk}/download").status_code == 403

    def test_the_person_who_asked_reads_their_file(
        self, demo_printed: str, make_user: Callable[..., Any]
    ) -> None:
        lead = make_user(Role.PARTNER_LEAD, Role.COORDINATOR)
        draft = BoardPack.objects.filter(versions__isnull=True).first()
        made = services.build_now(of=draft, fmt="pdf", by=lead)
        lead.groups.remove(*lead.groups.filter(name=Role.COORDINATOR))
        lead = type(lead).objects.get(pk=lead.pk)
        client = sign_in(Client(), lead)
        assert client.get(f"/reports/files/{made.pk}/download").status_code == 200
        assert client.get(f"/reports/packs/{draft.pk}/").status_code == 403

    def test_a_board_reader_cannot_ask_for_a_draft_packs_file(
        self, demo_printed: str, client_for: Callable[..., Client]
    ) -> None:
        draft = BoardPack.objects.filter(versions__isnull=True).first()
        response = client_for(Role.BOARD_READER).post(f"/reports/packs/{draft.pk}/files/pdf/")
        assert response.status_code == 403
        assert not ReportBuild.objects.filter(pack=draft).exists()
