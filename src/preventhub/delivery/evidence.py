"""What a file must be to be kept as evidence of a progress update. Touches no database."""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

# Documents and images only: nothing a browser would run if it were ever served inline.
EVIDENCE_TYPES: dict[str, str] = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
# The first bytes each binary type must start with, so a renamed file is refused.
MAGIC: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}


class EvidenceRefused(Exception):
    """A file that cannot be kept as evidence; the message says why and can be shown."""


def check_evidence(upload: UploadedFile) -> str:
    """The file's content type if it may be kept as evidence; EvidenceRefused saying why if not."""
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in EVIDENCE_TYPES:
        allowed = ", ".join(sorted(s.lstrip(".").upper() for s in EVIDENCE_TYPES))
        raise EvidenceRefused(f"{upload.name} is not a file type we keep. Use one of: {allowed}.")
    limit = settings.PREVENTHUB_EVIDENCE_MAX_MB
    if upload.size > limit * 1024 * 1024:
        raise EvidenceRefused(f"{upload.name} is larger than {limit} MB. Send a smaller file.")
    if upload.size == 0:
        raise EvidenceRefused(f"{upload.name} is empty.")
    head = upload.read(8)
    upload.seek(0)
    if suffix in MAGIC and not head.startswith(MAGIC[suffix]):
        raise EvidenceRefused(f"{upload.name} is not really a {suffix.lstrip('.').upper()} file.")
    if suffix not in MAGIC:
        content = upload.read()
        upload.seek(0)
        try:
            content.decode("utf-8-sig")
        except UnicodeDecodeError:
            content = b"\x00"
        if b"\x00" in content:
            raise EvidenceRefused(f"{upload.name} is not a plain text file.")
    return EVIDENCE_TYPES[suffix]


class EvidenceField(forms.FileField):
    """An optional file kept as evidence: refused with the reason when check_evidence refuses it,
    so every form that takes evidence checks it the same way before its service keeps it."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            "A PDF, Word (DOCX), Excel (XLSX), OpenDocument, CSV, text, PNG or JPEG file, "
            f"up to {settings.PREVENTHUB_EVIDENCE_MAX_MB} MB.",
        )
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def clean(self, data: object, initial: object = None) -> UploadedFile | None:
        upload = super().clean(data, initial)
        if not upload:
            return None
        try:
            check_evidence(upload)
        except EvidenceRefused as error:
            raise forms.ValidationError(str(error)) from error
        return upload
