"""The JSON API, version 1: django-ninja operations over the apps' queries, stats and services.

Reads call the same queries and statistics the pages use; writes call the same services, so the
checks, messages and all-or-nothing rule are the pages' own. Every operation needs a token
(``auth.TokenAuth``); writes need a read and write token and the ETag last read (If-Match).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, NinjaAPI, Path, Query, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError

from preventhub.api import schemas
from preventhub.api.auth import ApiError, TokenAuth, etag, expect_version, needs_write, require
from preventhub.audits import stats as audit_stats
from preventhub.audits.models import AuditRound
from preventhub.casework import stats as case_stats
from preventhub.core import audit
from preventhub.core.concurrency import ConcurrentEditError
from preventhub.core.disclosure import ProtectedTable
from preventhub.delivery import queries as delivery_queries
from preventhub.delivery import services as delivery_services
from preventhub.delivery.models import PlanAction
from preventhub.localprofile import queries as profile_queries
from preventhub.localprofile import services as profile_services
from preventhub.localprofile.checks import Entry
from preventhub.localprofile.models import Indicator
from preventhub.partnership import queries as partnership_queries
from preventhub.partnership.models import Area, ReportingPeriod
from preventhub.returns import queries as returns_queries
from preventhub.returns.models import PartnerReturn, ReturnKind
from preventhub.training import queries as training_queries
from preventhub.training import services as training_services
from preventhub.training import stats as training_stats
from preventhub.training.models import TrainingLevel, TrainingProduct

api = NinjaAPI(
    title="Prevent Hub API",
    version="1",
    description="Read the partnership's plan, returns and protected statistics, and send "
    "progress updates and returns. Send a token in `Authorization: Bearer <token>`; see "
    "docs/api.md.",
    auth=TokenAuth(),
    urls_namespace="api_v1",
    docs_url=None,
)

# A record's id in a path: a positive whole number the database can hold.
Id = Annotated[int, Path(ge=1, le=2_147_483_647)]
# Every operation may answer with these, in the one error shape.
READ_ERRORS: dict[int, type[schemas.Error]] = {
    code: schemas.Error for code in (400, 401, 403, 404, 422, 429)
}
WRITE_ERRORS = {**READ_ERRORS, **{code: schemas.Error for code in (409, 412, 428)}}
FILL = "returns.fill_return"


def answers(ok: Any, *, writes: bool = False, status: int = 200) -> dict[int, Any]:
    return {status: ok, **(WRITE_ERRORS if writes else READ_ERRORS)}


# ---- errors: {code, message, field?} -------------------------------------------------------------


def _error(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
    return api.create_response(request, body, status=status)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    response = _error(request, exc.status, exc.body())
    for name, value in exc.headers.items():
        response[name] = value
    return response


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    where = [str(part) for part in first.get("loc", ())]
    # The first part says where the value came from (query, body, path); the rest is the field.
    field = ".".join(where[1:]) or None
    message = str(first.get("msg", "The request is not valid."))
    return _error(request, 422, {"code": "invalid", "message": message, "field": field})


@api.exception_handler(AuthenticationError)
def _no_token(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(
        request,
        401,
        {
            "code": "token_missing",
            "message": "Send an API token in the Authorization header: "
            "Authorization: Bearer <token>.",
        },
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, {"code": "not_found", "message": "There is nothing here."})


@api.exception_handler(PermissionDenied)
def _denied(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 403, {"code": "forbidden", "message": "You may not do this."})


@api.exception_handler(ConcurrentEditError)
def _stale(request: HttpRequest, exc: ConcurrentEditError) -> HttpResponse:
    return _error(request, 412, {"code": "stale", "message": str(exc)})


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    status = exc.status_code if exc.status_code in READ_ERRORS else 400
    return _error(request, status, {"code": "bad_request", "message": str(exc)})


def _refused(message: str, *, status: int = 422, field: str | None = None) -> ApiError:
    """A service's refusal: its message, word for word as the page shows it."""
    return ApiError(status, "refused", message, field=field)


# ---- pages of results ----------------------------------------------------------------------------


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=500, description="At most this many items.")
    offset: int = Field(0, ge=0, le=1_000_000, description="Skip this many items first.")


def _page(items: Sequence[Any] | Any, query: PageQuery, convert: Callable[[Any], Any]) -> dict:
    count = items.count() if hasattr(items, "count") and not isinstance(items, list) else len(items)
    chosen = items[query.offset : query.offset + query.limit]
    return {
        "count": count,
        "limit": query.limit,
        "offset": query.offset,
        "items": [convert(item) for item in chosen],
    }


