"""Read models of partner returns: who owes what, and each window's progress."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from preventhub.accounts.models import User
from preventhub.core.home import HomeNotice
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
        found, reverse(RETURN_PAGES[found.window.kind], args=[found.pk]), found.is_overdue(today)
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


def returns_due_notices(user: Any) -> list[HomeNotice]:
    """The home page's "returns due" for a partner lead: one notice per return still to send."""
    if Role.PARTNER_LEAD not in roles_of(user) or not user.organisation_id:
        return []
    today = timezone.localdate()
    notices = []
    for row in returns_of(user.organisation_id, today):
        found = row.partner_return
        if not found.is_editable:
            continue
        window = found.window
        corrected = " It was returned for correction." if found.status == "returned" else ""
        notices.append(
            HomeNotice(
                heading="Return due",
                text=f"{window.get_kind_display()} for {window.period} from "
                f"{found.organisation}, due by {date_format(window.due_on)}.{corrected}",
                href=row.href,
                link_text=f"Fill in the {window.get_kind_display().lower()}",
                is_late=row.is_overdue,
            )
        )
    return notices


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
