"""The API's pages pass axe-core: its documentation, making a token (with errors and once made,
when its secret is shown), the list of one's tokens, and the administrator's service tokens."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from preventhub.core.roles import Role
from preventhub.demo.services import DemoUser
from tests.e2e.browser import describe_violations, path_of, run_axe, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def check(axe_page: Page) -> Callable[..., None]:
    def check_page(where: str, *, errors: bool = False) -> None:
        expect(axe_page.locator("h1")).to_have_count(1)
        if errors:
            expect(axe_page.locator(".govuk-error-summary")).to_be_visible()
            assert axe_page.title().startswith("Error: ")
        violations = run_axe(axe_page)
        assert not violations, describe_violations(f"{where} ({axe_page.url})", violations)

    return check_page


def _press(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def test_a_partner_lead_makes_a_token_and_sees_it_once(
    axe_page: Page, check: Callable[..., None], demo_users: dict[Role, DemoUser]
) -> None:
    page = axe_page
    sign_in(page, demo_users[Role.PARTNER_LEAD])
    with page.expect_navigation():
        page.get_by_role("link", name="API tokens").first.click()
    assert path_of(page) == "/api/tokens/"
    check("your API tokens, none yet")

    page.goto("/api/tokens/new/")
    _press(page, "Make token")
    check("make a token, nothing entered", errors=True)

    page.fill("#id_name", "Quarterly returns script")
    page.get_by_label("Read and write").check()
    page.fill("#id_expires_on", (datetime.date.today() + datetime.timedelta(days=90)).isoformat())
    _press(page, "Make token")
    secret = page.locator("#token-secret").inner_text()
    assert secret.startswith("ph_")
    check("the token, shown once")

    page.goto("/api/tokens/")
    expect(page.get_by_role("cell", name="Quarterly returns script", exact=True)).to_be_visible()
    assert secret not in page.content()
    check("your API tokens, one made")

    page.goto("/api/")
    check("the API's documentation")


def test_an_administrator_lists_and_makes_service_tokens(
    axe_page: Page, check: Callable[..., None], demo_users: dict[Role, DemoUser]
) -> None:
    page = axe_page
    sign_in(page, demo_users[Role.ADMINISTRATOR])
    page.goto("/api/service-tokens/")
    check("service tokens, none yet")
    page.goto("/api/service-tokens/new/")
    _press(page, "Make token")
    check("make a service token, nothing entered", errors=True)
