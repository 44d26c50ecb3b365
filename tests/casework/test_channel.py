"""The Channel panel: agenda, attendance warning, decisions, assessment, consent, support, exit
and reviews."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable

import pytest
import time_machine
from django.urls import reverse

from preventhub.casework import queries, services, vaf
from preventhub.casework.models import AgendaEntry, CaseEvent, Consent, ExitReview, Referral
from preventhub.partnership import services as partnership
from preventhub.partnership.models import Attendance
from tests.casework.conftest import World

pytestmark = pytest.mark.django_db


def decide(world: World, entry: AgendaEntry, **changes: object) -> object:
    arguments = {
        "entry": entry,
        "by": world.chair,
        "outcome": "adopt",
        "votes_for": 4,
        "votes_against": 1,
        "abstentions": 0,
        "chair_decided": False,
        "rationale": "Reasons",
    }
    arguments.update(changes)
    return services.record_panel_decision(**arguments)  # type: ignore[arg-type]


class TestThePanel:
    def test_a_case_goes_only_on_its_own_panels_agenda(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        referral = make_referral("channel")
        other = partnership.save_meeting(board=world.other_panel, held_on=datetime.date(2026, 2, 1))
        with pytest.raises(services.CaseworkError, match="own panel"):
            services.add_to_agenda(referral=referral, meeting=other, by=world.chair)

    def test_the_chair_adds_a_case_on_the_meeting_page(
        self, world: World, make_referral: Callable[..., Referral], signed_in: Callable
    ) -> None:
        referral = make_referral("channel")
        client = signed_in(world.chair)
        response = client.post(
            reverse("casework:agenda_add", args=[world.meeting.pk]), {"referral": referral.pk}
        )
        assert response.status_code == 302
        page = client.get(reverse("casework:meeting", args=[world.meeting.pk])).content.decode()
        assert referral.reference in page

    def test_the_record_warns_when_the_police_for_the_area_are_not_present(
        self, world: World, make_referral: Callable[..., Referral], signed_in: Callable
    ) -> None:
        referral = make_referral("channel")
        entry = services.add_to_agenda(referral=referral, meeting=world.meeting, by=world.chair)
        url = reverse("casework:decision", args=[entry.pk])
        assert b"Warning: nobody from the police force" in signed_in(world.chair).get(url).content
        seat = partnership.add_membership(
            board=world.panel,
            organisation=world.force,
            role="core",
            contact=partnership.save_contact(organisation=world.force, name="Officer Seat"),
            since=datetime.date(2025, 1, 1),
        )
        Attendance.objects.create(meeting=world.meeting, membership=seat, status="present")
        assert queries.police_present(world.meeting, referral)
        assert b"Warning: nobody" not in signed_in(world.chair).get(url).content

    def test_apologies_from_the_police_still_warn(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        referral = make_referral("channel")
        seat = partnership.add_membership(
            board=world.panel,
            organisation=world.force,
            role="core",
            contact=partnership.save_contact(organisation=world.force, name="Officer Seat"),
            since=datetime.date(2025, 1, 1),
        )
        Attendance.objects.create(meeting=world.meeting, membership=seat, status="apologies")
        assert not queries.police_present(world.meeting, referral)

    def test_a_majority_decides_and_the_milestones_are_kept(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        referral = make_referral("channel")
        entry = services.add_to_agenda(referral=referral, meeting=world.meeting, by=world.chair)
        decide(world, entry)
        referral.refresh_from_db()
        assert referral.discussed_on == referral.adopted_on == world.meeting.held_on

    def test_a_tie_is_decided_by_the_chair(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        entry = services.add_to_agenda(
            referral=make_referral("channel"), meeting=world.meeting, by=world.chair
        )
        with pytest.raises(services.CaseworkError, match="chair decided"):
            decide(world, entry, votes_for=2, votes_against=2)
        decision = decide(world, entry, votes_for=2, votes_against=2, chair_decided=True)
        assert decision.chair_decided  # type: ignore[attr-defined]

    def test_an_outcome_the_majority_voted_against_is_refused(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        entry = services.add_to_agenda(
            referral=make_referral("channel"), meeting=world.meeting, by=world.chair
        )
        with pytest.raises(services.CaseworkError, match="voted against"):
            decide(world, entry, votes_for=1, votes_against=3)
        with pytest.raises(services.CaseworkError, match="did not need to decide"):
            decide(world, entry, chair_decided=True)

    def test_not_adopting_closes_the_case(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        referral = make_referral("channel")
        entry = services.add_to_agenda(referral=referral, meeting=world.meeting, by=world.chair)
        decide(world, entry, outcome="not_adopt")
        referral.refresh_from_db()
        assert referral.stage == Referral.Stage.CLOSED and referral.adopted_on is None


class TestAssessment:
    def test_the_framework_has_three_dimensions_and_twenty_two_factors(self) -> None:
        assert [len(d.factors) for d in vaf.DIMENSIONS] == [13, 6, 3]
        assert vaf.FACTOR_COUNT == 22

    def test_an_assessment_is_text_per_factor_and_dimension_and_repeatable(
        self, world: World, make_referral: Callable[..., Referral], signed_in: Callable
    ) -> None:
        referral = make_referral("adopted")
        client = signed_in(world.chair)
        url = reverse("casework:assessment_new", args=[referral.pk])
        for day, text in (("2026-01-21", "Strong grievance"), ("2026-04-21", "Grievance easing")):
            response = client.post(
                url, {"assessed_on": day, "e1": text, "engagement": "Engaged online"}
            )
            assert response.status_code == 302
        assessments = list(referral.assessments.order_by("assessed_on"))
        assert [json.loads(a.entries)["e1"] for a in assessments] == [
            "Strong grievance",
            "Grievance easing",
        ]
        page = client.get(reverse("casework:referral", args=[referral.pk])).content.decode()
        assert "Grievance easing" in page and "Strong grievance" in page
        assert "score" not in page.lower()

    def test_an_empty_assessment_is_refused(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        with pytest.raises(services.CaseworkError, match="at least one factor"):
            services.record_assessment(
                referral=make_referral("adopted"),
                by=world.chair,
                assessed_on=datetime.date(2026, 2, 1),
                entries={"e1": "  "},
            )


def consent(world: World, referral: Referral, **changes: object) -> Consent:
    arguments = {
        "referral": referral,
        "by": world.chair,
        "requested_by": "Case officer",
        "method": "in_person",
        "requested_on": datetime.date(2026, 1, 22),
        "status": "given",
        "answered_on": datetime.date(2026, 1, 23),
        "given_by": "parent",
        "giver_name": "A Parent",
    }
    arguments.update(changes)
    return services.record_consent(**arguments)  # type: ignore[arg-type]


class TestConsent:
    def test_under_18_consent_must_come_from_a_parent_or_guardian(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        referral = make_referral("adopted")  # born 2009: 16 in 2026
        with pytest.raises(services.CaseworkError, match="parent or guardian"):
            consent(world, referral, given_by="individual")
        assert consent(world, referral).given_by == "parent"

    def test_at_18_consent_is_the_individuals_own(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        referral = make_referral("adopted", born=datetime.date(2000, 1, 1))
        with pytest.raises(services.CaseworkError, match="their own"):
            consent(world, referral)
        assert consent(world, referral, given_by="individual").given_by == "individual"

    def test_age_is_taken_on_the_day_of_the_answer(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        referral = make_referral("adopted", born=datetime.date(2008, 1, 25))
        assert queries.consent_must_come_from(referral, datetime.date(2026, 1, 24)) == "parent"
        assert queries.consent_must_come_from(referral, datetime.date(2026, 1, 25)) == "individual"

    def test_the_form_says_who_must_consent(
        self, world: World, make_referral: Callable[..., Referral], signed_in: Callable
    ) -> None:
        referral = make_referral("adopted")
        with time_machine.travel(datetime.datetime(2026, 2, 1, 12, tzinfo=datetime.UTC)):
            page = signed_in(world.chair).get(reverse("casework:consent_new", args=[referral.pk]))
        assert b"consent must come from a parent or guardian" in page.content


class TestSupport:
    def test_support_cannot_start_without_consent(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        referral = make_referral("adopted")
        with pytest.raises(services.CaseworkError, match="without consent"):
            services.start_support(referral=referral, by=world.chair, on=datetime.date(2026, 2, 1))

    def test_support_starts_once_consent_is_given(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        referral = make_referral("adopted")
        consent(world, referral)
        services.start_support(referral=referral, by=world.chair, on=datetime.date(2026, 2, 1))
        assert referral.support_started_on == datetime.date(2026, 2, 1)

    def test_withdrawn_consent_stops_support_starting_and_offers_reassessment(
        self, world: World, make_referral: Callable[..., Referral], signed_in: Callable
    ) -> None:
        referral = make_referral("adopted")
        consent(world, referral)
        consent(world, referral, status="withdrawn", answered_on=datetime.date(2026, 1, 30))
        with pytest.raises(services.CaseworkError, match="without consent"):
            services.start_support(referral=referral, by=world.chair, on=datetime.date(2026, 2, 1))
        referral.refresh_from_db()
        assert referral.consent_refused_on == datetime.date(2026, 1, 30)
        page = signed_in(world.chair).get(reverse("casework:referral", args=[referral.pk]))
        content = page.content.decode()
        assert "Reassess" in content and "health or social care" in content

    def test_refused_consent_leads_to_considering_health_or_social_care(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        referral = make_referral("adopted")
        consent(world, referral, status="refused")
        onward = services.record_onward_referral(
            referral=referral,
            by=world.chair,
            service="children",
            decided_on=datetime.date(2026, 2, 2),
        )
        assert onward.get_service_display() == "Children's social care"

    def test_the_support_plan_records_interventions_with_provider_who_how_when(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        referral = make_referral("adopted")
        item = services.add_intervention(
            referral=referral,
            by=world.chair,
            kind="ideological",
            provider="Approved mentor",
            home_office_provider=True,
            who="Mentor A",
            how="Weekly sessions",
            starts_on=datetime.date(2026, 2, 5),
            review_on=datetime.date(2026, 5, 5),
        )
        assert item.home_office_provider and item.how == "Weekly sessions"

    def test_a_support_plan_needs_an_adopted_case(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        with pytest.raises(services.CaseworkError, match="adopted"):
            services.add_intervention(
                referral=make_referral("channel"),
                by=world.chair,
                kind="education",
                provider="College",
                home_office_provider=False,
                who="",
                how="",
                starts_on=datetime.date(2026, 2, 5),
            )


class TestExitAndReviews:
    def test_exit_schedules_reviews_at_6_and_12_months(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        referral = make_referral("adopted")
        services.exit_case(
            referral=referral, by=world.chair, on=datetime.date(2026, 8, 31), reason="no_longer"
        )
        assert [(r.months, r.due_on) for r in referral.reviews.all()] == [
            (6, datetime.date(2027, 2, 28)),
            (12, datetime.date(2027, 8, 31)),
        ]

    def test_overdue_reviews_are_listed_for_the_chair(
        self, world: World, make_referral: Callable[..., Referral], signed_in: Callable
    ) -> None:
        referral = make_referral("adopted")
        services.exit_case(
            referral=referral, by=world.chair, on=datetime.date(2026, 2, 1), reason="no_longer"
        )
        today = datetime.date(2026, 9, 1)
        assert [r.months for r in queries.overdue_reviews(world.chair, today)] == [6]
        with time_machine.travel(datetime.datetime(2026, 9, 1, 12, tzinfo=datetime.UTC)):
            page = signed_in(world.chair).get(reverse("casework:overdue_reviews"))
        assert referral.reference.encode() in page.content

    def test_completing_both_reviews_closes_the_case(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        referral = make_referral("adopted")
        services.exit_case(
            referral=referral, by=world.chair, on=datetime.date(2026, 2, 1), reason="no_longer"
        )
        six, twelve = ExitReview.objects.filter(referral=referral).order_by("months")
        services.complete_review(
            review=six, by=world.chair, on=datetime.date(2026, 8, 1), outcome="Stable"
        )
        referral.refresh_from_db()
        assert referral.stage == Referral.Stage.EXITED and referral.reviews_completed == 1
        services.complete_review(
            review=twelve, by=world.chair, on=datetime.date(2027, 2, 1), outcome="Stable"
        )
        referral.refresh_from_db()
        assert referral.stage == Referral.Stage.CLOSED and referral.reviews_completed == 2
        assert referral.retain_until == datetime.date(2033, 2, 1)

    def test_transfers_are_recorded_on_the_timeline(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        referral = make_referral("adopted")
        services.record_transfer(
            referral=referral,
            by=world.chair,
            direction="out",
            other_area="Shropshire",
            on=datetime.date(2026, 3, 1),
        )
        event = referral.events.get(kind=CaseEvent.Kind.TRANSFERRED)
        assert event.title == "Transferred out to another area"


def test_the_timeline_lists_every_event_with_who_and_when(
    world: World, make_referral: Callable[..., Referral], signed_in: Callable
) -> None:
    referral = make_referral("adopted")
    page = signed_in(world.chair).get(reverse("casework:referral", args=[referral.pk]))
    content = page.content.decode()
    assert 'class="moj-timeline"' in content
    for title in ("Referral received", "Triaged: clear concern", "Routed: channel panel"):
        assert title in content
    assert "Panel decision: Adopt as a Channel case" in content
    assert content.count("moj-timeline__item") == referral.events.count() == 5
