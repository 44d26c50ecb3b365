"""The service navigation: each app registers its entries in its own ``navigation.py``.

An entry shows only to users holding its permission, so the header never offers a page that
would answer 403. Where it shows is decided here, in :data:`ORDER`, not by the app: one table
for the whole header, so no two apps can claim the same place.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString

from preventhub.core.home import register_work
from preventhub.core.queries import home_work

# Every entry of the header and home page, by URL name, in the order shown. Names only, so core
# imports no domain app. An entry not listed comes after these, by label.
ORDER: tuple[str, ...] = (
    "partnership:directory",
    "delivery:plan",
    "delivery:my_updates",
    "delivery_reports:index",
    "reports:index",
    "casework:index",
    "returns:index",
    "schools:register",
    "casework:meetings",
    "audits:rounds",
    "audits:own_school",
    "training:framework",
    "assessment:index",
    "localprofile:indicators",
    "engagement:index",
    "guidance:library",
    "exchange:index",
    "casework:statistics",
    "casework:refer",
    "accounts:user_list",
    "casework:retention",
    "casework:lists",
    "core:audit_log",
    "api:service_tokens",
    "api:tokens",
    "accounts:account",
)


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    permission: str | None  # None: every signed-in user
    description: str = ""


def _place(entry: NavEntry) -> tuple[int, str]:
    listed = entry.url_name in ORDER
    return (ORDER.index(entry.url_name) if listed else len(ORDER), entry.label)


@dataclass(frozen=True)
class NavLink:
    label: str
    href: str
    current: bool
    description: str


_entries: list[NavEntry] = []


def register(entry: NavEntry) -> None:
    if any(existing.url_name == entry.url_name for existing in _entries):
        return
    _entries.append(entry)
    _entries.sort(key=_place)


def entries() -> list[NavEntry]:
    return list(_entries)


@lru_cache(maxsize=256)
def _href(url_name: str, urlconf: str, script_prefix: str) -> str:
    # Every page draws the header: reversing its two dozen entries on each request was a third
    # of the layout's time. The address depends only on the URL configuration and the prefix
    # the site is served under, so both are in the key.
    return reverse(url_name, urlconf=urlconf)


def _reachable(user: Any) -> list[tuple[NavEntry, str]]:
    """The entries ``user`` may open, with their addresses.

    Kept on the user object, like its roles (``core.roles.roles_of``), which lives for one
    request: the header and the home page's list of destinations ask the same two dozen
    permissions once, not once each. ``core.roles.forget_roles`` drops it with the roles.
    """
    cached = getattr(user, "_preventhub_navigation", None)
    if cached is None:
        urlconf, prefix = get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()
        cached = [
            (entry, _href(entry.url_name, urlconf, prefix))
            for entry in _entries
            if entry.permission is None or user.has_perm(entry.permission)
        ]
        user._preventhub_navigation = cached
    return cached


def links_for(user: Any, path: str = "") -> list[NavLink]:
    """The navigation a user sees, marking the entry whose section ``path`` is in."""
    if not user.is_authenticated:
        return []
    reachable = _reachable(user)
    # The deepest section containing the page is the current one (/plan/updates/ is "Your
    # updates", not also "Delivery Plan").
    containing = [
        href for _, href in reachable if path == href or (href != "/" and path.startswith(href))
    ]
    current_href = max(containing, key=len, default=None)
    return [
        NavLink(entry.label, href, href == current_href, entry.description)
        for entry, href in reachable
    ]


def header_items(user: Any, path: str) -> SafeString:
    """The header's items (``<li>``) for ``user`` on the page at ``path``."""
    links = tuple(links_for(user, path))
    return _items_html(links, any(link.current and link.href == path for link in links))


@lru_cache(maxsize=1024)
def _items_html(links: tuple[NavLink, ...], current_is_page: bool) -> SafeString:
    # The same few dozen headers (one per set of roles and section) are drawn on every page;
    # drawing them through the template each time was half of the layout's time. A header
    # depends only on its links and on whether the page is its section's own first page.
    return render_to_string(
        "core/includes/service_navigation_items.html",
        {"links": links, "current_is_page": current_is_page},
    )


register(
    NavEntry(
        "Audit log",
        "core:audit_log",
        "core.view_audit_log",
        description="Who changed, read, exported or signed in, and when.",
    )
)

register_work(home_work)
