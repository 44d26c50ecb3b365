from preventhub.core.home import register_work
from preventhub.core.navigation import NavEntry, register
from preventhub.partnership.home import home_work

register(
    NavEntry(
        "Partnership",
        "partnership:directory",
        "partnership.view_directory",
        description="The districts and organisations of the partnership.",
    )
)
register_work(home_work)
