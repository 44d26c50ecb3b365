"""Permissions of the schools register: organisations, not people, so read widely."""

import rules

from preventhub.core.roles import Role, has_role

rules.add_perm(
    "schools.view_register", has_role(Role.EDUCATION_LEAD, Role.COORDINATOR, Role.ADMINISTRATOR)
)
rules.add_perm("schools.import_register", has_role(Role.EDUCATION_LEAD, Role.ADMINISTRATOR))
# The safeguarding contact receives the audit's links, so the education lead who runs it keeps it.
rules.add_perm("schools.change_contact", has_role(Role.EDUCATION_LEAD))
