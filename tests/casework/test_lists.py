"""The types of concern and the triage checks: kept in the application, never deleted once used."""

from __future__ import annotations

import pytest
from django.urls import reverse

from preventhub.casework.forms import ReferralForm
from preventhub.casework.models import ConcernType, TriageCheck
from preventhub.core.roles import Role

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    return " ".join(response.content.decode().split())


def test_the_administrator_adds_a_type_of_concern_that_intake_then_offers(client_for) -> None:
    admin = client_for(Role.ADMINISTRATOR)
    response = admin.post(
        reverse("casework:list_item_new", args=["concern-types"]),
        {"name": "Incel ideology", "order": "5", "is_active": "on"},
    )
    assert response.status_code == 302
    added = ConcernType.objects.get(name="Incel ideology")
    assert added in ReferralForm().fields["concern_type"].queryset
    assert "Incel ideology" in page_text(admin.get(reverse("casework:lists")))


def test_a_check_taken_out_of_use_is_no_longer_offered_but_kept(client_for) -> None:
    chair = client_for(Role.CHANNEL_CHAIR)
    check = TriageCheck.objects.order_by("pk").first()
    chair.post(
        reverse("casework:list_item", args=["triage-checks", check.pk]),
        {"name": check.name, "order": check.order},
    )
    check.refresh_from_db()
    assert not check.is_active
    assert TriageCheck.objects.filter(pk=check.pk).exists()


def test_a_name_already_in_the_list_is_refused(client_for) -> None:
    admin = client_for(Role.ADMINISTRATOR)
    existing = ConcernType.objects.order_by("pk").first()
    response = admin.post(
        reverse("casework:list_item_new", args=["concern-types"]),
        {"name": existing.name, "order": "1", "is_active": "on"},
    )
    assert "There is already a type of concern with that name" in page_text(response)
    assert ConcernType.objects.filter(name=existing.name).count() == 1


def test_an_unknown_list_is_not_found(client_for) -> None:
    admin = client_for(Role.ADMINISTRATOR)
    assert admin.get(reverse("casework:list_item_new", args=["people"])).status_code == 404
