"""Create the first Administrator of a new installation and print their set-password link."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from preventhub.accounts import queries, services
from preventhub.core import audit
from preventhub.core.roles import Role
from preventhub.partnership.models import Organisation


class Command(BaseCommand):
    help = (
        "Create an Administrator account (there are no superusers) and print a link for them to "
        "choose a password; the organisation is created if it does not exist."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True, help="Their full name.")
        parser.add_argument(
            "--organisation", required=True, help="For example: Staffordshire County Council"
        )
        parser.add_argument(
            "--site-url",
            required=True,
            help="The address people use, e.g. https://prevent.example.gov.uk",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with audit.acting(label="manage.py invite_administrator"):
            organisation, _ = Organisation.objects.get_or_create(
                name=options["organisation"].strip()
            )
            try:
                user = services.invite_user(
                    email=options["email"],
                    full_name=options["name"],
                    organisation=organisation,
                    district=None,
                    roles=[Role.ADMINISTRATOR],
                    site_url=options["site_url"],
                )
            except services.AccountError as error:
                raise CommandError(str(error)) from error
        link = services.set_password_link(user=user, site_url=options["site_url"])
        self.stdout.write(f"Administrator {user.email} created; an invitation e-mail was sent.")
        lifetime = queries.link_lifetime()
        self.stdout.write(f"They can also choose a password here (once, within {lifetime}): {link}")
