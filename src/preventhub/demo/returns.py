"""The demo's partner returns: training and local profile data, quarter by quarter.

About 60 organisations (the partnership's, plus fictional schools, practices, charities and faith
groups) state their workforce, report training each quarter and, for a dozen of them, send
figures for the Counter-Terrorism Local Profile. The history is 2018/19: every quarter's returns
in and accepted, a few late, one returned for correction and then sent again. The present is the
current financial year, counted from the day the demo is loaded: the earlier quarters' returns
in and accepted (a few late, one in the last closed quarter returned for correction); the open
quarter's returns being collected, due a few days ago when the quarter has run long enough, so
some were sent late and some are still owed (the demo partner lead's among them, so they show on
their home page). Nothing is dated after today.

Like ``delivery.py``, the whole part is created once and left alone afterwards.
"""

from __future__ import annotations

import datetime
import random

from preventhub.accounts.models import User
from preventhub.core.calendar import financial_year_of, quarter_of
from preventhub.core.roles import Role
from preventhub.localprofile import queries as localprofile_queries
from preventhub.localprofile import services as localprofile
from preventhub.partnership.models import Area, Organisation, ReportingPeriod, Sector
from preventhub.returns import services as returns
from preventhub.returns.models import PartnerReturn, ReturnKind, ReturnWindow
from preventhub.training import services as training
from preventhub.training.models import RoleGroup, TrainingLevel, TrainingProduct

DISTRICT_CODES = [f"E0700019{n}" for n in range(2, 10)]

# (name, sector code, area GSS code or None for the county): all fictional.
MORE_ORGANISATIONS: list[tuple[str, str, str | None]] = [
    *[
        (f"Demo {town} {kind} School (fictional)", "schools", code)
        for (town, code), kind in zip(
            [
                ("Cannock", "E07000192"),
                ("Burton", "E07000193"),
                ("Lichfield", "E07000194"),
                ("Newcastle", "E07000195"),
                ("Codsall", "E07000196"),
                ("Stafford", "E07000197"),
                ("Leek", "E07000198"),
                ("Tamworth", "E07000199"),
                ("Rugeley", "E07000192"),
                ("Uttoxeter", "E07000193"),
                ("Kidsgrove", "E07000195"),
                ("Cheadle", "E07000198"),
                ("Stone", "E07000197"),
                ("Penkridge", "E07000196"),
            ],
            ["Primary", "High", "Academy", "Primary", "High", "Academy", "High"] * 2,
            strict=True,
        )
    ],
    ("Demo County Hospitals Trust (fictional)", "health", None),
    ("Demo Community Health Trust (fictional)", "health", None),
    ("Demo Cannock GP Practice (fictional)", "health", "E07000192"),
    ("Demo Leek GP Practice (fictional)", "health", "E07000198"),
    ("Demo Ambulance Service (fictional)", "health", None),
    ("Demo Sixth Form College (fictional)", "further-education", "E07000199"),
    ("Demo Land-Based College (fictional)", "further-education", "E07000194"),
    ("Demo Women's Aid (fictional)", "third-sector", "E07000197"),
    ("Demo Youth Network (fictional)", "third-sector", None),
    ("Demo Refugee Support (fictional)", "third-sector", "E07000193"),
    ("Demo Mentoring Charity (fictional)", "third-sector", "E07000195"),
    ("Demo Housing Association (fictional)", "third-sector", None),
    ("Demo Sports Trust (fictional)", "third-sector", "E07000199"),
    ("Demo Volunteer Centre (fictional)", "third-sector", "E07000196"),
    ("Demo Mosque Association (fictional)", "faith-community", "E07000193"),
    ("Demo Churches Together (fictional)", "faith-community", "E07000197"),
    ("Demo Gurdwara Committee (fictional)", "faith-community", "E07000199"),
    ("Demo Nursery Group (fictional)", "early-years", "E07000194"),
    ("Demo Childminders Network (fictional)", "early-years", None),
    ("Demo Second Prison (fictional)", "prisons", "E07000193"),
    ("Demo Young Offender Institution (fictional)", "prisons", "E07000192"),
    ("Demo Approved Premises (fictional)", "probation", "E07000197"),
    ("Demo Food Bank (fictional)", "third-sector", "E07000192"),
    ("Demo Scouts District (fictional)", "third-sector", "E07000194"),
    ("Demo Hindu Temple Trust (fictional)", "faith-community", "E07000195"),
]

