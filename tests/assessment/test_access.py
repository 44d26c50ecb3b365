"""Who reaches what of self-assessment, beyond the route matrix: object rules and home work."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from preventhub.accounts.models import User
from preventhub.assessment import services
from preventhub.assessment.models import Framework
from preventhub.core.home import WorkItem, work_for
from preventhub.core.roles import Role
from preventhub.schools.models import Establishment
from tests.assessment.conftest import rate, rating_of
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

NOW = datetime.date(2026, 12, 1)


@pytest.fixture
def school_assessment(toolkit: Framework) -> object:
    school = Establishment.objects.create(urn=999101, name="Oak School", la_code="860")
    return services.start_assessment(
        framework=Framework.objects.get(code="schools"),
        title="Autumn 2026",
        assessed_on=NOW,
        establishment=school,
    )


class TestASchoolsOwnAssessmentIsPrivate:
    def test_no_partnership_role_opens_it(
        self, school_assessment: object, client_for: Callable[..., Client]
    ) -> None:
        for role in (Role.COORDINATOR, Role.EDUCATION_LEAD, Role.PARTNER_LEAD):
            client = client_for(role)
            assert (
                client.get(
                    reverse("assessment:assessment", args=[school_assessment.pk])
                ).status_code
                == 403
            )
            rating = school_assessment.ratings.first()
            assert client.get(reverse("assessment:rating", args=[rating.pk])).status_code == 403

    def test_it_is_not_listed_with_the_partnerships(
        self, school_assessment: object, client_for: Callable[..., Client]
    ) -> None:
        text = client_for(Role.COORDINATOR).get(reverse("assessment:index")).content.decode()
        assert "Autumn 2026" not in text

    def test_the_education_lead_sees_schools_only_in_total(
        self, school_assessment: object, client_for: Callable[..., Client]
    ) -> None:
        for rating in school_assessment.ratings.select_related("standard"):
            rate(school_assessment, rating.standard.code, "3")
        school_assessment.refresh_from_db()
        services.sign_off(
            assessment=school_assessment,
            expected_version=school_assessment.version,
            summary="Good",
            on=NOW,
            name="Head teacher",
        )
        text = (
            client_for(Role.EDUCATION_LEAD)
            .get(reverse("assessment:school_results"))
            .content.decode()
        )
        assert "Signed off: 1." in text
        assert "Oak School" not in text


def _assessment_work(user: User) -> list[WorkItem]:
    return [
        item
        for group in work_for(user)
        if group.heading == "Self-assessment"
        for item in group.items
    ]


class TestTheCoordinatorsHomeWork:
    def test_an_assessment_in_progress_with_standards_unrated_is_on_the_home_page(
        self, toolkit: Framework, make_user: Callable[..., User]
    ) -> None:
        assessment = services.start_assessment(
            framework=toolkit, title="Q3 2026/27", assessed_on=NOW
        )
        rate(assessment, "TK1.1", "green")
        (mine,) = _assessment_work(make_user(Role.COORDINATOR))
        assert mine.text == "Rate the standards of Q3 2026/27"
        assert mine.count == 15
        assert mine.hint.startswith("15 of 16 standards of Prevent duty toolkit")
        assert mine.href == reverse("assessment:assessment", args=[assessment.pk])

    def test_nobody_else_gets_it(self, toolkit: Framework, make_user: Callable[..., User]) -> None:
        services.start_assessment(framework=toolkit, title="Q3 2026/27", assessed_on=NOW)
        for role in (Role.PARTNER_LEAD, Role.BOARD_READER, Role.EDUCATION_LEAD):
            assert _assessment_work(make_user(role)) == []


class TestAssessors:
    def test_an_assessor_who_loses_the_role_may_no_longer_rate(
        self, toolkit: Framework, make_user: Callable[..., User]
    ) -> None:
        assessor = make_user(Role.BOARD_READER)
        assessment = services.start_assessment(framework=toolkit, title="Q3", assessed_on=NOW)
        found = rating_of(assessment, "TK1.1")
        services.assign_assessor(rating=found, assessor=assessor, expected_version=found.version)
        found.refresh_from_db()
        assert not assessor.has_perm("assessment.rate_standard", found)
        response = sign_in(Client(), assessor).get(reverse("assessment:rating", args=[found.pk]))
        assert response.status_code == 403


def test_the_totals_count_each_schools_latest_signed_off_assessment_once(
    school_assessment: object,
) -> None:
    from preventhub.assessment import queries

    def sign(assessment: object, level: str) -> None:
        for rating in assessment.ratings.select_related("standard"):
            found = rate(assessment, rating.standard.code, level)
            if found.level.is_gap:
                services.record_finding(rating=found, text="Gap", improvement="Fix it")
        assessment.refresh_from_db()
        services.sign_off(
            assessment=assessment,
            expected_version=assessment.version,
            summary="",
            on=assessment.assessed_on,
            name="Head",
        )

    sign(school_assessment, "2")
    later = services.start_assessment(
        framework=school_assessment.framework,
        title="Spring 2027",
        assessed_on=NOW + datetime.timedelta(days=90),
        establishment=school_assessment.establishment,
    )
    sign(later, "4")
    results = queries.school_results(school_assessment.framework)
    assert results.schools == 1
    by_label: dict[str, int] = {}
    for area in results.areas:
        for item in area.counts:
            by_label[item.level.label] = by_label.get(item.level.label, 0) + item.count
    assert by_label == {"Level 1": 0, "Level 2": 0, "Level 3": 0, "Level 4": 9}
