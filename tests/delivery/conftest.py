"""A Delivery Plan in force, an open quarter and the organisations that own its actions."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from preventhub.accounts.models import User
from preventhub.delivery import services
from preventhub.delivery.models import DeliveryPlan, PlanAction
from preventhub.partnership import services as partnership_services
from preventhub.partnership.models import Organisation, ReportingPeriod
from tests.conftest import sign_in


@pytest.fixture
def police(db: None) -> Organisation:
    return Organisation.objects.get_or_create(name="Shire Police")[0]


@pytest.fixture
def approved_plan(organisation: Organisation) -> DeliveryPlan:
    plan = services.create_plan(title="Prevent Delivery Plan 2018/19")
    return services.approve_plan(plan=plan, on=datetime.date(2018, 4, 20))


@pytest.fixture
def add_action(
    approved_plan: DeliveryPlan, organisation: Organisation
) -> Callable[..., PlanAction]:
    """An action in the plan in force (or in ``plan``), owned by the council unless told."""

    def add(reference: str, *, plan: DeliveryPlan | None = None, **fields: Any) -> PlanAction:
        plan = plan or approved_plan
        fields.setdefault("owner_organisation", organisation)
        fields.setdefault("title", f"Action {reference}")
        return services.save_action(
            plan=plan,
            section=plan.sections.get(code=reference.split("-")[0]),
            reference=reference,
            **fields,
        )

    return add


@pytest.fixture
def open_quarter(db: None) -> ReportingPeriod:
    period = partnership_services.create_period(
        year=2018, quarter=3, updates_due_on=datetime.date(2099, 1, 14)
    )
    return partnership_services.open_period(period=period)


@pytest.fixture
def make_client() -> Callable[[User], Client]:
    """A fresh client signed in as ``user``."""
    return lambda user: sign_in(Client(), user)
