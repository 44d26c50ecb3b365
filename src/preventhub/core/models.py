"""The shared kernel's data: the append-only, hash-chained audit trail and versioned rows."""

from __future__ import annotations

import datetime
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditLogIsAppendOnly(Exception):
    """Raised on any attempt to change or remove an audit entry through the application."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditLogIsAppendOnly("Audit entries cannot be changed.")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise AuditLogIsAppendOnly("Audit entries cannot be deleted.")


class AuditEvent(models.Model):
    """One thing that happened: a change to a record, a read of case data, a sign-in, an export.

    Entries form a chain: each stores the hash of the one before it and a hash of its own
    content, so any change or removal after the fact breaks the chain (``manage.py verify_audit``).
    """

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        DELETE = "delete", "Deleted"
        READ = "read", "Read"
        EXPORT = "export", "Exported"
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        LOCKED_OUT = "locked_out", "Locked out"
        SIGN_OUT = "sign_out", "Signed out"
        ROLE_CHANGE = "role_change", "Roles changed"
        TWO_FACTOR = "two_factor", "Two-factor authentication"

    sequence = models.PositiveBigIntegerField(unique=True, editable=False)
    occurred_at = models.DateTimeField(db_index=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    # Kept as written at the time, so the entry still reads right if the account changes.
    actor_label = models.CharField(max_length=254, blank=True, editable=False)
    ip_address = models.GenericIPAddressField(null=True, blank=True, editable=False)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    previous_hash = models.CharField(max_length=64, editable=False)
    entry_hash = models.CharField(max_length=64, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        # Declared here rather than with db_index=True or unique=True on the text fields: on
        # PostgreSQL those add a second index for LIKE to each, which no look-up of the trail
        # uses, on the table written with every change and every read of a case. The object's
        # index serves a look-up by its type alone.
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="core_audit_object_idx"),
            models.Index(fields=["action"], name="core_audit_action_idx"),
        ]
        constraints = [models.UniqueConstraint(fields=["entry_hash"], name="core_audit_hash_once")]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.get_action_display()} {self.object_repr}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogIsAppendOnly("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditLogIsAppendOnly("Audit entries cannot be deleted.")


class VersionedModel(models.Model):
    """A row that detects concurrent edits (see ``core.concurrency.save_versioned``)."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


# A reminder run's worker reports as it sends (REMINDERS_REPORT_EVERY); a run still sending
# whose worker has not been heard of for this long has stopped (killed, out of memory, the
# machine restarted): one e-mail takes seconds.
REMINDERS_STALE_AFTER = datetime.timedelta(minutes=10)
# How often a sending run's report is written (ReminderRun.heard_of): often enough for the person
# watching its page, and not with every e-mail. A report holds the lists of whom the run could
# not remind, which grow with it: written after each of a national round's 22,000 e-mails, they
# came to gigabytes written, and the run's writes grew with the square of its schools (3,000
# reports took 1.1 s on SQLite and 3.7 s on PostgreSQL; 22,000, some fifty times that). A
# worker that stops loses at most this much of the run's report; what it did is recorded with
# each e-mail where it matters (a school's new link, a return's history).
REMINDERS_REPORT_EVERY = datetime.timedelta(seconds=2)
REMINDERS_WORKER_STOPPED = (
    "Sending stopped because the task worker sending the reminders stopped (it was restarted or "
    "ran out of memory). The reminders counted were sent, and perhaps a few in its last seconds; "
    "the others were not. Send the reminders again: anyone already reminded is reminded again."
)


# Work given to the task worker and not taken up for this long is waiting for a worker that is
# busy (a national GIAS import runs for minutes) or not running at all. It may still start, so it
# is never ended for that; its page says so (core/includes/waiting_for_worker.html), where it
# would otherwise say "Sending" or "Waiting to start" for ever.
WORKER_WAIT_NOTICED_AFTER = datetime.timedelta(minutes=2)


def waits_long_for_worker(
    asked_at: datetime.datetime | None, *, started: bool, now: datetime.datetime | None = None
) -> bool:
    """Asked for more than WORKER_WAIT_NOTICED_AFTER ago, and not yet started by a worker."""
    if started or asked_at is None:
        return False
    return asked_at < (now or timezone.now()) - WORKER_WAIT_NOTICED_AFTER


class ReminderRun(models.Model):
    """One press of "Send reminders": sent by the task worker, not in the request, and kept with
    what it did. Each app's run adds what it reminds about and whom it reached and did not, and
    why; ``core/includes/reminder_run_status.html`` draws the top of its page.

    The worker reports as it goes (:meth:`heard_of`, with what it has done so far), so a run
    whose worker stopped is told from one still sending (:attr:`is_stale`) and ended as stopped
    (:meth:`fail_stale`), keeping what it had done.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Stopped"

    site_url = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    problems = models.TextField(blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-requested_at", "-pk"]

    @property
    def is_finished(self) -> bool:
        return self.status != self.Status.QUEUED

    @property
    def is_stale(self) -> bool:
        """Sending, but its worker has not reported for REMINDERS_STALE_AFTER: it has stopped."""
        return (
            self.status == self.Status.QUEUED
            and self.heartbeat_at is not None
            and self.heartbeat_at < timezone.now() - REMINDERS_STALE_AFTER
        )

    @property
    def waits_long(self) -> bool:
        """Not yet taken up by a task worker, long after it was asked for."""
        return self.status == self.Status.QUEUED and waits_long_for_worker(
            self.requested_at, started=self.heartbeat_at is not None
        )

    @property
    def is_sending(self) -> bool:
        """Still being sent, as far as anyone can tell."""
        return self.status == self.Status.QUEUED and not self.is_stale

    @property
    def why_stopped(self) -> str:
        """Why not every reminder was sent ("" if they were, or still may be)."""
        return REMINDERS_WORKER_STOPPED if self.is_stale else self.problems

    def heard_of(self, **done: Any) -> None:
        """The worker's report: still sending, and (``done``) what it has sent so far.

        Written at once, whatever else the run holds unsaved, unless the last report was
        written less than REMINDERS_REPORT_EVERY ago: then ``done`` is only kept on the run, for
        the next report or the run's last save.
        """
        now = timezone.now()
        if self.heartbeat_at is not None and now - self.heartbeat_at < REMINDERS_REPORT_EVERY:
            for name, value in done.items():
                setattr(self, name, value)
            return
        reported = {"heartbeat_at": now, **done}
        type(self).objects.filter(pk=self.pk).update(**reported)
        for name, value in reported.items():
            setattr(self, name, value)

    @classmethod
    def fail_stale(cls, *, now: datetime.datetime | None = None) -> int:
        """End as stopped every run still sending whose worker has not reported for
        REMINDERS_STALE_AFTER, keeping what it had reported done. Returns how many it ended."""
        now = now or timezone.now()
        stale = cls.objects.filter(
            status=cls.Status.QUEUED, heartbeat_at__lt=now - REMINDERS_STALE_AFTER
        )
        return stale.update(
            status=cls.Status.FAILED, problems=REMINDERS_WORKER_STOPPED, finished_at=now
        )


class SentForm(models.Model):
    """A form a signed-in person sent, claimed by its once-only token (``core.once``): the same
    form sent again is taken to where the first went, not saved twice. Kept a day."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Where the first sending's answer sent the browser; empty while it is being handled.
    location = models.CharField(max_length=2000, blank=True)

    def __str__(self) -> str:
        return f"Form sent at {self.sent_at:%Y-%m-%d %H:%M:%S}"
