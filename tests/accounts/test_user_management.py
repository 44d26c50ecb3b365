"""Administrators invite people, give them roles and deactivate them, in the application."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client, override_settings

from preventhub.accounts import services
from preventhub.accounts.models import User
from preventhub.core.models import AuditEvent
from preventhub.core.roles import Role
from preventhub.partnership.models import Area, Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client_for: Callable[..., Client]) -> Client:
    return client_for(Role.ADMINISTRATOR)


class TestUserList:
    def test_it_lists_everyone_with_their_roles(
        self, admin: Client, make_user: Callable[..., User]
    ) -> None:
        make_user(Role.DISTRICT_LEAD, Role.PARTNER_LEAD, email="lead@example.org")
        page = admin.get("/users/").content.decode()
        assert "lead@example.org" in page
        assert "District lead" in page and "Partner lead" in page

    def test_its_number_of_queries_does_not_grow_with_the_people_listed(
        self, admin: Client, make_user: Callable[..., User], django_assert_max_num_queries
    ) -> None:
        for _ in range(3):
            make_user(Role.BOARD_READER)
        with django_assert_max_num_queries(12) as few:
            admin.get("/users/")
        for _ in range(20):
            make_user(Role.BOARD_READER, Role.COORDINATOR)
        with django_assert_max_num_queries(len(few.captured_queries)):
            admin.get("/users/")


class TestInvite:
    def test_an_invitation_creates_the_account_and_emails_a_link(
        self,
        admin: Client,
        organisation: Organisation,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            response = admin.post(
                "/users/invite/",
                {
                    "email": "New.Person@Example.org",
                    "full_name": "New Person",
                    "organisation": organisation.pk,
                    "roles": [Role.COORDINATOR],
                },
            )
        assert response["Location"] == "/users/"
        person = User.objects.get(email="new.person@example.org")
        assert person.roles == {Role.COORDINATOR}
        assert not person.has_usable_password()
        assert len(mailoutbox) == 1 and "/account/password-reset/" in mailoutbox[0].body

    def test_an_address_already_in_use_is_refused_with_a_message(
        self, admin: Client, organisation: Organisation, make_user: Callable[..., User]
    ) -> None:
        make_user(Role.COORDINATOR, email="taken@example.org")
        response = admin.post(
            "/users/invite/",
            {"email": "TAKEN@example.org", "full_name": "Someone", "organisation": organisation.pk},
        )
        assert "There is already an account with this email address" in response.content.decode()
        assert User.objects.filter(email__iexact="taken@example.org").count() == 1

    def test_a_district_lead_must_have_a_district(
        self, admin: Client, organisation: Organisation
    ) -> None:
        response = admin.post(
            "/users/invite/",
            {
                "email": "d@example.org",
                "full_name": "D",
                "organisation": organisation.pk,
                "roles": [Role.DISTRICT_LEAD],
            },
        )
        assert "Select the district this district lead works for" in response.content.decode()
        assert not User.objects.filter(email="d@example.org").exists()


class TestEdit:
    def _form(self, person: User, **changes: object) -> dict[str, object]:
        data = {
            "full_name": person.full_name,
            "organisation": person.organisation_id,
            "district": person.district_id or "",
            "roles": sorted(person.roles),
            "version": person.version,
        }
        data.update(changes)
        return data

    def test_roles_are_changed_and_the_change_is_logged(
        self, admin: Client, make_user: Callable[..., User]
    ) -> None:
        person = make_user(Role.BOARD_READER)
        admin.post(f"/users/{person.pk}/", self._form(person, roles=[Role.COORDINATOR]))
        person.refresh_from_db()
        assert set(person.groups.values_list("name", flat=True)) == {Role.COORDINATOR}
        changes = AuditEvent.objects.filter(
            object_id=str(person.pk), action="role_change"
        ).values_list("changes", flat=True)
        assert {"groups": {"removed": ["board_reader"]}} in list(changes)
        assert {"groups": {"added": ["coordinator"]}} in list(changes)

    def test_a_second_save_from_an_old_form_is_refused_and_changes_nothing(
        self, admin: Client, make_user: Callable[..., User], district: Area
    ) -> None:
        person = make_user(Role.BOARD_READER)
        stale = self._form(person, full_name="First editor")
        fresh = self._form(person, full_name="Second editor")
        admin.post(f"/users/{person.pk}/", stale)
        response = admin.post(f"/users/{person.pk}/", fresh)
        assert "changed by someone else while you were editing it" in response.content.decode()
        person.refresh_from_db()
        assert person.full_name == "First editor"

    @pytest.mark.parametrize(
        "roles", [[Role.COORDINATOR], [Role.ADMINISTRATOR, Role.CHANNEL_CHAIR]], ids=["drop", "add"]
    )
    def test_an_administrator_cannot_change_their_own_roles(
        self, roles: list[Role], make_user: Callable[..., User]
    ) -> None:
        me = make_user(Role.ADMINISTRATOR)
        with pytest.raises(services.AccountError, match="cannot change your own roles"):
            services.update_user(
                user=me,
                expected_version=me.version,
                full_name="Me",
                organisation=me.organisation,
                district=None,
                roles=roles,
                changed_by=me,
            )
        assert me.roles == {Role.ADMINISTRATOR}

    def test_an_administrator_can_still_change_their_own_name(
        self, make_user: Callable[..., User]
    ) -> None:
        me = make_user(Role.ADMINISTRATOR)
        services.update_user(
            user=me,
            expected_version=me.version,
            full_name="New Name",
            organisation=me.organisation,
            district=None,
            roles=[Role.ADMINISTRATOR],
            changed_by=me,
        )
        assert User.objects.get(pk=me.pk).full_name == "New Name"


class TestDeactivate:
    def test_a_deactivated_account_is_kept_but_cannot_be_used(
        self, admin: Client, make_user: Callable[..., User]
    ) -> None:
        person = make_user(Role.COORDINATOR)
        from tests.conftest import sign_in

        their_session = sign_in(Client(), person)
        admin.post(f"/users/{person.pk}/deactivate/")
        assert User.objects.filter(pk=person.pk, is_active=False).exists()
        assert their_session.get("/").status_code == 302

    def test_reactivating_restores_access(
        self, admin: Client, make_user: Callable[..., User]
    ) -> None:
        person = make_user(Role.COORDINATOR)
        admin.post(f"/users/{person.pk}/deactivate/")
        admin.post(f"/users/{person.pk}/reactivate/")
        assert User.objects.get(pk=person.pk).is_active

    def test_there_is_no_way_to_delete_an_account(self) -> None:
        from tests.routes import ROUTES

        assert not [name for name in ROUTES if name.startswith("accounts:") and "delete" in name]

    def test_resetting_two_factor_makes_the_person_enrol_again(
        self, admin: Client, make_user: Callable[..., User]
    ) -> None:
        person = make_user(Role.POLICE_OFFICER, totp=True)
        admin.post(f"/users/{person.pk}/reset-two-factor/")
        from django_otp import user_has_device

        assert not user_has_device(person)


class TestNoSuperuser:
    def test_no_account_holds_every_permission(self, make_user: Callable[..., User]) -> None:
        admin = make_user(Role.ADMINISTRATOR)
        assert not hasattr(admin, "is_superuser")
        assert not admin.has_perm("core.view_audit_log")
        assert not admin.has_perm("casework.view_case")


class TestWhoDecidesPermissions:
    def test_roles_grant_through_the_rules_backend_named_in_the_settings_of_the_moment(
        self, make_user: Callable[..., User]
    ) -> None:
        officer = make_user(Role.DPO)
        assert officer.has_perm("core.view_audit_log")
        # The backends are made once for each list of them, never kept past a change of list.
        with override_settings(
            AUTHENTICATION_BACKENDS=["preventhub.accounts.backends.EmailPasswordBackend"]
        ):
            assert not officer.has_perm("core.view_audit_log")
        assert officer.has_perm("core.view_audit_log")

    def test_a_deactivated_person_holds_no_permission(self, make_user: Callable[..., User]) -> None:
        officer = make_user(Role.DPO)
        officer.is_active = False
        assert not officer.has_perm("core.view_audit_log")


class TestTheFirstAdministrator:
    def test_createsuperuser_explains_there_are_no_superusers(self) -> None:
        with pytest.raises(PermissionError, match="invite_administrator"):
            User.objects.create_superuser("root@example.org", "x")

    def test_invite_administrator_creates_one_and_prints_a_link(self, mailoutbox) -> None:
        from io import StringIO

        from django.core.management import call_command

        out = StringIO()
        call_command(
            "invite_administrator",
            email="First@Example.gov.uk",
            name="First Admin",
            organisation="Shire County Council",
            site_url="https://prevent.example.gov.uk",
            stdout=out,
        )
        admin = User.objects.get(email="first@example.gov.uk")
        assert admin.roles == {Role.ADMINISTRATOR}
        assert admin.organisation.name == "Shire County Council"
        assert "https://prevent.example.gov.uk/account/password-reset/" in out.getvalue()
        entry = AuditEvent.objects.get(
            object_type="accounts.user", object_id=str(admin.pk), action="create"
        )
        assert entry.actor_label == "manage.py invite_administrator"


class TestExpiredInvitations:
    def test_someone_who_never_chose_a_password_can_ask_for_a_new_link(
        self, organisation: Organisation, mailoutbox
    ) -> None:
        services.invite_user(
            email="invited@example.org",
            full_name="Invited",
            organisation=organisation,
            district=None,
            roles=[Role.COORDINATOR],
            site_url="http://testserver/",
        )
        mailoutbox.clear()
        Client().post("/account/password-reset/", {"email": "invited@example.org"})
        assert len(mailoutbox) == 1
        assert "/account/password-reset/" in mailoutbox[0].body
        assert "Reset your Prevent Hub password" == mailoutbox[0].subject


def test_an_invitation_that_cannot_be_emailed_still_creates_the_account(
    organisation: Organisation, django_capture_on_commit_callbacks, settings, caplog
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        person = services.invite_user(
            email="offline@example.org",
            full_name="Offline",
            organisation=organisation,
            district=None,
            roles=[Role.COORDINATOR],
            site_url="http://testserver/",
        )
    assert User.objects.filter(pk=person.pk).exists()
    assert "could not be sent" in caplog.text and "password-reset" not in caplog.text
