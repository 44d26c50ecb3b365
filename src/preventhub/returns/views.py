from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_POST

from preventhub.core.access import requires
from preventhub.core.concurrency import ConcurrentEditError
from preventhub.core.pages import form_page
from preventhub.returns import forms, queries, services
from preventhub.returns.models import RETURN_PAGES, PartnerReturn, ReminderRun, ReturnWindow
from preventhub.returns.pages import pressed_at

VIEW = "returns.view_returns"
MANAGE = "returns.manage_returns"


@requires(VIEW)
def index(request: HttpRequest) -> HttpResponse:
    manages = request.user.has_perm(MANAGE)
    return render(
        request,
        "returns/index.html",
        {
            "manages": manages,
            "windows": queries.windows() if manages else [],
            "mine": queries.returns_of(request.user.organisation_id),
            "organisation": request.user.organisation,
        },
    )


@requires(MANAGE)
def window_new(request: HttpRequest) -> HttpResponse:
    form = forms.WindowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            window = services.open_window(by=request.user, **form.service_arguments())
        except services.ReturnError as error:
            form.add_error(None, str(error))
        else:
            owed = window.returns.count()
            messages.success(request, f"Asked {owed} organisation{pluralize(owed)} for {window}.")
            return redirect("returns:window", pk=window.pk)
    return form_page(
        request,
        form=form,
        title="Open a return window",
        intro="Each organisation you choose sees the return on its home page until it is sent.",
        submit_label="Open window",
        back_url=reverse("returns:index"),
    )


@requires(MANAGE)
def window(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(ReturnWindow.objects.select_related("period"), pk=pk)
    return render(
        request,
        "returns/window.html",
        {"page": queries.window_page(found), "reminder_run": queries.latest_reminder_run(found)},
    )


@requires(MANAGE)
@require_POST
def window_remind(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(ReturnWindow.objects.select_related("period"), pk=pk)
    run = services.queue_reminders(
        window=found, by=request.user, site_url=request.build_absolute_uri("/")
    )
    return redirect("returns:reminder_run", pk=run.pk)


@requires(MANAGE)
def reminder_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(
        ReminderRun.objects.select_related("window__period", "requested_by"), pk=pk
    )
    return render(request, "returns/reminder_run.html", {"run": run})


def _return_url(found: PartnerReturn) -> str:
    return reverse(RETURN_PAGES[found.window.kind], args=[found.pk])


@requires(MANAGE)
@require_POST
def return_accept(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(PartnerReturn.objects.select_related("window"), pk=pk)
    version = pressed_at(request)
    if version is None:
        return redirect(_return_url(found))
    try:
        services.accept_return(partner_return=found, by=request.user, expected_version=version)
    except (services.ReturnError, ConcurrentEditError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Accepted the return from {found.organisation}.")
    return redirect(_return_url(found))


def _reason_page(request: HttpRequest, pk: int, *, reopening: bool) -> HttpResponse:
    found = get_object_or_404(
        PartnerReturn.objects.select_related("window__period", "organisation"), pk=pk
    )
    form = forms.ReasonForm.for_instance(found, request.POST or None)
    if request.method == "POST" and form.is_valid():
        step = services.reopen if reopening else services.send_back
        try:
            step(partner_return=found, by=request.user, **form.service_arguments())
        except (services.ReturnError, ConcurrentEditError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Re-opened the return from {found.organisation}."
                if reopening
                else f"Returned the return to {found.organisation} for correction.",
            )
            return redirect(_return_url(found))
    return form_page(
        request,
        form=form,
        title="Re-open this return" if reopening else "Return it for correction",
        caption=str(found),
        submit_label="Re-open return" if reopening else "Return for correction",
        back_url=_return_url(found),
    )


@requires(MANAGE)
def return_send_back(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_page(request, pk, reopening=False)


@requires(MANAGE)
def return_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_page(request, pk, reopening=True)
