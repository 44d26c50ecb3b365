from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from preventhub.core import navigation


def service(request: HttpRequest) -> dict[str, Any]:
    """What the page template needs on every page: the service name and the user's navigation."""
    user = getattr(request, "user", None)
    return {
        "service_name": settings.PREVENTHUB_SERVICE_NAME,
        "service_navigation": navigation.links_for(user, request.path) if user else [],
        "is_demo": not settings.PRODUCTION,
    }
