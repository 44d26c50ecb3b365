from __future__ import annotations

from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "preventhub.partnership"
    label = "partnership"
    verbose_name = "Partnership"

    def ready(self) -> None:
        from preventhub.core.references import Relation, move_rows, register_references
        from preventhub.partnership.models import Board, BoardAction, Contact, Meeting, Membership
        from preventhub.partnership.services import reassign_contacts

        register_references(
            Relation(Contact, "organisation", reassign=reassign_contacts),
            Relation(Membership, "organisation", reassign=move_rows),
            Relation(BoardAction, "owner_organisation", reassign=move_rows),
            Relation(Board, "reports_to"),
            Relation(Board, "updates"),
            Relation(Membership, "board"),
            Relation(Meeting, "board"),
            Relation(Membership, "contact"),
        )
