"""Signing in: passwords, lock-out, two-factor authentication and idle sessions."""

from __future__ import annotations

import base64
import datetime
from collections.abc import Callable

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from preventhub.accounts.middleware import DeviceMiddleware
from preventhub.accounts.models import User
from preventhub.core.models import AuditEvent
from preventhub.core.roles import CASE_ROLES, TWO_FACTOR_ROLES, Role
from tests.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db


def _sign_in(client: Client, email: str, password: str = PASSWORD):
    return client.post("/account/sign-in/", {"email": email, "password": password})


def _code(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, t0=device.t0, step=device.step, drift=offset):06d}"


class TestPasswordRules:
    def test_a_password_shorter_than_twelve_characters_is_refused(self) -> None:
        with pytest.raises(ValidationError, match="at least 12 characters"):
            validate_password("short-pass1")

    def test_a_common_password_is_refused_even_when_long(self) -> None:
        with pytest.raises(ValidationError, match="too common"):
            validate_password("password1234")

    def test_no_mix_of_character_kinds_is_demanded(self) -> None:
        validate_password("correct horse battery staple")


class TestSignIn:
    def test_a_person_signs_in_with_their_email_in_any_case(
        self, make_user: Callable[..., User], client: Client
    ) -> None:
        make_user(Role.COORDINATOR, email="casey@example.org")
        response = _sign_in(client, "Casey@Example.ORG")
        assert response.status_code == 302 and response["Location"] == "/"
        assert client.get("/").status_code == 200

    def test_a_wrong_password_shows_a_clear_error_and_signs_nobody_in(
        self, make_user: Callable[..., User], client: Client
    ) -> None:
        make_user(Role.COORDINATOR, email="casey@example.org")
        response = _sign_in(client, "casey@example.org", "not-the-password")
        assert response.status_code == 200
        assert "Enter a correct email address and password" in response.content.decode()
        assert client.get("/").status_code == 302

    def test_a_deactivated_person_cannot_sign_in(
        self, make_user: Callable[..., User], client: Client
    ) -> None:
        user = make_user(Role.COORDINATOR, email="gone@example.org")
        user.is_active = False
        user.save()
        assert _sign_in(client, "gone@example.org").status_code == 200
        assert client.get("/").status_code == 302

    def test_it_does_not_follow_a_next_address_on_another_site(
        self, make_user: Callable[..., User], client: Client
    ) -> None:
        make_user(Role.COORDINATOR, email="casey@example.org")
        response = client.post(
            "/account/sign-in/",
            {"email": "casey@example.org", "password": PASSWORD, "next": "https://evil.example/"},
        )
        assert response["Location"] == "/"

    def test_signing_out_ends_the_session(self, client_for: Callable[..., Client]) -> None:
        client = client_for(Role.COORDINATOR)
        client.post("/account/sign-out/")
        assert client.get("/").status_code == 302
        assert AuditEvent.objects.filter(action="sign_out").exists()


class TestLockOut:
    def test_repeated_failures_lock_the_account_with_a_clear_message(
        self, make_user: Callable[..., User], client: Client, settings
    ) -> None:
        make_user(Role.COORDINATOR, email="casey@example.org")
        for _ in range(settings.AXES_FAILURE_LIMIT):
            _sign_in(client, "casey@example.org", "guessing-wrongly")
        response = _sign_in(client, "casey@example.org")  # even the right password now
        assert response.status_code == 429
        page = response.content.decode()
        assert "Your account is locked for 30 minutes" in page
        assert client.get("/").status_code == 302
        assert AuditEvent.objects.filter(
            action="locked_out", object_repr="casey@example.org"
        ).exists()

    def test_the_lock_lifts_after_the_cool_off(
        self, make_user: Callable[..., User], client: Client, settings
    ) -> None:
        make_user(Role.COORDINATOR, email="casey@example.org")
        with time_machine.travel(
            datetime.datetime(2026, 3, 4, 9, 0, tzinfo=datetime.UTC), tick=False
        ) as clock:
            for _ in range(settings.AXES_FAILURE_LIMIT):
                _sign_in(client, "casey@example.org", "guessing-wrongly")
            assert _sign_in(client, "casey@example.org").status_code == 429
            clock.shift(datetime.timedelta(minutes=31))
            assert _sign_in(client, "casey@example.org").status_code == 302

    def test_fewer_failures_than_the_limit_do_not_lock(
        self, make_user: Callable[..., User], client: Client, settings
    ) -> None:
        make_user(Role.COORDINATOR, email="casey@example.org")
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            _sign_in(client, "casey@example.org", "guessing-wrongly")
        assert _sign_in(client, "casey@example.org").status_code == 302


