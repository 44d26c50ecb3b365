"""Background work of the Delivery Plan, run by `manage.py db_worker`.

``services.queue_reminders`` queues the task; the task imports nothing from ``services``, so the
two modules do not import each other.
"""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from preventhub.core import audit
from preventhub.delivery import queries
from preventhub.delivery.models import ReminderRun
from preventhub.partnership.models import ReportingPeriod

logger = logging.getLogger(__name__)


@task()
def send_reminders_run(run_id: int) -> None:
    send_reminders(run_id=run_id)


def send_reminders(*, run_id: int) -> ReminderRun:
    """E-mail each lead whose actions still owe the quarter an update (called by the task worker).

    The run records whom it reminded and which actions nobody could be reminded about, and why.
    It always ends sent or stopped, so its page never shows it sending for ever.
    """
    ReminderRun.fail_stale()
    run = ReminderRun.objects.select_related("period", "requested_by").get(pk=run_id)
    if run.is_finished:  # a task run twice sends nobody a second e-mail
        return run
    run.heard_of()
    period = run.period
    reminded: list[dict[str, object]] = []
    status, problems = ReminderRun.Status.SENT, ""
    try:
        with audit.acting(label=f"Reminders sent by {run.requested_by.email}"):
            if period.status != ReportingPeriod.Status.OPEN:
                raise _Stopped(f"{period} is not open: there is nothing to remind anyone about.")
            owed = queries.reminders_owed(period)
            run.not_reminded = [
                {
                    "action": item.action.pk,
                    "reference": item.action.reference,
                    "title": item.action.title,
                    "reason": item.reason,
                    "fix": item.fix,
                    "fixed_on_action": item.fixed_on_action,
                }
                for item in owed.not_reminded
            ]
            link = f"{run.site_url.rstrip('/')}{reverse('delivery:my_updates')}"
            for lead, actions in owed.by_lead.items():
                lines = "\n".join(f"- {a.reference} {a.title}" for a in actions)
                send_mail(
                    f"{period}: Prevent Delivery Plan updates due by "
                    f"{period.updates_due_on:%-d %B %Y}",
                    f"Hello {lead.full_name},\n\nThese actions still need your update for "
                    f"{period}:\n\n{lines}\n\nSend them at {link}\n",
                    None,
                    [lead.email],
                )
                reminded.append(
                    {"lead": lead.full_name, "actions": [action.reference for action in actions]}
                )
                run.heard_of(reminded=reminded)
    except _Stopped as error:
        status, problems = ReminderRun.Status.FAILED, str(error)
    except Exception:
        logger.exception("Reminder run %s failed", run.pk)
        status = ReminderRun.Status.FAILED
        problems = (
            "Sending stopped because of a fault in Prevent Hub or the e-mail service. The "
            "reminders listed were sent; the others were not. Tell your administrator; the "
            "service's log has the details."
        )
    run.reminded, run.status, run.problems = reminded, status, problems
    run.finished_at = timezone.now()
    with audit.acting(label=f"Reminders sent by {run.requested_by.email}"):
        run.save()
    return run


class _Stopped(Exception):
    """The run cannot send: the message says why, for the coordinator."""
