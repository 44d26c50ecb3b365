"""Permissions of self-assessment.

The coordinator runs the partnership's self-assessment: the frameworks, the assessments, the
sign-off and turning findings into plan actions. A person named as a standard's assessor rates
that standard. Partner, district and education leads read the partnership's assessments; the
Board reads their reports. A school's or college's own assessment is reached through its secure
link (``link/``), or by its own designated safeguarding lead's account (the school whose
safeguarding contact is their address), never by a partnership role: the education lead sees
schools' results in aggregate.
"""

from __future__ import annotations

from typing import Any

import rules

from preventhub.core.roles import Role, has_role, roles_of

coordinates = has_role(Role.COORDINATOR)
reads_assessments = has_role(
    Role.COORDINATOR, Role.PARTNER_LEAD, Role.DISTRICT_LEAD, Role.EDUCATION_LEAD
)
reads_reports = reads_assessments | has_role(Role.BOARD_READER)
may_assess = has_role(Role.PARTNER_LEAD, Role.DISTRICT_LEAD, Role.EDUCATION_LEAD)


@rules.predicate
def is_assessor(user: Any, rating: Any) -> bool:
    """The person named to assess this standard, while they hold a role that may assess."""
    if rating is None or not roles_of(user) & {
        Role.PARTNER_LEAD,
        Role.DISTRICT_LEAD,
        Role.EDUCATION_LEAD,
    }:
        return False
    return rating.assessor_id is not None and rating.assessor_id == user.pk


@rules.predicate
def is_partnership_assessment(user: Any, target: Any) -> bool:
    """Object-level: the partnership's own assessment (or one of its ratings), not a school's."""
    if target is None:
        return True
    assessment = getattr(target, "assessment", target)
    return getattr(assessment, "establishment_id", None) is None


@rules.predicate
def is_own_schools_assessment(user: Any, target: Any) -> bool:
    """Object-level: a school's assessment (or one of its ratings) whose safeguarding contact is
    the account's address."""
    assessment = getattr(target, "assessment", target)
    school = getattr(assessment, "establishment", None)
    email = (getattr(user, "email", "") or "").strip().lower()
    contact = (getattr(school, "contact_email", "") or "").strip().lower()
    return bool(email) and email == contact


rules.add_perm("assessment.view_frameworks", reads_assessments)
rules.add_perm("assessment.edit_frameworks", coordinates)
rules.add_perm("assessment.view_assessment", reads_assessments & is_partnership_assessment)
rules.add_perm("assessment.manage_assessment", coordinates & is_partnership_assessment)
# Route-level: may this person rate at all; object-level: this standard.
rules.add_perm("assessment.rate", coordinates | may_assess)
rules.add_perm("assessment.rate_standard", (coordinates | is_assessor) & is_partnership_assessment)
rules.add_perm("assessment.view_report", reads_reports & is_partnership_assessment)
rules.add_perm("assessment.view_school_results", has_role(Role.EDUCATION_LEAD, Role.COORDINATOR))
# A school's designated safeguarding lead with an account: route-level, their school's own
# self-assessment pages; object-level, an assessment of that school only.
rules.add_perm("assessment.view_own_school", has_role(Role.SCHOOL_DSL))
rules.add_perm(
    "assessment.open_own_school_assessment", has_role(Role.SCHOOL_DSL) & is_own_schools_assessment
)
