from __future__ import annotations

import datetime

import pytest

from preventhub.core.calendar import add_months
from preventhub.core.figures import percent, percent_text, with_base


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

    def test_one_of_345_is_less_than_1_percent_not_0(self) -> None:
        assert with_base(1, 345) == "1 of 345 (less than 1%)"
        assert percent_text(1, 345) == "less than 1%"
        assert with_base(0, 345) == "0 of 345 (0%)"

    def test_344_of_345_is_more_than_99_percent_not_100(self) -> None:
        assert with_base(344, 345) == "344 of 345 (more than 99%)"
        assert with_base(345, 345) == "345 of 345 (100%)"

    def test_templates_write_a_share_by_the_same_rule(self) -> None:
        from django.template import Context, Template

        rendered = Template("{{ 1|share_of:345 }}; {{ 85|share_of:100 }}; [{{ 1|share_of:0 }}]")
        assert rendered.render(Context()) == "less than 1%; 85%; []"


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
