"""Data returns for the CTLP: which figures are asked, their checks, the large-jump flag."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from preventhub.accounts.models import User
from preventhub.localprofile import checks, queries, services
from preventhub.localprofile.models import Indicator, IndicatorValue
from preventhub.partnership.models import Area, Organisation
from preventhub.returns import services as returns
from preventhub.returns.models import PartnerReturn

pytestmark = pytest.mark.django_db


@pytest.fixture
def districts(county: Area) -> list[Area]:
    return [
        Area.objects.get_or_create(
            gss_code=code, defaults={"name": name, "kind": "district", "parent": county}
        )[0]
        for code, name in [("E07000197", "Stafford"), ("E07000199", "Tamworth")]
    ]


def _fill(found: PartnerReturn, value: int = 3, **overrides: checks.Entry) -> dict:
    entries = {}
    for cell in queries.cells_for(found):
        entries[cell.key] = overrides.get(cell.indicator.code, checks.Entry(value))
    return entries


def _accept(found: PartnerReturn, entries: dict, lead: User, coordinator: User) -> None:
    services.save_values(partner_return=found, entries=entries)
    services.submit_data_return(partner_return=found, by=lead)
    returns.accept_return(partner_return=found, by=coordinator)


class TestWhatIsAsked:
    def test_a_county_wide_partner_gives_each_district_and_only_its_sectors_indicators(
        self, owed: Callable[..., PartnerReturn], districts: list[Area]
    ) -> None:
        cells = queries.cells_for(owed("ctlp"))
        asked = sorted({(cell.indicator.code, cell.where) for cell in cells})
        # Health supplies the indicators for every partner, not the council's own ones.
        assert asked == [
            ("ENGAGE", "Stafford"),
            ("ENGAGE", "Tamworth"),
            ("HATE", "Stafford"),
            ("HATE", "Tamworth"),
            ("SAFEG", "Stafford"),
            ("SAFEG", "Tamworth"),
        ]

    def test_a_district_partner_gives_its_own_district_only(
        self, owed: Callable[..., PartnerReturn], partner: Organisation, districts: list[Area]
    ) -> None:
        partner.area = districts[1]
        partner.save()
        assert {cell.where for cell in queries.cells_for(owed("ctlp"))} == {"Tamworth"}

    def test_a_county_indicator_has_one_figure_for_the_whole_county(
        self, owed: Callable[..., PartnerReturn], districts: list[Area], sectors: dict
    ) -> None:
        Indicator.objects.filter(code="WEBFILTER").get().sectors.set([sectors["health"]])
        cells = [c for c in queries.cells_for(owed("ctlp")) if c.indicator.code == "WEBFILTER"]
        assert [cell.where for cell in cells] == ["Whole county"]


class TestValidation:
    def test_a_figure_outside_the_allowed_range_is_refused_and_nothing_is_saved(
        self, owed: Callable[..., PartnerReturn], districts: list[Area]
    ) -> None:
        Indicator.objects.filter(code="HATE").update(maximum=50)
        found = owed("ctlp")
        with pytest.raises(services.InvalidFigures) as caught:
            services.save_values(partner_return=found, entries=_fill(found, HATE=checks.Entry(51)))
        assert {p.message for p in caught.value.problems} == {"The figure must be from 0 to 50"}
        assert not IndicatorValue.objects.exists()

    def test_a_negative_figure_is_refused(
        self, owed: Callable[..., PartnerReturn], districts: list[Area]
    ) -> None:
        found = owed("ctlp")
        with pytest.raises(services.InvalidFigures, match="cannot be negative"):
            services.save_values(partner_return=found, entries=_fill(found, -1))

    def test_a_draft_may_have_gaps_but_it_cannot_be_sent_with_them(
        self, owed: Callable[..., PartnerReturn], districts: list[Area], partner_lead: User
    ) -> None:
        found = owed("ctlp")
        services.save_values(partner_return=found, entries=_fill(found, HATE=checks.Entry(None)))
        with pytest.raises(services.InvalidFigures, match="Enter the figure for Stafford"):
            services.submit_data_return(partner_return=found, by=partner_lead)

    def test_an_optional_indicator_may_be_left_empty(
        self, owed: Callable[..., PartnerReturn], districts: list[Area], partner_lead: User
    ) -> None:
        Indicator.objects.filter(code="ENGAGE").update(is_required=False)
        found = owed("ctlp")
        services.save_values(partner_return=found, entries=_fill(found, ENGAGE=checks.Entry(None)))
        assert (
            services.submit_data_return(partner_return=found, by=partner_lead).status == "submitted"
        )

    def test_a_note_with_contact_details_is_refused(
        self, owed: Callable[..., PartnerReturn], districts: list[Area]
    ) -> None:
        found = owed("ctlp")
        entries = _fill(found, HATE=checks.Entry(3, "ring 07700 900123 for details"))
        with pytest.raises(services.InvalidFigures, match="no personal details"):
            services.save_values(partner_return=found, entries=entries)

    def test_a_sent_return_cannot_be_changed(
        self, owed: Callable[..., PartnerReturn], districts: list[Area], partner_lead: User
    ) -> None:
        found = owed("ctlp")
        services.save_values(partner_return=found, entries=_fill(found))
        services.submit_data_return(partner_return=found, by=partner_lead)
        with pytest.raises(services.LocalProfileError, match="re-open"):
            services.save_values(partner_return=found, entries=_fill(found, 4))


class TestTheLargeJumpFlag:
    @pytest.mark.parametrize(
        ("previous", "value", "flagged"),
        [
            (10, 15, True),
            (10, 14, False),
            (10, 5, True),
            (0, 5, True),
            (0, 4, False),
            (40, 50, False),
        ],
    )
    def test_a_change_of_at_least_five_and_half_is_a_large_jump(
        self, previous: int, value: int, flagged: bool
    ) -> None:
        assert checks.is_large_jump(previous, value) is flagged

    def test_a_large_jump_since_last_quarter_needs_a_note_before_sending(
        self,
        owed: Callable[..., PartnerReturn],
        districts: list[Area],
        partner_lead: User,
        coordinator: User,
    ) -> None:
        last = owed("ctlp", 2)
        _accept(last, _fill(last, 4), partner_lead, coordinator)
        found = owed("ctlp", 3)
        services.save_values(partner_return=found, entries=_fill(found, 4, HATE=checks.Entry(20)))
        page = queries.data_return(found)
        assert page.jumps == 2, "HATE jumped in both districts"
        with pytest.raises(services.InvalidFigures, match="changed from 4 last quarter to 20"):
            services.submit_data_return(partner_return=found, by=partner_lead)
        explained = checks.Entry(20, "New reporting app launched in schools")
        services.save_values(partner_return=found, entries=_fill(found, 4, HATE=explained))
        assert (
            services.submit_data_return(partner_return=found, by=partner_lead).status == "submitted"
        )

    def test_the_return_page_flags_the_jump_for_the_coordinator(
        self,
        owed: Callable[..., PartnerReturn],
        districts: list[Area],
        partner_lead: User,
        coordinator: User,
        client_as: Callable[[User], Client],
    ) -> None:
        last = owed("ctlp", 2)
        _accept(last, _fill(last, 4), partner_lead, coordinator)
        found = owed("ctlp", 3)
        entries = _fill(found, 4, HATE=checks.Entry(20, "New reporting app"))
        services.save_values(partner_return=found, entries=entries)
        services.submit_data_return(partner_return=found, by=partner_lead)
        page = client_as(coordinator).get(reverse("localprofile:return", args=[found.pk]))
        html = page.content.decode()
        assert html.count("Large change") == 2
        assert "New reporting app" in html
        assert "Accept return" in html


class TestTheReturnPage:
    def test_a_partner_lead_saves_figures_through_the_form_and_sends(
        self,
        owed: Callable[..., PartnerReturn],
        districts: list[Area],
        partner_lead: User,
        client_as: Callable[[User], Client],
    ) -> None:
        found = owed("ctlp")
        client = client_as(partner_lead)
        count = len(queries.cells_for(found))
        data = {f"value_{i}": "2" for i in range(count)} | {f"note_{i}": "" for i in range(count)}
        data["version"] = str(found.version)
        assert client.post(reverse("localprofile:return", args=[found.pk]), data).status_code == 302
        found.refresh_from_db()
        client.post(
            reverse("localprofile:return_submit", args=[found.pk]), {"version": found.version}
        )
        found.refresh_from_db()
        assert found.status == "submitted"
        assert IndicatorValue.objects.filter(partner_return=found, value=2).count() == count

    def test_errors_are_shown_next_to_the_figure_and_in_the_summary(
        self,
        owed: Callable[..., PartnerReturn],
        districts: list[Area],
        partner_lead: User,
        client_as: Callable[[User], Client],
    ) -> None:
        found = owed("ctlp")
        response = client_as(partner_lead).post(
            reverse("localprofile:return", args=[found.pk]),
            {"value_0": "-4", "version": found.version},
        )
        html = response.content.decode()
        assert "There is a problem" in html
        assert html.count("The figure cannot be negative") == 2
        assert not IndicatorValue.objects.exists()

    def test_the_form_warns_that_figures_are_counts_only(
        self,
        owed: Callable[..., PartnerReturn],
        districts: list[Area],
        partner_lead: User,
        client_as: Callable[[User], Client],
    ) -> None:
        found = owed("ctlp")
        html = client_as(partner_lead).get(reverse("localprofile:return", args=[found.pk]))
        assert "Counts only. Never name, describe or give contact details" in html.content.decode()
        assert 'maxlength="200"' in html.content.decode()

    def test_a_save_over_someone_elses_is_refused(
        self,
        owed: Callable[..., PartnerReturn],
        districts: list[Area],
        partner_lead: User,
        client_as: Callable[[User], Client],
    ) -> None:
        found = owed("ctlp")
        opened_at = found.version
        services.save_values(
            partner_return=found, entries=_fill(found, 6), expected_version=opened_at
        )
        response = client_as(partner_lead).post(
            reverse("localprofile:return", args=[found.pk]),
            {"version": opened_at, "value_0": "9"},
        )
        assert "changed by someone else" in response.content.decode()
        assert set(IndicatorValue.objects.values_list("value", flat=True)) == {6}