# Staff by role group name, before a per-organisation spread.
STAFF = {
    "All staff": 400,
    "Reception and customer service": 60,
    "Frontline social care": 120,
    "Safeguarding and Prevent leads": 8,
    "All officers and staff": 900,
    "Neighbourhood officers": 150,
    "Clinical decision-maker": 140,
    "Safeguarding leads": 6,
    "School DSL": 3,
    "Frontline officers": 200,
    "Practitioners": 80,
    "Case workers": 30,
    "Staff and volunteers": 40,
    "Leaders and volunteers": 15,
}
SMALL_SECTORS = {"schools", "early-years", "faith-community", "third-sector"}

# Organisations sending the local profile figures: the councils, police, health, two charities.
CTLP_SENDERS = [
    "Staffordshire County Council",
    "Staffordshire Police",
    "Demo Integrated Care Board (fictional)",
    "Demo Community Trust (fictional)",
]

PRODUCTS: list[tuple[str, str, str, str, str]] = [
    ("Prevent standard presentation", "presentation", "everyone", "Basic awareness", ""),
    ("Prevent for local authority staff", "presentation", "local_authority", "Referrals", ""),
    ("Prevent for the third sector", "presentation", "third_sector", "Basic awareness", ""),
    ("Prevent for schools", "presentation", "schools", "Enhanced", ""),
    (
        "Home Office Prevent awareness e-learning",
        "e_learning",
        "everyone",
        "Basic awareness",
        "https://www.support-people-vulnerable-to-radicalisation.service.gov.uk/",
    ),
    (
        "Home Office Prevent referrals e-learning",
        "e_learning",
        "everyone",
        "Referrals",
        "https://www.support-people-vulnerable-to-radicalisation.service.gov.uk/",
    ),
]

BASE_FIGURES = {"SAFEG": 6, "HATE": 9, "TENSION": 2, "VENUE": 1, "WEBFILTER": 14, "ENGAGE": 3}


def _noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12, tzinfo=datetime.UTC))


def _organisations(areas: dict[str, Area]) -> list[Organisation]:
    sectors = {sector.code: sector for sector in Sector.objects.all()}
    for name, sector_code, area_code in MORE_ORGANISATIONS:
        Organisation.objects.get_or_create(
            name=name,
            defaults={"sector": sectors[sector_code], "area": areas[area_code or "E10000028"]},
        )
    return list(
        Organisation.objects.filter(is_archived=False, sector__isnull=False)
        .exclude(area__kind=Area.Kind.UNITARY)
        .select_related("sector", "area")
    )


def _workforce(
    organisations: list[Organisation], chance: random.Random, as_of: datetime.date
) -> None:
    for organisation in organisations:
        groups = RoleGroup.objects.filter(sector=organisation.sector)
        small = organisation.sector.code in SMALL_SECTORS
        staff = {}
        for group in groups:
            base = STAFF.get(group.name, 50)
            if small and group.name == "All staff":
                base = 45
            staff[group] = max(1, int(base * chance.uniform(0.6, 1.4)))
        if staff:
            training.record_workforce(organisation=organisation, as_of=as_of, staff=staff)


def _products() -> list[TrainingProduct]:
    levels = {level.name: level for level in TrainingLevel.objects.all()}
    return [
        training.save_product(name=name, kind=kind, audience=audience, level=levels[level], url=url)
        for name, kind, audience, level, url in PRODUCTS
    ]


