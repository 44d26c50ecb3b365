"""The demo schools register and safeguarding audit: 411 fictional schools shaped like
Staffordshire; the 2018 and 2019 audit rounds (¶9–11) as the partnership's history, this year's
annual round (opened on 1 October, closed or still open depending on the day the demo is loaded)
and a focused survey open now.

Everything goes through the real paths: the register is a generated GIAS extract read by
``import_gias``, the questionnaire a CSV read by ``import_questionnaire``, and the answers a survey
export read by ``import_responses``. So the seed's figures for 2018 ("399 of 411 (97%)", 345
(84%), 85% all actioned, 2% cannot confirm, 10% SEF, 93% parents) are computed from answers,
never typed. Loaded once: a second load finds the 2018 round and leaves the audit alone.
"""

from __future__ import annotations

import csv
import datetime
import io
import random
from dataclasses import dataclass
from pathlib import Path

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from preventhub.audits import queries as audit_queries
from preventhub.audits import services as audit_services
from preventhub.audits.models import ActionPlanItem, AuditRound
from preventhub.audits.stats import Reason, non_responders
from preventhub.core import audit
from preventhub.core.models import AuditEvent
from preventhub.schools.gias import REQUIRED_COLUMNS, import_gias
from preventhub.schools.models import Establishment

FIRST_URN = 124000
# Schools in scope per district: 411 in all, roughly in proportion to the real county.
SCHOOLS_PER_DISTRICT = {
    "E07000192": 45,  # Cannock Chase
    "E07000193": 62,  # East Staffordshire
    "E07000194": 50,  # Lichfield
    "E07000195": 55,  # Newcastle-under-Lyme
    "E07000196": 48,  # South Staffordshire
    "E07000197": 60,  # Stafford
    "E07000198": 48,  # Staffordshire Moorlands
    "E07000199": 43,  # Tamworth
}
PLACES = [
    "Oakridge",
    "Brookfield",
    "Hillside",
    "Meadowbank",
    "Ashcombe",
    "Fernlea",
    "Highgrove",
    "Millbrook",
    "Westwood",
    "Elmhurst",
    "Kingsmead",
    "Larkfield",
    "Riverside",
    "Thornbury",
    "Willowdene",
    "Beechcroft",
    "Chasewood",
    "Foxhollow",
    "Greenacres",
    "Hawthorn",
    "Lindenfield",
    "Moorside",
    "Northgate",
    "Orchard Vale",
    "Pinewood",
    "Redhill",
    "Stoneleigh",
    "Trentside",
    "Upton Heath",
    "Yewtree",
]
SAINTS = ["St Mary’s", "St John’s", "St Peter’s", "St Chad’s", "St Michael’s", "Holy Trinity"]
TRUSTS = [
    ("TR0101", "Trent Valley Learning Trust"),
    ("TR0102", "Moorlands Academies Partnership"),
    ("TR0103", "Chase Education Trust"),
    ("TR0104", "Spires Multi-Academy Trust"),
    ("TR0105", "Three Rivers Schools Trust"),
    ("TR0106", "Peak Edge Learning Trust"),
]
# The demo's questionnaire: also an example of the file `import_questionnaire` reads.
QUESTIONNAIRE = (Path(__file__).parent / "data" / "audit_questionnaire.csv").read_text()
REQUIREMENTS = ["P1", "P2", "P3", "P4"]
SHORT_OF = {
    "P1": ("Partly met", "Not met"),
    "P2": ("Partly met", "Not met"),
    "P3": ("Partly", "No"),
    "P4": ("No", "No"),
}


@dataclass(frozen=True)
class RoundPlan:
    """How a round's schools answered: counts the generated export reproduces exactly."""

    name: str
    opens_on: datetime.date
    no_response: int
    covered_with_prevent: int  # schools answered for by a trust return with Prevent answers
    covered_without_prevent: int  # ... by a trust return without them
    partial: int  # own responses that skip the Prevent questions
    cannot_confirm: int  # of the own responses with Prevent answers
    under_review: int
    sef_yes: int  # of the own responses with Prevent answers (trust returns answer No)
    parents_no: int  # of the own responses with Prevent answers (trust returns answer Yes)
    seed: int


