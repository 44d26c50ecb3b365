"""Identifying fields and narratives are encrypted at rest, and the key can be rotated."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from preventhub.casework import crypto, queries
from preventhub.casework.models import Referral
from preventhub.core.models import AuditEvent
from tests.casework.conftest import World

pytestmark = pytest.mark.django_db

OLD_KEY = "T0sJIdxbeJZrlPzs2TaoqmpLWzvHX0XiWvWl8E4b7kM="
NEW_KEY = "4u0iwSBtd7N3Y3fYfWl9p5s1J9F2c6Hq0xGZr8kPaLU="


def raw_row(referral: Referral) -> dict[str, str]:
    names = ["given_name", "family_name", "date_of_birth", "concerns", "referrer_name"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(names)} FROM casework_referral WHERE id = %s", [referral.pk]
        )
        return dict(zip(names, cursor.fetchone(), strict=True))


def test_the_database_column_holds_no_plaintext(make_referral: Callable[..., Referral]) -> None:
    referral = make_referral()
    raw = raw_row(referral)
    assert "Jordan" not in raw["given_name"] and raw["given_name"].startswith("enc1:")
    assert "2009" not in raw["date_of_birth"]
    assert "propaganda" not in raw["concerns"]
    assert "Riley" not in raw["referrer_name"]
    assert Referral.objects.get(pk=referral.pk).concerns == "Shared violent propaganda in class"


def test_the_blind_indexes_hold_no_plaintext(make_referral: Callable[..., Referral]) -> None:
    referral = make_referral()
    for key in referral.match_keys.all():
        assert len(key.blind_key) == 64 and "jordan" not in key.blind_key


def test_an_empty_field_stays_empty_and_needs_no_key(
    make_referral: Callable[..., Referral],
) -> None:
    referral = make_referral()
    assert raw_row(referral) and Referral.objects.get(pk=referral.pk).address == ""


def test_a_value_under_an_unknown_key_is_refused_loudly(
    make_referral: Callable[..., Referral], settings: object
) -> None:
    referral = make_referral()
    settings.PREVENTHUB_CASE_KEYS = [NEW_KEY]  # type: ignore[attr-defined]
    with pytest.raises(crypto.CaseKeyError):
        Referral.objects.get(pk=referral.pk)


def test_rotation_re_encrypts_everything_under_the_new_key(
    world: World, make_referral: Callable[..., Referral], settings: object
) -> None:
    settings.PREVENTHUB_CASE_KEYS = [OLD_KEY]  # type: ignore[attr-defined]
    referral = make_referral("adopted")
    before = raw_row(referral)

    settings.PREVENTHUB_CASE_KEYS = [NEW_KEY, OLD_KEY]  # type: ignore[attr-defined]
    out = StringIO()
    call_command("rotate_case_key", stdout=out)
    assert "Re-encrypted" in out.getvalue()
    after = raw_row(referral)
    assert all(before[name] != after[name] for name in before)

    settings.PREVENTHUB_CASE_KEYS = [NEW_KEY]  # type: ignore[attr-defined]
    reread = Referral.objects.get(pk=referral.pk)
    assert reread.full_name == "Jordan Example"
    assert reread.triage.rationale == "Clear concern"
    matches = queries.possible_duplicates(
        world.police, given_name="Jordan", family_name="Example", born=datetime.date(2009, 6, 1)
    )
    assert [match.reference for match in matches] == [referral.reference]


def test_the_command_can_make_a_new_key() -> None:
    out = StringIO()
    call_command("rotate_case_key", "--generate", stdout=out)
    assert len(out.getvalue().strip()) == 44


def test_rotation_is_one_summary_entry_of_counts_with_no_value_in_it(
    make_referral: Callable[..., Referral], settings: object
) -> None:
    settings.PREVENTHUB_CASE_KEYS = [OLD_KEY]  # type: ignore[attr-defined]
    referral = make_referral("adopted")
    raw = raw_row(referral)
    last = AuditEvent.objects.latest("sequence").sequence

    settings.PREVENTHUB_CASE_KEYS = [NEW_KEY, OLD_KEY]  # type: ignore[attr-defined]
    call_command("rotate_case_key", stdout=StringIO())

    entries = list(AuditEvent.objects.filter(sequence__gt=last))
    assert [entry.object_repr for entry in entries] == ["Case encryption key rotated"]
    written = str(entries[0].changes) + entries[0].detail
    assert entries[0].changes["rows"]["casework.referral"] == 1
    assert "Jordan" not in written and "enc1:" not in written
    assert not any(value in written for value in raw.values())
