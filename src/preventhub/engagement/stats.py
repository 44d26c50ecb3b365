"""Engagement figures for the Board and for each district, counted in SQL from activities.

Only activities that have happened (on or before the day asked about) count: a planned event
has reached nobody yet. Reach is kept as two sums, people attending and impressions, because
adding a poster's impressions to a workshop's attendance would mean nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum

from preventhub.casework import stats as referral_stats
from preventhub.core.calendar import financial_year, financial_year_of
from preventhub.core.disclosure import Cell, CrossTable
from preventhub.core.exports import Table
from preventhub.engagement.models import Activity, ActivityKind, Audience
from preventhub.partnership.models import Area

ATTENDING = Q(reach_kind=Activity.ReachKind.ATTENDANCE)
SEEN = Q(reach_kind=Activity.ReachKind.IMPRESSIONS)

# How the Board reads each kind: (one, many, who attends).
KIND_WORDS: dict[str, tuple[str, str, str]] = {
    ActivityKind.COMMUNITY_OUTREACH: (
        "instance of community outreach",
        "instances of community outreach",
        "people",
    ),
    ActivityKind.PARENTING_PROGRAMME: ("parenting programme", "parenting programmes", "parents"),
    ActivityKind.SCHOOL_SESSION: (
        "session in a school or college",
        "sessions in schools and colleges",
        "pupils and staff",
    ),
    ActivityKind.FAITH_ENGAGEMENT: (
        "meeting with faith groups",
        "meetings with faith groups",
        "people",
    ),
    ActivityKind.BUSINESS_BRIEFING: ("business briefing", "business briefings", "people"),
    ActivityKind.STAFF_BRIEFING: ("staff briefing", "staff briefings", "staff"),
    ActivityKind.CAMPAIGN: ("campaign or social media post", "campaigns and posts", "people"),
    ActivityKind.NEWSLETTER: ("newsletter article", "newsletter articles", "readers"),
}


@dataclass(frozen=True)
class FigureRow:
    """One line of figures: a kind of activity, a district or an audience."""

    label: str
    activities: int
    attending: int
    impressions: int


@dataclass(frozen=True)
class EngagementFigures:
    title: str
    date_from: datetime.date
    date_to: datetime.date
    by_kind: list[FigureRow]
    by_district: list[FigureRow]
    by_audience: list[FigureRow]
    total: FigureRow
    sentences: list[str]


def year_span(year: int) -> tuple[str, datetime.date, datetime.date]:
    name, starts_on, ends_on = financial_year(year)
    return f"Financial year {name}", starts_on, ends_on


def current_year(today: datetime.date) -> int:
    return financial_year_of(today)


def _held(date_from: datetime.date, date_to: datetime.date, today: datetime.date) -> QuerySet:
    return Activity.objects.filter(held_on__gte=date_from, held_on__lte=min(date_to, today))


def _sums(found: QuerySet, by: str) -> dict[object, FigureRow]:
    rows = (
        found.values(by)
        .annotate(
            n=Count("pk"),
            attending=Sum("reach", filter=ATTENDING),
            impressions=Sum("reach", filter=SEEN),
        )
        .order_by()
    )
    return {
        row[by]: FigureRow("", row["n"], row["attending"] or 0, row["impressions"] or 0)
        for row in rows
    }


def _labelled(label: str, found: FigureRow | None) -> FigureRow:
    if found is None:
        return FigureRow(label, 0, 0, 0)
    return FigureRow(label, found.activities, found.attending, found.impressions)


def sentence(kind: str, row: FigureRow) -> str:
    """ "9 parenting programmes reaching 122 parents", as councils report it."""
    one, many, who = KIND_WORDS[kind]
    words = f"{row.activities} {one if row.activities == 1 else many}"
    reached = []
    if row.attending:
        reached.append(f"{row.attending:,} {who}")
    if row.impressions:
        reached.append(f"{row.impressions:,} impressions")
    return words + (f" reaching {' and '.join(reached)}" if reached else "")


def figures(
    *,
    date_from: datetime.date,
    date_to: datetime.date,
    today: datetime.date,
    title: str,
    district: Area | None = None,
) -> EngagementFigures:
    """Counts of activities held and their reach, by kind, district and audience (3 queries)."""
    found = _held(date_from, date_to, today)
    if district is not None:
        found = found.filter(district=district)
    kinds = _sums(found, "kind")
    by_kind = [_labelled(label, kinds.get(value)) for value, label in ActivityKind.choices]
    districts = _sums(found, "district")
    by_district = [
        _labelled(area.name, districts.get(area.pk))
        for area in Area.objects.filter(kind=Area.Kind.DISTRICT).order_by("name")
        if district is None or area == district
    ]
    if district is None:
        by_district.append(_labelled("Across the county", districts.get(None)))
    audiences = _sums(found, "audience")
    by_audience = [_labelled(label, audiences.get(value)) for value, label in Audience.choices]
    total = FigureRow(
        "Total",
        sum(row.activities for row in by_kind),
        sum(row.attending for row in by_kind),
        sum(row.impressions for row in by_kind),
    )
    sentences = [
        sentence(value, row)
        for (value, _), row in zip(ActivityKind.choices, by_kind, strict=True)
        if row.activities
    ]
    return EngagementFigures(
        title, date_from, date_to, by_kind, by_district, by_audience, total, sentences
    )


def figures_table(
    *, date_from: datetime.date, date_to: datetime.date, today: datetime.date, title: str
) -> Table:
    """Activities held and their reach by district and kind, for a download (one query)."""
    rows = (
        _held(date_from, date_to, today)
        .values("district__name", "kind")
        .annotate(
            n=Count("pk"),
            attending=Sum("reach", filter=ATTENDING),
            impressions=Sum("reach", filter=SEEN),
        )
        .order_by("district__name", "kind")
    )
    kinds = dict(ActivityKind.choices)
    return Table(
        title=title,
        headers=["District", "Kind of activity", "Activities", "People attending", "Impressions"],
        rows=[
            [
                row["district__name"] or "Across the county",
                kinds.get(row["kind"], row["kind"]),
                row["n"],
                row["attending"] or 0,
                row["impressions"] or 0,
            ]
            for row in rows
        ],
    )


def activities_table(found: QuerySet[Activity], *, title: str) -> Table:
    """The activities of a filtered list, one a row, for a download."""
    return Table(
        title=title,
        headers=[
            "Date",
            "Activity",
            "Kind",
            "District",
            "Partners",
            "Audience",
            "Channel",
            "Objective served",
            "Materials used",
            "Reach",
            "Reach is",
            "Feedback",
            "Outcomes",
        ],
        rows=[
            [
                activity.held_on.isoformat(),
                activity.title,
                activity.get_kind_display(),
                activity.district.name if activity.district else "Across the county",
                "; ".join(partner.name for partner in activity.partners.all()),
                activity.get_audience_display(),
                activity.get_channel_display(),
                activity.objective.title if activity.objective else "",
                activity.materials,
                "" if activity.reach is None else activity.reach,
                activity.get_reach_kind_display() if activity.reach is not None else "",
                activity.feedback,
                activity.outcomes,
            ]
            for activity in found
        ],
    )


# ---- the district's protected referral picture ---------------------------------------------------

# What a district lead sees of referrals: their district's row of each table, by these.
DISTRICT_BREAKDOWNS = ("age_band", "outcome", "concern")


@dataclass(frozen=True)
class DistrictBreakdown:
    title: str
    cells: list[Cell]  # one per category, each protected (count None when suppressed)


@dataclass(frozen=True)
class DistrictReferrals:
    """A district's row of the protected referral tables for one quarter that has ended."""

    period: referral_stats.Period
    total: Cell | None
    breakdowns: list[DistrictBreakdown]
    threshold: int
    refused: str = ""  # why the statistics would not answer, if they would not


def referral_quarters(today: datetime.date, *, count: int = 8) -> list[referral_stats.Period]:
    """The quarters that have ended, newest first: a district's picture comes each quarter."""
    return [period for period in referral_stats.ended_periods(today) if not period.is_year][:count]


def district_referrals(
    district: Area, *, period: referral_stats.Period, today: datetime.date
) -> DistrictReferrals:
    """The district's referrals in ``period`` through casework's protected tables only: every
    count is perturbed and small ones suppressed, the same figures anyone outside case work
    sees for the whole county, never an exact count."""
    breakdowns: list[DistrictBreakdown] = []
    total: Cell | None = None
    threshold = 0
    try:
        for by in DISTRICT_BREAKDOWNS:
            table = referral_stats.protected_table(
                period=period, by="district", then_by=by, today=today
            )
            assert isinstance(table, CrossTable)
            threshold = table.threshold
            row = table.row_labels.index(district.name)
            total = table.row_totals[row]
            breakdowns.append(DistrictBreakdown(referral_stats.DIMENSIONS[by], table.cells[row]))
    except referral_stats.StatisticsError as error:
        return DistrictReferrals(period, None, [], threshold, refused=str(error))
    return DistrictReferrals(period, total, breakdowns, threshold)
