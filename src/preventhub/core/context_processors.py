from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from preventhub.core import navigation

TWO_FACTOR_PAGES = frozenset({"accounts:two_factor_verify", "accounts:two_factor_setup"})


def service(request: HttpRequest) -> dict[str, Any]:
    """What the page template needs on every page: the service name and the user's navigation."""
    user = getattr(request, "user", None)
    # Until the second factor is done every link would only bounce back: offer none.
    finishing_sign_in = bool(
        user is not None
        and user.is_authenticated
        and hasattr(user, "is_verified")
        and not user.is_verified()
        and request.resolver_match is not None
        and request.resolver_match.view_name in TWO_FACTOR_PAGES
    )
    return {
        "service_name": settings.PREVENTHUB_SERVICE_NAME,
        "service_navigation_items": navigation.header_items(user, request.path)
        if user and not finishing_sign_in
        else "",
        "is_demo": not settings.PRODUCTION,
    }
