"""Per-school feedback and the action plan, as a school reaches them through its link.

The round is tests/audits/audit_world's (see test_school_link.py). Counted by hand from its
table: of the 6 schools that answered SEF, 5 said "No" (83%); of the 6 that answered P2, 1 said
"Not met" (17%) and 5 "Met" (83%); of the 6 that answered P1, 1 said "Partly" (17%).
"""

from __future__ import annotations

import io
from collections.abc import Callable

import pypdf
import pytest
from django.test import Client

from preventhub.audits import feedback, stats
from preventhub.audits import services as audit_services
from preventhub.audits.models import ActionPlanItem, AuditRound, RoundSchool
from preventhub.audits.services import import_responses
from preventhub.core.roles import Role

from .audit_world import RESPONSES
from .conftest import place_of

pytestmark = pytest.mark.django_db

SchoolClient = Callable[[RoundSchool], Client]


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def by_code(found: feedback.SchoolFeedback) -> dict[str, feedback.QuestionFeedback]:
    return {item.question.code: item for item in found.questions}


class TestSchoolFeedback:
    def test_each_answer_stands_beside_the_county_count_of_the_same_answer(
        self, open_round: AuditRound
    ) -> None:
        found = by_code(feedback.school_feedback(place_of(open_round, 900002)))
        assert found["SEF"].answer == "No" and found["SEF"].county == "5 of 6 (83%)"
        assert found["P2"].answer == "Not met" and found["P2"].county == "1 of 6 (17%)"
        assert found["P2"].outcome == "negative" and found["P2"].outcome_label == "Not met"
        assert found["NOTE"].answer == "We are on it" and found["NOTE"].county == ""

    def test_the_county_figures_are_the_analysis_figures(self, open_round: AuditRound) -> None:
        figures = {q.question.code: q for q in stats.question_figures(open_round)}
        for urn in (900001, 900002, 900003, 900005):
            for code, item in by_code(feedback.school_feedback(place_of(open_round, urn))).items():
                if item.county:
                    figure = figures[code]
                    expected = stats.with_rate(figure.counts[item.answer], figure.answered)
                    assert item.county == expected, (urn, code)

    def test_what_needs_attention_is_the_requirements_partly_or_not_met(
        self, open_round: AuditRound
    ) -> None:
        # School 2: P2 "Not met" is a requirement; SEF "No" is an indicator, so not listed.
        two = feedback.school_feedback(place_of(open_round, 900002))
        assert [item.question.code for item in two.needs_attention] == ["P2"]
        three = feedback.school_feedback(place_of(open_round, 900003))
        assert [item.question.code for item in three.needs_attention] == ["P1"]
        assert feedback.school_feedback(place_of(open_round, 900001)).needs_attention == []

    def test_a_school_answered_for_by_a_trust_gets_the_trust_returns_answers(
        self, open_round: AuditRound
    ) -> None:
        found = feedback.school_feedback(place_of(open_round, 900005))
        assert found.school.name == "School 5"
        assert found.answered_through is not None and found.answered_through.name == "School 4"
        assert by_code(found)["P2"].answer == "Met"

    def test_a_school_without_a_response_has_no_results_yet(self, open_round: AuditRound) -> None:
        found = feedback.school_feedback(place_of(open_round, 900009))
        assert found.response is None and found.sections == []

    def test_it_counts_the_schools_that_responded(self, open_round: AuditRound) -> None:
        found = feedback.school_feedback(place_of(open_round, 900002))
        assert found.responded_schools == stats.round_figures(open_round).responded == 8

    def test_the_pdf_carries_the_schools_answers_and_the_county_picture(
        self, open_round: AuditRound
    ) -> None:
        content = feedback.feedback_pdf(feedback.school_feedback(place_of(open_round, 900002)))
        assert content.startswith(b"%PDF")
        found = pdf_text(content)
        assert "School 2 (URN 900002)" in found
        assert "2026 safeguarding audit: feedback" in found
        assert "P2: Have staff had Prevent training?" in found
        assert "Not met" in found and "1 of 6 (17%)" in found
        assert "We are on it" in found

    def test_the_pdf_is_tagged_and_titled_for_screen_readers(self, open_round: AuditRound) -> None:
        found = feedback.school_feedback(place_of(open_round, 900002))
        reader = pypdf.PdfReader(io.BytesIO(feedback.feedback_pdf(found)))
        assert "/StructTreeRoot" in reader.trailer["/Root"]
        assert reader.trailer["/Root"]["/Lang"] == "en-GB"
        assert reader.metadata.title == "2026 safeguarding audit: feedback for School 2"


