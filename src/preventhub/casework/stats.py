"""Referral statistics: the only way case data leaves casework, always through one protection.

Counts come from one SQL query per table: the period's referrals grouped by the plain columns
a table needs (age in years at referral, gender, district, type of concern, sector, milestone
flags), and for a year by quarter too, each group with its number of referrals and the sum of
their record keys. The groups
are then sorted into categories here (:func:`tabulate`), and every cell goes through the
cell-key protection in :mod:`preventhub.core.disclosure` before anyone outside case work sees
it. The plain columns survive a purge, so statistics stay right after personal data is gone.

What someone outside case work may ask is deliberately narrow (docs/casework.md, "Statistics"):

* whole reporting periods that have ended (a financial quarter or year), never any dates;
* the Home Office's age bands, never custom ones;
* every category always listed, whether or not anyone is in it;
* a year only when it differs from each of its quarters by nobody or by at least the
  threshold, so "the year minus a quarter" is never a handful of people.

Case roles may also count their own cases exactly, for any dates and bands.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    Min,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import TruncQuarter

from preventhub.casework.models import (
    ConcernType,
    Gender,
    Referral,
    ReferralSector,
    ReferralTally,
)
from preventhub.core import calendar, prepared
from preventhub.core.disclosure import CrossTable, ProtectedTable, Tally, one_way, two_way
from preventhub.partnership.models import Area

DIMENSIONS = {
    "age_band": "Age band",
    "gender": "Gender",
    "concern": "Type of concern",
    "sector": "Referral sector",
    "district": "District",
    "outcome": "Journey outcome",
}

Table = ProtectedTable | CrossTable


class StatisticsError(ValueError):
    """A question the statistics will not answer; the message says why and what to ask."""


class BandError(StatisticsError):
    """Custom age bands that cannot be read; the message says why."""


@dataclass(frozen=True)
class AgeBand:
    low: int
    high: int | None  # None: and over

    @property
    def label(self) -> str:
        if self.high is None:
            return f"{self.low} and over"
        if self.low == 0:
            return f"{self.high} and under"
        return f"{self.low} to {self.high}"

    def holds(self, age: int) -> bool:
        return age >= self.low and (self.high is None or age <= self.high)


# The Home Office's published bands (DOMAIN.md §4): every age falls in exactly one.
HOME_OFFICE_BANDS = (
    AgeBand(0, 10),
    AgeBand(11, 15),
    AgeBand(16, 17),
    AgeBand(18, 20),
    AgeBand(21, 30),
    AgeBand(31, 40),
    AgeBand(41, None),
)
AGE_NOT_KNOWN = "Age not known"
OTHER_AGES = "Other ages"


def parse_bands(text: str) -> tuple[AgeBand, ...]:
    """Bands written like "0-13, 14-17, 18+": in order, not overlapping, whole years."""
    bands: list[AgeBand] = []
    for part in [piece.strip() for piece in text.split(",") if piece.strip()]:
        match = re.fullmatch(r"(\d{1,3})\s*(?:-\s*(\d{1,3})|\+)", part)
        if not match:
            raise BandError(f"Write each band like 14-17, or 18+ for an open band, not {part!r}")
        low = int(match.group(1))
        high = int(match.group(2)) if match.group(2) else None
        if high is not None and high < low:
            raise BandError(f"The band {part} ends before it starts")
        if bands and (bands[-1].high is None or low <= bands[-1].high):
            raise BandError("Bands must be in order and must not overlap")
        bands.append(AgeBand(low, high))
    if not bands:
        raise BandError("Enter at least one age band")
    return tuple(bands)


def _covers_every_age(bands: Sequence[AgeBand]) -> bool:
    expected = 0
    for band in bands:
        if band.low != expected:
            return False
        if band.high is None:
            return True
        expected = band.high + 1
    return False


# --- Reporting periods -------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A whole reporting period: a financial year ("2018-19") or one of its quarters
    ("2018-19-Q3")."""

    code: str
    label: str
    starts_on: datetime.date
    ends_on: datetime.date

    @property
    def is_year(self) -> bool:
        return "Q" not in self.code

    @property
    def quarters(self) -> tuple[Period, ...]:
        if not self.is_year:
            return ()
        return tuple(quarter_period(self.starts_on.year, number) for number in (1, 2, 3, 4))


