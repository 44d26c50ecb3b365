from __future__ import annotations

from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "preventhub.returns"
    label = "returns"
    verbose_name = "Partner returns"

    def ready(self) -> None:
        from preventhub.core.references import Relation, move_rows, register_references
        from preventhub.returns.models import PartnerReturn

        # A merge refuses if both organisations owe a return for the same window: the
        # uniqueness rule stops the move.
        register_references(Relation(PartnerReturn, "organisation", reassign=move_rows))
