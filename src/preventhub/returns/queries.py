"""Read models of partner returns: who owes what, and each window's progress."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from preventhub.accounts.models import User
from preventhub.core import prepared
from preventhub.core.home import WorkItem
from preventhub.core.hrefs import kept_reverse
from preventhub.core.roles import Role, roles_of
from preventhub.partnership.models import Organisation
from preventhub.returns.models import (
    EDITABLE,
    RETURN_PAGES,
    PartnerReturn,
    ReminderRun,
    ReturnEvent,
    ReturnStatus,
    ReturnWindow,
)


@dataclass(frozen=True)
class ReturnRow:
    partner_return: PartnerReturn
    href: str
    is_overdue: bool

    @property
    def is_late(self) -> bool:
        return self.partner_return.is_late or self.is_overdue


def _row(found: PartnerReturn, today: datetime.date) -> ReturnRow:
    return ReturnRow(
        found, kept_reverse(RETURN_PAGES[found.window.kind], found.pk), found.is_overdue(today)
    )


def returns_of(organisation_id: int | None, today: datetime.date | None = None) -> list[ReturnRow]:
    """Every return an organisation owes or has sent, newest period first."""
    if organisation_id is None:
        return []
    today = today or timezone.localdate()
    found = PartnerReturn.objects.filter(organisation_id=organisation_id).select_related(
        "window__period", "organisation"
    )
    rows = [_row(item, today) for item in found]
    rows.sort(key=lambda row: (-row.partner_return.window.period.starts_on.toordinal(), row.href))
    return rows


# Who fills in their own organisation's returns: a partner lead, and a district lead for their
# council (returns.rules.owes_return).
RETURN_FILLERS = frozenset({Role.PARTNER_LEAD, Role.DISTRICT_LEAD})


def home_work(user: Any, today: datetime.date) -> list[WorkItem]:
    """The home page's returns: those the person's organisation still owes, with their due
    dates; for the coordinator, how many are outstanding and late across every window."""
    held = roles_of(user)
    items: list[WorkItem] = []
    if Role.COORDINATOR in held:
        items += _outstanding(today)
    if held & RETURN_FILLERS and user.organisation_id:
        items += _owed(user.organisation_id, today)
    return items


def _owed(organisation_id: int, today: datetime.date) -> list[WorkItem]:
    items = []
    for row in returns_of(organisation_id, today):
        found = row.partner_return
        if not found.is_editable:
            continue
        window = found.window
        corrected = " It was returned for correction." if found.status == "returned" else ""
        items.append(
            WorkItem(
                "Returns due",
                f"{window.get_kind_display()} for {window.period}",
                row.href,
                hint=f"From {found.organisation}, due by {date_format(window.due_on)}.{corrected}",
                is_late=row.is_overdue,
                status="Late" if row.is_overdue else f"Due {date_format(window.due_on)}",
            )
        )
    return items


def _counted_on(today: datetime.date) -> QuerySet[PartnerReturn]:
    """Every return counted: still owed, late on ``today``, and sent."""
    owing = Q(status__in=EDITABLE)
    return prepared.whole(
        PartnerReturn.objects.all(),
        outstanding=Count("pk", filter=owing),
        late=Count("pk", filter=owing & Q(window__due_on__lt=today)),
        sent=Count("pk", filter=Q(status=ReturnStatus.SUBMITTED)),
    )


def _outstanding(today: datetime.date) -> list[WorkItem]:
    owed = prepared.totals(_counted_on, today)
    href = kept_reverse("returns:index")
    return [
        WorkItem(
            "Returns",
            "Returns not yet sent",
            href,
            count=owed["outstanding"],
            hint=f"{owed['late']} past their due date." if owed["late"] else "None late.",
            is_late=owed["late"] > 0,
            status=f"{owed['outstanding']} ({owed['late']} late)" if owed["late"] else "",
        ),
        WorkItem(
            "Returns",
            "Returns sent, to accept or send back",
            href,
            count=owed["sent"],
        ),
    ]


@dataclass(frozen=True)
class WindowRow:
    window: ReturnWindow
    owed: int
    counts: dict[str, int]
    late: int


def windows() -> list[WindowRow]:
    rows = []
    today = timezone.localdate()
    everything = ReturnWindow.objects.select_related("period").prefetch_related("returns")
    for window in everything:
        owed = list(window.returns.all())
        counts = Counter(found.status for found in owed)
        late = sum(
            1 for found in owed if found.is_late or (found.is_editable and today > window.due_on)
        )
        rows.append(WindowRow(window, len(owed), dict(counts), late))
    return rows


@dataclass(frozen=True)
class WindowPage:
    window: ReturnWindow
    rows: list[ReturnRow]
    sent: int
    accepted: int
    outstanding: int


def window_page(window: ReturnWindow, today: datetime.date | None = None) -> WindowPage:
    today = today or timezone.localdate()
    owed = window.returns.select_related("organisation", "window__period")
    rows = [_row(found, today) for found in owed]
    statuses = Counter(row.partner_return.status for row in rows)
    return WindowPage(
        window,
        rows,
        sent=statuses[ReturnStatus.SUBMITTED],
        accepted=statuses[ReturnStatus.ACCEPTED],
        outstanding=sum(statuses[status] for status in EDITABLE),
    )


def history(partner_return: PartnerReturn) -> list[ReturnEvent]:
    return list(partner_return.events.select_related("by"))


def partner_leads(organisation: Organisation) -> list[User]:
    return list(
        User.objects.filter(
            organisation=organisation, is_active=True, groups__name=Role.PARTNER_LEAD
        ).order_by("email")
    )


# Reminders go a week before, the day before, and each week after the due day.
REMINDER_DAYS_BEFORE = (7, 1)


def reminders_due_today(window: ReturnWindow, today: datetime.date) -> bool:
    days = (window.due_on - today).days
    return days in REMINDER_DAYS_BEFORE or (days < 0 and -days % 7 == 1)


def latest_reminder_run(window: ReturnWindow) -> ReminderRun | None:
    return window.reminder_runs.select_related("requested_by").first()