def _sessions(
    organisation: Organisation,
    period: ReportingPeriod,
    products: list[TrainingProduct],
    chance: random.Random,
    by: User,
    today: datetime.date,
) -> None:
    """A quarter's training: e-learning completions, and now and then a WRAP session."""
    groups = list(RoleGroup.objects.filter(sector=organisation.sector).select_related("level"))
    if not groups:
        return
    for group in groups:
        staff = group.workforce.filter(organisation=organisation).first()
        if staff is None or chance.random() < 0.35:
            continue
        # About a quarter of those needing it are trained each quarter, so a year's returns
        # take coverage from low to high, unevenly across partners.
        count = max(1, int(staff.staff * chance.uniform(0.1, 0.3)))
        face_to_face = group.level.position >= 3
        training.record_session(
            organisation=organisation,
            held_on=max(
                period.starts_on,
                min(period.starts_on + datetime.timedelta(days=chance.randint(5, 80)), today),
            ),
            level=group.level,
            mode="face_to_face" if face_to_face else "e_learning",
            product=products[3 if organisation.sector.code == "schools" else 0]
            if face_to_face
            else products[4],
            facilitator="County Prevent team (accredited WRAP facilitators)"
            if face_to_face
            else "",
            attendees={group: count},
            by=by,
        )


def _figures(found: PartnerReturn, jump: bool, chance: random.Random) -> None:
    entries = {}
    for cell in localprofile_queries.cells_for(found):
        base = BASE_FIGURES.get(cell.indicator.code, 3)
        entries[cell.key] = localprofile.Entry(max(0, base + chance.randint(-2, 2)))
    if jump and found.organisation.name == "Staffordshire Police":
        # A large jump in hate incidents, explained in a note, for the coordinator to see.
        for cell in localprofile_queries.cells_for(found):
            if cell.indicator.code == "HATE" and cell.where == "Tamworth":
                entries[cell.key] = localprofile.Entry(
                    24, "Rise after a local incident; a new third-party reporting centre opened."
                )
    localprofile.save_values(partner_return=found, entries=entries)


def _send(
    found: PartnerReturn,
    coordinator: User,
    chance: random.Random,
    *,
    accept: bool,
    kind: str,
    today: datetime.date,
) -> None:
    due = found.window.due_on
    late = chance.random() < 0.12
    sent_on = due + datetime.timedelta(days=chance.randint(1, 9) if late else -chance.randint(0, 6))
    sent_on = max(found.window.period.starts_on, min(sent_on, today))
    lead = User.objects.filter(
        organisation=found.organisation, groups__name=Role.PARTNER_LEAD
    ).first()
    submit = (
        training.submit_training_return
        if kind == ReturnKind.TRAINING
        else localprofile.submit_data_return
    )
    submit(partner_return=found, by=lead or coordinator, now=_noon(sent_on))
    if accept:
        returns.accept_return(
            partner_return=found,
            by=coordinator,
            now=_noon(min(sent_on + datetime.timedelta(days=3), today)),
        )


