"""Dates a report asks about become the whole reporting periods the protection publishes."""

from __future__ import annotations

import datetime

import pytest

from preventhub.reports import figures

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 5)
d = datetime.date


def codes(date_from: datetime.date, date_to: datetime.date) -> list[str]:
    return [p.code for p in figures.covering_periods(date_from, date_to, today=TODAY).periods]


def test_dates_within_one_quarter_are_that_quarter() -> None:
    assert codes(d(2018, 7, 3), d(2018, 8, 20)) == ["2018-19-Q2"]


def test_dates_across_quarters_of_one_year_are_the_year_and_the_note_says_so() -> None:
    covering = figures.covering_periods(d(2018, 5, 1), d(2018, 11, 30), today=TODAY)
    assert [p.code for p in covering.periods] == ["2018-19"]
    assert "covering 1 May 2018 to 30 November 2018" in covering.note
    assert "published only for whole periods" in covering.note


def test_a_whole_quarter_asked_for_needs_no_explanation() -> None:
    covering = figures.covering_periods(d(2018, 7, 1), d(2018, 9, 30), today=TODAY)
    assert covering.note == "Figures for 2018/19 Q2."


def test_dates_across_two_years_are_their_quarters() -> None:
    assert codes(d(2018, 12, 1), d(2019, 5, 31)) == [
        "2018-19-Q3",
        "2018-19-Q4",
        "2019-20-Q1",
    ]


def test_a_period_that_has_not_ended_is_refused() -> None:
    with pytest.raises(figures.FigureError, match="has not ended"):
        figures.covering_periods(d(2026, 10, 1), d(2026, 11, 30), today=TODAY)


def test_dates_that_end_before_they_start_are_refused() -> None:
    with pytest.raises(figures.FigureError, match="end before they start"):
        figures.covering_periods(d(2018, 11, 30), d(2018, 5, 1), today=TODAY)


BANDS = [
    "10 and under", "11 to 15", "16 to 17", "18 to 20", "21 to 30", "31 to 40", "41 and over",
    "Age not known",
]  # fmt: skip


class TestTheMajorityOfReferrals:
    """'The majority were aged …' names the narrowest run of neighbouring bands holding more than
    half, judged from the counts the protection publishes and nothing else."""

    def test_is_one_band_when_one_band_holds_more_than_half(self) -> None:
        assert figures._majority_words(BANDS, {"11 to 15": 50, "16 to 17": 25}, 80) == "11 to 15"

    def test_joins_neighbouring_bands_when_none_holds_half_alone(self) -> None:
        published = {"11 to 15": 30, "16 to 17": 25, "21 to 30": 20}
        assert figures._majority_words(BANDS, published, 80) == "11 to 17"

    def test_says_under_or_over_at_the_ends(self) -> None:
        assert figures._majority_words(BANDS, {"10 and under": 30, "11 to 15": 20}, 80) == (
            "15 and under"
        )
        assert figures._majority_words(BANDS, {"31 to 40": 30, "41 and over": 20}, 80) == (
            "31 and over"
        )

    def test_never_counts_through_a_withheld_band(self) -> None:
        # 16 to 17 is withheld: 11 to 15 and 18 to 20 may not be joined across it.
        published = {"11 to 15": 30, "18 to 20": 30, "21 to 30": 5}
        assert figures._majority_words(BANDS, published, 80) == "no majority band"

    def test_says_nothing_when_the_total_is_withheld(self) -> None:
        assert figures._majority_words(BANDS, {"11 to 15": 30}, None) == "no majority band"

    def test_age_not_known_is_never_an_age(self) -> None:
        published = {"Age not known": 60, "11 to 15": 10}
        assert figures._majority_words(BANDS, published, 80) == "no majority band"
