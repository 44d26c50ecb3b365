"""What self-assessment puts on the home page (``core.home.register_work``).

The coordinator sees each of the partnership's assessments in progress with standards still to
rate. Figures are about standards, never about people.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.template.defaultfilters import pluralize
from django.urls import reverse

from preventhub.assessment import queries
from preventhub.core.home import WorkItem


def home_work(user: Any, today: datetime.date) -> list[WorkItem]:
    if not user.has_perm("assessment.manage_assessment"):
        return []
    return [
        WorkItem(
            "Self-assessment",
            f"Rate the standards of {row.assessment.title}",
            reverse("assessment:assessment", args=[row.assessment.pk]),
            count=row.unrated,
            hint=f"{row.unrated} of {row.total} standard{pluralize(row.total)} of "
            f"{row.assessment.framework.title} {pluralize(row.unrated, 'is,are')} not rated yet.",
        )
        for row in queries.in_progress()
        if row.unrated
    ]
