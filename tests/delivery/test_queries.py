"""The Delivery Plan's read models: what its pages and downloads show, in a fixed number of
queries."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from preventhub.accounts.models import User
from preventhub.core.roles import Role
from preventhub.delivery import queries, services
from preventhub.delivery.models import (
    DeliveryPlan,
    PlanAction,
    SourceKind,
)
from preventhub.delivery.queries import Due, PlanFilter
from preventhub.partnership import services as partnership_services
from preventhub.partnership.models import Area, Organisation, ReportingPeriod

pytestmark = pytest.mark.django_db


def references(page: queries.PlanPage) -> list[str]:
    return [row.action.reference for group in page.sections for row in group.rows]


class TestThePlanInForce:
    def test_it_is_the_approved_version_even_when_a_newer_draft_exists(
        self, approved_plan: DeliveryPlan
    ) -> None:
        services.create_plan(title="A newer draft")
        assert queries.plan_shown() == approved_plan

    def test_without_an_approved_version_it_is_the_newest_draft(self, db: None) -> None:
        services.create_plan(title="Older draft")
        newer = services.create_plan(title="Newer draft")
        assert queries.plan_shown() == newer

    def test_a_superseded_version_is_never_in_force(self, approved_plan: DeliveryPlan) -> None:
        refreshed = services.refresh_plan(plan=approved_plan, title="Refreshed")
        services.approve_plan(plan=refreshed, on=datetime.date(2018, 10, 15))
        assert queries.plan_shown() == refreshed

    def test_there_is_none_before_any_plan(self, db: None) -> None:
        assert queries.plan_shown() is None


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (datetime.date(2019, 1, 10), "2018/19 Q4"),
        (datetime.date(2019, 3, 31), "2018/19 Q4"),
        (datetime.date(2019, 4, 1), "2019/20 Q1"),
        (datetime.date(2018, 10, 31), "2018/19 Q3"),
        (datetime.date(2018, 9, 30), "2018/19 Q2"),
    ],
)
def test_the_quarter_of_a_day_follows_the_financial_year(day: datetime.date, name: str) -> None:
    assert queries.quarter_of(day)[0] == name


class TestTheFilter:
    ON = datetime.date(2019, 1, 10)

    @pytest.fixture
    def actions(
        self,
        add_action: Callable[..., PlanAction],
        open_quarter: ReportingPeriod,
        make_user: Callable[..., User],
    ) -> dict[str, PlanAction]:
        made = {
            "SAF-01": add_action("SAF-01", due_on=datetime.date(2019, 1, 9)),
            "SAF-02": add_action("SAF-02", due_on=datetime.date(2019, 1, 10)),
            "SAF-03": add_action("SAF-03", due_on=datetime.date(2019, 2, 9)),
            "SAF-04": add_action("SAF-04", due_on=datetime.date(2019, 2, 10)),
            "SAF-05": add_action("SAF-05", due_on=datetime.date(2019, 3, 31)),
            "SAF-06": add_action("SAF-06", due_on=datetime.date(2019, 4, 1)),
            "SAF-07": add_action("SAF-07", due_on=datetime.date(2018, 12, 1)),
            "SAF-08": add_action("SAF-08"),
        }
        services.submit_update(
            action=made["SAF-07"],
            period=open_quarter,
            status="cancelled",
            narrative="Dropped",
            by=make_user(Role.COORDINATOR),
        )
        return made

    @pytest.mark.parametrize(
        ("due", "expected"),
        [
            (Due.OVERDUE, ["SAF-01"]),
            (Due.WITHIN_30_DAYS, ["SAF-02", "SAF-03"]),
            (Due.THIS_QUARTER, ["SAF-01", "SAF-02", "SAF-03", "SAF-04", "SAF-05"]),
        ],
    )
    def test_due_dates_count_only_open_actions_and_include_their_bounds(
        self,
        due: str,
        expected: list[str],
        actions: dict[str, PlanAction],
        approved_plan: DeliveryPlan,
    ) -> None:
        page = queries.plan_page(approved_plan, PlanFilter(due=due), on=self.ON)
        assert references(page) == expected

    def test_an_empty_filter_shows_every_section_even_the_empty_ones(
        self, actions: dict[str, PlanAction], approved_plan: DeliveryPlan
    ) -> None:
        page = queries.plan_page(approved_plan, PlanFilter(), on=self.ON)
        assert len(page.sections) == 10 and (page.shown, page.total) == (8, 8)
        assert not page.is_filtered

    def test_a_filter_shows_only_the_sections_with_matching_actions(
        self, actions: dict[str, PlanAction], approved_plan: DeliveryPlan
    ) -> None:
        page = queries.plan_page(approved_plan, PlanFilter(rag=("cancelled",)), on=self.ON)
        assert [group.section.code for group in page.sections] == ["SAF"]
        assert (page.shown, page.total, page.is_filtered) == (1, 8, True)

    def test_an_action_is_counted_once_whatever_its_number_of_matching_sources(
        self, add_action: Callable[..., PlanAction], approved_plan: DeliveryPlan
    ) -> None:
        add_action(
            "SAF-01",
            sources=[(SourceKind.CTLP, "Recommendation 1"), (SourceKind.CTLP, "Recommendation 2")],
        )
        page = queries.plan_page(approved_plan, PlanFilter(source=SourceKind.CTLP))
        assert references(page) == ["SAF-01"]
        assert len(queries.plan_table(approved_plan, PlanFilter(source="ctlp")).rows) == 1

    def test_its_choices_are_the_plans_sections_and_owners(
        self,
        add_action: Callable[..., PlanAction],
        approved_plan: DeliveryPlan,
        police: Organisation,
        district: Area,
    ) -> None:
        add_action("SAF-01", owner_organisation=police)
        add_action("SAF-02", owner_organisation=police)
        choices = queries.filter_choices(approved_plan)
        assert choices.sections[0] == ("SAF", "Safeguarding") and len(choices.sections) == 10
        assert choices.owners == [(police.pk, "Shire Police")]
        assert (district.pk, "Stafford") in choices.districts

    def test_the_plan_page_takes_the_same_queries_however_many_actions(
        self,
        add_action: Callable[..., PlanAction],
        approved_plan: DeliveryPlan,
        django_assert_num_queries: Any,
    ) -> None:
        add_action("SAF-01")
        with django_assert_num_queries(3):
            queries.plan_page(approved_plan, PlanFilter(section="SAF"))
        for number in range(2, 30):
            add_action(f"SAF-{number:02d}")
        with django_assert_num_queries(3):
            page = queries.plan_page(approved_plan, PlanFilter(section="SAF"))
        assert page.shown == 29


class TestAnAction:
    def test_its_timeline_is_newest_first_and_marks_the_open_quarters_update(
        self,
        add_action: Callable[..., PlanAction],
        make_user: Callable[..., User],
    ) -> None:
        action = add_action("SAF-01")
        lead = make_user(Role.COORDINATOR)
        sent = []
        for quarter in (1, 2, 3):
            period = partnership_services.create_period(
                year=2018, quarter=quarter, updates_due_on=datetime.date(2099, 1, 1)
            )
            partnership_services.open_period(period=period)
            sent.append(
                services.submit_update(
                    action=action, period=period, status="at_risk", narrative="N", by=lead
                )
            )
            if quarter < 3:
                services.close_period(period=period)
        detail = queries.action_detail(action)
        assert [entry.update for entry in detail.timeline] == sent[::-1]
        assert detail.timeline[0].state.rag_label == "Amber"
        assert detail.open_update == sent[-1]

    def test_a_draft_plans_action_takes_no_update(
        self, add_action: Callable[..., PlanAction], open_quarter: ReportingPeriod
    ) -> None:
        action = add_action("SAF-01", plan=services.create_plan(title="Draft"))
        slot = queries.update_slot(action)
        assert slot.refusal.startswith("Only the approved plan's actions take updates")

    def test_an_open_quarter_offers_the_update_already_sent(
        self,
        add_action: Callable[..., PlanAction],
        open_quarter: ReportingPeriod,
        make_user: Callable[..., User],
    ) -> None:
        action = add_action("SAF-01")
        assert queries.update_slot(action).update is None
        sent = services.submit_update(
            action=action,
            period=open_quarter,
            status="on_track",
            narrative="N",
            by=make_user(Role.COORDINATOR),
        )
        slot = queries.update_slot(action)
        assert (slot.period, slot.update, slot.refusal) == (open_quarter, sent, "")


class TestUpdatesDue:
    def test_a_person_sees_only_the_actions_they_may_update(
        self,
        add_action: Callable[..., PlanAction],
        police: Organisation,
        district: Area,
        open_quarter: ReportingPeriod,
        make_user: Callable[..., User],
    ) -> None:
        district_lead = make_user(Role.DISTRICT_LEAD)
        add_action("SAF-01", owner_organisation=police)
        ours = add_action("COM-01", owner_organisation=police, district=district)
        rows = queries.my_updates(district_lead).rows
        assert [row.action for row in rows] == [ours]
        assert len(queries.my_updates(make_user(Role.COORDINATOR)).rows) == 2

    def test_no_open_quarter_means_nothing_is_due(
        self, add_action: Callable[..., PlanAction], make_user: Callable[..., User]
    ) -> None:
        add_action("SAF-01")
        updates = queries.my_updates(make_user(Role.COORDINATOR))
        assert (updates.period, updates.rows) == (None, [])

    def test_the_missing_updates_are_grouped_by_lead_and_organisation(
        self,
        add_action: Callable[..., PlanAction],
        police: Organisation,
        open_quarter: ReportingPeriod,
        make_user: Callable[..., User],
        django_assert_max_num_queries: Any,
    ) -> None:
        lead = make_user(Role.PARTNER_LEAD)
        for number in range(1, 4):
            add_action(f"SAF-0{number}", lead=lead)
        add_action("SAF-04", owner_organisation=police)
        services.submit_update(
            action=PlanAction.objects.get(reference="SAF-01"),
            period=open_quarter,
            status="on_track",
            narrative="N",
            by=lead,
        )
        with django_assert_max_num_queries(3):
            due, missing = queries.missing_updates(open_quarter)
        assert due == 4
        assert [(group.label, [a.reference for a in group.actions]) for group in missing] == [
            ("No lead named", ["SAF-04"]),
            ("Test Person", ["SAF-02", "SAF-03"]),
        ]


class TestADistrict:
    def test_its_risks_are_highest_rating_first_with_their_mitigations(
        self,
        add_action: Callable[..., PlanAction],
        police: Organisation,
        district: Area,
    ) -> None:
        local = add_action("COM-01", district=district)
        for likelihood, impact in [(2, 2), (5, 4), (3, 3)]:
            services.save_district_risk(
                district=district,
                description=f"Risk {likelihood}x{impact}",
                likelihood=likelihood,
                impact=impact,
                owner=police,
                review_on=datetime.date(2019, 6, 1),
                mitigations=[local],
            )
        detail = queries.district_plan(district)
        assert [row.risk.rating for row in detail.risks] == [20, 9, 4]
        assert detail.risks[0].mitigations == [local]
        assert [row.action for row in detail.actions] == [local]


class TestTheVersionsList:
    def test_each_version_counts_its_own_actions_and_says_whether_a_refresh_is_drafted(
        self, add_action: Callable[..., PlanAction], approved_plan: DeliveryPlan
    ) -> None:
        for reference in ("SAF-01", "SAF-02", "SAF-03"):
            add_action(reference)
        draft = services.refresh_plan(plan=approved_plan, title="Prevent Delivery Plan 2019/20")
        services.save_action(
            plan=draft,
            section=draft.sections.get(code="SAF"),
            reference="SAF-04",
            title="Action SAF-04",
            owner_organisation=approved_plan.actions.first().owner_organisation,
        )

        rows = {row.plan.pk: row for row in queries.versions()}

        # The draft carried the three open actions over and added one: its actions are its own.
        assert (rows[approved_plan.pk].actions, rows[approved_plan.pk].has_draft_refresh) == (
            3,
            True,
        )
        assert (rows[draft.pk].actions, rows[draft.pk].has_draft_refresh) == (4, False)
