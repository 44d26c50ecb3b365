"""Permissions about API tokens.

Anyone signed in may make personal tokens: a token does exactly what its maker may do, and no
more. Service tokens for partners' systems are made and revoked by an administrator; the Data
protection officer sees them listed.
"""

from __future__ import annotations

from typing import Any

import rules

from preventhub.core.roles import Role, has_role, is_signed_in


@rules.predicate
def made_token(user: Any, token: Any) -> bool:
    return token is not None and token.kind == "personal" and token.user_id == user.pk


rules.add_perm("api.use_tokens", is_signed_in)
rules.add_perm("api.revoke_token", made_token)
rules.add_perm("api.manage_service_tokens", has_role(Role.ADMINISTRATOR))
rules.add_perm("api.view_service_tokens", has_role(Role.ADMINISTRATOR, Role.DPO))
