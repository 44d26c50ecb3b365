"""The default frameworks, a Delivery Plan in force, and assessments rated as a test needs."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest

from preventhub.assessment import services
from preventhub.assessment.models import Assessment, Framework, StandardRating
from preventhub.delivery import services as delivery_services
from preventhub.delivery.models import DeliveryPlan
from preventhub.partnership.models import Organisation


@pytest.fixture
def toolkit(db: None) -> Framework:
    services.ensure_default_frameworks()
    return Framework.objects.get(code="toolkit")


@pytest.fixture
def approved_plan(organisation: Organisation) -> DeliveryPlan:
    plan = delivery_services.create_plan(title="Prevent Delivery Plan 2018/19")
    return delivery_services.approve_plan(plan=plan, on=datetime.date(2018, 4, 20))


def rating_of(assessment: Assessment, code: str) -> StandardRating:
    return assessment.ratings.select_related("standard", "assessment").get(standard__code=code)


def rate(assessment: Assessment, code: str, level: str, evidence: str = "Seen") -> StandardRating:
    found = rating_of(assessment, code)
    return services.rate_standard(
        rating=found,
        expected_version=found.version,
        level=assessment.framework.levels.get(code=level),
        evidence=evidence,
    )


@pytest.fixture
def rated(toolkit: Framework) -> Callable[..., Assessment]:
    """An assessment of the toolkit with every standard rated ``level`` but those in ``levels``;
    signed off (with a finding for each gap) unless ``sign=False``."""

    def make(
        title: str,
        on: datetime.date,
        *,
        level: str = "green",
        levels: dict[str, str] | None = None,
        sign: bool = True,
    ) -> Assessment:
        assessment = services.start_assessment(framework=toolkit, title=title, assessed_on=on)
        for rating in assessment.ratings.select_related("standard"):
            chosen = (levels or {}).get(rating.standard.code, level)
            found = rate(assessment, rating.standard.code, chosen)
            if found.level.is_gap:
                services.record_finding(rating=found, text=f"Gap in {rating.standard.code}")
        if sign:
            assessment.refresh_from_db()
            services.sign_off(
                assessment=assessment,
                expected_version=assessment.version,
                summary="Seen by the Board.",
                on=on,
            )
        return assessment

    return make
