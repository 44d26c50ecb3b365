"""Every URL × every role: nothing is reachable that tests/routes.py does not allow."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from copy import deepcopy
from typing import Any

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse

from preventhub.accounts.models import User
from preventhub.core.access import declared_access
from preventhub.core.roles import Role
from tests.conftest import sign_in
from tests.routes import PUBLIC, ROUTES, SEPARATELY_TESTED, RouteContext, build_context


def named_routes(
    resolver: URLResolver | None = None, prefix: str = ""
) -> Iterator[tuple[str, Any]]:
    """Every named route, but those of a namespace tests/routes.py says is tested elsewhere."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if not prefix and pattern.namespace in SEPARATELY_TESTED:
                continue
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from named_routes(pattern, namespace)
        elif isinstance(pattern, URLPattern):
            name = f"{prefix}{pattern.name}" if pattern.name else f"(unnamed: {pattern.pattern})"
            yield name, pattern.callback


def _request(client: Client, name: str, context: RouteContext) -> HttpResponse:
    route = ROUTES[name]
    url = reverse(name, kwargs=route.kwargs(context))
    return getattr(client, route.method)(url)


def _was_sent_to_sign_in(response: HttpResponse) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:sign_in") + "?next="
    )


class TestTheRouteTable:
    def test_it_lists_every_route_of_the_application(self) -> None:
        in_app = {name for name, _ in named_routes()}
        assert in_app - ROUTES.keys() == set(), "add these routes to tests/routes.py"
        assert ROUTES.keys() - in_app == set(), "these routes in tests/routes.py no longer exist"

    def test_every_view_declares_who_may_reach_it(self) -> None:
        undeclared = [name for name, view in named_routes() if declared_access(view) is None]
        assert undeclared == []

    def test_views_declared_public_are_the_ones_the_table_calls_public(self) -> None:
        for name, view in named_routes():
            assert (declared_access(view).kind == "public") == (ROUTES[name].reach == PUBLIC), name


def _undeclared_view(request: Any) -> HttpResponse:
    return HttpResponse("should never be seen")


urlpatterns = [path("undeclared/", _undeclared_view), path("", include("preventhub.urls"))]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_view_that_declares_nothing_is_refused_to_everyone(client: Client) -> None:
    assert client.get("/undeclared/").status_code == 403


ROLE_SETS = [pytest.param(frozenset({role}), id=role.value) for role in Role] + [
    pytest.param(frozenset(), id="no-role")
]


@pytest.fixture
def context(make_user: Callable[..., User]) -> RouteContext:
    return build_context(make_user(Role.PARTNER_LEAD, totp=True))


def _walk(client: Client, context: RouteContext, judge: Callable[[str, HttpResponse], str]) -> str:
    """Request every route in turn, each undone afterwards; return what ``judge`` objected to.

    One world serves every route: each request runs in a savepoint that is rolled back, and the
    client's cookies are put back, so a sign-out or a deactivation does not leak into the next.
    """
    cookies = deepcopy(client.cookies)
    problems = []
    for name in sorted(ROUTES):
        with transaction.atomic():
            problem = judge(name, _request(client, name, context))
            transaction.set_rollback(True)
        client.cookies = deepcopy(cookies)
        if problem:
            problems.append(problem)
    return "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("roles", ROLE_SETS)
def test_a_role_reaches_a_route_only_if_the_matrix_allows_it(
    roles: frozenset[Role], make_user: Callable[..., User], context: RouteContext
) -> None:
    who = ", ".join(sorted(roles)) or "no role"

    def judge(name: str, response: HttpResponse) -> str:
        route = ROUTES[name]
        if route.reachable_by(roles):
            if response.status_code in (403, route.refusal) or _was_sent_to_sign_in(response):
                return f"{name} refused to {who} ({response.status_code})"
        elif response.status_code != route.refusal:
            return f"{name} answered {response.status_code} to {who}, who should be refused"
        return ""

    assert _walk(sign_in(Client(), make_user(*roles)), context, judge) == ""


@pytest.mark.django_db
def test_someone_not_signed_in_reaches_only_public_routes(context: RouteContext) -> None:
    def judge(name: str, response: HttpResponse) -> str:
        if ROUTES[name].reach == PUBLIC:
            return "" if response.status_code < 400 else f"{name} answered {response.status_code}"
        if not _was_sent_to_sign_in(response):
            return f"{name} answered {response.status_code} instead of asking to sign in"
        return ""

    assert _walk(Client(), context, judge) == ""
