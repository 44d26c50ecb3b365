from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme

from preventhub.core import audit, once
from preventhub.core.access import declared_access
from preventhub.core.concurrency import clash_in
from preventhub.core.redirects import NEXT_FIELD

logger = logging.getLogger(__name__)


class NulCharacterMiddleware:
    """Refuse (400) a request whose address, query or form holds a NUL character.

    No field takes one (Django's forms refuse it), but a view reading a value straight from the
    query, a district's GSS code say, passed it to PostgreSQL, which refuses text holding NUL: the
    error page. Refused here once, for every view, rather than in each. Files are not looked at:
    an upload is checked by its own reader.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or _holds_nul(request.GET) or _holds_nul(request.POST):
            logger.info("%s refused: a NUL character in its address or fields", request.method)
            if request.path.startswith(API_PREFIX):  # the API answers in its own shape
                return JsonResponse({"code": "bad_request", "message": NUL_REFUSED}, status=400)
            return render(request, "400.html", {"reason": NUL_SHOWN}, status=400)
        return self.get_response(request)


API_PREFIX = "/api/"
NUL_REFUSED = "The address or a field holds a NUL character, which nothing takes: nothing was done."
NUL_SHOWN = (
    "The web address or the form held a character no page of Prevent Hub takes, so nothing was "
    "done."
)


def _holds_nul(fields: Any) -> bool:
    # Not the "next" address: core.redirects sends an unsafe one home and never looks it up, and
    # whoever makes a link chooses it, so it must not stop anyone signing in.
    return any(
        "\x00" in name or ("\x00" in value and name != NEXT_FIELD) for name, value in fields.items()
    )


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


class WriteClashMiddleware:
    """A page's write refused because another landed first is a conflict (409), not a fault.

    Two people adding the same organisation, or one person's double click, can both pass a
    service's "there is already one called ..." check before either has saved; the database
    refuses the second (``core.concurrency.clash_in``). Every form and button is covered, the
    day it is added: the person is told nothing of theirs was saved and to open the page again,
    where they would otherwise see the error page. Logged without the database's message, which
    quotes the clashing values. Any other error still reaches the error page and the log.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, IntegrityError):
            return None
        clash = clash_in(exception)
        if clash is None:
            return None
        logger.warning(
            "%s %s lost to a write that landed first (%s)",
            request.method,
            request.path,
            clash.value,
        )
        response = render(
            request,
            "409.html",
            {"message": clash.message, "again": _page_sent_from(request)},
            status=409,
        )
        add_never_cache_headers(response)
        return response


def _page_sent_from(request: HttpRequest) -> str:
    """The page to open again: the one the form or button was on (a write's own address may
    answer only POST), this site's only, and its path only: a query string can carry a school's
    link token or a search."""
    if request.method == "GET":
        return request.path
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return urlsplit(referer).path or "/"
    return "/"


class SentOnceMiddleware:
    """A signed-in person's form sent twice is saved once: the second sending goes where the
    first went (``core.once``). After the two-factor step, so a form sent before it is not kept;
    before the view, whose writes the first sending alone reaches."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        token = once.token_of(request) if user is not None and user.is_authenticated else None
        if token is None:
            return self.get_response(request)
        earlier = once.claim(token, user)
        if earlier is not None and earlier.user_id == user.pk and not earlier.location:
            # Sent again while the first is being handled: its answer comes in a moment.
            once.wait_for_first(token)
            earlier = once.claim(token, user)
        if earlier is not None:
            return _sent_before(request, earlier)
        response = self.get_response(request)
        if response.status_code in SENT_ON and response.has_header("Location"):
            once.settle(token, response["Location"])
        else:
            once.release(token)
        return response


# Answers that send the browser on: what every page that saves something gives.
SENT_ON = frozenset({301, 302, 303})


def _sent_before(request: HttpRequest, earlier: once.Earlier) -> HttpResponse:
    if earlier.location and earlier.user_id == request.user.pk:
        messages.info(
            request, "You sent that form twice. It was saved once: this is what sending it did."
        )
        return redirect(earlier.location)
    response = render(
        request, "core/form_being_sent.html", {"again": _page_sent_from(request)}, status=409
    )
    add_never_cache_headers(response)
    return response
