from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
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
from preventhub.partnership.models import ReportingPeriod
from preventhub.returns import queries as returns_queries
from preventhub.returns.models import PartnerReturn, ReturnKind
from preventhub.returns.pages import pressed_at, template_download, upload_page
from preventhub.training import forms, queries, services, spreadsheet, stats
from preventhub.training.models import (
    ProductVersion,
    RoleGroup,
    TrainingLevel,
    TrainingProduct,
    TrainingSession,
)

VIEW = "training.view_framework"
EDIT = "training.edit_framework"
COVERAGE = "training.view_coverage"
RETURNS = "returns.view_returns"
FILL = "returns.fill_return"


@requires(VIEW)
def framework(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "training/framework.html",
        {"framework": queries.framework(), "can_edit": request.user.has_perm(EDIT)},
    )


def _framework_form(
    request: HttpRequest, form_class: type, found: object, *, title: str, what: str
) -> HttpResponse:
    form = form_class.for_instance(found, request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        try:
            if what == "level":
                services.save_level(level=found, **form.service_arguments())
            else:
                services.save_role_group(role_group=found, **form.service_arguments())
        except (services.TrainingError, ConcurrentEditError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved {form.cleaned_data['name']}.")
            return redirect("training:framework")
    return form_page(
        request,
        form=form,
        title=title,
        caption="Training Framework",
        back_url=reverse("training:framework"),
    )


@requires(EDIT)
def level_new(request: HttpRequest) -> HttpResponse:
    return _framework_form(request, forms.LevelForm, None, title="Add a level", what="level")


@requires(EDIT)
def level_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(TrainingLevel, pk=pk)
    return _framework_form(request, forms.LevelForm, found, title=f"Change {found}", what="level")


@requires(EDIT)
def role_group_new(request: HttpRequest) -> HttpResponse:
    return _framework_form(
        request, forms.RoleGroupForm, None, title="Add a role group", what="group"
    )


@requires(EDIT)
def role_group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(RoleGroup, pk=pk)
    return _framework_form(
        request, forms.RoleGroupForm, found, title=f"Change {found.name}", what="group"
    )


# ---- training products ---------------------------------------------------------------------------


@requires(VIEW)
def products(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "training/products.html",
        {"products": queries.products(), "can_edit": request.user.has_perm(EDIT)},
    )


@requires(EDIT)
def product_new(request: HttpRequest) -> HttpResponse:
    form = forms.ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.save_product(**form.service_arguments())
        except services.TrainingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Added {created}.")
            return redirect("training:products")
    return form_page(
        request, form=form, title="Add a training product", back_url=reverse("training:products")
    )


@requires(EDIT)
def product_version_new(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_object_or_404(TrainingProduct, pk=pk)
    form = forms.ProductVersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.add_product_version(
                product=product, by=request.user, **form.service_arguments()
            )
        except services.TrainingError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, f"Added version {added.number} of {product}.")
            return redirect("training:products")
    return form_page(
        request,
        form=form,
        title="Upload a new version",
        caption=product.name,
        submit_label="Upload",
        back_url=reverse("training:products"),
    )


@requires(VIEW)
def product_file(request: HttpRequest, pk: int) -> FileResponse:
    version = get_object_or_404(ProductVersion.objects.select_related("product"), pk=pk)
    audit.record_export(what="training.productversion", rows=1, detail=str(version))
    return FileResponse(version.file.open("rb"), as_attachment=True, filename=version.original_name)


# ---- coverage ------------------------------------------------------------------------------------


def _coverage_day(request: HttpRequest) -> tuple[ReportingPeriod | None, datetime.date]:
    """The chosen quarter's last day, or today."""
    asked = whole_number(request.GET.get("period", ""))
    period = (
        get_object_or_404(ReportingPeriod, pk=asked)
        if asked is not None
        else ReportingPeriod.objects.filter(status=ReportingPeriod.Status.OPEN).first()
    )
    today = timezone.localdate()
    return period, min(period.ends_on, today) if period else today


def _coverage_chart(result: stats.Coverage) -> str:
    lines = result.sectors
    return stacked_bar_svg(
        [line.label for line in lines],
        [
            Series("Trained and in date", "#00703c", [line.total.trained for line in lines]),
            Series(
                "Not trained or out of date",
                "#f47738",
                [line.total.needing - line.total.trained for line in lines],
            ),
        ],
        title=f"Staff needing Prevent training by sector, {result.on:%-d %B %Y}",
        description="One bar for each sector. The table by sector gives the same figures.",
        id_prefix="coverage-chart",
    )


@requires(COVERAGE)
def coverage(request: HttpRequest) -> HttpResponse:
    period, on = _coverage_day(request)
    result = stats.coverage(on)
    return render(
        request,
        "training/coverage.html",
        {
            "coverage": result,
            "chart": _coverage_chart(result),
            "period": period,
            "periods": ReportingPeriod.objects.order_by("-starts_on"),
        },
    )


@requires(COVERAGE)
def coverage_export(request: HttpRequest, fmt: str) -> HttpResponse:
    _, on = _coverage_day(request)
    table = queries.coverage_table(stats.coverage(on))
    response = table_response(table, filename=f"training-coverage-{on:%Y-%m-%d}", fmt=fmt)
    audit.record_export(what="training.coverage", rows=len(table.rows), detail=fmt)
    return response


# ---- a partner's training return -----------------------------------------------------------------


def _training_return(request: HttpRequest, pk: int) -> PartnerReturn:
    return get_object_or_403(
        request.user,
        FILL,
        PartnerReturn.objects.select_related(
            "window__period", "organisation__sector", "submitted_by"
        ),
        pk=pk,
        window__kind=ReturnKind.TRAINING,
    )


@requires(RETURNS)
def training_return(request: HttpRequest, pk: int) -> HttpResponse:
    found = _training_return(request, pk)
    today = timezone.localdate()
    return render(
        request,
        "training/return.html",
        {
            "page": queries.training_return(found),
            "partner_return": found,
            "history": returns_queries.history(found),
            "is_late": found.is_late or found.is_overdue(today),
            "manages": request.user.has_perm("returns.manage_returns"),
        },
    )


@requires(RETURNS)
def workforce(request: HttpRequest, pk: int) -> HttpResponse:
    found = _training_return(request, pk)
    page = queries.training_return(found)
    groups = [row.role_group for row in page.workforce]
    initial = {
        f"staff_{row.role_group.pk}": row.figure.staff for row in page.workforce if row.figure
    }
    initial["as_of"] = found.window.period.ends_on
    initial["version"] = found.version
    form = forms.WorkforceForm(request.POST or None, groups=groups, initial=initial)
    back = reverse("training:return", args=[found.pk])
    if request.method == "POST" and form.is_valid():
        try:
            services.save_workforce(
                partner_return=found, staff=form.staff(), **form.service_arguments()
            )
        except (services.TrainingError, ConcurrentEditError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Saved your workforce figures.")
            return redirect(back)
    return form_page(
        request,
        form=form,
        title="How many staff need Prevent training",
        caption=str(found.organisation),
        intro="Give the number of staff in each role group. Numbers only: do not name anyone.",
        back_url=back,
    )


def _session_form(
    request: HttpRequest, found: PartnerReturn, session: TrainingSession | None
) -> HttpResponse:
    """Add training delivered to a return, or correct training already on it."""
    groups = list(queries.role_groups_for(found.organisation))
    initial = (
        {"version": found.version}
        if session is None
        else forms.SessionForm.initial_for(session, found.version)
    )
    form = forms.SessionForm(
        request.POST or None, groups=groups, period=found.window.period, initial=initial
    )
    back = reverse("training:return", args=[found.pk])
    if request.method == "POST" and form.is_valid():
        arguments = {"attendees": form.attendees(), "by": request.user}
        arguments |= form.service_arguments()
        try:
            if session is None:
                services.add_session(partner_return=found, **arguments)
            else:
                services.change_session(partner_return=found, session=session, **arguments)
        except services.DuplicateSession as error:
            form.ask_to_confirm_duplicate(str(error))
        except (services.TrainingError, ConcurrentEditError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                "Added the training delivered."
                if session is None
                else "Saved your correction. The return's history keeps what it was.",
            )
            return redirect(back)
    return form_page(
        request,
        form=form,
        title="Add training delivered" if session is None else "Correct training delivered",
        caption=f"{found.organisation}, {found.window.period}",
        intro="Count the attendees in each role group. Numbers only: do not name anyone.",
        submit_label="Add training" if session is None else "Save correction",
        back_url=back,
    )


def _session_in(found: PartnerReturn, session_pk: int) -> TrainingSession:
    session = queries.session_in_return(found, session_pk)
    if session is None:
        raise Http404
    return session


@requires(RETURNS)
def session_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _session_form(request, _training_return(request, pk), None)


@requires(RETURNS)
def session_edit(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    found = _training_return(request, pk)
    return _session_form(request, found, _session_in(found, session_pk))


@requires(RETURNS)
def session_remove(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    found = _training_return(request, pk)
    session = _session_in(found, session_pk)
    form = forms.RemoveSessionForm(request.POST or None, initial={"version": found.version})
    back = reverse("training:return", args=[found.pk])
    if request.method == "POST" and form.is_valid():
        try:
            services.remove_session(
                partner_return=found, session=session, by=request.user, **form.service_arguments()
            )
        except (services.TrainingError, ConcurrentEditError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, "Removed the training. The return's history keeps what it was."
            )
            return redirect(back)
    return form_page(
        request,
        form=form,
        title="Remove this training from the return?",
        caption=f"{found.organisation}, {found.window.period}",
        intro=f"{queries.describe_session(session)}. Remove it only if it was recorded twice or "
        "by mistake. The return's history keeps what it was and who removed it.",
        submit_label="Remove training",
        back_url=back,
    )


@requires(RETURNS)
@require_POST
def return_submit(request: HttpRequest, pk: int) -> HttpResponse:
    found = _training_return(request, pk)
    version = pressed_at(request)
    if version is None:
        return redirect("training:return", pk=found.pk)
    try:
        services.submit_training_return(
            partner_return=found, by=request.user, expected_version=version
        )
    except (services.TrainingError, ConcurrentEditError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Sent the training return for {found.window.period}.")
    return redirect("training:return", pk=found.pk)


@requires(RETURNS)
def return_template(request: HttpRequest, pk: int) -> HttpResponse:
    found = _training_return(request, pk)
    return template_download(found, spreadsheet.template(found), "training-return")


@requires(RETURNS)
def return_upload(request: HttpRequest, pk: int) -> HttpResponse:
    found = _training_return(request, pk)
    return upload_page(
        request,
        partner_return=found,
        read=lambda content, version: spreadsheet.upload(
            partner_return=found, content=content, by=request.user, expected_version=version
        ),
        success=lambda count: f"Read your staff numbers and {count} sessions.",
        return_url_name="training:return",
        template_url_name="training:return_template",
        replaces="The staff numbers and training in the file replace the return's.",
    )
