from preventhub.core.home import register_work
from preventhub.core.navigation import NavEntry, register
from preventhub.engagement.queries import home_work

register(
    NavEntry(
        "Engagement",
        "engagement:index",
        "engagement.view_activities",
        description="The communication plan, its approved key messages, engagement activities "
        "and events by district, and the figures for the Board.",
    )
)
register_work(home_work)
