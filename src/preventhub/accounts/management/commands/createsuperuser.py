"""Prevent Hub has no superusers: this replaces Django's command with a pointer to the right one."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Not available: Prevent Hub has no superusers. Use invite_administrator."

    def add_arguments(self, parser: Any) -> None:
        # Accept Django's usual options so that scripts calling it get this message, not a
        # usage error.
        parser.add_argument("--noinput", "--no-input", action="store_true")
        parser.add_argument("--email", default="")
        parser.add_argument("--username", default="")
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        raise CommandError(
            "Prevent Hub has no superusers: what anyone may do comes from their roles. Create the "
            "first administrator with: manage.py invite_administrator --email ... --name ... "
            "--organisation ... --site-url ..."
        )
