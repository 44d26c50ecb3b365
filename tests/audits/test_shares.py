"""A question's answers are shared out by core.figures' rule: 1 of 345 is "less than 1%"."""

from __future__ import annotations

from preventhub.audits.models import Question
from preventhub.audits.stats import QuestionFigures, with_rate


def test_one_school_of_345_answering_no_is_less_than_1_percent() -> None:
    figures = QuestionFigures(Question(scale="yes_no"), 345, {"Yes": 344, "No": 1})
    assert figures.rows() == [("Yes", 344, "more than 99%"), ("No", 1, "less than 1%")]
    assert with_rate(1, 345) == "1 of 345 (less than 1%)"
