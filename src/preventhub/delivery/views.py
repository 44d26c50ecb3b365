from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from preventhub.core import audit
from preventhub.core.access import get_object_or_403, requires
from preventhub.core.concurrency import ConcurrentEditError
from preventhub.core.exports import table_response
from preventhub.core.linked import links_to
from preventhub.core.numbers import whole_number
from preventhub.core.pages import form_page
from preventhub.delivery import forms, queries, services
from preventhub.delivery.models import (
    DeliveryPlan,
    DistrictRisk,
    Evidence,
    PlanAction,
    ReminderRun,
    Section,
)
from preventhub.partnership import queries as partnership_queries
from preventhub.partnership import services as partnership_services
from preventhub.partnership.models import Area, ReportingPeriod
from preventhub.partnership.services import PartnershipError

VIEW = "delivery.view_plan"
EDIT = "delivery.edit_plan"
MANAGE_PERIODS = "delivery.manage_periods"
SEND_UPDATES = "delivery.send_updates"
UPDATE_ACTION = "delivery.update_action"


# ---- the plan, its filter and its downloads ------------------------------------------------------


def _chosen_plan(request: HttpRequest) -> DeliveryPlan | None:
    """The version asked for with ?plan=, else the plan in force."""
    asked = whole_number(request.GET.get("plan", ""))
    if asked is not None:
        return get_object_or_404(
            DeliveryPlan.objects.select_related("approved_at__board"), pk=asked
        )
    return queries.plan_shown()


@requires(VIEW)
def plan(request: HttpRequest) -> HttpResponse:
    chosen = _chosen_plan(request)
    form = forms.PlanFilterForm(request.GET, choices=queries.filter_choices(chosen))
    return render(
        request,
        "delivery/plan.html",
        {
            "page": queries.plan_page(chosen, form.criteria()),
            "form": form,
            "selected": form.selected(),
            "query": form.query(),
            "clear_query": form.clear_query(),
            "can_edit": request.user.has_perm(EDIT),
            "districts": list(partnership_queries.districts()),
        },
    )


@requires(VIEW)
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    chosen = _chosen_plan(request)
    if chosen is None:
        raise Http404("There is no plan yet")
    form = forms.PlanFilterForm(request.GET, choices=queries.filter_choices(chosen))
    table = queries.plan_table(chosen, form.criteria())
    response = table_response(table, filename="delivery-plan", fmt=fmt)
    audit.record_export(
        what="delivery.planaction", rows=len(table.rows), detail=f"{fmt} {form.query()}"
    )
    return response


# ---- plan versions -------------------------------------------------------------------------------


def _plan_url(found: DeliveryPlan) -> str:
    return f"{reverse('delivery:plan')}?plan={found.pk}"


@requires(VIEW)
def versions(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "delivery/versions.html",
        {"rows": queries.versions(), "can_edit": request.user.has_perm(EDIT)},
    )


@requires(EDIT)
def plan_new(request: HttpRequest) -> HttpResponse:
    form = forms.PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = services.create_plan(**form.service_arguments())
        messages.success(request, f"Created the draft {created.title}.")
        return redirect(_plan_url(created))
    return form_page(
        request,
        form=form,
        title="Create a draft plan",
        intro="It starts with the plan's ten sections: three partnership sections and seven "
        "sector sections.",
        submit_label="Create draft",
        back_url=reverse("delivery:versions"),
    )


