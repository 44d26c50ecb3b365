"""Pages of reports: the list, committee reports and their sections, Board packs and versions."""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from preventhub.core import audit
from preventhub.core.access import declared_access, get_object_or_403, requires
from preventhub.core.concurrency import ConcurrentEditError
from preventhub.core.exports import FORMAT_NAMES, Table, table_response
from preventhub.core.hrefs import kept_reverse
from preventhub.core.pages import form_page
from preventhub.partnership.models import Meeting, ReportingPeriod
from preventhub.reports import build, documents, figures, forms, queries, services
from preventhub.reports.models import (
    BoardPack,
    CommitteeReport,
    CommitteeSection,
    PackVersion,
    ReportBuild,
)

VIEW = "reports.view_reports"
EDIT = "reports.edit_reports"
READ_BUILD = "reports.read_build"
Errors = (services.ReportError, ConcurrentEditError)


@requires(VIEW)
def index(request: HttpRequest) -> HttpResponse:
    can_edit = request.user.has_perm(EDIT)
    rows = queries.packs()
    if not can_edit:
        rows = [row for row in rows if row.latest is not None]
    return render(
        request,
        "reports/index.html",
        {
            "can_edit": can_edit,
            "packs": rows,
            "reports": queries.committee_reports(),
            "figures": list(figures.REGISTRY.values()),
        },
    )


def _opens(user: Any, url: str) -> bool:
    """Whether ``user`` may open the page at ``url`` (a path of this site)."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return False
    access = declared_access(match.func)
    if access is None:
        return False
    return access.kind != "permission" or user.has_perm(access.permission)


def for_viewer(document: build.Document, user: Any) -> build.Document:
    """The document with each figure's link set for this person: its source page when they may
    open it, else its line in the sources appendix."""
    shown = copy.deepcopy(document)
    opens = {
        entry["number"]: entry["source_url"] and _opens(user, entry["source_url"])
        for entry in shown["figures"]
    }
    for entry in shown["figures"]:
        entry["link"] = entry["source_url"] if opens[entry["number"]] else ""
    for section in shown["sections"]:
        for paragraph in section["paragraphs"]:
            for run in paragraph["runs"]:
                if run.get("figure"):
                    run["link"] = (
                        run["href"] if opens.get(run["figure"]) else f"#figure-{run['figure']}"
                    )
        section["links"] = [link for link in section.get("links", []) if _opens(user, link["href"])]
    return shown


def _site(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _table(document: build.Document, index: int, fmt: str, what: str) -> HttpResponse:
    """One section's table as CSV, XLSX or ODS: the same rows as on the page."""
    sections = document["sections"]
    if not 0 <= index < len(sections) or not sections[index].get("table"):
        raise Http404("No such table")
    table = sections[index]["table"]
    return _table_download(
        document,
        Table(table["caption"], list(table["headers"]), [list(row) for row in table["rows"]]),
        fmt,
        what,
        suffix=f"table-{index + 1}",
    )


def _sources(request: HttpRequest, document: build.Document, fmt: str, what: str) -> HttpResponse:
    """The appendix of the figures' sources as CSV, XLSX or ODS: the same rows as on the page,
    with each source page's address in full, as in the Word file."""
    table = Table(
        build.SOURCES_CAPTION,
        list(build.SOURCES_HEADERS),
        build.sources_rows(document, site_url=_site(request)),
    )
    return _table_download(document, table, fmt, what, "sources")


def _formats(name: str, pk: int) -> list[dict[str, str]]:
    """The links to a table in each format a table downloads as."""
    return [
        {"text": text, "href": kept_reverse(name, pk, fmt)} for fmt, text in FORMAT_NAMES.items()
    ]


def _table_download(
    document: build.Document, table: Table, fmt: str, what: str, suffix: str
) -> HttpResponse:
    audit.record_export(
        what=what, rows=len(table.rows), detail=f"{document['title']}: {table.title}"
    )
    name = documents.filename(document, "x")[:-2] + f"-{suffix}"
    return table_response(table, filename=name, fmt=fmt)


# ---- committee reports ---------------------------------------------------------------------------


def _committee_document(report: CommitteeReport) -> build.Document:
    return build.committee_document(report, today=timezone.localdate())


