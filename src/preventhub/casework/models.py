"""Referrals and Channel casework: the most sensitive data Prevent Hub holds.

A :class:`Referral` is the one record of an individual's journey, from intake through police
triage and routing to the Channel panel, consent, support, exit and the reviews after it. What
identifies the person, and every narrative, is held in :class:`EncryptedTextField` columns. The
plain columns are what statistics need (age in years at referral, gender, district, type of
concern, sector, dates of each milestone), and they are what is left, as a tombstone, when the
record's retention date passes and ``manage.py purge_expired_cases`` destroys the rest.

Nothing here scores, rates or flags a person: assessments are text written by professionals,
and every decision is a person's, recorded with its reasons (DOMAIN.md §8).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from preventhub.casework.crypto import EncryptedTextField
from preventhub.core.disclosure import new_record_key
from preventhub.core.models import VersionedModel


class ListItem(models.Model):
    """An entry of a list the partnership keeps (``casework/views/lists.py``): taken out of use,
    never deleted, so the records that name it keep it."""

    order = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(default=True)

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name  # type: ignore[attr-defined]


class ConcernType(ListItem):
    """The Home Office's type-of-concern categories, editable by the partnership."""

    name = models.CharField(max_length=120, unique=True)


class TriageCheck(ListItem):
    """One of the checks the police make during triage and deconfliction (a configurable list)."""

    name = models.CharField(max_length=150, unique=True)


class ReferralSector(models.TextChoices):
    """The sectors the Home Office publishes referrals by."""

    EDUCATION = "education", "Education"
    POLICE = "police", "Police"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    HEALTH = "health", "Health"
    COMMUNITY = "community", "Community"
    FAMILY_FRIENDS = "family_friends", "Family or friends"
    OTHER = "other", "Other"


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    NOT_KNOWN = "not_known", "Not known"


