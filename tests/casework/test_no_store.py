"""Every casework page and download is sent with ``Cache-Control: no-store`` to those who open it:
a case must not stay in a browser's or a proxy's cache after the person has left it."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from preventhub.accounts.models import User
from preventhub.core.roles import Role
from preventhub.partnership import services as partnership
from tests.conftest import sign_in
from tests.routes import ROUTES, RouteContext, build_context

pytestmark = pytest.mark.django_db

CASEWORK = sorted(name for name in ROUTES if name.startswith("casework:"))


@pytest.fixture
def people(make_user: Callable[..., User]) -> tuple[RouteContext, list[User]]:
    """The route table's case, with an officer of its force and the chair of its panel."""
    context = build_context(make_user(Role.PARTNER_LEAD, totp=True))
    referral = context.objects["referral"]
    police = make_user(Role.POLICE_OFFICER, totp=True)
    police.organisation = referral.force
    police.save(update_fields=["organisation"])
    chair = make_user(Role.CHANNEL_CHAIR, totp=True)
    partnership.add_membership(
        board=referral.panel,
        organisation=context.objects["organisation"],
        role="chair",
        user=chair,
        since=datetime.date(2020, 1, 1),
    )
    others = [make_user(role, totp=True) for role in (Role.DPO, Role.COORDINATOR)]
    return context, [police, chair, *others]


@pytest.mark.parametrize("name", CASEWORK)
def test_every_casework_page_is_sent_no_store(
    name: str, people: tuple[RouteContext, list[User]]
) -> None:
    context, users = people
    route = ROUTES[name]
    url = reverse(name, kwargs=route.kwargs(context))
    served = 0
    for user in users:
        response = getattr(sign_in(Client(), user), route.method)(url)
        if response.status_code in (200, 302):
            served += 1
            assert "no-store" in response["Cache-Control"], (name, user.roles)
            assert response["Pragma"] == "no-cache", (name, user.roles)
    assert served, f"nobody here reaches {name}: give the test someone who does"
