"""A form that changes something is sent once, however often its button is pressed.

A double click, or a second press while the next page loads, sent the form twice: the server
recorded the activity (the meeting, the referral) twice, or answered the second with the conflict
page although the first had landed. ``app.js`` lets a POST form be sent once until the next page
replaces it; a search (GET) form is left alone.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import APIResponse, BrowserContext, Page, Route

from preventhub.core.roles import Role
from preventhub.demo.services import DemoUser
from preventhub.engagement.models import Activity
from tests.e2e.browser import sign_in

pytestmark = pytest.mark.browser

# Counts, after app.js has seen it, each submission that would go to the server, and keeps the
# page where it is so the next press can be counted too.
COUNT_SUBMISSIONS = """
window.__sent = 0;
window.addEventListener("submit", (event) => {
  if (!event.defaultPrevented) {
    window.__sent += 1;
  }
  event.preventDefault();
});
"""


def _pressed_twice(page: Page, form: str) -> int:
    page.wait_for_load_state("load")  # app.js has run
    page.evaluate(COUNT_SUBMISSIONS)
    page.evaluate(f"document.querySelector({form!r}).requestSubmit()")
    page.evaluate(f"document.querySelector({form!r}).requestSubmit()")
    return page.evaluate("window.__sent")


def test_a_form_that_saves_is_sent_once_and_a_search_as_often_as_asked(
    page: Page, demo_users: dict[Role, DemoUser]
) -> None:
    sign_in(page, demo_users[Role.COORDINATOR])

    page.goto("/engagement/activities/new/")
    assert _pressed_twice(page, "main form[method=post]") == 1

    page.goto("/partnership/")
    assert _pressed_twice(page, "main form[method=get]") == 2


Held = list[tuple[Route, APIResponse]]


def _activity_filled_in(page: Page, title: str) -> Held:
    """The new activity form filled in, each sending of it held: it reaches the server, whose
    answer is kept back, so the page is still there, loading, when its button is pressed again.
    The sendings are listed in the list returned, as they come."""
    page.goto("/engagement/activities/new/")
    page.wait_for_load_state("load")  # app.js has run, where it may
    page.fill("#id_title", title)
    page.select_option("#id_kind", index=1)
    page.fill("#id_held_on", "2026-11-03")
    page.check("input[name=audience]:not([value='']) >> nth=0")
    page.check("input[name=channel]:not([value='']) >> nth=0")
    held: Held = []

    def hold_answer(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        held.append((route, route.fetch(max_redirects=0)))

    page.route("**/engagement/activities/new/", hold_answer)
    return held


def _press_save_twice(page: Page, held: Held) -> None:
    """Press "Save" as a person does, with the mouse (a locator's click would wait for the
    loading page), then again once the first sending has reached the server."""
    save = page.get_by_role("button", name="Save")
    save.scroll_into_view_if_needed()
    box = save.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)
    for _ in range(200):
        if held:
            break
        page.wait_for_timeout(50)
    page.mouse.click(x, y)
    page.wait_for_timeout(500)  # time for a second form to reach the server, were it sent


def test_a_second_press_while_the_next_page_loads_records_the_activity_once(
    page: Page, demo_users: dict[Role, DemoUser]
) -> None:
    sign_in(page, demo_users[Role.COORDINATOR])
    held = _activity_filled_in(page, "Assembly on online safety, pressed twice")
    _press_save_twice(page, held)

    assert len(held) == 1
    assert Activity.objects.filter(title="Assembly on online safety, pressed twice").count() == 1
    route, answer = held[0]
    with page.expect_navigation():
        route.fulfill(response=answer)
    assert page.locator(".govuk-error-summary").count() == 0


def test_without_javascript_a_second_press_goes_where_the_first_went_and_records_once(
    new_context: Callable[..., BrowserContext], demo_users: dict[Role, DemoUser]
) -> None:
    """The browser alone sends the form again; the server takes it where the first went."""
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, demo_users[Role.COORDINATOR])
    held = _activity_filled_in(page, "Assembly on online safety, pressed twice without JavaScript")
    _press_save_twice(page, held)
    for _ in range(200):
        if len(held) == 2:
            break
        page.wait_for_timeout(50)

    assert Activity.objects.filter(title__endswith="pressed twice without JavaScript").count() == 1
    (_, first), (route, second) = held
    assert (first.status, second.status) == (302, 302)
    assert second.headers["location"] == first.headers["location"]
    with page.expect_navigation():
        route.fulfill(response=second)
    page.wait_for_load_state()
    assert "You sent that form twice. It was saved once" in page.content()
