from preventhub.core.home import register_work
from preventhub.core.navigation import NavEntry, register
from preventhub.delivery.home import home_work

register(
    NavEntry(
        "Delivery Plan",
        "delivery:plan",
        "delivery.view_plan",
        description="The partnership's plan, its versions and the progress of its actions.",
    )
)
register(
    NavEntry(
        "Board reports",
        "delivery_reports:index",
        "delivery.view_report",
        description="The quarterly progress reports to the Prevent Board.",
    )
)
register(
    NavEntry(
        "Your updates",
        "delivery:my_updates",
        "delivery.send_updates",
        description="The quarterly progress updates due on the actions you report on.",
    )
)
register_work(home_work)
