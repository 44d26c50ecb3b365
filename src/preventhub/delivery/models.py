"""The Prevent Delivery Plan: versions, sections, actions, district risks and quarterly updates.

A plan version is drafted, approved at a Board meeting and superseded by its refresh. Actions
carry their state as the status of their latest progress update (an action's timeline is its
updates). Updates belong to a reporting period; closing the period freezes them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from preventhub.core import models as core_models
from preventhub.core.models import VersionedModel


class DeliveryPlan(VersionedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"
        SUPERSEDED = "superseded", "Superseded"

    title = models.CharField(max_length=200)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    approved_on = models.DateField(null=True, blank=True)
    approved_at = models.ForeignKey(
        "partnership.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_plans",
        help_text="The Board meeting that approved this version.",
    )
    predecessor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="refreshes",
        help_text="The version this one was refreshed from.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="approved"),
                name="delivery_plan_one_approved_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display().lower()})"


class Section(models.Model):
    class Kind(models.TextChoices):
        PARTNERSHIP = "partnership", "Partnership"
        SECTOR = "sector", "Sector"

    # Indexed by delivery_section_code_per_plan, which starts with it.
    plan = models.ForeignKey(
        DeliveryPlan, on_delete=models.CASCADE, related_name="sections", db_index=False
    )
    code = models.CharField(max_length=6, help_text="Starts each action's reference, e.g. SCH.")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="delivery_section_code_per_plan")
        ]

    def __str__(self) -> str:
        return self.title


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETE = "complete", "Complete"
    CANCELLED = "cancelled", "Cancelled"


class Rag(models.TextChoices):
    """How the Board reads a status: red, amber, green, or finished."""

    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"
    NOT_STARTED = "not_started", "Not started"
    COMPLETE = "complete", "Complete"
    CANCELLED = "cancelled", "Cancelled"


RAG_OF_STATUS: dict[str, str] = {
    ActionStatus.NOT_STARTED: Rag.NOT_STARTED,
    ActionStatus.ON_TRACK: Rag.GREEN,
    ActionStatus.AT_RISK: Rag.AMBER,
    ActionStatus.OFF_TRACK: Rag.RED,
    ActionStatus.COMPLETE: Rag.COMPLETE,
    ActionStatus.CANCELLED: Rag.CANCELLED,
}
FINISHED = frozenset({ActionStatus.COMPLETE, ActionStatus.CANCELLED})


class SourceKind(models.TextChoices):
    CONTEST = "contest", "Contest strategy strand"
    CTLP = "ctlp", "CTLP recommendation"
    SELF_ASSESSMENT = "self_assessment", "Self-assessment finding"
    DISTRICT_RISK = "district_risk", "District risk"
    LOCAL = "local", "Local activity"


class PlanAction(VersionedModel):
    # Indexed by delivery_action_reference_per_plan, which starts with it.
    plan = models.ForeignKey(
        DeliveryPlan, on_delete=models.CASCADE, related_name="actions", db_index=False
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="actions")
    reference = models.CharField(max_length=20)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    owner_organisation = models.ForeignKey(
        "partnership.Organisation", on_delete=models.PROTECT, related_name="plan_actions"
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_actions",
        help_text="The person who reports progress each quarter.",
    )
    partners = models.ManyToManyField(
        "partnership.Organisation", blank=True, related_name="partnered_actions"
    )
    starts_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    success_measure = models.TextField(blank=True)
    district = models.ForeignKey(
        "partnership.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_actions",
        help_text="Set for a district's own action.",
    )
    supports = models.ManyToManyField(
        "self",
        blank=True,
        symmetrical=False,
        related_name="supported_by",
        help_text="The county actions a district action supports.",
    )
    predecessor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successors",
        help_text="The same action in the version this plan was refreshed from.",
    )

    class Meta:
        ordering = ["plan", "section__position", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "reference"], name="delivery_action_reference_per_plan"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def rag(self) -> str:
        return RAG_OF_STATUS[self.status]

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED


class ActionSource(models.Model):
    """Why an action is in the plan: one of several sources, with its reference if any."""

    # Indexed by delivery_action_source_once, which starts with it.
    action = models.ForeignKey(
        PlanAction, on_delete=models.CASCADE, related_name="sources", db_index=False
    )
    kind = models.CharField(max_length=20, choices=SourceKind.choices)
    detail = models.CharField(
        max_length=200, blank=True, help_text="For example: CTLP recommendation 4."
    )

    class Meta:
        ordering = ["action", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "kind", "detail"], name="delivery_action_source_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}{': ' + self.detail if self.detail else ''}"


class DistrictRisk(VersionedModel):
    """A Prevent risk a district's Community Safety Partnership has identified."""

    district = models.ForeignKey(
        "partnership.Area", on_delete=models.PROTECT, related_name="prevent_risks"
    )
    description = models.TextField()
    likelihood = models.PositiveSmallIntegerField(help_text="1 (rare) to 5 (almost certain).")
    impact = models.PositiveSmallIntegerField(help_text="1 (minimal) to 5 (severe).")
    owner = models.ForeignKey(
        "partnership.Organisation", on_delete=models.PROTECT, related_name="district_risks"
    )
    mitigations = models.ManyToManyField(PlanAction, blank=True, related_name="mitigates")
    review_on = models.DateField()

    class Meta:
        ordering = ["district", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5, impact__gte=1, impact__lte=5),
                name="delivery_risk_scales_one_to_five",
            )
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def rating(self) -> int:
        """Likelihood × impact: a rating of a risk to an area, never of a person."""
        return self.likelihood * self.impact


class ProgressUpdate(VersionedModel):
    """A lead's quarterly report on one action: its status (hence RAG) and what happened."""

    # Indexed by delivery_update_once_per_period, which starts with it.
    action = models.ForeignKey(
        PlanAction, on_delete=models.PROTECT, related_name="updates", db_index=False
    )
    period = models.ForeignKey(
        "partnership.ReportingPeriod", on_delete=models.PROTECT, related_name="updates"
    )
    status = models.CharField(max_length=12, choices=ActionStatus.choices)
    narrative = models.TextField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="progress_updates"
    )
    submitted_at = models.DateTimeField()
    is_late = models.BooleanField("late", default=False)

    class Meta:
        ordering = ["-period__starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "period"], name="delivery_update_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.action.reference}, {self.period}"

    @property
    def rag(self) -> str:
        return RAG_OF_STATUS[self.status]


class Evidence(models.Model):
    """A file supporting an update, kept outside the web root and served only by permission."""

    update = models.ForeignKey(ProgressUpdate, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to="evidence/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class ReminderRun(core_models.ReminderRun):
    """One press of "Send reminders" for a quarter (``core.models.ReminderRun``), with who was
    reminded and who was not, and why. Names and action references only."""

    period = models.ForeignKey(
        "partnership.ReportingPeriod", on_delete=models.PROTECT, related_name="+"
    )
    # [{"lead": "Sam Lead", "actions": ["SAF-01", "SAF-02"]}, ...]
    reminded = models.JSONField(default=list, blank=True)
    # [{"action": 12, "reference": "SAF-03", "title": "...", "reason": "...", "fix": "..."}, ...]
    not_reminded = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"Reminders for {self.period}"

    @property
    def reminded_actions(self) -> int:
        return sum(len(row["actions"]) for row in self.reminded)
