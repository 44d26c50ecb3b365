"""The demo's reports, built from the demo's data: the seed's figures, each from its query, in
the page, the Word file and the PDF; the Board pack frozen when published."""

from __future__ import annotations

import datetime
import io
import re

import docx
import pytest
from django.db import DatabaseError
from pypdf import PdfReader

from preventhub.audits import stats as audit_stats
from preventhub.audits.models import AuditRound
from preventhub.casework import stats as case_stats
from preventhub.partnership.models import ReportingPeriod
from preventhub.reports import build, documents, figures, services, sources
from preventhub.reports.models import BoardPack, CommitteeReport, PackVersion
from preventhub.training import stats as training_stats

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 5)
SEED_COMPLETION = (
    "In 2018, 399 schools out of 411 completed the survey, a completion rate of 97%. "
    "345 schools responded to the specific Prevent questions (a completion rate of 84%)."
)
SEED_FINDINGS = (
    "around 85% had actioned all of the requirements. 2% were not able to confirm",
    "Only 10% of schools indicated",
    "Positively, 93% of schools stated",
)


def _report() -> CommitteeReport:
    return CommitteeReport.objects.get(title="Prevent")


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _figure(text: str) -> figures.Value:
    placeholders, problems = figures.parse(text)
    assert problems == []
    return figures.build(placeholders[0], today=TODAY)


def test_the_built_committee_report_reproduces_the_seeds_audit_figures(demo_printed: str) -> None:
    text = build.text_of(build.committee_document(_report(), today=TODAY))
    assert SEED_COMPLETION in text
    for sentence in SEED_FINDINGS:
        assert sentence in text
    assert "During the period 1 May to 30 November 2018, the majority of referrals" in text
    assert "statistics about people are published only for whole periods" in text


def test_every_figure_in_the_report_links_to_its_source_and_none_fails(demo_printed: str) -> None:
    document = build.committee_document(_report(), today=TODAY)
    assert document["figures"]
    for entry in document["figures"]:
        assert entry["ok"], entry
        assert entry["source_url"].startswith("/")
        assert entry["source"]
    runs = [run for s in document["sections"] for p in s["paragraphs"] for run in p["runs"]]
    linked = [run for run in runs if run.get("figure")]
    assert {run["href"] for run in linked} <= {e["source_url"] for e in document["figures"]}


def test_the_audit_figures_are_the_audit_apps_own(demo_printed: str) -> None:
    audit_round = AuditRound.objects.get(name="2018")
    own = audit_stats.round_figures(audit_round)
    completion = _figure("{{ audit_completion round=2018 }}")
    assert (
        completion.text == audit_stats.with_rate(own.responded, own.in_scope) == "399 of 411 (97%)"
    )
    answered = _figure("{{ prevent_answered round=2018 }}")
    assert (answered.parts["count"], answered.parts["rate"]) == ("345", "84%")
    findings = _figure("{{ audit_findings round=2018 }}")
    assert findings.parts["all_actioned"] == f"{own.share('all_actioned')}%" == "85%"
    assert findings.parts["cannot_confirm"] == "2%"
    assert _figure("{{ audit_answer round=2018 question=P6 }}").text == "93%"


def test_training_and_delivery_figures_are_their_apps_own(demo_printed: str) -> None:
    period = ReportingPeriod.objects.get(name="2018/19 Q3")
    own = training_stats.coverage(period.ends_on).total.total
    coverage = _figure('{{ training_coverage period="2018/19 Q3" }}')
    assert (coverage.parts["trained"], coverage.parts["needing"]) == (
        str(own.trained),
        str(own.needing),
    )
    progress = _figure('{{ delivery_progress period="2018/19 Q3" }}')
    assert progress.source_url.endswith(f"/plan/reports/{period.pk}/")
    assert progress.parts["actions"].isdigit()
    green = _figure('{{ delivery_progress period="2018/19 Q3" show=green }}')
    assert green.show("green") == green.parts["green"]


