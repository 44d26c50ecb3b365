"""How long the documents the Board and councillors read take to build: the committee report and
the Board pack, each as its figures, a Word file and a PDF, the same work as a background build
or ``manage.py build_report``.

Used by ``bench_pages.py`` for the county (the demo's reports) and by ``bench_national.py`` for
the whole of England (a committee report about the national audit round and ten years of
referrals, and a Board pack for the quarter the round opened in). A build has no cheaper way
to be done, so its figure is a time alone.
"""

from __future__ import annotations

import datetime
from typing import Any

from harness import Result, best_of, database, emit

# The seed's paragraphs about the audit and Channel, with their placeholders pointed at the
# round and the year a national benchmark has.
NATIONAL_SECTIONS = (
    (
        "Schools",
        "In {year}, {{{{ audit_completion round={round} show=responded }}}} schools out of "
        "{{{{ audit_completion round={round} show=in_scope }}}} completed the survey, a "
        "completion rate of {{{{ audit_completion round={round} show=rate }}}}. "
        "{{{{ prevent_answered round={round} show=count }}}} schools responded to the specific "
        "Prevent questions.\n\n"
        "Around {{{{ audit_findings round={round} show=all_actioned }}}} had actioned all of "
        "the requirements; {{{{ audit_findings round={round} show=cannot_confirm }}}} could not "
        "confirm that they had.",
    ),
    (
        "Channel",
        "The majority of referrals were of people aged "
        "{{{{ referrals_by_age {dates} show=largest_band_words }}}}. "
        "{{{{ channel_adopted_under_18 {dates} }}}} young people (under 18) were accepted onto "
        "the Channel process. {{{{ referrals_by_age {dates} show=note }}}}",
    ),
)


def _build(kind: str, target: Any, today: datetime.date | None = None) -> int:
    """Build ``target`` whole (figures, Word, PDF) as on ``today`` (by default the day it is);
    how many of its figures could not be built."""
    from django.utils import timezone

    from preventhub.reports import build, documents

    today = today or timezone.localdate()
    document = (
        build.committee_document(target, today=today)
        if kind == "committee"
        else build.pack_document(target, today=today)
    )
    documents.docx_bytes(document)
    documents.pdf_bytes(document)
    return sum(1 for figure in document["figures"] if not figure["ok"])


def time_build(
    kind: str, target: Any, label: str, results: list[Result], today: datetime.date | None = None
) -> None:
    """The quicker of two builds of a committee report (``kind`` "committee") or a Board pack."""
    failed = _build(kind, target, today)
    name = "Committee report" if kind == "committee" else "Board pack"
    emit(
        Result(
            f"{name} {target} (figures, Word and PDF), {label}",
            database(),
            best_of(2, lambda: _build(kind, target, today)),
            "s",
            detail={"figures_not_built": failed} if failed else None,
        ),
        results,
    )


def time_county_reports(results: list[Result]) -> None:
    """The demo's committee report and its latest Board pack: the county."""
    from preventhub.reports.models import BoardPack, CommitteeReport

    report = CommitteeReport.objects.order_by("-updated_at", "-pk").first()
    if report is not None:
        time_build("committee", report, "county (the demo)", results)
    # The latest pack that has been published: what the Board reads.
    pack = (
        BoardPack.objects.filter(versions__isnull=False).order_by("-period__ends_on").first()
        or BoardPack.objects.order_by("-period__ends_on").first()
    )
    if pack is not None:
        time_build("pack", pack, "county (the demo)", results)


def time_national_committee_report(
    round_name: str, year: int, date_from: datetime.date, date_to: datetime.date, label: str,
    results: list[Result],
) -> None:  # fmt: skip
    """A committee report about a national audit round and a year of national referrals."""
    from preventhub.reports import services

    dates = f"from={date_from.isoformat()} to={date_to.isoformat()}"
    report = services.save_committee_report(
        title="Prevent (national benchmark)",
        committee="Benchmark Committee",
        recommendations="Note the report.",
        report_of="The benchmark",
        contact_name="Benchmark",
    )
    for heading, body in NATIONAL_SECTIONS:
        services.save_committee_section(
            report=report,
            heading=heading,
            body=body.format(year=year, round=f'"{round_name}"', dates=dates),
        )
    time_build("committee", report, label, results)


def time_national_board_pack(audit_round: Any, label: str, results: list[Result]) -> None:
    """A Board pack with every section for the quarter the national round opened in: its audit
    headlines read the national round, its referral statistics the quarter's national
    referrals (through the protection), the rest the partnership's own few rows. Built as on the
    day the quarter's updates are due: referral statistics are published only for a quarter
    that has ended."""
    from preventhub.core import calendar
    from preventhub.partnership import services as partnership
    from preventhub.reports import services

    opened = audit_round.opens_on
    built_on = calendar.default_updates_due_on(calendar.quarter_of(opened)[2])
    period = partnership.create_period(
        year=calendar.financial_year_of(opened),
        quarter=calendar.quarter_number_of(opened),
        updates_due_on=built_on,
    )
    pack = services.create_pack(period=period, title="Prevent Board pack (national benchmark)")
    time_build("pack", pack, label, results, today=built_on)
