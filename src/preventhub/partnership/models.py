"""Who and where, and how the partnership governs itself.

Areas, sectors, organisations and their contacts; boards with their reporting lines,
memberships (kept as history: a change of chair ends one membership and starts another),
meetings with agenda, attendance, minutes, decisions and the actions arising; and the
reporting calendar (the quarters every part of the partnership reports for).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from preventhub.core.models import VersionedModel


class Area(models.Model):
    """A county, district or unitary authority, identified by its ONS (GSS) code."""

    class Kind(models.TextChoices):
        COUNTY = "county", "County"
        DISTRICT = "district", "District or borough"
        UNITARY = "unitary", "Unitary authority"

    gss_code = models.CharField("GSS code", max_length=9, unique=True)
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Sector(models.Model):
    """A kind of partner, and whether the 2015 Act makes its bodies subject to the Prevent duty."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100, unique=True)
    is_specified_authority = models.BooleanField(
        "specified authority",
        default=False,
        help_text="Named in Schedule 6 of the Counter-Terrorism and Security Act 2015.",
    )
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Organisation(VersionedModel):
    """A member of the partnership: the council, the police, a trust, a charity."""

    name = models.CharField(max_length=200, unique=True)
    sector = models.ForeignKey(
        Sector, null=True, blank=True, on_delete=models.PROTECT, related_name="organisations"
    )
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.PROTECT, related_name="organisations"
    )
    website = models.URLField(blank=True)
    is_archived = models.BooleanField(
        "archived", default=False, help_text="Kept for history; no longer offered for new links."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Contact(VersionedModel):
    """Someone at an organisation, who may or may not have an account."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contacts"
    )
    name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts",
        help_text="Their Prevent Hub account, if they have one.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(user__isnull=False),
                name="partnership_contact_one_per_user_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.organisation}" if self.organisation_id else self.name


class Board(VersionedModel):
    """A board, group, partnership or panel that meets, with its place in the reporting lines."""

    class Kind(models.TextChoices):
        PREVENT_BOARD = "prevent_board", "Prevent Board"
        CONTEST_BOARD = "contest_board", "Contest Board"
        STRATEGY_GROUP = "strategy_group", "Strategy group"
        CSP = "csp", "Community Safety Partnership"
        CHANNEL_PANEL = "channel_panel", "Channel Panel"
        OTHER = "other", "Other"

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        BIMONTHLY = "bimonthly", "Every two months"
        QUARTERLY = "quarterly", "Quarterly"
        SIX_MONTHLY = "six_monthly", "Every six months"
        ANNUALLY = "annually", "Once a year"
        AS_NEEDED = "as_needed", "As needed"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    purpose = models.TextField(blank=True)
    area = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="boards",
        help_text="The district a Community Safety Partnership covers.",
    )
    frequency = models.CharField(
        "meets", max_length=20, choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    quorum = models.PositiveSmallIntegerField(
        default=0, help_text="How many members must be present for decisions. 0 if not set."
    )
    reports_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reported_to_by",
        help_text="The one board this board is accountable to.",
    )
    updates = models.ManyToManyField(
        "self",
        blank=True,
        symmetrical=False,
        related_name="updated_by",
        help_text="Boards this board keeps informed.",
    )
    is_archived = models.BooleanField("archived", default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["area"],
                condition=Q(kind="csp", is_archived=False),
                name="partnership_board_one_csp_per_district",
            ),
            models.CheckConstraint(
                condition=~Q(reports_to=F("pk")), name="partnership_board_not_reporting_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's seat on a board, from one date to another: the history is never overwritten."""

    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        VICE_CHAIR = "vice_chair", "Vice-chair"
        DISTRICT_LEAD = "district_lead", "District Prevent Lead"
        CORE = "core", "Core member"
        CO_OPTED = "co_opted", "Co-opted member"
        ADVISER = "adviser", "Adviser"
        OBSERVER = "observer", "Observer"

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    represents = models.CharField(
        max_length=150, blank=True, help_text="For example: adult safeguarding, education."
    )
    since = models.DateField(default=timezone.localdate)
    until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["board", "role", "since"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(contact__isnull=True))
                | (Q(user__isnull=True) & Q(contact__isnull=False)),
                name="partnership_membership_is_a_user_or_a_contact",
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")),
                name="partnership_membership_ends_after_it_starts",
            ),
            models.UniqueConstraint(
                fields=["board"],
                condition=Q(role="chair", until__isnull=True),
                name="partnership_membership_one_current_chair",
            ),
            models.UniqueConstraint(
                fields=["board"],
                condition=Q(role="district_lead", until__isnull=True),
                name="partnership_membership_one_current_district_lead",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name}, {self.get_role_display()} of {self.board}"

    @property
    def person_name(self) -> str:
        if self.user_id:
            return self.user.full_name
        return self.contact.name if self.contact_id else ""

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.since <= on and (self.until is None or self.until >= on)


class Meeting(VersionedModel):
    """One meeting of a board. Its version guards the minutes against concurrent editing."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField("date")
    location = models.CharField(max_length=200, blank=True)
    minutes = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.board} – {self.held_on:%-d %B %Y}"


class AgendaItem(models.Model):
    # Indexed by partnership_agenda_item_position, which starts with it.
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", db_index=False
    )
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    lead = models.CharField(max_length=150, blank=True, help_text="Who introduces the item.")

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"], name="partnership_agenda_item_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"

    # Indexed by partnership_attendance_once_per_meeting, which starts with it.
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance", db_index=False
    )
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(max_length=10, choices=Status.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "membership"], name="partnership_attendance_once_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership.person_name}: {self.get_status_display()}"


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField()

    class Meta:
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class BoardAction(VersionedModel):
    """Something a board asked an organisation to do, arising from one of its meetings."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField()
    owner_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="board_actions"
    )
    owner_name = models.CharField(
        "owner", max_length=150, blank=True, help_text="The person who will do it."
    )
    due_on = models.DateField("due")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description[:80]


class ReportingPeriod(models.Model):
    """A financial-year quarter of the partnership's reporting calendar.

    The Delivery Plan's updates, partner returns, training and local profile returns are all
    given for one; its progress goes to one Board meeting.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", "Not open yet"
        OPEN = "open", "Open for updates"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=20, unique=True, help_text='For example "2018/19 Q3".')
    starts_on = models.DateField()
    ends_on = models.DateField()
    updates_due_on = models.DateField(help_text="Updates after this day are marked late.")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PLANNED)
    closed_at = models.DateTimeField(null=True, blank=True)
    board_meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reporting_periods",
        help_text="The Board meeting this quarter's report goes to.",
    )

    class Meta:
        # The calendar began in the Delivery Plan: its table and constraint names stay.
        db_table = "delivery_reportingperiod"
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="open"), name="delivery_one_open_period"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="delivery_period_in_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PeriodReopening(models.Model):
    """A closed quarter opened again by the coordinator, and why: kept for good, one a time."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="reopenings")
    reopened_at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=500)
    # When it had been closed: the quarter's closed_at is cleared when it opens again.
    was_closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-reopened_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.period} re-opened"
