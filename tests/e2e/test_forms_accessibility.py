"""Pages off the service navigation, and forms in their error states, also pass axe-core.

test_roles_accessibility.py checks what each role's navigation offers, and
test_crawl_accessibility.py every page reachable by a link; this module checks the states no link
reaches: forms after a failed submission (where the error summary, error messages and hint
wiring live), the signed-out password reset page, the 404 and 400 pages, the conflict page of
a save that lost to another, and the page of a form sent again while its first sending is saved.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from preventhub.accounts.models import User
from preventhub.core.roles import Role
from preventhub.demo.services import DemoUser
from tests.e2e.browser import describe_violations, path_of, run_axe, sign_in, totp

pytestmark = pytest.mark.browser


@pytest.fixture
def check(axe_page: Page) -> Callable[..., None]:
    """Assert the page answered as expected, shows an h1 and has no axe violation."""

    def check_page(where: str, *, errors: bool = False) -> None:
        expect(axe_page.locator("h1")).to_have_count(1)
        if errors:
            expect(axe_page.locator(".govuk-error-summary")).to_be_visible()
            assert axe_page.title().startswith("Error: "), (
                f"{where}: the title must start 'Error: '"
            )
            # Each error in the summary links to a field on the page (axe does not check this).
            summary_links = axe_page.locator(".govuk-error-summary__list a")
            for index in range(summary_links.count()):
                href = summary_links.nth(index).get_attribute("href") or ""
                assert len(href) > 1 and axe_page.locator(href).count() == 1, (
                    f"{where}: the error summary links to {href!r}, which is no field on the page"
                )
        violations = run_axe(axe_page)
        assert not violations, describe_violations(f"{where} ({axe_page.url})", violations)

    return check_page


def _submit(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def _follow(page: Page, link: str) -> None:
    with page.expect_navigation():
        page.get_by_role("link", name=link, exact=True).click()


def test_signed_out_pages_and_errors(
    axe_page: Page, check: Callable[..., None], demo_users: dict[Role, DemoUser]
) -> None:
    page = axe_page
    page.goto("/account/sign-in/")
    _submit(page, "Sign in")
    check("sign-in, nothing entered", errors=True)

    page.fill("#id_email", demo_users[Role.COORDINATOR].email)
    page.fill("#id_password", "not the password")
    _submit(page, "Sign in")
    check("sign-in, wrong password", errors=True)

    _follow(page, "I have forgotten my password")
    assert path_of(page) == "/account/password-reset/"
    check("password reset")
    _submit(page, "Send the link")
    check("password reset, nothing entered", errors=True)

    response = page.goto("/no-such-page/")
    assert response is not None and response.status == 404
    check("404 page")

    response = page.goto("/account/sign-in/?page=%00")
    assert response is not None and response.status == 400
    check("400 page (a NUL character in the address)")


def test_account_forms_with_errors(
    axe_page: Page, check: Callable[..., None], demo_users: dict[Role, DemoUser]
) -> None:
    page = axe_page
    sign_in(page, demo_users[Role.COORDINATOR])

    page.goto("/account/")
    _follow(page, "Change your password")
    _submit(page, "Change password")
    check("password change, nothing entered", errors=True)

    page.goto("/account/")
    _follow(page, "Set up two-factor authentication")
    assert path_of(page) == "/account/two-factor/set-up/"
    page.fill("#id_code", "12345x")
    _submit(page, "Continue")
    check("two-factor set-up, wrong code", errors=True)


def test_two_factor_and_user_forms_with_errors(
    axe_page: Page, check: Callable[..., None], demo_users: dict[Role, DemoUser]
) -> None:
    page, person = axe_page, demo_users[Role.ADMINISTRATOR]
    page.goto("/account/sign-in/")
    page.fill("#id_email", person.email)
    page.fill("#id_password", person.password)
    _submit(page, "Sign in")
    assert path_of(page) == "/account/two-factor/"
    right = totp(person.totp_secret)
    page.fill("#id_code", f"{(int(right) + 500_000) % 1_000_000:06d}")
    _submit(page, "Continue")
    check("two-factor, wrong code", errors=True)
    time.sleep(1.1)  # django-otp throttles the next attempt for a second after a failure
    page.fill("#id_code", right)
    _submit(page, "Continue")
    assert path_of(page) == "/"

    page.goto("/users/")
    _follow(page, "Invite someone")
    assert path_of(page) == "/users/invite/"
    _submit(page, "Send invitation")
    check("invite someone, nothing entered", errors=True)

    subject = User.objects.get(email=demo_users[Role.DISTRICT_LEAD].email)
    page.goto(f"/users/{subject.pk}/")
    page.fill("#id_full_name", "")
    _submit(page, "Save changes")
    check("edit a person, name removed", errors=True)


def test_narrow_screen_menu(
    new_context: Callable[..., BrowserContext], demo_users: dict[Role, DemoUser]
) -> None:
    """At 320 CSS pixels (WCAG 1.4.10 reflow) the navigation folds behind a working Menu button."""
    page = new_context(bypass_csp=True, viewport={"width": 320, "height": 640}).new_page()
    sign_in(page, demo_users[Role.DPO])
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#navigation")).to_be_hidden()
    violations = run_axe(page)
    assert not violations, describe_violations("home, narrow, menu closed", violations)

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#navigation").get_by_role("link", name="Audit log")).to_be_visible()
    violations = run_axe(page)
    assert not violations, describe_violations("home, narrow, menu open", violations)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, "the page scrolls sideways"


def test_statistics_tables_and_their_errors(
    axe_page: Page, check: Callable[..., None], demo_users: dict[Role, DemoUser]
) -> None:
    """The protected two-way table (headers for rows and columns) and a refused question."""
    page = axe_page
    sign_in(page, demo_users[Role.COORDINATOR])
    page.goto("/cases/statistics/?period=2018-19-Q3&by=age_band&then_by=outcome")
    expect(page.locator("#statistics-table thead th")).to_have_count(11)
    check("a two-way table of referral statistics")
    page.goto("/cases/statistics/?period=2018-19-Q3&by=gender&then_by=gender")
    check("statistics, the same dimension twice", errors=True)


def test_the_conflict_page_of_a_save_that_lost_to_another(
    axe_page: Page, check: Callable[..., None], demo_users: dict[Role, DemoUser]
) -> None:
    """Someone else's organisation of the same name lands between the form's check and its save
    (core.middleware.WriteClashMiddleware): the conflict page, which no link reaches."""
    from django.db.models.signals import pre_save

    from preventhub.partnership.models import Organisation

    def rival_lands_first(sender: object, instance: Organisation, **kwargs: object) -> None:
        if instance.pk is None and instance.name == "Acme Trust":
            Organisation.objects.bulk_create([Organisation(name=instance.name)])

    page = axe_page
    sign_in(page, demo_users[Role.COORDINATOR])
    page.goto("/partnership/organisations/new/")
    page.fill("#id_name", "Acme Trust")
    pre_save.connect(rival_lands_first, sender=Organisation, weak=False)
    try:
        _submit(page, "Save")
    finally:
        pre_save.disconnect(rival_lands_first, sender=Organisation)
    expect(page.locator("h1")).to_have_text("Not saved: someone else saved at the same moment")
    expect(page.get_by_role("link", name="Open the page again")).to_have_attribute(
        "href", "/partnership/organisations/new/"
    )
    check("the conflict page")


def test_the_page_of_a_form_sent_again_while_it_is_saved(
    axe_page: Page,
    check: Callable[..., None],
    demo_users: dict[Role, DemoUser],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The form's first sending still holds its token (core.once): the second waits, then says
    the form is still being saved; no link reaches that page."""
    from preventhub.core import once
    from preventhub.core.models import SentForm

    monkeypatch.setattr(once, "WAIT_FOR_FIRST_SECONDS", 0.2)
    page = axe_page
    sign_in(page, demo_users[Role.COORDINATOR])
    page.goto("/partnership/organisations/new/")
    page.fill("#id_name", "Acme Trust")
    token = page.locator(f"main input[name={once.FIELD}]").input_value()
    SentForm.objects.create(
        token=token, user=User.objects.get(email=demo_users[Role.COORDINATOR].email)
    )
    _submit(page, "Save")
    expect(page.locator("h1")).to_have_text("Your form is still being saved")
    check("the page of a form sent again while it is saved")
