"""A school's or college's own self-assessment: through its secure audit link, or its designated
safeguarding lead's account.

Which school a request is for is decided in one place, :func:`school_for`, from one of two
sources:

- the **link**: the school opens its link once (``audits.link``) and the session then says which
  school it is (``/school-self-assessment/``, public at the access layer, as a school has no
  account);
- the **account**: a School DSL signed in, whose school is the one whose safeguarding contact is
  their address (``audits.queries.own_school``), at ``/self-assessment/your-school/``.

The same views serve both (:func:`journey_urls` builds each source's routes). Every page answers
only for that school's own assessments: an assessment or rating is looked up within the school,
so another school's is simply not found (404); through the account it is also checked against
``assessment.open_own_school_assessment``. Nothing names the school in a URL, and no partnership
role opens these assessments (``rules.py``): the education lead sees schools' results only in
total (``views.school_results``).

The DfE tools work in three steps, and so do the pages: evaluation (rate each standard with
evidence), action planning (what the school will do about each gap, and by when), summary (sum
up and sign off).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone

from preventhub.assessment import forms, queries, services
from preventhub.assessment.models import Assessment, StandardRating
from preventhub.audits import queries as audit_queries
from preventhub.audits.link.views import school_place
from preventhub.audits.models import RoundSchool
from preventhub.core import audit
from preventhub.core.access import public, requires
from preventhub.core.concurrency import ConcurrentEditError
from preventhub.schools.models import Establishment

Errors = (services.AssessmentError, ConcurrentEditError)

LINK = "link"
ACCOUNT = "account"
NAMESPACES = {LINK: "school_assessment", ACCOUNT: "own_assessment"}
OWN_SCHOOL = "assessment.view_own_school"
OPEN_OWN = "assessment.open_own_school_assessment"


@dataclass(frozen=True)
class SchoolVisit:
    """Whose self-assessment this request is for, and how it came: by link or by account."""

    school: Establishment
    source: str  # LINK or ACCOUNT
    place: RoundSchool | None = None  # the link's place in its round (LINK only)
    by_name: str = "The school"
    # Every school this visit may open: the link's one, or each school whose safeguarding contact
    # is the account's address (a federation's lead may be the contact of several).
    schools: tuple[Establishment, ...] = ()

    def at(self, school: Establishment) -> SchoolVisit:
        """The same visit, about one of its schools (the one an assessment belongs to)."""
        return replace(self, school=school)

    def url(self, name: str, *args: Any) -> str:
        return reverse(f"{NAMESPACES[self.source]}:{name}", args=args)

    def context(self, **more: Any) -> dict[str, Any]:
        by_link = self.source == LINK
        names = ("index", "assessment", "sign_off", "rating", "finding_new")
        return {
            "school": self.school,
            "schools": self.schools,
            "place": self.place,
            "round": self.place.round if self.place else None,
            "base_template": "audits/link/base.html"
            if by_link
            else "assessment/link/own_base.html",
            "journey": {name: f"{NAMESPACES[self.source]}:{name}" for name in names},
            "audit_href": reverse("school_audit:start" if by_link else "audits:own_school"),
            "audit_label": "Back to the audit" if by_link else "Your school's audit",
            **more,
        }


def school_for(request: HttpRequest, source: str) -> SchoolVisit | None:
    """The school this request is for: the one the session's live link opened, or, for a School
    DSL's account, the schools whose safeguarding contact is their address (the first by name
    until an assessment says which). ``None`` if none."""
    if source == ACCOUNT:
        user = request.user
        if not user.has_perm(OWN_SCHOOL):
            return None
        schools = tuple(audit_queries.own_schools(user))
        if not schools:
            return None
        return SchoolVisit(
            schools[0], ACCOUNT, by_name=user.full_name or user.email, schools=schools
        )
    place = school_place(request)
    if place is None:
        return None
    return SchoolVisit(place.establishment, LINK, place=place, schools=(place.establishment,))


SchoolView = Callable[..., HttpResponse]


def _by_link(view: SchoolView) -> SchoolView:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        visit = school_for(request, LINK)
        if visit is None:
            return redirect("school_audit:enter")
        if not request.user.is_authenticated:
            # Idle time counts from the last request, as it does for people with accounts.
            request.session.set_expiry(settings.PREVENTHUB_SESSION_MINUTES * 60)
        school = visit.school
        with audit.acting(request=request, label=f"School link: {school.name} ({school.urn})"):
            return view(request, visit, *args, **kwargs)

    return public(wrapper, no_store=True)


def _by_account(view: SchoolView) -> SchoolView:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        visit = school_for(request, ACCOUNT)
        if visit is None:
            if kwargs:
                raise Http404("No school of yours")
            # No school has this address as its contact: the audit page says how to be linked.
            return redirect("audits:own_school")
        return view(request, visit, *args, **kwargs)

    # The list of assessments is a page of its own; an assessment or rating is hidden (404)
    # from everyone who may not open it, as another school's is.
    return requires(OWN_SCHOOL, hide=view is not index)(wrapper)


def _assessment(request: HttpRequest, visit: SchoolVisit, pk: int) -> Assessment:
    found = get_object_or_404(
        Assessment.objects.select_related("framework", "establishment"),
        pk=pk,
        establishment__in=visit.schools,
    )
    if visit.source == ACCOUNT and not request.user.has_perm(OPEN_OWN, found):
        raise Http404("Not your school")
    return found


def _rating(request: HttpRequest, visit: SchoolVisit, pk: int) -> StandardRating:
    found = get_object_or_404(
        StandardRating.objects.select_related(
            "assessment__framework", "assessment__establishment", "standard__area", "level"
        ),
        pk=pk,
        assessment__establishment__in=visit.schools,
    )
    if visit.source == ACCOUNT and not request.user.has_perm(OPEN_OWN, found):
        raise Http404("Not your school")
    return found


def index(request: HttpRequest, visit: SchoolVisit) -> HttpResponse:
    form = forms.SchoolStartForm(
        request.POST or None, frameworks=queries.school_frameworks(), schools=visit.schools
    )
    if request.method == "POST" and form.is_valid():
        try:
            started = services.start_assessment(
                establishment=form.cleaned_data.pop("establishment", None) or visit.school,
                assessed_on=timezone.localdate(),
                **form.cleaned_data,
            )
        except Errors as error:
            form.add_error(None, str(error))
        else:
            return redirect(visit.url("assessment", started.pk))
    return render(
        request,
        "assessment/link/index.html",
        visit.context(
            by_school=[(school, queries.school_assessments(school)) for school in visit.schools],
            form=form,
        ),
    )


def assessment(request: HttpRequest, visit: SchoolVisit, pk: int) -> HttpResponse:
    found = _assessment(request, visit, pk)
    visit = visit.at(found.establishment)
    return render(
        request,
        "assessment/link/assessment.html",
        visit.context(page=queries.assessment_page(found)),
    )


def rating(request: HttpRequest, visit: SchoolVisit, pk: int) -> HttpResponse:
    found = _rating(request, visit, pk)
    visit = visit.at(found.assessment.establishment)
    form = forms.SchoolRatingForm.for_instance(
        found, request.POST or None, levels=found.assessment.framework.levels.order_by("-position")
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.rate_standard(rating=found, by_name=visit.by_name, **form.service_arguments())
        except Errors as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved your judgement of {found.standard.code}.")
            return redirect(visit.url("assessment", found.assessment_id))
    return render(
        request,
        "assessment/link/rating.html",
        visit.context(detail=queries.rating_detail(found), form=form),
    )


def finding_new(request: HttpRequest, visit: SchoolVisit, pk: int) -> HttpResponse:
    found = _rating(request, visit, pk)
    visit = visit.at(found.assessment.establishment)
    form = forms.SchoolFindingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_finding(rating=found, **form.service_arguments())
        except Errors as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Added an action for {found.standard.code}.")
            return redirect(visit.url("assessment", found.assessment_id))
    return render(
        request,
        "assessment/link/form.html",
        visit.context(
            form=form,
            title=f"Plan an action for {found.standard.code}",
            intro=found.standard.title,
            back_url=visit.url("assessment", found.assessment_id),
            submit_label="Add the action",
        ),
    )


def sign_off(request: HttpRequest, visit: SchoolVisit, pk: int) -> HttpResponse:
    found = _assessment(request, visit, pk)
    visit = visit.at(found.establishment)
    form = forms.SchoolSignOffForm.for_instance(
        found, request.POST or None, initial={"on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_off(assessment=found, **form.service_arguments())
        except Errors as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Signed off {found.title}.")
            return redirect(visit.url("assessment", found.pk))
    return render(
        request,
        "assessment/link/form.html",
        visit.context(
            form=form,
            title=f"Summary: sign off {found.title}",
            intro="Sum up where your school stands. Once signed off, the judgements are final.",
            back_url=visit.url("assessment", found.pk),
            submit_label="Sign off",
        ),
    )


def journey_urls(source: str) -> list[URLPattern]:
    """The journey's routes for one source of the school: the same views, entered by link or by
    account."""
    entry = _by_link if source == LINK else _by_account
    return [
        path("", entry(index), name="index"),
        path("<int:pk>/", entry(assessment), name="assessment"),
        path("<int:pk>/sign-off/", entry(sign_off), name="sign_off"),
        path("ratings/<int:pk>/", entry(rating), name="rating"),
        path("ratings/<int:pk>/actions/new/", entry(finding_new), name="finding_new"),
    ]