def load_returns(
    areas: dict[str, Area], users: dict[Role, User], today: datetime.date | None = None
) -> None:
    today = today or datetime.date.today()
    history = [
        ReportingPeriod.objects.filter(name=f"2018/19 Q{quarter}").first()
        for quarter in (1, 2, 3, 4)
    ]
    if None in history or ReturnWindow.objects.filter(period__in=history).exists():
        return
    chance = random.Random(2019)
    coordinator = users[Role.COORDINATOR]
    training.ensure_default_framework()
    localprofile.ensure_default_indicators()
    _workforce(_organisations(areas), chance, datetime.date(2018, 4, 1))
    # Only organisations whose sector has role groups have a workforce to report on.
    organisations = list(
        Organisation.objects.filter(workforce__isnull=False).distinct().select_related("sector")
    )
    products = _products()
    ctlp_senders = [o for o in organisations if o.name in CTLP_SENDERS or "District" in o.name]
    # The history: every return in and accepted; one sent back in Q3, then sent again.
    for period in history:
        _collect(
            period,
            organisations,
            ctlp_senders,
            products,
            coordinator,
            chance,
            today=today,
            due_on=period.ends_on + datetime.timedelta(days=14),
            is_open=False,
            corrected=period.name == "2018/19 Q3",
            jump=False,
        )
    # Today: the current financial year's quarters, up to the open one.
    year = financial_year_of(today)
    current = list(
        ReportingPeriod.objects.filter(
            starts_on__gte=datetime.date(year, 4, 1), starts_on__lte=today
        ).order_by("starts_on")
    )
    if not current:
        return
    _workforce(organisations, chance, current[0].starts_on)
    open_name = quarter_of(today)[0]
    for number, period in enumerate(current):
        is_open = period.name == open_name
        due_on = period.ends_on + datetime.timedelta(days=14)
        if is_open and today - datetime.timedelta(days=3) >= period.starts_on + datetime.timedelta(
            days=21
        ):
            # Returns for the open quarter were asked for mid-quarter, due a few days ago.
            due_on = today - datetime.timedelta(days=3)
        last_closed = number == len(current) - 2
        _collect(
            period,
            organisations,
            ctlp_senders,
            products,
            coordinator,
            chance,
            today=today,
            due_on=due_on,
            is_open=is_open,
            corrected=last_closed,
            jump=last_closed or (len(current) == 1 and is_open),
        )


CORRECTED = "Demo Community Trust (fictional)"


def _collect(
    period: ReportingPeriod,
    organisations: list[Organisation],
    ctlp_senders: list[Organisation],
    products: list[TrainingProduct],
    coordinator: User,
    chance: random.Random,
    *,
    today: datetime.date,
    due_on: datetime.date,
    is_open: bool,
    corrected: bool,
    jump: bool,
) -> None:
    """One quarter's two windows and their returns.

    A closed quarter's returns are all in and accepted; the open quarter's about half in, the
    demo partner lead's still owed. In a ``corrected`` quarter the Community Trust's local
    profile figures are sent back; in the history they were then sent again and accepted.
    """
    opened = _noon(
        min(period.ends_on - datetime.timedelta(days=7), due_on - datetime.timedelta(days=14))
    )
    is_history = period.ends_on < today - datetime.timedelta(days=365 * 2)
    for kind, owing in ((ReturnKind.TRAINING, organisations), (ReturnKind.CTLP, ctlp_senders)):
        window = returns.open_window(
            period=period,
            kind=kind,
            due_on=due_on,
            organisations=owing,
            by=coordinator,
            now=opened,
        )
        for found in window.returns.select_related("organisation__sector", "window__period"):
            if kind == ReturnKind.TRAINING:
                _sessions(found.organisation, period, products, chance, coordinator, today)
            else:
                _figures(found, jump, chance)
            if is_open and (
                chance.random() < 0.5
                or found.organisation.name == "Demo Integrated Care Board (fictional)"
            ):
                continue
            is_corrected = (
                corrected and kind == ReturnKind.CTLP and found.organisation.name == CORRECTED
            )
            _send(
                found,
                coordinator,
                chance,
                accept=not is_open and not is_corrected,
                kind=kind,
                today=today,
            )
            if is_corrected:
                sent_back = min(due_on + datetime.timedelta(days=5), today)
                returns.send_back(
                    partner_return=found,
                    reason="The Cannock Chase figures look like the whole county's. "
                    "Please check and send them again.",
                    by=coordinator,
                    now=_noon(sent_back),
                )
                if is_history:
                    found.refresh_from_db()
                    localprofile.submit_data_return(
                        partner_return=found,
                        by=coordinator,
                        now=_noon(sent_back + datetime.timedelta(days=4)),
                    )
                    returns.accept_return(
                        partner_return=found,
                        by=coordinator,
                        now=_noon(sent_back + datetime.timedelta(days=6)),
                    )
