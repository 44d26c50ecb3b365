"""Reports in a browser: the coordinator reads the seed's committee report built from the data,
changes a Board pack's sections, previews and publishes it, and asks for the report's Word file;
the Board reader opens the latest pack from their home page. Every page passes axe-core."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from preventhub.accounts.models import User
from preventhub.core.roles import Role
from preventhub.demo.services import DemoUser
from preventhub.reports.models import CommitteeReport, ReportBuild
from tests.e2e.browser import describe_violations, run_axe, sign_in

pytestmark = pytest.mark.browser


def _checked(page: Page, where: str, *, errors: bool = False) -> None:
    expect(page.locator("h1")).to_have_count(1)
    if errors:
        expect(page.locator(".govuk-error-summary")).to_be_visible()
    violations = run_axe(page)
    assert not violations, describe_violations(f"{where} ({page.url})", violations)


def _follow(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("link", name=name, exact=True).first.click()


def _press(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def test_the_coordinator_builds_the_committee_report_and_publishes_a_board_pack(
    axe_page: Page, demo_users: dict[Role, DemoUser]
) -> None:
    page = axe_page
    sign_in(page, demo_users[Role.COORDINATOR])
    page.goto("/reports/")
    _checked(page, "reports")
    _follow(page, "Prevent")
    _checked(page, "the committee report")
    expect(page.get_by_text("399 schools out of 411 completed the survey").first).to_be_visible()
    _follow(page, "Add a section")
    _checked(page, "add a section")
    page.fill("#id_heading", "Schools")
    page.fill("#id_body", "{{ audit_completion round=2018 week=2 }}")
    _press(page, "Save")
    _checked(page, "add a section, with errors", errors=True)
    expect(page.get_by_text("takes no parameter 'week'").first).to_be_visible()

    page.goto("/reports/")
    _follow(page, "Start a Board pack")
    _checked(page, "start a Board pack")
    page.select_option("#id_period", label="2018/19 Q2")
    _press(page, "Start")
    _checked(page, "the Board pack preview")
    _follow(page, "Choose, order and write the sections")
    _checked(page, "the Board pack's sections")
    page.fill("#id_audit_narrative", "Schools answered the audit well.")
    _press(page, "Save")
    _checked(page, "the Board pack preview, after saving")
    _press(page, "Publish this pack")
    _checked(page, "the published Board pack")
    expect(page.get_by_text("Schools answered the audit well.")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, demo_users[Role.BOARD_READER])
    page.goto("/")
    _follow(page, "Latest Board pack: Prevent Board pack, 2018/19 Q2 (version 1)")
    _checked(page, "the Board reader's latest pack")


def test_a_report_file_is_asked_for_made_in_the_background_and_downloaded(
    axe_page: Page, demo_users: dict[Role, DemoUser]
) -> None:
    page = axe_page
    sign_in(page, demo_users[Role.COORDINATOR])
    page.goto("/")
    _follow(page, "Latest committee report: Prevent")
    _checked(page, "the committee report, before asking for its file")
    # The tests' task backend builds the file as soon as it is asked for, so the progress page
    # shows it ready.
    _press(page, "Download as a Word document")
    _checked(page, "a ready file's page")
    expect(page.get_by_role("heading", name="Your Word document is ready")).to_be_visible()
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download the Word document").click()
    assert downloading.value.suggested_filename == "prevent.docx"

    page.goto("/")
    _follow(page, "Word document of Prevent")
    _checked(page, "the file's page, from the home page")


def test_the_page_of_a_file_being_made_says_its_step_and_checks_again_on_its_own(
    axe_page: Page, demo_users: dict[Role, DemoUser]
) -> None:
    coordinator = User.objects.get(email=demo_users[Role.COORDINATOR].email)
    waiting = ReportBuild.objects.create(
        committee_report=CommitteeReport.objects.get(title="Prevent"),
        format="pdf",
        requested_by=coordinator,
        status="running",
        steps_done=1,
        heartbeat_at=timezone.now(),
        title="Prevent",
    )
    page = axe_page
    sign_in(page, demo_users[Role.COORDINATOR])
    page.goto(f"/reports/files/{waiting.pk}/")
    expect(page).to_have_title(re.compile(r"^Step 2 of 3: PDF of Prevent"))
    expect(page.get_by_role("status")).to_have_text("Step 2 of 3: writing the file.")
    expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(0)
    _checked(page, "a file being made")

    # The worker moves on: the status and the bar change in place, the page is not reloaded.
    page.evaluate("window.notReloaded = true")
    ReportBuild.objects.filter(pk=waiting.pk).update(steps_done=2, heartbeat_at=timezone.now())
    expect(page.get_by_role("status")).to_have_text("Step 3 of 3: keeping the file.")
    expect(page.locator("#build-progress")).to_have_js_property("value", 2)
    expect(page).to_have_title(re.compile(r"^Step 3 of 3: PDF of Prevent"))
    assert page.evaluate("window.notReloaded") is True

    # It ends: the page loads again and says so.
    ReportBuild.objects.filter(pk=waiting.pk).update(
        status="failed", error="The figures could not be read.", finished_at=timezone.now()
    )
    expect(page.get_by_role("heading", name="Your PDF was not made")).to_be_visible()
    expect(page.get_by_text("The figures could not be read.")).to_be_visible()
    _checked(page, "a file that was not made")
