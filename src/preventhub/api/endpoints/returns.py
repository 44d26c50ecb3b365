"""Partner returns: training and local profile data returns, read, filled in and sent."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Status

from preventhub.api import schemas
from preventhub.api.auth import ApiError, etag, expect_version, needs_write, require
from preventhub.api.endpoints.common import (
    FILL,
    Id,
    PageQuery,
    acting,
    answers,
    fields_of,
    one_page,
    refused,
)
from preventhub.localprofile import queries as profile_queries
from preventhub.localprofile import services as profile_services
from preventhub.localprofile.checks import Entry
from preventhub.returns import queries as returns_queries
from preventhub.returns.models import PartnerReturn, ReturnKind
from preventhub.training import queries as training_queries
from preventhub.training import services as training_services
from preventhub.training.models import TrainingLevel, TrainingProduct

router = Router()

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


@router.get("/returns", response=answers(schemas.ReturnPage), tags=["Returns"])
def partner_returns(request: HttpRequest, query: Query[PageQuery]) -> dict:
    """The returns the caller's organisation owes or has sent, newest quarter first."""
    require(request, "returns.view_returns")
    today = timezone.localdate()
    rows = returns_queries.returns_of(request.user.organisation_id, today)
    return one_page(rows, query, lambda row: _return(row.partner_return, today))


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
                **fields_of(s, "id", "held_on", "mode", "facilitator"),
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


@router.get(
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
    return refused(str(error), status=409 if "has been sent" in str(error) else 422)


@router.put(
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
        with acting(request):
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


@router.post(
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
        with acting(request):
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


@router.post(
    "/training-returns/{return_id}/submit",
    response=answers(schemas.TrainingReturn, writes=True),
    tags=["Returns"],
)
def training_submit(request: HttpRequest, return_id: Id, response: HttpResponse) -> dict:
    """Send the training return to the Prevent coordinator."""
    found, version = _training_write(request, return_id)
    try:
        with acting(request):
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


@router.get(
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
        return refused(first.message, field=where)
    return refused(str(error), status=409 if "re-open" in str(error) else 422)


@router.put(
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
        with acting(request):
            profile_services.save_values(
                partner_return=found, entries=entries, by=request.user, expected_version=version
            )
    except profile_services.LocalProfileError as error:
        raise _profile_refused(error) from error
    found.refresh_from_db()
    return _answer(response, _data_return(found))


@router.post(
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
        with acting(request):
            profile_services.submit_data_return(
                partner_return=found, by=request.user, expected_version=version
            )
    except profile_services.LocalProfileError as error:
        raise _profile_refused(error) from error
    found.refresh_from_db()
    return _answer(response, _data_return(found))
