"""A small partnership for API tests: a partner lead's organisation owning an action of the
approved plan, an open quarter, and the training and local profile returns it owes."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from preventhub.accounts.models import User
from preventhub.api import services as api_services
from preventhub.core.roles import Role
from preventhub.delivery import services as delivery
from preventhub.delivery.models import PlanAction, Section
from preventhub.localprofile import services as localprofile
from preventhub.partnership import services as partnership
from preventhub.partnership.models import Organisation, ReportingPeriod
from preventhub.returns import services as returns
from preventhub.returns.models import PartnerReturn
from preventhub.training import services as training

TODAY = datetime.date(2026, 12, 5)


@pytest.fixture(autouse=True)
def _fresh_rate_counts() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@dataclass
class World:
    organisation: Organisation
    other: Organisation
    lead: User
    action: PlanAction
    others_action: PlanAction
    period: ReportingPeriod
    training_return: PartnerReturn
    ctlp_return: PartnerReturn


@pytest.fixture
def world(make_user: Callable[..., User], organisation: Organisation) -> World:
    partnership.ensure_default_sectors()
    training.ensure_default_framework()
    localprofile.ensure_default_indicators()
    from preventhub.partnership.models import Sector

    organisation.sector = Sector.objects.get(code="local-authority")
    organisation.save(update_fields=["sector"])
    other = Organisation.objects.create(name="Other Trust")
    lead = make_user(Role.PARTNER_LEAD)
    plan = delivery.create_plan(title="Plan 2026-27")
    delivery.approve_plan(plan=plan, on=datetime.date(2026, 4, 1))
    section = Section.objects.get(plan=plan, code="SAF")
    action = delivery.save_action(
        plan=plan,
        section=section,
        reference="SAF-01",
        title="Train staff",
        owner_organisation=organisation,
    )
    others_action = delivery.save_action(
        plan=plan,
        section=section,
        reference="SAF-02",
        title="Someone else's",
        owner_organisation=other,
    )
    period = partnership.create_period(
        year=2026, quarter=3, updates_due_on=datetime.date(2099, 1, 14)
    )
    partnership.open_period(period=period)
    training_window = returns.open_window(
        period=period,
        kind="training",
        due_on=datetime.date(2099, 1, 14),
        organisations=[organisation, other],
    )
    ctlp_window = returns.open_window(
        period=period,
        kind="ctlp",
        due_on=datetime.date(2099, 1, 14),
        organisations=[organisation],
    )
    return World(
        organisation,
        other,
        lead,
        action,
        others_action,
        period,
        training_window.returns.get(organisation=organisation),
        ctlp_window.returns.get(),
    )


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def token_for() -> Callable[..., str]:
    """A new personal token's secret for ``user``."""

    def make(user: User, scope: str = "read_write", days: int = 30) -> str:
        _, secret = api_services.create_personal_token(
            user=user,
            name=f"Script of {user.email}",
            scope=scope,
            expires_on=datetime.date.today() + datetime.timedelta(days=days),
        )
        return secret

    return make


class Api:
    """A client speaking to /api/v1/ with one token."""

    def __init__(self, secret: str) -> None:
        self.client = Client()
        self.headers = bearer(secret)

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, **self.headers)

    def send(self, method: str, path: str, body: Any = None, *, if_match: str | None = None):
        headers = dict(self.headers)
        if if_match is not None:
            headers["HTTP_IF_MATCH"] = if_match
        call = getattr(self.client, method)
        return call(
            f"/api/v1{path}",
            data={} if body is None else body,
            content_type="application/json",
            **headers,
        )


@pytest.fixture
def api_as(token_for: Callable[..., str]) -> Callable[..., Api]:
    def make(user: User, scope: str = "read_write") -> Api:
        return Api(token_for(user, scope))

    return make
