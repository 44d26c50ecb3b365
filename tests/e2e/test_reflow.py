"""Pages reflow at 320 CSS pixels (WCAG 1.4.10): nothing makes the page scroll sideways.

A wide data table may scroll inside its own box, but the page itself must fit the viewport:
``document.scrollWidth`` is at most its width. At 1280 pixels the plan list is not squeezed
beside its filter: its Status column is in view.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from preventhub.audits.models import AuditRound
from preventhub.core.roles import Role
from preventhub.demo.services import DemoUser
from preventhub.partnership.models import ReportingPeriod
from tests.e2e.browser import path_of, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.markup]

NARROW = {"width": 320, "height": 640}
WIDE = {"width": 1280, "height": 900}

MAIN_PAGES = [
    "/",
    "/plan/",
    "/plan/versions/",
    "/plan/reports/",
    "/returns/",
    "/schools/audits/",
    "/training/",
    "/training/coverage/",
    "/local-profile/",
    "/local-profile/dataset/",
    "/local-profile/trends/",
    "/partnership/",
    "/account/",
]


def _report_pages() -> list[str]:
    closed = ReportingPeriod.objects.filter(status="closed").order_by("-ends_on")
    pages = [f"/plan/reports/{period.pk}/" for period in closed[:1]]
    pages += [f"/plan/reports/{period.pk}/" for period in closed.filter(name="2018/19 Q3")]
    audit_round = AuditRound.objects.get(name="2018")
    pages += [f"/schools/audits/{audit_round.pk}/", f"/schools/audits/{audit_round.pk}/breakdown/"]
    return pages


# What sticks out: the outermost elements, or text, reaching past the viewport's right edge.
WIDEST = """() => {
  const edge = window.innerWidth + 1;
  const out = [];
  for (const e of document.querySelectorAll('body *')) {
    if (e.getBoundingClientRect().right > edge
        && e.parentElement.getBoundingClientRect().right <= edge) {
      out.push(e.tagName + '.' + e.className);
    }
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const range = document.createRange();
    range.selectNodeContents(walker.currentNode);
    const parent = walker.currentNode.parentElement;
    if (range.getBoundingClientRect().right > edge && !parent.closest('.ph-table-scroll')) {
      out.push('text "' + walker.currentNode.textContent.trim().slice(0, 40) + '"');
    }
  }
  return out.slice(0, 4).join(', ');
}"""


def _overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than its viewport (0 when it fits)."""
    return page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"
    )


def _check(page: Page, hrefs: list[str]) -> tuple[list[str], list[str]]:
    """Visit each page; return those checked and the ones wider than the viewport."""
    problems, checked = [], []
    for href in hrefs:
        response = page.goto(href)
        if response is None or response.status != 200 or path_of(page) != href.split("?")[0]:
            continue  # reached elsewhere (navigation is tested on its own)
        checked.append(href)
        wider = _overflow(page)
        if wider:
            problems.append(f"{href}: {wider}px too wide ({page.evaluate(WIDEST)})")
    return checked, problems


def _navigation(page: Page) -> list[str]:
    links = page.locator("nav .govuk-service-navigation__list a")
    return [links.nth(index).get_attribute("href") or "" for index in range(links.count())]


def test_the_coordinators_main_pages_do_not_scroll_sideways_at_320_pixels(
    page: Page, demo_users: dict[Role, DemoUser]
) -> None:
    page.set_viewport_size(NARROW)
    sign_in(page, demo_users[Role.COORDINATOR])
    checked, problems = _check(page, MAIN_PAGES + _report_pages())
    assert len(checked) >= 10, checked
    assert not problems, "\n".join(problems)


def _case_pages() -> list[str]:
    from preventhub.casework.models import Referral
    from preventhub.partnership.models import Meeting

    adopted = Referral.objects.filter(adopted_on__isnull=False, stage="channel").first()
    held = Meeting.objects.filter(board__kind="channel_panel", case_agenda__isnull=False).first()
    return [f"/cases/{adopted.pk}/", f"/cases/panel/meetings/{held.pk}/"]


@pytest.mark.parametrize(
    "role",
    [Role.POLICE_OFFICER, Role.CHANNEL_CHAIR, Role.EDUCATION_LEAD, Role.PARTNER_LEAD],
    ids=lambda role: role.value,
)
def test_each_roles_pages_do_not_scroll_sideways_at_320_pixels(
    role: Role, page: Page, demo_users: dict[Role, DemoUser]
) -> None:
    page.set_viewport_size(NARROW)
    sign_in(page, demo_users[role])
    extra = _case_pages() if role in (Role.POLICE_OFFICER, Role.CHANNEL_CHAIR) else []
    checked, problems = _check(page, ["/", *_navigation(page), *extra])
    assert len(checked) >= 2, checked
    assert not problems, "\n".join(problems)


def test_the_main_pages_fit_at_1280_pixels(page: Page, demo_users: dict[Role, DemoUser]) -> None:
    page.set_viewport_size(WIDE)
    sign_in(page, demo_users[Role.COORDINATOR])
    checked, problems = _check(page, MAIN_PAGES + _report_pages())
    assert len(checked) >= 10, checked
    assert not problems, "\n".join(problems)


def test_the_plan_lists_status_column_is_in_view_at_1280_pixels(
    page: Page, demo_users: dict[Role, DemoUser]
) -> None:
    page.set_viewport_size(WIDE)
    sign_in(page, demo_users[Role.COORDINATOR])
    page.goto("/plan/")
    status = page.locator("table th", has_text="Status").first
    box = status.bounding_box()
    assert box is not None
    table_box = page.locator("table.govuk-table").first.bounding_box()
    main_box = page.locator("main").bounding_box()
    assert box["x"] + box["width"] <= main_box["x"] + main_box["width"] + 1
    assert table_box["width"] >= main_box["width"] * 0.9, "the plan is squeezed beside its filter"
    assert _overflow(page) == 0
