"""Attacks on the referral statistics, tried on many made-up partnerships (hypothesis).

Each test plays someone outside case work who may ask for any table the statistics allow and
combines the answers: overlapping periods, nested age bands, categories switched on and off,
totals against cells. None may learn that a particular person is counted, or a count below the
threshold exactly. The tables are built by the same code as the page (``stats.tabulate`` and
``stats.build_table``) from groups made in memory, which a database test shows are the groups
SQL makes (test_stats.py).
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from preventhub.casework import stats
from preventhub.casework.forms import StatisticsForm
from preventhub.casework.models import Gender, Referral
from preventhub.core.disclosure import KEY_SPACE, CrossTable, ProtectedTable, change_for

THRESHOLD = 5
YEAR = stats.period_named("2018-19")
QUARTERS = YEAR.quarters
# The dimensions whose categories need no database: the others are tested in test_stats.py.
PURE = ("age_band", "gender", "outcome")

ROUTES = ["", *Referral.Route.values]


@st.composite
def referral(draw: Any) -> dict[str, Any]:
    route = draw(st.sampled_from(ROUTES))
    discussed = route == Referral.Route.CHANNEL and draw(st.booleans())
    adopted = discussed and draw(st.booleans())
    exited = adopted and draw(st.booleans())
    return {
        "received_on": YEAR.starts_on + datetime.timedelta(days=draw(st.integers(0, 364))),
        "age_at_referral": draw(st.one_of(st.none(), st.integers(0, 90))),
        "gender": draw(st.sampled_from(Gender.values)),
        "route": route,
        "discussed": discussed,
        "adopted": adopted,
        "consent_refused": discussed and not adopted and draw(st.booleans()),
        "exited": exited,
        "reviews_done": exited and draw(st.booleans()),
        "record_key": draw(st.integers(0, KEY_SPACE - 1)),
    }


partnerships = st.lists(referral(), min_size=0, max_size=60)
# Years busy enough that most of them are published, so the attack has something to attack
# (small years are mostly refused, and hypothesis would discard too many of them).
busy_partnerships = st.lists(referral(), min_size=20, max_size=60)


def table(
    records: list[dict[str, Any]], by: str, then_by: str = "", period: stats.Period = YEAR
) -> ProtectedTable | CrossTable:
    rows = stats.dimension(by)
    columns = stats.dimension(then_by) if then_by else None
    chosen = [r for r in records if period.starts_on <= r["received_on"] <= period.ends_on]
    wanted = rows.columns + (columns.columns if columns else ())
    tallies = stats.tabulate(stats.group_in_memory(chosen, wanted), rows, columns)
    return stats.build_table(tallies, rows, columns, threshold=THRESHOLD, exact=False)


def in_period(records: list[dict[str, Any]], period: stats.Period) -> list[dict[str, Any]]:
    return [r for r in records if period.starts_on <= r["received_on"] <= period.ends_on]


def year_published(records: list[dict[str, Any]]) -> bool:
    return stats.year_differs_enough(
        len(in_period(records, YEAR)),
        [len(in_period(records, quarter)) for quarter in QUARTERS],
        threshold=THRESHOLD,
    )


def preimage(shown: int) -> range:
    """The true counts a shown number can have come from (the published table's reach)."""
    return range(max(THRESHOLD, shown - 2), shown + 3)


pytestmark = pytest.mark.django_db  # labels of the pure dimensions read no rows, but Django loads

SETTINGS = settings(deadline=None, max_examples=120, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(
    first=st.dates(datetime.date(2000, 1, 1), datetime.date(2026, 1, 1)),
    days=st.integers(0, 800),
    bands=st.text(alphabet="0123456789-+, ", max_size=12),
    period=st.sampled_from([YEAR, *QUARTERS]),
    scope=st.sampled_from(["own", "partnership", "anything"]),
)
def test_someone_outside_case_work_can_ask_only_for_whole_periods_and_standard_bands(
    first: datetime.date, days: int, bands: str, period: stats.Period, scope: str
) -> None:
    """Overlapping ranges and nested bands: dates, bands and a scope in the request change
    nothing; what is counted is always one whole period, in the Home Office's bands."""
    asked = {
        "scope": scope,
        "period": period.code,
        "date_from": first.isoformat(),
        "date_to": (first + datetime.timedelta(days=days)).isoformat(),
        "bands": bands,
        "by": "age_band",
    }
    form = StatisticsForm(asked, periods=[YEAR, *QUARTERS], own_cases=False)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["scope"] == "partnership"
    assert form.cleaned_data["reporting_period"] == period
    assert "date_from" not in form.cleaned_data and "age_bands" not in form.cleaned_data


@SETTINGS
@given(records=partnerships, by=st.sampled_from(PURE), then_by=st.sampled_from(("", *PURE)))
def test_categories_are_the_same_whoever_is_counted(
    records: list[dict[str, Any]], by: str, then_by: str
) -> None:
    """Categories switched on and off: a row is never there only because someone is in it."""
    assume(by != then_by)
    counted, nobody = table(records, by, then_by), table([], by, then_by)
    if isinstance(counted, ProtectedTable):
        assert isinstance(nobody, ProtectedTable)
        assert [cell.label for cell in counted.cells] == [cell.label for cell in nobody.cells]
    else:
        assert isinstance(nobody, CrossTable)
        assert (counted.row_labels, counted.column_labels) == (
            nobody.row_labels,
            nobody.column_labels,
        )


@SETTINGS
@given(records=partnerships, by=st.sampled_from(PURE), then_by=st.sampled_from(PURE))
def test_no_number_below_the_threshold_is_ever_shown(
    records: list[dict[str, Any]], by: str, then_by: str
) -> None:
    assume(by != then_by)
    crossed = table(records, by, then_by)
    assert isinstance(crossed, CrossTable)
    every_cell = [cell for row in crossed.cells for cell in row]
    every_cell += crossed.row_totals + crossed.column_totals + [crossed.total]
    assert all(cell.count is None or cell.count >= THRESHOLD for cell in every_cell)


@SETTINGS
@given(records=partnerships, by=st.sampled_from(PURE), then_by=st.sampled_from(PURE))
def test_a_row_gets_the_same_answer_in_every_table_it_appears_in(
    records: list[dict[str, Any]], by: str, then_by: str
) -> None:
    """Asking for the same people another way teaches nothing: the same answer comes back."""
    assume(by != then_by)
    alone, crossed = table(records, by), table(records, by, then_by)
    assert isinstance(alone, ProtectedTable) and isinstance(crossed, CrossTable)
    assert [cell.count for cell in alone.cells] == [cell.count for cell in crossed.row_totals]
    assert alone.total == crossed.total.count


@SETTINGS
@given(records=busy_partnerships, by=st.sampled_from(PURE))
def test_a_year_minus_its_quarters_never_gives_a_quarter_exactly(
    records: list[dict[str, Any]], by: str
) -> None:
    """Overlapping periods: the year and all four quarters, row by row."""
    assume(year_published(records))
    year = table(records, by)
    quarters = [table(records, by, period=quarter) for quarter in QUARTERS]
    assert isinstance(year, ProtectedTable)
    for index, cell in enumerate(year.cells):
        for left_out, quarter in enumerate(quarters):
            assert isinstance(quarter, ProtectedTable)
            others = [q.cells[index].count for n, q in enumerate(quarters) if n != left_out]
            if cell.count is None or None in others:
                continue  # an attacker has nothing to subtract
            known = [value for value in others if value is not None]
            low = min(preimage(cell.count)) - sum(max(preimage(value)) for value in known)
            high = max(preimage(cell.count)) - sum(min(preimage(value)) for value in known)
            truth = sum(
                1
                for record in in_period(records, QUARTERS[left_out])
                if index in stats.dimension(by).classify(record)
            )
            assert low <= truth <= high and high - low >= 4


@SETTINGS
@given(records=partnerships, extra=referral())
def test_a_year_that_differs_from_a_quarter_by_a_few_people_is_never_published(
    records: list[dict[str, Any]], extra: dict[str, Any]
) -> None:
    """Overlapping periods, one person apart: the year minus a quarter is nobody or at least
    the threshold, so the tables of the two never differ by a handful of people."""
    together = [*records, extra]
    if not year_published(together):
        return
    for quarter in QUARTERS:
        outside = len(in_period(together, YEAR)) - len(in_period(together, quarter))
        assert outside == 0 or outside >= THRESHOLD


def test_an_unchanged_number_never_proves_that_someone_is_not_counted() -> None:
    """Two tables one person apart (which the periods rule keeps anyone outside case work from
    asking for, and which new referrals make of the same table over time): for every number
    shown, some true count and keys give that same number with one more person, so seeing it
    unchanged does not show the person is absent. (A changed number shows that someone was
    added; the rule on periods is what keeps that from being one known person.)"""
    changes = {change_for(key) for key in range(KEY_SPACE)}
    for shown in range(THRESHOLD, 500):
        assert any(
            (shown - count) in changes and (shown - count - 1) in changes
            for count in preimage(shown)
        ), shown
