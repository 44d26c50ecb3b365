"""Making and revoking API tokens. Each returns the token's record; a new token's secret is
returned beside it once and is never stored."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from preventhub.api.models import ApiToken, TokenKind, TokenScope
from preventhub.core.roles import Role, roles_of

TOKEN_START = "ph_"
LONGEST_LIFE = datetime.timedelta(days=366)


class TokenError(Exception):
    """A token that cannot be made or changed; the message says why."""


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _check(name: str, scope: str, expires_on: datetime.date, today: datetime.date) -> str:
    name = " ".join(name.split())
    if not name:
        raise TokenError("Enter a name for the token, like the system that will use it")
    if scope not in TokenScope.values:
        raise TokenError("Choose what the token may do")
    if expires_on <= today:
        raise TokenError("The expiry date must be in the future")
    if expires_on > today + LONGEST_LIFE:
        raise TokenError("A token can last a year at most: choose an earlier expiry date")
    return name


def _issue(**fields: Any) -> tuple[ApiToken, str]:
    secret = TOKEN_START + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(prefix=secret[:10], secret_hash=digest(secret), **fields)
    return token, secret


@transaction.atomic
def create_personal_token(
    *,
    user: Any,
    name: str,
    scope: str,
    expires_on: datetime.date,
    today: datetime.date | None = None,
) -> tuple[ApiToken, str]:
    """A token acting with exactly ``user``'s permissions, for as long as they hold them."""
    name = _check(name, scope, expires_on, today or timezone.localdate())
    return _issue(
        kind=TokenKind.PERSONAL,
        name=name,
        scope=scope,
        expires_on=expires_on,
        user=user,
        created_by=user,
    )


@transaction.atomic
def create_service_token(
    *,
    organisation: Any,
    user: Any,
    name: str,
    scope: str,
    expires_on: datetime.date,
    by: Any,
    today: datetime.date | None = None,
) -> tuple[ApiToken, str]:
    """A token for an organisation's system, answered for by one of its partner leads."""
    name = _check(name, scope, expires_on, today or timezone.localdate())
    if (
        user is None
        or user.organisation_id != organisation.pk
        or Role.PARTNER_LEAD not in roles_of(user)
    ):
        raise TokenError(f"Choose a partner lead of {organisation} to answer for the system")
    return _issue(
        kind=TokenKind.SERVICE,
        name=name,
        scope=scope,
        expires_on=expires_on,
        user=user,
        organisation=organisation,
        created_by=by,
    )


@transaction.atomic
def revoke_token(*, token: ApiToken, by: Any, now: datetime.datetime | None = None) -> ApiToken:
    """Stop a token working at once. Revoking a revoked token changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at, token.revoked_by = now or timezone.now(), by
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token