class Referral(VersionedModel):
    """A person referred to Prevent, and their journey. ``str()`` is the reference only."""

    class Source(models.TextChoices):
        POLICE = "police", "Police Prevent team"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        PARTNER_FORM = "partner_form", "Partner referral form"

    class Awareness(models.TextChoices):
        CONSENTED = "consented", "Aware of the referral and agreed to it"
        AWARE = "aware", "Aware of the referral, did not agree"
        NOT_AWARE = "not_aware", "Not aware of the referral"
        NOT_KNOWN = "not_known", "Not known"

    class Stage(models.TextChoices):
        RECEIVED = "received", "Received, awaiting triage"
        TRIAGED = "triaged", "Triaged, awaiting routing"
        POLICE_LED = "police_led", "Police-led case management"
        CHANNEL = "channel", "Channel"
        EXITED = "exited", "Exited, reviews to come"
        CLOSED = "closed", "Closed"

    class Route(models.TextChoices):
        NO_FURTHER_ACTION = "nfa", "No further action"
        SIGNPOSTED = "signposted", "Signposted to another service"
        POLICE_LED = "police_led", "Police-led Prevent case management"
        CHANNEL = "channel", "Channel panel"

    class ExitReason(models.TextChoices):
        NO_LONGER_VULNERABLE = "no_longer", "Vulnerability addressed by the support"
        CONSENT_WITHDRAWN = "withdrawn", "Consent withdrawn"
        OTHER_SERVICES = "other_services", "Better met by other services"
        MOVED = "moved", "Moved out of the area"
        OTHER = "other", "Other"

    reference = models.CharField(max_length=20, unique=True)
    # Indexed: statistics count a period's referrals, ten years of them at national scale.
    received_on = models.DateField(db_index=True)
    source = models.CharField(max_length=20, choices=Source.choices)
    # The police force whose Prevent team triages the referral: its officers see it. Indexed
    # with the stage (Meta), which their queue filters by as well.
    force = models.ForeignKey(
        "partnership.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    referrer_organisation = EncryptedTextField(blank=True)
    referrer_sector = models.CharField(max_length=20, choices=ReferralSector.choices)
    referrer_name = EncryptedTextField(blank=True)
    # Kept to show who submitted it. It gives them no access: no rule ever reads it.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    given_name = EncryptedTextField(blank=True)
    family_name = EncryptedTextField(blank=True)
    date_of_birth = EncryptedTextField(blank=True)  # ISO date, encrypted like the name
    address = EncryptedTextField(blank=True)
    # Plain, for statistics: the whole years of age on the day received, never the birth date.
    age_at_referral = models.PositiveSmallIntegerField(null=True)
    gender = models.CharField(max_length=10, choices=Gender.choices)
    district = models.ForeignKey(
        "partnership.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    concern_type = models.ForeignKey(ConcernType, on_delete=models.PROTECT, related_name="+")
    concerns = EncryptedTextField(blank=True)
    awareness = models.CharField(max_length=10, choices=Awareness.choices)
    safeguarding_involved = models.BooleanField(default=False)
    safeguarding_details = EncryptedTextField(blank=True)
    previous_referral = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="re_referrals"
    )

    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.RECEIVED)
    route = models.CharField(max_length=12, choices=Route.choices, blank=True)
    route_reason = EncryptedTextField(blank=True)
    signposted_to = EncryptedTextField(blank=True)
    routed_on = models.DateField(null=True, blank=True)
    panel = models.ForeignKey(
        "partnership.Board", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # Milestones, plain dates: the journey outcomes statistics count, kept after a purge.
    triaged_on = models.DateField(null=True, blank=True)
    discussed_on = models.DateField(null=True, blank=True)
    adopted_on = models.DateField(null=True, blank=True)
    consent_refused_on = models.DateField(null=True, blank=True)
    support_started_on = models.DateField(null=True, blank=True)
    exited_on = models.DateField(null=True, blank=True)
    reviews_completed = models.PositiveSmallIntegerField(default=0)
    closed_on = models.DateField(null=True, blank=True)
    # The record key of the statistics' cell-key protection (core/disclosure.py): random, fixed
    # when the referral is received, never shown. Its name ends in "key", so the audit trail
    # hides its value too.
    record_key = models.PositiveSmallIntegerField(default=new_record_key, editable=False)

    exit_reason = models.CharField(max_length=20, choices=ExitReason.choices, blank=True)
    exit_notes = EncryptedTextField(blank=True)

    legal_hold = models.BooleanField(default=False)
    legal_hold_reason = EncryptedTextField(blank=True)
    retain_until = models.DateField(null=True, blank=True)
    purged_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        # A force's referrals at a stage: the police officer's queue on the home page and the
        # referrals list by stage, among ten years of closed ones at national scale.
        indexes = [
            models.Index(fields=["force", "stage"], name="casework_force_stage"),
            # The data protection officer's pages, over ten years of referrals at national scale
            # (each was a scan of the table, 12 to 17 ms for 90,000): the retention list in its
            # order, which also finds the closed cases past their retention date (purged_on
            # empty, retain_until before today: what purge_expired_cases destroys), and those on
            # legal hold. Each holds only the rows its pages read, so a referral being worked on
            # writes neither.
            models.Index(
                fields=["purged_on", "retain_until", "reference"],
                condition=Q(closed_on__isnull=False) | Q(legal_hold=True),
                name="casework_retention_order",
            ),
            # Its column is the one the held cases are counted by, so that the count reads this
            # index alone: on retain_until, SQLite chose the retention list's, which leads to
            # each row for its hold: a read of every closed case.
            models.Index(
                fields=["purged_on"], condition=Q(legal_hold=True), name="casework_legal_hold"
            ),
        ]

    def __str__(self) -> str:
        # Never the name: str() goes into the audit trail, which is kept for ever.
        return self.reference

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def birth_date(self) -> datetime.date | None:
        return datetime.date.fromisoformat(self.date_of_birth) if self.date_of_birth else None

    def age_on(self, day: datetime.date) -> int | None:
        born = self.birth_date
        if born is None:
            return None
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class ReferralTally(models.Model):
    """How many referrals received in one quarter fall in one pair of categories, and the sum of
    their record keys: what the protected statistics count, kept by the database.

    Triggers on the referrals' table (migration 0009) add each referral received to its
    quarter's tallies, move it when a counted column changes and take it away when it is
    deleted, in the same statement, however the row was written: so a table of a year reads a
    few hundred tallies instead of its nine thousand referrals at national scale, and is never
    out of step with them. One row per quarter (the calendar quarter's first day: financial
    quarters are calendar quarters), pair of dimensions (``dimensions``, like
    ``"age_band+gender"``, the names in order) and the two categories' values, as text
    (``casework.stats.TALLY_VALUES`` reads them). A one-way table reads any pair holding its
    dimension. Never shown: every figure made from them goes through the protection in
    ``casework.stats``.
    """

    quarter = models.DateField()
    dimensions = models.CharField(max_length=40)
    first_value = models.CharField(max_length=40)
    second_value = models.CharField(max_length=40)
    referrals = models.IntegerField()
    key_sum = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["quarter", "dimensions", "first_value", "second_value"],
                name="casework_referral_tally_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.quarter:%Y-%m} {self.dimensions}"


class MatchKey(models.Model):
    """A blind index of the person's name and date of birth, to find earlier referrals.

    The field is named ``blind_key`` so the audit trail hides its value, as it does for keys.
    """

    class Kind(models.TextChoices):
        EXACT = "exact", "Same name and date of birth"
        SWAPPED = "swapped", "Same names in the other order, same date of birth"
        SOUNDS_ALIKE = "sounds_alike", "Similar-sounding name, same date of birth"
        SAME_NAME_YEAR = "same_name_year", "Same name, born in the same year"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="match_keys")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    blind_key = models.CharField(max_length=64)

    class Meta:
        # Not db_index=True: on PostgreSQL that adds a second index, for LIKE, which a key
        # looked up whole never uses; four keys a referral.
        indexes = [models.Index(fields=["blind_key"], name="casework_match_key_idx")]

    def __str__(self) -> str:
        return f"{self.referral} {self.kind}"


