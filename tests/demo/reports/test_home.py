"""Reports on the home page: the latest committee report and its file, the latest published
Board pack, and each file someone asked for, ready or failed; and what the demo leaves."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from preventhub.core import home
from preventhub.core.roles import Role
from preventhub.demo.services import demo_email
from preventhub.reports import services
from preventhub.reports.models import FAULT, CommitteeReport, PackVersion, ReportBuild
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def _report() -> CommitteeReport:
    return CommitteeReport.objects.get(title="Prevent")


def _items(user: Any, heading: str) -> list[home.WorkItem]:
    groups = home.work_for(user, timezone.localdate())
    return [item for group in groups if group.heading == heading for item in group.items]


def test_the_demo_leaves_the_seeds_committee_report_made_as_a_word_file(
    demo_printed: str,
) -> None:
    made = ReportBuild.objects.get(committee_report=_report())
    assert (made.status, made.format, made.steps_done, made.error) == ("done", "docx", 3, "")
    assert made.requested_by.email == demo_email(Role.COORDINATOR)
    assert made.filename == "prevent.docx" and made.figures > 0


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.BOARD_READER])
def test_the_home_page_links_the_latest_committee_report_its_file_and_the_latest_pack(
    demo_printed: str, client_for: Callable[..., Client], role: Role
) -> None:
    made = ReportBuild.objects.get(committee_report=_report(), status="done")
    latest = PackVersion.objects.order_by("-published_at", "-pk").first()
    page = client_for(role).get("/").content.decode()
    assert f'href="/reports/committee/{_report().pk}/"' in page
    assert "Latest committee report: Prevent" in page
    assert f'href="/reports/files/{made.pk}/"' in page
    assert "Word document of Prevent" in page
    assert f'href="/reports/versions/{latest.pk}/"' in page


def test_whoever_asked_is_told_their_file_is_ready_and_nobody_else_is(
    demo_printed: str, make_user: Callable[..., Any]
) -> None:
    lead = make_user(Role.PARTNER_LEAD)
    other = make_user(Role.PARTNER_LEAD)
    version = PackVersion.objects.order_by("pk").first()
    made = services.build_now(of=version, fmt="pdf", by=lead)
    [item] = _items(lead, "Your report files")
    assert (item.text, item.href) == (f"PDF of {made.title}", f"/reports/files/{made.pk}/")
    assert item.shown_status == "Ready" and not item.is_late
    assert _items(other, "Your report files") == []
    client = sign_in(Client(), lead)
    page = client.get(item.href).content.decode()
    assert f'href="/reports/files/{made.pk}/download"' in page


def test_a_file_being_made_or_failed_says_so(
    demo_printed: str, make_user: Callable[..., Any], django_capture_on_commit_callbacks: Any
) -> None:
    coordinator = make_user(Role.COORDINATOR)
    with django_capture_on_commit_callbacks(execute=False):
        services.request_build(of=_report(), fmt="pdf", by=coordinator)
    ReportBuild.objects.create(
        committee_report=_report(),
        format="docx",
        requested_by=coordinator,
        status="failed",
        error=FAULT,
        title="Prevent",
    )
    shown = [(i.text, i.shown_status, i.is_late) for i in _items(coordinator, "Your report files")]
    assert shown == [
        ("Word document of Prevent", "Failed", True),
        ("PDF of Prevent", "Being made", False),
    ]


def test_files_asked_for_more_than_a_week_ago_are_no_longer_listed(
    demo_printed: str, make_user: Callable[..., Any]
) -> None:
    coordinator = make_user(Role.COORDINATOR)
    made = services.build_now(of=_report(), fmt="pdf", by=coordinator)
    ReportBuild.objects.filter(pk=made.pk).update(
        requested_at=timezone.now() - datetime.timedelta(days=8)
    )
    assert _items(coordinator, "Your report files") == []


@pytest.mark.parametrize("role", [Role.POLICE_OFFICER, Role.ADMINISTRATOR, Role.DPO])
def test_those_who_do_not_read_reports_are_shown_none(
    demo_printed: str, make_user: Callable[..., Any], role: Role
) -> None:
    user = make_user(role)
    for heading in ("Committee reports", "Your report files", "Board packs"):
        assert _items(user, heading) == []
