"""Meeting pages: agenda, attendance, minutes, decisions and the actions arising.

The coordinator, and the current chair of the meeting's board, edit them; everyone signed in reads.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from preventhub.core.access import get_object_or_403, requires
from preventhub.core.concurrency import ConcurrentEditError
from preventhub.core.pages import form_page
from preventhub.partnership import forms, queries, services
from preventhub.partnership.models import Board, BoardAction, Meeting

VIEW = "partnership.view_directory"
EDIT_MEETINGS = "partnership.edit_meetings"


def _meeting_for_editing(request: HttpRequest, pk: int) -> Meeting:
    found = get_object_or_404(Meeting.objects.select_related("board"), pk=pk)
    if not request.user.has_perm(EDIT_MEETINGS, found.board):
        raise PermissionDenied
    return found


@requires(VIEW)
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Meeting.objects.select_related("board"), pk=pk)
    return render(
        request,
        "partnership/meeting.html",
        {
            "detail": queries.meeting_detail(found),
            "can_edit": request.user.has_perm(EDIT_MEETINGS, found.board),
            "status_choices": BoardAction.Status.choices,
        },
    )


def _meeting_form_page(request: HttpRequest, owner: Board, found: Meeting | None) -> HttpResponse:
    form = forms.MeetingForm.for_instance(found, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_meeting(meeting=found, board=owner, **form.service_arguments())
        except ConcurrentEditError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Saved the meeting.")
            return redirect("partnership:meeting", pk=saved.pk)
    return form_page(
        request,
        form=form,
        title="Change the meeting" if found else "Add a meeting",
        caption=owner.name,
        back_url=reverse("partnership:meeting", args=[found.pk])
        if found
        else reverse("partnership:board", args=[owner.pk]),
    )


@requires(VIEW)
def meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    owner = get_object_or_403(request.user, EDIT_MEETINGS, Board, pk=pk)
    return _meeting_form_page(request, owner, None)


@requires(VIEW)
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = _meeting_for_editing(request, pk)
    return _meeting_form_page(request, found.board, found)


@requires(VIEW)
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    found = _meeting_for_editing(request, pk)
    form = forms.MinutesForm.for_instance(found, request.POST or None)
    conflict = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.save_minutes(meeting=found, **form.service_arguments())
        except ConcurrentEditError as error:
            # Show both: what they typed stays in the box, what was saved is shown beside it.
            saved = Meeting.objects.get(pk=found.pk)
            conflict = saved.minutes or "(empty)"
            form = forms.MinutesForm(
                {"minutes": form.cleaned_data["minutes"], "version": saved.version}
            )
            form.is_valid()
            form.add_error(None, str(error))
        else:
            messages.success(request, "Saved the minutes.")
            return redirect("partnership:meeting", pk=found.pk)
    return form_page(
        request,
        form=form,
        title="Minutes",
        caption=str(found),
        conflict=conflict,
        back_url=reverse("partnership:meeting", args=[found.pk]),
    )


@requires(VIEW)
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    found = _meeting_for_editing(request, pk)
    detail = queries.meeting_detail(found)
    members = [row.membership for row in detail.attendance]
    form_class = forms.attendance_form(
        members, {row.membership.pk: row.status for row in detail.attendance}
    )
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.record_attendance(
            meeting=found,
            statuses={
                int(name.removeprefix("member_")): value
                for name, value in form.cleaned_data.items()
            },
        )
        messages.success(request, "Saved the attendance.")
        return redirect("partnership:meeting", pk=found.pk)
    return form_page(
        request,
        form=form,
        title="Attendance",
        caption=str(found),
        back_url=reverse("partnership:meeting", args=[found.pk]),
    )


@requires(VIEW)
def decision_new(request: HttpRequest, pk: int) -> HttpResponse:
    found = _meeting_for_editing(request, pk)
    form = forms.DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_decision(meeting=found, **form.service_arguments())
        messages.success(request, "Recorded the decision.")
        return redirect("partnership:meeting", pk=found.pk)
    return form_page(
        request,
        form=form,
        title="Record a decision",
        caption=str(found),
        back_url=reverse("partnership:meeting", args=[found.pk]),
    )


@requires(VIEW)
def action_new(request: HttpRequest, pk: int) -> HttpResponse:
    found = _meeting_for_editing(request, pk)
    form = forms.BoardActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_board_action(meeting=found, **form.service_arguments())
        messages.success(request, "Added the action.")
        return redirect("partnership:meeting", pk=found.pk)
    return form_page(
        request,
        form=form,
        title="Add an action",
        caption=str(found),
        back_url=reverse("partnership:meeting", args=[found.pk]),
    )


@requires(VIEW)
@require_POST
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(BoardAction.objects.select_related("meeting__board"), pk=pk)
    _meeting_for_editing(request, found.meeting_id)
    form = forms.BoardActionStatusForm(request.POST)
    if form.is_valid():
        try:
            services.set_board_action_status(
                action=found, on=timezone.localdate(), **form.service_arguments()
            )
        except ConcurrentEditError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"The action is now {found.get_status_display().lower()}.")
    else:
        messages.error(request, "Choose a status for the action.")
    return redirect("partnership:meeting", pk=found.meeting_id)
