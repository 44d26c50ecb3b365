"""Read models of the partnership: plain data for pages, exports and other apps.

Each function issues a fixed number of queries however many rows it returns.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.core.paginator import Page
from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from preventhub.core import prepared
from preventhub.core.exports import Table
from preventhub.core.hrefs import href_for
from preventhub.core.pagination import page_of
from preventhub.partnership.diagram import BoardNode
from preventhub.partnership.models import (
    Area,
    Attendance,
    Board,
    BoardAction,
    Contact,
    Meeting,
    Membership,
    Organisation,
    ReportingPeriod,
    Sector,
)


def districts() -> QuerySet[Area]:
    return Area.objects.filter(kind=Area.Kind.DISTRICT).order_by("name")


def organisations(*, include_archived: bool = False) -> QuerySet[Organisation]:
    rows = Organisation.objects.select_related("area", "sector").order_by("name")
    return rows if include_archived else rows.filter(is_archived=False)


def boards(*, include_archived: bool = False) -> QuerySet[Board]:
    rows = Board.objects.select_related("area", "reports_to").order_by("name")
    return rows if include_archived else rows.filter(is_archived=False)


def sectors() -> QuerySet[Sector]:
    return Sector.objects.order_by("order", "name")


def _current(on: datetime.date) -> Q:
    return Q(since__lte=on) & (Q(until__isnull=True) | Q(until__gte=on))


def _memberships() -> QuerySet[Membership]:
    return Membership.objects.select_related("user", "contact", "organisation", "board")


# ---- the partnership home page -------------------------------------------------------------------


@dataclass(frozen=True)
class DistrictRow:
    area: Area
    csp: Board | None
    lead: Membership | None


@dataclass(frozen=True)
class OrganisationLink:
    name: str
    href: str


@dataclass(frozen=True)
class SectorGroup:
    """A page's organisations of one sector (``name`` empty: sector not known)."""

    name: str
    is_specified_authority: bool
    organisations: list[OrganisationLink]


@dataclass(frozen=True)
class OrganisationsPage:
    """One page of the directory's organisations, grouped by sector in the sectors' order."""

    sectors: list[SectorGroup]
    page: Page


@dataclass(frozen=True)
class BoardLine:
    board: Board
    reports_to: Board | None
    updates: list[Board]


@dataclass(frozen=True)
class Overview:
    board_nodes: list[BoardNode]
    board_lines: list[BoardLine]
    districts: list[DistrictRow]


ORGANISATIONS_PER_PAGE = 100


def organisations_page(
    number: int | str, *, per_page: int = ORGANISATIONS_PER_PAGE
) -> OrganisationsPage:
    """Page ``number`` of the organisations by sector (raises ``InvalidPage`` for no such page).

    A county has about 60 organisations, one page; a directory of a thousand is paged, so the
    page costs the same however many there are. The rows are ordered as the sectors are (then
    by name, the unknown sector last), so a sector's heading shows again at the top of the next
    page when its organisations run on.
    """
    total = prepared.totals(_organisations_counted)["n"]
    page = page_of(total, number, per_page, partial(prepared.rows, _organisations_between))
    href = href_for("partnership:organisation")
    groups: list[SectorGroup] = []
    for row in page.object_list:
        sector = row["sector__name"] or ""
        if not groups or groups[-1].name != sector:
            groups.append(SectorGroup(sector, bool(row["sector__is_specified_authority"]), []))
        groups[-1].organisations.append(OrganisationLink(row["name"], href(row["pk"])))
    return OrganisationsPage(groups, page)


# The directory is one of the busiest pages: its queries are built once (``core.prepared``).


def _organisations_counted() -> QuerySet[Organisation]:
    return prepared.whole(organisations(), n=Count("pk"))


def _organisations_between(start: int, end: int) -> QuerySet[Organisation]:
    """Rows ``start`` to ``end`` of the organisations in use, in the sectors' order."""
    return (
        organisations()
        .order_by(F("sector__order").asc(nulls_last=True), "sector__name", "name")
        .values("pk", "name", "sector__name", "sector__is_specified_authority")[start:end]
    )


def _links_kept_informed() -> QuerySet[Any]:
    """Which board keeps which informed, between boards in use."""
    return (
        Board.updates.through.objects.filter(
            from_board__is_archived=False, to_board__is_archived=False
        )
        .values("from_board_id", "to_board_id")
        .order_by("to_board__name")
    )


def _district_leads(on: datetime.date) -> QuerySet[Membership]:
    """The district leads of the community safety partnerships in use, on that day."""
    return _memberships().filter(
        _current(on),
        role=Membership.Role.DISTRICT_LEAD,
        board__kind=Board.Kind.CSP,
        board__is_archived=False,
    )


