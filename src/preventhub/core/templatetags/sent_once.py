"""``{% csrf_token %}`` with the form's once-only token beside it (``core.once``).

Registered as a built-in (settings.TEMPLATES), so every form that carries Django's CSRF token
carries a new once-only token too, each time it is drawn, with nothing in its template: a
second sending of the same drawn form is taken where the first went, not saved twice.
"""

from __future__ import annotations

from django import template
from django.template.base import Parser, Token
from django.template.context import Context
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import format_html

from preventhub.core import once

register = template.Library()


class SentOnceCsrfTokenNode(CsrfTokenNode):
    def render(self, context: Context) -> str:
        csrf = super().render(context)
        if not csrf:
            return csrf
        return format_html(
            '{}<input type="hidden" name="{}" value="{}">', csrf, once.FIELD, once.new_token()
        )


@register.tag
def csrf_token(parser: Parser, token: Token) -> SentOnceCsrfTokenNode:
    return SentOnceCsrfTokenNode()
