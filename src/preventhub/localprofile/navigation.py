from preventhub.core.home import register_work
from preventhub.core.navigation import NavEntry, register
from preventhub.localprofile.home import home_work

register(
    NavEntry(
        "Local profile data",
        "localprofile:indicators",
        "localprofile.view_indicators",
        description="The partnership's figures for the Counter-Terrorism Local Profile: "
        "indicators, the compiled dataset and its trends.",
    )
)
register_work(home_work)
