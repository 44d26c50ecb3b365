"""The page shell: security headers, navigation by role, and GOV.UK error pages."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from preventhub.core.roles import Role

pytestmark = pytest.mark.django_db


class TestSecurityHeaders:
    def test_every_page_carries_a_strict_content_security_policy(self, client: Client) -> None:
        response = client.get("/account/sign-in/")
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert "object-src 'none'" in policy
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy

    def test_the_one_inline_script_carries_the_nonce_the_policy_names(self, client: Client) -> None:
        response = client.get("/account/sign-in/")
        nonce = response["Content-Security-Policy"].split("'nonce-", 1)[1].split("'", 1)[0]
        page = response.content.decode()
        assert page.count("<script nonce=") == 1
        assert f'<script nonce="{nonce}">' in page

    def test_the_nonce_is_new_on_every_response(self, client: Client) -> None:
        first = client.get("/account/sign-in/")["Content-Security-Policy"]
        second = client.get("/account/sign-in/")["Content-Security-Policy"]
        assert first != second

    def test_pages_cannot_be_framed_or_sniffed(self, client: Client) -> None:
        response = client.get("/account/sign-in/")
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"

    def test_hsts_is_sent_over_https_when_not_debugging(self, client: Client, settings) -> None:
        settings.SECURE_HSTS_SECONDS = 31536000
        response = client.get("/account/sign-in/", secure=True)
        assert response["Strict-Transport-Security"].startswith("max-age=31536000")


class TestNavigation:
    def test_it_offers_a_role_only_what_that_role_reaches(
        self, client_for: Callable[..., Client]
    ) -> None:
        page = client_for(Role.BOARD_READER).get("/").content.decode()
        assert 'href="/partnership/"' in page
        assert 'href="/users/"' not in page and 'href="/audit/"' not in page

    def test_the_administrator_sees_users_but_not_the_audit_log(
        self, client_for: Callable[..., Client]
    ) -> None:
        page = client_for(Role.ADMINISTRATOR).get("/").content.decode()
        assert 'href="/users/"' in page and 'href="/audit/"' not in page

    def test_the_data_protection_officer_sees_the_audit_log(
        self, client_for: Callable[..., Client]
    ) -> None:
        page = client_for(Role.DPO).get("/").content.decode()
        assert 'href="/audit/"' in page

    def test_the_home_page_says_what_each_role_held_reaches(
        self, client_for: Callable[..., Client]
    ) -> None:
        page = client_for(Role.EDUCATION_LEAD).get("/").content.decode()
        assert "Education safeguarding lead" in page
        assert "The schools register, audits, analysis and feedback to schools." in page

    def test_someone_signed_out_sees_no_navigation(self, client: Client) -> None:
        assert "govuk-service-navigation__list" not in client.get("/cookies/").content.decode()


class TestErrorPages:
    def test_a_missing_page_gets_the_gov_uk_not_found_page(self, client: Client) -> None:
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        assert "Page not found" in response.content.decode()

    def test_a_forbidden_page_explains_itself(self, client_for: Callable[..., Client]) -> None:
        response = client_for(Role.BOARD_READER).get("/users/")
        assert response.status_code == 403
        assert "You cannot see this page" in response.content.decode()

    def test_a_server_error_shows_the_gov_uk_problem_page_without_details(self, rf) -> None:
        from preventhub.core.views import server_error

        request = rf.get("/")
        from django.contrib.auth.models import AnonymousUser

        request.user = AnonymousUser()
        response = server_error(request)
        assert response.status_code == 500
        assert "Sorry, there is a problem with the service" in response.content.decode()


class TestPublicPages:
    @pytest.mark.parametrize(
        "path,heading",
        [
            ("/accessibility/", "Accessibility statement for Prevent Hub"),
            ("/cookies/", "Cookies"),
        ],
    )
    def test_it_is_a_real_page_anyone_can_read(
        self, client: Client, path: str, heading: str
    ) -> None:
        response = client.get(path)
        assert response.status_code == 200
        assert f'<h1 class="govuk-heading-xl">{heading}</h1>' in response.content.decode()

    def test_the_cookies_page_names_the_cookies_actually_set(
        self, client: Client, settings
    ) -> None:
        page = client.get("/cookies/").content.decode()
        assert settings.SESSION_COOKIE_NAME in page and settings.CSRF_COOKIE_NAME in page

    def test_the_health_check_answers_ok(self, client: Client) -> None:
        assert client.get("/healthz").content == b"ok"


def test_a_form_sent_without_its_token_gets_a_page_that_says_what_to_do(
    make_user: Callable[..., object],
) -> None:
    make_user(Role.COORDINATOR, email="casey@example.org")
    client = Client(enforce_csrf_checks=True)
    response = client.post("/account/sign-in/", {"email": "casey@example.org", "password": "x"})
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()


def test_dates_read_the_gov_uk_way() -> None:
    import datetime

    from django.template import Context, Template

    rendered = Template("{{ day|date }}").render(Context({"day": datetime.date(2019, 3, 4)}))
    assert rendered == "4 March 2019"
