"""Permissions of the Training Framework.

Everyone who reads the plan reads the framework and the coverage figures (counts about
organisations, never people); the coordinator changes the framework. Workforce figures and
sessions are part of a training return, so who may change them is decided by
``returns.fill_return``.
"""

from __future__ import annotations

import rules

from preventhub.core.roles import Role, has_role

reads_training = has_role(
    Role.COORDINATOR, Role.PARTNER_LEAD, Role.DISTRICT_LEAD, Role.EDUCATION_LEAD, Role.BOARD_READER
)

rules.add_perm("training.view_framework", reads_training)
rules.add_perm("training.edit_framework", has_role(Role.COORDINATOR))
rules.add_perm("training.view_coverage", reads_training)