class Triage(VersionedModel):
    """The police triage and deconfliction of one referral."""

    class Category(models.TextChoices):
        CLEAR = "clear", "Clear concern"
        POSSIBLE = "possible", "Possible concern, more information needed"
        NOT_APPROPRIATE = "not_appropriate", "Not appropriate for Prevent"

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="triage")
    category = models.CharField(max_length=20, choices=Category.choices)
    decision = EncryptedTextField()
    rationale = EncryptedTextField()
    decided_on = models.DateField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Triage of {self.referral}"


class TriageCheckResult(models.Model):
    # Indexed by casework_check_once, which starts with it.
    triage = models.ForeignKey(
        Triage, on_delete=models.CASCADE, related_name="checks", db_index=False
    )
    triage_check = models.ForeignKey(TriageCheck, on_delete=models.PROTECT, related_name="+")
    done_on = models.DateField()
    findings = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["triage_check__order", "triage_check__name"]
        constraints = [
            models.UniqueConstraint(fields=["triage", "triage_check"], name="casework_check_once")
        ]

    def __str__(self) -> str:
        return f"{self.triage_check} for {self.triage.referral}"


class CaseEvent(models.Model):
    """One line of a case's timeline: what happened, who did it, when. Never personal data.

    ``kind`` says what happened for code to match on; ``title`` says it for people to read.
    """

    class Kind(models.TextChoices):
        RECEIVED = "received", "Referral received"
        LINKED = "linked", "Linked to an earlier referral"
        REFERRED_AGAIN = "referred_again", "Referred again"
        TRIAGED = "triaged", "Triaged"
        ROUTED = "routed", "Routed"
        ON_AGENDA = "on_agenda", "Put on a panel agenda"
        DECISION = "decision", "Panel decision"
        ASSIGNED = "assigned", "Member assigned"
        CALLED = "called", "Member called for the case"
        ASSIGNMENT_ENDED = "assignment_ended", "Member's access ended"
        ASSESSMENT = "assessment", "Vulnerability assessment recorded"
        CONSENT = "consent", "Consent recorded"
        SUPPORT_STARTED = "support_started", "Support started"
        ONWARD = "onward", "Health or social care considered"
        INTERVENTION = "intervention", "Intervention added to the support plan"
        NOTE = "note", "Progress note added"
        EXITED = "exited", "Exited Channel"
        REVIEW_DONE = "review_done", "Review completed"
        TRANSFERRED = "transferred", "Transferred"
        CLOSED = "closed", "Case closed"
        BREAK_GLASS = "break_glass", "Opened by break-glass"
        LEGAL_HOLD = "legal_hold", "Legal hold placed"
        HOLD_LIFTED = "hold_lifted", "Legal hold lifted"
        INTAKE_CORRECTED = "intake_corrected", "Intake details corrected"
        OTHER = "other", "Other"  # lines written before kinds existed, whose title matched none

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.referral}: {self.title}"


