"""The API's pages (its documentation and tokens) and the API itself, under /api/."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, path

from preventhub.api import views
from preventhub.api.endpoints import api
from preventhub.core.access import PUBLIC, Access

app_name = "api"

urlpatterns = [
    path("", views.docs, name="docs"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/new/", views.token_new, name="token_new"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("service-tokens/", views.service_tokens, name="service_tokens"),
    path("service-tokens/new/", views.service_token_new, name="service_token_new"),
    path(
        "service-tokens/<int:pk>/revoke/", views.service_token_revoke, name="service_token_revoke"
    ),
]

# Every API operation checks its bearer token itself (auth.TokenAuth), never a session; the
# declaration tells DeclaredAccessMiddleware so, and sends every answer with no-store.
TOKEN = Access("token")


def api_urls() -> tuple[list[Any], str, str]:
    """The API's routes, each declaring its access: the OpenAPI document is public."""
    patterns, app, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            is_schema = pattern.name == "openapi-json"
            pattern.callback.access = PUBLIC if is_schema else TOKEN  # type: ignore[attr-defined]
    return patterns, app, namespace
