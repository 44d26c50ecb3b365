from __future__ import annotations

from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    name = "preventhub.guidance"
    label = "guidance"
    verbose_name = "Guidance library"

    def ready(self) -> None:
        from preventhub.core.references import Relation, move_rows, register_references
        from preventhub.guidance.models import GuidanceDocument

        register_references(
            Relation(GuidanceDocument, "owner_organisation", reassign=move_rows),
            Relation(GuidanceDocument, "must_read_organisations", reassign=move_rows),
        )
