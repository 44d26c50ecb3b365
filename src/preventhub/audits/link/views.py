"""The school's side of the safeguarding audit, reached through its secure link, without an account.

The link (``/school-audit/?link=SECRET``) is opened once: :func:`enter` finds the school's place in
the round, keeps the place and the digest of its link in the session, and redirects to a URL
without the secret, so the secret never sits in the address bar, the history, a ``Referer`` or a
log. Every later page asks :func:`school_place`, which checks on each request that the session's
digest is still the place's current one and that the link is live: issuing a new link or revoking
it ends every session opened with the old one at once.

The views are ``@public`` at the access layer (a school has no account) and answer only for the
place in the session: nothing here takes a school, response or round from the URL, and an action
plan item is looked up within the place. The session entry signs nobody in to anything else. They
are declared ``no_store``: a school's answers and contact are never cached, as the computer may
be a shared one in a staff room.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from preventhub.audits import feedback, queries
from preventhub.audits import services as audit_services
from preventhub.audits.link import forms as link_forms
from preventhub.audits.models import ActionPlanItem, Question, Response, RoundSchool
from preventhub.audits.scales import is_scaled
from preventhub.core import audit
from preventhub.core.access import public
from preventhub.core.concurrency import ConcurrentEditError

SESSION_KEY = "school_audit_link"

LinkView = Callable[..., HttpResponse]


def school_place(request: HttpRequest) -> RoundSchool | None:
    """The school place this session's link opened, while that link is still the live one."""
    entry = request.session.get(SESSION_KEY)
    if not isinstance(entry, dict):
        return None
    place = (
        RoundSchool.objects.select_related("round", "establishment", "answered_by__establishment")
        .filter(pk=entry.get("place"))
        .first()
    )
    if (
        place is None
        or not constant_time_compare(place.link_token_digest, str(entry.get("digest", "")))
        or not place.link_is_live()
    ):
        # Re-issued, revoked or expired: the session ends with the link.
        request.session.pop(SESSION_KEY, None)
        return None
    return place


def _first(response: HttpResponse) -> HttpResponse:
    """The answer to the address that carries the secret: nothing of it is sent on as Referer.

    Only here: on pages with forms, ``no-referrer`` would make browsers send ``Origin: null``,
    which the CSRF check rightly refuses. Later addresses carry no secret, and the site's
    ``same-origin`` policy keeps them from other sites.
    """
    response["Referrer-Policy"] = "no-referrer"
    return response


def school_link(view: LinkView) -> LinkView:
    """Give ``view`` the session's school place, or send the visitor to open their link again."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        place = school_place(request)
        if place is None:
            return redirect("school_audit:enter")
        if not request.user.is_authenticated:
            # Idle time counts from the last request, as it does for people with accounts.
            request.session.set_expiry(settings.PREVENTHUB_SESSION_MINUTES * 60)
        school = place.establishment
        with audit.acting(request=request, label=f"School link: {school.name} ({school.urn})"):
            return view(request, place, *args, **kwargs)

    return public(wrapper, no_store=True)


# --- The journey's read model ------------------------------------------------------------------


class Status:
    NOT_STARTED = "Not started"
    IN_PROGRESS = "In progress"
    COMPLETED = "Completed"


def field_anchor(question: Question) -> str:
    """The id of a question's first input on its section page (radios start at ``_0``)."""
    return f"id_{question.code}_0" if is_scaled(question.scale) else f"id_{question.code}"


@dataclass(frozen=True)
class AnswerRow:
    question: Question
    answer: str
    anchor: str


@dataclass(frozen=True)
class SectionState:
    number: int
    title: str
    questions: list[Question]
    answers: dict[str, str]  # by question code; a saved blank is "", an unsaved one is absent

    @property
    def rows(self) -> list[AnswerRow]:
        return [AnswerRow(q, self.answers.get(q.code, ""), field_anchor(q)) for q in self.questions]

    @property
    def status(self) -> str:
        if not any(q.code in self.answers for q in self.questions):
            return Status.NOT_STARTED
        if all(self.answers.get(q.code) for q in self.questions if q.required):
            return Status.COMPLETED
        return Status.IN_PROGRESS


@dataclass(frozen=True)
class Journey:
    place: RoundSchool
    response: Response | None  # the school's own response, draft or submitted
    sections: list[SectionState]

    @property
    def covered_by(self) -> Response | None:
        """The trust or federation return that answered for this school, if not its own."""
        answered_by = self.place.answered_by
        if answered_by is None or answered_by.establishment_id == self.place.establishment_id:
            return None
        return answered_by

    @property
    def submitted(self) -> bool:
        return self.response is not None and self.response.status == Response.Status.SUBMITTED

    @property
    def has_results(self) -> bool:
        return self.place.answered_by_id is not None

    @property
    def can_answer(self) -> bool:
        return not self.submitted and self.covered_by is None and self.place.round.is_open

    @property
    def unanswered_required(self) -> list[tuple[SectionState, AnswerRow]]:
        return [
            (section, row)
            for section in self.sections
            for row in section.rows
            if row.question.required and not row.answer
        ]

    def section(self, number: int) -> SectionState | None:
        return self.sections[number - 1] if 1 <= number <= len(self.sections) else None


def journey(place: RoundSchool) -> Journey:
    """The school's own response and its questionnaire by section, in two queries."""
    response = Response.objects.filter(
        round=place.round_id, establishment=place.establishment_id
    ).first()
    saved = response.answers if response else {}
    by_title: dict[str, list[Question]] = {}
    for question in place.round.questions.all():
        by_title.setdefault(question.section, []).append(question)
    sections = [
        SectionState(
            number,
            title,
            questions,
            {q.code: saved[str(q.pk)] for q in questions if str(q.pk) in saved},
        )
        for number, (title, questions) in enumerate(by_title.items(), start=1)
    ]
    return Journey(place=place, response=response, sections=sections)


