"""Boards, their reporting lines and their members' history."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client

from preventhub.accounts.models import User
from preventhub.core.roles import Role
from preventhub.partnership import queries, services
from preventhub.partnership.models import Area, Board, Contact, Membership, Organisation

pytestmark = pytest.mark.django_db


class TestReportingLines:
    def test_a_board_cannot_report_to_a_board_that_reports_to_it(
        self, prevent_board: Board
    ) -> None:
        contest = services.save_board(
            name="Contest Board", kind=Board.Kind.CONTEST_BOARD, reports_to=prevent_board
        )
        with pytest.raises(services.PartnershipError, match="already reports to"):
            services.save_board(
                board=prevent_board,
                expected_version=prevent_board.version,
                name=prevent_board.name,
                kind=prevent_board.kind,
                reports_to=contest,
            )

    def test_a_district_has_at_most_one_community_safety_partnership(self, district: Area) -> None:
        services.save_board(name="Stafford CSP", kind=Board.Kind.CSP, area=district)
        with pytest.raises(services.PartnershipError, match="already has a Community Safety"):
            services.save_board(name="Another CSP", kind=Board.Kind.CSP, area=district)

    def test_a_csp_must_cover_a_district(self) -> None:
        with pytest.raises(services.PartnershipError, match="covers one district"):
            services.save_board(name="Nowhere CSP", kind=Board.Kind.CSP)

    def test_the_board_page_shows_lines_both_ways(
        self, prevent_board: Board, client_for: Callable[..., Client]
    ) -> None:
        services.save_board(name="Channel", kind=Board.Kind.CHANNEL_PANEL, reports_to=prevent_board)
        page = client_for(Role.BOARD_READER).get(f"/partnership/boards/{prevent_board.pk}/")
        assert [b.name for b in page.context["detail"].reported_to_by] == ["Channel"]


class TestMembershipHistory:
    def test_a_new_chair_ends_the_previous_chairs_term_the_day_before(
        self, prevent_board: Board, council: Organisation
    ) -> None:
        first = services.save_contact(organisation=council, name="First Chair")
        second = services.save_contact(organisation=council, name="Second Chair")
        old = services.add_membership(
            board=prevent_board,
            organisation=council,
            role="chair",
            contact=first,
            since=datetime.date(2018, 1, 1),
        )
        services.add_membership(
            board=prevent_board,
            organisation=council,
            role="chair",
            contact=second,
            since=datetime.date(2019, 4, 1),
        )
        old.refresh_from_db()
        assert old.until == datetime.date(2019, 3, 31)
        detail = queries.board_detail(prevent_board, on=datetime.date(2019, 5, 1))
        assert detail.chair.contact == second
        assert [m.contact for m in detail.past] == [first]
        # Asking about an earlier date still finds who chaired then.
        assert (
            queries.board_detail(prevent_board, on=datetime.date(2018, 6, 1)).chair.contact == first
        )

    def test_a_new_chair_cannot_start_before_the_current_one(
        self, prevent_board: Board, council: Organisation
    ) -> None:
        chair = services.save_contact(organisation=council, name="Chair")
        services.add_membership(
            board=prevent_board,
            organisation=council,
            role="chair",
            contact=chair,
            since=datetime.date(2019, 1, 1),
        )
        with pytest.raises(services.PartnershipError, match="must start after that"):
            services.add_membership(
                board=prevent_board,
                organisation=council,
                role="chair",
                contact=chair,
                since=datetime.date(2018, 1, 1),
            )

    def test_ending_a_membership_keeps_it_as_history(
        self, prevent_board: Board, council: Organisation, client_for: Callable[..., Client]
    ) -> None:
        person = services.save_contact(organisation=council, name="Leaving Member")
        seat = services.add_membership(
            board=prevent_board,
            organisation=council,
            role="core",
            contact=person,
            since=datetime.date(2018, 1, 1),
        )
        client_for(Role.COORDINATOR).post(
            f"/partnership/memberships/{seat.pk}/end/", {"until": "2019-02-28"}
        )
        seat.refresh_from_db()
        assert seat.until == datetime.date(2019, 2, 28)
        assert Membership.objects.filter(pk=seat.pk).exists()

    def test_a_membership_needs_a_person(self, prevent_board: Board, council: Organisation) -> None:
        with pytest.raises(services.PartnershipError, match="either a person"):
            services.add_membership(
                board=prevent_board,
                organisation=council,
                role="core",
                since=datetime.date(2019, 1, 1),
            )

    def test_adding_a_member_through_the_page_uses_their_own_organisation(
        self,
        prevent_board: Board,
        client_for: Callable[..., Client],
        make_user: Callable[..., User],
    ) -> None:
        member = make_user(Role.PARTNER_LEAD)
        client_for(Role.ADMINISTRATOR).post(
            f"/partnership/boards/{prevent_board.pk}/members/new/",
            {"user": member.pk, "role": "core", "since": "2019-01-01"},
        )
        seat = Membership.objects.get(board=prevent_board, user=member)
        assert seat.organisation == member.organisation


class TestArchivingInsteadOfDeleting:
    def test_deleting_a_referenced_board_is_refused_with_what_refers_to_it(
        self, prevent_board: Board, council: Organisation, client_for: Callable[..., Client]
    ) -> None:
        services.add_membership(
            board=prevent_board,
            organisation=council,
            role="core",
            contact=services.save_contact(organisation=council, name="A"),
            since=datetime.date(2019, 1, 1),
        )
        client = client_for(Role.COORDINATOR)
        response = client.post(f"/partnership/boards/{prevent_board.pk}/delete/", follow=True)
        page = response.content.decode()
        assert "cannot be deleted because 1 membership refers to this board" in page
        assert "Archive it instead" in page
        assert Board.objects.filter(pk=prevent_board.pk).exists()

    def test_archiving_hides_a_board_from_the_overview_but_keeps_it(
        self, prevent_board: Board, client_for: Callable[..., Client]
    ) -> None:
        client_for(Role.COORDINATOR).post(f"/partnership/boards/{prevent_board.pk}/archive/")
        prevent_board.refresh_from_db()
        assert prevent_board.is_archived
        assert prevent_board not in [line.board for line in queries.overview().board_lines]

    def test_an_unreferenced_board_can_be_deleted(self, client_for: Callable[..., Client]) -> None:
        board = services.save_board(name="Mistake", kind=Board.Kind.OTHER)
        client_for(Role.ADMINISTRATOR).post(f"/partnership/boards/{board.pk}/delete/")
        assert not Board.objects.filter(pk=board.pk).exists()

    def test_deleting_a_referenced_organisation_is_refused(
        self, council: Organisation, make_user: Callable[..., User]
    ) -> None:
        Contact.objects.create(organisation=council, name="Someone")
        with pytest.raises(services.PartnershipError, match="1 contact refers to it"):
            services.delete_organisation(organisation=council)


class TestReferenceData:
    def test_an_area_is_added_with_a_checked_gss_code(
        self, county: Area, client_for: Callable[..., Client]
    ) -> None:
        client = client_for(Role.ADMINISTRATOR)
        bad = client.post(
            "/partnership/areas/new/", {"gss_code": "X123", "name": "Nowhere", "kind": "district"}
        )
        assert "Enter a GSS code: a letter and 8 digits" in bad.content.decode()
        client.post(
            "/partnership/areas/new/",
            {
                "gss_code": "e07000200",
                "name": "New District",
                "kind": "district",
                "parent": county.pk,
            },
        )
        area = Area.objects.get(gss_code="E07000200")
        assert (area.name, area.parent) == ("New District", county)

    def test_a_duplicate_gss_code_is_refused(self, district: Area) -> None:
        with pytest.raises(services.PartnershipError, match="already an area with the GSS code"):
            services.save_area(
                gss_code=district.gss_code, name="Copy", kind="district", parent=None
            )

    def test_the_thirteen_sectors_are_there_with_specified_authorities_marked(self) -> None:
        from preventhub.partnership.models import Sector

        assert Sector.objects.count() == 13
        specified = set(
            Sector.objects.filter(is_specified_authority=True).values_list("code", flat=True)
        )
        assert {
            "local-authority",
            "police",
            "health",
            "schools",
            "prisons",
            "probation",
        } <= specified
        assert not {"third-sector", "faith-community", "other"} & specified

    def test_a_sector_can_be_marked_a_specified_authority(
        self, client_for: Callable[..., Client]
    ) -> None:
        from preventhub.partnership.models import Sector

        sector = Sector.objects.get(code="third-sector")
        client_for(Role.COORDINATOR).post(
            f"/partnership/sectors/{sector.pk}/edit/",
            {"name": "Third sector", "is_specified_authority": "on"},
        )
        assert Sector.objects.get(pk=sector.pk).is_specified_authority


class TestEdgeCases:
    def test_a_csp_cannot_come_back_into_use_beside_another(self, district: Area) -> None:
        old = services.save_board(name="Old CSP", kind=Board.Kind.CSP, area=district)
        services.set_board_archived(board=old, archived=True)
        services.save_board(name="New CSP", kind=Board.Kind.CSP, area=district)
        with pytest.raises(services.PartnershipError, match="Archive it first"):
            services.set_board_archived(board=old, archived=False)

    def test_someone_joining_later_is_not_listed_as_a_past_member(
        self, prevent_board: Board, council: Organisation, today: datetime.date
    ) -> None:
        newcomer = services.save_contact(organisation=council, name="Newcomer")
        services.add_membership(
            board=prevent_board,
            organisation=council,
            role="core",
            contact=newcomer,
            since=today + datetime.timedelta(days=30),
        )
        detail = queries.board_detail(prevent_board, on=today)
        assert detail.past == [] and [m.contact for m in detail.upcoming] == [newcomer]

    def test_two_boards_cannot_share_a_name_whatever_its_case(self, prevent_board: Board) -> None:
        with pytest.raises(services.PartnershipError, match="already a board called"):
            services.save_board(name="SHIRE PREVENT BOARD", kind=Board.Kind.OTHER)
