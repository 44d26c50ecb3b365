"""The GOV.UK pagination component for long lists: which page links to show, and their addresses.

A list's read model pages its rows (``django.core.paginator``); :func:`pagination` turns the page
shown into what ``core/includes/pagination.html`` draws: previous and next, the first and last
page, the pages either side of this one, "…" for the others, and "Showing 101 to 200 of 1,000".
Each link keeps the rest of the query string (a filter or a search), changing only ``page``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import QueryDict


@dataclass(frozen=True)
class PageLink:
    """A numbered page, or a gap (``number`` None) drawn as an ellipsis."""

    number: int | None
    href: str = ""
    current: bool = False


@dataclass(frozen=True)
class Pagination:
    links: list[PageLink]
    previous_href: str
    next_href: str
    first_shown: int
    last_shown: int
    total: int

    @property
    def has_other_pages(self) -> bool:
        return len(self.links) > 1

    @property
    def showing(self) -> tuple[str, str, str]:
        """The first and last rows shown and the total, as the page writes them ("1,000")."""
        return f"{self.first_shown:,}", f"{self.last_shown:,}", f"{self.total:,}"


def page_of(
    total: int,
    number: int | str | None,
    per_page: int,
    read: Callable[[int, int], Sequence[Any]],
    *,
    lenient: bool = False,
) -> Page:
    """Page ``number`` of ``total`` rows already counted, its rows ``read(start, end)``: for a
    read model that reads only the rows it shows. Raises ``InvalidPage`` for no such page, as
    ``Paginator.page`` does; or, ``lenient``, gives the first page for a number that is not one
    and the last for one past the end, as ``Paginator.get_page`` does."""
    numbered = Paginator(range(total), per_page)
    page = numbered.get_page(number) if lenient else numbered.page(number)
    shown = page.object_list  # the positions of the rows shown, a range
    page.object_list = read(shown.start, shown.stop)
    return page


def _href(query: QueryDict, number: int) -> str:
    wanted = query.copy()
    wanted["page"] = str(number)
    return f"?{wanted.urlencode()}"


def pagination(page: Page, query: QueryDict) -> Pagination:
    """What the pagination component shows for ``page``, its links keeping ``query``."""
    current, last = page.number, page.paginator.num_pages
    # The first, the last and this page with its neighbours, as the Design System advises.
    numbers = sorted({1, last, current - 1, current, current + 1} & set(range(1, last + 1)))
    links: list[PageLink] = []
    for number in numbers:
        if links and links[-1].number is not None and number - links[-1].number > 1:
            links.append(PageLink(None))
        links.append(PageLink(number, _href(query, number), number == current))
    empty = page.paginator.count == 0
    return Pagination(
        links=links,
        previous_href=_href(query, current - 1) if page.has_previous() else "",
        next_href=_href(query, current + 1) if page.has_next() else "",
        first_shown=0 if empty else page.start_index(),
        last_shown=page.end_index(),
        total=page.paginator.count,
    )
