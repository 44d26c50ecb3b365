"""The demo, loaded once for all the tests of this folder and rolled back after them.

``manage.py demo`` takes seconds and grows with every app, so the tests here share one load:
it runs inside a transaction that stays open while they run (each test's own transaction is a
savepoint within it, rolled back after the test) and is rolled back at the end.

The demo lives in the day it is loaded, so the load and the tests run on a fixed day,
5 December 2026 (financial year 2026/27, its third quarter open), with the clock ticking from
there: the figures they check do not depend on when the tests run.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from tests.conftest import loaded_demo

DEMO_TODAY = datetime.date(2026, 12, 5)


@pytest.fixture(scope="package")
def demo_printed(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[str]:
    """What ``manage.py demo`` printed; the demo is in the database for the tests here."""
    with time_machine.travel(
        datetime.datetime.combine(DEMO_TODAY, datetime.time(9, tzinfo=datetime.UTC)), tick=True
    ):
        yield from loaded_demo(django_db_blocker, tmp_path_factory)
