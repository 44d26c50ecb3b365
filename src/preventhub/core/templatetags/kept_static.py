"""``{% static %}``, each file's address made once per process.

Django's ``{% static %}`` asks the static files storage for a file's address on every render:
about 15 microseconds each, and the layout (``core/base.html``) has seven, drawn on every page.
A file's address does not change while a process runs (the manifest of hashed names is read
once), so this tag keeps each one it has made, until a test changes the static settings.

Registered as a built-in (settings.TEMPLATES), so it takes the place of ``{% static %}`` in a
template that does not ``{% load static %}``, with the same syntax, ``as`` included.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import Parser, Token
from django.templatetags.static import StaticNode, static

register = template.Library()

# Files kept per process: the layout's stylesheets, scripts and icon, and any a page adds.
KEPT = 256


@lru_cache(maxsize=KEPT)
def _address(path: str) -> str:
    return static(path)


@receiver(setting_changed)
def _forget_addresses(*, setting: str, **kwargs: Any) -> None:
    if setting in {"STATIC_URL", "STATIC_ROOT", "STORAGES"}:
        _address.cache_clear()


class KeptStaticNode(StaticNode):
    """Django's StaticNode, with each address made through :func:`_address`."""

    def url(self, context: template.Context) -> str:
        # As plain text: a literal path resolves to a SafeString, which the cache would keep
        # apart from the same path given in a variable (and whose str() is itself).
        path = self.path.resolve(context)
        return _address(str.__str__(path) if isinstance(path, str) else path)


@register.tag("static")
def kept_static(parser: Parser, token: Token) -> KeptStaticNode:
    return KeptStaticNode.handle_token(parser, token)
