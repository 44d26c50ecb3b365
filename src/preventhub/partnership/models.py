"""Who and where: the areas of the partnership and its member organisations.

The Foundation needs only enough of this for every user to belong to one organisation and,
optionally, one district; the Partnership issue adds sectors, boards, memberships and meetings.
"""

from __future__ import annotations

from django.db import models


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


class Organisation(models.Model):
    """A member of the partnership: the council, the police, a trust, a charity."""

    name = models.CharField(max_length=200, unique=True)
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.PROTECT, related_name="organisations"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
