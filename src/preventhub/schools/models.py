"""The schools register: establishments from Get Information About Schools (GIAS), by URN.

The safeguarding audit (``preventhub.audits``) is built on this register; the register knows
nothing of it.
"""

from __future__ import annotations

from django.db import models


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
    la_code = models.CharField("LA code", max_length=3, db_index=True)
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

    def __str__(self) -> str:
        return f"{self.name} ({self.urn})"


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
    finished_at = models.DateTimeField(null=True, blank=True)

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
