"""Links made without walking the URL patterns each time.

``reverse()`` walks the URL patterns each time it is called: 40 to 60 microseconds. A page
linking each of 1,000 rows with ``{% url %}`` spent most of its time there, and the home page's
work items a twentieth of theirs. The same route with the same arguments always gives the same
address (the URL configuration is fixed while a process runs), so :func:`kept_reverse` (and the
``{% url %}`` tag, ``core.templatetags.kept_urls``) keeps each address it has made, keyed on
everything ``reverse()`` reads; :func:`href_for` makes any record's link of one route from one
address kept per process.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

# Addresses kept per process: the layout's and each page's links, and those with ids in them.
KEPT = 4096


@lru_cache(maxsize=KEPT)
def kept_address(
    view_name: str,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
    current_app: str | None,
    prefix: str,
    urlconf: str,
) -> str:
    # ``prefix`` and ``urlconf`` are only the key: reverse() reads both from where they are set.
    return reverse(view_name, args=args, kwargs=dict(kwargs), current_app=current_app)


def kept_reverse(view_name: str, *args: Any) -> str:
    """``reverse(view_name, args=args)``, kept as ``{% url %}`` keeps it (numbers and text only;
    anything else, such as a model instance whose text could change, is reversed every time).
    The project's namespaces have one instance each, so no current application."""
    if not all(map(is_keepable, args)):
        return reverse(view_name, args=args)
    return kept_address(view_name, args, (), None, get_script_prefix(), urlconf_in_use())


def urlconf_in_use() -> str:
    """The URL configuration ``reverse()`` reads: the request's, else the settings' (which a
    test may override)."""
    return get_urlconf() or settings.ROOT_URLCONF


def is_keepable(value: Any) -> bool:
    return isinstance(value, int | str)


# A key no record has, reversed once and replaced by each record's own.
_PLACEHOLDER = 987654321


def href_for(viewname: str) -> Callable[[int], str]:
    """``reverse(viewname, args=[pk])`` for any whole-number ``pk``, reversed once per process.

    For a route whose one argument is an ``<int:...>``: a number needs no quoting in a path.
    """
    try:
        url = kept_reverse(viewname, _PLACEHOLDER)
    except NoReverseMatch as error:
        raise ValueError(f"{viewname} does not take one whole number") from error
    before, _, after = url.partition(str(_PLACEHOLDER))

    def href(pk: int) -> str:
        return f"{before}{int(pk)}{after}"

    return href