# --- Entering and leaving ----------------------------------------------------------------------


@public(no_store=True)
def enter(request: HttpRequest) -> HttpResponse:
    """Open a link: keep the school in the session and move to an address without the secret."""
    token = request.GET.get("link")
    if token is None:
        return render(request, "audits/link/enter.html")
    place = queries.place_for_token(token)
    if place is None:
        return _first(render(request, "audits/link/link_does_not_work.html", status=404))
    # A new session key: a session planted before the link was opened gains nothing from it.
    request.session.cycle_key()
    request.session[SESSION_KEY] = {"place": place.pk, "digest": place.link_token_digest}
    if not request.user.is_authenticated:
        request.session.set_expiry(settings.PREVENTHUB_SESSION_MINUTES * 60)
    return _first(redirect("school_audit:start"))


@public(no_store=True)
@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    return redirect("school_audit:left")


@public(no_store=True)
def left(request: HttpRequest) -> HttpResponse:
    return render(request, "audits/link/left.html")


# --- Answering ---------------------------------------------------------------------------------


def _context(place: RoundSchool, **more: Any) -> dict[str, Any]:
    return {
        "place": place,
        "school": place.establishment,
        "round": place.round,
        "today": timezone.localdate(),
        **more,
    }


@school_link
def start(request: HttpRequest, place: RoundSchool) -> HttpResponse:
    found = journey(place)
    return render(
        request,
        "audits/link/start.html",
        _context(place, journey=found, action_items=place.action_items.count()),
    )


@school_link
def section(request: HttpRequest, place: RoundSchool, number: int) -> HttpResponse:
    found = journey(place)
    state = found.section(number)
    if state is None:
        return redirect("school_audit:start")
    if not found.can_answer:
        return redirect("school_audit:check" if found.submitted else "school_audit:start")
    form = link_forms.SectionForm(
        request.POST or None, questions=state.questions, saved=state.answers
    )
    if request.method == "POST" and form.is_valid():
        try:
            audit_services.save_answers(place=place, answers=form.answers())
        except audit_services.AuditError as error:
            form.add_error(None, str(error))
        else:
            if "later" in request.POST:
                messages.success(
                    request,
                    "Your answers have been saved. To come back to them, open your link again. "
                    f"It works until {date_format(place.link_expires_on)}.",
                )
                return redirect("school_audit:start")
            if number < len(found.sections):
                return redirect("school_audit:section", number=number + 1)
            return redirect("school_audit:check")
    return render(
        request,
        "audits/link/section.html",
        _context(place, form=form, section=state, count=len(found.sections)),
    )


@school_link
def check(request: HttpRequest, place: RoundSchool) -> HttpResponse:
    found = journey(place)
    if found.covered_by is not None:
        return redirect("school_audit:start")
    form = link_forms.SignOffForm(request.POST or None) if found.can_answer else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            audit_services.submit_response(place=place, **form.service_arguments())
        except audit_services.AuditError as error:
            form.add_error(None, str(error))
        else:
            return redirect("school_audit:submitted")
    return render(request, "audits/link/check.html", _context(place, journey=found, form=form))


@school_link
def submitted(request: HttpRequest, place: RoundSchool) -> HttpResponse:
    found = journey(place)
    if not found.submitted:
        return redirect("school_audit:start")
    return render(
        request,
        "audits/link/submitted.html",
        _context(place, journey=found, action_items=place.action_items.count()),
    )


# --- Results and action plan -------------------------------------------------------------------


@school_link
def results(request: HttpRequest, place: RoundSchool) -> HttpResponse:
    return render(
        request,
        "audits/link/results.html",
        _context(place, feedback=feedback.school_feedback(place)),
    )


@school_link
def results_pdf(request: HttpRequest, place: RoundSchool) -> HttpResponse:
    found = feedback.school_feedback(place)
    if found.response is None:
        return redirect("school_audit:results")
    response = HttpResponse(feedback.feedback_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{feedback.filename(found)}"'
    return response


@school_link
def action_plan(request: HttpRequest, place: RoundSchool) -> HttpResponse:
    items = place.action_items.select_related("question")
    return render(request, "audits/link/action_plan.html", _context(place, items=items))


@school_link
def action_item(request: HttpRequest, place: RoundSchool, pk: int) -> HttpResponse:
    # Looked up within the session's place: another school's item is simply not found.
    item = get_object_or_404(ActionPlanItem.objects.select_related("question"), pk=pk, place=place)
    form = link_forms.ActionUpdateForm.for_instance(item, request.POST or None)
    conflict = None
    if request.method == "POST" and form.is_valid():
        typed = form.cleaned_data
        try:
            audit_services.update_action_item(item=item, **form.service_arguments())
        except ConcurrentEditError as error:
            # Nothing is overwritten: what they typed stays, what was saved is shown beside it,
            # and saving again (now at the saved version) is a choice made having seen both.
            conflict = ActionPlanItem.objects.get(pk=item.pk)
            form = link_forms.ActionUpdateForm({**typed, "version": conflict.version})
            form.is_valid()
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Action for {item.question.code} updated.")
            return redirect("school_audit:action_plan")
    return render(
        request,
        "audits/link/action_item.html",
        _context(
            place,
            item=item,
            form=form,
            conflict=conflict,
            back_url=reverse("school_audit:action_plan"),
        ),
    )
