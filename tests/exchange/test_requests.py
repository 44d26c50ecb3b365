"""Information-sharing requests: each step recorded, no case detail, and only the two partners
(and the Data protection officer) ever see one."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from preventhub.accounts.models import User
from preventhub.core.concurrency import ConcurrentEditError
from preventhub.core.home import WorkItem, work_for
from preventhub.core.roles import Role
from preventhub.exchange import services
from preventhub.exchange.models import RequestEvent, SharingRequest
from preventhub.partnership.models import Organisation
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 5)


@pytest.fixture(autouse=True)
def _today(time_machine: Any) -> None:
    time_machine.move_to(datetime.datetime(2026, 12, 5, 12))


@pytest.fixture
def district_council() -> Organisation:
    return Organisation.objects.create(name="Demo District Council")


@pytest.fixture
def requester(make_user: Callable[..., User]) -> User:
    """The Channel chair, of the county council (the ``organisation`` fixture)."""
    return make_user(Role.CHANNEL_CHAIR)


@pytest.fixture
def district_lead(make_user: Callable[..., User], district_council: Organisation) -> User:
    lead = make_user(Role.DISTRICT_LEAD)
    lead.organisation = district_council
    lead.save()
    return lead


@pytest.fixture
def request_(
    requester: User, organisation: Organisation, district_council: Organisation
) -> SharingRequest:
    return services.make_request(
        requesting_organisation=organisation,
        receiving_organisation=district_council,
        about="Any housing or anti-social behaviour records, for the panel's assessment",
        case_reference="PH-2026-0042",
        lawful_basis="channel_duty",
        respond_by=datetime.date(2026, 12, 15),
        by=requester,
        today=TODAY,
    )


def _kinds(found: SharingRequest) -> list[str]:
    return list(found.events.order_by("at", "pk").values_list("kind", flat=True))


class TestTheWorkflow:
    def test_a_request_is_approved_answered_and_closed_with_every_step_recorded(
        self, request_: SharingRequest, requester: User, district_lead: User
    ) -> None:
        services.decide(request=request_, approve=True, by=district_lead)
        services.respond(
            request=request_, outcome="shared", note="Sent by secure email", by=district_lead
        )
        services.close(request=request_, by=requester)

        request_.refresh_from_db()
        assert request_.status == "closed" and request_.outcome == "shared"
        assert request_.reference == "ISR-2026-0001"
        assert _kinds(request_) == ["requested", "approved", "responded", "closed"]
        answered = request_.events.get(kind="responded")
        assert (answered.by, answered.note) == (district_lead, "Sent by secure email")

    def test_a_refusal_needs_a_reason(self, request_: SharingRequest, district_lead: User) -> None:
        with pytest.raises(services.ExchangeError, match="Say why"):
            services.decide(request=request_, approve=False, by=district_lead)

        services.decide(request=request_, approve=False, note="Not proportionate", by=district_lead)

        request_.refresh_from_db()
        assert request_.status == "refused"

    def test_a_request_cannot_be_answered_before_it_is_approved(
        self, request_: SharingRequest, district_lead: User
    ) -> None:
        with pytest.raises(services.ExchangeError, match="waiting for a decision"):
            services.respond(request=request_, outcome="nothing_held", by=district_lead)

        assert _kinds(request_) == ["requested"]

    def test_closing_an_unanswered_request_needs_a_reason(
        self, request_: SharingRequest, requester: User
    ) -> None:
        with pytest.raises(services.ExchangeError, match="before it was answered"):
            services.close(request=request_, by=requester)

        services.close(request=request_, note="The case closed", by=requester)

        assert _kinds(request_) == ["requested", "closed"]

    def test_a_decision_taken_on_an_old_page_is_refused(
        self, request_: SharingRequest, district_lead: User, requester: User
    ) -> None:
        opened_at = request_.version
        services.close(request=request_, note="No longer needed", by=requester)

        with pytest.raises((ConcurrentEditError, services.ExchangeError)):
            services.decide(
                request=request_, approve=True, by=district_lead, expected_version=opened_at
            )

    def test_a_partner_cannot_ask_itself(self, requester: User, organisation: Organisation) -> None:
        with pytest.raises(services.ExchangeError, match="another partner"):
            services.make_request(
                requesting_organisation=organisation,
                receiving_organisation=organisation,
                about="Anything",
                lawful_basis="public_task",
                respond_by=datetime.date(2026, 12, 20),
                by=requester,
                today=TODAY,
            )


class TestTwoFirstRequestsAtOnce:
    """With no request yet there is no row to lock; the second takes the next reference."""

    def test_a_request_whose_reference_is_taken_meanwhile_takes_the_next(
        self,
        requester: User,
        organisation: Organisation,
        district_council: Organisation,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        counted = services._next_reference

        def rival_lands_first(year: int) -> str:
            reference = counted(year)
            if not SharingRequest.objects.exists():
                # Another coordinator's first request, saved between this one's count and save.
                SharingRequest.objects.create(
                    reference=reference,
                    requesting_organisation=organisation,
                    receiving_organisation=district_council,
                    about="The rival's request",
                    lawful_basis="channel_duty",
                    respond_by=datetime.date(2026, 12, 15),
                    requested_by=requester,
                )
            return reference

        monkeypatch.setattr(services, "_next_reference", rival_lands_first)
        made = services.make_request(
            requesting_organisation=organisation,
            receiving_organisation=district_council,
            about="Any housing records, for the panel's assessment",
            lawful_basis="channel_duty",
            respond_by=datetime.date(2026, 12, 15),
            by=requester,
            today=TODAY,
        )

        assert made.reference == "ISR-2026-0002"
        assert sorted(SharingRequest.objects.values_list("reference", "about")) == [
            ("ISR-2026-0001", "The rival's request"),
            ("ISR-2026-0002", "Any housing records, for the panel's assessment"),
        ]
        assert _kinds(made) == ["requested"]


class TestNoCaseDetail:
    @pytest.mark.parametrize("reference", ["PH-2026-0042", "CH/2019/7"])
    def test_a_casework_reference_is_accepted(self, reference: str) -> None:
        SharingRequest._meta.get_field("case_reference").run_validators(reference)

    @pytest.mark.parametrize("name", ["John Smith", "J. Smith", "x"])
    def test_a_name_is_refused_as_a_casework_reference(self, name: str) -> None:
        with pytest.raises(ValidationError):
            SharingRequest._meta.get_field("case_reference").run_validators(name)

    def test_the_request_form_refuses_a_name_for_the_reference(
        self, requester: User, district_council: Organisation
    ) -> None:
        response = sign_in(Client(), requester).post(
            "/information-sharing/new/",
            {
                "receiving_organisation": district_council.pk,
                "about": "Housing records",
                "case_reference": "Jane Doe",
                "lawful_basis": "channel_duty",
                "respond_by": "2026-12-20",
            },
        )

        assert "Never a name" in response.content.decode()
        assert not SharingRequest.objects.exists()

    def test_what_a_request_is_about_is_short(self) -> None:
        assert SharingRequest._meta.get_field("about").max_length == 300


class TestWhoSeesARequest:
    def test_both_partners_and_the_dpo_see_it_and_nobody_else(
        self,
        request_: SharingRequest,
        requester: User,
        district_lead: User,
        make_user: Callable[..., User],
    ) -> None:
        outsider = make_user(Role.PARTNER_LEAD)
        outsider.organisation = Organisation.objects.create(name="Another partner")
        outsider.save()
        url = f"/information-sharing/{request_.pk}/"

        assert sign_in(Client(), requester).get(url).status_code == 200
        assert sign_in(Client(), district_lead).get(url).status_code == 200
        assert sign_in(Client(), make_user(Role.DPO)).get(url).status_code == 200
        assert sign_in(Client(), outsider).get(url).status_code == 403
        listed = sign_in(Client(), outsider).get("/information-sharing/").content.decode()
        assert request_.reference not in listed

    def test_only_the_receiving_partner_answers_and_only_the_requester_closes(
        self, request_: SharingRequest, requester: User, district_lead: User
    ) -> None:
        services.decide(request=request_, approve=True, by=district_lead)
        as_requester, as_receiver = sign_in(Client(), requester), sign_in(Client(), district_lead)

        assert as_requester.get(f"/information-sharing/{request_.pk}/answer/").status_code == 403
        assert as_receiver.get(f"/information-sharing/{request_.pk}/close/").status_code == 403
        assert as_requester.get(f"/information-sharing/{request_.pk}/decide/").status_code == 403

    def test_the_receiving_partner_approves_through_the_page(
        self, request_: SharingRequest, district_lead: User
    ) -> None:
        response = sign_in(Client(), district_lead).post(
            f"/information-sharing/{request_.pk}/decide/",
            {"version": request_.version, "approve": "yes", "note": ""},
        )

        assert response.status_code == 302
        request_.refresh_from_db()
        assert request_.status == "approved"
        assert RequestEvent.objects.filter(kind="approved", by=district_lead).exists()


def _sharing_work(user: User) -> list[WorkItem]:
    return [
        item
        for group in work_for(user)
        if group.heading == "Information sharing"
        for item in group.items
    ]


class TestOverdueRequests:
    def test_the_requester_sees_an_overdue_request_on_their_home_page(
        self, request_: SharingRequest, requester: User, time_machine: Any
    ) -> None:
        time_machine.move_to(datetime.datetime(2026, 12, 16, 12))

        (overdue,) = [n for n in _sharing_work(requester) if n.text.startswith("Your request")]

        assert overdue.is_late and overdue.status == "Overdue"
        assert "ISR-2026-0001 to Demo District Council needed an answer by 15 December" in (
            overdue.hint
        )

    def test_nothing_is_overdue_before_its_day_or_once_answered(
        self, request_: SharingRequest, requester: User, district_lead: User, time_machine: Any
    ) -> None:
        assert not [n for n in _sharing_work(requester) if n.is_late]
        services.decide(request=request_, approve=True, by=district_lead)
        services.respond(request=request_, outcome="nothing_held", by=district_lead)
        time_machine.move_to(datetime.datetime(2026, 12, 20, 12))

        assert not [n for n in _sharing_work(requester) if n.is_late]

    def test_the_receiving_partner_is_told_a_request_waits_for_them(
        self, request_: SharingRequest, district_lead: User
    ) -> None:
        waiting = [n for n in _sharing_work(district_lead) if n.text.startswith("Answer ")]

        assert len(waiting) == 1 and "from Test County Council" in waiting[0].text
