"""A database error in the middle of building the Board progress report: the reader gets an
error page, never a part-made PDF or Word file, and no download is recorded."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from preventhub.core.models import AuditEvent
from preventhub.partnership.models import ReportingPeriod
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def _reads_the_plan(sql: str) -> bool:
    return '"delivery_' in sql


@contextmanager
def failing_at(nth: int) -> Iterator[None]:
    """Make the ``nth`` query reading the Delivery Plan (counted from 0) fail as a lost
    connection would."""
    seen = 0

    def wrapper(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        nonlocal seen
        if _reads_the_plan(sql):
            seen += 1
            if seen - 1 == nth:
                raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, *args)

    with connection.execute_wrapper(wrapper):
        yield


def _plan_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum(_reads_the_plan(query["sql"]) for query in queries.captured_queries)


@pytest.mark.parametrize("extension", ["pdf", "docx"])
def test_a_database_error_at_any_query_of_the_build_publishes_nothing(
    reader: Client, q3: ReportingPeriod, extension: str
) -> None:
    url = f"/plan/reports/{q3.pk}/report.{extension}"
    # The PDF and the Word file are built from the same reads; the Word file is quicker to make.
    built = _plan_queries(reader, f"/plan/reports/{q3.pk}/report.docx")
    exports = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count()
    assert built > 3
    client = sign_in(Client(raise_request_exception=False), reader_user(reader))
    # The first, the last and three between: every read of the build is a step of it.
    for nth in sorted({0, built // 4, built // 2, 3 * built // 4, built - 1}):
        with failing_at(nth):
            response = client.get(url)
        assert response.status_code == 500, nth
        assert not response.has_header("Content-Disposition"), nth
        assert b"%PDF" not in response.content and b"PK\x03\x04" not in response.content
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count() == exports


def test_a_database_error_in_the_build_of_the_page_shows_the_error_page(
    reader: Client, q3: ReportingPeriod
) -> None:
    url = f"/plan/reports/{q3.pk}/"
    built = _plan_queries(reader, url)
    client = sign_in(Client(raise_request_exception=False), reader_user(reader))
    with failing_at(built // 2):
        response = client.get(url)
    assert response.status_code == 500
    assert b"Delivery Plan progress" not in response.content


def reader_user(client: Client) -> Any:
    from django.contrib.auth import get_user

    return get_user(client)
