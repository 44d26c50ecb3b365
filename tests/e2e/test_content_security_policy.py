"""The strict, nonce-based Content Security Policy holds in a real browser and breaks nothing.

The context here enforces CSP (unlike the axe runs): the one inline script must run thanks to its
nonce, GOV.UK Frontend and MOJ Frontend must load from 'self' and initialise, and the browser must
report no violation at all.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import ConsoleMessage, Page

from preventhub.core.roles import Role
from preventhub.demo.services import DemoUser
from tests.e2e.browser import path_of, sign_in

pytestmark = pytest.mark.browser

# Runs before any page script, through the DevTools protocol (so CSP does not block it), and
# records every securitypolicyviolation event the page raises.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || ""}:${event.lineNumber || ""}`);
});
"""


def test_pages_load_under_the_csp_without_violations(
    page: Page, demo_users: dict[Role, DemoUser]
) -> None:
    csp_messages: list[str] = []
    errors: list[str] = []
    failed: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        # Chromium reports a blocked script, style or image as a console message (an error, or a
        # warning for report-only) naming the Content Security Policy.
        if "Content Security Policy" in message.text:
            csp_messages.append(f"{message.type}: {message.text}")
        elif message.type == "error":
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    page.on("requestfailed", lambda request: failed.append(f"{request.url}: {request.failure}"))
    page.context.add_init_script(RECORD_VIOLATIONS)

    # The administrator passes through the sign-in page, the two-factor page and the home page.
    sign_in(page, demo_users[Role.ADMINISTRATOR])
    assert path_of(page) == "/"
    page.wait_for_load_state("load")  # the deferred scripts have run

    # The nonce'd inline script in the base template ran...
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')"), (
        "the inline script did not run: is its nonce missing or wrong?"
    )
    # ...and app.js initialised GOV.UK Frontend, which marks each component it starts.
    assert page.locator(".govuk-skip-link[data-govuk-skip-link-init]").count() == 1, (
        "GOV.UK Frontend did not initialise: did all.bundle.js or app.js fail to load?"
    )
    assert page.evaluate("typeof window.MOJFrontend") == "object"
    recorded = page.evaluate("window.__cspViolations")
    assert not recorded, f"CSP violations on the home page: {recorded}"

    # Every other page in the navigation, under the same policy.
    links = page.locator("nav .govuk-service-navigation__list a")
    for href in [links.nth(index).get_attribute("href") for index in range(links.count())]:
        page.goto(href)
        page.wait_for_load_state("load")
        recorded = page.evaluate("window.__cspViolations")
        assert not recorded, f"CSP violations on {href}: {recorded}"

    assert not csp_messages, "CSP violations reported by the browser:\n" + "\n".join(csp_messages)
    assert not errors, "JavaScript errors:\n" + "\n".join(errors)
    assert not failed, "requests that failed:\n" + "\n".join(failed)
