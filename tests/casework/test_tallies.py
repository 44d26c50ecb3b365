"""The referral tallies the database keeps: always the referrals' own counts, however the
referrals were written, changed or deleted, so every protected table read from them is the
table counted from the referrals themselves."""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Callable
from itertools import combinations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import F

from preventhub.casework import services, stats
from preventhub.casework.models import ConcernType, Referral, ReferralTally
from preventhub.core.models import AuditEvent
from tests.casework.conftest import World

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("preventhub.casework.migrations.0009_referral_tallies")
YEAR = stats.period_named("2025-26")
PERIODS = (YEAR, *YEAR.quarters)


def every_table() -> list[tuple[str, ...]]:
    names = sorted(stats.DIMENSIONS)
    return [(name,) for name in names] + list(combinations(names, 2))


def counted_from_tallies(period: stats.Period, dimensions: tuple[str, ...]) -> stats.Tallies:
    row, column = stats.dimension(dimensions[0]), None
    if len(dimensions) == 2:
        column = stats.dimension(dimensions[1])
    return stats.tabulate(stats.tallied_groups(period, dimensions), row, column)


def counted_from_referrals(period: stats.Period, dimensions: tuple[str, ...]) -> stats.Tallies:
    row, column = stats.dimension(dimensions[0]), None
    if len(dimensions) == 2:
        column = stats.dimension(dimensions[1])
    received = Referral.objects.filter(received_on__range=(period.starts_on, period.ends_on))
    columns = row.columns + (column.columns if column else ())
    return stats.tabulate(stats.groups(received, columns), row, column)


def assert_tallies_are_the_referrals() -> None:
    for period in PERIODS:
        for dimensions in every_table():
            assert counted_from_tallies(period, dimensions) == counted_from_referrals(
                period, dimensions
            ), f"{period.code} by {' and '.join(dimensions)}"
    assert not ReferralTally.objects.filter(referrals__lte=0).exists()
    assert stats.tallies_that_differ() == []


def every_tally() -> list[tuple[object, ...]]:
    return sorted(
        ReferralTally.objects.values_list(
            "quarter", "dimensions", "first_value", "second_value", "referrals", "key_sum"
        )
    )


def written_straight(world: World, number: int, **values: object) -> Referral:
    """A referral as ``bulk_create`` or a data migration would write it: no service, no save()."""
    fields = {
        "reference": f"PR2025-T{number:05d}",
        "received_on": datetime.date(2025, 7, 1),
        "source": Referral.Source.POLICE,
        "force": world.force,
        "referrer_sector": "health",
        "age_at_referral": 19,
        "gender": "female",
        "district": None,
        "concern_type": ConcernType.objects.get(name="Extreme right-wing"),
        "awareness": Referral.Awareness.NOT_KNOWN,
        "stage": Referral.Stage.CLOSED,
    } | values
    return Referral(**fields)


@pytest.fixture
def referrals(make_referral: Callable[..., Referral], world: World) -> list[Referral]:
    """Referrals of 2025/26 and either side of it, at every stage, on the quarters' edges, of
    every age band, with and without a district and an age."""
    made = []
    days = [datetime.date(2025, 3, 31), datetime.date(2025, 4, 1), datetime.date(2025, 6, 30)]
    days += [datetime.date(2025, 10, 1), datetime.date(2026, 1, 5), datetime.date(2026, 4, 1)]
    stages = ("received", "triaged", "channel", "adopted", "police_led")
    births = (datetime.date(2015, 1, 1), datetime.date(2009, 6, 1), None, datetime.date(1980, 2, 2))
    for number, day in enumerate(days * 2):
        made.append(
            make_referral(
                stages[number % len(stages)],
                given=f"Person{number}",
                received=day,
                born=births[number % len(births)],
                gender=("male", "female", "other")[number % 3],
                sector=("education", "health")[number % 2],
                district=world.district if number % 2 else None,
            )
        )
    return made


