from preventhub.core.navigation import NavEntry, register

register(
    NavEntry(
        "Partnership",
        "partnership:directory",
        "partnership.view_directory",
        description="The districts and organisations of the partnership.",
    )
)
