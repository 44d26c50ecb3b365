"""The analysis of a safeguarding audit round (¶10), as SQL aggregates over the round's schools.

Every page, PDF, export and ``manage.py audit_summary`` reads its figures from here, so they agree.

A school counts once, whoever answered for it: ``RoundSchool.answered_by`` is its own submitted
response or the trust or federation return that covers it. Definitions (docs/audits.md):

* ``responded``: answered by a submitted response;
* ``prevent_answered``: responded, and every required Prevent question has an answer;
* of those, ``all_actioned``: every Prevent requirement answered positively; ``cannot_confirm``:
  any Prevent requirement answered negatively; ``under_review``: the rest (some partial).

These are figures about schools, which are organisations, so no disclosure control applies.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Model,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from preventhub.audits.models import COUNT_FIELDS, AuditRound, Question, Response, RoundSchool
from preventhub.audits.scales import Scale, labels
from preventhub.core import prepared
from preventhub.core.figures import percent_text, with_base
from preventhub.core.pagination import page_of

NOT_KNOWN = "Not known"


def rate(count: int, total: int) -> int | None:
    """A whole percentage, halves rounded up (97.5 → 98); None when there is nothing to divide."""
    if not total:
        return None
    return (200 * count + total) // (2 * total)


def with_rate(count: int, total: int) -> str:
    """ "399 of 411 (97%)": the way every figure is written, count first (core.figures' rule,
    so 1 of 345 is "less than 1%")."""
    return with_base(count, total)


@dataclass(frozen=True)
class Figures:
    in_scope: int
    responded: int
    prevent_answered: int
    all_actioned: int
    cannot_confirm: int
    under_review: int

    @property
    def completion_rate(self) -> int | None:
        return rate(self.responded, self.in_scope)

    @property
    def prevent_rate(self) -> int | None:
        return rate(self.prevent_answered, self.in_scope)

    def share(self, name: str) -> int | None:
        """all_actioned, cannot_confirm or under_review as a percentage of prevent_answered."""
        return rate(getattr(self, name), self.prevent_answered)


@dataclass(frozen=True)
class QuestionFigures:
    question: Question
    answered: int
    counts: dict[str, int]

    def rows(self) -> list[tuple[str, int, str | None]]:
        """Each answer with its count and share of those who answered ("85%", "less than 1%"),
        in the scale's order.

        Numbers and text have no fixed answers, so they are summed or left to the download.
        """
        if self.question.scale == Scale.TEXT:
            return []
        if self.question.scale == Scale.NUMBER:
            total = sum(int(value) * n for value, n in self.counts.items())
            return [("Total of the numbers given", total, None)]
        return [
            (
                label,
                self.counts.get(label, 0),
                percent_text(self.counts.get(label, 0), self.answered),
            )
            for label in labels(self.question.scale)
        ]


@dataclass(frozen=True)
class GroupFigures:
    name: str
    figures: Figures


@dataclass
class RoundAnalysis:
    round: AuditRound
    figures: Figures
    questions: list[QuestionFigures]
    previous: AuditRound | None = None
    previous_figures: Figures | None = None
    by_district: list[GroupFigures] = field(default_factory=list)
    by_phase: list[GroupFigures] = field(default_factory=list)
    by_trust: list[GroupFigures] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """The object ``manage.py audit_summary --json`` prints."""
        f = self.figures
        return {
            "round": self.round.name,
            "in_scope": f.in_scope,
            "responded": f.responded,
            "completion_rate": f.completion_rate,
            "prevent_answered": f.prevent_answered,
            "prevent_rate": f.prevent_rate,
            "all_actioned": f.all_actioned,
            "under_review": f.under_review,
            "cannot_confirm": f.cannot_confirm,
            "questions": {
                q.question.code: {"answered": q.answered, "counts": q.counts}
                for q in self.questions
            },
        }


# --- Reading the answers held on each response, in SQL ----------------------------------------


def _each_answer(column: str) -> str:
    """A table of the answers in the JSON ``column``, one row each: ``key``, the question's id
    as text, and ``value``, the answer. The one place the two databases differ: SQLite's JSON
    is text read by ``json_each``, PostgreSQL's is ``jsonb``."""
    function = "jsonb_each_text" if connection.vendor == "postgresql" else "json_each"
    return f"{function}({column})"


