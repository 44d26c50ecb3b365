"""Permissions of the safeguarding audit.

The audit's figures and lists are about schools (organisations), never about people.
"""

import rules

from preventhub.core.roles import Role, has_role

rules.add_perm("audits.view_audit", has_role(Role.EDUCATION_LEAD, Role.COORDINATOR))
rules.add_perm("audits.manage_audit", has_role(Role.EDUCATION_LEAD))
