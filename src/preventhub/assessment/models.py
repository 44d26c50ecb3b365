"""Self-assessment (¶19): frameworks as data, and assessments against them over time.

A framework (the Home Office Prevent duty toolkit, the DfE tools for schools and for further
education, or one of the partnership's own) has areas, each with standards, and a rating scale of
ordered levels, worst first. An assessment is one dated run of a framework: each standard gets a
rating, an assessor, evidence (text and files) and the gaps found. A finding of the partnership's
own assessment can become a Delivery Plan action in one step; a school's or college's assessment
(``establishment`` set) is private to that school, and its findings are its own action plan.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from preventhub.core.models import VersionedModel
from preventhub.delivery.models import ActionStatus


class Colour(models.TextChoices):
    """How a rating level shows: a GOV.UK tag colour, and the same colour in charts."""

    RED = "red", "Red"
    ORANGE = "orange", "Orange"
    YELLOW = "yellow", "Yellow (amber)"
    GREEN = "green", "Green"
    BLUE = "blue", "Blue"
    PURPLE = "purple", "Purple"
    GREY = "grey", "Grey"


# The colour of each level in a chart: GOV.UK's palette.
CHART_COLOURS: dict[str, str] = {
    Colour.RED: "#d4351c",
    Colour.ORANGE: "#f47738",
    Colour.YELLOW: "#ffdd00",
    Colour.GREEN: "#00703c",
    Colour.BLUE: "#1d70b8",
    Colour.PURPLE: "#4c2c92",
    Colour.GREY: "#b1b4b6",
}


class Framework(VersionedModel):
    class Audience(models.TextChoices):
        PARTNERSHIP = "partnership", "The partnership"
        SCHOOL = "school", "Schools"
        COLLEGE = "college", "Further education colleges"

    code = models.SlugField(
        max_length=40, unique=True, help_text="A short name for files and links, e.g. toolkit."
    )
    title = models.CharField(max_length=200)
    publisher = models.CharField(max_length=200, blank=True)
    audience = models.CharField(max_length=12, choices=Audience.choices)
    description = models.TextField(blank=True)
    steps = models.TextField(
        blank=True, help_text="How an assessment with it is done, one step a line."
    )

    class Meta:
        ordering = ["audience", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def step_list(self) -> list[str]:
        return [line.strip() for line in self.steps.splitlines() if line.strip()]

    @property
    def is_for_schools(self) -> bool:
        return self.audience != self.Audience.PARTNERSHIP


class RatingLevel(models.Model):
    """One level of a framework's rating scale; ``position`` 1 is the worst."""

    # Indexed by assessment_level_code, which starts with it.
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="levels", db_index=False
    )
    position = models.PositiveSmallIntegerField()
    # Looked up within its framework, by assessment_level_code; a slug's own indexes (two, on
    # PostgreSQL) would only cost writes.
    code = models.SlugField(max_length=20, db_index=False)
    label = models.CharField(max_length=60)
    description = models.TextField(blank=True)
    colour = models.CharField(max_length=8, choices=Colour.choices, default=Colour.GREY)
    is_gap = models.BooleanField(
        "a gap to act on",
        default=False,
        help_text="A standard rated at this level needs an improvement recorded.",
    )

    class Meta:
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="assessment_level_code"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def chart_colour(self) -> str:
        return CHART_COLOURS[self.colour]


class FrameworkArea(models.Model):
    # Indexed by assessment_area_code, which starts with it.
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="areas", db_index=False
    )
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=12)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="assessment_area_code"),
        ]

    def __str__(self) -> str:
        return self.title


class Standard(VersionedModel):
    # Indexed by assessment_standard_code, which starts with it.
    area = models.ForeignKey(
        FrameworkArea, on_delete=models.CASCADE, related_name="standards", db_index=False
    )
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=12)
    title = models.CharField(max_length=300)
    good_looks_like = models.TextField("what good looks like", blank=True)
    evidence_expected = models.TextField(blank=True)

    class Meta:
        ordering = ["area__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["area", "code"], name="assessment_standard_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Assessment(VersionedModel):
    """One dated run of a framework, by the partnership or by one school or college."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        SIGNED_OFF = "signed_off", "Signed off"

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="assessments")
    title = models.CharField(max_length=100, help_text='For example "Q4 2018/19".')
    assessed_on = models.DateField(help_text="The date the assessment is as at.")
    establishment = models.ForeignKey(
        "schools.Establishment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="self_assessments",
        help_text="Set for a school's or college's own assessment, which only it sees.",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    summary = models.TextField(blank=True)
    signed_off_on = models.DateField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_off_name = models.CharField(
        max_length=200, blank=True, help_text="Who signed it off, as they gave their name."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.framework.title}: {self.title}"

    @property
    def is_signed_off(self) -> bool:
        return self.status == self.Status.SIGNED_OFF


class StandardRating(VersionedModel):
    """One standard in one assessment: who assesses it, the rating and the evidence."""

    # Indexed by assessment_rating_once, which starts with it.
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="ratings", db_index=False
    )
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="ratings")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="standards_to_assess",
    )
    level = models.ForeignKey(
        RatingLevel, null=True, blank=True, on_delete=models.PROTECT, related_name="ratings"
    )
    evidence = models.TextField(blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    rated_by_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["assessment", "standard__area__position", "standard__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "standard"], name="assessment_rating_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.standard.code} in {self.assessment.title}"


class EvidenceFile(models.Model):
    """A file supporting a rating, kept with the plan's evidence and served only by permission."""

    rating = models.ForeignKey(StandardRating, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(upload_to="evidence/assessment/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


# The tag colour of a plan action's status, beside the finding it came from.
ACTION_COLOURS: dict[str, str] = {
    ActionStatus.ON_TRACK: "blue",
    ActionStatus.AT_RISK: "yellow",
    ActionStatus.OFF_TRACK: "red",
    ActionStatus.COMPLETE: "green",
}


class Finding(models.Model):
    """A gap found against a standard, and what is done about it.

    The partnership's findings become Delivery Plan actions (``plan_action``); a school's are
    its own action plan (``improvement``, ``due_on``).
    """

    rating = models.ForeignKey(StandardRating, on_delete=models.CASCADE, related_name="findings")
    text = models.TextField()
    improvement = models.TextField(blank=True, help_text="What will be done about it.")
    due_on = models.DateField(null=True, blank=True)
    plan_action = models.ForeignKey(
        "delivery.PlanAction",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The Delivery Plan action this finding became.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rating", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def action_colour(self) -> str:
        return ACTION_COLOURS.get(getattr(self.plan_action, "status", ""), "grey")