def test_referral_figures_come_through_the_protection_and_hide_small_counts(
    demo_printed: str,
) -> None:
    threshold = 5
    value = _figure("{{ referrals_by_age from=2018-05-01 to=2018-11-30 }}")
    year = case_stats.year_period(2018)
    assert "Financial year 2018/19" in value.parts["note"]
    table = case_stats.protected_table(period=year, by="age_band", today=TODAY)
    exact = dict(case_stats.counts(date_from=year.starts_on, date_to=year.ends_on, by="age_band"))
    for cell in table.cells:
        shown = value.parts[cell.label]
        if cell.suppressed:
            assert shown == f"fewer than {threshold}"
        else:
            assert shown == str(cell.count)
        if exact[cell.label] < threshold:
            assert shown == f"fewer than {threshold}", cell.label
    adopted = _figure("{{ channel_adopted_under_18 from=2018-05-01 to=2018-11-30 }}")
    assert re.fullmatch(r"(at least )?\d+|fewer than 5", adopted.text)


def test_the_channel_paragraphs_majority_is_true_of_the_published_figures(
    demo_printed: str,
) -> None:
    value = _figure("{{ referrals_by_age from=2018-05-01 to=2018-11-30 }}")
    words = value.parts["majority_words"]
    assert words != "no majority band"
    table = case_stats.protected_table(
        period=case_stats.year_period(2018), by="age_band", today=TODAY
    )
    published = {cell.label: cell.count for cell in table.cells}
    bands = [label for label in published if label[:1].isdigit()]
    # The run named, band by band: all published, together more than half the published total.
    low, high = words.split(" to ")
    run = bands[
        next(i for i, b in enumerate(bands) if b.startswith(low)) : next(
            i for i, b in enumerate(bands) if b.endswith(high)
        )
        + 1
    ]
    assert all(published[band] is not None for band in run)
    assert table.total is not None and 2 * sum(published[band] for band in run) > table.total
    text = build.text_of(build.committee_document(_report(), today=TODAY))
    assert (
        f"the majority of referrals to Staffordshire Prevent were of individuals aged {words}."
        in (text)
    )


def test_the_word_file_has_the_seeds_sentences_real_headings_and_a_sources_appendix(
    demo_printed: str,
) -> None:
    document = build.committee_document(_report(), today=TODAY)
    written = docx.Document(
        io.BytesIO(documents.docx_bytes(document, site_url="https://hub.example/"))
    )
    text = "\n".join(paragraph.text for paragraph in written.paragraphs)
    assert SEED_COMPLETION in text
    for sentence in SEED_FINDINGS:
        assert sentence in text
    headings = [p.text for p in written.paragraphs if p.style.name.startswith("Heading")]
    assert "Recommendations" in headings and "Contact Officer" in headings
    assert documents.SOURCES_HEADING in headings
    sources_table = written.tables[-1]
    assert [cell.text for cell in sources_table.rows[0].cells] == [
        "Figure",
        "Value",
        "Source",
        "Page",
    ]
    assert len(sources_table.rows) == len(document["figures"]) + 1
    assert all(
        row.cells[3].text.startswith("https://hub.example/") for row in sources_table.rows[1:]
    )


def test_the_pdf_has_the_seeds_sentences(demo_printed: str) -> None:
    document = build.committee_document(_report(), today=TODAY)
    reader = PdfReader(io.BytesIO(documents.pdf_bytes(document, site_url="https://hub.example/")))
    text = _flat(" ".join(page.extract_text() for page in reader.pages))
    assert SEED_COMPLETION in text
    assert "Appendix: sources of the figures" in text


def _docx_text(content: bytes) -> str:
    written = docx.Document(io.BytesIO(content))
    cells = [cell.text for table in written.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in written.paragraphs] + cells)


def _pack_for_q3() -> BoardPack:
    period = ReportingPeriod.objects.get(name="2018/19 Q3")
    return BoardPack.objects.filter(period=period).first() or services.create_pack(period=period)


