from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import loaded_demo


@pytest.fixture(scope="package")
def demo_printed(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[str]:
    """The demo, loaded once for the tests here that build its reports."""
    yield from loaded_demo(django_db_blocker, tmp_path_factory)
