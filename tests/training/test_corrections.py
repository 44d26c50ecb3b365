"""Training delivered can be put right: corrected or removed while the return is being filled in,
with the return's history keeping what it was and who changed it, and training that looks the
same as training already recorded is only saved once the person says it is a different session."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from preventhub.accounts.models import User
from preventhub.core.concurrency import ConcurrentEditError
from preventhub.core.models import AuditEvent
from preventhub.returns import services as returns
from preventhub.returns.models import PartnerReturn, ReturnEvent
from preventhub.training import services
from preventhub.training.models import (
    RoleGroup,
    SessionAttendance,
    TrainingLevel,
    TrainingSession,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2018, 11, 5)


def _group(name: str) -> RoleGroup:
    return RoleGroup.objects.get(sector__code="health", name=name)


def _level(name: str = "Basic awareness") -> TrainingLevel:
    return TrainingLevel.objects.get(name=name)


def _fresh(found: PartnerReturn) -> PartnerReturn:
    return PartnerReturn.objects.select_related("window__period", "organisation").get(pk=found.pk)


@pytest.fixture
def found(owed: Callable[..., PartnerReturn]) -> PartnerReturn:
    return owed("training")


@pytest.fixture
def session(found: PartnerReturn, partner_lead: User) -> TrainingSession:
    return services.add_session(
        partner_return=found,
        expected_version=found.version,
        held_on=DAY,
        level=_level(),
        mode="face_to_face",
        attendees={_group("All staff"): 12},
        by=partner_lead,
    )


def _change(found: PartnerReturn, session: TrainingSession, by: User, **changes: Any) -> Any:
    arguments: dict[str, Any] = {
        "held_on": DAY,
        "level": _level(),
        "mode": "face_to_face",
        "attendees": {_group("All staff"): 12},
    }
    arguments |= changes
    current = _fresh(found)
    arguments.setdefault("expected_version", current.version)
    return services.change_session(partner_return=current, session=session, by=by, **arguments)


class TestCorrectingTrainingDelivered:
    def test_a_correction_changes_the_session_and_its_attendees(
        self, found: PartnerReturn, session: TrainingSession, partner_lead: User
    ) -> None:
        _change(
            found,
            session,
            partner_lead,
            held_on=DAY + datetime.timedelta(days=1),
            attendees={_group("All staff"): 10, _group("Clinical decision-maker"): 4},
        )
        session.refresh_from_db()
        assert session.held_on == DAY + datetime.timedelta(days=1)
        counts = {row.role_group.name: row.attendees for row in session.attendance.all()}
        assert counts == {"All staff": 10, "Clinical decision-maker": 4}

    def test_the_returns_history_keeps_the_earlier_values_and_who_changed_them(
        self, found: PartnerReturn, session: TrainingSession, partner_lead: User
    ) -> None:
        _change(found, session, partner_lead, attendees={_group("All staff"): 10})
        event = ReturnEvent.objects.get(partner_return=found, kind=ReturnEvent.Kind.CORRECTED)
        assert event.by == partner_lead
        assert "It was Basic awareness, face to face, on 5 November 2018: 12 all staff" in (
            event.note
        )
        assert "It is now Basic awareness, face to face, on 5 November 2018: 10 all staff" in (
            event.note
        )

    def test_the_audit_trail_records_the_old_and_new_count(
        self, found: PartnerReturn, session: TrainingSession, partner_lead: User
    ) -> None:
        _change(found, session, partner_lead, attendees={_group("All staff"): 10})
        row = SessionAttendance.objects.get(session=session)
        entry = AuditEvent.objects.filter(
            object_type="training.sessionattendance", object_id=str(row.pk), action="update"
        ).get()
        assert entry.changes["attendees"] == {"before": 12, "after": 10}

    def test_saving_it_unchanged_adds_nothing_to_the_history(
        self, found: PartnerReturn, session: TrainingSession, partner_lead: User
    ) -> None:
        _change(found, session, partner_lead)
        assert not ReturnEvent.objects.filter(kind=ReturnEvent.Kind.CORRECTED).exists()

    def test_a_correction_from_a_form_opened_before_another_change_is_refused(
        self, found: PartnerReturn, session: TrainingSession, partner_lead: User
    ) -> None:
        opened_at = _fresh(found).version
        _change(found, session, partner_lead, attendees={_group("All staff"): 11})
        with pytest.raises(ConcurrentEditError):
            _change(
                found,
                session,
                partner_lead,
                attendees={_group("All staff"): 9},
                expected_version=opened_at,
            )
        assert session.attendance.get().attendees == 11

    def test_a_correction_cannot_take_every_attendee_away(
        self, found: PartnerReturn, session: TrainingSession, partner_lead: User
    ) -> None:
        with pytest.raises(services.TrainingError, match="remove it instead"):
            _change(found, session, partner_lead, attendees={_group("All staff"): 0})

    def test_a_correction_cannot_move_the_session_out_of_the_returns_quarter(
        self, found: PartnerReturn, session: TrainingSession, partner_lead: User
    ) -> None:
        with pytest.raises(services.TrainingError, match="The date must be in"):
            _change(found, session, partner_lead, held_on=datetime.date(2019, 2, 1))

    def test_a_sent_return_cannot_be_corrected(
        self, found: PartnerReturn, session: TrainingSession, partner_lead: User
    ) -> None:
        returns.submit_return(partner_return=found, by=partner_lead)
        with pytest.raises(services.TrainingError, match="has been sent"):
            _change(found, session, partner_lead, attendees={_group("All staff"): 1})

    def test_training_of_another_quarter_is_not_part_of_the_return(
        self, found: PartnerReturn, owed: Callable[..., PartnerReturn], partner_lead: User
    ) -> None:
        other = owed("training", 4)
        elsewhere = services.add_session(
            partner_return=other,
            expected_version=other.version,
            held_on=datetime.date(2019, 2, 1),
            level=_level(),
            mode="online",
            attendees={_group("All staff"): 3},
            by=partner_lead,
        )
        with pytest.raises(services.TrainingError, match="not part of the return"):
            _change(found, elsewhere, partner_lead)


class TestRemovingTrainingDelivered:
    def test_removing_takes_the_session_and_its_attendance_off_the_return(
        self, found: PartnerReturn, session: TrainingSession, partner_lead: User
    ) -> None:
        current = _fresh(found)
        services.remove_session(
            partner_return=current,
            session=session,
            expected_version=current.version,
            by=partner_lead,
        )
        assert not TrainingSession.objects.filter(pk=session.pk).exists()
        assert not SessionAttendance.objects.exists()

    def test_the_returns_history_keeps_what_was_removed_and_who_removed_it(
        self, found: PartnerReturn, session: TrainingSession, partner_lead: User
    ) -> None:
        current = _fresh(found)
        services.remove_session(
            partner_return=current,
            session=session,
            expected_version=current.version,
            by=partner_lead,
        )
        event = ReturnEvent.objects.get(kind=ReturnEvent.Kind.CORRECTED)
        assert event.by == partner_lead
        assert event.note == (
            "Training delivered removed. It was Basic awareness, face to face, on "
            "5 November 2018: 12 all staff."
        )

    def test_a_removal_from_a_page_opened_before_another_change_is_refused(
        self, found: PartnerReturn, session: TrainingSession, partner_lead: User
    ) -> None:
        opened_at = _fresh(found).version
        _change(found, session, partner_lead, attendees={_group("All staff"): 11})
        with pytest.raises(ConcurrentEditError):
            services.remove_session(
                partner_return=_fresh(found),
                session=session,
                expected_version=opened_at,
                by=partner_lead,
            )
        assert TrainingSession.objects.filter(pk=session.pk).exists()


class TestTrainingRecordedTwice:
    def _again(self, found: PartnerReturn, by: User, **extra: Any) -> TrainingSession:
        current = _fresh(found)
        return services.add_session(
            partner_return=current,
            expected_version=current.version,
            held_on=DAY,
            level=_level(),
            mode="face_to_face",
            attendees={_group("All staff"): 12},
            by=by,
            **extra,
        )

    def test_the_same_organisation_date_level_and_delivery_is_refused_as_a_duplicate(
        self, found: PartnerReturn, session: TrainingSession, partner_lead: User
    ) -> None:
        with pytest.raises(services.DuplicateSession, match="already recorded"):
            self._again(found, partner_lead)
        assert TrainingSession.objects.count() == 1

    def test_a_duplicate_is_saved_once_the_person_says_it_is_a_different_session(
        self, found: PartnerReturn, session: TrainingSession, partner_lead: User
    ) -> None:
        self._again(found, partner_lead, allow_duplicate=True)
        assert TrainingSession.objects.count() == 2

    def test_training_on_another_day_is_no_duplicate(
        self, found: PartnerReturn, session: TrainingSession, partner_lead: User
    ) -> None:
        current = _fresh(found)
        services.add_session(
            partner_return=current,
            expected_version=current.version,
            held_on=DAY + datetime.timedelta(days=7),
            level=_level(),
            mode="face_to_face",
            attendees={_group("All staff"): 12},
            by=partner_lead,
        )
        assert TrainingSession.objects.count() == 2

    def test_correcting_a_session_into_the_same_as_another_asks_first(
        self, found: PartnerReturn, session: TrainingSession, partner_lead: User
    ) -> None:
        current = _fresh(found)
        other = services.add_session(
            partner_return=current,
            expected_version=current.version,
            held_on=DAY,
            level=_level(),
            mode="online",
            attendees={_group("All staff"): 5},
            by=partner_lead,
        )
        with pytest.raises(services.DuplicateSession):
            _change(found, other, partner_lead, mode="face_to_face")
        _change(found, other, partner_lead, mode="face_to_face", allow_duplicate=True)
        other.refresh_from_db()
        assert other.mode == "face_to_face"


@pytest.fixture
def client(partner_lead: User, client_as: Callable[[User], Client]) -> Client:
    return client_as(partner_lead)


def _posted(found: PartnerReturn, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "version": _fresh(found).version,
        "held_on": DAY.isoformat(),
        "level": _level().pk,
        "mode": "face_to_face",
        f"attendees_{_group('All staff').pk}": 12,
    }
    return data | extra


class TestTheCorrectionPages:
    def test_the_return_page_offers_to_change_or_remove_each_session(
        self, client: Client, found: PartnerReturn, session: TrainingSession
    ) -> None:
        page = client.get(reverse("training:return", args=[found.pk])).content.decode()
        assert reverse("training:session_edit", args=[found.pk, session.pk]) in page
        assert reverse("training:session_remove", args=[found.pk, session.pk]) in page

    def test_the_change_page_opens_at_what_is_recorded(
        self, client: Client, found: PartnerReturn, session: TrainingSession
    ) -> None:
        page = client.get(reverse("training:session_edit", args=[found.pk, session.pk]))
        assert page.status_code == 200
        assert page.context["form"].initial[f"attendees_{_group('All staff').pk}"] == 12

    def test_a_correction_saved_shows_in_the_returns_history(
        self, client: Client, found: PartnerReturn, session: TrainingSession
    ) -> None:
        url = reverse("training:session_edit", args=[found.pk, session.pk])
        answer = client.post(url, _posted(found, **{f"attendees_{_group('All staff').pk}": 9}))
        assert answer.status_code == 302
        page = client.get(reverse("training:return", args=[found.pk])).content.decode()
        assert "Corrected" in page
        assert "It was Basic awareness, face to face, on 5 November 2018: 12 all staff" in page

    def test_a_stale_correction_says_so_and_changes_nothing(
        self, client: Client, found: PartnerReturn, session: TrainingSession
    ) -> None:
        url = reverse("training:session_edit", args=[found.pk, session.pk])
        stale = _posted(found, version=_fresh(found).version - 1)
        answer = client.post(url, {**stale, f"attendees_{_group('All staff').pk}": 1})
        assert "changed by someone else" in answer.content.decode()
        assert session.attendance.get().attendees == 12

    def test_adding_a_duplicate_warns_and_offers_to_confirm(
        self, client: Client, found: PartnerReturn, session: TrainingSession
    ) -> None:
        url = reverse("training:session_new", args=[found.pk])
        answer = client.post(url, _posted(found))
        assert answer.status_code == 200
        text = answer.content.decode()
        assert "Training like this is already recorded" in text
        assert "This is a different session: record it as well" in text
        assert TrainingSession.objects.count() == 1
        confirmed = client.post(url, _posted(found, allow_duplicate="on"))
        assert confirmed.status_code == 302
        assert TrainingSession.objects.count() == 2

    def test_removing_from_the_page_takes_it_off_and_keeps_it_in_the_history(
        self, client: Client, found: PartnerReturn, session: TrainingSession
    ) -> None:
        url = reverse("training:session_remove", args=[found.pk, session.pk])
        assert "Remove this training" in client.get(url).content.decode()
        answer = client.post(url, {"version": _fresh(found).version})
        assert answer.status_code == 302
        assert not TrainingSession.objects.exists()
        page = client.get(reverse("training:return", args=[found.pk])).content.decode()
        assert "Training delivered removed" in page

    def test_a_session_of_another_organisation_is_not_found_through_this_return(
        self,
        client: Client,
        found: PartnerReturn,
        session: TrainingSession,
        owed: Callable[..., PartnerReturn],
    ) -> None:
        other = owed("training", 4)
        url = reverse("training:session_edit", args=[other.pk, session.pk])
        assert client.get(url).status_code == 404
