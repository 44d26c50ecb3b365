"""An old version of the plan is judged overdue as it stood while in force, not by every year
since: its actions were overdue only if they were when it was last reported on."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client

from preventhub.accounts.models import User
from preventhub.core.roles import Role
from preventhub.delivery import queries, services
from preventhub.delivery.models import DeliveryPlan, PlanAction
from preventhub.partnership import services as partnership_services

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 5)


def _supersede(plan: DeliveryPlan, reporter: User) -> None:
    """Report on ``plan`` in 2018/19 Q4, close the quarter and approve a new plan."""
    period = partnership_services.create_period(
        year=2018, quarter=4, updates_due_on=datetime.date(2019, 4, 14)
    )
    partnership_services.open_period(period=period)
    for action in plan.actions.all():
        services.submit_update(
            action=action, period=period, status="on_track", narrative="Going well.", by=reporter
        )
    services.close_period(period=period)
    newer = services.create_plan(title="Prevent Delivery Plan 2026/27")
    services.approve_plan(plan=newer, on=datetime.date(2026, 3, 22))


def test_a_superseded_plan_is_judged_at_the_end_of_its_last_reported_quarter(
    approved_plan: DeliveryPlan,
    add_action: Callable[..., PlanAction],
    make_user: Callable[..., User],
) -> None:
    user = make_user(Role.COORDINATOR)
    start = datetime.date(2018, 4, 1)
    late = add_action("SAF-01", starts_on=start, due_on=datetime.date(2018, 12, 31))
    on_time = add_action("SAF-02", starts_on=start, due_on=datetime.date(2019, 3, 31))
    _supersede(approved_plan, user)
    approved_plan.refresh_from_db()
    assert approved_plan.status == DeliveryPlan.Status.SUPERSEDED

    assert queries.overdue_as_of(approved_plan, TODAY) == datetime.date(2019, 3, 31)
    page = queries.plan_page(approved_plan, queries.PlanFilter(), on=TODAY)
    overdue = {
        row.action.reference: row.is_overdue for group in page.sections for row in group.rows
    }
    assert overdue == {"SAF-01": True, "SAF-02": False}
    assert queries.action_detail(late, on=TODAY).is_overdue
    assert not queries.action_detail(on_time, on=TODAY).is_overdue


def test_the_plan_in_force_is_judged_today(
    approved_plan: DeliveryPlan, add_action: Callable[..., PlanAction]
) -> None:
    action = add_action(
        "SAF-01", starts_on=datetime.date(2018, 4, 1), due_on=datetime.date(2019, 3, 31)
    )
    assert queries.overdue_as_of(approved_plan, TODAY) == TODAY
    assert queries.action_detail(action, on=TODAY).is_overdue


def test_the_superseded_plans_page_says_when_overdue_is_judged(
    approved_plan: DeliveryPlan,
    add_action: Callable[..., PlanAction],
    make_user: Callable[..., User],
    make_client: Callable[[User], Client],
) -> None:
    coordinator = make_user(Role.COORDINATOR)
    add_action("SAF-01", starts_on=datetime.date(2018, 4, 1), due_on=datetime.date(2019, 3, 31))
    _supersede(approved_plan, coordinator)
    page = make_client(coordinator).get(f"/plan/?plan={approved_plan.pk}")
    assert page.status_code == 200
    assert "overdue if they were on 31 March 2019" in page.content.decode()
