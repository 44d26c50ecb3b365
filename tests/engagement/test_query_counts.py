"""The engagement pages make a fixed number of queries, however many activities there are."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from preventhub.core.roles import Role
from preventhub.engagement.models import Activity
from preventhub.partnership.models import Area, Organisation

pytestmark = pytest.mark.django_db

PAGES = ["/engagement/", "/engagement/calendar/?month=2026-06", "/engagement/figures/?year=2026"]


def _many(
    record: Callable[..., Activity], district: Area, organisation: Organisation, n: int
) -> None:
    for day in range(n):
        record(
            title=f"Session {day}",
            held_on=datetime.date(2026, 6, 1 + day % 28),
            district=district,
            partners=[organisation],
            reach=10,
        )


@pytest.mark.parametrize("path", PAGES)
def test_a_page_makes_no_more_queries_with_more_activities(
    path: str,
    client_for: Callable[..., Client],
    record: Callable[..., Activity],
    district: Area,
    organisation: Organisation,
    django_assert_max_num_queries: Any,
    time_machine: Any,
) -> None:
    time_machine.move_to(datetime.datetime(2026, 12, 5, 12))
    client = client_for(Role.COORDINATOR)
    _many(record, district, organisation, 2)
    client.get(path)  # warm the session and the caches
    with django_assert_max_num_queries(50) as few:
        client.get(path)

    _many(record, district, organisation, 30)

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(path).status_code == 200
