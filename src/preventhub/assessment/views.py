"""Pages of the partnership's self-assessment: frameworks, assessments, findings, the report."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from preventhub.assessment import forms, queries, report, services
from preventhub.assessment.imports import ImportProblems
from preventhub.assessment.models import (
    Assessment,
    EvidenceFile,
    Finding,
    Framework,
    FrameworkArea,
    RatingLevel,
    Standard,
    StandardRating,
)
from preventhub.core import audit
from preventhub.core.access import get_object_or_403, requires
from preventhub.core.concurrency import ConcurrentEditError
from preventhub.core.pages import form_page
from preventhub.delivery import queries as delivery_queries

VIEW = "assessment.view_assessment"
MANAGE = "assessment.manage_assessment"
RATE = "assessment.rate"
RATE_STANDARD = "assessment.rate_standard"
VIEW_FRAMEWORKS = "assessment.view_frameworks"
EDIT_FRAMEWORKS = "assessment.edit_frameworks"
VIEW_REPORT = "assessment.view_report"
SCHOOL_RESULTS = "assessment.view_school_results"

Errors = (services.AssessmentError, ConcurrentEditError)


@requires(VIEW)
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "assessment/index.html",
        {
            "rows": queries.partnership_assessments(),
            "can_manage": request.user.has_perm(MANAGE),
            "can_see_schools": request.user.has_perm(SCHOOL_RESULTS),
        },
    )


# ---- frameworks ----------------------------------------------------------------------------------


@requires(VIEW_FRAMEWORKS)
def frameworks(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "assessment/frameworks.html",
        {"rows": queries.frameworks(), "can_edit": request.user.has_perm(EDIT_FRAMEWORKS)},
    )


@requires(VIEW_FRAMEWORKS)
def framework(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Framework, pk=pk)
    return render(
        request,
        "assessment/framework.html",
        {"page": queries.framework_page(found), "can_edit": request.user.has_perm(EDIT_FRAMEWORKS)},
    )


def _framework_form_page(request: HttpRequest, found: Framework | None) -> HttpResponse:
    form = forms.FrameworkForm.for_instance(found, request.POST or None, new=found is None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_framework(framework=found, **form.service_arguments())
        except Errors as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved the framework {saved.title}.")
            return redirect("assessment:framework", pk=saved.pk)
    return form_page(
        request,
        form=form,
        title=f"Change {found.title}" if found else "Add a framework",
        back_url=reverse("assessment:framework", args=[found.pk])
        if found
        else reverse("assessment:frameworks"),
    )


@requires(EDIT_FRAMEWORKS)
def framework_new(request: HttpRequest) -> HttpResponse:
    return _framework_form_page(request, None)


@requires(EDIT_FRAMEWORKS)
def framework_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _framework_form_page(request, get_object_or_404(Framework, pk=pk))


def _level_form_page(
    request: HttpRequest, owner: Framework, found: RatingLevel | None
) -> HttpResponse:
    initial = {"position": owner.levels.count() + 1, "colour": "grey"}
    form = forms.LevelForm.for_instance(found, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_level(level=found, framework=owner, **form.service_arguments())
        except Errors as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved the level {form.cleaned_data['label']}.")
            return redirect("assessment:framework", pk=owner.pk)
    return form_page(
        request,
        form=form,
        title=f"Change the level {found.label}" if found else "Add a level to the scale",
        caption=owner.title,
        back_url=reverse("assessment:framework", args=[owner.pk]),
    )


@requires(EDIT_FRAMEWORKS)
def level_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _level_form_page(request, get_object_or_404(Framework, pk=pk), None)


@requires(EDIT_FRAMEWORKS)
def level_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(RatingLevel.objects.select_related("framework"), pk=pk)
    return _level_form_page(request, found.framework, found)


def _area_form_page(
    request: HttpRequest, owner: Framework, found: FrameworkArea | None
) -> HttpResponse:
    form = forms.AreaForm.for_instance(found, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_area(area=found, framework=owner, **form.service_arguments())
        except Errors as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved the area {form.cleaned_data['title']}.")
            return redirect("assessment:framework", pk=owner.pk)
    return form_page(
        request,
        form=form,
        title=f"Change {found.title}" if found else "Add an area",
        caption=owner.title,
        back_url=reverse("assessment:framework", args=[owner.pk]),
    )


@requires(EDIT_FRAMEWORKS)
def area_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _area_form_page(request, get_object_or_404(Framework, pk=pk), None)


@requires(EDIT_FRAMEWORKS)
def area_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(FrameworkArea.objects.select_related("framework"), pk=pk)
    return _area_form_page(request, found.framework, found)


def _standard_form_page(
    request: HttpRequest, area: FrameworkArea, found: Standard | None
) -> HttpResponse:
    form = forms.StandardForm.for_instance(found, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_standard(standard=found, area=area, **form.service_arguments())
        except Errors as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved the standard {form.cleaned_data['code'].upper()}.")
            return redirect("assessment:framework", pk=area.framework_id)
    return form_page(
        request,
        form=form,
        title=f"Change {found.code}" if found else "Add a standard",
        caption=f"{area.framework.title}: {area.title}",
        back_url=reverse("assessment:framework", args=[area.framework_id]),
    )


@requires(EDIT_FRAMEWORKS)
def standard_new(request: HttpRequest, pk: int) -> HttpResponse:
    area = get_object_or_404(FrameworkArea.objects.select_related("framework"), pk=pk)
    return _standard_form_page(request, area, None)


@requires(EDIT_FRAMEWORKS)
def standard_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Standard.objects.select_related("area__framework"), pk=pk)
    return _standard_form_page(request, found.area, found)


@requires(EDIT_FRAMEWORKS)
def framework_import(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Framework, pk=pk)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            summary = services.import_standards(
                framework=found, content=upload.read(), filename=upload.name
            )
        except ImportProblems as error:
            problems = error.problems
            form.add_error("file", "Nothing was imported: fix the problems listed and try again")
        except Errors as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, f"Imported the file: {summary}")
            return redirect("assessment:framework", pk=found.pk)
    return render(
        request,
        "assessment/import.html",
        {"form": form, "framework": found, "problems": problems},
    )


# ---- assessments ---------------------------------------------------------------------------------


@requires(MANAGE)
def assessment_new(request: HttpRequest) -> HttpResponse:
    form = forms.StartForm(
        request.POST or None,
        frameworks=queries.partnership_frameworks(),
        initial={"assessed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            started = services.start_assessment(**form.cleaned_data)
        except Errors as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Started the assessment {started.title}.")
            return redirect("assessment:assessment", pk=started.pk)
    return form_page(
        request,
        form=form,
        title="Start a self-assessment",
        back_url=reverse("assessment:index"),
        submit_label="Start the assessment",
    )


def _partnership_assessment(request: HttpRequest, pk: int, permission: str) -> Assessment:
    return get_object_or_403(
        request.user, permission, Assessment.objects.select_related("framework"), pk=pk
    )


@requires(VIEW)
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    found = _partnership_assessment(request, pk, VIEW)
    return render(
        request,
        "assessment/assessment.html",
        {
            "page": queries.assessment_page(found),
            "can_manage": request.user.has_perm(MANAGE, found),
            "can_report": request.user.has_perm(VIEW_REPORT, found),
        },
    )


def _rating(request: HttpRequest, pk: int, permission: str) -> StandardRating:
    return get_object_or_403(
        request.user,
        permission,
        StandardRating.objects.select_related(
            "assessment__framework", "standard__area", "level", "assessor"
        ),
        pk=pk,
    )


@requires(VIEW)
def rating(request: HttpRequest, pk: int) -> HttpResponse:
    found = _rating(request, pk, VIEW)
    may_rate = (
        not found.assessment.is_signed_off
        and request.user.has_perm(RATE)
        and request.user.has_perm(RATE_STANDARD, found)
    )
    detail = queries.rating_detail(found)
    form = forms.RatingForm.for_instance(
        found,
        request.POST or None,
        request.FILES or None,
        levels=found.assessment.framework.levels.order_by("-position"),
    )
    if request.method == "POST":
        if not may_rate:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.rate_standard(rating=found, by=request.user, **form.service_arguments())
            except Errors as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Saved the rating of {found.standard.code}.")
                return redirect("assessment:rating", pk=found.pk)
    return render(
        request,
        "assessment/rating.html",
        {
            "detail": detail,
            "form": form if may_rate else None,
            "can_manage": request.user.has_perm(MANAGE, found.assessment),
        },
    )


@requires(MANAGE)
def rating_assessor(request: HttpRequest, pk: int) -> HttpResponse:
    found = _rating(request, pk, MANAGE)
    form = forms.AssessorForm.for_instance(found, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assign_assessor(rating=found, **form.service_arguments())
        except Errors as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved the assessor of {found.standard.code}.")
            return redirect("assessment:rating", pk=found.pk)
    return form_page(
        request,
        form=form,
        title=f"Who assesses {found.standard.code}",
        caption=str(found.assessment),
        back_url=reverse("assessment:rating", args=[found.pk]),
    )


@requires(VIEW)
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(EvidenceFile.objects.select_related("rating__assessment"), pk=pk)
    if not request.user.has_perm(VIEW, found.rating.assessment):
        raise PermissionDenied
    try:
        handle = found.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("The evidence file is missing") from error
    audit.record_access(found, purpose=f"Downloaded evidence for {found.rating}")
    response = FileResponse(
        handle, as_attachment=True, filename=found.original_name, content_type=found.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@requires(RATE)
def finding_new(request: HttpRequest, pk: int) -> HttpResponse:
    found = _rating(request, pk, RATE_STANDARD)
    form = forms.FindingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_finding(rating=found, **form.service_arguments())
        except Errors as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Recorded the gap found against {found.standard.code}.")
            return redirect("assessment:rating", pk=found.pk)
    return form_page(
        request,
        form=form,
        title=f"Record a gap found against {found.standard.code}",
        caption=str(found.assessment),
        intro=found.standard.title,
        back_url=reverse("assessment:rating", args=[found.pk]),
        submit_label="Record the gap",
    )


@requires(MANAGE)
def finding_action(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(
        Finding.objects.select_related("rating__standard", "rating__assessment", "plan_action"),
        pk=pk,
    )
    if not request.user.has_perm(MANAGE, found.rating.assessment):
        raise PermissionDenied
    if found.plan_action_id is not None:
        messages.info(request, "This finding is already a Delivery Plan action.")
        return redirect("delivery:action", pk=found.plan_action_id)
    plan = delivery_queries.current_plan()
    form = forms.RaiseActionForm(
        request.POST or None,
        plan=plan,
        initial={"title": f"Close the gap found against {found.rating.standard.code}"},
    )
    if plan is None:
        form.add_error(None, "There is no approved Delivery Plan to add the action to.")
    elif request.method == "POST" and form.is_valid():
        try:
            action = services.raise_action(finding=found, **form.service_arguments())
        except Errors as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Added {action.reference} to the Delivery Plan.")
            return redirect("assessment:rating", pk=found.rating_id)
    return form_page(
        request,
        form=form,
        title="Make this finding a Delivery Plan action",
        caption=f"{found.rating.standard.code}, {found.rating.assessment.title}",
        intro=f"Gap found: {found.text}",
        back_url=reverse("assessment:rating", args=[found.rating_id]),
        submit_label="Add to the Delivery Plan",
    )


@requires(MANAGE)
def sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    found = _partnership_assessment(request, pk, MANAGE)
    form = forms.SignOffForm.for_instance(
        found, request.POST or None, initial={"on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_off(assessment=found, by=request.user, **form.service_arguments())
        except Errors as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Signed off {found.title}.")
            return redirect("assessment:assessment", pk=found.pk)
    return form_page(
        request,
        form=form,
        title=f"Sign off {found.title}",
        caption=found.framework.title,
        back_url=reverse("assessment:assessment", args=[found.pk]),
        submit_label="Sign off",
    )


# ---- the report ----------------------------------------------------------------------------------


@requires(VIEW_REPORT)
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    found = _partnership_assessment(request, pk, VIEW_REPORT)
    return render(request, "assessment/report.html", report.context(queries.assessment_page(found)))


def _download(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    found = _partnership_assessment(request, pk, VIEW_REPORT)
    page = queries.assessment_page(found)
    if extension == "pdf":
        content, content_type = report.report_pdf(page), "application/pdf"
    else:
        content, content_type = report.report_docx(page), report.DOCX_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{report.filename(page, extension)}"'
    audit.record_export(what="assessment.report", rows=page.total, detail=f"{found} {extension}")
    return response


@requires(VIEW_REPORT)
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "pdf")


@requires(VIEW_REPORT)
def report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "docx")


# ---- schools and colleges, in aggregate ----------------------------------------------------------


@requires(SCHOOL_RESULTS)
def school_results(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "assessment/school_results.html",
        {"results": [queries.school_results(f) for f in queries.school_frameworks()]},
    )
