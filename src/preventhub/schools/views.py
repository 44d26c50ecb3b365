from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from preventhub.core.access import requires
from preventhub.schools import forms, queries, services
from preventhub.schools.models import GiasImportRun

VIEW = "schools.view_register"
IMPORT = "schools.import_register"


@requires(VIEW)
def register(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "schools/register.html",
        {
            "page": queries.register_page(request.GET.get("page")),
            "can_import": request.user.has_perm(IMPORT),
        },
    )


@requires(IMPORT)
def import_new(request: HttpRequest) -> HttpResponse:
    form = forms.GiasUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.queue_gias_import(
                upload=form.cleaned_data["extract"],
                la_codes=form.cleaned_data["la_codes"],
                by=request.user,
            )
        except services.SchoolsError as error:
            form.add_error("extract", str(error))
        else:
            return redirect("schools:import_run", pk=run.pk)
    return render(request, "schools/import_new.html", {"form": form})


@requires(IMPORT)
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(GiasImportRun.objects.select_related("created_by"), pk=pk)
    return render(request, "schools/import_run.html", {"run": run})
