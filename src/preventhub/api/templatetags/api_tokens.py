from __future__ import annotations

import datetime

from django import template

from preventhub.api.models import ApiToken

register = template.Library()


@register.filter
def state_on(token: ApiToken, today: datetime.date) -> str:
    """Active, Expired or Revoked, on ``today``."""
    return token.state(today)
