"""The Delivery Plan: its actions and their progress updates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router

from preventhub.api import schemas
from preventhub.api.auth import ApiError, etag, expect_version, needs_write, require
from preventhub.api.endpoints.common import (
    Id,
    PageQuery,
    acting,
    answers,
    fields_of,
    one_page,
    ordered,
    refused,
)
from preventhub.delivery import queries as delivery_queries
from preventhub.delivery import services as delivery_services
from preventhub.delivery.models import PlanAction

router = Router()

# ---- the Delivery Plan ---------------------------------------------------------------------------


def _plan() -> Any:
    plan = delivery_queries.current_plan()
    if plan is None:
        raise ApiError(404, "not_found", "No Delivery Plan has been approved yet.")
    return plan


@router.get("/plan", response=answers(schemas.Plan), tags=["Delivery Plan"])
def plan(request: HttpRequest) -> dict:
    """The Delivery Plan in force: the approved version."""
    require(request, "delivery.view_plan")
    return fields_of(_plan(), "id", "title", "status", "approved_on")


@router.get("/plan/sections", response=answers(schemas.SectionPage), tags=["Delivery Plan"])
def sections(request: HttpRequest, query: Query[PageQuery]) -> dict:
    require(request, "delivery.view_plan")
    found = _plan().sections.order_by("position")
    return one_page(found, query, lambda s: fields_of(s, "id", "code", "title", "kind", "position"))


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
        **fields_of(action, "id", "reference", "title", "starts_on", "due_on", "status"),
        "section": action.section.code,
        "owner_organisation": action.owner_organisation_id,
        "district": action.district_id,
        "rag": row.state.rag,
        "is_overdue": row.is_overdue,
    }


@router.get("/plan/actions", response=answers(schemas.ActionPage), tags=["Delivery Plan"])
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
    return one_page(ordered(rows, query.ordering, keys), query, _action)


def _plan_action(pk: int) -> PlanAction:
    return get_object_or_404(
        PlanAction.objects.select_related("plan", "section", "owner_organisation"), pk=pk
    )


def _update(update: Any) -> dict[str, Any]:
    return {
        **fields_of(update, "id", "status", "narrative", "submitted_at", "is_late", "version"),
        "action": update.action_id,
        "period": update.period.name,
    }


@router.get(
    "/plan/actions/{action_id}/updates",
    response=answers(schemas.UpdatePage),
    tags=["Delivery Plan"],
)
def action_updates(request: HttpRequest, action_id: Id, query: Query[PageQuery]) -> dict:
    """Every quarter's progress update on an action, newest first."""
    require(request, "delivery.view_plan")
    found = _plan_action(action_id)
    updates = found.updates.select_related("period").order_by("-period__starts_on", "-pk")
    return one_page(updates, query, _update)


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


@router.get(
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


@router.put(
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
        with acting(request):
            delivery_services.submit_update(
                action=found,
                period=slot.period,
                status=body.status.value,
                narrative=body.narrative,
                by=request.user,
                expected_version=version,
            )
    except delivery_services.DeliveryError as error:
        raise refused(str(error), status=409 if "frozen" in str(error) else 422) from error
    _, answer = _slot(found)
    response["ETag"] = answer["etag"]
    return answer
