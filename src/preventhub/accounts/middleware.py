from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.contrib.auth.middleware import get_user
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django_otp import user_has_device
from django_otp.middleware import OTPMiddleware
from django_otp.models import Device

from preventhub.accounts import queries

# Pages a signed-in user may reach before finishing two-factor authentication.
SECOND_FACTOR_EXEMPT = frozenset(
    {
        "accounts:sign_out",
        "accounts:two_factor_verify",
        "accounts:two_factor_setup",
        "core:accessibility",
        "core:cookies",
        "core:health",
        # A school's audit link carries its secret in the address: it is moved into the session
        # and off the address at once, rather than kept in a "next=" for after two-factor.
        "school_audit:enter",
    }
)


# A session's idle clock is restarted at most once a minute. Restarting it means writing the
# session row, and a page that only reads should not write on every request: on SQLite each write
# takes the database's single write lock, which every other worker's writes then wait for. So a
# session ends between 59 and 60 minutes (14 and 15 for case roles) after the last request.
SESSION_REFRESH_SECONDS = 60
# When the clock was last restarted, and the idle limit it was restarted with.
_REFRESHED = "preventhub_idle_clock"


class SessionExpiryMiddleware:
    """End idle sessions: sooner for the people who work Prevent cases."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            minutes = (
                settings.PREVENTHUB_CASE_SESSION_MINUTES
                if user.works_cases
                else settings.PREVENTHUB_SESSION_MINUTES
            )
            # Counted from this request (give or take SESSION_REFRESH_SECONDS): the session
            # lives as long as it is being used.
            session = request.session
            now, idle_limit = int(timezone.now().timestamp()), minutes * 60
            refreshed_at, limit_set = session.get(_REFRESHED, (0, 0))
            # Restarted at once when the limit itself changes (a case role given or taken).
            if limit_set != idle_limit or now - refreshed_at >= SESSION_REFRESH_SECONDS:
                session.set_expiry(idle_limit)
                session[_REFRESHED] = (now, idle_limit)
        return self.get_response(request)


class SecondFactorMiddleware:
    """Hold a signed-in user at the two-factor step until it is done.

    Someone with a confirmed device must enter a code; someone whose roles require two-factor
    authentication and who has no device must enrol. Until then only the exempt pages answer.
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
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.view_name in SECOND_FACTOR_EXEMPT:
            return None
        query = urlencode({"next": request.get_full_path()})
        if user_has_device(user, confirmed=True):
            return redirect(f"{reverse('accounts:two_factor_verify')}?{query}")
        if user.needs_two_factor:
            return redirect(f"{reverse('accounts:two_factor_setup')}?{query}")
        return None


class DeviceMiddleware(OTPMiddleware):
    """django-otp's middleware (``request.user.is_verified()``), with two differences: the
    person and their device are read as the request comes in, and ``request.user`` is the
    person, not a lazy stand-in; the device is read with SQL built once per process
    (``core.prepared``), where Django built that query on every signed-in request, which took
    longer than running it. Both lean on django-otp's underscore methods
    (``_verify_user_sync``, ``_device_from_persistent_id``): re-read them on an upgrade."""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._is_async or not hasattr(request, "user"):
            return super().__call__(request)
        # Every request reads its person (the idle clock, the two-factor check, the header), so
        # the person and their device are read here, once, and request.user is the person
        # itself. Left lazy, as django-otp leaves it, each of a page's hundreds of reads of
        # request.user went through two proxies, django-otp's around Django's.
        request.user = self._verify_user_sync(request, get_user(request))
        return self.get_response(request)

    def _device_from_persistent_id(self, persistent_id: str) -> Device | None:
        label, _, number = self._normalize_persistent_id(persistent_id).rpartition("/")
        try:
            model = apps.get_model(label)
            device_id = int(number)
        except (ValueError, LookupError):
            return None
        # As django-otp's own: a session can only name a model that is a device.
        if not issubclass(model, Device):
            return None
        return queries.device(model, device_id)
