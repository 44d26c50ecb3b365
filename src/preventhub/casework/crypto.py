"""Encryption at rest of case identifiers and narratives, and blind indexes to match on them.

Values are encrypted with Fernet (AES-128-CBC with HMAC-SHA256) under the keys in
``PREVENTHUB_CASE_KEYS``: the first key encrypts, every key decrypts, so a new key is put first
and ``manage.py rotate_case_key`` re-encrypts everything under it before the old key is removed.

Fernet is randomised, so the database cannot compare encrypted values. To find a person referred
before, each referral also stores keyed HMAC digests ("blind indexes") of normalised name and
date of birth, and of phonetic keys of the name: equal inputs give equal digests, but a digest
reveals nothing without the key. The HMAC key is derived from the current case key, so rotation
recomputes the digests too.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import unicodedata
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

PREFIX = "enc1:"


class CaseKeyError(Exception):
    """A stored value cannot be decrypted with any configured key."""


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode("ascii")) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.PREVENTHUB_CASE_KEYS))


def encrypt(value: str) -> str:
    return PREFIX + fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(value: str) -> str:
    if not value.startswith(PREFIX):
        raise CaseKeyError("A case field holds a value that was never encrypted.")
    try:
        return fernet().decrypt(value[len(PREFIX) :].encode("ascii")).decode("utf-8")
    except InvalidToken as error:
        raise CaseKeyError(
            "A case field cannot be decrypted with any key in PREVENTHUB_CASE_KEYS."
        ) from error


def rotate(value: str) -> str:
    """The same plaintext, encrypted under the current (first) key."""
    if not value:
        return value
    token = value[len(PREFIX) :].encode("ascii")
    return PREFIX + fernet().rotate(token).decode("ascii")


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")


class EncryptedTextField(models.TextField):
    """Text stored encrypted. Empty stays empty, so "nothing recorded" needs no key.

    The audit trail records a change to any field whose type name contains "encrypted" as
    "(hidden)", never its value, so the trail holds no case data either.
    """

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))


# ---- blind indexes ---------------------------------------------------------------------------


def _index_key() -> bytes:
    current = settings.PREVENTHUB_CASE_KEYS[0].encode("ascii")
    return hashlib.sha256(
        b"preventhub-case-blind-index:" + base64.urlsafe_b64decode(current)
    ).digest()


def digest(kind: str, value: str) -> str:
    """The keyed digest of one normalised value: equal inputs, equal digests."""
    return hmac.new(_index_key(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def normalise_name(name: str) -> str:
    """Letters only, lower case, accents removed: "O'Brien-Smith" gives "obriensmith"."""
    decomposed = unicodedata.normalize("NFKD", name)
    letters = "".join(ch for ch in decomposed if ch.isalpha() or ch.isspace())
    return " ".join(letters.lower().split()).replace(" ", "")


_SOUNDEX = {
    **dict.fromkeys("bfpv", "1"),
    **dict.fromkeys("cgjkqsxz", "2"),
    **dict.fromkeys("dt", "3"),
    "l": "4",
    **dict.fromkeys("mn", "5"),
    "r": "6",
}


def soundex(name: str) -> str:
    """American Soundex of a name: names that sound alike ("Smith", "Smyth") share a code."""
    letters = normalise_name(name)
    if not letters:
        return ""
    code = letters[0].upper()
    previous = _SOUNDEX.get(letters[0], "")
    for letter in letters[1:]:
        digit = _SOUNDEX.get(letter, "")
        if digit and digit != previous:
            code += digit
        if letter not in "hw":
            previous = digit
    return (code + "000")[:4]


def blind_keys(given_name: str, family_name: str, born: datetime.date | None) -> dict[str, str]:
    """The blind indexes of a person, by kind (the kinds of ``MatchKey``), for near-matching.

    Without a date of birth nothing is indexed: a name alone is too weak to suggest a match.
    """
    given, family = normalise_name(given_name), normalise_name(family_name)
    if born is None or not (given or family):
        return {}
    day = born.isoformat()
    return {
        "exact": digest("exact", f"{given}|{family}|{day}"),
        "swapped": digest("exact", f"{family}|{given}|{day}"),
        "sounds_alike": digest("sounds", f"{soundex(given)}|{soundex(family)}|{day}"),
        "same_name_year": digest("year", f"{given}|{family}|{born.year}"),
    }