def overview(*, on: datetime.date | None = None) -> Overview:
    on = on or timezone.localdate()
    board_rows = prepared.objects(boards)
    by_pk = {board.pk: board for board in board_rows}
    updates: dict[int, list[Board]] = {board.pk: [] for board in board_rows}
    for link in prepared.rows(_links_kept_informed) if board_rows else ():
        updates[link["from_board_id"]].append(by_pk[link["to_board_id"]])
    nodes = [
        BoardNode(
            key=board.pk,
            name=board.name,
            kind_label=board.get_kind_display(),
            href=reverse("partnership:board", args=[board.pk]),
            reports_to=board.reports_to_id,
            updates=tuple(other.pk for other in updates[board.pk]),
        )
        for board in board_rows
    ]
    lines = [BoardLine(board, board.reports_to, updates[board.pk]) for board in board_rows]
    csps = {board.area_id: board for board in board_rows if board.kind == Board.Kind.CSP}
    found = prepared.objects(_district_leads, on) if csps else []
    leads = {lead.board_id: lead for lead in found}
    district_rows = [
        DistrictRow(area, csps.get(area.pk), leads.get(getattr(csps.get(area.pk), "pk", None)))
        for area in prepared.objects(districts)
    ]
    return Overview(nodes, lines, district_rows)


@dataclass(frozen=True)
class SearchResults:
    query: str
    organisations: list[Organisation]
    boards: list[Board]
    people: list[Membership]
    contacts: list[Contact]

    @property
    def count(self) -> int:
        return len(self.organisations) + len(self.boards) + len(self.people) + len(self.contacts)


def search(query: str, *, limit: int = 50) -> SearchResults:
    """Organisations, boards, board members and contacts whose names contain ``query``."""
    query = query.strip()
    if not query:
        return SearchResults(query, [], [], [], [])
    people = _memberships().filter(
        Q(user__full_name__icontains=query) | Q(contact__name__icontains=query),
        _current(timezone.localdate()),
    )
    return SearchResults(
        query,
        list(organisations().filter(name__icontains=query)[:limit]),
        list(boards().filter(name__icontains=query)[:limit]),
        list(people.order_by("board__name")[:limit]),
        list(
            Contact.objects.select_related("organisation")
            .filter(Q(name__icontains=query) | Q(job_title__icontains=query))
            .order_by("name")[:limit]
        ),
    )


# ---- boards --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleGroup:
    label: str
    members: list[Membership]


@dataclass(frozen=True)
class BoardDetail:
    board: Board
    chair: Membership | None
    current: list[RoleGroup]
    past: list[Membership]
    upcoming: list[Membership]
    reported_to_by: list[Board]
    updates: list[Board]
    updated_by: list[Board]
    meetings: list[Meeting]
    next_meeting: Meeting | None
    open_actions: list[BoardAction]
    due_before_next_meeting: list[BoardAction] = field(default_factory=list)


def board_detail(board: Board, *, on: datetime.date | None = None) -> BoardDetail:
    on = on or timezone.localdate()
    memberships = list(_memberships().filter(board=board).order_by("since"))
    current = [m for m in memberships if m.is_current(on)]
    groups = [
        RoleGroup(label, [m for m in current if m.role == value])
        for value, label in Membership.Role.choices
    ]
    meetings = list(board.meetings.order_by("-held_on"))
    upcoming = [meeting for meeting in meetings if meeting.held_on >= on]
    next_meeting = upcoming[-1] if upcoming else None
    open_actions = list(
        BoardAction.objects.select_related("owner_organisation", "meeting")
        .filter(meeting__board=board, status=BoardAction.Status.OPEN)
        .order_by("due_on")
    )
    due = [
        action
        for action in open_actions
        if next_meeting is None or action.due_on <= next_meeting.held_on
    ]
    return BoardDetail(
        board=board,
        chair=next((m for m in current if m.role == Membership.Role.CHAIR), None),
        current=[group for group in groups if group.members],
        past=sorted(
            (m for m in memberships if m.until is not None and m.until < on),
            key=lambda m: m.until,
            reverse=True,
        ),
        upcoming=[m for m in memberships if m.since > on],
        reported_to_by=list(board.reported_to_by.filter(is_archived=False)),
        updates=list(board.updates.all()),
        updated_by=list(board.updated_by.filter(is_archived=False)),
        meetings=meetings,
        next_meeting=next_meeting,
        open_actions=open_actions,
        due_before_next_meeting=due,
    )


# ---- meetings ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceRow:
    membership: Membership
    status: str  # "" when not recorded
    status_label: str


@dataclass(frozen=True)
class MeetingDetail:
    meeting: Meeting
    agenda: list[str]
    attendance: list[AttendanceRow]
    present: int
    quorum: int
    decisions: list[str]
    actions: list[BoardAction]

    @property
    def is_quorate(self) -> bool | None:
        """None until there is a quorum to meet and attendance has been recorded."""
        if not self.quorum or not any(row.status for row in self.attendance):
            return None
        return self.present >= self.quorum


