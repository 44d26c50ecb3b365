"""The demo lives in today: nothing overdue by years, the open quarter is the current one, and
the seed's year, 2018/19, reads as history.

The demo is loaded on 5 December 2026 (see conftest.py); the checks below hold for any day.
"""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.db.models import Max

from preventhub.audits.models import ActionPlanItem, AuditRound
from preventhub.casework import queries as casework
from preventhub.casework.models import Consent, ExitReview, Referral
from preventhub.core.calendar import quarter_of
from preventhub.delivery import queries as delivery
from preventhub.delivery.models import DeliveryPlan, ProgressUpdate
from preventhub.partnership.models import Board, Meeting, ReportingPeriod
from preventhub.returns.models import PartnerReturn, ReturnEvent
from tests.demo.conftest import DEMO_TODAY

pytestmark = pytest.mark.django_db

A_QUARTER = datetime.timedelta(days=92)


@pytest.mark.usefixtures("demo_printed")
class TestTheDemoLivesInToday:
    def test_it_says_which_day_it_lives_in(self, demo_printed: str) -> None:
        assert "It lives in 5 December 2026" in demo_printed

    def test_the_open_quarter_is_the_current_one(self) -> None:
        assert ReportingPeriod.objects.get(status="open").name == quarter_of(DEMO_TODAY)[0]
        assert not ReportingPeriod.objects.filter(starts_on__gt=DEMO_TODAY).exists()

    def test_the_plan_in_force_is_this_financial_years(self) -> None:
        plan = delivery.current_plan()
        assert plan.title == "Prevent Delivery Plan 2026/27"
        assert plan.approved_on < datetime.date(2026, 4, 1)

    def test_no_action_of_the_plan_in_force_is_overdue_by_more_than_a_quarter(self) -> None:
        page = delivery.plan_page(delivery.current_plan(), delivery.PlanFilter(), on=DEMO_TODAY)
        for group in page.sections:
            for row in group.rows:
                if row.is_overdue:
                    assert DEMO_TODAY - row.action.due_on <= A_QUARTER, row.action.reference

    def test_no_referral_has_waited_for_triage_beyond_the_target(self) -> None:
        waiting = Referral.objects.filter(stage=Referral.Stage.RECEIVED)
        assert waiting.count() >= 4
        for referral in waiting:
            clock = casework.triage_clock(referral, DEMO_TODAY)
            assert clock.working_days <= settings.PREVENTHUB_TRIAGE_TARGET_DAYS
            assert not clock.over_target

    def test_no_exit_review_is_overdue_by_more_than_a_quarter(self) -> None:
        open_reviews = ExitReview.objects.filter(completed_on__isnull=True)
        assert open_reviews.exists()
        for review in open_reviews:
            assert DEMO_TODAY - review.due_on <= A_QUARTER + A_QUARTER / 2

    def test_each_consent_was_given_by_whom_the_persons_age_on_that_day_required(self) -> None:
        consents = Consent.objects.select_related("referral")
        assert consents.exists()
        for consent in consents:
            expected = casework.consent_must_come_from(consent.referral, consent.answered_on)
            assert consent.given_by == expected

    def test_the_boards_and_the_panel_have_a_recent_meeting_and_a_next_one(self) -> None:
        for kind in (Board.Kind.PREVENT_BOARD, Board.Kind.CHANNEL_PANEL):
            meetings = Meeting.objects.filter(board__kind=kind)
            recent = meetings.filter(held_on__lte=DEMO_TODAY).aggregate(Max("held_on"))
            assert DEMO_TODAY - recent["held_on__max"] <= A_QUARTER
            upcoming = meetings.filter(held_on__gt=DEMO_TODAY)
            assert upcoming.exists()
            assert upcoming.count() == 1 or kind == Board.Kind.PREVENT_BOARD

    def test_nothing_was_sent_or_received_after_today(self) -> None:
        last_update = ProgressUpdate.objects.aggregate(Max("submitted_at"))["submitted_at__max"]
        assert last_update.date() <= DEMO_TODAY
        assert Referral.objects.aggregate(Max("received_on"))["received_on__max"] <= DEMO_TODAY
        last_event = ReturnEvent.objects.aggregate(Max("at"))["at__max"]
        assert last_event.date() <= DEMO_TODAY

    def test_the_open_quarters_returns_are_due_with_some_late(self) -> None:
        returns = PartnerReturn.objects.filter(window__period__status="open")
        assert returns.exists()
        assert any(found.is_late or found.is_overdue(DEMO_TODAY) for found in returns)

    def test_the_annual_audit_round_of_this_year_opened_on_1_october(self) -> None:
        latest = AuditRound.objects.get(name="2026")
        assert latest.opens_on == datetime.date(2026, 10, 1)
        assert latest.closes_on < DEMO_TODAY
        assert latest.scope.count() == 411
        overdue = ActionPlanItem.objects.filter(due_on__lt=DEMO_TODAY).exclude(status="done")
        assert not overdue.filter(due_on__lt=DEMO_TODAY - A_QUARTER).exists()


@pytest.mark.usefixtures("demo_printed")
class TestTheSeedYearReadsAsHistory:
    def test_both_2018_19_versions_are_superseded_and_their_quarters_closed_in_2019(self) -> None:
        for plan in DeliveryPlan.objects.filter(title__contains="2018/19"):
            assert plan.status == DeliveryPlan.Status.SUPERSEDED
        for period in ReportingPeriod.objects.filter(name__startswith="2018/19"):
            assert period.status == "closed"
            assert period.closed_at.date() < datetime.date(2019, 6, 1)

    def test_the_old_plan_shows_only_what_was_overdue_while_it_was_in_force(self) -> None:
        refreshed = DeliveryPlan.objects.get(title__contains="refreshed October 2018")
        assert delivery.overdue_as_of(refreshed, DEMO_TODAY) == datetime.date(2019, 3, 31)
        page = delivery.plan_page(refreshed, delivery.PlanFilter(), on=DEMO_TODAY)
        for group in page.sections:
            for row in group.rows:
                if row.is_overdue:
                    assert row.action.due_on < datetime.date(2019, 3, 31)

    def test_the_2018_referrals_are_all_closed_with_nothing_left_to_do(self) -> None:
        history = Referral.objects.filter(received_on__year=2018)
        assert set(history.values_list("stage", flat=True)) == {Referral.Stage.CLOSED}
        assert not ExitReview.objects.filter(
            referral__in=history, completed_on__isnull=True
        ).exists()

    def test_the_2018_and_2019_audit_rounds_action_plans_are_done(self) -> None:
        for name in ("2018", "2019"):
            items = ActionPlanItem.objects.filter(place__round__name=name)
            assert items.exists()
            assert set(items.values_list("status", flat=True)) == {"done"}
