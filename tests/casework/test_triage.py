"""Police triage and deconfliction, the working-day clock, and routing with reasons."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.urls import reverse

from preventhub.casework import queries, services
from preventhub.casework.models import CaseEvent, Referral, TriageCheck
from tests.casework.conftest import World

pytestmark = pytest.mark.django_db


class TestTheClock:
    @pytest.mark.parametrize(
        "start,end,days",
        [
            ("2026-01-05", "2026-01-05", 0),  # Monday, same day
            ("2026-01-05", "2026-01-09", 4),  # to Friday
            ("2026-01-05", "2026-01-12", 5),  # over a weekend
            ("2026-01-09", "2026-01-12", 1),  # Friday to Monday
            ("2026-01-10", "2026-01-11", 0),  # Saturday to Sunday
            ("2026-01-05", "2026-01-26", 15),
        ],
    )
    def test_working_days_count_monday_to_friday(self, start: str, end: str, days: int) -> None:
        assert (
            queries.working_days_between(
                datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
            )
            == days
        )

    def test_the_clock_stops_at_the_triage_decision_and_shows_the_target(
        self, make_referral: Callable[..., Referral]
    ) -> None:
        referral = make_referral("triaged")  # received Monday, triaged Wednesday
        clock = queries.triage_clock(referral, datetime.date(2026, 3, 1))
        assert (clock.working_days, clock.target, clock.stopped) == (2, 5, True)
        assert not clock.over_target

    def test_an_untriaged_referral_past_the_target_is_over_it(
        self, make_referral: Callable[..., Referral]
    ) -> None:
        clock = queries.triage_clock(make_referral(), datetime.date(2026, 1, 13))
        assert clock.working_days == 6 and clock.over_target


class TestTriage:
    def test_the_officer_records_checks_category_decision_and_rationale(
        self, world: World, make_referral: Callable[..., Referral], signed_in: Callable
    ) -> None:
        referral = make_referral()
        checks = list(TriageCheck.objects.all()[:2])
        response = signed_in(world.police).post(
            reverse("casework:triage", args=[referral.pk]),
            {
                "version": referral.version,
                "category": "possible",
                "decision": "Gather more information",
                "rationale": "Comments are ambiguous",
                "decided_on": "2026-01-07",
                "checks": [check.pk for check in checks],
                "checks_done_on": "2026-01-06",
                "findings": "Nothing known",
            },
        )
        assert response.status_code == 302
        referral.refresh_from_db()
        assert referral.stage == Referral.Stage.TRIAGED
        assert referral.triage.decided_by == world.police
        assert referral.triage.checks.count() == 2
        assert referral.events.filter(kind=CaseEvent.Kind.TRIAGED).exists()

    def test_a_triage_over_a_stale_copy_is_refused(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        referral = make_referral()
        stale = referral.version
        referral.save()  # someone else saved meanwhile
        Referral.objects.filter(pk=referral.pk).update(version=stale + 1)
        with pytest.raises(Exception, match="changed by someone else"):
            services.record_triage(
                referral=referral,
                by=world.police,
                category="clear",
                decision="d",
                rationale="r",
                decided_on=datetime.date(2026, 1, 6),
                checks=[],
                expected_version=stale,
            )

    def test_the_chair_cannot_triage(
        self, world: World, make_referral: Callable[..., Referral], signed_in: Callable
    ) -> None:
        referral = make_referral("channel")
        assert (
            signed_in(world.chair).get(reverse("casework:triage", args=[referral.pk])).status_code
            == 404
        )


class TestRouting:
    def route(self, world: World, referral: Referral, **changes: object) -> Referral:
        arguments = {
            "referral": referral,
            "by": world.police,
            "route": "nfa",
            "reason": "No vulnerability",
            "on": datetime.date(2026, 1, 9),
            "expected_version": referral.version,
        }
        arguments.update(changes)
        return services.route_referral(**arguments)  # type: ignore[arg-type]

    def test_no_further_action_closes_and_starts_the_retention_clock(
        self, world: World, make_referral: Callable[..., Referral], settings: object
    ) -> None:
        referral = self.route(world, make_referral("triaged"))
        assert referral.stage == Referral.Stage.CLOSED
        assert referral.closed_on == datetime.date(2026, 1, 9)
        assert referral.retain_until == datetime.date(2032, 1, 9)

    def test_signposting_names_the_service(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        with pytest.raises(services.CaseworkError, match="signposted to"):
            self.route(world, make_referral("triaged"), route="signposted")
        referral = self.route(
            world, make_referral("triaged"), route="signposted", signposted_to="Youth service"
        )
        assert referral.signposted_to == "Youth service"

    def test_channel_needs_a_channel_panel(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        with pytest.raises(services.CaseworkError, match="Channel panel"):
            self.route(world, make_referral("triaged"), route="channel")
        referral = self.route(world, make_referral("triaged"), route="channel", panel=world.panel)
        assert referral.stage == Referral.Stage.CHANNEL and referral.panel == world.panel

    def test_a_referral_is_routed_only_after_triage(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        with pytest.raises(services.CaseworkError, match="triaged"):
            self.route(world, make_referral())

    def test_routing_needs_reasons(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        with pytest.raises(services.CaseworkError, match="reasons"):
            self.route(world, make_referral("triaged"), reason=" ")


def test_a_triage_posted_without_the_version_it_was_opened_at_is_refused(
    world: World, make_referral: Callable[..., Referral], signed_in: Callable
) -> None:
    referral = make_referral()
    response = signed_in(world.police).post(
        reverse("casework:triage", args=[referral.pk]),
        {
            "category": "clear",
            "decision": "Refer to Channel",
            "rationale": "Clear concern",
            "decided_on": "2026-01-07",
            "checks_done_on": "2026-01-06",
        },
    )
    assert "This page is out of date" in response.content.decode()
    referral.refresh_from_db()
    assert referral.stage == Referral.Stage.RECEIVED
