"""Referral pages: the list, intake, the partner form, the case page, triage, routing,
break-glass and the subject access export. Channel pages are in ``channel.py``, and the pages for
oversight (statistics, retention, the break-glass log) in ``oversight.py``.

Every page about one referral gets it through :func:`case_or_404`: a case the person may not
open answers 404, and every read is written to the access log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import InvalidPage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from preventhub.casework import access, export, queries, services
from preventhub.casework.forms import (
    BreakGlassForm,
    IntakeCorrectionForm,
    PartnerReferralForm,
    ReferralForm,
    RouteForm,
    TriageForm,
    police_forces,
)
from preventhub.casework.models import Referral
from preventhub.core import audit
from preventhub.core.access import requires
from preventhub.core.concurrency import ConcurrentEditError
from preventhub.core.pages import form_page
from preventhub.core.pagination import pagination


def case_or_404(request: HttpRequest, pk: int, *, permission: str, purpose: str) -> Referral:
    """The referral, if this person may see it and holds ``permission`` on it; else 404.

    The read is logged before anything of the case is shown.
    """
    referral = (
        access.visible_referrals(request.user)
        .select_related("district", "concern_type", "panel", "previous_referral")
        .filter(pk=pk)
        .first()
    )
    if referral is None or not request.user.has_perm(permission, referral):
        raise Http404
    audit.record_access(referral, purpose=purpose)
    return referral


@requires("casework.view_referral")
def referral_list(request: HttpRequest) -> HttpResponse:
    stage = request.GET.get("stage", "")
    if stage not in Referral.Stage.values:
        stage = ""
    try:
        page = queries.referral_page(
            request.user, stage=stage, page_number=request.GET.get("page", 1)
        )
    except InvalidPage as error:
        raise Http404("There is no such page of referrals.") from error
    audit.record(
        action="read",
        object_type="casework.referral",
        object_repr=f"{len(page.object_list)} referrals listed",
        detail=f"Referral list{': ' + stage if stage else ''}, page {page.number}",
    )
    return render(
        request,
        "casework/referral_list.html",
        {
            "rows": page.object_list,
            "pagination": pagination(page, request.GET),
            "stage": stage,
            "stages": Referral.Stage.choices,
        },
    )


def _subject(data: dict[str, Any]) -> services.Subject:
    return services.Subject(
        given_name=data["given_name"],
        family_name=data["family_name"],
        date_of_birth=data.get("date_of_birth"),
        gender=data["gender"],
        district=data.get("district"),
        address=data.get("address", ""),
    )


def _source_of(user: Any) -> str:
    from preventhub.core.roles import Role, roles_of

    if Role.POLICE_OFFICER in roles_of(user):
        return Referral.Source.POLICE
    return Referral.Source.LOCAL_AUTHORITY


# The referral's sector for the organisation's sector, to fill in the form.
SECTOR_OF_ORGANISATION = {
    "police": "police",
    "local-authority": "local_authority",
    "health": "health",
    "schools": "education",
    "early-years": "education",
    "further-education": "education",
    "higher-education": "education",
    "third-sector": "community",
    "faith-community": "community",
}


def _intake_initial(user: Any) -> dict[str, Any]:
    """The form filled in with what is known: today, and the signed-in person's organisation
    (and its force, if it is one), which they can change when recording someone else's."""
    initial: dict[str, Any] = {"received_on": timezone.localdate()}
    organisation = getattr(user, "organisation", None)
    if organisation is not None:
        initial["referrer_organisation"] = organisation.name
        sector = SECTOR_OF_ORGANISATION.get(organisation.sector.code if organisation.sector else "")
        if sector:
            initial["referrer_sector"] = sector
        if police_forces().filter(pk=organisation.pk).exists():
            initial["force"] = organisation.pk
    return initial


