"""Pages for oversight, which show no identifiable case data: the protected statistics, the
break-glass log and retention (for the Data protection officer)."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from preventhub.casework import access, queries, services, stats
from preventhub.casework.forms import LegalHoldForm, StatisticsForm
from preventhub.casework.models import Referral
from preventhub.core import audit, calendar
from preventhub.core.access import requires
from preventhub.core.disclosure import Cell, ProtectedTable
from preventhub.core.exports import csv_response
from preventhub.core.pages import form_page
from preventhub.core.roles import CASE_ROLES, roles_of


def _statistics_form(request: HttpRequest) -> StatisticsForm:
    periods = stats.ended_periods(timezone.localdate())
    data = request.GET if "by" in request.GET else None
    return StatisticsForm(
        data,
        periods=periods,
        own_cases=bool(roles_of(request.user) & CASE_ROLES),
        initial={
            "scope": "partnership",
            "period": periods[0].code if periods else "",
            "by": "age_band",
            "date_from": calendar.financial_quarter(
                calendar.financial_year_of(timezone.localdate()), 1
            )[1],
            "date_to": timezone.localdate(),
        },
    )


def _table(request: HttpRequest, form: StatisticsForm) -> stats.Table | None:
    """The table asked for, or None with the reason added to the form."""
    if not form.is_bound or not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        if data["scope"] == "own":
            return stats.exact_table(
                referrals=access.worked_referrals(request.user),
                date_from=data["date_from"],
                date_to=data["date_to"],
                by=data["by"],
                then_by=data["then_by"],
                bands=data["age_bands"],
            )
        return stats.protected_table(
            period=data["reporting_period"],
            by=data["by"],
            then_by=data["then_by"],
            today=timezone.localdate(),
        )
    except stats.StatisticsError as error:
        form.add_error(None, str(error))
        return None


def _caption(form: StatisticsForm) -> str:
    data = form.cleaned_data
    if data["scope"] == "own":
        when = f"{date_format(data['date_from'])} to {date_format(data['date_to'])}"
        whose = "Your cases received"
    else:
        when = data["reporting_period"].label
        whose = "Referrals received in"
    counted = stats.DIMENSIONS[data["by"]].lower()
    if data["then_by"]:
        counted += f" and {stats.DIMENSIONS[data['then_by']].lower()}"
    return f"{whose} {when}, by {counted}"


@requires("casework.view_statistics")
def statistics(request: HttpRequest) -> HttpResponse:
    form = _statistics_form(request)
    table = _table(request, form)
    context: dict[str, object] = {
        "form": form,
        "table": table,
        "query": request.GET.urlencode(),
        "threshold": settings.PREVENTHUB_DISCLOSURE_THRESHOLD,
    }
    if table is not None:
        context["caption"] = _caption(form)
        context["dimension"] = stats.DIMENSIONS[form.cleaned_data["by"]]
        context["outcomes"] = "outcome" in (form.cleaned_data["by"], form.cleaned_data["then_by"])
        if isinstance(table, ProtectedTable):
            context["rows"] = [(cell, cell.share_of(table.total)) for cell in table.cells]
    return render(request, "casework/statistics.html", context)


def _csv_rows(table: stats.Table) -> tuple[list[str], list[list[object]]]:
    def shown(cell: Cell) -> object:
        return "" if cell.count is None else cell.count

    if isinstance(table, ProtectedTable):
        rows: list[list[object]] = [
            [cell.label, shown(cell), "yes" if cell.suppressed else "no"] for cell in table.cells
        ]
        rows.append(["Total", "" if table.total is None else table.total, ""])
        return ["category", "count", "suppressed"], rows
    header = ["category", *table.column_labels, "Total"]
    rows = [
        [label, *(shown(cell) for cell in cells), shown(table.row_totals[index])]
        for index, (label, cells) in enumerate(zip(table.row_labels, table.cells, strict=True))
    ]
    rows.append(["Total", *(shown(cell) for cell in table.column_totals), shown(table.total)])
    return header, rows


@requires("casework.view_statistics")
def statistics_export(request: HttpRequest) -> HttpResponse:
    form = _statistics_form(request)
    table = _table(request, form)
    if table is None:
        return redirect(reverse("casework:statistics") + "?" + request.GET.urlencode())
    header, rows = _csv_rows(table)
    audit.record_export(
        what="casework.statistics",
        rows=len(rows),
        detail=f"{_caption(form)} ({'exact' if table.exact else 'protected'})"[:400],
    )
    return csv_response("referral-statistics.csv", header, rows)


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
                by=request.user,
                **form.service_arguments(),
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
