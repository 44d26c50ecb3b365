"""Ages, consent and votes are judged for the day and the meeting they concern."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
import time_machine

from preventhub.casework import queries, services
from preventhub.casework.models import ExitReview, Referral
from preventhub.casework.services.common import CaseworkError
from preventhub.partnership import services as partnership
from preventhub.partnership.models import Attendance, Contact
from tests.casework.conftest import World

pytestmark = pytest.mark.django_db


def _closed_case_of_a_sixteen_year_old(world: World, make_referral: Callable) -> Referral:
    referral = make_referral("adopted", born=datetime.date(2009, 6, 1))
    services.record_consent(
        referral=referral,
        by=world.chair,
        requested_by="Coordinator",
        method="in_person",
        requested_on=datetime.date(2026, 1, 22),
        status="given",
        answered_on=datetime.date(2026, 1, 27),
        given_by="parent",
        giver_name="A parent",
    )
    services.exit_case(
        referral=referral, by=world.chair, on=datetime.date(2026, 2, 1), reason="no_longer"
    )
    for review, on in zip(
        ExitReview.objects.filter(referral=referral).order_by("months"),
        (datetime.date(2026, 8, 1), datetime.date(2026, 11, 1)),
        strict=True,
    ):
        services.complete_review(review=review, by=world.chair, on=on, outcome="Stable")
    referral.refresh_from_db()
    assert referral.stage == Referral.Stage.CLOSED
    return referral


def test_a_closed_cases_consent_rule_is_for_the_day_support_ended_not_today(
    world: World, make_referral: Callable
) -> None:
    referral = _closed_case_of_a_sixteen_year_old(world, make_referral)
    with time_machine.travel(datetime.datetime(2029, 1, 10, 12, tzinfo=datetime.UTC)):
        page = queries.case_page(referral, world.chair)
    assert referral.age_on(datetime.date(2029, 1, 10)) == 19
    assert page.consent_rule_on == datetime.date(2026, 2, 1)
    assert page.consent_needed_from == "A parent or guardian"
    assert not page.consent_rule_is_today


def test_an_open_cases_consent_rule_is_for_today(world: World, make_referral: Callable) -> None:
    referral = make_referral("adopted", born=datetime.date(2009, 6, 1))
    with time_machine.travel(datetime.datetime(2027, 7, 1, 12, tzinfo=datetime.UTC)):
        page = queries.case_page(referral, world.chair)
    assert page.consent_rule_is_today
    assert page.consent_needed_from == "The individual"


def test_the_age_shown_is_the_age_at_referral(world: World, make_referral: Callable) -> None:
    referral = make_referral("received", born=datetime.date(2010, 3, 1))
    assert referral.age_at_referral == 15  # received 5 January 2026
    assert referral.age_on(datetime.date(2031, 1, 5)) == 20


class TestPanelVotes:
    def _entry(self, world: World, make_referral: Callable, present: int):
        members = [
            partnership.add_membership(
                board=world.panel,
                organisation=world.council,
                role="core",
                represents=f"Member {number}",
                since=datetime.date(2020, 1, 1),
                contact=Contact.objects.create(organisation=world.council, name=f"M{number}"),
            )
            for number in range(present + 1)
        ]
        statuses = {m.pk: Attendance.Status.PRESENT for m in members[:present]}
        statuses[members[-1].pk] = Attendance.Status.APOLOGIES
        partnership.record_attendance(meeting=world.meeting, statuses=statuses)
        referral = make_referral("channel")
        return services.add_to_agenda(referral=referral, meeting=world.meeting, by=world.chair)

    def test_more_votes_than_members_present_are_refused(
        self, world: World, make_referral: Callable
    ) -> None:
        entry = self._entry(world, make_referral, present=9)
        with pytest.raises(CaseworkError, match="15 votes are recorded but 9 members were present"):
            services.record_panel_decision(
                entry=entry,
                by=world.chair,
                outcome="adopt",
                votes_for=15,
                votes_against=0,
                abstentions=0,
                chair_decided=False,
                rationale="Reasons",
            )
        assert not entry.decisions.exists()

    def test_as_many_votes_as_members_present_are_accepted(
        self, world: World, make_referral: Callable
    ) -> None:
        entry = self._entry(world, make_referral, present=9)
        services.record_panel_decision(
            entry=entry,
            by=world.chair,
            outcome="adopt",
            votes_for=7,
            votes_against=1,
            abstentions=1,
            chair_decided=False,
            rationale="Reasons",
        )
        assert entry.decisions.count() == 1
