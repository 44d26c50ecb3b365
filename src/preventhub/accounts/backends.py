from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from preventhub.accounts.queries import signed_in


def lockout_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """The key django-axes counts an account's failures under (``AXES_USERNAME_CALLABLE``).

    The account's own stored address when the typed one names an account, so that every spelling
    that signs in to it (any case) counts against the same account, and a success resets exactly
    that count; otherwise the typed address case-folded, so that spellings the database may match
    to one account (PostgreSQL upper-cases "ſ" to "S") still share one count.
    """
    typed = (credentials or {}).get("email") or (credentials or {}).get("username")
    if typed is None and request is not None:
        typed = request.POST.get("email")
    typed = str(typed or "").strip().casefold()
    stored = (
        get_user_model().objects.filter(email__iexact=typed).values_list("email", flat=True).first()
        if typed
        else None
    )
    return stored or typed


class EmailPasswordBackend(ModelBackend):
    """Django's password check (with its timing-attack care), and none of its model permissions.

    Access is decided by roles through ``rules`` only; Django's per-model permission tables are
    not used, so this backend grants nothing.
    """

    def get_user(self, user_id: Any) -> Any:
        """The signed-in person on each request, with what every page asks of them."""
        user = signed_in(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

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
