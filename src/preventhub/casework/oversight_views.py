"""Pages for oversight, which show no identifiable case data: the protected statistics, the
break-glass log and retention (for the Data protection officer)."""

from __future__ import annotations

import datetime

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from preventhub.casework import queries, services, stats
from preventhub.casework.forms import LegalHoldForm, StatisticsForm
from preventhub.casework.models import Referral
from preventhub.core import audit
from preventhub.core.access import requires
from preventhub.core.disclosure import ProtectedTable
from preventhub.core.exports import csv_response
from preventhub.core.pages import form_page


def _financial_year_start(today: datetime.date) -> datetime.date:
    year = today.year if today.month >= 4 else today.year - 1
    return datetime.date(year, 4, 1)


def _statistics_form(request: HttpRequest) -> StatisticsForm:
    today = timezone.localdate()
    data = request.GET if "date_from" in request.GET else None
    return StatisticsForm(
        data,
        initial={"date_from": _financial_year_start(today), "date_to": today, "by": "age_band"},
    )


def _table(form: StatisticsForm) -> ProtectedTable | None:
    if not form.is_bound or not form.is_valid():
        return None
    data = form.cleaned_data
    return stats.protected_table(
        date_from=data["date_from"], date_to=data["date_to"], by=data["by"], bands=data["age_bands"]
    )


@requires("casework.view_statistics")
def statistics(request: HttpRequest) -> HttpResponse:
    form = _statistics_form(request)
    table = _table(form)
    rows = [(cell, cell.share_of(table.total)) for cell in table.cells] if table is not None else []
    return render(
        request,
        "casework/statistics.html",
        {
            "form": form,
            "table": table,
            "rows": rows,
            "dimension": stats.DIMENSIONS.get(form.cleaned_data.get("by", ""), "") if table else "",
            "query": request.GET.urlencode(),
        },
    )


@requires("casework.view_statistics")
def statistics_export(request: HttpRequest) -> HttpResponse:
    form = _statistics_form(request)
    table = _table(form)
    if table is None:
        return redirect(reverse("casework:statistics") + "?" + request.GET.urlencode())
    rows = [
        [cell.label, "" if cell.count is None else cell.count, "yes" if cell.suppressed else "no"]
        for cell in table.cells
    ]
    rows.append(["Total", "" if table.total is None else table.total, ""])
    audit.record_export(
        what="casework.statistics", rows=len(rows), detail=request.GET.urlencode()[:400]
    )
    return csv_response("referral-statistics.csv", ["category", "count", "suppressed"], rows)


@requires("casework.view_break_glass_log")
def break_glass_log(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.break_glass_log(), 50).get_page(request.GET.get("page"))
    return render(request, "casework/break_glass_log.html", {"page": page})


@requires("casework.manage_retention")
def retention(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.retention_rows(), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "casework/retention.html",
        {"page": page, "today": timezone.localdate()},
    )


@requires("casework.manage_retention")
def legal_hold(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_object_or_404(
        Referral.objects.only("reference", "legal_hold", "closed_on", "retain_until", "version"),
        pk=pk,
        purged_on__isnull=True,
    )
    form = LegalHoldForm(request.POST or None, initial={"hold": referral.legal_hold})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_legal_hold(
                referral=Referral.objects.get(pk=referral.pk),
                hold=form.cleaned_data["hold"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except services.CaseworkError as error:
            form.add_error(None, str(error))
        else:
            return redirect("casework:retention")
    return form_page(
        request,
        form=form,
        title="Legal hold",
        caption=referral.reference,
        intro="A record on legal hold is not destroyed when its retention date passes. When the "
        "hold is lifted, the clock starts again.",
        back_url=reverse("casework:retention"),
    )
