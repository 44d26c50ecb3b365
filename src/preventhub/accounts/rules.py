"""Permissions about accounts."""

import rules

from preventhub.core.roles import Role, has_role

rules.add_perm("accounts.manage_users", has_role(Role.ADMINISTRATOR))
