"""No page showing a person's data stays in a cache: one declaration, checked for every route."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.http import HttpResponse
from django.test import Client

from preventhub.accounts.models import User
from preventhub.core.access import declared_access
from preventhub.core.roles import Role
from tests.conftest import sign_in
from tests.core.test_route_matrix import _walk, named_routes
from tests.routes import PUBLIC, ROUTES, RouteContext, build_context

# Public pages that take or show what must not stay in a shared computer's cache.
PUBLIC_NO_STORE = {
    "accounts:sign_in",
    "core:health",
    *(name for name in ROUTES if name.startswith(("school_audit:", "school_assessment:"))),
}


def is_no_store(response: HttpResponse) -> bool:
    return "no-store" in response.get("Cache-Control", "") and response.get("Pragma") == "no-cache"


def test_every_route_behind_a_sign_in_is_declared_no_store() -> None:
    cached = [
        name
        for name, view in named_routes()
        if ROUTES[name].reach != PUBLIC and not declared_access(view).no_store
    ]
    assert cached == []


def test_the_public_routes_declared_no_store_are_the_ones_that_must_be() -> None:
    declared = {
        name
        for name, view in named_routes()
        if ROUTES[name].reach == PUBLIC and declared_access(view).no_store
    }
    assert declared == PUBLIC_NO_STORE


@pytest.mark.django_db
def test_every_page_reached_by_someone_holding_every_role_is_sent_no_store(
    make_user: Callable[..., User],
) -> None:
    context: RouteContext = build_context(make_user(Role.PARTNER_LEAD, totp=True))
    everyone = make_user(*Role, totp=True)

    def judge(name: str, response: HttpResponse) -> str:
        must = ROUTES[name].reach != PUBLIC or name in PUBLIC_NO_STORE
        if must and not is_no_store(response):
            return f"{name} ({response.status_code}) may be cached"
        return ""

    assert _walk(sign_in(Client(), everyone), context, judge) == ""


@pytest.mark.django_db
def test_a_public_page_with_nothing_personal_may_be_cached(client: Client) -> None:
    assert "no-store" not in client.get("/accessibility/").get("Cache-Control", "")
