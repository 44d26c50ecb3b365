"""Write operations on CTLP indicators and data returns, and the checks a return must pass."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from preventhub.core.concurrency import save_versioned
from preventhub.localprofile.models import Indicator, IndicatorValue
from preventhub.partnership.models import Area, Sector
from preventhub.returns import services as returns
from preventhub.returns.models import PartnerReturn, ReturnKind, ReturnStatus


class LocalProfileError(Exception):
    """A change to local profile data that cannot be made; the message says why."""


# (code, name, sector codes or empty for everyone, by district)
DEFAULT_INDICATORS: list[tuple[str, str, list[str], bool]] = [
    ("SAFEG", "Prevent-related safeguarding concerns raised", [], True),
    ("HATE", "Hate incidents reported to partners", [], True),
    ("TENSION", "Community tension reports", ["local-authority", "police"], True),
    ("VENUE", "Venue hire requests refused on Prevent grounds", ["local-authority"], True),
    ("WEBFILTER", "Web-filtering alerts in public networks", ["local-authority"], False),
    ("ENGAGE", "Engagement events held", [], True),
]

# A change needs a note when it is at least this many and at least half the last figure.
JUMP_MIN_CHANGE = 5
JUMP_RATIO = 0.5
NOTE_MAX = 200

# Notes are for reasons, not people: refuse what looks like an e-mail address or phone number.
PERSONAL_DATA = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|(?:\+44|\b0)\d[\d ]{8,}\d")

Key = tuple[int, int | None]  # (indicator, district or None for the county)


@dataclass(frozen=True)
class Cell:
    """One figure a return asks for."""

    indicator: Indicator
    district: Area | None

    @property
    def key(self) -> Key:
        return (self.indicator.pk, self.district.pk if self.district else None)

    @property
    def where(self) -> str:
        return self.district.name if self.district else "Whole county"


@dataclass(frozen=True)
class Entry:
    value: int | None
    note: str = ""


@dataclass(frozen=True)
class Problem:
    key: Key
    field: str  # "value" or "note"
    message: str


@dataclass(frozen=True)
class Jump:
    key: Key
    previous: int
    value: int


@transaction.atomic
def ensure_default_indicators() -> None:
    """Create the default indicators that are missing; change none."""
    sectors = {sector.code: sector for sector in Sector.objects.all()}
    for code, name, sector_codes, by_district in DEFAULT_INDICATORS:
        indicator, created = Indicator.objects.get_or_create(
            code=code, defaults={"name": name, "by_district": by_district}
        )
        if created:
            indicator.sectors.set([sectors[c] for c in sector_codes if c in sectors])


@transaction.atomic
def save_indicator(
    *,
    indicator: Indicator | None = None,
    code: str,
    name: str,
    unit: str,
    description: str,
    sectors: Iterable[Sector],
    by_district: bool,
    minimum: int,
    maximum: int | None,
    is_required: bool,
    is_active: bool,
    expected_version: int | None = None,
) -> Indicator:
    if maximum is not None and maximum < minimum:
        raise LocalProfileError("The largest allowed figure must not be below the smallest.")
    code = code.upper()
    if Indicator.objects.filter(code=code).exclude(pk=getattr(indicator, "pk", None)).exists():
        raise LocalProfileError(f"There is already an indicator with the code {code}.")
    fields = {
        "code": code,
        "name": name,
        "unit": unit,
        "description": description,
        "by_district": by_district,
        "minimum": minimum,
        "maximum": maximum,
        "is_required": is_required,
        "is_active": is_active,
    }
    if indicator is None:
        indicator = Indicator.objects.create(**fields)
    else:
        for name_, value in fields.items():
            setattr(indicator, name_, value)
        save_versioned(indicator, expected_version=expected_version or 0)
    indicator.sectors.set(sectors)
    return indicator


def cells_for(partner_return: PartnerReturn) -> list[Cell]:
    """The figures a data return asks its organisation for, in the order of the form."""
    organisation = partner_return.organisation
    indicators = Indicator.objects.filter(is_active=True).prefetch_related("sectors")
    area = organisation.area
    own_district = area is not None and area.kind == Area.Kind.DISTRICT
    districts = [area] if own_district else list(Area.objects.filter(kind=Area.Kind.DISTRICT))
    cells = []
    for indicator in indicators:
        supplied_by = {sector.pk for sector in indicator.sectors.all()}
        if supplied_by and organisation.sector_id not in supplied_by:
            continue
        if indicator.by_district:
            cells += [Cell(indicator, district) for district in districts]
        else:
            cells.append(Cell(indicator, None))
    return cells


def previous_values(partner_return: PartnerReturn) -> dict[Key, int]:
    """The organisation's accepted figures for the quarter before, to compare with."""
    period = partner_return.window.period
    earlier = (
        PartnerReturn.objects.filter(
            organisation_id=partner_return.organisation_id,
            window__kind=ReturnKind.CTLP,
            window__period__starts_on__lt=period.starts_on,
            status=ReturnStatus.ACCEPTED,
        )
        .order_by("-window__period__starts_on")
        .first()
    )
    if earlier is None:
        return {}
    return {
        (row.indicator_id, row.district_id): row.value
        for row in earlier.indicator_values.all()
        if row.value is not None
    }


