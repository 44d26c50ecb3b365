"""Write operations on accounts: each one transaction, keyword-only arguments."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from preventhub.accounts import queries
from preventhub.accounts.models import User
from preventhub.core import audit
from preventhub.core.concurrency import save_versioned
from preventhub.core.models import AuditEvent
from preventhub.core.roles import Role, forget_roles
from preventhub.partnership.models import Area, Organisation

logger = logging.getLogger(__name__)

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"


class AccountError(Exception):
    """A request about an account that cannot be carried out; the message says why."""


def ensure_roles() -> None:
    """Make sure every role exists as a group (idempotent)."""
    for role in Role:
        Group.objects.get_or_create(name=role.value)


def _set_roles(user: User, roles: Iterable[str]) -> None:
    wanted = {str(role) for role in roles}
    unknown = wanted - set(Role.values)
    if unknown:
        raise AccountError(f"Unknown role: {', '.join(sorted(unknown))}")
    ensure_roles()
    current = set(user.groups.values_list("name", flat=True))
    if wanted - current:
        user.groups.add(*Group.objects.filter(name__in=wanted - current))
    if current - wanted:
        user.groups.remove(*Group.objects.filter(name__in=current - wanted))
    forget_roles(user)


def _send_invitation(user: User, body: str) -> None:
    try:
        send_mail(
            f"You have been invited to {settings.PREVENTHUB_SERVICE_NAME}", body, None, [user.email]
        )
    except OSError:
        # The account stands; the person can ask for a new link with "I have forgotten my
        # password". The link itself is never logged.
        logger.exception("The invitation e-mail to account %s could not be sent.", user.pk)


def set_password_link(*, user: User, site_url: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return f"{site_url.rstrip('/')}{path}"


@transaction.atomic
def invite_user(
    *,
    email: str,
    full_name: str,
    organisation: Organisation | None,
    district: Area | None,
    roles: Iterable[str],
    site_url: str,
    password: str | None = None,
) -> User:
    """Create an account and e-mail its owner a link to choose a password."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise AccountError(f"There is already an account for {email}.")
    user = User.objects.create_user(
        email, password, full_name=full_name, organisation=organisation, district=district
    )
    _set_roles(user, roles)
    if password is None:
        link = set_password_link(user=user, site_url=site_url)
        body = render_to_string(
            "accounts/email/invitation.txt",
            {
                "user": user,
                "link": link,
                "site_url": site_url,
                "service_name": settings.PREVENTHUB_SERVICE_NAME,
                "link_lifetime": queries.link_lifetime(),
            },
        )
        transaction.on_commit(lambda: _send_invitation(user, body))
    return user


@transaction.atomic
def update_user(
    *,
    user: User,
    expected_version: int,
    full_name: str,
    organisation: Organisation | None,
    district: Area | None,
    roles: Iterable[str],
    changed_by: Any | None,
) -> User:
    """Change someone's details and roles, refusing if they changed since the form was opened."""
    roles = {str(role) for role in roles}
    # Two people for every change of access: nobody grants themselves a case role, or removes
    # their own Administrator role and locks the partnership out.
    if changed_by is not None and user.pk == changed_by.pk and roles != set(user.roles):
        raise AccountError("You cannot change your own roles. Ask another administrator.")
    user.full_name = full_name
    user.organisation = organisation
    user.district = district
    save_versioned(
        user,
        expected_version=expected_version,
        update_fields=["full_name", "organisation", "district"],
    )
    _set_roles(user, roles)
    return user


@transaction.atomic
def deactivate_user(*, user: User, changed_by: Any) -> User:
    """Stop someone signing in; their account and its history are kept."""
    if user.pk == changed_by.pk:
        raise AccountError("You cannot deactivate your own account.")
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def reactivate_user(*, user: User) -> User:
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def reset_two_factor(*, user: User) -> int:
    """Remove someone's authenticator and backup codes (a lost phone); they enrol again."""
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        for device in model.objects.filter(user=user):
            device.delete()
            removed += 1
    return removed


@transaction.atomic
def start_totp_enrolment(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator a user is setting up, made once and reused until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def _new_backup_codes(user: User) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP_DEVICE_NAME)
    device.token_set.all().delete()
    codes = [secrets.token_hex(5) for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def confirm_totp_enrolment(*, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator if ``token`` is right; return fresh backup codes, else None."""
    if not device.verify_token(token.strip().replace(" ", "")):
        return None
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save()
    codes = _new_backup_codes(device.user)
    audit.record(
        action=AuditEvent.Action.TWO_FACTOR,
        obj=device.user,
        detail="Enrolled an authenticator app and received backup codes",
    )
    return codes


@transaction.atomic
def enrol_authenticator(*, user: User, token: str) -> tuple[TOTPDevice, list[str] | None]:
    """The authenticator being set up, and fresh backup codes if ``token`` confirms it."""
    device = start_totp_enrolment(user=user)
    return device, confirm_totp_enrolment(device=device, token=token)


@transaction.atomic
def regenerate_backup_codes(*, user: User) -> list[str]:
    codes = _new_backup_codes(user)
    audit.record(action=AuditEvent.Action.TWO_FACTOR, obj=user, detail="New backup codes")
    return codes


def verify_second_factor(*, user: User, token: str) -> Any | None:
    """The device that accepts ``token`` (an authenticator code or an unused backup code)."""
    token = token.strip().replace(" ", "").lower()
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(token):
            return device
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(token):
            audit.record(action=AuditEvent.Action.TWO_FACTOR, obj=user, detail="Used a backup code")
            return device
    audit.record(
        action=AuditEvent.Action.TWO_FACTOR, obj=user, actor=user, detail="Wrong two-factor code"
    )
    return None
