"""The roles of the partnership, held as Django groups, and the predicates built on them.

A user may hold several roles. Roles answer "what kind of work may this person do"; object-level
questions ("this case", "this school") are answered by ``rules`` predicates in each app's
``rules.py``, which combine these role predicates with facts about the object.
"""

from __future__ import annotations

import json
from typing import Any

import rules
from django.db import models


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrator"
    COORDINATOR = "coordinator", "Prevent coordinator"
    PARTNER_LEAD = "partner_lead", "Partner lead"
    DISTRICT_LEAD = "district_lead", "District lead"
    EDUCATION_LEAD = "education_lead", "Education safeguarding lead"
    SCHOOL_DSL = "school_dsl", "School designated safeguarding lead"
    POLICE_OFFICER = "police_officer", "Police Prevent officer"
    CHANNEL_CHAIR = "channel_chair", "Channel chair"
    CHANNEL_MEMBER = "channel_member", "Channel member"
    BOARD_READER = "board_reader", "Board reader"
    DPO = "dpo", "Data protection officer"


# What each role reaches, in the words of its holder; ``{agenda_days}`` is filled in from
# PREVENTHUB_AGENDA_ACCESS_DAYS, so the home page says what the setting really allows.
ROLE_DESCRIPTIONS: dict[Role, str] = {
    Role.ADMINISTRATOR: "Accounts, roles and reference data. Not case content.",
    Role.COORDINATOR: "The partnership, plan, training, assurance, profile, engagement and "
    "reports. Case statistics only.",
    Role.PARTNER_LEAD: "Your organisation's actions, returns and training. Read the plan and "
    "board reports.",
    Role.DISTRICT_LEAD: "Your district's plan, risks, returns and engagement; district figures.",
    Role.EDUCATION_LEAD: "The schools register, audits, analysis and feedback to schools.",
    Role.SCHOOL_DSL: "Your own school's audit response, results and action plan.",
    Role.POLICE_OFFICER: "Referral intake, triage and routing; every referral and case of "
    "your police force.",
    Role.CHANNEL_CHAIR: "All Channel cases of the panels you currently chair.",
    Role.CHANNEL_MEMBER: "The Channel cases you are assigned to, while assigned. With a core "
    "seat on a panel: the open cases on the agenda of its meetings held since your seat began, "
    "while you hold the seat, until the case closes or {agenda_days} days after the meeting. "
    "Co-opted: only the cases you are called to, while called.",
    Role.BOARD_READER: "Aggregated reports.",
    Role.DPO: "Audit and access logs, retention, subject access. Not case content by default.",
}

# These roles touch identifiable case data or can change who sees it: two-factor sign-in is
# compulsory for them, and their sessions end sooner when idle.
TWO_FACTOR_ROLES: frozenset[str] = frozenset(
    {Role.ADMINISTRATOR, Role.POLICE_OFFICER, Role.CHANNEL_CHAIR, Role.CHANNEL_MEMBER, Role.DPO}
)
CASE_ROLES: frozenset[str] = frozenset(
    {Role.POLICE_OFFICER, Role.CHANNEL_CHAIR, Role.CHANNEL_MEMBER}
)


def keep_roles(user: Any, names: str | None) -> None:
    """Keep the roles read with ``user``, as JSON text (``accounts.queries.signed_in``), as
    :func:`roles_of` would have read them. JSON, so no role's name can be split into others."""
    user._preventhub_roles = frozenset(json.loads(names) if names else ())


def roles_of(user: Any) -> frozenset[str]:
    """The role names a user holds, read once per user object (one query per request, or none
    when they came with the user: :func:`keep_roles`)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_preventhub_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._preventhub_roles = cached
    return cached


def forget_roles(user: Any) -> None:
    """Drop the cached roles, and the navigation they open (``core.navigation``), after they
    change."""
    for cached in ("_preventhub_roles", "_preventhub_navigation"):
        if hasattr(user, cached):
            delattr(user, cached)


def has_role(*roles: Role) -> rules.Predicate:
    """A predicate true for an active user holding any of ``roles``."""
    wanted = frozenset(str(role) for role in roles)
    names = "_or_".join(str(role) for role in roles)

    @rules.predicate(name=f"has_role_{names}")
    def predicate(user: Any) -> bool:
        return bool(roles_of(user) & wanted)

    return predicate


@rules.predicate
def is_signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)
