"""Rotating the case encryption key: re-encrypting every value and recomputing blind indexes."""

from __future__ import annotations

from django.apps import apps

from preventhub.casework import crypto
from preventhub.casework.models import Referral
from preventhub.casework.services.common import index_referral
from preventhub.core import audit
from preventhub.core.models import AuditEvent


def rotate_case_keys() -> dict[str, int]:
    """Re-encrypt every encrypted value under the current key, and recompute blind indexes.

    Values are rewritten with ``update()`` so the plaintext never passes through the audit trail's
    before-and-after; one summary entry records the rotation.
    """
    counts: dict[str, int] = {}
    with audit.bulk_write(
        "casework",
        action=AuditEvent.Action.UPDATE,
        description="Every encrypted value re-encrypted under the current key",
        object_repr="Case encryption key rotated",
    ) as write:
        for model in apps.get_app_config("casework").get_models():
            names = [
                field.name
                for field in model._meta.concrete_fields
                if isinstance(field, crypto.EncryptedTextField)
            ]
            if not names:
                continue
            rewritten = 0
            for row in model._default_manager.values("pk", *names).iterator(chunk_size=500):
                values = {name: row[name] for name in names if row[name]}
                if values:
                    model._default_manager.filter(pk=row["pk"]).update(**values)
                    rewritten += 1
            counts[model._meta.label_lower] = rewritten
        for referral in Referral.objects.filter(purged_on__isnull=True).prefetch_related(
            "match_keys"
        ):
            index_referral(referral)
        write.rows = sum(counts.values())
        write.changes = {"rows": counts}
    return counts
