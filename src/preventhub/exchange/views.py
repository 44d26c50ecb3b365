from __future__ import annotations

import datetime
from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from preventhub.core.access import get_object_or_403, requires
from preventhub.core.concurrency import ConcurrentEditError
from preventhub.core.pages import form_page
from preventhub.exchange import forms, queries, services
from preventhub.exchange.models import SharingRequest


def _today() -> datetime.date:
    return datetime.date.today()


@requires("exchange.view_requests")
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "exchange/index.html",
        {
            "rows": queries.request_rows(request.user, today=_today()),
            "can_request": request.user.has_perm("exchange.make_request")
            and request.user.organisation_id is not None,
        },
    )


@requires("exchange.make_request")
def request_new(request: HttpRequest) -> HttpResponse:
    requester = request.user.organisation
    if requester is None:
        messages.error(request, "Your account names no organisation, so you cannot make a request.")
        return redirect("exchange:index")
    form = forms.RequestForm.for_instance(
        None,
        request.POST or None,
        initial={"respond_by": _today() + datetime.timedelta(days=10)},
        requester=requester,
    )
    if request.method == "POST" and form.is_valid():
        try:
            made = services.make_request(
                requesting_organisation=requester,
                by=request.user,
                today=_today(),
                **form.service_arguments(),
            )
        except services.ExchangeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Sent {made.reference} to {made.receiving_organisation}.")
            return redirect("exchange:request", pk=made.pk)
    return form_page(
        request,
        form=form,
        title="Ask a partner for information",
        caption=f"From {requester}",
        intro="Say what you are asking for and why. Never name or describe the person: give the "
        "casework reference if there is one. The information itself is sent by your secure route, "
        "not through Prevent Hub.",
        submit_label="Send request",
        back_url=reverse("exchange:index"),
    )


@requires("exchange.view_requests")
def request_page(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_403(
        request.user,
        "exchange.view_request",
        SharingRequest.objects.select_related(
            "requesting_organisation", "receiving_organisation", "requested_by"
        ),
        pk=pk,
    )
    user = request.user
    status = SharingRequest.Status
    return render(
        request,
        "exchange/request.html",
        {
            "found": found,
            "events": queries.events_of(found),
            "is_overdue": found.is_overdue(_today()),
            "can_decide": found.status == status.REQUESTED
            and user.has_perm("exchange.decide_request", found),
            "can_respond": found.status == status.APPROVED
            and user.has_perm("exchange.respond_request", found),
            "can_close": found.status != status.CLOSED
            and user.has_perm("exchange.close_request", found),
        },
    )


def _step(
    request: HttpRequest,
    pk: int,
    *,
    permission: str,
    form_class: type,
    title: str,
    submit_label: str,
    service: Callable[..., SharingRequest],
    done: str,
) -> HttpResponse:
    found = get_object_or_403(request.user, permission, SharingRequest, pk=pk)
    form = form_class.for_instance(found, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(request=found, by=request.user, **form.service_arguments())
        except (services.ExchangeError, ConcurrentEditError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{found.reference}: {done}.")
            return redirect("exchange:request", pk=found.pk)
    return form_page(
        request,
        form=form,
        title=title,
        caption=f"{found.reference}: {found.about}",
        submit_label=submit_label,
        back_url=reverse("exchange:request", args=[found.pk]),
    )


@requires("exchange.decide_request")
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        permission="exchange.decide_request",
        form_class=forms.DecisionForm,
        title="Approve or refuse the request",
        submit_label="Record the decision",
        service=services.decide,
        done="decision recorded",
    )


@requires("exchange.respond_request")
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        permission="exchange.respond_request",
        form_class=forms.ResponseForm,
        title="Record your answer",
        submit_label="Record the answer",
        service=services.respond,
        done="answer recorded",
    )


@requires("exchange.close_request")
def close(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        permission="exchange.close_request",
        form_class=forms.CloseForm,
        title="Close the request",
        submit_label="Close it",
        service=services.close,
        done="closed",
    )
