from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from preventhub.core import audit
from preventhub.core.access import get_object_or_403, requires
from preventhub.core.concurrency import ConcurrentEditError
from preventhub.core.exports import table_response
from preventhub.core.pages import form_page
from preventhub.core.roles import Role, roles_of
from preventhub.engagement import forms, queries, services, stats
from preventhub.engagement.models import (
    Activity,
    Audience,
    Channel,
    CommunicationObjective,
    KeyMessage,
    MessageVersion,
)
from preventhub.partnership.models import Area

VIEW_PLAN = "engagement.view_plan"
EDIT_PLAN = "engagement.edit_plan"
VIEW_ACTIVITIES = "engagement.view_activities"
RECORD = "engagement.record_activity"
VIEW_FIGURES = "engagement.view_figures"


def _today() -> datetime.date:
    return datetime.date.today()


# ---- activities ----------------------------------------------------------------------------------


@requires(VIEW_ACTIVITIES)
def index(request: HttpRequest) -> HttpResponse:
    form = forms.ActivityFilterForm(request.GET or None)
    found = list(queries.activities(form.chosen()))
    return render(
        request,
        "engagement/index.html",
        {
            "form": form,
            "activities": found,
            "query": request.GET.urlencode(),
            "can_record": request.user.has_perm(RECORD),
            "section": "activities",
        },
    )


@requires(VIEW_ACTIVITIES)
def activities_export(request: HttpRequest, fmt: str) -> HttpResponse:
    form = forms.ActivityFilterForm(request.GET or None)
    found = queries.activities(form.chosen())
    table = stats.activities_table(found, title="Engagement activities")
    audit.record_export(what="engagement.activity", rows=len(table.rows))
    return table_response(table, filename="engagement-activities", fmt=fmt)


@requires(VIEW_ACTIVITIES)
def calendar(request: HttpRequest) -> HttpResponse:
    today = _today()
    first = queries.month_of(request.GET.get("month", ""), today)
    form = forms.CalendarForm(request.GET or None, initial={"month": first.strftime("%Y-%m")})
    district = form.chosen_district()
    month = queries.calendar_month(first, today=today, district=district)
    return render(
        request,
        "engagement/calendar.html",
        {
            "month": month,
            "form": form,
            "district": district,
            "section": "calendar",
            "can_record": request.user.has_perm(RECORD),
        },
    )


@requires(VIEW_ACTIVITIES)
def activity(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Activity, pk=pk)
    return render(
        request,
        "engagement/activity.html",
        {
            "activity": queries.activity_detail(found.pk),
            "is_planned": found.held_on > _today(),
            "can_edit": request.user.has_perm(RECORD, found),
            "section": "activities",
        },
    )


def _own_district(request: HttpRequest) -> Area | None:
    """The district a district lead records for; None for the coordinator, who records any."""
    roles = roles_of(request.user)
    if Role.COORDINATOR in roles:
        return None
    if Role.DISTRICT_LEAD in roles and request.user.district_id:
        return request.user.district
    raise PermissionDenied


