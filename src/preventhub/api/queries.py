"""Reads of API tokens."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from preventhub.api.models import ApiToken, TokenKind


def token_with_secret(secret_hash: str) -> ApiToken | None:
    """The token whose secret hashes to ``secret_hash``, with whom it acts as."""
    return (
        ApiToken.objects.select_related("user", "organisation")
        .filter(secret_hash=secret_hash)
        .first()
    )


def personal_tokens(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(kind=TokenKind.PERSONAL, user=user)


def service_tokens() -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(kind=TokenKind.SERVICE).select_related(
        "user", "organisation", "created_by", "revoked_by"
    )


def partner_leads() -> QuerySet[Any]:
    """Active partner leads with an organisation: who may answer for a service token."""
    from django.contrib.auth import get_user_model

    from preventhub.core.roles import Role

    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.PARTNER_LEAD, organisation__isnull=False)
        .select_related("organisation")
        .order_by("organisation__name", "full_name", "email")
        .distinct()
    )
