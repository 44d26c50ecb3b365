"""What the home page tells each person needs their attention, contributed by the apps.

``core`` imports no domain app, so an app registers a function (in its ``navigation.py``) that
returns the notices for one user, such as the partner returns their organisation owes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class HomeNotice:
    heading: str
    text: str
    href: str
    link_text: str
    is_late: bool = False


NoticeSource = Callable[[Any], list[HomeNotice]]

_sources: list[NoticeSource] = []


def register_notices(source: NoticeSource) -> None:
    if source not in _sources:
        _sources.append(source)


def notices_for(user: Any) -> list[HomeNotice]:
    return [notice for source in _sources for notice in source(user)]
