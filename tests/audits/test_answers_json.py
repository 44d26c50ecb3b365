"""A response holds its answers as JSON (question id → value): what the SQL reads from it, on
SQLite (``json_each``) and PostgreSQL (``jsonb_each_text``) alike, agrees with the Python."""

from __future__ import annotations

import datetime

import pytest

from preventhub.audits import imports, queries, stats
from preventhub.audits.models import COUNT_FIELDS, AuditRound, Question, Response, RoundSchool
from preventhub.audits.scales import SCALE_LABELS, Outcome, labels, outcome_of, prevent_counts
from preventhub.audits.services import (
    create_round,
    import_responses,
    save_answers,
    save_question,
    submit_response,
)

from .audit_world import RESPONSES, answers_by_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def every_scale(registered_schools: None) -> AuditRound:
    """A round with one Prevent requirement on each scale with labels, and one number."""
    audit_round = create_round(
        name="Scales",
        kind=AuditRound.Kind.FOCUSED,
        opens_on=datetime.date(2019, 1, 1),
        closes_on=datetime.date(2019, 2, 1),
    )
    for position, scale in enumerate([*SCALE_LABELS, "number"]):
        Question.objects.create(
            round=audit_round,
            code=f"Q{position}",
            section="Prevent",
            text=f"On {scale}?",
            scale=scale,
            prevent=True,
            requirement=scale in SCALE_LABELS,
            position=position,
        )
    return audit_round


def _answer(place: RoundSchool, answers: dict[Question, str]) -> Response:
    response = Response.objects.create(
        round=place.round,
        establishment=place.establishment,
        status=Response.Status.SUBMITTED,
        submitted_on=place.round.opens_on,
        answers={str(question.pk): value for question, value in answers.items()},
    )
    place.answered_by = response
    place.save(update_fields=["answered_by"])
    return response


def test_each_schools_outcomes_in_sql_are_the_scales_outcomes(every_scale: AuditRound) -> None:
    """School n answers each question with its scale's n-th label (going round), so every label
    of every scale is given by one of the four schools."""
    questions = list(every_scale.questions.all())
    places = list(every_scale.scope.order_by("establishment__urn")[:4])
    expected = {}
    for n, place in enumerate(places):
        given = {
            q: (labels(q.scale)[n % len(labels(q.scale))] if q.scale in SCALE_LABELS else "4")
            for q in questions
        }
        _answer(place, given)
        outcomes = [outcome_of(q.scale, value) for q, value in given.items() if q.requirement]
        expected[place.pk] = (
            len(questions),
            outcomes.count(Outcome.NEGATIVE),
            outcomes.count(Outcome.POSITIVE),
        )

    found = {
        place.pk: (place.prevent_done, place.prevent_negative, place.prevent_positive)
        for place in stats.schools(every_scale).filter(pk__in=expected)
    }

    assert found == expected
    # By hand: Yes Yes Met 1; No Partly "Partly met" 2; Yes No "Not met" 3; No Yes Met 4 (and
    # "4" to the number, which has no outcome).
    assert list(expected.values()) == [(5, 0, 4), (5, 1, 0), (5, 2, 1), (5, 2, 2)]
    figures = stats.round_figures(every_scale)
    assert (figures.prevent_answered, figures.all_actioned, figures.cannot_confirm) == (4, 1, 3)


def test_a_saved_blank_is_not_counted_as_an_answer(every_scale: AuditRound) -> None:
    first, second, *_ = every_scale.questions.all()
    place = every_scale.scope.order_by("establishment__urn").first()
    _answer(place, {first: "Yes", second: ""})

    counted = {f.question.code: (f.answered, f.counts) for f in stats.question_figures(every_scale)}

    assert counted[first.code] == (1, {"Yes": 1})
    assert counted[second.code] == (0, {})
    for question in (first, second):
        one = stats.one_question_figures(question)
        assert (one.answered, one.counts) == counted[question.code]
    assert stats.schools(every_scale).get(pk=place.pk).prevent_done == 1


def test_a_question_has_answers_once_any_school_saves_one_even_blank(
    every_scale: AuditRound,
) -> None:
    first, second, *_ = every_scale.questions.all()
    place = every_scale.scope.order_by("establishment__urn").first()
    assert not queries.round_has_answers(every_scale)

    Response.objects.create(round=every_scale, establishment=place.establishment)
    assert not queries.round_has_answers(every_scale)

    Response.objects.filter(round=every_scale).update(answers={str(second.pk): ""})
    assert queries.round_has_answers(every_scale)
    assert queries.question_has_answers(second)
    assert not queries.question_has_answers(first)