class TestLockOutIsPerAccount:
    def test_another_accounts_success_from_the_same_address_does_not_clear_the_failures(
        self, make_user: Callable[..., User], settings
    ) -> None:
        make_user(Role.COORDINATOR, email="victim@example.org")
        make_user(Role.COORDINATOR, email="attacker@example.org")
        attacker = Client(REMOTE_ADDR="203.0.113.9")
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            _sign_in(attacker, "victim@example.org", "guessing-wrongly")
        assert _sign_in(attacker, "attacker@example.org").status_code == 302
        _sign_in(Client(REMOTE_ADDR="203.0.113.9"), "victim@example.org", "guessing-wrongly")
        elsewhere = Client(REMOTE_ADDR="198.51.100.4")
        assert _sign_in(elsewhere, "victim@example.org").status_code == 429

    def test_a_correct_sign_in_resets_that_accounts_own_count(
        self, make_user: Callable[..., User], settings
    ) -> None:
        make_user(Role.COORDINATOR, email="casey@example.org")
        for _ in range(2):
            for _ in range(settings.AXES_FAILURE_LIMIT - 1):
                _sign_in(Client(), "casey@example.org", "guessing-wrongly")
            assert _sign_in(Client(), "casey@example.org").status_code == 302

    def test_every_spelling_of_an_address_counts_against_the_one_account(
        self, make_user: Callable[..., User], settings
    ) -> None:
        make_user(Role.COORDINATOR, email="casey@example.org")
        spellings = [
            "Casey@example.org",
            "CASEY@EXAMPLE.ORG",
            " casey@Example.org ",
            "caſey@example.org",
            "cASEY@example.org",
        ]
        for number in range(settings.AXES_FAILURE_LIMIT):
            spelling = spellings[number % len(spellings)]
            _sign_in(Client(REMOTE_ADDR=f"198.51.100.{number + 1}"), spelling, "no")
        assert _sign_in(Client(REMOTE_ADDR="192.0.2.7"), "casey@example.org").status_code == 429


