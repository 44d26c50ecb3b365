"""The demo's self-assessment: Q4 2018/19 signed off with its findings in the plan, and this
year's assessment in progress."""

from __future__ import annotations

import pytest

from preventhub.assessment import queries
from preventhub.assessment.models import Assessment
from preventhub.delivery.models import SourceKind

pytestmark = pytest.mark.django_db


def test_q4_2018_19_is_signed_off_with_amber_and_red_findings_in_the_plan(
    demo_printed: str,
) -> None:
    q4 = Assessment.objects.get(title="Q4 2018/19", framework__code="toolkit")
    page = queries.assessment_page(q4)
    assert q4.is_signed_off
    assert page.summary_text == "11 green, 4 amber and 1 red"
    raised = [f for f in page.findings if f.plan_action is not None]
    assert {f.rating.level.code for f in raised} == {"amber", "red"}
    for finding in raised:
        assert finding.plan_action.plan.title.startswith("Prevent Delivery Plan 2018/19")
        assert finding.plan_action.sources.get().kind == SourceKind.SELF_ASSESSMENT
    assert [f.rating.standard.code for f in page.findings if f.plan_action is None] == ["TK8.1"]


def test_this_years_assessment_is_in_progress_and_compared_with_q4_2018_19(
    demo_printed: str,
) -> None:
    current = Assessment.objects.get(framework__code="toolkit", status="in_progress")
    page = queries.assessment_page(current)
    assert 0 < page.rated < page.total
    assert page.previous.title == "Q4 2018/19"
    assert "TK7.2" in [row.standard.code for row in page.changes]


def test_a_dozen_schools_have_assessed_themselves_for_the_education_leads_totals(
    demo_printed: str,
) -> None:
    from preventhub.assessment.models import Framework

    results = queries.school_results(Framework.objects.get(code="schools"))
    assert (results.schools, results.in_progress) == (12, 1)
    counted = sum(item.count for area in results.areas for item in area.counts)
    assert counted == 12 * 9
