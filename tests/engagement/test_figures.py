"""Engagement figures for the Board and each district: counted from activities, downloadable."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable

import openpyxl
import pytest
from django.test import Client

from preventhub.core.models import AuditEvent
from preventhub.core.roles import Role
from preventhub.engagement import stats
from preventhub.engagement.models import Activity
from preventhub.partnership.models import Area
from tests.engagement.conftest import TODAY

pytestmark = pytest.mark.django_db

YEAR = (datetime.date(2026, 4, 1), datetime.date(2027, 3, 31))


def _figures(**kwargs: object) -> stats.EngagementFigures:
    return stats.figures(date_from=YEAR[0], date_to=YEAR[1], today=TODAY, title="2026/27", **kwargs)


class TestBoardFigures:
    def test_it_counts_activities_by_kind_with_the_people_they_reached(
        self, record: Callable[..., Activity], district: Area
    ) -> None:
        for reach in (10, 12, 15):
            record(kind="parenting_programme", audience="parents", reach=reach, district=district)
        record(kind="community_outreach", reach=40)

        found = _figures()

        parenting = next(row for row in found.by_kind if row.label == "Parenting programme")
        assert (parenting.activities, parenting.attending) == (3, 37)
        assert "3 parenting programmes reaching 37 parents" in found.sentences
        assert "1 instance of community outreach reaching 40 people" in found.sentences
        assert (found.total.activities, found.total.attending) == (4, 77)

    def test_impressions_are_kept_apart_from_people_attending(
        self, record: Callable[..., Activity]
    ) -> None:
        record(kind="campaign", channel="social_media", reach=2500, reach_kind="impressions")
        record(kind="campaign", channel="event", reach=30)

        campaign = next(row for row in _figures().by_kind if row.label.startswith("Campaign"))

        assert (campaign.activities, campaign.attending, campaign.impressions) == (2, 30, 2500)

    def test_planned_activities_and_other_years_are_not_counted(
        self, record: Callable[..., Activity]
    ) -> None:
        record(held_on=datetime.date(2026, 12, 20))  # still to come
        record(held_on=datetime.date(2026, 3, 31), reach=8)  # the year before
        record(held_on=datetime.date(2026, 4, 1), reach=9)

        assert _figures().total.activities == 1

    def test_every_district_is_listed_with_the_countywide_activities_after_them(
        self, record: Callable[..., Activity], district: Area, other_district: Area
    ) -> None:
        record(district=district, reach=5)
        record(district=district, reach=6)
        record(reach=100)

        rows = {row.label: row for row in _figures().by_district}

        assert rows["Stafford"].activities == 2 and rows["Stafford"].attending == 11
        assert rows["Tamworth"].activities == 0
        assert rows["Across the county"].attending == 100

    def test_a_district_summary_counts_only_that_district(
        self, record: Callable[..., Activity], district: Area, other_district: Area
    ) -> None:
        record(district=district, kind="school_session", audience="schools", reach=60)
        record(district=other_district, kind="school_session", audience="schools", reach=90)

        found = _figures(district=district)

        assert found.total.attending == 60
        assert [row.label for row in found.by_district] == ["Stafford"]
        assert found.sentences == ["1 session in a school or college reaching 60 pupils and staff"]


class TestTheDownloads:
    def test_the_figures_download_as_a_spreadsheet_by_district_and_kind(
        self,
        record: Callable[..., Activity],
        district: Area,
        client_for: Callable[..., Client],
        time_machine: object,
    ) -> None:
        time_machine.move_to(datetime.datetime(2026, 12, 5, 12))  # type: ignore[attr-defined]
        record(district=district, kind="parenting_programme", audience="parents", reach=12)
        record(district=district, kind="parenting_programme", audience="parents", reach=10)

        response = client_for(Role.BOARD_READER).get("/engagement/figures/export.xlsx?year=2026")

        assert response.status_code == 200
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0] == (
            "District",
            "Kind of activity",
            "Activities",
            "People attending",
            "Impressions",
        )
        assert rows[1] == ("Stafford", "Parenting programme", 2, 22, 0)
        assert AuditEvent.objects.filter(action="export", object_type="engagement.figures").exists()

    def test_the_activity_list_downloads_as_csv_with_its_filter(
        self,
        record: Callable[..., Activity],
        district: Area,
        other_district: Area,
        client_for: Callable[..., Client],
    ) -> None:
        record(title="Stafford fair", district=district, reach=50)
        record(title="Tamworth fair", district=other_district, reach=70)

        response = client_for(Role.COORDINATOR).get(
            f"/engagement/activities.csv?district={district.pk}"
        )

        text = b"".join(response.streaming_content if response.streaming else [response.content])
        lines = text.decode("utf-8-sig").splitlines()
        assert lines[0].startswith("Date,Activity,Kind,District")
        assert len(lines) == 2 and "Stafford fair" in lines[1]

    def test_an_unknown_format_is_not_found(self, client_for: Callable[..., Client]) -> None:
        response = client_for(Role.COORDINATOR).get("/engagement/figures/export.pdf")

        assert response.status_code == 404
