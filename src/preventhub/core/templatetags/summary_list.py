"""``{% summary_row %}``: one row of a GOV.UK summary list, written once.

    {% load summary_list %}
    <dl class="govuk-summary-list">
      {% summary_row "Status" %}{{ action.get_status_display }}{% endsummary_row %}
      {% summary_row item.label %}{{ item.text }}{% endsummary_row %}
      {% summary_row "Concerns" value_class="ph-pre" %}{{ case.concerns }}{% endsummary_row %}
    </dl>

The key is a string or a variable (escaped); ``value_class`` adds classes to the value (such as
``ph-pre``, which keeps a text's line breaks); the body between the tags is the value, rendered
as any template content is, so it may hold links, loops and includes. The markup is the
design system's (``govuk-summary-list__row`` with ``__key`` and ``__value``), so every summary
list on every page and in every PDF is the same.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


class SummaryRowNode(template.Node):
    def __init__(
        self, key: FilterExpression, value: NodeList, value_class: FilterExpression | None
    ) -> None:
        self.key = key
        self.value = value
        self.value_class = value_class

    def render(self, context: template.Context) -> SafeString:
        key = conditional_escape(self.key.resolve(context))
        value = self.value.render(context)
        classes = "govuk-summary-list__value"
        if self.value_class is not None:
            classes += f" {conditional_escape(self.value_class.resolve(context))}"
        return mark_safe(  # noqa: S308 - the key is escaped above, the value rendered escaped
            '<div class="govuk-summary-list__row">'
            f'<dt class="govuk-summary-list__key">{key}</dt>'
            f'<dd class="{classes}">{value}</dd>'
            "</div>"
        )


@register.tag("summary_row")
def summary_row(parser: Parser, token: Token) -> SummaryRowNode:
    bits = token.split_contents()
    value_class = None
    if len(bits) == 3 and bits[2].startswith("value_class="):
        value_class = parser.compile_filter(bits[2].removeprefix("value_class="))
    elif len(bits) != 2:
        raise template.TemplateSyntaxError(
            f'{bits[0]} takes the row\'s key and optionally value_class="...": '
            '{% summary_row "Key" %}'
        )
    value = parser.parse(("endsummary_row",))
    parser.delete_first_token()
    return SummaryRowNode(parser.compile_filter(bits[1]), value, value_class)
