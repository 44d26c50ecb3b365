"""Coverage: trained and in date, of the staff needing each level, with refresh expiry."""

from __future__ import annotations

import datetime
import io
import json

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from preventhub.partnership.models import Area, Organisation, ReportingPeriod, Sector
from preventhub.training import services, stats
from preventhub.training.models import RoleGroup, TrainingLevel

pytestmark = pytest.mark.django_db


def _level(name: str) -> TrainingLevel:
    return TrainingLevel.objects.get(name=name)


def _group(sector: str, name: str) -> RoleGroup:
    return RoleGroup.objects.get(sector__code=sector, name=name)


@pytest.fixture
def school(district: Area, sectors: dict[str, Sector], framework: None) -> Organisation:
    """A school with 40 staff needing basic awareness and 2 DSLs needing enhanced training."""
    found = Organisation.objects.create(
        name="Shire Academy", sector=sectors["schools"], area=district
    )
    services.record_workforce(
        organisation=found,
        as_of=datetime.date(2018, 4, 1),
        staff={_group("schools", "All staff"): 40, _group("schools", "School DSL"): 2},
    )
    return found


def _train(organisation: Organisation, on: str, level: str, **by_group: int) -> None:
    groups = {
        _group("schools", "All staff" if key == "staff" else "School DSL"): count
        for key, count in by_group.items()
    }
    services.record_session(
        organisation=organisation,
        held_on=datetime.date.fromisoformat(on),
        level=_level(level),
        mode="face_to_face",
        attendees=groups,
    )


class TestCoverage:
    def test_coverage_is_trained_of_needing_by_level(self, school: Organisation) -> None:
        _train(school, "2018-06-01", "Basic awareness", staff=30)
        result = stats.coverage(datetime.date(2018, 12, 31))
        basic = result.total.by_level[_level("Basic awareness").pk]
        enhanced = result.total.by_level[_level("Enhanced").pk]
        assert (basic.needing, basic.trained, basic.coverage) == (40, 30, 75)
        assert (enhanced.needing, enhanced.trained, enhanced.coverage) == (2, 0, 0)

    def test_a_higher_level_counts_for_a_lower_one_but_not_the_other_way(
        self, school: Organisation
    ) -> None:
        _train(school, "2018-06-01", "Specialist", staff=4)
        _train(school, "2018-06-01", "Basic awareness", dsl=2)
        result = stats.coverage(datetime.date(2018, 12, 31))
        assert result.total.by_level[_level("Basic awareness").pk].trained == 4
        assert result.total.by_level[_level("Enhanced").pk].trained == 0

    def test_trained_never_exceeds_needing(self, school: Organisation) -> None:
        _train(school, "2018-06-01", "Basic awareness", staff=30)
        _train(school, "2018-07-01", "Basic awareness", staff=30)
        cell = stats.coverage(datetime.date(2018, 12, 31)).total.by_level[
            _level("Basic awareness").pk
        ]
        assert (cell.trained, cell.coverage) == (40, 100)

    def test_training_expires_after_its_role_groups_refresh_interval(
        self, school: Organisation
    ) -> None:
        # Staff refresh every 36 months (the level's); school DSLs every 24 (their group's).
        _train(school, "2018-06-01", "Enhanced", staff=10, dsl=2)
        enhanced, basic = _level("Enhanced").pk, _level("Basic awareness").pk
        on_day = stats.coverage(datetime.date(2020, 6, 1)).total
        assert on_day.by_level[enhanced].trained == 0, "the DSLs' 24 months are up"
        assert on_day.by_level[basic].trained == 10
        day_before = stats.coverage(datetime.date(2020, 5, 31)).total
        assert day_before.by_level[enhanced].trained == 2
        three_years = stats.coverage(datetime.date(2021, 6, 1)).total
        assert three_years.by_level[basic].trained == 0

    def test_the_page_shows_todays_coverage_as_time_passes(
        self, school: Organisation, client_for: object
    ) -> None:
        from django.urls import reverse

        from preventhub.core.roles import Role

        _train(school, "2018-06-01", "Enhanced", dsl=2)
        pages = []
        for day in (datetime.date(2019, 6, 1), datetime.date(2020, 7, 1)):
            # Signed in on the day: a session would not survive two years of idleness.
            with time_machine.travel(
                datetime.datetime(*day.timetuple()[:3], 12, tzinfo=datetime.UTC)
            ):
                client = client_for(Role.BOARD_READER)  # type: ignore[operator]
                pages.append(client.get(reverse("training:coverage")).content.decode())
        before, after = pages
        assert "2 of 2 (100%)" in before
        assert "0 of 2 (0%)" in after

    def test_the_latest_workforce_figure_on_the_day_counts(self, school: Organisation) -> None:
        services.record_workforce(
            organisation=school,
            as_of=datetime.date(2019, 1, 1),
            staff={_group("schools", "All staff"): 50},
        )
        basic = _level("Basic awareness").pk
        assert stats.coverage(datetime.date(2018, 12, 31)).total.by_level[basic].needing == 40
        assert stats.coverage(datetime.date(2019, 1, 1)).total.by_level[basic].needing == 50

    def test_it_is_broken_down_by_organisation_sector_and_district(
        self, school: Organisation, partner: Organisation
    ) -> None:
        services.record_workforce(
            organisation=partner,
            as_of=datetime.date(2018, 4, 1),
            staff={_group("health", "All staff"): 100},
        )
        result = stats.coverage(datetime.date(2018, 12, 31))
        assert [line.label for line in result.organisations] == [
            "Shire Academy",
            "Shire Health Trust",
        ]
        assert [line.label for line in result.sectors] == ["Health", "Schools"]
        assert [line.label for line in result.districts] == ["Stafford", stats.COUNTY_WIDE]
        assert result.total.total.needing == 142

    def test_coverage_rounds_to_a_whole_percent_half_up(self) -> None:
        assert stats.Cell(8, 1).coverage == 13  # 12.5%
        assert stats.Cell(3, 1).coverage == 33
        assert stats.Cell(0, 0).coverage is None


