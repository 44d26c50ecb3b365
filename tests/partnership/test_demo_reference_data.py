"""The demo's organisations load even where the sectors the migrations seed have been removed.

Apart from tests/demo, whose tests share one load of the whole demo: this one needs a database
without it, so it loads only the part that needs the sectors.
"""

from __future__ import annotations

import pytest

from preventhub.demo.partnership import load_organisations
from preventhub.demo.services import _load_areas
from preventhub.partnership.models import Organisation, Sector

pytestmark = pytest.mark.django_db


def test_the_demo_loads_after_the_database_was_emptied_of_reference_data() -> None:
    Sector.objects.all().delete()
    load_organisations(_load_areas())
    assert Sector.objects.filter(code="local-authority", is_specified_authority=True).exists()
    assert not Organisation.objects.filter(sector__isnull=True).exists()
