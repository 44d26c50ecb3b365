from preventhub.core.home import register_work
from preventhub.core.navigation import NavEntry, register
from preventhub.exchange.queries import home_work

register(
    NavEntry(
        "Information sharing",
        "exchange:index",
        "exchange.view_requests",
        description="Requests for information between partners, with their lawful basis, "
        "approval, answer and closure.",
    )
)
register_work(home_work)
