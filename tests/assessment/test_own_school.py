"""A school's designated safeguarding lead with an account: their own school's self-assessment,
through the same pages as the school's link, and no other school's."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from preventhub.accounts.models import User
from preventhub.assessment import services
from preventhub.assessment.models import Assessment, Framework
from preventhub.core.home import WorkItem, work_for
from preventhub.core.roles import Role
from preventhub.schools.models import Establishment
from tests.conftest import roles_except, sign_in

pytestmark = pytest.mark.django_db

DSL_EMAIL = "dsl@oak.example.org"


@pytest.fixture
def schools(toolkit: Framework) -> tuple[Establishment, Establishment]:
    oak = Establishment.objects.create(
        urn=999301, name="Oak School", la_code="860", status="open", contact_email=DSL_EMAIL
    )
    ash = Establishment.objects.create(
        urn=999302, name="Ash School", la_code="860", status="open", contact_email="ash@x.org"
    )
    return oak, ash


@pytest.fixture
def dsl(make_user: Callable[..., User]) -> User:
    return make_user(Role.SCHOOL_DSL, email=DSL_EMAIL.upper())


def _started(school: Establishment, title: str = "Autumn 2026") -> Assessment:
    return services.start_assessment(
        framework=Framework.objects.get(code="schools"),
        title=title,
        assessed_on=timezone.localdate(),
        establishment=school,
    )


def _own_work(user: User) -> list[WorkItem]:
    return [
        item
        for group in work_for(user)
        if group.heading == "Your school's self-assessment"
        for item in group.items
    ]


def test_the_dsl_starts_judges_and_signs_off_their_own_schools_assessment(
    schools: tuple[Establishment, Establishment], dsl: User
) -> None:
    oak, _ = schools
    client = sign_in(Client(), dsl)
    page = client.get(reverse("own_assessment:index"))
    assert page.status_code == 200
    assert "Oak School" in page.content.decode()

    response = client.post(
        reverse("own_assessment:index"),
        {"framework": Framework.objects.get(code="schools").pk, "title": "Autumn 2026"},
    )
    assessment = Assessment.objects.get(title="Autumn 2026")
    assert assessment.establishment == oak
    assert response["Location"] == reverse("own_assessment:assessment", args=[assessment.pk])

    levels = {level.code: level.pk for level in assessment.framework.levels.all()}
    for rating in assessment.ratings.all():
        response = client.post(
            reverse("own_assessment:rating", args=[rating.pk]),
            {"level": levels["3"], "evidence": "Checked", "version": rating.version},
        )
        assert response.status_code == 302
    rating = assessment.ratings.select_related("standard").first()
    assert rating is not None and rating.rated_by_name == "Test Person"
    page = client.get(reverse("own_assessment:assessment", args=[assessment.pk])).content.decode()
    assert reverse("own_assessment:sign_off", args=[assessment.pk]) in page
    assert reverse("school_assessment:index") not in page

    assessment.refresh_from_db()
    response = client.post(
        reverse("own_assessment:sign_off", args=[assessment.pk]),
        {
            "summary": "Well placed",
            "on": timezone.localdate().isoformat(),
            "name": "Head teacher",
            "version": assessment.version,
        },
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SIGNED_OFF


def test_another_schools_assessment_is_not_found(
    schools: tuple[Establishment, Establishment], dsl: User
) -> None:
    _, ash = schools
    theirs = _started(ash)
    rating = theirs.ratings.first()
    assert rating is not None
    client = sign_in(Client(), dsl)
    for url in (
        reverse("own_assessment:assessment", args=[theirs.pk]),
        reverse("own_assessment:sign_off", args=[theirs.pk]),
        reverse("own_assessment:rating", args=[rating.pk]),
        reverse("own_assessment:finding_new", args=[rating.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert "Ash School" not in client.get(reverse("own_assessment:index")).content.decode()


def test_no_partnership_role_opens_a_schools_own_assessment(
    schools: tuple[Establishment, Establishment], client_for: Callable[..., Client]
) -> None:
    oak, _ = schools
    assessment = _started(oak)
    for role in roles_except([Role.SCHOOL_DSL]):
        client = client_for(role)
        assert client.get(reverse("own_assessment:index")).status_code == 403, role
        page = reverse("own_assessment:assessment", args=[assessment.pk])
        assert client.get(page).status_code == 404, role


def test_a_partnership_role_with_the_schools_address_is_still_refused(
    schools: tuple[Establishment, Establishment], make_user: Callable[..., User]
) -> None:
    oak, _ = schools
    assessment = _started(oak)
    client = sign_in(Client(), make_user(Role.EDUCATION_LEAD, email=DSL_EMAIL))
    assert client.get(reverse("own_assessment:index")).status_code == 403
    page = reverse("own_assessment:assessment", args=[assessment.pk])
    assert client.get(page).status_code == 404


def test_a_dsl_whose_address_no_school_has_is_sent_to_their_audit_page(
    schools: tuple[Establishment, Establishment], make_user: Callable[..., User]
) -> None:
    client = sign_in(Client(), make_user(Role.SCHOOL_DSL, email="nobody@x.org"))
    response = client.get(reverse("own_assessment:index"))
    assert response["Location"] == reverse("audits:own_school")
    assert client.get(reverse("own_assessment:assessment", args=[1])).status_code == 404


class TestTheDslsHomePage:
    def test_says_not_started_until_an_assessment_is_started(
        self, schools: tuple[Establishment, Establishment], dsl: User
    ) -> None:
        (item,) = _own_work(dsl)
        assert item.status == "Not started"
        assert item.href == reverse("own_assessment:index")

    def test_says_in_progress_with_how_many_standards_are_judged(
        self, schools: tuple[Establishment, Establishment], dsl: User
    ) -> None:
        oak, _ = schools
        assessment = _started(oak)
        (item,) = _own_work(dsl)
        assert item.status == "In progress"
        assert item.text == "Oak School: Autumn 2026"
        assert item.hint.startswith(f"0 of {assessment.ratings.count()} standards judged")
        assert item.href == reverse("own_assessment:assessment", args=[assessment.pk])

    def test_the_home_page_links_to_it(
        self, schools: tuple[Establishment, Establishment], dsl: User
    ) -> None:
        client = sign_in(Client(), dsl)
        assert reverse("own_assessment:index") in client.get("/").content.decode()

    def test_nobody_else_gets_it(
        self, schools: tuple[Establishment, Establishment], make_user: Callable[..., User]
    ) -> None:
        lead = make_user(Role.COORDINATOR, Role.EDUCATION_LEAD, email=DSL_EMAIL)
        assert _own_work(lead) == []


def test_the_schools_audit_page_links_to_its_self_assessment(
    schools: tuple[Establishment, Establishment], dsl: User
) -> None:
    oak, _ = schools
    from preventhub.audits import services as audit_services

    today = timezone.localdate()
    audit_services.create_round(
        name="Autumn survey",
        kind="annual",
        opens_on=today - datetime.timedelta(days=5),
        closes_on=today + datetime.timedelta(days=30),
        establishments=[oak],
    )
    page = sign_in(Client(), dsl).get(reverse("audits:own_school")).content.decode()
    assert reverse("own_assessment:index") in page


class TestALeadWhoIsTheContactOfSeveralSchools:
    """A federation's designated safeguarding lead is often the contact of each of its schools."""

    @pytest.fixture
    def elm(self, schools: tuple[Establishment, Establishment]) -> Establishment:
        return Establishment.objects.create(
            urn=999303, name="Elm School", la_code="860", status="open", contact_email=DSL_EMAIL
        )

    def test_chooses_which_school_an_assessment_is_for(self, elm: Establishment, dsl: User) -> None:
        client = sign_in(Client(), dsl)
        page = client.get(reverse("own_assessment:index")).content.decode()
        assert "Which school" in page
        assert "Elm School has no self-assessment yet" in page
        assert "Oak School has no self-assessment yet" in page
        assert "Ash School" not in page

        framework = Framework.objects.get(code="schools").pk
        refused = client.post(
            reverse("own_assessment:index"), {"framework": framework, "title": "Autumn 2026"}
        )
        assert refused.status_code == 200
        assert "Choose the school" in refused.content.decode()
        assert not Assessment.objects.filter(title="Autumn 2026").exists()

        client.post(
            reverse("own_assessment:index"),
            {"establishment": elm.pk, "framework": framework, "title": "Autumn 2026"},
        )
        assert Assessment.objects.get(title="Autumn 2026").establishment == elm

    def test_cannot_start_one_for_a_school_that_is_not_theirs(
        self, schools: tuple[Establishment, Establishment], elm: Establishment, dsl: User
    ) -> None:
        _, ash = schools
        response = sign_in(Client(), dsl).post(
            reverse("own_assessment:index"),
            {
                "establishment": ash.pk,
                "framework": Framework.objects.get(code="schools").pk,
                "title": "Autumn 2026",
            },
        )
        assert response.status_code == 200
        assert not Assessment.objects.filter(establishment=ash).exists()

    def test_opens_each_of_their_schools_assessments_and_no_other(
        self, schools: tuple[Establishment, Establishment], elm: Establishment, dsl: User
    ) -> None:
        oak, ash = schools
        client = sign_in(Client(), dsl)
        for school in (oak, elm):
            assessment = _started(school, title=f"{school.name} autumn")
            page = client.get(reverse("own_assessment:assessment", args=[assessment.pk]))
            assert page.status_code == 200
            assert school.name in page.content.decode()
            rating = assessment.ratings.first()
            assert rating is not None
            assert client.get(reverse("own_assessment:rating", args=[rating.pk])).status_code == 200
        theirs = _started(ash, title="Ash autumn")
        assert client.get(reverse("own_assessment:assessment", args=[theirs.pk])).status_code == 404

    def test_the_home_page_has_an_item_for_each_school(self, elm: Establishment, dsl: User) -> None:
        oak = Establishment.objects.get(urn=999301)
        _started(oak)
        items = {item.text: item.status for item in _own_work(dsl)}
        assert items == {
            "Oak School: Autumn 2026": "In progress",
            "Elm School: self-assessment": "Not started",
        }
