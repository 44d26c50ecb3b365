"""Read models of the schools register."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Value
from django.db.models.functions import Coalesce

from preventhub.schools.models import Establishment, GiasImportRun


@dataclass(frozen=True)
class StatusCount:
    label: str
    count: int


@dataclass(frozen=True)
class RegisterRow:
    """One establishment as the register lists it: its texts only, ready to show."""

    urn: int
    name: str
    type_name: str
    phase: str
    status: str
    district: str
    trust: str
    federation: str


@dataclass(frozen=True)
class RegisterPage:
    total: int
    by_status: list[StatusCount]
    establishments: Page  # of RegisterRow
    last_import: GiasImportRun | None


REGISTER_PER_PAGE = 100
_STATUS_LABELS = dict(Establishment.Status.choices)


def _register_rows(rows: Iterable[tuple[Any, ...]]) -> list[RegisterRow]:
    return [
        RegisterRow(urn, name, type_name, phase, _STATUS_LABELS.get(status, status), *names)
        for urn, name, type_name, phase, status, *names in rows
    ]


def register_page(page_number: int | str, *, per_page: int = REGISTER_PER_PAGE) -> RegisterPage:
    """The register's figures and page ``page_number`` of its establishments, by name (raises
    ``InvalidPage`` for no such page).

    Each row is read as the texts it shows, not as an establishment with its district, trust
    and federation: building four model objects a row was most of the page's time.
    """
    counts = dict(Establishment.objects.values_list("status").annotate(n=Count("pk")))
    listed = Establishment.objects.order_by("name").values_list(
        "urn",
        "name",
        "type_name",
        "phase",
        "status",
        Coalesce("district__name", Value("")),
        Coalesce("trust__name", Value("")),
        Coalesce("federation__name", Value("")),
    )
    page = Paginator(listed, per_page).page(page_number)
    page.object_list = _register_rows(page.object_list)
    return RegisterPage(
        total=sum(counts.values()),
        by_status=[
            StatusCount(label, counts.get(value, 0))
            for value, label in Establishment.Status.choices
        ],
        establishments=page,
        last_import=GiasImportRun.objects.select_related("created_by").first(),
    )
