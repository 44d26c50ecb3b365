"""The steps of an information-sharing request: each one transaction, each one recorded."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from preventhub.core.concurrency import Clash, clash_in, save_versioned
from preventhub.exchange.models import RequestEvent, SharingRequest
from preventhub.partnership.models import Organisation

Status = SharingRequest.Status


class ExchangeError(Exception):
    """A step a request cannot take now; the message says why."""


REFERENCE_ATTEMPTS = 5


def _next_reference(year: int) -> str:
    prefix = f"ISR-{year}-"
    taken = SharingRequest.objects.filter(reference__startswith=prefix).count()
    return f"{prefix}{taken + 1:04d}"


def _record(request: SharingRequest, kind: str, by: Any, note: str = "") -> RequestEvent:
    return RequestEvent.objects.create(request=request, kind=kind, by=by, note=note.strip()[:500])


@transaction.atomic
def make_request(
    *,
    requesting_organisation: Organisation,
    receiving_organisation: Organisation,
    about: str,
    lawful_basis: str,
    respond_by: datetime.date,
    by: Any,
    case_reference: str = "",
    today: datetime.date | None = None,
) -> SharingRequest:
    today = today or timezone.localdate()
    if requesting_organisation == receiving_organisation:
        raise ExchangeError("Choose another partner: a request goes from one partner to another.")
    if respond_by < today:
        raise ExchangeError("The day an answer is needed by cannot be in the past.")
    # Lock the table's last row so two requests made at once cannot take the same reference.
    list(SharingRequest.objects.select_for_update().order_by("-pk")[:1])
    fields = {
        "requesting_organisation": requesting_organisation,
        "receiving_organisation": receiving_organisation,
        "about": about.strip(),
        "case_reference": case_reference.strip(),
        "lawful_basis": lawful_basis,
        "respond_by": respond_by,
        "requested_by": by,
    }
    # With no request yet there is no row to lock: two first requests made at once both count
    # none, and the second is refused its reference by the unique constraint. It takes the next
    # one, counted again, rather than losing what its maker typed to the conflict page.
    for attempt in range(1, REFERENCE_ATTEMPTS + 1):
        reference = _next_reference(today.year)
        try:
            with transaction.atomic():
                request = SharingRequest.objects.create(reference=reference, **fields)
            break
        except IntegrityError as error:
            if clash_in(error) is not Clash.TAKEN or attempt == REFERENCE_ATTEMPTS:
                raise
    _record(request, RequestEvent.Kind.REQUESTED, by)
    return request


def _claim(request: SharingRequest, allowed: set[str]) -> SharingRequest:
    found = SharingRequest.objects.select_for_update().get(pk=request.pk)
    if found.status not in allowed:
        raise ExchangeError(
            f"{found.reference} is {found.get_status_display().lower()}: it cannot take this step."
        )
    return found


def _save(found: SharingRequest, expected_version: int | None, fields: list[str]) -> None:
    """Save a step, refused if someone else moved the request on since the page was opened."""
    version = found.version if expected_version is None else expected_version
    save_versioned(found, expected_version=version, update_fields=fields)


@transaction.atomic
def decide(
    *,
    request: SharingRequest,
    approve: bool,
    note: str = "",
    by: Any,
    expected_version: int | None = None,
) -> SharingRequest:
    """The receiving partner (or the Data protection officer) approves or refuses a request."""
    found = _claim(request, {Status.REQUESTED})
    if not approve and not note.strip():
        raise ExchangeError("Say why the request is refused.")
    found.status = Status.APPROVED if approve else Status.REFUSED
    _save(found, expected_version, ["status"])
    _record(found, RequestEvent.Kind.APPROVED if approve else RequestEvent.Kind.REFUSED, by, note)
    return found


@transaction.atomic
def respond(
    *,
    request: SharingRequest,
    outcome: str,
    note: str = "",
    by: Any,
    expected_version: int | None = None,
) -> SharingRequest:
    """The receiving partner says what it held and how it was sent; never the information."""
    found = _claim(request, {Status.APPROVED})
    found.status, found.outcome = Status.RESPONDED, outcome
    _save(found, expected_version, ["status", "outcome"])
    _record(found, RequestEvent.Kind.RESPONDED, by, note)
    return found


@transaction.atomic
def close(
    *, request: SharingRequest, note: str = "", by: Any, expected_version: int | None = None
) -> SharingRequest:
    """The requester closes a request: answered, refused, or no longer needed (say why)."""
    found = _claim(request, {Status.REQUESTED, Status.APPROVED, Status.REFUSED, Status.RESPONDED})
    if found.is_waiting and not note.strip():
        raise ExchangeError("Say why the request is closed before it was answered.")
    found.status = Status.CLOSED
    _save(found, expected_version, ["status"])
    _record(found, RequestEvent.Kind.CLOSED, by, note)
    return found
