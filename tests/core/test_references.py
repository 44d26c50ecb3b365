"""What refers to a record is found whole, and a delete or merge it blocks is refused in words."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps

from preventhub.core import references
from preventhub.partnership import services
from preventhub.partnership.models import Organisation, Sector
from preventhub.training.models import RoleGroup, TrainingLevel, WorkforceFigure

pytestmark = pytest.mark.django_db


def _relations_pointing_at(target: type) -> set[tuple[str, str]]:
    """Every relation field of every installed model whose other end is ``target``."""
    return {
        (model._meta.label_lower, field.name)
        for model in apps.get_models(include_auto_created=False)
        for field in model._meta.get_fields()
        if field.concrete or field.many_to_many
        if field.is_relation and not field.auto_created and field.related_model is target
    }


class TestEveryReferenceIsFound:
    def test_every_relation_of_every_app_is_seen_hidden_related_names_included(self) -> None:
        for target in apps.get_models():
            seen = {
                (relation.related_model._meta.label_lower, relation.field.name)
                for relation in references.reverse_relations(target)
            }
            assert _relations_pointing_at(target) <= seen, target._meta.label

    def test_a_referral_pointing_at_its_force_by_a_hidden_name_is_seen(self) -> None:
        found = {
            (relation.related_model._meta.label_lower, relation.field.name)
            for relation in references.reverse_relations(Organisation)
        }
        assert ("casework.referral", "force") in found


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
