"""Writes through the API: the pages' own services, their messages, all or nothing, and ETags
so that a client holding an old copy cannot overwrite newer data."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from preventhub.accounts.models import User
from preventhub.core.models import AuditEvent
from preventhub.core.roles import Role
from preventhub.delivery import services as delivery
from preventhub.localprofile.models import Indicator
from preventhub.partnership import services as partnership
from preventhub.training.models import RoleGroup, TrainingLevel, TrainingSession, WorkforceFigure
from tests.api.conftest import Api, World

pytestmark = pytest.mark.django_db


def _update_path(world: World) -> str:
    return f"/plan/actions/{world.action.pk}/current-update"


class TestProgressUpdates:
    def test_a_partner_sends_an_update_on_its_action_with_the_etag_it_read(
        self, world: World, api_as: Callable[..., Api]
    ) -> None:
        api = api_as(world.lead)
        slot = api.get(_update_path(world))
        assert (slot["ETag"], slot.json()["period"]) == ('"0"', world.period.name)
        response = api.send(
            "put",
            _update_path(world),
            {"status": "at_risk", "narrative": "Slipping"},
            if_match=slot["ETag"],
        )
        assert response.status_code == 200
        assert response.json()["update"]["status"] == "at_risk"
        assert response["ETag"] == '"1"'
        world.action.refresh_from_db()
        assert world.action.status == "at_risk"

    def test_an_update_sent_over_a_newer_one_is_refused_with_412(
        self, world: World, api_as: Callable[..., Api]
    ) -> None:
        api = api_as(world.lead)
        first = api.send(
            "put", _update_path(world), {"status": "on_track", "narrative": "Fine"}, if_match='"0"'
        )
        delivery.submit_update(
            action=world.action,
            period=world.period,
            status="off_track",
            narrative="Someone else's newer update",
            by=world.lead,
            expected_version=1,
        )
        stale = api.send(
            "put",
            _update_path(world),
            {"status": "complete", "narrative": "Done"},
            if_match=first["ETag"],
        )
        assert stale.status_code == 412
        assert stale.json()["code"] == "stale"
        assert 'its ETag is now "2"' in stale.json()["message"]
        assert world.action.updates.get().narrative == "Someone else's newer update"

    @pytest.mark.parametrize("etag", ['"²"', '"99999999999999999999"', '"-0"', "W/"])
    def test_an_etag_that_is_not_a_version_is_refused_as_stale_and_saves_nothing(
        self, world: World, api_as: Callable[..., Api], etag: str
    ) -> None:
        response = api_as(world.lead).send(
            "put", _update_path(world), {"status": "on_track", "narrative": "Fine"}, if_match=etag
        )
        assert response.status_code == 412 and response.json()["code"] == "stale"
        assert not world.action.updates.exists()

    def test_a_write_without_if_match_is_refused_with_428(
        self, world: World, api_as: Callable[..., Api]
    ) -> None:
        response = api_as(world.lead).send(
            "put", _update_path(world), {"status": "on_track", "narrative": "Fine"}
        )
        assert (response.status_code, response.json()["code"]) == (428, "if_match_required")
        assert not world.action.updates.exists()

    def test_an_action_another_organisation_owns_is_refused(
        self, world: World, api_as: Callable[..., Api]
    ) -> None:
        response = api_as(world.lead).send(
            "put",
            f"/plan/actions/{world.others_action.pk}/current-update",
            {"status": "on_track", "narrative": "Not ours"},
            if_match='"0"',
        )
        assert response.status_code == 403
        assert not world.others_action.updates.exists()

    def test_a_closed_quarter_takes_no_update(
        self, world: World, api_as: Callable[..., Api]
    ) -> None:
        partnership.close_period(period=world.period)
        response = api_as(world.lead).send(
            "put", _update_path(world), {"status": "on_track", "narrative": "Late"}, if_match='"0"'
        )
        assert (response.status_code, response.json()["code"]) == (409, "closed")
        assert not world.action.updates.exists()

    def test_the_services_message_comes_back_word_for_word(
        self, world: World, api_as: Callable[..., Api]
    ) -> None:
        response = api_as(world.lead).send(
            "put", _update_path(world), {"status": "on_track", "narrative": "   "}, if_match='"0"'
        )
        assert response.status_code == 422
        assert response.json() == {
            "code": "refused",
            "message": "Say what has happened this quarter.",
        }

    def test_a_value_that_is_not_valid_names_its_field(
        self, world: World, api_as: Callable[..., Api]
    ) -> None:
        response = api_as(world.lead).send(
            "put", _update_path(world), {"status": "purple", "narrative": "x"}, if_match='"0"'
        )
        assert response.status_code == 422
        assert (response.json()["code"], response.json()["field"]) == ("invalid", "body.status")

    def test_the_audit_trail_names_the_token(
        self, world: World, api_as: Callable[..., Api]
    ) -> None:
        api_as(world.lead).send(
            "put", _update_path(world), {"status": "on_track", "narrative": "Fine"}, if_match='"0"'
        )
        entry = AuditEvent.objects.filter(object_type="delivery.progressupdate").get()
        assert entry.actor == world.lead
        assert entry.actor_label.startswith(f"{world.lead.email} via API token “Script of")


class TestTrainingReturns:
    def _groups(self, world: World) -> list[RoleGroup]:
        return list(RoleGroup.objects.filter(sector=world.organisation.sector))

    def test_a_partner_system_sends_a_quarterly_training_return(
        self, world: World, api_as: Callable[..., Api]
    ) -> None:
        api = api_as(world.lead)
        path = f"/training-returns/{world.training_return.pk}"
        read = api.get(path)
        groups = self._groups(world)
        workforce = api.send(
            "put",
            f"{path}/workforce",
            {"staff": [{"role_group": group.pk, "staff": 10} for group in groups]},
            if_match=read["ETag"],
        )
        assert workforce.status_code == 200, workforce.json()
        session = api.send(
            "post",
            f"{path}/sessions",
            {
                "held_on": "2026-11-03",
                "level": TrainingLevel.objects.first().pk,
                "mode": "face_to_face",
                "attendees": [{"role_group": groups[0].pk, "attendees": 7}],
            },
            if_match=workforce["ETag"],
        )
        assert session.status_code == 201, session.json()
        sent = api.send("post", f"{path}/submit", if_match=session["ETag"])
        assert sent.status_code == 200, sent.json()
        assert sent.json()["status"] == "submitted"
        assert TrainingSession.objects.get().attendance.get().attendees == 7

    def test_sending_before_the_workforce_gives_the_pages_message(
        self, world: World, api_as: Callable[..., Api]
    ) -> None:
        api = api_as(world.lead)
        path = f"/training-returns/{world.training_return.pk}"
        response = api.send("post", f"{path}/submit", if_match=api.get(path)["ETag"])
        assert response.status_code == 422
        assert response.json()["message"] == (
            "Say how many staff you have in each role group before you send the return."
        )

    def test_a_stale_etag_saves_nothing(self, world: World, api_as: Callable[..., Api]) -> None:
        api = api_as(world.lead)
        path = f"/training-returns/{world.training_return.pk}"
        etag = api.get(path)["ETag"]
        groups = self._groups(world)
        body = {"staff": [{"role_group": groups[0].pk, "staff": 3}]}
        assert api.send("put", f"{path}/workforce", body, if_match=etag).status_code == 200
        again = api.send(
            "put",
            f"{path}/workforce",
            {"staff": [{"role_group": groups[0].pk, "staff": 99}]},
            if_match=etag,
        )
        assert again.status_code == 412
        assert WorkforceFigure.objects.get().staff == 3

    def test_another_organisations_return_is_refused(
        self, world: World, api_as: Callable[..., Api]
    ) -> None:
        theirs = world.training_return.window.returns.get(organisation=world.other)
        assert api_as(world.lead).get(f"/training-returns/{theirs.pk}").status_code == 403

    def test_a_role_group_of_another_sector_is_refused_by_name_of_field(
        self, world: World, api_as: Callable[..., Api]
    ) -> None:
        api = api_as(world.lead)
        path = f"/training-returns/{world.training_return.pk}"
        foreign = RoleGroup.objects.exclude(sector=world.organisation.sector).first()
        response = api.send(
            "put",
            f"{path}/workforce",
            {"staff": [{"role_group": foreign.pk, "staff": 1}]},
            if_match=api.get(path)["ETag"],
        )
        assert (response.status_code, response.json()["field"]) == (422, "staff.role_group")
        assert not WorkforceFigure.objects.exists()


class TestLocalProfileReturns:
    def test_figures_are_saved_all_or_nothing_and_then_sent(
        self, world: World, api_as: Callable[..., Api]
    ) -> None:
        api = api_as(world.lead)
        path = f"/local-profile-returns/{world.ctlp_return.pk}"
        read = api.get(path)
        lines = read.json()["figures"]
        assert lines
        good = [
            {"indicator": line["indicator"], "district": line["district"], "value": 2}
            for line in lines
        ]
        bad = [*good[:-1], {**good[-1], "note": "Call 07700 900123 for more"}]
        refused = api.send("put", f"{path}/figures", {"figures": bad}, if_match=read["ETag"])
        assert refused.status_code == 422, refused.json()
        assert refused.json()["field"].endswith(".note")
        assert world.ctlp_return.indicator_values.count() == 0
        saved = api.send("put", f"{path}/figures", {"figures": good}, if_match=read["ETag"])
        assert saved.status_code == 200, saved.json()
        assert world.ctlp_return.indicator_values.count() == len(good)
        sent = api.send("post", f"{path}/submit", if_match=saved["ETag"])
        assert (sent.status_code, sent.json()["status"]) == (200, "submitted")

    def test_an_indicator_the_return_does_not_ask_for_is_refused(
        self, world: World, api_as: Callable[..., Api]
    ) -> None:
        api = api_as(world.lead)
        path = f"/local-profile-returns/{world.ctlp_return.pk}"
        unknown = Indicator.objects.create(code="NEW", name="New", is_active=False)
        response = api.send(
            "put",
            f"{path}/figures",
            {"figures": [{"indicator": unknown.pk, "value": 1}]},
            if_match=api.get(path)["ETag"],
        )
        assert response.status_code == 422
        assert response.json()["message"] == (
            "Some figures are for indicators this return does not ask for."
        )


def test_a_coordinator_reads_but_a_board_reader_cannot_reach_returns(
    world: World, make_user: Callable[..., User], api_as: Callable[..., Api]
) -> None:
    path = f"/training-returns/{world.training_return.pk}"
    assert api_as(make_user(Role.COORDINATOR)).get(path).status_code == 200
    assert api_as(make_user(Role.BOARD_READER)).get(path).status_code == 403
