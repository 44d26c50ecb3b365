"""Self-assessment in the navigation, on the home page, and on a plan action's page."""

from __future__ import annotations

from typing import Any

from django.template.defaultfilters import pluralize
from django.urls import reverse

from preventhub.assessment import queries
from preventhub.core.home import HomeNotice, register_notices
from preventhub.core.linked import LinkedRecord, register_links
from preventhub.core.navigation import NavEntry, register

register(
    NavEntry(
        "Self-assessment",
        "assessment:index",
        "assessment.view_assessment",
        description="The partnership's self-assessments against the Prevent duty toolkit, their "
        "findings and what changed since the last one.",
    )
)


def assessment_notices(user: Any) -> list[HomeNotice]:
    """For the coordinator: each assessment in progress with standards still to rate."""
    if not user.has_perm("assessment.manage_assessment"):
        return []
    return [
        HomeNotice(
            heading=f"Self-assessment in progress: {row.assessment.title}",
            text=f"{row.unrated} of {row.total} standard{pluralize(row.total)} of "
            f"{row.assessment.framework.title} {pluralize(row.unrated, 'is,are')} not rated yet.",
            href=reverse("assessment:assessment", args=[row.assessment.pk]),
            link_text="Carry on with the assessment",
        )
        for row in queries.in_progress()
        if row.unrated
    ]


def action_origins(user: Any, action: Any) -> list[LinkedRecord]:
    """On a Delivery Plan action's page: the self-assessment finding it was raised from."""
    readable = user.has_perm("assessment.view_assessment")
    return [
        LinkedRecord(
            kind="Self-assessment finding",
            text=f"{finding.rating.standard.code} {finding.rating.standard.title}, "
            f"{finding.rating.assessment}: {finding.text}",
            href=reverse("assessment:rating", args=[finding.rating_id]) if readable else "",
        )
        for finding in queries.findings_of_action(action.pk)
    ]


register_notices(assessment_notices)
register_links("delivery.planaction", action_origins)
