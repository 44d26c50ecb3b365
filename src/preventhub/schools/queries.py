"""Read models of the schools register."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page
from django.db.models import Count, QuerySet, Value
from django.db.models.functions import Coalesce

from preventhub.core import prepared
from preventhub.core.pagination import page_of
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


def _register_rows(rows: Iterable[dict[str, Any]]) -> list[RegisterRow]:
    return [
        RegisterRow(
            row["urn"],
            row["name"],
            row["type_name"],
            row["phase"],
            _STATUS_LABELS.get(row["status"], row["status"]),
            row["district_name"],
            row["trust_name"],
            row["federation_name"],
        )
        for row in rows
    ]


# The register is one of the busiest pages: its queries are built once (``core.prepared``).


def _by_status() -> QuerySet[Establishment]:
    return Establishment.objects.values("status").annotate(n=Count("pk")).order_by()


def _listed(start: int, end: int) -> QuerySet[Establishment]:
    """Rows ``start`` to ``end`` of the register by name, as the texts each row shows.

    The page's establishments are found first, in the index on the register's order alone;
    only they are joined to their district, trust and federation. Joining first made a late
    page of a national register join the tens of thousands of rows before it too."""
    page = Establishment.objects.order_by("name", "pk").values("pk")[start:end]
    return (
        Establishment.objects.filter(pk__in=page)
        .order_by("name", "pk")
        .values(
            "urn",
            "name",
            "type_name",
            "phase",
            "status",
            district_name=Coalesce("district__name", Value("")),
            trust_name=Coalesce("trust__name", Value("")),
            federation_name=Coalesce("federation__name", Value("")),
        )
    )


def _register_page_rows(start: int, end: int) -> list[RegisterRow]:
    return _register_rows(prepared.rows(_listed, start, end))


def _last_import() -> QuerySet[GiasImportRun]:
    return GiasImportRun.objects.select_related("created_by")[:1]


def register_page(page_number: int | str, *, per_page: int = REGISTER_PER_PAGE) -> RegisterPage:
    """The register's figures and page ``page_number`` of its establishments, by name (raises
    ``InvalidPage`` for no such page).

    Each row is read as the texts it shows, not as an establishment with its district, trust
    and federation: building four model objects a row was most of the page's time. The pages
    are counted from the figures by status, not by counting the rows again.
    """
    counts = {row["status"]: row["n"] for row in prepared.rows(_by_status)}
    total = sum(counts.values())
    page = page_of(total, page_number, per_page, _register_page_rows)
    return RegisterPage(
        total=total,
        by_status=[
            StatusCount(label, counts.get(value, 0))
            for value, label in Establishment.Status.choices
        ],
        establishments=page,
        last_import=prepared.first(_last_import),
    )