def _year_code(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def year_period(year: int) -> Period:
    name, starts_on, ends_on = calendar.financial_year(year)
    return Period(_year_code(year), f"Financial year {name}", starts_on, ends_on)


def quarter_period(year: int, quarter: int) -> Period:
    name, starts_on, ends_on = calendar.financial_quarter(year, quarter)
    return Period(f"{_year_code(year)}-Q{quarter}", name, starts_on, ends_on)


def period_named(code: str) -> Period:
    """The period a code like "2018-19" or "2018-19-Q3" names; :class:`StatisticsError` if none."""
    match = re.fullmatch(r"(\d{4})-(\d{2})(?:-Q([1-4]))?", code.strip())
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise StatisticsError(
            f"Name a reporting period like 2018-19 (a financial year) or 2018-19-Q3 (a quarter), "
            f"not {code!r}"
        )
    year = int(match.group(1))
    return quarter_period(year, int(match.group(3))) if match.group(3) else year_period(year)


def ended_periods(today: datetime.date) -> list[Period]:
    """Every period that has ended, newest first, back to the year of the first referral.

    A period still open is never offered: its figures change each day a referral arrives, and
    two days' tables would differ by that day's referrals.
    """
    first = Referral.objects.aggregate(first=Min("received_on"))["first"]
    current_year = calendar.financial_year_of(today)
    first_year = calendar.financial_year_of(first) if first else current_year - 1
    periods: list[Period] = []
    for year in range(current_year, first_year - 1, -1):
        for quarter in (4, 3, 2, 1):
            period = quarter_period(year, quarter)
            if period.ends_on < today:
                periods.append(period)
        period = year_period(year)
        if period.ends_on < today:
            periods.append(period)
    return periods


def check_period(period: Period, *, today: datetime.date) -> None:
    """Refuse a period that has not ended."""
    if period.ends_on >= today:
        raise StatisticsError(
            f"{period.label} has not ended: its figures are published once it has. "
            "Choose a period that has ended."
        )


# --- Dimensions --------------------------------------------------------------------------------

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Dimension:
    """How one dimension sorts a group of referrals into its categories.

    ``columns`` are what the SQL query groups by; ``classify`` gives the categories a group
    belongs to (journey outcomes overlap, so it may be several).
    """

    name: str
    title: str
    labels: tuple[str, ...]
    columns: tuple[str, ...]
    classify: Callable[[Row], Iterable[int]]


def _by_value(values: Sequence[Any], column: str) -> Callable[[Row], Iterable[int]]:
    index = {value: position for position, value in enumerate(values)}

    def classify(row: Row) -> Iterable[int]:
        position = index.get(row[column])
        return () if position is None else (position,)

    return classify


def _age_dimension(bands: Sequence[AgeBand]) -> Dimension:
    labels = [band.label for band in bands]
    other = None if _covers_every_age(bands) else len(labels)
    if other is not None:
        labels.append(OTHER_AGES)
    unknown = len(labels)
    labels.append(AGE_NOT_KNOWN)

    def classify(row: Row) -> Iterable[int]:
        age = row["age_at_referral"]
        if age is None:
            return (unknown,)
        for position, band in enumerate(bands):
            if band.holds(age):
                return (position,)
        return () if other is None else (other,)

    return Dimension(
        "age_band", DIMENSIONS["age_band"], tuple(labels), ("age_at_referral",), classify
    )


# Journey outcomes: each a test on the milestone flags a group is counted by.
OUTCOMES: tuple[tuple[str, Callable[[Row], bool]], ...] = (
    ("Referred", lambda row: True),
    (
        "Not suitable (no further action)",
        lambda row: row["route"] == Referral.Route.NO_FURTHER_ACTION,
    ),
    ("Signposted to other services", lambda row: row["route"] == Referral.Route.SIGNPOSTED),
    ("Police-led case management", lambda row: row["route"] == Referral.Route.POLICE_LED),
    ("Discussed at a Channel panel", lambda row: row["discussed"]),
    ("Adopted as a Channel case", lambda row: row["adopted"]),
    ("Consent refused or withdrawn", lambda row: row["consent_refused"]),
    ("Left Channel", lambda row: row["exited"]),
    ("Both reviews after exit completed", lambda row: row["reviews_done"]),
)
OUTCOME_FLAGS = {
    "discussed": Q(discussed_on__isnull=False),
    "adopted": Q(adopted_on__isnull=False),
    "consent_refused": Q(consent_refused_on__isnull=False),
    "exited": Q(exited_on__isnull=False),
    "reviews_done": Q(reviews_completed__gte=2),
}


def _outcome_dimension() -> Dimension:
    def classify(row: Row) -> Iterable[int]:
        return [position for position, (_, test) in enumerate(OUTCOMES) if test(row)]

    return Dimension(
        "outcome",
        DIMENSIONS["outcome"],
        tuple(label for label, _ in OUTCOMES),
        ("route", *OUTCOME_FLAGS),
        classify,
    )


def _district_dimension() -> Dimension:
    districts = list(Area.objects.filter(kind=Area.Kind.DISTRICT).order_by("name"))
    index = {area.pk: position for position, area in enumerate(districts)}
    elsewhere, not_known = len(districts), len(districts) + 1

    def classify(row: Row) -> Iterable[int]:
        if row["district_id"] is None:
            return (not_known,)
        return (index.get(row["district_id"], elsewhere),)

    labels = (*(area.name for area in districts), "Elsewhere", "Not known")
    return Dimension("district", DIMENSIONS["district"], labels, ("district_id",), classify)


def dimension(name: str, *, bands: Sequence[AgeBand] = HOME_OFFICE_BANDS) -> Dimension:
    """The dimension ``name``, its categories fixed before anyone is counted: a category is
    listed whether or not anyone is in it, so its presence says nothing."""
    if name == "age_band":
        return _age_dimension(bands)
    if name == "outcome":
        return _outcome_dimension()
    if name == "district":
        return _district_dimension()
    if name == "gender":
        return Dimension(
            name,
            DIMENSIONS[name],
            tuple(Gender.labels),
            ("gender",),
            _by_value(Gender.values, "gender"),
        )
    if name == "sector":
        return Dimension(
            name,
            DIMENSIONS[name],
            tuple(ReferralSector.labels),
            ("referrer_sector",),
            _by_value(ReferralSector.values, "referrer_sector"),
        )
    if name == "concern":
        # Every type, those taken out of use too: listing a type only while someone is counted
        # in it would tell that someone is.
        concerns = list(ConcernType.objects.all())
        return Dimension(
            name,
            DIMENSIONS[name],
            tuple(concern.name for concern in concerns),
            ("concern_type_id",),
            _by_value([concern.pk for concern in concerns], "concern_type_id"),
        )
    raise StatisticsError(f"No such dimension: {name}")


# --- Counting ----------------------------------------------------------------------------------


# The column a group's quarter of its year is in (0 to 3), when a year is grouped by quarter.
QUARTER = "received_quarter"


def _grouping(referrals: QuerySet[Referral], wanted: Sequence[str]) -> QuerySet[Referral]:
    """``referrals`` grouped by the ``wanted`` columns, each group with its count ``n`` and the
    sum of its record keys ``k``."""
    annotations: dict[str, Any] = {
        name: ExpressionWrapper(condition, output_field=BooleanField())
        for name, condition in OUTCOME_FLAGS.items()
        if name in wanted
    }
    return (
        referrals.annotate(**annotations)
        .values(*wanted)
        .annotate(n=Count("pk"), k=Sum("record_key"))
        .order_by()
    )


def _tallied(rows: Iterable[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], Tally]]:
    for row in rows:
        tally = Tally(row.pop("n"), row.pop("k") or 0)
        yield row, tally