def test_a_published_pack_stays_frozen_when_the_data_changes_and_edits_make_a_new_version(
    demo_printed: str, make_user
) -> None:
    from preventhub.engagement import services as engagement

    coordinator = make_user()
    pack = _pack_for_q3()
    first = services.publish_pack(pack=pack, by=coordinator, today=TODAY)
    frozen = build.text_of(first.snapshot)
    word_before = _docx_text(documents.docx_bytes(first.snapshot))
    period = pack.period
    engagement.save_activity(
        title="A late drop-in",
        kind="community_outreach",
        held_on=period.starts_on,
        district=None,
        audience="communities",
        channel="event",
        partners=[],
        objective=None,
        reach=3,
        today=TODAY,
    )
    assert build.text_of(build.pack_document(pack, today=TODAY)) != frozen
    first.refresh_from_db()
    assert build.text_of(first.snapshot) == frozen
    assert _docx_text(documents.docx_bytes(first.snapshot)) == word_before
    pack.refresh_from_db()
    services.save_pack(
        pack=pack,
        expected_version=pack.version,
        title=pack.title,
        meeting=pack.meeting,
        sections=[("audit", 1, "Audit narrative for the Board."), ("engagement", 2, "")],
    )
    second = services.publish_pack(pack=pack, by=coordinator, today=TODAY)
    assert second.number == first.number + 1
    assert "Audit narrative for the Board." in build.text_of(second.snapshot)
    assert build.text_of(PackVersion.objects.get(pk=first.pk).snapshot) == frozen


def test_a_database_error_in_the_middle_of_a_build_publishes_nothing(
    demo_printed: str, make_user, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = _pack_for_q3()
    before = PackVersion.objects.filter(pack=pack).count()
    real = sources.section_content
    calls: list[str] = []

    def fails_on_the_second(kind: str, period: ReportingPeriod, *, today: datetime.date):
        calls.append(kind)
        if len(calls) == 2:
            raise DatabaseError("connection lost")
        return real(kind, period, today=today)

    monkeypatch.setattr(sources, "section_content", fails_on_the_second)
    with pytest.raises(DatabaseError):
        services.publish_pack(pack=pack, by=make_user(), today=TODAY)
    assert PackVersion.objects.filter(pack=pack).count() == before


def test_the_demo_leaves_a_draft_pack_for_the_current_quarter(demo_printed: str) -> None:
    today = datetime.date.today()
    period = (
        ReportingPeriod.objects.filter(starts_on__lte=today, ends_on__gte=today).first()
        or ReportingPeriod.objects.order_by("-starts_on").first()
    )
    assert BoardPack.objects.filter(period=period).exists()


def test_the_demo_leaves_a_published_pack_for_the_last_closed_quarter(demo_printed: str) -> None:
    closed = (
        ReportingPeriod.objects.filter(status="closed", ends_on__lt=datetime.date.today())
        .order_by("-ends_on")
        .first()
    )
    version = PackVersion.objects.get(pack__period=closed, number=1)
    assert "Delivery Plan progress" in build.text_of(version.snapshot)


def test_a_published_packs_word_file_has_its_sections_as_headings_and_tables_with_headers(
    demo_printed: str,
) -> None:
    version = PackVersion.objects.filter(number=1).order_by("pk").first()
    written = docx.Document(io.BytesIO(documents.docx_bytes(version.snapshot)))
    headings = [p.text for p in written.paragraphs if p.style.name.startswith("Heading")]
    for section in version.snapshot["sections"]:
        assert section["heading"] in headings
    with_table = [s for s in version.snapshot["sections"] if s.get("table")]
    for section, table in zip(with_table, written.tables, strict=False):
        assert [cell.text for cell in table.rows[0].cells] == section["table"]["headers"]
        header_xml = table.rows[0]._tr.xml
        assert "w:tblHeader" in header_xml
