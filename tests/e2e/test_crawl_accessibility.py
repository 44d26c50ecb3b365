"""Every page a role can reach by following links, not only the navigation, passes axe-core.

One test walks the site as each demo role in turn, following the links in each page's header and
main content. A route (a URL pattern, whatever its arguments) is opened in Chromium and checked
once, as the first role that reaches it, so the walk grows with the number of routes, not with
the rows in the demo. Every link must resolve to a route and answer 200; every page checked must
show an ``h1`` and pass axe. The home page and the service navigation's pages are left to
test_roles_accessibility.py, which checks them for every role.

To keep the walk fast, links are gathered in-process with Django's test client, and each role's
session is made directly (``tests.conftest.sign_in``) and handed to the browser as its cookie:
the sign-in forms themselves are driven in test_roles_accessibility.py.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from playwright.sync_api import BrowserContext

from preventhub.accounts.models import User
from preventhub.core.navigation import links_for
from preventhub.core.roles import Role
from preventhub.demo.services import PEOPLE, DemoUser
from preventhub.partnership.models import Board
from tests.conftest import sign_in as sign_in_session
from tests.e2e.browser import describe_violations, path_of, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.markup]


class _Links(HTMLParser):
    """The href of every <a> inside <header> or <main>."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"header", "main"}:
            self.depth += 1
        elif tag == "a" and self.depth:
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"header", "main"} and self.depth:
            self.depth -= 1


def _page_links(html: str, base: str) -> list[str]:
    """Same-site page links (path and query) in ``html``, without fragments or file downloads."""
    parser = _Links()
    parser.feed(html)
    origin = urlsplit(base)
    found = []
    for href in parser.hrefs:
        parts = urlsplit(urljoin(base, href))
        if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc):
            continue
        if "." in parts.path.rstrip("/").rsplit("/", 1)[-1]:  # a file: CSV, spreadsheet, PDF
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def _route_of(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


def test_every_linked_page_is_accessible(
    new_context: Callable[..., BrowserContext], demo_users: dict[Role, DemoUser], live_server: Any
) -> None:
    checked: dict[str, str] = {}  # route -> the role whose walk checked it
    navigation: set[str | None] = set()  # routes test_roles_accessibility.py checks instead
    prevent_board = reverse(
        "partnership:board", args=[Board.objects.get(kind=Board.Kind.PREVENT_BOARD).pk]
    )
    problems: list[str] = []
    page = new_context(bypass_csp=True).new_page()  # bypass_csp: see the axe_page fixture

    for role, *_ in PEOPLE:
        user = User.objects.get(email=demo_users[role].email)
        client = sign_in_session(Client(), user)
        in_navigation = {"core:home", *(_route_of(link.href) for link in links_for(user))}
        navigation |= in_navigation
        page.context.clear_cookies()
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        walked: set[str] = set()
        # A route is walked once a role, through the first page of it found: start from the
        # board with meetings, so that meeting pages are reached too.
        queue = deque(["/", prevent_board])
        while queue:
            path = queue.popleft()
            route = _route_of(path)
            if route is None:
                problems.append(f"{role.label}: a link goes to {path}, which is no page")
                continue
            if route in walked:
                continue
            walked.add(route)
            response = client.get(path)
            if response.status_code in {301, 302, 303, 307, 308}:
                continue  # the page it leads to is walked under its own route when linked
            if response.status_code != 200:
                problems.append(f"{role.label}: {path} answered {response.status_code}")
                continue
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            queue.extend(_page_links(response.content.decode(), f"http://testserver{path}"))
            if route in checked or route in in_navigation:
                continue
            checked[route] = role.label
            browser_response = page.goto(path)
            assert browser_response is not None and browser_response.status == 200, path
            assert path_of(page) == urlsplit(path).path, f"{path} moved to {page.url}"
            if page.locator("h1").count() == 0:
                problems.append(f"{role.label}: {path} shows no h1")
            violations = run_axe(page)
            if violations:
                problems.append(describe_violations(f"{path} (as {role.label})", violations))

    assert not problems, "\n".join(problems)
    must_be_checked = {
        "accounts:password_change",
        "accounts:user_invite",
        "partnership:board",
        "partnership:meeting",
        "partnership:organisation",
        "partnership:district",
        "delivery:action",
        "delivery:update",
        "delivery:versions",
        "delivery:periods",
        "delivery:period_meeting",
        "delivery:district",
        "delivery_reports:report",
        "audits:round",
        "audits:round_breakdown",
        "audits:question",
        "audits:questions",
        "audits:scope",
        "audits:non_responders",
        "audits:action_plans",
        "audits:own_school_place",
        "audits:responses_import",
        "returns:window",
        "training:return",
        "training:coverage",
        "training:products",
        "localprofile:return",
        "localprofile:dataset",
        "localprofile:trends",
        "localprofile:district",
    }
    missed = must_be_checked - set(checked) - navigation
    assert not missed, f"never reached: {sorted(missed)}"