def _answered_nothing_on_prevent(audit_round: AuditRound) -> RoundSchool:
    """School 10 responds with its safeguarding lead confirmed and every Prevent question blank."""
    header = RESPONSES.splitlines()[0]
    import_responses(
        audit_round=audit_round,
        content=f"{header}\n900010,17/10/2018,,Yes,,,,,\n".encode(),
        filename="late.csv",
    )
    return place_of(audit_round, 900010)


class TestUnansweredRequirements:
    def test_an_unanswered_requirement_is_never_counted_as_met(
        self, open_round: AuditRound
    ) -> None:
        found = feedback.school_feedback(_answered_nothing_on_prevent(open_round))
        assert found.needs_attention == []
        assert [item.question.code for item in found.to_confirm] == ["P1", "P2"]
        assert not found.every_requirement_met

    def test_the_page_lists_them_as_to_be_confirmed_not_as_met(
        self, open_round: AuditRound, school_client: SchoolClient
    ) -> None:
        place = _answered_nothing_on_prevent(open_round)
        html = school_client(place).get("/school-audit/results/").content.decode()
        assert "every requirement is met" not in html
        assert "These requirements are to be confirmed" in html
        assert "P1: Is radicalisation risk assessed? Not answered." in html

    def test_the_pdf_lists_them_as_to_be_confirmed_not_as_met(self, open_round: AuditRound) -> None:
        place = _answered_nothing_on_prevent(open_round)
        found = pdf_text(feedback.feedback_pdf(feedback.school_feedback(place)))
        assert "every requirement is met" not in found
        assert "These requirements are to be confirmed" in found
        assert "P2: Have staff had Prevent training? Not answered." in found

    def test_the_staff_page_about_the_school_says_the_same(
        self, open_round: AuditRound, client_for: Callable[..., Client]
    ) -> None:
        place = _answered_nothing_on_prevent(open_round)
        page = client_for(Role.EDUCATION_LEAD).get(
            f"/schools/audits/{open_round.pk}/schools/{place.pk}/"
        )
        assert page.status_code == 200
        assert "every requirement is met" not in page.content.decode()
        assert "These requirements are to be confirmed" in page.content.decode()

    def test_a_school_that_met_every_requirement_is_told_so(
        self, open_round: AuditRound, school_client: SchoolClient
    ) -> None:
        found = feedback.school_feedback(place_of(open_round, 900001))
        assert found.every_requirement_met and found.to_confirm == []
        html = school_client(place_of(open_round, 900001)).get("/school-audit/results/")
        assert "Nothing: every requirement is met." in html.content.decode()


class TestTheResultsPages:
    def test_the_results_page_shows_the_feedback(
        self, open_round: AuditRound, school_client: SchoolClient
    ) -> None:
        page = school_client(place_of(open_round, 900002)).get("/school-audit/results/")
        html = page.content.decode()
        assert "What needs attention" in html
        assert "5 of 6 (83%)" in html and "1 of 6 (17%)" in html
        assert "/school-audit/results/feedback.pdf" in html

    def test_the_pdf_downloads_with_the_schools_name(
        self, open_round: AuditRound, school_client: SchoolClient
    ) -> None:
        response = school_client(place_of(open_round, 900002)).get(
            "/school-audit/results/feedback.pdf"
        )
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            'attachment; filename="audit-2026-feedback-900002.pdf"'
        )
        assert "no-store" in response["Cache-Control"]
        assert "We are on it" in pdf_text(response.content)

    def test_before_submission_there_are_no_results_and_no_pdf(
        self, open_round: AuditRound, school_client: SchoolClient
    ) -> None:
        client = school_client(place_of(open_round, 900009))
        assert "There are no results yet" in client.get("/school-audit/results/").content.decode()
        response = client.get("/school-audit/results/feedback.pdf")
        assert response["Location"] == "/school-audit/results/"


