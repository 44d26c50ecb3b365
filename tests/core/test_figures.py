from __future__ import annotations

import datetime

import pytest

from preventhub.core.calendar import add_months
from preventhub.core.figures import percent, with_base


class TestPercent:
    @pytest.mark.parametrize(
        ("part", "whole", "expected"),
        [(1, 8, 13), (1, 3, 33), (39, 40, 98), (399, 411, 97), (0, 9, 0), (3, 3, 100)],
    )
    def test_it_rounds_halves_up_to_a_whole_percent(
        self, part: int, whole: int, expected: int
    ) -> None:
        assert percent(part, whole) == expected

    def test_there_is_no_percentage_of_nothing(self) -> None:
        assert percent(0, 0) is None
        assert with_base(0, 0) == "0 of 0"

    def test_a_count_is_written_with_its_base(self) -> None:
        assert with_base(399, 411) == "399 of 411 (97%)"


class TestAddMonths:
    @pytest.mark.parametrize(
        ("day", "months", "expected"),
        [
            (datetime.date(2019, 5, 31), -3, datetime.date(2019, 2, 28)),
            (datetime.date(2020, 5, 31), -3, datetime.date(2020, 2, 29)),
            (datetime.date(2018, 11, 15), 6, datetime.date(2019, 5, 15)),
            (datetime.date(2019, 1, 31), 1, datetime.date(2019, 2, 28)),
            (datetime.date(2019, 1, 10), -13, datetime.date(2017, 12, 10)),
        ],
    )
    def test_it_keeps_the_day_or_takes_the_months_last(
        self, day: datetime.date, months: int, expected: datetime.date
    ) -> None:
        assert add_months(day, months) == expected
