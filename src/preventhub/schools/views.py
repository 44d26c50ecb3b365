from __future__ import annotations

from django.contrib import messages
from django.core.paginator import InvalidPage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from preventhub.core.access import requires
from preventhub.core.pages import form_page
from preventhub.core.pagination import pagination
from preventhub.core.redirects import redirect_to_next
from preventhub.schools import forms, queries, services
from preventhub.schools.models import Establishment, GiasImportRun

VIEW = "schools.view_register"
IMPORT = "schools.import_register"
CHANGE_CONTACT = "schools.change_contact"


@requires(VIEW)
def register(request: HttpRequest) -> HttpResponse:
    try:
        page = queries.register_page(request.GET.get("page", 1))
    except InvalidPage as error:
        raise Http404("There is no such page of the register.") from error
    return render(
        request,
        "schools/register.html",
        {
            "page": page,
            "pagination": pagination(page.establishments, request.GET),
            "can_import": request.user.has_perm(IMPORT),
        },
    )


@requires(IMPORT)
def import_new(request: HttpRequest) -> HttpResponse:
    form = forms.GiasUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.queue_gias_import(by=request.user, **form.service_arguments())
        except services.SchoolsError as error:
            form.add_error("extract", str(error))
        else:
            return redirect("schools:import_run", pk=run.pk)
    return render(request, "schools/import_new.html", {"form": form})


@requires(IMPORT)
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(GiasImportRun.objects.select_related("created_by"), pk=pk)
    return render(request, "schools/import_run.html", {"run": run})


@requires(IMPORT)
def import_retry(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(GiasImportRun, pk=pk)
    if request.method != "POST":
        return redirect("schools:import_run", pk=run.pk)
    try:
        retry = services.retry_gias_import(run=run, by=request.user)
    except services.SchoolsError as error:
        messages.error(request, str(error))
        return redirect("schools:import_run", pk=run.pk)
    return redirect("schools:import_run", pk=retry.pk)


@requires(CHANGE_CONTACT)
def school_contact(request: HttpRequest, urn: int) -> HttpResponse:
    school = get_object_or_404(Establishment, urn=urn)
    form = forms.ContactForm.for_instance(school, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.set_contact_email(school=school, **form.service_arguments())
        messages.success(request, f"Saved {school.name}'s safeguarding contact.")
        return redirect_to_next(request, default="schools:register")
    return form_page(
        request,
        form=form,
        title=f"Safeguarding contact of {school.name}",
        caption=f"URN {school.urn}",
        back_url=reverse("schools:register"),
    )
