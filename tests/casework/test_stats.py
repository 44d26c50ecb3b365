"""Referral statistics: exact for case work, protected for everyone else, by whole periods."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from preventhub.casework import stats
from preventhub.casework.models import ConcernType, Referral
from preventhub.core.disclosure import Cell, CrossTable, ProtectedTable
from preventhub.core.models import AuditEvent
from preventhub.partnership.models import Area
from tests.casework.conftest import World

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 4)
DATES = {"date_from": datetime.date(2018, 5, 1), "date_to": datetime.date(2018, 11, 30)}
Q1 = stats.period_named("2018-19-Q1")  # April to June 2018
YEAR = stats.period_named("2018-19")


@pytest.fixture
def referrals(make_referral: Callable[..., Referral]) -> None:
    """On 1 June 2018 (Q1 of 2018/19): 7 aged 16, 2 aged 12, 6 adults."""
    received = datetime.date(2018, 6, 1)
    for index in range(7):
        make_referral(given=f"Teen{index}", born=datetime.date(2002, 1, 1), received=received)
    for index in range(2):
        make_referral(given=f"Child{index}", born=datetime.date(2006, 1, 1), received=received)
    for index in range(6):
        make_referral(
            given=f"Adult{index}",
            born=datetime.date(1990, 1, 1),
            received=received,
            gender="female",
            sector="health",
        )


def protects(cell: Cell | None, true: int, *, threshold: int = 5) -> bool:
    """Whether a protected figure is one the cell-key method can give for ``true`` people."""
    shown = cell.count if cell is not None else None
    if shown is None:
        return true < threshold + 2
    return true >= threshold and shown >= threshold and abs(shown - true) <= 2


def labelled(table: ProtectedTable) -> dict[str, Cell]:
    return {cell.label: cell for cell in table.cells}


class TestExactCounts:
    def test_they_cover_only_the_dates(self, referrals: None, make_referral: Callable) -> None:
        make_referral(given="Later", received=datetime.date(2018, 12, 1))
        rows = dict(stats.counts(**DATES, by="gender"))
        assert rows == {"Female": 6, "Male": 9, "Other": 0, "Not known": 0}

    def test_the_home_office_age_bands(self, referrals: None) -> None:
        # Born 2002: 16 in June 2018; born 2006: 12; born 1990: 28.
        assert dict(stats.counts(**DATES, by="age_band")) == {
            "10 and under": 0,
            "11 to 15": 2,
            "16 to 17": 7,
            "18 to 20": 0,
            "21 to 30": 6,
            "31 to 40": 0,
            "41 and over": 0,
            "Age not known": 0,
        }

    def test_custom_age_bands_like_14_to_17(self, referrals: None) -> None:
        bands = stats.parse_bands("0-13, 14-17, 18+")
        assert dict(stats.counts(**DATES, by="age_band", bands=bands)) == {
            "13 and under": 2,
            "14 to 17": 7,
            "18 and over": 6,
            "Age not known": 0,
        }

    def test_ages_outside_custom_bands_are_counted_as_other(self, referrals: None) -> None:
        rows = dict(stats.counts(**DATES, by="age_band", bands=stats.parse_bands("14-17")))
        assert rows == {"14 to 17": 7, "Other ages": 8, "Age not known": 0}

    def test_outcomes_count_each_milestone(self, make_referral: Callable[..., Referral]) -> None:
        for index in range(5):
            make_referral("adopted", given=f"Adopted{index}")
        rows = dict(
            stats.counts(
                date_from=datetime.date(2026, 1, 1),
                date_to=datetime.date(2026, 12, 31),
                by="outcome",
            )
        )
        assert rows["Referred"] == rows["Discussed at a Channel panel"] == 5
        assert rows["Adopted as a Channel case"] == 5 and rows["Signposted to other services"] == 0


@pytest.mark.parametrize(
    "text,message",
    [("14to17", "Write each band"), ("17-14", "ends before"), ("0-14, 10-20", "overlap")],
)
def test_unreadable_bands_are_refused(text: str, message: str) -> None:
    with pytest.raises(stats.BandError, match=message):
        stats.parse_bands(text)


class TestPeriods:
    def test_a_quarter_and_a_year_are_named_by_their_codes(self) -> None:
        assert (Q1.starts_on, Q1.ends_on) == (datetime.date(2018, 4, 1), datetime.date(2018, 6, 30))
        assert (YEAR.starts_on, YEAR.ends_on) == (
            datetime.date(2018, 4, 1),
            datetime.date(2019, 3, 31),
        )
        assert [quarter.code for quarter in YEAR.quarters][-1] == "2018-19-Q4"

    @pytest.mark.parametrize("code", ["2018", "2018-20", "2018-19-Q5", "1 May 2018", ""])
    def test_anything_else_is_refused_with_an_example(self, code: str) -> None:
        with pytest.raises(stats.StatisticsError, match="like 2018-19"):
            stats.period_named(code)

    def test_only_periods_that_have_ended_are_offered(self, referrals: None) -> None:
        codes = [period.code for period in stats.ended_periods(TODAY)]
        # 4 December 2026 is in Q3 of 2026/27: Q1 and Q2 have ended, Q3 and the year have not.
        assert codes[:3] == ["2026-27-Q2", "2026-27-Q1", "2025-26-Q4"]
        assert "2026-27-Q3" not in codes and "2026-27" not in codes
        assert codes[-2:] == ["2018-19-Q1", "2018-19"]

    def test_a_period_still_open_is_refused(self, referrals: None) -> None:
        with pytest.raises(stats.StatisticsError, match="has not ended"):
            stats.protected_table(period=stats.period_named("2026-27-Q3"), by="gender", today=TODAY)


class TestProtectedTables:
    def test_small_cells_are_never_shown_and_others_move_by_at_most_two(
        self, referrals: None
    ) -> None:
        table = stats.protected_table(period=Q1, by="age_band", today=TODAY)
        assert isinstance(table, ProtectedTable) and not table.exact
        cells = labelled(table)
        assert cells["11 to 15"].suppressed and cells["10 and under"].suppressed
        assert protects(cells["16 to 17"], 7) and protects(cells["21 to 30"], 6)
        assert table.total is not None and abs(table.total - 15) <= 2

    def test_the_home_office_bands_cover_every_age_so_no_other_ages_row(
        self, referrals: None
    ) -> None:
        table = stats.protected_table(period=Q1, by="age_band", today=TODAY)
        assert stats.OTHER_AGES not in labelled(table)  # type: ignore[arg-type]

    @pytest.mark.parametrize("by", sorted(stats.DIMENSIONS))
    def test_every_category_is_listed_whether_or_not_anyone_is_in_it(
        self, referrals: None, by: str
    ) -> None:
        ConcernType.objects.create(name="Withdrawn type", is_active=False)
        Area.objects.create(name="Quiet District", kind=Area.Kind.DISTRICT, gss_code="E07000199")
        empty = stats.protected_table(period=stats.period_named("2017-18-Q1"), by=by, today=TODAY)
        full = stats.protected_table(period=Q1, by=by, today=TODAY)
        assert isinstance(empty, ProtectedTable) and isinstance(full, ProtectedTable)
        assert [cell.label for cell in empty.cells] == [cell.label for cell in full.cells]
        assert all(cell.suppressed for cell in empty.cells) and empty.total is None

    def test_a_withdrawn_concern_type_and_every_district_are_listed(self, referrals: None) -> None:
        ConcernType.objects.create(name="Withdrawn type", is_active=False)
        Area.objects.create(name="Quiet District", kind=Area.Kind.DISTRICT, gss_code="E07000199")
        concern = labelled(stats.protected_table(period=Q1, by="concern", today=TODAY))
        district = labelled(stats.protected_table(period=Q1, by="district", today=TODAY))
        assert "Withdrawn type" in concern
        assert {"Quiet District", "Elsewhere", "Not known"} <= set(district)

    def test_the_same_people_get_the_same_answer_however_they_are_asked_for(
        self, referrals: None
    ) -> None:
        # Nobody was referred outside Q1, so the year holds the same people: the same answers.
        quarter = stats.protected_table(period=Q1, by="age_band", today=TODAY)
        year = stats.protected_table(period=YEAR, by="age_band", today=TODAY)
        assert quarter == year
        crossed = stats.protected_table(period=YEAR, by="age_band", then_by="gender", today=TODAY)
        assert isinstance(crossed, CrossTable)
        assert [cell.count for cell in crossed.row_totals] == [cell.count for cell in quarter.cells]
        assert crossed.total.count == quarter.total

    def test_a_year_differing_from_a_quarter_by_a_few_people_is_refused(
        self, referrals: None, make_referral: Callable[..., Referral]
    ) -> None:
        # A year minus its first quarter would be this one person.
        make_referral(given="Later", received=datetime.date(2018, 12, 1))
        with pytest.raises(stats.StatisticsError, match="See its quarters"):
            stats.protected_table(period=YEAR, by="gender", today=TODAY)
        for index in range(4):
            make_referral(given=f"Later{index}", received=datetime.date(2019, 1, 10))
        assert stats.protected_table(period=YEAR, by="gender", today=TODAY).total is not None

    def test_a_years_groups_put_each_referral_in_its_own_quarter_on_the_days_they_meet(
        self, make_referral: Callable[..., Referral]
    ) -> None:
        # One referral on the first and last day of each quarter of 2018/19, one on each side of
        # the year: the year's groups say which quarter each is in (what _check_year reads).
        edges = [day for quarter in YEAR.quarters for day in (quarter.starts_on, quarter.ends_on)]
        for day in [datetime.date(2018, 3, 31), *edges, datetime.date(2019, 4, 1)]:
            make_referral(given=f"On{day:%m%d}", received=day)

        grouped = stats.tallied_groups(YEAR, ("gender",))

        by_quarter = {row[stats.QUARTER]: tally.count for row, tally in grouped}
        assert by_quarter == {0: 2, 1: 2, 2: 2, 3: 2}

    def test_a_two_way_table_protects_every_cell_and_total(
        self, make_referral: Callable[..., Referral]
    ) -> None:
        for index in range(6):
            make_referral("adopted", given=f"Adopted{index}", born=datetime.date(2009, 6, 1))
        make_referral("received", given="Waiting", born=datetime.date(1980, 1, 1))
        table = stats.protected_table(
            period=stats.period_named("2025-26-Q4"), by="age_band", then_by="outcome", today=TODAY
        )
        assert isinstance(table, CrossTable)
        rows = dict(zip(table.row_labels, table.cells, strict=True))
        adopted = table.column_labels.index("Adopted as a Channel case")
        # Six 16-year-olds adopted: "N under-18s were adopted as Channel cases".
        assert protects(rows["16 to 17"][adopted], 6)
        assert rows["41 and over"][adopted].suppressed and rows["41 and over"][0].suppressed
        assert protects(table.total, 7)

    def test_the_sql_grouping_and_the_in_memory_grouping_agree(
        self, referrals: None, make_referral: Callable[..., Referral]
    ) -> None:
        """The property tests of the protection run on groups made in memory: the same."""
        for index in range(3):
            make_referral("adopted", given=f"Adopted{index}", received=datetime.date(2018, 6, 2))
        columns = ("age_at_referral", "gender", "route", *stats.OUTCOME_FLAGS)
        in_period = Referral.objects.filter(received_on__range=(Q1.starts_on, Q1.ends_on))
        records = [
            {
                "age_at_referral": referral.age_at_referral,
                "gender": referral.gender,
                "route": referral.route,
                "discussed": referral.discussed_on is not None,
                "adopted": referral.adopted_on is not None,
                "consent_refused": referral.consent_refused_on is not None,
                "exited": referral.exited_on is not None,
                "reviews_done": referral.reviews_completed >= 2,
                "record_key": referral.record_key,
            }
            for referral in in_period
        ]
        by_sql = sorted(stats.groups(in_period, columns), key=repr)
        in_memory = sorted(stats.group_in_memory(records, columns), key=repr)
        assert by_sql == in_memory


def test_each_referral_gets_its_own_random_record_key_hidden_from_the_audit_trail(
    make_referral: Callable[..., Referral],
) -> None:
    keys = {make_referral(given=f"Person{index}").record_key for index in range(12)}
    assert len(keys) > 1 and all(0 <= key < 256 for key in keys)
    created = AuditEvent.objects.filter(object_type="casework.referral", action="create").first()
    assert created is not None
    assert created.changes["record_key"]["after"] == "(hidden)"


def run_stats(*args: str) -> dict[str, object]:
    out = StringIO()
    call_command("referral_stats", *args, stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


class TestTheCommand:
    def test_it_prints_the_protected_table_as_json_on_its_last_line(self, referrals: None) -> None:
        result = run_stats("--period", "2018-19-Q1", "--by", "sector", "--json")
        assert result["threshold"] == 5 and result["method"] == "cell-key"
        rows = {row["label"]: row for row in result["rows"]}  # type: ignore[union-attr]
        assert rows["Police"] == {"label": "Police", "count": None, "suppressed": True}
        assert protects(Cell("", rows["Education"]["count"], False), 9)
        assert AuditEvent.objects.filter(
            action=AuditEvent.Action.EXPORT, object_type="casework.statistics"
        ).exists()

    def test_it_prints_two_way_tables(self, referrals: None) -> None:
        result = run_stats("--period", "2018-19-Q1", "--by", "age_band", "--then-by", "gender")
        assert "Female" in result["columns"]  # type: ignore[operator]

    def test_it_refuses_dates_and_periods_still_open(self) -> None:
        with pytest.raises(CommandError, match="like 2018-19"):
            run_stats("--period", "2018-05-01", "--by", "gender")
        with pytest.raises(CommandError, match="has not ended"):
            run_stats("--period", "2030-31", "--by", "gender")


class TestThePage:
    def test_the_coordinator_chooses_a_period_never_dates_or_bands(
        self, referrals: None, client_for: Callable
    ) -> None:
        client = client_for("coordinator")
        page = client.get(reverse("casework:statistics")).content.decode()
        assert 'name="period"' in page and 'name="date_from"' not in page
        assert 'name="bands"' not in page and "2018-19-Q1" in page

    def test_dates_and_bands_in_the_address_are_ignored_for_the_coordinator(
        self, referrals: None, client_for: Callable
    ) -> None:
        client = client_for("coordinator")
        asked = {
            "period": "2018-19-Q1",
            "by": "age_band",
            "bands": "0-16,17+",
            "scope": "own",
            "date_from": "2018-06-01",
            "date_to": "2018-06-01",
        }
        content = client.get(reverse("casework:statistics"), asked).content.decode()
        assert "16 to 17" in content and "16 and under" not in content
        assert "April to June 2018" in content or "2018/19 Q1" in content
        assert "Teen" not in content
        download = client.get(reverse("casework:statistics_export"), asked)
        body = b"".join(download.streaming_content).decode()
        assert "10 and under,,yes" in body and "16 and under" not in body

    def test_a_two_way_table_can_be_downloaded(self, referrals: None, client_for: Callable) -> None:
        client = client_for("board_reader")
        asked = {"period": "2018-19-Q1", "by": "age_band", "then_by": "outcome"}
        download = client.get(reverse("casework:statistics_export"), asked)
        header = b"".join(download.streaming_content).decode("utf-8-sig").splitlines()[0]
        assert header.startswith("category,Referred,") and header.endswith(",Total")

    def test_the_same_dimension_twice_is_refused_with_a_message(
        self, referrals: None, client_for: Callable
    ) -> None:
        client = client_for("coordinator")
        asked = {"period": "2018-19-Q1", "by": "gender", "then_by": "gender"}
        content = client.get(reverse("casework:statistics"), asked).content.decode()
        assert "Choose something other than" in content and "statistics-table" not in content

    def test_a_police_officer_counts_their_own_cases_exactly(
        self,
        world: World,
        referrals: None,
        make_referral: Callable[..., Referral],
        signed_in: Callable,
    ) -> None:
        make_referral(
            given="Elsewhere", force=world.other_force, received=datetime.date(2018, 6, 1)
        )
        client = signed_in(world.police)
        asked = {
            "scope": "own",
            "date_from": "2018-05-01",
            "date_to": "2018-11-30",
            "by": "age_band",
            "bands": "0-13,14-17,18+",
        }
        content = client.get(reverse("casework:statistics"), asked).content.decode()
        assert "Your cases received" in content and "exact counts of your own cases" in content
        body = b"".join(
            client.get(reverse("casework:statistics_export"), asked).streaming_content
        ).decode()
        # The other force's referral is not theirs: 2 + 7 + 6, not 16.
        assert "13 and under,2,no" in body and "Total,15," in body
