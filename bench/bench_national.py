#!/usr/bin/env python3
"""The whole of England on one database: imports, the audit summary and referral statistics.

Each figure is timed with its baseline, the cheapest way to do the same work, in the same run:

* ``import_gias`` (every LA code in scope) against a bare ``csv.DictReader`` pass over the file,
  the quickest of three of each (``GIAS_RUNS``);
* ``import_audit_responses`` against a bare ``csv.DictReader`` pass over the export;
* ``audit_summary --json`` (the work after Django starts) against hand-written SQL for the same
  headline and per-question counts;
* ``referral_stats`` over ten years (one-way, and two-way with protection) against a raw SQL
  count of the same referrals grouped as the table groups them (by gender; by gender and
  sector), with the sum of their record keys: the least a table counted from the referrals
  themselves must read (the command reads the tallies the database keeps instead,
  ``casework.models.ReferralTally``).

It also times, as figures alone, what the round's pages and the home page read at national scale.

    python bench/bench_national.py --scale 1 [--results out.json]
"""

from __future__ import annotations

import argparse
import csv
import datetime
import random
import tempfile
import time
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import NamedTuple

import national
from harness import (
    Result,
    best_of,
    database,
    emit,
    peak_memory_mb,
    seconds,
    setup_django,
    write_results,
)
from reports_timing import time_national_board_pack, time_national_committee_report

TODAY = datetime.date(2026, 12, 5)


def bare_read(path: Path, encoding: str) -> None:
    with path.open(encoding=encoding, newline="") as handle:
        for _ in csv.DictReader(handle):
            pass


# How many times each GIAS import is timed, each on the register as the first time found it,
# against as many bare reads, each just before it: the quickest of each, the same statistic for
# the work and its baseline. One run alone moved from 2.5x to 3.5x within minutes on this shared
# machine, the bare read as much: the reading alone took 0.55 to 0.93 s in three runs in a row.
GIAS_RUNS = 3


class TimedImport(NamedTuple):
    took: float  # the quickest import
    baseline: float  # the quickest bare read
    counts: dict  # the last import's
    runs: list[float]  # every import's time


def bench_gias(files: national.NationalFiles, results: list[Result]) -> None:
    from django.db import connection

    from preventhub.core import audit
    from preventhub.core.models import AuditEvent
    from preventhub.schools.gias import import_gias
    from preventhub.schools.models import Establishment, EstablishmentGroup

    content = files.gias.read_bytes()
    rows = len(files.schools)
    # A county's import of the national file: two LA codes of ~230, about 1 row in 100 kept.
    county = sorted(files.la_codes)[:2]

    def empty_register() -> None:
        with audit.bulk_write(
            Establishment, action=AuditEvent.Action.DELETE, description="Benchmark: emptied"
        ) as write:
            write.rows = Establishment.objects.all().delete()[0]
            write.rows += EstablishmentGroup.objects.all().delete()[0]
        # The database as compact as a new one: the next import is timed as a first import is,
        # not writing into the pages the rows just deleted left free.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")

    def timed_import(la_codes: list[str], before: Callable[[], None] | None) -> TimedImport:
        """The quickest of GIAS_RUNS imports, each after ``before`` (not timed), and of as many
        bare reads; the counts of the last import, and every run's time."""
        imports, reads, counts = [], [], {}
        for _ in range(GIAS_RUNS):
            if before is not None:
                before()
            # Timed again just before each import: the machine's load changes within a run.
            reads.append(seconds(lambda: bare_read(files.gias, "cp1252")))
            with audit.acting(label="bench"):
                imports.append(
                    seconds(
                        lambda: counts.update(import_gias(content, la_codes=la_codes).as_dict())
                    )
                )
        return TimedImport(min(imports), min(reads), counts, [round(took, 3) for took in imports])

    def county_only() -> None:
        empty_register()
        with audit.acting(label="bench"):
            import_gias(content, la_codes=county)

    def emit_gias(name: str, timed: TimedImport, detail: dict) -> None:
        emit(
            Result(
                f"import_gias, {rows:,} rows, {name}",
                database(),
                timed.took,
                "s",
                timed.baseline,
                "csv.DictReader pass",
                3,
                detail={**detail, "runs_s": timed.runs},
            ),
            results,
        )

    kept = timed_import(county, empty_register)
    emit_gias(
        "two LA codes in scope (about 1 row in 100)",
        kept,
        {"created": kept.counts["created"], "out_of_area": kept.counts["out_of_area"]},
    )
    first = timed_import(files.la_codes, county_only)
    emit_gias(
        "every LA code in scope (first import of most)",
        first,
        {**first.counts, "peak_memory_mb": round(peak_memory_mb())},
    )
    again = timed_import(files.la_codes, None)
    emit_gias(
        "the same file again (nothing changes)", again, {"unchanged": again.counts["unchanged"]}
    )