def _answer_to(column: str, key: str) -> str:
    """The answer in the JSON ``column`` to the question whose id (as text) is in the named
    parameter ``key``, as text; NULL where it has none. PostgreSQL reads the key from the
    ``jsonb``; SQLite reads a path, made from the key in SQL (the key is a number)."""
    if connection.vendor == "postgresql":
        return f"({column} ->> %({key})s::text)"
    return f"""json_extract({column}, '$."' || %({key})s || '"')"""


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def schools(audit_round: AuditRound | int) -> QuerySet[RoundSchool]:
    """The round's schools, each with the counts its classification is made from: those of the
    response that answers for it (``Response.prevent_done`` and the others, counted from its
    answers by ``scales.prevent_counts`` whenever they are written), 0 for a school without."""
    return RoundSchool.objects.filter(round=audit_round).annotate(
        **{name: Coalesce(F(f"answered_by__{name}"), 0) for name in COUNT_FIELDS}
    )


@dataclass(frozen=True)
class _Definition:
    """The conditions each figure counts, given the round's number of Prevent questions."""

    prevent_required: int
    prevent_requirements: int

    def conditions(self) -> dict[str, Q]:
        responded = Q(answered_by__isnull=False)
        # A round without Prevent questions has no Prevent figures, rather than all of them.
        answered = (
            responded & Q(prevent_done=self.prevent_required)
            if self.prevent_required
            else Q(pk__in=[])
        )
        negative = answered & Q(prevent_negative__gt=0)
        positive = answered & Q(prevent_negative=0, prevent_positive=self.prevent_requirements)
        return {
            "responded": responded,
            "prevent_answered": answered,
            "all_actioned": positive,
            "cannot_confirm": negative,
            "under_review": answered
            & ~Q(prevent_negative__gt=0)
            & ~Q(prevent_positive=self.prevent_requirements),
        }


def _definition_counts(round_id: int) -> QuerySet[Question]:
    return (
        Question.objects.filter(round_id=round_id, prevent=True)
        .values("round_id")
        .annotate(
            required=Count("pk", filter=Q(required=True)),
            requirements=Count("pk", filter=Q(requirement=True)),
        )
        .order_by()
    )


def _definition(audit_round: AuditRound) -> _Definition:
    for counts in prepared.rows(_definition_counts, audit_round.pk):
        return _Definition(counts["required"], counts["requirements"])
    return _Definition(0, 0)  # no Prevent questions


def _figures_of(standings: Mapping[str, int]) -> Figures:
    """The figures of schools counted by their :class:`Standing`: each school has one, so every
    figure is a sum of standings."""
    counted = [standings.get(name, 0) for name in ANSWERED_STANDINGS]
    in_scope = sum(standings.values())
    return Figures(
        in_scope=in_scope,
        responded=in_scope - standings.get(Standing.NO_RESPONSE, 0),
        prevent_answered=sum(counted),
        **dict(zip(ANSWERED_STANDINGS, counted, strict=True)),
    )


def round_figures(audit_round: AuditRound) -> Figures:
    """The round's headline figures: its schools counted by standing, in one grouped query over
    the schools and the counts of the responses that answer for them."""
    found = prepared.rows(_standing_counts, audit_round.pk, _definition(audit_round), None)
    return _figures_of({row["standing"]: row["n"] for row in found})


def figures_of_groups(standings_by: Mapping[str, Mapping[str, int]]) -> Figures:
    """The round's figures from its schools' standings by district, phase or trust
    (:func:`standing_by`): each school is in one group, so the round's are their sums."""
    total: dict[str, int] = {}
    for standings in standings_by.values():
        for name, n in standings.items():
            total[name] = total.get(name, 0) + n
    return _figures_of(total)


