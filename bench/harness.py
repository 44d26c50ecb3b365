"""Set Django up for a benchmark, on a fresh migrated database, and time blocks of work.

Every figure is measured against a baseline timed in the same run, on the same machine, so a
result reads as a ratio (``figure / baseline``) that load on the machine mostly cancels out of.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

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


def database() -> str:
    from django.db import connection

    return connection.vendor


@contextmanager
def timed(label: str, count: int, unit: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    seconds = time.perf_counter() - start
    print(f"{label}: {count} {unit} in {seconds:.2f} s ({count / seconds:,.0f} {unit}/s)")


def seconds(work: Callable[[], Any]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def best_of(times: int, work: Callable[[], Any]) -> float:
    """The quickest of ``times`` runs: for read-only work, the least disturbed by other load."""
    return min(seconds(work) for _ in range(times))


def peak_memory_mb() -> float:
    """This process's peak resident memory so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Result:
    """One benchmark: its figure, the baseline timed in the same run, and the goal.

    ``goal`` is the ratio to stay at or below (``higher_is_better`` False: times) or at or above
    (True: throughputs). A result with no baseline is a figure alone (a count or a time).
    """

    name: str
    database: str
    figure: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    goal: float | None = None
    higher_is_better: bool = False
    detail: dict[str, Any] | None = None

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or not self.baseline:
            return None
        return self.figure / self.baseline

    @property
    def met(self) -> bool | None:
        if self.goal is None or self.ratio is None:
            return None
        return self.ratio >= self.goal if self.higher_is_better else self.ratio <= self.goal

    def line(self) -> str:
        text = f"[{self.database}] {self.name}: {self.figure:,.3f} {self.unit}"
        if self.baseline is not None:
            text += f"; baseline ({self.baseline_name}) {self.baseline:,.3f} {self.unit}"
        if self.ratio is not None:
            text += f"; ratio {self.ratio:.2f}×"
        if self.goal is not None:
            sign = "≥" if self.higher_is_better else "≤"
            text += f" (goal {sign} {self.goal}×: {'met' if self.met else 'NOT met'})"
        if self.detail:
            text += f" {json.dumps(self.detail, default=str)}"
        return text

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": self.ratio, "met": self.met}


def emit(result: Result, results: list[Result]) -> None:
    print(result.line(), flush=True)
    results.append(result)


def write_results(path: Path | None, results: list[Result]) -> None:
    """Where run.py collects a benchmark's results from (one JSON list per process)."""
    if path is not None:
        path.write_text(json.dumps([result.as_dict() for result in results], indent=1))
