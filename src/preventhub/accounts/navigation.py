from preventhub.core.navigation import NavEntry, register

register(
    NavEntry(
        "Users",
        "accounts:user_list",
        "accounts.manage_users",
        description="Invite people, give them roles, deactivate accounts.",
    )
)
register(
    NavEntry(
        "Your account",
        "accounts:account",
        None,
        description="Your details, password and two-factor authentication.",
    )
)
