"""``{% url %}``, each address reversed once per process.

Django's ``{% url %}`` reverses its route on every render: about 60 microseconds each, and a page
such as the round dashboard or the partnership directory has twenty (its downloads, its actions,
the layout's links), a sixth of its time. The same route with the same arguments always gives
the same address (the URL configuration is fixed while a process runs), so this tag keeps each
address it has made, keyed on everything ``reverse()`` reads: the route's name, its arguments,
the current application, the script prefix and the URL configuration.

Registered as a built-in after Django's own (settings.TEMPLATES), so it takes the place of
``{% url %}`` in every template with the same syntax and behaviour, ``as`` included. Only
arguments that are numbers or text are kept: anything else (a model instance, whose text could
change) is reversed every time, as Django does.
"""

from __future__ import annotations

from django import template
from django.template.base import Parser, Token
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.html import conditional_escape

# The store of addresses is core.hrefs', which code reverses through too (kept_reverse).
from preventhub.core.hrefs import is_keepable, kept_address, urlconf_in_use

register = template.Library()


class KeptURLNode(URLNode):
    """Django's URLNode, with its address reversed through :func:`kept_address`."""

    def render(self, context: template.Context) -> str:
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = tuple((name, value.resolve(context)) for name, value in self.kwargs.items())
        view_name = self.view_name.resolve(context)
        # As Django's URLNode: the request's application, else its namespace.
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            values = (view_name, *args, *dict(kwargs).values())
            if all(map(is_keepable, values)):
                url = kept_address(
                    view_name, args, kwargs, current_app, get_script_prefix(), urlconf_in_use()
                )
            else:
                url = reverse(view_name, args=args, kwargs=dict(kwargs), current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser: Parser, token: Token) -> KeptURLNode:
    """``{% url 'name' arg ... [as var] %}``, parsed by Django's own tag."""
    node = django_url(parser, token)
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)
