"""The demo, loaded once for all the tests of this folder and rolled back after them.

``manage.py demo`` takes seconds and grows with every app, so the tests here share one load:
it runs inside a transaction that stays open while they run (each test's own transaction is a
savepoint within it, rolled back after the test) and is rolled back at the end.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import loaded_demo


@pytest.fixture(scope="package")
def demo_printed(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[str]:
    """What ``manage.py demo`` printed; the demo is in the database for the tests here."""
    yield from loaded_demo(django_db_blocker, tmp_path_factory)
