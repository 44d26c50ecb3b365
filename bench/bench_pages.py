#!/usr/bin/env python3
"""Pages: SQL queries per list and dashboard page at 10 and at 1,000 rows, requests per second
of the five busiest pages under concurrent load, and the reports' build times (county).

* Queries are counted in this process with Django's test client, signed in as a person holding
  the coordinator, education lead and administrator roles. A page whose count is the same at 10
  and at 1,000 rows does not query once per row.
* The load test runs gunicorn (two workers, as ``make serve``) on loopback and a small threaded
  client for a fixed time per page, with the same session cookie. Each page's requests per second
  is divided by that of ``/healthz``, a minimal view behind the same middleware, measured the
  same way just before and just after the page (their mean: the machine's load drifts within a
  run), goal ≥ 0.5, with the 50th and 95th percentile times. Each run also gives the processor
  time a request took in the gunicorn workers and in the database's processes (PostgreSQL's;
  SQLite's is the workers'), read from ``/proc``: where a page's time goes, and a figure that
  other load on the machine disturbs less than requests a second.
* The Board progress report (figures, PDF and Word) is built for the demo partnership's latest
  closed quarter, and the demo's committee report and latest published Board pack (figures, Word
  and PDF): the county. ``bench_national.py`` builds a committee report at national scale.

    python bench/bench_pages.py [--seconds 8] [--results out.json]
"""

from __future__ import annotations

import argparse
import http.client
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path
from typing import Any, NamedTuple

from harness import ROOT, Result, best_of, database, emit, setup_django, write_results
from reports_timing import time_county_reports

CLIENTS = 4  # concurrent connections: two per gunicorn worker
FEW, MANY = 10, 1000


def signed_in_client() -> tuple[object, str]:
    """A test client signed in (with the second factor) as a person holding the coordinator,
    education lead and administrator roles, and its session cookie's value."""
    from django.conf import settings

    from preventhub.core.roles import Role
    from preventhub.partnership.models import Area, Organisation

    county = Area.objects.get_or_create(
        gss_code="E10000028", defaults={"name": "Bench County", "kind": Area.Kind.COUNTY}
    )[0]
    organisation = Organisation.objects.get_or_create(
        name="Bench County Council", defaults={"area": county}
    )[0]
    client = client_for(
        "bench@example.org",
        [Role.COORDINATOR, Role.EDUCATION_LEAD, Role.ADMINISTRATOR],
        organisation,
    )
    return client, client.cookies[settings.SESSION_COOKIE_NAME].value


def client_for(email: str, roles: list[str], organisation: object) -> Any:
    """A test client signed in, with the second factor, as a new person holding ``roles``."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from preventhub.accounts import services as accounts

    user = accounts.invite_user(
        email=email,
        full_name=f"Bench {email.split('@')[0]}",
        organisation=organisation,
        district=None,
        roles=roles,
        site_url="http://127.0.0.1/",
        password="bench-password-not-for-real-use",
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="Bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def add_rows(count: int) -> object:
    """``count`` schools in scope of one audit round, and ``count`` organisations."""
    from django.conf import settings

    from preventhub.audits.models import AuditRound, RoundSchool
    from preventhub.core import audit
    from preventhub.core.models import AuditEvent
    from preventhub.partnership.models import Organisation
    from preventhub.schools.models import Establishment

    have = Establishment.objects.filter(urn__gte=800_000).count()
    la_code = settings.PREVENTHUB_LA_CODES[0]
    audit_round = AuditRound.objects.get_or_create(
        name="Bench round",
        defaults={"opens_on": "2026-10-01", "closes_on": "2026-11-30"},
    )[0]
    with audit.bulk_write("bench", action=AuditEvent.Action.CREATE, description="Bench") as write:
        schools = Establishment.objects.bulk_create(
            Establishment(
                urn=800_000 + n,
                name=f"Bench School {n}",
                la_code=la_code,
                status=Establishment.Status.OPEN,
                phase="Primary",
            )
            for n in range(have, count)
        )
        RoundSchool.objects.bulk_create(
            RoundSchool(round=audit_round, establishment=school) for school in schools
        )
        Organisation.objects.bulk_create(
            Organisation(name=f"Bench Organisation {n}") for n in range(have, count)
        )
        write.rows = 3 * len(schools)
    return audit_round


def analyse() -> None:
    """Give PostgreSQL's planner the tables' statistics, as autovacuum would within a minute of
    the rows being added: measured before, a page's queries were planned for the empty tables
    the benchmark started with (a school register sorted as a join of every school, say)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def pages(audit_round: object) -> dict[str, str]:
    from django.urls import reverse

    return {
        "home (dashboard)": reverse("core:home"),
        "partnership directory": reverse("partnership:directory"),
        "schools register": reverse("schools:register"),
        "audit rounds": reverse("audits:rounds"),
        "audit round dashboard": reverse("audits:round", kwargs={"pk": audit_round.pk}),
    }


