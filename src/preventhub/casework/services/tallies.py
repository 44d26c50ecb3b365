"""Rebuilding the referral tallies the database keeps, from the referrals themselves.

The triggers of migration 0009 keep the tallies in step with every write; a rebuild is for the
case they could not see, such as referrals loaded with the triggers disabled
(``pg_restore --data-only --disable-triggers``). See docs/casework.md.
"""

from __future__ import annotations

from preventhub.casework import stats
from preventhub.casework.models import ReferralTally
from preventhub.core import audit
from preventhub.core.models import AuditEvent


def rebuild_referral_tallies() -> int:
    """Put back every tally as the referrals hold it, in one transaction; how many tallies.

    The audit chain's lock is taken first, as the triggers take it on PostgreSQL (SQLite
    serialises writers already): no referral can change between the count and the tallies
    written from it."""
    with audit.bulk_write(
        ReferralTally,
        action=AuditEvent.Action.UPDATE,
        description="Referral tallies rebuilt from the referrals",
    ) as write:
        audit.lock_chain()
        counted = stats.tallies_counted_from_referrals()
        ReferralTally.objects.all().delete()
        ReferralTally.objects.bulk_create(
            (
                ReferralTally(
                    quarter=quarter,
                    dimensions=dimensions,
                    first_value=first,
                    second_value=second,
                    referrals=tally.count,
                    key_sum=tally.key_sum,
                )
                for (quarter, dimensions, first, second), tally in counted.items()
            ),
            batch_size=2000,
        )
        write.rows = len(counted)
    return len(counted)