def groups(
    referrals: QuerySet[Referral], columns: Iterable[str]
) -> Iterator[tuple[dict[str, Any], Tally]]:
    """The referrals grouped by ``columns``: one SQL query, a tally per distinct combination."""
    return _tallied(_grouping(referrals, sorted(set(columns))))


# How the database writes each dimension's category in a tally (migration 0009), read back as
# the plain columns the dimensions classify: an age as its band's lowest age, which falls in the
# same Home Office band; the journey outcome as its route and its five milestone flags.
def _age_band_value(text: str) -> dict[str, Any]:
    return {"age_at_referral": int(text) if text else None}


def _outcome_value(text: str) -> dict[str, Any]:
    route, flags = text.split(":")
    return {"route": route} | {
        name: flag == "1" for name, flag in zip(OUTCOME_FLAGS, flags, strict=True)
    }


TALLY_VALUES: dict[str, Callable[[str], dict[str, Any]]] = {
    "age_band": _age_band_value,
    "concern": lambda text: {"concern_type_id": int(text)},
    "district": lambda text: {"district_id": int(text) if text else None},
    "gender": lambda text: {"gender": text},
    "outcome": _outcome_value,
    "sector": lambda text: {"referrer_sector": text},
}


def _age_band_text(row: Row) -> str:
    age = row["age_at_referral"]
    if age is None:
        return ""
    return str(max(band.low for band in HOME_OFFICE_BANDS if age >= band.low))