class TestTwoFactorIsEnforced:
    @pytest.mark.parametrize("role", sorted(TWO_FACTOR_ROLES))
    def test_a_role_that_requires_it_reaches_nothing_but_enrolment(
        self, role: Role, make_user: Callable[..., User], client: Client
    ) -> None:
        make_user(role, email="needs2fa@example.org")
        _sign_in(client, "needs2fa@example.org")
        for path in ("/", "/partnership/", "/account/", "/users/", "/audit/"):
            response = client.get(path)
            assert response.status_code == 302, path
            assert response["Location"].startswith("/account/two-factor/set-up/"), path
        assert client.get("/account/two-factor/set-up/").status_code == 200

    def test_a_role_that_does_not_require_it_goes_straight_in(
        self, make_user: Callable[..., User], client: Client
    ) -> None:
        make_user(Role.COORDINATOR, email="optional@example.org")
        _sign_in(client, "optional@example.org")
        assert client.get("/").status_code == 200

    def test_enrolling_with_a_right_code_opens_the_service_and_gives_backup_codes(
        self, make_user: Callable[..., User], client: Client
    ) -> None:
        user = make_user(Role.POLICE_OFFICER, email="officer@example.org")
        _sign_in(client, "officer@example.org")
        page = client.get("/account/two-factor/set-up/").content.decode()
        device = TOTPDevice.objects.get(user=user, confirmed=False)
        assert base64.b32encode(device.bin_key).decode() in page
        assert "<svg" in page  # the QR code, drawn inline so the CSP needs no exception
        response = client.post("/account/two-factor/set-up/", {"code": _code(device)})
        assert response.status_code == 200
        codes = response.context["codes"]
        assert len(codes) == 10 and len(set(codes)) == 10
        assert client.get("/").status_code == 200
        assert TOTPDevice.objects.get(user=user).confirmed

    def test_enrolling_with_a_wrong_code_is_refused_with_a_message(
        self, make_user: Callable[..., User], client: Client
    ) -> None:
        make_user(Role.DPO, email="dpo@example.org")
        _sign_in(client, "dpo@example.org")
        client.get("/account/two-factor/set-up/")
        response = client.post("/account/two-factor/set-up/", {"code": "000000"})
        assert "The code is not right" in response.content.decode()
        assert client.get("/").status_code == 302

    def test_someone_enrolled_must_enter_a_code_after_their_password(
        self, make_user: Callable[..., User], client: Client
    ) -> None:
        user = make_user(Role.CHANNEL_CHAIR, email="chair@example.org", totp=True)
        device = TOTPDevice.objects.get(user=user)
        _sign_in(client, "chair@example.org")
        assert client.get("/").headers["Location"].startswith("/account/two-factor/?next=")
        # Having only passed the password, they may not enrol a second device instead.
        assert (
            client.get("/account/two-factor/set-up/").headers["Location"] == "/account/two-factor/"
        )
        response = client.post("/account/two-factor/?next=/partnership/", {"code": _code(device)})
        assert response["Location"] == "/partnership/"
        assert client.get("/").status_code == 200

    def test_a_wrong_code_is_refused_and_logged(
        self, make_user: Callable[..., User], client: Client
    ) -> None:
        make_user(Role.CHANNEL_MEMBER, email="member@example.org", totp=True)
        _sign_in(client, "member@example.org")
        response = client.post("/account/two-factor/", {"code": "123456"})
        assert "The code is not right" in response.content.decode()
        assert client.get("/").status_code == 302
        assert AuditEvent.objects.filter(
            action="two_factor", detail="Wrong two-factor code"
        ).exists()

    def test_a_backup_code_works_once(self, make_user: Callable[..., User]) -> None:
        from preventhub.accounts import services

        user = make_user(Role.ADMINISTRATOR, email="admin@example.org", totp=True)
        code = services.regenerate_backup_codes(user=user)[0]
        first, second = Client(), Client()
        _sign_in(first, "admin@example.org")
        assert first.post("/account/two-factor/", {"code": code})["Location"] == "/"
        _sign_in(second, "admin@example.org")
        assert second.post("/account/two-factor/", {"code": code}).status_code == 200


class TestIdleSessions:
    @pytest.mark.parametrize("role", sorted(CASE_ROLES))
    def test_a_case_worker_is_signed_out_after_15_idle_minutes(
        self, role: Role, make_user: Callable[..., User]
    ) -> None:
        with time_machine.travel(
            datetime.datetime(2026, 3, 4, 9, 0, tzinfo=datetime.UTC), tick=False
        ) as clock:
            client = sign_in(Client(), make_user(role))
            assert client.get("/").status_code == 200
            clock.shift(datetime.timedelta(minutes=14))
            assert client.get("/").status_code == 200  # activity keeps it alive
            clock.shift(datetime.timedelta(minutes=16))
            assert client.get("/").status_code == 302

    def test_other_roles_stay_signed_in_for_an_hour_of_idleness(
        self, make_user: Callable[..., User]
    ) -> None:
        with time_machine.travel(
            datetime.datetime(2026, 3, 4, 9, 0, tzinfo=datetime.UTC), tick=False
        ) as clock:
            client = sign_in(Client(), make_user(Role.COORDINATOR))
            client.get("/")
            clock.shift(datetime.timedelta(minutes=30))
            assert client.get("/").status_code == 200
            clock.shift(datetime.timedelta(minutes=61))
            assert client.get("/").status_code == 302

    def test_pages_read_within_a_minute_write_the_session_once(
        self, make_user: Callable[..., User]
    ) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def session_writes() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert client.get("/").status_code == 200
            return sum('UPDATE "django_session"' in query["sql"] for query in queries)

        with time_machine.travel(
            datetime.datetime(2026, 3, 4, 9, 0, tzinfo=datetime.UTC), tick=False
        ) as clock:
            client = sign_in(Client(), make_user(Role.COORDINATOR))
            first = session_writes()
            clock.shift(datetime.timedelta(seconds=30))
            second = session_writes()
            clock.shift(datetime.timedelta(seconds=31))
            third = session_writes()
        assert (first, second, third) == (1, 0, 1)