@requires(VIEW)
def committee(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(CommitteeReport, pk=pk)
    actions: list[dict[str, str]] = []
    if request.user.has_perm(EDIT):
        actions = [
            {
                "text": "Change the report's details",
                "href": reverse("reports:committee_edit", args=[pk]),
            },
            {"text": "Add a section", "href": reverse("reports:section_new", args=[pk])},
        ] + [
            {
                "text": f"Change the section {section.heading}",
                "href": reverse("reports:section_edit", args=[section.pk]),
            }
            for section in report.sections.all()
        ]
    return render(
        request,
        "reports/document.html",
        {
            "document": for_viewer(_committee_document(report), request.user),
            "pdf_url": reverse("reports:committee_build", args=[pk, "pdf"]),
            "docx_url": reverse("reports:committee_build", args=[pk, "docx"]),
            "table_url": f"/reports/committee/{pk}/tables/",
            "sources_downloads": _formats("reports:committee_sources", pk),
            "actions": actions,
            "notice": "Built from the data as it is today: "
            "each figure links to the page it came from.",
        },
    )


@requires(VIEW)
def committee_table(request: HttpRequest, pk: int, index: int, fmt: str) -> HttpResponse:
    report = get_object_or_404(CommitteeReport, pk=pk)
    return _table(_committee_document(report), index, fmt, "reports.committee_table")


@requires(VIEW)
def committee_sources(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    report = get_object_or_404(CommitteeReport, pk=pk)
    return _sources(request, _committee_document(report), fmt, "reports.committee_table")


@require_POST
@requires(VIEW)
def committee_build(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    return _ask_for_file(request, get_object_or_404(CommitteeReport, pk=pk), fmt)


def _committee_form_page(request: HttpRequest, found: CommitteeReport | None) -> HttpResponse:
    form = forms.CommitteeReportForm.for_instance(found, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_committee_report(report=found, **form.service_arguments())
        except Errors as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved the report {saved.title}.")
            return redirect("reports:committee", pk=saved.pk)
    return form_page(
        request,
        form=form,
        title=f"Change {found.title}" if found else "Write a committee report",
        back_url=reverse("reports:committee", args=[found.pk])
        if found
        else reverse("reports:index"),
    )


@requires(EDIT)
def committee_new(request: HttpRequest) -> HttpResponse:
    return _committee_form_page(request, None)


@requires(EDIT)
def committee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _committee_form_page(request, get_object_or_404(CommitteeReport, pk=pk))


def _section_form_page(
    request: HttpRequest, report: CommitteeReport, found: CommitteeSection | None
) -> HttpResponse:
    form = forms.CommitteeSectionForm.for_instance(found, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_committee_section(
                report=report, section=found, **form.service_arguments()
            )
        except Errors as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Saved the section.")
            return redirect("reports:committee", pk=report.pk)
    return form_page(
        request,
        form=form,
        title=f"Change the section {found.heading}" if found else "Add a section",
        caption=report.title,
        back_url=reverse("reports:committee", args=[report.pk]),
    )


@requires(EDIT)
def section_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _section_form_page(request, get_object_or_404(CommitteeReport, pk=pk), None)


@requires(EDIT)
def section_edit(request: HttpRequest, pk: int) -> HttpResponse:
    section = get_object_or_404(CommitteeSection.objects.select_related("report"), pk=pk)
    return _section_form_page(request, section.report, section)


# ---- Board packs ---------------------------------------------------------------------------------


@requires(EDIT)
def pack_new(request: HttpRequest) -> HttpResponse:
    periods = ReportingPeriod.objects.filter(board_pack__isnull=True).order_by("-starts_on")
    form = forms.PackNewForm(request.POST or None, periods=periods)
    if request.method == "POST" and form.is_valid():
        pack = services.create_pack(period=form.cleaned_data["period"])
        messages.success(request, f"Started {pack.title}.")
        return redirect("reports:pack", pk=pack.pk)
    return form_page(
        request,
        form=form,
        title="Start a Board pack",
        back_url=reverse("reports:index"),
        submit_label="Start",
    )


def _pack_document(pack: BoardPack) -> build.Document:
    return build.pack_document(pack, today=timezone.localdate())


@requires(EDIT)
def pack(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(BoardPack.objects.select_related("period", "meeting"), pk=pk)
    return render(
        request,
        "reports/document.html",
        {
            "document": for_viewer(_pack_document(found), request.user),
            "pdf_url": reverse("reports:pack_build", args=[pk, "pdf"]),
            "docx_url": reverse("reports:pack_build", args=[pk, "docx"]),
            "sources_downloads": _formats("reports:pack_sources", pk),
            "actions": [
                {
                    "text": "Choose, order and write the sections",
                    "href": reverse("reports:pack_edit", args=[pk]),
                }
            ],
            "publish_url": reverse("reports:pack_publish", args=[pk]),
            "table_url": f"/reports/packs/{pk}/tables/",
            "versions": queries.versions(found),
            "notice": "Preview: built from the data as it is now. "
            "Publishing freezes it as a new version for the Board.",
        },
    )


@require_POST
@requires(EDIT)
def pack_build(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    return _ask_for_file(request, get_object_or_404(BoardPack, pk=pk), fmt)


@requires(EDIT)
def pack_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(BoardPack, pk=pk)
    form = forms.PackForm(
        request.POST or None, pack=found, meetings=Meeting.objects.select_related("board")
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_pack(
                pack=found,
                expected_version=form.cleaned_data["version"] or found.version,
                title=form.cleaned_data["title"],
                meeting=form.cleaned_data["meeting"],
                sections=form.sections(),
            )
        except Errors as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, "Saved the pack. Publish it again for the Board to see the changes."
            )
            return redirect("reports:pack", pk=pk)
    return form_page(
        request,
        form=form,
        title=f"Change {found.title}",
        back_url=reverse("reports:pack", args=[pk]),
        intro="Give each section you want a position; "
        "leave a section's position empty to leave it out.",
    )


@require_POST
@requires(EDIT)
def pack_publish(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(BoardPack, pk=pk)
    version = services.publish_pack(pack=found, by=request.user)
    messages.success(request, f"Published version {version.number} of {found.title}.")
    return redirect("reports:pack_version", pk=version.pk)


def _version(pk: int) -> PackVersion:
    return get_object_or_404(PackVersion.objects.select_related("pack"), pk=pk)


@requires(VIEW)
def pack_version(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(pk)
    published: Any = version.published_at
    return render(
        request,
        "reports/document.html",
        {
            "document": for_viewer(version.snapshot, request.user),
            "pdf_url": reverse("reports:pack_version_build", args=[pk, "pdf"]),
            "docx_url": reverse("reports:pack_version_build", args=[pk, "docx"]),
            "sources_downloads": _formats("reports:pack_version_sources", pk),
            "versions": queries.versions(version.pack),
            "table_url": f"/reports/versions/{pk}/tables/",
            "notice": f"Version {version.number}, published {published:%-d %B %Y}: "
            "its figures are those "
            "of the day it was published.",
        },
    )


@require_POST
@requires(VIEW)
def pack_version_build(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    return _ask_for_file(request, _version(pk), fmt)


@requires(EDIT)
def pack_table(request: HttpRequest, pk: int, index: int, fmt: str) -> HttpResponse:
    found = get_object_or_404(BoardPack, pk=pk)
    return _table(_pack_document(found), index, fmt, "reports.pack_table")


@requires(VIEW)
def pack_version_table(request: HttpRequest, pk: int, index: int, fmt: str) -> HttpResponse:
    return _table(_version(pk).snapshot, index, fmt, "reports.pack_table")


@requires(EDIT)
def pack_sources(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    found = get_object_or_404(BoardPack, pk=pk)
    return _sources(request, _pack_document(found), fmt, "reports.pack_table")


@requires(VIEW)
def pack_version_sources(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    return _sources(request, _version(pk).snapshot, fmt, "reports.pack_table")


# ---- files built in the background ---------------------------------------------------------------

# How often the page of a file being built asks again, in seconds.
CHECK_SECONDS = 3


def _ask_for_file(
    request: HttpRequest, of: CommitteeReport | BoardPack | PackVersion, fmt: str
) -> HttpResponse:
    asked = services.request_build(of=of, fmt=fmt, by=request.user, site_url=_site(request))
    return redirect("reports:build", pk=asked.pk)


def _build(request: HttpRequest, pk: int) -> ReportBuild:
    return get_object_or_403(
        request.user,
        READ_BUILD,
        ReportBuild.objects.select_related("requested_by", "pack_version"),
        pk=pk,
    )


@requires(VIEW)
def build_page(request: HttpRequest, pk: int) -> HttpResponse:
    found = _build(request, pk)
    return render(request, "reports/build.html", {"build": found, "check_seconds": CHECK_SECONDS})


@requires(VIEW)
def build_file(request: HttpRequest, pk: int) -> HttpResponse:
    found = _build(request, pk)
    if found.status != ReportBuild.Status.DONE or not found.file:
        raise Http404("This file is not ready")
    try:
        handle = found.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("The file is missing") from error
    audit.record_export(
        what="reports.pack" if found.committee_report_id is None else "reports.committee",
        rows=found.figures,
        detail=f"{found.title} {found.format}",
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=found.filename,
        content_type=documents.CONTENT_TYPES[found.format],
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@requires(VIEW)
def build_again(request: HttpRequest, pk: int) -> HttpResponse:
    found = _build(request, pk)
    try:
        again = services.build_again(found=found, by=request.user)
    except services.ReportError as error:
        messages.error(request, str(error))
        return redirect("reports:build", pk=found.pk)
    return redirect("reports:build", pk=again.pk)
