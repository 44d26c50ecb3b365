"""What the partnership puts on the home page: the next Prevent Board meeting and its papers
(for the coordinator and Board readers), and the Board's overdue actions (for the coordinator).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.formats import date_format

from preventhub.core import prepared
from preventhub.core.home import WorkItem
from preventhub.core.hrefs import kept_reverse
from preventhub.core.roles import Role, roles_of
from preventhub.partnership.models import Board, BoardAction, Meeting, ReportingPeriod

HEADING = "Prevent Board"


def home_work(user: Any, today: datetime.date) -> list[WorkItem]:
    held = roles_of(user)
    if not held & {Role.COORDINATOR, Role.BOARD_READER}:
        return []
    board = prepared.first(_prevent_board)
    if board is None:
        return []
    items = [_next_meeting(board, today)]
    if Role.COORDINATOR in held:
        items.append(_overdue_board_actions(board, today))
    return items


# The home page asks these on every visit: each query is built once (``core.prepared``).


def _prevent_board() -> QuerySet[Board]:
    return Board.objects.filter(kind=Board.Kind.PREVENT_BOARD, is_archived=False)[:1]


def _meeting_next(board_id: int, today: datetime.date) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(board=board_id, held_on__gte=today)
        .annotate(items=Count("agenda_items"))
        .order_by("held_on", "pk")[:1]
    )


def _overdue_on(board_id: int, today: datetime.date) -> QuerySet[BoardAction]:
    return prepared.whole(
        BoardAction.objects.filter(
            meeting__board=board_id, status=BoardAction.Status.OPEN, due_on__lt=today
        ),
        overdue=Count("pk"),
    )


def _reports_for(meeting_id: int) -> QuerySet[ReportingPeriod]:
    return ReportingPeriod.objects.filter(board_meeting=meeting_id).values("name", "status")


def _next_meeting(board: Board, today: datetime.date) -> WorkItem:
    meeting = prepared.first(_meeting_next, board.pk, today)
    if meeting is None:
        return WorkItem(
            HEADING,
            "Board meetings",
            kept_reverse("partnership:board", board.pk),
            status="None planned",
            hint="No Prevent Board meeting is planned from today.",
        )
    reports = [(row["name"], row["status"]) for row in prepared.rows(_reports_for, meeting.pk)]
    papers = [f"{meeting.items} agenda item{'s' if meeting.items != 1 else ''}"]
    for name, status in reports:
        ready = status == ReportingPeriod.Status.CLOSED
        papers.append(f"the {name} progress report ({'ready' if ready else 'quarter still open'})")
    if not reports:
        papers.append("no quarter's report linked to it yet")
    days = (meeting.held_on - today).days
    return WorkItem(
        HEADING,
        f"Next meeting: {date_format(meeting.held_on)}",
        kept_reverse("partnership:meeting", meeting.pk),
        status="Today" if days == 0 else f"In {days} day{'s' if days != 1 else ''}",
        hint="Papers: " + ", ".join(papers) + ".",
    )


def _overdue_board_actions(board: Board, today: datetime.date) -> WorkItem:
    overdue = prepared.totals(_overdue_on, board.pk, today)["overdue"]
    return WorkItem(
        HEADING,
        "Board actions past their due date",
        kept_reverse("partnership:board", board.pk) + "#actions",
        count=overdue,
        is_late=overdue > 0,
        hint="Actions the Board agreed and are still open.",
    )
