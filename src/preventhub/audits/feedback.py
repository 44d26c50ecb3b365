"""Per-school feedback (¶11): a school's answers beside the county picture, and what needs
attention.

One read model serves the school's own page (through its link), its PDF, and the education
safeguarding lead's page about the school: ``school_feedback(place)`` gives everything, and
``audits/feedback_body.html`` shows it. The county picture comes from ``stats.question_figures``,
so it is the same count the round's analysis shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string

from preventhub.audits.models import AuditRound, Question, Response, RoundSchool
from preventhub.audits.scales import Outcome, is_scaled, outcome_of
from preventhub.audits.stats import question_figures, with_rate
from preventhub.schools.models import Establishment

OUTCOME_TAGS = {
    Outcome.POSITIVE: ("Met", "govuk-tag--green"),
    Outcome.PARTIAL: ("Partly met", "govuk-tag--yellow"),
    Outcome.NEGATIVE: ("Not met", "govuk-tag--red"),
}


MEASURED = frozenset({Outcome.POSITIVE, Outcome.PARTIAL, Outcome.NEGATIVE})


@dataclass(frozen=True)
class QuestionFeedback:
    question: Question
    answer: str  # "" when the school gave none
    outcome: str
    # "n of N (p%)": schools in the round that gave the same answer, of those that answered.
    county: str
    answered_in_county: int

    @property
    def needs_attention(self) -> bool:
        return self.question.requirement and self.outcome in (Outcome.PARTIAL, Outcome.NEGATIVE)

    @property
    def to_confirm(self) -> bool:
        """A requirement with no answer that says met or not: never counted as met."""
        return self.question.requirement and self.outcome not in MEASURED

    @property
    def outcome_label(self) -> str:
        return OUTCOME_TAGS.get(self.outcome, ("", ""))[0]

    @property
    def outcome_class(self) -> str:
        return OUTCOME_TAGS.get(self.outcome, ("", ""))[1]

    @property
    def outcome_note(self) -> str:
        """What the answer means for the requirement, only where the answer does not already say
        it: "No" gives "not met", but "Partly met" gives nothing (never "Partly met (partly
        met)")."""
        label = self.outcome_label
        if not label or label.casefold() == self.answer.strip().casefold():
            return ""
        return label.lower()


@dataclass(frozen=True)
class SectionFeedback:
    title: str
    questions: list[QuestionFeedback]


@dataclass(frozen=True)
class SchoolFeedback:
    school: Establishment
    round: AuditRound
    # The response whose answers count for the school: its own, or a trust or federation return.
    response: Response | None
    responded_schools: int  # how many schools the county picture counts
    sections: list[SectionFeedback] = field(default_factory=list)

    @property
    def answered_through(self) -> Establishment | None:
        """The school whose trust or federation return answered for this one, if not itself."""
        if self.response is None or self.response.establishment_id == self.school.pk:
            return None
        return self.response.establishment

    @property
    def questions(self) -> list[QuestionFeedback]:
        return [q for section in self.sections for q in section.questions]

    @property
    def needs_attention(self) -> list[QuestionFeedback]:
        """Requirements the school answered partly or negatively: its action plan's gaps."""
        return [q for q in self.questions if q.needs_attention]

    @property
    def to_confirm(self) -> list[QuestionFeedback]:
        """Requirements left unanswered, or answered in words that say neither met nor not."""
        return [q for q in self.questions if q.to_confirm]

    @property
    def every_requirement_met(self) -> bool:
        """True only when there are requirements and every one was answered as met."""
        requirements = [q for q in self.questions if q.question.requirement]
        return bool(requirements) and all(q.outcome == Outcome.POSITIVE for q in requirements)


def school_feedback(place: RoundSchool) -> SchoolFeedback:
    """The feedback of one school in one round; without a response, no sections."""
    response = (
        Response.objects.select_related("establishment").get(pk=place.answered_by_id)
        if place.answered_by_id
        else None
    )
    audit_round = place.round
    if response is None:
        return SchoolFeedback(place.establishment, audit_round, None, 0)
    figures = question_figures(audit_round)
    sections: dict[str, list[QuestionFeedback]] = {}
    for figure in figures:
        question = figure.question
        value = response.answers.get(str(question.pk), "")
        county = (
            with_rate(figure.counts.get(value, 0), figure.answered)
            if value and is_scaled(question.scale)
            else ""
        )
        sections.setdefault(question.section, []).append(
            QuestionFeedback(
                question=question,
                answer=value,
                outcome=outcome_of(question.scale, value),
                county=county,
                answered_in_county=figure.answered,
            )
        )
    return SchoolFeedback(
        school=place.establishment,
        round=audit_round,
        response=response,
        responded_schools=audit_round.scope.filter(answered_by__isnull=False).count(),
        sections=[SectionFeedback(title, items) for title, items in sections.items()],
    )


def title_of(feedback: SchoolFeedback) -> str:
    return f"{feedback.round.title}: feedback for {feedback.school.name}"


def filename(feedback: SchoolFeedback) -> str:
    """A download's name, e.g. ``audit-2018-feedback-124001.pdf``."""
    slug = re.sub(r"[^a-z0-9]+", "-", str(feedback.round).lower()).strip("-")
    return f"audit-{slug}-feedback-{feedback.school.urn}.pdf"


def feedback_pdf(feedback: SchoolFeedback) -> bytes:
    """The feedback as a tagged PDF (PDF/UA), rendered by WeasyPrint from the same body."""
    # Imported here: loading Pango is slow, and only the PDF needs it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    class RefuseEverything(URLFetcher):
        # The answers are free text typed by a school: nothing in them may make the server fetch.
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError(f"The feedback fetches nothing; refused {url[:80]!r}")

    html = render_to_string(
        "audits/feedback_print.html", {"feedback": feedback, "title": title_of(feedback)}
    )
    return HTML(string=html, url_fetcher=RefuseEverything()).write_pdf(pdf_variant="pdf/ua-1")