def is_large_jump(previous: int, value: int) -> bool:
    change = abs(value - previous)
    return change >= JUMP_MIN_CHANGE and (previous == 0 or change / previous >= JUMP_RATIO)


def check(
    cells: list[Cell],
    entries: Mapping[Key, Entry],
    previous: Mapping[Key, int],
    *,
    sending: bool,
) -> tuple[list[Problem], list[Jump]]:
    """Every problem with the figures, and the large jumps since last quarter.

    A missing required figure, or a large jump without a note, stops a return being sent but
    not being saved as a draft.
    """
    problems: list[Problem] = []
    jumps: list[Jump] = []
    for cell in cells:
        entry = entries.get(cell.key, Entry(None))
        indicator = cell.indicator
        if len(entry.note) > NOTE_MAX:
            problems.append(Problem(cell.key, "note", f"Keep the note to {NOTE_MAX} characters"))
        elif PERSONAL_DATA.search(entry.note):
            problems.append(
                Problem(
                    cell.key,
                    "note",
                    "Take out the e-mail address or phone number: no "
                    "personal details in a data return",
                )
            )
        if entry.value is None:
            if sending and indicator.is_required:
                problems.append(Problem(cell.key, "value", f"Enter the figure for {cell.where}"))
            continue
        if entry.value < 0:
            problems.append(Problem(cell.key, "value", "The figure cannot be negative"))
        elif entry.value < indicator.minimum or (
            indicator.maximum is not None and entry.value > indicator.maximum
        ):
            top = "" if indicator.maximum is None else f" to {indicator.maximum}"
            problems.append(
                Problem(
                    cell.key,
                    "value",
                    f"The figure must be from {indicator.minimum}{top}",
                )
            )
        elif cell.key in previous and is_large_jump(previous[cell.key], entry.value):
            jumps.append(Jump(cell.key, previous[cell.key], entry.value))
            if sending and not entry.note.strip():
                problems.append(
                    Problem(
                        cell.key,
                        "note",
                        f"The figure changed from {previous[cell.key]} last quarter to "
                        f"{entry.value}: say why in a note",
                    )
                )
    return problems, jumps


class InvalidFigures(LocalProfileError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].message if problems else "The figures are not valid.")
        self.problems = problems


def _editable(partner_return: PartnerReturn) -> PartnerReturn:
    found = (
        PartnerReturn.objects.select_for_update(of=("self",))
        .select_related("window__period", "organisation__area")
        .get(pk=partner_return.pk)
    )
    if found.window.kind != ReturnKind.CTLP:
        raise LocalProfileError("This is not a local profile data return.")
    if not found.is_editable:
        raise LocalProfileError(
            f"This return is {found.get_status_display().lower()}. Ask the Prevent coordinator "
            "to re-open it to change it."
        )
    return found


@transaction.atomic
def save_values(
    *,
    partner_return: PartnerReturn,
    entries: Mapping[Key, Entry],
    by: Any = None,
    expected_version: int | None = None,
) -> list[IndicatorValue]:
    """Replace a draft return's figures; all or nothing (InvalidFigures lists every problem).

    Every save moves the return's version on, whoever makes it (the form, an upload, the demo),
    so a form opened before it is refused. With ``expected_version`` (the version the form or
    upload page was opened at), figures someone else saved since are not overwritten:
    ConcurrentEditError says so. ``None`` only for writers that opened no form.
    """
    found = _editable(partner_return)
    save_versioned(
        found,
        expected_version=found.version if expected_version is None else expected_version,
        update_fields=[],
    )
    cells = cells_for(found)
    unexpected = set(entries) - {cell.key for cell in cells}
    if unexpected:
        raise LocalProfileError("Some figures are for indicators this return does not ask for.")
    problems, _ = check(cells, entries, previous_values(found), sending=False)
    if problems:
        raise InvalidFigures(problems)
    found.indicator_values.all().delete()
    saved = []
    for cell in cells:
        entry = entries.get(cell.key)
        if entry is None or (entry.value is None and not entry.note.strip()):
            continue
        saved.append(
            IndicatorValue.objects.create(
                partner_return=found,
                indicator=cell.indicator,
                district=cell.district,
                value=entry.value,
                note=" ".join(entry.note.split()),
            )
        )
    return saved


def stored_entries(partner_return: PartnerReturn) -> dict[Key, Entry]:
    return {
        (row.indicator_id, row.district_id): Entry(row.value, row.note)
        for row in partner_return.indicator_values.all()
    }


@transaction.atomic
def submit_data_return(
    *,
    partner_return: PartnerReturn,
    by: Any,
    now: datetime.datetime | None = None,
    expected_version: int | None = None,
) -> PartnerReturn:
    """Send a data return once every required figure is there and every large jump explained."""
    found = _editable(partner_return)
    problems, _ = check(
        cells_for(found), stored_entries(found), previous_values(found), sending=True
    )
    if problems:
        raise InvalidFigures(problems)
    try:
        return returns.submit_return(
            partner_return=found, by=by, now=now, expected_version=expected_version
        )
    except returns.ReturnError as error:
        raise LocalProfileError(str(error)) from error
