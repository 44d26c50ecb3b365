"""The dates of the reporting calendar: financial years from April to March, in four quarters,
and month arithmetic. Touches no database (the quarters themselves are
``partnership.models.ReportingPeriod``).

Shared by every part that reports by quarter or counts months (the Delivery Plan, returns,
training, statistics), so none of them imports another domain for it.
"""

from __future__ import annotations

import datetime

# The dates Prevent Hub takes from people and files. Nothing it records (a referral, a meeting, a
# date of birth, a due day) falls outside them, and a date near the ends of Python's calendar
# (year 1 or 9999) breaks the arithmetic done on it (a due day 30 days on, a month's weeks):
# once saved, the error page on every page that reads it.
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2999, 12, 31)


def is_plausible(on: datetime.date) -> bool:
    """Whether ``on`` is a date Prevent Hub takes (:data:`EARLIEST_DATE` to :data:`LATEST_DATE`)."""
    return EARLIEST_DATE <= on <= LATEST_DATE


def financial_quarter(year: int, quarter: int) -> tuple[str, datetime.date, datetime.date]:
    """Name, first and last day of quarter 1–4 of the financial year from April ``year``."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError("A financial year has quarters 1 to 4.")
    first_month = 4 + 3 * (quarter - 1)
    start_year = year + (first_month - 1) // 12
    start = datetime.date(start_year, (first_month - 1) % 12 + 1, 1)
    next_month = first_month + 3
    end = datetime.date(
        year + (next_month - 1) // 12, (next_month - 1) % 12 + 1, 1
    ) - datetime.timedelta(days=1)
    return f"{year}/{(year + 1) % 100:02d} Q{quarter}", start, end


def financial_year_of(on: datetime.date) -> int:
    """The year in which the financial year holding ``on`` began (April)."""
    return on.year if on.month >= 4 else on.year - 1


def quarter_number_of(on: datetime.date) -> int:
    """Which quarter, 1 to 4, of its financial year ``on`` falls in (April to June is 1)."""
    return (on.month - 4) % 12 // 3 + 1


def quarter_of(on: datetime.date) -> tuple[str, datetime.date, datetime.date]:
    """The financial-year quarter (April to March) that ``on`` falls in."""
    return financial_quarter(financial_year_of(on), quarter_number_of(on))


def financial_year(year: int) -> tuple[str, datetime.date, datetime.date]:
    """Name, first and last day of the financial year from April ``year``."""
    return (
        f"{year}/{(year + 1) % 100:02d}",
        datetime.date(year, 4, 1),
        datetime.date(year + 1, 3, 31),
    )


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (earlier if negative), or that month's last day when it is
    shorter (31 May less 3 months is 28 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has 28 days


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later, or 28 February for 29 February in a year without one."""
    return add_months(day, 12 * years)


def default_updates_due_on(period_end: datetime.date) -> datetime.date:
    """Two weeks after a quarter ends, when partners usually report."""
    return period_end + datetime.timedelta(days=14)
