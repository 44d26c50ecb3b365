from __future__ import annotations

import functools

from django.contrib import messages
from django.core.paginator import InvalidPage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from preventhub.core import audit
from preventhub.core.access import get_object_or_403, requires
from preventhub.core.concurrency import ConcurrentEditError
from preventhub.core.exports import table_response
from preventhub.core.pages import form_page
from preventhub.core.pagination import pagination
from preventhub.partnership import forms, queries, services
from preventhub.partnership.diagram import structure_svg
from preventhub.partnership.models import (
    Area,
    Board,
    Contact,
    Membership,
    Organisation,
    Sector,
)

VIEW = "partnership.view_directory"
EDIT = "partnership.edit_directory"
EDIT_MEETINGS = "partnership.edit_meetings"
EDIT_CONTACTS = "partnership.edit_contacts"


# ---- home, search, exports ---------------------------------------------------------------------


@functools.cache
def _search_box() -> SafeString:
    """The directory's search box, empty: the same on every view of one of the busiest pages, so
    drawn once in a process (a form's field is drawn through templates: 0.2 to 0.3 ms, the
    fifteenth part of the page)."""
    return mark_safe(str(forms.SearchForm()))  # noqa: S308 - Django's own rendering, escaped


@requires(VIEW)
def directory(request: HttpRequest) -> HttpResponse:
    try:
        organisations = queries.organisations_page(request.GET.get("page", 1))
    except InvalidPage as error:
        raise Http404("There is no such page of organisations.") from error
    overview = queries.overview()
    return render(
        request,
        "partnership/overview.html",
        {
            "overview": overview,
            "organisations": organisations,
            "pagination": pagination(organisations.page, request.GET),
            "diagram": structure_svg(overview.board_nodes),
            "search_form": _search_box(),
            "can_edit": request.user.has_perm(EDIT),
        },
    )


@requires(VIEW)
def search(request: HttpRequest) -> HttpResponse:
    form = forms.SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    return render(
        request, "partnership/search.html", {"form": form, "results": queries.search(query)}
    )


EXPORTS = {
    "organisations": queries.organisations_table,
    "memberships": queries.memberships_table,
    "actions": queries.open_actions_table,
}


@requires(VIEW)
def export(request: HttpRequest, what: str, fmt: str) -> HttpResponse:
    table = EXPORTS[what]()
    response = table_response(table, filename=f"partnership-{what}", fmt=fmt)
    audit.record_export(what=f"partnership.{what}", rows=len(table.rows), detail=fmt)
    return response


# ---- areas and sectors ---------------------------------------------------------------------------


