"""Permissions of the schools register: organisations, not people, so read widely."""

import rules

from preventhub.core.roles import Role, has_role

rules.add_perm(
    "schools.view_register", has_role(Role.EDUCATION_LEAD, Role.COORDINATOR, Role.ADMINISTRATOR)
)
rules.add_perm("schools.import_register", has_role(Role.EDUCATION_LEAD, Role.ADMINISTRATOR))
# The audit's figures and lists are about schools (organisations), never about people.
rules.add_perm("schools.view_audit", has_role(Role.EDUCATION_LEAD, Role.COORDINATOR))
rules.add_perm("schools.manage_audit", has_role(Role.EDUCATION_LEAD))
