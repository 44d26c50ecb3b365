"""Who reaches which API operation, and how fast: a token of every role against every
operation, every route declaring token access, and the rate limit."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.urls import URLPattern, URLResolver, get_resolver

from preventhub.accounts.models import User
from preventhub.api.endpoints import api
from preventhub.core.access import declared_access
from preventhub.core.roles import Role
from tests.api.conftest import Api, World

pytestmark = pytest.mark.django_db

# Each read operation, the permission the pages hold it to, and a query it needs.
READS: list[tuple[str, str, dict[str, Any]]] = [
    ("/areas", "partnership.view_directory", {}),
    ("/organisations", "partnership.view_directory", {}),
    ("/boards", "partnership.view_directory", {}),
    ("/periods", "partnership.view_directory", {}),
    ("/plan", "delivery.view_plan", {}),
    ("/plan/sections", "delivery.view_plan", {}),
    ("/plan/actions", "delivery.view_plan", {}),
    ("/audit-rounds", "audits.view_audit", {}),
    ("/training/coverage", "training.view_coverage", {}),
    ("/training/levels", "training.view_framework", {}),
    ("/local-profile/indicators", "localprofile.view_indicators", {}),
    ("/local-profile/accepted-values", "localprofile.view_dataset", {"period": "open quarter"}),
    ("/referral-statistics/periods", "casework.view_statistics", {}),
    ("/referral-statistics", "casework.view_statistics", {"period": "2025-26", "by": "gender"}),
    ("/returns", "returns.view_returns", {}),
]


def _api_patterns() -> list[URLPattern]:
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "api_v1":
            return [p for p in pattern.url_patterns if isinstance(p, URLPattern)]
    return []


def test_every_api_route_declares_token_access_but_the_openapi_document() -> None:
    declared = {p.name: declared_access(p.callback).kind for p in _api_patterns()}
    assert declared.pop("openapi-json") == "public"
    assert declared and set(declared.values()) == {"token"}


def test_every_read_operation_is_in_the_walk() -> None:
    paths = api.get_openapi_schema(path_prefix="")["paths"]
    reads = {path for path, methods in paths.items() if "get" in methods and "{" not in path}
    assert reads == {path for path, _, _ in READS}


def test_a_token_reaches_a_read_only_if_its_person_holds_the_permission(
    world: World, make_user: Callable[..., User], api_as: Callable[..., Api], settings: Any
) -> None:
    settings.PREVENTHUB_API_REQUESTS_PER_MINUTE = 1_000
    wrong = []
    for role in [*Role, None]:
        person = make_user(*([role] if role else []))
        api = api_as(person)
        for path, permission, query in READS:
            query = {k: world.period.pk if v == "open quarter" else v for k, v in query.items()}
            status = api.get(path, **query).status_code
            if person.has_perm(permission):
                if status in (401, 403):
                    wrong.append(f"{path} refused to {role} ({status})")
            elif status != 403:
                wrong.append(f"{path} answered {status} to {role}, not 403")
    assert wrong == []


class TestTheRateLimit:
    def test_past_the_limit_a_token_gets_429_with_retry_after(
        self, world: World, api_as: Callable[..., Api], settings: Any
    ) -> None:
        settings.PREVENTHUB_API_REQUESTS_PER_MINUTE = 3
        api = api_as(world.lead)
        with time_machine.travel(datetime.datetime(2026, 12, 5, 10, 0, 15), tick=False):
            assert [api.get("/areas").status_code for _ in range(3)] == [200, 200, 200]
            refused = api.get("/areas")
        assert refused.status_code == 429
        assert refused.json()["code"] == "rate_limited"
        assert refused["Retry-After"] == "45"
        with time_machine.travel(datetime.datetime(2026, 12, 5, 10, 1, 0), tick=False):
            assert api.get("/areas").status_code == 200

    def test_each_token_has_its_own_count(
        self, world: World, api_as: Callable[..., Api], settings: Any
    ) -> None:
        settings.PREVENTHUB_API_REQUESTS_PER_MINUTE = 1
        first, second = api_as(world.lead), api_as(world.lead)
        with time_machine.travel(datetime.datetime(2026, 12, 5, 10, 0, 15), tick=False):
            assert first.get("/areas").status_code == 200
            assert first.get("/areas").status_code == 429
            assert second.get("/areas").status_code == 200
