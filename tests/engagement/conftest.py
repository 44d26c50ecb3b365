from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from preventhub.engagement import services
from preventhub.engagement.models import Activity
from preventhub.partnership.models import Area

# Casework's own fixtures, to make referrals for the district's protected figures.
from tests.casework.conftest import make_referral, world  # noqa: F401

TODAY = datetime.date(2026, 12, 5)


@pytest.fixture
def other_district(county: Area) -> Area:
    return Area.objects.get_or_create(
        gss_code="E07000199",
        defaults={"name": "Tamworth", "kind": Area.Kind.DISTRICT, "parent": county},
    )[0]


@pytest.fixture
def record() -> Callable[..., Activity]:
    """Record an activity with sensible defaults; keyword arguments override them."""

    def make(**fields: Any) -> Activity:
        values: dict[str, Any] = {
            "title": "Drop-in at the library",
            "kind": "community_outreach",
            "held_on": datetime.date(2026, 6, 1),
            "district": None,
            "audience": "communities",
            "channel": "event",
            "today": TODAY,
        }
        values.update(fields)
        return services.save_activity(**values)

    return make
