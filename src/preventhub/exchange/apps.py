from __future__ import annotations

from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "preventhub.exchange"
    label = "exchange"
    verbose_name = "Information-sharing requests"

    def ready(self) -> None:
        from preventhub.core.references import Relation, move_rows, register_references
        from preventhub.exchange.models import SharingRequest

        register_references(
            Relation(SharingRequest, "requesting_organisation", reassign=move_rows),
            Relation(SharingRequest, "receiving_organisation", reassign=move_rows),
        )