def _ordered(items: list[Any], ordering: str, keys: dict[str, Callable[[Any], Any]]) -> list[Any]:
    name = ordering.removeprefix("-")
    return sorted(
        items,
        key=lambda item: (keys[name](item) is None, keys[name](item) or 0),
        reverse=ordering.startswith("-"),
    )


# ---- the partnership -----------------------------------------------------------------------------


class AreaQuery(PageQuery):
    kind: Literal["county", "district", "other", ""] = ""
    ordering: Literal["name", "-name", "gss_code", "-gss_code"] = "name"


@api.get("/areas", response=answers(schemas.AreaPage), tags=["Partnership"])
def areas(request: HttpRequest, query: Query[AreaQuery]) -> dict:
    """Counties, districts and other areas, by their GSS codes."""
    require(request, "partnership.view_directory")
    found = Area.objects.order_by(query.ordering, "pk")
    if query.kind:
        found = found.filter(kind=query.kind)
    return _page(found, query, lambda a: {**_fields(a, "id", "gss_code", "name", "kind")})


def _fields(obj: Any, *names: str) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


class OrganisationQuery(PageQuery):
    sector: str = Field("", pattern=r"^[a-z0-9-]{0,50}$", description="A sector's code.")
    area: str = Field("", pattern=r"^[A-Z0-9]{0,9}$", description="An area's GSS code.")
    include_archived: bool = False
    ordering: Literal["name", "-name"] = "name"


@api.get("/organisations", response=answers(schemas.OrganisationPage), tags=["Partnership"])
def organisations(request: HttpRequest, query: Query[OrganisationQuery]) -> dict:
    require(request, "partnership.view_directory")
    found = partnership_queries.organisations(include_archived=query.include_archived)
    found = found.select_related("sector", "area").order_by(query.ordering, "pk")
    if query.sector:
        found = found.filter(sector__code=query.sector)
    if query.area:
        found = found.filter(area__gss_code=query.area)
    return _page(
        found,
        query,
        lambda o: {
            **_fields(o, "id", "name", "is_archived"),
            "sector": o.sector.code if o.sector else None,
            "area": o.area.gss_code if o.area else None,
        },
    )


class BoardQuery(PageQuery):
    include_archived: bool = False
    ordering: Literal["name", "-name"] = "name"


@api.get("/boards", response=answers(schemas.BoardPage), tags=["Partnership"])
def boards(request: HttpRequest, query: Query[BoardQuery]) -> dict:
    require(request, "partnership.view_directory")
    found = partnership_queries.boards(include_archived=query.include_archived)
    found = found.select_related("area").order_by(query.ordering, "pk")
    return _page(
        found,
        query,
        lambda b: {
            **_fields(b, "id", "name", "kind", "is_archived"),
            "area": b.area.gss_code if b.area else None,
        },
    )


class PeriodQuery(PageQuery):
    status: Literal["planned", "open", "closed", ""] = ""
    ordering: Literal["starts_on", "-starts_on"] = "-starts_on"


@api.get("/periods", response=answers(schemas.PeriodPage), tags=["Partnership"])
def periods(request: HttpRequest, query: Query[PeriodQuery]) -> dict:
    """The reporting calendar: the quarters everyone reports for."""
    require(request, "partnership.view_directory")
    found = ReportingPeriod.objects.order_by(query.ordering, "pk")
    if query.status:
        found = found.filter(status=query.status)
    return _page(
        found,
        query,
        lambda p: _fields(p, "id", "name", "starts_on", "ends_on", "updates_due_on", "status"),
    )


# ---- the Delivery Plan ---------------------------------------------------------------------------


def _plan() -> Any:
    plan = delivery_queries.current_plan()
    if plan is None:
        raise ApiError(404, "not_found", "No Delivery Plan has been approved yet.")
    return plan


@api.get("/plan", response=answers(schemas.Plan), tags=["Delivery Plan"])
def plan(request: HttpRequest) -> dict:
    """The Delivery Plan in force: the approved version."""
    require(request, "delivery.view_plan")
    return _fields(_plan(), "id", "title", "status", "approved_on")


@api.get("/plan/sections", response=answers(schemas.SectionPage), tags=["Delivery Plan"])
def sections(request: HttpRequest, query: Query[PageQuery]) -> dict:
    require(request, "delivery.view_plan")
    found = _plan().sections.order_by("position")
    return _page(found, query, lambda s: _fields(s, "id", "code", "title", "kind", "position"))