ROUND_2018 = RoundPlan(
    name="2018",
    opens_on=datetime.date(2018, 10, 1),
    no_response=12,
    covered_with_prevent=9,
    covered_without_prevent=5,
    partial=48,
    cannot_confirm=7,
    under_review=45,
    sef_yes=35,
    parents_no=24,
    seed=2018,
)
ROUND_2019 = RoundPlan(
    name="2019",
    opens_on=datetime.date(2019, 10, 1),
    no_response=6,
    covered_with_prevent=9,
    covered_without_prevent=5,
    partial=22,
    cannot_confirm=4,
    under_review=30,
    sef_yes=70,
    parents_no=15,
    seed=2019,
)


def _register_extract(districts: list[str]) -> bytes:
    """A GIAS extract (Windows-1252, as GIAS publishes) of the demo's schools."""
    rng = random.Random(860)
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(REQUIRED_COLUMNS), lineterminator="\r\n")
    writer.writeheader()
    urn = FIRST_URN
    used: set[str] = set()
    for district in districts:
        for n in range(SCHOOLS_PER_DISTRICT[district]):
            urn += 1
            writer.writerow(_school_row(urn, district, n, rng, used))
    # Out of scope: closed, proposed to open, a children's centre and an "other type".
    extras = [
        ("Old Mill Primary School", "Community school", "Local authority maintained schools", "2"),
        ("Lakeside Primary School", "Community school", "Local authority maintained schools", "2"),
        ("Castle Field Free School", "Free schools", "Free Schools", "4"),
        ("Brookfield Children’s Centre", "Children's centre", "Children's centres", "1"),
        ("County Hospital School Service", "Miscellaneous", "Other types", "1"),
    ]
    for name, kind, group, status in extras:
        urn += 1
        writer.writerow(
            _row(urn, name, kind, group, status, "Not applicable", districts[0], rng)
            | ({"CloseDate": "31-08-2017"} if status == "2" else {})
        )
    return out.getvalue().encode("cp1252")


def _row(
    urn: int,
    name: str,
    kind: str,
    group: str,
    status: str,
    phase: str,
    district: str,
    rng: random.Random,
    trust: tuple[str, str] = ("", ""),
) -> dict[str, str]:
    return {
        "URN": str(urn),
        "LA (code)": "860",
        "LA (name)": "Staffordshire",
        "EstablishmentNumber": str(2000 + urn % 7000),
        "EstablishmentName": name,
        "TypeOfEstablishment (name)": kind,
        "EstablishmentTypeGroup (name)": group,
        "EstablishmentStatus (code)": status,
        "PhaseOfEducation (name)": phase,
        "NumberOfPupils": str(
            rng.randint(60, 420) if phase == "Primary" else rng.randint(80, 1600)
        ),
        "Trusts (code)": trust[0],
        "Trusts (name)": trust[1],
        "Federations (code)": "",
        "Federations (name)": "",
        "DistrictAdministrative (code)": district,
        "Postcode": f"ST{rng.randint(1, 21)} {rng.randint(1, 9)}{_letters(rng)}",
        "OpenDate": "01-09-1974" if group != "Academies" else "01-04-2013",
        "CloseDate": "",
    }


def _letters(rng: random.Random) -> str:
    return "".join(rng.choice("ABDEFGHJLNPQRSTUWXYZ") for _ in range(2))


