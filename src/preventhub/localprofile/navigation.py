from preventhub.core.navigation import NavEntry, register

register(
    NavEntry(
        "Local profile data",
        "localprofile:indicators",
        "localprofile.view_indicators",
        description="The partnership's figures for the Counter-Terrorism Local Profile: "
        "indicators, the compiled dataset and its trends.",
    )
)
