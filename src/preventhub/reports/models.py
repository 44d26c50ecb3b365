"""Reports built from the data: committee reports and the Board's quarterly packs.

Their narrative is written here; their figures are placeholders bound to named queries
(``figures.py``), filled when the report is built. A published Board pack keeps what was built
(``PackVersion.snapshot``), so its page, PDF and Word file show the same figures for ever.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from preventhub.core.models import VersionedModel


class CommitteeReport(VersionedModel):
    """A report to councillors, the way the seed is written."""

    title = models.CharField(max_length=200)
    committee = models.CharField(
        max_length=200, help_text="For example, Safe and Strong Communities Select Committee."
    )
    meeting_on = models.DateField("meeting date", null=True, blank=True)
    recommendations = models.TextField(help_text="One recommendation a line.")
    report_of = models.CharField("report of", max_length=200)
    summary = models.TextField(blank=True)
    strategic_plan = models.TextField("link to the strategic plan", blank=True)
    community_impact = models.TextField(blank=True)
    contact_name = models.CharField("contact officer's name and job title", max_length=200)
    contact_phone = models.CharField("contact officer's telephone", max_length=50, blank=True)
    contact_email = models.CharField(
        "contact officer's address or email", max_length=200, blank=True
    )
    footnotes = models.TextField(blank=True, help_text="One footnote a line.")
    background_papers = models.TextField(blank=True, help_text="One paper a line; empty for none.")
    appendices = models.TextField(blank=True, help_text="One appendix title a line.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-meeting_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class CommitteeSection(models.Model):
    """A section of a committee report: a heading and paragraphs, numbered across the report."""

    report = models.ForeignKey(CommitteeReport, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField()
    heading = models.CharField(max_length=200)
    body = models.TextField(help_text="Paragraphs separated by a blank line.")

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.heading


class SectionKind(models.TextChoices):
    DELIVERY = "delivery", "Delivery Plan progress"
    TRAINING = "training", "Training coverage"
    AUDIT = "audit", "Schools audit headlines"
    REFERRALS = "referrals", "Referrals and Channel (protected statistics)"
    ASSESSMENT = "assessment", "Self-assessment progress"
    PROFILE = "profile", "Local profile returns received"
    ENGAGEMENT = "engagement", "Communication and engagement"
    DISTRICTS = "districts", "District updates"
    ACTIONS = "actions", "Decisions and actions from the last Board meeting"


class BoardPack(VersionedModel):
    """The Board's pack for one reporting period: chosen sections, in order, each with narrative."""

    period = models.OneToOneField(
        "partnership.ReportingPeriod", on_delete=models.PROTECT, related_name="board_pack"
    )
    title = models.CharField(max_length=200)
    meeting = models.ForeignKey(
        "partnership.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="board_packs",
        help_text="The Board meeting that receives the pack.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period__starts_on"]

    def __str__(self) -> str:
        return self.title


class PackSection(models.Model):
    pack = models.ForeignKey(BoardPack, on_delete=models.CASCADE, related_name="sections")
    kind = models.CharField(max_length=12, choices=SectionKind.choices)
    position = models.PositiveIntegerField()
    narrative = models.TextField(blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["pack", "kind"], name="reports_one_section_per_kind")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class PackVersion(models.Model):
    """A published Board pack, frozen: what was built when it was published."""

    pack = models.ForeignKey(BoardPack, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    meeting = models.ForeignKey(
        "partnership.Meeting", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    snapshot = models.JSONField(help_text="The built pack: its sections, figures and sources.")

    class Meta:
        ordering = ["pack", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["pack", "number"], name="reports_one_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.pack} (version {self.number})"