def _activity_form(request: HttpRequest, found: Activity | None) -> HttpResponse:
    own = _own_district(request)
    form = forms.ActivityForm.for_instance(
        found,
        request.POST or None,
        initial={"held_on": _today(), "district": own.pk if own else None},
        own_district=own,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_activity(
                activity=found, by=request.user, today=_today(), **form.service_arguments()
            )
        except (services.EngagementError, ConcurrentEditError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved {saved.title}.")
            return redirect("engagement:activity", pk=saved.pk)
    return form_page(
        request,
        form=form,
        title="Change the activity" if found else "Record an engagement activity",
        intro="Record an activity before it happens to plan it, and add its reach, feedback and "
        "outcomes afterwards. Counts only: never name anyone who took part.",
        back_url=reverse("engagement:activity", args=[found.pk])
        if found
        else reverse("engagement:index"),
    )


@requires(RECORD)
def activity_new(request: HttpRequest) -> HttpResponse:
    return _activity_form(request, None)


@requires(RECORD)
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_403(request.user, RECORD, Activity, pk=pk)
    return _activity_form(request, found)


# ---- the communication plan ----------------------------------------------------------------------


@requires(VIEW_PLAN)
def plan(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "engagement/plan.html",
        {
            "page": queries.plan_page(),
            "audiences": Audience.choices,
            "channels": Channel.choices,
            "can_edit": request.user.has_perm(EDIT_PLAN),
            "section": "plan",
        },
    )


def _objective_form(request: HttpRequest, found: CommunicationObjective | None) -> HttpResponse:
    form = forms.ObjectiveForm.for_instance(found, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_objective(objective=found, **form.service_arguments())
        except (services.EngagementError, ConcurrentEditError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved the objective {saved}.")
            return redirect("engagement:plan")
    return form_page(
        request,
        form=form,
        title="Change the objective" if found else "Add a communication objective",
        back_url=reverse("engagement:plan"),
    )


@requires(EDIT_PLAN)
def objective_new(request: HttpRequest) -> HttpResponse:
    return _objective_form(request, None)


@requires(EDIT_PLAN)
def objective_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _objective_form(request, get_object_or_404(CommunicationObjective, pk=pk))


@requires(VIEW_PLAN)
def message(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(KeyMessage, pk=pk)
    found, row, versions = queries.message_detail(pk)
    return render(
        request,
        "engagement/message.html",
        {
            "message": found,
            "row": row,
            "versions": versions,
            "can_edit": request.user.has_perm(EDIT_PLAN),
            "section": "plan",
        },
    )


def _message_form(request: HttpRequest, found: KeyMessage | None) -> HttpResponse:
    form = forms.MessageForm.for_instance(found, request.POST or None, editing=found is not None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_message(
                message=found, by=request.user, **form.service_arguments()
            )
        except (services.EngagementError, ConcurrentEditError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved the key message {saved}.")
            return redirect("engagement:message", pk=saved.pk)
    return form_page(
        request,
        form=form,
        title="Change the key message" if found else "Add a key message",
        back_url=reverse("engagement:plan"),
    )


@requires(EDIT_PLAN)
def message_new(request: HttpRequest) -> HttpResponse:
    return _message_form(request, None)


@requires(EDIT_PLAN)
def message_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _message_form(request, get_object_or_404(KeyMessage, pk=pk))


@requires(EDIT_PLAN)
def message_version_new(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(KeyMessage, pk=pk)
    form = forms.MessageVersionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            drafted = services.draft_message_version(
                message=found, by=request.user, **form.service_arguments()
            )
        except services.EngagementError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Drafted version {drafted.number}. Approve it to use it.")
            return redirect("engagement:message", pk=found.pk)
    return form_page(
        request,
        form=form,
        title="Draft a new wording",
        caption=found.title,
        intro="Partners keep using the approved wording until you approve this one.",
        back_url=reverse("engagement:message", args=[found.pk]),
    )


@requires(EDIT_PLAN)
@require_POST
def message_version_approve(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(MessageVersion.objects.select_related("message"), pk=pk)
    try:
        services.approve_message_version(version=found, on=_today(), by=request.user)
    except services.EngagementError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Approved version {found.number}: partners now use it.")
    return redirect("engagement:message", pk=found.message_id)


# ---- figures -------------------------------------------------------------------------------------


def _year(request: HttpRequest) -> tuple[forms.FiguresForm, int]:
    today = _today()
    this_year = stats.current_year(today)
    years = [(year, stats.year_span(year)[0]) for year in range(this_year, this_year - 9, -1)]
    form = forms.FiguresForm(request.GET or None, years=years)
    chosen = form.cleaned_data.get("year") if form.is_valid() else None
    return form, chosen or this_year


@requires(VIEW_FIGURES)
def figures(request: HttpRequest) -> HttpResponse:
    form, year = _year(request)
    title, starts_on, ends_on = stats.year_span(year)
    found = stats.figures(date_from=starts_on, date_to=ends_on, today=_today(), title=title)
    return render(
        request,
        "engagement/figures.html",
        {"form": form, "figures": found, "year": year, "section": "figures"},
    )


@requires(VIEW_FIGURES)
def figures_export(request: HttpRequest, fmt: str) -> HttpResponse:
    _, year = _year(request)
    title, starts_on, ends_on = stats.year_span(year)
    table = stats.figures_table(date_from=starts_on, date_to=ends_on, today=_today(), title=title)
    audit.record_export(what="engagement.figures", rows=len(table.rows), detail=title)
    return table_response(table, filename=f"engagement-figures-{year}", fmt=fmt)


# ---- districts -----------------------------------------------------------------------------------


@requires("engagement.view_districts")
def districts(request: HttpRequest) -> HttpResponse:
    roles = roles_of(request.user)
    if Role.COORDINATOR not in roles:
        if not request.user.district_id:
            raise PermissionDenied
        return redirect("engagement:district", pk=request.user.district_id)
    today = _today()
    title, starts_on, ends_on = stats.year_span(stats.current_year(today))
    found = stats.figures(date_from=starts_on, date_to=ends_on, today=today, title=title)
    areas = list(Area.objects.filter(kind=Area.Kind.DISTRICT).order_by("name"))
    return render(
        request,
        "engagement/districts.html",
        {
            "figures": found,
            "rows": list(zip(areas, found.by_district, strict=False)),
            "section": "districts",
        },
    )


@requires("engagement.view_districts")
def district(request: HttpRequest, pk: int) -> HttpResponse:
    area = get_object_or_403(
        request.user,
        "engagement.view_district",
        Area.objects.filter(kind=Area.Kind.DISTRICT),
        pk=pk,
    )
    today = _today()
    title, starts_on, ends_on = stats.year_span(stats.current_year(today))
    quarters = stats.referral_quarters(today)
    chosen = next(
        (period for period in quarters if period.code == request.GET.get("quarter")),
        quarters[0] if quarters else None,
    )
    return render(
        request,
        "engagement/district.html",
        {
            "district": area,
            "quarters": quarters,
            "referrals": stats.district_referrals(area, period=chosen, today=today)
            if chosen
            else None,
            "figures": stats.figures(
                date_from=starts_on, date_to=ends_on, today=today, title=title, district=area
            ),
            "planned": list(queries.planned_this_month(today=today, district=area)),
            "recent": list(
                queries.activities(queries.ActivityFilter(district=area, date_to=today))[:10]
            ),
            "section": "districts",
        },
    )
