from __future__ import annotations

from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "preventhub.assessment"
    label = "assessment"
    verbose_name = "Self-assessment"
