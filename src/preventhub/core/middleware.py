from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from preventhub.core import audit
from preventhub.core.access import declared_access

logger = logging.getLogger(__name__)


class AuditContextMiddleware:
    """Attribute every audit entry written during a request to its user and address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with audit.acting(request=request):
            return self.get_response(request)


class DeclaredAccessMiddleware:
    """Fail closed: a view that declares no access rule is refused to everyone.

    The route-matrix test catches such a view before it lands; this is the safety net.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        if declared_access(view_func) is None:
            logger.error("View %s declares no access rule; refused.", view_func.__module__)
            raise PermissionDenied


class NoStoreMiddleware:
    """Send every page whose view's access declaration asks for it with ``no-store``.

    Keyed on the declaration (``core.access``), not on each view remembering a decorator: a new
    page behind a sign-in is covered the day it is added. ``Pragma: no-cache`` is for HTTP/1.0
    caches that ignore ``Cache-Control``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "_preventhub_no_store", False):
            add_never_cache_headers(response)
            response["Pragma"] = "no-cache"
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        access = declared_access(view_func)
        request._preventhub_no_store = access is None or access.no_store  # type: ignore[attr-defined]
