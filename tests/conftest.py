"""Shared fixtures: people with roles, signed in (and through two-factor) as the tests need."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from preventhub.accounts import services as accounts
from preventhub.accounts.models import User
from preventhub.core.roles import Role
from preventhub.partnership.models import Area, Organisation

PASSWORD = "correct-horse-battery-staple"
_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings: Any, tmp_path: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"  # uploaded evidence, thrown away after each test
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def county(db: None) -> Area:
    area, _ = Area.objects.get_or_create(
        gss_code="E10000028", defaults={"name": "Staffordshire", "kind": Area.Kind.COUNTY}
    )
    return area


@pytest.fixture
def district(county: Area) -> Area:
    area, _ = Area.objects.get_or_create(
        gss_code="E07000197",
        defaults={"name": "Stafford", "kind": Area.Kind.DISTRICT, "parent": county},
    )
    return area


@pytest.fixture
def organisation(county: Area) -> Organisation:
    return Organisation.objects.get_or_create(
        name="Test County Council", defaults={"area": county}
    )[0]


@pytest.fixture
def make_user(organisation: Organisation, district: Area) -> Callable[..., User]:
    def make(
        *roles: Role, email: str | None = None, password: str = PASSWORD, totp: bool = False
    ) -> User:
        user = accounts.invite_user(
            email=email or f"person{next(_numbers)}@example.org",
            full_name="Test Person",
            organisation=organisation,
            district=district if Role.DISTRICT_LEAD in roles else None,
            roles=roles,
            site_url="http://testserver/",
            password=password,
        )
        if totp:
            TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
        return user

    return make


def sign_in(client: Client, user: User) -> Client:
    """Sign ``user`` in, through the second factor if they have a device or need one."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None and user.needs_two_factor:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def client_for(make_user: Callable[..., User]) -> Callable[..., Client]:
    """A fresh client signed in as a new user holding ``roles``."""

    def make(*roles: Role) -> Client:
        return sign_in(Client(), make_user(*roles))

    return make


def roles_except(excluded: Iterable[Role]) -> list[Role]:
    return [role for role in Role if role not in set(excluded)]


def loaded_demo(django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[str]:
    """Load the demo in a transaction left open while the tests using it run, then roll it back.

    For fixtures wider than one test (tests/demo shares one): ``manage.py demo`` takes seconds and
    grows with every app. Each test's own transaction is a savepoint inside this one. Yields what
    the command printed.
    """
    # The settings every test runs with (``_fast_and_quiet``), for a load made before any test.
    fast_and_quiet = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=tmp_path_factory.mktemp("demo-media"),
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    )
    with django_db_blocker.unblock(), fast_and_quiet:
        with transaction.atomic():
            out = StringIO()
            call_command("demo", stdout=out)
            yield out.getvalue()
            transaction.set_rollback(True)
