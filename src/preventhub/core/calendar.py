"""The reporting calendar: financial years from April to March, in four quarters.

Shared by every part that reports by quarter (the Delivery Plan, returns, statistics), so none
of them imports another domain for it.
"""

from __future__ import annotations

import datetime


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


def quarter_of(on: datetime.date) -> tuple[str, datetime.date, datetime.date]:
    """The financial-year quarter (April to March) that ``on`` falls in."""
    return financial_quarter(financial_year_of(on), (on.month - 4) % 12 // 3 + 1)


def financial_year(year: int) -> tuple[str, datetime.date, datetime.date]:
    """Name, first and last day of the financial year from April ``year``."""
    return (
        f"{year}/{(year + 1) % 100:02d}",
        datetime.date(year, 4, 1),
        datetime.date(year + 1, 3, 31),
    )