def question_figures(audit_round: AuditRound) -> list[QuestionFigures]:
    """For each question: how many schools answered it, and how many gave each answer.

    A school counts through the response that answers for it, so a trust return counts once for
    each school it covers: one grouped pass over the answers of the round's responses.
    """
    counts: dict[int, dict[str, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            QUESTION_COUNTS.format(
                place=_table(RoundSchool),
                response=_table(Response),
                each=_each_answer("r.answers"),
            ),
            {"round": audit_round.pk},
        )
        for question_id, value, n in cursor.fetchall():
            counts.setdefault(question_id, {})[value] = n
    return [
        QuestionFigures(q, sum(counts.get(q.pk, {}).values()), counts.get(q.pk, {}))
        for q in prepared.objects(_questions_of, audit_round.pk)
    ]


def one_question_figures(question: Question) -> QuestionFigures:
    """:func:`question_figures` for one question: each response's answer to it read alone,
    where the round's figures expand every answer of every response (a round of 60 questions
    has sixty times as many)."""
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            ONE_QUESTION_COUNTS.format(
                place=_table(RoundSchool),
                response=_table(Response),
                answer=_answer_to("r.answers", "key"),
            ),
            {"round": question.round_id, "key": str(question.pk)},
        )
        for value, n in cursor.fetchall():
            counts[value] = n
    return QuestionFigures(question, sum(counts.values()), counts)


def coded_question_figures(audit_round: AuditRound, code: str) -> QuestionFigures | None:
    """:func:`one_question_figures` of the round's question ``code``; None if it has none."""
    question = audit_round.questions.filter(code=code).first()
    return None if question is None else one_question_figures(question)


ONE_QUESTION_COUNTS = """
SELECT {answer}, COUNT(*)
FROM {place} p JOIN {response} r ON r.id = p.answered_by_id
WHERE p.round_id = %(round)s AND {answer} <> ''
GROUP BY 1
"""


def _questions_of(round_id: int) -> QuerySet[Question]:
    return Question.objects.filter(round_id=round_id)


QUESTION_COUNTS = """
SELECT CAST(a.key AS INTEGER), a.value, COUNT(*)
FROM {place} p JOIN {response} r ON r.id = p.answered_by_id CROSS JOIN {each} a
WHERE p.round_id = %(round)s AND a.value <> ''
GROUP BY a.key, a.value
"""


def _opened_before(kind: str, opens_on: datetime.date) -> QuerySet[AuditRound]:
    return AuditRound.objects.filter(kind=kind, opens_on__lt=opens_on).order_by("-opens_on")[:1]


def previous_round(audit_round: AuditRound) -> AuditRound | None:
    return prepared.first(_opened_before, audit_round.kind, audit_round.opens_on)


GROUPS = {
    "district": "establishment__district__name",
    "phase": "establishment__phase",
    "trust": "establishment__trust__name",
}


def analyse(
    audit_round: AuditRound,
    *,
    breakdowns: bool = True,
    compare: bool = True,
    figures: Figures | None = None,
) -> RoundAnalysis:
    """The round's figures (unless already counted: ``figures``) and its questions'; with
    ``compare``, the previous round's figures; with ``breakdowns``, by district, phase and
    trust."""
    previous = previous_round(audit_round) if compare else None
    analysis = RoundAnalysis(
        round=audit_round,
        figures=figures or round_figures(audit_round),
        questions=question_figures(audit_round),
        previous=previous,
        previous_figures=round_figures(previous) if previous else None,
    )
    if breakdowns:
        analysis.by_district, analysis.by_phase, analysis.by_trust = breakdown(audit_round)
    return analysis


def breakdown(
    audit_round: AuditRound,
) -> tuple[list[GroupFigures], list[GroupFigures], list[GroupFigures]]:
    """The round's figures by district, by phase and by trust (schools in none left out of the
    last): the breakdown page's, without the per-question counts :func:`analyse` makes too."""
    # One pass over the round's schools for the three, not one each: each pass reads every
    # school of a national round with its response (90 ms on SQLite).
    found: dict[str, dict[str, dict[str, int]]] = {name: {} for name in GROUPS}
    for row in prepared.rows(_standing_by_every_group, audit_round.pk, _definition(audit_round)):
        for name in GROUPS:
            _add_standing(found[name], row[f"by_{name}"], row["standing"], row["n"])
    district, phase, trust = (
        [GroupFigures(group, _figures_of(standings)) for group, standings in _by_name(by).items()]
        for by in (found["district"], found["phase"], found["trust"])
    )
    return district, phase, [group for group in trust if group.name != NOT_KNOWN]