def _school_row(
    urn: int, district: str, n: int, rng: random.Random, used: set[str]
) -> dict[str, str]:
    share = (urn * 37) % 100  # a fixed spread of phases and types across districts
    if share < 72:
        phase, level = "Primary", "Primary School"
    elif share < 87:
        phase, level = "Secondary", "High School"
    elif share < 93:
        phase, level = "Not applicable", "Special School"
    elif share < 98:
        phase, level = "Not applicable", "School (independent)"
    else:
        phase, level = "Nursery", "Nursery School"
    academy = (phase == "Primary" and share % 5 < 2) or (phase == "Secondary" and share % 10 < 7)
    trust = TRUSTS[urn % len(TRUSTS)] if academy else ("", "")
    if level == "School (independent)":
        kind, group = "Other independent school", "Independent schools"
    elif level == "Special School":
        kind, group = "Community special school", "Special schools"
    elif academy:
        kind, group = "Academy converter", "Academies"
    else:
        kind, group = (
            rng.choice(
                ["Community school", "Voluntary controlled school", "Voluntary aided school"]
            ),
            "Local authority maintained schools",
        )
    stem = (
        rng.choice(SAINTS) + " CofE"
        if kind.startswith("Voluntary")
        else PLACES[(n + urn) % len(PLACES)]
    )
    name = f"{stem} {'Academy' if academy and phase == 'Secondary' else level}"
    while name in used:
        name = f"{PLACES[rng.randrange(len(PLACES))]} {name}"
    used.add(name)
    status = "3" if n == 7 and district == "E07000198" else "1"  # one proposed to close
    return _row(urn, name, kind, group, status, phase, district, rng, trust)


# --- Responses -------------------------------------------------------------------------------


def _answers(prevent: str, rng: random.Random, short_of: str = "") -> dict[str, str]:
    """One row of answers. ``prevent``: "all", "none" or "partial" (some Prevent answered)."""
    row = {
        "S1": "Yes",
        "S2": rng.choice(["Yes"] * 9 + ["No"]),
        "S3": rng.choice(["Met"] * 8 + ["Partly met"]),
    }
    if prevent == "none":
        return row
    if prevent == "partial":
        return row | {"P1": "Met"}
    row |= {
        "P1": "Met",
        "P2": "Met",
        "P3": "Yes",
        "P4": "Yes",
        "P5": "No",
        "P6": "Yes",
        "P7": str(rng.randint(5, 60)),
    }
    if short_of:
        kind, question = short_of.split(":")
        partial, negative = SHORT_OF[question]
        row[question] = partial if kind == "review" else negative
    return row


def current_round_plan(today: datetime.date) -> RoundPlan | None:
    """This year's annual round: it opens on 1 October; before then, last year's is the latest."""
    year = today.year if today >= datetime.date(today.year, 10, 1) else today.year - 1
    if year <= int(ROUND_2019.name):
        return None
    return RoundPlan(
        name=str(year),
        opens_on=datetime.date(year, 10, 1),
        no_response=5,
        covered_with_prevent=9,
        covered_without_prevent=5,
        partial=18,
        cannot_confirm=3,
        under_review=25,
        sef_yes=95,
        parents_no=12,
        seed=year,
    )


