"""The audit's migrations keep every answer.

schools/0004 and audits/0001 change only Django's record of which app owns the models: a database
migrated before keeps every row of the tables, which keep their names, and the content types
follow the models. audits/0003 to 0005 gather each response's answer rows into its own row, and
back again.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("schools", "0003_audit_rounds"), ("audits", None)]
MOVED = ["auditround", "question", "response", "answer", "roundschool", "actionplanitem"]


def _migrate(targets: list[tuple[str, Any]]) -> Apps:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1]]).apps


def _latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


# Serialized rollback, as every other test that commits: the database is emptied afterwards
# without recreating content types, and the next test puts back the rows it expects with their
# ids (this test gives the moved models' content types new ones).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_database_migrated_before_the_move_keeps_every_audit_row() -> None:
    old = _migrate(BEFORE)
    content_type = old.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label="schools", model__in=MOVED).delete()
    before_types = {
        model: content_type.objects.create(app_label="schools", model=model).pk for model in MOVED
    }
    school = old.get_model("schools", "Establishment").objects.create(
        urn=900001, name="Shire Academy", la_code="860", status="open"
    )
    audit_round = old.get_model("schools", "AuditRound").objects.create(
        name="2018", opens_on=datetime.date(2018, 9, 1), closes_on=datetime.date(2018, 10, 31)
    )
    question = old.get_model("schools", "Question").objects.create(
        round=audit_round, code="P1", section="Prevent", text="Is there a policy?", scale="yes_no"
    )
    response = old.get_model("schools", "Response").objects.create(
        round=audit_round, establishment=school, status="submitted"
    )
    old.get_model("schools", "Answer").objects.create(
        response=response, question=question, value="No", outcome="negative"
    )
    place = old.get_model("schools", "RoundSchool").objects.create(
        round=audit_round, establishment=school, answered_by=response
    )
    old.get_model("schools", "ActionPlanItem").objects.create(
        place=place, question=question, answer="No", action="Write one", due_on="2019-01-31"
    )

    new = _migrate(_latest())

    found = new.get_model("audits", "ActionPlanItem").objects.select_related(
        "place__answered_by__establishment", "question__round"
    )
    item = found.get()
    assert item.place.answered_by.establishment.urn == 900001
    assert item.question.round.name == "2018"
    assert new.get_model("audits", "Response").objects.get().answers == {str(question.pk): "No"}
    content_type = new.get_model("contenttypes", "ContentType")
    assert not content_type.objects.filter(app_label="schools", model__in=MOVED).exists()
    assert {
        model: content_type.objects.get(app_label="audits", model=model).pk for model in MOVED
    } == before_types


ROWS = [("audits", "0002_answer_response_index_in_unique")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_responses_answer_rows_are_gathered_into_it_and_spread_back() -> None:
    old = _migrate(ROWS)
    establishment = old.get_model("schools", "Establishment")
    audit_round = old.get_model("audits", "AuditRound").objects.create(
        name="2018", opens_on=datetime.date(2018, 9, 1), closes_on=datetime.date(2018, 10, 31)
    )
    question = old.get_model("audits", "Question")
    p1, p2, note = (
        question.objects.create(
            round=audit_round, code=code, section="Prevent", text="?", scale=scale, position=n
        )
        for n, (code, scale) in enumerate(
            [("P1", "yes_no_partly"), ("P2", "one_to_four"), ("NOTE", "text")]
        )
    )
    response = old.get_model("audits", "Response")
    submitted, draft, unanswered = (
        response.objects.create(
            round=audit_round,
            establishment=establishment.objects.create(urn=urn, name=f"School {urn}"),
            status=status,
        )
        for urn, status in [(900001, "submitted"), (900002, "draft"), (900003, "draft")]
    )
    answer = old.get_model("audits", "Answer")
    rows = {
        (submitted.pk, p1.pk, "Partly", "partial"),
        (submitted.pk, p2.pk, "4", "negative"),
        (submitted.pk, note.pk, "We are on it", ""),
        (draft.pk, p1.pk, "", ""),  # a saved blank
    }
    answer.objects.bulk_create(
        answer(response_id=r, question_id=q, value=value, outcome=outcome)
        for r, q, value, outcome in rows
    )

    new = _migrate(_latest())

    gathered = dict(new.get_model("audits", "Response").objects.values_list("pk", "answers"))
    assert gathered == {
        submitted.pk: {str(p1.pk): "Partly", str(p2.pk): "4", str(note.pk): "We are on it"},
        draft.pk: {str(p1.pk): ""},
        unanswered.pk: {},
    }

    back = _migrate(ROWS)

    assert (
        set(
            back.get_model("audits", "Answer").objects.values_list(
                "response_id", "question_id", "value", "outcome"
            )
        )
        == rows
    )
    _migrate(_latest())


BEFORE_COUNTS = [("audits", "0008_action_item_place_index")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_response_is_counted_for_the_prevent_figures_when_migrated() -> None:
    """audits/0009 fills each response's counts from its answers, as saving it does since."""
    old = _migrate(BEFORE_COUNTS)
    audit_round = old.get_model("audits", "AuditRound").objects.create(
        name="2025", opens_on=datetime.date(2025, 9, 1), closes_on=datetime.date(2025, 10, 31)
    )
    question = old.get_model("audits", "Question")
    policy, training, optional, other = (
        question.objects.create(
            round=audit_round,
            code=code,
            section="Prevent",
            text="?",
            scale=scale,
            prevent=prevent,
            requirement=True,
            required=required,
            position=n,
        )
        for n, (code, scale, prevent, required) in enumerate(
            [
                ("P1", "yes_no", True, True),
                ("P2", "met_partly_not", True, True),
                ("P3", "yes_no", True, False),
                ("S1", "yes_no", False, True),
            ]
        )
    )
    establishment = old.get_model("schools", "Establishment")
    response = old.get_model("audits", "Response")
    answered, blank = (
        response.objects.create(
            round=audit_round,
            establishment=establishment.objects.create(urn=urn, name=f"School {urn}"),
            status="submitted",
            answers=answers,
        )
        for urn, answers in [
            (
                900001,
                {
                    str(policy.pk): "Yes",
                    str(training.pk): "Not met",
                    str(optional.pk): "Yes",
                    str(other.pk): "No",
                },
            ),
            (900002, {str(policy.pk): ""}),
        ]
    )

    new = _migrate(_latest())

    counted = dict(
        (pk, (done, negative, positive))
        for pk, done, negative, positive in new.get_model("audits", "Response").objects.values_list(
            "pk", "prevent_done", "prevent_negative", "prevent_positive"
        )
    )
    # Two required Prevent questions answered; "Not met" negative; two "Yes" positive (the
    # optional one counts as a requirement answered, not as required); S1 is not Prevent.
    assert counted == {answered.pk: (2, 1, 2), blank.pk: (0, 0, 0)}
