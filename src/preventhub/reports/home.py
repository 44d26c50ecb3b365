"""What reports put on the home page: the latest published Board pack, for those who read it;
the draft packs, for the coordinator."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from preventhub.core.home import WorkItem
from preventhub.core.roles import Role, roles_of
from preventhub.reports import queries


def home_work(user: Any, today: datetime.date) -> list[WorkItem]:
    held = roles_of(user)
    items: list[WorkItem] = []
    if held & {Role.BOARD_READER, Role.COORDINATOR}:
        latest = queries.latest_published()
        if latest is not None:
            items.append(
                WorkItem(
                    heading="Board packs",
                    text=f"Latest Board pack: {latest.pack.title} (version {latest.number})",
                    href=reverse("reports:pack_version", args=[latest.pk]),
                    status=f"Published {latest.published_at:%-d %B %Y}",
                )
            )
    if Role.COORDINATOR in held:
        for pack in queries.drafts():
            items.append(
                WorkItem(
                    heading="Board packs",
                    text=f"Draft: {pack.title}",
                    href=reverse("reports:pack", args=[pack.pk]),
                    status="Not published",
                )
            )
    return items