def _outcome_text(row: Row) -> str:
    return row["route"] + ":" + "".join("1" if row[name] else "0" for name in OUTCOME_FLAGS)


# The other way: a group of referrals' category in each dimension as a tally holds it, the same
# text the migration's triggers write (the check of the tallies compares them).
TALLY_TEXTS: dict[str, Callable[[Row], str]] = {
    "age_band": _age_band_text,
    "concern": lambda row: str(row["concern_type_id"]),
    "district": lambda row: "" if row["district_id"] is None else str(row["district_id"]),
    "gender": lambda row: row["gender"],
    "outcome": _outcome_text,
    "sector": lambda row: row["referrer_sector"],
}
TALLY_PAIRS = tuple(combinations(sorted(TALLY_TEXTS), 2))

TallyKey = tuple[datetime.date, str, str, str]


def tallies_counted_from_referrals() -> dict[TallyKey, Tally]:
    """What every tally should hold, counted from the referrals themselves in one grouped query:
    for the check of the tallies (``manage.py check_referral_tallies``) and their rebuilding."""
    columns = {"quarter", "age_at_referral", "gender", "district_id", "concern_type_id"}
    columns |= {"referrer_sector", "route", *OUTCOME_FLAGS}
    received = Referral.objects.annotate(quarter=TruncQuarter("received_on"))
    counted: dict[TallyKey, Tally] = defaultdict(Tally)
    for row, tally in groups(received, columns):
        texts = {name: text(row) for name, text in TALLY_TEXTS.items()}
        for first, second in TALLY_PAIRS:
            counted[(row["quarter"], f"{first}+{second}", texts[first], texts[second])] += tally
    return dict(counted)


def tallies_kept() -> dict[TallyKey, Tally]:
    """The tallies as the database keeps them."""
    return {
        (quarter, dimensions, first, second): Tally(referrals, key_sum)
        for quarter, dimensions, first, second, referrals, key_sum in (
            ReferralTally.objects.values_list(
                "quarter", "dimensions", "first_value", "second_value", "referrals", "key_sum"
            ).iterator(chunk_size=5000)
        )
    }


def tallies_that_differ() -> list[str]:
    """The quarters and pairs of dimensions whose tallies are not what the referrals hold, like
    "2025-04 age_band+gender": never the categories or the counts, which are figures about
    people that leave case work only through the protection."""
    counted, kept = tallies_counted_from_referrals(), tallies_kept()
    differ = {
        (key[0], key[1])
        for key in counted.keys() | kept.keys()
        if counted.get(key, Tally()) != kept.get(key, Tally())
    }
    return [f"{quarter:%Y-%m} {dimensions}" for quarter, dimensions in sorted(differ)]


