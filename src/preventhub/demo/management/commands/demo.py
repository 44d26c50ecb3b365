"""Load the demo partnership and print how to sign in as each role."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from preventhub.core import audit
from preventhub.demo.schools import demo_school_link
from preventhub.demo.services import load_demo


class Command(BaseCommand):
    help = "Create or refresh the fictional demo partnership (Staffordshire) and its demo users."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="The day the demo lives in, as YYYY-MM-DD (default: today). Not after today.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("The demo partnership is not loaded when PREVENTHUB_ENV=production.")
        today = options.get("today") or datetime.date.today()
        if today > datetime.date.today():
            raise CommandError("The demo's today cannot be after today: nothing is dated ahead.")
        with audit.acting(label="manage.py demo"):
            people = load_demo(today)
            school, school_link = demo_school_link("http://127.0.0.1:8000/")
        self.stdout.write("Demo partnership loaded. Every name in it is fictional.")
        self.stdout.write(
            f"It lives in {today:%-d %B %Y}: the current financial year's plan, quarter, returns "
            "and cases are counted from that day; 2018/19 is the partnership's history.\n"
        )
        self.stdout.write(
            f"Sign in at http://127.0.0.1:8000/ with password: {people[0].password}\n"
        )
        width = max(len(person.role) for person in people)
        for person in people:
            line = f"  {person.role:<{width}}  {person.email}"
            if person.totp_secret:
                line += f"  (two-factor secret {person.totp_secret})"
            self.stdout.write(line)
        self.stdout.write(
            "\nRoles with a two-factor secret need a code: add the secret to an authenticator "
            "app (demo only; real users enrol themselves)."
        )
        self.stdout.write(
            f"\nA school's view of the safeguarding audit: {school}'s designated safeguarding "
            "lead answers the open focused survey through this link:"
            f"\n  {school_link}"
        )
