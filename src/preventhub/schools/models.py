"""The schools register: establishments from Get Information About Schools (GIAS), by URN.

The safeguarding audit (``preventhub.audits``) is built on this register; the register knows
nothing of it.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone

from preventhub.core.models import waits_long_for_worker


class EstablishmentGroup(models.Model):
    """A multi-academy trust or a federation: schools that sometimes answer as one."""

    class Kind(models.TextChoices):
        TRUST = "trust", "Trust"
        FEDERATION = "federation", "Federation"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=255)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="schools_group_code_per_kind")
        ]

    def __str__(self) -> str:
        return self.name


class Establishment(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        PROPOSED_TO_CLOSE = "proposed_to_close", "Open, but proposed to close"
        PROPOSED_TO_OPEN = "proposed_to_open", "Proposed to open"

    urn = models.PositiveIntegerField("URN", unique=True)
    name = models.CharField(max_length=255)
    # No index: only a new audit round's default scope looks schools up by LA code, once, and a
    # national import writes 50,000 rows through it (two indexes on PostgreSQL, with LIKE's).
    la_code = models.CharField("LA code", max_length=3)
    la_name = models.CharField("LA name", max_length=100, blank=True)
    establishment_number = models.CharField(max_length=10, blank=True)
    type_name = models.CharField("type of establishment", max_length=100, blank=True)
    type_group = models.CharField("establishment type group", max_length=100, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices)
    phase = models.CharField("phase of education", max_length=50, blank=True)
    pupils = models.PositiveIntegerField("number of pupils", null=True, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    district = models.ForeignKey(
        "partnership.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="establishments",
    )
    district_code = models.CharField("district GSS code", max_length=9, blank=True)
    trust = models.ForeignKey(
        EstablishmentGroup,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trust_schools",
    )
    federation = models.ForeignKey(
        EstablishmentGroup,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="federation_schools",
    )
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    # Not in GIAS: kept by the education safeguarding lead, never touched by an import.
    contact_email = models.EmailField(
        "safeguarding contact e-mail",
        blank=True,
        help_text="Where the school's audit link and reminders are sent: the DSL's address.",
    )

    class Meta:
        ordering = ["name"]
        indexes = [
            # The register's order: a page of 100 of England's 50,000 establishments is read
            # from the index, not by sorting all of them on every request (42 ms to 0.4 ms).
            models.Index(fields=["name", "id"], name="schools_register_order"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.urn})"


# A run still importing whose worker has not reported for this long has lost its worker (killed,
# out of memory, the machine restarted): a national extract is read and written in well under a
# minute, and the worker reports progress every thousand rows while it reads.
STALE_AFTER = datetime.timedelta(minutes=10)
# Why a run failed when the file was not at fault: such a run can be tried again as it is.
FAULT = (
    "The import stopped because of a fault in Prevent Hub, not in the file, and nothing was "
    "imported. Tell your administrator if trying again does not work; the service's log has the "
    "details."
)
WORKER_STOPPED = (
    "The import stopped because the task worker running it stopped (it was restarted or ran out "
    "of memory), and nothing was imported. The file is kept: try again."
)


class GiasImportRun(models.Model):
    """One upload of a GIAS extract, imported by the task worker while its page shows progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        SUCCEEDED = "succeeded", "Imported"
        FAILED = "failed", "Refused"

    file = models.FileField(upload_to="imports/gias/%Y/%m/")
    original_name = models.CharField(max_length=200)
    la_codes = models.CharField("LA codes", max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    problems = models.TextField(blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="gias_imports"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when the worker starts the run and each time it reports progress: a run still
    # importing whose worker has not been heard of for a while is stale (tasks.fail_stale_runs).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The run this one retries, if it is a retry (services.retry_gias_import).
    retry_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="retries"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"GIAS import of {self.original_name}"

    @property
    def percent(self) -> int:
        return 100 * self.rows_done // self.rows_total if self.rows_total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}

    @property
    def is_retryable(self) -> bool:
        """Refused for a fault of Prevent Hub's, not of the file, or its worker has stopped: the
        same file may go through."""
        if self.status == self.Status.RUNNING:
            return self.is_stale
        return self.status == self.Status.FAILED and self.problems in {FAULT, WORKER_STOPPED}

    @property
    def waits_long(self) -> bool:
        """Not yet taken up by a task worker, long after it was asked for."""
        return self.status == self.Status.QUEUED and waits_long_for_worker(
            self.created_at, started=False
        )

    @property
    def is_stale(self) -> bool:
        """Importing, but its worker has not reported for STALE_AFTER: it has stopped."""
        return (
            self.status == self.Status.RUNNING
            and self.heartbeat_at is not None
            and self.heartbeat_at < timezone.now() - STALE_AFTER
        )
