"""A safeguarding audit round ten times the size of Staffordshire's: 4,000 schools, 3,800 answers.

Times the survey export's import (every row checked first, then written in bulk) and the analysis
the round's pages show (SQL aggregates, by district, phase and trust, every question).
"""

from __future__ import annotations

import datetime
import random

from harness import ROOT, setup_django, timed

SCHOOLS = 4_000
ANSWERED = 3_800


def main() -> None:
    setup_django()
    from preventhub.audits import stats
    from preventhub.audits.services import import_questionnaire, import_responses
    from preventhub.schools.models import Establishment

    Establishment.objects.bulk_create(
        Establishment(
            urn=500_000 + n,
            name=f"Bench School {n}",
            la_code="860",
            status=Establishment.Status.OPEN,
            phase=random.choice(["Primary", "Secondary"]),
        )
        for n in range(SCHOOLS)
    )
    questionnaire = ROOT / "src" / "preventhub" / "demo" / "data" / "audit_questionnaire.csv"
    audit_round, _ = import_questionnaire(
        round_name="Bench",
        content=questionnaire.read_bytes(),
        opens_on=datetime.date(2018, 10, 1),
        closes_on=datetime.date(2018, 11, 30),
    )
    rng = random.Random(1)
    lines = ["URN,Submitted,S1,S2,S3,P1,P2,P3,P4,P5,P6,P7"]
    for n in range(ANSWERED):
        met = rng.choice(["Met", "Met", "Met", "Partly met", "Not met"])
        lines.append(
            f"{500_000 + n},12/10/2018,Yes,Yes,{met},{met},Met,Yes,Yes,No,Yes,{rng.randint(0, 90)}"
        )
    content = "\n".join(lines).encode()
    with timed("import the survey export", ANSWERED, "responses"):
        result = import_responses(audit_round=audit_round, content=content, filename="bench.csv")
    print(result.as_dict())
    with timed("analyse the round (figures, breakdowns, questions)", SCHOOLS, "schools"):
        analysis = stats.analyse(audit_round)
    figures = analysis.figures
    print(f"responded {stats.with_rate(figures.responded, figures.in_scope)}")
    with timed("list the non-responders", SCHOOLS, "schools"):
        found = stats.non_responders(audit_round)
    print(f"{len(found)} non-responders")


if __name__ == "__main__":
    main()