class TestTheCommand:
    def test_it_prints_one_json_object_as_its_last_line(self, school: Organisation) -> None:
        from preventhub.partnership import services as partnership

        partnership.create_period(year=2018, quarter=3, updates_due_on=datetime.date(2019, 1, 14))
        _train(school, "2018-10-01", "Basic awareness", staff=20)
        out = io.StringIO()
        call_command("training_coverage", "--period", "2018/19 Q3", "--json", stdout=out)
        document = json.loads(out.getvalue().strip().splitlines()[-1])
        assert document["period"] == "2018/19 Q3"
        assert document["organisations"]["Shire Academy"]["Basic awareness"] == {
            "needing": 40,
            "trained": 20,
            "coverage": 50,
        }
        assert document["total"]["Enhanced"] == {"needing": 2, "trained": 0, "coverage": 0}
        assert document["total"]["Specialist"] == {"needing": 0, "trained": 0, "coverage": None}

    def test_it_names_the_quarters_when_it_does_not_know_one(self, db: None) -> None:
        assert not ReportingPeriod.objects.exists()
        with pytest.raises(CommandError, match="no quarter called '2018/19 Q9'"):
            call_command("training_coverage", "--period", "2018/19 Q9", "--json")


class TestThePage:
    def test_it_draws_the_sectors_as_a_chart_beside_the_table(
        self, school: Organisation, client_for: object
    ) -> None:
        from django.urls import reverse

        from preventhub.core.roles import Role

        _train(school, "2018-06-01", "Basic awareness", staff=10)
        client = client_for(Role.COORDINATOR)  # type: ignore[operator]
        html = client.get(reverse("training:coverage")).content.decode()
        assert "<svg" in html and "Staff needing Prevent training by sector" in html
        assert "By sector" in html and "By district" in html and "By organisation" in html

    @pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
    def test_it_downloads_by_organisation_and_logs_the_download(
        self, school: Organisation, client_for: object, fmt: str
    ) -> None:
        from django.urls import reverse

        from preventhub.core.models import AuditEvent
        from preventhub.core.roles import Role

        client = client_for(Role.BOARD_READER)  # type: ignore[operator]
        response = client.get(reverse("training:coverage_export", args=[fmt]))
        assert response.status_code == 200
        assert AuditEvent.objects.filter(action="export", object_type="training.coverage")
        if fmt == "csv":
            text = response.content.decode("utf-8-sig")
            assert "Shire Academy,40,0,0,0,0,,2,0,0,0,0,,42,0,0" in text