class ActionQuery(PageQuery):
    section: str = Field("", pattern=r"^[A-Z0-9]{0,6}$", description="A section's code, like SAF.")
    owner: int | None = Field(None, ge=1, le=2_147_483_647, description="The owner's id.")
    rag: list[schemas.RagRating] = Field(default_factory=list)  # type: ignore[valid-type]
    district: int | None = Field(None, ge=1, le=2_147_483_647)
    due: Literal["overdue", "30_days", "quarter", ""] = ""
    ordering: Literal["reference", "-reference", "due_on", "-due_on", "status", "-status"] = (
        "reference"
    )


def _action(row: Any) -> dict[str, Any]:
    action = row.action
    return {
        **_fields(action, "id", "reference", "title", "starts_on", "due_on", "status"),
        "section": action.section.code,
        "owner_organisation": action.owner_organisation_id,
        "district": action.district_id,
        "rag": row.state.rag,
        "is_overdue": row.is_overdue,
    }


@api.get("/plan/actions", response=answers(schemas.ActionPage), tags=["Delivery Plan"])
def actions(request: HttpRequest, query: Query[ActionQuery]) -> dict:
    """The plan's actions, filtered as the plan page filters them."""
    require(request, "delivery.view_plan")
    criteria = delivery_queries.PlanFilter(
        section=query.section,
        owner=query.owner,
        rag=tuple(rating.value for rating in query.rag),
        district=query.district,
        due=query.due,
    )
    page = delivery_queries.plan_page(_plan(), criteria, on=timezone.localdate())
    rows = [row for group in page.sections for row in group.rows]
    keys: dict[str, Callable[[Any], Any]] = {
        "reference": lambda row: row.action.reference,
        "due_on": lambda row: row.action.due_on,
        "status": lambda row: row.action.status,
    }
    return _page(_ordered(rows, query.ordering, keys), query, _action)


def _plan_action(pk: int) -> PlanAction:
    return get_object_or_404(
        PlanAction.objects.select_related("plan", "section", "owner_organisation"), pk=pk
    )


def _update(update: Any) -> dict[str, Any]:
    return {
        **_fields(update, "id", "status", "narrative", "submitted_at", "is_late", "version"),
        "action": update.action_id,
        "period": update.period.name,
    }


@api.get(
    "/plan/actions/{action_id}/updates",
    response=answers(schemas.UpdatePage),
    tags=["Delivery Plan"],
)
def action_updates(request: HttpRequest, action_id: Id, query: Query[PageQuery]) -> dict:
    """Every quarter's progress update on an action, newest first."""
    require(request, "delivery.view_plan")
    found = _plan_action(action_id)
    updates = found.updates.select_related("period").order_by("-period__starts_on", "-pk")
    return _page(updates, query, _update)


def _slot(found: PlanAction) -> tuple[Any, dict[str, Any]]:
    slot = delivery_queries.update_slot(found)
    version = slot.update.version if slot.update else 0
    return slot, {
        "action": found.pk,
        "period": slot.period.name if slot.period else None,
        "update": _update(slot.update) if slot.update else None,
        "etag": etag(version),
        "refusal": slot.refusal or ("" if slot.period else "No quarter is open for updates."),
    }


@api.get(
    "/plan/actions/{action_id}/current-update",
    response=answers(schemas.UpdateSlot),
    tags=["Delivery Plan"],
)
def current_update(request: HttpRequest, action_id: Id, response: HttpResponse) -> dict:
    """The open quarter's update on an action, if sent, and the ETag to send a change with."""
    require(request, "delivery.view_plan")
    _, body = _slot(_plan_action(action_id))
    response["ETag"] = body["etag"]
    return body


@api.put(
    "/plan/actions/{action_id}/current-update",
    response=answers(schemas.UpdateSlot, writes=True),
    tags=["Delivery Plan"],
)
def send_update(
    request: HttpRequest, action_id: Id, body: schemas.UpdateIn, response: HttpResponse
) -> dict:
    """Send or correct the open quarter's progress update on an action your organisation owns.

    If-Match: the ETag of `GET …/current-update` ("0" before the quarter's first update).
    """
    needs_write(request)
    require(request, "delivery.send_updates")
    found = _plan_action(action_id)
    require(request, "delivery.update_action", found)
    slot, _ = _slot(found)
    if slot.refusal or slot.period is None:
        raise ApiError(409, "closed", slot.refusal or "No quarter is open for updates.")
    version = expect_version(request, slot.update.version if slot.update else 0, "update")
    try:
        with _acting(request):
            delivery_services.submit_update(
                action=found,
                period=slot.period,
                status=body.status.value,
                narrative=body.narrative,
                by=request.user,
                expected_version=version,
            )
    except delivery_services.DeliveryError as error:
        raise _refused(str(error), status=409 if "frozen" in str(error) else 422) from error
    _, answer = _slot(found)
    response["ETag"] = answer["etag"]
    return answer


