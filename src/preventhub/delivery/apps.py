from __future__ import annotations

from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "preventhub.delivery"
    label = "delivery"
    verbose_name = "Delivery Plan"

    def ready(self) -> None:
        from preventhub.core.references import Relation, move_rows, register_references
        from preventhub.delivery.models import DistrictRisk, PlanAction

        register_references(
            Relation(PlanAction, "owner_organisation", reassign=move_rows),
            Relation(PlanAction, "partners", reassign=move_rows),
            Relation(DistrictRisk, "owner", reassign=move_rows),
        )