def make_round(files: national.NationalFiles) -> object:
    from preventhub.audits import services
    from preventhub.core import audit
    from preventhub.schools.models import Establishment

    with audit.acting(label="bench"):
        in_scope = set(files.in_scope)
        audit_round = services.create_round(
            name="National 2026",
            kind="annual",
            opens_on=datetime.date(2026, 10, 1),
            closes_on=datetime.date(2026, 11, 30),
            establishments=[
                school
                for school in Establishment.objects.only("pk", "urn").iterator(chunk_size=2000)
                if school.urn in in_scope
            ],
        )
        services.import_questionnaire(
            round_name=audit_round.name, content=files.questionnaire.read_bytes()
        )
    return audit_round


def bench_responses(files: national.NationalFiles, results: list[Result]) -> object:
    from django.core.management import call_command

    audit_round = make_round(files)
    baseline = best_of(2, lambda: bare_read(files.responses, "utf-8"))
    out = StringIO()
    took = seconds(
        lambda: call_command(
            "import_audit_responses",
            str(files.responses),
            "--round",
            audit_round.name,
            "--json",
            stdout=out,
        )
    )
    written = files.responses_written
    emit(
        Result(
            f"import_audit_responses, {written['rows']:,} rows × {national.QUESTIONS} questions "
            f"({written['answers']:,} answers)",
            database(),
            took,
            "s",
            baseline,
            "csv.DictReader pass",
            5,
            detail={
                "imported": out.getvalue().strip().splitlines()[-1],
                "peak_memory_mb": round(peak_memory_mb()),
            },
        ),
        results,
    )
    return audit_round


