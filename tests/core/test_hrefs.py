"""Links reversed once and kept: the same paths as reverse() gives."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.http import HttpResponse
from django.template import Context, Template
from django.test import override_settings
from django.urls import include, path, reverse

from preventhub.core import hrefs
from preventhub.core.hrefs import href_for, kept_reverse
from preventhub.core.navigation import NavLink

# A URL configuration of its own for one test: the same route's name at another address.
urlpatterns = [
    path(
        "elsewhere/",
        include(
            ([path("<int:pk>/", lambda request, pk: HttpResponse(), name="organisation")],
             "partnership"),
        ),
    )
]  # fmt: skip


@pytest.fixture(autouse=True)
def nothing_kept() -> Iterator[None]:
    hrefs.kept_address.cache_clear()
    yield
    hrefs.kept_address.cache_clear()


@pytest.mark.parametrize(
    ("route", "args"),
    [
        ("core:home", ()),
        ("partnership:organisation", (7,)),
        ("localprofile:district", ("E07000008",)),
    ],
)
def test_a_kept_address_is_the_one_reverse_gives_and_is_reversed_once(
    route: str, args: tuple[object, ...]
) -> None:
    assert kept_reverse(route, *args) == reverse(route, args=args)
    assert kept_reverse(route, *args) == reverse(route, args=args)
    info = hrefs.kept_address.cache_info()
    assert (info.misses, info.hits) == (1, 1)


def test_an_address_is_kept_for_the_url_configuration_it_came_from() -> None:
    normal = kept_reverse("partnership:organisation", 7)
    with override_settings(ROOT_URLCONF=__name__):
        assert kept_reverse("partnership:organisation", 7) == "/elsewhere/7/"
    assert kept_reverse("partnership:organisation", 7) == normal != "/elsewhere/7/"


@pytest.mark.parametrize("pk", [1, 42, 987654321, 10**12])
def test_it_gives_the_path_reverse_gives(pk: int) -> None:
    href = href_for("partnership:organisation")
    assert href(pk) == reverse("partnership:organisation", args=[pk])


def test_a_route_without_one_whole_number_is_refused() -> None:
    with pytest.raises(ValueError, match="one whole number"):
        href_for("partnership:directory")


def test_link_items_escapes_every_name_and_link() -> None:
    class Link:
        name = "<b>Ash & Oak</b>"
        href = '/x/"1"/'

    rendered = Template("{{ links|link_items }}").render(Context({"links": [Link()]}))
    assert rendered == (
        '<li><a class="govuk-link" href="/x/&quot;1&quot;/">&lt;b&gt;Ash &amp; Oak&lt;/b&gt;</a>'
        "</li>"
    )


def test_described_link_items_escape_every_value_and_hint_only_a_description() -> None:
    links = [
        NavLink("<i>Plan</i>", "/plan/?a=1&b=2", current=False, description="Actions & risks"),
        NavLink("Reports", "/reports/", current=False, description=""),
    ]
    rendered = Template("{{ links|described_link_items }}").render(Context({"links": links}))
    assert rendered == (
        '<li><a class="govuk-link" href="/plan/?a=1&amp;b=2">&lt;i&gt;Plan&lt;/i&gt;</a>'
        '<br><span class="govuk-hint">Actions &amp; risks</span></li>'
        '<li><a class="govuk-link" href="/reports/">Reports</a></li>'
    )
