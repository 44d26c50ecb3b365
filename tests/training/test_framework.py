"""The framework matrix, its editing, products with versions, and a partner's training return."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from preventhub.accounts.models import User
from preventhub.core.models import AuditEvent
from preventhub.core.roles import Role
from preventhub.returns import services as returns
from preventhub.returns.models import PartnerReturn
from preventhub.training import queries, services
from preventhub.training.models import (
    RoleGroup,
    TrainingLevel,
    TrainingProduct,
    TrainingSession,
    WorkforceFigure,
)

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


class TestTheMatrix:
    def test_the_defaults_are_the_four_levels_with_their_courses(self, framework: None) -> None:
        assert list(TrainingLevel.objects.values_list("name", "refresh_months")) == [
            ("Basic awareness", 36),
            ("Referrals", 36),
            ("Enhanced", 36),
            ("Specialist", 36),
        ]

    def test_it_gives_each_sectors_role_groups_the_level_they_need(self, framework: None) -> None:
        matrix = queries.framework()
        schools = next(block for block in matrix.sectors if block.sector.code == "schools")
        dsl = next(row for row in schools.rows if row.role_group.name == "School DSL")
        assert [level.name for level in matrix.levels] == [
            "Basic awareness",
            "Referrals",
            "Enhanced",
            "Specialist",
        ]
        assert dsl.needs == [False, False, True, False]
        assert dsl.role_group.refresh_interval == 24

    def test_the_page_shows_it_as_one_table(
        self, framework: None, client_for: Callable[..., Client]
    ) -> None:
        page = client_for(Role.BOARD_READER).get(reverse("training:framework")).content.decode()
        table = page[page.index('id="framework-matrix"') :]
        table = _text(table[: table.index("</table>")])
        assert "Schools School DSL Needed 24 months" in table
        assert "Health Clinical decision-maker Needed 36 months" in table
        assert "Change" not in table, "only the coordinator is offered changes"

    def test_loading_the_defaults_twice_leaves_one_copy(self, framework: None) -> None:
        count = RoleGroup.objects.count()
        services.ensure_default_framework()
        assert RoleGroup.objects.count() == count

    def test_the_coordinator_changes_a_role_groups_level(
        self, framework: None, client_for: Callable[..., Client]
    ) -> None:
        group = RoleGroup.objects.get(sector__code="health", name="Clinical decision-maker")
        enhanced = TrainingLevel.objects.get(name="Enhanced")
        response = client_for(Role.COORDINATOR).post(
            reverse("training:role_group_edit", args=[group.pk]),
            {
                "sector": group.sector_id,
                "name": group.name,
                "level": enhanced.pk,
                "refresh_months": "",
                "version": group.version,
            },
        )
        assert response.status_code == 302
        group.refresh_from_db()
        assert group.level == enhanced

    def test_a_change_over_someone_elses_is_refused(
        self, framework: None, client_for: Callable[..., Client]
    ) -> None:
        level = TrainingLevel.objects.get(name="Referrals")
        services.save_level(
            level=level, name="Referrals", refresh_months=24, position=2, expected_version=1
        )
        response = client_for(Role.COORDINATOR).post(
            reverse("training:level_edit", args=[level.pk]),
            {"name": "Referrals", "refresh_months": 12, "position": 2, "version": 1},
        )
        assert "changed by someone else" in response.content.decode()
        level.refresh_from_db()
        assert level.refresh_months == 24


class TestProducts:
    def test_a_new_version_keeps_the_old_ones_with_who_and_when(
        self, coordinator: User, client_as: Callable[[User], Client]
    ) -> None:
        product = services.save_product(
            name="Standard presentation", kind="presentation", audience="everyone", level=None
        )
        client = client_as(coordinator)
        for note in ("First", "New referral pathway"):
            client.post(
                reverse("training:product_version_new", args=[product.pk]),
                {"file": SimpleUploadedFile("talk.pdf", b"%PDF-1.4 slides"), "note": note},
            )
        assert list(product.versions.values_list("number", "note")) == [
            (2, "New referral pathway"),
            (1, "First"),
        ]
        page = client.get(reverse("training:products")).content.decode()
        assert "Version 2" in page and "Version 1" in page
        first = product.versions.get(number=1)
        download = client.get(reverse("training:product_file", args=[first.pk]))
        assert b"".join(download.streaming_content) == b"%PDF-1.4 slides"
        assert AuditEvent.objects.filter(action="export", object_type="training.productversion")

    def test_only_presentation_files_are_kept(self, coordinator: User) -> None:
        product = TrainingProduct.objects.create(name="Schools version", kind="presentation")
        with pytest.raises(services.TrainingError, match="not a PPTX, ODP, PDF or DOCX"):
            services.add_product_version(
                product=product,
                upload=SimpleUploadedFile("run.exe", b"MZ"),
                note="",
                by=coordinator,
            )


class TestTheTrainingReturn:
    def test_a_partner_lead_gives_workforce_and_sessions_then_sends(
        self,
        owed: Callable[..., PartnerReturn],
        partner_lead: User,
        client_as: Callable[[User], Client],
    ) -> None:
        found = owed("training")
        client = client_as(partner_lead)
        groups = {group.name: group for group in RoleGroup.objects.filter(sector__code="health")}
        client.post(
            reverse("training:workforce", args=[found.pk]),
            {
                "version": found.version,
                "as_of": "2018-12-31",
                f"staff_{groups['All staff'].pk}": 900,
                f"staff_{groups['Clinical decision-maker'].pk}": 120,
            },
        )
        found.refresh_from_db()
        response = client.post(
            reverse("training:session_new", args=[found.pk]),
            {
                "version": found.version,
                "held_on": "2018-11-05",
                "level": TrainingLevel.objects.get(name="Basic awareness").pk,
                "mode": "e_learning",
                f"attendees_{groups['All staff'].pk}": 85,
            },
        )
        assert response.status_code == 302
        found.refresh_from_db()
        client.post(reverse("training:return_submit", args=[found.pk]), {"version": found.version})
        found.refresh_from_db()
        assert found.status == "submitted"
        assert WorkforceFigure.objects.get(role_group=groups["All staff"]).staff == 900
        page = _text(client.get(reverse("training:return", args=[found.pk])).content.decode())
        assert "5 November 2018 Basic awareness E-learning completions 85 all staff" in page

    def test_a_session_outside_the_quarter_is_refused(
        self,
        owed: Callable[..., PartnerReturn],
        partner_lead: User,
        client_as: Callable[[User], Client],
    ) -> None:
        found = owed("training")
        response = client_as(partner_lead).post(
            reverse("training:session_new", args=[found.pk]),
            {"held_on": "2019-02-01", "level": TrainingLevel.objects.first().pk, "mode": "online"},
        )
        assert "Enter a date in 2018/19 Q3" in response.content.decode()
        assert not TrainingSession.objects.exists()

    def test_it_cannot_be_sent_without_workforce_figures(
        self, owed: Callable[..., PartnerReturn], partner_lead: User
    ) -> None:
        with pytest.raises(services.TrainingError, match="how many staff"):
            services.submit_training_return(partner_return=owed("training"), by=partner_lead)

    def test_nothing_changes_in_a_quarter_whose_return_has_been_sent(
        self, owed: Callable[..., PartnerReturn], partner_lead: User
    ) -> None:
        found = owed("training")
        group = RoleGroup.objects.get(sector__code="health", name="All staff")
        services.record_workforce(
            organisation=found.organisation, as_of=datetime.date(2018, 12, 31), staff={group: 5}
        )
        returns.submit_return(partner_return=found, by=partner_lead)
        with pytest.raises(services.TrainingError, match="Ask the Prevent coordinator"):
            services.record_session(
                organisation=found.organisation,
                held_on=datetime.date(2018, 11, 1),
                level=group.level,
                mode="online",
                attendees={group: 3},
            )

    def test_a_session_needs_attendees(self, partner: object) -> None:
        level = TrainingLevel.objects.first()
        with pytest.raises(services.TrainingError, match="how many people attended"):
            services.record_session(
                organisation=partner,
                held_on=datetime.date(2018, 11, 1),
                level=level,
                mode="online",
                attendees={},
            )