@requires(EDIT)
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(DeliveryPlan, pk=pk)
    form = forms.ApprovePlanForm(
        request.POST or None, initial={"approved_on": datetime.date.today()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.approve_plan(plan=found, **form.service_arguments())
        except services.DeliveryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{found.title} is approved: it is now the plan in force.")
            return redirect("delivery:versions")
    return form_page(
        request,
        form=form,
        title=f"Approve {found.title}",
        intro="The version approved before it becomes superseded: it is kept, unchanged, "
        "as history.",
        submit_label="Approve",
        back_url=reverse("delivery:versions"),
    )


@requires(EDIT)
def plan_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(DeliveryPlan, pk=pk)
    form = forms.PlanForm.for_instance(found, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.refresh_plan(plan=found, **form.service_arguments())
        except services.DeliveryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Created the draft {draft.title} from {found.title}.")
            return redirect(_plan_url(draft))
    return form_page(
        request,
        form=form,
        title=f"Refresh {found.title}",
        intro="A refresh is a new draft version. Open actions are carried over with their "
        "owners, sources and links; finished actions stay in this version as history.",
        submit_label="Create the refreshed draft",
        back_url=reverse("delivery:versions"),
    )


@requires(VIEW)
def compare(request: HttpRequest, a: int, b: int) -> HttpResponse:
    older = get_object_or_404(DeliveryPlan, pk=a)
    newer = get_object_or_404(DeliveryPlan, pk=b)
    return render(
        request,
        "delivery/compare.html",
        {"comparison": services.compare_plans(older=older, newer=newer)},
    )


# ---- actions -------------------------------------------------------------------------------------


@requires(VIEW)
def action(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_403(
        request.user,
        VIEW,
        PlanAction.objects.select_related(
            "plan", "section", "owner_organisation", "lead", "district", "predecessor__plan"
        ),
        pk=pk,
    )
    detail = queries.action_detail(found)
    return render(
        request,
        "delivery/action.html",
        {
            "detail": detail,
            "linked": links_to(request.user, found),
            "can_edit": request.user.has_perm(EDIT)
            and found.plan.status != DeliveryPlan.Status.SUPERSEDED,
            "can_update": detail.open_period is not None
            and found.plan.status == DeliveryPlan.Status.APPROVED
            and request.user.has_perm(SEND_UPDATES)
            and request.user.has_perm(UPDATE_ACTION, found),
        },
    )


def _action_form_page(
    request: HttpRequest, owner: DeliveryPlan, found: PlanAction | None
) -> HttpResponse:
    form = forms.ActionForm.for_instance(found, request.POST or None, plan=owner, action=found)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_action(action=found, plan=owner, **form.service_arguments())
        except (services.DeliveryError, ConcurrentEditError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved {saved.reference} {saved.title}.")
            return redirect("delivery:action", pk=saved.pk)
    return form_page(
        request,
        form=form,
        title=f"Change {found.reference}" if found else "Add an action",
        caption=owner.title,
        back_url=reverse("delivery:action", args=[found.pk]) if found else _plan_url(owner),
    )


@requires(EDIT)
def action_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _action_form_page(request, get_object_or_404(DeliveryPlan, pk=pk), None)


@requires(EDIT)
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(PlanAction.objects.select_related("plan"), pk=pk)
    return _action_form_page(request, found.plan, found)


# ---- progress updates and their evidence ---------------------------------------------------------


@requires(SEND_UPDATES)
def my_updates(request: HttpRequest) -> HttpResponse:
    return render(
        request, "delivery/my_updates.html", {"updates": queries.my_updates(request.user)}
    )


@requires(SEND_UPDATES)
def update(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_403(
        request.user,
        UPDATE_ACTION,
        PlanAction.objects.select_related("plan", "section", "owner_organisation"),
        pk=pk,
    )
    slot = queries.update_slot(found)
    sent = slot.update
    initial = {
        "period": slot.period.pk if slot.period else None,
        "status": sent.status if sent else found.status,
        "narrative": sent.narrative if sent else "",
        "version": sent.version if sent else None,
    }
    form = forms.UpdateForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and not slot.refusal and form.is_valid():
        try:
            saved = services.submit_update(
                action=found, by=request.user, **form.service_arguments()
            )
        except (services.DeliveryError, ConcurrentEditError) as error:
            form.add_error(None, str(error))
        else:
            late = (
                f" It is marked late: updates were due by {saved.period.updates_due_on:%-d %B %Y}."
                if saved.is_late
                else ""
            )
            messages.success(
                request, f"Sent the update on {found.reference} for {saved.period}.{late}"
            )
            return redirect("delivery:action", pk=found.pk)
    return render(request, "delivery/update.html", {"form": form, "action": found, "slot": slot})


@requires(VIEW)
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Evidence.objects.select_related("update__action"), pk=pk)
    if not request.user.has_perm(VIEW, found.update.action):
        raise PermissionDenied
    try:
        handle = found.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("The evidence file is missing") from error
    audit.record_access(found, purpose=f"Downloaded evidence for {found.update}")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=found.original_name,
        content_type=found.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---- the quarterly cycle -------------------------------------------------------------------------


@requires(MANAGE_PERIODS)
def periods(request: HttpRequest) -> HttpResponse:
    page = queries.periods_page()
    current = page.open_period
    return render(
        request,
        "delivery/periods.html",
        {
            "page": page,
            "reminder_run": queries.latest_reminder_run(current),
            "cannot_remind": queries.reminders_owed(current).not_reminded if current else [],
        },
    )


@requires(MANAGE_PERIODS)
def period_new(request: HttpRequest) -> HttpResponse:
    form = forms.PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = partnership_services.create_period(**form.service_arguments())
        except PartnershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Added {created}. Open it when updates are due.")
            return redirect("delivery:periods")
    return form_page(
        request,
        form=form,
        title="Add a quarter",
        submit_label="Add quarter",
        back_url=reverse("delivery:periods"),
    )


@requires(MANAGE_PERIODS)
@require_POST
def period_open(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(ReportingPeriod, pk=pk)
    try:
        partnership_services.open_period(period=found)
    except PartnershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{found} is open for updates.")
    return redirect("delivery:periods")


@requires(MANAGE_PERIODS)
@require_POST
def period_remind(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(ReportingPeriod, pk=pk)
    try:
        run = services.queue_reminders(
            period=found, by=request.user, site_url=request.build_absolute_uri("/")
        )
    except services.DeliveryError as error:
        messages.error(request, str(error))
        return redirect("delivery:periods")
    return redirect("delivery:reminder_run", pk=run.pk)


@requires(MANAGE_PERIODS)
def reminder_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ReminderRun.objects.select_related("period", "requested_by"), pk=pk)
    return render(request, "delivery/reminder_run.html", {"run": run})


@requires(MANAGE_PERIODS)
def period_close(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(ReportingPeriod, pk=pk)
    if request.method == "POST":
        try:
            missing = services.close_period(period=found)
        except (services.DeliveryError, PartnershipError) as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"{found} is closed and its updates are frozen. "
                f"{len(missing)} action{pluralize(len(missing))} had no update.",
            )
        return redirect("delivery:periods")
    due, missing = (
        queries.missing_updates(found) if found.status == ReportingPeriod.Status.OPEN else (0, [])
    )
    return render(
        request,
        "delivery/period_close.html",
        {
            "period": found,
            "due": due,
            "missing": missing,
            "missing_count": sum(len(group.actions) for group in missing),
        },
    )


@requires(MANAGE_PERIODS)
def period_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(ReportingPeriod, pk=pk)
    form = forms.PeriodMeetingForm.for_instance(found, request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = partnership_services.link_board_meeting(period=found, **form.service_arguments())
        meeting = saved.board_meeting
        messages.success(
            request,
            f"{saved}'s report goes to the {meeting.board} meeting on "
            f"{date_format(meeting.held_on)}."
            if meeting
            else f"{saved}'s Board meeting is not decided yet.",
        )
        return redirect("delivery:periods")
    return form_page(
        request,
        form=form,
        title=f"The Board meeting for {found}",
        caption="Quarterly cycle",
        submit_label="Save",
        back_url=reverse("delivery:periods"),
    )


@requires(MANAGE_PERIODS)
def period_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(ReportingPeriod, pk=pk)
    form = forms.ReopenPeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partnership_services.reopen_period(
                period=found, by=request.user, reason=form.cleaned_data["reason"]
            )
        except PartnershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"{found} is open again: updates can be sent and changed until you close it.",
            )
            return redirect("delivery:periods")
    return form_page(
        request,
        form=form,
        title=f"Re-open {found}",
        caption="Quarterly cycle",
        intro="Its updates can be sent and changed again, and its Board report waits until you "
        "close it again. Only one quarter can be open at a time.",
        submit_label=f"Re-open {found}",
        back_url=reverse("delivery:periods"),
    )


# ---- districts -----------------------------------------------------------------------------------


def _district(gss_code: str) -> Area:
    return get_object_or_404(Area, gss_code=gss_code, kind=Area.Kind.DISTRICT)


@requires(VIEW)
def district(request: HttpRequest, gss_code: str) -> HttpResponse:
    area = _district(gss_code)
    return render(
        request,
        "delivery/district.html",
        {
            "detail": queries.district_plan(area),
            "can_edit_risks": request.user.has_perm("delivery.edit_district_risks", area),
        },
    )


def _risk_form_page(request: HttpRequest, area: Area, found: DistrictRisk | None) -> HttpResponse:
    form = forms.RiskForm.for_instance(
        found, request.POST or None, plan=queries.plan_shown(), area=area
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_district_risk(risk=found, district=area, **form.service_arguments())
        except (services.DeliveryError, ConcurrentEditError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved the risk to {area.name}.")
            return redirect("delivery:district", gss_code=area.gss_code)
    return form_page(
        request,
        form=form,
        title="Change a risk" if found else "Add a risk",
        caption=area.name,
        intro="Rate the risk to the district: likelihood times impact gives its rating.",
        back_url=reverse("delivery:district", args=[area.gss_code]),
    )


@requires(VIEW)
def risk_new(request: HttpRequest, gss_code: str) -> HttpResponse:
    area = _district(gss_code)
    if not request.user.has_perm("delivery.edit_district_risks", area):
        raise PermissionDenied
    return _risk_form_page(request, area, None)


@requires(VIEW)
def risk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(DistrictRisk.objects.select_related("district"), pk=pk)
    if not request.user.has_perm("delivery.edit_district_risks", found):
        raise PermissionDenied
    return _risk_form_page(request, found.district, found)


def _section_form_page(
    request: HttpRequest, owner: DeliveryPlan, found: Section | None
) -> HttpResponse:
    form = forms.SectionForm.for_instance(found, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_section(section=found, plan=owner, **form.service_arguments())
        except services.DeliveryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved the section {form.cleaned_data['title']}.")
            return redirect(f"{reverse('delivery:plan')}?plan={owner.pk}")
    return form_page(
        request,
        form=form,
        title=f"Change {found.title}" if found else "Add a section",
        caption=owner.title,
        back_url=f"{reverse('delivery:plan')}?plan={owner.pk}",
    )


@requires(EDIT)
def section_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _section_form_page(request, get_object_or_404(DeliveryPlan, pk=pk), None)


@requires(EDIT)
def section_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Section.objects.select_related("plan"), pk=pk)
    return _section_form_page(request, found.plan, found)
