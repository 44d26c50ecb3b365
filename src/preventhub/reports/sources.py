"""What each Board pack section shows from the data, beside the coordinator's narrative.

Each section's figures are placeholders of the named figures (``figures.py``), so they are
numbered and sourced like any other; its table comes from the owning app's queries or stats.
Referrals and Channel come only through the statistical protection, for a quarter that has ended.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.urls import reverse

from preventhub.assessment import queries as assessment_queries
from preventhub.audits.models import AuditRound
from preventhub.casework import stats as case_stats
from preventhub.core.disclosure import ProtectedTable
from preventhub.delivery import stats as delivery_stats
from preventhub.engagement import queries as engagement_queries
from preventhub.localprofile import queries as profile_queries
from preventhub.partnership import queries as partnership_queries
from preventhub.partnership.models import Meeting, ReportingPeriod
from preventhub.reports.models import SectionKind
from preventhub.training import stats as training_stats


@dataclass
class Content:
    lines: list[str] = field(default_factory=list)
    table: dict[str, Any] | None = None
    links: list[dict[str, str]] = field(default_factory=list)


def _table(caption: str, headers: list[str], rows: list[list[Any]]) -> dict[str, Any]:
    return {"caption": caption, "headers": headers, "rows": [[str(v) for v in row] for row in rows]}


def _day(value: datetime.date) -> str:
    return f"{value.day} {value:%B %Y}"


def _delivery(period: ReportingPeriod, today: datetime.date) -> Content:
    try:
        report = delivery_stats.progress_report(period)
    except delivery_stats.ReportError as error:
        return Content([f"The Delivery Plan progress report is not available: {error}"])
    return Content(
        [
            "Delivery Plan actions by their progress: "
            f'{{{{ delivery_progress period="{period.name}" }}}}. '
            f"Updates received: {report.updates_text}.",
        ],
        _table(
            f"Delivery Plan actions by section, {period.name}",
            ["Section", *(column.label for column in report.columns), "Total"],
            [[f"{row.code} {row.title}", *row.counts, row.total] for row in report.rows],
        ),
        [
            {
                "text": "The full progress report",
                "href": reverse("delivery_reports:report", args=[period.pk]),
            }
        ],
    )


def _training(period: ReportingPeriod, today: datetime.date) -> Content:
    result = training_stats.coverage(min(period.ends_on, today))
    return Content(
        [
            "Staff trained at the level they need: "
            f'{{{{ training_coverage period="{period.name}" }}}}.'
        ],
        _table(
            f"Training coverage by sector on {_day(result.on)}",
            ["Sector", "Trained", "Need training", "Coverage"],
            [
                [
                    line.label,
                    line.total.trained,
                    line.total.needing,
                    "" if line.total.coverage is None else f"{line.total.coverage}%",
                ]
                for line in result.sectors
            ],
        ),
    )


def _audit(period: ReportingPeriod, today: datetime.date) -> Content:
    audit_round = (
        AuditRound.objects.filter(kind=AuditRound.Kind.ANNUAL, opens_on__lte=period.ends_on)
        .order_by("-opens_on")
        .first()
    )
    if audit_round is None:
        return Content(["No schools audit round had opened by the end of the period."])
    name = audit_round.name
    return Content(
        [
            f"Schools audit {name}: {{{{ audit_completion round={name} }}}} schools completed it; "
            f"{{{{ prevent_answered round={name} }}}} answered the Prevent questions.",
            f"Of those: {{{{ audit_findings round={name} }}}}.",
        ]
    )


def _threshold_text(count: int | None) -> str:
    return f"fewer than {settings.PREVENTHUB_DISCLOSURE_THRESHOLD}" if count is None else str(count)


def _referrals(period: ReportingPeriod, today: datetime.date) -> Content:
    if period.ends_on >= today:
        return Content(
            [f"Referral and Channel statistics for {period.name} are published once it has ended."]
        )
    dates = f"from={period.starts_on.isoformat()} to={period.ends_on.isoformat()}"
    content = Content(
        [
            f"Referrals received: {{{{ referrals_by_age {dates} }}}}.",
            "People under 18 adopted as Channel cases: "
            f"{{{{ channel_adopted_under_18 {dates} }}}}.",
            "Counts pass through the statistical protection: small counts are withheld and "
            "others may be adjusted slightly.",
        ]
    )
    try:
        covering = _covering(period, today)
        table = case_stats.protected_table(period=covering, by="age_band", today=today)
    except case_stats.StatisticsError:
        return content
    assert isinstance(table, ProtectedTable)
    content.table = _table(
        f"Referrals by age band, {covering.label} (protected)",
        ["Age band", "Referrals"],
        [[cell.label, _threshold_text(cell.count)] for cell in table.cells]
        + [["Total", _threshold_text(table.total)]],
    )
    return content


def _covering(period: ReportingPeriod, today: datetime.date) -> case_stats.Period:
    from preventhub.reports.figures import FigureError, covering_periods

    try:
        found = covering_periods(period.starts_on, period.ends_on, today=today).periods
    except FigureError as error:
        raise case_stats.StatisticsError(str(error)) from None
    if len(found) != 1:
        raise case_stats.StatisticsError("More than one period")
    return found[0]


def _assessment(period: ReportingPeriod, today: datetime.date) -> Content:
    rows = assessment_queries.partnership_assessments()
    return Content(
        [f"Self-assessments: {len(rows)}."],
        _table(
            "The partnership's self-assessments",
            ["Assessment", "Framework", "Standards rated", "Signed off"],
            [
                [
                    row.assessment.title,
                    row.assessment.framework.title,
                    f"{row.rated} of {row.total}",
                    "Yes" if row.assessment.is_signed_off else "No",
                ]
                for row in rows
            ],
        ),
        [{"text": "Self-assessment", "href": reverse("assessment:index")}],
    )


def _profile(period: ReportingPeriod, today: datetime.date) -> Content:
    compiled = profile_queries.dataset(period)
    owed = len(compiled.contributed) + len(compiled.not_contributed)
    return Content(
        [
            f"Local profile returns accepted for {period.name}: "
            f"{len(compiled.contributed)} of {owed}."
        ],
        _table(
            f"Local profile returns, {period.name}",
            ["Organisation", "Return"],
            [[name, "Accepted"] for name in compiled.contributed]
            + [list(pair) for pair in compiled.not_contributed],
        ),
        [{"text": "The compiled dataset", "href": reverse("localprofile:dataset")}],
    )


def _activities(period: ReportingPeriod) -> list[Any]:
    return list(
        engagement_queries.activities(
            engagement_queries.ActivityFilter(date_from=period.starts_on, date_to=period.ends_on)
        )
    )


def _engagement(period: ReportingPeriod, today: datetime.date) -> Content:
    found = _activities(period)
    kinds = Counter(activity.get_kind_display() for activity in found)
    return Content(
        [f"Engagement activities held in {period.name}: {len(found)}."],
        _table(
            f"Engagement activities by kind, {period.name}",
            ["Kind of activity", "Activities"],
            [[kind, count] for kind, count in sorted(kinds.items())],
        ),
        [{"text": "Communication and engagement", "href": reverse("engagement:index")}],
    )


def _districts(period: ReportingPeriod, today: datetime.date) -> Content:
    found = _activities(period)
    places = Counter(
        activity.district.name if activity.district else "Whole county" for activity in found
    )
    rows = [
        [district.name, places.get(district.name, 0)]
        for district in partnership_queries.districts()
    ]
    return Content(
        [f"Engagement activities in each district in {period.name}."],
        _table(f"Activities by district, {period.name}", ["District", "Activities"], rows),
    )


def _last_meeting(period: ReportingPeriod) -> Meeting | None:
    board_meeting = period.board_meeting
    found = Meeting.objects.filter(held_on__lte=period.ends_on)
    if board_meeting is not None:
        found = found.filter(board=board_meeting.board, held_on__lt=board_meeting.held_on)
    return found.order_by("-held_on").first()


def _actions(period: ReportingPeriod, today: datetime.date) -> Content:
    meeting = _last_meeting(period)
    if meeting is None:
        return Content(["There is no earlier Board meeting."])
    detail = partnership_queries.meeting_detail(meeting)
    lines = [f"From the meeting of {meeting}:"] + [f"Decision: {text}" for text in detail.decisions]
    return Content(
        lines,
        _table(
            "Actions from the last meeting",
            ["Action", "Owner", "Due", "Status"],
            [
                [
                    action.description,
                    action.owner_name or str(action.owner_organisation),
                    _day(action.due_on),
                    action.get_status_display(),
                ]
                for action in detail.actions
            ],
        ),
        [{"text": "The meeting", "href": reverse("partnership:meeting", args=[meeting.pk])}],
    )


BUILDERS = {
    SectionKind.DELIVERY: _delivery,
    SectionKind.TRAINING: _training,
    SectionKind.AUDIT: _audit,
    SectionKind.REFERRALS: _referrals,
    SectionKind.ASSESSMENT: _assessment,
    SectionKind.PROFILE: _profile,
    SectionKind.ENGAGEMENT: _engagement,
    SectionKind.DISTRICTS: _districts,
    SectionKind.ACTIONS: _actions,
}


def section_content(kind: str, period: ReportingPeriod, *, today: datetime.date) -> Content:
    return BUILDERS[SectionKind(kind)](period, today)
