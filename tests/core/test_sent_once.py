"""A form sent twice is saved once, with or without JavaScript (``core.once``).

The engagement activity stands for every record with nothing unique about it: two sendings of
its form would otherwise record two activities.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

import pytest
from django.test import Client

from preventhub.core import once
from preventhub.core.models import AuditEvent, SentForm
from preventhub.core.roles import Role
from preventhub.engagement.models import Activity
from tests.conftest import sign_in
from tests.engagement.forms import activity_form

pytestmark = pytest.mark.django_db

NEW = "/engagement/activities/new/"


def _token(page: str) -> str:
    """The token of the page's own form (the header's "Sign out" is a form with its own)."""
    found = re.findall(r'name="sent_once" value="([^"]+)"', page[page.index("<main") :])
    assert len(found) == 1
    return found[0]


def _drawn_form(client: Client) -> dict[str, object]:
    """The form as the page draws it, filled in as a person would."""
    return activity_form(**{once.FIELD: _token(client.get(NEW).content.decode())})


@pytest.fixture
def coordinator_client(client_for: Callable[..., Client]) -> Client:
    return client_for(Role.COORDINATOR)


def test_each_drawing_of_a_form_carries_a_new_token(coordinator_client: Client) -> None:
    first = _token(coordinator_client.get(NEW).content.decode())
    second = _token(coordinator_client.get(NEW).content.decode())
    assert first != second
    assert once.TOKEN.fullmatch(first)


def test_a_form_sent_twice_is_saved_once_and_the_second_goes_where_the_first_went(
    coordinator_client: Client,
) -> None:
    form = _drawn_form(coordinator_client)
    first = coordinator_client.post(NEW, form)
    second = coordinator_client.post(NEW, form, follow=True)

    assert Activity.objects.count() == 1
    assert first.status_code == 302
    assert second.redirect_chain == [(first["Location"], 302)]
    assert "You sent that form twice. It was saved once" in second.content.decode()


def test_a_form_with_mistakes_can_be_corrected_and_sent_with_the_same_token(
    coordinator_client: Client,
) -> None:
    form = _drawn_form(coordinator_client)
    refused = coordinator_client.post(NEW, {**form, "held_on": "31 February"})
    assert refused.status_code == 200
    assert Activity.objects.count() == 0

    assert coordinator_client.post(NEW, form).status_code == 302
    assert Activity.objects.count() == 1


def test_two_forms_drawn_apart_are_two_sendings(coordinator_client: Client) -> None:
    coordinator_client.post(NEW, _drawn_form(coordinator_client))
    coordinator_client.post(NEW, _drawn_form(coordinator_client))
    assert Activity.objects.count() == 2


def test_a_second_sending_while_the_first_is_handled_waits_then_says_so(
    coordinator_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    form = _drawn_form(coordinator_client)
    user = coordinator_client.get("/").wsgi_request.user
    # The first sending holds the token and has not answered yet.
    SentForm.objects.create(token=form[once.FIELD], user=user)
    monkeypatch.setattr(once, "WAIT_FOR_FIRST_SECONDS", 0.2)
    monkeypatch.setattr(once, "LOOK_EVERY_SECONDS", 0.05)

    response = coordinator_client.post(NEW, form, HTTP_REFERER=f"http://testserver{NEW}")

    assert response.status_code == 409
    assert "Your form is still being saved" in response.content.decode()
    assert f'href="{NEW}"' in response.content.decode()
    assert Activity.objects.count() == 0


def test_a_sending_that_never_finished_leaves_its_form_to_be_sent_again(
    coordinator_client: Client,
) -> None:
    form = _drawn_form(coordinator_client)
    user = coordinator_client.get("/").wsgi_request.user
    long_ago = datetime.datetime.now(tz=datetime.UTC) - once.ABANDONED_AFTER
    SentForm.objects.create(token=form[once.FIELD], user=user, sent_at=long_ago)

    assert coordinator_client.post(NEW, form).status_code == 302
    assert Activity.objects.count() == 1


def test_someone_else_sending_the_same_token_is_refused_without_being_told_where_it_went(
    coordinator_client: Client, make_user: Callable[..., object]
) -> None:
    form = _drawn_form(coordinator_client)
    first = coordinator_client.post(NEW, form)
    other = sign_in(Client(), make_user(Role.COORDINATOR))

    response = other.post(NEW, form)

    assert response.status_code == 409
    assert first["Location"] not in response.content.decode()
    assert Activity.objects.count() == 1


def test_a_malformed_token_is_no_token(coordinator_client: Client) -> None:
    form = {**_drawn_form(coordinator_client), once.FIELD: "not-a-token"}
    coordinator_client.post(NEW, form)
    coordinator_client.post(NEW, form)
    assert Activity.objects.count() == 2
    assert not SentForm.objects.exists()


def test_a_claim_is_kept_a_day_and_never_written_to_the_audit_trail(
    coordinator_client: Client,
) -> None:
    user = coordinator_client.get("/").wsgi_request.user
    old = SentForm.objects.create(
        token="a" * 43,
        user=user,
        sent_at=datetime.datetime.now(tz=datetime.UTC) - once.KEPT_FOR,
        location="/engagement/",
    )
    coordinator_client.post(NEW, _drawn_form(coordinator_client))

    assert not SentForm.objects.filter(pk=old.pk).exists()
    assert SentForm.objects.count() == 1
    assert not AuditEvent.objects.filter(object_type__icontains="sent").exists()
