"""Organisations and contacts: editing, merging duplicates, exports and search."""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable

import pytest
import tablib
from django.test import Client

from preventhub.accounts.models import User
from preventhub.core.models import AuditEvent
from preventhub.core.roles import Role
from preventhub.partnership import services
from preventhub.partnership.models import Board, BoardAction, Contact, Membership, Organisation
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


class TestEditing:
    def test_a_duplicate_name_is_refused_whatever_its_case(self, council: Organisation) -> None:
        with pytest.raises(services.PartnershipError, match="already an organisation called"):
            services.save_organisation(name="SHIRE county council", sector=None, area=None)

    def test_a_stale_edit_is_refused(
        self, council: Organisation, client_for: Callable[..., Client]
    ) -> None:
        client = client_for(Role.COORDINATOR)
        url = f"/partnership/organisations/{council.pk}/edit/"
        data = {"name": "Renamed once", "version": council.version}
        client.post(url, data)
        response = client.post(url, {**data, "name": "Renamed twice"})
        assert "changed by someone else" in response.content.decode()
        assert Organisation.objects.get(pk=council.pk).name == "Renamed once"

    def test_a_partner_lead_keeps_their_own_organisations_contacts(
        self, organisation: Organisation, council: Organisation, make_user: Callable[..., User]
    ) -> None:
        lead = sign_in(Client(), make_user(Role.PARTNER_LEAD))  # works for `organisation`
        response = lead.post(
            f"/partnership/organisations/{organisation.pk}/contacts/new/",
            {"name": "New Contact", "email": "New@Example.org"},
        )
        assert response.status_code == 302
        assert Contact.objects.get(organisation=organisation).email == "new@example.org"
        other = lead.get(f"/partnership/organisations/{council.pk}/contacts/new/")
        assert other.status_code == 403

    def test_a_contact_who_sat_on_a_board_cannot_be_removed(
        self, council: Organisation, prevent_board: Board
    ) -> None:
        contact = services.save_contact(organisation=council, name="Kept")
        services.add_membership(
            board=prevent_board,
            organisation=council,
            role="core",
            contact=contact,
            since=datetime.date(2019, 1, 1),
        )
        with pytest.raises(services.PartnershipError, match="End their membership instead"):
            services.delete_contact(contact=contact)


class TestMerging:
    def test_merging_moves_every_link_to_the_organisation_kept(
        self, council: Organisation, prevent_board: Board, make_user: Callable[..., User]
    ) -> None:
        duplicate = services.save_organisation(name="Shire CC", sector=None, area=None)
        contact = services.save_contact(organisation=duplicate, name="Dup Contact")
        seat = services.add_membership(
            board=prevent_board,
            organisation=duplicate,
            role="core",
            contact=contact,
            since=datetime.date(2019, 1, 1),
        )
        meeting = services.save_meeting(board=prevent_board, held_on=datetime.date(2019, 3, 1))
        action = services.add_board_action(
            meeting=meeting,
            description="x",
            owner_organisation=duplicate,
            owner_name="",
            due_on=datetime.date(2019, 4, 1),
        )
        person = make_user(Role.PARTNER_LEAD)
        User.objects.filter(pk=person.pk).update(organisation=duplicate)

        moved = services.merge_organisations(keep=council, duplicate=duplicate)

        assert not Organisation.objects.filter(pk=duplicate.pk).exists()
        assert Contact.objects.get(pk=contact.pk).organisation == council
        assert Membership.objects.get(pk=seat.pk).organisation == council
        assert BoardAction.objects.get(pk=action.pk).owner_organisation == council
        assert User.objects.get(pk=person.pk).organisation == council
        assert moved == {"contacts": 1, "memberships": 1, "board actions": 1, "users": 1}
        entry = AuditEvent.objects.filter(
            object_id=str(council.pk), detail__startswith="Merged"
        ).get()
        assert entry.changes["merged"]["from"] == "Shire CC"

    def test_an_organisation_cannot_be_merged_into_itself(self, council: Organisation) -> None:
        with pytest.raises(services.PartnershipError):
            services.merge_organisations(keep=council, duplicate=council)


