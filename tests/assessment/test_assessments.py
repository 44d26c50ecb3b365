"""Assessments: rating each standard with evidence, signing off, and what changed since the last."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from preventhub.accounts.models import User
from preventhub.assessment import queries, services
from preventhub.assessment.models import Assessment, Framework
from preventhub.assessment.queries import Change
from preventhub.core.concurrency import ConcurrentEditError
from preventhub.core.roles import Role
from tests.assessment.conftest import rate, rating_of
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

Q4 = datetime.date(2019, 3, 31)
NOW = datetime.date(2026, 12, 1)


class TestStartingAnAssessment:
    def test_every_standard_of_the_framework_is_there_to_rate(self, toolkit: Framework) -> None:
        assessment = services.start_assessment(
            framework=toolkit, title="Q4 2018/19", assessed_on=Q4
        )
        assert assessment.ratings.count() == 16
        assert not assessment.ratings.filter(level__isnull=False).exists()

    def test_assessors_carry_over_from_the_last_assessment(
        self, toolkit: Framework, rated: Callable[..., Assessment], make_user: Callable[..., User]
    ) -> None:
        assessor = make_user(Role.PARTNER_LEAD)
        first = rated("Q4 2018/19", Q4, sign=False)
        found = rating_of(first, "TK6.1")
        services.assign_assessor(rating=found, assessor=assessor, expected_version=found.version)
        first.refresh_from_db()
        services.sign_off(assessment=first, expected_version=first.version, summary="", on=Q4)
        second = services.start_assessment(framework=toolkit, title="Q3 2026/27", assessed_on=NOW)
        assert rating_of(second, "TK6.1").assessor == assessor

    def test_a_second_one_in_progress_is_refused(self, toolkit: Framework) -> None:
        services.start_assessment(framework=toolkit, title="Q3 2026/27", assessed_on=NOW)
        with pytest.raises(services.AssessmentError, match="already in progress"):
            services.start_assessment(framework=toolkit, title="Again", assessed_on=NOW)

    def test_the_schools_tool_is_not_the_partnerships_to_run(self, toolkit: Framework) -> None:
        schools = Framework.objects.get(code="schools")
        with pytest.raises(services.AssessmentError, match="for schools and colleges"):
            services.start_assessment(framework=schools, title="Ours", assessed_on=NOW)


class TestRatingAndSigningOff:
    def test_a_rating_keeps_its_evidence_and_file(self, toolkit: Framework) -> None:
        assessment = services.start_assessment(framework=toolkit, title="Q3", assessed_on=NOW)
        found = rating_of(assessment, "TK1.1")
        services.rate_standard(
            rating=found,
            expected_version=found.version,
            level=toolkit.levels.get(code="green"),
            evidence="Terms of reference agreed in May.",
            upload=SimpleUploadedFile("terms.txt", b"Terms of reference"),
        )
        found.refresh_from_db()
        assert found.level.label == "Green"
        assert found.files.get().original_name == "terms.txt"

    def test_a_file_of_a_type_not_kept_refuses_the_rating_too(self, toolkit: Framework) -> None:
        assessment = services.start_assessment(framework=toolkit, title="Q3", assessed_on=NOW)
        found = rating_of(assessment, "TK1.1")
        with pytest.raises(services.AssessmentError, match="not a file type we keep"):
            services.rate_standard(
                rating=found,
                expected_version=found.version,
                level=toolkit.levels.get(code="green"),
                evidence="",
                upload=SimpleUploadedFile("run.exe", b"MZ"),
            )
        found.refresh_from_db()
        assert found.level is None

    def test_two_people_rating_at_once_do_not_overwrite_each_other(
        self, toolkit: Framework
    ) -> None:
        assessment = services.start_assessment(framework=toolkit, title="Q3", assessed_on=NOW)
        found = rating_of(assessment, "TK1.1")
        opened = found.version
        rate(assessment, "TK1.1", "green")
        with pytest.raises(ConcurrentEditError):
            services.rate_standard(
                rating=found, expected_version=opened, level=None, evidence="Late"
            )

    def test_sign_off_waits_for_every_standard(self, toolkit: Framework) -> None:
        assessment = services.start_assessment(framework=toolkit, title="Q3", assessed_on=NOW)
        rate(assessment, "TK1.1", "green")
        with pytest.raises(services.AssessmentError, match="15 of 16 standards are not rated"):
            services.sign_off(
                assessment=assessment, expected_version=assessment.version, summary="", on=NOW
            )

    def test_sign_off_waits_for_a_gap_recorded_against_each_red_or_amber(
        self, rated: Callable[..., Assessment]
    ) -> None:
        assessment = rated("Q3", NOW, sign=False)
        rate(assessment, "TK6.1", "amber")
        assessment.refresh_from_db()
        with pytest.raises(services.AssessmentError, match="needing improvement: TK6.1"):
            services.sign_off(
                assessment=assessment, expected_version=assessment.version, summary="", on=NOW
            )

    def test_a_signed_off_assessment_is_final(self, rated: Callable[..., Assessment]) -> None:
        assessment = rated("Q4 2018/19", Q4)
        with pytest.raises(services.AssessmentError, match="signed off"):
            rate(assessment, "TK1.1", "red")


class TestWhatChangedSinceTheLastAssessment:
    def test_each_standard_shows_its_rating_before_and_the_change(
        self, rated: Callable[..., Assessment]
    ) -> None:
        rated("Q4 2018/19", Q4, levels={"TK6.1": "amber", "TK4.1": "red", "TK7.1": "amber"})
        now = rated(
            "Q3 2026/27", NOW, levels={"TK6.1": "green", "TK4.1": "amber", "TK1.1": "amber"}
        )
        page = queries.assessment_page(now)
        rows = {row.standard.code: row for area in page.areas for row in area.rows}
        assert page.previous.title == "Q4 2018/19"
        assert (rows["TK6.1"].previous.label, rows["TK6.1"].change) == ("Amber", Change.BETTER)
        assert (rows["TK4.1"].previous.label, rows["TK4.1"].change) == ("Red", Change.BETTER)
        assert (rows["TK7.1"].previous.label, rows["TK7.1"].change) == ("Amber", Change.BETTER)
        assert (rows["TK1.1"].previous.label, rows["TK1.1"].change) == ("Green", Change.WORSE)
        assert rows["TK2.1"].change == Change.SAME
        assert [row.standard.code for row in page.changes] == ["TK1.1", "TK4.1", "TK6.1", "TK7.1"]

    def test_the_first_assessment_has_nothing_to_compare_with(
        self, rated: Callable[..., Assessment]
    ) -> None:
        page = queries.assessment_page(rated("Q4 2018/19", Q4))
        assert page.previous is None
        assert page.changes == []

    def test_the_summary_reads_as_the_board_is_used_to(
        self, rated: Callable[..., Assessment]
    ) -> None:
        page = queries.assessment_page(
            rated("Q4 2018/19", Q4, levels={"TK6.1": "amber", "TK6.2": "amber", "TK4.1": "red"})
        )
        assert page.summary_text == "13 green, 2 amber and 1 red"

    def test_the_page_makes_as_many_queries_however_many_findings(
        self,
        rated: Callable[..., Assessment],
        client_for: Callable[..., Client],
        django_assert_max_num_queries: Callable[..., object],
    ) -> None:
        rated("Q4 2018/19", Q4, levels={"TK6.1": "amber"})
        now = rated("Q3 2026/27", NOW, levels={"TK6.1": "amber"})
        client = client_for(Role.COORDINATOR)
        url = reverse("assessment:assessment", args=[now.pk])
        client.get(url)
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200


class TestRatingOnThePage:
    def test_the_named_assessor_rates_their_standard(
        self, toolkit: Framework, make_user: Callable[..., User]
    ) -> None:
        assessor = make_user(Role.PARTNER_LEAD)
        assessment = services.start_assessment(framework=toolkit, title="Q3", assessed_on=NOW)
        found = rating_of(assessment, "TK6.1")
        services.assign_assessor(rating=found, assessor=assessor, expected_version=found.version)
        found.refresh_from_db()
        response = sign_in(Client(), assessor).post(
            reverse("assessment:rating", args=[found.pk]),
            {
                "level": toolkit.levels.get(code="amber").pk,
                "evidence": "No needs assessment yet.",
                "version": found.version,
            },
        )
        assert response.status_code == 302
        found.refresh_from_db()
        assert (found.level.code, found.rated_by_name) == ("amber", "Test Person")

    def test_another_partner_lead_may_read_it_but_not_rate_it(
        self, toolkit: Framework, client_for: Callable[..., Client]
    ) -> None:
        assessment = services.start_assessment(framework=toolkit, title="Q3", assessed_on=NOW)
        found = rating_of(assessment, "TK6.1")
        client = client_for(Role.PARTNER_LEAD)
        url = reverse("assessment:rating", args=[found.pk])
        page = client.get(url)
        assert page.status_code == 200
        assert "Save the rating" not in page.content.decode()
        refused = client.post(url, {"level": toolkit.levels.first().pk, "version": found.version})
        assert refused.status_code == 403

    def test_a_rating_without_a_level_is_asked_for(
        self, toolkit: Framework, client_for: Callable[..., Client]
    ) -> None:
        assessment = services.start_assessment(framework=toolkit, title="Q3", assessed_on=NOW)
        found = rating_of(assessment, "TK6.1")
        response = client_for(Role.COORDINATOR).post(
            reverse("assessment:rating", args=[found.pk]), {"version": found.version}
        )
        assert response.status_code == 200
        assert "Choose a rating" in response.content.decode()
