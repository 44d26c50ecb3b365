"""The analysis of an audit round: every figure checked by hand (tests/audits/audit_world)."""

from __future__ import annotations

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from preventhub.audits import stats
from preventhub.audits.models import ActionPlanItem, AuditRound

from .audit_world import make_round

pytestmark = pytest.mark.django_db


def test_the_default_scope_is_the_open_schools_of_the_partnership_without_non_schools(
    answered_round: AuditRound,
) -> None:
    urns = set(answered_round.scope.values_list("establishment__urn", flat=True))
    assert urns == {900000 + n for n in range(1, 11)}


def test_every_headline_figure_is_counted_per_school(answered_round: AuditRound) -> None:
    figures = stats.round_figures(answered_round)
    assert figures == stats.Figures(
        in_scope=10,
        responded=8,
        prevent_answered=6,
        all_actioned=4,
        cannot_confirm=1,
        under_review=1,
    )
    assert figures.completion_rate == 80
    assert figures.prevent_rate == 60
    assert figures.share("all_actioned") == 67
    assert figures.share("cannot_confirm") == 17
    assert figures.share("under_review") == 17


def test_the_headline_agrees_with_each_schools_standing(answered_round: AuditRound) -> None:
    """The headline is one grouped query; each school's standing is worked out per school. They
    are two ways to the same figures."""
    figures = stats.round_figures(answered_round)
    standings = [place.standing for place in stats.schools_with_standing(answered_round)]
    assert figures.in_scope == len(standings)
    assert figures.all_actioned == standings.count(stats.Standing.ALL_ACTIONED)
    assert figures.cannot_confirm == standings.count(stats.Standing.CANNOT_CONFIRM)
    assert figures.under_review == standings.count(stats.Standing.UNDER_REVIEW)
    assert figures.responded - figures.prevent_answered == standings.count(
        stats.Standing.NOT_PREVENT
    )


def test_a_round_without_prevent_questions_has_no_prevent_figures(
    answered_round: AuditRound,
) -> None:
    answered_round.questions.filter(prevent=True).update(prevent=False)
    figures = stats.round_figures(answered_round)
    assert (figures.responded, figures.prevent_answered, figures.all_actioned) == (8, 0, 0)


def test_a_trust_return_counts_once_for_each_school_it_covers(answered_round: AuditRound) -> None:
    by_question = {q.question.code: q for q in stats.question_figures(answered_round)}
    assert by_question["SEF"].answered == 6
    assert by_question["SEF"].counts == {"Yes": 1, "No": 5}
    assert by_question["PAR"].counts == {"Yes": 5, "No": 1}
    assert by_question["P1"].counts == {"Yes": 5, "Partly": 1}
    assert by_question["G1"].counts == {"Yes": 6, "No": 2}
    assert by_question["NOTE"].answered == 1


def test_one_questions_figures_are_the_rounds_for_that_question(
    answered_round: AuditRound,
) -> None:
    """The question's page reads its one answer from each response; the round's pages expand
    every answer. Both count a trust return once per school it covers."""
    by_question = {q.question.code: q for q in stats.question_figures(answered_round)}
    assert len(by_question) > 5
    for question in answered_round.questions.all():
        one = stats.one_question_figures(question)
        every = by_question[question.code]
        assert (one.question, one.answered, one.counts) == (
            every.question,
            every.answered,
            every.counts,
        ), question.code
    assert stats.one_question_figures(answered_round.questions.get(code="SEF")).counts == {
        "Yes": 1,
        "No": 5,
    }


def test_answers_are_read_whatever_their_case_and_spacing(answered_round: AuditRound) -> None:
    by_question = {q.question.code: q for q in stats.question_figures(answered_round)}
    assert by_question["P2"].counts == {"Met": 5, "Not met": 1}


def test_rates_are_whole_percentages_written_with_their_counts() -> None:
    assert stats.with_rate(399, 411) == "399 of 411 (97%)"
    assert stats.with_rate(345, 411) == "345 of 411 (84%)"
    assert stats.rate(1, 8) == 13  # 12.5 rounds up
    assert stats.with_rate(0, 0) == "0 of 0"


