"""A police force or Channel panel that casework refers to is never deleted or merged away.

Referrals point at their force and panel through relations the partnership side cannot see by
name (``related_name="+"``): the refusal must still name them, never end in a server error.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client

from preventhub.casework import services
from preventhub.casework.models import Referral
from preventhub.core.roles import Role
from preventhub.partnership import services as partnership
from preventhub.partnership.models import Board, Organisation

from .conftest import RECEIVED, World

pytestmark = pytest.mark.django_db

MakeReferral = Callable[..., Referral]


def _routed_to(panel: Board, world: World, make_referral: MakeReferral) -> Referral:
    referral = make_referral("triaged")
    services.route_referral(
        referral=referral,
        by=world.police,
        route="channel",
        reason="Needs multi-agency support",
        on=RECEIVED + datetime.timedelta(days=3),
        panel=panel,
        expected_version=referral.version,
    )
    return referral


class TestAPoliceForceWithReferrals:
    def test_deleting_it_is_refused_with_the_referrals_named(
        self, world: World, make_referral: MakeReferral
    ) -> None:
        make_referral(force=world.other_force)
        with pytest.raises(partnership.PartnershipError, match="because referrals refer to it"):
            partnership.delete_organisation(organisation=world.other_force)
        assert Organisation.objects.filter(pk=world.other_force.pk).exists()

    def test_the_delete_page_explains_the_refusal(
        self, world: World, make_referral: MakeReferral, client_for: Callable[..., Client]
    ) -> None:
        make_referral(force=world.other_force)
        make_referral(force=world.other_force, given="Alex")
        response = client_for(Role.COORDINATOR).post(
            f"/partnership/organisations/{world.other_force.pk}/delete/", follow=True
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert "cannot be deleted because referrals refer to it" in page
        assert "Archive it instead" in page
        assert "2 referrals" not in page  # case counts leave casework only through its statistics
        assert Organisation.objects.filter(pk=world.other_force.pk).exists()

    def test_merging_it_into_another_force_is_refused_and_nothing_moves(
        self, world: World, make_referral: MakeReferral
    ) -> None:
        referral = make_referral(force=world.other_force)
        with pytest.raises(
            partnership.PartnershipError,
            match="cannot be merged into Test Police because referrals refer to it",
        ):
            partnership.merge_organisations(keep=world.force, duplicate=world.other_force)
        assert Organisation.objects.filter(pk=world.other_force.pk).exists()
        assert Referral.objects.get(pk=referral.pk).force == world.other_force

    def test_the_merge_page_explains_the_refusal(
        self, world: World, make_referral: MakeReferral, client_for: Callable[..., Client]
    ) -> None:
        make_referral(force=world.other_force)
        response = client_for(Role.COORDINATOR).post(
            f"/partnership/organisations/{world.force.pk}/merge/",
            {"duplicate": world.other_force.pk},
        )
        assert response.status_code == 200
        assert "stays with the police force" in response.content.decode()
        assert Organisation.objects.filter(pk=world.other_force.pk).exists()


class TestAChannelPanelWithCases:
    def test_deleting_a_panel_that_holds_a_referral_is_refused(
        self, world: World, make_referral: MakeReferral
    ) -> None:
        _routed_to(world.other_panel, world, make_referral)
        with pytest.raises(partnership.PartnershipError, match="because referrals refer to"):
            partnership.delete_board(board=world.other_panel)
        assert Board.objects.filter(pk=world.other_panel.pk).exists()

    def test_deleting_a_panel_with_meetings_and_cases_is_refused_on_the_page(
        self, world: World, make_referral: MakeReferral, client_for: Callable[..., Client]
    ) -> None:
        make_referral("adopted")
        response = client_for(Role.COORDINATOR).post(
            f"/partnership/boards/{world.panel.pk}/delete/", follow=True
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert "cannot be deleted because" in page and "and referrals refer" in page
        assert Board.objects.filter(pk=world.panel.pk).exists()
