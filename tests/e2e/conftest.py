"""Browser tests: Playwright (Python) drives Debian's Chromium against pytest-django's live server.

No browser is ever downloaded: Playwright launches ``/usr/bin/chromium`` (``make test-deps``
installs it). One browser serves the whole session; each test gets fresh browser contexts and
a test database (``live_server`` needs ``transactional_db``) holding just the demo partnership.
The browser tests run after all the others (see ``pytest_collection_modifyitems``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from preventhub.casework.models import ReferralTally
from preventhub.core.roles import Role
from preventhub.demo.services import DemoUser, load_demo
from tests.e2e.browser import load_axe_in

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
TIMEOUT_MS = 15_000


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser tests after every other test (after pytest-django's own ordering).

    Once Playwright has started, an asyncio loop counts as running in the test thread for the
    rest of the session, which changes how Django behaves there (see ``playwright``); no other
    test should run in that state.
    """
    browser_tests = [item for item in items if item.get_closest_marker("browser")]
    others = [item for item in items if not item.get_closest_marker("browser")]
    items[:] = others + browser_tests


@pytest.fixture(scope="session")
def playwright(django_db_setup: None) -> Iterator[Playwright]:
    """Playwright's sync API, started once the test databases exist.

    The sync API runs an asyncio event loop in the test thread, so Django would refuse the ORM
    calls made from it (fixtures loading the demo, flushing the database, assertions reading
    rows): DJANGO_ALLOW_ASYNC_UNSAFE allows them. It is set here, not when this file is
    imported, so that it never reaches the subprocesses other tests start (``check --deploy``
    rightly fails when it is set).

    With the loop running, Django also keeps this thread's database handles in separate,
    context-local storage, so the code from here on gets new handles. Django hangs the
    migrations' data (serialized when the test databases were made, for
    ``django_db_serialized_rollback``) on the old ones, so it is handed across.
    """
    from django.db import connections

    migrated = {
        connection.alias: connection._test_serialized_contents
        for connection in connections.all()
        if hasattr(connection, "_test_serialized_contents")
    }
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as instance:
            for alias, contents in migrated.items():
                connections[alias]._test_serialized_contents = contents
            yield instance
            # Leave no handle open on the test databases, which are dropped after the session.
            for connection in connections.all(initialized_only=True):
                connection.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests drive Debian's chromium "
            "(`make test-deps` or `apt-get install chromium`); Playwright must not download one.",
            pytrace=False,
        )
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def new_context(
    browser: Browser, django_db_serialized_rollback: None, live_server: Any
) -> Iterator[Callable[..., BrowserContext]]:
    """Make browser contexts pointed at the live server; every one is closed after the test.

    ``live_server`` needs ``transactional_db``, which empties every table after each test,
    taking the reference data that data migrations load (sectors, ...) with it. Serialized
    rollback puts that data back before each browser test, as the migrations left it, so the
    first ``load_demo`` finds it even if another transactional test emptied the database.
    """
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        context = browser.new_context(base_url=live_server.url, locale="en-GB", **options)
        context.set_default_timeout(TIMEOUT_MS)
        if options.get("bypass_csp"):  # only ever to run axe-core (see ``axe_page``)
            load_axe_in(context)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    """A page in a context that enforces the site's Content Security Policy, as a user's does."""
    return new_context().new_page()


@pytest.fixture
def axe_page(new_context: Callable[..., BrowserContext]) -> Page:
    """A page in a context that bypasses CSP and has axe-core in every page (``load_axe_in``).

    The site's CSP lets scripts run only from 'self' or with the response's nonce, so the inline
    <script> that ``page.add_script_tag(content=...)`` writes (``run_axe`` does, for a page
    without axe-core) would be blocked. Bypassing CSP
    changes nothing that axe checks (markup, names, contrast, structure); the CSP itself is
    tested in a context that enforces it (test_content_security_policy.py).
    """
    return new_context(bypass_csp=True).new_page()


# --- the demo partnership, loaded once and restored for each test ---------------------------------

SNAPSHOT_SCHEMA = "e2e_snapshot"  # PostgreSQL; SQLite keeps prefixed tables beside the originals


class _Snapshot:
    """The demo's sign-in details, once ``load_demo`` has run and its rows have been copied."""

    people: list[DemoUser] | None = None


def _model_tables(connection: Any) -> list[str]:
    return sorted(
        connection.introspection.django_table_names(only_existing=True, include_views=False)
    )


def _snapshot_of(connection: Any, table: str) -> str:
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        return f"{SNAPSHOT_SCHEMA}.{quote(table)}"
    return quote(f"{SNAPSHOT_SCHEMA}__{table}")


def _take_snapshot(connection: Any) -> None:
    """Copy every model table, as ``load_demo`` left it, into tables the test flush ignores."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP SCHEMA IF EXISTS {SNAPSHOT_SCHEMA} CASCADE")
            cursor.execute(f"CREATE SCHEMA {SNAPSHOT_SCHEMA}")
        for table in _model_tables(connection):
            snapshot = _snapshot_of(connection, table)
            cursor.execute(f"DROP TABLE IF EXISTS {snapshot}")
            cursor.execute(f"CREATE TABLE {snapshot} AS SELECT * FROM {quote(table)}")


# Tables the database's triggers fill from other tables' rows: the referral tallies, made again
# as the referrals are put back (inserting the snapshot's as well would count them twice).
KEPT_BY_TRIGGERS = frozenset({ReferralTally._meta.db_table})


def _restore_snapshot(connection: Any) -> None:
    """Empty every model table and refill it from the snapshot, in one transaction."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import transaction

    quote = connection.ops.quote_name
    tables = _model_tables(connection)
    models = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]
    with transaction.atomic(using=connection.alias):
        # The same statements as the test flush (``_flush_by_delete`` in tests/conftest.py):
        # DELETE, and TRUNCATE for the audit log, whose append-only trigger refuses DELETE on
        # PostgreSQL. Foreign keys are checked at commit.
        connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables))
        with connection.cursor() as cursor:
            for table in tables:
                if table in KEPT_BY_TRIGGERS:
                    continue
                snapshot = _snapshot_of(connection, table)
                cursor.execute(f"INSERT INTO {quote(table)} SELECT * FROM {snapshot}")
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)


@pytest.fixture(scope="session")
def demo_media(tmp_path_factory: Any) -> Any:
    """Where the demo's files (evidence, guidance versions) live for the whole browser session:
    the rows are restored for each test, so the files they point at must outlive one test."""
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture
def demo_users(transactional_db: None, settings: Any, demo_media: Any) -> dict[Role, DemoUser]:
    """The demo partnership in the test database, and its people's sign-in details by role.

    ``load_demo`` runs once (it takes seconds, and grows with every app); its rows are then
    copied aside and put back for each test, which ``live_server``'s flush would otherwise wipe.
    The restored rows are the same ones, so the two-factor secrets stay valid, and each test
    still starts from the same state (django-otp's record of used codes included).
    """
    from django.db import connection

    settings.MEDIA_ROOT = demo_media
    if _Snapshot.people is None:
        people = load_demo()
        _take_snapshot(connection)
        _Snapshot.people = people
        # The snapshot holds the migrations' rows too, and every later test starts from it: the
        # serialized rollback that puts those rows back before each browser test (``new_context``)
        # would only write them again before the snapshot replaces them (a second a test).
        connection._test_serialized_contents = "[]"
    else:
        _restore_snapshot(connection)
    by_label = {role.label: role for role in Role}
    return {by_label[person.role]: person for person in _Snapshot.people}
