"""The demo's engagement, guidance library and information sharing, relative to today."""

from __future__ import annotations

import datetime

import pytest

from preventhub.accounts.models import User
from preventhub.core.roles import Role
from preventhub.engagement.models import Activity, MessageVersion
from preventhub.exchange.models import SharingRequest
from preventhub.guidance import queries as guidance
from preventhub.guidance.models import GuidanceDocument

pytestmark = pytest.mark.django_db


def test_it_has_a_year_of_engagement_in_every_district_and_some_planned_this_month(
    demo_printed: str,
) -> None:
    today = datetime.date.today()
    held = Activity.objects.filter(
        held_on__lt=today, held_on__gte=today.replace(year=today.year - 1)
    )
    districts = set(held.values_list("district__name", flat=True))
    assert len(districts) == 8
    assert held.count() > 80
    assert not held.filter(reach__isnull=True).exists()
    planned = Activity.objects.filter(held_on__gte=today, held_on__month=today.month)
    assert planned.exists() and not planned.filter(reach__isnull=False).exists()
    assert MessageVersion.objects.filter(approved_on__isnull=False).count() >= 3


def test_one_guidance_document_is_overdue_for_review(demo_printed: str) -> None:
    coordinator = User.objects.filter(groups__name=Role.COORDINATOR).first()
    work = guidance.home_work(coordinator, datetime.date.today())

    assert [item.text for item in work if item.status == "Review overdue"] == [
        "Review Joint Staffordshire and Stoke-on-Trent Prevent Safeguarding Guidance"
    ]
    assert GuidanceDocument.objects.filter(versions__isnull=True).count() == 0


def test_an_information_sharing_request_is_in_progress(demo_printed: str) -> None:
    in_progress = SharingRequest.objects.get(status="approved")

    assert in_progress.receiving_organisation.name == "Stafford District Council"
    assert list(in_progress.events.values_list("kind", flat=True).order_by("at", "pk")) == [
        "requested",
        "approved",
    ]
