from preventhub.core.navigation import NavEntry, register

register(
    NavEntry(
        "Schools",
        "schools:register",
        "schools.view_register",
        order=30,
        description="The schools register, imported from Get Information About Schools.",
    )
)
