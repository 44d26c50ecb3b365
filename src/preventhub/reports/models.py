"""Reports built from the data: committee reports and the Board's quarterly packs.

Their narrative is written here; their figures are placeholders bound to named queries
(``figures.py``), filled when the report is built. A published Board pack keeps what was built
(``PackVersion.snapshot``), so its page, PDF and Word file show the same figures for ever.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from preventhub.core.models import VersionedModel, waits_long_for_worker


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
    # Indexed by reports_one_section_per_kind, which starts with it.
    pack = models.ForeignKey(
        BoardPack, on_delete=models.CASCADE, related_name="sections", db_index=False
    )
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

    # Indexed by reports_one_version_number, which starts with it.
    pack = models.ForeignKey(
        BoardPack, on_delete=models.PROTECT, related_name="versions", db_index=False
    )
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


# A build's worker reports at each step; a build still running whose worker has not been heard
# of for this long has stopped (killed, out of memory, the machine restarted): a report is built
# in seconds, so ten minutes is far beyond any real build.
STALE_AFTER = datetime.timedelta(minutes=10)
# Why a build failed, for a person: never a traceback (the service's log has that).
FAULT = (
    "The file could not be made because of a fault in Prevent Hub. Nothing was kept. Ask for "
    "the file again; tell your administrator if it fails again."
)
WORKER_STOPPED = (
    "The file could not be made because the task worker building it stopped (it was restarted "
    "or ran out of memory). Nothing was kept: ask for the file again."
)


class ReportBuild(models.Model):
    """A Word or PDF file of a report, built by the task worker while its page shows progress.

    It builds exactly one of: a committee report (as it is when the worker builds it), a draft
    Board pack (likewise), or a published pack version (its frozen snapshot).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being built"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    class Format(models.TextChoices):
        DOCX = "docx", "Word document"
        PDF = "pdf", "PDF"

    # What each step of a build does, in order: the page shows "Step n of m: <what>".
    STEPS = ("Gathering the figures", "Writing the file", "Keeping the file")

    committee_report = models.ForeignKey(
        CommitteeReport, on_delete=models.CASCADE, null=True, blank=True, related_name="builds"
    )
    pack = models.ForeignKey(
        BoardPack, on_delete=models.CASCADE, null=True, blank=True, related_name="builds"
    )
    pack_version = models.ForeignKey(
        PackVersion, on_delete=models.CASCADE, null=True, blank=True, related_name="builds"
    )
    format = models.CharField(max_length=4, choices=Format.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="report_builds"
    )
    # The site's address when the build was asked for: the file's links to each figure's source
    # page are absolute, and the worker has no request to take it from.
    site_url = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    steps_done = models.PositiveSmallIntegerField(default=0)
    steps_total = models.PositiveSmallIntegerField(default=len(STEPS))
    # Kept beside the other files Prevent Hub keeps (MEDIA_ROOT), under a name of the build's
    # own, and sent only through the build's download page, which checks who asks.
    file = models.FileField(upload_to="exports/reports/%Y/%m/", blank=True)
    filename = models.CharField("file name", max_length=100, blank=True)
    title = models.CharField(max_length=200, blank=True)
    figures = models.PositiveIntegerField(default=0, help_text="How many figures the file has.")
    error = models.TextField(blank=True, help_text="Why the build failed, for a person.")
    requested_at = models.DateTimeField(auto_now_add=True)
    # Set when the worker starts the build and at each step: a build still running whose worker
    # has not been heard of for STALE_AFTER is stale (tasks.fail_stale_builds).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        committee_report__isnull=False, pack__isnull=True, pack_version__isnull=True
                    )
                    | models.Q(
                        committee_report__isnull=True, pack__isnull=False, pack_version__isnull=True
                    )
                    | models.Q(
                        committee_report__isnull=True, pack__isnull=True, pack_version__isnull=False
                    )
                ),
                name="reports_build_of_one_report",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_format_display()} of {self.title or self.of}"

    @property
    def of(self) -> CommitteeReport | BoardPack | PackVersion:
        """What is built."""
        return self.committee_report or self.pack or self.pack_version  # type: ignore[return-value]

    @property
    def report_url(self) -> str:
        """The page of the report this is a file of."""
        if self.committee_report_id is not None:
            return reverse("reports:committee", args=[self.committee_report_id])
        if self.pack_id is not None:
            return reverse("reports:pack", args=[self.pack_id])
        return reverse("reports:pack_version", args=[self.pack_version_id])

    @property
    def is_draft(self) -> bool:
        """A draft pack: only those who write packs read it."""
        return self.pack_id is not None

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def waits_long(self) -> bool:
        """Not yet taken up by a task worker, long after it was asked for."""
        return self.status == self.Status.QUEUED and waits_long_for_worker(
            self.requested_at, started=False
        )

    @property
    def is_stale(self) -> bool:
        """Being built, but its worker has not reported for STALE_AFTER: it has stopped."""
        return (
            self.status == self.Status.RUNNING
            and self.heartbeat_at is not None
            and self.heartbeat_at < timezone.now() - STALE_AFTER
        )

    @property
    def step(self) -> int:
        """The step under way (1-based), or the last one once finished."""
        return min(self.steps_done + 1, self.steps_total)

    @property
    def step_name(self) -> str:
        return self.STEPS[self.step - 1]
