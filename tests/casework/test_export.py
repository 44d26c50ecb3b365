"""The subject access bundle: PDF and JSON, third parties marked, only for the chair and police."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable

import pytest
from django.urls import reverse

from preventhub.accounts.models import User
from preventhub.casework import services
from preventhub.casework.models import Referral
from preventhub.core.models import AuditEvent
from preventhub.core.roles import Role
from tests.casework.conftest import World

pytestmark = pytest.mark.django_db


def test_the_json_bundle_holds_the_case_and_marks_third_parties(
    world: World, make_referral: Callable[..., Referral], signed_in: Callable
) -> None:
    referral = make_referral("adopted")
    response = signed_in(world.chair).get(reverse("casework:export_json", args=[referral.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    bundle = json.loads(response.content)
    assert bundle["reference"] == referral.reference
    assert bundle["person"]["given_name"] == "Jordan"
    assert bundle["concerns"] == "Shared violent propaganda in class"
    assert bundle["referrer"]["name"] == {"value": "Riley Referrer", "third_party": True}
    assert bundle["triage"]["decided_by"]["third_party"] is True
    assert bundle["panel_decisions"][0]["outcome"] == "Adopt as a Channel case"
    assert [event["what"] for event in bundle["timeline"]][0] == "Referral received"


def test_the_pdf_bundle_is_a_pdf_with_third_parties_marked(
    world: World, make_referral: Callable[..., Referral], signed_in: Callable
) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    referral = make_referral()
    response = signed_in(world.police).get(reverse("casework:export_pdf", args=[referral.pk]))
    assert response.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "Jordan" in text and "review for redaction" in text


def test_every_export_is_logged_as_a_read_and_an_export(
    world: World, make_referral: Callable[..., Referral], signed_in: Callable
) -> None:
    referral = make_referral()
    signed_in(world.police).get(reverse("casework:export_pdf", args=[referral.pk]))
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.READ, detail="Subject access export (PDF)"
    ).exists()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORT, detail=f"{referral.reference} PDF"
    ).exists()


def test_a_member_who_sees_the_case_cannot_export_it(
    world: World,
    make_user: Callable[..., User],
    make_referral: Callable[..., Referral],
    signed_in: Callable,
) -> None:
    member = make_user(Role.CHANNEL_MEMBER)
    referral = make_referral("channel")
    services.assign_member(
        referral=referral,
        user=member,
        kind="assigned",
        since=datetime.date(2026, 1, 6),
        by=world.chair,
    )
    client = signed_in(member)
    assert client.get(reverse("casework:referral", args=[referral.pk])).status_code == 200
    assert client.get(reverse("casework:export_json", args=[referral.pk])).status_code == 404
