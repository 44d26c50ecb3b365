"""``{% url %}`` keeps each address it reverses, and behaves as Django's own tag."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, get_script_prefix, reverse, set_script_prefix

from preventhub.core.templatetags import kept_urls


@pytest.fixture(autouse=True)
def _nothing_kept() -> Iterator[None]:
    kept_urls.kept_address.cache_clear()
    yield
    kept_urls.kept_address.cache_clear()


def render(text: str, **context: object) -> str:
    return Template(text).render(Context(context))


def test_every_template_has_the_kept_tag_in_place_of_djangos() -> None:
    template = Template("{% url 'audits:round' 7 %}")
    assert isinstance(template.nodelist[0], kept_urls.KeptURLNode)


def test_an_address_is_the_one_django_reverses_and_is_reversed_once() -> None:
    first = render("{% url 'audits:round_export' pk 'summary' 'csv' %}", pk=7)
    again = render("{% url 'audits:round_export' pk 'summary' 'csv' %}", pk=7)
    assert first == again == reverse("audits:round_export", args=[7, "summary", "csv"])
    info = kept_urls.kept_address.cache_info()
    assert (info.misses, info.hits) == (1, 1)


def test_other_arguments_are_other_addresses() -> None:
    assert render("{% url 'audits:round' 7 %}") == reverse("audits:round", args=[7])
    assert render("{% url 'audits:round' 8 %}") == reverse("audits:round", args=[8])
    assert kept_urls.kept_address.cache_info().misses == 2


def test_an_argument_that_is_not_a_number_or_text_is_reversed_every_time() -> None:
    class Thing:
        def __str__(self) -> str:
            return "9"

    assert render("{% url 'audits:round' thing %}", thing=Thing()) == reverse(
        "audits:round", args=[9]
    )
    assert kept_urls.kept_address.cache_info().currsize == 0


def test_as_sets_a_variable_and_an_unknown_route_fails_as_djangos_does() -> None:
    assert render("{% url 'core:home' as home %}[{{ home }}]") == f"[{reverse('core:home')}]"
    assert render("{% url 'no:such' as nowhere %}[{{ nowhere }}]") == "[]"
    with pytest.raises(NoReverseMatch):
        render("{% url 'no:such' %}")


def test_the_script_prefix_is_part_of_the_address() -> None:
    before = get_script_prefix()
    plain = render("{% url 'core:home' %}")
    set_script_prefix("/prevent/")
    try:
        assert render("{% url 'core:home' %}") == "/prevent" + plain
    finally:
        set_script_prefix(before)
    assert render("{% url 'core:home' %}") == plain
