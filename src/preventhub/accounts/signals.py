"""Sign-in events: for the audit trail, and to reset an account's failed attempts."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from axes.utils import reset as reset_failed_attempts
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from preventhub.core import audit
from preventhub.core.models import AuditEvent


def _attempted_email(credentials: dict[str, Any]) -> str:
    # Someone who types their password into the e-mail box must not find it in the log.
    attempted = str(credentials.get("email") or credentials.get("username") or "")
    return (
        attempted.lower()[:254]
        if "@" in attempted and " " not in attempted
        else "(not an e-mail address)"
    )


@receiver(user_logged_in, dispatch_uid="preventhub_audit_sign_in")
def record_sign_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit.record(action=AuditEvent.Action.SIGN_IN, obj=user, actor=user)


@receiver(user_logged_in, dispatch_uid="preventhub_lockout_reset_on_sign_in")
def reset_own_failures(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """A correct sign-in clears that account's failed attempts, and no other account's."""
    # The key lockout_username gives for an account is its stored address.
    username = user.get_username()
    if username:  # axes resets every account's attempts when given no username
        reset_failed_attempts(username=username)


@receiver(user_logged_out, dispatch_uid="preventhub_audit_sign_out")
def record_sign_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(action=AuditEvent.Action.SIGN_OUT, obj=user, actor=user)


@receiver(user_login_failed, dispatch_uid="preventhub_audit_sign_in_failed")
def record_sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    audit.record(
        action=AuditEvent.Action.SIGN_IN_FAILED,
        object_type="accounts.user",
        object_repr=_attempted_email(credentials),
    )


@receiver(user_locked_out, dispatch_uid="preventhub_audit_locked_out")
def record_locked_out(
    sender: Any, request: HttpRequest, username: str | None = None, **kwargs: Any
) -> None:
    audit.record(
        action=AuditEvent.Action.LOCKED_OUT,
        object_type="accounts.user",
        object_repr=_attempted_email({"email": username or ""}),
        detail="Too many failed sign-in attempts",
    )
