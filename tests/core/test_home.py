"""The home page is each person's work queue: apps register work items, core shows them."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from preventhub.core import home
from preventhub.core.home import WorkItem
from preventhub.core.roles import Role


@pytest.fixture
def only_these_sources(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    def use(*sources: Any) -> None:
        monkeypatch.setattr(home, "_work_sources", [])
        for source in sources:
            home.register_work(source)

    return use


def _plan(user: Any, today: datetime.date) -> list[WorkItem]:
    return [
        WorkItem("Delivery Plan", "Overdue actions", "/plan/?due=overdue", count=3, is_late=True),
        WorkItem("Delivery Plan", "Updates in", "/plan/periods/", status="4 of 9"),
    ]


def _returns(user: Any, today: datetime.date) -> list[WorkItem]:
    return [WorkItem("Returns", "Returns not yet sent", "/returns/", count=0)]


class TestTheMechanism:
    def test_items_are_grouped_by_heading_in_the_order_the_apps_give_them(
        self, only_these_sources: Callable[..., None], make_user: Callable[..., Any]
    ) -> None:
        only_these_sources(_plan, _returns)
        groups = home.work_for(make_user(Role.COORDINATOR), datetime.date(2026, 12, 5))
        assert [(group.heading, len(group.items)) for group in groups] == [
            ("Delivery Plan", 2),
            ("Returns", 1),
        ]

    def test_a_source_registered_twice_counts_once(
        self, only_these_sources: Callable[..., None], make_user: Callable[..., Any]
    ) -> None:
        only_these_sources(_returns, _returns)
        assert len(home.work_for(make_user(Role.COORDINATOR))[0].items) == 1

    def test_an_item_shows_its_status_its_count_or_late(self) -> None:
        assert WorkItem("H", "t", "/", status="4 of 9", count=4).shown_status == "4 of 9"
        assert WorkItem("H", "t", "/", count=0).shown_status == "0"
        assert WorkItem("H", "t", "/", is_late=True).shown_status == "Late"
        assert not WorkItem("H", "t", "/", count=0).needs_doing
        assert WorkItem("H", "t", "/", count=2).needs_doing


class TestThePage:
    def test_it_shows_each_item_as_a_task_with_its_link_and_state(
        self, only_these_sources: Callable[..., None], client_for: Callable[..., Client]
    ) -> None:
        only_these_sources(_plan, _returns)
        page = client_for(Role.COORDINATOR).get("/").content.decode()
        assert 'class="govuk-task-list"' in page
        assert 'href="/plan/?due=overdue"' in page and "Overdue actions" in page
        assert '<strong class="govuk-tag govuk-tag--red">3</strong>' in page
        assert "4 of 9" in page
        assert "Nothing needs doing now" not in page

    def test_each_task_is_described_by_its_own_hint_and_status(
        self, only_these_sources: Callable[..., None], client_for: Callable[..., Client]
    ) -> None:
        def hinted(user: Any, today: datetime.date) -> list[WorkItem]:
            return [WorkItem("Returns", "Returns to check", "/returns/", count=1, hint="Two days")]

        only_these_sources(_plan, _returns, hinted)
        page = client_for(Role.COORDINATOR).get("/").content.decode()
        described = re.findall(r'aria-describedby="([^"]*)"', page)
        assert described == [
            "work-1-1-status",
            "work-1-2-status",
            "work-2-1-status",
            "work-2-2-hint work-2-2-status",
        ]
        ids = re.findall(r'id="(work-[^"]*)"', page)
        assert sorted(ids) == sorted(" ".join(described).split())

    def test_with_nothing_to_do_it_says_so(
        self, only_these_sources: Callable[..., None], client_for: Callable[..., Client]
    ) -> None:
        only_these_sources(_plan)
        page = client_for(Role.ADMINISTRATOR).get("/")
        assert page.context["work"]  # the fake source gives everyone items
        only_these_sources()
        assert "Nothing needs doing now" in client_for(Role.ADMINISTRATOR).get("/").content.decode()


def test_the_data_protection_officer_sees_the_recent_exports(
    client_for: Callable[..., Client],
) -> None:
    from preventhub.core import audit

    audit.record_export(what="delivery.plan", rows=3, detail="csv")
    page = client_for(Role.DPO).get("/").content.decode()
    assert "Exports in the last 7 days" in page
    assert "/audit/?action=export&amp;since=" in page
    coordinator = client_for(Role.COORDINATOR).get("/").content.decode()
    assert "Exports in the last 7 days" not in coordinator
