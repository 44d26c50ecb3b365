"""Core tasks work with JavaScript switched off: the service is progressively enhanced."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, expect

from preventhub.core.roles import Role
from preventhub.demo.services import DemoUser
from tests.e2e.browser import path_of, sign_in

pytestmark = pytest.mark.browser


def test_coordinator_signs_in_reaches_the_partnership_and_signs_out_without_javascript(
    new_context: Callable[..., BrowserContext], demo_users: dict[Role, DemoUser]
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    person = demo_users[Role.COORDINATOR]
    assert not person.totp_secret, "the coordinator is expected to sign in without a second factor"

    sign_in(page, person)
    # Nothing ran: the inline script that marks the page as JavaScript-enabled is inert.
    assert "js-enabled" not in (page.locator("body").get_attribute("class") or "")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("header").get_by_role("button", name="Sign out")).to_be_visible()

    # The service navigation is usable as plain links (no Menu toggle needed).
    with page.expect_navigation():
        navigation = page.locator(".govuk-service-navigation__list")
        navigation.get_by_role("link", name="Partnership", exact=True).click()
    assert path_of(page) == "/partnership/"
    expect(page.locator("h1")).to_have_text("Partnership")
    expect(page.locator("main")).to_contain_text("Stafford")  # the demo partnership's data
    current = page.locator(".govuk-service-navigation__list a[aria-current='page']")
    expect(current).to_have_text("Partnership")

    # Signing out is a POST form, so it works without JavaScript too.
    with page.expect_navigation():
        page.locator("header").get_by_role("button", name="Sign out").click()
    assert path_of(page) == "/account/sign-in/"
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have signed out.")
    response = page.goto("/partnership/")
    assert path_of(page) == "/account/sign-in/", (
        "a signed-out browser must not reach the partnership page"
    )
    assert response is not None and response.status == 200