def count_queries(client: object, paths: dict[str, str]) -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counted = {}
    for name, path in paths.items():
        client.get(path)  # warm: the session's first read and any lazy setup
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        counted[name] = len(queries)
    return counted


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def processor_seconds(pids: list[int]) -> float | None:
    """User and system time the processes have used so far, from ``/proc`` (None elsewhere)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone, or no /proc
            return None
        total += int(fields[11]) + int(fields[12])  # utime, stime (man 5 proc)
    return total / CLOCK_TICKS


def children_of(pid: int) -> list[int]:
    """The processes ``pid`` started (gunicorn's workers), from ``/proc``."""
    found = []
    for task in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(task.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(task.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def database_pids() -> list[int]:
    """PostgreSQL's processes on this machine (its server and every backend), or none."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    found = []
    for task in Path("/proc").glob("[0-9]*/comm"):
        try:
            if task.read_text().strip() == "postgres":
                found.append(int(task.parent.name))
        except (OSError, ValueError):
            continue
    return found


class Load(NamedTuple):
    """One load run: requests a second, each request's time, and a request's processor time in
    milliseconds in the workers and the database (None where ``/proc`` cannot say)."""

    rate: float
    times: list[float]
    worker_ms: float | None
    database_ms: float | None

    @classmethod
    def of_all(cls, runs: list[Load]) -> Load:
        """Several runs of one page as one: the mean rate and processor times, every time."""

        def mean(values: list[float | None]) -> float | None:
            known = [value for value in values if value is not None]
            return sum(known) / len(known) if known and len(known) == len(values) else None

        return cls(
            sum(run.rate for run in runs) / len(runs),
            [taken for run in runs for taken in run.times],
            mean([run.worker_ms for run in runs]),
            mean([run.database_ms for run in runs]),
        )

    def detail(self) -> dict[str, float | None]:
        return {
            "p50_ms": round(percentile(self.times, 0.5), 1),
            "p95_ms": round(percentile(self.times, 0.95), 1),
            "clients": CLIENTS,
            "worker_cpu_ms": None if self.worker_ms is None else round(self.worker_ms, 2),
            "database_cpu_ms": None if self.database_ms is None else round(self.database_ms, 2),
        }


def measured_load(port: int, path: str, cookie: str, duration: float, workers: list[int]) -> Load:
    """:func:`load`, with the processor time the workers and the database spent meanwhile."""
    databases = database_pids()
    before = processor_seconds(workers), processor_seconds(databases)
    rate, times = load(port, path, cookie, duration)
    after = processor_seconds(workers), processor_seconds(databases)
    spent = [
        None if start is None or end is None or not times else (end - start) * 1000 / len(times)
        for start, end in zip(before, after, strict=True)
    ]
    return Load(rate, times, spent[0], spent[1] if databases else None)


def load(port: int, path: str, cookie: str, duration: float) -> tuple[float, list[float]]:
    """Requests per second and each request's time, from CLIENTS threads for ``duration``."""
    from django.conf import settings

    times: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + duration
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}", "Host": "127.0.0.1"}
    failures: list[str] = []

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.monotonic() < stop:
            start = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - start)
            if response.status != 200:
                failures.append(f"{path}: {response.status}")
                break
        connection.close()
        with lock:
            times.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(failures[0])
    return len(times) / (time.monotonic() - started), times


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def bench_load(paths: dict[str, str], cookie: str, duration: float, results: list[Result]) -> None:
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, from our own virtualenv
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "preventhub.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        load(port, "/healthz", cookie, 1)  # warm both workers
        for path in paths.values():
            load(port, path, cookie, 0.5)
        workers = children_of(server.pid)
        minimal_runs = [measured_load(port, "/healthz", cookie, duration, workers)]
        measured = []
        for path in paths.values():
            measured.append(measured_load(port, path, cookie, duration, workers))
            minimal_runs.append(measured_load(port, "/healthz", cookie, duration, workers))
        minimal_all = Load.of_all(minimal_runs)
        emit(
            Result(
                "load: /healthz (minimal view, same middleware)",
                database(),
                minimal_all.rate,
                "requests/s",
                detail={
                    **minimal_all.detail(),
                    "runs_per_s": [round(run.rate) for run in minimal_runs],
                },
            ),
            results,
        )
        for place, (name, page) in enumerate(zip(paths, measured, strict=True)):
            around = (minimal_runs[place].rate + minimal_runs[place + 1].rate) / 2
            emit(
                Result(
                    f"load: {name}",
                    database(),
                    page.rate,
                    "requests/s",
                    around,
                    "/healthz requests/s (just before and after)",
                    0.5,
                    higher_is_better=True,
                    detail=page.detail(),
                ),
                results,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


def every_address(number: int = 1) -> list[str]:
    """An address for each route of the site, its parameters filled in (``number`` for a number,
    "x" for anything else): for someone not signed in, each answers as it would for any
    value."""
    import re

    from django.urls import URLResolver, get_resolver

    def walk(patterns: list[Any], prefix: str) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    found = set()
    for route in walk(get_resolver().url_patterns, "/"):
        route = re.sub(r"<int:\w+>", str(number), route.replace("^", "").replace("$", ""))
        found.add(re.sub(r"<(?:\w+:)?\w+>", "x", route))
    return sorted(found)


def request_cost(
    client: Any,
    path: str,
    runs: int = 3,
    each: int = 3,
    clock: Callable[[], float] = time.process_time,
) -> float:
    """Milliseconds a request to ``path`` takes by ``clock`` (this process's processor time, or
    the wall clock where the database's work counts too): the least of ``runs`` runs of ``each``
    requests, after one to warm it (templates, kept queries)."""
    client.get(path)
    taken = []
    for _ in range(runs):
        started = clock()
        for _ in range(each):
            client.get(path)
        taken.append((clock() - started) / each * 1000)
    return min(taken)


def bench_public_pages(results: list[Result]) -> None:
    """What each address costs someone not signed in: a worker's processor time a request, in
    this process, against ``/healthz``'s. Anyone can send these requests, as many as they like;
    the three costliest are given. On 8 December 2026 the API's two public pages made the
    OpenAPI document anew for each request, ~100 ms each, where every other address took under
    2 ms."""
    from django.test import Client

    anyone = Client(HTTP_HOST="127.0.0.1")
    minimal = request_cost(anyone, "/healthz")
    logging.disable(logging.WARNING)  # each address that is not found says so
    try:
        costs = sorted(
            ((request_cost(anyone, path), path) for path in every_address()), reverse=True
        )
    finally:
        logging.disable(logging.NOTSET)
    for milliseconds, path in costs[:3]:
        emit(
            Result(
                f"public: {path}, not signed in",
                database(),
                milliseconds,
                "ms of processor time a request",
                minimal,
                "/healthz",
                detail={"addresses": len(costs)},
            ),
            results,
        )


def bench_board_report(results: list[Result]) -> None:
    """The Board progress report of the demo's latest closed quarter: the county."""
    from django.core.management import call_command

    from preventhub.delivery import report, stats
    from preventhub.partnership.models import ReportingPeriod

    call_command("demo", stdout=StringIO())
    for period in ReportingPeriod.objects.order_by("-ends_on"):
        try:
            stats.progress_report(period)
        except stats.ReportError:
            continue

        def build(period: ReportingPeriod = period) -> None:
            built = stats.progress_report(period)
            report.report_pdf(built)
            report.report_docx(built)

        emit(
            Result(
                f"Board progress report {period} (figures, PDF and Word), county (the demo)",
                database(),
                best_of(2, build),
                "s",
            ),
            results,
        )
        break
    else:
        print(f"[{database()}] Board report: no quarter to report")
    time_county_reports(results)


def main(duration: float = 8.0, results_path: Path | None = None) -> list[Result]:
    setup_django()
    results: list[Result] = []
    client, cookie = signed_in_client()
    audit_round = add_rows(FEW)
    paths = pages(audit_round)
    few = count_queries(client, paths)
    add_rows(MANY)
    analyse()
    many = count_queries(client, paths)
    for name in paths:
        emit(
            Result(
                f"queries: {name} at {MANY:,} rows",
                database(),
                many[name],
                "queries",
                few[name],
                f"queries at {FEW} rows",
                1,
            ),
            results,
        )
    bench_load(paths, cookie, duration, results)
    bench_public_pages(results)
    bench_board_report(results)
    write_results(results_path, results)
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Page benchmarks")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--results", type=Path)
    arguments = parser.parse_args()
    main(arguments.seconds, arguments.results)