@requires("casework.intake")
def intake(request: HttpRequest) -> HttpResponse:
    """Intake in two steps when needed: possible earlier referrals are shown before saving."""
    duplicates: list[queries.PossibleDuplicate] = []
    form = ReferralForm(request.POST or None, initial=_intake_initial(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = queries.possible_duplicates(
            request.user,
            given_name=data["given_name"],
            family_name=data["family_name"],
            born=data.get("date_of_birth"),
        )
        if duplicates and not data.get("duplicates_seen"):
            posted = request.POST.copy()
            posted["duplicates_seen"] = "on"
            form = ReferralForm(posted, duplicates=duplicates)
            form.is_valid()
            return render(request, "casework/intake.html", {"form": form, "duplicates": duplicates})
        form = ReferralForm(request.POST, duplicates=duplicates)
        if form.is_valid():
            data = form.cleaned_data
            chosen = data.get("previous_referral")
            previous = (
                Referral.objects.filter(pk=int(chosen), purged_on__isnull=True).first()
                if chosen
                else None
            )
            try:
                referral = services.receive_referral(
                    by=request.user,
                    source=_source_of(request.user),
                    received_on=data["received_on"],
                    force=data["force"],
                    referrer_organisation=data["referrer_organisation"],
                    referrer_sector=data["referrer_sector"],
                    referrer_name=data["referrer_name"],
                    subject=_subject(data),
                    concern_type=data["concern_type"],
                    concerns=data["concerns"],
                    awareness=data["awareness"],
                    safeguarding_involved=data["safeguarding_involved"],
                    safeguarding_details=data["safeguarding_details"],
                    previous_referral=previous,
                )
            except services.CaseworkError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Referral {referral.reference} recorded.")
                if access.can_see(request.user, referral):
                    return redirect("casework:referral", pk=referral.pk)
                return redirect("casework:index")
    return render(request, "casework/intake.html", {"form": form, "duplicates": duplicates})


@requires("casework.refer")
def refer(request: HttpRequest) -> HttpResponse:
    """The partner referral form: it creates a referral and gives the referrer no access to it."""
    form = PartnerReferralForm(request.POST or None, initial=_intake_initial(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = request.user
        try:
            referral = services.receive_referral(
                by=user,
                source=Referral.Source.PARTNER_FORM,
                received_on=timezone.localdate(),
                force=data["force"],
                referrer_organisation=data["referrer_organisation"],
                referrer_sector=data["referrer_sector"],
                referrer_name=user.full_name,
                subject=_subject(data),
                concern_type=data["concern_type"],
                concerns=data["concerns"],
                awareness=data["awareness"],
                safeguarding_involved=data["safeguarding_involved"],
                safeguarding_details=data["safeguarding_details"],
            )
        except services.CaseworkError as error:
            form.add_error(None, str(error))
        else:
            return render(request, "casework/referred.html", {"reference": referral.reference})
    return render(request, "casework/refer.html", {"form": form})


@requires("casework.view_referral", hide=True)
def referral(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_or_404(
        request, pk, permission="casework.view_referral", purpose="Opened the case page"
    )
    return render(
        request, "casework/referral.html", {"page": queries.case_page(case, request.user)}
    )


@requires("casework.correct_intake", hide=True)
def correct_intake(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the intake details; the earlier values stay in the case's history."""
    case = case_or_404(
        request, pk, permission="casework.correct_intake", purpose="Opened intake correction"
    )
    form = IntakeCorrectionForm(
        request.POST or None, referral=case, initial=IntakeCorrectionForm.initial_from(case)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_intake(referral=case, by=request.user, **form.service_arguments())
        except (services.CaseworkError, ConcurrentEditError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Intake details corrected. The earlier details are kept.")
            return redirect("casework:referral", pk=case.pk)
    return form_page(
        request,
        form=form,
        title="Correct the intake details",
        caption=case.reference,
        intro="Change what was recorded wrongly, and say why. The earlier details are kept in "
        "the case's history, and the change is recorded with your name.",
        back_url=reverse("casework:referral", args=[case.pk]),
        submit_label="Save the correction",
    )


@requires("casework.triage", hide=True)
def triage(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_or_404(request, pk, permission="casework.triage", purpose="Opened triage")
    form = TriageForm(
        request.POST or None,
        initial={"version": case.version, "decided_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_triage(referral=case, by=request.user, **form.service_arguments())
        except (services.CaseworkError, ConcurrentEditError) as error:
            form.add_error(None, str(error))
        else:
            return redirect("casework:referral", pk=case.pk)
    clock = queries.triage_clock(case)
    return form_page(
        request,
        form=form,
        title="Triage and deconfliction",
        caption=case.reference,
        intro=f"{clock.working_days} working days since the referral was received "
        f"(target {clock.target}).",
        back_url=reverse("casework:referral", args=[case.pk]),
        submit_label="Record triage",
    )


@requires("casework.triage", hide=True)
def route(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_or_404(request, pk, permission="casework.triage", purpose="Opened routing")
    form = RouteForm(
        request.POST or None, initial={"version": case.version, "on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.route_referral(referral=case, by=request.user, **form.service_arguments())
        except (services.CaseworkError, ConcurrentEditError) as error:
            form.add_error(None, str(error))
        else:
            return redirect("casework:referral", pk=case.pk)
    return form_page(
        request,
        form=form,
        title="Route the referral",
        caption=case.reference,
        back_url=reverse("casework:referral", args=[case.pk]),
        submit_label="Record routing",
    )


@requires("casework.break_glass")
def break_glass(request: HttpRequest) -> HttpResponse:
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = Referral.objects.filter(
            reference=form.cleaned_data["reference"].strip().upper(), purged_on__isnull=True
        ).first()
        if case is None:
            form.add_error("reference", "There is no open record with that reference")
        else:
            try:
                services.break_glass(
                    user=request.user, referral=case, reason=form.cleaned_data["reason"]
                )
            except services.CaseworkError as error:
                form.add_error("reason", str(error))
            else:
                return redirect("casework:referral", pk=case.pk)
    return form_page(
        request,
        form=form,
        title="Open a case outside your work",
        intro="Only do this when you must act on a case that is not yours, for example in an "
        "emergency. Your reason and every page you open are recorded, and the Data protection "
        "officer reviews them.",
        back_url=reverse("casework:index"),
        submit_label="Open the case",
    )


@requires("casework.export_case", hide=True)
def export_json(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_or_404(
        request, pk, permission="casework.export_case", purpose="Subject access export (JSON)"
    )
    bundle = export.bundle(case)
    audit.record_export(what="casework.referral", rows=1, detail=f"{case.reference} JSON")
    return export.json_response(bundle, case)


@requires("casework.export_case", hide=True)
def export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_or_404(
        request, pk, permission="casework.export_case", purpose="Subject access export (PDF)"
    )
    bundle = export.bundle(case)
    audit.record_export(what="casework.referral", rows=1, detail=f"{case.reference} PDF")
    return export.pdf_response(bundle, case)
