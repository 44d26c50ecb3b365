"""The safeguarding audit of schools (¶9–11): rounds, questionnaires, responses, action plans.

A response holds its answers (``Response.answers``, question id → answer). Who answered for a
school is held on the school's place in the round (``RoundSchool.answered_by``), so every figure
of the analysis is one SQL aggregate over the round's schools, and a trust return counts once per
school it covers.

The tables keep the names they had when the audit was part of the ``schools`` app
(``schools_auditround`` and so on), so moving the models here moved no row (migration 0001).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.utils import timezone

from preventhub.audits.scales import Scale, prevent_counts
from preventhub.core import models as core_models
from preventhub.core.models import VersionedModel


class AuditRound(VersionedModel):
    class Kind(models.TextChoices):
        ANNUAL = "annual", "Annual safeguarding audit"
        FOCUSED = "focused", "Focused survey"

    name = models.CharField(max_length=100, unique=True, help_text='For example "2018".')
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ANNUAL)
    opens_on = models.DateField("opens")
    closes_on = models.DateField("closes")
    schools = models.ManyToManyField(
        "schools.Establishment", through="RoundSchool", related_name="audit_rounds"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "schools_auditround"
        ordering = ["-opens_on", "name"]
        verbose_name = "audit round"

    def __str__(self) -> str:
        return self.name

    @property
    def title(self) -> str:
        """ "2018 safeguarding audit", or a focused survey's own name."""
        return f"{self.name} safeguarding audit" if self.kind == self.Kind.ANNUAL else self.name

    @property
    def is_open(self) -> bool:
        return self.opens_on <= timezone.localdate() <= self.closes_on


