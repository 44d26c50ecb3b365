"""The safeguarding audit's downloads: the same figures as the pages, as tables."""

from __future__ import annotations

from typing import Any

from preventhub.audits import stats
from preventhub.audits.models import AuditRound, ReminderRun
from preventhub.core.exports import Table

FIGURE_HEADERS = [
    "In scope",
    "Responded",
    "Completion (%)",
    "Answered the Prevent questions",
    "Prevent answered (%)",
    "Actioned all requirements",
    "Under review",
    "Could not confirm",
]


def _figure_cells(f: stats.Figures) -> list[int | None]:
    return [
        f.in_scope,
        f.responded,
        f.completion_rate,
        f.prevent_answered,
        f.prevent_rate,
        f.all_actioned,
        f.under_review,
        f.cannot_confirm,
    ]


def summary_table(analysis: stats.RoundAnalysis) -> Table:
    """The round's figures, then by district, phase and trust: one row each."""
    rows: list[list[object]] = [["All schools", "", *_figure_cells(analysis.figures)]]
    for kind, groups in (
        ("District", analysis.by_district),
        ("Phase", analysis.by_phase),
        ("Trust", analysis.by_trust),
    ):
        rows.extend([kind, group.name, *_figure_cells(group.figures)] for group in groups)
    return Table(
        title=f"Audit {analysis.round.name} summary",
        headers=["Breakdown", "Group", *FIGURE_HEADERS],
        rows=rows,
    )


def _answered_by(place: dict[str, Any]) -> str:
    if place["answered_by_id"] is None:
        return ""
    if place["answered_by__establishment_id"] == place["establishment_id"]:
        return "Own response"
    return (
        f"Return of {place['answered_by__establishment__name']} "
        f"({place['answered_by__establishment__urn']})"
    )


def schools_table(audit_round: AuditRound) -> Table:
    """Every school in scope: where it stands, who answered for it, and each answer.

    Read as plain values, not models: a national round is 23,500 schools, whose model instances
    (each with its school, district, trust and response) took most of the download's time.
    """
    questions = list(audit_round.questions.all())
    keys = [str(q.pk) for q in questions]
    places = (
        stats.schools_with_standing(audit_round)
        .order_by("establishment__name")
        .values(
            "establishment_id",
            "establishment__urn",
            "establishment__name",
            "establishment__district__name",
            "establishment__phase",
            "establishment__trust__name",
            "standing",
            "answered_by_id",
            "answered_by__establishment_id",
            "answered_by__establishment__name",
            "answered_by__establishment__urn",
            "answered_by__submitted_on",
            "answered_by__answers",
        )
    )
    rows = []
    for place in places.iterator(chunk_size=2000):
        answers = place["answered_by__answers"] or {}
        rows.append(
            [
                place["establishment__urn"],
                place["establishment__name"],
                place["establishment__district__name"] or "",
                place["establishment__phase"],
                place["establishment__trust__name"] or "",
                stats.Standing.LABELS[place["standing"]],
                _answered_by(place),
                place["answered_by__submitted_on"],
                *[answers.get(key, "") for key in keys],
            ]
        )
    return Table(
        title=f"Audit {audit_round.name} schools",
        headers=[
            "URN",
            "School",
            "District",
            "Phase",
            "Trust",
            "Standing",
            "Answered by",
            "Submitted",
            *[q.code for q in questions],
        ],
        rows=rows,
    )


# Why a chosen school got no reminder, as the run's page says it.
NOT_REMINDED_BECAUSE = {
    "no_address": "No e-mail address",
    "not_delivered": "Not delivered",
    "answered": "Answered since",
}


def not_reminded_table(run: ReminderRun) -> Table:
    """Each chosen school a run of reminders did not remind, and why: what its page lists, all of
    it (a national round's first reminders find most schools without an address)."""
    return Table(
        title=f"Not reminded {run.requested_at:%Y-%m-%d}",
        headers=["School", "Not reminded because"],
        rows=[
            [name, because]
            for field, because in NOT_REMINDED_BECAUSE.items()
            for name in getattr(run, field)
        ],
    )
