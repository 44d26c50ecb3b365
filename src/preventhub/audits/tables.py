"""The safeguarding audit's downloads: the same figures as the pages, as tables."""

from __future__ import annotations

from preventhub.audits import stats
from preventhub.audits.models import AuditRound, RoundSchool
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


def _answered_by(place: RoundSchool) -> str:
    response = place.answered_by
    if response is None:
        return ""
    if response.establishment_id == place.establishment_id:
        return "Own response"
    return f"Return of {response.establishment.name} ({response.establishment.urn})"


def schools_table(audit_round: AuditRound) -> Table:
    """Every school in scope: where it stands, who answered for it, and each answer."""
    questions = list(audit_round.questions.all())
    places = list(
        stats.schools_with_standing(audit_round)
        .select_related(
            "establishment__district", "establishment__trust", "answered_by__establishment"
        )
        .order_by("establishment__name")
    )
    rows = []
    for place in places:
        school = place.establishment
        answered_by = place.answered_by
        rows.append(
            [
                school.urn,
                school.name,
                school.district.name if school.district else "",
                school.phase,
                school.trust.name if school.trust else "",
                stats.Standing.LABELS[place.standing],
                _answered_by(place),
                answered_by.submitted_on if answered_by else None,
                *[answered_by.answers.get(str(q.pk), "") if answered_by else "" for q in questions],
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
