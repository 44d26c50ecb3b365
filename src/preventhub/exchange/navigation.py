from preventhub.core.home import register_notices
from preventhub.core.navigation import NavEntry, register
from preventhub.exchange.queries import exchange_notices

register(
    NavEntry(
        "Information sharing",
        "exchange:index",
        "exchange.view_requests",
        description="Requests for information between partners, with their lawful basis, "
        "approval, answer and closure.",
    )
)
register_notices(exchange_notices)
