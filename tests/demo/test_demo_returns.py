"""The demo's partner returns: training and local profile data, in 2018/19 and this year."""

from __future__ import annotations

import pytest

from preventhub.localprofile.models import IndicatorValue
from preventhub.partnership.models import Organisation
from preventhub.returns.models import PartnerReturn, ReturnWindow
from preventhub.training.models import TrainingSession, WorkforceFigure

pytestmark = pytest.mark.django_db


def test_it_loads_a_year_of_returns_from_about_sixty_organisations(demo_printed: str) -> None:
    with_workforce = Organisation.objects.filter(workforce__isnull=False).distinct().count()
    assert 55 <= with_workforce <= 65
    assert WorkforceFigure.objects.count() > 100
    windows = sorted(ReturnWindow.objects.values_list("period__name", "kind"))
    assert windows == [
        (f"{year} Q{quarter}", kind)
        for year, quarters in (("2018/19", (1, 2, 3, 4)), ("2026/27", (1, 2, 3)))
        for quarter in quarters
        for kind in ("ctlp", "training")
    ]
    assert TrainingSession.objects.filter(held_on__year=2018).count() > 100
    assert IndicatorValue.objects.count() > 300
    assert PartnerReturn.objects.filter(is_late=True).count() > 5


def test_the_history_is_all_in_the_one_sent_back_was_sent_again_and_accepted(
    demo_printed: str,
) -> None:
    history = PartnerReturn.objects.filter(window__period__name__startswith="2018/19")
    assert set(history.values_list("status", flat=True)) == {"accepted"}
    corrected = history.get(events__kind="returned")
    assert corrected.window.period.name == "2018/19 Q3"


def test_this_years_last_closed_quarter_has_one_return_sent_back_for_correction(
    demo_printed: str,
) -> None:
    returned = PartnerReturn.objects.get(status="returned")
    assert returned.window.period.name == "2026/27 Q2"
    assert returned.events.filter(kind="returned").exists()


def test_the_open_quarters_returns_are_due_some_late_and_the_partner_leads_still_owed(
    demo_printed: str,
) -> None:
    import datetime

    open_quarter = PartnerReturn.objects.filter(window__period__name="2026/27 Q3")
    assert {window.due_on for window in ReturnWindow.objects.filter(period__name="2026/27 Q3")} == {
        datetime.date(2026, 12, 2)
    }
    assert open_quarter.filter(is_late=True).exists()
    owed = open_quarter.filter(organisation__name="Demo Integrated Care Board (fictional)")
    assert sorted(found.status for found in owed) == ["draft", "draft"]
