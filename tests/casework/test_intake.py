"""Intake: referrals recorded with only what is needed, and possible earlier referrals shown."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

import pytest
from django.urls import reverse

from preventhub.casework import queries
from preventhub.casework.models import CaseEvent, ConcernType, Referral
from tests.casework.conftest import World

pytestmark = pytest.mark.django_db


def form_data(world: World, **changes: str) -> dict[str, str]:
    data = {
        "received_on": "2026-01-05",
        "force": str(world.force.pk),
        "referrer_organisation": "Test Academy",
        "referrer_sector": "education",
        "referrer_name": "Riley Referrer",
        "given_name": "Jordan",
        "family_name": "Example",
        "date_of_birth": "2009-06-01",
        "gender": "male",
        "district": str(world.district.pk),
        "concern_type": str(ConcernType.objects.get(name="Islamist").pk),
        "concerns": "Concerning comments",
        "awareness": "not_aware",
    }
    data.update(changes)
    return data


class TestIntake:
    def test_a_police_officer_records_a_referral_and_lands_on_it(
        self, world: World, signed_in: Callable
    ) -> None:
        response = signed_in(world.police).post(reverse("casework:intake"), form_data(world))
        referral = Referral.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("casework:referral", args=[referral.pk])
        assert re.fullmatch(r"PR2026-[0-9A-HJKMNP-TV-Z]{6}", referral.reference)
        assert referral.age_at_referral == 16
        assert referral.source == Referral.Source.POLICE
        event = CaseEvent.objects.get(referral=referral)
        assert (event.kind, event.title) == (CaseEvent.Kind.RECEIVED, "Referral received")

    def test_the_date_received_cannot_be_in_the_future(
        self, world: World, signed_in: Callable
    ) -> None:
        response = signed_in(world.police).post(
            reverse("casework:intake"), form_data(world, received_on="2099-01-01")
        )
        assert b"today or in the past" in response.content
        assert not Referral.objects.exists()

    def test_a_birth_date_after_receipt_is_refused(self, world: World, signed_in: Callable) -> None:
        response = signed_in(world.police).post(
            reverse("casework:intake"), form_data(world, date_of_birth="2026-02-01")
        )
        assert b"date of birth must be before" in response.content


class TestPossibleDuplicates:
    @pytest.mark.parametrize(
        "given,family,born,why",
        [
            ("Jordan", "Example", "2009-06-01", "Same name and date of birth"),
            ("jordan ", "EXAMPLE", "2009-06-01", "Same name and date of birth"),
            ("Example", "Jordan", "2009-06-01", "Same names in the other order"),
            ("Jordon", "Exampel", "2009-06-01", "Similar-sounding name"),
            ("Jordan", "Example", "2009-11-20", "Same name, born in the same year"),
        ],
    )
    def test_exact_and_near_matches_are_shown_at_intake(
        self,
        world: World,
        make_referral: Callable[..., Referral],
        signed_in: Callable,
        given: str,
        family: str,
        born: str,
        why: str,
    ) -> None:
        earlier = make_referral()
        client = signed_in(world.police)
        response = client.post(
            reverse("casework:intake"),
            form_data(world, given_name=given, family_name=family, date_of_birth=born),
        )
        assert response.status_code == 200
        content = response.content.decode()
        assert "Possible earlier referrals" in content
        assert earlier.reference in content and why in content
        assert Referral.objects.count() == 1

    def test_a_different_person_is_not_a_match(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        make_referral()
        assert (
            queries.possible_duplicates(
                world.police,
                given_name="Morgan",
                family_name="Other",
                born=datetime.date(2009, 6, 1),
            )
            == []
        )

    def test_after_seeing_them_the_officer_saves_and_may_link_a_re_referral(
        self, world: World, make_referral: Callable[..., Referral], signed_in: Callable
    ) -> None:
        earlier = make_referral()
        client = signed_in(world.police)
        client.post(reverse("casework:intake"), form_data(world))
        response = client.post(
            reverse("casework:intake"),
            form_data(world, duplicates_seen="on", previous_referral=str(earlier.pk)),
        )
        assert response.status_code == 302
        later = Referral.objects.exclude(pk=earlier.pk).get()
        assert later.previous_referral == earlier
        assert earlier.events.filter(kind=CaseEvent.Kind.REFERRED_AGAIN).exists()
        assert later.events.filter(kind=CaseEvent.Kind.LINKED).exists()
        assert earlier.given_name == later.given_name  # two records: nothing is merged

    def test_the_officer_may_save_without_linking(
        self, world: World, make_referral: Callable[..., Referral], signed_in: Callable
    ) -> None:
        make_referral()
        client = signed_in(world.police)
        response = client.post(reverse("casework:intake"), form_data(world, duplicates_seen="on"))
        assert response.status_code == 302
        assert Referral.objects.filter(previous_referral__isnull=True).count() == 2

    def test_a_match_in_another_force_is_named_but_not_opened(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        earlier = make_referral(force=world.other_force)
        [match] = queries.possible_duplicates(
            world.police, given_name="Jordan", family_name="Example", born=datetime.date(2009, 6, 1)
        )
        assert match.reference == earlier.reference and match.visible is False

    def test_without_a_date_of_birth_nothing_is_matched(
        self, world: World, make_referral: Callable[..., Referral]
    ) -> None:
        make_referral(born=None)
        assert (
            queries.possible_duplicates(
                world.police, given_name="Jordan", family_name="Example", born=None
            )
            == []
        )


def test_references_say_nothing_of_how_many_people_were_referred(
    make_referral: Callable[..., Referral],
) -> None:
    """A partner who refers twice sees two references: a running number would tell them exactly
    how many people were referred in between."""
    references = [make_referral(given=f"Person{index}").reference for index in range(8)]
    suffixes = [reference.removeprefix("PR2026-") for reference in references]
    assert len(set(suffixes)) == 8
    assert not all(suffix.isdigit() for suffix in suffixes)
