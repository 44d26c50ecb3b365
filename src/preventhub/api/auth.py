"""Who is calling the API: a bearer token, checked, counted against its rate, and the person it
acts as put on the request, so permissions and the audit trail see exactly that person.

A session cookie never authenticates an API request: only the ``Authorization: Bearer`` header
does, so a page in a browser cannot be tricked into writing through the API (no CSRF), and a
token never travels in a URL, where logs would keep it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from ninja.security import HttpBearer

from preventhub.api import queries
from preventhub.api.models import ApiToken, TokenKind
from preventhub.api.services import digest
from preventhub.core.numbers import whole_number
from preventhub.core.roles import Role, roles_of


class ApiError(Exception):
    """An answer other than success, in the API's one error shape: code, message, field."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        field: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        found: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field is not None:
            found["field"] = self.field
        return found


def _refuse(code: str, message: str) -> ApiError:
    return ApiError(401, code, message, headers={"WWW-Authenticate": "Bearer"})


def _still_answers_for(token: ApiToken) -> bool:
    """A service token works while its partner lead still leads for its organisation."""
    user = token.user
    return token.kind != TokenKind.SERVICE or (
        user.organisation_id == token.organisation_id and Role.PARTNER_LEAD in roles_of(user)
    )


def check_rate(token: ApiToken, *, now: float | None = None) -> None:
    """Count one request in the token's current minute; refuse past the limit (429).

    A fixed one-minute window in Django's cache: with several processes give them one shared
    cache (docs/api.md), or each process counts on its own.
    """
    limit = settings.PREVENTHUB_API_REQUESTS_PER_MINUTE
    now = time.time() if now is None else now
    window = int(now // 60)
    key = f"preventhub-api-rate:{token.secret_hash[:24]}:{window}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    if count > limit:
        wait = max(1, math.ceil((window + 1) * 60 - now))
        raise ApiError(
            429,
            "rate_limited",
            f"This token has made more than {limit} requests this minute. "
            f"Try again in {wait} seconds.",
            headers={"Retry-After": str(wait)},
        )


class TokenAuth(HttpBearer):
    """``Authorization: Bearer ph_…``: the token, which must be live, acting as its person."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        found = queries.token_with_secret(digest(token))
        if found is None:
            raise _refuse(
                "token_unknown", "This token is not recognised. Check it was copied whole."
            )
        if found.revoked_at is not None:
            raise _refuse("token_revoked", "This token has been revoked. Make a new one.")
        today = timezone.localdate()
        if today > found.expires_on:
            raise _refuse(
                "token_expired",
                f"This token expired on {date_format(found.expires_on)}. Make a new one.",
            )
        if not found.user.is_active:
            raise _refuse("account_inactive", "The account this token acts for is deactivated.")
        if not _still_answers_for(found):
            raise _refuse(
                "token_lapsed",
                "The partner lead who answers for this token no longer leads for its "
                "organisation. Ask an administrator for a new token.",
            )
        check_rate(found)
        # From here on the request is the token's person's, whatever cookie came with it.
        request.user = found.user
        return found


def needs_write(request: HttpRequest) -> ApiToken:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    if not token.writes:
        raise ApiError(
            403,
            "read_only_token",
            "This token may only read. Make a read and write token to send changes.",
        )
    return token


def require(request: HttpRequest, permission: str, obj: Any = None) -> None:
    """Refuse (403) unless the token's person holds ``permission`` (on ``obj``)."""
    if not request.user.has_perm(permission, obj):
        raise ApiError(403, "forbidden", "The account this token acts for may not do this.")


def etag(version: int) -> str:
    return f'"{version}"'


def expect_version(request: HttpRequest, current: int, what: str) -> int:
    """The version the caller last read (If-Match), which must be ``current``: else 428 or 412."""
    sent = request.headers.get("If-Match", "").strip()
    if not sent:
        raise ApiError(
            428,
            "if_match_required",
            f"Send the ETag of the {what} you last read in an If-Match header, so that you "
            "cannot overwrite a newer version.",
        )
    value = sent.removeprefix("W/").strip('"')
    if whole_number(value) != current:
        raise ApiError(
            412,
            "stale",
            f"The {what} has changed since you read it: nothing was saved. Read it again "
            f"(its ETag is now {etag(current)}), then send your change again.",
        )
    return current
