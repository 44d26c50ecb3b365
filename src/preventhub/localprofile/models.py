"""Partnership data for the Counter-Terrorism Local Profile (¶20).

The partnership defines indicators: non-personal counts such as hate incidents reported to
partners. Each quarter, organisations send a data return (``returns.PartnerReturn`` of kind
``ctlp``) with one value per indicator, by district where the indicator asks for it. Accepted
values are compiled into the dataset the police CTLP team receives.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from preventhub.core.models import VersionedModel


class Indicator(VersionedModel):
    code = models.SlugField(max_length=20, unique=True, help_text="Short and stable, like HATE.")
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=40, default="count", help_text="What is counted.")
    description = models.CharField(max_length=500, blank=True)
    sectors = models.ManyToManyField(
        "partnership.Sector",
        blank=True,
        related_name="indicators",
        help_text="The sectors whose organisations supply it. None: every organisation.",
    )
    by_district = models.BooleanField(
        default=True, help_text="One figure per district, rather than one for the county."
    )
    minimum = models.PositiveIntegerField(default=0)
    maximum = models.PositiveIntegerField(null=True, blank=True)
    is_required = models.BooleanField("required", default=True)
    is_active = models.BooleanField("collected", default=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(maximum__isnull=True) | Q(maximum__gte=models.F("minimum")),
                name="localprofile_indicator_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class IndicatorValue(models.Model):
    """One figure in one data return: an indicator, for a district or the whole county."""

    # Indexed by localprofile_value_once, which starts with it.
    partner_return = models.ForeignKey(
        "returns.PartnerReturn",
        on_delete=models.CASCADE,
        related_name="indicator_values",
        db_index=False,
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    district = models.ForeignKey(
        "partnership.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicator_values",
    )
    value = models.PositiveIntegerField(null=True, blank=True)
    note = models.CharField(
        max_length=200, blank=True, help_text="Why a figure changed a lot. Never name anyone."
    )

    # A county figure has no district, and databases differ on whether NULLs clash in a unique
    # constraint: services.save_values replaces a return's values in one go, so none repeat.
    class Meta:
        ordering = ["indicator__code", "district__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner_return", "indicator", "district"],
                name="localprofile_value_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.district or 'county'}: {self.value}"