class TestPasswordReset:
    def test_a_reset_link_is_emailed_and_lets_the_person_choose_a_new_password(
        self, make_user: Callable[..., User], client: Client, mailoutbox
    ) -> None:
        make_user(Role.COORDINATOR, email="casey@example.org")
        client.post("/account/password-reset/", {"email": "casey@example.org"})
        assert len(mailoutbox) == 1
        link = next(line for line in mailoutbox[0].body.splitlines() if "/password-reset/" in line)
        path = link.split("testserver", 1)[1]
        form_page = client.get(path, follow=True)
        new_password = "a-brand-new-passphrase"
        client.post(
            form_page.redirect_chain[-1][0],
            {"new_password1": new_password, "new_password2": new_password},
        )
        assert _sign_in(Client(), "casey@example.org", new_password).status_code == 302

    def test_an_unknown_address_gets_the_same_answer_and_no_email(
        self, client: Client, mailoutbox
    ) -> None:
        response = client.post("/account/password-reset/", {"email": "nobody@example.org"})
        assert response["Location"] == "/account/password-reset/sent/"
        assert mailoutbox == []


class TestLockOutBehindAProxy:
    def test_failures_count_against_the_forwarded_address_not_the_balancer(
        self, make_user: Callable[..., User], settings
    ) -> None:
        settings.PREVENTHUB_PROXY_COUNT = 1
        make_user(Role.COORDINATOR, email="casey@example.org")
        attacker = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
        colleague = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.4"}
        for number in range(settings.AXES_FAILURE_LIMIT):
            Client().post(
                "/account/sign-in/",
                {"email": f"x{number}@example.org", "password": "no"},
                **attacker,
            )
        blocked = Client().post(
            "/account/sign-in/", {"email": "casey@example.org", "password": PASSWORD}, **attacker
        )
        allowed = Client().post(
            "/account/sign-in/", {"email": "casey@example.org", "password": PASSWORD}, **colleague
        )
        assert blocked.status_code == 429
        assert allowed.status_code == 302


def test_the_two_factor_page_offers_no_navigation_until_the_code_is_entered(
    make_user: Callable[..., User], client: Client
) -> None:
    make_user(Role.ADMINISTRATOR, email="admin@example.org", totp=True)
    _sign_in(client, "admin@example.org")
    page = client.get("/account/two-factor/").content.decode()
    assert 'href="/users/"' not in page
    assert 'href="/partnership/"' not in page
    assert "Sign out" in page


class TestTheSignedInPerson:
    def test_is_read_with_their_organisation_district_and_roles_in_one_query(
        self, make_user: Callable[..., User]
    ) -> None:
        lead = make_user(Role.DISTRICT_LEAD)
        client = sign_in(Client(), lead)
        client.get("/")  # the session's first read and any lazy setup

        with CaptureQueriesContext(connection) as captured:
            page = client.get("/").content.decode()

        # The home page names both and shows the district lead's work; none is read on its own.
        assert f"{lead.organisation}, {lead.district}." in " ".join(page.split())
        assert f"Your district: {lead.district}" in page
        statements = [query["sql"] for query in captured.captured_queries]
        tables = " ".join(statements)
        assert 'FROM "partnership_organisation" WHERE' not in tables
        assert 'FROM "partnership_area" WHERE' not in tables
        assert tables.count('FROM "accounts_user"') == 1
        [roles_read] = [sql for sql in statements if '"auth_group"' in sql]
        assert 'FROM "accounts_user"' in roles_read

    def test_holds_a_role_given_or_taken_away_from_their_next_page(
        self, make_user: Callable[..., User]
    ) -> None:
        person = make_user(Role.PARTNER_LEAD)
        client = sign_in(Client(), person)
        assert client.get("/schools/").status_code == 403

        person.groups.add(Group.objects.get(name=Role.EDUCATION_LEAD))
        assert client.get("/schools/").status_code == 200

        person.groups.remove(Group.objects.get(name=Role.EDUCATION_LEAD))
        assert client.get("/schools/").status_code == 403

    def test_holds_no_role_by_a_group_whose_name_only_contains_the_roles_name(
        self, make_user: Callable[..., User]
    ) -> None:
        person = make_user(Role.PARTNER_LEAD)
        person.groups.add(Group.objects.create(name=f'{Role.EDUCATION_LEAD}","{Role.DPO}'))
        person.groups.add(Group.objects.create(name=f"{Role.COORDINATOR},{Role.DPO}"))
        client = sign_in(Client(), person)

        assert client.get("/schools/").status_code == 403

    def test_is_signed_out_once_their_account_is_deactivated(
        self, make_user: Callable[..., User]
    ) -> None:
        person = make_user(Role.PARTNER_LEAD)
        client = sign_in(Client(), person)
        User.objects.filter(pk=person.pk).update(is_active=False)

        assert client.get("/")["Location"].startswith("/account/sign-in/")


