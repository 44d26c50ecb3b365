"""The reporting calendar: the quarters every part of the partnership reports for."""

from __future__ import annotations

import datetime

import pytest

from preventhub.partnership import queries, services
from preventhub.partnership.models import ReportingPeriod

pytestmark = pytest.mark.django_db

DUE = datetime.date(2019, 1, 14)


class TestCreatingAQuarter:
    def test_it_is_named_and_dated_as_a_financial_quarter(self) -> None:
        period = services.create_period(year=2018, quarter=3, updates_due_on=DUE)
        assert (period.name, period.starts_on, period.ends_on, period.status) == (
            "2018/19 Q3",
            datetime.date(2018, 10, 1),
            datetime.date(2018, 12, 31),
            ReportingPeriod.Status.PLANNED,
        )

    def test_it_is_refused_twice(self) -> None:
        services.create_period(year=2018, quarter=3, updates_due_on=DUE)
        with pytest.raises(services.PartnershipError, match="2018/19 Q3 already exists"):
            services.create_period(year=2018, quarter=3, updates_due_on=DUE)


class TestOpeningAndClosing:
    def test_the_open_quarter_is_the_one_taking_updates(self) -> None:
        assert queries.period_taking_updates() is None
        period = services.open_period(
            period=services.create_period(year=2018, quarter=3, updates_due_on=DUE)
        )
        assert queries.period_taking_updates() == period

    def test_a_closed_quarter_cannot_be_opened_or_closed_again(self) -> None:
        period = services.open_period(
            period=services.create_period(year=2018, quarter=3, updates_due_on=DUE)
        )
        closed = services.close_period(period=period)
        assert closed.status == ReportingPeriod.Status.CLOSED and closed.closed_at is not None
        assert queries.period_taking_updates() is None
        with pytest.raises(services.PartnershipError, match="cannot be opened"):
            services.open_period(period=closed)
        with pytest.raises(services.PartnershipError, match="not open, so it cannot be closed"):
            services.close_period(period=closed)
