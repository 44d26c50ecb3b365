"""Permissions of the shared kernel."""

import rules

from preventhub.core.roles import Role, has_role

rules.add_perm("core.view_audit_log", has_role(Role.DPO))
