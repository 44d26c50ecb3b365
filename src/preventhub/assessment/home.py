"""What self-assessment puts on the home page (``core.home.register_work``).

The coordinator sees each of the partnership's assessments in progress with standards still to
rate; a school's designated safeguarding lead with an account sees their own school's
self-assessment: in progress (how many standards judged) or not started. Figures are about
standards, never about people.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.template.defaultfilters import pluralize

from preventhub.assessment import queries
from preventhub.assessment.models import Assessment
from preventhub.audits import queries as audit_queries
from preventhub.core.home import WorkItem
from preventhub.core.hrefs import kept_reverse

OWN = "Your school's self-assessment"


def home_work(user: Any, today: datetime.date) -> list[WorkItem]:
    items = []
    if user.has_perm("assessment.manage_assessment"):
        items += _partnership_in_progress()
    if user.has_perm("assessment.view_own_school"):
        items += _own_school(user)
    return items


def _own_school(user: Any) -> list[WorkItem]:
    """The schools whose safeguarding contact the account is (one query), and each one's
    assessments with their counts (one query a school)."""
    # No school at all: the audit's own item says how to have a school linked.
    return [item for school in audit_queries.own_schools(user) for item in _school_items(school)]


def _school_items(school: Any) -> list[WorkItem]:
    href = kept_reverse("own_assessment:index")
    rows = queries.school_assessments(school)
    in_progress = [row for row in rows if row.assessment.status == Assessment.Status.IN_PROGRESS]
    if in_progress:
        return [
            WorkItem(
                OWN,
                f"{school.name}: {row.assessment.title}",
                kept_reverse("own_assessment:assessment", row.assessment.pk),
                status="In progress",
                hint=f"{row.rated} of {row.total} standard{pluralize(row.total)} judged.",
            )
            for row in in_progress
        ]
    if rows:
        return [
            WorkItem(
                OWN,
                f"{school.name}: self-assessment",
                href,
                status="Signed off",
                hint="Start a new one when you are ready to check again.",
            )
        ]
    return [
        WorkItem(
            OWN,
            f"{school.name}: self-assessment",
            href,
            status="Not started",
            hint="Check how your school meets the Prevent duty with the Department for "
            "Education's tool. Only your school sees it.",
        )
    ]


def _partnership_in_progress() -> list[WorkItem]:
    return [
        WorkItem(
            "Self-assessment",
            f"Rate the standards of {row.assessment.title}",
            kept_reverse("assessment:assessment", row.assessment.pk),
            count=row.unrated,
            hint=f"{row.unrated} of {row.total} standard{pluralize(row.total)} of "
            f"{row.assessment.framework.title} {pluralize(row.unrated, 'is,are')} not rated yet.",
        )
        for row in queries.in_progress()
        if row.unrated
    ]
