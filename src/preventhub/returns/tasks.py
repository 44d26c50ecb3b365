"""Background work of partner returns, run by `manage.py db_worker`.

``services.queue_reminders`` queues the task (importing this module when it is called, so that
this module can use the services that send the reminders).
"""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from preventhub.core import audit
from preventhub.returns import services
from preventhub.returns.models import ReminderRun

logger = logging.getLogger(__name__)

NO_LEAD = "It has no partner lead with an account."
NO_LEAD_FIX = "Ask an administrator to invite a partner lead for it, then send reminders again."


@task()
def send_reminders_run(run_id: int) -> None:
    send_reminders(run_id=run_id)


def send_reminders(*, run_id: int) -> ReminderRun:
    """Send a window's reminders (called by the task worker), recording on the run which
    organisations were reminded and which could not be, and why. The run always ends sent or
    stopped, so its page never shows it sending for ever; a run taken twice sends nothing more."""
    ReminderRun.fail_stale()
    run = ReminderRun.objects.select_related("window__period", "requested_by").get(pk=run_id)
    if run.is_finished:
        return run
    # Heard of before the first e-mail and after each organisation's, with whom it has reached:
    # each reminder is recorded in its return's history as it is sent.
    run.heard_of()
    label = f"Reminders sent by {run.requested_by.email}"
    try:
        with audit.acting(label=label):
            result = services.send_reminders(
                window=run.window,
                site_url=run.site_url,
                by=run.requested_by,
                reached=lambda reminded: run.heard_of(
                    reminded=[str(organisation) for organisation in reminded]
                ),
            )
    except Exception:
        logger.exception("Return reminder run %s failed", run.pk)
        run.status = ReminderRun.Status.FAILED
        run.problems = (
            "Sending stopped because of a fault in Prevent Hub or the e-mail service. The "
            "organisations listed were reminded, each recorded in its return's history; the "
            "others were not. Tell your administrator; the service's log has the details."
        )
    else:
        run.status = ReminderRun.Status.SENT
        run.reminded = [str(organisation) for organisation in result.reminded]
        run.not_reminded = [
            {"organisation": str(organisation), "reason": NO_LEAD, "fix": NO_LEAD_FIX}
            for organisation in result.not_reminded
        ]
    run.finished_at = timezone.now()
    with audit.acting(label=label):
        run.save()
    return run
