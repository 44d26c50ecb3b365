"""Information-sharing requests between partners (¶17).

One partner asks another for what it holds (the Channel panel asking a district council, for
example): the request, its lawful basis, the receiving partner's approval or refusal, its
response, and the requester's closure. Every step is a :class:`RequestEvent` with who took it
and when, so a request's history is its event log.

No case detail is kept here. What a request is about is a short description of the kind of
information asked for; the case it concerns is named only by its casework reference, an opaque
code. The information itself travels by the partners' secure route, never through this record.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from preventhub.core.models import VersionedModel

# Letters, digits, "-" and "/", no spaces: a reference like PH-2026-0042 fits, a name does not.
CASE_REFERENCE = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9/-]{2,39}$",
    "Enter the casework reference only, like PH-2026-0042: letters, numbers and dashes, no "
    "spaces. Never a name.",
)


class LawfulBasis(models.TextChoices):
    PUBLIC_TASK = "public_task", "UK GDPR Article 6(1)(e): a public task"
    LEGAL_OBLIGATION = "legal_obligation", "UK GDPR Article 6(1)(c): a legal obligation"
    CHANNEL_DUTY = (
        "channel_duty",
        "Counter-Terrorism and Security Act 2015, section 38: co-operation with a Channel panel",
    )
    CRIME_AND_DISORDER = "crime_and_disorder", "Crime and Disorder Act 1998, section 115"
    SAFEGUARDING = (
        "safeguarding",
        "Data Protection Act 2018, Schedule 1, paragraph 18: safeguarding of children and of "
        "individuals at risk",
    )
    CONSENT = "consent", "Consent of the person (or of a parent or guardian under 18)"


class SharingRequest(VersionedModel):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Waiting for a decision"
        APPROVED = "approved", "Approved, waiting for the response"
        REFUSED = "refused", "Refused"
        RESPONDED = "responded", "Answered"
        CLOSED = "closed", "Closed"

    class Outcome(models.TextChoices):
        SHARED = "shared", "Information held, and shared by the secure route"
        PARTLY = "partly", "Some information held and shared; some withheld"
        NOTHING_HELD = "nothing_held", "Nothing held"

    reference = models.CharField(max_length=20, unique=True, editable=False)
    requesting_organisation = models.ForeignKey(
        "partnership.Organisation", on_delete=models.PROTECT, related_name="sharing_requests_made"
    )
    receiving_organisation = models.ForeignKey(
        "partnership.Organisation",
        on_delete=models.PROTECT,
        related_name="sharing_requests_received",
    )
    about = models.CharField(
        "what the request is about",
        max_length=300,
        help_text="The kind of information asked for and why, such as: any housing or "
        "anti-social behaviour records, for a Channel panel's assessment. Never name or "
        "describe the person.",
    )
    case_reference = models.CharField(
        max_length=40,
        blank=True,
        validators=[CASE_REFERENCE],
        help_text="The casework reference only, like PH-2026-0042. Never a name.",
    )
    lawful_basis = models.CharField(max_length=20, choices=LawfulBasis.choices)
    respond_by = models.DateField("answer needed by")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(requesting_organisation=models.F("receiving_organisation")),
                name="exchange_request_between_two_partners",
            )
        ]

    def __str__(self) -> str:
        return self.reference or "Information-sharing request"

    @property
    def is_waiting(self) -> bool:
        return self.status in (self.Status.REQUESTED, self.Status.APPROVED)

    def is_overdue(self, today: datetime.date) -> bool:
        """Still waiting for a decision or an answer after the day it was needed by."""
        return self.is_waiting and today > self.respond_by


class RequestEvent(models.Model):
    """One step in a request's life, with who took it, when, and their note."""

    class Kind(models.TextChoices):
        REQUESTED = "requested", "Requested"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"
        RESPONDED = "responded", "Answered"
        CLOSED = "closed", "Closed"

    request = models.ForeignKey(SharingRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"
