"""Every line of a case's timeline has a kind, set by the service that wrote it, and migration
0004 gives the lines written before kinds existed the same kind from their titles."""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Callable

import pytest
from django.apps import apps

from preventhub.accounts.models import User
from preventhub.casework import services
from preventhub.casework.models import CaseAssignment, CaseEvent, ConcernType, ExitReview, Referral
from preventhub.core.roles import Role
from tests.casework.conftest import World

pytestmark = pytest.mark.django_db

kinds_from_titles = importlib.import_module(
    "preventhub.casework.migrations.0004_case_event_kind"
).kinds_from_titles


def _every_event(world: World, make_referral: Callable[..., Referral], make_user: Callable) -> None:
    """A case through every service that writes to a timeline."""
    chair, member = world.chair, make_user(Role.CHANNEL_MEMBER)
    case = make_referral("adopted")
    services.receive_referral(
        by=world.police,
        source="police",
        received_on=datetime.date(2026, 3, 2),
        force=world.force,
        referrer_organisation="Test Academy",
        referrer_sector="education",
        referrer_name="Riley Referrer",
        subject=services.Subject("Jordan", "Example", datetime.date(2009, 6, 1), "male", None),
        concern_type=ConcernType.objects.get(name="Extreme right-wing"),
        concerns="Again",
        awareness="not_aware",
        previous_referral=case,
    )
    on = datetime.date(2026, 2, 1)
    services.assign_member(referral=case, user=member, kind="assigned", since=on, by=chair)
    called = services.assign_member(
        referral=case, user=member, kind=CaseAssignment.Kind.CALLED, since=on, by=chair
    )
    services.end_assignment(assignment=called, on=on, by=chair)
    services.record_assessment(referral=case, by=chair, assessed_on=on, entries={"e1": "Seen"})
    services.record_consent(
        referral=case,
        by=chair,
        requested_by="Case officer",
        method="in_person",
        requested_on=on,
        status="given",
        answered_on=on,
        given_by="parent",
    )
    services.start_support(referral=case, by=chair, on=on)
    services.record_onward_referral(referral=case, by=chair, service="health", decided_on=on)
    services.add_intervention(
        referral=case,
        by=chair,
        kind="education",
        provider="College",
        home_office_provider=False,
        who="",
        how="",
        starts_on=on,
    )
    services.add_progress_note(referral=case, by=chair, written_on=on, text="Going well")
    services.record_transfer(referral=case, by=chair, direction="in", other_area="Here", on=on)
    services.exit_case(referral=case, by=chair, on=on, reason="no_longer")
    for review in ExitReview.objects.filter(referral=case):
        services.complete_review(review=review, by=chair, on=review.due_on, outcome="Stable")
    case.refresh_from_db()
    services.set_legal_hold(referral=case, hold=True, reason="Court order", by=chair)
    services.set_legal_hold(referral=case, hold=False, reason="", by=chair)
    services.break_glass(user=world.police, referral=case, reason="Urgent safeguarding call")
    police_led = make_referral("police_led")
    services.close_case(referral=police_led, by=world.police, on=on)
    received = make_referral()
    services.correct_intake(
        referral=received,
        by=world.police,
        expected_version=received.version,
        reason="Mistyped",
        received_on=received.received_on,
        referrer_organisation="Test Academy",
        referrer_sector="education",
        referrer_name="Riley Referrer",
        subject=services.Subject("Jordon", "Example", datetime.date(2009, 6, 1), "male", None),
        concern_type=received.concern_type,
        concerns=received.concerns,
        awareness=received.awareness,
    )


# Kinds that came after migration 0004: no line was ever written without them.
KINDS_AFTER_0004 = {CaseEvent.Kind.INTAKE_CORRECTED}


def test_every_service_gives_its_line_a_kind(
    world: World, make_referral: Callable[..., Referral], make_user: Callable[..., User]
) -> None:
    _every_event(world, make_referral, make_user)
    written = set(CaseEvent.objects.values_list("kind", flat=True))
    assert written == set(CaseEvent.Kind.values) - {CaseEvent.Kind.OTHER}


def test_the_migration_gives_older_lines_the_kind_their_service_gives_today(
    world: World, make_referral: Callable[..., Referral], make_user: Callable[..., User]
) -> None:
    _every_event(world, make_referral, make_user)
    CaseEvent.objects.filter(kind__in=KINDS_AFTER_0004).delete()
    by_service = dict(CaseEvent.objects.values_list("pk", "kind"))
    CaseEvent.objects.update(kind=CaseEvent.Kind.OTHER)
    kinds_from_titles(apps, None)
    assert dict(CaseEvent.objects.values_list("pk", "kind")) == by_service


def test_a_title_the_migration_does_not_know_stays_other(
    make_referral: Callable[..., Referral],
) -> None:
    referral = make_referral()
    CaseEvent.objects.update(kind=CaseEvent.Kind.OTHER, title="Something long ago")
    kinds_from_titles(apps, None)
    assert set(referral.events.values_list("kind", flat=True)) == {CaseEvent.Kind.OTHER}
