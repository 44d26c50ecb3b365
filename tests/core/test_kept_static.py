"""``{% static %}`` keeps each file's address, is the address Django's storage gives, and follows
a change of the static settings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.template import Context, Template
from django.templatetags.static import static
from django.test import override_settings

from preventhub.core.templatetags import kept_static

CSS = "preventhub/app.css"


@pytest.fixture(autouse=True)
def _nothing_kept() -> Iterator[None]:
    kept_static._address.cache_clear()
    yield
    kept_static._address.cache_clear()


def render(text: str, **context: object) -> str:
    return Template(text).render(Context(context))


def test_every_template_has_the_kept_tag_in_place_of_djangos() -> None:
    template = Template(f"{{% static '{CSS}' %}}")
    assert isinstance(template.nodelist[0], kept_static.KeptStaticNode)


def test_an_address_is_the_storage_s_and_is_made_once() -> None:
    first = render(f"{{% static '{CSS}' %}}")
    again = render("{% static path %}", path=CSS)
    assert first == again == static(CSS)
    info = kept_static._address.cache_info()
    assert (info.misses, info.hits) == (1, 1)


def test_as_sets_a_variable() -> None:
    assert render(f"{{% static '{CSS}' as address %}}[{{{{ address }}}}]") == f"[{static(CSS)}]"


def test_a_change_of_the_static_address_is_followed() -> None:
    before = render(f"{{% static '{CSS}' %}}")
    with override_settings(STATIC_URL="/elsewhere/"):
        assert render(f"{{% static '{CSS}' %}}") == f"/elsewhere/{CSS}"
    assert render(f"{{% static '{CSS}' %}}") == before
