"""The long lists paged with the GOV.UK pagination component, in a browser: the partnership's
organisations (250 with the demo's, three pages) and the schools register (the demo's 411 schools,
five pages). Each page passes axe-core, and the "Next" and page-number links lead on."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from preventhub.core.roles import Role
from preventhub.demo.services import DemoUser
from preventhub.partnership.models import Organisation
from tests.e2e.browser import describe_violations, path_of, run_axe, sign_in

pytestmark = pytest.mark.browser


def _accessible(page: Page, problems: list[str]) -> None:
    assert page.locator("h1").count() == 1
    violations = run_axe(page)
    if violations:
        problems.append(describe_violations(page.url, violations))


def test_the_directory_and_the_register_page_through_their_lists(
    axe_page: Page, demo_users: dict[Role, DemoUser]
) -> None:
    # 250 with the demo's own: three pages, the last of 50.
    total = 250
    more = total - Organisation.objects.filter(is_archived=False).count()
    Organisation.objects.bulk_create(Organisation(name=f"Partner {n:03}") for n in range(more))
    problems: list[str] = []
    page = axe_page
    sign_in(page, demo_users[Role.COORDINATOR])

    page.goto("/partnership/")
    expect(page.locator("main")).to_contain_text(f"Showing 1 to 100 of {total} organisations")
    _accessible(page, problems)
    pages = page.get_by_role("navigation", name="Pages of organisations")
    with page.expect_navigation():
        pages.get_by_role("link", name="Next page").click()
    assert page.url.endswith("/partnership/?page=2")
    expect(page.locator("main")).to_contain_text(f"Showing 101 to 200 of {total} organisations")
    expect(pages.get_by_role("link", name="Page 2")).to_have_attribute("aria-current", "page")
    _accessible(page, problems)
    with page.expect_navigation():
        pages.get_by_role("link", name="Page 3").click()
    expect(page.locator("main")).to_contain_text(f"Showing 201 to {total} of {total}")
    expect(pages.get_by_role("link", name="Next page")).to_have_count(0)

    page.goto("/schools/")
    register = page.get_by_role("navigation", name="Pages of the register")
    expect(page.locator("main")).to_contain_text(
        re.compile(r"Showing 1 to 100 of \d+ establishments")
    )
    with page.expect_navigation():
        register.get_by_role("link", name="Next page").click()
    assert path_of(page) == "/schools/"
    expect(page.locator("main")).to_contain_text("Showing 101 to 200 of")
    _accessible(page, problems)
    assert problems == [], "\n".join(problems)