def meeting_detail(meeting: Meeting) -> MeetingDetail:
    recorded = {
        row.membership_id: row
        for row in Attendance.objects.filter(meeting=meeting).select_related("membership")
    }
    # Members on the day, and anyone whose attendance was recorded though their seat has ended.
    members = _memberships().filter(
        (_current(meeting.held_on) & Q(board=meeting.board)) | Q(pk__in=list(recorded))
    )
    rows = [
        AttendanceRow(
            membership,
            recorded[membership.pk].status if membership.pk in recorded else "",
            recorded[membership.pk].get_status_display() if membership.pk in recorded else "",
        )
        for membership in members.order_by("role", "since")
    ]
    return MeetingDetail(
        meeting=meeting,
        agenda=[item.title for item in meeting.agenda_items.order_by("position")],
        attendance=rows,
        present=sum(1 for row in rows if row.status == Attendance.Status.PRESENT),
        quorum=meeting.board.quorum,
        decisions=[decision.text for decision in meeting.decisions.order_by("pk")],
        actions=list(meeting.actions.select_related("owner_organisation").order_by("due_on")),
    )


# ---- districts and organisations -----------------------------------------------------------------


@dataclass(frozen=True)
class DistrictDetail:
    area: Area
    csp: Board | None
    lead: Membership | None
    organisations: list[Organisation]


def district_detail(area: Area, *, on: datetime.date | None = None) -> DistrictDetail:
    on = on or timezone.localdate()
    csp = Board.objects.filter(kind=Board.Kind.CSP, area=area, is_archived=False).first()
    lead = (
        _memberships().filter(_current(on), board=csp, role=Membership.Role.DISTRICT_LEAD).first()
        if csp
        else None
    )
    return DistrictDetail(area, csp, lead, list(organisations().filter(area=area)))


@dataclass(frozen=True)
class OrganisationDetail:
    organisation: Organisation
    contacts: list[Contact]
    current_memberships: list[Membership]
    past_memberships: list[Membership]
    open_actions: list[BoardAction]
    people_with_accounts: int


def organisation_detail(
    organisation: Organisation, *, on: datetime.date | None = None
) -> OrganisationDetail:
    on = on or timezone.localdate()
    memberships = list(_memberships().filter(organisation=organisation).order_by("board__name"))
    return OrganisationDetail(
        organisation=organisation,
        contacts=list(organisation.contacts.order_by("name")),
        current_memberships=[m for m in memberships if m.is_current(on)],
        past_memberships=[m for m in memberships if not m.is_current(on)],
        open_actions=list(
            organisation.board_actions.select_related("meeting__board", "owner_organisation")
            .filter(status=BoardAction.Status.OPEN)
            .order_by("due_on")
        ),
        people_with_accounts=organisation.users.filter(is_active=True).count(),
    )


# ---- exports -------------------------------------------------------------------------------------


def organisations_table() -> Table:
    return Table(
        "Organisations",
        ["Organisation", "Sector", "Specified authority", "Area", "Website", "Archived"],
        [
            [
                o.name,
                o.sector.name if o.sector else "",
                "Yes" if o.sector and o.sector.is_specified_authority else "No",
                o.area.name if o.area else "",
                o.website,
                "Yes" if o.is_archived else "No",
            ]
            for o in organisations(include_archived=True)
        ],
    )


def memberships_table() -> Table:
    return Table(
        "Memberships",
        ["Board", "Person", "Organisation", "Role", "Represents", "Since", "Until"],
        [
            [
                m.board.name,
                m.person_name,
                m.organisation.name,
                m.get_role_display(),
                m.represents,
                m.since.isoformat(),
                m.until.isoformat() if m.until else "",
            ]
            for m in _memberships().order_by("board__name", "role", "since")
        ],
    )


def open_actions_table() -> Table:
    return Table(
        "Open board actions",
        ["Board", "Meeting", "Action", "Owner organisation", "Owner", "Due"],
        [
            [
                a.meeting.board.name,
                a.meeting.held_on.isoformat(),
                a.description,
                a.owner_organisation.name,
                a.owner_name,
                a.due_on.isoformat(),
            ]
            for a in BoardAction.objects.select_related("meeting__board", "owner_organisation")
            .filter(status=BoardAction.Status.OPEN)
            .order_by("due_on")
        ],
    )


# ---- the reporting calendar ----------------------------------------------------------------------


def _open_period() -> QuerySet[ReportingPeriod]:
    return ReportingPeriod.objects.filter(status=ReportingPeriod.Status.OPEN)[:1]


def period_taking_updates() -> ReportingPeriod | None:
    """The quarter open for updates and returns, if one is (at most one ever is); asked on
    every home page, so its query is built once."""
    return prepared.first(_open_period)
