"""A download's format, and which of a page's tables it is, are part of its address: any other
word is not found before a view builds anything or records an export."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from preventhub.core.converters import Choice, register_choice
from preventhub.core.exports import FORMATS
from preventhub.core.models import AuditEvent
from preventhub.core.roles import Role


def patterns(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[tuple[str, object]]:
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.pattern


def test_every_address_that_names_a_format_accepts_only_the_formats_there_are() -> None:
    named = [
        (route, name, converter)
        for route, pattern in patterns()
        for name, converter in getattr(pattern, "converters", {}).items()
        if name == "fmt"
    ]
    assert len(named) >= 15  # every table download and report file of the application
    loose = [route for route, _, converter in named if not isinstance(converter, Choice)]
    assert loose == []


def test_every_word_in_a_download_s_address_is_one_of_the_words_it_can_be() -> None:
    """The table of a page that offers several (``export/<table>.<format>``) as well: only
    numbers (the keys of what is downloaded) are otherwise free."""
    loose = [
        (route, name)
        for route, pattern in patterns()
        if "fmt" in getattr(pattern, "converters", {})
        for name, converter in pattern.converters.items()
        if not isinstance(converter, Choice | IntConverter)
    ]
    assert loose == []


def test_table_downloads_are_offered_in_csv_xlsx_and_ods() -> None:
    for fmt in FORMATS:
        assert reverse("delivery:export", args=[fmt]) == f"/plan/export.{fmt}"


def test_an_address_in_another_format_cannot_be_made() -> None:
    with pytest.raises(NoReverseMatch):
        reverse("delivery:export", args=["exe"])
    with pytest.raises(NoReverseMatch):
        reverse("reports:pack_build", args=[1, "xlsx"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address",
    [
        "/plan/export.exe",
        "/plan/export.CSV",
        "/partnership/export/organisations.pdf",
        "/partnership/export/people.csv",
        "/training/coverage/export.txt",
        "/local-profile/dataset/export.json",
        "/engagement/activities.html",
        "/reports/packs/1/files/xlsx/",
        "/reports/packs/1/tables/0.docx",
    ],
)
def test_an_address_in_no_format_there_is_is_not_found_and_nothing_is_recorded(
    client_for: Callable[..., Client], address: str
) -> None:
    client = client_for(*Role)
    assert client.get(address).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_a_choice_registered_again_with_the_same_words_is_kept() -> None:
    register_choice("table_format", FORMATS)
    assert reverse("delivery:export", args=["ods"]) == "/plan/export.ods"


def test_a_name_taken_for_other_words_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured, match="'table_format' is already registered"):
        register_choice("table_format", ["csv", "pdf"])
    with pytest.raises(ImproperlyConfigured, match="'slug' is already registered"):
        register_choice("slug", ["a"])
