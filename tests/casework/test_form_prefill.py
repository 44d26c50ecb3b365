"""The referral forms start from what is known: the signed-in person's organisation."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from lxml import html as lxml_html

from preventhub.accounts.models import User
from preventhub.core.roles import Role
from preventhub.partnership.models import Sector
from tests.casework.conftest import World

pytestmark = pytest.mark.django_db


def _form(content: bytes) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(content)


def _value(page: lxml_html.HtmlElement, field: str) -> str:
    return page.get_element_by_id(field).get("value")


def _selected(page: lxml_html.HtmlElement, field: str) -> str:
    return page.get_element_by_id(field).xpath("option[@selected]/@value")[0]


def test_the_police_officers_intake_form_has_their_force_and_organisation(
    world: World, signed_in: Callable
) -> None:
    page = _form(signed_in(world.police).get(reverse("casework:intake")).content)
    assert _value(page, "id_referrer_organisation") == "Test Police"
    assert _selected(page, "id_force") == str(world.force.pk)
    assert _selected(page, "id_referrer_sector") == "police"


def test_a_partners_referral_form_has_their_organisation_and_its_sector(
    world: World, make_user: Callable[..., User], signed_in: Callable
) -> None:
    partner = make_user(Role.PARTNER_LEAD)
    partner.organisation.sector = Sector.objects.get(code="health")
    partner.organisation.save()
    page = _form(signed_in(partner).get(reverse("casework:refer")).content)
    assert _value(page, "id_referrer_organisation") == partner.organisation.name
    assert _selected(page, "id_referrer_sector") == "health"