class TestTheSessionAndItsDevice:
    """Each is read with SQL built once per process (core.sessions, accounts.middleware)."""

    def test_a_session_past_its_expiry_signs_the_person_out(
        self, make_user: Callable[..., User]
    ) -> None:
        client = sign_in(Client(), make_user(Role.PARTNER_LEAD))
        assert client.get("/").status_code == 200
        Session.objects.filter(session_key=client.session.session_key).update(
            expire_date=timezone.now() - datetime.timedelta(seconds=1)
        )

        assert client.get("/")["Location"].startswith("/account/sign-in/")

    def test_a_session_key_that_is_not_stored_is_nobodys(
        self, make_user: Callable[..., User]
    ) -> None:
        client = sign_in(Client(), make_user(Role.PARTNER_LEAD))
        client.cookies[settings.SESSION_COOKIE_NAME] = "a" * 32

        assert client.get("/")["Location"].startswith("/account/sign-in/")

    @pytest.mark.parametrize(
        "cookie",
        ["a\x00" * 16, "é" * 32, "x" * 5000, "'; DELETE FROM django_session; --", "A" * 32],
        ids=["nul", "accents", "long", "sql", "capitals"],
    )
    def test_a_session_cookie_that_is_no_key_is_a_visitor_signed_out(
        self, make_user: Callable[..., User], cookie: str
    ) -> None:
        person = make_user(Role.PARTNER_LEAD)
        sign_in(Client(), person)
        client = Client(raise_request_exception=False)
        client.cookies[settings.SESSION_COOKIE_NAME] = cookie

        response = client.get("/")

        assert response.status_code == 302
        assert response["Location"].startswith("/account/sign-in/")
        assert Session.objects.count() == 1  # the person's own, untouched

    def test_a_removed_device_ends_the_second_factor_at_the_next_page(
        self, make_user: Callable[..., User]
    ) -> None:
        officer = make_user(Role.POLICE_OFFICER)
        client = sign_in(Client(), officer)
        assert client.get("/").status_code == 200

        TOTPDevice.objects.filter(user=officer).delete()

        assert client.get("/")["Location"].startswith("/account/two-factor/")

    def test_a_device_of_someone_else_verifies_nobody(self, make_user: Callable[..., User]) -> None:
        officer = make_user(Role.POLICE_OFFICER)
        other = TOTPDevice.objects.create(
            user=make_user(Role.POLICE_OFFICER), name="Theirs", confirmed=True
        )
        client = sign_in(Client(), officer)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = other.persistent_id
        session.save()

        assert client.get("/")["Location"].startswith("/account/two-factor/")

    def test_a_session_can_name_only_a_device(self, make_user: Callable[..., User]) -> None:
        person = make_user(Role.POLICE_OFFICER)
        device = TOTPDevice.objects.create(user=person, name="App", confirmed=True)
        middleware = DeviceMiddleware(lambda request: HttpResponse())

        assert middleware._device_from_persistent_id(device.persistent_id) == device
        assert middleware._device_from_persistent_id(f"accounts.user/{person.pk}") is None
        assert middleware._device_from_persistent_id("otp_totp.totpdevice/one") is None
        assert middleware._device_from_persistent_id("nothing.here/1") is None
        assert middleware._device_from_persistent_id(f"otp_totp.totpdevice/{device.pk + 1}") is None
