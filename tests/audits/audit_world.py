"""A small, hand-checked audit round: ten schools, five Prevent questions, one trust return.

School   answered by        P1       P2    SEF  PAR   classification
S1       itself             Yes      Yes   Yes  Yes   all actioned
S2       itself             Yes      No    No   Yes   cannot confirm
S3       itself             Partly   Yes   No   No    under review
S4       itself (trust)     Yes      Yes   No   Yes   all actioned
S5, S6   S4's return        (S4's answers)            all actioned
S7       itself (trust)     -        -     -    -     responded, Prevent not answered (partial)
S8       S7's return        -                         trust return without Prevent answers
S9       draft online       Yes                       started, not submitted
S10      nothing                                      no response

in scope 10; responded 8 (80%); Prevent answered 6 (60%); all actioned 4 of 6 (67%);
cannot confirm 1 (17%); under review 1 (17%).
"""

from __future__ import annotations

import datetime

from preventhub.audits import services as audit_services
from preventhub.audits.models import AuditRound, Response
from preventhub.audits.services import import_questionnaire, import_responses
from preventhub.partnership.models import Area
from preventhub.schools.models import Establishment, EstablishmentGroup

QUESTIONNAIRE = """code,section,text,scale,prevent,requirement,required,suggested_action
G1,Safeguarding,Is there a designated safeguarding lead?,yes_no,no,yes,yes,
P1,Prevent,Is radicalisation risk assessed?,yes_no_partly,yes,yes,yes,Assess the risk.
P2,Prevent,Have staff had Prevent training?,met_partly_not,yes,yes,yes,
SEF,Prevent,Does the self-evaluation form include Prevent?,yes_no,yes,no,yes,
PAR,Prevent,Does the school engage parents on Prevent?,yes_no,yes,no,yes,
NOTE,Other,Anything else?,text,no,no,no,
"""

RESPONSES = """URN,Submitted,Covers,G1,P1,P2,SEF,PAR,NOTE
900001,12/10/2018,,Yes,Yes,Met,Yes,Yes,
900002,13/10/2018,,yes, YES ,Not met,No,Yes,We are on it
900003,14/10/2018,,Yes,partly,met,No,No,
900004,15/10/2018,900005;900006,Yes,Yes,Met,No,Yes,
900007,16/10/2018,900008,No,,,,,
"""


def make_schools(district: Area, other: Area) -> list[Establishment]:
    trust = EstablishmentGroup.objects.create(kind="trust", code="T1", name="Peak Learning Trust")
    schools = []
    for n in range(1, 11):
        schools.append(
            Establishment.objects.create(
                urn=900000 + n,
                name=f"School {n}",
                la_code="860",
                status=Establishment.Status.OPEN,
                type_group="Academies" if n in (4, 5, 6) else "Local authority maintained schools",
                phase="Secondary" if n % 2 else "Primary",
                district=district if n <= 5 else other,
                trust=trust if n in (4, 5, 6) else None,
            )
        )
    # Out of scope by default: closed, another LA, and a children's centre.
    Establishment.objects.create(urn=900011, name="Closed School", la_code="860", status="closed")
    Establishment.objects.create(urn=900012, name="Elsewhere", la_code="861", status="open")
    Establishment.objects.create(
        urn=900013, name="Centre", la_code="860", status="open", type_group="Children's centres"
    )
    return schools


def make_round(
    name: str = "2018", opens_on: datetime.date = datetime.date(2018, 9, 1)
) -> AuditRound:
    audit_round, _ = import_questionnaire(
        round_name=name,
        content=QUESTIONNAIRE.encode(),
        opens_on=opens_on,
        closes_on=opens_on + datetime.timedelta(days=60),
    )
    return audit_round


def answer_round(audit_round: AuditRound) -> None:
    import_responses(audit_round=audit_round, content=RESPONSES.encode(), filename="export.csv")
    draft = audit_round.scope.get(establishment__urn=900009)
    audit_services.save_answers(place=draft, answers={"P1": "Yes"})


def answers_by_code(response: Response) -> dict[str, str]:
    """A response's saved answers by question code, as a school gave them."""
    return {
        q.code: response.answers[str(q.pk)]
        for q in response.round.questions.all()
        if str(q.pk) in response.answers
    }
