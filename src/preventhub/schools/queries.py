"""Read models of the schools register."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet

from preventhub.schools.models import Establishment, GiasImportRun


@dataclass(frozen=True)
class StatusCount:
    label: str
    count: int


@dataclass(frozen=True)
class RegisterPage:
    total: int
    by_status: list[StatusCount]
    establishments: Page
    last_import: GiasImportRun | None


def establishments() -> QuerySet[Establishment]:
    return Establishment.objects.select_related("district", "trust", "federation").order_by("name")


def register_page(page_number: str | None, *, per_page: int = 100) -> RegisterPage:
    counts = dict(Establishment.objects.values_list("status").annotate(n=Count("pk")))
    return RegisterPage(
        total=sum(counts.values()),
        by_status=[
            StatusCount(label, counts.get(value, 0))
            for value, label in Establishment.Status.choices
        ],
        establishments=Paginator(establishments(), per_page).get_page(page_number),
        last_import=GiasImportRun.objects.select_related("created_by").first(),
    )
