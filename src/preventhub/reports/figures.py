"""Named figures: every number a report prints, each bound to the query of the app that owns it.

A figure never computes anything itself: it calls the owning app's ``stats`` or ``queries``
function and formats what comes back, with where it came from (the page that shows the same
figure, and a sentence describing the query). Figures about people (referrals, Channel) come
only from ``casework.stats.protected_table``: whole reporting periods that have ended, the Home
Office's age bands, every cell through the cell-key protection.

A narrative names a figure with a placeholder::

    {{ audit_completion round=2018 show=responded }}

``show`` picks one part of the figure (each figure lists its parts); without it the figure's
headline text is printed ("399 of 411 (97%)").
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.urls import reverse

from preventhub.audits import stats as audit_stats
from preventhub.audits.models import AuditRound
from preventhub.casework import stats as case_stats
from preventhub.core import calendar
from preventhub.core.disclosure import CrossTable, ProtectedTable
from preventhub.core.figures import with_base
from preventhub.delivery import stats as delivery_stats
from preventhub.partnership.models import ReportingPeriod
from preventhub.training import stats as training_stats


class FigureError(ValueError):
    """A figure that cannot be given; the message says why, for the person writing the report."""


@dataclass(frozen=True)
class Param:
    name: str
    description: str
    example: str
    required: bool = True


@dataclass(frozen=True)
class Value:
    """One built figure: its headline text, its parts, and where it came from."""

    text: str
    parts: dict[str, str]
    source_url: str
    source: str

    def show(self, part: str) -> str:
        return self.text if not part else self.parts[part]

    def as_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "parts": self.parts,
            "source_url": self.source_url,
            "source": self.source,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Value:
        return cls(data["text"], dict(data["parts"]), data["source_url"], data["source"])


@dataclass(frozen=True)
class Figure:
    name: str
    title: str
    params: tuple[Param, ...]
    parts: tuple[str, ...]
    compute: Callable[..., Value]
    protected: bool = False

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    @property
    def example(self) -> str:
        args = " ".join(f"{p.name}={p.example}" for p in self.params if p.required)
        return "{{ " + f"{self.name} {args}".strip() + " }}"


REGISTRY: dict[str, Figure] = {}


def register(figure: Figure) -> Figure:
    REGISTRY[figure.name] = figure
    return figure


# ---- reading parameters ------------------------------------------------------------------------


def _date(name: str, text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise FigureError(f"{name} must be a date written like 2018-11-30, not {text!r}") from None


def _round(name: str) -> AuditRound:
    found = AuditRound.objects.filter(name=name).first()
    if found is None:
        raise FigureError(f"There is no audit round named {name!r}")
    return found


def _period(name: str) -> ReportingPeriod:
    found = ReportingPeriod.objects.filter(name=name).first()
    if found is None:
        raise FigureError(f"There is no reporting period named {name!r} (write it like 2018/19 Q3)")
    return found


def _pc(value: int | None) -> str:
    return "no figure" if value is None else f"{value}%"


def long_date(value: datetime.date) -> str:
    return f"{value.day} {value:%B %Y}"


# ---- schools audit ------------------------------------------------------------------------------


def _audit_source(audit_round: AuditRound) -> str:
    return reverse("audits:round", args=[audit_round.pk])


def audit_completion(*, round: str, **_: Any) -> Value:
    audit_round = _round(round)
    f = audit_stats.round_figures(audit_round)
    return Value(
        audit_stats.with_rate(f.responded, f.in_scope),
        {
            "responded": str(f.responded),
            "in_scope": str(f.in_scope),
            "rate": _pc(f.completion_rate),
        },
        _audit_source(audit_round),
        f"Schools audit {audit_round.name}: schools that responded, of the schools in scope "
        "(audits.stats.round_figures)",
    )


def prevent_answered(*, round: str, **_: Any) -> Value:
    audit_round = _round(round)
    f = audit_stats.round_figures(audit_round)
    return Value(
        audit_stats.with_rate(f.prevent_answered, f.in_scope),
        {
            "count": str(f.prevent_answered),
            "in_scope": str(f.in_scope),
            "rate": _pc(f.prevent_rate),
        },
        _audit_source(audit_round),
        f"Schools audit {audit_round.name}: schools that answered every required Prevent "
        "question, of the schools in scope (audits.stats.round_figures)",
    )


FINDINGS = ("all_actioned", "cannot_confirm", "under_review")


def audit_findings(*, round: str, **_: Any) -> Value:
    audit_round = _round(round)
    f = audit_stats.round_figures(audit_round)
    parts = {name: _pc(f.share(name)) for name in FINDINGS}
    parts |= {f"{name}_count": str(getattr(f, name)) for name in FINDINGS}
    return Value(
        f"{parts['all_actioned']} had actioned all of the requirements, {parts['cannot_confirm']} "
        f"could not confirm them and {parts['under_review']} are under review",
        parts,
        _audit_source(audit_round),
        f"Schools audit {audit_round.name}: of the schools that answered the Prevent questions, "
        "the share that actioned every requirement, could not confirm one, or have some under "
        "review (audits.stats.round_figures)",
    )


def audit_answer(*, round: str, question: str, answer: str = "Yes", **_: Any) -> Value:
    audit_round = _round(round)
    found = audit_stats.coded_question_figures(audit_round, question)
    if found is None:
        raise FigureError(f"The audit round {audit_round.name} has no question {question!r}")
    count = found.counts.get(answer, 0)
    share = audit_stats.rate(count, found.answered)
    return Value(
        _pc(share),
        {"count": str(count), "answered": str(found.answered), "rate": _pc(share)},
        reverse("audits:question", args=[audit_round.pk, found.question.code]),
        f"Schools audit {audit_round.name}, question {found.question.code} "
        f"({found.question.text[:120]}): schools answering {answer!r}, of those that answered "
        "(audits.stats.one_question_figures)",
    )


# ---- training -----------------------------------------------------------------------------------


def training_coverage(*, period: str, **_: Any) -> Value:
    reporting_period = _period(period)
    result = training_stats.coverage(reporting_period.ends_on)
    total = result.total.total
    return Value(
        with_base(total.trained, total.needing),
        {
            "trained": str(total.trained),
            "needing": str(total.needing),
            "rate": _pc(total.coverage),
            "on": long_date(result.on),
        },
        reverse("training:coverage") + f"?period={reporting_period.pk}",
        f"Prevent training coverage on {long_date(result.on)}, the last day of "
        f"{reporting_period.name}: staff trained at the level their role needs, of the staff who "
        "need it, all partner organisations (training.stats.coverage)",
    )


# ---- delivery plan ------------------------------------------------------------------------------


def _column_part(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")


def delivery_progress(*, period: str, **_: Any) -> Value:
    reporting_period = _period(period)
    try:
        report = delivery_stats.progress_report(reporting_period)
    except delivery_stats.ReportError as error:
        raise FigureError(str(error)) from None
    parts = {"actions": str(report.action_count), "updates": report.updates_text}
    for share in report.shares:
        parts[_column_part(share.column.label)] = str(share.count)
    summary = ", ".join(f"{share.column.label.lower()} {share.count}" for share in report.shares)
    return Value(
        f"{report.action_count} actions: {summary}",
        parts,
        reverse("delivery_reports:report", args=[reporting_period.pk]),
        f"Delivery Plan progress report for {reporting_period.name}: the plan's actions by their "
        "latest progress (delivery.stats.progress_report)",
    )


# ---- referrals and Channel, protected -----------------------------------------------------------


@dataclass(frozen=True)
class Covering:
    """The whole periods the protection publishes that cover the dates a report asks about."""

    periods: tuple[case_stats.Period, ...]
    note: str


def covering_periods(
    date_from: datetime.date, date_to: datetime.date, *, today: datetime.date
) -> Covering:
    """The smallest whole reporting periods that cover ``date_from``..``date_to``.

    Outside case work the statistics are published only for whole quarters and years that have
    ended (casework/stats.py), never for dates: one quarter if the dates fall in one, else the
    financial year if they fall in one and the year may be published, else its quarters.
    """
    if date_to < date_from:
        raise FigureError("The figure's dates end before they start")
    first_year = calendar.financial_year_of(date_from)
    last_year = calendar.financial_year_of(date_to)
    quarters: list[case_stats.Period] = []
    for year in range(first_year, last_year + 1):
        for number in (1, 2, 3, 4):
            quarter = case_stats.quarter_period(year, number)
            if quarter.ends_on >= date_from and quarter.starts_on <= date_to:
                quarters.append(quarter)
    chosen: tuple[case_stats.Period, ...] = tuple(quarters)
    if len(quarters) > 1 and first_year == last_year:
        year_period = case_stats.year_period(first_year)
        try:
            case_stats.check_period(year_period, today=today)
            case_stats.check_year_differs_enough(year_period)
            chosen = (year_period,)
        except case_stats.StatisticsError:
            chosen = tuple(quarters)
    for period in chosen:
        try:
            case_stats.check_period(period, today=today)
        except case_stats.StatisticsError as error:
            raise FigureError(str(error)) from None
    asked = f"{long_date(date_from)} to {long_date(date_to)}"
    spans = " and ".join(period.label for period in chosen)
    exact = (chosen[0].starts_on, chosen[-1].ends_on) == (date_from, date_to)
    note = (
        f"Figures for {spans}."
        if exact
        else f"Figures for {spans}, the whole reporting period{'s' if len(chosen) > 1 else ''} "
        f"covering {asked}: statistics about people are published only for whole periods."
    )
    return Covering(chosen, note)


def _threshold() -> int:
    return settings.PREVENTHUB_DISCLOSURE_THRESHOLD


def _sum_shown(counts: list[int | None]) -> tuple[int, bool]:
    """The sum of published counts, and whether any was withheld."""
    return sum(c for c in counts if c is not None), any(c is None for c in counts)


def _protected_text(total: int, withheld: bool) -> str:
    threshold = _threshold()
    if withheld and total == 0:
        return f"fewer than {threshold}"
    if withheld:
        return f"at least {total}"
    return str(total)


def _statistics_source(period: case_stats.Period, by: str, then_by: str = "") -> str:
    query = f"?scope=partnership&period={period.code}&by={by}"
    return reverse("casework:statistics") + query + (f"&then_by={then_by}" if then_by else "")


def referrals_by_age(*, date_from: str, date_to: str, today: datetime.date, **_: Any) -> Value:
    covering = covering_periods(_date("from", date_from), _date("to", date_to), today=today)
    labels: list[str] = []
    sums: dict[str, list[int | None]] = {}
    totals: list[int | None] = []
    for period in covering.periods:
        try:
            table = case_stats.protected_table(period=period, by="age_band", today=today)
        except case_stats.StatisticsError as error:
            raise FigureError(str(error)) from None
        assert isinstance(table, ProtectedTable)
        totals.append(table.total)
        for cell in table.cells:
            if cell.label not in sums:
                labels.append(cell.label)
                sums[cell.label] = []
            sums[cell.label].append(cell.count)
    shown = {label: _sum_shown(counts) for label, counts in sums.items()}
    known = {label: total for label, (total, withheld) in shown.items() if not withheld}
    largest = max(known, key=lambda label: known[label]) if known else ""
    total, withheld = _sum_shown(totals)
    parts = {label: _protected_text(*value) for label, value in shown.items()}
    parts |= {
        "total": _protected_text(total, withheld),
        "largest_band": largest.replace(" to ", "–") if largest else "no band",
        "largest_band_words": largest or "no band",
        "majority_words": _majority_words(labels, known, None if withheld else total),
        "note": covering.note,
    }
    return Value(
        f"{parts['total']} referrals; the most were aged {parts['largest_band_words']}",
        parts,
        _statistics_source(covering.periods[0], "age_band"),
        f"Referrals received, by the Home Office's age bands, through the statistical "
        f"protection (casework.stats.protected_table). {covering.note}",
    )


def _majority_words(labels: list[str], known: dict[str, int], total: int | None) -> str:
    """The narrowest run of neighbouring age bands holding more than half of the referrals, in
    words ("11 to 17"), from published counts only: a sentence that says "the majority were
    aged …" is then true of the figures the protection publishes, and tells nothing more.
    "no majority band" when the total or a count in the way is withheld, or no run is a majority.
    """
    bands = [label for label in labels if label[:1].isdigit()]  # not "Age not known"
    if not total:
        return "no majority band"
    best: tuple[int, int, int] | None = None  # (width, -count, start)
    for start in range(len(bands)):
        count = 0
        for end in range(start, len(bands)):
            if bands[end] not in known:
                break  # a withheld count: a run through it cannot be judged
            count += known[bands[end]]
            if 2 * count > total:
                candidate = (end - start + 1, -count, start)
                best = min(best, candidate) if best else candidate
                break
    if best is None:
        return "no majority band"
    width, _, start = best
    first, last = bands[start], bands[start + width - 1]
    if width == 1:
        return first
    lowest = None if first.endswith("and under") else first.split(" ")[0]
    highest = None if last.endswith("and over") else last.split(" ")[-1]
    if lowest is None:
        return f"{highest} and under" if highest else "any age"
    return f"{lowest} to {highest}" if highest else f"{lowest} and over"


UNDER_18 = ("10 and under", "11 to 15", "16 to 17")
ADOPTED = "Adopted as a Channel case"


def channel_adopted_under_18(
    *, date_from: str, date_to: str, today: datetime.date, **_: Any
) -> Value:
    covering = covering_periods(_date("from", date_from), _date("to", date_to), today=today)
    counts: list[int | None] = []
    for period in covering.periods:
        try:
            table = case_stats.protected_table(
                period=period, by="age_band", then_by="outcome", today=today
            )
        except case_stats.StatisticsError as error:
            raise FigureError(str(error)) from None
        assert isinstance(table, CrossTable)
        column = table.column_labels.index(ADOPTED)
        for label, cells, _total in table.rows_with_totals:
            if label in UNDER_18:
                counts.append(cells[column].count)
    total, withheld = _sum_shown(counts)
    text = _protected_text(total, withheld)
    return Value(
        text,
        {"count": text, "note": covering.note},
        _statistics_source(covering.periods[0], "age_band", "outcome"),
        "Referrals of people under 18 adopted as Channel cases: the age bands 10 and under, "
        "11 to 15 and 16 to 17 of the table by age band and journey outcome, through the "
        f"statistical protection (casework.stats.protected_table). {covering.note}",
    )


# ---- the registry -------------------------------------------------------------------------------

ROUND = Param("round", "the audit round's name", "2018")
PERIOD = Param("period", "a reporting period's name", '"2018/19 Q3"')
FROM = Param("from", "the first day, like 2018-05-01", "2018-05-01")
TO = Param("to", "the last day, like 2018-11-30", "2018-11-30")

register(
    Figure(
        "audit_completion",
        "Schools audit: completion",
        (ROUND,),
        ("responded", "in_scope", "rate"),
        audit_completion,
    )
)
register(
    Figure(
        "prevent_answered",
        "Schools audit: schools that answered the Prevent questions",
        (ROUND,),
        ("count", "in_scope", "rate"),
        prevent_answered,
    )
)
register(
    Figure(
        "audit_findings",
        "Schools audit: Prevent requirements actioned, not confirmed, under review",
        (ROUND,),
        (*FINDINGS, *(f"{name}_count" for name in FINDINGS)),
        audit_findings,
    )
)
register(
    Figure(
        "audit_answer",
        "Schools audit: share of schools giving an answer to a question",
        (
            ROUND,
            Param("question", "the question's code", "P5"),
            Param("answer", "the answer counted (Yes unless given)", "Yes", required=False),
        ),
        ("count", "answered", "rate"),
        audit_answer,
    )
)
register(
    Figure(
        "training_coverage",
        "Prevent training coverage at the end of a reporting period",
        (PERIOD,),
        ("trained", "needing", "rate", "on"),
        training_coverage,
    )
)
register(
    Figure(
        "delivery_progress",
        "Delivery Plan progress for a reporting period",
        (PERIOD,),
        ("actions", "updates", *(_column_part(c.label) for c in delivery_stats.COLUMNS)),
        delivery_progress,
    )
)
register(
    Figure(
        "referrals_by_age",
        "Referrals by age band (protected)",
        (FROM, TO),
        ("total", "largest_band", "largest_band_words", "majority_words", "note"),
        referrals_by_age,
        protected=True,
    )
)
register(
    Figure(
        "channel_adopted_under_18",
        "Under-18s adopted as Channel cases (protected)",
        (FROM, TO),
        ("count", "note"),
        channel_adopted_under_18,
        protected=True,
    )
)


# ---- placeholders -------------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.S)
ARGUMENT = re.compile(r'\s*([a-z_]+)=("([^"]*)"|(\S+))')


@dataclass(frozen=True)
class Placeholder:
    source: str  # as written
    name: str
    args: tuple[tuple[str, str], ...]
    show: str = ""

    @property
    def key(self) -> str:
        """The same figure with the same arguments is built once."""
        return self.name + "".join(f" {name}={value}" for name, value in self.args)


@dataclass
class Problems:
    messages: list[str] = field(default_factory=list)


def parse(text: str) -> tuple[list[Placeholder], list[str]]:
    """Every placeholder in ``text``, and a message for each one that names no figure or a
    parameter it does not take."""
    found: list[Placeholder] = []
    problems: list[str] = []
    for match in PLACEHOLDER.finditer(text):
        inside = match.group(1).strip()
        written = match.group(0)
        name, _, rest = inside.partition(" ")
        figure = REGISTRY.get(name)
        if figure is None:
            known = ", ".join(sorted(REGISTRY))
            problems.append(
                f"{written}: there is no figure named {name!r}. The figures are: {known}"
            )
            continue
        args: dict[str, str] = {}
        show = ""
        position = 0
        rest = rest.strip()
        bad = False
        while position < len(rest):
            arg = ARGUMENT.match(rest, position)
            if arg is None:
                problems.append(f"{written}: write each parameter as name=value")
                bad = True
                break
            key, value = arg.group(1), arg.group(3) if arg.group(3) is not None else arg.group(4)
            position = arg.end()
            if key == "show":
                if value not in figure.parts:
                    problems.append(
                        f"{written}: {name} has no part {value!r}; its parts are "
                        + ", ".join(figure.parts)
                    )
                    bad = True
                show = value
            elif figure.param(key) is None:
                problems.append(
                    f"{written}: {name} takes no parameter {key!r}; it takes "
                    + ", ".join(p.name for p in figure.params)
                    + " and show"
                )
                bad = True
            else:
                args[key] = value
        for param in figure.params:
            if param.required and param.name not in args:
                problems.append(f"{written}: {name} needs {param.name} ({param.description})")
                bad = True
        if not bad:
            ordered = tuple(sorted(args.items()))
            found.append(Placeholder(written, name, ordered, show))
    return found, problems


def build(placeholder: Placeholder, *, today: datetime.date) -> Value:
    figure = REGISTRY[placeholder.name]
    kwargs = {("date_" + k if k in ("from", "to") else k): v for k, v in placeholder.args}
    return figure.compute(today=today, **kwargs)


def build_all(texts: list[str], *, today: datetime.date) -> dict[str, Value | str]:
    """Each distinct figure the texts name, built once: its value, or the reason it cannot be."""
    built: dict[str, Value | str] = {}
    for text in texts:
        placeholders, _ = parse(text)
        for placeholder in placeholders:
            if placeholder.key in built:
                continue
            try:
                built[placeholder.key] = build(placeholder, today=today)
            except FigureError as error:
                built[placeholder.key] = str(error)
    return built
