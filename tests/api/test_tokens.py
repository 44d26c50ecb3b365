"""API tokens: made in the application, shown once, kept hashed, scoped, expiring, revocable."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client

from preventhub.accounts import services as accounts
from preventhub.accounts.models import User
from preventhub.api import services
from preventhub.api.models import ApiToken
from preventhub.core.models import AuditEvent
from preventhub.core.roles import Role
from tests.api.conftest import Api, World, bearer

pytestmark = pytest.mark.django_db


class TestMakingAPersonalToken:
    def test_the_token_is_shown_once_and_only_its_hash_is_kept(
        self, client_for: Callable[..., Client]
    ) -> None:
        client = client_for(Role.PARTNER_LEAD)
        expires = datetime.date.today() + datetime.timedelta(days=90)
        response = client.post(
            "/api/tokens/new/",
            {"name": "Returns script", "scope": "read", "expires_on": expires.isoformat()},
        )
        assert response.status_code == 200
        secret = response.context["secret"]
        assert secret.startswith("ph_") and secret in response.content.decode()
        token = ApiToken.objects.get()
        assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
        assert secret not in [str(value) for value in ApiToken.objects.values().get().values()]
        listing = client.get("/api/tokens/").content.decode()
        assert "Returns script" in listing and secret not in listing

    def test_its_making_is_audited_without_its_hash(self, make_user: Callable[..., User]) -> None:
        token, _ = services.create_personal_token(
            user=make_user(Role.COORDINATOR),
            name="Mine",
            scope="read",
            expires_on=datetime.date.today() + datetime.timedelta(days=1),
        )
        entry = AuditEvent.objects.get(object_type="api.apitoken", object_id=str(token.pk))
        assert entry.changes["secret_hash"] != token.secret_hash

    @pytest.mark.parametrize(
        ("days", "message"),
        [(0, "The expiry date must be in the future"), (400, "A token can last a year at most")],
    )
    def test_an_expiry_today_or_beyond_a_year_is_refused(
        self, client_for: Callable[..., Client], days: int, message: str
    ) -> None:
        expires = datetime.date.today() + datetime.timedelta(days=days)
        response = client_for(Role.BOARD_READER).post(
            "/api/tokens/new/",
            {"name": "Script", "scope": "read", "expires_on": expires.isoformat()},
        )
        assert message in response.content.decode()
        assert not ApiToken.objects.exists()


class TestUsingAToken:
    def test_a_token_acts_as_its_maker(self, world: World, token_for: Callable[..., str]) -> None:
        response = Api(token_for(world.lead)).get("/returns")
        assert response.status_code == 200
        assert {item["organisation"] for item in response.json()["items"]} == {
            world.organisation.name
        }

    def test_without_a_token_the_api_answers_401_in_its_error_shape(self, db: None) -> None:
        response = Client().get("/api/v1/areas")
        assert response.status_code == 401
        assert response.json()["code"] == "token_missing"
        assert response["WWW-Authenticate"] == "Bearer"

    def test_an_unknown_token_is_refused(self, db: None) -> None:
        response = Client().get("/api/v1/areas", **bearer("ph_not-a-real-token"))
        assert (response.status_code, response.json()["code"]) == (401, "token_unknown")

    def test_a_token_in_the_address_is_not_accepted(
        self, world: World, token_for: Callable[..., str]
    ) -> None:
        secret = token_for(world.lead)
        for name in ("token", "access_token", "api_key"):
            assert Client().get("/api/v1/areas", {name: secret}).status_code == 401

    def test_a_signed_in_session_does_not_reach_the_api(
        self, world: World, client_for: Callable[..., Client]
    ) -> None:
        client = client_for(Role.COORDINATOR)
        assert client.get("/api/v1/areas").status_code == 401
        response = client.put(
            f"/api/v1/plan/actions/{world.action.pk}/current-update",
            {"status": "on_track", "narrative": "Done"},
            content_type="application/json",
            HTTP_IF_MATCH='"0"',
        )
        assert response.status_code == 401
        assert not world.action.updates.exists()

    def test_a_session_cookie_does_not_change_whom_a_token_acts_as(
        self, world: World, client_for: Callable[..., Client], token_for: Callable[..., str]
    ) -> None:
        client = client_for(Role.COORDINATOR)
        response = client.get("/api/v1/returns", **bearer(token_for(world.lead)))
        assert [item["organisation"] for item in response.json()["items"]] == [
            world.organisation.name,
            world.organisation.name,
        ]

    def test_the_token_is_in_no_log_line_nor_audit_entry(
        self, world: World, token_for: Callable[..., str], caplog: pytest.LogCaptureFixture
    ) -> None:
        secret = token_for(world.lead)
        api = Api(secret)
        with caplog.at_level("DEBUG"):
            api.get("/training-returns/999999")
            api.send(
                "put",
                f"/plan/actions/{world.action.pk}/current-update",
                {"status": "on_track", "narrative": "Fine"},
                if_match='"0"',
            )
            api.send("put", f"/plan/actions/{world.action.pk}/current-update", {"status": "x"})
        logged = "\n".join(record.getMessage() for record in caplog.records)
        assert "/api/v1/training-returns/999999" in logged
        assert secret not in logged and secret[10:] not in logged
        for entry in AuditEvent.objects.all():
            assert secret[10:] not in f"{entry.actor_label} {entry.changes} {entry.detail}"

    def test_api_answers_are_never_cached(
        self, world: World, token_for: Callable[..., str]
    ) -> None:
        response = Api(token_for(world.lead)).get("/plan")
        assert "no-store" in response["Cache-Control"]


class TestScopes:
    def test_a_read_only_token_reads_but_cannot_write(
        self, world: World, api_as: Callable[..., Api]
    ) -> None:
        api = api_as(world.lead, "read")
        assert api.get(f"/plan/actions/{world.action.pk}/current-update").status_code == 200
        response = api.send(
            "put",
            f"/plan/actions/{world.action.pk}/current-update",
            {"status": "on_track", "narrative": "Going well"},
            if_match='"0"',
        )
        assert (response.status_code, response.json()["code"]) == (403, "read_only_token")
        assert not world.action.updates.exists()

    def test_a_token_never_does_more_than_its_person_may(
        self, world: World, make_user: Callable[..., User], api_as: Callable[..., Api]
    ) -> None:
        reader = api_as(make_user(Role.BOARD_READER))
        response = reader.send(
            "put",
            f"/plan/actions/{world.action.pk}/current-update",
            {"status": "on_track", "narrative": "Going well"},
            if_match='"0"',
        )
        assert (response.status_code, response.json()["code"]) == (403, "forbidden")
        assert reader.get("/returns").status_code == 403

    def test_a_token_loses_what_its_person_loses(
        self, world: World, make_user: Callable[..., User], api_as: Callable[..., Api]
    ) -> None:
        coordinator = make_user(Role.COORDINATOR)
        api = api_as(coordinator)
        assert api.get("/local-profile/accepted-values", period=world.period.pk).status_code == 200
        accounts.update_user(
            user=coordinator,
            full_name=coordinator.full_name,
            organisation=coordinator.organisation,
            district=None,
            roles=[Role.EDUCATION_LEAD],
            changed_by=make_user(Role.ADMINISTRATOR),
            expected_version=coordinator.version,
        )
        assert api.get("/local-profile/accepted-values", period=world.period.pk).status_code == 403


class TestRevocationAndExpiry:
    def test_a_revoked_token_stops_working_at_once(
        self, world: World, client_for: Callable[..., Client]
    ) -> None:
        client = client_for(Role.PARTNER_LEAD)
        expires = datetime.date.today() + datetime.timedelta(days=30)
        made = client.post(
            "/api/tokens/new/", {"name": "Script", "scope": "read", "expires_on": expires}
        )
        api = Api(made.context["secret"])
        assert api.get("/areas").status_code == 200
        token = ApiToken.objects.get()
        assert client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 302
        response = api.get("/areas")
        assert (response.status_code, response.json()["code"]) == (401, "token_revoked")

    def test_nobody_revokes_someone_elses_personal_token(
        self, world: World, client_for: Callable[..., Client], token_for: Callable[..., str]
    ) -> None:
        token_for(world.lead)
        token = ApiToken.objects.get()
        assert (
            client_for(Role.ADMINISTRATOR).post(f"/api/tokens/{token.pk}/revoke/").status_code
            == 404
        )
        assert ApiToken.objects.get().revoked_at is None

    def test_a_token_stops_working_after_its_expiry_date(
        self, world: World, token_for: Callable[..., str]
    ) -> None:
        api = Api(token_for(world.lead, days=10))
        assert api.get("/areas").status_code == 200
        with time_machine.travel(datetime.date.today() + datetime.timedelta(days=11)):
            response = api.get("/areas")
        assert (response.status_code, response.json()["code"]) == (401, "token_expired")

    def test_a_deactivated_persons_token_stops_working(
        self, world: World, make_user: Callable[..., User], token_for: Callable[..., str]
    ) -> None:
        api = Api(token_for(world.lead))
        accounts.deactivate_user(user=world.lead, changed_by=make_user(Role.ADMINISTRATOR))
        assert api.get("/areas").json()["code"] == "account_inactive"


class TestServiceTokens:
    def test_an_administrator_makes_one_for_a_partner_lead_and_the_dpo_sees_it(
        self, world: World, client_for: Callable[..., Client]
    ) -> None:
        admin = client_for(Role.ADMINISTRATOR)
        expires = datetime.date.today() + datetime.timedelta(days=180)
        made = admin.post(
            "/api/service-tokens/new/",
            {
                "user": world.lead.pk,
                "name": "College MIS",
                "scope": "read_write",
                "expires_on": expires,
            },
        )
        secret = made.context["secret"]
        token = ApiToken.objects.get()
        assert (token.kind, token.organisation, token.user) == (
            "service",
            world.organisation,
            world.lead,
        )
        assert Api(secret).get("/returns").status_code == 200
        listing = client_for(Role.DPO).get("/api/service-tokens/").content.decode()
        assert "College MIS" in listing and secret not in listing
        assert "Revoke" not in listing
        assert (
            client_for(Role.DPO).post(f"/api/service-tokens/{token.pk}/revoke/").status_code == 403
        )
        admin.post(f"/api/service-tokens/{token.pk}/revoke/")
        assert Api(secret).get("/returns").json()["code"] == "token_revoked"

    def test_only_a_partner_lead_of_the_organisation_answers_for_one(
        self, world: World, make_user: Callable[..., User]
    ) -> None:
        with pytest.raises(services.TokenError, match="Choose a partner lead of Other Trust"):
            services.create_service_token(
                organisation=world.other,
                user=world.lead,
                name="System",
                scope="read",
                expires_on=datetime.date.today() + datetime.timedelta(days=1),
                by=make_user(Role.ADMINISTRATOR),
            )

    def test_it_lapses_when_its_partner_lead_leaves_the_organisation(
        self, world: World, make_user: Callable[..., User]
    ) -> None:
        _, secret = services.create_service_token(
            organisation=world.organisation,
            user=world.lead,
            name="System",
            scope="read",
            expires_on=datetime.date.today() + datetime.timedelta(days=1),
            by=make_user(Role.ADMINISTRATOR),
        )
        world.lead.organisation = world.other
        world.lead.save(update_fields=["organisation"])
        assert Api(secret).get("/areas").json()["code"] == "token_lapsed"
