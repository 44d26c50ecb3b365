"""Where to send someone next, when the address comes from the request.

A ``next=`` value is typed by whoever made the link, so it is trusted only when it is a path on
this site that one of our routes answers. Anything else (another site, ``//host``, a bare word, a
control character, a path no route knows) falls back to a page we name, and never raises.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme

NEXT_FIELD = "next"


def safe_next_url(request: HttpRequest, *, default: str = "core:home") -> str:
    """The request's ``next`` path if it is safe and routed here, else the URL named ``default``."""
    candidate = request.POST.get(NEXT_FIELD) or request.GET.get(NEXT_FIELD) or ""
    return candidate if is_safe_local_path(candidate) else reverse(default)


def is_safe_local_path(candidate: str) -> bool:
    """A path on this site (not ``//host`` or ``/\\host``) that a route answers."""
    if not candidate.startswith("/") or candidate.startswith(("//", "/\\")):
        return False
    # Browsers drop or reinterpret control characters and spaces in a Location header.
    if any(ord(character) < 0x21 or ord(character) == 0x7F for character in candidate):
        return False
    if not url_has_allowed_host_and_scheme(candidate, allowed_hosts=set()):
        return False
    try:
        resolve(urlsplit(candidate).path)
    except (Resolver404, ValueError):
        return False
    return True


def redirect_to_next(request: HttpRequest, *, default: str = "core:home") -> HttpResponseRedirect:
    return HttpResponseRedirect(safe_next_url(request, default=default))
