"""One of several processes correcting the same progress update at once.

``python -m tests.reliability.racer UPDATE_PK VERSION NUMBER GO_FILE`` starts Django against
``DATABASE_URL``, prints ``READY``, waits for ``GO_FILE`` to exist (the test creates it once every
process is ready, so they write together), then submits correction NUMBER of the update opened at
VERSION and prints how it ended: ``LANDED``, ``REFUSED <error>`` for a conflict, or
``FAILED <error>`` for anything else.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

WAIT_SECONDS = 60


def main(update_pk: int, version: int, number: int, go: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "preventhub.settings")
    import django

    django.setup()
    from preventhub.core.concurrency import ConcurrentEditError
    from preventhub.delivery import services
    from preventhub.delivery.models import ProgressUpdate

    update = ProgressUpdate.objects.select_related("action", "period", "submitted_by").get(
        pk=update_pk
    )
    print("READY", flush=True)
    deadline = time.monotonic() + WAIT_SECONDS
    while not go.exists():
        if time.monotonic() > deadline:
            print("FAILED never told to go", flush=True)
            return
        time.sleep(0.01)
    try:
        services.submit_update(
            action=update.action,
            period=update.period,
            status="at_risk",
            narrative=f"Correction {number}",
            by=update.submitted_by,
            expected_version=version,
        )
    except ConcurrentEditError as error:
        print(f"REFUSED {type(error).__name__}", flush=True)
    except Exception as error:  # noqa: BLE001 - the test reports it
        print(f"FAILED {error!r}", flush=True)
    else:
        print("LANDED", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]))
