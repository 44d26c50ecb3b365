"""The pagination component's links: which pages, which addresses."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import QueryDict

from preventhub.core.pagination import PageLink, pagination


def shown(number: int, *, pages: int = 10, query: str = "") -> list[int | None]:
    page = Paginator(range(pages * 10), 10).page(number)
    return [link.number for link in pagination(page, QueryDict(query)).links]


class TestPagination:
    def test_it_shows_the_first_and_last_pages_and_this_ones_neighbours(self) -> None:
        assert shown(1) == [1, 2, None, 10]
        assert shown(5) == [1, None, 4, 5, 6, None, 10]
        assert shown(10) == [1, None, 9, 10]
        assert shown(3) == [1, 2, 3, 4, None, 10]

    def test_a_short_list_has_no_gaps(self) -> None:
        assert shown(2, pages=3) == [1, 2, 3]
        assert shown(1, pages=1) == [1]

    def test_its_links_keep_the_rest_of_the_query_string(self) -> None:
        page = Paginator(range(100), 10).page(2)
        drawn = pagination(page, QueryDict("q=youth&page=2"))
        assert drawn.previous_href == "?q=youth&page=1"
        assert drawn.next_href == "?q=youth&page=3"
        assert PageLink(2, "?q=youth&page=2", current=True) in drawn.links

    def test_it_writes_which_rows_are_shown_with_thousands_separated(self) -> None:
        page = Paginator(range(1000), 100).page(2)
        assert pagination(page, QueryDict()).showing == ("101", "200", "1,000")

    def test_an_empty_list_shows_nothing_of_nothing(self) -> None:
        page = Paginator([], 100).page(1)
        assert pagination(page, QueryDict()).showing == ("0", "0", "0")
        assert not pagination(page, QueryDict()).has_other_pages
