"""Reports in the navigation and on the Board reader's home page."""

from __future__ import annotations

from preventhub.core.home import register_work
from preventhub.core.navigation import NavEntry, register
from preventhub.reports.home import home_work

register(
    NavEntry(
        "Reports",
        "reports:index",
        "reports.view_reports",
        description="The Board's quarterly packs and committee reports, built from the data.",
    )
)
register_work(home_work)
