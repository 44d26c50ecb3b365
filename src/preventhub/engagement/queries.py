"""Reads of the communication plan and engagement activities: lists, the calendar, home work."""

from __future__ import annotations

import calendar as month_calendar
import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet, Window
from django.utils.formats import date_format

from preventhub.core import prepared
from preventhub.core.calendar import EARLIEST_DATE, LATEST_DATE, add_months
from preventhub.core.home import WorkItem
from preventhub.core.hrefs import kept_reverse
from preventhub.core.numbers import whole_number
from preventhub.core.roles import Role, roles_of
from preventhub.engagement.models import (
    Activity,
    CommunicationObjective,
    KeyMessage,
    MessageVersion,
)
from preventhub.partnership.models import Area


@dataclass(frozen=True)
class ActivityFilter:
    """What the activity list is narrowed to; empty values narrow nothing."""

    district: Area | None = None
    kind: str = ""
    audience: str = ""
    channel: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    countywide: bool = False  # only activities across the whole county


def activities(chosen: ActivityFilter = ActivityFilter()) -> QuerySet[Activity]:
    """The activities the filter keeps, newest first, with what a list shows fetched at once."""
    found = Activity.objects.select_related("district", "objective").prefetch_related("partners")
    if chosen.countywide:
        found = found.filter(district__isnull=True)
    elif chosen.district is not None:
        found = found.filter(district=chosen.district)
    for name in ("kind", "audience", "channel"):
        value = getattr(chosen, name)
        if value:
            found = found.filter(**{name: value})
    if chosen.date_from:
        found = found.filter(held_on__gte=chosen.date_from)
    if chosen.date_to:
        found = found.filter(held_on__lte=chosen.date_to)
    return found.order_by("-held_on", "title")


def activity_detail(pk: int) -> Activity:
    return (
        Activity.objects.select_related("district", "objective", "recorded_by")
        .prefetch_related("partners", "messages")
        .get(pk=pk)
    )


@dataclass(frozen=True)
class MessageRow:
    message: KeyMessage
    approved: MessageVersion | None  # the wording in use
    draft: MessageVersion | None  # a newer wording waiting for approval


@dataclass(frozen=True)
class PlanPage:
    objectives: list[CommunicationObjective]
    messages: list[MessageRow]


def _message_row(message: KeyMessage) -> MessageRow:
    versions = list(message.versions.all())  # newest first
    approved = next((version for version in versions if version.is_approved), None)
    draft = versions[0] if versions and not versions[0].is_approved else None
    return MessageRow(message, approved, draft)


def plan_page() -> PlanPage:
    """The communication plan: objectives, and each key message with the wording in use."""
    messages = KeyMessage.objects.select_related("objective").prefetch_related(
        Prefetch("versions", queryset=MessageVersion.objects.order_by("-number"))
    )
    return PlanPage(list(CommunicationObjective.objects.all()), [_message_row(m) for m in messages])


def message_detail(pk: int) -> tuple[KeyMessage, MessageRow, list[MessageVersion]]:
    message = (
        KeyMessage.objects.select_related("objective")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=MessageVersion.objects.select_related(
                    "drafted_by", "approved_by"
                ).order_by("-number"),
            )
        )
        .get(pk=pk)
    )
    return message, _message_row(message), list(message.versions.all())


def approved_messages() -> list[MessageRow]:
    return [row for row in plan_page().messages if row.approved is not None]


# ---- the calendar --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarDay:
    day: datetime.date | None  # None: a day of the week outside the month
    activities: list[Activity] = field(default_factory=list)
    is_today: bool = False


@dataclass(frozen=True)
class CalendarMonth:
    first: datetime.date
    weeks: list[list[CalendarDay]]
    previous: datetime.date
    next: datetime.date
    count: int

    @property
    def label(self) -> str:
        return date_format(self.first, "F Y")


def month_of(text: str, today: datetime.date) -> datetime.date:
    """The first day of the month ``text`` names ("2026-12"), or of this month.

    Only a month of the years Prevent Hub takes dates in (``core.calendar``): one further off is
    not a month anyone plans for, and its weeks would run off the ends of Python's calendar
    (year 1 and year 9999), the error page.
    """
    year, _, month = text.partition("-")
    as_year, as_month = whole_number(year), whole_number(month)
    if (
        as_year is not None
        and as_month is not None
        and EARLIEST_DATE.year <= as_year <= LATEST_DATE.year
        and 1 <= as_month <= 12
    ):
        return datetime.date(as_year, as_month, 1)
    return today.replace(day=1)


def calendar_month(
    first: datetime.date, *, today: datetime.date, district: Area | None = None
) -> CalendarMonth:
    """A month as weeks from Monday, each day with its activities (one query)."""
    last = add_months(first, 1) - datetime.timedelta(days=1)
    chosen = activities(ActivityFilter(district=district, date_from=first, date_to=last))
    by_day: dict[datetime.date, list[Activity]] = {}
    for activity in sorted(chosen, key=lambda found: (found.held_on, found.title)):
        by_day.setdefault(activity.held_on, []).append(activity)
    weeks = []
    for week in month_calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        weeks.append(
            [
                CalendarDay(day, by_day.get(day, []), day == today)
                if day.month == first.month
                else CalendarDay(None)
                for day in week
            ]
        )
    return CalendarMonth(
        first,
        weeks,
        add_months(first, -1),
        add_months(first, 1),
        sum(len(found) for found in by_day.values()),
    )


# ---- home work -----------------------------------------------------------------------------------


def _month_end(today: datetime.date) -> datetime.date:
    return add_months(today.replace(day=1), 1) - datetime.timedelta(days=1)


def planned_this_month(*, today: datetime.date, district: Area | None = None) -> QuerySet[Activity]:
    """Activities from today to the end of this month."""
    return activities(ActivityFilter(district=district, date_from=today, date_to=_month_end(today)))


def _next_planned(today: datetime.date, district_id: int | None) -> QuerySet[Activity]:
    """The next activity planned this month (in the district, if given), with how many are
    (``planned``): one query, built once (``core.prepared``)."""
    chosen = Activity.objects.filter(held_on__gte=today, held_on__lte=_month_end(today))
    if district_id is not None:
        chosen = chosen.filter(district=district_id)
    return chosen.annotate(planned=Window(Count("pk"))).order_by("held_on", "pk")[:1]


def home_work(user: Any, today: datetime.date) -> list[WorkItem]:
    """The home page's "planned this month": the coordinator's for the county, a district
    lead's for their district. Two queries: the count and the next activity."""
    roles = roles_of(user)
    if Role.COORDINATOR in roles:
        district = None
    elif Role.DISTRICT_LEAD in roles and user.district_id:
        district = user.district
    else:
        return []
    next_one = prepared.first(_next_planned, today, district.pk if district else None)
    if next_one is None:
        return []
    count = next_one.planned  # type: ignore[attr-defined]
    where = f" in {district}" if district else ""
    noun = "activity" if count == 1 else "activities"
    return [
        WorkItem(
            "Engagement",
            "Engagement planned this month",
            kept_reverse("engagement:calendar"),
            count=count,
            hint=f"{count} engagement {noun}{where} from today to the end of "
            f"{date_format(today, 'F')}. The next: {next_one.title}, "
            f"{date_format(next_one.held_on)}.",
        )
    ]
