from __future__ import annotations

from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "preventhub.training"
    label = "training"
    verbose_name = "Prevent Training Framework"

    def ready(self) -> None:
        from preventhub.core.references import Relation, move_rows, register_references
        from preventhub.training.models import TrainingSession, WorkforceFigure

        register_references(
            Relation(WorkforceFigure, "organisation", reassign=move_rows),
            Relation(TrainingSession, "organisation", reassign=move_rows),
        )
