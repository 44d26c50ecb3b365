from preventhub.core.navigation import NavEntry, register

register(
    NavEntry(
        "Schools audit",
        "audits:rounds",
        "audits.view_audit",
        description="The yearly safeguarding audit of schools, focused surveys and their analysis.",
    )
)
