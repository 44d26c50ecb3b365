"""The service navigation: each app registers its entries in its own ``navigation.py``.

An entry shows only to users holding its permission, so the header never offers a page that
would answer 403. Where it shows is decided here, in :data:`ORDER`, not by the app: one table
for the whole header, so no two apps can claim the same place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

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


def links_for(user: Any, path: str = "") -> list[NavLink]:
    """The navigation a user sees, marking the entry whose section ``path`` is in."""
    if not user.is_authenticated:
        return []
    reachable = [
        (entry, reverse(entry.url_name))
        for entry in _entries
        if entry.permission is None or user.has_perm(entry.permission)
    ]
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


register(
    NavEntry(
        "Audit log",
        "core:audit_log",
        "core.view_audit_log",
        description="Who changed, read, exported or signed in, and when.",
    )
)

register_work(home_work)
