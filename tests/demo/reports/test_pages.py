"""The pages of reports: the built committee report with its figures linked to their sources,
publishing a pack, what the Board reader sees, and the command that builds the files."""

from __future__ import annotations

import io

import docx
import pytest
from django.core.management import call_command

from preventhub.core.roles import Role
from preventhub.partnership.models import ReportingPeriod
from preventhub.reports import services
from preventhub.reports.models import BoardPack, CommitteeReport, PackVersion

pytestmark = pytest.mark.django_db


def test_the_committee_report_page_links_each_figure_to_its_source(
    demo_printed, client_for
) -> None:
    report = CommitteeReport.objects.get(title="Prevent")
    page = client_for(Role.BOARD_READER).get(f"/reports/committee/{report.pk}/").content.decode()
    assert ">399</a> schools out of" in page
    assert "Appendix: sources of the figures" in page
    assert "/schools/audits/" in page


def test_publishing_from_the_page_makes_a_version_the_board_reader_reads(
    demo_printed, client_for
) -> None:
    period = ReportingPeriod.objects.get(name="2018/19 Q2")
    pack = BoardPack.objects.filter(period=period).first() or services.create_pack(
        period=period, kinds=["audit", "assessment"]
    )
    coordinator = client_for(Role.COORDINATOR)
    response = coordinator.post(f"/reports/packs/{pack.pk}/publish/")
    version = PackVersion.objects.filter(pack=pack).order_by("-number").first()
    assert (
        response.status_code == 302 and response["Location"] == f"/reports/versions/{version.pk}/"
    )
    reader = client_for(Role.BOARD_READER)
    page = reader.get(f"/reports/versions/{version.pk}/").content.decode()
    assert "Schools audit headlines" in page
    home = reader.get("/").content.decode()
    assert "Latest Board pack" in home
    assert reader.get(f"/reports/packs/{pack.pk}/").status_code == 403


def test_the_board_reader_is_not_shown_draft_packs(demo_printed, client_for) -> None:
    drafts = [pack for pack in BoardPack.objects.all() if not pack.versions.exists()]
    assert drafts
    page = client_for(Role.BOARD_READER).get("/reports/").content.decode()
    for pack in drafts:
        assert pack.title not in page


def test_build_report_writes_the_committee_report_as_word(demo_printed, tmp_path) -> None:
    out = tmp_path / "committee.docx"
    call_command("build_report", "committee", "--out", str(out), stdout=io.StringIO())
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "399 schools out of 411 completed the survey" in text


@pytest.mark.parametrize("role", [Role.BOARD_READER, Role.PARTNER_LEAD, Role.COORDINATOR])
def test_every_figure_links_to_a_page_the_reader_may_open_or_to_its_source_line(
    demo_printed, client_for, role
) -> None:
    import re

    report = CommitteeReport.objects.get(title="Prevent")
    client = client_for(role)
    page = client.get(f"/reports/committee/{report.pk}/").content.decode()
    body = page[page.index("<main") :]
    links = set(re.findall(r'href="([^"]+)"', body))
    assert links
    for link in links:
        if link.startswith("#figure-"):
            assert f'id="{link[1:]}"' in page
        elif link.startswith("/") and not link.endswith((".pdf", ".docx")):
            assert client.get(link.replace("&amp;", "&")).status_code == 200, link


def test_a_published_tables_download_has_the_same_rows_as_the_page(
    demo_printed, client_for
) -> None:
    version = PackVersion.objects.filter(number=1).order_by("pk").first()
    index, section = next(
        (i, s)
        for i, s in enumerate(version.snapshot["sections"])
        if s.get("table") and s["table"]["rows"]
    )
    reader = client_for(Role.BOARD_READER)
    page = reader.get(f"/reports/versions/{version.pk}/").content.decode()
    assert f"/reports/versions/{version.pk}/tables/{index}.csv" in page
    response = reader.get(f"/reports/versions/{version.pk}/tables/{index}.csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[0] == section["table"]["headers"][0]
    assert len(lines) == len(section["table"]["rows"]) + 1
    assert reader.get(f"/reports/versions/{version.pk}/tables/99.csv").status_code == 404
