"""imports.py reads and checks a file without asking the database anything: services look up
what it is checked against, and write what it holds."""

from __future__ import annotations

from typing import Any

import pytest

from preventhub.audits.imports import (
    ResponsesContext,
    parse_questionnaire,
    parse_responses,
    read_sheet,
)
from preventhub.audits.models import AuditRound
from preventhub.schools.models import Establishment

from .audit_world import QUESTIONNAIRE

pytestmark = pytest.mark.django_db


def test_reading_a_questionnaire_asks_the_database_nothing(
    django_assert_num_queries: Any,
) -> None:
    with django_assert_num_queries(0):
        questions = parse_questionnaire(read_sheet(QUESTIONNAIRE.encode(), "questionnaire.csv"))
    assert questions[0]["position"] == 1


def test_reading_an_export_asks_the_database_nothing(
    audit_round: AuditRound, django_assert_num_queries: Any
) -> None:
    context = ResponsesContext(
        round=audit_round,
        questions=list(audit_round.questions.all()),
        register={school.urn: school for school in Establishment.objects.all()},
        scope={
            place.establishment.urn: place
            for place in audit_round.scope.select_related("establishment")
        },
        answered_before=set(),
    )
    with django_assert_num_queries(0):
        parsed = parse_responses(read_sheet(b"URN,G1\n900001,Yes\n", "export.csv"), context)
    assert [(item.school.urn, [a[1] for a in item.answers]) for item in parsed] == [
        (900001, ["Yes"])
    ]