class Question(VersionedModel):
    # Indexed by schools_question_code, which starts with it.
    round = models.ForeignKey(
        AuditRound, on_delete=models.CASCADE, related_name="questions", db_index=False
    )
    code = models.CharField(max_length=20, help_text='Short and unique in the round, like "P3".')
    section = models.CharField(max_length=100)
    text = models.TextField()
    scale = models.CharField(max_length=20, choices=Scale.choices)
    prevent = models.BooleanField("Prevent question", default=False)
    requirement = models.BooleanField(
        default=False,
        help_text="A requirement counts towards “actioned all requirements”. "
        "Otherwise the question is an indicator.",
    )
    required = models.BooleanField("answer required", default=True)
    suggested_action = models.TextField(
        blank=True, help_text="Offered to a school whose answer falls short."
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "schools_question"
        ordering = ["round", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["round", "code"], name="schools_question_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text}"


class Response(models.Model):
    """One school's answers; on submission it may also answer for others (a trust return)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "In progress"
        SUBMITTED = "submitted", "Submitted"

    class Source(models.TextChoices):
        ONLINE = "online", "Online"
        IMPORTED = "imported", "Imported from the survey tool"

    # No index of its own: the unique (round, establishment) index starts with it.
    round = models.ForeignKey(
        AuditRound, on_delete=models.CASCADE, related_name="responses", db_index=False
    )
    establishment = models.ForeignKey(
        "schools.Establishment", on_delete=models.PROTECT, related_name="audit_responses"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ONLINE)
    submitted_on = models.DateField(null=True, blank=True)
    headteacher = models.CharField("headteacher's name", max_length=200, blank=True)
    governor = models.CharField("governor's name", max_length=200, blank=True)
    # Its answers in one row: a question's id (as text, JSON's keys being text) → the answer as
    # stored by scales.read_answer, "" for one saved blank. The outcome follows from the
    # question's scale (scales.outcome_of), so it is not stored. One row per response rather than
    # per answer is what lets a national import write 23,000 rows, not 1.3 million
    # (docs/performance.md).
    answers = models.JSONField(default=dict, blank=True)
    # What the answers count for in the round's Prevent figures (scales.prevent_counts), kept
    # with them whenever they are written, so that the figures read three numbers per school
    # rather than every answer of the round: at national scale, 1.3 million (docs/audits.md).
    prevent_done = models.PositiveIntegerField(default=0, editable=False)
    prevent_negative = models.PositiveIntegerField(default=0, editable=False)
    prevent_positive = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "schools_response"
        ordering = ["round", "establishment__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "establishment"], name="schools_one_response_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} response of {self.establishment}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saved with the counts of its answers, whoever saves it (a bulk import counts its
        own: services.import_responses)."""
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "answers" in update_fields:
            self.count_answers()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, *COUNT_FIELDS}
        super().save(*args, **kwargs)

    def count_answers(self) -> None:
        questions = Question.objects.filter(round_id=self.round_id, prevent=True).only(
            "scale", "prevent", "required", "requirement"
        )
        counts = prevent_counts(self.answers, questions)
        self.prevent_done, self.prevent_negative, self.prevent_positive = counts


# The columns of Response that scales.prevent_counts fills, in its order.
COUNT_FIELDS = ("prevent_done", "prevent_negative", "prevent_positive")


class RoundSchool(models.Model):
    """A school in a round's scope: who answered for it, and its secure link."""

    # No index of its own: the unique (round, establishment) index starts with it. Each index is
    # written again when an import sets who answers for 23,000 places (docs/performance.md).
    round = models.ForeignKey(
        AuditRound, on_delete=models.CASCADE, related_name="scope", db_index=False
    )
    establishment = models.ForeignKey(
        "schools.Establishment", on_delete=models.PROTECT, related_name="round_places"
    )
    # Its own submitted response, or the trust or federation return that covers it. Not indexed:
    # nothing looks places up by their response, and with no index on it, PostgreSQL sets it
    # for a national round in place (a "HOT" update, helped by the table's fillfactor, audits/0007)
    # instead of writing every place into every index again (docs/performance.md).
    answered_by = models.ForeignKey(
        Response,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answering_for",
        db_index=False,
    )
    # Only a digest of the link's secret is kept: the link is shown once, when issued. Indexed in
    # Meta: a field's db_index adds, on PostgreSQL, a second index for LIKE that a digest, only
    # ever looked up whole, never uses.
    link_token_digest = models.CharField(max_length=64, blank=True)
    link_issued_at = models.DateTimeField(null=True, blank=True)
    link_expires_on = models.DateField(null=True, blank=True)
    link_revoked_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "schools_roundschool"
        ordering = ["round", "establishment__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "establishment"], name="schools_in_scope_once")
        ]
        indexes = [models.Index(fields=["link_token_digest"], name="schools_place_link_digest")]

    def __str__(self) -> str:
        return f"{self.establishment} in {self.round}"

    def link_is_live(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return bool(
            self.link_token_digest
            and self.link_revoked_at is None
            and self.link_expires_on is not None
            and today <= self.link_expires_on
        )


class ActionPlanItem(VersionedModel):
    """A gap in a school's answers to a requirement, and what the school does about it."""

    class Status(models.TextChoices):
        OPEN = "open", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    # No index of its own: the unique (place, question) index starts with it, and every index is
    # written for each of the ~27,000 items a national import makes.
    place = models.ForeignKey(
        RoundSchool, on_delete=models.CASCADE, related_name="action_items", db_index=False
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="action_items")
    answer = models.CharField(max_length=100)
    action = models.TextField("suggested action")
    due_on = models.DateField("due")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    progress = models.TextField("what the school has done", blank=True)
    completed_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "schools_actionplanitem"
        ordering = ["place", "question__position", "question__code"]
        verbose_name = "action plan item"
        constraints = [
            models.UniqueConstraint(fields=["place", "question"], name="schools_one_item_per_gap")
        ]

    def __str__(self) -> str:
        return f"{self.question.code} for {self.place.establishment}"


class ReminderRun(core_models.ReminderRun):
    """One press of "Send reminders to the schools chosen" (``core.models.ReminderRun``): a
    county's 400 schools' e-mails, each over its own connection to the mail server, can take
    longer than gunicorn lets a worker take over a request, and a national round has 22,000. It
    keeps how many schools were reminded and which chosen schools were not, and why. Schools'
    names only."""

    round = models.ForeignKey(AuditRound, on_delete=models.CASCADE, related_name="reminder_runs")
    # The places chosen, by key, as sent.
    places = models.JSONField(default=list)
    sent = models.PositiveIntegerField(default=0)
    # Names of the chosen schools with no safeguarding contact e-mail, whose e-mail the mail
    # service refused, and that had answered by the time the run reached them.
    no_address = models.JSONField(default=list, blank=True)
    not_delivered = models.JSONField(default=list, blank=True)
    answered = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"Reminders for {self.round}"
