"""A school's designated safeguarding lead answers the audit through the link, in Chromium.

The whole journey, from the emailed link to a submitted audit, its results, an action plan update
and leaving, with each page (and each form in its error state) checked by axe-core. The round,
its one school and the link are made here through the services: the demo need not have a round.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from preventhub.audits import services as audit_services
from preventhub.audits.models import ActionPlanItem, Response
from preventhub.core.roles import Role
from preventhub.demo.services import DemoUser
from preventhub.schools.models import Establishment
from tests.e2e.browser import describe_violations, path_of, run_axe

pytestmark = pytest.mark.browser

QUESTIONS = [
    # code, section, text, scale, requirement, required
    ("G1", "Leadership", "Is there a designated safeguarding lead?", "yes_no", True, True),
    ("P1", "Prevent", "Is the risk of radicalisation assessed?", "yes_no_partly", True, True),
    ("P2", "Prevent", "How well do staff know how to refer?", "one_to_four", True, True),
    ("P3", "Prevent", "How many staff had Prevent training this year?", "number", False, True),
    ("N1", "Anything else", "Anything else to tell us?", "text", False, False),
]


def _make_link(live_server_url: str) -> str:
    """A school in a round of its own, open today, and the path of its new link."""
    today = timezone.localdate()
    school = Establishment.objects.create(
        urn=990001, name="Browser Test Academy", la_code="860", status="open", phase="Primary"
    )
    audit_round = audit_services.create_round(
        name="Browser journey",
        kind="annual",
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=30),
        establishments=[school],
    )
    for position, (code, section, text, scale, requirement, required) in enumerate(QUESTIONS):
        audit_services.save_question(
            audit_round=audit_round,
            code=code,
            section=section,
            text=text,
            scale=scale,
            prevent=section == "Prevent",
            requirement=requirement,
            required=required,
            suggested_action="Book Prevent training for every member of staff."
            if code == "P1"
            else "",
            position=position + 1,
        )
    place = audit_round.scope.get()
    issued = audit_services.issue_link(place=place, site_url=live_server_url)
    return issued.url.removeprefix(live_server_url)


@pytest.fixture
def check(axe_page: Page) -> Callable[..., None]:
    """Assert the page shows one h1 (and its error summary, when expected) and passes axe."""

    def check_page(where: str, *, errors: bool = False) -> None:
        expect(axe_page.locator("h1")).to_have_count(1)
        if errors:
            expect(axe_page.locator(".govuk-error-summary")).to_be_visible()
            assert axe_page.title().startswith("Error: "), f"{where}: title must start 'Error: '"
        violations = run_axe(axe_page)
        assert not violations, describe_violations(f"{where} ({axe_page.url})", violations)

    return check_page


def _submit(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def _choose(page: Page, option_id: str) -> None:
    """Pick a GOV.UK radio as a person does: by its label, which covers the styled input."""
    page.locator(f"label[for={option_id}]").click()


def _follow(page: Page, link: str) -> None:
    with page.expect_navigation():
        page.get_by_role("link", name=link, exact=True).click()


def test_a_school_answers_submits_reads_its_results_and_updates_its_plan(
    axe_page: Page,
    check: Callable[..., None],
    demo_users: dict[Role, DemoUser],
    live_server: object,
) -> None:
    page = axe_page
    link = _make_link(str(live_server))

    response = page.goto("/school-audit/?link=not-the-link")
    assert response is not None and response.status == 404
    check("a link that does not work")

    page.goto(link)
    assert path_of(page) == "/school-audit/start/"
    assert "link=" not in page.url  # the secret is out of the address bar and the history
    expect(page.locator(".govuk-task-list")).to_contain_text("Not started")
    check("start page")

    _follow(page, "Leadership")
    check("section 1")
    _choose(page, "id_G1_0")  # Yes
    _submit(page, "Save and continue")
    assert path_of(page) == "/school-audit/section/2/"
    _choose(page, "id_P1_1")  # Partly
    page.fill("#id_P3", "twelve")
    _submit(page, "Save and continue")
    check("section 2, a number that is not one", errors=True)
    page.fill("#id_P3", "12")
    _submit(page, "Save and come back later")
    assert path_of(page) == "/school-audit/start/"
    expect(page.locator(".govuk-notification-banner")).to_contain_text("saved")
    expect(page.locator(".govuk-task-list")).to_contain_text("In progress")
    check("start page, a section in progress")

    _follow(page, "Check your answers and submit")
    expect(page.locator("#unanswered")).to_contain_text("P2")
    check("check answers, a required question unanswered")
    _submit(page, "Submit the audit")
    check("check answers, sign-off missing", errors=True)

    page.get_by_role("link", name="P2: How well do staff know how to refer?").click()
    page.wait_for_url("**/school-audit/section/2/**")
    _choose(page, "id_P2_2")  # 3
    _submit(page, "Save and continue")
    _submit(page, "Save and continue")  # the optional last section
    assert path_of(page) == "/school-audit/check/"
    page.fill("#id_headteacher", "Hana Head")
    page.fill("#id_governor", "Gus Governor")
    _submit(page, "Submit the audit")
    assert path_of(page) == "/school-audit/submitted/"
    expect(page.locator(".govuk-panel")).to_contain_text("Audit submitted")
    check("confirmation")
    assert Response.objects.get(establishment__urn=990001).status == "submitted"

    _follow(page, "See your results beside the county picture")
    expect(page.locator("#needs-attention")).to_contain_text("P1")
    check("results")

    _follow(page, "See your action plan")
    check("action plan")
    item = ActionPlanItem.objects.get(place__establishment__urn=990001, question__code="P1")
    _follow(page, "Update the action for P1")
    check("update an action")
    _choose(page, "id_status_1")  # In progress
    page.fill("#id_progress", "Training booked for the spring term.")
    _submit(page, "Save")
    assert path_of(page) == "/school-audit/action-plan/"
    check("action plan, updated")
    item.refresh_from_db()
    assert item.status == "in_progress"

    _follow(page, "Back")
    _follow(page, "See your answers")
    expect(page.locator("h1")).to_have_text("Your answers")
    check("answers, read only")

    _submit(page, "Leave")
    assert path_of(page) == "/school-audit/left/"
    check("left")
    page.goto("/school-audit/start/")
    assert path_of(page) == "/school-audit/"
    check("open your link")
