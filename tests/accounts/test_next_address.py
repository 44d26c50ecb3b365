"""A "next" address in a link is followed only to a page of this service; anything else goes home.

Whoever makes a link chooses its "next=", so no value may send someone elsewhere, and none may
stop them signing in with a server error.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from preventhub.accounts.models import User
from preventhub.core.roles import Role
from preventhub.schools.models import Establishment
from tests.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db

UNSAFE_NEXT = [
    "x",
    "accounts:sign_out",
    "\x00",
    "/\x00",
    "//evil.example",
    "/\\evil.example",
    "///evil.example",
    "https://evil.example/",
    "http://testserver/partnership/",
    "javascript:alert(1)",
    " /partnership/",
    "/partnership/\r\nSet-Cookie: a=b",
    "/no-such-page/",
    "../../etc/passwd",
    "?next=x",
]


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, t0=device.t0, step=device.step):06d}"


@pytest.mark.parametrize("unsafe", UNSAFE_NEXT)
class TestAnUnsafeNextGoesHome:
    def test_the_sign_in_page_shows_and_sends_the_person_home(
        self, unsafe: str, make_user: Callable[..., User], client: Client
    ) -> None:
        make_user(Role.COORDINATOR, email="casey@example.org")
        page = client.get("/account/sign-in/", {"next": unsafe})
        assert page.status_code == 200
        assert page.context["next"] == "/"
        response = client.post(
            "/account/sign-in/",
            {"email": "casey@example.org", "password": PASSWORD, "next": unsafe},
        )
        assert (response.status_code, response["Location"]) == (302, "/")

    def test_someone_already_signed_in_is_sent_home(
        self, unsafe: str, client_for: Callable[..., Client]
    ) -> None:
        client = client_for(Role.COORDINATOR)
        response = client.get("/account/sign-in/", {"next": unsafe})
        assert (response.status_code, response["Location"]) == (302, "/")

    def test_the_two_factor_step_shows_and_sends_the_person_home(
        self, unsafe: str, make_user: Callable[..., User], client: Client
    ) -> None:
        user = make_user(Role.CHANNEL_CHAIR, email="chair@example.org", totp=True)
        client.post("/account/sign-in/", {"email": "chair@example.org", "password": PASSWORD})
        assert client.get("/account/two-factor/", {"next": unsafe}).status_code == 200
        response = client.post(
            "/account/two-factor/",
            {"code": _code(TOTPDevice.objects.get(user=user)), "next": unsafe},
        )
        assert (response.status_code, response["Location"]) == (302, "/")
        again = client.get("/account/two-factor/", {"next": unsafe})
        assert (again.status_code, again["Location"]) == (302, "/")

    def test_enrolment_shows_and_its_backup_codes_continue_home(
        self, unsafe: str, make_user: Callable[..., User], client: Client
    ) -> None:
        user = make_user(Role.POLICE_OFFICER, email="officer@example.org")
        client.post("/account/sign-in/", {"email": "officer@example.org", "password": PASSWORD})
        assert client.get("/account/two-factor/set-up/", {"next": unsafe}).status_code == 200
        device = TOTPDevice.objects.get(user=user, confirmed=False)
        response = client.post(
            "/account/two-factor/set-up/", {"code": _code(device), "next": unsafe}
        )
        assert response.status_code == 200
        assert response.context["next"] == "/"

    def test_saving_a_schools_contact_returns_to_the_register(
        self, unsafe: str, make_user: Callable[..., User]
    ) -> None:
        school = Establishment.objects.create(
            urn=900123, name="Test Primary", la_code="860", status=Establishment.Status.OPEN
        )
        client = sign_in(Client(), make_user(Role.EDUCATION_LEAD))
        response = client.post(
            f"/schools/{school.urn}/contact/?{urlencode({'next': unsafe})}",
            {"contact_email": "dsl@school.example"},
        )
        assert (response.status_code, response["Location"]) == (302, "/schools/")


class TestASafeNextIsFollowed:
    def test_a_page_of_the_service_is_reached_after_signing_in(
        self, make_user: Callable[..., User], client: Client
    ) -> None:
        make_user(Role.COORDINATOR, email="casey@example.org")
        response = client.post(
            "/account/sign-in/?next=/partnership/%3Fpage%3D2",
            {"email": "casey@example.org", "password": PASSWORD},
        )
        assert response["Location"] == "/partnership/?page=2"

    def test_the_two_factor_step_keeps_the_page_asked_for(
        self, make_user: Callable[..., User], client: Client
    ) -> None:
        user = make_user(Role.CHANNEL_CHAIR, email="chair@example.org", totp=True)
        client.post("/account/sign-in/", {"email": "chair@example.org", "password": PASSWORD})
        asked = client.get("/partnership/")["Location"]
        device = TOTPDevice.objects.get(user=user)
        assert client.post(asked, {"code": _code(device)})["Location"] == "/partnership/"
