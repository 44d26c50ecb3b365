from preventhub.core.home import register_notices
from preventhub.core.navigation import NavEntry, register
from preventhub.guidance.queries import guidance_notices

register(
    NavEntry(
        "Guidance",
        "guidance:library",
        "guidance.view_library",
        description="The joint Prevent and safeguarding guidance, the referral form guidance and "
        "terms of reference, with what you are asked to read.",
    )
)
register_notices(guidance_notices)
