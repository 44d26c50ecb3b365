"""Engagement, the guidance library and information sharing in a browser: the coordinator and a
district lead walk every new page of the demo, each page passing axe-core.

Marked ``markup``, as the other walks with axe-core are: what it checks is the HTML and CSS the
browser is given, which no database changes, so ``make test`` runs it once, on SQLite."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from preventhub.core.roles import Role
from preventhub.demo.services import DemoUser
from preventhub.engagement.models import Activity, KeyMessage
from preventhub.exchange.models import SharingRequest
from preventhub.guidance.models import GuidanceDocument
from preventhub.partnership.models import Area
from tests.e2e.browser import describe_violations, run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.markup]


def _checked(page: Page, path: str, problems: list[str]) -> None:
    response = page.goto(path)
    if response is None or response.status != 200:
        problems.append(f"{path}: answered {response.status if response else 'nothing'}")
        return
    if page.locator("h1").count() != 1:
        problems.append(f"{path}: not one h1")
    violations = run_axe(page)
    if violations:
        problems.append(describe_violations(path, violations))


def test_the_new_pages_are_accessible_to_the_coordinator_and_a_district_lead(
    axe_page: Page, new_context: Callable[..., Any], demo_users: dict[Role, DemoUser]
) -> None:
    activity = Activity.objects.filter(reach__isnull=False).first()
    message = KeyMessage.objects.order_by("pk").first()
    joint = GuidanceDocument.objects.get(title__startswith="Joint Staffordshire")
    in_progress = SharingRequest.objects.get(status="approved")
    stafford = Area.objects.get(gss_code="E07000197")
    problems: list[str] = []

    coordinator = axe_page
    sign_in(coordinator, demo_users[Role.COORDINATOR])
    expect(coordinator.get_by_text("Engagement planned this month")).to_be_visible()
    expect(coordinator.get_by_text("Review overdue").first).to_be_visible()
    for path in [
        "/engagement/",
        "/engagement/?district=county",
        "/engagement/calendar/",
        f"/engagement/calendar/?district={stafford.pk}",
        f"/engagement/activities/{activity.pk}/",
        f"/engagement/activities/{activity.pk}/edit/",
        "/engagement/activities/new/",
        "/engagement/plan/",
        f"/engagement/plan/messages/{message.pk}/",
        "/engagement/figures/",
        "/engagement/districts/",
        f"/engagement/districts/{stafford.pk}/",
        "/guidance/",
        f"/guidance/documents/{joint.pk}/",
        f"/guidance/documents/{joint.pk}/readers/",
        f"/guidance/documents/{joint.pk}/versions/new/",
        "/guidance/documents/new/",
        "/information-sharing/",
        f"/information-sharing/{in_progress.pk}/",
        "/information-sharing/new/",
    ]:
        _checked(coordinator, path, problems)

    coordinator.goto("/engagement/activities/new/")
    with coordinator.expect_navigation():
        coordinator.get_by_role("button", name="Save").click()
    expect(coordinator.locator(".govuk-error-summary")).to_be_visible()
    assert coordinator.title().startswith("Error: ")
    violations = run_axe(coordinator)
    if violations:
        problems.append(describe_violations("activity form with errors", violations))

    lead = new_context(bypass_csp=True).new_page()
    sign_in(lead, demo_users[Role.DISTRICT_LEAD])
    expect(lead.get_by_role("link", name=re.compile("^Answer .* from "))).to_be_visible()
    expect(lead.get_by_text("Guidance to read")).to_be_visible()
    for path in [
        "/engagement/",
        f"/engagement/districts/{stafford.pk}/",
        f"/guidance/documents/{joint.pk}/",
        f"/information-sharing/{in_progress.pk}/",
        f"/information-sharing/{in_progress.pk}/answer/",
    ]:
        _checked(lead, path, problems)

    assert problems == [], "\n".join(problems)
