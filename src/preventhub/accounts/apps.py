from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "preventhub.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from preventhub.accounts import signals  # noqa: F401 - connects the sign-in audit handlers
        from preventhub.accounts.models import User
        from preventhub.core.references import Relation, move_rows, register_references

        register_references(Relation(User, "organisation", reassign=move_rows))
