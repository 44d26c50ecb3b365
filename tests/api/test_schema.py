"""Schemathesis against every operation of the OpenAPI document, through Django's WSGI app.

Each operation is called with examples generated from its own schema, as a coordinator, as a
partner lead and as a school's safeguarding lead (who holds no permission of the API but the
directory's). No answer may be a server error, break the documented schema, or be a success
for a token whose person lacks the permission.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import CheckContext, not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from preventhub.accounts.models import User
from preventhub.api import endpoints
from preventhub.api.endpoints import api
from preventhub.core.roles import Role
from tests.api.conftest import World

# Data valid by the schema only (what a partner's system sends), fuzzed a few times per operation:
# invalid data is answered by django-ninja's own validation, which the other tests cover.
CONFIG = schemathesis.Config.from_str(
    """
[generation]
mode = "positive"
[phases.examples]
enabled = false
[phases.coverage]
enabled = false
[phases.stateful]
enabled = false
"""
)
schema = schemathesis.openapi.from_dict(
    api.get_openapi_schema(path_prefix="/api/v1"), config=CONFIG
)
application = get_wsgi_application()

# Operations every signed-in person may use: the partnership's directory.
DIRECTORY = {"/api/v1/areas", "/api/v1/organisations", "/api/v1/boards", "/api/v1/periods"}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


def _no_success_without_permission(ctx: CheckContext, response: Any, case: Any) -> bool | None:
    if case.operation.path not in DIRECTORY and 200 <= response.status_code < 300:
        raise AssertionError(
            f"{case.method} {case.formatted_path} answered {response.status_code} to a token "
            "whose person holds no permission for it"
        )
    return None


def _real_ids(case: Any, world: World) -> dict[str, int]:
    """The generated path's ids pointed at the world's records, so that fuzzed queries and
    bodies reach the operations' work and not only their 404."""
    path = case.operation.path
    ids = {
        "action_id": world.action.pk,
        "return_id": (world.ctlp_return if "local-profile" in path else world.training_return).pk,
    }
    return {name: ids.get(name, value) for name, value in (case.path_parameters or {}).items()}


@pytest.fixture
def tokens(
    world: World, make_user: Callable[..., User], token_for: Callable[..., str], settings: Any
) -> Iterator[dict[str, str]]:
    settings.PREVENTHUB_API_REQUESTS_PER_MINUTE = 1_000_000
    # As Django's test client does: the WSGI app must not close the test's database connection
    # (inside its transaction) when a request ends.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield {
            "coordinator": token_for(make_user(Role.COORDINATOR)),
            "lead": token_for(world.lead),
            "outsider": token_for(make_user(Role.SCHOOL_DSL)),
        }
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_the_openapi_document_validates_against_the_openapi_specification() -> None:
    schema.validate()
    assert schema.raw_schema["openapi"].startswith("3.")


@pytest.mark.django_db
def test_the_openapi_document_is_served_to_anyone(client: Any) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["paths"].keys() == schema.raw_schema["paths"].keys()


@pytest.mark.django_db
def test_the_openapi_document_is_made_once_per_process_not_per_request(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Making it took ~100 ms of a worker for each anonymous request to two public pages.
    made: list[dict[str, Any]] = []
    fake = {"paths": {}}
    monkeypatch.setattr(endpoints, "get_schema", lambda **given: made.append(given) or fake)
    endpoints._document.cache_clear()
    try:
        answers = [client.get(path) for path in ("/api/v1/openapi.json", "/api/", "/api/")]
    finally:
        endpoints._document.cache_clear()  # the real document again for the tests that follow
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert made == [{"api": api, "path_prefix": "/api/v1"}]


def test_a_caller_changing_its_openapi_document_changes_no_other_callers() -> None:
    mine = api.get_openapi_schema(path_prefix="/api/v1")
    mine["paths"].clear()
    assert api.get_openapi_schema(path_prefix="/api/v1")["paths"] == schema.raw_schema["paths"]


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_within_its_schema(
    case: Any, tokens: dict[str, str], world: World
) -> None:
    def call(who: str, checks: list[Any]) -> None:
        case.call_and_validate(
            app=application,
            headers={"Authorization": f"Bearer {tokens[who]}", "If-Match": '"1"'},
            checks=checks,
        )

    for real in (False, True):
        if real:
            if not case.path_parameters:
                return
            case.path_parameters = _real_ids(case, world)
        call("coordinator", CHECKS)
        call("lead", CHECKS)
        call("outsider", [*CHECKS, _no_success_without_permission])
