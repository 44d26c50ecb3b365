from preventhub.core.home import register_work
from preventhub.core.navigation import NavEntry, register
from preventhub.guidance.queries import home_work

register(
    NavEntry(
        "Guidance",
        "guidance:library",
        "guidance.view_library",
        description="The joint Prevent and safeguarding guidance, the referral form guidance and "
        "terms of reference, with what you are asked to read.",
    )
)
register_work(home_work)
