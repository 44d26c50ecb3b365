"""A school's own self-assessment, through its secure audit link: its own, and no one else's."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from preventhub.assessment import services
from preventhub.assessment.models import Assessment, Framework
from preventhub.audits import services as audit_services
from preventhub.audits.models import RoundSchool
from preventhub.schools.models import Establishment

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


@pytest.fixture
def places(toolkit: Framework) -> list[RoundSchool]:
    schools = [
        Establishment.objects.create(urn=urn, name=name, la_code="860", status="open")
        for urn, name in ((999201, "Oak School"), (999202, "Ash School"))
    ]
    today = timezone.localdate()
    audit_round = audit_services.create_round(
        name="Autumn survey",
        kind="annual",
        opens_on=today - datetime.timedelta(days=5),
        closes_on=today + datetime.timedelta(days=30),
        establishments=schools,
    )
    return list(audit_round.scope.select_related("establishment").order_by("establishment__urn"))


@pytest.fixture
def school_client() -> Callable[[RoundSchool], Client]:
    def make(place: RoundSchool) -> Client:
        client = Client()
        issued = audit_services.issue_link(place=place, site_url=SITE)
        client.get(issued.url.removeprefix(SITE))
        return client

    return make


def _start(client: Client) -> Assessment:
    schools = Framework.objects.get(code="schools")
    response = client.post(
        reverse("school_assessment:index"), {"framework": schools.pk, "title": "Autumn 2026"}
    )
    assert response.status_code == 302
    return Assessment.objects.get(title="Autumn 2026")


def test_without_the_links_session_it_sends_the_visitor_to_open_the_link(
    places: list[RoundSchool],
) -> None:
    response = Client().get(reverse("school_assessment:index"))
    assert response["Location"] == reverse("school_audit:enter")


def test_a_school_evaluates_plans_and_signs_off_its_own_assessment(
    places: list[RoundSchool], school_client: Callable[[RoundSchool], Client]
) -> None:
    client = school_client(places[0])
    assessment = _start(client)
    assert assessment.establishment == places[0].establishment
    levels = {level.code: level.pk for level in assessment.framework.levels.all()}
    for rating in assessment.ratings.select_related("standard"):
        level = "2" if rating.standard.code == "S4.1" else "3"
        response = client.post(
            reverse("school_assessment:rating", args=[rating.pk]),
            {"level": levels[level], "evidence": "Checked", "version": rating.version},
        )
        assert response.status_code == 302
    training = assessment.ratings.get(standard__code="S4.1")
    refused = client.post(
        reverse("school_assessment:sign_off", args=[assessment.pk]),
        {"summary": "Mostly there", "on": "2026-12-01", "name": "Head", "version": 1},
    )
    assert "S4.1" in refused.content.decode()
    client.post(
        reverse("school_assessment:finding_new", args=[training.pk]),
        {"text": "Two new staff untrained", "improvement": "Book them on the course"},
    )
    assessment.refresh_from_db()
    response = client.post(
        reverse("school_assessment:sign_off", args=[assessment.pk]),
        {
            "summary": "Mostly there",
            "on": "2026-12-01",
            "name": "Head",
            "version": assessment.version,
        },
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.status, assessment.signed_off_name) == ("signed_off", "Head")
    page = client.get(reverse("school_assessment:assessment", args=[assessment.pk]))
    assert "Book them on the course" in page.content.decode()


def test_another_schools_link_does_not_reach_it(
    places: list[RoundSchool], school_client: Callable[[RoundSchool], Client]
) -> None:
    assessment = services.start_assessment(
        framework=Framework.objects.get(code="schools"),
        title="Oak's own",
        assessed_on=timezone.localdate(),
        establishment=places[0].establishment,
    )
    other = school_client(places[1])
    assert (
        other.get(reverse("school_assessment:assessment", args=[assessment.pk])).status_code == 404
    )
    rating = assessment.ratings.first()
    assert other.get(reverse("school_assessment:rating", args=[rating.pk])).status_code == 404
    assert "Oak's own" not in other.get(reverse("school_assessment:index")).content.decode()