class TestTheActionPlan:
    def test_it_lists_the_schools_actions(
        self, open_round: AuditRound, school_client: SchoolClient
    ) -> None:
        item = ActionPlanItem.objects.get(place__establishment__urn=900002)
        page = school_client(place_of(open_round, 900002)).get("/school-audit/action-plan/")
        html = page.content.decode()
        assert "P2: Have staff had Prevent training?" in html
        assert item.action in html and "Not started" in html
        assert f"/school-audit/action-plan/{item.pk}/" in html

    def test_the_school_records_what_it_has_done(
        self, open_round: AuditRound, school_client: SchoolClient
    ) -> None:
        item = ActionPlanItem.objects.get(place__establishment__urn=900002)
        client = school_client(place_of(open_round, 900002))
        url = f"/school-audit/action-plan/{item.pk}/"
        assert f'value="{item.version}"' in client.get(url).content.decode()
        response = client.post(
            url,
            {"status": "done", "progress": "All staff trained in May.", "version": item.version},
        )
        assert response["Location"] == "/school-audit/action-plan/"
        item.refresh_from_db()
        assert (item.status, item.progress) == ("done", "All staff trained in May.")
        assert item.completed_on is not None
        assert (
            "All staff trained in May." in client.get("/school-audit/action-plan/").content.decode()
        )

    def test_a_concurrent_edit_is_refused_and_nothing_is_overwritten(
        self, open_round: AuditRound, school_client: SchoolClient
    ) -> None:
        item = ActionPlanItem.objects.get(place__establishment__urn=900002)
        opened_at = item.version
        audit_services.update_action_item(
            item=item, expected_version=opened_at, status="in_progress", progress="Booked WRAP."
        )
        client = school_client(place_of(open_round, 900002))
        response = client.post(
            f"/school-audit/action-plan/{item.pk}/",
            {"status": "done", "progress": "Everyone trained.", "version": opened_at},
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "changed by someone else" in html and "have not been saved" in html
        assert "Booked WRAP." in html  # what was saved, shown
        assert "Everyone trained." in html  # what they typed, kept
        item.refresh_from_db()
        assert (item.status, item.progress) == ("in_progress", "Booked WRAP.")
        assert f'value="{item.version}"' in html  # saving again is a choice made seeing both

    def test_a_school_without_gaps_has_no_actions(
        self, open_round: AuditRound, school_client: SchoolClient
    ) -> None:
        page = school_client(place_of(open_round, 900001)).get("/school-audit/action-plan/")
        assert "Your school has no actions" in page.content.decode()


class TestEachAnswerShowsOnce:
    def test_an_answer_that_names_its_outcome_is_not_repeated(
        self, open_round: AuditRound, school_client: SchoolClient
    ) -> None:
        found = by_code(feedback.school_feedback(place_of(open_round, 900002)))
        assert found["P2"].answer == "Not met" and found["P2"].outcome_note == ""
        html = school_client(place_of(open_round, 900002)).get("/school-audit/results/")
        text = " ".join(html.content.decode().split())
        assert "Not met (not met)" not in text
        assert "Not met</strong> <strong" not in text  # no second tag beside the answer

    def test_an_answer_that_does_not_name_its_outcome_says_it_once_in_words(
        self, open_round: AuditRound
    ) -> None:
        found = by_code(feedback.school_feedback(place_of(open_round, 900003)))
        partly = found["P1"]
        assert partly.answer.lower() == "partly"
        assert partly.outcome_note == "partly met"
