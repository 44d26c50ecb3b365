"""The demo's year of partner returns: training and local profile data for 2018/19."""

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
        (f"2018/19 Q{quarter}", kind) for quarter in (1, 2, 3, 4) for kind in ("ctlp", "training")
    ]
    assert TrainingSession.objects.filter(held_on__year=2018).count() > 100
    assert IndicatorValue.objects.count() > 300
    # Some late, one returned for correction in Q3.
    assert PartnerReturn.objects.filter(is_late=True).count() > 5
    returned = PartnerReturn.objects.get(status="returned")
    assert returned.window.period.name == "2018/19 Q3"
    assert returned.events.filter(kind="returned").exists()
    # The demo partner lead's Q4 returns are still owed, so their home page shows them.
    owed = PartnerReturn.objects.filter(
        organisation__name="Demo Integrated Care Board (fictional)",
        window__period__name="2018/19 Q4",
    )
    assert sorted(found.status for found in owed) == ["draft", "draft"]
