"""Building a report: its narrative with every placeholder filled, as one plain structure.

The page, the PDF and the Word file are all drawn from what :func:`committee_document` and
:func:`pack_document` return (a dict that is also JSON: a published Board pack stores it), so
the three never differ. Each filled figure is numbered and listed with its source.
"""

from __future__ import annotations

import datetime
from typing import Any

from preventhub.reports import figures, sources
from preventhub.reports.models import BoardPack, CommitteeReport

Document = dict[str, Any]


class _Figures:
    """The figures a document names, each built once and numbered in order of first use."""

    def __init__(self, today: datetime.date) -> None:
        self.today = today
        self.built: dict[str, figures.Value | str] = {}
        self.listed: list[dict[str, Any]] = []
        self.numbers: dict[str, int] = {}

    def value(self, placeholder: figures.Placeholder) -> tuple[int, figures.Value | str]:
        if placeholder.key not in self.built:
            try:
                self.built[placeholder.key] = figures.build(placeholder, today=self.today)
            except figures.FigureError as error:
                self.built[placeholder.key] = str(error)
        found = self.built[placeholder.key]
        listing = placeholder.source.strip()
        if listing not in self.numbers:
            self.numbers[listing] = len(self.listed) + 1
            entry: dict[str, Any] = {"number": self.numbers[listing], "placeholder": listing}
            if isinstance(found, figures.Value):
                entry |= {
                    "ok": True,
                    "text": found.show(placeholder.show),
                    "source_url": found.source_url,
                    "source": found.source,
                }
            else:
                entry |= {"ok": False, "text": "", "source_url": "", "source": found}
            self.listed.append(entry)
        return self.numbers[listing], found

    def runs(self, text: str) -> list[dict[str, Any]]:
        """``text`` as runs: plain text, and each placeholder's figure with its number."""
        placeholders, _ = figures.parse(text)
        by_source = {p.source: p for p in placeholders}
        runs: list[dict[str, Any]] = []
        position = 0
        for match in figures.PLACEHOLDER.finditer(text):
            if match.start() > position:
                runs.append({"text": text[position : match.start()]})
            placeholder = by_source.get(match.group(0))
            if placeholder is None:
                runs.append({"text": match.group(0), "problem": True})
            else:
                number, found = self.value(placeholder)
                if isinstance(found, figures.Value):
                    runs.append(
                        {
                            "text": found.show(placeholder.show),
                            "figure": number,
                            "href": found.source_url,
                        }
                    )
                else:
                    runs.append({"text": f"[figure not available: {found}]", "problem": True})
            position = match.end()
        if position < len(text):
            runs.append({"text": text[position:]})
        return runs


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


def _section(heading: str, **rest: Any) -> dict[str, Any]:
    return {"heading": heading, "paragraphs": [], "table": None, "links": [], **rest}


def _plain(text: str, number: int | None = None) -> dict[str, Any]:
    return {"number": number, "runs": [{"text": text}]}


