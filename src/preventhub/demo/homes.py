"""The demo's school designated safeguarding lead is the safeguarding contact of one school, so
their account reaches that school's audit (``audits.queries.own_school_places``) and their home
page has something to do."""

from __future__ import annotations

from typing import Any

from preventhub.audits.models import RoundSchool


def link_school_dsl(dsl: Any) -> None:
    """Make ``dsl``'s address the safeguarding contact of a school with results and an action
    plan, if the demo has one; loading again changes nothing."""
    if RoundSchool.objects.filter(establishment__contact_email__iexact=dsl.email).exists():
        return
    place = (
        RoundSchool.objects.filter(action_items__isnull=False)
        .select_related("establishment")
        .order_by("establishment__urn")
        .first()
    )
    if place is None:
        return
    school = place.establishment
    school.contact_email = dsl.email
    school.save(update_fields=["contact_email"])