class TestTheTallies:
    def test_give_every_table_of_a_year_and_its_quarters_as_the_referrals_do(
        self, referrals: list[Referral]
    ) -> None:
        assert ReferralTally.objects.exists()
        assert_tallies_are_the_referrals()

    def test_follow_a_referral_whose_intake_is_corrected_into_another_quarter_and_category(
        self, referrals: list[Referral], world: World
    ) -> None:
        moved = Referral.objects.get(pk=referrals[4].pk)  # received on 5 January 2026
        services.correct_intake(
            referral=moved,
            by=world.police,
            expected_version=moved.version,
            reason="Received earlier than recorded",
            received_on=datetime.date(2025, 5, 2),
            referrer_organisation="Test Academy",
            referrer_sector="health",
            referrer_name="Riley Referrer",
            subject=services.Subject("Moved", "Example", None, "female", None),
            concern_type=ConcernType.objects.get(name="Extreme right-wing"),
            concerns="Shared violent propaganda in class",
            awareness="not_aware",
        )
        assert_tallies_are_the_referrals()

    def test_follow_referrals_written_in_bulk_changed_in_bulk_and_deleted(
        self, referrals: list[Referral], world: World
    ) -> None:
        Referral.objects.bulk_create(
            written_straight(world, number, age_at_referral=number * 7 or None)
            for number in range(12)
        )
        Referral.objects.filter(reference__startswith="PR2025-T").filter(
            age_at_referral__lt=40
        ).update(route="channel", discussed_on=datetime.date(2025, 8, 1), reviews_completed=2)
        Referral.objects.filter(reference="PR2025-T00003").update(
            received_on=datetime.date(2026, 2, 1), record_key=200
        )
        Referral.objects.filter(reference__in=["PR2025-T00001", "PR2025-T00002"]).delete()
        assert_tallies_are_the_referrals()

    def test_keep_no_category_once_its_last_referral_has_left_it(self, world: World) -> None:
        Referral.objects.bulk_create([written_straight(world, 1)])
        Referral.objects.update(gender="male")
        assert set(
            ReferralTally.objects.filter(dimensions="gender+sector").values_list(
                "first_value", flat=True
            )
        ) == {"male"}
        Referral.objects.all().delete()
        assert not ReferralTally.objects.exists()

    def test_a_change_to_what_is_not_counted_leaves_them_alone(
        self, referrals: list[Referral]
    ) -> None:
        before = list(ReferralTally.objects.order_by("pk").values())
        Referral.objects.update(legal_hold=True, closed_on=datetime.date(2026, 3, 1))
        assert list(ReferralTally.objects.order_by("pk").values()) == before


class TestTheMigration:
    def test_fills_the_tallies_of_the_referrals_already_there(
        self, referrals: list[Referral]
    ) -> None:
        kept = every_tally()
        ReferralTally.objects.all().delete()
        with connection.cursor() as cursor:
            for statement in MIGRATION.backfill(connection.vendor):
                cursor.execute(statement)
        assert every_tally() == kept

    def test_writes_each_dimension_as_the_statistics_read_it(self) -> None:
        assert MIGRATION.BAND_LOWS == tuple(band.low for band in stats.HOME_OFFICE_BANDS)
        assert (
            sorted(MIGRATION.values("")) == sorted(stats.DIMENSIONS) == sorted(stats.TALLY_VALUES)
        )
        assert (
            MIGRATION.PAIRS == stats.TALLY_PAIRS == tuple(combinations(sorted(stats.DIMENSIONS), 2))
        )

    def test_takes_the_audit_chain_s_lock_on_postgresql(self) -> None:
        from preventhub.core.audit import CHAIN_LOCK_KEY

        assert MIGRATION.CHAIN_LOCK_KEY == CHAIN_LOCK_KEY
        assert f"pg_advisory_xact_lock({CHAIN_LOCK_KEY})" in MIGRATION.triggers("postgresql")[0]


class TestTheCheck:
    def test_passes_when_the_tallies_are_the_referrals(
        self, referrals: list[Referral], capsys: pytest.CaptureFixture[str]
    ) -> None:
        call_command("check_referral_tallies")
        assert "Every referral tally is what the referrals hold" in capsys.readouterr().out

    def test_names_the_quarter_and_pair_of_a_tally_changed_behind_the_triggers_and_no_count(
        self, referrals: list[Referral], capsys: pytest.CaptureFixture[str]
    ) -> None:
        changed = ReferralTally.objects.filter(dimensions="gender+sector").order_by("pk").first()
        assert changed is not None
        ReferralTally.objects.filter(pk=changed.pk).update(referrals=F("referrals") + 1)
        with pytest.raises(CommandError, match="1 quarters and pairs") as refused:
            call_command("check_referral_tallies")
        assert refused.value.returncode == 1
        said = capsys.readouterr().err.strip()
        assert said == f"{changed.quarter:%Y-%m} gender+sector"

    def test_rebuild_puts_back_every_tally_and_records_it(
        self, referrals: list[Referral], capsys: pytest.CaptureFixture[str]
    ) -> None:
        kept = every_tally()
        ReferralTally.objects.filter(dimensions__startswith="age_band").delete()
        ReferralTally.objects.filter(dimensions="gender+outcome").update(key_sum=0)
        call_command("check_referral_tallies", "--rebuild")
        assert "Every referral tally is what the referrals hold" in capsys.readouterr().out
        assert every_tally() == kept
        entry = AuditEvent.objects.filter(object_type="casework.referraltally").get()
        assert entry.actor_label == "manage.py check_referral_tallies"
