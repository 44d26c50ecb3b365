"""The demo can be loaded on any day: on the first day of a financial year it still makes sense.

On 1 April 2027 the open quarter is 2027/28 Q1 and no quarter of that year has closed yet; the
plan in force is 2027/28's, nothing is dated after the day and the latest audit round is 2026's.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db.models import Max

from preventhub.audits.models import AuditRound
from preventhub.casework import queries as casework
from preventhub.casework.models import Referral
from preventhub.core import audit
from preventhub.delivery import queries as delivery
from preventhub.delivery.models import ProgressUpdate
from preventhub.demo.services import load_demo
from preventhub.partnership.models import ReportingPeriod

pytestmark = pytest.mark.django_db

DAY = datetime.date(2027, 4, 1)


def test_loaded_on_the_first_day_of_a_financial_year_the_demo_makes_sense() -> None:
    with time_machine.travel(
        datetime.datetime.combine(DAY, datetime.time(9, tzinfo=datetime.UTC)), tick=True
    ):
        with audit.acting(label="test"):
            load_demo(DAY)
        assert ReportingPeriod.objects.get(status="open").name == "2027/28 Q1"
        assert delivery.current_plan().title == "Prevent Delivery Plan 2027/28"
        last = ProgressUpdate.objects.aggregate(Max("submitted_at"))["submitted_at__max"]
        assert last.date() <= DAY
        for referral in Referral.objects.filter(stage=Referral.Stage.RECEIVED):
            assert not casework.triage_clock(referral, DAY).over_target
        assert AuditRound.objects.filter(kind="annual").latest("opens_on").name == "2026"
