"""The audit trail records every change with who, when, where and what, and cannot be rewritten."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import Client

from preventhub.accounts.models import User
from preventhub.core import audit
from preventhub.core.models import AuditEvent, AuditLogIsAppendOnly
from preventhub.core.roles import Role
from preventhub.partnership.models import Organisation

pytestmark = pytest.mark.django_db


def latest(**filters: object) -> AuditEvent:
    return AuditEvent.objects.filter(**filters).order_by("-sequence").first()


class TestChangesToRecords:
    def test_creating_a_record_is_logged_with_its_values(self) -> None:
        organisation = Organisation.objects.create(name="Tamworth Borough Council")
        event = latest(object_type="partnership.organisation", object_id=str(organisation.pk))
        assert event.action == AuditEvent.Action.CREATE
        assert event.changes["name"] == {"before": None, "after": "Tamworth Borough Council"}

    def test_changing_a_record_logs_each_field_before_and_after(self) -> None:
        organisation = Organisation.objects.create(name="Old name")
        organisation.name = "New name"
        organisation.save()
        event = latest(object_type="partnership.organisation")
        assert event.action == AuditEvent.Action.UPDATE
        assert event.changes == {"name": {"before": "Old name", "after": "New name"}}

    def test_every_audited_model_has_an_integer_key_as_the_read_before_a_change_needs(
        self,
    ) -> None:
        # core.audit reads a row before its change with a query kept for any key
        # (core.prepared.objects_for), which takes an integer or a text key, not a UUID, say.
        from django.apps import apps

        keys = {
            model._meta.label: model._meta.pk.get_internal_type()
            for model in apps.get_models()
            if audit.is_audited(model)
        }
        assert keys and all(kind in {"AutoField", "BigAutoField"} for kind in keys.values()), keys

    def test_saving_without_a_change_logs_nothing(self) -> None:
        organisation = Organisation.objects.create(name="Unchanged")
        count = AuditEvent.objects.count()
        organisation.save()
        assert AuditEvent.objects.count() == count

    def test_deleting_a_record_is_logged_with_what_it_held(self) -> None:
        organisation = Organisation.objects.create(name="Short-lived")
        pk = organisation.pk
        organisation.delete()
        event = latest(object_type="partnership.organisation", object_id=str(pk))
        assert event.action == AuditEvent.Action.DELETE
        assert event.changes["name"] == {"before": "Short-lived", "after": None}

    def test_a_change_made_in_a_request_names_the_person_and_their_address(
        self, client_for: Callable[..., Client], make_user: Callable[..., User]
    ) -> None:
        admin = client_for(Role.ADMINISTRATOR)
        person = make_user(Role.BOARD_READER)
        admin.post(f"/users/{person.pk}/deactivate/", REMOTE_ADDR="192.0.2.7")
        event = latest(object_type="accounts.user", object_id=str(person.pk), action="update")
        assert event.changes["is_active"] == {"before": True, "after": False}
        assert event.actor is not None and event.actor.roles == {Role.ADMINISTRATOR}
        assert event.ip_address == "192.0.2.7"

    def test_passwords_are_recorded_as_changed_but_never_shown(
        self, make_user: Callable[..., User]
    ) -> None:
        user = make_user(Role.COORDINATOR)
        user.set_password("another-long-passphrase")
        user.save()
        event = latest(object_type="accounts.user", action="update")
        assert event.changes["password"] == {"before": "(hidden)", "after": "(hidden)"}
        assert "another-long-passphrase" not in str(event.changes)
        assert user.password not in str(AuditEvent.objects.values_list("changes", flat=True))

    def test_giving_and_removing_roles_is_logged_as_a_role_change(
        self, make_user: Callable[..., User]
    ) -> None:
        user = make_user(Role.COORDINATOR)
        event = latest(object_type="accounts.user", object_id=str(user.pk), action="role_change")
        assert event.changes == {"groups": {"added": ["coordinator"]}}


class TestSignInEvents:
    def test_a_sign_in_and_a_failed_sign_in_are_logged(
        self, make_user: Callable[..., User], client: Client
    ) -> None:
        user = make_user(Role.COORDINATOR, email="casey@example.org")
        client.post(
            "/account/sign-in/", {"email": "casey@example.org", "password": "wrong-password-here"}
        )
        client.post(
            "/account/sign-in/",
            {"email": "casey@example.org", "password": "correct-horse-battery-staple"},
        )
        assert latest(action="sign_in_failed").object_repr == "casey@example.org"
        assert latest(action="sign_in").actor == user

    def test_a_password_typed_into_the_email_box_is_not_logged(self, client: Client) -> None:
        client.post("/account/sign-in/", {"email": "hunter2 secret", "password": "x"})
        # The form refuses a non-address before authenticating, so nothing about it is logged.
        assert not AuditEvent.objects.filter(object_repr__contains="hunter2").exists()

    def test_failed_attempts_with_something_that_is_not_an_address_are_masked(self) -> None:
        from preventhub.accounts.signals import _attempted_email

        assert _attempted_email({"email": "my password1"}) == "(not an e-mail address)"
        assert _attempted_email({"email": "Casey@Example.org"}) == "casey@example.org"


class TestTheAccessLog:
    def test_a_read_is_logged_in_one_call(self, make_user: Callable[..., User]) -> None:
        reader = make_user(Role.CHANNEL_CHAIR)
        organisation = Organisation.objects.create(name="Read me")
        event = audit.record_access(organisation, purpose="Panel preparation", actor=reader)
        assert (event.action, event.actor, event.detail) == ("read", reader, "Panel preparation")
        assert event.object_id == str(organisation.pk)

    def test_an_export_is_logged_with_its_size(self) -> None:
        event = audit.record_export(what="partnership.organisation", rows=42)
        assert event.action == "export" and event.changes == {"rows": 42}


class TestTheChain:
    def test_each_entry_links_to_the_one_before(self) -> None:
        Organisation.objects.create(name="One")
        Organisation.objects.create(name="Two")
        first, second = AuditEvent.objects.order_by("-sequence")[:2][::-1]
        assert second.previous_hash == first.entry_hash
        assert second.sequence == first.sequence + 1

    def test_entries_cannot_be_changed_or_deleted_through_the_application(self) -> None:
        Organisation.objects.create(name="Kept")
        event = latest()
        event.detail = "rewritten"
        with pytest.raises(AuditLogIsAppendOnly):
            event.save()
        with pytest.raises(AuditLogIsAppendOnly):
            event.delete()
        with pytest.raises(AuditLogIsAppendOnly):
            AuditEvent.objects.all().update(detail="rewritten")
        with pytest.raises(AuditLogIsAppendOnly):
            AuditEvent.objects.all().delete()

    def test_sql_run_behind_the_applications_back_is_refused_or_caught(self) -> None:
        """PostgreSQL's trigger refuses it; on SQLite (the demo), which has no trigger because
        Django's test flush deletes rows, the hash chain shows it."""
        Organisation.objects.create(name="Kept")
        statements = ("UPDATE core_auditevent SET detail = 'x'", "DELETE FROM core_auditevent")
        if connection.vendor == "postgresql":
            for statement in statements:
                with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                    with connection.cursor() as cursor:
                        cursor.execute(statement)
            assert audit.verify_chain().intact
        else:
            with connection.cursor() as cursor:
                cursor.execute(statements[0])
            assert not audit.verify_chain().intact


