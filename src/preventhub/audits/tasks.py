"""Background work of the schools audit, run by `manage.py db_worker`.

``services.queue_reminders`` queues the task (importing this module when it is called, so that
this module can use the services that send the reminders).
"""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from preventhub.audits import services
from preventhub.audits.models import ReminderRun
from preventhub.core import audit

logger = logging.getLogger(__name__)


@task()
def send_reminders_run(run_id: int) -> None:
    send_reminders(run_id=run_id)


def send_reminders(*, run_id: int) -> ReminderRun:
    """Remind the run's chosen schools (called by the task worker), recording on the run how
    many were reminded and which were not, and why. The run always ends sent or stopped, so its
    page never shows it sending for ever; a run taken twice sends nothing more."""
    ReminderRun.fail_stale()
    run = ReminderRun.objects.select_related("round", "requested_by").get(pk=run_id)
    if run.is_finished:
        return run
    run.heard_of()
    label = f"Reminders sent by {run.requested_by.email}"
    done = services.Reminders()
    status, problems = ReminderRun.Status.SENT, ""
    try:
        with audit.acting(label=label):
            services.remind_non_responders(
                audit_round=run.round,
                place_pks=run.places,
                site_url=run.site_url,
                done=done,
                reached=lambda done: run.heard_of(
                    sent=done.sent, no_address=done.no_address, not_delivered=done.not_delivered
                ),
            )
    except Exception:
        logger.exception("Audit reminder run %s failed", run.pk)
        status = ReminderRun.Status.FAILED
        problems = (
            "Sending stopped because of a fault in Prevent Hub or the e-mail service. The "
            "reminders counted were sent, each with a new link that works; the other schools "
            "were not reminded and keep their links. Tell your administrator; the service's "
            "log has the details."
        )
    run.sent, run.no_address, run.not_delivered, run.answered = (
        done.sent,
        done.no_address,
        done.not_delivered,
        done.answered,
    )
    run.status, run.problems, run.finished_at = status, problems, timezone.now()
    with audit.acting(label=label):
        run.save()
    return run