class TestExports:
    @pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
    def test_organisations_download_in_each_format(
        self, fmt: str, council: Organisation, client_for: Callable[..., Client]
    ) -> None:
        response = client_for(Role.BOARD_READER).get(f"/partnership/export/organisations.{fmt}")
        assert response.status_code == 200
        assert (
            response["Content-Disposition"]
            == f'attachment; filename="partnership-organisations.{fmt}"'
        )
        content = response.content.decode("utf-8-sig") if fmt == "csv" else response.content
        data = tablib.Dataset().load(
            content if fmt == "csv" else io.BytesIO(content).read(), format=fmt
        )
        assert "Shire County Council" in data["Organisation"]
        assert AuditEvent.objects.filter(
            action="export", object_type="partnership.organisations"
        ).exists()

    def test_open_actions_and_memberships_export(
        self, council: Organisation, prevent_board: Board, client_for: Callable[..., Client]
    ) -> None:
        meeting = services.save_meeting(board=prevent_board, held_on=datetime.date(2019, 3, 1))
        services.add_board_action(
            meeting=meeting,
            description="Open one",
            owner_organisation=council,
            owner_name="",
            due_on=datetime.date(2019, 4, 1),
        )
        client = client_for(Role.COORDINATOR)
        text = client.get("/partnership/export/actions.csv").content.decode("utf-8-sig")
        assert "Open one" in text and "Shire Prevent Board" in text
        assert client.get("/partnership/export/memberships.csv").status_code == 200

    def test_an_unknown_export_is_not_found(self, client_for: Callable[..., Client]) -> None:
        client = client_for(Role.COORDINATOR)
        assert client.get("/partnership/export/secrets.csv").status_code == 404
        assert client.get("/partnership/export/organisations.pdf").status_code == 404


class TestSearchAndPages:
    def test_search_finds_organisations_boards_and_people(
        self, council: Organisation, prevent_board: Board, client_for: Callable[..., Client]
    ) -> None:
        services.add_membership(
            board=prevent_board,
            organisation=council,
            role="chair",
            contact=services.save_contact(organisation=council, name="Shirley Chair"),
            since=datetime.date(2019, 1, 1),
        )
        results = (
            client_for(Role.BOARD_READER)
            .get("/partnership/search/", {"q": "shir"})
            .context["results"]
        )
        assert results.organisations == [council]
        assert results.boards == [prevent_board]
        assert [m.person_name for m in results.people] == ["Shirley Chair"]

    def test_the_overview_lists_organisations_by_sector_and_draws_the_structure(
        self, council: Organisation, prevent_board: Board, client_for: Callable[..., Client]
    ) -> None:
        page = client_for(Role.BOARD_READER).get("/partnership/").content.decode()
        assert "<svg" in page and "Shire Prevent Board" in page
        assert "The same structure as a list" in page

    def test_the_overview_links_each_organisation_with_its_name_escaped(
        self, council: Organisation, client_for: Callable[..., Client]
    ) -> None:
        tricky = services.save_organisation(name="Youth <Services> & Co", sector=None, area=None)
        page = client_for(Role.BOARD_READER).get("/partnership/").content.decode()
        assert (
            f'<li><a class="govuk-link" href="/partnership/organisations/{tricky.pk}/">'
            "Youth &lt;Services&gt; &amp; Co</a></li>"
        ) in page
        assert f'href="/partnership/organisations/{council.pk}/">{council.name}</a>' in page

    def test_the_overview_issues_a_fixed_number_of_queries(
        self,
        council: Organisation,
        prevent_board: Board,
        client_for: Callable[..., Client],
        django_assert_max_num_queries,
    ) -> None:
        client = client_for(Role.BOARD_READER)
        with django_assert_max_num_queries(30) as few:
            client.get("/partnership/")
        for n in range(10):
            board = services.save_board(name=f"Board {n}", kind=Board.Kind.OTHER)
            board.updates.add(Board.objects.first())
            services.save_organisation(name=f"Organisation {n}", sector=None, area=None)
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get("/partnership/")

    def test_the_district_page_shows_its_csp_and_lead(
        self, district, council: Organisation, client_for: Callable[..., Client]
    ) -> None:
        csp = services.save_board(name="Stafford CSP", kind=Board.Kind.CSP, area=district)
        services.add_membership(
            board=csp,
            organisation=council,
            role="district_lead",
            contact=services.save_contact(organisation=council, name="Dee Lead"),
            since=datetime.date(2019, 1, 1),
        )
        page = client_for(Role.DISTRICT_LEAD).get(f"/partnership/districts/{district.gss_code}/")
        assert page.context["detail"].csp == csp
        assert "Dee Lead" in page.content.decode()

    def test_a_non_district_code_is_not_found(
        self, county, client_for: Callable[..., Client]
    ) -> None:
        assert (
            client_for(Role.COORDINATOR)
            .get(f"/partnership/districts/{county.gss_code}/")
            .status_code
            == 404
        )


