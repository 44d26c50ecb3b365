"""The Board progress report of the Delivery Plan: the page, its PDF and its Word file.

A quarter's report exists once the quarter is closed. Before then the page says so (it is not
an error: the Board's papers link to it ahead of time), and the downloads send the reader to it.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from preventhub.core import audit
from preventhub.core.access import requires
from preventhub.delivery import report, stats
from preventhub.partnership.models import ReportingPeriod

VIEW = "delivery.view_report"


@requires(VIEW)
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "delivery/report_index.html", {"periods": stats.report_periods()})


def _not_ready(request: HttpRequest, period: ReportingPeriod, error: Exception) -> HttpResponse:
    return render(
        request, "delivery/report_not_ready.html", {"period": period, "message": str(error)}
    )


@requires(VIEW)
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(ReportingPeriod, pk=pk)
    try:
        found = stats.progress_report(period)
    except stats.ReportError as error:
        return _not_ready(request, period, error)
    return render(request, "delivery/report.html", report.context(found))


def _download(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    period = get_object_or_404(ReportingPeriod, pk=pk)
    try:
        found = stats.progress_report(period)
    except stats.ReportError:
        return redirect("delivery_reports:report", pk=period.pk)
    if extension == "pdf":
        content, content_type = report.report_pdf(found), "application/pdf"
    else:
        content, content_type = report.report_docx(found), report.DOCX_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{report.filename(found, extension)}"'
    audit.record_export(
        what="delivery.progress_report", rows=found.action_count, detail=f"{period} {extension}"
    )
    return response


@requires(VIEW)
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "pdf")


@requires(VIEW)
def report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "docx")
