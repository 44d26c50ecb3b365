"""Shared fixtures: people with roles, signed in (and through two-factor) as the tests need."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
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


# Refuses DELETE on PostgreSQL (core/migrations/0002_audit_append_only.py): emptied by TRUNCATE.
APPEND_ONLY_TABLES = frozenset({"core_auditevent"})


@pytest.fixture(scope="session", autouse=True)
def _flush_by_delete() -> Iterator[None]:
    """Empty the tables after each transactional test with DELETE, not TRUNCATE, on PostgreSQL.

    TRUNCATE gives every table new files, which PostgreSQL makes and syncs as it commits:
    emptying the hundred-odd tables took 0.6 s, after every transactional test and again as each
    browser test restores the demo, where deleting the few rows a test leaves takes a twentieth
    of that. Every foreign key is checked at commit (Django makes them deferred), so the order
    does not matter. SQLite's flush deletes already.
    """
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate_all = DatabaseOperations.sql_flush

    def delete_all(
        ops: DatabaseOperations,
        style: Any,
        tables: list[str],
        *,
        reset_sequences: bool = False,
        allow_cascade: bool = False,
    ) -> list[str]:
        if reset_sequences:  # asked for by no test here: TRUNCATE restarts them as it empties
            return truncate_all(
                ops, style, tables, reset_sequences=True, allow_cascade=allow_cascade
            )
        append_only = [table for table in tables if table in APPEND_ONLY_TABLES]
        return truncate_all(ops, style, append_only, allow_cascade=allow_cascade) + [
            f"DELETE FROM {ops.quote_name(table)};"
            for table in tables
            if table not in APPEND_ONLY_TABLES
        ]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", delete_all)
        yield


# What every test runs with: a fast password hasher, and background tasks run as they are queued.
FAST_AND_QUIET: dict[str, Any] = {
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
}


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings: Any, tmp_path: Any) -> None:
    for name, value in FAST_AND_QUIET.items():
        setattr(settings, name, value)
    settings.MEDIA_ROOT = tmp_path / "media"  # uploaded evidence, thrown away after each test


def the_county() -> Area:
    return Area.objects.get_or_create(
        gss_code="E10000028", defaults={"name": "Staffordshire", "kind": Area.Kind.COUNTY}
    )[0]


def the_district(county: Area) -> Area:
    return Area.objects.get_or_create(
        gss_code="E07000197",
        defaults={"name": "Stafford", "kind": Area.Kind.DISTRICT, "parent": county},
    )[0]


def the_organisation(county: Area) -> Organisation:
    return Organisation.objects.get_or_create(
        name="Test County Council", defaults={"area": county}
    )[0]


def new_user(
    *roles: Role,
    organisation: Organisation,
    district: Area,
    email: str | None = None,
    password: str = PASSWORD,
    totp: bool = False,
) -> User:
    """Someone of ``organisation`` holding ``roles`` (a District Lead's district is ``district``),
    with a confirmed authenticator app if ``totp``."""
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


@pytest.fixture
def county(db: None) -> Area:
    return the_county()


@pytest.fixture
def district(county: Area) -> Area:
    return the_district(county)


@pytest.fixture
def organisation(county: Area) -> Organisation:
    return the_organisation(county)


@pytest.fixture
def make_user(organisation: Organisation, district: Area) -> Callable[..., User]:
    def make(
        *roles: Role, email: str | None = None, password: str = PASSWORD, totp: bool = False
    ) -> User:
        return new_user(
            *roles,
            organisation=organisation,
            district=district,
            email=email,
            password=password,
            totp=totp,
        )

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


@contextmanager
def rows_shared_by_many_tests(django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[None]:
    """Make rows once for the tests of a module or folder, in a transaction left open while they
    run and rolled back after them.

    For fixtures wider than one test, whose rows take long to make (the demo, the route table's
    world): each test's own transaction is a savepoint inside this one, so every test starts from
    the rows as they were made. The rows are made with the settings every test runs with
    (``FAST_AND_QUIET``), files going to a folder of their own.
    """
    fast_and_quiet = override_settings(
        **FAST_AND_QUIET, MEDIA_ROOT=tmp_path_factory.mktemp("shared-media")
    )
    with django_db_blocker.unblock(), fast_and_quiet, transaction.atomic():
        yield
        transaction.set_rollback(True)


def loaded_demo(django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[str]:
    """Load the demo for many tests (``rows_shared_by_many_tests``): ``manage.py demo`` takes
    seconds and grows with every app. Yields what the command printed."""
    with rows_shared_by_many_tests(django_db_blocker, tmp_path_factory):
        out = StringIO()
        call_command("demo", stdout=out)
        yield out.getvalue()