class IntakeCorrection(models.Model):
    """A correction of a referral's intake details after it was recorded: who, when, which
    details, why, and what they were before. The earlier values and the reason are personal data,
    so they are encrypted like the referral's own; ``fields`` names the details only."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="intake_corrections"
    )
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    fields = models.CharField(max_length=300)  # "Date of birth, Address": names, never values
    earlier = EncryptedTextField()  # JSON: {"Date of birth": "1 June 2009", ...}
    reason = EncryptedTextField()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.referral}: intake corrected"


class CaseAssignment(models.Model):
    """A Channel member's access to one case: assigned (core) or called (co-opted)."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", "Assigned"
        CALLED = "called", "Called for this case"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    since = models.DateField()
    until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["since", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                name="casework_assignment_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.referral}"


class BreakGlass(models.Model):
    """Someone with a case role opened a case outside their assignment, giving a reason."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="break_glass")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=500)
    opened_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"Break-glass on {self.referral}"


class AgendaEntry(models.Model):
    """A case on the agenda of a Channel panel meeting (the meeting lives in ``partnership``)."""

    # Indexed by casework_agenda_once, which starts with it.
    meeting = models.ForeignKey(
        "partnership.Meeting",
        on_delete=models.PROTECT,
        related_name="case_agenda",
        db_index=False,
    )
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="agenda")

    class Meta:
        ordering = ["meeting__held_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "referral"], name="casework_agenda_once")
        ]

    def __str__(self) -> str:
        return f"{self.referral} at {self.meeting}"


class PanelDecision(models.Model):
    """What the panel decided about a case at a meeting, with the votes, as s.37 allows."""

    class Outcome(models.TextChoices):
        ADOPT = "adopt", "Adopt as a Channel case"
        NOT_ADOPT = "not_adopt", "Not adopted: refer to other services"
        CONTINUE = "continue", "Continue support"
        EXIT = "exit", "Exit Channel"
        DEFER = "defer", "Defer for more information"

    agenda_entry = models.ForeignKey(
        AgendaEntry, on_delete=models.CASCADE, related_name="decisions"
    )
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    votes_for = models.PositiveSmallIntegerField()
    votes_against = models.PositiveSmallIntegerField()
    abstentions = models.PositiveSmallIntegerField(default=0)
    chair_decided = models.BooleanField(
        default=False, help_text="There was no majority, so the chair decided."
    )
    rationale = EncryptedTextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.agenda_entry})"


class Assessment(models.Model):
    """One assessment against the Vulnerability Assessment Framework: text only, never a score.

    ``entries`` is JSON (factor or dimension code → the evidence and judgement written), encrypted.
    """

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entries = EncryptedTextField()

    class Meta:
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"Assessment of {self.referral} on {self.assessed_on}"


class Consent(models.Model):
    """A request for consent to Channel support, and the answer."""

    class Method(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        PHONE = "phone", "By phone"
        LETTER = "letter", "By letter"
        OTHER = "other", "Another way"

    class Status(models.TextChoices):
        GIVEN = "given", "Given"
        REFUSED = "refused", "Refused"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class GivenBy(models.TextChoices):
        INDIVIDUAL = "individual", "The individual"
        PARENT = "parent", "A parent or guardian"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="consents")
    requested_by = EncryptedTextField()
    method = models.CharField(max_length=12, choices=Method.choices)
    requested_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices)
    answered_on = models.DateField()
    given_by = models.CharField(max_length=12, choices=GivenBy.choices)
    giver_name = EncryptedTextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-answered_on", "-pk"]

    def __str__(self) -> str:
        return f"Consent {self.get_status_display().lower()} for {self.referral}"


class OnwardReferral(models.Model):
    """After consent is refused or withdrawn, the panel considers health or social care (s.36)."""

    class Service(models.TextChoices):
        HEALTH = "health", "Health services"
        CHILDREN = "children", "Children's social care"
        ADULTS = "adults", "Adult social care"
        NONE = "none", "Considered, no referral made"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="onward")
    service = models.CharField(max_length=10, choices=Service.choices)
    decided_on = models.DateField()
    notes = EncryptedTextField(blank=True)

    def __str__(self) -> str:
        return f"{self.get_service_display()} for {self.referral}"


class Intervention(models.Model):
    """One part of the support plan: what, by which provider, who, how and when."""

    class Kind(models.TextChoices):
        IDEOLOGICAL = "ideological", "Theological or ideological mentoring"
        EDUCATION = "education", "Education, training or employment"
        MENTAL_HEALTH = "mental_health", "Mental health"
        FAMILY = "family", "Family support"
        LIFE_SKILLS = "life_skills", "Life skills"
        DIVERSIONARY = "diversionary", "Diversionary activity"
        OTHER = "other", "Other"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="interventions")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    provider = models.CharField(max_length=200)
    home_office_provider = models.BooleanField("Home Office intervention provider", default=False)
    who = EncryptedTextField(blank=True)
    how = EncryptedTextField(blank=True)
    starts_on = models.DateField()
    review_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.referral}"


class ProgressNote(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="notes")
    written_on = models.DateField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField()

    class Meta:
        ordering = ["-written_on", "-pk"]

    def __str__(self) -> str:
        return f"Note on {self.referral}"


class ExitReview(models.Model):
    """A review 6 or 12 months after exit, scheduled when the case exits."""

    # Indexed by casework_review_once, which starts with it.
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="reviews", db_index=False
    )
    months = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    outcome = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "months"], name="casework_review_once")
        ]

    def __str__(self) -> str:
        return f"{self.months}-month review of {self.referral}"


class Transfer(models.Model):
    class Direction(models.TextChoices):
        IN = "in", "Transferred in from another area"
        OUT = "out", "Transferred out to another area"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="transfers")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    other_area = EncryptedTextField()
    transferred_on = models.DateField()

    def __str__(self) -> str:
        return f"{self.get_direction_display()}: {self.referral}"
