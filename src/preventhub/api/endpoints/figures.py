"""Figures: audit rounds, training coverage, the local profile and the protected referral
statistics."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from preventhub.api import schemas
from preventhub.api.auth import ApiError, require
from preventhub.api.endpoints.common import (
    Id,
    PageQuery,
    answers,
    fields_of,
    one_page,
    refused,
)
from preventhub.audits import stats as audit_stats
from preventhub.audits.models import AuditRound
from preventhub.casework import stats as case_stats
from preventhub.core.disclosure import ProtectedTable
from preventhub.localprofile import queries as profile_queries
from preventhub.localprofile.models import Indicator
from preventhub.partnership.models import ReportingPeriod
from preventhub.training import stats as training_stats
from preventhub.training.models import TrainingLevel

router = Router()

# ---- audits, training coverage, local profile, referral statistics -------------------------------


class RoundQuery(PageQuery):
    ordering: Literal["opens_on", "-opens_on", "name", "-name"] = "-opens_on"


@router.get("/audit-rounds", response=answers(schemas.AuditRoundPage), tags=["Audits"])
def audit_rounds(request: HttpRequest, query: Query[RoundQuery]) -> dict:
    require(request, "audits.view_audit")
    found = AuditRound.objects.order_by(query.ordering, "pk")
    return one_page(
        found, query, lambda r: fields_of(r, "id", "name", "kind", "opens_on", "closes_on")
    )


@router.get(
    "/audit-rounds/{round_id}/summary", response=answers(schemas.AuditSummary), tags=["Audits"]
)
def audit_summary(request: HttpRequest, round_id: Id) -> dict:
    """The round's figures: the same as `manage.py audit_summary --json`."""
    require(request, "audits.view_audit")
    found = get_object_or_404(AuditRound, pk=round_id)
    return audit_stats.analyse(found, breakdowns=False, compare=False).summary()


class CoverageQuery(Schema):
    period: int | None = Field(
        None, ge=1, le=2_147_483_647, description="A period's id: coverage on its last day."
    )


@router.get("/training/coverage", response=answers(schemas.Coverage), tags=["Training"])
def training_coverage(request: HttpRequest, query: Query[CoverageQuery]) -> dict:
    """Staff trained and in date against staff needing training: counts, never people."""
    require(request, "training.view_coverage")
    today = timezone.localdate()
    on = today
    if query.period is not None:
        on = min(get_object_or_404(ReportingPeriod, pk=query.period).ends_on, today)
    return training_stats.coverage_json(training_stats.coverage(on))


@router.get("/training/levels", response=answers(list[schemas.Level]), tags=["Training"])
def training_levels(request: HttpRequest) -> list[dict]:
    """The Training Framework's levels, whose ids training delivered is recorded by."""
    require(request, "training.view_framework")
    return [
        fields_of(level, "id", "name", "description", "refresh_months")
        for level in TrainingLevel.objects.order_by("position", "pk")
    ]


class IndicatorQuery(PageQuery):
    include_inactive: bool = False
    ordering: Literal["code", "-code", "name", "-name"] = "code"


@router.get(
    "/local-profile/indicators", response=answers(schemas.IndicatorPage), tags=["Local profile"]
)
def indicators(request: HttpRequest, query: Query[IndicatorQuery]) -> dict:
    require(request, "localprofile.view_indicators")
    found = Indicator.objects.order_by(query.ordering, "pk")
    if not query.include_inactive:
        found = found.filter(is_active=True)
    names = [name for name in schemas.Indicator.model_fields]
    return one_page(found, query, lambda i: fields_of(i, *names))


class ValuesQuery(Schema):
    period: int = Field(ge=1, le=2_147_483_647, description="A period's id.")


@router.get(
    "/local-profile/accepted-values",
    response=answers(schemas.AcceptedValues),
    tags=["Local profile"],
)
def accepted_values(request: HttpRequest, query: Query[ValuesQuery]) -> dict:
    """Every accepted figure for a quarter, by indicator and district, as the compiled dataset."""
    require(request, "localprofile.view_dataset")
    compiled = profile_queries.dataset(get_object_or_404(ReportingPeriod, pk=query.period))
    return {
        "period": compiled.period.name,
        "values": [
            {
                "indicator": row.indicator.code,
                "district": row.district.gss_code if row.district else None,
                "total": row.total,
                "contributors": row.contributors,
            }
            for row in compiled.rows
        ],
        "contributed": compiled.contributed,
        "not_contributed": [name for name, _ in compiled.not_contributed],
    }


Dimension = Literal["age_band", "gender", "concern", "sector", "district", "outcome"]


class StatisticsQuery(Schema):
    period: str = Field(
        pattern=r"^\d{4}-\d{2}(-Q[1-4])?$",
        description="A whole period that has ended: 2025-26 or 2025-26-Q2.",
    )
    by: Dimension
    then_by: Dimension | Literal[""] = ""


@router.get(
    "/referral-statistics/periods",
    response=answers(list[schemas.StatisticsPeriod]),
    tags=["Referral statistics"],
)
def statistics_periods(request: HttpRequest) -> list[dict]:
    """The periods that have ended, which are the only ones the statistics answer for."""
    require(request, "casework.view_statistics")
    return [
        {"code": p.code, "label": p.label} for p in case_stats.ended_periods(timezone.localdate())
    ]


@router.get(
    "/referral-statistics", response=answers(schemas.Statistics), tags=["Referral statistics"]
)
def referral_statistics(request: HttpRequest, query: Query[StatisticsQuery]) -> dict:
    """Referrals counted by one or two dimensions, every count protected (never exact, never
    a small number): the same protected table the statistics page gives outside case work."""
    require(request, "casework.view_statistics")
    if query.by == query.then_by:
        raise ApiError(
            422,
            "invalid",
            "Choose something other than the first thing to count by",
            field="then_by",
        )
    try:
        table = case_stats.protected_table(
            period=case_stats.period_named(query.period),
            by=query.by,
            then_by=query.then_by,
            today=timezone.localdate(),
        )
    except case_stats.StatisticsError as error:
        raise refused(str(error), field="period") from error
    found = {"period": query.period, "by": query.by, "then_by": query.then_by}
    if isinstance(table, ProtectedTable):
        return {
            **found,
            "method": "cell-key",
            "threshold": table.threshold,
            "columns": ["Count"],
            "rows": [
                {"label": c.label, "counts": [c.count], "total": c.count} for c in table.cells
            ],
            "column_totals": [table.total],
            "total": table.total,
        }
    crossed = table.as_json()
    return {**found, **crossed}
