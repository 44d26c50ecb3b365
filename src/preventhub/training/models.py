"""The Prevent Training Framework (¶12): levels, role groups, workforce, products, deliveries.

Levels are ordered: a higher level also counts as the lower ones. Each role group (per sector)
needs one level, refreshed after an interval. Each organisation says how many staff it has in
each role group, as of a date. Deliveries record sessions with the number of attendees by role
group: counts, never names. Coverage is computed from these (``stats.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from preventhub.core.models import VersionedModel


class TrainingLevel(VersionedModel):
    name = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=300, blank=True)
    course = models.CharField(
        max_length=200,
        blank=True,
        help_text="For example: Home Office Prevent awareness e-learning.",
    )
    refresh_months = models.PositiveSmallIntegerField(
        default=36, help_text="Training at this level goes out of date after this many months."
    )
    position = models.PositiveSmallIntegerField(
        help_text="1 is the most basic level. A higher level also counts as the lower ones."
    )

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class RoleGroup(VersionedModel):
    """Staff of one sector who need the same level of training, like "school DSL"."""

    # Indexed by training_role_group_name, which starts with it.
    sector = models.ForeignKey(
        "partnership.Sector",
        on_delete=models.PROTECT,
        related_name="training_role_groups",
        db_index=False,
    )
    name = models.CharField(max_length=100)
    level = models.ForeignKey(TrainingLevel, on_delete=models.PROTECT, related_name="role_groups")
    refresh_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Leave empty to use the level's interval. School DSLs refresh every 24 months.",
    )

    class Meta:
        ordering = ["sector__order", "sector__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["sector", "name"], name="training_role_group_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.sector})" if self.sector_id else self.name

    @property
    def refresh_interval(self) -> int:
        return self.refresh_months or self.level.refresh_months


class WorkforceFigure(models.Model):
    """How many staff an organisation has in one role group, as of a date."""

    # Indexed by training_workforce_once, which starts with it.
    organisation = models.ForeignKey(
        "partnership.Organisation",
        on_delete=models.PROTECT,
        related_name="workforce",
        db_index=False,
    )
    role_group = models.ForeignKey(RoleGroup, on_delete=models.PROTECT, related_name="workforce")
    staff = models.PositiveIntegerField()
    as_of = models.DateField()

    class Meta:
        ordering = ["organisation", "role_group", "-as_of"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "role_group", "as_of"], name="training_workforce_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.staff} {self.role_group.name} on {self.as_of}"


class TrainingProduct(VersionedModel):
    """The standard presentation, a tailored version of it, or an external e-learning course."""

    class Kind(models.TextChoices):
        PRESENTATION = "presentation", "Presentation"
        E_LEARNING = "e_learning", "External e-learning course"

    class Audience(models.TextChoices):
        EVERYONE = "everyone", "Everyone (standard)"
        LOCAL_AUTHORITY = "local_authority", "Local authority staff"
        THIRD_SECTOR = "third_sector", "Third sector"
        SCHOOLS = "schools", "Schools"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=14, choices=Kind.choices)
    audience = models.CharField(max_length=16, choices=Audience.choices, default="everyone")
    level = models.ForeignKey(
        TrainingLevel, on_delete=models.PROTECT, related_name="products", null=True, blank=True
    )
    url = models.URLField("web address", blank=True, help_text="Where an e-learning course is.")

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class ProductVersion(models.Model):
    """One version of a presentation's file: old versions are kept, with who added each."""

    # Indexed by training_version_number, which starts with it.
    product = models.ForeignKey(
        TrainingProduct, on_delete=models.PROTECT, related_name="versions", db_index=False
    )
    number = models.PositiveSmallIntegerField()
    file = models.FileField(upload_to="training/%Y/%m/")
    original_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    note = models.CharField(max_length=300, blank=True, help_text="What changed.")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["product", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["product", "number"], name="training_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.product} v{self.number}"


class TrainingSession(models.Model):
    """Training delivered: a session, or a batch of e-learning completions."""

    class Mode(models.TextChoices):
        FACE_TO_FACE = "face_to_face", "Face to face"
        ONLINE = "online", "Online, live"
        E_LEARNING = "e_learning", "E-learning completions"

    organisation = models.ForeignKey(
        "partnership.Organisation", on_delete=models.PROTECT, related_name="training_sessions"
    )
    held_on = models.DateField("date")
    product = models.ForeignKey(
        TrainingProduct, null=True, blank=True, on_delete=models.PROTECT, related_name="sessions"
    )
    level = models.ForeignKey(TrainingLevel, on_delete=models.PROTECT, related_name="sessions")
    facilitator = models.CharField(max_length=150, blank=True)
    mode = models.CharField(max_length=12, choices=Mode.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.level} for {self.organisation}, {self.held_on}"


class SessionAttendance(models.Model):
    # Indexed by training_attendance, which starts with it.
    session = models.ForeignKey(
        TrainingSession,
        on_delete=models.CASCADE,
        related_name="attendance",
        db_index=False,
    )
    role_group = models.ForeignKey(RoleGroup, on_delete=models.PROTECT, related_name="attendance")
    attendees = models.PositiveIntegerField()

    class Meta:
        ordering = ["session", "role_group"]
        constraints = [
            models.UniqueConstraint(fields=["session", "role_group"], name="training_attendance"),
            models.CheckConstraint(condition=Q(attendees__gt=0), name="training_attendees_some"),
        ]

    def __str__(self) -> str:
        return f"{self.attendees} {self.role_group.name}"
