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
register(
    NavEntry(
        "Schools audit",
        "schools:rounds",
        "schools.view_audit",
        order=31,
        description="The yearly safeguarding audit of schools, focused surveys and their analysis.",
    )
)
