"""What the home page tells each person needs doing now, contributed by the apps.

``core`` imports no domain app, so each app registers, in its ``navigation.py``, a function that
returns one user's work items: a count or a state, a sentence, and a link straight to the thing
(:func:`register_work`). The home page groups them under their headings, in the order the apps
were registered, and shows each group as a GOV.UK task list.

A work source must:

- show only what the person may see (ask ``user.has_perm`` or the roles first, and return ``[]``
  for everyone else, without a query);
- make a fixed number of queries however many rows there are: counts in SQL, never one query a
  row;
- give figures about people only through the protected tables (``casework.stats``), except a
  case role's own work queue, which counts the cases ``casework.access`` already lets them work.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone


@dataclass(frozen=True)
class WorkItem:
    """One line of someone's work queue on the home page.

    ``heading`` groups the items (``"Delivery Plan: 2026/27 Q3"``); ``text`` is the link's text;
    ``count`` is shown beside it (``None`` for no count), or ``status`` when the state is better
    said in words ("Not open yet"). ``is_late`` marks it red, with ``status`` or "Late".
    """

    heading: str
    text: str
    href: str
    count: int | None = None
    hint: str = ""
    is_late: bool = False
    status: str = ""

    @property
    def shown_status(self) -> str:
        if self.status:
            return self.status
        if self.count is not None:
            return str(self.count)
        return "Late" if self.is_late else ""

    @property
    def needs_doing(self) -> bool:
        """Worth a coloured tag: late, or a count of things still to do."""
        return self.is_late or bool(self.count)


@dataclass(frozen=True)
class WorkGroup:
    heading: str
    items: list[WorkItem] = field(default_factory=list)
    # Its place on the page, from 1: the ids its items' hints and statuses are described by.
    number: int = 0

    @property
    def lines(self) -> list[tuple[str, WorkItem]]:
        """Each item with its id on the page (``work-2-3``), made here: a number the template
        drew would be formatted for the locale, five times an item, a tenth of the page's
        drawing."""
        return [(f"work-{self.number}-{place}", item) for place, item in enumerate(self.items, 1)]


WorkSource = Callable[[Any, datetime.date], list[WorkItem]]

_work_sources: list[WorkSource] = []


def register_work(source: WorkSource) -> None:
    """Add an app's work source; called from its ``navigation.py``, once."""
    if source not in _work_sources:
        _work_sources.append(source)


def work_for(user: Any, today: datetime.date | None = None) -> list[WorkGroup]:
    """A user's work items from every app, grouped by heading, in the order found."""
    if not getattr(user, "is_authenticated", False):
        return []
    today = today or timezone.localdate()
    groups: dict[str, WorkGroup] = {}
    for source in _work_sources:
        for item in source(user, today):
            group = groups.get(item.heading)
            if group is None:
                group = groups[item.heading] = WorkGroup(item.heading, number=len(groups) + 1)
            group.items.append(item)
    return list(groups.values())