def _export(plan: RoundPlan, places: list[Establishment], today: datetime.date) -> bytes:
    """The survey tool's export for ``plan``: one row per response, trust returns included.

    Answers dated after ``today`` are not in it: those schools have yet to answer.
    """
    rng = random.Random(plan.seed)
    by_trust: dict[str, list[Establishment]] = {}
    for school in places:
        if school.trust_id:
            by_trust.setdefault(school.trust.code, []).append(school)
    # Two trusts answer as one: the first with its Prevent answers, the second without.
    with_prevent = by_trust[TRUSTS[0][0]][: plan.covered_with_prevent + 1]
    without_prevent = by_trust[TRUSTS[1][0]][: plan.covered_without_prevent + 1]
    taken = {s.pk for s in with_prevent + without_prevent}
    rest = [s for s in places if s.pk not in taken]
    rng.shuffle(rest)
    rest = rest[plan.no_response :]  # the first few never answer
    partial, rest = rest[: plan.partial], rest[plan.partial :]
    kinds = [f"cannot:{REQUIREMENTS[i % 4]}" for i in range(plan.cannot_confirm)] + [
        f"review:{REQUIREMENTS[i % 3]}" for i in range(plan.under_review)
    ]
    kinds += [""] * (len(rest) - len(kinds))
    rows: list[dict[str, str]] = []

    def submitted() -> str:
        day = plan.opens_on + datetime.timedelta(days=rng.randint(0, 55))
        return f"{day:%d/%m/%Y}" if day <= today else ""

    for lead, covered, prevent in (
        (with_prevent[0], with_prevent[1:], "all"),
        (without_prevent[0], without_prevent[1:], "none"),
    ):
        rows.append(
            {
                "URN": str(lead.urn),
                "Submitted": submitted(),
                "Covers": ";".join(str(s.urn) for s in covered),
            }
            | _answers(prevent, rng)
            | ({"P5": "No", "P6": "Yes"} if prevent == "all" else {})
        )
    for school in partial:
        rows.append({"URN": str(school.urn), "Submitted": submitted()} | _answers("partial", rng))
    for index, (school, kind) in enumerate(zip(rest, kinds, strict=True)):
        row = {"URN": str(school.urn), "Submitted": submitted()} | _answers("all", rng, kind)
        row["P5"] = "Yes" if index < plan.sef_yes else "No"
        row["P6"] = "No" if index >= len(rest) - plan.parents_no else "Yes"
        rows.append(row)
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=["URN", "Submitted", "Covers", *_codes()], restval="")
    writer.writeheader()
    writer.writerows(row for row in rows if row["Submitted"])
    return out.getvalue().encode("utf-8")


def _codes() -> list[str]:
    return [line.split(",")[0] for line in QUESTIONNAIRE.splitlines()[1:] if line]


def _load_round(plan: RoundPlan, copy_from: AuditRound | None, today: datetime.date) -> AuditRound:
    closes_on = plan.opens_on + datetime.timedelta(days=60)
    if copy_from is None:
        audit_round, _ = audit_services.import_questionnaire(
            round_name=plan.name,
            content=QUESTIONNAIRE.encode(),
            opens_on=plan.opens_on,
            closes_on=closes_on,
        )
    else:
        audit_round = audit_services.create_round(
            name=plan.name,
            kind=AuditRound.Kind.ANNUAL,
            opens_on=plan.opens_on,
            closes_on=closes_on,
            copy_from=copy_from,
        )
    places = list(
        Establishment.objects.filter(round_places__round=audit_round)
        .select_related("trust")
        .order_by("urn")
    )
    audit_services.import_responses(
        audit_round=audit_round,
        content=_export(plan, places, today),
        filename=f"survey-{plan.name}.csv",
    )
    return audit_round


def _progress_action_plans(
    audit_round: AuditRound, today: datetime.date, *, finished: bool = False
) -> None:
    """Most schools have worked through their action plans, a few have not started; in the
    history (``finished``) every item was done."""
    items = list(ActionPlanItem.objects.filter(place__round=audit_round).order_by("pk"))
    done = [item.pk for index, item in enumerate(items) if finished or index % 10 < 7]
    started = [item.pk for index, item in enumerate(items) if not finished and 7 <= index % 10 < 9]
    # In bulk, like the imports, with one entry in the audit trail for the lot.
    with audit.bulk_write(
        ActionPlanItem,
        action=AuditEvent.Action.UPDATE,
        description=f"Demo: {len(done)} action plan items done, {len(started)} in progress",
        obj=audit_round,
    ) as write:
        write.rows = ActionPlanItem.objects.filter(pk__in=done).update(
            status=ActionPlanItem.Status.DONE,
            progress="Done, and reported to governors.",
            completed_on=min(audit_round.closes_on + datetime.timedelta(days=60), today),
        )
        write.rows += ActionPlanItem.objects.filter(pk__in=started).update(
            status=ActionPlanItem.Status.IN_PROGRESS, progress="Booked for next term."
        )


