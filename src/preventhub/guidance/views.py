from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from preventhub.core import audit
from preventhub.core.access import requires
from preventhub.core.concurrency import ConcurrentEditError
from preventhub.core.pages import form_page
from preventhub.guidance import forms, queries, services
from preventhub.guidance.models import DocumentVersion, GuidanceDocument

VIEW = "guidance.view_library"
EDIT = "guidance.edit_library"
READERS = "guidance.view_readers"


def _today() -> datetime.date:
    return datetime.date.today()


@requires(VIEW)
def library(request: HttpRequest) -> HttpResponse:
    archived = request.GET.get("archived") == "1"
    return render(
        request,
        "guidance/library.html",
        {
            "rows": queries.library(request.user, today=_today(), archived=archived),
            "archived": archived,
            "can_edit": request.user.has_perm(EDIT),
        },
    )


@requires(VIEW)
def document(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(GuidanceDocument, pk=pk)
    found = queries.document_detail(pk)
    versions = list(found.versions.all())
    current = versions[0] if versions else None
    acknowledged = (
        current is not None and current.acknowledgements.filter(user=request.user).exists()
    )
    return render(
        request,
        "guidance/document.html",
        {
            "document": found,
            "versions": versions,
            "current": current,
            "must_read": queries.must_read(found, request.user),
            "acknowledged": acknowledged,
            "is_overdue": found.review_on < _today() and not found.is_archived,
            "can_edit": request.user.has_perm(EDIT),
            "can_see_readers": request.user.has_perm(READERS),
        },
    )


def _document_form(request: HttpRequest, found: GuidanceDocument | None) -> HttpResponse:
    form = forms.DocumentForm.for_instance(found, request.POST or None, editing=found is not None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_document(document=found, **form.service_arguments())
        except (services.GuidanceError, ConcurrentEditError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved {saved}.")
            return redirect("guidance:document", pk=saved.pk)
    return form_page(
        request,
        form=form,
        title="Change the document's details" if found else "Add a document to the library",
        intro="" if found else "Upload its file on the next page.",
        back_url=reverse("guidance:document", args=[found.pk])
        if found
        else reverse("guidance:library"),
    )


@requires(EDIT)
def document_new(request: HttpRequest) -> HttpResponse:
    return _document_form(request, None)


@requires(EDIT)
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _document_form(request, get_object_or_404(GuidanceDocument, pk=pk))


@requires(EDIT)
def version_new(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(GuidanceDocument, pk=pk)
    form = forms.VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.add_version(
                document=found, by=request.user, **form.service_arguments()
            )
        except services.GuidanceError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, f"Added version {added.number} of {found}.")
            return redirect("guidance:document", pk=found.pk)
    return render(request, "guidance/version_new.html", {"form": form, "document": found})


@requires(VIEW)
def version_file(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(DocumentVersion.objects.select_related("document"), pk=pk)
    try:
        handle = found.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("The file is missing") from error
    audit.record_export(what="guidance.documentversion", rows=1, detail=str(found))
    response = FileResponse(
        handle, as_attachment=True, filename=found.original_name, content_type=found.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@requires("guidance.acknowledge")
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(GuidanceDocument, pk=pk)
    try:
        services.acknowledge(document=found, user=request.user)
    except services.GuidanceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Thank you: you have confirmed you have read {found}.")
    return redirect("guidance:document", pk=found.pk)


@requires(READERS)
def readers(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(GuidanceDocument, pk=pk)
    return render(request, "guidance/readers.html", {"reading": queries.reading_list(found)})
