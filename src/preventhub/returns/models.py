"""Partner returns: what an organisation owes the partnership for a quarter, and its history.

The coordinator opens a return window for a reporting period (a quarter of the partnership's
reporting calendar, ``partnership.ReportingPeriod``) and one kind of return, and chooses the
organisations that owe it. Each owed return goes draft → submitted → accepted, or back for
correction; the coordinator can re-open one with a reason. Every step is a
:class:`ReturnEvent`, so a return's timeline is its event log. What a return holds is the
business of the app that owns its kind (``training``, ``localprofile``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from preventhub.core import models as core_models
from preventhub.core.models import VersionedModel


class ReturnKind(models.TextChoices):
    TRAINING = "training", "Training return"
    CTLP = "ctlp", "Local profile data return"


# The page where a partner fills in a return of each kind. Named, not imported: the apps that
# own the contents import this one, never the other way round.
RETURN_PAGES: dict[str, str] = {
    ReturnKind.TRAINING: "training:return",
    ReturnKind.CTLP: "localprofile:return",
}


class ReturnWindow(models.Model):
    """One kind of return collected for one reporting period, due by one day."""

    # Indexed by returns_one_window_per_kind, which starts with it.
    period = models.ForeignKey(
        "partnership.ReportingPeriod",
        on_delete=models.PROTECT,
        related_name="return_windows",
        db_index=False,
    )
    kind = models.CharField(max_length=10, choices=ReturnKind.choices)
    due_on = models.DateField(help_text="Returns sent after this day are marked late.")
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-period__starts_on", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["period", "kind"], name="returns_one_window_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.period}"


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", "Not sent"
    SUBMITTED = "submitted", "Sent"
    ACCEPTED = "accepted", "Accepted"
    RETURNED = "returned", "Returned for correction"


# A partner may change a return only while it is theirs to send.
EDITABLE = frozenset({ReturnStatus.DRAFT, ReturnStatus.RETURNED})


class PartnerReturn(VersionedModel):
    """The return one organisation owes in one window."""

    # Indexed by returns_one_return_per_organisation, which starts with it.
    window = models.ForeignKey(
        ReturnWindow, on_delete=models.PROTECT, related_name="returns", db_index=False
    )
    organisation = models.ForeignKey(
        "partnership.Organisation", on_delete=models.PROTECT, related_name="partner_returns"
    )
    status = models.CharField(max_length=10, choices=ReturnStatus.choices, default="draft")
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_late = models.BooleanField("late", default=False)

    class Meta:
        ordering = ["window", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["window", "organisation"], name="returns_one_return_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.window}: {self.organisation}" if self.window_id else "Return"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    def is_overdue(self, today: object) -> bool:
        """Still owed after its due day: shown as late before it is even sent."""
        return self.is_editable and today > self.window.due_on  # type: ignore[operator]


class ReturnEvent(models.Model):
    """One step in a return's life, with who took it and why."""

    class Kind(models.TextChoices):
        OWED = "owed", "Asked for"
        SUBMITTED = "submitted", "Sent"
        ACCEPTED = "accepted", "Accepted"
        RETURNED = "returned", "Returned for correction"
        REOPENED = "reopened", "Re-opened"
        REMINDED = "reminded", "Reminder sent"
        UPLOADED = "uploaded", "Spreadsheet uploaded"
        CORRECTED = "corrected", "Corrected"

    partner_return = models.ForeignKey(
        PartnerReturn, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class ReminderRun(core_models.ReminderRun):
    """One press of "Send reminders" on a return window (``core.models.ReminderRun``), with the
    organisations reminded and those nobody could be reminded at, and why."""

    window = models.ForeignKey(ReturnWindow, on_delete=models.CASCADE, related_name="reminder_runs")
    reminded = models.JSONField(default=list, blank=True)  # organisation names
    not_reminded = models.JSONField(default=list, blank=True)  # [{"organisation", "reason", "fix"}]

    def __str__(self) -> str:
        return f"Reminders for {self.window}"
