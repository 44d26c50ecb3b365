"""Putting mistakes right, in the browser, each page checked by axe-core: correcting and removing
training delivered on a return (with the duplicate warning), the result of "Send reminders" for a
return window and for the open quarter, and correcting a referral's intake details. The objects
are found in whatever the demo holds, not by their names, so the test follows the demo as it
changes."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from preventhub.accounts.models import User
from preventhub.casework import access
from preventhub.core.roles import Role
from preventhub.demo.services import DemoUser
from preventhub.partnership.models import ReportingPeriod
from preventhub.returns.models import EDITABLE, PartnerReturn, ReturnKind
from preventhub.training import queries as training_queries
from preventhub.training import services as training
from preventhub.training.models import TrainingSession
from tests.e2e.browser import describe_violations, run_axe, sign_in

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


def _a_training_session() -> tuple[PartnerReturn, TrainingSession]:
    """A training return still being filled in, with training delivered on it."""
    returns = PartnerReturn.objects.filter(
        window__kind=ReturnKind.TRAINING, status__in=EDITABLE
    ).select_related("window__period", "organisation")
    assert returns.exists(), "the demo has no training return being filled in"
    for found in returns:
        sessions = training_queries.training_return(found).sessions
        if sessions:
            return found, sessions[0]
    found = returns.first()
    assert found is not None
    group = training_queries.role_groups_for(found.organisation).first()
    assert group is not None, "the demo's partner has no role groups"
    session = training.record_session(
        organisation=found.organisation,
        held_on=found.window.period.starts_on,
        level=group.level,
        mode="online",
        attendees={group: 4},
    )
    return found, session


def test_the_coordinator_corrects_training_and_reads_the_reminders_result(
    axe_page: Page, demo_users: dict[Role, DemoUser]
) -> None:
    page = axe_page
    found, session = _a_training_session()
    sign_in(page, demo_users[Role.COORDINATOR])

    page.goto(f"/training/returns/{found.pk}/sessions/{session.pk}/edit/")
    check(page, "correct training delivered")
    page.get_by_label("Facilitator").fill("Corrected facilitator")
    submit(page, "Save correction")
    expect(page.get_by_text("Training delivered changed.")).to_be_visible()
    check(page, "training return with a correction in its history")

    page.goto(f"/training/returns/{found.pk}/sessions/new/")
    page.fill("#id_held_on", session.held_on.isoformat())
    page.select_option("#id_level", str(session.level_id))
    page.check(f"input[name=mode][value={session.mode}]", force=True)
    page.select_option("#id_product", str(session.product_id or ""))
    first = session.attendance.first()
    assert first is not None
    page.fill(f"#id_attendees_{first.role_group_id}", "1")
    submit(page, "Add training")
    expect(page.get_by_text("This is a different session: record it as well")).to_be_visible()
    check(page, "training that looks recorded twice", errors=True)

    page.goto(f"/training/returns/{found.pk}/sessions/{session.pk}/remove/")
    check(page, "remove training delivered")
    submit(page, "Remove training")
    expect(page.get_by_text("Training delivered removed.")).to_be_visible()

    page.goto(f"/returns/windows/{found.window_id}/")
    submit(page, "Send reminders")
    expect(page.locator("h1")).to_have_text("Reminders sent")
    check(page, "the result of sending return reminders")

    period = ReportingPeriod.objects.filter(status=ReportingPeriod.Status.OPEN).first()
    assert period is not None, "the demo has no open quarter"
    page.goto("/plan/periods/")
    submit(page, "Send reminders")
    expect(page.locator("h1")).to_have_text("Reminders sent")
    check(page, "the result of sending reminders")


def test_a_police_officer_corrects_a_referrals_intake_details(
    axe_page: Page, demo_users: dict[Role, DemoUser]
) -> None:
    page = axe_page
    officer = User.objects.get(email=demo_users[Role.POLICE_OFFICER].email)
    referral = access.worked_referrals(officer).order_by("pk").first()
    assert referral is not None, "the demo's police officer works no case"
    sign_in(page, demo_users[Role.POLICE_OFFICER])

    page.goto(f"/cases/{referral.pk}/intake/")
    check(page, "correct the intake details")
    submit(page, "Save the correction")
    check(page, "correct the intake details, no reason given", errors=True)

    page.fill("#id_address", "1 Corrected Street (fictional)")
    page.fill("#id_reason", "The address was recorded wrongly")
    submit(page, "Save the correction")
    expect(page.get_by_text("Corrections to the intake details")).to_be_visible()
    check(page, "case page with an intake correction")
