from __future__ import annotations

from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    name = "preventhub.guidance"
    label = "guidance"
    verbose_name = "Guidance library"