class TestTheDirectoryPages:
    """251 organisations (250 and the signed-in person's own), 100 a page: three pages."""

    @pytest.fixture
    def many(self, county) -> list[Organisation]:
        named = [Organisation(name=f"Partner {n:03}", sector=None, area=county) for n in range(250)]
        return Organisation.objects.bulk_create(named)

    @pytest.fixture
    def reader(self, client_for: Callable[..., Client]) -> Client:
        return client_for(Role.BOARD_READER)

    @staticmethod
    def names_on(page: str) -> list[str]:
        return re.findall(
            r'<li><a class="govuk-link" href="/partnership/organisations/\d+/">'
            r"(Partner \d+)</a></li>",
            page,
        )

    def test_the_first_page_shows_the_first_hundred_and_links_on(
        self, many: list[Organisation], reader: Client
    ) -> None:
        page = reader.get("/partnership/").content.decode()
        assert self.names_on(page) == [f"Partner {n:03}" for n in range(100)]
        assert "Showing <b>1</b> to <b>100</b> of <b>251</b> organisations" in page
        assert 'href="?page=2" rel="next"' in page
        assert 'rel="prev"' not in page
        assert 'aria-label="Page 1" aria-current="page"' in page

    def test_a_middle_page_links_both_ways(self, many: list[Organisation], reader: Client) -> None:
        page = reader.get("/partnership/", {"page": "2"}).content.decode()
        assert self.names_on(page) == [f"Partner {n:03}" for n in range(100, 200)]
        assert "Showing <b>101</b> to <b>200</b> of <b>251</b> organisations" in page
        assert 'href="?page=1" rel="prev"' in page and 'href="?page=3" rel="next"' in page
        assert 'aria-label="Page 2" aria-current="page"' in page

    def test_the_last_page_shows_the_rest(self, many: list[Organisation], reader: Client) -> None:
        page = reader.get("/partnership/", {"page": "3"}).content.decode()
        assert self.names_on(page) == [f"Partner {n:03}" for n in range(200, 250)]
        assert "Showing <b>201</b> to <b>251</b> of <b>251</b> organisations" in page
        assert 'rel="next"' not in page

    @pytest.mark.parametrize("number", ["4", "0", "-1", "two", ""])
    def test_a_page_that_does_not_exist_is_not_found(
        self, many: list[Organisation], reader: Client, number: str
    ) -> None:
        assert reader.get("/partnership/", {"page": number}).status_code == 404

    def test_a_county_of_a_few_organisations_has_one_page_and_no_page_links(
        self, council: Organisation, reader: Client
    ) -> None:
        page = reader.get("/partnership/").content.decode()
        assert "Showing <b>1</b> to <b>2</b> of <b>2</b> organisations" in page
        assert "govuk-pagination" not in page

    def test_a_sectors_heading_shows_again_where_its_organisations_run_on(
        self, county, reader: Client
    ) -> None:
        first = services.save_sector(name="Sector one", is_specified_authority=True)
        Organisation.objects.bulk_create(
            Organisation(name=f"School {n:03}", sector=first, area=county) for n in range(150)
        )
        Organisation.objects.bulk_create(
            Organisation(name=f"Partner {n:03}", sector=None, area=county) for n in range(10)
        )
        one = reader.get("/partnership/").content.decode()
        two = reader.get("/partnership/", {"page": 2}).content.decode()
        assert one.count("Sector one <strong") == 1 and "Sector not known" not in one
        assert (
            two.index("Sector one <strong")
            < two.index("School 100")
            < two.index("Sector not known")
            < two.index("Partner 000")
        )
