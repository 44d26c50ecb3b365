"""The schools register page: its rows, and its pages of 100."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from preventhub.core.roles import Role
from preventhub.partnership.models import Area
from preventhub.schools.models import Establishment, EstablishmentGroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(client_for: Callable[..., Client]) -> Client:
    return client_for(Role.EDUCATION_LEAD)


def schools(how_many: int) -> list[Establishment]:
    return Establishment.objects.bulk_create(
        Establishment(
            urn=700_000 + n,
            name=f"School {n:03}",
            la_code="860",
            status=Establishment.Status.OPEN,
        )
        for n in range(how_many)
    )


class TestTheRegister:
    def test_a_row_shows_the_establishment_its_district_trust_and_federation(
        self, lead: Client, district: Area
    ) -> None:
        trust = EstablishmentGroup.objects.create(
            kind=EstablishmentGroup.Kind.TRUST, code="T1", name="Oak <Trust>"
        )
        federation = EstablishmentGroup.objects.create(
            kind=EstablishmentGroup.Kind.FEDERATION, code="F1", name="Ash Federation"
        )
        Establishment.objects.create(
            urn=123456,
            name="Thomas Barnes Primary School",
            la_code="860",
            type_name="Community school",
            phase="Primary",
            status=Establishment.Status.PROPOSED_TO_CLOSE,
            district=district,
            trust=trust,
            federation=federation,
        )
        page = lead.get("/schools/").content.decode()
        assert 'Thomas Barnes Primary School<br><span class="govuk-body-s">Community school' in page
        assert '<td class="govuk-table__cell">Open, but proposed to close</td>' in page
        assert f'<td class="govuk-table__cell">{district.name}</td>' in page
        assert "Oak &lt;Trust&gt;<br>Ash Federation" in page

    def test_a_school_of_no_district_trust_or_federation_shows_dashes(self, lead: Client) -> None:
        schools(1)
        page = lead.get("/schools/").content.decode()
        cells = re.findall(r'<td class="govuk-table__cell">\s*([^<]*?)\s*</td>', page)
        # The name's cell holds markup: the others are the URN, phase, status, district, group.
        assert cells[-5:] == ["700000", "–", "Open", "–", "–"]

    def test_the_pages_run_a_hundred_at_a_time_with_no_such_page_not_found(
        self, lead: Client
    ) -> None:
        schools(250)
        first = lead.get("/schools/").content.decode()
        last = lead.get("/schools/", {"page": 3}).content.decode()
        assert "Showing <b>1</b> to <b>100</b> of <b>250</b> establishments" in first
        assert "School 099" in first and "School 100" not in first
        assert "Showing <b>201</b> to <b>250</b> of <b>250</b> establishments" in last
        assert 'href="?page=2" rel="prev"' in last and 'rel="next"' not in last
        for number in ("4", "0", "many"):
            assert lead.get("/schools/", {"page": number}).status_code == 404

    def test_each_page_holds_the_next_schools_by_name_then_as_added_with_none_twice(
        self, lead: Client
    ) -> None:
        # Added in the reverse of their names' order, and two schools of each name.
        Establishment.objects.bulk_create(
            Establishment(
                urn=710_000 + n,
                name=f"Academy {(149 - n) // 2:03}",
                la_code="860",
                status=Establishment.Status.OPEN,
            )
            for n in range(150)
        )
        expected = list(Establishment.objects.order_by("name", "pk").values_list("urn", flat=True))

        shown = []
        for number in (1, 2):
            page = lead.get("/schools/", {"page": number}).content.decode()
            shown += [
                int(urn)
                for urn in re.findall(r'<td class="govuk-table__cell">(71\d{4})</td>', page)
            ]

        assert shown == expected and len(set(shown)) == 150
