"""The demo's partnership: its boards, their reporting lines and their members' history."""

from __future__ import annotations

import datetime

import pytest

from preventhub.partnership import queries
from preventhub.partnership.models import Board, Membership

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("demo_printed")
class TestTheDemoStructure:
    def test_the_prevent_board_reports_to_the_contest_board_and_updates_the_strategy_group(
        self,
    ) -> None:
        board = Board.objects.get(name="Staffordshire Prevent Board")
        assert board.reports_to.name == "Staffordshire Contest Board"
        assert [b.name for b in board.updates.all()] == [
            "Safer and Stronger Communities Strategy Group"
        ]

    def test_each_of_the_eight_districts_has_a_csp_with_a_district_prevent_lead(self) -> None:
        rows = queries.overview().districts
        assert len(rows) == 8
        assert {row.area.gss_code for row in rows} == {f"E0700019{n}" for n in range(2, 10)}
        for row in rows:
            assert row.csp is not None and row.csp.kind == Board.Kind.CSP
            assert row.csp.area == row.area
            assert row.lead is not None and row.lead.role == Membership.Role.DISTRICT_LEAD

    def test_the_channel_panel_has_its_core_and_co_opted_members(self) -> None:
        panel = Board.objects.get(kind=Board.Kind.CHANNEL_PANEL)
        core = set(
            panel.memberships.filter(role=Membership.Role.CORE).values_list("represents", flat=True)
        )
        assert {
            "Adult safeguarding",
            "Child safeguarding",
            "Education",
            "Youth offending",
            "Health, including mental health",
            "Community safety",
        } <= core
        assert panel.memberships.filter(role=Membership.Role.CO_OPTED).count() >= 1

    def test_the_prevent_board_shows_its_chair_change_as_history(self) -> None:
        detail = queries.board_detail(Board.objects.get(name="Staffordshire Prevent Board"))
        assert detail.chair.person_name == "Jordan Commissioner (demo)"
        assert [m.person_name for m in detail.past] == ["Robin Former (demo)"]
        assert detail.past[0].until == datetime.date(2017, 5, 24)
