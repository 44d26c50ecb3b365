"""Set Django up for a benchmark, on a fresh migrated database, and time blocks of work."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    """Configure Django on a temporary SQLite file (or DATABASE_URL) and migrate it."""
    sys.path.insert(0, str(ROOT / "src"))
    if not os.environ.get("DATABASE_URL"):
        scratch = tempfile.mkdtemp(prefix="preventhub-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
        os.environ.setdefault("PREVENTHUB_VAR_DIR", scratch)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "preventhub.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


@contextmanager
def timed(label: str, count: int, unit: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    seconds = time.perf_counter() - start
    print(f"{label}: {count} {unit} in {seconds:.2f} s ({count / seconds:,.0f} {unit}/s)")
