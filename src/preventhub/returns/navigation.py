from preventhub.core.home import register_work
from preventhub.core.navigation import NavEntry, register
from preventhub.returns.queries import home_work

register(
    NavEntry(
        "Returns",
        "returns:index",
        "returns.view_returns",
        description="Training and local profile returns: the ones your organisation owes, or "
        "for the coordinator, every return window.",
    )
)
register_work(home_work)