FOCUSED_SURVEY = "Online safety and filtering, focused survey"
FOCUSED_QUESTIONS = ["P2", "P3", "P6"]


def _load_focused_survey(source: AuditRound, today: datetime.date) -> AuditRound:
    """A focused survey open now, for Stafford's secondary schools, on three of the questions.

    A few schools have answered; the rest can, through the link `manage.py demo` prints.
    """
    schools = Establishment.objects.filter(
        round_places__round=source, district__gss_code="E07000197", phase="Secondary"
    ).order_by("urn")
    survey = audit_services.create_round(
        name=FOCUSED_SURVEY,
        kind=AuditRound.Kind.FOCUSED,
        opens_on=today - datetime.timedelta(days=14),
        closes_on=today + datetime.timedelta(days=28),
        establishments=schools,
    )
    for position, question in enumerate(source.questions.filter(code__in=FOCUSED_QUESTIONS), 1):
        audit_services.save_question(
            audit_round=survey,
            code=question.code,
            section="Online safety",
            text=question.text,
            scale=question.scale,
            prevent=question.prevent,
            requirement=question.requirement,
            required=True,
            suggested_action=question.suggested_action,
            position=position,
        )
    answers = [("Met", "Yes", "Yes"), ("Partly met", "Partly", "Yes"), ("Met", "Yes", "No")]
    rows = ["URN,Submitted,P2,P3,P6"] + [
        f"{school.urn},{today - datetime.timedelta(days=10 - n):%d/%m/%Y},{','.join(answers[n])}"
        for n, school in enumerate(schools[: len(answers)])
    ]
    audit_services.import_responses(
        audit_round=survey, content="\n".join(rows).encode(), filename="focused-survey.csv"
    )
    return survey


def load_schools(districts: list[str], today: datetime.date | None = None) -> None:
    """The register, the 2018 round (the seed's figures), the 2019 round (its trend), this
    year's round and a focused survey open now."""
    today = today or datetime.date.today()
    import_gias(_register_extract(districts), la_codes=["860"])
    if AuditRound.objects.filter(name=ROUND_2018.name).exists():
        return
    with audit.bulk_write(
        Establishment,
        action=AuditEvent.Action.UPDATE,
        description="Demo: a safeguarding contact for every school without one",
    ) as write:
        write.rows = Establishment.objects.filter(contact_email="", urn__gt=FIRST_URN).update(
            contact_email=Concat(
                Value("dsl."), Cast("urn", CharField()), Value("@schools.demo.preventhub.example")
            )
        )
    first = _load_round(ROUND_2018, None, today)
    _progress_action_plans(first, today, finished=True)
    latest = _load_round(ROUND_2019, first, today)
    _progress_action_plans(latest, today, finished=True)
    current = current_round_plan(today)
    if current is not None:
        latest = _load_round(current, latest, today)
        _progress_action_plans(latest, today)
    _load_focused_survey(latest, today)


# The demo's school link is fixed, so loading the demo again changes nothing. It is printed by
# `manage.py demo` and works only in the demo: real links are random and shown once.
DEMO_LINK_TOKEN = "demo-school-link-not-for-real-use"


def demo_school_link(site_url: str) -> tuple[str, str]:
    """The link of a school yet to answer the open focused survey, to try the school's side."""
    audit_round = AuditRound.objects.get(name=FOCUSED_SURVEY)
    waiting = next(n.place for n in non_responders(audit_round) if n.reason == Reason.NO_RESPONSE)
    digest = audit_queries.token_digest(DEMO_LINK_TOKEN)
    if waiting.link_token_digest != digest or not waiting.link_is_live():
        waiting.link_token_digest = digest
        waiting.link_issued_at = timezone.now()
        waiting.link_expires_on = datetime.date(2099, 12, 31)
        waiting.link_revoked_at = None
        waiting.save()
    url = audit_services.school_link_url(token=DEMO_LINK_TOKEN, site_url=site_url)
    return waiting.establishment.name, url
