"""A school's DSL with an account reaches their own school's audit; the Board reads a round's
aggregate results; the education lead and the coordinator see the round's progress at home."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from preventhub.accounts.models import User
from preventhub.audits.link.views import SESSION_KEY
from preventhub.audits.models import AuditRound, RoundSchool
from preventhub.core.roles import Role
from tests.conftest import sign_in

from .conftest import SITE, place_of


@pytest.fixture
def dsl(make_user: Callable[..., User]) -> User:
    return make_user(Role.SCHOOL_DSL, email="dsl@school2.example")


def _make_contact(place: RoundSchool, email: str) -> RoundSchool:
    school = place.establishment
    school.contact_email = email
    school.save(update_fields=["contact_email"])
    return place


class TestTheDesignatedSafeguardingLead:
    def test_reaches_their_own_schools_results_feedback_and_action_plan(
        self, open_round: AuditRound, dsl: User
    ) -> None:
        place = _make_contact(place_of(open_round, 900002), "DSL@School2.example")
        client = sign_in(Client(), dsl)
        listing = client.get(reverse("audits:own_school")).content.decode()
        assert "School 2: 2026" in listing
        page = client.get(reverse("audits:own_school_place", args=[place.pk]))
        assert page.status_code == 200
        text = page.content.decode()
        assert "What needs attention" in text and "Action plan" in text
        assert "P2" in text  # not met: an action in the plan
        pdf = client.get(reverse("audits:own_school_pdf", args=[place.pk]))
        assert pdf["Content-Type"] == "application/pdf"

    def test_never_reaches_another_schools_audit(self, open_round: AuditRound, dsl: User) -> None:
        _make_contact(place_of(open_round, 900002), dsl.email)
        other = place_of(open_round, 900003)
        client = sign_in(Client(), dsl)
        assert client.get(reverse("audits:own_school_place", args=[other.pk])).status_code == 404
        assert client.get(reverse("audits:own_school_pdf", args=[other.pk])).status_code == 404
        assert client.post(reverse("audits:own_school_open", args=[other.pk])).status_code == 404
        assert SESSION_KEY not in client.session

    def test_without_a_school_the_page_says_how_to_get_linked(
        self, open_round: AuditRound, dsl: User
    ) -> None:
        client = sign_in(Client(), dsl)
        page = client.get(reverse("audits:own_school")).content.decode()
        assert "Ask your education safeguarding lead" in page
        assert "No school linked" in client.get("/").content.decode()

    def test_opens_the_schools_journey_while_its_link_is_live(
        self, open_round: AuditRound, dsl: User
    ) -> None:
        from preventhub.audits import services

        place = _make_contact(place_of(open_round, 900009), dsl.email)  # a draft, not sent
        client = sign_in(Client(), dsl)
        opened = client.post(reverse("audits:own_school_open", args=[place.pk]))
        assert opened["Location"] == reverse("audits:own_school_place", args=[place.pk])
        services.issue_link(place=place, site_url=SITE)
        assert (
            "Answer the audit"
            in client.get(reverse("audits:own_school_place", args=[place.pk])).content.decode()
        )
        opened = client.post(reverse("audits:own_school_open", args=[place.pk]))
        assert opened["Location"] == reverse("school_audit:start")
        assert client.get(reverse("school_audit:start")).status_code == 200

    def test_sees_their_schools_audit_on_the_home_page(
        self, open_round: AuditRound, dsl: User
    ) -> None:
        place = _make_contact(place_of(open_round, 900002), dsl.email)
        page = sign_in(Client(), dsl).get("/").content.decode()
        assert "Your school&#x27;s audit" in page
        assert reverse("audits:own_school_place", args=[place.pk]) in page
        assert "Results ready" in page


class TestTheBoardReader:
    def test_reads_a_rounds_aggregate_results_without_links_to_schools(
        self, open_round: AuditRound, client_for: Callable[..., Client]
    ) -> None:
        client = client_for(Role.BOARD_READER)
        assert client.get(reverse("audits:rounds")).status_code == 200
        page = client.get(reverse("audits:round", args=[open_round.pk]))
        assert page.status_code == 200
        text = page.content.decode()
        for hidden in ("non_responders", "scope", "questions", "export"):
            assert f"/schools/audits/{open_round.pk}/{hidden}" not in text.replace("-", "_")
        breakdown = reverse("audits:round_breakdown", args=[open_round.pk])
        assert client.get(breakdown).status_code == 200
        assert client.get(reverse("audits:scope", args=[open_round.pk])).status_code == 403


class TestTheHomePage:
    def test_the_education_lead_sees_progress_non_responders_and_reminders_due(
        self, open_round: AuditRound, client_for: Callable[..., Client]
    ) -> None:
        _make_contact(place_of(open_round, 900010), "head@school10.example")
        page = client_for(Role.EDUCATION_LEAD).get("/").content.decode()
        assert "Schools audit: 2026" in page
        assert "Schools that have responded" in page
        assert "Schools yet to answer the Prevent questions" in page
        assert "Reminders due" in page
        assert reverse("audits:non_responders", args=[open_round.pk]) in page

    def test_the_coordinator_sees_progress_only(
        self, open_round: AuditRound, client_for: Callable[..., Client]
    ) -> None:
        page = client_for(Role.COORDINATOR).get("/").content.decode()
        assert "Schools that have responded" in page
        assert "Reminders due" not in page

    def test_the_home_page_does_not_grow_queries_with_schools(
        self,
        open_round: AuditRound,
        client_for: Callable[..., Client],
        django_assert_max_num_queries: Any,
    ) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from preventhub.schools.models import Establishment

        client = client_for(Role.EDUCATION_LEAD)
        with CaptureQueriesContext(connection) as few:
            client.get("/")
        for n in range(20):
            school = Establishment.objects.create(
                urn=910000 + n,
                name=f"More {n}",
                la_code="860",
                status="open",
                contact_email=f"s{n}@example.org",
            )
            RoundSchool.objects.create(round=open_round, establishment=school)
        with django_assert_max_num_queries(len(few)):
            client.get("/")
