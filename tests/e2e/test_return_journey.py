"""The return journey in a browser: a partner lead fills in and sends their local profile data
return, the coordinator returns it for correction, and every page on the way passes axe-core."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from preventhub.core.calendar import quarter_of
from preventhub.core.roles import Role
from preventhub.demo.services import DemoUser
from preventhub.returns.models import PartnerReturn
from tests.e2e.browser import describe_violations, run_axe, sign_in

pytestmark = pytest.mark.browser

PARTNER = "Demo Integrated Care Board (fictional)"


def _open_quarter() -> str:
    """The quarter the demo, loaded today, has open: its returns are the ones still owed."""
    return quarter_of(datetime.date.today())[0]


def _checked(page: Page, where: str, *, errors: bool = False) -> None:
    expect(page.locator("h1")).to_have_count(1)
    if errors:
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        assert page.title().startswith("Error: "), where
    violations = run_axe(page)
    assert not violations, describe_violations(f"{where} ({page.url})", violations)


def _press(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def test_a_partner_sends_a_data_return_and_the_coordinator_returns_it(
    axe_page: Page,
    new_context: Callable[..., object],
    demo_users: dict[Role, DemoUser],
) -> None:
    page = axe_page
    sign_in(page, demo_users[Role.PARTNER_LEAD])
    page.goto("/")
    due = page.get_by_role("link", name=f"Local profile data return for {_open_quarter()}")
    expect(due).to_be_visible()
    expect(page.get_by_text(f"From {PARTNER}, due by").first).to_be_visible()
    _checked(page, "home page with returns due")

    with page.expect_navigation():
        due.click()
    expect(
        page.get_by_text("Counts only. Never name, describe or give contact details")
    ).to_be_visible()
    _checked(page, "data return")

    fields = page.locator("input[id^='id_value_']")
    count = fields.count()
    assert count > 0
    page.fill("#id_value_0", "-3")
    _press(page, "Save figures")
    _checked(page, "data return with an error", errors=True)
    expect(page.locator(".govuk-error-summary")).to_contain_text("The figure cannot be negative")

    for index in range(count):
        page.fill(f"#id_value_{index}", "5")
        page.fill(f"#id_note_{index}", "From the safeguarding log")
    _press(page, "Save figures")
    _press(page, "Send return")
    expect(page.locator(".govuk-summary-list").first).to_contain_text("Sent")
    _checked(page, "data return, sent")

    found = PartnerReturn.objects.get(
        organisation__name=PARTNER, window__period__name=_open_quarter(), window__kind="ctlp"
    )
    assert found.status == "submitted"

    coordinator = new_context(bypass_csp=True).new_page()  # type: ignore[attr-defined]
    sign_in(coordinator, demo_users[Role.COORDINATOR])
    coordinator.goto(f"/returns/windows/{found.window_id}/")
    _checked(coordinator, "return window")
    with coordinator.expect_navigation():
        coordinator.get_by_role("link", name=PARTNER).click()
    with coordinator.expect_navigation():
        coordinator.get_by_role("link", name="Return for correction").click()
    _press(coordinator, "Return for correction")
    _checked(coordinator, "return for correction, no reason", errors=True)
    coordinator.fill("#id_reason", "The Tamworth figures look like last year's.")
    _press(coordinator, "Return for correction")
    expect(coordinator.locator(".moj-timeline")).to_contain_text("last year's")
    _checked(coordinator, "data return, returned for correction")

    page.goto("/")
    expect(page.get_by_text("It was returned for correction.")).to_be_visible()