def committee_document(report: CommitteeReport, *, today: datetime.date) -> Document:
    """The committee report built: recommendations, report of, numbered paragraphs in their
    sections, strategic plan and community impact, contact officer, papers, footnotes,
    appendices and the sources of its figures."""
    found = _Figures(today)
    sections: list[dict[str, Any]] = []
    recommendations = _section("Recommendations")
    for index, line in enumerate(_lines(report.recommendations)):
        recommendations["paragraphs"].append(
            {"number": None, "label": f"{chr(ord('a') + index)}.", "runs": found.runs(line)}
        )
    sections.append(recommendations)
    report_of = _section("Report of")
    report_of["paragraphs"].append(_plain(report.report_of))
    sections.append(report_of)
    if report.summary.strip():
        summary = _section("Summary")
        summary["paragraphs"] = [
            {"number": None, "runs": found.runs(p)} for p in _paragraphs(report.summary)
        ]
        sections.append(summary)
    number = 0
    for section in report.sections.all():
        built = _section(section.heading, numbered=True)
        for paragraph in _paragraphs(section.body):
            number += 1
            built["paragraphs"].append({"number": number, "runs": found.runs(paragraph)})
        sections.append(built)
    for heading, text in (
        ("Link to Strategic Plan", report.strategic_plan),
        ("Community Impact", report.community_impact),
    ):
        if text.strip():
            built = _section(heading)
            built["paragraphs"] = [
                {"number": None, "runs": found.runs(p)} for p in _paragraphs(text)
            ]
            sections.append(built)
    contact = _section("Contact Officer")
    contact["paragraphs"] = [
        _plain(f"Name and Job Title: {report.contact_name}"),
        *([_plain(f"Telephone No: {report.contact_phone}")] if report.contact_phone else []),
        *([_plain(f"Address/e-mail: {report.contact_email}")] if report.contact_email else []),
    ]
    sections.append(contact)
    papers = _section("List of Background Papers")
    papers["paragraphs"] = [_plain(line) for line in _lines(report.background_papers)] or [
        _plain("None")
    ]
    sections.append(papers)
    if report.footnotes.strip():
        notes = _section("Footnotes")
        notes["paragraphs"] = [
            {"number": None, "label": f"{index}.", "runs": found.runs(line)}
            for index, line in enumerate(_lines(report.footnotes), start=1)
        ]
        sections.append(notes)
    for index, line in enumerate(_lines(report.appendices), start=1):
        sections.append(_section(f"Appendix {index}: {line}"))
    subtitle = report.committee + (
        f" – {report.meeting_on.day} {report.meeting_on:%B %Y}" if report.meeting_on else ""
    )
    return {
        "kind": "committee",
        "title": report.title,
        "subtitle": subtitle,
        "built_on": today.isoformat(),
        "sections": sections,
        "figures": found.listed,
    }


def pack_document(pack: BoardPack, *, today: datetime.date) -> Document:
    """The Board pack built: each chosen section, in order, its narrative then its figures."""
    found = _Figures(today)
    sections: list[dict[str, Any]] = []
    for section in pack.sections.all():
        built = _section(section.get_kind_display(), kind=section.kind)
        for paragraph in _paragraphs(section.narrative):
            built["paragraphs"].append({"number": None, "runs": found.runs(paragraph)})
        content = sources.section_content(section.kind, pack.period, today=today)
        for line in content.lines:
            built["paragraphs"].append({"number": None, "runs": found.runs(line)})
        built["table"] = content.table
        built["links"] = content.links
        sections.append(built)
    subtitle = f"Reporting period {pack.period.name}" + (
        f", for the meeting of {pack.meeting}" if pack.meeting else ""
    )
    return {
        "kind": "pack",
        "title": pack.title,
        "subtitle": subtitle,
        "built_on": today.isoformat(),
        "sections": sections,
        "figures": found.listed,
    }


def text_of(document: Document) -> str:
    """Everything the document says, as plain text (for tests and search)."""
    lines = [document["title"], document["subtitle"]]
    for section in document["sections"]:
        lines.append(section["heading"])
        for paragraph in section["paragraphs"]:
            lines.append("".join(run["text"] for run in paragraph["runs"]))
        if section.get("table"):
            lines.extend(" ".join(row) for row in section["table"]["rows"])
    return "\n".join(lines)


SOURCES_CAPTION = "Every figure in this report and where it came from"
SOURCES_HEADERS = ("Figure", "Value", "Source", "Page")


def absolute(url: str, site_url: str) -> str:
    return url if not url.startswith("/") else site_url.rstrip("/") + url


def sources_rows(document: Document, *, site_url: str) -> list[list[str]]:
    """The appendix of the figures' sources, a row a figure: the Word file's and the
    downloads' (the page shows the same rows, the page's address as a link)."""
    return [
        [
            f"{entry['number']}. {entry['placeholder']}",
            entry["text"] or "Not available",
            entry["source"],
            absolute(entry["source_url"], site_url),
        ]
        for entry in document["figures"]
    ]