def _tally_pair(dimensions: Sequence[str]) -> tuple[str, str]:
    """The pair of dimensions whose tallies hold a table by ``dimensions`` (one or two): a
    one-way table reads its dimension's pair with gender, which has the fewest categories."""
    if len(dimensions) == 1:
        (alone,) = dimensions
        dimensions = (alone, "sector" if alone == "gender" else "gender")
    first, second = sorted(dimensions)
    return first, second


def _tallies(quarters: tuple[datetime.date, ...], pair: str) -> QuerySet[ReferralTally]:
    return ReferralTally.objects.filter(quarter__in=quarters, dimensions=pair).values(
        "quarter", "first_value", "second_value", "referrals", "key_sum"
    )


def tallied_groups(period: Period, dimensions: Sequence[str]) -> list[tuple[dict[str, Any], Tally]]:
    """The referrals received in ``period`` in groups by the categories of ``dimensions`` (one or
    two), each group of one quarter, whose place in the period is in ``QUARTER``.

    Read from the tallies the database keeps (:class:`ReferralTally`): a year's table reads a
    few hundred rows, however many referrals it counts. Its query is built once in a process
    for each period and pair (``core.prepared``).
    """
    first, second = _tally_pair(dimensions)
    quarters = (
        tuple(part.starts_on for part in period.quarters) if period.is_year else (period.starts_on,)
    )
    place = {starts_on: position for position, starts_on in enumerate(quarters)}
    read_first, read_second = TALLY_VALUES[first], TALLY_VALUES[second]
    return [
        (
            read_first(row["first_value"])
            | read_second(row["second_value"])
            | {QUARTER: place[row["quarter"]]},
            Tally(row["referrals"], row["key_sum"]),
        )
        for row in prepared.rows(_tallies, quarters, f"{first}+{second}")
    ]


@dataclass
class Tallies:
    """Tallies of one table, before protection."""

    rows: list[Tally]
    columns: list[Tally]
    cells: list[list[Tally]]
    total: Tally


def tabulate(
    grouped: Iterable[tuple[Row, Tally]],
    row_dimension: Dimension,
    column_dimension: Dimension | None,
) -> Tallies:
    """Sort groups into categories. Pure: the property tests feed it groups made in memory."""
    rows = [Tally() for _ in row_dimension.labels]
    width = len(column_dimension.labels) if column_dimension else 0
    columns = [Tally() for _ in range(width)]
    cells = [[Tally() for _ in range(width)] for _ in row_dimension.labels]
    total = Tally()
    for row, tally in grouped:
        total += tally
        in_rows = list(row_dimension.classify(row))
        for position in in_rows:
            rows[position] += tally
        if column_dimension is None:
            continue
        for column in column_dimension.classify(row):
            columns[column] += tally
            for position in in_rows:
                cells[position][column] += tally
    return Tallies(rows, columns, cells, total)


def _received_in(date_from: datetime.date, date_to: datetime.date) -> Q:
    return Q(received_on__gte=date_from, received_on__lte=date_to)


def build_table(
    tallies: Tallies,
    row_dimension: Dimension,
    column_dimension: Dimension | None,
    *,
    threshold: int,
    exact: bool,
) -> Table:
    if column_dimension is None:
        return one_way(
            row_dimension.labels, tallies.rows, tallies.total, threshold=threshold, exact=exact
        )
    return two_way(
        row_dimension.labels,
        column_dimension.labels,
        tallies.cells,
        tallies.rows,
        tallies.columns,
        tallies.total,
        threshold=threshold,
        exact=exact,
    )


def _dimensions(
    by: str, then_by: str, bands: Sequence[AgeBand]
) -> tuple[Dimension, Dimension | None]:
    if then_by and then_by == by:
        raise StatisticsError("Choose two different things to count by")
    row_dimension = dimension(by, bands=bands)
    return row_dimension, (dimension(then_by, bands=bands) if then_by else None)


def _threshold() -> int:
    return settings.PREVENTHUB_DISCLOSURE_THRESHOLD


def year_differs_enough(total: int, quarter_totals: Sequence[int], *, threshold: int) -> bool:
    """Whether a year holds, beside each of its quarters, nobody else or at least the threshold.

    Otherwise comparing the year's table with the quarter's would show where those few fell.
    """
    return all(
        total == in_quarter or total - in_quarter >= threshold for in_quarter in quarter_totals
    )


