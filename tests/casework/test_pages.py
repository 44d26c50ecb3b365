"""The case pages, driven through their forms as the chair and the police would."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from preventhub.accounts.models import User
from preventhub.casework.models import CaseAssignment, ExitReview, Referral
from preventhub.core.roles import Role
from tests.casework.conftest import World

pytestmark = pytest.mark.django_db


def test_the_police_route_a_triaged_referral_to_channel(
    world: World, make_referral: Callable[..., Referral], signed_in: Callable
) -> None:
    referral = make_referral("triaged")
    client = signed_in(world.police)
    assert client.get(reverse("casework:route", args=[referral.pk])).status_code == 200
    response = client.post(
        reverse("casework:route", args=[referral.pk]),
        {
            "version": referral.version,
            "route": "channel",
            "reason": "Multi-agency support needed",
            "panel": world.panel.pk,
            "on": "2026-01-09",
        },
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.stage == Referral.Stage.CHANNEL


def test_the_chair_works_a_case_from_adoption_to_closure(
    world: World,
    make_referral: Callable[..., Referral],
    make_user: Callable[..., User],
    signed_in: Callable,
) -> None:
    referral = make_referral("adopted")
    member = make_user(Role.CHANNEL_MEMBER)
    client = signed_in(world.chair)

    def post(name: str, data: dict[str, object], pk: int | None = None) -> None:
        url = reverse(f"casework:{name}", args=[pk or referral.pk])
        assert client.get(url).status_code == 200, name
        response = client.post(url, data)
        assert response.status_code == 302, (name, response.content.decode()[-3000:])

    post("assign", {"user": member.pk, "kind": "called", "since": "2026-01-21"})
    post("assignment_end", {"on": "2026-01-30"}, CaseAssignment.objects.get().pk)
    post(
        "consent_new",
        {
            "requested_by": "Case officer",
            "method": "letter",
            "requested_on": "2026-01-22",
            "status": "given",
            "answered_on": "2026-01-23",
            "given_by": "parent",
            "giver_name": "A Parent",
        },
    )
    post("support_start", {"on": "2026-01-26"})
    post(
        "intervention_new",
        {
            "kind": "mental_health",
            "provider": "Demo Mental Health Trust",
            "who": "Clinician",
            "how": "Fortnightly",
            "starts_on": "2026-01-27",
        },
    )
    post("note_new", {"written_on": "2026-02-10", "text": "Engaging well"})
    post("transfer_new", {"direction": "in", "other_area": "Derbyshire", "on": "2026-01-20"})
    post("onward_new", {"service": "none", "decided_on": "2026-02-11"})
    post("exit", {"reason": "no_longer", "on": "2026-03-01", "notes": ""})
    for review in ExitReview.objects.order_by("months"):
        post("review_complete", {"on": "2026-09-01", "outcome": "Stable"}, review.pk)
    referral.refresh_from_db()
    assert referral.stage == Referral.Stage.CLOSED
    page = client.get(reverse("casework:referral", args=[referral.pk])).content.decode()
    assert "Engaging well" in page and "Fortnightly" in page and "Kept until" in page


def test_a_refused_change_is_shown_on_the_form(
    world: World, make_referral: Callable[..., Referral], signed_in: Callable
) -> None:
    referral = make_referral("adopted")
    response = signed_in(world.chair).post(
        reverse("casework:support_start", args=[referral.pk]), {"on": "2026-02-01"}
    )
    assert response.status_code == 200
    assert b"Support cannot start without consent" in response.content


def test_the_chair_records_a_decision_on_the_meeting_page(
    world: World, make_referral: Callable[..., Referral], signed_in: Callable
) -> None:
    referral = make_referral("channel")
    client = signed_in(world.chair)
    assert client.get(reverse("casework:meetings")).status_code == 200
    client.post(reverse("casework:agenda_add", args=[world.meeting.pk]), {"referral": referral.pk})
    entry = referral.agenda.get()
    response = client.post(
        reverse("casework:decision", args=[entry.pk]),
        {
            "outcome": "adopt",
            "votes_for": 3,
            "votes_against": 3,
            "abstentions": 0,
            "chair_decided": "on",
            "rationale": "Chair's casting decision",
        },
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.adopted_on == world.meeting.held_on


def test_a_chair_of_another_panel_cannot_open_this_panels_meeting(
    world: World, make_user: Callable[..., User], signed_in: Callable
) -> None:
    other_chair = make_user(Role.CHANNEL_CHAIR)
    url = reverse("casework:meeting", args=[world.meeting.pk])
    assert signed_in(other_chair).get(url).status_code == 404


def test_the_police_close_a_police_led_case(
    world: World, make_referral: Callable[..., Referral], signed_in: Callable
) -> None:
    referral = make_referral("police_led")
    response = signed_in(world.police).post(
        reverse("casework:close", args=[referral.pk]), {"on": "2026-04-01"}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.closed_on is not None and referral.stage == Referral.Stage.CLOSED
