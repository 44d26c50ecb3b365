"""Permissions of the guidance library.

Everyone signed in reads the library: it is the partnership's guidance for every professional.
The coordinator keeps it: adds documents and versions, sets who must read each, and sees who has
and has not acknowledged reading them.
"""

from __future__ import annotations

import rules

from preventhub.core.roles import Role, has_role, is_signed_in

rules.add_perm("guidance.view_library", is_signed_in)
rules.add_perm("guidance.acknowledge", is_signed_in)
rules.add_perm("guidance.edit_library", has_role(Role.COORDINATOR))
rules.add_perm("guidance.view_readers", has_role(Role.COORDINATOR))
