"""Every role signs in through the real forms and every page it can reach passes axe-core.

For each demo role: the sign-in page (and the two-factor page, for roles that have one), the home
page, every link of the service navigation, and the accessibility and cookies pages must answer
200, show an ``h1`` and have no WCAG 2.0/2.1/2.2 A or AA violation that axe-core can find.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from preventhub.core.roles import Role
from preventhub.demo.services import PEOPLE, DemoUser
from tests.e2e.browser import describe_violations, path_of, run_axe, sign_in

pytestmark = pytest.mark.browser

DEMO_ROLES = [role for role, *_ in PEOPLE]
ALWAYS_VISITED = ["/", "/accessibility/", "/cookies/"]


def test_every_role_is_in_the_demo() -> None:
    assert set(DEMO_ROLES) == set(Role), "each role needs a demo person for the browser tests"


def _check_page(page: Page, where: str, problems: list[str]) -> None:
    """The page shows a heading and axe finds nothing; problems are collected, not raised."""
    if page.locator("h1").count() == 0:
        problems.append(f"{where}: no h1")
    violations: list[dict[str, Any]] = run_axe(page)
    if violations:
        problems.append(describe_violations(where, violations))


def _visit(page: Page, href: str, problems: list[str]) -> None:
    response = page.goto(href)
    where = f"{href} (as shown at {path_of(page)})"
    if response is None or response.status != 200:
        problems.append(f"{href}: answered {response.status if response else 'nothing'}, not 200")
    elif path_of(page) != href:
        problems.append(f"{href}: was redirected to {page.url}")
    _check_page(page, where, problems)


@pytest.mark.parametrize("role", DEMO_ROLES, ids=[role.value for role in DEMO_ROLES])
def test_every_page_a_role_reaches_is_accessible(
    role: Role, axe_page: Page, demo_users: dict[Role, DemoUser]
) -> None:
    page, person = axe_page, demo_users[role]
    problems: list[str] = []

    sign_in(page, person, on_each_step=lambda step: _check_page(page, step, problems))

    links = page.locator("nav .govuk-service-navigation__list a")
    hrefs = [links.nth(index).get_attribute("href") for index in range(links.count())]
    assert "/account/" in hrefs, (
        f"{role.label}: the service navigation lacks 'Your account': {hrefs}"
    )
    for href in dict.fromkeys([*ALWAYS_VISITED, *hrefs]):
        assert href and href.startswith("/"), (
            f"{role.label}: navigation link {href!r} is not a path"
        )
        _visit(page, href, problems)

    assert not problems, f"{role.label} ({person.email}):\n" + "\n".join(problems)
