"""Read models of the local profile data: one return, the compiled dataset, trends, a district."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum

from preventhub.core.exports import Table
from preventhub.localprofile.checks import Cell, Entry, Key, check
from preventhub.localprofile.models import Indicator, IndicatorValue
from preventhub.partnership.models import Area, ReportingPeriod
from preventhub.returns.models import PartnerReturn, ReturnKind, ReturnStatus


def cells_for(partner_return: PartnerReturn) -> list[Cell]:
    """The figures a data return asks its organisation for, in the order of the form."""
    organisation = partner_return.organisation
    indicators = Indicator.objects.filter(is_active=True).prefetch_related("sectors")
    area = organisation.area
    own_district = area is not None and area.kind == Area.Kind.DISTRICT
    districts = [area] if own_district else list(Area.objects.filter(kind=Area.Kind.DISTRICT))
    cells = []
    for indicator in indicators:
        supplied_by = {sector.pk for sector in indicator.sectors.all()}
        if supplied_by and organisation.sector_id not in supplied_by:
            continue
        if indicator.by_district:
            cells += [Cell(indicator, district) for district in districts]
        else:
            cells.append(Cell(indicator, None))
    return cells


def previous_values(partner_return: PartnerReturn) -> dict[Key, int]:
    """The organisation's accepted figures for the quarter before, to compare with."""
    period = partner_return.window.period
    earlier = (
        PartnerReturn.objects.filter(
            organisation_id=partner_return.organisation_id,
            window__kind=ReturnKind.CTLP,
            window__period__starts_on__lt=period.starts_on,
            status=ReturnStatus.ACCEPTED,
        )
        .order_by("-window__period__starts_on")
        .first()
    )
    if earlier is None:
        return {}
    return {
        (row.indicator_id, row.district_id): row.value
        for row in earlier.indicator_values.all()
        if row.value is not None
    }


def stored_entries(partner_return: PartnerReturn) -> dict[Key, Entry]:
    return {
        (row.indicator_id, row.district_id): Entry(row.value, row.note)
        for row in partner_return.indicator_values.all()
    }


@dataclass(frozen=True)
class ReturnLine:
    cell: Cell
    entry: Entry
    previous: int | None
    is_jump: bool
    problems: list[str]


@dataclass(frozen=True)
class DataReturnPage:
    lines: list[ReturnLine]
    jumps: int
    missing: int


def data_return(partner_return: PartnerReturn) -> DataReturnPage:
    """Each figure the return asks for, what is stored, last quarter's, and what blocks sending."""
    cells = cells_for(partner_return)
    entries = stored_entries(partner_return)
    previous = previous_values(partner_return)
    problems, jumps = check(cells, entries, previous, sending=True)
    jumped = {jump.key for jump in jumps}
    by_key: dict[tuple[int, int | None], list[str]] = defaultdict(list)
    for problem in problems:
        by_key[problem.key].append(problem.message)
    lines = [
        ReturnLine(
            cell,
            entries.get(cell.key, Entry(None)),
            previous.get(cell.key),
            cell.key in jumped,
            by_key.get(cell.key, []),
        )
        for cell in cells
    ]
    missing = sum(1 for line in lines if line.entry.value is None)
    return DataReturnPage(lines, len(jumps), missing)


# ---- the compiled dataset ------------------------------------------------------------------------


@dataclass
class DatasetRow:
    indicator: Indicator
    district: Area | None
    total: int = 0
    contributors: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return self.district.name if self.district else "Whole county"


@dataclass(frozen=True)
class Dataset:
    period: ReportingPeriod
    rows: list[DatasetRow]
    contributed: list[str]
    not_contributed: list[tuple[str, str]]  # (organisation, status of its return): not sent
    # Sent and waiting for the coordinator's check: their figures count once accepted.
    awaiting_check: list[str] = field(default_factory=list)


