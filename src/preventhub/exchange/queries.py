"""Reads of information-sharing requests: what each person may see, and the home work."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.formats import date_format

from preventhub.core import prepared
from preventhub.core.home import WorkItem
from preventhub.core.hrefs import kept_reverse
from preventhub.core.roles import Role, roles_of
from preventhub.exchange.models import RequestEvent, SharingRequest
from preventhub.exchange.rules import PARTY_ROLES


def visible_requests(user: Any) -> QuerySet[SharingRequest]:
    """The requests ``user`` may see: their organisation's, either side; every one for the DPO."""
    found = SharingRequest.objects.select_related(
        "requesting_organisation", "receiving_organisation"
    )
    roles = roles_of(user)
    if Role.DPO in roles:
        return found
    if not (roles & set(PARTY_ROLES)) or not user.organisation_id:
        return found.none()
    return found.filter(
        Q(requesting_organisation=user.organisation_id)
        | Q(receiving_organisation=user.organisation_id)
    )


@dataclass(frozen=True)
class RequestRow:
    request: SharingRequest
    is_overdue: bool
    is_ours: bool  # made by the person's organisation (else received by it)


def request_rows(user: Any, *, today: datetime.date) -> list[RequestRow]:
    return [
        RequestRow(
            found,
            found.is_overdue(today),
            found.requesting_organisation_id == user.organisation_id,
        )
        for found in visible_requests(user)
    ]


def events_of(request: SharingRequest) -> list[RequestEvent]:
    return list(request.events.select_related("by").order_by("at", "pk"))


def _waiting(organisation_id: int, today: datetime.date) -> QuerySet[SharingRequest]:
    """The organisation's own requests overdue an answer, and those it has been asked."""
    ours = Q(requesting_organisation=organisation_id, respond_by__lt=today)
    asked = Q(receiving_organisation=organisation_id)
    return SharingRequest.objects.filter(
        ours | asked,
        status__in=[SharingRequest.Status.REQUESTED, SharingRequest.Status.APPROVED],
    ).select_related("requesting_organisation", "receiving_organisation")


def home_work(user: Any, today: datetime.date) -> list[WorkItem]:
    """Overdue requests for the organisation that made them; waiting ones for the one asked."""
    if not (roles_of(user) & set(PARTY_ROLES)) or not user.organisation_id:
        return []
    items = []
    waiting = prepared.objects(_waiting, user.organisation_id, today)
    for found in waiting:
        if found.requesting_organisation_id != user.organisation_id or found.respond_by >= today:
            continue
        items.append(
            WorkItem(
                "Information sharing",
                f"Your request {found.reference} to {found.receiving_organisation}",
                kept_reverse("exchange:request", found.pk),
                hint=f"{found.reference} to {found.receiving_organisation} needed an answer by "
                f"{date_format(found.respond_by)}. It is "
                f"{found.get_status_display().lower()}.",
                is_late=True,
                status="Overdue",
            )
        )
    for found in waiting:
        if found.receiving_organisation_id != user.organisation_id:
            continue
        is_late = found.is_overdue(today)
        items.append(
            WorkItem(
                "Information sharing",
                f"Answer {found.reference} from {found.requesting_organisation}",
                kept_reverse("exchange:request", found.pk),
                hint=f"{found.reference} from {found.requesting_organisation}, answer needed by "
                f"{date_format(found.respond_by)}. It is "
                f"{found.get_status_display().lower()}.",
                is_late=is_late,
                status="Overdue" if is_late else f"Due {date_format(found.respond_by)}",
            )
        )
    return items