def _acting(request: HttpRequest) -> Any:
    """The audit trail names the token as well as its person."""
    token = request.auth  # type: ignore[attr-defined]
    return audit.acting(request=request, via=f"API token “{token.name}” ({token.prefix}…)")


# ---- audits, training coverage, local profile, referral statistics -------------------------------


class RoundQuery(PageQuery):
    ordering: Literal["opens_on", "-opens_on", "name", "-name"] = "-opens_on"


@api.get("/audit-rounds", response=answers(schemas.AuditRoundPage), tags=["Audits"])
def audit_rounds(request: HttpRequest, query: Query[RoundQuery]) -> dict:
    require(request, "audits.view_audit")
    found = AuditRound.objects.order_by(query.ordering, "pk")
    return _page(found, query, lambda r: _fields(r, "id", "name", "kind", "opens_on", "closes_on"))


@api.get(
    "/audit-rounds/{round_id}/summary", response=answers(schemas.AuditSummary), tags=["Audits"]
)
def audit_summary(request: HttpRequest, round_id: Id) -> dict:
    """The round's figures: the same as `manage.py audit_summary --json`."""
    require(request, "audits.view_audit")
    found = get_object_or_404(AuditRound, pk=round_id)
    return audit_stats.analyse(found, breakdowns=False).summary()


class CoverageQuery(Schema):
    period: int | None = Field(
        None, ge=1, le=2_147_483_647, description="A period's id: coverage on its last day."
    )


@api.get("/training/coverage", response=answers(schemas.Coverage), tags=["Training"])
def training_coverage(request: HttpRequest, query: Query[CoverageQuery]) -> dict:
    """Staff trained and in date against staff needing training: counts, never people."""
    require(request, "training.view_coverage")
    today = timezone.localdate()
    on = today
    if query.period is not None:
        on = min(get_object_or_404(ReportingPeriod, pk=query.period).ends_on, today)
    return training_stats.coverage_json(training_stats.coverage(on))


@api.get("/training/levels", response=answers(list[schemas.Level]), tags=["Training"])
def training_levels(request: HttpRequest) -> list[dict]:
    """The Training Framework's levels, whose ids training delivered is recorded by."""
    require(request, "training.view_framework")
    return [
        _fields(level, "id", "name", "description", "refresh_months")
        for level in TrainingLevel.objects.order_by("position", "pk")
    ]


class IndicatorQuery(PageQuery):
    include_inactive: bool = False
    ordering: Literal["code", "-code", "name", "-name"] = "code"


@api.get(
    "/local-profile/indicators", response=answers(schemas.IndicatorPage), tags=["Local profile"]
)
def indicators(request: HttpRequest, query: Query[IndicatorQuery]) -> dict:
    require(request, "localprofile.view_indicators")
    found = Indicator.objects.order_by(query.ordering, "pk")
    if not query.include_inactive:
        found = found.filter(is_active=True)
    names = [name for name in schemas.Indicator.model_fields]
    return _page(found, query, lambda i: _fields(i, *names))


class ValuesQuery(Schema):
    period: int = Field(ge=1, le=2_147_483_647, description="A period's id.")