def _in_period(period: Period) -> QuerySet[Referral]:
    return Referral.objects.filter(_received_in(period.starts_on, period.ends_on))


def check_year_differs_enough(period: Period, *, threshold: int | None = None) -> None:
    """Refuse a year that differs from one of its quarters by a handful of people."""
    if period.is_year:
        _check_year(period, tallied_groups(period, ("gender",)), threshold)


def _check_year(
    period: Period, grouped: Iterable[tuple[Row, Tally]], threshold: int | None
) -> None:
    """:func:`check_year_differs_enough` on the year's groups, each of one quarter."""
    threshold = _threshold() if threshold is None else threshold
    in_quarters = [0] * len(period.quarters)
    for row, tally in grouped:
        in_quarters[row[QUARTER]] += tally.count
    if not year_differs_enough(sum(in_quarters), in_quarters, threshold=threshold):
        raise StatisticsError(
            f"Figures for {period.label} as a whole are not published: they would differ "
            f"from one of its quarters by too few people to protect them. "
            f"See its quarters instead."
        )


def protected_table(
    *,
    period: Period,
    by: str,
    then_by: str = "",
    today: datetime.date,
    threshold: int | None = None,
) -> Table:
    """The table that may leave case work, for a whole period that has ended.

    Raises :class:`StatisticsError` for a question it will not answer.
    """
    threshold = _threshold() if threshold is None else threshold
    check_period(period, today=today)
    row_dimension, column_dimension = _dimensions(by, then_by, HOME_OFFICE_BANDS)
    # One query for a year too: its groups are of one quarter each, checked before anything is
    # counted into the table, where a second query read the whole year again.
    grouped = tallied_groups(period, (by, then_by) if then_by else (by,))
    if period.is_year:
        _check_year(period, grouped, threshold)
    tallies = tabulate(grouped, row_dimension, column_dimension)
    return build_table(tallies, row_dimension, column_dimension, threshold=threshold, exact=False)


def exact_table(
    *,
    referrals: QuerySet[Referral],
    date_from: datetime.date,
    date_to: datetime.date,
    by: str,
    then_by: str = "",
    bands: Sequence[AgeBand] = HOME_OFFICE_BANDS,
) -> Table:
    """True counts of ``referrals`` (a case role's own cases), for any dates and bands."""
    row_dimension, column_dimension = _dimensions(by, then_by, bands)
    columns = row_dimension.columns + (column_dimension.columns if column_dimension else ())
    chosen = referrals.filter(_received_in(date_from, date_to))
    tallies = tabulate(groups(chosen, columns), row_dimension, column_dimension)
    return build_table(tallies, row_dimension, column_dimension, threshold=_threshold(), exact=True)


def counts(
    *,
    referrals: QuerySet[Referral] | None = None,
    date_from: datetime.date,
    date_to: datetime.date,
    by: str,
    bands: Sequence[AgeBand] = HOME_OFFICE_BANDS,
) -> list[tuple[str, int]]:
    """True counts per category: for case work and tests, never shown outside case work."""
    chosen = referrals if referrals is not None else Referral.objects.all()
    table = exact_table(referrals=chosen, date_from=date_from, date_to=date_to, by=by, bands=bands)
    assert isinstance(table, ProtectedTable)
    return [(cell.label, cell.count or 0) for cell in table.cells]


def group_in_memory(
    records: Iterable[Row], columns: Iterable[str]
) -> list[tuple[dict[str, Any], Tally]]:
    """What :func:`groups` does in SQL, done on plain records (each with a ``record_key``).

    For checks of the protection that try many data sets quickly.
    """
    wanted = sorted(set(columns))
    found: dict[tuple[Any, ...], Tally] = defaultdict(Tally)
    for record in records:
        found[tuple(record[column] for column in wanted)] += Tally(1, record["record_key"])
    return [(dict(zip(wanted, values, strict=True)), tally) for values, tally in found.items()]
