"""How fast the hash-chained audit trail takes entries, and how fast verify_audit walks it.

Every audited write appends one entry under a chain lock, so this bounds write throughput.
"""

from __future__ import annotations

from harness import setup_django, timed

ENTRIES = 5_000


def main() -> None:
    setup_django()
    from preventhub.core import audit
    from preventhub.core.models import AuditEvent

    with timed("append (one transaction each)", ENTRIES, "entries"):
        for number in range(ENTRIES):
            audit.record(
                action=AuditEvent.Action.EXPORT, object_type="bench", object_id=str(number)
            )
    with timed("verify_audit", ENTRIES, "entries"):
        report = audit.verify_chain()
    print(f"chain intact: {report.intact}, {report.checked} entries")


if __name__ == "__main__":
    main()
