"""The demo's committee report, built from the demo's data, says what the seed says."""

from __future__ import annotations

import datetime

import pytest

from preventhub.reports import build
from preventhub.reports.models import CommitteeReport

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 5)
SEED_COMPLETION = (
    "In 2018, 399 schools out of 411 completed the survey, a completion rate of 97%. "
    "345 schools responded to the specific Prevent questions (a completion rate of 84%)."
)


def _report() -> CommitteeReport:
    return CommitteeReport.objects.get(title="Prevent")


def test_the_built_committee_report_reproduces_the_seeds_audit_figures(demo_printed: str) -> None:
    text = build.text_of(build.committee_document(_report(), today=TODAY))
    print(text)
    assert SEED_COMPLETION in text
    assert "around 85% had actioned all of the requirements. 2% were not able to confirm" in text
    assert "Only 10% of schools indicated" in text
    assert "Positively, 93% of schools stated" in text
