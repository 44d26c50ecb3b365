"""The school's secure link: opening it, what it reaches, and the journey to a submitted audit.

The round is tests/audits/audit_world's, open today: School 1 to 4 and 7 answered themselves,
School 4's trust return covers 5 and 6, School 7's covers 8, School 9 has a draft (P1 "Yes"), and
School 10 has nothing yet. Sections: Safeguarding (G1), Prevent (P1, P2, SEF, PAR), Other (NOTE,
an optional text question).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from preventhub.audits import services as audit_services
from preventhub.audits.link.views import SESSION_KEY
from preventhub.audits.models import ActionPlanItem, AuditRound, Response, RoundSchool
from preventhub.core.models import AuditEvent

from .audit_world import answers_by_code
from .conftest import link_path, place_of

pytestmark = pytest.mark.django_db

SchoolClient = Callable[[RoundSchool], Client]

START = "/school-audit/start/"
ENTER = "/school-audit/"
# Every page of the journey that needs the link's session, by name and URL arguments.
LINK_PAGES = [
    ("school_audit:start", {}),
    ("school_audit:section", {"number": 1}),
    ("school_audit:check", {}),
    ("school_audit:submitted", {}),
    ("school_audit:results", {}),
    ("school_audit:results_pdf", {}),
    ("school_audit:action_plan", {}),
    ("school_audit:action_item", {"pk": 1}),
]

COMPLETE = {"G1": "Yes", "P1": "Partly", "P2": "Not met", "SEF": "No", "PAR": "Yes"}


def text(response: Any) -> str:
    return response.content.decode()


def answers_of(audit_round: AuditRound, urn: int) -> dict[str, str]:
    return answers_by_code(Response.objects.get(round=audit_round, establishment__urn=urn))


class TestOpeningTheLink:
    def test_it_moves_the_secret_out_of_the_address(self, open_round: AuditRound) -> None:
        client = Client()
        response = client.get(link_path(place_of(open_round, 900010)))
        assert response.status_code == 302
        assert response["Location"] == START
        assert response["Referrer-Policy"] == "no-referrer"
        assert "no-store" in response["Cache-Control"]
        page = client.get(START)
        assert page.status_code == 200
        assert "School 10" in text(page) and "900010" in text(page)
        assert "link=" not in text(page)

    def test_a_half_signed_in_person_never_carries_the_secret_to_two_factor(
        self, open_round: AuditRound, make_user: Any
    ) -> None:
        from preventhub.core.roles import Role

        client = Client()
        client.force_login(make_user(Role.ADMINISTRATOR, totp=True))  # second factor not done
        response = client.get(link_path(place_of(open_round, 900010)))
        assert response["Location"] == START
        onward = client.get(START)
        assert onward.status_code == 302 and "link=" not in onward["Location"]

    def test_the_session_keeps_the_digest_never_the_secret(self, open_round: AuditRound) -> None:
        client = Client()
        path = link_path(place_of(open_round, 900010))
        client.get(path)
        token = path.split("link=", 1)[1]
        entry = client.session[SESSION_KEY]
        assert token not in str(entry)
        assert entry["digest"] == place_of(open_round, 900010).link_token_digest

    @pytest.mark.parametrize("token", ["not-a-link", "", "x" * 500])
    def test_a_wrong_link_says_so_with_404_and_stores_nothing(
        self, open_round: AuditRound, token: str
    ) -> None:
        client = Client()
        response = client.get(ENTER, {"link": token})
        assert response.status_code == 404
        assert "This link does not work" in text(response)
        assert "ask your education safeguarding lead for a new one" in text(response)
        assert SESSION_KEY not in client.session

    def test_a_wrong_link_is_logged_without_its_secret(
        self, open_round: AuditRound, caplog: pytest.LogCaptureFixture
    ) -> None:
        with caplog.at_level("WARNING", logger="django.request"):
            Client().get(ENTER, {"link": "secret-that-must-not-be-logged"})
        assert "Not Found: /school-audit/" in caplog.text
        assert "secret-that-must-not-be-logged" not in caplog.text

    def test_the_access_log_leaves_out_query_strings_and_the_referer(self) -> None:
        makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
        found = re.search(r"^ACCESS_LOG_FORMAT := (.*)$", makefile, re.MULTILINE)
        assert found is not None
        assert "%(U)s" in found[1]
        for atom in ("%(r)s", "%(q)s", "%(f)s", "%({"):
            assert atom not in found[1]
        assert "--access-logformat '$(ACCESS_LOG_FORMAT)'" in makefile

    def test_without_a_link_it_explains_how_to_get_in(self) -> None:
        response = Client().get(ENTER)
        assert response.status_code == 200
        assert "Open that link again" in text(response)

    def test_a_revoked_link_does_not_work(self, open_round: AuditRound) -> None:
        place = place_of(open_round, 900010)
        path = link_path(place)
        audit_services.revoke_link(place=place)
        assert Client().get(path).status_code == 404

    def test_a_reissued_link_replaces_the_old_one(self, open_round: AuditRound) -> None:
        place = place_of(open_round, 900010)
        old = link_path(place)
        new = link_path(place)
        assert Client().get(old).status_code == 404
        assert Client().get(new).status_code == 302

    def test_an_expired_link_does_not_work(self, open_round: AuditRound) -> None:
        place = place_of(open_round, 900010)
        path = link_path(place, expires_on=datetime.date.today() + datetime.timedelta(days=3))
        assert Client().get(path).status_code == 302
        with time_machine.travel(datetime.date.today() + datetime.timedelta(days=4)):
            assert Client().get(path).status_code == 404

    def test_revoking_ends_a_session_already_open(
        self, open_round: AuditRound, school_client: SchoolClient
    ) -> None:
        place = place_of(open_round, 900010)
        client = school_client(place)
        audit_services.revoke_link(place=place)
        response = client.get(START)
        assert response.status_code == 302 and response["Location"] == ENTER
        assert SESSION_KEY not in client.session

    def test_reissuing_ends_a_session_opened_with_the_old_link(
        self, open_round: AuditRound, school_client: SchoolClient
    ) -> None:
        place = place_of(open_round, 900010)
        client = school_client(place)
        link_path(place)
        assert client.get(START)["Location"] == ENTER

    def test_expiry_ends_a_session_already_open(
        self, open_round: AuditRound, school_client: SchoolClient
    ) -> None:
        place = place_of(open_round, 900010)
        client = school_client(place)
        assert client.get(START).status_code == 200
        # Within the session's idle time, the link's own expiry ends it.
        yesterday = datetime.date.today() - datetime.timedelta(days=1)
        RoundSchool.objects.filter(pk=place.pk).update(link_expires_on=yesterday)
        assert client.get(START)["Location"] == ENTER

    @pytest.mark.parametrize(("name", "kwargs"), LINK_PAGES)
    def test_without_the_session_every_page_sends_the_visitor_to_open_the_link(
        self, open_round: AuditRound, name: str, kwargs: dict[str, int]
    ) -> None:
        response = Client().get(reverse(name, kwargs=kwargs))
        assert response.status_code == 302 and response["Location"] == ENTER

    def test_the_link_signs_nobody_in(
        self, open_round: AuditRound, school_client: SchoolClient
    ) -> None:
        client = school_client(place_of(open_round, 900010))
        for url in ("/", "/schools/", "/account/"):
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith("/account/sign-in/")

    def test_leaving_ends_the_session(
        self, open_round: AuditRound, school_client: SchoolClient
    ) -> None:
        client = school_client(place_of(open_round, 900010))
        response = client.post("/school-audit/leave/")
        assert response["Location"] == "/school-audit/left/"
        assert "You have left" in text(client.get("/school-audit/left/"))
        assert client.get(START)["Location"] == ENTER

    def test_a_staff_member_opening_a_link_stays_who_they_are(
        self, open_round: AuditRound, client_for: Callable[..., Client]
    ) -> None:
        from preventhub.core.roles import Role

        client = client_for(Role.EDUCATION_LEAD)
        client.get(link_path(place_of(open_round, 900010)))
        assert client.get(START).status_code == 200
        assert client.get("/schools/").status_code == 200  # their own rights, nothing more
        assert client.get("/audit/").status_code == 403


class TestIsolation:
    def test_a_school_sees_only_its_own_answers_results_and_plan(
        self, open_round: AuditRound, school_client: SchoolClient
    ) -> None:
        two = school_client(place_of(open_round, 900002))
        three = school_client(place_of(open_round, 900003))
        for url in (START, "/school-audit/check/", "/school-audit/results/"):
            assert "We are on it" in text(two.get(url)) or url == START
            page = text(three.get(url))
            assert "School 3" in page
            assert "School 2" not in page and "We are on it" not in page
        assert "P2" in text(two.get("/school-audit/action-plan/"))
        plan_three = text(three.get("/school-audit/action-plan/"))
        assert "Not met" not in plan_three  # School 2's gap; School 3's is P1 "Partly"

    def test_another_schools_action_is_not_found_and_not_changed(
        self, open_round: AuditRound, school_client: SchoolClient
    ) -> None:
        theirs = ActionPlanItem.objects.get(place__establishment__urn=900002)
        client = school_client(place_of(open_round, 900003))
        url = f"/school-audit/action-plan/{theirs.pk}/"
        assert client.get(url).status_code == 404
        response = client.post(
            url, {"status": "done", "progress": "Hijacked", "version": theirs.version}
        )
        assert response.status_code == 404
        theirs.refresh_from_db()
        assert (theirs.status, theirs.progress) == ("open", "")

    def test_a_schools_answers_stay_its_own(
        self, open_round: AuditRound, school_client: SchoolClient
    ) -> None:
        client = school_client(place_of(open_round, 900010))
        client.post("/school-audit/section/1/", {"G1": "No", "continue": ""})
        assert answers_of(open_round, 900010) == {"G1": "No"}
        assert answers_of(open_round, 900009) == {"P1": "Yes"}

    def test_no_route_of_the_link_names_a_school_response_or_round(self) -> None:
        from preventhub.audits.link import urls as link_urls

        arguments = {
            name for pattern in link_urls.urlpatterns for name in pattern.pattern.converters
        }
        assert arguments == {"number", "pk"}  # a section's number, an item within the school


class TestAnswering:
    def test_the_start_page_shows_the_school_round_and_sections(
        self, open_round: AuditRound, school_client: SchoolClient
    ) -> None:
        page = text(school_client(place_of(open_round, 900010)).get(START))
        assert "School 10" in page and "900010" in page and "2026" in page
        assert open_round.closes_on.strftime("%-d %B %Y") in page
        for section in ("Safeguarding", "Prevent", "Other"):
            assert section in page
        assert page.count("Not started") == 3

    def test_a_draft_shows_its_sections_progress(
        self, open_round: AuditRound, school_client: SchoolClient
    ) -> None:
        page = text(school_client(place_of(open_round, 900009)).get(START))
        assert page.count("Not started") == 2
        assert "In progress" in page

    def test_save_and_come_back_later_keeps_the_answers_for_the_next_visit(
        self, open_round: AuditRound, school_client: SchoolClient
    ) -> None:
        place = place_of(open_round, 900010)
        client = school_client(place)
        response = client.post(
            "/school-audit/section/2/", {"P1": "Partly", "SEF": "Yes", "later": ""}
        )
        assert response["Location"] == START
        page = text(client.get(START))
        assert "Your answers have been saved" in page
        assert "In progress" in page
        # Another day, another browser, the same (re-issued) link's school: the answers are there.
        again = school_client(place)
        form = text(again.get("/school-audit/section/2/"))
        checked = re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"[^>]*checked', form)
        assert sorted(checked) == [("P1", "Partly"), ("SEF", "Yes")]
        assert answers_of(open_round, 900010) == {"P1": "Partly", "P2": "", "SEF": "Yes", "PAR": ""}

    def test_save_and_continue_walks_the_sections_then_checks(
        self, open_round: AuditRound, school_client: SchoolClient
    ) -> None:
        client = school_client(place_of(open_round, 900010))
        assert client.post("/school-audit/section/1/", {"G1": "Yes"})["Location"] == (
            "/school-audit/section/2/"
        )
        assert client.post("/school-audit/section/3/", {"NOTE": ""})["Location"] == (
            "/school-audit/check/"
        )
        assert "Completed" in text(client.get(START))

    def test_a_number_that_is_not_one_is_refused_and_nothing_saved(
        self, open_round: AuditRound, school_client: SchoolClient
    ) -> None:
        question = open_round.questions.get(code="NOTE")
        question.scale = "number"
        question.save()
        client = school_client(place_of(open_round, 900010))
        response = client.post("/school-audit/section/3/", {"NOTE": "lots"})
        assert response.status_code == 200
        assert "Enter a whole number" in text(response)
        assert not Response.objects.filter(establishment__urn=900010).exists()

    def test_an_answer_outside_the_scale_is_refused(
        self, open_round: AuditRound, school_client: SchoolClient
    ) -> None:
        client = school_client(place_of(open_round, 900010))
        response = client.post("/school-audit/section/1/", {"G1": "Maybe"})
        assert response.status_code == 200
        assert "Select a valid choice" in text(response)
        assert not Response.objects.filter(establishment__urn=900010).exists()

    def test_check_answers_lists_the_required_questions_still_unanswered(
        self, open_round: AuditRound, school_client: SchoolClient
    ) -> None:
        page = text(school_client(place_of(open_round, 900009)).get("/school-audit/check/"))
        assert "Answer these required questions before you submit" in page
        for code in ("G1", "P2", "SEF", "PAR"):
            assert f"{code}: " in page
        assert page.count("P1: Is radicalisation") == 1  # answered: in the summary, not the list
        assert "Change" in page

    def test_submitting_with_required_answers_missing_is_refused_naming_them(
        self, open_round: AuditRound, school_client: SchoolClient
    ) -> None:
        client = school_client(place_of(open_round, 900009))
        response = client.post(
            "/school-audit/check/", {"headteacher": "Ann Head", "governor": "Gil Gov"}
        )
        assert response.status_code == 200
        assert "Answer every required question before submitting: G1, P2, SEF, PAR." in text(
            response
        )
        assert Response.objects.get(establishment__urn=900009).status == "draft"

    def test_the_sign_off_names_are_required(
        self, open_round: AuditRound, school_client: SchoolClient
    ) -> None:
        client = school_client(place_of(open_round, 900010))
        client.post("/school-audit/section/1/", {"G1": "Yes"})
        client.post("/school-audit/section/2/", COMPLETE)
        response = client.post("/school-audit/check/", {"headteacher": " ", "governor": ""})
        assert "Enter the headteacher&#x27;s name" in text(response)
        assert "Enter the governor&#x27;s name" in text(response)
        assert text(response).count("govuk-error-summary__list") == 1
        assert Response.objects.get(establishment__urn=900010).status == "draft"

    def test_submitting_counts_the_school_and_makes_its_action_plan(
        self, open_round: AuditRound, school_client: SchoolClient
    ) -> None:
        place = place_of(open_round, 900010)
        client = school_client(place)
        client.post("/school-audit/section/2/", COMPLETE)
        client.post("/school-audit/section/1/", {"G1": "Yes"})
        response = client.post(
            "/school-audit/check/", {"headteacher": "Ann Head", "governor": "Gil Gov"}
        )
        assert response["Location"] == "/school-audit/submitted/"
        confirmation = text(client.get("/school-audit/submitted/"))
        assert "govuk-panel--confirmation" in confirmation and "Audit submitted" in confirmation
        submitted = Response.objects.get(establishment__urn=900010)
        assert (submitted.status, submitted.headteacher, submitted.governor) == (
            "submitted",
            "Ann Head",
            "Gil Gov",
        )
        place.refresh_from_db()
        assert place.answered_by == submitted
        gaps = ActionPlanItem.objects.filter(place=place).values_list("question__code", "answer")
        assert sorted(gaps) == [("P1", "Partly"), ("P2", "Not met")]
        assert AuditEvent.objects.filter(actor_label="School link: School 10 (900010)").exists()

    def test_after_submission_the_answers_are_read_only(
        self, open_round: AuditRound, school_client: SchoolClient
    ) -> None:
        client = school_client(place_of(open_round, 900002))
        assert client.get("/school-audit/section/2/")["Location"] == "/school-audit/check/"
        client.post("/school-audit/section/2/", {"P2": "Met"})
        assert answers_of(open_round, 900002)["P2"] == "Not met"
        check = text(client.get("/school-audit/check/"))
        assert "Your answers" in check and "can no longer change" in check
        assert "Change" not in check and "Submit the audit" not in check
        client.post("/school-audit/check/", {"headteacher": "X", "governor": "Y"})
        assert Response.objects.get(establishment__urn=900002).headteacher == ""
        assert "can no longer change" in text(client.get(START))

    def test_a_school_answered_for_by_a_trust_return_is_told_so(
        self, open_round: AuditRound, school_client: SchoolClient
    ) -> None:
        client = school_client(place_of(open_round, 900005))
        page = text(client.get(START))
        assert "responded through the trust or federation return of School 4" in page
        assert "Check your answers" not in page
        assert client.get("/school-audit/section/1/")["Location"] == START
        assert client.get("/school-audit/check/")["Location"] == START
        client.post("/school-audit/section/1/", {"G1": "No"})
        assert not Response.objects.filter(establishment__urn=900005).exists()
        results = text(client.get("/school-audit/results/"))
        assert "trust or federation return of School 4" in results

    def test_a_closed_round_cannot_be_answered(
        self, open_round: AuditRound, school_client: SchoolClient
    ) -> None:
        open_round.closes_on = datetime.date.today() - datetime.timedelta(days=1)
        open_round.save()
        client = school_client(place_of(open_round, 900010))
        page = text(client.get(START))
        assert "closed on" in page
        assert client.get("/school-audit/section/1/")["Location"] == START
        client.post("/school-audit/section/1/", {"G1": "No"})
        assert not Response.objects.filter(establishment__urn=900010).exists()


class TestQueries:
    # A draft's pages (School 9), and a submitted response's results and plan (School 2).
    PAGES = {
        900009: (START, "/school-audit/check/", "/school-audit/section/2/"),
        900002: (
            START,
            "/school-audit/check/",
            "/school-audit/results/",
            "/school-audit/action-plan/",
        ),
    }

    def _counts(self, clients: dict[int, Client]) -> dict[str, int]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        counts = {}
        for urn, urls in self.PAGES.items():
            for url in urls:
                with CaptureQueriesContext(connection) as queries:
                    assert clients[urn].get(url).status_code == 200, url
                counts[f"{urn} {url}"] = len(queries)
        return counts

    def test_no_page_makes_more_queries_for_more_questions_answers_or_actions(
        self, open_round: AuditRound, school_client: SchoolClient
    ) -> None:
        from preventhub.audits.models import Question

        clients = {urn: school_client(place_of(open_round, urn)) for urn in self.PAGES}
        before = self._counts(clients)
        for n in range(20):
            question = Question.objects.create(
                round=open_round,
                code=f"X{n}",
                section=f"Extra {n % 4}",
                text=f"Extra question {n}?",
                scale="yes_no_partly",
                requirement=True,
                position=100 + n,
            )
            for urn in self.PAGES:
                response = Response.objects.get(establishment__urn=urn)
                response.answers[str(question.pk)] = "Partly"
                response.save(update_fields=["answers"])
                ActionPlanItem.objects.create(
                    place=place_of(open_round, urn),
                    question=question,
                    answer="Partly",
                    action="Do it.",
                    due_on=datetime.date.today(),
                )
        assert self._counts(clients) == before
