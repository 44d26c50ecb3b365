"""A school's or college's own self-assessment, reached through its secure audit link.

The school opens its link once (``audits.link``); the session then says which school it is, and
every page here answers only for that school's own assessments: an assessment or rating is
looked up within the school, so another school's is simply not found. Nothing here names the
school in a URL, and no partnership role opens these assessments (``rules.py``): the education
lead sees schools' results only in total (``views.school_results``).

The DfE tools work in three steps, and so do the pages: evaluation (rate each standard with
evidence), action planning (what the school will do about each gap, and by when), summary (sum
up and sign off).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from preventhub.assessment import forms, queries, services
from preventhub.assessment.models import Assessment, StandardRating
from preventhub.audits.link.views import school_link
from preventhub.audits.models import RoundSchool
from preventhub.core.concurrency import ConcurrentEditError

Errors = (services.AssessmentError, ConcurrentEditError)


def _context(place: RoundSchool, **more: Any) -> dict[str, Any]:
    return {"place": place, "school": place.establishment, "round": place.round, **more}


def _assessment(place: RoundSchool, pk: int) -> Assessment:
    return get_object_or_404(
        Assessment.objects.select_related("framework"), pk=pk, establishment=place.establishment
    )


def _rating(place: RoundSchool, pk: int) -> StandardRating:
    return get_object_or_404(
        StandardRating.objects.select_related("assessment__framework", "standard__area", "level"),
        pk=pk,
        assessment__establishment=place.establishment,
    )


@school_link
def index(request: HttpRequest, place: RoundSchool) -> HttpResponse:
    form = forms.SchoolStartForm(request.POST or None, frameworks=queries.school_frameworks())
    if request.method == "POST" and form.is_valid():
        try:
            started = services.start_assessment(
                establishment=place.establishment,
                assessed_on=timezone.localdate(),
                **form.cleaned_data,
            )
        except Errors as error:
            form.add_error(None, str(error))
        else:
            return redirect("school_assessment:assessment", pk=started.pk)
    return render(
        request,
        "assessment/link/index.html",
        _context(place, rows=queries.school_assessments(place.establishment), form=form),
    )


@school_link
def assessment(request: HttpRequest, place: RoundSchool, pk: int) -> HttpResponse:
    found = _assessment(place, pk)
    return render(
        request,
        "assessment/link/assessment.html",
        _context(place, page=queries.assessment_page(found)),
    )


@school_link
def rating(request: HttpRequest, place: RoundSchool, pk: int) -> HttpResponse:
    found = _rating(place, pk)
    form = forms.SchoolRatingForm.for_instance(
        found, request.POST or None, levels=found.assessment.framework.levels.order_by("-position")
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.rate_standard(rating=found, by_name="The school", **form.service_arguments())
        except Errors as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved your judgement of {found.standard.code}.")
            return redirect("school_assessment:assessment", pk=found.assessment_id)
    return render(
        request,
        "assessment/link/rating.html",
        _context(place, detail=queries.rating_detail(found), form=form),
    )


@school_link
def finding_new(request: HttpRequest, place: RoundSchool, pk: int) -> HttpResponse:
    found = _rating(place, pk)
    form = forms.SchoolFindingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_finding(rating=found, **form.service_arguments())
        except Errors as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Added an action for {found.standard.code}.")
            return redirect("school_assessment:assessment", pk=found.assessment_id)
    return render(
        request,
        "assessment/link/form.html",
        _context(
            place,
            form=form,
            title=f"Plan an action for {found.standard.code}",
            intro=found.standard.title,
            back_url=reverse("school_assessment:assessment", args=[found.assessment_id]),
            submit_label="Add the action",
        ),
    )


@school_link
def sign_off(request: HttpRequest, place: RoundSchool, pk: int) -> HttpResponse:
    found = _assessment(place, pk)
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
            return redirect("school_assessment:assessment", pk=found.pk)
    return render(
        request,
        "assessment/link/form.html",
        _context(
            place,
            form=form,
            title=f"Summary: sign off {found.title}",
            intro="Sum up where your school stands. Once signed off, the judgements are final.",
            back_url=reverse("school_assessment:assessment", args=[found.pk]),
            submit_label="Sign off",
        ),
    )
