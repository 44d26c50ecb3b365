"""A referral's intake details can be corrected after it was recorded, by those who work the case:
the earlier values stay in the case's history, encrypted like the rest, the timeline says which
details changed and never what they were, every read and change is logged, and a correction
from a form opened before someone else's change is refused."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from preventhub.accounts.models import User
from preventhub.casework import export, queries, services
from preventhub.casework.models import CaseEvent, IntakeCorrection, Referral
from preventhub.core.concurrency import ConcurrentEditError
from preventhub.core.models import AuditEvent
from preventhub.core.roles import Role
from tests.casework.conftest import RECEIVED, World, reads_of

pytestmark = pytest.mark.django_db


def _correct(referral: Referral, by: User, **changes: Any) -> IntakeCorrection:
    """Correct ``referral``, keeping every detail not named in ``changes`` as it is."""
    fresh = Referral.objects.get(pk=referral.pk)
    subject_fields = {
        "given_name": fresh.given_name,
        "family_name": fresh.family_name,
        "date_of_birth": fresh.birth_date,
        "gender": fresh.gender,
        "district": fresh.district,
        "address": fresh.address,
    }
    for name in list(changes):
        if name in subject_fields:
            subject_fields[name] = changes.pop(name)
    arguments: dict[str, Any] = {
        "expected_version": fresh.version,
        "reason": "Mistyped at intake",
        "received_on": fresh.received_on,
        "referrer_organisation": fresh.referrer_organisation,
        "referrer_sector": fresh.referrer_sector,
        "referrer_name": fresh.referrer_name,
        "concern_type": fresh.concern_type,
        "concerns": fresh.concerns,
        "awareness": fresh.awareness,
        "safeguarding_involved": fresh.safeguarding_involved,
        "safeguarding_details": fresh.safeguarding_details,
    }
    arguments |= changes
    return services.correct_intake(
        referral=fresh, by=by, subject=services.Subject(**subject_fields), **arguments
    )


class TestCorrectingIntakeDetails:
    def test_the_corrected_details_are_saved_and_the_age_at_referral_follows(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        referral = make_referral()
        _correct(referral, world.police, date_of_birth=datetime.date(2010, 6, 1))
        stored = Referral.objects.get(pk=referral.pk)
        assert stored.birth_date == datetime.date(2010, 6, 1)
        assert stored.age_at_referral == 15

    def test_the_earlier_values_are_kept_with_who_and_why(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        referral = make_referral()
        _correct(referral, world.police, address="1 New Street", given_name="Jordon")
        correction = IntakeCorrection.objects.get(referral=referral)
        assert correction.by == world.police
        assert correction.reason == "Mistyped at intake"
        assert correction.fields == "First name, Address"
        assert json.loads(correction.earlier) == {"First name": "Jordan", "Address": ""}

    def test_the_timeline_names_the_details_changed_never_their_values(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        referral = make_referral()
        _correct(referral, world.police, given_name="Jordon")
        event = referral.events.get(kind=CaseEvent.Kind.INTAKE_CORRECTED)
        assert event.title == "Intake details corrected"
        assert event.detail == "Changed: first name"
        assert "Jordan" not in event.detail and "Jordon" not in event.detail

    def test_the_earlier_values_and_reason_are_encrypted_at_rest(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        referral = make_referral()
        correction = _correct(referral, world.police, given_name="Jordon")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT earlier, reason FROM casework_intakecorrection WHERE id = %s",
                [correction.pk],
            )
            earlier, reason = cursor.fetchone()
        assert earlier.startswith("enc1:") and "Jordan" not in earlier
        assert reason.startswith("enc1:") and "Mistyped" not in reason

    def test_the_audit_trail_records_the_change_with_encrypted_values_hidden(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        referral = make_referral()
        _correct(referral, world.police, given_name="Jordon", gender="female")
        entry = AuditEvent.objects.filter(
            object_type="casework.referral", object_id=str(referral.pk), action="update"
        ).first()
        assert entry is not None
        assert entry.changes["gender"] == {"before": "male", "after": "female"}
        assert "Jordan" not in json.dumps(entry.changes)
        assert "Jordon" not in json.dumps(entry.changes)

    def test_a_new_name_finds_the_case_as_a_possible_earlier_referral(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        referral = make_referral()
        _correct(referral, world.police, family_name="Sample")
        found = queries.possible_duplicates(
            world.police, given_name="Jordan", family_name="Sample", born=datetime.date(2009, 6, 1)
        )
        assert [item.reference for item in found] == [referral.reference]

    def test_a_correction_from_a_form_opened_before_another_change_is_refused(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        referral = make_referral()
        opened_at = Referral.objects.get(pk=referral.pk).version
        _correct(referral, world.police, address="1 New Street")
        with pytest.raises(ConcurrentEditError):
            _correct(referral, world.police, address="2 Old Road", expected_version=opened_at)
        assert Referral.objects.get(pk=referral.pk).address == "1 New Street"
        assert IntakeCorrection.objects.count() == 1

    def test_nothing_changed_is_refused_and_nothing_is_recorded(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        referral = make_referral()
        with pytest.raises(services.CaseworkError, match="Nothing was changed"):
            _correct(referral, world.police)
        assert not IntakeCorrection.objects.exists()

    def test_a_reason_is_needed(self, world: World, make_referral: Callable[..., Referral]) -> None:
        with pytest.raises(services.CaseworkError, match="why"):
            _correct(make_referral(), world.police, address="1 New Street", reason=" ")

    def test_the_date_received_cannot_move_after_triage(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        referral = make_referral("triaged")
        with pytest.raises(services.CaseworkError, match="after the triage decision"):
            _correct(referral, world.police, received_on=RECEIVED + datetime.timedelta(days=5))

    def test_purging_the_case_destroys_its_corrections(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        referral = make_referral()
        _correct(referral, world.police, address="1 New Street")
        services.purge_referral(referral=Referral.objects.get(pk=referral.pk), today=RECEIVED)
        assert not IntakeCorrection.objects.exists()

    def test_the_subject_access_bundle_holds_the_earlier_values(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        referral = make_referral()
        _correct(referral, world.police, address="1 New Street")
        bundle = export.bundle(Referral.objects.get(pk=referral.pk))
        [item] = bundle["intake_corrections"]
        assert item["earlier"] == {"Address": ""}
        assert item["reason"] == "Mistyped at intake"
        assert item["by"]["third_party"] is True


def _form(referral: Referral, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "version": Referral.objects.get(pk=referral.pk).version,
        "reason": "Mistyped at intake",
        "received_on": referral.received_on.isoformat(),
        "referrer_organisation": referral.referrer_organisation,
        "referrer_sector": referral.referrer_sector,
        "referrer_name": referral.referrer_name,
        "given_name": referral.given_name,
        "family_name": referral.family_name,
        "date_of_birth": referral.birth_date.isoformat() if referral.birth_date else "",
        "gender": referral.gender,
        "district": referral.district_id or "",
        "address": referral.address,
        "concern_type": referral.concern_type_id,
        "concerns": referral.concerns,
        "awareness": referral.awareness,
    }
    return data | changes


class TestTheCorrectionPage:
    def test_those_working_the_case_are_offered_the_correction(
        self, world: World, make_referral: Callable[..., Referral], signed_in
    ) -> None:
        referral = make_referral()
        page = signed_in(world.police).get(reverse("casework:referral", args=[referral.pk]))
        assert reverse("casework:correct_intake", args=[referral.pk]) in page.content.decode()

    def test_the_page_opens_at_what_is_recorded_and_its_opening_is_logged(
        self, world: World, make_referral: Callable[..., Referral], signed_in
    ) -> None:
        referral = make_referral()
        page = signed_in(world.police).get(reverse("casework:correct_intake", args=[referral.pk]))
        assert page.status_code == 200
        assert page.context["form"].initial["given_name"] == "Jordan"
        assert "Opened intake correction" in [entry.detail for entry in reads_of(referral)]

    def test_a_correction_saved_shows_the_earlier_value_on_the_case_page(
        self, world: World, make_referral: Callable[..., Referral], signed_in
    ) -> None:
        referral = make_referral()
        client: Client = signed_in(world.police)
        url = reverse("casework:correct_intake", args=[referral.pk])
        answer = client.post(url, _form(referral, address="1 New Street"))
        assert answer.status_code == 302
        page = client.get(reverse("casework:referral", args=[referral.pk])).content.decode()
        assert "Corrections to the intake details" in page
        assert "Address was" in page
        assert "Mistyped at intake" in page
        assert "1 New Street" in page

    def test_a_stale_form_says_so_and_changes_nothing(
        self, world: World, make_referral: Callable[..., Referral], signed_in
    ) -> None:
        referral = make_referral()
        client: Client = signed_in(world.police)
        url = reverse("casework:correct_intake", args=[referral.pk])
        stale = _form(referral, address="2 Old Road")
        client.post(url, _form(referral, address="1 New Street"))
        answer = client.post(url, stale)
        assert "changed by someone else" in answer.content.decode()
        assert Referral.objects.get(pk=referral.pk).address == "1 New Street"

    def test_a_case_outside_someones_work_answers_404(
        self, world: World, make_referral: Callable[..., Referral], signed_in, make_user
    ) -> None:
        referral = make_referral(force=world.other_force)
        url = reverse("casework:correct_intake", args=[referral.pk])
        assert signed_in(world.police).get(url).status_code == 404
        coordinator = make_user(Role.COORDINATOR, totp=True)
        assert signed_in(coordinator).get(url).status_code == 404
