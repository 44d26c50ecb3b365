"""Every casework page and download is sent with ``Cache-Control: no-store`` to those who open it:
a case must not stay in a browser's or a proxy's cache after the person has left it."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from preventhub.accounts.models import User
from preventhub.core.roles import Role
from preventhub.partnership import services as partnership
from tests.conftest import (
    new_user,
    rows_shared_by_many_tests,
    sign_in,
    the_county,
    the_district,
    the_organisation,
)
from tests.routes import ROUTES, RouteContext, build_context

pytestmark = pytest.mark.django_db

CASEWORK = sorted(name for name in ROUTES if name.startswith("casework:"))


@pytest.fixture(scope="module")
def people(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[tuple[RouteContext, list[User]]]:
    """The route table's case, with an officer of its force and the chair of its panel: made once
    for the module (it takes a second or two), each test reading it in a savepoint of its own."""
    with rows_shared_by_many_tests(django_db_blocker, tmp_path_factory):
        county = the_county()
        organisation, district = the_organisation(county), the_district(county)

        def make_user(role: Role) -> User:
            return new_user(role, organisation=organisation, district=district, totp=True)

        context = build_context(make_user(Role.PARTNER_LEAD))
        referral = context.objects["referral"]
        police = make_user(Role.POLICE_OFFICER)
        police.organisation = referral.force
        police.save(update_fields=["organisation"])
        chair = make_user(Role.CHANNEL_CHAIR)
        partnership.add_membership(
            board=referral.panel,
            organisation=context.objects["organisation"],
            role="chair",
            user=chair,
            since=datetime.date(2020, 1, 1),
        )
        others = [make_user(role) for role in (Role.DPO, Role.COORDINATOR)]
        yield context, [police, chair, *others]


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
