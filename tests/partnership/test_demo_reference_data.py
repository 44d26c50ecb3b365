"""The demo loads even where the sectors the migrations seed have been removed.

Apart from tests/demo, whose tests share one load: this one needs a database without the demo.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from preventhub.partnership.models import Sector

pytestmark = pytest.mark.django_db


def test_the_demo_loads_after_the_database_was_emptied_of_reference_data() -> None:
    Sector.objects.all().delete()
    call_command("demo", stdout=StringIO())
    assert Sector.objects.filter(code="local-authority", is_specified_authority=True).exists()