# --- Non-responders --------------------------------------------------------------------------


class Reason:
    NO_RESPONSE = "No response"
    STARTED = "Started online, not submitted"
    TRUST_RETURN = "Trust or federation return without Prevent answers"
    PARTIAL = "Responded, Prevent questions not all answered"


@dataclass(frozen=True)
class NonResponder:
    place: RoundSchool
    reason: str


def _non_responding(audit_round: AuditRound, district: str) -> QuerySet[RoundSchool]:
    """The round's schools in scope that have not answered the Prevent questions, by district
    and name; of one district (its GSS code) if given."""
    answered = _definition(audit_round).conditions()["prevent_answered"]
    places = schools(audit_round).exclude(answered)
    if district:
        places = places.filter(establishment__district__gss_code=district)
    return places.order_by("establishment__district__name", "establishment__name", "pk")


def _with_reasons(audit_round: AuditRound, places: Iterable[RoundSchool]) -> list[NonResponder]:
    drafts = set(
        audit_round.responses.filter(status="draft").values_list("establishment_id", flat=True)
    )
    found = []
    for place in places:
        if place.answered_by is None:
            reason = Reason.STARTED if place.establishment_id in drafts else Reason.NO_RESPONSE
        elif place.answered_by.establishment_id != place.establishment_id:
            reason = Reason.TRUST_RETURN
        else:
            reason = Reason.PARTIAL
        found.append(NonResponder(place, reason))
    return found


_SHOWN = ("establishment__district", "establishment__trust", "answered_by__establishment")


def non_responders(audit_round: AuditRound, *, district: str = "") -> list[NonResponder]:
    """Every school in scope that has not answered the Prevent questions, and why."""
    return _with_reasons(
        audit_round, _non_responding(audit_round, district).select_related(*_SHOWN)
    )


def non_responders_page(
    audit_round: AuditRound, *, district: str = "", page_number: str | int = 1, per_page: int = 100
) -> Page:
    """One page of :func:`non_responders`: a national round starts with 22,000. Raises
    ``InvalidPage`` for no such page."""
    places = _non_responding(audit_round, district)
    return page_of(
        places.count(),
        page_number or 1,
        per_page,
        lambda start, end: _with_reasons(audit_round, places.select_related(*_SHOWN)[start:end]),
    )


def non_responder_keys(audit_round: AuditRound, *, district: str = "") -> list[int]:
    """The keys of the places :func:`non_responders` lists, for reminding them all."""
    return list(_non_responding(audit_round, district).values_list("pk", flat=True))


# --- Each school's place in the figures --------------------------------------------------------


class Standing:
    """Where one school falls in the analysis: the categories the dashboard's chart stacks."""

    ALL_ACTIONED = "all_actioned"
    UNDER_REVIEW = "under_review"
    CANNOT_CONFIRM = "cannot_confirm"
    NOT_PREVENT = "not_prevent"
    NO_RESPONSE = "no_response"

    LABELS = {
        ALL_ACTIONED: "Actioned all requirements",
        UNDER_REVIEW: "Under review",
        CANNOT_CONFIRM: "Could not confirm",
        NOT_PREVENT: "Responded, Prevent questions not answered",
        NO_RESPONSE: "No response",
    }


# The standings of a school that answered every required Prevent question, by their figure's name
# in Figures (the same as the standing's).
ANSWERED_STANDINGS = (Standing.ALL_ACTIONED, Standing.CANNOT_CONFIRM, Standing.UNDER_REVIEW)


def schools_with_standing(audit_round: AuditRound) -> QuerySet[RoundSchool]:
    """The round's schools, each annotated in SQL with ``standing`` (a :class:`Standing`)."""
    return _with_standing(audit_round.pk, _definition(audit_round))


