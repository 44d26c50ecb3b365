from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from preventhub.core import audit
from preventhub.core.access import get_object_or_403, requires
from preventhub.core.charts import Series, stacked_bar_svg
from preventhub.core.concurrency import ConcurrentEditError
from preventhub.core.exports import table_response
from preventhub.core.numbers import whole_number
from preventhub.core.pages import form_page
from preventhub.localprofile import forms, queries, services, spreadsheet
from preventhub.localprofile.models import Indicator
from preventhub.partnership.models import Area, ReportingPeriod
from preventhub.returns import queries as returns_queries
from preventhub.returns.models import PartnerReturn, ReturnKind
from preventhub.returns.pages import pressed_at, template_download, upload_page

VIEW = "localprofile.view_indicators"
EDIT = "localprofile.edit_indicators"
DATASET = "localprofile.view_dataset"
RETURNS = "returns.view_returns"
FILL = "returns.fill_return"


@requires(VIEW)
def indicators(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "localprofile/indicators.html",
        {
            "indicators": Indicator.objects.prefetch_related("sectors"),
            "can_edit": request.user.has_perm(EDIT),
        },
    )


def _indicator_form(request: HttpRequest, found: Indicator | None) -> HttpResponse:
    form = forms.IndicatorForm.for_instance(found, request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_indicator(indicator=found, **form.service_arguments())
        except (services.LocalProfileError, ConcurrentEditError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved {saved}.")
            return redirect("localprofile:indicators")
    return form_page(
        request,
        form=form,
        title=f"Change {found}" if found else "Add an indicator",
        caption="Local profile data",
        intro="Indicators are counts about places and organisations, never about people.",
        back_url=reverse("localprofile:indicators"),
    )


@requires(EDIT)
def indicator_new(request: HttpRequest) -> HttpResponse:
    return _indicator_form(request, None)


@requires(EDIT)
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _indicator_form(request, get_object_or_404(Indicator, pk=pk))


# ---- a partner's data return ---------------------------------------------------------------------


def _data_return(request: HttpRequest, pk: int) -> PartnerReturn:
    return get_object_or_403(
        request.user,
        FILL,
        PartnerReturn.objects.select_related(
            "window__period", "organisation__area", "submitted_by"
        ),
        pk=pk,
        window__kind=ReturnKind.CTLP,
    )


@requires(RETURNS)
def data_return(request: HttpRequest, pk: int) -> HttpResponse:
    found = _data_return(request, pk)
    page = queries.data_return(found)
    cells = [line.cell for line in page.lines]
    initial: dict[str, object] = {"version": found.version}
    for index, line in enumerate(page.lines):
        initial[f"value_{index}"], initial[f"note_{index}"] = line.entry.value, line.entry.note
    form = forms.FiguresForm(request.POST or None, cells=cells, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_values(
                partner_return=found,
                entries=form.entries(),
                by=request.user,
                **form.service_arguments(),
            )
        except services.InvalidFigures as error:
            for problem in error.problems:
                form.add_error(form.field_of(problem.key, problem.field), problem.message)
        except (services.LocalProfileError, ConcurrentEditError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Saved your figures. Send the return when they are all in.")
            return redirect("localprofile:return", pk=found.pk)
    today = timezone.localdate()
    return render(
        request,
        "localprofile/return.html",
        {
            "page": page,
            "form": form,
            "rows": zip(page.lines, form.rows(), strict=True),
            "partner_return": found,
            "history": returns_queries.history(found),
            "is_late": found.is_late or found.is_overdue(today),
            "manages": request.user.has_perm("returns.manage_returns"),
        },
    )


@requires(RETURNS)
@require_POST
def return_submit(request: HttpRequest, pk: int) -> HttpResponse:
    found = _data_return(request, pk)
    version = pressed_at(request)
    if version is None:
        return redirect("localprofile:return", pk=found.pk)
    try:
        services.submit_data_return(partner_return=found, by=request.user, expected_version=version)
    except services.InvalidFigures as error:
        count = len(error.problems)
        messages.error(
            request,
            f"The return was not sent: {count} figure{'s need' if count > 1 else ' needs'} "
            f"attention. {error.problems[0].message}.",
        )
    except (services.LocalProfileError, ConcurrentEditError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Sent the data return for {found.window.period}.")
    return redirect("localprofile:return", pk=found.pk)


@requires(RETURNS)
def return_template(request: HttpRequest, pk: int) -> HttpResponse:
    found = _data_return(request, pk)
    return template_download(found, spreadsheet.template(found), "ctlp-return")


@requires(RETURNS)
def return_upload(request: HttpRequest, pk: int) -> HttpResponse:
    found = _data_return(request, pk)
    return upload_page(
        request,
        partner_return=found,
        read=lambda content, version: spreadsheet.upload(
            partner_return=found, content=content, by=request.user, expected_version=version
        ),
        refused=services.LocalProfileError,
        success=lambda count: f"Read {count} figures from your spreadsheet.",
        return_url_name="localprofile:return",
        template_url_name="localprofile:return_template",
        replaces="The figures in the file replace the ones saved in the return.",
    )


# ---- the compiled dataset, trends and districts --------------------------------------------------


def _period(request: HttpRequest) -> ReportingPeriod | None:
    asked = whole_number(request.GET.get("period", ""))
    if asked is not None:
        return get_object_or_404(ReportingPeriod, pk=asked)
    with_data = ReportingPeriod.objects.filter(return_windows__kind=ReturnKind.CTLP)
    return with_data.order_by("-starts_on").first()


@requires(DATASET)
def dataset(request: HttpRequest) -> HttpResponse:
    period = _period(request)
    return render(
        request,
        "localprofile/dataset.html",
        {
            "compiled": queries.dataset(period) if period else None,
            "period": period,
            "periods": ReportingPeriod.objects.filter(return_windows__kind=ReturnKind.CTLP)
            .order_by("-starts_on")
            .distinct(),
        },
    )


@requires(DATASET)
def dataset_export(request: HttpRequest, fmt: str) -> HttpResponse:
    period = _period(request)
    if period is None:
        return redirect("localprofile:dataset")
    table = queries.dataset_table(queries.dataset(period))
    response = table_response(
        table, filename=f"ctlp-data-{period.name.replace('/', '-').replace(' ', '-')}", fmt=fmt
    )
    audit.record_export(what="localprofile.dataset", rows=len(table.rows), detail=fmt)
    return response


def _trend_charts(found: queries.Trends, prefix: str) -> list[tuple[str, str]]:
    labels = [period.name for period in found.periods]
    charts = []
    for index, row in enumerate(found.rows):
        if not any(row.values):
            continue
        chart = stacked_bar_svg(
            labels,
            [Series("Total", "#1d70b8", [value or 0 for value in row.values])],
            title=f"{row.label}, by quarter",
            description="One bar for each quarter. The table on this page gives the same figures.",
            id_prefix=f"{prefix}-{index}",
        )
        charts.append((row.label, chart))
    return charts


@requires(DATASET)
def trends(request: HttpRequest) -> HttpResponse:
    found = queries.trends()
    return render(
        request,
        "localprofile/trends.html",
        {"trends": found, "charts": _trend_charts(found, "trend"), "district": None},
    )


@requires("localprofile.view_districts")
def district(request: HttpRequest, gss_code: str) -> HttpResponse:
    area = get_object_or_403(
        request.user, "localprofile.view_district", Area.objects.all(), gss_code=gss_code
    )
    found = queries.trends(district=area, statuses=("submitted", "accepted"))
    return render(
        request,
        "localprofile/district.html",
        {
            "district": area,
            "trends": found,
            "figures": queries.district_figures(area),
        },
    )