@api.get(
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


@api.get(
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


@api.get("/referral-statistics", response=answers(schemas.Statistics), tags=["Referral statistics"])
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
        raise _refused(str(error), field="period") from error
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


# ---- partner returns -----------------------------------------------------------------------------


def _return(found: PartnerReturn, today: datetime.date) -> dict[str, Any]:
    return {
        "id": found.pk,
        "kind": found.window.kind,
        "period": found.window.period.name,
        "organisation": found.organisation.name,
        "status": found.status,
        "due_on": found.window.due_on,
        "is_late": found.is_late or found.is_overdue(today),
        "version": found.version,
        "etag": etag(found.version),
    }


@api.get("/returns", response=answers(schemas.ReturnPage), tags=["Returns"])
def partner_returns(request: HttpRequest, query: Query[PageQuery]) -> dict:
    """The returns the caller's organisation owes or has sent, newest quarter first."""
    require(request, "returns.view_returns")
    today = timezone.localdate()
    rows = returns_queries.returns_of(request.user.organisation_id, today)
    return _page(rows, query, lambda row: _return(row.partner_return, today))


def _owed(request: HttpRequest, pk: int, kind: str) -> PartnerReturn:
    require(request, "returns.view_returns")
    found = get_object_or_404(
        PartnerReturn.objects.select_related("window__period", "organisation__sector"),
        pk=pk,
        window__kind=kind,
    )
    require(request, FILL, found)
    return found


def _training_return(found: PartnerReturn) -> dict[str, Any]:
    page = training_queries.training_return(found)
    return {
        **_return(found, timezone.localdate()),
        "workforce": [
            {
                "role_group": row.role_group.pk,
                "name": row.role_group.name,
                "staff": row.figure.staff if row.figure else None,
            }
            for row in page.workforce
        ],
        "sessions": [
            {
                **_fields(s, "id", "held_on", "mode", "facilitator"),
                "level": s.level_id,
                "product": s.product_id,
                "attendees": {str(a.role_group_id): a.attendees for a in s.attendance.all()},
            }
            for s in page.sessions
        ],
    }


def _answer(response: HttpResponse, body: dict[str, Any]) -> dict[str, Any]:
    response["ETag"] = body["etag"]
    return body


@api.get(
    "/training-returns/{return_id}", response=answers(schemas.TrainingReturn), tags=["Returns"]
)
def training_return(request: HttpRequest, return_id: Id, response: HttpResponse) -> dict:
    """A training return: its staff numbers and the training delivered in its quarter."""
    return _answer(response, _training_return(_owed(request, return_id, ReturnKind.TRAINING)))


def _by_id(model: Any, ids: Iterable[int], field: str) -> dict[int, Any]:
    wanted = set(ids)
    found = {item.pk: item for item in model.objects.filter(pk__in=wanted)}
    missing = sorted(wanted - found.keys())
    if missing:
        raise ApiError(
            422, "invalid", f"There is no {field} with the id {missing[0]}.", field=field
        )
    return found


def _role_groups(found: PartnerReturn, ids: Iterable[int], field: str) -> dict[int, Any]:
    groups = {group.pk: group for group in training_queries.role_groups_for(found.organisation)}
    for pk in ids:
        if pk not in groups:
            raise ApiError(
                422, "invalid", f"Role group {pk} is not one of your role groups.", field=field
            )
    return groups


def _training_write(request: HttpRequest, return_id: int) -> tuple[PartnerReturn, int]:
    needs_write(request)
    found = _owed(request, return_id, ReturnKind.TRAINING)
    return found, expect_version(request, found.version, "return")


def _training_refused(error: Exception) -> ApiError:
    return _refused(str(error), status=409 if "has been sent" in str(error) else 422)


@api.put(
    "/training-returns/{return_id}/workforce",
    response=answers(schemas.TrainingReturn, writes=True),
    tags=["Returns"],
)
def training_workforce(
    request: HttpRequest, return_id: Id, body: schemas.WorkforceIn, response: HttpResponse
) -> dict:
    """Set the staff needing training in each role group (the workforce form's service)."""
    found, version = _training_write(request, return_id)
    groups = _role_groups(found, [line.role_group for line in body.staff], "staff.role_group")
    staff = {groups[line.role_group]: line.staff for line in body.staff}
    try:
        with _acting(request):
            training_services.save_workforce(
                partner_return=found,
                as_of=body.as_of or found.window.period.ends_on,
                staff=staff,
                expected_version=version,
            )
    except training_services.TrainingError as error:
        raise _training_refused(error) from error
    found.refresh_from_db()
    return _answer(response, _training_return(found))


@api.post(
    "/training-returns/{return_id}/sessions",
    response=answers(schemas.TrainingReturn, writes=True, status=201),
    tags=["Returns"],
)
def training_session(
    request: HttpRequest, return_id: Id, body: schemas.SessionIn, response: HttpResponse
) -> Status:
    """Add training delivered, counted by role group (the session form's service)."""
    found, version = _training_write(request, return_id)
    period = found.window.period
    if not period.starts_on <= body.held_on <= period.ends_on:
        raise ApiError(422, "invalid", f"The date is not in {period.name}", field="held_on")
    groups = _role_groups(
        found, [line.role_group for line in body.attendees], "attendees.role_group"
    )
    level = _by_id(TrainingLevel, [body.level], "level")[body.level]
    product = (
        _by_id(TrainingProduct, [body.product], "product")[body.product] if body.product else None
    )
    try:
        with _acting(request):
            training_services.add_session(
                partner_return=found,
                expected_version=version,
                held_on=body.held_on,
                level=level,
                mode=body.mode.value,
                attendees={groups[line.role_group]: line.attendees for line in body.attendees},
                product=product,
                facilitator=body.facilitator,
                by=request.user,
            )
    except training_services.TrainingError as error:
        raise _training_refused(error) from error
    found.refresh_from_db()
    return Status(201, _answer(response, _training_return(found)))


@api.post(
    "/training-returns/{return_id}/submit",
    response=answers(schemas.TrainingReturn, writes=True),
    tags=["Returns"],
)
def training_submit(request: HttpRequest, return_id: Id, response: HttpResponse) -> dict:
    """Send the training return to the Prevent coordinator."""
    found, version = _training_write(request, return_id)
    try:
        with _acting(request):
            training_services.submit_training_return(
                partner_return=found, by=request.user, expected_version=version
            )
    except training_services.TrainingError as error:
        raise _training_refused(error) from error
    found.refresh_from_db()
    return _answer(response, _training_return(found))


def _data_return(found: PartnerReturn) -> dict[str, Any]:
    page = profile_queries.data_return(found)
    return {
        **_return(found, timezone.localdate()),
        "figures": [
            {
                "indicator": line.cell.indicator.pk,
                "indicator_code": line.cell.indicator.code,
                "district": line.cell.district.pk if line.cell.district else None,
                "where": line.cell.where,
                "value": line.entry.value,
                "note": line.entry.note,
                "previous": line.previous,
                "problems": line.problems,
            }
            for line in page.lines
        ],
    }


@api.get(
    "/local-profile-returns/{return_id}", response=answers(schemas.DataReturn), tags=["Returns"]
)
def data_return(request: HttpRequest, return_id: Id, response: HttpResponse) -> dict:
    """A local profile data return: every figure it asks for, what is stored, what blocks
    sending it."""
    return _answer(response, _data_return(_owed(request, return_id, ReturnKind.CTLP)))


def _profile_refused(error: profile_services.LocalProfileError) -> ApiError:
    problems = getattr(error, "problems", None)
    if problems:
        first = problems[0]
        indicator, district = first.key
        where = f"figures[indicator={indicator},district={district}].{first.field}"
        return _refused(first.message, field=where)
    return _refused(str(error), status=409 if "re-open" in str(error) else 422)


@api.put(
    "/local-profile-returns/{return_id}/figures",
    response=answers(schemas.DataReturn, writes=True),
    tags=["Returns"],
)
def data_return_figures(
    request: HttpRequest, return_id: Id, body: schemas.FiguresIn, response: HttpResponse
) -> dict:
    """Replace the draft return's figures, all or nothing, checked as the page checks them."""
    needs_write(request)
    found = _owed(request, return_id, ReturnKind.CTLP)
    version = expect_version(request, found.version, "return")
    entries = {
        (figure.indicator, figure.district): Entry(figure.value, figure.note)
        for figure in body.figures
    }
    if len(entries) != len(body.figures):
        raise ApiError(422, "invalid", "A figure is given twice.", field="figures")
    try:
        with _acting(request):
            profile_services.save_values(
                partner_return=found, entries=entries, by=request.user, expected_version=version
            )
    except profile_services.LocalProfileError as error:
        raise _profile_refused(error) from error
    found.refresh_from_db()
    return _answer(response, _data_return(found))


@api.post(
    "/local-profile-returns/{return_id}/submit",
    response=answers(schemas.DataReturn, writes=True),
    tags=["Returns"],
)
def data_return_submit(request: HttpRequest, return_id: Id, response: HttpResponse) -> dict:
    """Send the data return, once every required figure is there and every jump explained."""
    needs_write(request)
    found = _owed(request, return_id, ReturnKind.CTLP)
    version = expect_version(request, found.version, "return")
    try:
        with _acting(request):
            profile_services.submit_data_return(
                partner_return=found, by=request.user, expected_version=version
            )
    except profile_services.LocalProfileError as error:
        raise _profile_refused(error) from error
    found.refresh_from_db()
    return _answer(response, _data_return(found))
