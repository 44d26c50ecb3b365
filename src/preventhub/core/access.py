"""One mechanism decides who reaches which page.

Every view is wrapped by exactly one of :func:`public`, :func:`signed_in` or :func:`requires`.
The wrapper both enforces the rule and records it on the view as ``view.access``, so that
:class:`~preventhub.core.middleware.DeclaredAccessMiddleware` can refuse any view that declares
nothing, and the route-matrix test can list every route with what it needs.

Object-level decisions ("may this user see *this* case") are made inside the view with
:func:`get_object_or_403`, using the same ``rules`` permissions.

The same declaration says whether a page may be kept in a cache: every page behind a sign-in,
and the public pages declared ``public(no_store=True)``, is sent with ``Cache-Control: no-store``
by :class:`~preventhub.core.middleware.NoStoreMiddleware`. Nearly every signed-in page names
someone (a case, a member of staff, a contact, an account), so no page is left to remember it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

View = TypeVar("View", bound=Callable[..., HttpResponse])


@dataclass(frozen=True)
class Access:
    """What a route needs: nothing, a signed-in user, or a named ``rules`` permission."""

    kind: str  # "public", "signed_in" or "permission"
    permission: str | None = None
    public_no_store: bool = False  # a public page that must not be cached all the same

    def describe(self) -> str:
        return self.permission if self.kind == "permission" else self.kind

    @property
    def no_store(self) -> bool:
        """Whether the page must be sent with ``Cache-Control: no-store``."""
        return self.kind != "public" or self.public_no_store


PUBLIC = Access("public")
SIGNED_IN = Access("signed_in")


def _declare(view: View, access: Access) -> View:
    view.access = access  # type: ignore[attr-defined]
    return view


def public(view: View | None = None, *, no_store: bool = False) -> Any:
    """Anyone may reach this view, signed in or not.

    ``@public(no_store=True)`` for a public page that shows or takes what must not stay in a
    shared computer's cache (a school's answers through its link, a sign-in form).
    """
    if view is None:
        return lambda view: _declare(view, Access("public", public_no_store=no_store))
    return _declare(view, Access("public", public_no_store=no_store))


def signed_in(view: View) -> View:
    """Any active, signed-in user may reach this view."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return _declare(wrapper, SIGNED_IN)  # type: ignore[arg-type]


def requires(permission: str, *, hide: bool = False) -> Callable[[View], View]:
    """A signed-in user holding ``permission`` (a ``rules`` permission) may reach this view.

    Anyone else gets 403, or 404 with ``hide=True``: for pages about one person (a Prevent case)
    even the existence of the page must not show to someone who may not open it.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(permission):
                if hide:
                    raise Http404
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return _declare(wrapper, Access("permission", permission))  # type: ignore[arg-type]

    return decorator


def declared_access(view: Callable[..., Any]) -> Access | None:
    """The access a view declared, looking through class-based view wrappers."""
    access = getattr(view, "access", None)
    if access is None and hasattr(view, "view_class"):
        access = getattr(view.view_class, "access", None)
    return access


M = TypeVar("M", bound=Model)


def get_object_or_403(
    user: Any, permission: str, queryset: type[M] | QuerySet[M], **lookup: Any
) -> M:
    """The object, if it exists (else 404) and ``user`` holds ``permission`` on it (else 403)."""
    obj = get_object_or_404(queryset, **lookup)
    if not user.has_perm(permission, obj):
        raise PermissionDenied
    return obj
