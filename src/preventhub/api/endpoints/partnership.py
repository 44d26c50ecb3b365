"""The partnership and its reporting calendar."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router

from preventhub.api import schemas
from preventhub.api.auth import require
from preventhub.api.endpoints.common import (
    PageQuery,
    answers,
    fields_of,
    one_page,
)
from preventhub.partnership import queries as partnership_queries
from preventhub.partnership.models import Area, ReportingPeriod

router = Router()

# ---- the partnership -----------------------------------------------------------------------------


class AreaQuery(PageQuery):
    kind: Literal["county", "district", "other", ""] = ""
    ordering: Literal["name", "-name", "gss_code", "-gss_code"] = "name"


@router.get("/areas", response=answers(schemas.AreaPage), tags=["Partnership"])
def areas(request: HttpRequest, query: Query[AreaQuery]) -> dict:
    """Counties, districts and other areas, by their GSS codes."""
    require(request, "partnership.view_directory")
    found = Area.objects.order_by(query.ordering, "pk")
    if query.kind:
        found = found.filter(kind=query.kind)
    return one_page(found, query, lambda a: {**fields_of(a, "id", "gss_code", "name", "kind")})


class OrganisationQuery(PageQuery):
    sector: str = Field("", pattern=r"^[a-z0-9-]{0,50}$", description="A sector's code.")
    area: str = Field("", pattern=r"^[A-Z0-9]{0,9}$", description="An area's GSS code.")
    include_archived: bool = False
    ordering: Literal["name", "-name"] = "name"


@router.get("/organisations", response=answers(schemas.OrganisationPage), tags=["Partnership"])
def organisations(request: HttpRequest, query: Query[OrganisationQuery]) -> dict:
    require(request, "partnership.view_directory")
    found = partnership_queries.organisations(include_archived=query.include_archived)
    found = found.select_related("sector", "area").order_by(query.ordering, "pk")
    if query.sector:
        found = found.filter(sector__code=query.sector)
    if query.area:
        found = found.filter(area__gss_code=query.area)
    return one_page(
        found,
        query,
        lambda o: {
            **fields_of(o, "id", "name", "is_archived"),
            "sector": o.sector.code if o.sector else None,
            "area": o.area.gss_code if o.area else None,
        },
    )


class BoardQuery(PageQuery):
    include_archived: bool = False
    ordering: Literal["name", "-name"] = "name"


@router.get("/boards", response=answers(schemas.BoardPage), tags=["Partnership"])
def boards(request: HttpRequest, query: Query[BoardQuery]) -> dict:
    require(request, "partnership.view_directory")
    found = partnership_queries.boards(include_archived=query.include_archived)
    found = found.select_related("area").order_by(query.ordering, "pk")
    return one_page(
        found,
        query,
        lambda b: {
            **fields_of(b, "id", "name", "kind", "is_archived"),
            "area": b.area.gss_code if b.area else None,
        },
    )


class PeriodQuery(PageQuery):
    status: Literal["planned", "open", "closed", ""] = ""
    ordering: Literal["starts_on", "-starts_on"] = "-starts_on"


@router.get("/periods", response=answers(schemas.PeriodPage), tags=["Partnership"])
def periods(request: HttpRequest, query: Query[PeriodQuery]) -> dict:
    """The reporting calendar: the quarters everyone reports for."""
    require(request, "partnership.view_directory")
    found = ReportingPeriod.objects.order_by(query.ordering, "pk")
    if query.status:
        found = found.filter(status=query.status)
    return one_page(
        found,
        query,
        lambda p: fields_of(p, "id", "name", "starts_on", "ends_on", "updates_due_on", "status"),
    )
