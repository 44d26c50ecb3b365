"""Channel pages: panel meetings and their case agenda, decisions, assignments, assessment,
consent, the support plan, exit, reviews, transfers and closing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from preventhub.accounts.models import User
from preventhub.casework import queries, services
from preventhub.casework.forms import (
    AgendaForm,
    AssessmentForm,
    AssignForm,
    ConsentForm,
    DateForm,
    DecisionForm,
    ExitForm,
    InterventionForm,
    NoteForm,
    OnwardForm,
    ReviewForm,
    TransferForm,
)
from preventhub.casework.models import AgendaEntry, CaseAssignment, ExitReview, Referral
from preventhub.casework.views.referrals import case_or_404
from preventhub.core import audit
from preventhub.core.access import requires
from preventhub.core.pages import form_page
from preventhub.core.roles import Role
from preventhub.partnership.models import Meeting


def _case_form(
    request: HttpRequest,
    pk: int,
    *,
    permission: str,
    form_class: type[forms.Form],
    title: str,
    save: Callable[[Referral, dict[str, Any]], Any],
    submit_label: str = "Save",
    intro: str | Callable[[Referral], str] = "",
    form_kwargs: Callable[[Referral], dict[str, Any]] | None = None,
    template: str = "",
) -> HttpResponse:
    """One form about one case: checked, logged, saved by one service, back to the case."""
    case = case_or_404(request, pk, permission=permission, purpose=f"Opened: {title}")
    extra = form_kwargs(case) if form_kwargs else {}
    form = form_class(request.POST or None, initial={"on": timezone.localdate()}, **extra)
    if request.method == "POST" and form.is_valid():
        try:
            save(case, form.cleaned_data)
        except services.CaseworkError as error:
            form.add_error(None, str(error))
        else:
            return redirect("casework:referral", pk=case.pk)
    context = {
        "form": form,
        "title": title,
        "caption": case.reference,
        "intro": intro(case) if callable(intro) else intro,
        "back_url": reverse("casework:referral", args=[case.pk]),
        "submit_label": submit_label,
    }
    if template:
        return render(request, template, {**context, "case": case})
    return form_page(request, **context)


# ---- meetings --------------------------------------------------------------------------------


@requires("casework.chair_meetings")
def meetings(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "casework/meetings.html",
        {
            "meetings": list(queries.channel_meetings(request.user).select_related("board")),
            "overdue": queries.overdue_reviews(request.user),
        },
    )


def _meeting_or_404(request: HttpRequest, pk: int) -> Meeting:
    meeting = Meeting.objects.select_related("board").filter(pk=pk).first()
    if meeting is None or not request.user.has_perm("casework.chair_meetings", meeting):
        raise Http404
    return meeting


@requires("casework.chair_meetings", hide=True)
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    panel_meeting = _meeting_or_404(request, pk)
    rows = queries.meeting_agenda(panel_meeting)
    for row in rows:
        audit.record_access(row.entry.referral, purpose="Listed on a panel meeting's agenda")
    form = AgendaForm(cases=queries.cases_for_agenda(panel_meeting))
    return render(
        request,
        "casework/meeting.html",
        {"meeting": panel_meeting, "rows": rows, "form": form},
    )


@requires("casework.chair_meetings", hide=True)
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    panel_meeting = _meeting_or_404(request, pk)
    form = AgendaForm(request.POST or None, cases=queries.cases_for_agenda(panel_meeting))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_to_agenda(
                referral=form.cleaned_data["referral"], meeting=panel_meeting, by=request.user
            )
        except services.CaseworkError as error:
            form.add_error(None, str(error))
        else:
            return redirect("casework:meeting", pk=panel_meeting.pk)
    return form_page(
        request,
        form=form,
        title="Add a case to the agenda",
        caption=str(panel_meeting),
        back_url=reverse("casework:meeting", args=[panel_meeting.pk]),
        submit_label="Add to the agenda",
    )


@requires("casework.chair_meetings", hide=True)
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    entry = AgendaEntry.objects.select_related("meeting", "referral").filter(pk=pk).first()
    if entry is None or not request.user.has_perm("casework.manage_panel", entry.referral):
        raise Http404
    case = case_or_404(
        request, entry.referral_id, permission="casework.manage_panel", purpose="Panel decision"
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_panel_decision(entry=entry, by=request.user, **data)
        except services.CaseworkError as error:
            form.add_error(None, str(error))
        else:
            return redirect("casework:meeting", pk=entry.meeting_id)
    warning = (
        ""
        if queries.police_present(entry.meeting, case)
        else "Warning: nobody from the police force for the person's area is recorded as "
        "present at this meeting. The Act requires a police representative from that area."
    )
    return form_page(
        request,
        form=form,
        title="Record the panel's decision",
        caption=f"{case.reference}, {entry.meeting}",
        intro=warning,
        back_url=reverse("casework:meeting", args=[entry.meeting_id]),
        submit_label="Record decision",
    )


@requires("casework.chair_meetings")
def overdue_reviews(request: HttpRequest) -> HttpResponse:
    reviews = queries.overdue_reviews(request.user)
    for review in reviews:
        audit.record_access(review.referral, purpose="Listed as an overdue review")
    return render(request, "casework/overdue_reviews.html", {"reviews": reviews})


# ---- one case --------------------------------------------------------------------------------


def _members() -> Any:
    return User.objects.filter(groups__name=Role.CHANNEL_MEMBER, is_active=True).order_by(
        "full_name"
    )


@requires("casework.manage_panel", hide=True)
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    def save(case: Referral, data: dict[str, Any]) -> None:
        services.assign_member(
            referral=case,
            user=data["user"],
            kind=data["kind"],
            since=data["since"],
            until=data["until"],
            by=request.user,
        )

    return _case_form(
        request,
        pk,
        permission="casework.manage_panel",
        form_class=AssignForm,
        title="Assign or call a Channel member",
        intro="A co-opted member is called for this case only: their access ends on the "
        "date you give, or when you end it.",
        save=save,
        form_kwargs=lambda case: {"members": _members()},
    )


@requires("casework.manage_panel", hide=True)
def assignment_end(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = CaseAssignment.objects.filter(pk=pk).first()
    if assignment is None or not request.user.has_perm(
        "casework.manage_panel", assignment.referral
    ):
        raise Http404

    def save(case: Referral, data: dict[str, Any]) -> None:
        services.end_assignment(assignment=assignment, on=data["on"], by=request.user)

    return _case_form(
        request,
        assignment.referral_id,
        permission="casework.manage_panel",
        form_class=DateForm,
        title=f"End {assignment.user.full_name}'s access",
        save=save,
        submit_label="End access",
    )


@requires("casework.work_case", hide=True)
def assessment_new(request: HttpRequest, pk: int) -> HttpResponse:
    def save(case: Referral, data: dict[str, Any]) -> None:
        services.record_assessment(
            referral=case,
            by=request.user,
            assessed_on=data["assessed_on"],
            entries={key: value for key, value in data.items() if key != "assessed_on"},
        )

    return _case_form(
        request,
        pk,
        permission="casework.work_case",
        form_class=AssessmentForm,
        title="Vulnerability assessment",
        intro="Write the evidence and your professional judgement for each factor that is "
        "relevant, and an overall judgement for each dimension. There is no score.",
        save=save,
        submit_label="Save assessment",
    )


@requires("casework.work_case", hide=True)
def consent_new(request: HttpRequest, pk: int) -> HttpResponse:
    def save(case: Referral, data: dict[str, Any]) -> None:
        services.record_consent(referral=case, by=request.user, **data)

    def intro(case: Referral) -> str:
        needed = queries.consent_must_come_from(case, timezone.localdate())
        who = "a parent or guardian" if needed == "parent" else "the individual"
        return (
            f"Today consent must come from {who}, going by the date of birth. What counts is "
            "the person's age on the day they answered: under 18, a parent or guardian."
        )

    return _case_form(
        request,
        pk,
        permission="casework.work_case",
        form_class=ConsentForm,
        title="Record consent",
        intro=intro,
        save=save,
    )


@requires("casework.work_case", hide=True)
def support_start(request: HttpRequest, pk: int) -> HttpResponse:
    def save(case: Referral, data: dict[str, Any]) -> None:
        services.start_support(referral=case, by=request.user, on=data["on"])

    return _case_form(
        request,
        pk,
        permission="casework.work_case",
        form_class=DateForm,
        title="Start support",
        intro="Support can start only when consent has been given and not withdrawn.",
        save=save,
        submit_label="Start support",
    )


@requires("casework.work_case", hide=True)
def intervention_new(request: HttpRequest, pk: int) -> HttpResponse:
    def save(case: Referral, data: dict[str, Any]) -> None:
        services.add_intervention(referral=case, by=request.user, **data)

    return _case_form(
        request,
        pk,
        permission="casework.work_case",
        form_class=InterventionForm,
        title="Add to the support plan",
        save=save,
    )


@requires("casework.work_case", hide=True)
def note_new(request: HttpRequest, pk: int) -> HttpResponse:
    def save(case: Referral, data: dict[str, Any]) -> None:
        services.add_progress_note(referral=case, by=request.user, **data)

    return _case_form(
        request,
        pk,
        permission="casework.work_case",
        form_class=NoteForm,
        title="Add a progress note",
        save=save,
    )


@requires("casework.work_case", hide=True)
def onward_new(request: HttpRequest, pk: int) -> HttpResponse:
    def save(case: Referral, data: dict[str, Any]) -> None:
        services.record_onward_referral(referral=case, by=request.user, **data)

    return _case_form(
        request,
        pk,
        permission="casework.work_case",
        form_class=OnwardForm,
        title="Referral to health or social care",
        intro="Where support is not given, the panel must consider referring the person to "
        "health or social care services.",
        save=save,
    )


@requires("casework.manage_panel", hide=True)
def exit_case(request: HttpRequest, pk: int) -> HttpResponse:
    def save(case: Referral, data: dict[str, Any]) -> None:
        services.exit_case(referral=case, by=request.user, **data)

    return _case_form(
        request,
        pk,
        permission="casework.manage_panel",
        form_class=ExitForm,
        title="Exit Channel",
        intro="Reviews 6 and 12 months after the exit are scheduled automatically.",
        save=save,
        submit_label="Record exit",
    )


@requires("casework.work_case", hide=True)
def review_complete(request: HttpRequest, pk: int) -> HttpResponse:
    review = ExitReview.objects.filter(pk=pk).first()
    if review is None:
        raise Http404

    def save(case: Referral, data: dict[str, Any]) -> None:
        services.complete_review(review=review, by=request.user, **data)

    return _case_form(
        request,
        review.referral_id,
        permission="casework.work_case",
        form_class=ReviewForm,
        title=f"{review.months}-month review",
        save=save,
        submit_label="Record review",
    )


@requires("casework.work_case", hide=True)
def transfer_new(request: HttpRequest, pk: int) -> HttpResponse:
    def save(case: Referral, data: dict[str, Any]) -> None:
        services.record_transfer(referral=case, by=request.user, **data)

    return _case_form(
        request,
        pk,
        permission="casework.work_case",
        form_class=TransferForm,
        title="Record a transfer",
        save=save,
    )


@requires("casework.close_case", hide=True)
def close(request: HttpRequest, pk: int) -> HttpResponse:
    def save(case: Referral, data: dict[str, Any]) -> None:
        services.close_case(referral=case, by=request.user, on=data["on"])

    return _case_form(
        request,
        pk,
        permission="casework.close_case",
        form_class=DateForm,
        title="Close the case",
        intro="Closing starts the retention clock.",
        save=save,
        submit_label="Close the case",
    )
