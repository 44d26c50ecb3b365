"""imports.py reads and checks a file without asking the database anything: services look up
what it is checked against, and write what it holds."""

from __future__ import annotations

import json
from typing import Any

import pytest

from preventhub.audits.imports import (
    ImportProblems,
    ResponsesContext,
    iter_responses,
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


def _context(audit_round: AuditRound) -> ResponsesContext:
    return ResponsesContext(
        round=audit_round,
        questions=list(audit_round.questions.all()),
        register={school.urn: school for school in Establishment.objects.all()},
        scope={
            place.establishment.urn: place
            for place in audit_round.scope.select_related("establishment")
        },
        answered_before=set(),
    )


def test_reading_an_export_asks_the_database_nothing(
    audit_round: AuditRound, django_assert_num_queries: Any
) -> None:
    context = _context(audit_round)
    with django_assert_num_queries(0):
        parsed = parse_responses(read_sheet(b"URN,G1\n900001,Yes\n", "export.csv"), context)
    g1 = str(audit_round.questions.get(code="G1").pk)
    assert [(item.school.urn, json.loads(item.answers)) for item in parsed] == [
        (900001, {g1: "Yes"})
    ]


def test_responses_come_until_the_first_problem_and_every_problem_is_named_at_the_end(
    audit_round: AuditRound,
) -> None:
    # The import writes what it is given, so nothing may come after a problem.
    export = b"URN,G1\n900001,Yes\n900002,Maybe\n900003,Yes\n900004,Never\n"
    responses = iter_responses(read_sheet(export, "export.csv"), _context(audit_round))
    assert next(responses).school.urn == 900001
    with pytest.raises(ImportProblems) as caught:
        next(responses)
    assert caught.value.problems == [
        'Row 3, column G1: "Maybe" is not an answer to this question: use "Yes" or "No".',
        'Row 5, column G1: "Never" is not an answer to this question: use "Yes" or "No".',
    ]
