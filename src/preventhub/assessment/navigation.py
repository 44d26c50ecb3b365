"""Self-assessment in the navigation, on the home page, and on a plan action's page."""

from __future__ import annotations

from typing import Any

from preventhub.assessment import queries
from preventhub.assessment.home import home_work
from preventhub.core.home import register_work
from preventhub.core.hrefs import kept_reverse
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


def action_origins(user: Any, action: Any) -> list[LinkedRecord]:
    """On a Delivery Plan action's page: the self-assessment finding it was raised from."""
    readable = user.has_perm("assessment.view_assessment")
    return [
        LinkedRecord(
            kind="Self-assessment finding",
            text=f"{finding.rating.standard.code} {finding.rating.standard.title}, "
            f"{finding.rating.assessment}: {finding.text}",
            href=kept_reverse("assessment:rating", finding.rating_id) if readable else "",
        )
        for finding in queries.findings_of_action(action.pk)
    ]


register_work(home_work)
register_links("delivery.planaction", action_origins)
