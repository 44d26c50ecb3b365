from preventhub.core.navigation import NavEntry, register

register(
    NavEntry(
        "Delivery Plan",
        "delivery:plan",
        "delivery.view_plan",
        order=20,
        description="The partnership's plan, its versions and the progress of its actions.",
    )
)
register(
    NavEntry(
        "Board reports",
        "delivery_reports:index",
        "delivery.view_report",
        order=22,
        description="The quarterly progress reports to the Prevent Board.",
    )
)
register(
    NavEntry(
        "Your updates",
        "delivery:my_updates",
        "delivery.send_updates",
        order=21,
        description="The quarterly progress updates due on the actions you report on.",
    )
)