def _area_form_page(request: HttpRequest, found: Area | None) -> HttpResponse:
    form = forms.AreaForm.for_instance(
        found, request.POST or None, initial={"kind": Area.Kind.DISTRICT}
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_area(area=found, **form.service_arguments())
        except services.PartnershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved {saved.name}.")
            return redirect("partnership:directory")
    return form_page(
        request,
        form=form,
        title=f"Change {found.name}" if found else "Add an area",
        back_url=reverse("partnership:directory"),
    )


@requires(EDIT)
def area_new(request: HttpRequest) -> HttpResponse:
    return _area_form_page(request, None)


@requires(EDIT)
def area_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _area_form_page(request, get_object_or_404(Area, pk=pk))


@requires(EDIT)
def sectors(request: HttpRequest) -> HttpResponse:
    return render(request, "partnership/sectors.html", {"sectors": list(queries.sectors())})


def _sector_form_page(request: HttpRequest, found: Sector | None) -> HttpResponse:
    form = forms.SectorForm.for_instance(found, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_sector(sector=found, **form.service_arguments())
        except services.PartnershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved the sector {form.cleaned_data['name']}.")
            return redirect("partnership:sectors")
    return form_page(
        request,
        form=form,
        title=f"Change {found.name}" if found else "Add a sector",
        back_url=reverse("partnership:sectors"),
    )


@requires(EDIT)
def sector_new(request: HttpRequest) -> HttpResponse:
    return _sector_form_page(request, None)


@requires(EDIT)
def sector_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _sector_form_page(request, get_object_or_404(Sector, pk=pk))


# ---- districts -----------------------------------------------------------------------------------


@requires(VIEW)
def district(request: HttpRequest, gss_code: str) -> HttpResponse:
    area = get_object_or_404(Area, gss_code=gss_code, kind=Area.Kind.DISTRICT)
    return render(
        request,
        "partnership/district.html",
        {"detail": queries.district_detail(area), "can_edit": request.user.has_perm(EDIT)},
    )


# ---- organisations and contacts ------------------------------------------------------------------


@requires(VIEW)
def organisation(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Organisation, pk=pk)
    return render(
        request,
        "partnership/organisation.html",
        {
            "detail": queries.organisation_detail(found),
            "can_edit": request.user.has_perm(EDIT),
            "can_edit_contacts": request.user.has_perm(EDIT_CONTACTS, found),
        },
    )


def _organisation_form_page(request: HttpRequest, found: Organisation | None) -> HttpResponse:
    form = forms.OrganisationForm.for_instance(found, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_organisation(organisation=found, **form.service_arguments())
        except (services.PartnershipError, ConcurrentEditError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved {saved.name}.")
            return redirect("partnership:organisation", pk=saved.pk)
    return form_page(
        request,
        form=form,
        title=f"Change {found.name}" if found else "Add an organisation",
        back_url=reverse("partnership:organisation", args=[found.pk])
        if found
        else reverse("partnership:directory"),
    )


@requires(EDIT)
def organisation_new(request: HttpRequest) -> HttpResponse:
    return _organisation_form_page(request, None)


@requires(EDIT)
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _organisation_form_page(request, get_object_or_404(Organisation, pk=pk))


@requires(EDIT)
@require_POST
def organisation_archive(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Organisation, pk=pk)
    archive = not found.is_archived
    services.set_organisation_archived(organisation=found, archived=archive)
    messages.success(request, f"{found.name} is {'archived' if archive else 'back in use'}.")
    return redirect("partnership:organisation", pk=found.pk)


@requires(EDIT)
@require_POST
def organisation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Organisation, pk=pk)
    try:
        services.delete_organisation(organisation=found)
    except services.PartnershipError as error:
        messages.error(request, str(error))
        return redirect("partnership:organisation", pk=found.pk)
    messages.success(request, f"Deleted {found.name}.")
    return redirect("partnership:directory")


@requires(EDIT)
def organisation_merge(request: HttpRequest, pk: int) -> HttpResponse:
    keep = get_object_or_404(Organisation, pk=pk)
    form = forms.MergeForm(request.POST or None, keep=keep)
    if request.method == "POST" and form.is_valid():
        duplicate = form.cleaned_data["duplicate"]
        name = duplicate.name
        try:
            services.merge_organisations(keep=keep, duplicate=duplicate)
        except services.PartnershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Merged {name} into {keep.name}.")
            return redirect("partnership:organisation", pk=keep.pk)
    return form_page(
        request,
        form=form,
        title=f"Merge a duplicate into {keep.name}",
        intro="Use this when the same organisation was entered twice. Nothing is lost: "
        "everything linked to the duplicate is linked to this organisation instead.",
        submit_label="Merge",
        back_url=reverse("partnership:organisation", args=[keep.pk]),
    )


def _contact_form_page(
    request: HttpRequest, owner: Organisation, found: Contact | None
) -> HttpResponse:
    form = forms.ContactForm.for_instance(found, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_contact(contact=found, organisation=owner, **form.service_arguments())
        except ConcurrentEditError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved the contact {form.cleaned_data['name']}.")
            return redirect("partnership:organisation", pk=owner.pk)
    return form_page(
        request,
        form=form,
        title=f"Change {found.name}" if found else "Add a contact",
        caption=owner.name,
        back_url=reverse("partnership:organisation", args=[owner.pk]),
    )


@requires(VIEW)
def contact_new(request: HttpRequest, pk: int) -> HttpResponse:
    owner = get_object_or_403(request.user, EDIT_CONTACTS, Organisation, pk=pk)
    return _contact_form_page(request, owner, None)


def _contact_for_editing(request: HttpRequest, pk: int) -> Contact:
    found = get_object_or_404(Contact.objects.select_related("organisation"), pk=pk)
    get_object_or_403(request.user, EDIT_CONTACTS, Organisation, pk=found.organisation_id)
    return found


@requires(VIEW)
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = _contact_for_editing(request, pk)
    return _contact_form_page(request, found.organisation, found)


@requires(VIEW)
@require_POST
def contact_delete(request: HttpRequest, pk: int) -> HttpResponse:
    found = _contact_for_editing(request, pk)
    try:
        services.delete_contact(contact=found)
    except services.PartnershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Removed the contact {found.name}.")
    return redirect("partnership:organisation", pk=found.organisation_id)


# ---- boards and memberships ----------------------------------------------------------------------


@requires(VIEW)
def board(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Board.objects.select_related("area", "reports_to"), pk=pk)
    return render(
        request,
        "partnership/board.html",
        {
            "detail": queries.board_detail(found),
            "can_edit": request.user.has_perm(EDIT),
            "can_edit_meetings": request.user.has_perm(EDIT_MEETINGS, found),
        },
    )


def _board_form_page(request: HttpRequest, found: Board | None) -> HttpResponse:
    form = forms.BoardForm.for_instance(found, request.POST or None, board=found)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_board(board=found, **form.service_arguments())
        except (services.PartnershipError, ConcurrentEditError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved {saved.name}.")
            return redirect("partnership:board", pk=saved.pk)
    return form_page(
        request,
        form=form,
        title=f"Change {found.name}" if found else "Add a board",
        back_url=reverse("partnership:board", args=[found.pk])
        if found
        else reverse("partnership:directory"),
    )


@requires(EDIT)
def board_new(request: HttpRequest) -> HttpResponse:
    return _board_form_page(request, None)


@requires(EDIT)
def board_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _board_form_page(request, get_object_or_404(Board, pk=pk))


@requires(EDIT)
@require_POST
def board_archive(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Board, pk=pk)
    archive = not found.is_archived
    try:
        services.set_board_archived(board=found, archived=archive)
    except services.PartnershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{found.name} is {'archived' if archive else 'back in use'}.")
    return redirect("partnership:board", pk=found.pk)


@requires(EDIT)
@require_POST
def board_delete(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Board, pk=pk)
    try:
        services.delete_board(board=found)
    except services.PartnershipError as error:
        messages.error(request, str(error))
        return redirect("partnership:board", pk=found.pk)
    messages.success(request, f"Deleted {found.name}.")
    return redirect("partnership:directory")


@requires(EDIT)
def membership_new(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Board, pk=pk)
    form = forms.MembershipForm(request.POST or None, initial={"since": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.add_membership(board=found, **form.service_arguments())
        except services.PartnershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Added the member.")
            return redirect("partnership:board", pk=found.pk)
    return form_page(
        request,
        form=form,
        title="Add a member",
        caption=found.name,
        intro="A new chair or District Prevent Lead ends the previous one's term the day before.",
        back_url=reverse("partnership:board", args=[found.pk]),
    )


@requires(EDIT)
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(
        Membership.objects.select_related("board", "user", "contact", "organisation"), pk=pk
    )
    form = forms.EndMembershipForm(request.POST or None, initial={"until": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.end_membership(membership=found, **form.service_arguments())
        except services.PartnershipError as error:
            form.add_error("until", str(error))
        else:
            messages.success(request, f"{found.person_name} has left {found.board}.")
            return redirect("partnership:board", pk=found.board_id)
    return form_page(
        request,
        form=form,
        title=f"End {found.person_name}'s membership",
        caption=f"{found.get_role_display()}, {found.board}",
        intro="Their membership stays in the board's history.",
        submit_label="End membership",
        back_url=reverse("partnership:board", args=[found.board_id]),
    )
