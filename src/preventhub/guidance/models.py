"""The guidance library (¶16): the partnership's guidance, procedures and terms of reference.

A document has an owner, a review date, an audience and its file versions (every earlier one is
kept). "Who must read this" names roles and organisations; each person who must read it says so
once they have, for the version current at the time. A new version asks everyone again: an
acknowledgement belongs to the version that was read.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from preventhub.core.models import VersionedModel
from preventhub.core.roles import Role


class GuidanceDocument(VersionedModel):
    class Kind(models.TextChoices):
        GUIDANCE = "guidance", "Guidance"
        PROCEDURE = "procedure", "Procedure"
        FORM_GUIDANCE = "form_guidance", "Guidance on a form"
        TERMS_OF_REFERENCE = "terms", "Terms of reference"
        OTHER = "other", "Other"

    title = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=14, choices=Kind.choices)
    summary = models.TextField(blank=True, help_text="What it covers, in a sentence or two.")
    owner_organisation = models.ForeignKey(
        "partnership.Organisation", on_delete=models.PROTECT, related_name="guidance_documents"
    )
    owner_name = models.CharField(
        "owner",
        max_length=150,
        help_text="The post that keeps it up to date, such as Prevent coordinator.",
    )
    audience = models.CharField(
        max_length=200,
        help_text="Who it is for, such as all professionals working with children and adults.",
    )
    review_on = models.DateField("review by")
    must_read_roles = models.JSONField(
        "roles who must read it",
        default=list,
        blank=True,
        help_text="Role names (core.roles.Role values).",
    )
    must_read_organisations = models.ManyToManyField(
        "partnership.Organisation",
        blank=True,
        related_name="guidance_to_read",
        verbose_name="organisations whose staff must read it",
    )
    is_archived = models.BooleanField("archived", default=False)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def must_read_role_labels(self) -> list[str]:
        labels = dict(Role.choices)
        return [labels[value] for value in self.must_read_roles if value in labels]


class DocumentVersion(models.Model):
    """One version of a document's file, kept outside the web root and served only as a download."""

    # Indexed by guidance_version_number, which starts with it.
    document = models.ForeignKey(
        GuidanceDocument,
        on_delete=models.PROTECT,
        related_name="versions",
        db_index=False,
    )
    number = models.PositiveSmallIntegerField()
    file = models.FileField(upload_to="guidance/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    note = models.CharField(max_length=300, blank=True, help_text="What changed.")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="guidance_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}" if self.document_id else f"v{self.number}"


class Acknowledgement(models.Model):
    """Someone confirmed they have read one version of a document."""

    # Indexed by guidance_read_once, which starts with it.
    version = models.ForeignKey(
        DocumentVersion,
        on_delete=models.PROTECT,
        related_name="acknowledgements",
        db_index=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="guidance_read"
    )
    acknowledged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="guidance_read_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} read {self.version}"
