from __future__ import annotations

import base64
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device

from preventhub.accounts import queries, services
from preventhub.accounts.forms import (
    EditUserForm,
    EnrolmentForm,
    InviteUserForm,
    ResetOrInvitationForm,
    SecondFactorForm,
    SignInForm,
)
from preventhub.accounts.models import User
from preventhub.core.access import public, requires, signed_in
from preventhub.core.concurrency import ConcurrentEditError
from preventhub.core.redirects import redirect_to_next, safe_next_url


def _next_url(request: HttpRequest) -> str:
    return safe_next_url(request, default=settings.LOGIN_REDIRECT_URL)


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@public(no_store=True)
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect_to_next(request, default=settings.LOGIN_REDIRECT_URL)
    form = SignInForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        login(request, form.user)
        return redirect_to_next(request, default=settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/sign_in.html", {"form": form, "next": _next_url(request)})


def locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """Called by django-axes instead of the sign-in page once an account is locked."""
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": int(settings.AXES_COOLOFF_TIME * 60)},
        status=429,
    )


@signed_in
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, "You have signed out.")
    return redirect("accounts:sign_in")


@signed_in
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified():
        return redirect_to_next(request, default=settings.LOGIN_REDIRECT_URL)
    if not user_has_device(request.user, confirmed=True):
        return redirect("accounts:two_factor_setup")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.verify_second_factor(user=request.user, token=form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect_to_next(request, default=settings.LOGIN_REDIRECT_URL)
        form.add_error(
            "code", "The code is not right, or it has expired. Enter the code your app shows now"
        )
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )


@signed_in
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    # A session that has only passed the password step must not enrol a new device.
    if user_has_device(request.user, confirmed=True) and not request.user.is_verified():
        return redirect("accounts:two_factor_verify")
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, codes = services.enrol_authenticator(
            user=request.user, token=form.cleaned_data["code"]
        )
        if codes is not None:
            otp_login(request, device)
            return render(
                request, "accounts/backup_codes.html", {"codes": codes, "next": _next_url(request)}
            )
        form.add_error(
            "code",
            "The code is not right. Check the app shows Prevent Hub and enter its current code",
        )
    else:
        device = services.start_totp_enrolment(user=request.user)
    secret = base64.b32encode(device.bin_key).decode("ascii")
    qr_svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, title="QR code for your authenticator app"
    )
    return render(
        request,
        "accounts/two_factor_setup.html",
        {"form": form, "secret": secret, "qr_svg": qr_svg, "next": _next_url(request)},
    )


@signed_in
@require_POST
def backup_codes_regenerate(request: HttpRequest) -> HttpResponse:
    if not request.user.is_verified():
        return redirect("accounts:two_factor_verify")
    codes = services.regenerate_backup_codes(user=request.user)
    return render(
        request, "accounts/backup_codes.html", {"codes": codes, "next": reverse("accounts:account")}
    )


@signed_in
def account(request: HttpRequest) -> HttpResponse:
    return render(
        request, "accounts/account.html", {"summary": queries.account_summary(request.user)}
    )


password_change = signed_in(
    auth_views.PasswordChangeView.as_view(
        template_name="accounts/password_change.html",
        success_url=reverse_lazy("accounts:password_change_done"),
    )
)
password_change_done = signed_in(
    auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html")
)
password_reset = public(
    auth_views.PasswordResetView.as_view(
        template_name="accounts/password_reset.html",
        email_template_name="accounts/email/password_reset.txt",
        subject_template_name="accounts/email/password_reset_subject.txt",
        form_class=ResetOrInvitationForm,
        extra_email_context={
            "service_name": settings.PREVENTHUB_SERVICE_NAME,
            "link_lifetime": queries.link_lifetime(),
        },
        success_url=reverse_lazy("accounts:password_reset_done"),
    )
)
password_reset_done = public(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)
password_reset_confirm = public(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("accounts:password_reset_complete"),
    )
)
password_reset_complete = public(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"
    )
)


@requires("accounts.manage_users")
def user_list(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/user_list.html", {"people": queries.people()})


@requires("accounts.manage_users")
def user_invite(request: HttpRequest) -> HttpResponse:
    form = InviteUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.invite_user(site_url=_site_url(request), **form.service_arguments())
        except services.AccountError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Invitation sent to {person.email}.")
            return redirect("accounts:user_list")
    return render(request, "accounts/user_invite.html", {"form": form})


@requires("accounts.manage_users")
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User, pk=pk)
    form = EditUserForm.for_instance(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_user(user=person, changed_by=request.user, **form.service_arguments())
        except (ConcurrentEditError, services.AccountError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved the changes to {person.full_name}.")
            return redirect("accounts:user_list")
    return render(
        request,
        "accounts/user_edit.html",
        {"form": form, "person": person, "devices": queries.two_factor_status(person)},
    )


@requires("accounts.manage_users")
@require_POST
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User, pk=pk)
    try:
        services.deactivate_user(user=person, changed_by=request.user)
    except services.AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{person.full_name} can no longer sign in.")
    return redirect("accounts:user_edit", pk=person.pk)


@requires("accounts.manage_users")
@require_POST
def user_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User, pk=pk)
    services.reactivate_user(user=person)
    messages.success(request, f"{person.full_name} can sign in again.")
    return redirect("accounts:user_edit", pk=person.pk)


@requires("accounts.manage_users")
@require_POST
def user_reset_two_factor(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User, pk=pk)
    services.reset_two_factor(user=person)
    messages.success(
        request,
        f"{person.full_name} will set up two-factor authentication again when they next sign in.",
    )
    return redirect("accounts:user_edit", pk=person.pk)
