"""A district lead fills in and sends their own council's returns, and sees them at home."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from preventhub.accounts.models import User
from preventhub.core.roles import Role
from preventhub.partnership.models import Organisation
from preventhub.returns.models import PartnerReturn, ReturnWindow


@pytest.fixture
def council(county: object, framework: None) -> Organisation:
    return Organisation.objects.create(name="Shire District Council")


@pytest.fixture
def district_lead(make_user: Callable[..., User], council: Organisation) -> User:
    user = make_user(Role.DISTRICT_LEAD)
    user.organisation = council
    user.save(update_fields=["organisation"])
    return user


def test_a_district_lead_reaches_their_councils_returns_and_no_others(
    open_window: Callable[..., ReturnWindow],
    council: Organisation,
    district_lead: User,
    client_as: Callable[[User], Client],
) -> None:
    window = open_window("ctlp", 3, council)
    own = window.returns.get(organisation=council)
    other = window.returns.exclude(organisation=council).get()
    client = client_as(district_lead)
    listing = client.get(reverse("returns:index"))
    assert listing.status_code == 200
    assert reverse("localprofile:return", args=[own.pk]) in listing.content.decode()
    assert client.get(reverse("localprofile:return", args=[own.pk])).status_code == 200
    assert client.get(reverse("localprofile:return", args=[other.pk])).status_code == 403
    home = client.get("/").content.decode()
    assert "Returns due" in home and reverse("localprofile:return", args=[own.pk]) in home


def test_the_coordinator_sees_returns_outstanding_and_sent(
    owed: Callable[..., PartnerReturn], coordinator: User, client_as: Callable[[User], Client]
) -> None:
    owed("training")
    page = client_as(coordinator).get("/").content.decode()
    assert "Returns not yet sent" in page
    assert "Returns sent, to accept or send back" in page
