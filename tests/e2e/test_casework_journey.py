"""A referral's journey in the browser, each page checked by axe-core: intake (with its errors
and its possible earlier referrals), triage, routing and the case page as the police officer;
the panel's meeting and decision pages and the case page as the Channel chair."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from preventhub.casework.models import Referral
from preventhub.core.roles import Role
from preventhub.demo.services import DemoUser
from preventhub.partnership.models import Meeting
from tests.e2e.browser import describe_violations, path_of, run_axe, sign_in

pytestmark = pytest.mark.browser


def check(page: Page, where: str, *, errors: bool = False) -> None:
    expect(page.locator("h1")).to_have_count(1)
    if errors:
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        assert page.title().startswith("Error: "), where
    violations = run_axe(page)
    assert not violations, describe_violations(f"{where} ({page.url})", violations)


def submit(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def follow(page: Page, link: str) -> None:
    with page.expect_navigation():
        page.get_by_role("link", name=link, exact=True).click()


def fill_referral(page: Page, given: str, family: str, born: str) -> None:
    page.fill("#id_referrer_organisation", "Demo Academy (fictional)")
    page.select_option("#id_referrer_sector", "education")
    page.fill("#id_given_name", given)
    page.fill("#id_family_name", family)
    page.fill("#id_date_of_birth", born)
    page.click("label[for=id_gender_1]")
    page.select_option("#id_concern_type", index=1)
    page.fill("#id_concerns", "Fictional concern for the browser test")
    page.click("label[for=id_awareness_3]")


def test_the_police_take_a_referral_from_intake_to_channel(
    axe_page: Page, demo_users: dict[Role, DemoUser]
) -> None:
    page = axe_page
    sign_in(page, demo_users[Role.POLICE_OFFICER])
    page.goto("/cases/")
    check(page, "the referral list")

    follow(page, "Record a referral")
    check(page, "the intake form")
    submit(page, "Continue")
    check(page, "the intake form with errors", errors=True)

    earlier = Referral.objects.filter(purged_on__isnull=True, date_of_birth__gt="").first()
    assert earlier is not None
    fill_referral(page, earlier.given_name, earlier.family_name, earlier.date_of_birth)
    submit(page, "Continue")
    expect(page.locator("#possible-duplicates")).to_contain_text(earlier.reference)
    check(page, "the intake form showing possible earlier referrals")
    submit(page, "Save the referral")
    assert path_of(page).startswith("/cases/")
    check(page, "a new referral's case page")

    follow(page, "Record triage and deconfliction")
    check(page, "the triage form")
    submit(page, "Record triage")
    check(page, "the triage form with errors", errors=True)
    page.click("label[for=id_category_0]")
    page.fill("#id_decision", "Refer to the Channel panel")
    page.fill("#id_rationale", "Clear concern, nothing known elsewhere")
    submit(page, "Record triage")

    follow(page, "Route the referral")
    check(page, "the routing form")
    page.click("label[for=id_route_3]")
    page.fill("#id_reason", "Needs multi-agency support")
    page.select_option("#id_panel", label="Staffordshire Channel Panel")
    submit(page, "Record routing")
    expect(page.locator("#timeline")).to_contain_text("Routed: channel panel")
    check(page, "the case page after routing")


def test_the_chair_works_the_panel(
    new_context: Callable[..., BrowserContext], demo_users: dict[Role, DemoUser]
) -> None:
    page = new_context(bypass_csp=True).new_page()
    sign_in(page, demo_users[Role.CHANNEL_CHAIR])
    page.goto("/cases/panel/")
    check(page, "the panel's meetings")
    with page.expect_navigation():
        page.locator("a", has_text="Overdue reviews").click()
    check(page, "overdue reviews")
    page.go_back()
    meeting = Meeting.objects.filter(case_agenda__isnull=False).order_by("-held_on").first()
    assert meeting is not None
    page.goto(f"/cases/panel/meetings/{meeting.pk}/")
    check(page, "a meeting's cases")
    page.locator("table a[href^='/cases/']").first.click()
    page.wait_for_load_state()
    check(page, "a Channel case page")
    expect(page.locator("#timeline .moj-timeline__item").first).to_be_visible()
    follow(page, "Record consent")
    submit(page, "Save")
    check(page, "the consent form with errors", errors=True)
