from preventhub.core.navigation import NavEntry, register

register(
    NavEntry(
        "Schools",
        "schools:register",
        "schools.view_register",
        description="The schools register, imported from Get Information About Schools.",
    )
)
