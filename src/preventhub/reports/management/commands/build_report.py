"""Build a committee report or a Board pack as Word or PDF, for scripts and scheduled jobs.

    manage.py build_report committee --out report.docx          (the latest committee report)
    manage.py build_report committee --id 3 --out report.pdf
    manage.py build_report board-pack --period "2018/19 Q3" --out pack.pdf

A Board pack is its latest published version when it has one (``--draft`` for what it would
show now). The same documents as the pages build.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from preventhub.reports import build, documents, queries
from preventhub.reports.models import BoardPack, CommitteeReport


class Command(BaseCommand):
    help = "Build a committee report or a Board pack as a .docx or .pdf file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["committee", "board-pack"])
        parser.add_argument("--out", required=True, help="The file to write: .docx or .pdf.")
        parser.add_argument("--id", type=int, help="The committee report's number.")
        parser.add_argument("--period", help='The Board pack\'s period, like "2018/19 Q3".')
        parser.add_argument("--draft", action="store_true", help="A pack as it would be built now.")

    def handle(self, *args: Any, kind: str, out: str, **options: Any) -> None:
        path = Path(out)
        if path.suffix not in (".docx", ".pdf"):
            raise CommandError("Name a file ending .docx (Word) or .pdf")
        today = timezone.localdate()
        if kind == "committee":
            found = (
                CommitteeReport.objects.filter(pk=options["id"]).first()
                if options.get("id")
                else queries.latest_committee_report()
            )
            if found is None:
                raise CommandError("There is no such committee report")
            document = build.committee_document(found, today=today)
        else:
            if not options.get("period"):
                raise CommandError('Name the pack\'s period: --period "2018/19 Q3"')
            pack = BoardPack.objects.filter(period__name=options["period"]).first()
            if pack is None:
                raise CommandError(f"There is no Board pack for {options['period']!r}")
            latest = pack.versions.order_by("-number").first()
            if latest is not None and not options.get("draft"):
                document = latest.snapshot
            else:
                document = build.pack_document(pack, today=today)
        site = getattr(settings, "PREVENTHUB_SITE_URL", "")
        content = (
            documents.docx_bytes(document, site_url=site)
            if path.suffix == ".docx"
            else documents.pdf_bytes(document, site_url=site)
        )
        path.write_bytes(content)
        self.stdout.write(f"Wrote {document['title']} to {path} ({len(content)} bytes).")
