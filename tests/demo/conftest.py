"""The demo, loaded once for all the tests of this folder and rolled back after them.

``manage.py demo`` takes seconds and grows with every app, so the tests here share one load:
it runs inside a transaction that stays open while they run (each test's own transaction is a
savepoint within it, rolled back after the test) and is rolled back at the end.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="package")
def demo_printed(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[str]:
    """What ``manage.py demo`` printed; the demo is in the database for the tests here."""
    # The settings every test runs with (tests/conftest.py), for this load made before any test.
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