def _tamper(sql: str, params: list[object]) -> None:
    """Change the log behind the application's back, as someone with database access could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A database superuser can switch triggers off for a transaction; the chain still tells.
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")


class TestVerifyAudit:
    def _three_entries(self) -> list[AuditEvent]:
        for name in ("First", "Second", "Third"):
            Organisation.objects.create(name=name)
        return list(AuditEvent.objects.order_by("sequence"))

    def test_an_untouched_chain_is_reported_intact_with_its_length(self) -> None:
        entries = self._three_entries()
        out = StringIO()
        call_command("verify_audit", stdout=out)
        assert (
            out.getvalue().splitlines()[0] == f"Audit chain intact: {len(entries)} entries checked."
        )

    def test_a_changed_entry_is_reported_as_the_first_broken_link(self) -> None:
        entries = self._three_entries()
        target = entries[1]
        _tamper("UPDATE core_auditevent SET object_repr = %s WHERE id = %s", ["Forged", target.pk])
        with pytest.raises(CommandError) as failure:
            call_command("verify_audit")
        assert failure.value.returncode == 1
        assert f"broken at entry {target.sequence}: its content was changed" in str(failure.value)

    def test_a_removed_entry_is_reported(self) -> None:
        entries = self._three_entries()
        target = entries[1]
        _tamper("DELETE FROM core_auditevent WHERE id = %s", [target.pk])
        report = audit.verify_chain()
        assert not report.intact
        assert report.broken_at == target.sequence
        assert "missing" in report.reason

    def test_a_rehashed_entry_still_breaks_the_link_to_the_next(self) -> None:
        entries = self._three_entries()
        target = entries[1]
        target.object_repr = "Forged"
        forged_hash = audit.entry_digest(target)
        _tamper(
            "UPDATE core_auditevent SET object_repr = %s, entry_hash = %s WHERE id = %s",
            ["Forged", forged_hash, target.pk],
        )
        report = audit.verify_chain()
        assert (report.intact, report.broken_at) == (False, entries[2].sequence)


class TestEveryBreakIsReported:
    def _entries(self, count: int) -> list[AuditEvent]:
        for number in range(count):
            Organisation.objects.create(name=f"Organisation {number}")
        return list(AuditEvent.objects.order_by("sequence"))

    def test_two_separate_changes_are_both_reported(self) -> None:
        entries = self._entries(6)
        first, second = entries[1], entries[4]
        for target in (first, second):
            _tamper(
                "UPDATE core_auditevent SET object_repr = %s WHERE id = %s", ["Forged", target.pk]
            )
        report = audit.verify_chain()
        assert [found.sequence for found in report.breaks] == [first.sequence, second.sequence]
        with pytest.raises(CommandError) as failure:
            call_command("verify_audit")
        message = str(failure.value)
        assert failure.value.returncode == 1
        assert "broken in 2 places" in message
        assert f"broken at entry {first.sequence}: its content was changed" in message
        assert f"broken at entry {second.sequence}: its content was changed" in message

    def test_a_removal_does_not_hide_a_later_change(self) -> None:
        entries = self._entries(6)
        _tamper("DELETE FROM core_auditevent WHERE id = %s", [entries[1].pk])
        _tamper("UPDATE core_auditevent SET detail = %s WHERE id = %s", ["Forged", entries[4].pk])
        report = audit.verify_chain()
        assert [(found.sequence, found.reason.split(" ")[0]) for found in report.breaks] == [
            (entries[1].sequence, "entry"),
            (entries[4].sequence, "its"),
        ]
        assert "is missing" in report.breaks[0].reason
        assert report.checked == len(entries) - 1

    def test_a_rehashed_entry_and_a_later_change_are_both_reported(self) -> None:
        entries = self._entries(6)
        target = entries[1]
        target.object_repr = "Forged"
        _tamper(
            "UPDATE core_auditevent SET object_repr = %s, entry_hash = %s WHERE id = %s",
            ["Forged", audit.entry_digest(target), target.pk],
        )
        _tamper("UPDATE core_auditevent SET detail = %s WHERE id = %s", ["Forged", entries[4].pk])
        assert [found.sequence for found in audit.verify_chain().breaks] == [
            entries[2].sequence,
            entries[4].sequence,
        ]


class TestAddressesAreHashedAsStored:
    @pytest.mark.parametrize(
        "received",
        [
            "2001:0db8:0000:0000:0000:0000:0000:0001",
            "2001:DB8::1",
            "2001:db8:0:0:0:0:0:1",
            "::ffff:c000:0201",
            "::FFFF:192.0.2.1",
            "0:0:0:0:0:0:0:1",
            "::192.0.2.1",
        ],
    )
    def test_an_address_received_in_any_spelling_verifies(self, received: str) -> None:
        audit.record(action=AuditEvent.Action.SIGN_IN_FAILED, ip_address=received)
        Organisation.objects.create(name="Written after it")
        stored = AuditEvent.objects.order_by("sequence").first()
        assert audit.canonical_ip(stored.ip_address) == audit.canonical_ip(received)
        out = StringIO()
        call_command("verify_audit", stdout=out)
        assert out.getvalue().startswith("Audit chain intact")

    def test_a_request_from_a_non_canonical_ipv6_address_verifies(
        self, client: Client, make_user: Callable[..., User]
    ) -> None:
        make_user(Role.COORDINATOR, email="casey@example.org")
        client.post(
            "/account/sign-in/",
            {"email": "casey@example.org", "password": "wrong-password"},
            REMOTE_ADDR="2001:0db8:0000:0000:0000:0000:0000:0001",
        )
        event = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN_FAILED)
        assert event.ip_address == "2001:db8::1"
        assert audit.verify_chain().intact

    @pytest.mark.parametrize(
        "awkward",
        [
            {"object_repr": "  spaces either side  ", "detail": "line one\r\nline two\t"},
            {"object_repr": "e\u0301 and \u00e9, \U0001f600", "detail": "\u2028\u00a0"},
            {"object_type": "x" * 150, "object_repr": "y" * 250, "detail": "z" * 600},
            {"changes": {"big": 2**70, "nested": [{"b": 1, "a": None}, True], 3: "key"}},
            {"changes": {"when": datetime.datetime(2026, 3, 4, 9, 0, tzinfo=datetime.UTC)}},
        ],
    )
    def test_awkward_values_verify_as_stored(self, awkward: dict[str, object]) -> None:
        audit.record(action=AuditEvent.Action.UPDATE, **awkward)
        assert audit.verify_chain().intact

    def test_numbers_in_the_changes_verify_as_stored(self) -> None:
        audit.record(
            action=AuditEvent.Action.EXPORT,
            object_type="figures",
            changes={"large": 1e16, "negative_zero": -0.0, "rate": 0.1, "whole": 3},
        )
        assert audit.verify_chain().intact


class TestAnchors:
    def test_the_head_printed_by_one_run_proves_nothing_was_cut_off_later(self) -> None:
        for name in ("First", "Second"):
            Organisation.objects.create(name=name)
        out = StringIO()
        call_command("verify_audit", stdout=out)
        head = out.getvalue().split("head ")[1].strip()
        Organisation.objects.create(name="Third")
        call_command("verify_audit", anchor=head, stdout=StringIO())
        sequence = int(head.split(":")[0])
        _tamper("DELETE FROM core_auditevent WHERE sequence >= %s", [sequence])
        with pytest.raises(CommandError, match="anchored entry is missing or different"):
            call_command("verify_audit", anchor=head)

    def test_a_malformed_anchor_is_explained(self) -> None:
        with pytest.raises(CommandError, match="--anchor must look like"):
            call_command("verify_audit", anchor="yesterday")


class TestClientAddress:
    def test_a_forged_forwarded_value_that_is_not_an_address_is_ignored(self, rf, settings) -> None:
        settings.PREVENTHUB_PROXY_COUNT = 1
        request = rf.get("/", HTTP_X_FORWARDED_FOR="not-an-ip", REMOTE_ADDR="10.0.0.2")
        assert audit.client_ip(request) == "10.0.0.2"

    def test_the_address_the_trusted_proxy_saw_is_used(self, rf, settings) -> None:
        settings.PREVENTHUB_PROXY_COUNT = 1
        request = rf.get(
            "/", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.5", REMOTE_ADDR="10.0.0.2"
        )
        assert audit.client_ip(request) == "203.0.113.5"