def test_an_imported_responses_json_keeps_any_text_as_given(audit_round: AuditRound) -> None:
    note = 'We said "yes"; the café\\back\nroom: 100% — done'
    content = f'URN,G1,NOTE\n900001,Yes,"{note.replace(chr(34), chr(34) * 2)}"\n'.encode()
    import_responses(audit_round=audit_round, content=content, filename="export.csv")
    response = Response.objects.get(round=audit_round)
    assert answers_by_code(response) == {"G1": "Yes", "NOTE": note}
    # The SQL reads the text back from the JSON as it was given, escapes and all.
    counted = {f.question.code: f.counts for f in stats.question_figures(audit_round)}
    assert counted["NOTE"] == {note: 1}
    # And reading the one answer, as the question's page does.
    assert stats.one_question_figures(audit_round.questions.get(code="NOTE")).counts == {note: 1}


# --- The counts kept on each response ---------------------------------------------------------


def _recounted(audit_round: AuditRound) -> dict[int, tuple[int, int, int]]:
    """Each response's counts worked out again from its answers, beside the stored ones."""
    questions = list(audit_round.questions.all())
    return {
        response.pk: tuple(prevent_counts(response.answers, questions))
        for response in audit_round.responses.all()
    }


def _stored(audit_round: AuditRound) -> dict[int, tuple[int, int, int]]:
    return {
        pk: tuple(counts) for pk, *counts in audit_round.responses.values_list("pk", *COUNT_FIELDS)
    }


def test_an_imported_and_a_saved_response_keep_the_counts_of_their_answers(
    answered_round: AuditRound,
) -> None:
    stored = _stored(answered_round)

    assert stored == _recounted(answered_round)
    s1 = Response.objects.get(round=answered_round, establishment__urn=900001)
    s2 = Response.objects.get(round=answered_round, establishment__urn=900002)
    # P1, P2, SEF and PAR are the required Prevent questions; P1 and P2 the requirements.
    assert stored[s1.pk] == (4, 0, 2)
    assert stored[s2.pk] == (4, 1, 1)  # P2 "Not met"


def test_an_import_counts_answers_whose_text_it_did_not_keep_the_same(
    audit_round: AuditRound, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A column keeps the answers it has read for the next rows only up to a limit (free text
    does not repeat): past it, each cell is read again, and counts the same."""
    monkeypatch.setattr(imports, "MEMO_SIZE", 1)
    import_responses(audit_round=audit_round, content=RESPONSES.encode(), filename="export.csv")

    assert _stored(audit_round) == _recounted(audit_round)
    assert sum(done for done, _, _ in _stored(audit_round).values()) == 4 * 4


def test_a_draft_keeps_the_counts_of_its_answers_as_they_change(audit_round: AuditRound) -> None:
    place = audit_round.scope.get(establishment__urn=900009)

    save_answers(place=place, answers={"P1": "Yes", "P2": "Not met"})
    saved = save_answers(place=place, answers={"P2": "Met", "SEF": "No"})

    saved.refresh_from_db()
    assert tuple(getattr(saved, name) for name in COUNT_FIELDS) == (3, 0, 2)


def test_making_a_prevent_question_optional_after_schools_answered_counts_them_again(
    answered_round: AuditRound,
) -> None:
    """Once PAR is no longer required, a school that leaves only PAR blank has answered every
    Prevent question; once it is required again, that school has not."""
    par = answered_round.questions.get(code="PAR")
    before = stats.round_figures(answered_round)

    save_question(
        audit_round=answered_round, question=par, expected_version=par.version, required=False
    )

    assert _stored(answered_round) == _recounted(answered_round)
    assert stats.round_figures(answered_round) == before  # nobody left PAR blank

    place = answered_round.scope.get(establishment__urn=900010)
    save_answers(place=place, answers={"G1": "Yes", "P1": "Yes", "P2": "Met", "SEF": "Yes"})
    submit_response(place=place, headteacher="A Head", governor="A Governor")
    assert stats.round_figures(answered_round).prevent_answered == before.prevent_answered + 1

    par.refresh_from_db()
    save_question(
        audit_round=answered_round, question=par, expected_version=par.version, required=True
    )

    assert _stored(answered_round) == _recounted(answered_round)
    assert stats.round_figures(answered_round).prevent_answered == before.prevent_answered
