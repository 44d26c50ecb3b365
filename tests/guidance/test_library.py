"""The guidance library: versions, who must read a document, acknowledgements, overdue reviews."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from preventhub.accounts.models import User
from preventhub.core.home import WorkItem, work_for
from preventhub.core.models import AuditEvent
from preventhub.core.roles import Role
from preventhub.guidance import queries, services
from preventhub.guidance.models import Acknowledgement, GuidanceDocument
from preventhub.partnership.models import Organisation
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(time_machine: Any) -> None:
    time_machine.move_to(datetime.datetime(2026, 12, 5, 12))


def _pdf(name: str = "guidance.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 the guidance")


def _document(organisation: Organisation, title: str, **who_must_read: Any) -> GuidanceDocument:
    return services.save_document(
        title=title,
        kind="guidance",
        owner_organisation=organisation,
        owner_name="Prevent coordinator",
        audience="Every professional working with children and adults",
        review_on=datetime.date(2027, 4, 1),
        **who_must_read,
    )


@pytest.fixture
def document(organisation: Organisation) -> GuidanceDocument:
    return _document(
        organisation,
        "Joint Prevent Safeguarding Guidance",
        must_read_roles=[Role.DISTRICT_LEAD, Role.PARTNER_LEAD],
    )


@pytest.fixture
def uploader(make_user: Callable[..., User]) -> User:
    return make_user(Role.COORDINATOR)


class TestVersions:
    def test_each_upload_is_a_new_version_and_the_earlier_ones_are_kept(
        self, document: GuidanceDocument, uploader: User
    ) -> None:
        services.add_version(document=document, upload=_pdf(), by=uploader)
        services.add_version(document=document, upload=_pdf("v2.pdf"), note="New", by=uploader)

        assert [v.number for v in document.versions.all()] == [2, 1]
        assert queries.current_version(document).original_name == "v2.pdf"

    def test_a_file_that_is_not_what_it_says_is_refused(
        self, document: GuidanceDocument, uploader: User
    ) -> None:
        with pytest.raises(services.GuidanceError, match="not really a PDF"):
            services.add_version(
                document=document, upload=SimpleUploadedFile("x.pdf", b"MZ..."), by=uploader
            )

        assert not document.versions.exists()

    def test_the_coordinator_uploads_a_version_through_the_page(
        self, document: GuidanceDocument, uploader: User
    ) -> None:
        client = sign_in(Client(), uploader)

        response = client.post(
            f"/guidance/documents/{document.pk}/versions/new/", {"file": _pdf(), "note": "First"}
        )

        assert response.status_code == 302
        assert document.versions.get().note == "First"

    def test_a_download_is_recorded_in_the_audit_trail(
        self, document: GuidanceDocument, uploader: User, client_for: Callable[..., Client]
    ) -> None:
        version = services.add_version(document=document, upload=_pdf(), by=uploader)

        response = client_for(Role.SCHOOL_DSL).get(f"/guidance/files/{version.pk}/")

        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert AuditEvent.objects.filter(object_type="guidance.documentversion").exists()


class TestWhoMustReadIt:
    def test_people_are_asked_by_role_or_by_organisation(
        self,
        document: GuidanceDocument,
        make_user: Callable[..., User],
        organisation: Organisation,
    ) -> None:
        other = Organisation.objects.create(name="Demo Trust")
        lead = make_user(Role.DISTRICT_LEAD)
        reader = make_user(Role.BOARD_READER)
        reader.organisation = other
        reader.save()
        document.must_read_organisations.set([other])

        people = set(queries.readers(document))

        assert lead in people and reader in people
        assert queries.must_read(document, reader)

    def test_someone_asked_confirms_reading_and_the_list_shows_it(
        self, document: GuidanceDocument, uploader: User, make_user: Callable[..., User]
    ) -> None:
        services.add_version(document=document, upload=_pdf(), by=uploader)
        has_read, has_not = make_user(Role.DISTRICT_LEAD), make_user(Role.PARTNER_LEAD)

        response = sign_in(Client(), has_read).post(f"/guidance/documents/{document.pk}/read/")

        assert response.status_code == 302
        reading = queries.reading_list(document)
        assert [row.user for row in reading.read] == [has_read]
        assert [row.user for row in reading.not_read] == [has_not]

    def test_confirming_twice_keeps_one_acknowledgement(
        self, document: GuidanceDocument, uploader: User, make_user: Callable[..., User]
    ) -> None:
        services.add_version(document=document, upload=_pdf(), by=uploader)
        lead = make_user(Role.DISTRICT_LEAD)

        services.acknowledge(document=document, user=lead)
        services.acknowledge(document=document, user=lead)

        assert Acknowledgement.objects.count() == 1

    def test_a_new_version_asks_everyone_again(
        self, document: GuidanceDocument, uploader: User, make_user: Callable[..., User]
    ) -> None:
        services.add_version(document=document, upload=_pdf(), by=uploader)
        lead = make_user(Role.DISTRICT_LEAD)
        services.acknowledge(document=document, user=lead)

        services.add_version(document=document, upload=_pdf("v2.pdf"), by=uploader)

        (row,) = [row for row in queries.reading_list(document).rows if row.user == lead]
        assert row.read_current_at is None and row.read_earlier == 1

    def test_nothing_can_be_acknowledged_before_a_file_is_uploaded(
        self, document: GuidanceDocument, make_user: Callable[..., User]
    ) -> None:
        with pytest.raises(services.GuidanceError, match="no file"):
            services.acknowledge(document=document, user=make_user(Role.DISTRICT_LEAD))

    def test_only_the_coordinator_sees_who_has_read_it(
        self, document: GuidanceDocument, client_for: Callable[..., Client]
    ) -> None:
        url = f"/guidance/documents/{document.pk}/readers/"

        assert client_for(Role.COORDINATOR).get(url).status_code == 200
        assert client_for(Role.DISTRICT_LEAD).get(url).status_code == 403


def _guidance_work(user: User) -> list[WorkItem]:
    return [item for group in work_for(user) if group.heading == "Guidance" for item in group.items]


class TestHomeWork:
    def test_someone_asked_is_told_until_they_have_read_it(
        self, document: GuidanceDocument, uploader: User, make_user: Callable[..., User]
    ) -> None:
        services.add_version(document=document, upload=_pdf(), by=uploader)
        lead = make_user(Role.DISTRICT_LEAD)

        before = [n for n in _guidance_work(lead) if n.text == "Guidance to read"]
        services.acknowledge(document=document, user=lead)
        after = [n for n in _guidance_work(lead) if n.text == "Guidance to read"]

        assert len(before) == 1 and before[0].count == 1
        assert "Joint Prevent Safeguarding Guidance" in before[0].hint
        assert after == []

    def test_a_person_whose_organisation_must_read_it_is_asked_again_for_a_new_version(
        self, organisation: Organisation, uploader: User, make_user: Callable[..., User]
    ) -> None:
        document = _document(
            organisation, "Information sharing agreement", must_read_organisations=[organisation]
        )
        reader = make_user(Role.BOARD_READER)  # no role that must read it: their organisation

        def asked() -> list[int | None]:
            return [n.count for n in _guidance_work(reader) if n.text == "Guidance to read"]

        no_file_yet = asked()
        services.add_version(document=document, upload=_pdf(), by=uploader)
        first = asked()
        services.acknowledge(document=document, user=reader)
        read = asked()
        services.add_version(document=document, upload=_pdf("v2.pdf"), by=uploader)

        assert (no_file_yet, first, read, asked()) == ([], [1], [], [1])

    def test_the_coordinator_sees_an_overdue_review(
        self, document: GuidanceDocument, uploader: User
    ) -> None:
        document.review_on = datetime.date(2026, 11, 30)
        document.save()

        overdue = [n for n in _guidance_work(uploader) if n.status == "Review overdue"]

        assert len(overdue) == 1 and overdue[0].is_late
        assert "due for review by 30 November 2026" in overdue[0].hint

    def test_an_archived_document_is_never_overdue(
        self, document: GuidanceDocument, uploader: User
    ) -> None:
        document.review_on = datetime.date(2026, 11, 30)
        document.is_archived = True
        document.save()

        assert not [n for n in _guidance_work(uploader) if n.status == "Review overdue"]


class TestTheLibraryPage:
    def test_it_marks_what_the_reader_must_read_and_overdue_reviews(
        self, document: GuidanceDocument, uploader: User, client_for: Callable[..., Client]
    ) -> None:
        services.add_version(document=document, upload=_pdf(), by=uploader)
        document.review_on = datetime.date(2026, 1, 1)
        document.save()

        text = client_for(Role.DISTRICT_LEAD).get("/guidance/").content.decode()

        assert "You are asked to read this" in text
        assert "Review overdue" in text

    def test_the_coordinator_adds_a_document_naming_who_must_read_it(
        self, uploader: User, organisation: Organisation
    ) -> None:
        response = sign_in(Client(), uploader).post(
            "/guidance/documents/new/",
            {
                "title": "Channel panel terms of reference",
                "kind": "terms",
                "owner_organisation": organisation.pk,
                "owner_name": "Channel chair",
                "audience": "Channel panel members",
                "review_on": "2027-06-30",
                "must_read_roles": [Role.CHANNEL_MEMBER, Role.CHANNEL_CHAIR],
            },
        )

        found = GuidanceDocument.objects.get()
        assert response.status_code == 302
        assert set(found.must_read_roles) == {Role.CHANNEL_CHAIR, Role.CHANNEL_MEMBER}


def test_the_library_makes_no_more_queries_with_more_documents(
    uploader: User,
    organisation: Organisation,
    client_for: Callable[..., Client],
    django_assert_max_num_queries: Any,
) -> None:
    def add(count: int, start: int) -> None:
        for number in range(start, start + count):
            found = services.save_document(
                title=f"Document {number}",
                kind="procedure",
                owner_organisation=organisation,
                owner_name="Owner",
                audience="Everyone",
                review_on=datetime.date(2026, 1, 1),
                must_read_roles=[Role.DISTRICT_LEAD],
                must_read_organisations=[organisation],
            )
            services.add_version(document=found, upload=_pdf(), by=uploader)

    client = client_for(Role.DISTRICT_LEAD)
    add(2, 0)
    client.get("/guidance/")
    with django_assert_max_num_queries(50) as few:
        client.get("/guidance/")

    add(20, 2)

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/guidance/").status_code == 200
