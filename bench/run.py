#!/usr/bin/env python3
"""``make bench``: every benchmark on SQLite and on PostgreSQL, each leg in its own process on
a fresh database, then one summary and ``bench/results/latest.json``.

Benchmarks measure speed; tests never assert a wall-clock time. Each figure is printed with its
baseline timed in the same run, the ratio and the goal (see harness.Result).

Settings, from the environment:

* ``BENCH_SCALE`` (default 1): the national dataset's size on SQLite, 1 being all of England;
* ``BENCH_PG_SCALE`` (default 0.25): its size on PostgreSQL, smaller so that the whole run stays
  within 15 minutes on a two-core machine (the referrals stay at ``BENCH_SCALE``'s size: they are
  quick to write);
* ``BENCH_PG_URL`` (default ``postgres://postgres@127.0.0.1:5432/bench``): a database this
  run drops and creates again; ``BENCH_PG_URL=`` (empty) skips PostgreSQL;
* ``BENCH_LOAD_SECONDS`` (default 5): how long each page is loaded;
* ``BENCH_ONLY`` (``national`` or ``pages``): one kind of benchmark only.

A run of one kind only, or without PostgreSQL, writes ``bench/results/partial.json`` (not kept
in git) and leaves ``latest.json`` as the last whole run wrote it.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "latest.json"
# A run of one kind or one database: kept apart, so latest.json (the figures the README and
# docs/performance.md quote) always holds a whole run.
PARTIAL_RESULTS = HERE / "results" / "partial.json"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/bench"


def fresh_postgresql(url: str) -> bool:
    """Drop and create the benchmark's database; False if PostgreSQL cannot be reached."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if name in ("", "postgres", "test"):
        raise SystemExit(f"Refusing to drop the database {name!r}: give BENCH_PG_URL its own.")
    admin = parts._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        print(f"PostgreSQL is not reachable at {url}: {error}")
        return False
    return True


def leg(script: str, arguments: list[str], environment: dict[str, str]) -> list[dict]:
    """Run one benchmark script in its own process; its results, read back from a file."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    command = [sys.executable, str(HERE / script), *arguments, "--results", str(out)]
    started = time.perf_counter()
    finished = subprocess.run(command, cwd=HERE, env=environment, check=False)  # noqa: S603
    print(f"   ({script} {' '.join(arguments)}: {time.perf_counter() - started:.0f} s)")
    if finished.returncode != 0:
        print(f"   {script} failed with exit code {finished.returncode}")
        return []
    try:
        return json.loads(out.read_text() or "[]")
    finally:
        out.unlink(missing_ok=True)


def environment_for(database_url: str, scratch: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "PREVENTHUB_VAR_DIR": str(scratch),
        # One key for the benchmark and the server it starts, so sessions carry over.
        "SECRET_KEY": "bench-only-secret-key-not-for-real-use-0123456789abcdef",
        "PYTHONPATH": str(HERE.parent / "src"),
    }


def main() -> int:
    started = time.perf_counter()
    scale = float(os.environ.get("BENCH_SCALE", "1"))
    pg_scale = float(os.environ.get("BENCH_PG_SCALE", "0.25"))
    pg_url = os.environ.get("BENCH_PG_URL", DEFAULT_PG)
    seconds = os.environ.get("BENCH_LOAD_SECONDS", "5")
    only = os.environ.get("BENCH_ONLY", "")
    legs = [("sqlite", scale)] + ([("postgresql", pg_scale)] if pg_url else [])
    results: list[dict] = []
    for name, leg_scale in legs:
        with tempfile.TemporaryDirectory(prefix=f"preventhub-bench-{name}-") as folder:
            scratch = Path(folder)
            for kind, script, arguments in (
                # Referrals are few and quick to write: both databases count the national
                # number (BENCH_SCALE's), where the imports run at a quarter on PostgreSQL.
                (
                    "national",
                    "bench_national.py",
                    ["--scale", str(leg_scale), "--referral-scale", str(scale)],
                ),
                ("pages", "bench_pages.py", ["--seconds", seconds]),
            ):
                if only and kind != only:
                    continue
                if name == "postgresql":
                    if not fresh_postgresql(pg_url):
                        break
                    url = pg_url
                else:
                    url = f"sqlite:///{scratch}/{kind}.sqlite3"
                print(
                    f"== {kind} on {name}" + (f" (scale {leg_scale})" if kind == "national" else "")
                )
                found = leg(script, arguments, environment_for(url, scratch))
                for result in found:
                    result["scale"] = leg_scale if kind == "national" else None
                results.extend(found)
    total = time.perf_counter() - started
    print(f"\n== Summary ({total / 60:.1f} minutes)")
    for result in results:
        ratio = "" if result["ratio"] is None else f"  ratio {result['ratio']:.2f}×"
        goal = ""
        if result["goal"] is not None:
            sign = "≥" if result["higher_is_better"] else "≤"
            goal = f" (goal {sign} {result['goal']}×: {'met' if result['met'] else 'NOT met'})"
        figure = f"{result['figure']:,.3f} {result['unit']}"
        print(f"[{result['database']}] {result['name']}: {figure}{ratio}{goal}")
    written = RESULTS if not only and pg_url else PARTIAL_RESULTS
    written.parent.mkdir(exist_ok=True)
    written.write_text(
        json.dumps(
            {
                "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
                "load_average": os.getloadavg(),
                "minutes": round(total / 60, 1),
                "scale": {"sqlite": scale, "postgresql": pg_scale if pg_url else None},
                "results": results,
            },
            indent=1,
            ensure_ascii=False,
        )
        + "\n"
    )
    print(f"Written to {written.relative_to(HERE.parent)}")
    if written is PARTIAL_RESULTS:
        print(f"(a part of the benchmarks: {RESULTS.relative_to(HERE.parent)} is left as it was)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
