"""Write operations on CTLP indicators and data returns (the checks are in checks.py)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from preventhub.core.concurrency import save_versioned
from preventhub.localprofile.checks import Entry, Key, Problem, check
from preventhub.localprofile.models import Indicator, IndicatorValue
from preventhub.localprofile.queries import cells_for, previous_values, stored_entries
from preventhub.partnership.models import Sector
from preventhub.returns import services as returns
from preventhub.returns.models import PartnerReturn, ReturnKind


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