def _with_standing(round_id: int, definition: _Definition) -> QuerySet[RoundSchool]:
    conditions = definition.conditions()
    return schools(round_id).annotate(
        standing=Case(
            When(conditions["all_actioned"], then=Value(Standing.ALL_ACTIONED)),
            When(conditions["cannot_confirm"], then=Value(Standing.CANNOT_CONFIRM)),
            When(conditions["under_review"], then=Value(Standing.UNDER_REVIEW)),
            When(conditions["responded"], then=Value(Standing.NOT_PREVENT)),
            default=Value(Standing.NO_RESPONSE),
            output_field=CharField(),
        )
    )


def _standing_by(round_id: int, definition: _Definition, group: str) -> QuerySet[RoundSchool]:
    return (
        _with_standing(round_id, definition)
        .annotate(group_name=F(group))
        .values("group_name", "standing")
        .annotate(n=Count("pk"))
        .order_by()
    )


def standing_by(audit_round: AuditRound, group: str) -> dict[str, dict[str, int]]:
    """Schools per standing for each district, phase or trust: the dashboard chart's figures."""
    found: dict[str, dict[str, int]] = {}
    for row in prepared.rows(_standing_by, audit_round.pk, _definition(audit_round), group):
        _add_standing(found, row["group_name"], row["standing"], row["n"])
    return _by_name(found)


def _add_standing(
    found: dict[str, dict[str, int]], group: str | None, standing: str, n: int
) -> None:
    # No group and an empty one are both "Not known": counted together.
    standings = found.setdefault(group or NOT_KNOWN, {})
    standings[standing] = standings.get(standing, 0) + n


def _by_name(found: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """The groups by name, "Not known" last."""
    return dict(sorted(found.items(), key=lambda item: (item[0] == NOT_KNOWN, item[0])))


def _standing_by_every_group(round_id: int, definition: _Definition) -> QuerySet[RoundSchool]:
    """The round's schools counted by standing and by district, phase and trust together."""
    return (
        _with_standing(round_id, definition)
        .annotate(**{f"by_{name}": F(path) for name, path in GROUPS.items()})
        .values(*(f"by_{name}" for name in GROUPS), "standing")
        .annotate(n=Count("pk"))
        .order_by()
    )


# --- What the education lead has to chase --------------------------------------------------------

REMIND_AFTER_DAYS = 14


@dataclass(frozen=True)
class Progress:
    """Where the round stands, for the home page: its figures and the reminders due."""

    figures: Figures
    reminders_due: int


def _reminder_due(today: datetime.date) -> Q:
    """A school with an address to remind, not reminded (nor sent its link) in the last
    :data:`REMIND_AFTER_DAYS` days."""
    cutoff = today - datetime.timedelta(days=REMIND_AFTER_DAYS)
    since = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time()))
    return ~Q(establishment__contact_email="") & (
        Q(reminded_at__isnull=True) | Q(reminded_at__lt=since)
    )


def _standing_counts(
    round_id: int, definition: _Definition, today: datetime.date | None
) -> QuerySet[RoundSchool]:
    """The round's schools counted by standing; given ``today``, with those due a reminder."""
    counts: dict[str, Any] = {"n": Count("pk")}
    if today is not None:
        counts["due"] = Count("pk", filter=_reminder_due(today))
    return _with_standing(round_id, definition).values("standing").annotate(**counts).order_by()


def progress(audit_round: AuditRound, today: datetime.date) -> Progress:
    """The round's figures and its reminders due: the schools yet to answer the Prevent
    questions that are due one (:func:`_reminder_due`), while the round is open. One grouped
    query, the same as :func:`round_figures`'s with the reminders counted beside."""
    standings: dict[str, int] = {}
    due = 0
    for row in prepared.rows(_standing_counts, audit_round.pk, _definition(audit_round), today):
        standings[row["standing"]] = row["n"]
        if row["standing"] not in ANSWERED_STANDINGS:
            due += row["due"]
    is_open = audit_round.opens_on <= today <= audit_round.closes_on
    return Progress(_figures_of(standings), due if is_open else 0)
