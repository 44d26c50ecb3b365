"""Helpers for the browser tests: signing in through the real forms, TOTP codes, axe-core runs."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import struct
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Page

from preventhub.demo.services import DemoUser

AXE_SOURCE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# Every WCAG 2.0, 2.1 and 2.2 level A and AA rule axe-core has; nothing switched off.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def totp(secret: str, *, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 TOTP (HMAC-SHA1) for a base32 secret, as an authenticator app computes it."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


def sign_in(
    page: Page, person: DemoUser, *, on_each_step: Callable[[str], None] | None = None
) -> None:
    """Sign in through the real forms, with the second factor where the person has one.

    ``on_each_step`` is called with a description on the sign-in page and the two-factor page,
    before they are filled in. django-otp will not accept the same code twice, so sign a given
    person in once per test. Works with JavaScript on or off: it fills fields and presses buttons.
    """
    response = page.goto("/account/sign-in/")
    assert response is not None and response.status == 200, "the sign-in page did not answer 200"
    if on_each_step:
        on_each_step("/account/sign-in/")
    page.fill("#id_email", person.email)
    page.fill("#id_password", person.password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in", exact=True).click()
    if person.totp_secret:
        assert path_of(page) == "/account/two-factor/", (
            f"{person.role}: expected the two-factor step after the password, got {page.url}"
        )
        if on_each_step:
            on_each_step(f"{page.url} (two-factor step)")
        page.fill("#id_code", totp(person.totp_secret))
        with page.expect_navigation():
            page.get_by_role("button", name="Continue", exact=True).click()
    assert path_of(page) == "/", (
        f"{person.role}: signing in should end on the home page, not {page.url}"
    )


@functools.cache
def _axe_source() -> str:
    return AXE_SOURCE.read_text(encoding="utf-8")


def load_axe_in(context: BrowserContext) -> None:
    """Have axe-core in every page ``context`` opens, from the moment each is created.

    Sent to the browser once, where injecting it into each page after it loads sent its half a
    megabyte over Playwright's pipe and had it compiled again every time: 0.14-0.2 s a page, as
    much as axe's own run. ``new_context`` does this for the contexts that bypass the page's CSP
    (see ``axe_page``), the only ones axe runs in.
    """
    context.add_init_script(script=_axe_source())


def run_axe(page: Page) -> list[dict[str, Any]]:
    """axe-core's WCAG A/AA violations on ``page`` (injected here if its context lacks it)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=_axe_source())
    return page.evaluate(
        """(tags) => axe.run(document, {
            runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"],  // skip detailing passes: faster, same violations
        }).then((results) =>
            results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({target: n.target, summary: n.failureSummary})),
            })))""",
        WCAG_TAGS,
    )


def describe_violations(where: str, violations: list[dict[str, Any]]) -> str:
    """A failure message that says what to fix and where."""
    lines = [f"{len(violations)} accessibility violation(s) on {where}:"]
    for violation in violations:
        rule = f"{violation['id']} ({violation['impact']})"
        lines.append(f"- {rule}: {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            target = " ".join(
                " > ".join(part) if isinstance(part, list) else part for part in node["target"]
            )
            summary = "; ".join(
                line.strip() for line in (node["summary"] or "").splitlines() if line.strip()
            )
            lines.append(f"    at {target}: {summary}")
    return "\n".join(lines)
