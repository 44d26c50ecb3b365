"""Statistics by period and dimension, protected before they leave casework."""

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
from preventhub.casework.models import Referral
from preventhub.core.models import AuditEvent
from tests.casework.conftest import World

pytestmark = pytest.mark.django_db

PERIOD = {"date_from": datetime.date(2018, 5, 1), "date_to": datetime.date(2018, 11, 30)}


@pytest.fixture
def referrals(make_referral: Callable[..., Referral]) -> None:
    """In May–November 2018: 7 aged 14–17, 2 aged 12, 6 adults; one more outside the period."""
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
    make_referral(given="Later", received=datetime.date(2018, 12, 1))


def test_counts_cover_only_the_period(referrals: None) -> None:
    rows = dict(stats.counts(**PERIOD, by="gender"))
    assert rows == {"Female": 6, "Male": 9, "Other": 0, "Not known": 0}


def test_home_office_age_bands(referrals: None) -> None:
    # Born 2002: 16 in June 2018; born 2006: 12; born 1990: 28.
    assert dict(stats.counts(**PERIOD, by="age_band")) == {
        "10 and under": 0,
        "11 to 15": 2,
        "16 to 17": 7,
        "18 to 20": 0,
        "21 to 30": 6,
        "31 to 40": 0,
        "41 and over": 0,
        "Age not known": 0,
    }


def test_custom_age_bands_like_14_to_17(referrals: None) -> None:
    bands = stats.parse_bands("0-13, 14-17, 18+")
    assert dict(stats.counts(**PERIOD, by="age_band", bands=bands)) == {
        "13 and under": 2,
        "14 to 17": 7,
        "18 and over": 6,
        "Age not known": 0,
    }


def test_ages_outside_custom_bands_are_counted_as_other(referrals: None) -> None:
    rows = dict(stats.counts(**PERIOD, by="age_band", bands=stats.parse_bands("14-17")))
    assert rows == {"14 to 17": 7, "Other ages": 8, "Age not known": 0}


@pytest.mark.parametrize(
    "text,message",
    [("14to17", "Write each band"), ("17-14", "ends before"), ("0-14, 10-20", "overlap")],
)
def test_unreadable_bands_are_refused(text: str, message: str) -> None:
    with pytest.raises(stats.BandError, match=message):
        stats.parse_bands(text)


def test_the_protected_table_suppresses_small_cells(referrals: None) -> None:
    table = stats.protected_table(
        **PERIOD, by="age_band", bands=stats.parse_bands("0-13,14-17,18+")
    )
    shown = {cell.label: cell.count for cell in table.cells}
    # 2 is small and "not known" is 0: both hidden; they add to 2, which is not 0, so no
    # third cell is needed.
    assert shown == {"13 and under": None, "14 to 17": 7, "18 and over": 6, "Age not known": None}
    assert table.total == 15


def test_outcomes_count_each_milestone(
    world: World, make_referral: Callable[..., Referral]
) -> None:
    for index in range(5):
        make_referral("adopted", given=f"Adopted{index}")
    rows = dict(
        stats.counts(
            date_from=datetime.date(2026, 1, 1), date_to=datetime.date(2026, 12, 31), by="outcome"
        )
    )
    assert rows["Referred"] == rows["Discussed at a Channel panel"] == 5
    assert rows["Adopted as a Channel case"] == 5 and rows["Signposted to other services"] == 0
    table = stats.protected_table(
        date_from=datetime.date(2026, 1, 1), date_to=datetime.date(2026, 12, 31), by="outcome"
    )
    assert table.total == 5 and table.cells[2].suppressed  # 0 signposted is hidden


def run_stats(*args: str) -> dict[str, object]:
    out = StringIO()
    call_command("referral_stats", *args, stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


def test_the_command_prints_the_protected_table_as_json_on_its_last_line(
    referrals: None,
) -> None:
    result = run_stats("--from", "2018-05-01", "--to", "2018-11-30", "--by", "sector", "--json")
    assert result["threshold"] == 5 and result["total"] == 15
    rows = {row["label"]: row for row in result["rows"]}  # type: ignore[union-attr]
    assert rows["Education"] == {"label": "Education", "count": 9, "suppressed": False}
    # Five sectors had nobody: hidden, they would add up to 0 and so be known to be 0, so
    # Health's 6 is hidden with them (secondary suppression).
    assert rows["Health"] == {"label": "Health", "count": None, "suppressed": True}
    assert rows["Police"] == {"label": "Police", "count": None, "suppressed": True}
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORT, object_type="casework.statistics"
    ).exists()


def test_the_command_refuses_bad_dates() -> None:
    with pytest.raises(CommandError, match="ISO dates"):
        run_stats("--from", "1 May 2018", "--to", "2018-11-30", "--by", "gender")


def test_the_coordinators_page_shows_only_the_protected_table(
    referrals: None, client_for: Callable
) -> None:
    client = client_for("coordinator")
    response = client.get(
        reverse("casework:statistics"),
        {
            "date_from": "2018-05-01",
            "date_to": "2018-11-30",
            "by": "age_band",
            "bands": "0-13,14-17,18+",
        },
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "14 to 17" in content and "[c]" in content
    assert ">2<" not in content and "Teen" not in content
    download = client.get(
        reverse("casework:statistics_export"),
        {
            "date_from": "2018-05-01",
            "date_to": "2018-11-30",
            "by": "age_band",
            "bands": "0-13,14-17,18+",
        },
    )
    body = b"".join(download.streaming_content).decode()
    assert "13 and under,,yes" in body and "14 to 17,7,no" in body
