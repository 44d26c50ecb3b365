from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend


class EmailPasswordBackend(ModelBackend):
    """Django's password check (with its timing-attack care), and none of its model permissions.

    Access is decided by roles through ``rules`` only; Django's per-model permission tables are
    not used, so this backend grants nothing.
    """

    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return False

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return False
