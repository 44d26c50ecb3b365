"""API tokens: a personal token acts as the person who made it; a service token, made by an
administrator for a partner's system, acts as the partner lead who answers for that system.

Only a hash of the token is kept (``secret_hash``: a SHA-256 of 256 random bits, so no salt or
slow hash is needed). The token itself is shown once, when it is made, and never again.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models


class TokenKind(models.TextChoices):
    PERSONAL = "personal", "Personal"
    SERVICE = "service", "Organisation service"


class TokenScope(models.TextChoices):
    READ = "read", "Read only"
    READ_WRITE = "read_write", "Read and write"


class ApiToken(models.Model):
    kind = models.CharField(max_length=10, choices=TokenKind.choices)
    name = models.CharField(max_length=100, help_text="What uses it, like “Finance system”.")
    scope = models.CharField(max_length=10, choices=TokenScope.choices)
    # The first characters of the token, so its holder can tell which one a listing means.
    prefix = models.CharField(max_length=12)
    secret_hash = models.CharField(max_length=64, unique=True)
    # Whose permissions it acts with: its maker's, or the partner lead answering for a system.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens"
    )
    organisation = models.ForeignKey(
        "partnership.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Service tokens only: the organisation whose system uses it.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_on = models.DateField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} API token “{self.name}” ({self.prefix}…)"

    @property
    def writes(self) -> bool:
        return self.scope == TokenScope.READ_WRITE

    def is_live(self, today: datetime.date) -> bool:
        return self.revoked_at is None and today <= self.expires_on

    def state(self, today: datetime.date) -> str:
        if self.revoked_at is not None:
            return "Revoked"
        return "Expired" if today > self.expires_on else "Active"
