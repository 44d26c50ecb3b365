"""Every role signs in through the real forms and every page it can reach passes axe-core.

For each demo role: the sign-in page (and the two-factor page, for roles that have one), the home
page, every link of the service navigation, every work item of the home page, and the
accessibility and cookies pages must answer 200 (no 403, 404 or 500: no dead ends), show an
``h1`` and have no WCAG 2.0/2.1/2.2 A or AA violation that axe-core can find.

Each role's home page is also photographed at 320 and 1280 CSS pixels wide, into
:data:`SCREENSHOTS` (``var/`` is ignored by git), and must not scroll sideways at 320 px
(WCAG 1.4.10, reflow).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from preventhub.core.roles import Role
from preventhub.demo.services import PEOPLE, DemoUser
from tests.e2e.browser import describe_violations, path_of, run_axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.markup]

DEMO_ROLES = [role for role, *_ in PEOPLE]
ALWAYS_VISITED = ["/", "/accessibility/", "/cookies/"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "home"
WIDTHS = (320, 1280)


def test_every_role_is_in_the_demo() -> None:
    assert set(DEMO_ROLES) == set(Role), "each role needs a demo person for the browser tests"


def _check_page(page: Page, where: str, problems: list[str]) -> None:
    """The page shows a heading and axe finds nothing; problems are collected, not raised."""
    if page.locator("h1").count() == 0:
        problems.append(f"{where}: no h1")
    violations: list[dict[str, Any]] = run_axe(page)
    if violations:
        problems.append(describe_violations(where, violations))


def _visit(page: Page, href: str, problems: list[str], fragments: set[str]) -> None:
    response = page.goto(href)
    for fragment in sorted(fragments):
        if page.locator(f"[id='{fragment}']").count() == 0:
            problems.append(f"{href}: has no #{fragment} for a link to lead to")
    where = f"{href} (as shown at {path_of(page)})"
    if response is None or response.status != 200:
        problems.append(f"{href}: answered {response.status if response else 'nothing'}, not 200")
    elif path_of(page) != urlsplit(href).path:
        problems.append(f"{href}: was redirected to {page.url}")
    _check_page(page, where, problems)


def _hrefs(page: Page, selector: str) -> list[str]:
    links = page.locator(selector)
    return [links.nth(index).get_attribute("href") or "" for index in range(links.count())]


def _photograph_home(page: Page, role: Role, problems: list[str]) -> None:
    """The home page at each width, as a full-page screenshot; at 320 px it must not scroll
    sideways."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto("/")
        page.screenshot(path=str(SCREENSHOTS / f"{role.value}-{width}.png"), full_page=True)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            problems.append(f"/ at {width} px: scrolls sideways by {overflow} px")
    page.set_viewport_size({"width": 1280, "height": 800})


@pytest.mark.parametrize("role", DEMO_ROLES, ids=[role.value for role in DEMO_ROLES])
def test_every_page_a_role_reaches_is_accessible(
    role: Role, axe_page: Page, demo_users: dict[Role, DemoUser]
) -> None:
    page, person = axe_page, demo_users[role]
    problems: list[str] = []

    sign_in(page, person, on_each_step=lambda step: _check_page(page, step, problems))

    hrefs = _hrefs(page, "nav .govuk-service-navigation__list a")
    assert "/account/" in hrefs, (
        f"{role.label}: the service navigation lacks 'Your account': {hrefs}"
    )
    work = _hrefs(page, "main .govuk-task-list__link")
    if role != Role.ADMINISTRATOR:
        assert work, f"{role.label}: the home page offers no work item"
    _photograph_home(page, role, problems)
    # A work item's link may carry a fragment: each page is checked once, with its fragments.
    pages: dict[str, set[str]] = {}
    for link in [*ALWAYS_VISITED, *hrefs, *work]:
        assert link and link.startswith("/"), f"{role.label}: link {link!r} is not a path"
        href, _, fragment = link.partition("#")
        pages.setdefault(href, set()).update({fragment} - {""})
    for href, fragments in pages.items():
        _visit(page, href, problems, fragments)

    assert not problems, f"{role.label} ({person.email}):\n" + "\n".join(problems)
