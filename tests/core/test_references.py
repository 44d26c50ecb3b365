"""What refers to a record is found whole, and a delete or merge it blocks is refused in words.

Apps register their references; reflection is kept here only as the safety net that finds a
relation nobody registered.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.apps import apps

from preventhub.accounts.models import User
from preventhub.core import references
from preventhub.core.models import AuditEvent
from preventhub.core.roles import Role
from preventhub.partnership import services
from preventhub.partnership.models import Board, Contact, Organisation, Sector
from preventhub.training.models import RoleGroup, TrainingLevel, WorkforceFigure

pytestmark = pytest.mark.django_db


# The shared records other apps point at, which a delete or a merge must account for.
SHARED_RECORDS = (Organisation, Board, Contact)


def _relations_pointing_at(target: type) -> set[tuple[str, str]]:
    """Every relation field of every installed model whose other end is ``target``, found by
    reflection: hidden ``related_name="+"`` relations included."""
    return {
        (model._meta.label_lower, field.name)
        for model in apps.get_models(include_auto_created=False)
        for field in model._meta.get_fields()
        if field.concrete or field.many_to_many
        if field.is_relation and not field.auto_created and field.related_model is target
    }


class TestEveryReferenceIsRegistered:
    @pytest.mark.parametrize("target", SHARED_RECORDS, ids=lambda model: model.__name__)
    def test_every_relation_of_every_app_to_a_shared_record_is_registered(
        self, target: type
    ) -> None:
        registered = {relation.key for relation in references.registered_relations(target)}
        missing = sorted(_relations_pointing_at(target) - registered)
        assert not missing, (
            f"Nothing registers these relations to {target.__name__}, so a delete or a merge "
            f"would not see them: {missing}. Register each in its app's AppConfig.ready() with "
            "core.references.register_references(Relation(Model, field_name, reassign=...)), "
            "or with kept_on_merge=reason if a merge must not move its rows."
        )

    def test_a_merge_can_move_or_explains_every_relation_to_an_organisation(self) -> None:
        for relation in references.registered_relations(Organisation):
            assert relation.reassign is not None or relation.kept_on_merge, relation.key

    def test_a_referral_pointing_at_its_force_by_a_hidden_name_is_registered(self) -> None:
        found = {relation.key for relation in references.registered_relations(Organisation)}
        assert ("casework.referral", "force") in found

    def test_references_are_found_in_the_order_of_the_apps(self) -> None:
        labels = [
            relation.model._meta.app_label
            for relation in references.registered_relations(Organisation)
        ]
        order = [config.label for config in apps.get_app_configs()]
        assert labels == sorted(labels, key=order.index)


class TestNeverAServerError:
    def test_a_reference_the_check_misses_still_gives_the_refusal(self, monkeypatch) -> None:
        organisation = services.save_organisation(name="Shire Police", sector=None, area=None)
        services.save_contact(organisation=organisation, name="Sam")
        monkeypatch.setattr(services, "references_to", lambda obj: [])
        with pytest.raises(services.PartnershipError, match="because 1 contact refers to it"):
            services.delete_organisation(organisation=organisation)
        assert Organisation.objects.filter(pk=organisation.pk).exists()

    def test_a_merge_that_would_break_a_uniqueness_rule_is_refused_and_nothing_moves(
        self,
    ) -> None:
        keep = services.save_organisation(name="Shire NHS Trust", sector=None, area=None)
        duplicate = services.save_organisation(name="Shire NHS", sector=None, area=None)
        sector, _ = Sector.objects.get_or_create(code="health", defaults={"name": "Health"})
        level = TrainingLevel.objects.create(name="Test awareness", position=99)
        group = RoleGroup.objects.create(sector=sector, name="Test nurses", level=level)
        as_of = datetime.date(2026, 3, 31)
        for organisation, staff in ((keep, 10), (duplicate, 4)):
            WorkforceFigure.objects.create(
                organisation=organisation, role_group=group, staff=staff, as_of=as_of
            )
        contact = services.save_contact(organisation=duplicate, name="Sam")
        with pytest.raises(services.PartnershipError, match="cannot be merged into Shire NHS"):
            services.merge_organisations(keep=keep, duplicate=duplicate)
        assert Organisation.objects.filter(pk=duplicate.pk).exists()
        assert WorkforceFigure.objects.filter(organisation=duplicate).count() == 1
        contact.refresh_from_db()
        assert contact.organisation == duplicate


class TestAMergeMovesRowsByTheirAppsRegistration:
    def test_each_apps_rows_move_with_one_summary_entry_per_relation(
        self, make_user: Callable[..., User]
    ) -> None:
        keep = services.save_organisation(name="Shire Police", sector=None, area=None)
        duplicate = services.save_organisation(name="Shire Constabulary", sector=None, area=None)
        people = [make_user(Role.PARTNER_LEAD), make_user(Role.PARTNER_LEAD)]
        for person in people:
            person.organisation = duplicate
            person.save(update_fields=["organisation"])

        duplicate_id = duplicate.pk
        moved = services.merge_organisations(keep=keep, duplicate=duplicate)

        assert moved == {"users": 2}
        assert {
            person.organisation for person in User.objects.filter(pk__in=[p.pk for p in people])
        } == {keep}
        entry = AuditEvent.objects.filter(object_type="accounts.user").latest("sequence")
        assert (entry.action, entry.object_repr, entry.changes) == (
            "update",
            "2 users",
            {"rows": 2},
        )
        assert entry.detail == f"Moved from organisation {duplicate_id} to {keep.pk} in a merge"
