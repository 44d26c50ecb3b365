"""The compiled dataset for the CTLP team, its downloads, the trends and the district view."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from preventhub.accounts.models import User
from preventhub.core.models import AuditEvent
from preventhub.core.roles import Role
from preventhub.localprofile import checks, queries, services
from preventhub.partnership.models import Area, Organisation
from preventhub.returns import services as returns
from preventhub.returns.models import ReturnWindow

pytestmark = pytest.mark.django_db


@pytest.fixture
def stafford_and_tamworth(county: Area) -> list[Area]:
    return [
        Area.objects.get_or_create(
            gss_code=code, defaults={"name": name, "kind": "district", "parent": county}
        )[0]
        for code, name in [("E07000197", "Stafford"), ("E07000199", "Tamworth")]
    ]


@pytest.fixture
def q3(
    open_window: Callable[..., ReturnWindow],
    partner: Organisation,
    stafford_and_tamworth: list[Area],
    sectors: dict,
    partner_lead: User,
    coordinator: User,
) -> ReturnWindow:
    """Q3: the health trust's return accepted (HATE 4 per district), a charity's still owed,
    and a Tamworth charity's sent but not yet accepted (HATE 9)."""
    owing = Organisation.objects.create(name="Shire Charity", sector=sectors["third-sector"])
    tamworth = Organisation.objects.create(
        name="Tamworth Youth Club", sector=sectors["third-sector"], area=stafford_and_tamworth[1]
    )
    window = open_window("ctlp", 3, owing, tamworth)
    for found, value, accept in [
        (window.returns.get(organisation=partner), 4, True),
        (window.returns.get(organisation=tamworth), 9, False),
    ]:
        entries = {cell.key: checks.Entry(value) for cell in queries.cells_for(found)}
        services.save_values(partner_return=found, entries=entries)
        services.submit_data_return(partner_return=found, by=coordinator)
        if accept:
            returns.accept_return(partner_return=found, by=coordinator)
    return window


class TestTheCompiledDataset:
    def test_it_adds_up_accepted_figures_by_indicator_and_district(self, q3: ReturnWindow) -> None:
        compiled = queries.dataset(q3.period)
        hate = [row for row in compiled.rows if row.indicator.code == "HATE"]
        assert [(row.where, row.total, row.contributors) for row in hate] == [
            ("Stafford", 4, ["Shire Health Trust"]),
            ("Tamworth", 4, ["Shire Health Trust"]),
        ]

    def test_it_says_who_contributed_and_who_did_not(self, q3: ReturnWindow) -> None:
        compiled = queries.dataset(q3.period)
        assert compiled.contributed == ["Shire Health Trust"]
        assert compiled.not_contributed == [("Shire Charity", "Not sent")]
        assert compiled.awaiting_check == ["Tamworth Youth Club"]

    def test_a_partner_that_sent_is_never_listed_as_not_contributing(
        self, q3: ReturnWindow, client_for: Callable[..., Client]
    ) -> None:
        page = client_for(Role.COORDINATOR).get(
            reverse("localprofile:dataset"), {"period": q3.period.pk}
        )
        html = page.content.decode()
        sent = html.index("Sent, waiting to be accepted")
        not_sent = html.index("Partners who did not send")
        assert sent < html.index("Tamworth Youth Club") < not_sent
        assert "Tamworth Youth Club" not in html[not_sent:]
        assert "Shire Charity: not sent" in html[not_sent:]

    @pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
    def test_the_police_download_it_in_each_format_and_the_download_is_logged(
        self, q3: ReturnWindow, client_for: Callable[..., Client], fmt: str
    ) -> None:
        response = client_for(Role.POLICE_OFFICER).get(
            reverse("localprofile:dataset_export", args=[fmt]), {"period": q3.period.pk}
        )
        assert response.status_code == 200
        assert response["Content-Disposition"].endswith(f'ctlp-data-2018-19-Q3.{fmt}"')
        assert AuditEvent.objects.filter(action="export", object_type="localprofile.dataset")

    def test_the_csv_has_the_figures_and_the_partners_missing(
        self, q3: ReturnWindow, client_for: Callable[..., Client]
    ) -> None:
        response = client_for(Role.COORDINATOR).get(
            reverse("localprofile:dataset_export", args=["csv"]), {"period": q3.period.pk}
        )
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0][:6] == [
            "Quarter",
            "Indicator code",
            "Indicator",
            "District code",
            "District",
            "Total",
        ]
        assert [
            "2018/19 Q3",
            "HATE",
            "Hate incidents reported to partners",
            "E07000199",
            "Tamworth",
            "4",
            "1",
            "Shire Health Trust",
        ] in rows
        assert rows[-2][2] == "Sent, not yet accepted" and rows[-2][7] == "Tamworth Youth Club"
        assert rows[-1][2] == "Not contributed: Not sent" and rows[-1][7] == "Shire Charity"

    def test_the_xlsx_opens_as_a_workbook(
        self, q3: ReturnWindow, client_for: Callable[..., Client]
    ) -> None:
        response = client_for(Role.COORDINATOR).get(
            reverse("localprofile:dataset_export", args=["xlsx"]), {"period": q3.period.pk}
        )
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert sheet["A1"].value == "Quarter"

    def test_the_page_lists_the_partners_who_did_not_contribute(
        self, q3: ReturnWindow, client_for: Callable[..., Client]
    ) -> None:
        html = client_for(Role.COORDINATOR).get(reverse("localprofile:dataset")).content.decode()
        assert "Shire Charity: not sent" in html
        assert "1 partner contributed; 1 sent figures not yet accepted; 1 did not send" in html


class TestTrends:
    def test_each_indicators_total_is_given_per_quarter(
        self, q3: ReturnWindow, client_for: Callable[..., Client]
    ) -> None:
        found = queries.trends()
        assert [period.name for period in found.periods] == ["2018/19 Q3"]
        hate = next(row for row in found.rows if row.label.startswith("HATE"))
        assert hate.values == [8]
        html = client_for(Role.POLICE_OFFICER).get(reverse("localprofile:trends")).content.decode()
        assert "<svg" in html and "Totals by quarter" in html


class TestTheDistrictView:
    def test_a_district_lead_sees_every_partners_figures_for_their_district(
        self,
        q3: ReturnWindow,
        make_user: Callable[..., User],
        client_as: Callable[[User], Client],
        stafford_and_tamworth: list[Area],
    ) -> None:
        lead = make_user(Role.DISTRICT_LEAD)
        lead.district = stafford_and_tamworth[1]
        lead.save(update_fields=["district"])
        html = (
            client_as(lead)
            .get(reverse("localprofile:district", args=["E07000199"]))
            .content.decode()
        )
        assert "Shire Health Trust" in html and "Tamworth Youth Club" in html
        figures = queries.district_figures(stafford_and_tamworth[1])
        hate = [(f.organisation, f.value, f.status) for f in figures if f.indicator.code == "HATE"]
        assert hate == [("Shire Health Trust", 4, "Accepted"), ("Tamworth Youth Club", 9, "Sent")]

    def test_a_district_lead_cannot_see_another_district(
        self, q3: ReturnWindow, make_user: Callable[..., User], client_as: Callable[[User], Client]
    ) -> None:
        lead = make_user(Role.DISTRICT_LEAD)  # the Stafford lead
        response = client_as(lead).get(reverse("localprofile:district", args=["E07000199"]))
        assert response.status_code == 403
        assert (
            client_as(lead).get(reverse("localprofile:district", args=["E07000197"])).status_code
            == 200
        )
