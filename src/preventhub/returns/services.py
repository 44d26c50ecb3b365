"""Write operations on return windows and partner returns: one transaction each."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from preventhub.core.concurrency import save_versioned
from preventhub.partnership.models import Organisation, ReportingPeriod
from preventhub.returns import queries
from preventhub.returns.models import (
    EDITABLE,
    RETURN_PAGES,
    PartnerReturn,
    ReminderRun,
    ReturnEvent,
    ReturnKind,
    ReturnStatus,
    ReturnWindow,
)


class ReturnError(Exception):
    """A step on a return that cannot be taken; the message says why, for the user."""


@transaction.atomic
def open_window(
    *,
    period: ReportingPeriod,
    kind: str,
    due_on: datetime.date,
    organisations: Iterable[Organisation],
    by: Any = None,
    now: datetime.datetime | None = None,
) -> ReturnWindow:
    """Ask ``organisations`` for a return of ``kind`` for ``period``, due by ``due_on``."""
    if kind not in ReturnKind.values:
        raise ReturnError("Choose which return to collect.")
    chosen = list(organisations)
    if not chosen:
        raise ReturnError("Choose the organisations that owe this return.")
    if ReturnWindow.objects.filter(period=period, kind=kind).exists():
        raise ReturnError(f"{ReturnKind(kind).label}s for {period} are already being collected.")
    window = ReturnWindow.objects.create(
        period=period, kind=kind, due_on=due_on, opened_by=by, opened_at=now or timezone.now()
    )
    for organisation in chosen:
        owed = PartnerReturn.objects.create(window=window, organisation=organisation)
        ReturnEvent.objects.create(partner_return=owed, kind=ReturnEvent.Kind.OWED, by=by)
    return window


@transaction.atomic
def add_organisations(
    *, window: ReturnWindow, organisations: Iterable[Organisation], by: Any = None
) -> int:
    """Ask more organisations for a return already being collected; return how many."""
    added = 0
    for organisation in organisations:
        owed, created = PartnerReturn.objects.get_or_create(
            window=window, organisation=organisation
        )
        if created:
            ReturnEvent.objects.create(partner_return=owed, kind=ReturnEvent.Kind.OWED, by=by)
            added += 1
    return added


def _locked(partner_return: PartnerReturn) -> PartnerReturn:
    # Read the status afresh under a lock: two people pressing buttons must not both win. With
    # what its name is made of (its window's quarter, its organisation): each move's audit
    # entries name the return, a query for each part otherwise.
    return (
        PartnerReturn.objects.select_for_update(of=("self",))
        .select_related("window__period", "organisation")
        .get(pk=partner_return.pk)
    )


def _move(
    found: PartnerReturn,
    status: str,
    *,
    event: str,
    by: Any,
    note: str,
    now: datetime.datetime,
    expected_version: int | None,
) -> PartnerReturn:
    """Move a locked return on. With ``expected_version`` (the version of the page the button
    was pressed on), a return changed since is left alone: ConcurrentEditError."""
    found.status = status
    save_versioned(
        found,
        expected_version=found.version if expected_version is None else expected_version,
        update_fields=["status"],
    )
    ReturnEvent.objects.create(partner_return=found, kind=event, by=by, note=note, at=now)
    return found


@transaction.atomic
def submit_return(
    *,
    partner_return: PartnerReturn,
    by: Any,
    now: datetime.datetime | None = None,
    expected_version: int | None = None,
) -> PartnerReturn:
    """Send a return to the coordinator. Callers check its contents first."""
    now = now or timezone.now()
    found = _locked(partner_return)
    if found.status not in EDITABLE:
        raise ReturnError(
            f"This return is {found.get_status_display().lower()}: it cannot be sent again."
        )
    found.submitted_at, found.submitted_by = now, by
    # Late once means late: a correction sent after the due day does not clear or add the mark.
    late = timezone.localdate(now) > found.window.due_on
    found.is_late = late if found.status == ReturnStatus.DRAFT else found.is_late
    found.save(update_fields=["submitted_at", "submitted_by", "is_late"])
    return _move(
        found,
        ReturnStatus.SUBMITTED,
        event="submitted",
        by=by,
        note="",
        now=now,
        expected_version=expected_version,
    )


@transaction.atomic
def accept_return(
    *,
    partner_return: PartnerReturn,
    by: Any,
    now: datetime.datetime | None = None,
    expected_version: int | None = None,
) -> PartnerReturn:
    found = _locked(partner_return)
    if found.status != ReturnStatus.SUBMITTED:
        raise ReturnError("Only a return that has been sent can be accepted.")
    return _move(
        found,
        ReturnStatus.ACCEPTED,
        event="accepted",
        by=by,
        note="",
        now=now or timezone.now(),
        expected_version=expected_version,
    )


def _reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if not reason:
        raise ReturnError("Say why, so the partner knows what to do.")
    return reason[:500]


@transaction.atomic
def send_back(
    *,
    partner_return: PartnerReturn,
    reason: str,
    by: Any,
    now: datetime.datetime | None = None,
    expected_version: int | None = None,
) -> PartnerReturn:
    """Return a sent return to its organisation for correction, saying what to correct."""
    reason = _reason(reason)
    found = _locked(partner_return)
    if found.status != ReturnStatus.SUBMITTED:
        raise ReturnError("Only a return that has been sent can be returned for correction.")
    return _move(
        found,
        ReturnStatus.RETURNED,
        event="returned",
        by=by,
        note=reason,
        now=now or timezone.now(),
        expected_version=expected_version,
    )


@transaction.atomic
def reopen(
    *,
    partner_return: PartnerReturn,
    reason: str,
    by: Any,
    now: datetime.datetime | None = None,
    expected_version: int | None = None,
) -> PartnerReturn:
    """Let a partner change a return already sent or accepted, recording why."""
    reason = _reason(reason)
    found = _locked(partner_return)
    if found.status not in (ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED):
        raise ReturnError("This return is already open for its organisation to change.")
    return _move(
        found,
        ReturnStatus.RETURNED,
        event="reopened",
        by=by,
        note=reason,
        now=now or timezone.now(),
        expected_version=expected_version,
    )


@transaction.atomic
def record_upload(*, partner_return: PartnerReturn, by: Any, note: str) -> ReturnEvent:
    """Add "Spreadsheet uploaded" to a return's history, with what the spreadsheet held.

    Called by the app whose return page took the upload (training, localprofile), after it has
    saved the figures, in the same transaction.
    """
    return ReturnEvent.objects.create(
        partner_return=partner_return, kind=ReturnEvent.Kind.UPLOADED, by=by, note=note[:500]
    )


def record_correction(*, partner_return: PartnerReturn, by: Any, note: str) -> ReturnEvent:
    """Add "Corrected" to a return's history: what was changed or removed, and what it was.

    Called by the app whose return page corrected a figure (training), in the same transaction
    as the correction, so the history always holds the earlier value.
    """
    return ReturnEvent.objects.create(
        partner_return=partner_return, kind=ReturnEvent.Kind.CORRECTED, by=by, note=note[:500]
    )


@transaction.atomic
def queue_reminders(*, window: ReturnWindow, by: Any, site_url: str) -> ReminderRun:
    """Queue the window's reminders for the task worker, which sends them once this transaction
    commits (``tasks.send_reminders``) and records on the run whom it reminded and whom not."""
    from preventhub.returns.tasks import send_reminders_run

    ReminderRun.fail_stale()  # a run whose worker stopped says so before another starts
    run = ReminderRun.objects.create(window=window, requested_by=by, site_url=site_url[:200])
    transaction.on_commit(lambda: send_reminders_run.enqueue(run.pk))
    return run


@dataclass(frozen=True)
class RemindersSent:
    """The organisations reminded, and those owing the return that nobody could be reminded at:
    they have no partner lead with an account."""

    reminded: list[Organisation]
    not_reminded: list[Organisation]


def send_reminders(
    *,
    window: ReturnWindow,
    site_url: str,
    today: datetime.date | None = None,
    by: Any = None,
    reached: Callable[[list[Organisation]], None] | None = None,
) -> RemindersSent:
    """E-mail the partner leads of each organisation whose return is still owed.

    Before the due day the e-mail says when it is due; after it, that it is late. Returns the
    organisations reminded and, so that none is skipped in silence, those owing the return with
    no partner lead to remind.

    Each organisation's reminder is recorded in its return's history as it is sent, on its own,
    and ``reached`` is told the organisations reminded so far: no transaction is held open while
    e-mails go out one by one (a national window's thousands of organisations take minutes), and
    a worker stopped part way has recorded exactly the e-mails it sent.
    """
    today = today or timezone.localdate()
    owed = window.returns.filter(status__in=EDITABLE).select_related("organisation")
    reminded: list[Organisation] = []
    not_reminded: list[Organisation] = []
    due = date_format(window.due_on)
    for found in owed:
        leads = queries.partner_leads(found.organisation)
        if not leads:
            not_reminded.append(found.organisation)
            continue
        url = site_url.rstrip("/") + reverse(RETURN_PAGES[window.kind], args=[found.pk])
        if today > window.due_on:
            subject = f"Late: your {window.get_kind_display().lower()} for {window.period}"
            opening = f"Your {window.get_kind_display().lower()} was due on {due}."
        else:
            subject = f"Due {due}: your {window.get_kind_display().lower()} for {window.period}"
            opening = f"Your {window.get_kind_display().lower()} is due by {due}."
        send_mail(
            subject,
            f"Hello,\n\n{opening} It is for {found.organisation} and {window.period}.\n\n"
            f"Fill it in or upload the spreadsheet at {url}\n",
            None,
            [lead.email for lead in leads],
        )
        ReturnEvent.objects.create(
            partner_return=found,
            kind=ReturnEvent.Kind.REMINDED,
            by=by,
            note="after the due day" if today > window.due_on else "before the due day",
        )
        reminded.append(found.organisation)
        if reached is not None:
            reached(reminded)
    return RemindersSent(reminded, not_reminded)