def test_the_figures_break_down_by_district_phase_and_trust(answered_round: AuditRound) -> None:
    analysis = stats.analyse(answered_round)
    districts = {g.name: g.figures for g in analysis.by_district}
    assert districts["Stafford"] == stats.Figures(5, 5, 5, 3, 1, 1)
    assert districts["Tamworth"] == stats.Figures(5, 3, 1, 1, 0, 0)
    trusts = {g.name: g.figures for g in analysis.by_trust}
    assert trusts == {"Peak Learning Trust": stats.Figures(3, 3, 3, 3, 0, 0)}
    phases = {g.name: g.figures.in_scope for g in analysis.by_phase}
    assert phases == {"Primary": 5, "Secondary": 5}


def test_the_breakdown_counts_every_group_in_one_pass_as_each_group_counted_alone(
    answered_round: AuditRound,
) -> None:
    with CaptureQueriesContext(connection) as captured:
        by_district, by_phase, by_trust = stats.breakdown(answered_round)

    def alone(group: str) -> list[tuple[str, stats.Figures]]:
        counted = stats.standing_by(answered_round, stats.GROUPS[group])
        return [(name, stats._figures_of(standings)) for name, standings in counted.items()]

    assert [(g.name, g.figures) for g in by_district] == alone("district")
    assert [(g.name, g.figures) for g in by_phase] == alone("phase")
    assert [(g.name, g.figures) for g in by_trust] == [
        (name, figures) for name, figures in alone("trust") if name != stats.NOT_KNOWN
    ]
    assert stats.NOT_KNOWN in dict(alone("trust"))  # schools in no trust, left out above
    assert sum("schools_roundschool" in query["sql"] for query in captured) == 1


def test_the_previous_round_of_the_same_kind_is_the_comparison(answered_round: AuditRound) -> None:
    later = make_round("2019", datetime.date(2019, 9, 1))
    analysis = stats.analyse(later)
    assert analysis.previous == answered_round
    assert analysis.previous_figures is not None
    assert analysis.previous_figures.responded == 8
    assert analysis.figures.responded == 0


def test_non_responders_are_listed_with_their_reason(answered_round: AuditRound) -> None:
    found = {n.place.establishment.urn: n.reason for n in stats.non_responders(answered_round)}
    assert found == {
        900007: stats.Reason.PARTIAL,
        900008: stats.Reason.TRUST_RETURN,
        900009: stats.Reason.STARTED,
        900010: stats.Reason.NO_RESPONSE,
    }
    stafford = stats.non_responders(answered_round, district="E07000197")
    assert stafford == []


def test_audit_summary_prints_the_figures_as_json_last(answered_round: AuditRound) -> None:
    out = StringIO()
    call_command("audit_summary", "--round", "2018", "--json", stdout=out)
    summary = json.loads(out.getvalue().strip().splitlines()[-1])
    assert {
        k: summary[k]
        for k in (
            "in_scope",
            "responded",
            "completion_rate",
            "prevent_answered",
            "prevent_rate",
            "all_actioned",
            "under_review",
            "cannot_confirm",
        )
    } == {
        "in_scope": 10,
        "responded": 8,
        "completion_rate": 80,
        "prevent_answered": 6,
        "prevent_rate": 60,
        "all_actioned": 4,
        "under_review": 1,
        "cannot_confirm": 1,
    }
    assert summary["questions"]["PAR"] == {"answered": 6, "counts": {"Yes": 5, "No": 1}}


def test_gaps_in_requirements_become_action_plan_items(answered_round: AuditRound) -> None:
    found = {
        (i.place.establishment.urn, i.question.code, i.answer)
        for i in ActionPlanItem.objects.filter(place__round=answered_round)
    }
    # S2 fell short on P2, S3 on P1, and S7's trust return said No to G1 for S7 and S8.
    assert found == {
        (900002, "P2", "Not met"),
        (900003, "P1", "Partly"),
        (900007, "G1", "No"),
        (900008, "G1", "No"),
    }
    p1 = ActionPlanItem.objects.get(place__establishment__urn=900003)
    assert p1.action == "Assess the risk."
    assert p1.due_on == datetime.date(2018, 10, 14) + datetime.timedelta(days=90)
