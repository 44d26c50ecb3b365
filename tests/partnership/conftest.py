from __future__ import annotations

import datetime

import pytest

from preventhub.partnership import services
from preventhub.partnership.models import Area, Board, Organisation


@pytest.fixture
def council(county: Area) -> Organisation:
    return services.save_organisation(name="Shire County Council", sector=None, area=county)


@pytest.fixture
def prevent_board(db: None) -> Board:
    return services.save_board(name="Shire Prevent Board", kind=Board.Kind.PREVENT_BOARD, quorum=2)


@pytest.fixture
def today() -> datetime.date:
    return datetime.date.today()
