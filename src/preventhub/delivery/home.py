"""What the Delivery Plan puts on each person's home page (``core.home.register_work``).

The coordinator sees the open quarter (updates in, missing, late) and the plan's overdue actions;
those who send updates see their actions still to update; a district lead sees their district's
actions and risks; a Board reader sees the latest Board report and its headline figures. Each
part makes a fixed number of queries, however many actions there are.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.formats import date_format

from preventhub.core import prepared
from preventhub.core.home import WorkItem
from preventhub.core.hrefs import kept_reverse
from preventhub.core.roles import Role, roles_of
from preventhub.delivery import queries, stats
from preventhub.delivery.models import FINISHED, DistrictRisk, PlanAction, ProgressUpdate
from preventhub.partnership.models import Area, ReportingPeriod
from preventhub.partnership.queries import period_taking_updates

UPDATERS = frozenset({Role.PARTNER_LEAD, Role.DISTRICT_LEAD, Role.EDUCATION_LEAD})


def home_work(user: Any, today: datetime.date) -> list[WorkItem]:
    held = roles_of(user)
    items: list[WorkItem] = []
    if Role.COORDINATOR in held:
        items += _quarter(today) + _overdue_actions(today)
    elif held & UPDATERS:
        items += _your_updates(user, today)
    if Role.DISTRICT_LEAD in held and user.district_id:
        items += _district(user.district, today)
    if Role.BOARD_READER in held:
        items += _latest_report()
    return items


def _plan_href(**query: str) -> str:
    suffix = "&".join(f"{key}={value}" for key, value in query.items())
    return kept_reverse("delivery:plan") + (f"?{suffix}" if suffix else "")


# The home page asks these on every visit: each query is built once (``core.prepared``).


def _next_planned() -> QuerySet[ReportingPeriod]:
    """The planned quarter that starts soonest."""
    return ReportingPeriod.objects.filter(status=ReportingPeriod.Status.PLANNED).order_by(
        "starts_on", "pk"
    )[:1]


def _updates_counted(plan_id: int, period_id: int) -> QuerySet[PlanAction]:
    """The plan's actions that owe the quarter an update (``queries.owes_update``), those with
    their update in (one an action, at most), and those sent late."""
    update = ProgressUpdate.objects.filter(period=period_id, action=OuterRef("pk"))
    return prepared.whole(
        PlanAction.objects.filter(plan=plan_id).annotate(
            updated=Exists(update), updated_late=Exists(update.filter(is_late=True))
        ),
        due=Count("pk", filter=queries.owes_update(period_id)),
        sent=Count("pk", filter=Q(updated=True)),
        late=Count("pk", filter=Q(updated_late=True)),
    )


_NONE_SENT = {"due": 0, "sent": 0, "late": 0}


def _overdue_in(plan_id: int, today: datetime.date) -> QuerySet[PlanAction]:
    return prepared.whole(
        PlanAction.objects.filter(plan=plan_id, due_on__lt=today).exclude(status__in=FINISHED),
        overdue=Count("pk"),
    )


def _quarter(today: datetime.date) -> list[WorkItem]:
    period = period_taking_updates()
    periods = kept_reverse("delivery:periods")
    if period is None:
        upcoming = prepared.first(_next_planned)
        hint = f"{upcoming} is ready to open." if upcoming else "Add the next quarter first."
        return [
            WorkItem(
                "Delivery Plan",
                "Open a quarter for updates",
                periods,
                status="No quarter open",
                hint=hint,
                is_late=upcoming is not None and upcoming.starts_on <= today,
            )
        ]
    heading = f"Delivery Plan: {period}"
    plan = queries.current_plan()
    sent = prepared.totals(_updates_counted, plan.pk, period.pk) if plan else _NONE_SENT
    missing = sent["due"] - sent["sent"]
    past_due = today > period.updates_due_on
    due_by = f"Due by {date_format(period.updates_due_on)}."
    items = [
        WorkItem(
            heading,
            f"Updates in for {period}",
            periods,
            status=f"{sent['sent']} of {sent['due']}",
            hint=due_by,
        ),
        WorkItem(
            heading,
            "Actions still without an update",
            periods + "#missing",
            count=missing,
            hint=("Past the due day: remind the leads or close the quarter. " if past_due else "")
            + due_by,
            is_late=past_due and missing > 0,
            status=f"{missing} late" if past_due and missing else "",
        ),
    ]
    if sent["late"]:
        items.append(
            WorkItem(heading, "Updates sent after the due day", periods, count=sent["late"])
        )
    return items


def _overdue_actions(today: datetime.date) -> list[WorkItem]:
    plan = queries.current_plan()
    if plan is None:
        return [
            WorkItem("Delivery Plan", "Approve a Delivery Plan", kept_reverse("delivery:versions"))
        ]
    overdue = prepared.totals(_overdue_in, plan.pk, today)["overdue"]
    return [
        WorkItem(
            "Delivery Plan",
            "Overdue actions",
            _plan_href(due=queries.Due.OVERDUE),
            count=overdue,
            hint="Open actions past their due date.",
            is_late=overdue > 0,
            status=f"{overdue} overdue" if overdue else "",
        )
    ]


def _your_updates(user: Any, today: datetime.date) -> list[WorkItem]:
    mine = queries.my_updates(user)
    href = kept_reverse("delivery:my_updates")
    if mine.period is None:
        return [
            WorkItem(
                "Delivery Plan",
                "Your actions",
                href,
                status="No quarter open",
                hint="Updates are asked for when the coordinator opens a quarter.",
            )
        ]
    period = mine.period
    left = len(mine.rows) - mine.sent
    past_due = today > period.updates_due_on and left > 0
    return [
        WorkItem(
            f"Delivery Plan: {period}",
            "Your actions to update",
            href,
            count=left,
            hint=f"{mine.sent} of {len(mine.rows)} sent. Due by "
            f"{date_format(period.updates_due_on)}.",
            is_late=past_due,
            status=f"{left} late" if past_due else "",
        )
    ]


def _district(area: Area, today: datetime.date) -> list[WorkItem]:
    # The district came with the signed-in person (accounts.queries.signed_in).
    district_id = area.pk
    href = kept_reverse("delivery:district", area.gss_code)
    heading = f"Your district: {area.name}"
    plan = queries.current_plan()
    counts = (
        plan.actions.filter(district_id=district_id).aggregate(
            open=Count("pk", filter=~Q(status__in=FINISHED)),
            overdue=Count("pk", filter=~Q(status__in=FINISHED) & Q(due_on__lt=today)),
        )
        if plan
        else {"open": 0, "overdue": 0}
    )
    risks = DistrictRisk.objects.filter(district_id=district_id).aggregate(
        all=Count("pk"), review=Count("pk", filter=Q(review_on__lte=today))
    )
    return [
        WorkItem(
            heading,
            f"{area.name}'s open actions in the plan",
            href,
            count=counts["open"],
            hint=f"{counts['overdue']} overdue." if counts["overdue"] else "None overdue.",
            is_late=counts["overdue"] > 0,
            status=f"{counts['open']} ({counts['overdue']} overdue)" if counts["overdue"] else "",
        ),
        WorkItem(
            heading,
            f"{area.name}'s risks due for review",
            href + "#risks",
            count=risks["review"],
            hint=f"{risks['all']} risk{'s' if risks['all'] != 1 else ''} recorded.",
            is_late=risks["review"] > 0,
        ),
    ]


def _latest_report() -> list[WorkItem]:
    closed = (
        ReportingPeriod.objects.filter(status=ReportingPeriod.Status.CLOSED)
        .order_by("-starts_on")
        .first()
    )
    if closed is None:
        return [
            WorkItem(
                "Board reports",
                "Board reports",
                kept_reverse("delivery_reports:index"),
                status="None yet",
                hint="A report is ready once its quarter is closed.",
            )
        ]
    try:
        report = stats.progress_report(closed)
    except stats.ReportError:
        return []
    shown = [share for share in report.shares if share.column.key in {"green", "amber", "red"}]
    headline = "; ".join(f"{share.column.label}: {share.text}" for share in shown)
    return [
        WorkItem(
            "Board reports",
            f"The latest Board report: {closed}",
            kept_reverse("delivery_reports:report", closed.pk),
            status="Ready",
            hint=f"{headline}. Updates received: {report.updates_text}.",
        )
    ]
