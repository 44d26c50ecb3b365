from __future__ import annotations

from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "preventhub.engagement"
    label = "engagement"
    verbose_name = "Communication and engagement"

    def ready(self) -> None:
        from preventhub.core.references import Relation, move_rows, register_references
        from preventhub.engagement.models import Activity

        register_references(Relation(Activity, "partners", reassign=move_rows))
