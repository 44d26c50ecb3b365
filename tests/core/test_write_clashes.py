"""Two people saving the same new thing at the same moment: each service's check can pass for
both before either has saved, and the database refuses the second. That person is told nothing
of theirs was saved and to open the page again, not shown the error page; the log says what
happened without the clashing values (``core.concurrency.clash_in``,
``core.middleware.WriteClashMiddleware``). The race itself, on both databases, is in
``tests/reliability/test_concurrent_writes.py``."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.db.models.signals import pre_save
from django.test import Client, RequestFactory

from preventhub.api.endpoints import _clash
from preventhub.core.concurrency import Clash, clash_in
from preventhub.core.roles import Role
from preventhub.partnership.models import Organisation

pytestmark = pytest.mark.django_db

NEW = "/partnership/organisations/new/"


def test_a_unique_value_taken_first_is_a_clash_over_a_taken_value() -> None:
    Organisation.objects.create(name="Acme Trust")
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        Organisation.objects.create(name="Acme Trust")
    assert clash_in(refused.value) is Clash.TAKEN


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_row_removed_before_the_write_refers_to_it_is_a_clash_over_a_removed_row() -> None:
    # Foreign keys are checked when the transaction commits, on both databases.
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        Organisation.objects.create(name="Orphan Trust", sector_id=999_999)
    assert clash_in(refused.value) is Clash.REMOVED
    assert not Organisation.objects.filter(name="Orphan Trust").exists()


def test_a_value_left_out_is_a_fault_not_a_clash() -> None:
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        Organisation.objects.create(name=None)
    assert clash_in(refused.value) is None


@pytest.fixture
def rival_saves_first() -> Iterator[Callable[[Callable[[Organisation], None]], None]]:
    """Run ``rival(instance)`` just before an organisation is first saved, as if someone else's
    save landed between the service's check and its own."""
    receivers: list[Any] = []

    def install(rival: Callable[[Organisation], None]) -> None:
        def receiver(sender: Any, instance: Organisation, **kwargs: Any) -> None:
            if instance.pk is None:
                rival(instance)

        receivers.append(receiver)
        pre_save.connect(receiver, sender=Organisation, weak=False)

    yield install
    for receiver in receivers:
        pre_save.disconnect(receiver, sender=Organisation)


def _same_name_saved(instance: Organisation) -> None:
    # bulk_create sends no pre_save, so the rival's save does not call this again.
    Organisation.objects.bulk_create([Organisation(name=instance.name)])


class TestAFormWhoseSaveLosesToAnother:
    def test_gets_the_conflict_page_saying_nothing_was_saved_and_where_to_look_again(
        self, client_for: Callable[..., Client], rival_saves_first: Any
    ) -> None:
        client = client_for(Role.COORDINATOR)
        rival_saves_first(_same_name_saved)
        response = client.post(
            NEW,
            {"name": "Acme Trust", "version": ""},
            HTTP_REFERER=f"http://testserver{NEW}?from=directory",
        )
        assert response.status_code == 409
        page = response.content.decode()
        assert "Not saved: someone else saved at the same moment" in page
        assert "what you sent has not been saved" in page
        # The form's own page, without its query string.
        assert f'href="{NEW}">Open the page again' in page
        assert "no-store" in response["Cache-Control"]

    def test_keeps_nothing_of_the_write_and_logs_no_clashing_value(
        self, client_for: Callable[..., Client], rival_saves_first: Any, caplog: Any
    ) -> None:
        client = client_for(Role.COORDINATOR)
        rival_saves_first(_same_name_saved)
        with caplog.at_level(logging.WARNING):
            client.post(NEW, {"name": "Acme Trust", "version": ""})
        # Here the rival wrote in the same transaction, so it went with it; in a real race it
        # has committed and stays (the reliability test).
        assert not Organisation.objects.filter(name="Acme Trust").exists()
        logged = "\n".join(record.getMessage() for record in caplog.records)
        assert f"POST {NEW} lost to a write that landed first (taken)" in logged
        assert "Acme" not in logged

    def test_sent_from_another_site_offers_the_home_page_to_open_again(
        self, client_for: Callable[..., Client], rival_saves_first: Any
    ) -> None:
        client = client_for(Role.COORDINATOR)
        rival_saves_first(_same_name_saved)
        response = client.post(
            NEW, {"name": "Acme Trust", "version": ""}, HTTP_REFERER="https://elsewhere.example/"
        )
        assert response.status_code == 409
        assert 'href="/">Open the page again' in response.content.decode()

    def test_refused_for_a_fault_still_gets_the_error_page(
        self, client_for: Callable[..., Client], rival_saves_first: Any
    ) -> None:
        client = client_for(Role.COORDINATOR)
        client.raise_request_exception = False

        def leave_out_the_name(instance: Organisation) -> None:
            instance.name = None

        rival_saves_first(leave_out_the_name)
        response = client.post(NEW, {"name": "Acme Trust", "version": ""})
        assert response.status_code == 500


def test_the_api_answers_a_clash_with_a_conflict_in_its_error_shape() -> None:
    Organisation.objects.create(name="Acme Trust")
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        Organisation.objects.create(name="Acme Trust")
    response = _clash(RequestFactory().post("/api/v1/returns/1"), refused.value)
    assert response.status_code == 409
    assert json.loads(response.content) == {"code": "conflict", "message": Clash.TAKEN.message}


def test_the_api_passes_any_other_integrity_error_on_as_a_fault() -> None:
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        Organisation.objects.create(name=None)
    with pytest.raises(IntegrityError):
        _clash(RequestFactory().post("/api/v1/returns/1"), refused.value)
