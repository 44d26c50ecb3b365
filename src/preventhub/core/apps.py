from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "preventhub.core"
    label = "core"
    verbose_name = "Prevent Hub core"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from preventhub.core import audit, converters

        audit.connect_signals()
        converters.register()
        # Each app lists its own service navigation in navigation.py.
        autodiscover_modules("navigation")
