"""Every page and form, sent numbers none expects, answers with a page, never the error page.

A number in an address or a query is checked before it reaches the database: "²" passed
``str.isdigit()`` and then failed ``int()``; a number past the database's integers failed in the
database; either gave the error page (500). Walked over every route a person holding every role
may open, with every query parameter any page reads or any form filters by.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import re
from collections.abc import Callable
from copy import deepcopy
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import reverse

from preventhub.accounts.models import User
from preventhub.core.roles import Role
from tests.conftest import sign_in
from tests.routes import ROUTES, build_context

pytestmark = pytest.mark.django_db

SOURCE = Path(__file__).resolve().parents[2] / "src" / "preventhub"
# A digit int() refuses, and a number past 64 bits (a sign or a space fails isdigit() already);
# the last month and day of the calendar (the first are refused by the same bounds), and a month
# whose year is past 64 bits; a NUL, which PostgreSQL refuses in any text.
HOSTILE = ["²", "9" * 25, "9999-12", "9" * 20 + "-1", "9999-12-31", "a\x00b"]


@functools.cache
def _query_names() -> tuple[str, ...]:
    """Every name a view reads from the query string or a form, and every field of every form."""
    names = set()
    for path in SOURCE.rglob("*.py"):
        names.update(
            re.findall(r"(?:GET|POST)\.(?:get|getlist)\(\s*\"([a-z_]+)\"", path.read_text())
        )
    for config in apps.get_app_configs():
        if not config.name.startswith("preventhub."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        for _, form in inspect.getmembers(module, inspect.isclass):
            if issubclass(form, forms.BaseForm) and form.__module__ == module.__name__:
                names.update(form.base_fields)
    return tuple(sorted(names))


def _routes(method: str) -> list[str]:
    return sorted(name for name, route in ROUTES.items() if route.method == method)


@pytest.fixture
def everyone(make_user: Callable[..., User]) -> tuple[Client, Any]:
    context = build_context(make_user(Role.PARTNER_LEAD, totp=True))
    return sign_in(Client(raise_request_exception=False), make_user(*Role, totp=True)), context


def _answers(client: Client, url: str, data: dict[str, str], method: str = "get") -> int:
    """The status of one request, undone afterwards: its writes, and its cookies (a page that
    signs out would otherwise send every later one to the sign-in page)."""
    cookies = deepcopy(client.cookies)
    with transaction.atomic():
        status = getattr(client, method)(url, data).status_code
        transaction.set_rollback(True)
    client.cookies = cookies
    return status


def _walk(
    client: Client, context: Any, method: str, value: str, *, under: str = ""
) -> tuple[list[str], dict[str, int]]:
    """Each route of ``method`` (in the namespace ``under``, if given) sent ``value`` in every
    parameter: the requests that failed, and each route's status."""
    data = dict.fromkeys(_query_names(), value)
    failed, answered = [], {}
    for name in _routes(method):
        if not name.startswith(under):
            continue
        url = reverse(name, kwargs=ROUTES[name].kwargs(context))
        answered[name] = status = _answers(client, url, data, method=method)
        if status >= 500:
            failed.append(f"{method.upper()} {url} …={value!r}: {status}")
    return failed, answered


@pytest.mark.parametrize("value", HOSTILE)
def test_no_page_fails_on_a_query_number_it_does_not_expect(
    everyone: tuple[Client, Any], value: str
) -> None:
    failed, _ = _walk(*everyone, "get", value)
    assert failed == [], "\n".join(failed)


def test_no_page_fails_on_an_address_whose_number_is_past_the_databases(
    everyone: tuple[Client, Any],
) -> None:
    client, context = everyone
    failed = []
    for name in _routes("get"):
        kwargs = ROUTES[name].kwargs(context)
        numbers = {key: 10**20 for key, value in kwargs.items() if isinstance(value, int)}
        if not numbers:
            continue
        url = reverse(name, kwargs={**kwargs, **numbers})
        status = _answers(client, url, {})
        if status >= 500:
            failed.append(f"{url}: {status}")
    assert failed == [], "\n".join(failed)


@pytest.mark.parametrize("value", ["²", "9" * 25, "9999-12-31", "a\x00b"])
def test_no_form_fails_on_a_number_or_date_it_does_not_expect(
    everyone: tuple[Client, Any], value: str
) -> None:
    failed, _ = _walk(*everyone, "post", value)
    assert failed == [], "\n".join(failed)


@pytest.mark.parametrize("value", ["²", "9" * 25, "9999-12-31"])  # a NUL is refused before
def test_no_case_page_or_form_fails_for_the_officer_working_the_case(
    make_user: Callable[..., User], value: str
) -> None:
    """A case's pages answer only those working it (404 for everyone else), so the walk above
    never reaches their forms: here the police officer of the case's force sends them."""
    context = build_context(make_user(Role.PARTNER_LEAD, totp=True))
    officer = make_user(Role.POLICE_OFFICER, totp=True)
    officer.organisation = context.objects["referral"].force
    officer.save(update_fields=["organisation"])
    client = sign_in(Client(raise_request_exception=False), officer)
    failed, answered = [], {}
    for method in ("get", "post"):
        failed_now, answered_now = _walk(client, context, method, value, under="casework:")
        failed += failed_now
        answered.update(answered_now)
    assert failed == [], "\n".join(failed)
    # The officer reached the case's page and its forms, not only the refusal.
    assert answered["casework:referral"] == 200
    assert answered["casework:note_new"] not in (403, 404)


def test_a_nul_character_in_an_address_a_query_or_a_form_is_refused_before_any_view(
    everyone: tuple[Client, Any],
) -> None:
    client, _ = everyone
    for method, url, data in [
        ("get", "/partnership/districts/E07000197%00/", {}),
        ("get", "/partnership/", {"page": "1\x00"}),
        ("post", "/partnership/organisations/new/", {"name": "Shire\x00 Council"}),
    ]:
        response = getattr(client, method)(url, data)
        assert response.status_code == 400, url
        assert "a character no page of Prevent Hub takes" in response.content.decode()


def test_the_api_refuses_a_nul_character_in_its_own_shape(client: Client) -> None:
    response = client.get("/api/v1/plan", {"status": "a\x00b"})
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_any_other_request_django_cannot_take_gets_the_400_page_without_that_reason(
    everyone: tuple[Client, Any],
) -> None:
    client, _ = everyone
    too_many = {f"field{number}": "x" for number in range(1_100)}  # past Django's 1,000
    response = client.post("/partnership/organisations/new/", too_many)
    assert response.status_code == 400
    page = response.content.decode()
    assert "could not be taken as it was sent" in page
    assert "a character no page of Prevent Hub takes" not in page
