"""Self-assessment in a browser: the coordinator makes a gap of Q4 2018/19 a Delivery Plan
action, follows it to the plan and back, and reads the Board report; the coordinator's forms; a
school assessing itself through its link. Every page passes axe-core."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from preventhub.assessment.models import Assessment, Finding, Framework
from preventhub.core.roles import Role
from preventhub.demo.schools import DEMO_LINK_TOKEN, demo_school_link
from preventhub.demo.services import DemoUser
from tests.e2e.browser import describe_violations, run_axe, sign_in

pytestmark = pytest.mark.browser


def _checked(page: Page, where: str, *, errors: bool = False) -> None:
    expect(page.locator("h1")).to_have_count(1)
    if errors:
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        assert page.title().startswith("Error: "), where
    violations = run_axe(page)
    assert not violations, describe_violations(f"{where} ({page.url})", violations)


def _follow(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("link", name=name, exact=True).first.click()


def _press(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def test_the_coordinator_turns_a_gap_into_a_plan_action_and_reports_to_the_board(
    axe_page: Page, demo_users: dict[Role, DemoUser]
) -> None:
    page = axe_page
    sign_in(page, demo_users[Role.COORDINATOR])
    page.goto("/")
    expect(page.get_by_role("link", name=re.compile("^Rate the standards of"))).to_be_visible()

    _follow(page, "Self-assessment")
    _checked(page, "self-assessment")
    _follow(page, "Q4 2018/19")
    _checked(page, "the Q4 2018/19 assessment")
    expect(page.get_by_text("11 green, 4 amber and 1 red")).to_be_visible()

    _follow(page, "TK8.1")
    _checked(page, "a standard rated amber")
    _follow(page, "Make it a plan action")
    _checked(page, "make a gap a plan action")
    page.fill("#id_title", "")
    _press(page, "Add to the Delivery Plan")
    _checked(page, "make a gap a plan action, with errors", errors=True)
    page.fill("#id_title", "Agree a Contest communication plan and key messages")
    page.select_option("#id_section", label="Community Resilience")
    page.select_option("#id_owner_organisation", label="Staffordshire County Council")
    _press(page, "Add to the Delivery Plan")
    expect(page.locator(".govuk-notification-banner, .govuk-panel").first).to_contain_text(
        "to the Delivery Plan"
    )
    finding = Finding.objects.get(
        rating__standard__code="TK8.1", rating__assessment__title="Q4 2018/19"
    )
    action = finding.plan_action
    assert action.sources.get().get_kind_display() == "Self-assessment finding"

    _follow(page, action.reference)
    _checked(page, "the plan action raised from the gap")
    expect(page.get_by_text("Self-assessment finding").first).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="TK8.1 A communication plan is in use").click()
    expect(page.locator("h1")).to_contain_text("TK8.1")

    page.goto(f"/self-assessment/{finding.rating.assessment_id}/report/")
    _checked(page, "the Board report")

    page.goto("/self-assessment/")
    _follow(page, "Frameworks and their standards")
    _checked(page, "frameworks")
    _follow(page, "Prevent duty toolkit for local authorities")
    _checked(page, "the toolkit")


def test_the_coordinators_forms_pass_axe(axe_page: Page, demo_users: dict[Role, DemoUser]) -> None:
    page = axe_page
    sign_in(page, demo_users[Role.COORDINATOR])
    toolkit = Framework.objects.get(code="toolkit")
    current = Assessment.objects.get(framework=toolkit, status="in_progress")
    rating = current.ratings.get(standard__code="TK6.2")
    for where, url in [
        ("start an assessment", reverse("assessment:assessment_new")),
        ("add a framework", reverse("assessment:framework_new")),
        ("change a standard", reverse("assessment:standard_edit", args=[rating.standard_id])),
        ("add a level", reverse("assessment:level_new", args=[toolkit.pk])),
        ("import standards", reverse("assessment:framework_import", args=[toolkit.pk])),
        ("name an assessor", reverse("assessment:rating_assessor", args=[rating.pk])),
        ("record a gap", reverse("assessment:finding_new", args=[rating.pk])),
        ("sign off", reverse("assessment:sign_off", args=[current.pk])),
        ("the current assessment", reverse("assessment:assessment", args=[current.pk])),
    ]:
        page.goto(url)
        _checked(page, where)

    page.goto(reverse("assessment:rating", args=[rating.pk]))
    _press(page, "Save the rating")
    _checked(page, "a rating without a level", errors=True)
    page.get_by_label("Amber").check()
    page.fill("#id_evidence", "Coverage reported to the Board in Q2.")
    _press(page, "Save the rating")
    expect(page.get_by_text("Saved the rating of TK6.2.")).to_be_visible()


def test_a_school_assesses_itself_through_its_link(
    axe_page: Page, demo_users: dict[Role, DemoUser]
) -> None:
    page = axe_page
    demo_school_link("http://testserver")  # as `manage.py demo` sets it
    page.goto(f"/school-audit/?link={DEMO_LINK_TOKEN}")
    _follow(page, "Assess how your school meets the Prevent duty")
    _checked(page, "the school's self-assessments")
    page.get_by_label("Prevent duty self-assessment for further education").check()
    page.fill("#id_title", "Our first check")
    _press(page, "Start")
    _checked(page, "the school's assessment, three steps")
    _follow(page, "FE3.1")
    _press(page, "Save your judgement")
    _checked(page, "a judgement without a level", errors=True)
    page.get_by_label("Amber: partly met").check()
    _press(page, "Save your judgement")
    _follow(page, "FE3.1")
    _follow(page, "Plan an action for a gap in this standard")
    _checked(page, "plan an action")
    page.fill("#id_text", "New staff are not trained yet")
    page.fill("#id_improvement", "Book them on the next course")
    _press(page, "Add the action")
    expect(page.get_by_text("Book them on the next course")).to_be_visible()
    _follow(page, "Sum up and sign off")
    _checked(page, "sum up and sign off")
