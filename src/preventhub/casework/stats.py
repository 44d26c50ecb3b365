"""Referral statistics: the only way case data leaves casework, always disclosure-controlled.

Counts are SQL aggregates over the plain columns of :class:`Referral` (age in years at referral,
gender, district, type of concern, sector, milestone dates), which a purge keeps, so statistics
stay right after personal data is destroyed. Every table goes through
:func:`preventhub.core.disclosure.protect` before anyone outside case work sees it.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q

from preventhub.casework.models import ConcernType, Gender, Referral, ReferralSector
from preventhub.core.disclosure import Cell, ProtectedTable, protect, protect_count
from preventhub.partnership.models import Area

DIMENSIONS = {
    "age_band": "Age band",
    "gender": "Gender",
    "concern": "Type of concern",
    "sector": "Referral sector",
    "district": "District",
    "outcome": "Journey outcome",
}


@dataclass(frozen=True)
class AgeBand:
    low: int
    high: int | None  # None: and over

    @property
    def label(self) -> str:
        if self.high is None:
            return f"{self.low} and over"
        if self.low == 0:
            return f"{self.high} and under"
        return f"{self.low} to {self.high}"


# The Home Office's published bands (DOMAIN.md §4).
HOME_OFFICE_BANDS = (
    AgeBand(0, 10),
    AgeBand(11, 15),
    AgeBand(16, 17),
    AgeBand(18, 20),
    AgeBand(21, 30),
    AgeBand(31, 40),
    AgeBand(41, None),
)
AGE_NOT_KNOWN = "Age not known"


class BandError(ValueError):
    """Custom age bands that cannot be read; the message says why."""


def parse_bands(text: str) -> tuple[AgeBand, ...]:
    """Bands written like "0-13, 14-17, 18+": in order, not overlapping, whole years."""
    bands: list[AgeBand] = []
    for part in [piece.strip() for piece in text.split(",") if piece.strip()]:
        match = re.fullmatch(r"(\d{1,3})\s*(?:-\s*(\d{1,3})|\+)", part)
        if not match:
            raise BandError(f"Write each band like 14-17, or 18+ for an open band, not {part!r}")
        low = int(match.group(1))
        high = int(match.group(2)) if match.group(2) else None
        if high is not None and high < low:
            raise BandError(f"The band {part} ends before it starts")
        if bands and (bands[-1].high is None or low <= bands[-1].high):
            raise BandError("Bands must be in order and must not overlap")
        bands.append(AgeBand(low, high))
    if not bands:
        raise BandError("Enter at least one age band")
    return tuple(bands)


def _in_period(date_from: datetime.date, date_to: datetime.date) -> Q:
    return Q(received_on__gte=date_from, received_on__lte=date_to)


def _band_filter(band: AgeBand) -> Q:
    condition = Q(age_at_referral__gte=band.low)
    if band.high is not None:
        condition &= Q(age_at_referral__lte=band.high)
    return condition


OUTCOMES: tuple[tuple[str, Q], ...] = (
    ("Referred", Q()),
    ("Not suitable (no further action)", Q(route=Referral.Route.NO_FURTHER_ACTION)),
    ("Signposted to other services", Q(route=Referral.Route.SIGNPOSTED)),
    ("Police-led case management", Q(route=Referral.Route.POLICE_LED)),
    ("Discussed at a Channel panel", Q(discussed_on__isnull=False)),
    ("Adopted as a Channel case", Q(adopted_on__isnull=False)),
    ("Consent refused or withdrawn", Q(consent_refused_on__isnull=False)),
    ("Left Channel", Q(exited_on__isnull=False)),
    ("Both reviews after exit completed", Q(reviews_completed__gte=2)),
)


def counts(
    *,
    date_from: datetime.date,
    date_to: datetime.date,
    by: str,
    bands: tuple[AgeBand, ...] = HOME_OFFICE_BANDS,
) -> list[tuple[str, int]]:
    """Raw counts of referrals received in the period, one row per category, zeros included.

    Not for showing outside case work: pass them through :func:`protected_table`.
    """
    referrals = Referral.objects.filter(_in_period(date_from, date_to))
    if by == "age_band":
        aggregates = {
            f"b{index}": Count("pk", filter=_band_filter(band)) for index, band in enumerate(bands)
        }
        aggregates["unknown"] = Count("pk", filter=Q(age_at_referral__isnull=True))
        result = referrals.aggregate(**aggregates)
        rows = [(band.label, result[f"b{index}"]) for index, band in enumerate(bands)]
        # Ages outside custom bands are not lost: they count as "other ages".
        covered = sum(count for _, count in rows) + result["unknown"]
        other = referrals.count() - covered
        if other:
            rows.append(("Other ages", other))
        return [*rows, (AGE_NOT_KNOWN, result["unknown"])]
    if by == "outcome":
        result = referrals.aggregate(
            **{f"o{index}": Count("pk", filter=q) for index, (_, q) in enumerate(OUTCOMES)}
        )
        return [(label, result[f"o{index}"]) for index, (label, _) in enumerate(OUTCOMES)]
    if by == "gender":
        found = dict(referrals.values_list("gender").annotate(n=Count("pk")))
        return [(label, found.get(value, 0)) for value, label in Gender.choices]
    if by == "sector":
        found = dict(referrals.values_list("referrer_sector").annotate(n=Count("pk")))
        return [(label, found.get(value, 0)) for value, label in ReferralSector.choices]
    if by == "concern":
        found = dict(referrals.values_list("concern_type").annotate(n=Count("pk")))
        return [
            (concern.name, found.get(concern.pk, 0))
            for concern in ConcernType.objects.all()
            if concern.is_active or found.get(concern.pk)
        ]
    if by == "district":
        found = dict(referrals.values_list("district").annotate(n=Count("pk")))
        districts = Area.objects.filter(
            Q(kind=Area.Kind.DISTRICT) | Q(pk__in=[pk for pk in found if pk])
        ).order_by("name")
        rows = [(area.name, found.get(area.pk, 0)) for area in districts]
        return [*rows, ("Not known", found.get(None, 0))]
    raise ValueError(f"No such dimension: {by}")


def protected_table(
    *,
    date_from: datetime.date,
    date_to: datetime.date,
    by: str,
    bands: tuple[AgeBand, ...] = HOME_OFFICE_BANDS,
    threshold: int | None = None,
) -> ProtectedTable:
    """The table that may leave case work: small cells suppressed, totals unable to reveal them.

    Journey outcomes overlap (someone adopted was also discussed), so their rows do not add up:
    each is protected on its own, and the total is the number referred.
    """
    threshold = settings.PREVENTHUB_DISCLOSURE_THRESHOLD if threshold is None else threshold
    rows = counts(date_from=date_from, date_to=date_to, by=by, bands=bands)
    if by != "outcome":
        return protect(rows, threshold=threshold)
    cells = []
    for label, count in rows:
        shown = protect_count(count, threshold=threshold)
        cells.append(Cell(label, shown, shown is None, shown is None))
    return ProtectedTable(cells=cells, total=cells[0].count, threshold=threshold)
