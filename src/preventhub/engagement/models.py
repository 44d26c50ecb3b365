"""Communication and engagement (¶21): the Contest Communication Plan and what was done under it.

The plan holds the partnership's communication objectives and its key messages. A key message
has versions; the latest approved version is the wording every partner uses, so the words stay
the same whoever speaks. Activities and engagement events are what partners did (or plan to do):
when, in which district, with whom, for which audience, through which channel, how many it
reached and what came of it. Figures for the Board are counted from activities (``stats.py``).

Nothing here is about an individual: reach is a count of people or impressions, never names.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from preventhub.core.models import VersionedModel


class Audience(models.TextChoices):
    COMMUNITIES = "communities", "Communities"
    FAITH_GROUPS = "faith_groups", "Faith groups"
    SCHOOLS = "schools", "Schools"
    PARENTS = "parents", "Parents and families"
    BUSINESSES = "businesses", "Businesses"
    STAFF = "staff", "Staff"


class Channel(models.TextChoices):
    SOCIAL_MEDIA = "social_media", "Social media"
    NEWSLETTER = "newsletter", "Newsletter"
    EVENT = "event", "Event or session"
    CAMPAIGN = "campaign", "National campaign materials"


class CommunicationObjective(VersionedModel):
    """What the partnership's communication and engagement sets out to achieve."""

    title = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(
        "order", default=1, help_text="1 comes first in the plan."
    )

    class Meta:
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title


class KeyMessage(VersionedModel):
    """A message the partnership wants heard, in the words partners have agreed to use."""

    title = models.CharField(max_length=200, unique=True)
    objective = models.ForeignKey(
        CommunicationObjective,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="messages",
    )
    audience = models.CharField(
        max_length=14,
        choices=Audience.choices,
        blank=True,
        help_text="Leave empty for a message to every audience.",
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class MessageVersion(models.Model):
    """One wording of a key message: drafted, then approved; earlier wordings are kept."""

    # Indexed by engagement_message_version, which starts with it.
    message = models.ForeignKey(
        KeyMessage, on_delete=models.PROTECT, related_name="versions", db_index=False
    )
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    note = models.CharField(max_length=300, blank=True, help_text="What changed and why.")
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField(auto_now_add=True)
    approved_on = models.DateField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["message", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["message", "number"], name="engagement_message_version")
        ]

    def __str__(self) -> str:
        return f"{self.message} v{self.number}" if self.message_id else f"v{self.number}"

    @property
    def is_approved(self) -> bool:
        return self.approved_on is not None


class ActivityKind(models.TextChoices):
    COMMUNITY_OUTREACH = "community_outreach", "Community outreach"
    PARENTING_PROGRAMME = "parenting_programme", "Parenting programme"
    SCHOOL_SESSION = "school_session", "Session in a school or college"
    FAITH_ENGAGEMENT = "faith_engagement", "Faith group engagement"
    BUSINESS_BRIEFING = "business_briefing", "Business briefing"
    STAFF_BRIEFING = "staff_briefing", "Staff briefing"
    CAMPAIGN = "campaign", "Campaign or social media post"
    NEWSLETTER = "newsletter", "Newsletter article"


class Activity(VersionedModel):
    """An engagement activity or event: planned until its day, then reported with its reach."""

    class ReachKind(models.TextChoices):
        ATTENDANCE = "attendance", "People attending"
        IMPRESSIONS = "impressions", "Impressions (people who saw it)"

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=ActivityKind.choices)
    held_on = models.DateField("date")
    district = models.ForeignKey(
        "partnership.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="engagement_activities",
        help_text="Leave empty for an activity across the whole county.",
    )
    partners = models.ManyToManyField(
        "partnership.Organisation", blank=True, related_name="engagement_activities"
    )
    audience = models.CharField(max_length=14, choices=Audience.choices)
    channel = models.CharField(max_length=14, choices=Channel.choices)
    objective = models.ForeignKey(
        CommunicationObjective,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name="objective served",
    )
    messages = models.ManyToManyField(
        KeyMessage, blank=True, related_name="activities", verbose_name="key messages used"
    )
    materials = models.CharField(
        "materials used",
        max_length=300,
        blank=True,
        help_text="For example: the national ACT Early leaflet, our parents' presentation.",
    )
    reach = models.PositiveIntegerField(null=True, blank=True)
    reach_kind = models.CharField(
        max_length=12, choices=ReachKind.choices, default=ReachKind.ATTENDANCE
    )
    feedback = models.TextField(blank=True)
    outcomes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "title"]
        verbose_name_plural = "activities"
        indexes = [models.Index(fields=["held_on", "district"], name="engagement_activity_when")]

    def __str__(self) -> str:
        return f"{self.title}, {self.held_on:%Y-%m-%d}" if self.held_on else self.title
