"""Links to many records, reversed once: the same paths as reverse() gives."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import reverse

from preventhub.core.hrefs import href_for
from preventhub.core.navigation import NavLink


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