def bench_memory(files: national.NationalFiles, audit_round: object, results: list[Result]) -> None:
    """Peak memory (traced by Python) of importing a sixteenth and a quarter of the export into
    rounds of their own: what grows with the file is its text, not anything kept per row."""
    import tracemalloc

    from preventhub.audits import services
    from preventhub.audits.imports import command_limits
    from preventhub.core import audit

    lines = files.responses.read_bytes().splitlines(keepends=True)
    header, rows = lines[0], lines[1:]
    peaks = {}
    for share in (16, 4):
        content = header + b"".join(rows[: max(len(rows) // share, 1)])
        with audit.acting(label="bench"):
            other = services.create_round(
                name=f"Memory 1/{share}",
                kind="focused",
                opens_on=datetime.date(2026, 10, 1),
                closes_on=datetime.date(2026, 11, 30),
                establishments=[place.establishment for place in audit_round.scope.all()],
            )
            services.import_questionnaire(
                round_name=other.name, content=files.questionnaire.read_bytes()
            )
            tracemalloc.start()
            services.import_responses(
                audit_round=other, content=content, filename="part.csv", limits=command_limits()
            )
            peaks[share] = (tracemalloc.get_traced_memory()[1] / 1e6, len(content) / 1e6)
            tracemalloc.stop()
    (small, small_file), (large, large_file) = peaks[16], peaks[4]
    emit(
        Result(
            "import_audit_responses peak traced memory, a quarter of the export against a "
            "sixteenth (4× the rows)",
            database(),
            large,
            "MB",
            small,
            "peak for a sixteenth",
            detail={"file_mb": [round(small_file, 1), round(large_file, 1)]},
        ),
        results,
    )


# The answers are JSON on each response: {each} is json_each (SQLite) or jsonb_each_text
# (PostgreSQL), a row per answer with the question's id as text (key) and the answer (value).
# An answer's outcome follows from its scale's labels, written out here by hand.
HEADLINE_SQL = """
SELECT COUNT(*), COUNT(p.answered_by_id),
    SUM(CASE WHEN c.done = %(required)s THEN 1 ELSE 0 END),
    SUM(CASE WHEN c.done = %(required)s AND c.negative = 0 AND c.positive = %(requirements)s
        THEN 1 ELSE 0 END),
    SUM(CASE WHEN c.done = %(required)s AND c.negative > 0 THEN 1 ELSE 0 END)
FROM schools_roundschool p LEFT JOIN (
    SELECT r.id AS response_id,
        SUM(CASE WHEN q.required THEN 1 ELSE 0 END) AS done,
        SUM(CASE WHEN q.requirement AND (
            (q.scale IN ('yes_no', 'yes_no_partly') AND a.value = 'No')
            OR (q.scale = 'met_partly_not' AND a.value = 'Not met')
            OR (q.scale = 'one_to_four' AND a.value = '4')) THEN 1 ELSE 0 END) AS negative,
        SUM(CASE WHEN q.requirement AND (
            (q.scale IN ('yes_no', 'yes_no_partly') AND a.value = 'Yes')
            OR (q.scale = 'met_partly_not' AND a.value = 'Met')
            OR (q.scale = 'one_to_four' AND a.value = '1')) THEN 1 ELSE 0 END) AS positive
    FROM schools_response r CROSS JOIN {each}(r.answers) a
        JOIN schools_question q ON q.id = CAST(a.key AS INTEGER)
    WHERE r.round_id = %(round)s AND q.prevent AND a.value <> ''
    GROUP BY r.id
) c ON c.response_id = p.answered_by_id
WHERE p.round_id = %(round)s
"""
QUESTIONS_SQL = """
SELECT a.key, a.value, COUNT(*)
FROM schools_roundschool p
JOIN schools_response r ON r.id = p.answered_by_id
CROSS JOIN {each}(r.answers) a
WHERE p.round_id = %(round)s AND a.value <> ''
GROUP BY a.key, a.value
"""


def bench_summary(audit_round: object, results: list[Result]) -> None:
    from django.core.management import call_command
    from django.db import connection

    from preventhub.audits.models import Question

    counts = Question.objects.filter(round=audit_round, prevent=True)
    parameters = {
        "round": audit_round.pk,
        "required": counts.filter(required=True).count(),
        "requirements": counts.filter(requirement=True).count(),
    }

    each = "jsonb_each_text" if connection.vendor == "postgresql" else "json_each"

    def by_hand() -> None:
        with connection.cursor() as cursor:
            cursor.execute(HEADLINE_SQL.format(each=each), parameters)
            cursor.fetchall()
            cursor.execute(QUESTIONS_SQL.format(each=each), parameters)
            cursor.fetchall()

    def command() -> None:
        call_command("audit_summary", "--round", audit_round.name, "--json", stdout=StringIO())

    by_hand()  # both read a warm cache
    baseline = best_of(3, by_hand)
    took = best_of(3, command)
    emit(
        Result(
            "audit_summary --json (headline and per-question counts)",
            database(),
            took,
            "s",
            baseline,
            "hand-written SQL",
            1,
        ),
        results,
    )


def bench_round_pages(audit_round: object, results: list[Result]) -> None:
    """What the round's pages read at national scale: the dashboard's figures (headline,
    questions, each district's standings), the full analysis with its breakdowns (downloads and
    reports), the education lead's work items on the home page, one question's page and the
    download of every school's answers.
    Figures alone: the pages' ratios are measured at county scale by bench_pages.py."""
    from preventhub.audits import home, stats, tables
    from preventhub.core import exports

    questions = list(audit_round.questions.order_by("position"))
    question = questions[len(questions) // 2]

    def dashboard() -> None:
        stats.analyse(audit_round, breakdowns=False)
        stats.standing_by(audit_round, stats.GROUPS["district"])

    timed = {
        "round dashboard figures (headline, questions, standings by district)": dashboard,
        "round analysis with its breakdowns (downloads, reports)": lambda: stats.analyse(
            audit_round
        ),
        "home page work items of the education lead": lambda: home._round_progress(
            datetime.date(2026, 11, 1), runs_it=True
        ),
        "one question's figures (its page)": lambda: stats.one_question_figures(question),
        # The biggest download: every school in scope with its 60 answers (1.6 million cells).
        "the round's schools as XLSX (its download)": lambda: exports.table_bytes(
            tables.schools_table(audit_round), "xlsx"
        ),
        "the round's schools as ODS (its download)": lambda: exports.table_bytes(
            tables.schools_table(audit_round), "ods"
        ),
    }
    for label, work in timed.items():
        emit(Result(f"{label}, national round", database(), best_of(2, work), "s"), results)


def add_referrals(scale: float) -> int:
    """~90,000 referrals over the ten years to TODAY, written straight to the table (the
    database's triggers tally each as it is written, as they do a service's): the statistics
    read plain columns only, so the encrypted ones are left empty."""
    from preventhub.casework.models import ConcernType, Gender, Referral, ReferralSector
    from preventhub.casework.services import ensure_reference_lists
    from preventhub.partnership.models import Area, Organisation

    ensure_reference_lists()
    force = Organisation.objects.get_or_create(name="Bench Police Force")[0]
    concerns = list(ConcernType.objects.values_list("pk", flat=True))
    districts = [None, *Area.objects.filter(kind=Area.Kind.DISTRICT).values_list("pk", flat=True)]
    rng = random.Random(national.SEED)
    batch: list[Referral] = []
    made = 0
    for number, received in enumerate(national.referral_dates(scale, TODAY)):
        adopted = rng.random() < 0.07
        batch.append(
            Referral(
                reference=f"PR{received.year}-B{number:06d}",
                received_on=received,
                source=rng.choice(list(Referral.Source)),
                force=force,
                referrer_sector=rng.choice(list(ReferralSector)),
                age_at_referral=rng.randint(8, 70),
                gender=rng.choice(list(Gender)),
                district_id=rng.choice(districts),
                concern_type_id=rng.choice(concerns),
                awareness=Referral.Awareness.NOT_KNOWN,
                stage=Referral.Stage.CLOSED,
                triaged_on=received,
                discussed_on=received if adopted or rng.random() < 0.1 else None,
                adopted_on=received if adopted else None,
                closed_on=received,
            )
        )
        if len(batch) == 2000:
            made += len(Referral.objects.bulk_create(batch))
            batch = []
    made += len(Referral.objects.bulk_create(batch))
    return made


def bench_referral_stats(scale: float, results: list[Result]) -> None:
    from django.core.management import call_command
    from django.db import connection

    from preventhub.casework import stats
    from preventhub.core import audit

    made = add_referrals(scale)
    # 2025-26: a whole year that has ended, as the command requires.
    period = stats.period_named("2025-26")

    def grouped(*columns: str) -> None:
        # A table's cells are its groups' counts and key sums: a table by gender is a grouped
        # count, never cheaper than one.
        listed = ", ".join(columns)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {listed}, COUNT(*), SUM(record_key) FROM casework_referral "  # noqa: S608
                f"WHERE received_on BETWEEN %s AND %s GROUP BY {listed}",
                [period.starts_on, period.ends_on],
            )
            cursor.fetchall()

    def command(*dimensions: str) -> None:
        call_command(
            "referral_stats", "--period", "2025-26", *dimensions, "--json", stdout=StringIO()
        )

    def table(by: str, then_by: str) -> None:
        stats.protected_table(period=period, by=by, then_by=then_by, today=TODAY)

    def export_logged() -> None:
        with audit.acting(label="bench"):
            audit.record_export(what="casework.statistics", rows=1, detail="bench")

    grouped("gender")
    for label, columns, by, then_by in (
        ("one-way, by gender", ("gender",), "gender", ""),
        ("two-way, gender by sector", ("gender", "referrer_sector"), "gender", "sector"),
    ):
        dimensions = ("--by", by, *(("--then-by", then_by) if then_by else ()))
        baseline = best_of(3, lambda columns=columns: grouped(*columns))
        took = best_of(3, lambda dimensions=dimensions: command(*dimensions))
        # Where the command's time goes: the protected table (reading the year's tallies, the
        # year's check on the same rows, the protection) and the export's entry in the audit
        # trail.
        parts = {
            "protected_table_s": best_of(3, lambda by=by, then_by=then_by: table(by, then_by)),
            "export_logged_s": best_of(3, export_logged),
        }
        emit(
            Result(
                f"referral_stats 2025-26 {label} ({made:,} referrals over ten years)",
                database(),
                took,
                "s",
                baseline,
                "raw grouped SQL count",
                1,
                detail={name: round(value, 4) for name, value in parts.items()},
            ),
            results,
        )


# Each kind of person whose pages read the national rows (the register, the round, the answers,
# the referrals), requesting every address of the site.
EVERY_PAGE_AS = {
    "coordinator, education lead, administrator": (
        "coordinator",
        "education_lead",
        "administrator",
    ),
    "police officer": ("police_officer",),
    "data protection officer": ("dpo",),
    "district lead": ("district_lead",),
    "Channel chair": ("channel_chair",),
}
COSTLIEST = 5


def bench_every_page(audit_round: object, results: list[Result]) -> None:
    """Every address of the site, signed in as each kind of person, on the national data: a page
    that reads every establishment, school of the round or referral shows among the costliest
    (on 8 December 2026 the data protection officer's two pages did: 36 and 31 ms). Pages, not
    the documents some addresses download. Each address's time on the wall clock
    (``bench_pages.request_cost``: on PostgreSQL the database's work is another process's),
    the least of two requests; the numbers in addresses are the national round's key, which
    the first referral and organisation share in a fresh database. This process's own objects
    (the rows it made, the national files' lists) are first frozen out of Python's cycle
    collector, as a worker holds none of them: each full collection took a quarter of a
    second, at random."""
    import gc
    import logging

    from bench_pages import client_for, every_address, request_cost

    from preventhub.core.roles import Role
    from preventhub.partnership.models import Organisation

    force = Organisation.objects.get(name="Bench Police Force")
    gc.collect()
    gc.freeze()
    costs: list[tuple[float, str, str]] = []
    logging.disable(logging.WARNING)  # the addresses refused to a role say so
    try:
        for number, (who, roles) in enumerate(EVERY_PAGE_AS.items()):
            held = [Role(role) for role in roles]  # a name that is no role fails here
            client = client_for(f"every-page-{number}@example.org", held, force)
            for path in every_address(audit_round.pk):
                # Pages only: a document (a PDF, a spreadsheet) is built whole by design, and
                # the biggest are timed on their own (the round's schools, the reports).
                if "." not in path.rsplit("/", 1)[-1] and client.get(path).status_code == 200:
                    taken = request_cost(client, path, runs=2, each=1, clock=time.perf_counter)
                    costs.append((taken, who, path))
    finally:
        logging.disable(logging.NOTSET)
        gc.unfreeze()
    costs.sort(reverse=True)
    for milliseconds, who, path in costs[:COSTLIEST]:
        emit(
            Result(
                f"every page: {path} as {who}, national",
                database(),
                milliseconds,
                "ms a request",
                detail={"pages_answered": len(costs)},
            ),
            results,
        )


def main(
    scale: float = 1.0, results_path: Path | None = None, referral_scale: float | None = None
) -> list[Result]:
    setup_django()
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="preventhub-national-") as folder:
        files = national.generate(Path(folder), scale)
        print(
            f"[{database()}] national dataset at scale {scale}: {len(files.schools):,} "
            f"establishments, {len(files.in_scope):,} in the audit's scope, "
            f"{files.responses_written['answers']:,} answers",
            flush=True,
        )
        bench_gias(files, results)
        audit_round = bench_responses(files, results)
        bench_summary(audit_round, results)
        bench_round_pages(audit_round, results)
        bench_memory(files, audit_round, results)
    bench_referral_stats(scale if referral_scale is None else referral_scale, results)
    time_national_committee_report(
        audit_round.name,
        audit_round.opens_on.year,
        datetime.date(2025, 4, 1),
        datetime.date(2026, 3, 31),
        f"England at scale {scale}",
        results,
    )
    time_national_board_pack(audit_round, f"England at scale {scale}", results)
    bench_every_page(audit_round, results)
    write_results(results_path, results)
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="National-scale benchmarks")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--results", type=Path)
    parser.add_argument(
        "--referral-scale",
        type=float,
        help="The referrals' scale, if not --scale's (1: 90,000 over ten years)",
    )
    arguments = parser.parse_args()
    main(arguments.scale, arguments.results, arguments.referral_scale)