def dataset(period: ReportingPeriod) -> Dataset:
    """Every accepted figure for ``period``, by indicator and district, with who contributed."""
    values = (
        IndicatorValue.objects.filter(
            partner_return__window__period=period,
            partner_return__window__kind=ReturnKind.CTLP,
            partner_return__status=ReturnStatus.ACCEPTED,
            value__isnull=False,
        )
        .select_related("indicator", "district", "partner_return__organisation")
        .order_by("indicator__code", "district__name", "partner_return__organisation__name")
    )
    rows: dict[tuple[int, int | None], DatasetRow] = {}
    for value in values:
        row = rows.setdefault(
            (value.indicator_id, value.district_id), DatasetRow(value.indicator, value.district)
        )
        row.total += value.value
        row.contributors.append(value.partner_return.organisation.name)
    owed = PartnerReturn.objects.filter(
        window__period=period, window__kind=ReturnKind.CTLP
    ).select_related("organisation")
    contributed = sorted(r.organisation.name for r in owed if r.status == ReturnStatus.ACCEPTED)
    awaiting = sorted(r.organisation.name for r in owed if r.status == ReturnStatus.SUBMITTED)
    missing = sorted(
        (r.organisation.name, r.get_status_display())
        for r in owed
        if r.status not in (ReturnStatus.ACCEPTED, ReturnStatus.SUBMITTED)
    )
    return Dataset(period, list(rows.values()), contributed, missing, awaiting)


def dataset_table(compiled: Dataset) -> Table:
    rows: list[list[object]] = [
        [
            compiled.period.name,
            row.indicator.code,
            row.indicator.name,
            row.district.gss_code if row.district else "",
            row.where,
            row.total,
            len(row.contributors),
            "; ".join(row.contributors),
        ]
        for row in compiled.rows
    ]
    for name in compiled.awaiting_check:
        rows.append([compiled.period.name, "", "Sent, not yet accepted", "", "", "", 0, name])
    for name, status in compiled.not_contributed:
        rows.append([compiled.period.name, "", f"Not contributed: {status}", "", "", "", 0, name])
    return Table(
        f"CTLP data {compiled.period.name}",
        [
            "Quarter",
            "Indicator code",
            "Indicator",
            "District code",
            "District",
            "Total",
            "Partners contributing",
            "Partners",
        ],
        rows,
    )


# ---- trends and districts ------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendRow:
    label: str
    values: list[int | None]  # one per period, oldest first


@dataclass(frozen=True)
class Trends:
    periods: list[ReportingPeriod]
    rows: list[TrendRow]


def trends(*, district: Area | None = None, statuses: tuple[str, ...] = ("accepted",)) -> Trends:
    """Each indicator's total per quarter (accepted figures), for the county or one district."""
    values = IndicatorValue.objects.filter(
        partner_return__window__kind=ReturnKind.CTLP,
        partner_return__status__in=statuses,
        value__isnull=False,
    )
    if district is not None:
        values = values.filter(district=district)
    totals = {
        (row["indicator_id"], row["partner_return__window__period_id"]): row["total"]
        for row in values.values("indicator_id", "partner_return__window__period_id").annotate(
            total=Sum("value")
        )
    }
    period_ids = {period_id for _, period_id in totals}
    periods = list(ReportingPeriod.objects.filter(pk__in=period_ids).order_by("starts_on"))
    rows = [
        TrendRow(str(indicator), [totals.get((indicator.pk, period.pk)) for period in periods])
        for indicator in Indicator.objects.order_by("code")
    ]
    return Trends(periods, rows)


@dataclass(frozen=True)
class DistrictFigure:
    period: ReportingPeriod
    indicator: Indicator
    organisation: str
    value: int | None
    status: str


def district_figures(district: Area) -> list[DistrictFigure]:
    """Every partner's figures for one district, sent or accepted, newest quarter first."""
    values = (
        IndicatorValue.objects.filter(
            district=district,
            partner_return__window__kind=ReturnKind.CTLP,
            partner_return__status__in=[ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED],
        )
        .select_related(
            "indicator", "partner_return__window__period", "partner_return__organisation"
        )
        .order_by(
            "-partner_return__window__period__starts_on",
            "indicator__code",
            "partner_return__organisation__name",
        )
    )
    return [
        DistrictFigure(
            value.partner_return.window.period,
            value.indicator,
            value.partner_return.organisation.name,
            value.value,
            value.partner_return.get_status_display(),
        )
        for value in values
    ]
