"""People who sign in to Prevent Hub.

There is deliberately no superuser flag: Django grants a superuser every permission before any
rule is asked, which would open every Channel case to whoever administers accounts. What anyone
may do comes from their roles (groups) through ``rules`` alone.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib.auth import load_backend
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone

from preventhub.core.models import VersionedModel
from preventhub.core.roles import CASE_ROLES, TWO_FACTOR_ROLES, roles_of


@lru_cache(maxsize=8)
def _deciding_backends(paths: tuple[str, ...]) -> tuple[Any, ...]:
    """The authentication backends of ``paths`` that answer permission questions, made once in a
    process for each list of them (settings, or a test's own).

    Django's ``get_backends()`` imports and makes every backend again each time it is called:
    once for each permission a page asks about, 28 times for the home page, an eighth of its
    time on SQLite.
    """
    made = (load_backend(path) for path in paths)
    return tuple(backend for backend in made if hasattr(backend, "has_perm"))


class UserManager(BaseUserManager["User"]):
    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, *args: Any, **kwargs: Any) -> User:
        raise PermissionError(
            "Prevent Hub has no superusers: what anyone may do comes from their roles. "
            "Create the first administrator with `manage.py invite_administrator`."
        )

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username or "")


class User(AbstractBaseUser, VersionedModel):
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField("full name", max_length=150)
    organisation = models.ForeignKey(
        "partnership.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    district = models.ForeignKey(
        "partnership.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text="Only for people whose work is about one district, such as a district lead.",
    )
    groups = models.ManyToManyField(Group, blank=True, related_name="users", verbose_name="roles")
    is_active = models.BooleanField(
        "active",
        default=True,
        help_text="Deactivated people cannot sign in. Accounts are never deleted, so their "
        "history stays readable.",
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>" if self.full_name else self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def roles(self) -> frozenset[str]:
        return roles_of(self)

    @property
    def needs_two_factor(self) -> bool:
        return bool(self.roles & TWO_FACTOR_ROLES)

    @property
    def works_cases(self) -> bool:
        return bool(self.roles & CASE_ROLES)

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        if not self.is_active:
            return False
        for backend in _deciding_backends(tuple(settings.AUTHENTICATION_BACKENDS)):
            try:
                if backend.has_perm(self, perm, obj):
                    return True
            except PermissionDenied:
                return False
        return False

    def has_perms(self, perm_list: list[str], obj: Any = None) -> bool:
        return all(self.has_perm(perm, obj) for perm in perm_list)

    def has_module_perms(self, app_label: str) -> bool:
        return False
