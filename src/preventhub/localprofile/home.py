"""What the local profile data puts on a district lead's home page: their district's figures."""

from __future__ import annotations

import datetime
from typing import Any

from preventhub.core.home import WorkItem
from preventhub.core.hrefs import kept_reverse
from preventhub.core.roles import Role, roles_of


def home_work(user: Any, today: datetime.date) -> list[WorkItem]:
    if Role.DISTRICT_LEAD not in roles_of(user) or not user.district_id:
        return []
    area = user.district  # read with the signed-in person (accounts.queries.signed_in)
    return [
        WorkItem(
            f"Your district: {area.name}",
            f"Local profile figures for {area.name}",
            kept_reverse("localprofile:district", area.gss_code),
            status="Figures by quarter",
            hint="What partners sent for your district, beside the compiled dataset's trends.",
        )
    ]
