"""From finding to plan in one step, and a link both ways between the finding and the action."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from preventhub.assessment import queries, services
from preventhub.assessment.models import Assessment, Finding
from preventhub.core.roles import Role
from preventhub.delivery import services as delivery_services
from preventhub.delivery.models import DeliveryPlan, SourceKind
from preventhub.partnership import services as partnership_services
from preventhub.partnership.models import Organisation
from tests.assessment.conftest import rating_of

pytestmark = pytest.mark.django_db

Q4 = datetime.date(2019, 3, 31)


@pytest.fixture
def finding(rated: Callable[..., Assessment]) -> Finding:
    assessment = rated("Q4 2018/19", Q4, levels={"TK6.1": "amber"})
    return rating_of(assessment, "TK6.1").findings.get()


def _raise(finding: Finding, plan: DeliveryPlan, organisation: Organisation) -> object:
    return services.raise_action(
        finding=finding,
        section=plan.sections.get(code="SAF"),
        title="Assess partners' training needs",
        owner_organisation=organisation,
    )


class TestAFindingBecomesAPlanAction:
    def test_the_action_is_made_by_the_plan_with_self_assessment_as_its_source(
        self, finding: Finding, approved_plan: DeliveryPlan, organisation: Organisation
    ) -> None:
        action = _raise(finding, approved_plan, organisation)
        assert (action.plan, action.reference, action.section.code) == (
            approved_plan,
            "SAF-01",
            "SAF",
        )
        source = action.sources.get()
        assert (source.kind, source.detail) == (SourceKind.SELF_ASSESSMENT, "TK6.1, Q4 2018/19")
        finding.refresh_from_db()
        assert finding.plan_action == action

    def test_its_reference_follows_the_sections_last_one(
        self, finding: Finding, approved_plan: DeliveryPlan, organisation: Organisation
    ) -> None:
        delivery_services.save_action(
            plan=approved_plan,
            section=approved_plan.sections.get(code="SAF"),
            reference="SAF-01",
            title="Already there",
            owner_organisation=organisation,
        )
        assert _raise(finding, approved_plan, organisation).reference == "SAF-02"

    def test_a_finding_becomes_one_action_only(
        self, finding: Finding, approved_plan: DeliveryPlan, organisation: Organisation
    ) -> None:
        _raise(finding, approved_plan, organisation)
        with pytest.raises(services.AssessmentError, match="already a Delivery Plan action"):
            _raise(finding, approved_plan, organisation)

    def test_a_superseded_plan_takes_no_new_action_and_the_finding_stays_unlinked(
        self, finding: Finding, approved_plan: DeliveryPlan, organisation: Organisation
    ) -> None:
        newer = delivery_services.refresh_plan(plan=approved_plan, title="Refreshed")
        delivery_services.approve_plan(plan=newer, on=datetime.date(2019, 10, 1))
        approved_plan.refresh_from_db()
        with pytest.raises(services.AssessmentError, match="superseded"):
            _raise(finding, approved_plan, organisation)
        finding.refresh_from_db()
        assert finding.plan_action is None

    def test_the_coordinator_does_it_in_one_step_on_the_page(
        self,
        finding: Finding,
        approved_plan: DeliveryPlan,
        organisation: Organisation,
        client_for: Callable[..., Client],
    ) -> None:
        response = client_for(Role.COORDINATOR).post(
            reverse("assessment:finding_action", args=[finding.pk]),
            {
                "section": approved_plan.sections.get(code="SAF").pk,
                "title": "Assess partners' training needs",
                "owner_organisation": organisation.pk,
            },
        )
        assert response.status_code == 302
        finding.refresh_from_db()
        assert finding.plan_action.title == "Assess partners' training needs"


class TestTheLinkBothWays:
    def test_the_assessment_shows_each_findings_action_and_its_status(
        self,
        finding: Finding,
        approved_plan: DeliveryPlan,
        organisation: Organisation,
        client_for: Callable[..., Client],
        make_user: Callable[..., object],
    ) -> None:
        action = _raise(finding, approved_plan, organisation)
        period = partnership_services.create_period(
            year=2019, quarter=1, updates_due_on=datetime.date(2099, 1, 1)
        )
        partnership_services.open_period(period=period)
        delivery_services.submit_update(
            action=action,
            period=period,
            status="at_risk",
            narrative="Slow start",
            by=make_user(Role.COORDINATOR),
        )
        page = client_for(Role.PARTNER_LEAD).get(
            reverse("assessment:assessment", args=[finding.rating.assessment_id])
        )
        text = page.content.decode()
        assert reverse("delivery:action", args=[action.pk]) in text
        assert "At risk" in text

    def test_the_actions_page_links_back_to_the_finding(
        self,
        finding: Finding,
        approved_plan: DeliveryPlan,
        organisation: Organisation,
        client_for: Callable[..., Client],
    ) -> None:
        action = _raise(finding, approved_plan, organisation)
        text = client_for(Role.PARTNER_LEAD).get(reverse("delivery:action", args=[action.pk]))
        body = text.content.decode()
        assert "Self-assessment finding" in body
        assert reverse("assessment:rating", args=[finding.rating_id]) in body
        assert "Gap in TK6.1" in body

    def test_a_board_reader_sees_where_it_came_from_without_a_link_they_cannot_open(
        self,
        finding: Finding,
        approved_plan: DeliveryPlan,
        organisation: Organisation,
        client_for: Callable[..., Client],
    ) -> None:
        action = _raise(finding, approved_plan, organisation)
        body = client_for(Role.BOARD_READER).get(reverse("delivery:action", args=[action.pk]))
        text = body.content.decode()
        assert "Gap in TK6.1" in text
        assert reverse("assessment:rating", args=[finding.rating_id]) not in text

    def test_an_action_not_raised_from_a_finding_shows_none(
        self, finding: Finding, approved_plan: DeliveryPlan, organisation: Organisation
    ) -> None:
        other = delivery_services.save_action(
            plan=approved_plan,
            section=approved_plan.sections.get(code="CAS"),
            reference="CAS-01",
            title="Other",
            owner_organisation=organisation,
        )
        assert queries.findings_of_action(other.pk) == []


def test_the_next_assessment_shows_last_times_gap_and_its_action(
    finding: Finding,
    approved_plan: DeliveryPlan,
    organisation: Organisation,
    rated: Callable[..., Assessment],
    client_for: Callable[..., Client],
) -> None:
    action = _raise(finding, approved_plan, organisation)
    now = rated("Q3 2026/27", datetime.date(2026, 12, 1), sign=False)
    page = client_for(Role.COORDINATOR).get(
        reverse("assessment:rating", args=[rating_of(now, "TK6.1").pk])
    )
    text = page.content.decode()
    assert "Gaps found last time" in text
    assert "Gap in TK6.1" in text
    assert reverse("delivery:action", args=[action.pk]) in text
