"""``manage.py load_frameworks``: add the default self-assessment frameworks that are missing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from preventhub.assessment import services


class Command(BaseCommand):
    help = (
        "Add the default self-assessment frameworks (the Home Office toolkit, the DfE tools for "
        "schools and further education) that are missing. Frameworks already there, and any "
        "changes made to them, are left alone."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for framework in services.ensure_default_frameworks():
            self.stdout.write(f"{framework.title}: {framework.areas.count()} areas")
