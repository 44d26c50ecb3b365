#!/usr/bin/env python3
"""Where ``import_audit_responses`` spends its time: the import alone, at a chosen scale.

On a fresh database with the national dataset's register and round, the import is timed once
against a bare ``csv.DictReader`` pass over the same export (wall clock and this process's CPU
time, which load on a shared machine disturbs less), or run under cProfile with ``--profile``.
SQLite by default; PostgreSQL with ``--postgresql``, on the database of ``BENCH_PG_URL`` (which
must be given: it is dropped and created again).

    python bench/profile_import.py --scale 0.25 [--profile | --statements]
    BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/bench_import \
        python bench/profile_import.py --scale 0.25 --postgresql
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import national
from bench_national import bare_read, make_round
from harness import seconds, setup_django
from run import fresh_postgresql


def cpu_seconds(work: Callable[[], Any]) -> float:
    started = time.process_time()
    work()
    return time.process_time() - started


class StatementTimes:
    """Wall time spent in each kind of statement (its first words), through Django's cursor.

    COPY goes through the driver's own cursor, so it shows as the time between statements."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = {}

    def __call__(self, execute: Callable, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            kind = " ".join(sql.split()[:3])[:60]
            self.times.setdefault(kind, []).append(time.perf_counter() - started)

    def report(self, total: float) -> None:
        spent = 0.0
        for kind, times in sorted(self.times.items(), key=lambda item: -sum(item[1]))[:12]:
            spent += sum(times)
            print(f"  {sum(times):6.3f} s  {len(times):6,} × {kind}")
        print(f"  {total - spent:6.3f} s  outside those statements (Python, COPY)")


def main(scale: float, postgresql: bool, profile: bool, statements: bool = False) -> None:
    if postgresql:
        url = os.environ.get("BENCH_PG_URL", "")
        if not url:
            raise SystemExit("Give BENCH_PG_URL a database of its own: it is dropped.")
        if not fresh_postgresql(url):
            raise SystemExit(1)
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
    setup_django()
    from preventhub.audits.imports import command_limits
    from preventhub.audits.services import import_responses
    from preventhub.core import audit
    from preventhub.schools.gias import import_gias

    with tempfile.TemporaryDirectory(prefix="preventhub-profile-") as folder:
        files = national.generate(Path(folder), scale)
        with audit.acting(label="bench"):
            import_gias(files.gias.read_bytes(), la_codes=files.la_codes)
        audit_round = make_round(files)
        content = files.responses.read_bytes()

        def bare() -> None:
            bare_read(files.responses, "utf-8")

        def work() -> None:
            with audit.acting(label="bench"):
                import_responses(
                    audit_round=audit_round,
                    content=content,
                    filename="responses.csv",
                    limits=command_limits(),
                )

        baseline = min(seconds(bare) for _ in range(5))
        cpu_baseline = min(cpu_seconds(bare) for _ in range(5))
        profiler = cProfile.Profile() if profile else None
        timed = StatementTimes() if statements else None
        started, cpu_started = time.perf_counter(), time.process_time()
        if profiler is not None:
            profiler.runcall(work)
        elif timed is not None:
            from django.db import connection

            with connection.execute_wrapper(timed):
                work()
        else:
            work()
        took, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    written = files.responses_written
    print(
        f"{'postgresql' if postgresql else 'sqlite'}, scale {scale}: {written['rows']:,} rows, "
        f"{written['answers']:,} answers; import {took:.2f} s against {baseline:.3f} s "
        f"({took / baseline:.1f}×); CPU {cpu:.2f} s against {cpu_baseline:.3f} s "
        f"({cpu / cpu_baseline:.1f}×)"
    )
    if profiler is not None:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    if timed is not None:
        timed.report(took)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Time or profile the survey export import")
    parser.add_argument("--scale", type=float, default=0.25)
    parser.add_argument("--postgresql", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--statements", action="store_true", help="the time of each kind of SQL statement"
    )
    arguments = parser.parse_args()
    main(arguments.scale, arguments.postgresql, arguments.profile, arguments.statements)
